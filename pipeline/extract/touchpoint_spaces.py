"""A Перечень laid out with spaces in plain text, as a PDF's text copied or
saved with its layout (``pdftotext -layout``) or a fixed-width export gives
it::

    №    Наименование точки взаимодействия     Вид точки   Потребности клиента
    п/п
    1    Официальный сайт департамента         цифровая    получение информации
    2    Телефон "горячей линии"               офлайн      получение консультации

Columns are the gutters — runs of at least two spaces at the same place on
every line of the block that prints two cells or more. A line printing a
single cell, or a line whose first column is empty, goes on the row above
(a header or a name wrapped inside its column). Only a block whose first row
is a Перечень header (the column vocabulary) is read: aligned text elsewhere
(signatures, approval sheets) stays text. Cells keep the offsets of their
first and last fragment.
"""

from __future__ import annotations

import re

from pipeline.document import Cell, Line, Table, space_gutters

MIN_ROWS = 2  # data rows under the header
_GAP = re.compile(r"\S(\s{2,})(?=\S)")


def _interior_gaps(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in _GAP.finditer(text)]


def space_tables(lines: list[Line], taken: set[int], is_header) -> list[Table]:
    """Space-aligned tables among ``lines`` whose first row ``is_header``
    accepts; lines in ``taken`` (other tables) are never part of one. A block
    is tried only from a line whose pieces already read as that header, so a
    long fixed-width page costs one look a line."""
    out: list[Table] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.no in taken or not _interior_gaps(ln.text) or not is_header(_pieces(ln)):
            i += 1
            continue
        block = _block(lines, i, taken)
        table = _table(block, is_header) if len(block) >= MIN_ROWS + 1 else None
        if table is None:
            i += 1
            continue
        out.append(table)
        i += len(block)
    return out


def _pieces(ln: Line) -> list[Cell]:
    """The line cut at its runs of two or more spaces (a header row alone)."""
    out, pos = [], 0
    for a, b in [*_interior_gaps(ln.text), (len(ln.text), len(ln.text))]:
        raw = ln.text[pos:a]
        lead = len(raw) - len(raw.lstrip())
        t = raw.strip()
        out.append(Cell(t, ln.start + pos + lead, ln.start + pos + lead + len(t), ln.no))
        pos = b
    return out


def _block(lines: list[Line], i: int, taken: set[int]) -> list[Line]:
    """Lines from ``i`` up to a blank line or another table's."""
    block = []
    for ln in lines[i:]:
        if ln.no in taken or not ln.text.strip():
            break
        block.append(ln)
    return block


def _gutters(block: list[Line]) -> list[tuple[int, int]]:
    """Column separators of the lines printing two cells or more."""
    multi = [ln.text for ln in block if _interior_gaps(ln.text)]
    return space_gutters(multi) if len(multi) >= MIN_ROWS + 1 else []


def _cells_of(ln: Line, gutters: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(text, start, end) of each column's part of a line ('' where empty)."""
    bounds = [0, *[g[1] for g in gutters]]
    ends = [g[0] for g in gutters] + [max(len(ln.text), bounds[-1])]
    out = []
    for a, b in zip(bounds, ends):
        raw = ln.text[a:b]
        s = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = ln.start + a + lead
        out.append((s, start, start + len(s)))
    return out


def _table(block: list[Line], is_header) -> Table | None:
    gutters = _gutters(block)
    if not gutters:
        return None
    rows: list[list[list[tuple[str, int, int, int]]]] = []  # row → column → fragments
    for ln in block:
        parts = _cells_of(ln, gutters)
        if not _interior_gaps(ln.text.strip()):
            # one piece of text: all of it in the column where it starts ("п/п" under "№")
            lead = len(ln.text) - len(ln.text.lstrip())
            k = sum(1 for g in gutters if g[0] <= lead)
            t = ln.text.strip()
            parts = [("", 0, 0)] * len(parts)
            parts[min(k, len(parts) - 1)] = (t, ln.start + lead, ln.start + lead + len(t))
        filled = [k for k, p in enumerate(parts) if p[0]]
        if not filled:
            continue
        if rows and (len(filled) == 1 or not parts[0][0]):
            for k in filled:  # more of the row above: a wrapped name, the header's "п/п"
                rows[-1][k].append((*parts[k], ln.no))
            continue
        rows.append([[(*p, ln.no)] if p[0] else [] for p in parts])
    if len(rows) < MIN_ROWS + 1:
        return None
    table_rows = [[_cell(frags, block[0]) for frags in row] for row in rows]
    if not is_header(table_rows[0]):
        return None
    return Table(table_rows, block[0].no, block[-1].no)


def _cell(frags: list[tuple[str, int, int, int]], first: Line) -> Cell:
    if not frags:
        return Cell("", first.start, first.start, first.no)
    text = " ".join(f[0] for f in frags)
    return Cell(text, frags[0][1], frags[-1][2], frags[0][3])
