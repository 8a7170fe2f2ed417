"""The Перечень точек взаимодействия → ``ctx.doc.touchpoints``.

Three shapes occur in the genre, tried in this order for every order/draft:

1. **A table** (Перечень as a grid). Columns are mapped by meaning, never by
   position (``touchpoint_table``, vocabulary ``vocab/columns.json``): the
   lemmas of the header ('Точки контакта', 'Цели обращения', 'Формат точки',
   'Адрес', 'Ответственный' …), and the content of the cells where the header
   is missing or unknown (channels → the touchpoint, 'цифровая'/'офлайн' →
   kind, lists of needs → needs, links/phones/addresses → contacts). A column
   that maps to nothing is kept in ``features`` and reported once. Group rows
   spanning the width set the kind / direction / service of the rows below.
   Text input gives ragged rows (a line that prints only its last cells,
   continuation lines with empty leading cells, page-break spills, group rows
   printed as lines without tabs); DOCX/PDF readers give full grids with
   merged cells repeated on every row. Both are walked by one state machine;
   every repair is a warning with a span.
2. **A list** under a heading "Перечень точек взаимодействия" (or "… точек
   контакта", "… каналов взаимодействия"), optionally split by paragraphs that
   state the kind ("Цифровые точки …:", "Офлайн точки", "1. Цифровые точки:"
   with items "1.1. …").
3. **Declared but absent**: the order approves a Перечень or says it is kept
   "по форме согласно приложению", yet the file holds neither → no
   touchpoints and a ``perechen_missing`` warning on the declaring clause.

Example (Северная Осетия 2026, row 4 of the table)::

    Touchpoint(row=4, name='Телефонная связь', channel='phone', kind='offline',
               kind_source='source', need_codes=['info', 'status', 'appointment'], ...)
"""

from __future__ import annotations

import re

from pipeline import normalize as nz
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.touchpoint_common import shorten
from pipeline.extract.touchpoint_list import find_lists
from pipeline.extract.touchpoint_spaces import space_tables
from pipeline.extract.touchpoint_table import SETTINGS, TableSettings, TableWalk  # noqa: F401  (re-exported)
from pipeline.nlp import markers

# ------------------------------------------------------------------- entry


def extract(ctx: Context) -> None:
    """Fill ``ctx.doc.touchpoints`` from the Перечень of this order or draft."""
    lines = ctx.lines
    lo, hi = ctx.sl.first_line, ctx.sl.last_line
    tables = [t for t in ctx.src.tables if lo <= t.first_line <= hi]
    walk = TableWalk(ctx)
    if ctx.src.format == "txt":  # a Перечень laid out with spaces (a PDF's text saved with its layout)
        taken = {no for t in ctx.src.tables for no in range(t.first_line, t.last_line + 1)}
        tables = sorted(tables + space_tables(lines, taken, walk.is_perechen_header), key=lambda t: t.first_line)
    ctx.doc.touchpoints.extend(walk.run(tables))
    ctx.doc.touchpoints.extend(find_lists(ctx, lines, tables, walk.recognized))
    if not ctx.doc.touchpoints:
        _warn_if_declared(ctx, lines)


# --------------------------------------------------------- declared, absent

# Clauses that declare a Перечень the file should hold, strongest first.
DECLARATIONS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (d["what"], re.compile(d["pattern"], re.IGNORECASE)) for d in markers("perechen_declarations")
)  # vocab/markers.json


def _warn_if_declared(ctx: Context, lines: list[Line]) -> None:
    found: list[tuple[int, str, Line]] = []
    cleaned = [nz.clean(ln.text) for ln in lines]
    whole = "\n".join(cleaned)  # a declaration inside a line is one in the whole text: most orders have none
    if not any(rx.search(whole) for _, rx in DECLARATIONS):
        return
    for ln, t in zip(lines, cleaned):
        for rank, (what, rx) in enumerate(DECLARATIONS):
            if rx.search(t):
                found.append((rank, what, ln))
                break
    if not found:
        return
    rank, what, ln = min(found, key=lambda f: (f[0], f[2].no))
    others = [f"line {f[2].no}" for f in found if f[2] is not ln]
    ctx.warn("perechen_missing",
             f"{what} (line {ln.no}: '{shorten(ln.clean, 90)}'), but the file holds no Перечень "
             f"(neither a table nor a list): no touchpoints extracted"
             + (f" (also declared at {', '.join(others)})" if others else ""),
             ctx.src.line_span(ln.no))
