"""XLSX for Excel users (openpyxl): the report's tables one per sheet, and the
flat registry export.

Every sheet has a frozen header and an autofilter over its header row; dates
are date cells (shown ДД.ММ.ГГГГ), numbers are numbers (a status symbol or a
distance is part of the cell's number format, so «▲ 2 (−2)» still sorts and
sums as 2); header rows that are not data (the federal standard) sit above
the column names, outside the filter; sheet names are the report's
(Russian) names, at most 31 characters; vocabulary codes are the column
headers' comments. Links to sources are cell hyperlinks.

Text from documents is written as text: a string cell is never a formula
(an agency named ``=HYPERLINK(…)`` stays a name) and characters XML cannot
hold are dropped (:mod:`pipeline.report.safe`).
"""

from __future__ import annotations

from copy import copy
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pipeline.report.safe import as_string_cell, xlsx_text

HEADER_FILL = "DDE5F0"
STANDARD_FILL = "FBFBF4"
MAX_WIDTH = 60
# fills per mark (ARGB without alpha)
MARK_FILL = {"compliant": "E3F1E3", "stricter": "C9EBC9", "looser": "F6CFCB", "missing": "EEEEEE",
             "other": "F3ECD9", "yes": "E8F0FA", "reference": STANDARD_FILL}


def sheet_title(title: str) -> str:
    """A table name as a valid sheet title: no []:*?/\\, at most 31 characters."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title.strip()[:31] or "Sheet"


def sheet_name(table) -> str:
    """The sheet a report table is written to (before a suffix that keeps names unique)."""
    return sheet_title(table.sheet or table.id)


def _unique(title: str, taken: set[str]) -> str:
    name, n = sheet_title(title), 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = sheet_title(title)[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _number_format(cell) -> str | None:
    """'"▲ "0" ч (−2)"': the symbol and the text around the number, kept in the format."""
    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
        return None
    shown = cell.text
    number = f"{cell.value:g}".replace(".", ",")
    if not cell.symbol and shown in (f"{cell.value:g}", number, ""):
        return None
    head, sep, tail = shown.partition(number) if number in shown else shown.partition(f"{cell.value:g}")
    body = "0" if float(cell.value).is_integer() else "0.0#"
    if not sep:
        return None
    prefix = (cell.symbol + " " if cell.symbol else "") + head
    return (_quoted(prefix) if prefix else "") + body + (_quoted(tail) if tail else "")


def write_tables(path: Path, tables: Iterable, link: Callable) -> Path:
    """One sheet per table (``Table`` of ``pipeline.report.tables``); ``link(src)`` → URL."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    styles = _Styles(wb)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        ws = wb.create_sheet(_unique(table.sheet or table.id, taken))
        r = 0
        for head in table.head:
            r += 1
            for col, cell in enumerate(head, 1):
                c = _put(ws, r, col, cell.text)
                c.font = Font(italic=True, bold=True)
                c.fill = PatternFill("solid", fgColor=STANDARD_FILL)
        r += 1
        header_row = r
        for col, name in enumerate(table.columns, 1):
            c = _put(ws, r, col, name)
            c.font = bold
            c.fill = PatternFill("solid", fgColor=HEADER_FILL)
            c.alignment = wrap
            if col - 1 < len(table.codes) and table.codes[col - 1]:
                c.comment = Comment(f"код: {table.codes[col - 1]}", "registry")
        for row in table.rows:
            r += 1
            for col, cell in enumerate(row, 1):
                c = _put(ws, r, col, _value(cell))
                fmt = "DD.MM.YYYY" if isinstance(cell.value, date) else _number_format(cell)
                url = link(cell.src) if cell.src else None
                if url:
                    c.hyperlink = url
                key = (cell.mark if cell.mark in MARK_FILL else None, bool(url), fmt)
                if key != (None, False, None):
                    c._style = copy(styles.get(key) or styles.make(key))
        ncols = max(1, len(table.columns))
        ws.freeze_panes = ws.cell(row=header_row + 1, column=2 if ncols > 1 else 1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{max(r, header_row)}"
        if table.note:
            c = _put(ws, r + 2, 1, table.note)
            c.font = Font(italic=True, color="5C6675")
        for i, name in enumerate(table.columns, 1):
            sample = [len(_text(row[i - 1])) for row in table.rows[:300] if len(row) >= i]
            width = table.widths.get(i - 1) or max([len(str(name)) // 2 + 2] + sample)
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _put(ws, row: int, column: int, value):
    """Write a value; a string stays a string (never a formula or an error value)."""
    c = ws.cell(row=row, column=column, value=xlsx_text(value))
    as_string_cell(c)
    return c


class _Styles(dict):
    """Cell styles by (mark, link, number format), made once: openpyxl hashes a
    style on every assignment, which at 40,000 cells costs seconds."""

    def __init__(self, wb):
        super().__init__()
        self.ws = wb.create_sheet("_styles")
        wb.remove(self.ws)

    def make(self, key):
        from openpyxl.styles import Font, PatternFill

        mark, link, fmt = key
        c = self.ws.cell(row=len(self) + 1, column=1)
        if mark:
            c.fill = PatternFill("solid", fgColor=MARK_FILL[mark])
        if link:
            c.font = Font(color="0563C1", underline="single")
        if fmt:
            c.number_format = fmt
        self[key] = c._style
        return self[key]


def _text(cell) -> str:
    return (cell.symbol + " " if cell.symbol else "") + cell.text


def _value(cell):
    v = cell.value
    if isinstance(v, date) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return int(v) if isinstance(v, float) and v.is_integer() else v
    if cell.parts:
        return _rich_diff(cell.parts)
    return _text(cell)


def _rich_diff(parts):
    """A word diff as Excel rich text: removed words struck red, added underlined green."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    style = {"-": InlineFont(strike=True, color="C0392B"), "+": InlineFont(u="single", color="1E7B34")}
    blocks = []
    for i, (op, text) in enumerate(parts):
        text = (" " if i else "") + xlsx_text(text)
        blocks.append(TextBlock(style[op], text) if op in style else text)
    return CellRichText(blocks)


def write_workbook(path: str | Path, sheets: Iterable[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> Path:
    """Write ``sheets`` = [(title, header, rows)] to ``path``: bold frozen
    header, auto filter, ISO dates as date cells, column widths fitted to the
    content (capped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(sheet_title(title))
        ws.append([xlsx_text(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in rows:
            ws.append([xlsx_text(_plain(v)) for v in row])
            for c in ws[ws.max_row]:
                as_string_cell(c)
                if isinstance(c.value, date):
                    c.number_format = "DD.MM.YYYY"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{max(1, ws.max_row)}"
        for i, name in enumerate(header, 1):
            width = max([len(str(name))] + [len(str(_plain(r[i - 1]) or "")) for r in rows[:500]])
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _plain(v: object) -> object:
    if isinstance(v, (list, tuple, set)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return v
