"""Table fragments of consecutive pages → one table, written into the text.

A table continued on the next page is stitched to its first part: the repeated
header and the "1 2 3 4 5 6" column-number row are dropped, a row cut by the
page break is merged into the row above, and cells merged vertically across
the break are carried (:func:`stitch_tables`). :func:`write_table` then puts
the printed cells on tab-separated lines and the carried values in the grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Cell, Table, TextBuilder
from pipeline.readers.pages import Page, PCell, PTable
from pipeline.readers.paragraphs import cell_text, join_hyphenated


def _norm(s: str | None) -> str:
    return " ".join((s or "").split()).lower()


def _is_number_row(row: list[PCell]) -> bool:
    """The "1 2 3 4 5 6" row under a header; OCR may garble a few of the digits.

    >>> _is_number_row([PCell("1"), PCell("2"), PCell("З")])
    True
    """
    vals = [re.sub(r"[^0-9a-zа-я]", "", _norm(c.text)) for c in row]
    if len(vals) < 3 or any(len(v) > 2 for v in vals):
        return False
    hits = sum(v == str(i + 1) for i, v in enumerate(vals))
    return hits == len(vals) or hits >= max(2, len(vals) // 2)


def _same_row(a: list[PCell], b_texts: tuple[str, ...]) -> bool:
    from rapidfuzz import fuzz

    ta = " | ".join(_norm(c.text) for c in a)
    return fuzz.ratio(ta, " | ".join(b_texts)) >= 85


def _header_rows(rows: list[list[PCell]]) -> int:
    """How many leading rows are the header (up to and including "1 2 3 …")."""
    for i, row in enumerate(rows[:4]):
        if _is_number_row(row):
            return i + 1
    return 1 if rows and all(c.text for c in rows[0]) and len(rows) > 1 else 0


@dataclass
class StitchedTable:
    rows: list[list[PCell | None]]  # None: value carried from the row above
    page_of_row: list[int]
    printed: list[list[str]]
    carried: list[list[bool]]
    repairs: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    header_n: int = 0  # leading header rows of the first part, matched against each continuation


def stitch_tables(pages: list[Page], vocab: set[str]) -> list[tuple[int, float, StitchedTable]]:
    """Join table fragments continued over page breaks.

    Returns (page, top, table) at the position of each table's first part."""
    result: list[tuple[int, float, StitchedTable]] = []
    prev: tuple[StitchedTable, PTable, Page] | None = None
    for pi, pg in enumerate(pages):
        for ti, frag in enumerate(sorted(pg.tables, key=lambda t: t.top)):
            cont = False
            if prev is not None and ti == 0:
                st_prev, last_frag, last_page = prev
                ncols_ok = len(frag.rows[0]) == len(last_frag.rows[0]) if frag.rows and last_frag.rows else False
                above = [ln for ln in pg.lines if ln.bottom <= frag.top + 1]
                below_prev = [ln for ln in last_page.lines if ln.top >= last_frag.bottom - 1]
                cont = ncols_ok and last_page.number == pg.number - 1 and not above and not below_prev
            rows = [[PCell(cell_text(c.text, vocab) if c.text is not None else None, c.bbox, c.confidence, c.merged_from, c.words)
                     for c in r] for r in frag.rows]
            if cont:
                st = prev[0]
                first_rows = st.rows
                heads = [tuple(_norm(c.text if c else "") for c in r) for r in first_rows[:st.header_n]]
                dropped = 0
                while rows and (any(_same_row(rows[0], h) for h in heads) or _is_number_row(rows[0])):
                    rows.pop(0)
                    dropped += 1
                if dropped:
                    st.repairs.append(f"page {pg.number}: dropped {dropped} repeated header row(s) of the table continued from page {pg.number - 1}")
                if rows and _is_fragment(rows[0], st.rows[-1]):
                    frag_row = rows.pop(0)
                    for c, cell in enumerate(frag_row):
                        if not cell.text:
                            continue
                        # a vertically merged cell continues in the row that holds its value
                        origin = len(st.rows) - 1
                        while origin > 0 and c < len(st.rows[origin]) and st.rows[origin][c].text is None:
                            origin -= 1
                        target = st.rows[origin][c]
                        base = target.text or ""
                        target.text = join_hyphenated(base, cell.text, vocab) if base else cell.text
                    st.repairs.append(f"page {pg.number}: a row cut by the page break was joined to the row above")
                if rows and st.rows:
                    # The first row's leading empty cells continue merged cells from the previous
                    # page when they are exactly the columns merged downwards on this page; an
                    # empty number next to a printed direction is an unread number, not a merge.
                    lead = 0
                    while lead < len(rows[0]) - 1 and not (rows[0][lead].text or "").strip():
                        lead += 1
                    below = rows[1] if len(rows) > 1 else None
                    merged_down = [c for c in range(len(rows[0])) if below is not None and c < len(below)
                                   and below[c].text is None and below[c].merged_from == "up"]
                    if lead and (not merged_down or merged_down == list(range(lead))):
                        for c in range(lead):
                            rows[0][c] = PCell(None, rows[0][c].bbox)
                _append_rows(st, rows, pg.number)
                st.pages.add(pg.number)
            else:
                st = StitchedTable([], [], [], [])
                st.header_n = _header_rows(rows)
                _append_rows(st, rows, pg.number)
                st.pages.add(pg.number)
                result.append((pg.number, frag.top, st))
            prev = (st, frag, pg)
        if not pg.tables:
            prev = None
    return result


def _is_fragment(row: list[PCell], above: list[PCell | None]) -> bool:
    """A row cut by a page break: no row number, and either every filled cell
    goes on in lower case or a column every real row fills (the last) is empty."""
    texts = [(c.text or "").strip() for c in row]
    filled = [t for t in texts if t]
    if not filled or texts[0]:
        return False
    if all(t[:1].islower() for t in filled):
        return True
    above_last = above[-1].text if above and above[-1] is not None else ""
    return not texts[-1] and bool(above_last)


def _append_rows(st: StitchedTable, rows: list[list[PCell]], page: int) -> None:
    for r in rows:
        st.rows.append(r)
        st.page_of_row.append(page)


def write_table(b: TextBuilder, st: StitchedTable) -> Table:
    """Render a stitched table: printed cells in the tab line, carried values in the grid."""
    rows = st.rows
    ncols = max(len(r) for r in rows)
    grid: list[list[Cell]] = []
    first_line = len(b.lines) + 1
    merged = False
    for ri, r in enumerate(rows):
        r = r + [PCell("")] * (ncols - len(r))
        texts = [(c.text or "").replace("\t", " ").strip() if c.text is not None else "" for c in r]
        confs = [c.confidence for c in r if c.confidence is not None]
        line = b.add("\t".join(texts), page=st.page_of_row[ri],
                     confidence=round(sum(confs) / len(confs), 1) if confs else None)
        pos = line.start
        out = []
        for c, t in zip(r, texts):
            out.append(Cell(t, pos, pos + len(t), line.no, st.page_of_row[ri], c.bbox, c.confidence, c.words))
            pos += len(t) + 1
        grid.append(out)
    for ri, r in enumerate(rows):
        for ci in range(ncols):
            if ci >= len(r) or r[ci].text is not None:
                continue
            src = None
            if r[ci].merged_from == "left" and ci > 0:
                src = grid[ri][ci - 1]
            elif ri > 0:
                src = grid[ri - 1][ci]
            if src is not None:
                grid[ri][ci] = Cell(src.text, src.start, src.end, src.line, src.page, src.bbox, src.confidence, src.words)
                merged = True
    t = Table(grid, first_line, len(b.lines), merged)
    b.tables.append(t)
    return t
