"""One file → the documents in it (order, memo, draft, appendix).

A document starts at its doc-type line (ПРИКАЗ, РАСПОРЯЖЕНИЕ, Служебная
записка, …) together with the header block printed above it (the agency name
in capitals, or a memo's date/addressee lines), and runs until the next
document starts. What an order approves (Порядок, Положение, Перечень …) stays
inside that order: appendices are not documents.

Acts also reach us without a letterhead:

* a legal-database or portal heading line, "Постановление Правительства
  Самарской области от 21.12.2022 № 1200 «Об …»" — with the letterhead below
  it (one document, the heading read as well) or alone;
* an appendix published on its own, headed by its approval stamp
  ("Приложение 1 к приказу … от … N …", "УТВЕРЖДЕН постановлением …") —
  a document of kind ``appendix``;
* a text cut before its head that still shows an operative part
  ("1. Утвердить …", "ПОСТАНОВЛЯЕТ:") — an order whose head is missing.

Anything else is refused with what was looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import NoOrderFound
from pipeline.cleanup import mostly_upper, plain
from pipeline.document import Line, SourceText
from pipeline.headings import ActReference, is_stamp_start, parse_heading, parse_stamp
from pipeline.labels import starts_with_label
from pipeline.nlp import markers, normal_forms
from pipeline.patterns import OPERATIVE_RX

# Doc types printed as a line of their own at the head of an act, memo types,
# and the operative formulas that mark an act even when its doc-type line is
# lost: vocab/markers.json.
ACT_TYPES: dict[str, str] = markers("act_types")
MEMO_TYPES: dict[str, str] = markers("memo_types")


@dataclass
class DocSlice:
    """Lines ``first_line..last_line`` (1-based, inclusive) of one document."""

    kind: str  # order | memo | appendix | other (drafts are told apart after meta is read)
    doc_type: str | None
    first_line: int
    last_line: int
    type_line: int | None  # the line that printed the doc type
    heading_line: int | None = None  # a legal-database heading naming the act
    stamp_lines: tuple[int, int] | None = None  # an appendix's approval stamp (first, last)

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


# How far into a file (non-blank lines) a heading or a stamp is looked for:
# site navigation and database banners come before them, the body after.
HEAD_SEARCH_LINES = 15
MAX_STAMP_LINES = 9
# "1. Утвердить …", "2. Создать …": the operative clauses of an act cut before its head
_OPERATIVE_CLAUSE = re.compile(r"^\s*\d{1,2}\.\s*(?:Утвердить|Создать|Образовать|Установить|Признать|Внести|Определить|Назначить|Поручить)\b")


def _top(lines: list[Line], limit: int = HEAD_SEARCH_LINES) -> list[int]:
    """Indexes of the first ``limit`` non-blank lines."""
    out = []
    for i, ln in enumerate(lines):
        if ln.clean:
            out.append(i)
            if len(out) >= limit:
                break
    return out


def find_heading(lines: list[Line], before: int | None = None) -> tuple[int, ActReference] | None:
    """The first heading line at the top of a file (above ``before``)."""
    for i in _top(lines):
        if before is not None and i >= before:
            break
        ref = parse_heading(lines[i].clean)
        if ref is not None:
            return i, ref
    return None


def find_stamp(lines: list[Line]) -> tuple[int, int] | None:
    """(first, last) indexes of an approval stamp at the top of a file: its
    opening line and the lines until the approving act's number (or until
    the appendix title, for a bare 'Приложение N 1')."""
    top = _top(lines)
    for k, i in enumerate(top[:3]):  # an appendix published alone opens with its stamp
        if not is_stamp_start(lines[i].clean):
            continue
        last = i
        text = lines[i].clean
        for j in top[k + 1 : k + MAX_STAMP_LINES]:
            ref = parse_stamp(text)
            if ref is not None and ref.number:
                break
            nxt = lines[j].clean
            if len(nxt) > 120 or (not _continues_stamp(nxt) and ref is not None and ref.doc_type is None):
                break
            text += " " + nxt
            last = j
        return i, last
    return None


def _continues_stamp(text: str) -> bool:
    """A stamp's next line: the governed kind, the issuer's words, the date and number."""
    return bool(re.match(r"^(?:к\s|утвержд|приказ|постановлен|распоряжен|указ|решени|от\s|N\s|№)", text, re.I)) or is_stamp_start(text)


def document_kind(text: str) -> str | None:
    """The kind of document a title names by its first word: 'Порядок …' →
    'poryadok', 'ПОЛОЖЕНИЕ ОБ …' → 'polozhenie' (vocab/markers.json)."""
    words = re.findall(r"[А-Яа-яЁё]+", text)
    if not words:
        return None
    kinds = markers("appendix_kinds")
    return next((kinds[f] for f in normal_forms(words[0].lower()) if f in kinds), None)


def _titled_appendix(lines: list[Line]) -> int | None:
    """A Порядок/Положение… published alone without a stamp: the file opens
    with its title (a kind word, not a sentence) and numbered clauses follow."""
    top = _top(lines, 4)
    if not top or document_kind(lines[top[0]].clean) is None or lines[top[0]].clean.endswith((".", ";", ":")):
        return None
    if any(starts_with_label(lines[i].clean, ("decimal", "roman")) for i in top[1:]):
        return top[0]
    return None


def segment(src: SourceText) -> list[DocSlice]:
    lines = src.lines
    heads: list[tuple[int, str, str]] = []  # (index of type line, kind, doc_type)
    for i, ln in enumerate(lines):
        if ln.clean and len(ln.clean) < 60:  # fixed-width pages pad a centred ПРИКАЗ with spaces
            found = doc_type_of(ln)
            if found:
                heads.append((i, *found))
    heading = find_heading(lines, before=heads[0][0] if heads else None)
    if not heads:
        return [_headless(src, heading)]

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
    if heading is not None and slices[0].kind == "order":
        slices[0].heading_line = heading[0] + 1
    return slices


def _headless(src: SourceText, heading: tuple[int, ActReference] | None) -> DocSlice:
    """A file without a doc-type line: a heading, a stamp or an operative part."""
    lines = src.lines
    last = len(lines)
    if heading is not None:
        i, ref = heading
        return DocSlice("order", ref.doc_type, 1, last, None, heading_line=i + 1)
    stamp = find_stamp(lines)
    if stamp is not None:
        ref = parse_stamp(" ".join(ln.clean for ln in lines[stamp[0] : stamp[1] + 1]))
        return DocSlice("appendix", ref.doc_type if ref else None, 1, last, None,
                        stamp_lines=(stamp[0] + 1, stamp[1] + 1))
    titled = _titled_appendix(lines)
    if titled is not None:
        return DocSlice("appendix", None, 1, last, None)
    if OPERATIVE_RX.search(src.text) or any(_OPERATIVE_CLAUSE.match(ln.clean) for ln in lines[:200]):
        return DocSlice("order", None, 1, last, None)
    raise NoOrderFound(src.path, "no act found: looked for a doc-type line (ПРИКАЗ, ПОСТАНОВЛЕНИЕ, РАСПОРЯЖЕНИЕ, УКАЗ), "
                       "a heading such as 'Приказ <органа> от <даты> N <номер>', an approval stamp "
                       "('Приложение к приказу …', 'УТВЕРЖДЕН приказом …') and an operative part "
                       "('приказываю', 'постановляет', '1. Утвердить …'); found none")
