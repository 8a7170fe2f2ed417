"""Every file written for people to read: the comparison report (a
:class:`pipeline.report.build.Comparison` as HTML, XLSX and Markdown) and the
registry's flat tables (``registry export``: CSV, XLSX or JSON).

The HTML is one file: the CSS (``report.css``) and a small script
(``report.js``: sort and filter the ranking tables, open collapsed blocks for
printing) are inlined and the charts are inline SVG, so it opens offline, can
be mailed as is and stays readable without scripts. The CSS is marked safe
(Jinja's autoescape would turn its quotes into ``&#34;`` and the browser
would drop the font rule).

Example::

    >>> write_report(build(load_dir("outputs")), "outputs/report")  # doctest: +SKIP
    [PosixPath('outputs/report/report.html'), PosixPath('outputs/report/report.xlsx'), PosixPath('outputs/report/report.md')]
    >>> with Store.open("outputs/registry.sqlite", must_exist=True) as store:  # doctest: +SKIP
    ...     export_registry(store, "outputs/registry.csv", sep=";")
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
from pipeline.report.i18n import Lang
from pipeline.report.links import Linker
from pipeline.report.safe import csv_text, md_text
from pipeline.report.xlsx import sheet_name, write_tables, write_workbook

if TYPE_CHECKING:
    from pipeline.store import Store


def write_report(cmp, out_dir: str | Path, formats: tuple[str, ...] = ("html", "xlsx", "md"),
                 review_url: str | None = None, progress=None) -> list[Path]:
    """Write ``report.html``, ``report.xlsx`` and ``report.md`` into ``out_dir``."""
    out_dir = Path(out_dir)
    say = progress or (lambda stage, done, total: None)
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        linker = Linker(out_dir, review_url)
        if "html" in formats:
            say("html", 0, 1)
            written.append(_write(out_dir / "report.html", render_html(cmp, linker)))
        if "xlsx" in formats:
            say("xlsx", 0, 1)
            written.append(write_tables(out_dir / "report.xlsx", [t for t in cmp.tables() if "xlsx" in t.formats],
                                        linker.href))
        if "md" in formats:
            say("md", 0, 1)
            written.append(_write(out_dir / "report.md", render_md(cmp, linker)))
    except OSError as exc:
        raise ReportError(out_dir, f"cannot write the report: {exc.strerror or exc}") from None
    return written


def _write(path: Path, text: str) -> Path:
    write_atomic(path, text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)  # the atomic temp file is private; a report is meant to be shared
    return path


def render_html(cmp, linker: Linker) -> str:
    from jinja2 import Environment, StrictUndefined, select_autoescape
    from markupsafe import Markup

    pkg = resources.files("pipeline.report")
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined)  # a misspelt variable fails, not renders blank
    template = env.from_string(pkg.joinpath("report.html.j2").read_text(encoding="utf-8"))
    L = cmp.lang
    agencies = cmp.agencies
    n_items = len(cmp.standings.items) * len(agencies)
    met = sum(cmp.standings.score(a)["met"] for a in agencies)
    cards = [
        (len(agencies), L("card.agencies")),
        (len({a.region for a in agencies if a.region}), L("card.regions")),
        (sum(len(a.versions) for a in agencies), L("card.versions")),
        (sum(len(a.registry.doc.touchpoints) for a in agencies if a.registry), L("card.touchpoints")),
        (f"{round(100 * met / n_items) if n_items else 0} %", L("card.met")),
        (sum(r[0] for r in _warning_counts(cmp)), L("card.warnings")),
    ]
    vocab = ", ".join(f"{k} {v}" for k, v in sorted(cmp.vocab_versions.items()))

    def href(cell) -> str | None:
        return cell.href or linker.href(cell.src)

    return template.render(
        cmp=cmp, L=L, cards=cards, href=href, link=linker.href, sortv=_sort_value, footer=L("footer", vocab=vocab),
        sheet=sheet_name,
        # inlined as they are: Jinja would escape quotes in CSS and the browser would drop the rule
        css=Markup(pkg.joinpath("report.css").read_text(encoding="utf-8")),
        script=Markup(pkg.joinpath("report.js").read_text(encoding="utf-8")))


STATUS_ORDER = {"stricter": 0, "compliant": 1, "other": 2, "looser": 3, "missing": 4}


def _sort_value(cell):
    """What a sortable column sorts by: numbers and ISO dates as they are, statuses by rank."""
    v = cell.value
    if isinstance(v, str) and v in STATUS_ORDER:
        return STATUS_ORDER[v]
    if isinstance(v, float):
        return f"{v:g}"
    return v


def _warning_counts(cmp):
    t = cmp.table("quality_summary")
    return [(r[2].value or 0,) for r in t.rows]


def _md_cell(cell, linker: Linker | None = None) -> str:
    """A cell as Markdown: document text escaped (:func:`pipeline.report.safe.md_text`:
    no raw HTML, links or emphasis from an order), the word diff struck and bold."""
    text = md_text((cell.symbol + " " if cell.symbol else "") + cell.text)
    if cell.parts:
        text = " ".join(md_text(t) if op == "=" else f"~~{md_text(t)}~~" if op == "-" else f"**{md_text(t)}**"
                        for op, t in cell.parts)
    url = linker.href(cell.src) if linker and cell.src else None
    return f"[{text}]({url})" if url and text else text


def md_table(table, linker: Linker | None = None, lang=None) -> list[str]:
    out = [f"**{md_text(table.title)}**", ""]
    if not table.rows:
        return out + ["_—_", ""]
    out.append("| " + " | ".join(md_text(c) for c in table.columns) + " |")
    out.append("|" + "---|" * len(table.columns))
    for head in table.head:
        out.append("| " + " | ".join(f"_{_md_cell(c)}_" if c.text else "" for c in head) + " |")
    out += ["| " + " | ".join(_md_cell(c, linker) for c in row) + " |" for row in table.shown]
    if len(table.shown) < len(table.rows):
        lang = lang or Lang("ru")
        out += ["", f"_{md_text(lang('n.first_rows', n=len(table.shown), total=len(table.rows), sheet=sheet_name(table)))}_"]
    if table.note:
        out += ["", f"_{md_text(table.note)}_"]
    return out + [""]


def render_md(cmp, linker: Linker | None = None) -> str:
    L = cmp.lang
    out = [f"# {L('title')}", "", L("subtitle"), ""]
    for s in cmp.sections:
        out += [f"## {s.number}. {s.title}", "", s.intro, ""]
        if s.legend:
            out += [f"_{s.legend}_", ""]
        for t in s.tables:
            if "md" in t.formats:
                out += md_table(t, linker, L)
    out += ["---", L("footer", vocab=", ".join(f"{k} {v}" for k, v in sorted(cmp.vocab_versions.items()))), ""]
    return "\n".join(out)


# ------------------------------------------------------------ registry export

EXPORT_COLUMNS = {
    "touchpoints": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                    "row", "row_label", "direction", "direction_code", "service", "name", "channel", "kind",
                    "needs", "need_codes", "features", "source_path", "doc_id", "line", "corrected"],
    "thresholds": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                   "clause", "channel", "metric", "value", "unit", "comparator", "condition", "raw",
                   "source_path", "doc_id", "line", "corrected"],
}


def export_registry(store: "Store", out: str | Path, fmt: str | None = None, sep: str = ",") -> list[Path]:
    """Write the current registry of all agencies in ``store`` (touchpoints)
    and their thresholds as flat tables. ``csv`` writes ``FILE`` and
    ``FILE-stem.thresholds.csv`` (``sep=";"`` with decimal commas for Excel in
    a Russian locale); ``xlsx`` two sheets; ``json`` one object."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
    # the analyst's corrections are part of the registry (pipeline.review): 'corrected' names what changed
    from pipeline.review.registry import reviewed_registry, reviewed_thresholds

    tables = {"touchpoints": reviewed_registry(store),
              "thresholds": [{k: _plain_number(v) for k, v in r.items()} for r in reviewed_thresholds(store)]}
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
                    w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", delimiter=sep)
                    w.writeheader()
                    w.writerows([_csv_row(r, sep) for r in rows])
            return [out, second]
        if fmt == "xlsx":
            write_workbook(out, [(name, EXPORT_COLUMNS[name], [[r.get(c) for c in EXPORT_COLUMNS[name]] for r in rows])
                                 for name, rows in tables.items()])
            return [out]
    except OSError as exc:
        raise ExportError(out, f"cannot write: {exc.strerror or exc}") from None
    raise ExportError(out, f"unknown export format {fmt!r}", "use csv, xlsx or json")


def _csv_row(row: dict, sep: str) -> dict:
    """Document text that a spreadsheet would run as a formula gets a leading ``'``
    (:func:`pipeline.report.safe.csv_text`); with ';' as separator Excel expects
    decimal commas (a Russian locale): 2.5 → '2,5'."""
    if sep != ";":
        return {k: csv_text(v) for k, v in row.items()}
    return {k: (str(v).replace(".", ",") if isinstance(v, float) else csv_text(v)) for k, v in row.items()}


def _plain_number(v):
    """5.0 → 5, so a CSV shows '5 working days' as printed, not '5.0'."""
    return int(v) if isinstance(v, float) and v.is_integer() else v
