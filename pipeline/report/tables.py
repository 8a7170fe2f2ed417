"""The report's building blocks: sections of tables of cells.

The section builders (``pipeline.report.sections``) fill them from the
analysis in ``pipeline.compare``; the writers in ``pipeline.report.export``
turn them into HTML, XLSX and Markdown, so every format shows the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    text: str = ""
    value: Any = None            # the number or code behind the text (XLSX gets this)
    mark: str | None = None      # strictest | loosest | stated | stricter | looser | missing | yes | none
    html: str | None = None      # rich HTML (word diffs), already escaped
    parts: list[tuple[str, str]] | None = None  # word diff as (op, words): '=', '-', '+'
    href: str | None = None
    title: str | None = None     # tooltip


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    groups: list[tuple[str, int]] = field(default_factory=list)  # header row above columns: (label, span)


@dataclass
class Section:
    id: str
    number: int
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    chart: str | None = None     # inline SVG


def C(text: Any = "", **kw) -> Cell:
    """A cell showing any value as text (None → empty)."""
    if isinstance(text, Cell):
        return text
    return Cell("" if text is None else str(text), **kw)


def count_cell(n: int) -> Cell:
    """A count in a matrix: highlighted when non-zero, empty when zero."""
    return Cell(str(n), value=n, mark="yes") if n else Cell("", value=0)
