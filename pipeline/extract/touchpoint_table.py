"""The Перечень as a table: columns found by header text on lemmas, ragged
text rows and full reader grids walked by one state machine; every repair is a
warning with a span. Tunables live in :class:`TableSettings`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline import normalize as nz
from pipeline.document import Cell, Table
from pipeline.extract.touchpoint_common import make_touchpoint, shorten
from pipeline.models import Touchpoint
from pipeline.nlp import get_morph, lookalikes, markers

# ----------------------------------------------------------------- settings


@dataclass(frozen=True)
class TableSettings:
    """Tunables of the table walk, named in one place (recorded in messages)."""

    # column roles, tried in this order on each header cell's lemmas; the first
    # role whose phrase occurs in the cell wins (so "особенности взаимодействия
    # … офлайн-точках" is features, not the touchpoint column)
    # (vocab/markers.json, "touchpoint_columns")
    roles: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=lambda: tuple(
        (r["role"], tuple(r["phrases"])) for r in markers("touchpoint_columns")))
    number_header: str = r"^(?:№|N|No|Nо)(?:\s*№)?\s*(?:п\s*/\s*п)?\.?$|^п\s*/\s*п$|^номер"
    min_header_roles: int = 3  # a header names the touchpoint column and at least 2 more
    max_header_cell: int = 200  # characters; a longer cell is data
    # a features cell states the kind ("Цифровая точка") only when it is this short
    kind_in_features_max_words: int = 5
    # rows of a header-less table may continue the Перечень table above when the
    # gap between them holds at most this many non-blank lines
    continuation_gap_lines: int = 3


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

    def add(self, role: str, cell: Cell | None) -> None:
        if cell is not None and cell.text:
            self.cells.setdefault(role, []).append(cell)

    def text(self, role: str) -> str:
        return " ".join(c.text for c in self.cells.get(role, []))

    def all_cells(self) -> list[Cell]:
        return [c for cs in self.cells.values() for c in cs]


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

    # -- header
    def _roles_of(self, cells: list[Cell]) -> dict[str, int]:
        roles: dict[str, int] = {}
        for i, c in enumerate(cells):
            t = c.clean
            if not t:
                continue
            if re.match(self.s.number_header, t, re.I):
                roles.setdefault("number", i)
                continue
            lem = f" {nz.lemma_key(t)} "
            for role, phrases in self.s.roles:
                if any(f" {p} " in lem for p in phrases):
                    if role not in roles:
                        roles[role] = i
                    break
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
        for table in tables:
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
                self.columns, self.header = header, [c.text for c in table.rows[start - 1]]
                self.row, self.carried = None, None
            elif not (self.columns and prev_end is not None and self._continues(prev_end, table)):
                prev_end = None
                continue  # not a Перечень table (another fact family's grid)
            self.merged = table.merged
            self.recognized.add(table.first_line)
            self._learn_style(table.rows[start:])
            for cells in table.rows[start:]:
                self._row(cells)
            self._flush_ragged()
            prev_end = table.last_line
        return self._finish()

    def _continues(self, prev_end: int, table: Table) -> bool:
        """A header-less grid right after the Перечень (a page split in text
        form): the lines between are reported, the rows continue the table."""
        gap = [ln for ln in self.ctx.src.lines[prev_end : table.first_line - 1] if ln.text.strip()]
        if len(gap) > self.s.continuation_gap_lines or max(len(r) for r in table.rows) != len(self.header):
            return False
        for ln in gap:
            self.ctx.warn("table_line_unplaced",
                          f"line {ln.no} inside the Перечень table has no cells: '{shorten(ln.text)}'; not placed",
                          self.ctx.src.line_span(ln.no))
        self.ctx.warn("table_continued",
                      f"the grid at lines {table.first_line}–{table.last_line} has no header; read as a continuation "
                      f"of the Перечень table above", self.ctx.src.line_span(table.first_line, table.last_line),
                      severity="info")
        return True

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
        return {role: cells[i - offset] for role, i in self.columns.items() if 0 <= i - offset < n}

    def _row(self, cells: list[Cell]) -> None:
        here = _own_cell(cells)  # merged cells carried down keep the line they were printed on
        if self._is_column_numbers(cells):
            return
        if self._is_header(cells):
            self.ctx.warn("table_header_repeated",
                          f"line {here.line}: the header row repeats (page break); skipped",
                          self.ctx.src.cell_span(here), severity="info")
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
                self.row = _Row(None, number=number)
            else:
                self.row = _Row(label)
                self.carried = None
            self.rows.append((self.row, here))
            for role in ("direction", "service"):
                if role in m and m[role].text:
                    self.row.cells[role] = [m[role]]
        else:
            if self.row is None:
                self.row = _Row(None)
                self.rows.append((self.row, here))
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
        rest = [m[r] for r in ("features", "kind", "channel") if r in m and m[r].text]
        if not ((name and name.text) or (needs and needs.text) or rest):
            return
        prev = self.tps[-1] if self.tps else None
        signals = self._spill_signals(prev, m) if prev is not None else []
        if prev is not None and self._is_spill(prev, m, signals):
            for role in ("name", "needs", "features", "kind", "channel"):
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
            for role in ("needs", "features", "kind", "channel"):
                prev.add(role, m.get(role))
            frag = [m[r] for r in ("needs", "features", "kind", "channel") if r in m and m[r].text]
            frag.sort(key=lambda c: c.start)
            self.ctx.warn("table_fragment_joined",
                          f"line {frag[0].line}: cells without a touchpoint name ('{shorten(frag[0].text)}') "
                          f"continue the touchpoint above ('{shorten(prev.text('name'))}'); joined",
                          self.ctx.src.span(frag[0].start, frag[-1].end))
            return
        if self.merged and prev is not None and prev.row is self.row and prev.text("name") == name.text \
                and all(prev.text(r) == m[r].text for r in ("kind", "features") if r in m and m[r].text):
            # one touchpoint whose cell is merged over several needs rows
            for role in ("needs", "features", "kind", "channel"):
                c = m.get(role)
                if c is not None and c.text and c.text not in [x.text for x in prev.cells.get(role, [])]:
                    prev.add(role, c)
            return
        tp = _TP(self.row)
        for role in ("name", "needs", "features", "kind", "channel"):
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
            kind_text = tp.text("kind") if "kind" in self.columns else None
            feat = tp.text("features") or None
            if not kind_text and feat and len(feat.split()) <= self.s.kind_in_features_max_words:
                kind_text = feat
            out.append(make_touchpoint(
                self.ctx, name=name, name_raw=name_raw, row=tp.row, needs_text=tp.text("needs"),
                features=feat, kind_text=kind_text, channel_text=tp.text("channel") or None,
                cells=tp.all_cells(), source="table"))
        return out


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
