"""One file → the documents in it (order, memo, draft).

A document starts at its doc-type line (ПРИКАЗ, РАСПОРЯЖЕНИЕ, Служебная
записка, …) together with the header block printed above it (the agency name
in capitals, or a memo's date/addressee lines), and runs until the next
document starts. What an order approves (Порядок, Положение, Перечень …) stays
inside that order: appendices are not documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import NoOrderFound
from pipeline.cleanup import mostly_upper, plain
from pipeline.document import Line, SourceText
from pipeline.labels import starts_with_label
from pipeline.nlp import markers
from pipeline.patterns import OPERATIVE_RX

# Doc types printed as a line of their own at the head of an act, memo types,
# and the operative formulas that mark an act even when its doc-type line is
# lost: vocab/markers.json.
ACT_TYPES: dict[str, str] = markers("act_types")
MEMO_TYPES: dict[str, str] = markers("memo_types")


@dataclass
class DocSlice:
    """Lines ``first_line..last_line`` (1-based, inclusive) of one document."""

    kind: str  # order | memo | other (drafts are told apart after meta is read)
    doc_type: str | None
    first_line: int
    last_line: int
    type_line: int | None  # the line that printed the doc type

    def lines(self, src: SourceText) -> list[Line]:
        return src.lines[self.first_line - 1 : self.last_line]


def doc_type_of(line: Line) -> tuple[str, str] | None:
    p = line.clean.upper().rstrip(".:")
    if p in ACT_TYPES:
        return "order", ACT_TYPES[p]
    if p in MEMO_TYPES:
        return "memo", MEMO_TYPES[p]
    return None


# "Н.Р. Халилов": how a signature ends; a memo's addressee is written
# surname first ("Дадаеву С.С."), so this marks the end of the act above.
_SIGNATURE_NAME = re.compile(r"^[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.?\s?)?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?$")


def _is_memo_header_line(text: str) -> bool:
    t = plain(text)
    if _SIGNATURE_NAME.match(t):
        return False
    return 0 < len(t) <= 60 and not t.endswith((";", ":")) and not starts_with_label(t, ("decimal",), loose=True)


def _header_start(lines: list[Line], type_idx: int, kind: str, floor: int) -> int:
    """Walk back from the doc-type line over its header block."""
    start = type_idx
    seen = 0
    i = type_idx - 1
    while i >= floor and seen < 15:
        t = lines[i].text
        if not t.strip():
            i -= 1
            continue
        ok = mostly_upper(t) if kind == "order" else _is_memo_header_line(t)
        if not ok:
            break
        start = i
        seen += 1
        i -= 1
    return start


def segment(src: SourceText) -> list[DocSlice]:
    lines = src.lines
    heads: list[tuple[int, str, str]] = []  # (index of type line, kind, doc_type)
    for i, ln in enumerate(lines):
        if ln.text.strip() and len(ln.text) < 60:
            found = doc_type_of(ln)
            if found:
                heads.append((i, *found))
    if not heads:
        if OPERATIVE_RX.search(src.text):
            return [DocSlice("order", None, 1, len(lines), None)]
        raise NoOrderFound(src.path, "no order found: no ПРИКАЗ/РАСПОРЯЖЕНИЕ/ПОСТАНОВЛЕНИЕ header and no operative formula")

    slices: list[DocSlice] = []
    floor = 0
    starts = []
    for idx, kind, dtype in heads:
        start = 0 if not starts else _header_start(lines, idx, kind, floor)
        starts.append((start, idx, kind, dtype))
        floor = idx + 1
    for n, (start, idx, kind, dtype) in enumerate(starts):
        end = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(lines) - 1
        slices.append(DocSlice(kind, dtype, start + 1, end + 1, idx + 1))
    return slices
