"""Tables drawn with whitespace only: no ruling lines, columns aligned by x.

A typist's Перечень laid out with tab stops, or a Word table with its borders
switched off, reaches the PDF as rows of words with tab-like gaps
(:mod:`pipeline.readers.pdf_lines`) whose cells start at the same x row after
row. A block of consecutive rows is a table when

- at least ``ws_table_min_rows`` of its rows have ``ws_table_min_cols`` or more
  cells, and the cells of every row of the block fit the same column bands
  (each cell starts inside one band and does not reach into the next): the
  bands between the columns are empty over the whole block;
- no vertical gap wider than a blank line interrupts it.

A row of the table starts where the first column has text (a row number), after
space between rows (more than the leading of wrapped lines), or where every one
of several cells starts with a capital; the lines in between are the wrapped
lines of its cells. Justified text never
forms a table: its wide gaps are even and not tab-like.
"""

from __future__ import annotations

from pipeline.readers.pages import BBox, PCell, PTable, is_page_number
from pipeline.readers.pdf_lines import Row
from pipeline.readers.settings import DEFAULTS, PdfSettings

TOL = 4.0  # points: cells of one column start within this of each other


def _cells(row: Row, st: PdfSettings) -> list[tuple[float, float, list[dict]]]:
    return [(s[0]["x0"], max(w["x1"] for w in s), s) for s in row.segments(st.min_cell_gap)]


def _column_of(x0: float, cols: list[float]) -> int | None:
    for c in range(len(cols) - 1, -1, -1):
        if x0 >= cols[c] - TOL:
            return c
    return None


def _fits(cells, cols: list[float]) -> bool:
    """Every cell starts in a column band and ends before the next column starts."""
    used = set()
    for x0, x1, _ in cells:
        c = _column_of(x0, cols)
        if c is None or c in used:
            return False
        if c + 1 < len(cols) and x1 > cols[c + 1] + TOL:
            return False
        used.add(c)
    return True


def _merge_cols(cols: list[float], cells) -> list[float] | None:
    """Columns after adding a row of cells: a cell starting away from every known
    column opens a new one, unless a known cell spans over it."""
    out = list(cols)
    for x0, _, _ in cells:
        if all(abs(x0 - c) > TOL for c in out):
            out.append(x0)
    return sorted(out)


def find_ws_tables(rows: list[Row], page: int, page_height: float,
                   st: PdfSettings = DEFAULTS.pdf) -> tuple[list[PTable], list[Row]]:
    """Whitespace tables on a page → (tables, the rows left for the page text)."""
    cells = [_cells(r, st) for r in rows]
    if sum(len(c) >= st.ws_table_min_cols for c in cells) < st.ws_table_min_rows:
        return [], rows  # the common case: a page of text
    tables: list[PTable] = []
    used: set[int] = set()
    i = 0
    while i < len(rows):
        if len(cells[i]) < st.ws_table_min_cols:
            i += 1
            continue
        block, cols = _block(rows, cells, i, st)
        if sum(len(cells[k]) >= st.ws_table_min_cols for k in block) >= st.ws_table_min_rows and len(cols) >= st.ws_table_min_cols:
            tables.append(_table(rows, cells, block, cols, page, page_height))
            used.update(block)
            i = block[-1] + 1
        else:
            i += 1
    return tables, [r for k, r in enumerate(rows) if k not in used]


def _running(row: Row) -> bool:
    """A page number between the table and the page edge (LibreOffice puts it close)."""
    return is_page_number(" ".join(w["text"] for w in row.words))


def _blank_between(upper: Row, lower: Row) -> bool:
    return lower.top - upper.bottom > 2.2 * max(4.0, upper.bottom - upper.top)


def _block(rows: list[Row], cells, start: int, st: PdfSettings) -> tuple[list[int], list[float]]:
    cols = sorted(c[0] for c in cells[start])
    block = [start]
    # rows above the first full row belong to the table only when they reach up to the
    # top of the page: the wrapped end of a row cut by the page break
    above = []
    k = start - 1
    while k >= 0 and not _running(rows[k]) and not _blank_between(rows[k], rows[k + 1]) and _fits(cells[k], cols):
        above.append(k)
        k -= 1
    if above and all(_running(rows[j]) for j in range(k + 1)):
        block = sorted(above) + block
    for k in range(start + 1, len(rows)):
        if _blank_between(rows[k - 1], rows[k]) or _running(rows[k]):
            break  # a blank stretch or the page number ends the table
        new = cols
        if len(cells[k]) >= st.ws_table_min_cols:
            new = _merge_cols(cols, cells[k])
            if new != cols and not all(_fits(cells[b], new) for b in block):
                break
        if not _fits(cells[k], new):
            break
        cols = new
        block.append(k)
    return block, cols


def _starts_row(line: list[list[tuple[str, BBox]]], prev: Row, row: Row) -> bool:
    """A new table row: a row number in the first column, space between the rows
    (more than the leading of wrapped lines), or every one of several cells
    starting with a capital or a digit."""
    if line[0]:
        return True
    if row.top - prev.bottom > 0.45 * max(4.0, prev.bottom - prev.top):
        return True
    starts = [parts[0][0][:1] for parts in line if parts]
    return len(starts) >= 2 and all(ch.isupper() or ch.isdigit() for ch in starts)


def _table(rows: list[Row], cells, block: list[int], cols: list[float], page: int, page_height: float) -> PTable:
    grid: list[list[list[tuple[str, BBox]]]] = []
    prev: Row | None = None
    for k in block:
        line: list[list[tuple[str, BBox]]] = [[] for _ in cols]
        for x0, x1, ws in cells[k]:
            c = _column_of(x0, cols)
            line[c].append((" ".join(w["text"] for w in ws), (x0, min(w["top"] for w in ws), x1, max(w["bottom"] for w in ws))))
        if prev is None or _starts_row(line, prev, rows[k]):
            grid.append([[] for _ in cols])
        for c, parts in enumerate(line):
            grid[-1][c].extend(parts)
        prev = rows[k]
    out = []
    for r in grid:
        out_row = []
        for parts in r:
            if not parts:
                out_row.append(PCell("", None))
                continue
            bb = (min(p[1][0] for p in parts), min(p[1][1] for p in parts),
                  max(p[1][2] for p in parts), max(p[1][3] for p in parts))
            out_row.append(PCell("\n".join(p[0] for p in parts), tuple(round(float(v), 1) for v in bb)))
        out.append(out_row)
    return PTable(out, page, rows[block[0]].top, rows[block[-1]].bottom, page_height)
