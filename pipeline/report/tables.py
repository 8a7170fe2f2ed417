"""The report's building blocks: sections of tables of cells.

The section builders (``sections.py``, ``standard.py``, ``texts.py``,
``agencies.py``) fill them from the analysis in ``pipeline.compare``; the
writers in ``pipeline.report.export`` and ``pipeline.report.xlsx`` turn them
into HTML, XLSX and Markdown, so every format shows the same tables.

A cell may point at its source (:class:`Src`: the file, the document and the
line or page of the value); the writer turns it into a link relative to the
report (or into the review page's address when one is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Rows of one table in the HTML and Markdown reports: a batch of thousands of
# orders keeps a report a browser opens; every row is in the XLSX.
PAGE_ROWS = 500


@dataclass(frozen=True)
class Src:
    """Where a value sits: the source file, the document, the line and page."""

    path: str
    doc_id: str | None = None
    line: int | None = None
    page: int | None = None
    sha256: str | None = None
    fmt: str | None = None          # txt | docx | pdf | image


@dataclass
class Cell:
    text: str = ""
    value: Any = None            # the number, date or code behind the text (XLSX gets this; tables sort by it)
    mark: str | None = None      # compliant | stricter | looser | missing | other | yes | none | reference
    html: str | None = None      # rich HTML (word diffs), already escaped
    parts: list[tuple[str, str]] | None = None  # word diff as (op, words): '=', '-', '+'
    href: str | None = None      # a link as is (anchors inside the report)
    src: Src | None = None       # a link to the source, resolved by the writer
    title: str | None = None     # tooltip
    symbol: str = ""             # printed before the text (status symbols survive grey printing)


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    groups: list[tuple[str, int]] = field(default_factory=list)  # header row above columns: (label, span)
    codes: list[str | None] = field(default_factory=list)        # secondary label per column (vocabulary codes)
    head: list[list[Cell]] = field(default_factory=list)         # header rows below the column names (the standard)
    sheet: str = ""              # XLSX sheet name (≤ 31 characters); '' → the table id
    sortable: bool = False       # HTML: click a header to sort, a filter box above
    formats: tuple[str, ...] = ("html", "xlsx", "md")
    widths: dict[int, int] = field(default_factory=dict)          # XLSX column widths by index
    wide: tuple[int, ...] = ()   # HTML: columns that keep a readable width (names of agencies)
    page_rows: int = PAGE_ROWS   # HTML and Markdown show at most this many rows (XLSX: all)

    @property
    def shown(self) -> list[list[Cell]]:
        """The rows the HTML and Markdown show."""
        return self.rows[: self.page_rows]


@dataclass
class Section:
    id: str
    number: int
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    chart: str | None = None     # inline SVG
    legend: str = ""
    regions: list[Any] = field(default_factory=list)  # agencies.RegionGroup: cards per region (HTML)
    details: list[tuple[str, Table]] = field(default_factory=list)  # (summary, table) shown collapsed in HTML


def C(text: Any = "", **kw) -> Cell:
    """A cell showing any value as text (None → empty)."""
    if isinstance(text, Cell):
        return text
    return Cell("" if text is None else str(text), **kw)


def count_cell(n: int) -> Cell:
    """A count in a matrix: highlighted when non-zero, empty when zero."""
    return Cell(str(n), value=n, mark="yes") if n else Cell("", value=0)


def date_cell(iso: str | None, text: str) -> Cell:
    """A date shown as ``text`` with a real date behind it (XLSX date cell, sorting)."""
    try:
        value = date.fromisoformat(iso) if iso and len(iso) == 10 else None
    except ValueError:
        value = None
    return Cell(text, value=value)
