"""The one parser of printed clause labels: ``I.``, ``1.``, ``16.2.``, ``2.1``,
``а)``, ``1)``, bullets (``-``, ``•``).

Every stage that needs to know whether a line opens with a label asks
:func:`parse_label`; there is no other label regex in the pipeline.

    >>> parse_label("16.2. Текст")[0].printed
    '16.2.'
    >>> parse_label("- 1) пункт")[0].bullet
    '-'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nlp import lookalikes

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}
# Letter sequence of Russian legal drafting: ё, й, ъ, ы, ь are not used.
LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def letter_for_digit(letter: str) -> str | None:
    """The digit a letter label stands for when OCR or a typist put it there
    ('б)' for '6)'); table ``label_letter_to_digit`` of vocab/lookalikes.json."""
    return lookalikes("label_letter_to_digit").get(letter)


_BULLET = re.compile(r"^(?P<b>[-–—•·*▪◦●])\s*(?=\S)")
_ROMAN = re.compile(r"^(?P<n>[IVX]{1,4})\.\s+(?=\S)")
_DECIMAL = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3}){0,4})(?P<dot>\.?)\s+(?=\S)")
# "1.Создать рабочую группу": typed without the space after the dot
_DECIMAL_TIGHT = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3}){0,4})(?P<dot>\.)(?=[А-ЯЁ][а-яё])")
_PAREN = re.compile(r"^(?P<n>\d{1,3})\)\s*(?=\S)")
_LETTER = re.compile(r"^(?P<n>[а-яё])\)\s*(?=\S)")


@dataclass(frozen=True)
class Label:
    style: str  # roman | decimal | paren_number | letter | bullet | none
    printed: str  # as printed, e.g. "16.2.", "а)", "-"
    value: str  # "16.2", "а", "3", "II"
    bullet: str | None = None  # a bullet printed before a label: "- 1)"

    @property
    def depth(self) -> int:
        return self.value.count(".") + 1 if self.style == "decimal" else 0

    def first_of_sequence(self) -> bool:
        return (self.style == "letter" and self.value == "а") or (self.style == "paren_number" and self.value == "1")


def parse_label(text: str, loose: bool = False) -> tuple[Label, int]:
    """Label at the start of a paragraph and the offset where its text starts
    (offset into ``text``).

    In running text a bare number ("1 Общие положения") is a label only before
    a capital; ``loose`` accepts it before anything (list items in a cell,
    a needs column, the lines of a list where capitals carry no signal)."""
    return _parse_label(text, loose)


@lru_cache(maxsize=20_000)
def _parse_label(text: str, loose: bool) -> tuple[Label, int]:
    # remembered whole: a Label is frozen, so every caller may share one
    style, printed, value, bullet, at = _parse(text, loose)
    return Label(style, printed, value, bullet), at


_MARKS = re.compile(r"^(?:#+\s*)?(?:\*\*)?")


@lru_cache(maxsize=20_000)
def _parse(text: str, loose: bool) -> tuple[str, str, str, str | None, int]:
    """:func:`parse_label` as plain values, remembered per text: the same
    line is asked about by the tree, the appendices and the lists."""
    lead = len(text) - len(text.lstrip())
    t = text[lead:]
    # markdown bold or heading marks before the label
    m = _MARKS.match(t)
    skip = m.end() if m else 0
    t2 = t[skip:]
    bullet = None
    b = _BULLET.match(t2)
    if b:
        # "- 1) …" keeps the bullet and reads the label after it
        bullet = b.group("b")
        skip += b.end()
        t2 = t[skip:]
    for style, rx in (("roman", _ROMAN), ("paren_number", _PAREN), ("letter", _LETTER), ("decimal", _DECIMAL),
                      ("decimal", _DECIMAL_TIGHT)):
        m2 = rx.match(t2)
        if not m2:
            continue
        n = m2.group("n")
        if style == "decimal":
            rest = t2[m2.end():]
            # "1 Общие положения" (no dot) is a label only before a capital;
            # years and the "1 2 3 4" column-number row are not labels
            if not loose and not m2.group("dot") and "." not in n and not rest[:1].isupper():
                continue
            if int(n.split(".")[0]) > 300:
                continue
            printed = n + m2.group("dot")
        else:
            printed = t2[: m2.end()].strip()
        return style, printed, n, bullet, lead + skip + m2.end()
    if bullet:
        return "bullet", bullet, bullet, None, lead + skip
    return "none", "", "", None, lead


def next_letter(v: str) -> str | None:
    i = LETTERS.find(v)
    return LETTERS[i + 1] if 0 <= i < len(LETTERS) - 1 else None


def expected_next(style: str, value: str) -> str | None:
    if style == "letter":
        return next_letter(value)
    if style == "paren_number":
        return str(int(value) + 1)
    if style == "roman":
        inv = {v: k for k, v in ROMAN.items()}
        return inv.get(ROMAN.get(value, 0) + 1)
    if style == "decimal":
        parts = value.split(".")
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return None


def starts_with_label(text: str, styles: tuple[str, ...] = ("roman", "decimal", "paren_number", "letter"),
                      loose: bool = False) -> bool:
    """True when ``text`` opens with a label of one of ``styles``."""
    return parse_label(text, loose)[0].style in styles
