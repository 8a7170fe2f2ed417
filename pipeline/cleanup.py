"""One cleanup of printed lines, used by every stage.

Texts reach us with markdown marks (``**bold**``, ``# heading``) from
converters and legal-database exports, and with letter-spaced words
("П Р И К А З") from letterheads. Each line is cleaned once
(:attr:`pipeline.document.Line.clean`) — stages never strip marks by hand.
The normalized text itself is left as printed, so spans stay exact.

    >>> plain('## **П Р И К А З**')
    'ПРИКАЗ'
    >>> mostly_upper('МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ')
    True
"""

from __future__ import annotations

import re
from functools import lru_cache

_MARKUP = re.compile(r"^[#>\s]*|\*\*|__|[#\s]*$")
_SPACED = re.compile(r"(?<![А-ЯЁA-Zа-яё])((?:[А-ЯЁа-яё] ){2,}[А-ЯЁа-яё])(?![А-ЯЁA-Zа-яё])")
_MD = re.compile(r"\*\*|__|^#+\s*")
_HEADING = re.compile(r"^\s*(#{1,6})\s")
_SPACES = re.compile(r"\s+")

# A line is "upper case" (a letterhead, a heading) when more than this share of
# its letters are capitals and it has at least ``min_letters`` letters.
UPPER_SHARE = 0.8


@lru_cache(maxsize=20_000)  # pure; blank, heading and template lines recur
def plain(text: str) -> str:
    """Line text without markdown marks and with letter-spaced words joined:
    '## **П Р И К А З**' → 'ПРИКАЗ'."""
    t = _MARKUP.sub("", text.strip())
    t = t.replace("**", "").strip()
    return _SPACED.sub(lambda m: m.group(1).replace(" ", ""), t)


@lru_cache(maxsize=20_000)
def strip_markup(text: str) -> str:
    """Markdown marks removed, letter spacing kept (for text that must keep its
    offsets word for word): '**1. Общие положения**' → '1. Общие положения'."""
    return _MD.sub("", text).replace("**", "").strip()


def oneline(text: str) -> str:
    """Bold marks dropped and whitespace runs (line breaks too) collapsed."""
    return _SPACES.sub(" ", text.replace("**", "")).strip()


@lru_cache(maxsize=20_000)
def mostly_upper(text: str, min_letters: int = 3) -> bool:
    """True for a capitalised line: 'МИНИСТЕРСТВО …', '**ПОРЯДОК**'."""
    letters = list(filter(str.isalpha, text))
    return len(letters) >= min_letters and sum(map(str.isupper, letters)) / len(letters) > UPPER_SHARE


def heading_level(text: str) -> int:
    """Markdown heading level of a line ('## Порядок' → 2), 0 for body text."""
    m = _HEADING.match(text)
    return len(m.group(1)) if m else 0


def is_bold(text: str) -> bool:
    """The whole line is set in bold ('**ПРИКАЗ**')."""
    t = text.strip().lstrip("#").strip()
    return t.startswith("**") and t.endswith("**") and len(t) > 4
