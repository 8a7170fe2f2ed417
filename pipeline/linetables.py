"""Tables that reached plain text one cell a line, as a table of a web page
does when its text is copied or saved (legal-database and portal pages)::

    № п/п
    Наименование точки взаимодействия
    Потребности клиента
    1
    Официальный сайт
    получение информации
    2
    Телефон «горячей линии»
    получение консультации

The table is found by its numbering: a header that opens with a number
column («№», «N п/п», «№ п/п») and, under it, lines holding only the row
numbers 1, 2, 3 … with the same count of lines between them as the header
has columns. A row with more lines than columns printed its last cell over
several lines (needs one a line); a row with fewer left its last cells
empty. The last row takes as many lines as the header has columns, and the
short lower-case lines after them. Every cell keeps the exact offsets of its
lines.

Example::

    >>> from pipeline.document import split_lines
    >>> text = "№ п/п\\nНаименование\\nПотребности\\n1\\nСайт\\nинформация\\n2\\nТелефон\\nконсультация\\nприем\\nПриложение 2"
    >>> [[c.text for c in r] for r in tables_from_cell_lines(text, split_lines(text))[0].rows]
    [['№ п/п', 'Наименование', 'Потребности'], ['1', 'Сайт', 'информация'], ['2', 'Телефон', 'консультация\\nприем']]
"""

from __future__ import annotations

import re

from pipeline.document import Cell, Line, Table

NUMBER_HEADER = re.compile(r"^\s*(?:№|N|No)\s*(?:п/п|пп|п\.п\.)?\s*$|^\s*п/п\s*$", re.I)
_ROW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")
MAX_COLUMNS = 8
MAX_HEADER_CELL = 120


def tables_from_cell_lines(text: str, lines: list[Line], taken: set[int] = frozenset()) -> list[Table]:
    """Every one-cell-a-line table of the text; lines in ``taken`` (numbers of
    lines already in another table) are never part of one."""
    tables: list[Table] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.no in taken or not NUMBER_HEADER.match(ln.text):
            i += 1
            continue
        table = _table_at(text, lines, i, taken)
        if table is None:
            i += 1
            continue
        tables.append(table)
        i = table.last_line  # lines are numbered from 1: the index after the table
    return tables


def _nonblank(lines: list[Line], i: int, taken: set[int]) -> list[int]:
    """Indices of the non-blank lines from ``i`` on, up to a line of another table."""
    out = []
    for k in range(i, len(lines)):
        if lines[k].no in taken:
            break
        if lines[k].text.strip():
            out.append(k)
    return out


def _table_at(text: str, lines: list[Line], i: int, taken: set[int]) -> Table | None:
    idx = _nonblank(lines, i, taken)
    # the header: the number column's line, then the other columns' lines up to the line "1"
    first = next((p for p, k in enumerate(idx[1 : MAX_COLUMNS + 1], 1) if _number_of(lines[k]) == 1), None)
    if first is None or first < 2:
        return None
    header = idx[:first]
    if any(len(lines[k].text.strip()) > MAX_HEADER_CELL or _number_of(lines[k]) is not None for k in header[1:]):
        return None
    width = len(header)
    # row starts: the lines holding 1, 2, 3 … in turn
    starts = [first]
    expected = 2
    for p in range(first + 1, len(idx)):
        if _number_of(lines[idx[p]]) == expected and p - starts[-1] >= 2:
            starts.append(p)
            expected += 1
    if len(starts) < 2:
        return None
    # a row is as wide as the header, or wider where its last cell runs on; the gaps
    # between numbers must mostly be the header's width
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    if sum(g == width for g in gaps) * 2 < len(gaps):
        return None
    rows = [[_cell(text, lines, [k]) for k in header]]
    end = min(len(idx), starts[-1] + width)
    while end < len(idx) and _runs_on(lines[idx[end]]):
        end += 1  # the last row's last cell printed over more lines ("подача обращений")
    bounds = [*starts, end]
    for a, b in zip(bounds, bounds[1:]):
        row_lines = idx[a:b]
        cells = [_cell(text, lines, [k]) for k in row_lines[: width - 1]]
        if len(row_lines) > width:  # the last cell printed over several lines
            cells.append(_cell(text, lines, row_lines[width - 1 :]))
        elif len(row_lines) == width:
            cells.append(_cell(text, lines, [row_lines[-1]]))
        rows.append(cells)
    last = idx[bounds[-1] - 1]
    return Table(rows, lines[header[0]].no, lines[last].no)


def _runs_on(ln: Line) -> bool:
    """A short line opening in lower case: more of the cell above, not the text after the table."""
    t = ln.text.strip()
    return bool(t) and t[0].islower() and len(t) <= MAX_HEADER_CELL and not t.endswith(":")


def _number_of(ln: Line) -> int | None:
    m = _ROW_NUMBER.match(ln.text)
    return int(m.group(1)) if m else None


def _cell(text: str, lines: list[Line], ks: list[int]) -> Cell:
    """The cell of lines ``ks`` (consecutive but for blank lines): its exact text."""
    a, b = lines[ks[0]], lines[ks[-1]]
    start = a.start + len(a.text) - len(a.text.lstrip())
    end = b.end - (len(b.text) - len(b.text.rstrip()))
    return Cell(text[start:end], start, end, a.no, a.page)
