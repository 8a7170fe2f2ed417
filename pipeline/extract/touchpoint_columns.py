"""How the columns of a Перечень table get their roles: by the lemmas of the
header (vocab/columns.json), else by the content of the cells; the mapping is
recorded. A mixin of :class:`pipeline.extract.touchpoint_table.TableWalk`."""


from __future__ import annotations

import re

from pipeline import normalize as nz
from pipeline.document import Cell, Table
from pipeline.extract.touchpoint_common import (
    channel_cell,
    contact_cell,
    header_role,
    kind_cell,
    needs_cell,
    shorten,
)
from pipeline.extract.touchpoint_model import (
    CORE,
    IN_FEATURES,
    ROW_LABEL,
    TP_ROLES,
    Column,
    Layout,
)
from pipeline.nlp import lookalikes


class ColumnsMixin:
    """Column roles of a table (header lemmas, then cell content)."""

    def _role_of_header(self, text: str) -> str | None:
        t = (text or "").strip()
        if not t:
            return None
        if re.match(self.s.number_header, t, re.IGNORECASE):
            return "number"
        return header_role(t)

    def _roles_of(self, cells: list[Cell]) -> dict[str, int]:
        """Role → column of a header row, by the meaning of each header cell
        (the first column naming a role gets it)."""
        roles: dict[str, int] = {}
        for i, c in enumerate(cells):
            role = self._role_of_header(c.clean)
            if role is not None and role not in roles:
                roles[role] = i
        return roles

    def is_perechen_header(self, cells: list[Cell]) -> bool:
        """The row names a Перечень's columns (a touchpoint's name and one more role)."""
        return self._is_header(cells) is not None

    def _is_header(self, cells: list[Cell]) -> dict[str, int] | None:
        if any(len(c.text) > self.s.max_header_cell for c in cells):
            return None  # data, not a header: spares lemmatizing long needs cells
        roles = self._roles_of(cells)
        if "name" not in roles and "channel" in roles:
            roles["name"] = roles.pop("channel")  # "Канал взаимодействия" names the touchpoint
        if "name" in roles and len(roles) >= self.s.min_header_roles:
            return roles
        return None

    @staticmethod
    def _is_column_numbers(cells: list[Cell]) -> bool:
        """The row "1 2 3 4 5 6" under the header, also as OCR reads it
        ("1 2 З _ 5 6": a letter for a digit, a number lost)."""
        vals = [c.text.translate(str.maketrans(lookalikes("row_number_to_digit"))) for c in cells]
        if len(vals) < 2 or any(len(v) > 3 for v in vals):
            return False
        hits = sum(v.rstrip(".") == str(i) for i, v in enumerate(vals, 1))
        return hits >= max(2, (len(vals) * 2 + 2) // 3)

    def _header_layout(self, table: Table, hi: int, roles: dict[str, int]) -> Layout:
        """Columns of a table whose header the vocabulary reads; a column whose
        header cell is empty or unknown is decided by its content."""
        hdr = table.rows[hi]
        data = self._data_rows(table.rows[hi + 1 :], len(hdr))
        cols: list[Column] = []
        fixed: dict[int, str] = {i: r for r, i in roles.items()}
        for i, c in enumerate(hdr):
            if i in fixed:
                cols.append(Column(i, fixed[i], "header", c.text, c))
        unknown = [i for i in range(len(hdr)) if i not in fixed]
        for i in unknown:
            role = self._role_of_header(hdr[i].clean)
            if role is not None:  # a second column of a role already taken
                cols.append(Column(i, role, "header", hdr[i].text, hdr[i]))
        decided = self._decide_by_content(data, len(hdr), {c.index: c.role for c in cols},
                                          [i for i in unknown if i not in {c.index for c in cols}])
        for i, (role, why) in decided.items():
            cols.append(Column(i, role, "content" if role not in ("unmapped", "empty") else "none",
                                hdr[i].text or None, hdr[i] if hdr[i].text else None, why))
        return self._keyed(cols, table)

    def _content_layout(self, table: Table) -> tuple[Layout, int] | None:
        """A table the vocabulary does not recognize as a Перечень: read it as
        one when its content says so — a column that mostly names channels (or
        a header naming the touchpoint) and a column of needs or of kinds. The
        first row is a header when its cells do not look like the data below."""
        width = max(len(r) for r in table.rows)
        if width < 2:
            return None
        first = table.rows[0]
        for hi in ((0, None) if len(first) == width else (None,)):
            rows = table.rows[1:] if hi == 0 else table.rows
            data = self._data_rows(rows, width)
            if not data:
                continue
            fixed: dict[int, str] = {}
            cols: list[Column] = []
            if hi == 0:
                if any(len(c.text) > self.s.max_header_cell for c in first):
                    continue
                for i, c in enumerate(first):
                    role = self._role_of_header(c.clean)
                    if role is not None:
                        fixed[i] = role
                        cols.append(Column(i, role, "header", c.text, c))
                if "name" not in fixed.values() and "channel" in fixed.values():
                    i = next(i for i, r in fixed.items() if r == "channel")
                    fixed[i] = "name"  # "Канал взаимодействия" names the touchpoint
                    next(c for c in cols if c.index == i).role = "name"
            free = [i for i in range(width) if i not in fixed]
            decided = self._decide_by_content(data, width, fixed, free)
            for i, (role, why) in decided.items():
                hc = first[i] if hi == 0 and first[i].text else None
                cols.append(Column(i, role, "content" if role not in ("unmapped", "empty") else "none",
                                    hc.text if hc is not None else None, hc, why))
            roles = {c.role: c for c in cols}
            name = roles.get("name")
            if name is None:
                continue
            if hi == 0 and name.how == "content" and channel_cell(first[name.index].clean):
                continue  # the first row names a channel: it is data, not a header
            evidence = {"needs", "kind"} & set(roles)
            named = {r for r in roles if r not in ("number", "unmapped", "empty")}
            if not evidence and not (name.how == "header" and len(named) >= 2):
                continue
            return self._keyed(cols, table), (1 if hi == 0 else 0)
        return None

    def _data_rows(self, rows: list[list[Cell]], width: int) -> list[list[Cell]]:
        return [r for r in rows if len(r) == width and not self._is_column_numbers(r)
                and not self._is_header(r) and self._group_of(r, width, None) is None]

    def _decide_by_content(self, data: list[list[Cell]], width: int, fixed: dict[int, str],
                           free: list[int]) -> dict[int, tuple[str, str]]:
        """Role of each free column from its cells: (role, evidence)."""
        def values(i: int) -> list[str]:
            seen, out = set(), []
            for r in data:
                c = r[i]
                if c.text and c.start not in seen:  # a merged cell counts once
                    seen.add(c.start)
                    out.append(c.clean)
            return out

        def share(vals: list[str], test) -> tuple[float, int]:
            hits = sum(1 for v in vals if test(v))
            return (hits / len(vals) if vals else 0.0), hits

        taken = set(fixed.values())
        out: dict[int, tuple[str, str]] = {}
        vals = {i: values(i) for i in free}
        left = [i for i in free if vals[i]]
        for i in free:
            if not vals[i]:
                out[i] = ("empty", "no cells")
        # the № column
        for i in list(left):
            sh, n = share(vals[i], lambda v: bool(ROW_LABEL.match(v)))
            if "number" not in taken and sh >= self.s.content_share_number:
                out[i] = ("number", f"{n} of {len(vals[i])} cells are row numbers")
                taken.add("number")
                left.remove(i)
        # the touchpoint: the column that names channels most
        name_at = next((i for i, r in fixed.items() if r in ("name", "channel")), None)
        if name_at is None:
            best = max(left, key=lambda i: share(vals[i], channel_cell)[0], default=None)
            if best is not None:
                sh, n = share(vals[best], channel_cell)
                if sh >= self.s.content_share:
                    out[best] = ("name", f"{n} of {len(vals[best])} cells name a channel")
                    taken.add("name")
                    left.remove(best)
                    name_at = best
        for i in left:
            v = vals[i]
            tests = (("kind", lambda x: kind_cell(x) is not None, "state the kind (цифровая / офлайн)"),
                     ("contacts", contact_cell, "are addresses, phones, links or hours"),
                     ("needs", needs_cell, "list client needs"))
            for role, test, what in tests:
                if role in taken and role != "contacts":
                    continue
                if role == "needs" and name_at is not None and i < name_at:
                    continue
                sh, n = share(v, test)
                if sh >= self.s.content_share:
                    out[i] = (role, f"{n} of {len(v)} cells {what}")
                    taken.add(role)
                    break
            else:
                if name_at is not None and i < name_at:
                    # text left of the touchpoint: the direction when it names one, else the service
                    sh, n = share(v, lambda x: nz.direction_of(x).code != "other")
                    if "direction" not in taken and (sh >= self.s.content_share or "service" in taken):
                        role = "direction"
                    elif "service" not in taken:
                        role = "service"
                    elif "direction" not in taken:
                        role = "direction"
                    else:
                        role = None
                    if role is not None:
                        why = (f"{n} of {len(v)} cells name a direction of activity" if role == "direction" and n
                               else "text left of the touchpoint column")
                        out[i] = (role, why)
                        taken.add(role)
                        continue
                out[i] = ("unmapped", "")
        return out

    def _keyed(self, cols: list[Column], table: Table) -> Layout:
        """Give each column the key its cells go under: the core role for the
        first column of that role, a kept-in-features key for the rest."""
        cols.sort(key=lambda c: c.index)
        have: set[str] = set()
        if not any(c.role == "name" for c in cols):
            for c in cols:
                if c.role == "channel":
                    c.role = "name"  # "Канал взаимодействия" names the touchpoint
                    break
        for c in cols:
            if c.role in CORE and c.role not in have:
                c.key = c.role
                have.add(c.role)
            else:
                self._kept_n += 1
                c.key = f"x{self._kept_n}"
        return Layout(cols, table.first_line, table.last_line)

    def _report_layout(self, layout: Layout) -> None:
        """Say how the columns were mapped when any was decided by content or
        kept in features for want of a role; a column with no role is
        reported once per table (an empty column without a header, such as
        the one a trailing tab makes, is no column)."""
        span = self.ctx.src.line_span(layout.first_line, layout.last_line)
        blank = [c for c in layout.columns if c.role == "empty" and not c.header]
        if any(c not in blank and (c.how != "header" or (c.key.startswith("x") and c.role not in IN_FEATURES))
               for c in layout.columns):
            self.ctx.warn("table_columns_mapped",
                          f"columns of the Перечень table at lines {layout.first_line}–{layout.last_line}: "
                          + "; ".join(c.describe() for c in layout.columns), span, severity="info")
        for c in layout.columns:
            if c.role in IN_FEATURES or c.key == c.role or c in blank:
                continue
            what = f"'{c.header}'" if c.header else f"column {c.index + 1} (no header)"
            role = "its role is taken by another column" if c.role in CORE else "it maps to no role"
            self.ctx.warn("column_unmapped",
                          f"{what} of the Перечень table at lines {layout.first_line}–{layout.last_line}: {role}; "
                          f"its cells are kept in features" + (f" as '{shorten(c.header, 40)}: …'" if c.header else ""),
                          self.ctx.src.cell_span(c.header_cell) if c.header_cell is not None else span)

    def _map(self, cells: list[Cell]) -> dict[str, Cell]:
        width = len(self.header)
        n = len(cells)
        if n > width:
            extra = [c for c in cells[width:] if c.text]
            if extra:
                self.ctx.warn("table_cell_unplaced",
                              f"line {cells[0].line}: {len(extra)} cell(s) beyond the {width} header columns: "
                              f"'{shorten(' | '.join(c.text for c in extra))}'; not placed",
                              self.ctx.src.span(extra[0].start, extra[-1].end))
            cells = cells[:width]
            offset = 0
        elif n < width and cells[0].text and not ROW_LABEL.match(cells[0].text):
            offset = width - n  # a line printing only its last cells
            self.ragged.append((cells[0], n))
        else:
            offset = 0
        if offset == 0:
            self._flush_ragged()
        out = {role: cells[i - offset] for role, i in self.columns.items() if 0 <= i - offset < n}
        for col in self._kept():
            if 0 <= col.index - offset < n:
                out[col.key] = cells[col.index - offset]
        return out

    def _kept(self) -> list[Column]:
        return self.layout.kept if self.layout is not None else []

    def _tp_roles(self) -> tuple[str, ...]:
        """Roles a touchpoint holds a cell of: the core ones and the columns kept in features."""
        return TP_ROLES + tuple(c.key for c in self._kept())
