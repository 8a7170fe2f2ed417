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

import re
from dataclasses import dataclass, field

from pipeline import normalize as nz
from pipeline.document import Cell, Line, Table
from pipeline.extract.touchpoint_common import (
    Group,
    channel_cell,
    columns_vocab,
    contact_cell,
    dash_items,
    group_heading,
    header_role,
    is_need,
    kind_cell,
    kind_statement,
    make_touchpoint,
    needs_cell,
    shorten,
)
from pipeline.models import Touchpoint
from pipeline.nlp import get_morph, lookalikes

# ----------------------------------------------------------------- settings


@dataclass(frozen=True)
class TableSettings:
    """Tunables of the table walk, named in one place (recorded in messages)."""

    # the № column (vocab/columns.json, "number_header"); the other roles come
    # from the same file through touchpoint_common.header_role
    number_header: str = field(default_factory=lambda: columns_vocab()["number_header"])
    min_header_roles: int = 3  # a header names the touchpoint column and at least 2 more
    max_header_cell: int = 200  # characters; a longer cell is data
    # a features cell states the kind ("Цифровая точка") only when it is this short
    kind_in_features_max_words: int = 5
    # rows of a header-less table may continue the Перечень table above when the
    # gap between them holds at most this many non-blank lines
    continuation_gap_lines: int = 3
    # share of a column's cells that must look like a role to give it that role
    content_share: float = field(default_factory=lambda: columns_vocab()["content"]["share"])
    content_share_number: float = field(default_factory=lambda: columns_vocab()["content"]["share_number"])


SETTINGS = TableSettings()

_ROW_LABEL = re.compile(r"^(\d+)(?:\.\d+)*\s*[.):;,]?$")  # "1.", "1)", "1"; OCR: "3:", "3,"
# letters OCR reads in place of digits in a column-number row
_TERMINAL = (".", ";", "!", "?", ":", ")", "»", '"')


# ------------------------------------------------------------------- table


@dataclass
class _Row:
    label: str | None  # as printed; None when the № cell was not read
    cells: dict[str, list[Cell]] = field(default_factory=dict)  # direction / service
    number: int | None = None  # from the label, or inferred when the label was lost

    def __post_init__(self) -> None:
        if self.number is None and self.label and (m := _ROW_LABEL.match(self.label.translate(str.maketrans(lookalikes("row_number_to_digit"))))):
            self.number = int(m.group(1))

    def text(self, role: str) -> str | None:
        t = " ".join(c.text for c in self.cells.get(role, []) if c.text)
        return t or None


@dataclass
class _TP:
    row: _Row
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    joined_name: bool = False
    table: _Layout | None = None  # the column layout of the table it was read from
    group_kind: Cell | None = None  # the group row above that states the kind ("Офлайн-точки")

    def add(self, role: str, cell: Cell | None) -> None:
        if cell is not None and cell.text:
            self.cells.setdefault(role, []).append(cell)

    def text(self, role: str) -> str:
        return " ".join(c.text for c in self.cells.get(role, []))

    def all_cells(self) -> list[Cell]:
        return [c for cs in self.cells.values() for c in cs]


# roles a touchpoint has one cell of per row; "number", "direction" and "service" belong to the row
_TP_ROLES = ("name", "needs", "features", "kind", "channel")
_CORE = ("number", "direction", "service") + _TP_ROLES
_IN_FEATURES = ("responsible", "contacts")  # kept in features under their header


@dataclass
class _Column:
    index: int
    role: str  # a core role, "responsible", "contacts" or "unmapped"
    how: str  # "header" | "content" | "none"
    header: str | None  # the header cell as printed (None: no header row)
    header_cell: Cell | None = None
    why: str = ""  # the content evidence
    key: str = ""  # key of its cells in _TP.cells: the role, or "x<n>" for a column kept in features

    def describe(self) -> str:
        head = f"'{shorten(self.header, 40)}'" if self.header else "(no header)"
        role = {"unmapped": "no role, kept in features", "empty": "no role (no cells)"}.get(self.role, self.role)
        if self.role in _IN_FEATURES:
            role += ", kept in features"
        how = {"header": "by header", "content": f"by content: {self.why}", "none": "neither header nor content"}[self.how]
        return f"{self.index + 1} {head} → {role} ({how})"


@dataclass(eq=False)
class _Layout:
    """How the columns of one table (and its continuations) map to roles."""

    columns: list[_Column]
    first_line: int
    last_line: int
    needs_from: list[str] = field(default_factory=list)  # touchpoints whose needs came from a dash list

    @property
    def core(self) -> dict[str, int]:
        return {c.role: c.index for c in self.columns if c.key == c.role}

    @property
    def kept(self) -> list[_Column]:
        return [c for c in self.columns if c.key.startswith("x")]


class TableWalk:
    """Walks the Перечень table(s) of one document, row by row."""

    def __init__(self, ctx, settings: TableSettings = SETTINGS):
        self.ctx = ctx
        self.s = settings
        self.columns: dict[str, int] | None = None  # role -> column index
        self.header: list[str] = []
        self.row: _Row | None = None
        self.tps: list[_TP] = []
        self.rows: list[tuple[_Row, Cell]] = []  # every row opened, with its first cell
        self.ragged: list[tuple[Cell, int]] = []  # run of right-aligned short lines
        self.merged = False  # the current grid repeats merged cells on every row
        self.recognized: set[int] = set()  # first lines of the grids read as the Перечень
        self.carried: str | None = None  # a № value repeated below its row (lost rule in a scan)
        self.capitalized: dict[str, bool] = {}  # role -> the table starts these cells with a capital
        self.kind_filled = False  # the kind (or features) column is filled in most rows
        self.layout: _Layout | None = None  # the column layout of the current table
        self.group: dict[str, Cell] = {}  # direction / service set by a group row
        self.group_kind: Cell | None = None  # kind set by a group row ("Цифровые точки взаимодействия")
        self.group_label: str | None = None  # "1." of a group row "1. Предоставление государственных услуг"
        self._kept_n = 0  # counter for the keys of columns kept in features
        self.group_floor = 0  # touchpoints read before the last group row
        self._sources: dict[int, list[int]] = {}  # stitched table → first lines of the grids it joins

    # -- header
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

    def _begin(self, table: Table, layout: _Layout, start: int) -> None:
        """A new Перечень table: its layout, a fresh row and group context."""
        self.layout = layout
        self.columns = layout.core
        width = max(len(r) for r in table.rows)
        hdr = table.rows[start - 1] if start else None
        self.header = [c.text for c in hdr] if hdr is not None else [""] * width
        self.row, self.carried = None, None
        self.group, self.group_kind, self.group_label = {}, None, None
        self._report_layout(layout)

    def _continues(self, prev_end: int, table: Table) -> bool:
        """A header-less grid right after the Перечень (a page split in text
        form): the lines between are reported (a group heading among them sets
        the group of the rows below), the rows continue the table."""
        gap = [ln for ln in self.ctx.src.lines[prev_end : table.first_line - 1] if ln.text.strip()]
        groups = {ln.no: g for ln in gap if (g := self._strong_group(ln.clean)) is not None}
        noise = [ln for ln in gap if ln.no not in groups]
        if len(noise) > self.s.continuation_gap_lines or max(len(r) for r in table.rows) != len(self.header):
            return False
        for ln in noise:
            self.ctx.warn("table_line_unplaced",
                          f"line {ln.no} inside the Перечень table has no cells: '{shorten(ln.text)}'; not placed",
                          self.ctx.src.line_span(ln.no))
        self.ctx.warn("table_continued",
                      f"the grid at lines {table.first_line}–{table.last_line} has no header; read as a continuation "
                      f"of the Перечень table above", self.ctx.src.line_span(table.first_line, table.last_line),
                      severity="info")
        for ln in gap:
            if ln.no in groups:
                self._set_group(groups[ln.no], _line_cell(ln))
        if self.layout is not None:
            self.layout.last_line = table.last_line
        return True

    # -- stitching text tables split by group lines
    def _stitch(self, tables: list[Table]) -> list[Table]:
        """Text prints a group row spanning the table as a line without tabs,
        and a one-row part as a lone tab line (no grid of its own): join the
        grids split that way, take a header printed alone above a grid, and
        the lone rows after it, so that the walk sees one table."""
        self._sources = {}
        lo, hi = self.ctx.sl.first_line, self.ctx.sl.last_line
        in_table = {n for t in tables for n in range(t.first_line, t.last_line + 1)}
        out: list[Table] = []
        headed: set[int] = set()  # ids of the grids with a Перечень header of their own (or above)
        for t in tables:
            width = max(len(r) for r in t.rows)
            own_header = any(self._is_header(r) for r in t.rows[:4])
            if out and not own_header and id(out[-1]) in headed and width == max(len(r) for r in out[-1].rows):
                extra = self._bridge(out[-1].last_line + 1, t.first_line - 1, width)
                if extra is not None:
                    prev = out.pop()
                    joined = Table(prev.rows + extra + t.rows, prev.first_line, t.last_line, prev.merged or t.merged)
                    self._sources[id(joined)] = self._sources.pop(id(prev), [prev.first_line]) + [t.first_line]
                    out.append(joined)
                    headed.add(id(joined))
                    continue
            if not own_header:
                above = self._header_above(t, width, lo, in_table)
                if above is not None:
                    rows, first = above
                    joined = Table(rows + t.rows, first, t.last_line, t.merged)
                    self._sources[id(joined)] = [t.first_line]
                    t = joined
                    own_header = True
            if own_header:
                headed.add(id(t))
            out.append(t)
        # lone rows (and group lines) right after a grid
        for k, t in enumerate(out):
            if id(t) not in headed:
                continue
            nxt = out[k + 1].first_line if k + 1 < len(out) else hi + 1
            width = max(len(r) for r in t.rows)
            tail, last = self._tail(t.last_line + 1, min(nxt - 1, hi), width, in_table)
            if tail:
                joined = Table(t.rows + tail, t.first_line, last, t.merged)
                self._sources[id(joined)] = self._sources.pop(id(t), [t.first_line])
                out[k] = joined
        return out

    def _bridge(self, a: int, b: int, width: int) -> list[list[Cell]] | None:
        """Rows for lines a..b between two grids when they hold only blank
        lines, group headings and lone tab lines of the grid's width (None
        otherwise, or when there is nothing to bridge)."""
        rows: list[list[Cell]] = []
        seen_group = False
        for ln in self.ctx.src.lines[a - 1 : b]:
            if not ln.text.strip():
                continue
            if "\t" in ln.text:
                cells = _cells_of_line(ln)
                if len(cells) > width:
                    return None
                rows.append(cells)
            elif self._strong_group(ln.clean) is not None:
                rows.append([_line_cell(ln)])
                seen_group = True
            else:
                return None
        return rows if seen_group else None

    def _header_above(self, t: Table, width: int, lo: int, in_table: set[int]):
        """A header row printed alone above a grid (a one-line table is no
        grid in text), with group headings between: (rows, first line)."""
        groups: list[list[Cell]] = []
        k = t.first_line - 1
        while k >= lo and len(groups) <= self.s.continuation_gap_lines:
            ln = self.ctx.src.lines[k - 1]
            if k in in_table:
                return None
            if not ln.text.strip():
                k -= 1
                continue
            if "\t" in ln.text:
                cells = _cells_of_line(ln)
                if len(cells) == width and self._is_header(cells):
                    return [cells] + groups[::-1], k
                return None
            if self._strong_group(ln.clean) is None:
                return None
            groups.append([_line_cell(ln)])
            k -= 1
        return None

    def _tail(self, a: int, b: int, width: int, in_table: set[int]) -> tuple[list[list[Cell]], int]:
        """Group headings followed by lone tab lines right after a grid."""
        rows: list[list[Cell]] = []
        pending: list[list[Cell]] = []
        last = a - 1
        for ln in self.ctx.src.lines[a - 1 : b]:
            if ln.no in in_table:
                break
            if not ln.text.strip():
                continue
            if "\t" in ln.text and pending:
                cells = _cells_of_line(ln)
                if len(cells) > width:
                    break
                rows += pending + [cells]
                pending = []
                last = ln.no
            elif "\t" not in ln.text and self._strong_group(ln.clean) is not None:
                pending.append([_line_cell(ln)])
            else:
                break
        return rows, last

    # -- layouts
    def _header_layout(self, table: Table, hi: int, roles: dict[str, int]) -> _Layout:
        """Columns of a table whose header the vocabulary reads; a column whose
        header cell is empty or unknown is decided by its content."""
        hdr = table.rows[hi]
        data = self._data_rows(table.rows[hi + 1 :], len(hdr))
        cols: list[_Column] = []
        fixed: dict[int, str] = {i: r for r, i in roles.items()}
        for i, c in enumerate(hdr):
            if i in fixed:
                cols.append(_Column(i, fixed[i], "header", c.text, c))
        unknown = [i for i in range(len(hdr)) if i not in fixed]
        for i in unknown:
            role = self._role_of_header(hdr[i].clean)
            if role is not None:  # a second column of a role already taken
                cols.append(_Column(i, role, "header", hdr[i].text, hdr[i]))
        decided = self._decide_by_content(data, len(hdr), {c.index: c.role for c in cols},
                                          [i for i in unknown if i not in {c.index for c in cols}])
        for i, (role, why) in decided.items():
            cols.append(_Column(i, role, "content" if role not in ("unmapped", "empty") else "none",
                                hdr[i].text or None, hdr[i] if hdr[i].text else None, why))
        return self._keyed(cols, table)

    def _content_layout(self, table: Table) -> tuple[_Layout, int] | None:
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
            cols: list[_Column] = []
            if hi == 0:
                if any(len(c.text) > self.s.max_header_cell for c in first):
                    continue
                for i, c in enumerate(first):
                    role = self._role_of_header(c.clean)
                    if role is not None:
                        fixed[i] = role
                        cols.append(_Column(i, role, "header", c.text, c))
                if "name" not in fixed.values() and "channel" in fixed.values():
                    i = next(i for i, r in fixed.items() if r == "channel")
                    fixed[i] = "name"  # "Канал взаимодействия" names the touchpoint
                    next(c for c in cols if c.index == i).role = "name"
            free = [i for i in range(width) if i not in fixed]
            decided = self._decide_by_content(data, width, fixed, free)
            for i, (role, why) in decided.items():
                hc = first[i] if hi == 0 and first[i].text else None
                cols.append(_Column(i, role, "content" if role not in ("unmapped", "empty") else "none",
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
            sh, n = share(vals[i], lambda v: bool(_ROW_LABEL.match(v)))
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

    def _keyed(self, cols: list[_Column], table: Table) -> _Layout:
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
            if c.role in _CORE and c.role not in have:
                c.key = c.role
                have.add(c.role)
            else:
                self._kept_n += 1
                c.key = f"x{self._kept_n}"
        return _Layout(cols, table.first_line, table.last_line)

    def _report_layout(self, layout: _Layout) -> None:
        """Say how the columns were mapped when any was decided by content or
        kept in features for want of a role; a column with no role is
        reported once per table (an empty column without a header, such as
        the one a trailing tab makes, is no column)."""
        span = self.ctx.src.line_span(layout.first_line, layout.last_line)
        blank = [c for c in layout.columns if c.role == "empty" and not c.header]
        if any(c not in blank and (c.how != "header" or (c.key.startswith("x") and c.role not in _IN_FEATURES))
               for c in layout.columns):
            self.ctx.warn("table_columns_mapped",
                          f"columns of the Перечень table at lines {layout.first_line}–{layout.last_line}: "
                          + "; ".join(c.describe() for c in layout.columns), span, severity="info")
        for c in layout.columns:
            if c.role in _IN_FEATURES or c.key == c.role or c in blank:
                continue
            what = f"'{c.header}'" if c.header else f"column {c.index + 1} (no header)"
            role = "its role is taken by another column" if c.role in _CORE else "it maps to no role"
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
        elif n < width and cells[0].text and not _ROW_LABEL.match(cells[0].text):
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

    def _kept(self) -> list[_Column]:
        return self.layout.kept if self.layout is not None else []

    def _tp_roles(self) -> tuple[str, ...]:
        """Roles a touchpoint holds a cell of: the core ones and the columns kept in features."""
        return _TP_ROLES + tuple(c.key for c in self._kept())

    # -- group rows
    def _strong_group(self, text: str) -> Group | None:
        """A group heading that needs no position to be one: it states the
        kind, carries a section number, or names a direction of activity."""
        g = group_heading(text)
        if g is None:
            return None
        if g.what == "kind" or g.label or nz.direction_of(g.text).code != "other":
            return g
        return None

    def _group_of(self, cells: list[Cell], width: int, columns: dict[str, int] | None):
        """(group, cell, column) when the row is a group row: one cell spanning
        the width (merged), or the only filled cell of the row in its first
        column, or a heading that needs no position (_strong_group)."""
        filled = [c for c in cells if c.text]
        # one cell, or one merged cell carried over several columns (the same
        # span from a DOCX, the same text from other readers)
        if not filled or width < 2 or (len({c.start for c in filled}) != 1 and len({c.text for c in filled}) != 1):
            return None
        c = filled[0]
        idx = next(i for i, x in enumerate(cells) if x.text)
        g = group_heading(c.clean)
        if g is None:
            return None
        if len(filled) >= 2:  # one merged cell carried over several columns
            return g, c, None
        if len(cells) == width:
            if idx == 0 and (columns or {}).get("name") != 0:
                return g, c, idx
            return (g, c, idx) if self._strong_group(c.clean) else None
        # a text line printing one cell
        return (g, c, None) if idx == 0 and self._strong_group(c.clean) else None

    def _set_group(self, g: Group, cell: Cell, column: int | None = None) -> None:
        """A group row: sets the kind, direction or service of the rows below."""
        self._flush_ragged()
        off = cell.text.find(g.text)
        sub = Cell(g.text, cell.start + off, cell.start + off + len(g.text), cell.line, cell.page) if off >= 0 else cell
        at = {i: r for r, i in self.columns.items()}.get(column) if column is not None and self.columns else None
        if g.what == "kind":
            self.group_kind = sub
            what = f"the kind ({g.kind})"
        else:
            if at in ("direction", "service"):
                target = at
            elif g.level >= 2:
                target = "service"
            elif "direction" not in self.columns:
                target = "direction"
            elif "service" not in self.columns:
                target = "service"
            else:
                target = "direction"
            if target == "direction":
                self.group, self.group_kind, self.group_label = {"direction": sub}, None, g.label
            else:
                self.group["service"] = sub
                self.group_label = g.label or self.group_label
            what = f"the {target}"
        self.row, self.carried = None, None
        self.group_floor = len(self.tps)
        self.ctx.warn("table_group_row",
                      f"line {cell.line}: '{shorten(g.text)}' is a group row: it sets {what} of the rows below "
                      f"and is not a touchpoint", self.ctx.src.cell_span(sub), severity="info")

    def _open_row(self, label: str | None, number: int | None = None) -> _Row:
        row = _Row(label, number=number)
        for role, cell in self.group.items():
            row.cells[role] = [cell]
        return row

    def _row(self, cells: list[Cell]) -> None:
        here = _own_cell(cells)  # merged cells carried down keep the line they were printed on
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
            starts = bool(label) and (self.row is None or _label_key(label) not in
                                      (_label_key(self.row.label), _label_key(self.carried)))
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
                f"line {spilled[0].line}: {what} printed on the line of row {_label_key(self.row.label) or '?'} "
                f"continue the last touchpoint of row {_label_key(prev.row.label) or '?'} ('{prev_name}'): "
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
        tp = _TP(self.row, table=self.layout, group_kind=self.group_kind)
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

    def _spill_signals(self, prev: _TP, m: dict[str, Cell]) -> list[str]:
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
        if prev.text("needs") and _ends_mid_phrase(prev.text("needs")):
            out.append("the needs cell above ends mid-phrase")
        return out

    def _is_spill(self, prev: _TP, m: dict[str, Cell], sig: list[str]) -> bool:
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
                      f"{_label_key(self.row.label) if self.row else '?'}",
                      self.ctx.src.line_span(first.line, last.line), severity="info")
        self.ragged = []

    def _unplaced(self, cells: list[Cell], why: str) -> None:
        cells = [c for c in cells if c.text]
        if cells:
            self.ctx.warn("table_cell_unplaced", f"line {cells[0].line}: {why}: '{shorten(cells[0].text)}'; not placed",
                          self.ctx.src.span(cells[0].start, cells[-1].end))

    # -- output
    def _canonical_names(self) -> dict[str, str]:
        """lemma key → the printed form of a name used most often in the table
        (ties: the first printed); names joined from a spill never win, since
        their join is ours, not the document's."""
        forms: dict[str, dict[str, int]] = {}
        for tp in self.tps:
            name = tp.text("name")
            counts = forms.setdefault(nz.lemma_key(name), {})
            counts.setdefault(name, 0)
            if not tp.joined_name:
                counts[name] += 1
        return {key: max(counts, key=lambda f: counts[f]) for key, counts in forms.items() if len(counts) > 1}

    def _finish(self) -> list[Touchpoint]:
        out = []
        for row, first in self.rows:
            if not any(tp.row is row for tp in self.tps):
                cells = [c for cs in row.cells.values() for c in cs] or [first]
                self.ctx.warn("table_row_empty",
                              f"row {_label_key(row.label) or '?'} (line {first.line}) has no touchpoint of its own",
                              self.ctx.src.span(min(c.start for c in cells), max(c.end for c in cells)))
        canonical = self._canonical_names()
        for tp in self.tps:
            name_raw = tp.text("name")
            name = canonical.get(nz.lemma_key(name_raw), name_raw)
            if name != name_raw:
                how = ("joined name" if tp.joined_name else "name")
                self.ctx.warn("table_name_normalized",
                              f"{how} '{name_raw}' equals '{name}' printed elsewhere in the table by lemmas; "
                              f"that printed form is used as the name (the raw one is kept in name_raw)",
                              self.ctx.src.span(tp.cells["name"][0].start, tp.cells["name"][-1].end),
                              severity="info")
            layout = tp.table
            core = layout.core if layout is not None else self.columns or {}
            kind_text = tp.text("kind") if "kind" in core else None
            feat = tp.text("features") or None
            needs_text = tp.text("needs")
            if "needs" not in core and feat:
                feat, needs_text = self._needs_in_features(tp, name, feat, needs_text)
            if not kind_text and feat and len(feat.split()) <= self.s.kind_in_features_max_words \
                    and nz.kind_of(feat):
                kind_text = feat
            if not kind_text and feat:
                kind_text = kind_statement(feat)  # "Офлайн-точка. Прием по предварительной записи"
            if not kind_text and tp.group_kind is not None:
                kind_text = tp.group_kind.text  # the group row "Офлайн-точки" above
            out.append(make_touchpoint(
                self.ctx, name=name, name_raw=name_raw, row=tp.row, needs_text=needs_text,
                features=self._features(tp, feat), kind_text=kind_text, channel_text=tp.text("channel") or None,
                cells=tp.all_cells(), source="table"))
        for layout in dict.fromkeys(tp.table for tp in self.tps if tp.table is not None and tp.table.needs_from):
            col = next((c for c in layout.columns if c.key == "features"), None)
            head = f"'{shorten(col.header, 40)}'" if col is not None and col.header else "features"
            self.ctx.warn("table_needs_in_column",
                          f"the Перечень table at lines {layout.first_line}–{layout.last_line} has no needs column; "
                          f"the needs of {len(layout.needs_from)} touchpoint(s) ("
                          f"{', '.join(repr(shorten(n, 30)) for n in layout.needs_from[:3])}"
                          f"{', …' if len(layout.needs_from) > 3 else ''}) are read from the dash list in the {head} "
                          f"column", self.ctx.src.line_span(layout.first_line, layout.last_line), severity="info")
        return out

    def _needs_in_features(self, tp: _TP, name: str, feat: str, needs_text: str) -> tuple[str | None, str]:
        """No needs column: needs printed as a dash list in the column that
        describes the procedure ('Направляет обращение через форму: - получение
        ответа; - запись на прием'). The prose before the list stays in
        features (a label such as 'Удовлетворяемые потребности:' dropped)."""
        prose, items = dash_items(feat)
        if not items or sum(map(is_need, items)) * 2 < len(items):
            return feat, needs_text
        prose = prose.rstrip(":").strip()
        last = re.split(r"(?<=[.;])\s+", prose)[-1] if prose else ""
        if last and self._role_of_header(last.rstrip(":")) == "needs":
            prose = prose[: len(prose) - len(last)].strip()
        if tp.table is not None:
            tp.table.needs_from.append(name)
        return prose.rstrip(" .;:,").strip() or None, "; ".join(items)

    def _features(self, tp: _TP, feat: str | None) -> str | None:
        """The features cell, then every column kept in features as
        'header: value' (contacts, responsible, columns with no role)."""
        parts = [feat] if feat else []
        for col in (tp.table.kept if tp.table is not None else []):
            text = tp.text(col.key)
            if text:
                head = (col.header or "").strip().rstrip(":").strip()
                parts.append(f"{head}: {text}" if head else text)
        return "; ".join(parts) or None


def _own_cell(cells: list[Cell]) -> Cell:
    """The cell printed on this row's own line (merged cells carried down from
    the rows above keep their first line)."""
    filled = [c for c in cells if c.text] or cells
    return max(filled, key=lambda c: (c.line, c.start))


def _label_key(label: str | None) -> str | None:
    return label.rstrip(".)").strip() if label else None


def _ends_mid_phrase(text: str) -> bool:
    """'… в том числе о ходе' ends mid-phrase: no closing punctuation and the
    last word is a function word or the noun right after a preposition."""
    t = text.rstrip()
    if not t or t.endswith(_TERMINAL):
        return False
    words = re.findall(r"[^\W\d_]+", t)
    if not words:
        return False
    pos = [get_morph().parse(w.lower())[0].tag.POS for w in words[-2:]]
    return pos[-1] in ("PREP", "CONJ", "PRCL") or (len(pos) == 2 and pos[0] == "PREP")


def _line_cell(ln: Line) -> Cell:
    """A whole text line (a group heading printed without tabs) as one cell."""
    text = ln.text.strip()
    lead = len(ln.text) - len(ln.text.lstrip())
    return Cell(text, ln.start + lead, ln.start + lead + len(text), ln.no, ln.page)


def _cells_of_line(ln: Line) -> list[Cell]:
    """The cells of a tab line that no grid holds (a one-row part of a table)."""
    cells, pos = [], ln.start
    for part in ln.text.split("\t"):
        lead = len(part) - len(part.lstrip())
        t = part.strip()
        cells.append(Cell(t, pos + lead, pos + lead + len(t), ln.no, ln.page))
        pos += len(part) + 1
    return cells
