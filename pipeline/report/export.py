"""Every file written for people to read: the comparison report (a
:class:`pipeline.report.build.Comparison` as HTML, XLSX and Markdown) and the
registry's flat tables (``registry export``: CSV, XLSX or JSON).

The HTML is one file: the CSS (``report.css``) is inlined and the charts are
inline SVG, so it opens offline and can be mailed as is.

Example::

    >>> write_report(build(load_dir("outputs")), "outputs/report")  # doctest: +SKIP
    [PosixPath('outputs/report/report.html'), PosixPath('outputs/report/report.xlsx'), PosixPath('outputs/report/report.md')]
    >>> with Store.open("outputs/registry.sqlite", must_exist=True) as store:  # doctest: +SKIP
    ...     export_registry(store, "outputs/registry.csv")
    [PosixPath('outputs/registry.csv'), PosixPath('outputs/registry.thresholds.csv')]
"""

from __future__ import annotations

import csv
import json
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ExportError, ReportError
from pipeline.jsonio import write_atomic
from pipeline.report.xlsx import sheet_title, write_workbook

if TYPE_CHECKING:
    from pipeline.store import Store

MARK_SYMBOL = {"strictest": " ▲", "loosest": " ▼"}
# XLSX fills per mark (ARGB without alpha)
MARK_FILL = {"strictest": "C9EBC9", "loosest": "F6CFCB", "stated": "E3F1E3", "stricter": "C9EBC9",
             "looser": "F6CFCB", "missing": "EEEEEE", "yes": "E8F0FA", "reference": "FBFBF4"}


def write_report(cmp, out_dir: str | Path, formats: tuple[str, ...] = ("html", "xlsx", "md")) -> list[Path]:
    """Write ``report.html``, ``report.xlsx`` and ``report.md`` into ``out_dir``."""
    out_dir = Path(out_dir)
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if "html" in formats:
            written.append(_write(out_dir / "report.html", render_html(cmp, out_dir)))
        if "xlsx" in formats:
            written.append(write_xlsx(cmp, out_dir / "report.xlsx"))
        if "md" in formats:
            written.append(_write(out_dir / "report.md", render_md(cmp)))
    except OSError as exc:
        raise ReportError(out_dir, f"cannot write the report: {exc.strerror or exc}") from None
    return written


def _write(path: Path, text: str) -> Path:
    write_atomic(path, text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)  # the atomic temp file is private; a report is meant to be shared
    return path


def _tables(cmp):
    yield cmp.overview
    for s in cmp.sections:
        yield from s.tables


def render_html(cmp, out_dir: Path) -> str:
    from jinja2 import Environment, StrictUndefined, select_autoescape

    pkg = resources.files("pipeline.report")
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined)  # a misspelt variable fails, not renders blank
    template = env.from_string(pkg.joinpath("report.html.j2").read_text(encoding="utf-8"))

    def href(cell) -> str | None:
        if not cell.href:
            return None
        target = Path(cell.href)
        if not target.is_absolute():
            target = Path.cwd() / target
        try:
            return os.path.relpath(target, out_dir.resolve())
        except ValueError:
            return target.as_uri()

    cards = [
        ("agencies", len(cmp.agencies)),
        ("orders and drafts", sum(len(a.versions) for a in cmp.agencies)),
        ("touchpoints in current registries", sum(len(a.registry.doc.touchpoints) for a in cmp.agencies if a.registry)),
        ("thresholds compared", sum(len(a.thresholds()) for a in cmp.agencies)),
        ("warnings to review", len(cmp.table("quality").rows)),
    ]
    return template.render(cmp=cmp, css=pkg.joinpath("report.css").read_text(encoding="utf-8"),
                           href=href, symbol=MARK_SYMBOL, cards=cards)


def write_xlsx(cmp, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for table in _tables(cmp):
        ws = wb.create_sheet(sheet_title(table.id))
        ws.append(table.columns)
        for c in ws[1]:
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDE5F0")
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            ws.append([_xlsx_value(c) for c in row])
            for c, cell in zip(ws[ws.max_row], row):
                if cell.mark in MARK_FILL:
                    c.fill = PatternFill("solid", fgColor=MARK_FILL[cell.mark])
                if cell.mark in MARK_SYMBOL:
                    c.font = Font(bold=cell.mark == "strictest")
                if cell.href:
                    c.hyperlink = cell.href
        if table.note:
            ws.append([])
            ws.append([table.note])
        ws.freeze_panes = "B2"
        for i, name in enumerate(table.columns, 1):
            width = max([len(str(name))] + [len(_xlsx_text(r[i - 1])) for r in table.rows[:300] if len(r) >= i])
            ws.column_dimensions[get_column_letter(i)].width = min(50, max(8, width + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _xlsx_value(cell):
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return cell.value
    if cell.parts:
        return _rich_diff(cell.parts)
    return _xlsx_text(cell)


def _rich_diff(parts):
    """A word diff as Excel rich text: removed words struck red, added underlined green."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    style = {"-": InlineFont(strike=True, color="C0392B"), "+": InlineFont(u="single", color="1E7B34")}
    blocks = []
    for i, (op, text) in enumerate(parts):
        text = (" " if i else "") + text
        blocks.append(TextBlock(style[op], text) if op in style else text)
    return CellRichText(blocks)


def _xlsx_text(cell) -> str:
    return cell.text + (MARK_SYMBOL.get(cell.mark, "") if cell.mark else "")


def _md_cell(cell) -> str:
    text = cell.text
    if cell.mark in MARK_SYMBOL:
        text = f"**{text}**{MARK_SYMBOL[cell.mark]}" if cell.mark == "strictest" else f"{text}{MARK_SYMBOL[cell.mark]}"
    if cell.html is not None:
        text = text.replace("[-", "~~").replace("-]", "~~").replace("{+", "**").replace("+}", "**")
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(table) -> list[str]:
    out = [f"**{table.title}**", ""]
    if not table.rows:
        return out + ["_Nothing to show._", ""]
    out.append("| " + " | ".join(c.replace("|", "\\|") for c in table.columns) + " |")
    out.append("|" + "---|" * len(table.columns))
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        out += ["", f"_{table.note}_"]
    return out + [""]


def render_md(cmp) -> str:
    out = ["# Comparison of agencies: client-centricity orders", ""]
    out += md_table(cmp.overview)
    for s in cmp.sections:
        out += [f"## {s.number}. {s.title}", "", s.intro, ""]
        for t in s.tables:
            out += md_table(t)
    out += ["---", "Vocabularies: " + ", ".join(f"{k} {v}" for k, v in sorted(cmp.vocab_versions.items())), ""]
    return "\n".join(out)


# ------------------------------------------------------------ registry export

EXPORT_COLUMNS = {
    "touchpoints": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                    "row", "row_label", "direction", "direction_code", "service", "name", "channel", "kind",
                    "needs", "need_codes", "features", "source_path", "doc_id", "line"],
    "thresholds": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                   "clause", "channel", "metric", "value", "unit", "comparator", "condition", "raw",
                   "source_path", "doc_id", "line"],
}


def export_registry(store: "Store", out: str | Path, fmt: str | None = None) -> list[Path]:
    """Write the current registry of all agencies in ``store`` (touchpoints)
    and their thresholds as flat tables. ``csv`` writes ``FILE`` and
    ``FILE-stem.thresholds.csv``; ``xlsx`` two sheets; ``json`` one object."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
    tables = {"touchpoints": store.current_registry(),
              "thresholds": [{k: _plain_number(v) for k, v in r.items()} for r in store.current_thresholds()]}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "json":
            out.write_text(json.dumps(tables, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            return [out]
        if fmt == "csv":
            second = out.with_name(f"{out.stem}.thresholds.csv")
            for path, rows, cols in ((out, tables["touchpoints"], EXPORT_COLUMNS["touchpoints"]),
                                     (second, tables["thresholds"], EXPORT_COLUMNS["thresholds"])):
                with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads Cyrillic
                    w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                    w.writeheader()
                    w.writerows(rows)
            return [out, second]
        if fmt == "xlsx":
            write_workbook(out, [(name, EXPORT_COLUMNS[name], [[r.get(c) for c in EXPORT_COLUMNS[name]] for r in rows])
                                 for name, rows in tables.items()])
            return [out]
    except OSError as exc:
        raise ExportError(out, f"cannot write: {exc.strerror or exc}") from None
    raise ExportError(out, f"unknown export format {fmt!r}", "use csv, xlsx or json")


def _plain_number(v):
    """5.0 → 5, so a CSV shows '5 working days' as printed, not '5.0'."""
    return int(v) if isinstance(v, float) and v.is_integer() else v
