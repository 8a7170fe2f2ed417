"""One XLSX workbook, one sheet per table (openpyxl)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

HEADER_FILL = "DDE5F0"
MAX_WIDTH = 60


def write_workbook(path: str | Path, sheets: Iterable[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> Path:
    """Write ``sheets`` = [(title, header, rows)] to ``path``: bold frozen
    header, auto filter, column widths fitted to the content (capped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(sheet_title(title))
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
        for i, name in enumerate(header, 1):
            width = max([len(str(name))] + [len(str(_cell(r[i - 1]) or "")) for r in rows[:500]])
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _cell(v: object) -> object:
    if isinstance(v, (list, tuple, set)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def sheet_title(title: str) -> str:
    """A table id or name as a valid sheet title: no []:*?/\\, at most 31 characters."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]
