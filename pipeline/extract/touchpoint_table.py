"""The Перечень as a table: columns mapped by meaning, ragged text rows and
full reader grids walked by one state machine; every repair is a warning with
a span. Tunables live in :class:`TableSettings`.

How a column gets its role (``vocab/columns.json``):

1. **By header**: the lemmas of the header cell against the column vocabulary
   ('Точки контакта', 'Способы (формы) обращения' → the touchpoint; 'Цели
   обращения', 'Что получает клиент' → needs; 'Тип', 'Формат точки' → kind;
   'Адрес', 'Режим работы' → contacts; 'Ответственный' → responsible …).
2. **By content**, for a column whose header is missing or unknown (a table
   with no header row, a header the vocabulary does not know): cells that
   mostly name a channel → the touchpoint; mostly 'цифровая'/'офлайн' → kind;
   mostly URLs, phones, addresses, hours → contacts; mostly lists of needs
   ('получение …', 'подача …', dash lists) → needs; text columns left of the
   touchpoint → direction, then service.
3. Nothing → the column is kept in ``features`` under its header and reported
   once (``column_unmapped``). Contacts and responsible are kept in
   ``features`` too. When a column was decided by content or left unmapped,
   ``table_columns_mapped`` (info) records every column's role and how.

Merged or missing columns: needs printed as a dash list inside the column that
describes the procedure (when there is no needs column), the kind stated in a
clause of the features column, no direction column. Group rows spanning the
width ('Цифровые точки взаимодействия', '1. Предоставление государственных
услуг') set the kind / direction / service of the rows below and are never a
touchpoint; in text they may be printed as a line without tabs between two
parts of the table."""

from __future__ import annotations

from pipeline import normalize as nz
from pipeline.document import Cell, Table
from pipeline.extract.touchpoint_columns import ColumnsMixin
from pipeline.extract.touchpoint_common import (
    shorten,
)
from pipeline.extract.touchpoint_finish import FinishMixin
from pipeline.extract.touchpoint_groups import GroupsMixin
from pipeline.extract.touchpoint_model import (
    SETTINGS,
    Layout,
    Row,
    TableSettings,
    TPDraft,
    ends_mid_phrase,
    label_key,
    own_cell,
)
from pipeline.extract.touchpoint_stitch import StitchMixin
from pipeline.models import Touchpoint

# ------------------------------------------------------------------- table


class TableWalk(ColumnsMixin, StitchMixin, GroupsMixin, FinishMixin):
    """Walks the Перечень table(s) of one document, row by row."""

    def __init__(self, ctx, settings: TableSettings = SETTINGS):
        self.ctx = ctx
        self.s = settings
        self.columns: dict[str, int] | None = None  # role -> column index
        self.header: list[str] = []
        self.row: Row | None = None
        self.tps: list[TPDraft] = []
        self.rows: list[tuple[Row, Cell]] = []  # every row opened, with its first cell
        self.ragged: list[tuple[Cell, int]] = []  # run of right-aligned short lines
        self.merged = False  # the current grid repeats merged cells on every row
        self.recognized: set[int] = set()  # first lines of the grids read as the Перечень
        self.carried: str | None = None  # a № value repeated below its row (lost rule in a scan)
        self.capitalized: dict[str, bool] = {}  # role -> the table starts these cells with a capital
        self.kind_filled = False  # the kind (or features) column is filled in most rows
        self.layout: Layout | None = None  # the column layout of the current table
        self.group: dict[str, Cell] = {}  # direction / service set by a group row
        self.group_kind: Cell | None = None  # kind set by a group row ("Цифровые точки взаимодействия")
        self.group_label: str | None = None  # "1." of a group row "1. Предоставление государственных услуг"
        self._kept_n = 0  # counter for the keys of columns kept in features
        self.group_floor = 0  # touchpoints read before the last group row
        self._sources: dict[int, list[int]] = {}  # stitched table → first lines of the grids it joins

    # -- header


    # -- walk
    def run(self, tables: list[Table]) -> list[Touchpoint]:
        prev_end: int | None = None
        for table in self._stitch(tables):
            start = 0
            header = None
            for i, r in enumerate(table.rows[:4]):
                header = self._is_header(r)
                if header:
                    start = i + 1
                    for skipped in table.rows[:i]:
                        self._unplaced(skipped, "a line above the Перечень header")
                    break
            if header:
                table, header = self._with_sub_header(table, start - 1, header)
                self._begin(table, self._header_layout(table, start - 1, header), start)
            elif self.columns and prev_end is not None and self._continues(prev_end, table):
                pass
            else:
                by_content = self._content_layout(table)
                if by_content is None:
                    prev_end = None
                    continue  # not a Перечень table (another fact family's grid)
                layout, start = by_content
                self._begin(table, layout, start)
            self.merged = table.merged
            self.recognized.update(self._sources.get(id(table), [table.first_line]))
            self._learn_style(table.rows[start:])
            for cells in table.rows[start:]:
                self._row(cells)
            self._flush_ragged()
            prev_end = table.last_line
        return self._finish()

    def _with_sub_header(self, table: Table, hi: int, roles: dict[str, int]) -> tuple[Table, dict[str, int]]:
        """A header printed over two rows: a cell merged across columns
        ('Точка взаимодействия' over 'Наименование' | 'Тип'), the other cells
        merged down. The second row names the columns under the merged cell;
        the two rows become one header row, and the data starts after them."""
        rows = table.rows
        if hi + 1 >= len(rows) or len(rows[hi + 1]) != len(rows[hi]):
            return table, roles
        top, sub = rows[hi], rows[hi + 1]
        merged_across = {i for i in range(len(top)) if top[i].text and any(
            0 <= j < len(top) and top[j].text == top[i].text for j in (i - 1, i + 1))}
        named = [i for i in merged_across if sub[i].text and sub[i].text != top[i].text]
        if not named:
            return table, roles
        for i, c in enumerate(sub):
            if c.text != top[i].text and (len(c.text) > self.s.max_header_cell or any(ch.isdigit() for ch in c.text)
                                          or (c.text and i not in merged_across)):
                return table, roles  # a data row, not the header's second line
        combined = list(top)
        for i in named:  # 'Тип' alone says the role; 'Наименование' says it under its 'Точка взаимодействия'
            c = sub[i]
            combined[i] = c if self._role_of_header(c.clean) else Cell(
                f"{top[i].text} {c.text}", c.start, c.end, c.line, c.page, c.bbox)
        new_roles = self._is_header(combined)
        if not new_roles:
            return table, roles
        return Table([*rows[:hi], combined, *rows[hi + 2 :]], table.first_line, table.last_line, table.merged), new_roles

    def _begin(self, table: Table, layout: Layout, start: int) -> None:
        """A new Перечень table: its layout, a fresh row and group context."""
        self.layout = layout
        self.columns = layout.core
        width = max(len(r) for r in table.rows)
        hdr = table.rows[start - 1] if start else None
        self.header = [c.text for c in hdr] if hdr is not None else [""] * width
        self.row, self.carried = None, None
        self.group, self.group_kind, self.group_label = {}, None, None
        self._report_layout(layout)


    # -- stitching text tables split by group lines


    # -- layouts


    # -- group rows


    def _open_row(self, label: str | None, number: int | None = None) -> Row:
        row = Row(label, number=number)
        for role, cell in self.group.items():
            row.cells[role] = [cell]
        return row

    def _row(self, cells: list[Cell]) -> None:
        here = own_cell(cells)  # merged cells carried down keep the line they were printed on
        if self._is_column_numbers(cells):
            return
        if self._is_header(cells):
            self.ctx.warn("table_header_repeated",
                          f"line {here.line}: the header row repeats (page break); skipped",
                          self.ctx.src.cell_span(here), severity="info")
            return
        grp = self._group_of(cells, len(self.header), self.columns)
        if grp is not None:
            self._set_group(*grp)
            return
        m = self._map(cells)
        label = m["number"].text if "number" in m and m["number"].text else None
        inferred = False
        if "number" in self.columns:
            starts = bool(label) and (self.row is None or label_key(label) not in
                                      (label_key(self.row.label), label_key(self.carried)))
            if not starts and self.row is not None and self._service_changes(m):
                starts = inferred = True  # the № cell was lost or carried from the row above
        else:  # no row numbers: a new direction or service value opens a row
            starts = self.row is None or self._service_changes(m, need_name=False)
        if starts:
            if inferred:
                number = self.row.number + 1 if self.row.number is not None else None
                changed = next(m[r] for r in ("service", "direction") if self._changes(m, r))
                self.ctx.warn("table_row_number_inferred",
                              f"line {changed.line}: '{shorten(changed.text)}' differs from the row above but the № "
                              f"cell {repr(label) + ' repeats it' if label else 'is empty'}; read as a new row"
                              + (f" numbered {number} (not printed)" if number else ""),
                              self.ctx.src.cell_span(changed))
                self.carried = label or self.row.label or self.carried
                self.row = self._open_row(None, number=number)
            else:
                self.row = self._open_row(label)
                self.carried = None
            self.rows.append((self.row, here))
            for role in ("direction", "service"):
                if role in m and m[role].text:
                    self.row.cells[role] = [m[role]]
        else:
            if self.row is None:
                self.row = self._open_row(self.group_label)
                self.rows.append((self.row, here))
                if self.group_label is None:
                    self.ctx.warn("table_row_unnumbered", f"line {here.line}: data before any numbered row",
                                  self.ctx.src.cell_span(here))
            for role in ("direction", "service"):
                self._carry(role, m.get(role))
        self._content(m)

    def _changes(self, m: dict[str, Cell], role: str) -> bool:
        c = m.get(role)
        have = self.row.text(role) if self.row is not None else None
        return bool(c is not None and c.text and have and not c.text[:1].islower()
                    and nz.lemma_key(c.text) != nz.lemma_key(have))

    def _service_changes(self, m: dict[str, Cell], need_name: bool = True) -> bool:
        """A line whose service (or direction) differs from its row's starts a
        new row; a lower-case or name-less fragment is the rest of a cell."""
        if need_name and not (m.get("name") and m["name"].text):
            return False
        return any(self._changes(m, r) for r in ("service", "direction"))

    def _carry(self, role: str, cell: Cell | None) -> None:
        """A direction/service cell on a continuation line: a merged value
        repeated (full grids) or the rest of a cell split by a page break."""
        if cell is None or not cell.text:
            return
        have = self.row.cells.setdefault(role, [])
        if any(nz.lemma_key(c.text) == nz.lemma_key(cell.text) for c in have):
            return
        if have:
            self.ctx.warn("table_fragment_joined",
                          f"line {cell.line}: '{shorten(cell.text)}' continues the {role} cell of row "
                          f"{self.row.label or '?'}; joined", self.ctx.src.cell_span(cell))
        have.append(cell)

    def _kind_cell_role(self) -> str | None:
        return "kind" if "kind" in self.columns else ("features" if "features" in self.columns else None)

    def _content(self, m: dict[str, Cell]) -> None:
        name, needs = m.get("name"), m.get("needs")
        roles = self._tp_roles()
        others = tuple(r for r in roles if r not in ("name", "needs"))
        rest = [m[r] for r in others if r in m and m[r].text]
        if not ((name and name.text) or (needs and needs.text) or rest):
            return
        # a group row in between: the touchpoints above belong to another group
        prev = self.tps[-1] if len(self.tps) > self.group_floor else None
        signals = self._spill_signals(prev, m) if prev is not None else []
        if prev is not None and self._is_spill(prev, m, signals):
            for role in roles:
                prev.add(role, m.get(role))
            prev.joined_name = prev.joined_name or bool(name and name.text)
            spilled = [c for c in (name, needs, *rest) if c is not None and c.text]
            what = " + ".join(f"'{shorten(c.text)}'" for c in (name, needs) if c is not None and c.text)
            prev_name = shorten(prev.cells["name"][0].text) if "name" in prev.cells else ""
            self.ctx.warn(
                "table_spill_joined",
                f"line {spilled[0].line}: {what} printed on the line of row {label_key(self.row.label) or '?'} "
                f"continue the last touchpoint of row {label_key(prev.row.label) or '?'} ('{prev_name}'): "
                f"{', '.join(signals)}; joined to it",
                self.ctx.src.span(min(c.start for c in spilled), max(c.end for c in spilled)))
            return
        if not (name and name.text):
            if prev is None:
                self._unplaced(list(m.values()), "cells with no touchpoint name and no touchpoint above")
                return
            for role in roles[1:]:
                prev.add(role, m.get(role))
            frag = [m[r] for r in roles[1:] if r in m and m[r].text]
            frag.sort(key=lambda c: c.start)
            self.ctx.warn("table_fragment_joined",
                          f"line {frag[0].line}: cells without a touchpoint name ('{shorten(frag[0].text)}') "
                          f"continue the touchpoint above ('{shorten(prev.text('name'))}'); joined",
                          self.ctx.src.span(frag[0].start, frag[-1].end))
            return
        if self.merged and prev is not None and prev.row is self.row and prev.text("name") == name.text \
                and all(prev.text(r) == m[r].text for r in ("kind", "features") if r in m and m[r].text):
            # one touchpoint whose cell is merged over several needs rows
            for role in roles[1:]:
                c = m.get(role)
                if c is not None and c.text and c.text not in [x.text for x in prev.cells.get(role, [])]:
                    prev.add(role, c)
            return
        tp = TPDraft(self.row, table=self.layout, group_kind=self.group_kind)
        for role in roles:
            tp.add(role, m.get(role))
        self.tps.append(tp)

    def _learn_style(self, rows: list[list[Cell]]) -> None:
        """How this table writes its cells, so that a spill signal means
        something here: a table that starts every need in lower case, or
        leaves the kind column mostly empty, gives no signal by doing so."""
        width = len(self.header)
        full = [r for r in rows if len(r) == width and not self._is_column_numbers(r)]

        def share(role: str, test) -> float:
            i = self.columns.get(role)
            vals = [r[i].text for r in full if i is not None and r[i].text] if i is not None else []
            return sum(map(test, vals)) / len(vals) if vals else 0.0

        self.capitalized = {r: share(r, lambda t: t[:1].isupper()) >= 0.5 for r in ("name", "needs")}
        kr = self._kind_cell_role()
        i = self.columns.get(kr) if kr else None
        self.kind_filled = bool(full) and i is not None and \
            sum(bool(r[i].text) for r in full) / len(full) >= 0.8

    def _spill_signals(self, prev: TPDraft, m: dict[str, Cell]) -> list[str]:
        """General signs that a line's cells finish the touchpoint above (a
        page-break spill) rather than start a new one."""
        out = []
        name, needs = m.get("name"), m.get("needs")
        if needs is not None and needs.text[:1].islower() and self.capitalized.get("needs"):
            out.append("the needs cell starts in lower case")
        if name is not None and name.text[:1].islower() and self.capitalized.get("name"):
            out.append("the name cell starts in lower case")
        kr = self._kind_cell_role()
        if kr and self.kind_filled and not (m.get(kr) and m[kr].text) and prev.text(kr):
            out.append(f"the {kr} cell is empty")
        if prev.text("needs") and ends_mid_phrase(prev.text("needs")):
            out.append("the needs cell above ends mid-phrase")
        return out

    def _is_spill(self, prev: TPDraft, m: dict[str, Cell], sig: list[str]) -> bool:
        """A spill needs a cell starting in lower case and one more signal."""
        lower = any("lower case" in s for s in sig)
        if lower and len(sig) >= 2:
            return True
        if lower:
            c = m.get("needs") or m.get("name")
            self.ctx.warn("table_suspect_spill",
                          f"line {c.line}: {sig[0]}, but no other sign of a spill; kept as its own touchpoint",
                          self.ctx.src.cell_span(c))
        return False

    def _flush_ragged(self) -> None:
        if not self.ragged:
            return
        first, n = self.ragged[0]
        last = self.ragged[-1][0]
        width = len(self.header)
        cols = ", ".join(self.header[width - n :])
        self.ctx.warn("table_row_ragged",
                      f"lines {first.line}–{last.line} print only the last {n} of {width} cells; placed in columns "
                      f"{width - n + 1}–{width} ({shorten(cols, 80)}) of row "
                      f"{label_key(self.row.label) if self.row else '?'}",
                      self.ctx.src.line_span(first.line, last.line), severity="info")
        self.ragged = []

    def _unplaced(self, cells: list[Cell], why: str) -> None:
        cells = [c for c in cells if c.text]
        if cells:
            self.ctx.warn("table_cell_unplaced", f"line {cells[0].line}: {why}: '{shorten(cells[0].text)}'; not placed",
                          self.ctx.src.span(cells[0].start, cells[-1].end))

    # -- output


