"""Editorial insertions of legal databases and portals, found once per file.

Гарант, КонсультантПлюс and regional portals put their own lines into the
acts they publish: a banner ("Откройте актуальную версию документа…"),
notes ("ГАРАНТ:", "Информация об изменениях", "См. …"), amendment lists
("Список изменяющих документов", "(в ред. распоряжения … № 351)") and site
navigation ("Расширенный поиск"). They are not the act: an editorial line
reads as blank to every stage (its :attr:`Line.clean` is empty), and each
one becomes an info warning with its span, so nothing is dropped silently.
Patterns are data: ``editorial`` in vocab/markers.json.

    >>> code_of("Откройте актуальную версию документа прямо сейчас")
    'database_banner'
    >>> code_of("1. Утвердить Порядок") is None
    True
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.document import SourceText
from pipeline.models import ExtractionWarning
from pipeline.nlp import markers


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((e["code"], re.compile(e["pattern"], re.I)) for e in markers("editorial"))


@lru_cache(maxsize=20_000)  # pure; every stage's lines pass here once per file
def code_of(text: str) -> str | None:
    """The kind of editorial insertion a line is, or None for the act's own text."""
    t = text.strip()
    if not t:
        return None
    for code, rx in _patterns():
        if rx.search(t):
            return code
    return None


# A note that runs over several lines: "(В редакции Постановлений … / от … N 1073; /
# … N 412-п)" until its parenthesis closes; "Утратил силу - Приказ … / … / от … N 35-пд"
# until the line with the repealing act's number.
MAX_NOTE_LINES = 6
_REPEAL_TAIL = re.compile(r"\S\s{3,}утратил[аои]?\s+силу\s*[-–—]", re.I)


def _continues(code: str, first: str, line: str) -> bool:
    if code == "amendment_note" and first.lstrip().startswith("(") and ")" not in first:
        return True
    return code == "repeal_note" and not re.search(r"(?:№|N)\s*\S*\d", first)


def _note_ends(code: str, line: str) -> bool:
    if code == "amendment_note":
        return ")" in line
    return bool(re.search(r"(?:№|N)\s*\S*\d", line))


def mark_editorial(src: SourceText) -> list[ExtractionWarning]:
    """Blank every editorial line for the later stages and say so, once per line."""
    out: list[ExtractionWarning] = []
    follow: tuple[str, int] | None = None  # (code, lines left) of a note that runs on
    # a repeal note beside the date is rare: whether any line needs the test, from the word it needs
    repeal_tails = "утратил" in src.text.lower()
    for ln in src.lines:
        if "editorial" in ln.__dict__:
            continue  # marked by an earlier pass over the same text
        code = code_of(ln.clean)
        if code is None and follow is not None and ln.clean:
            code, left = follow
            follow = None if _note_ends(code, ln.clean) or left <= 1 else (code, left - 1)
        elif code is not None and _continues(code, ln.clean, ln.clean):
            follow = (code, MAX_NOTE_LINES)
        elif code is None and repeal_tails and _REPEAL_TAIL.search(ln.text) and not _note_ends("repeal_note", ln.text[_REPEAL_TAIL.search(ln.text).start():]):
            # "от 25 января 2008 г. N 59      Утратило силу - Постановление": a fixed-width
            # page put the note beside the date; its next lines belong to the note
            follow = ("repeal_note", MAX_NOTE_LINES)
        else:
            follow = None if ln.clean else follow
        if code is None:
            continue
        ln.__dict__["clean"] = ""  # the cached Line.clean: this line is not the act's text
        ln.__dict__["editorial"] = code
        out.append(ExtractionWarning(code=f"editorial_{code}", severity="info",
                           message=f"editorial insertion kept out of the values: {ln.text.strip()[:100]!r}",
                           span=src.line_span(ln.no)))
    return out
