"""Joining the parts of one Перечень printed as several tables (a page break,
a group row or a header between them). A mixin of
:class:`pipeline.extract.touchpoint_table.TableWalk`."""


from __future__ import annotations

from pipeline.document import Cell, Table
from pipeline.extract.touchpoint_common import (
    shorten,
)
from pipeline.extract.touchpoint_model import (
    cells_of_line,
    line_cell,
)


class StitchMixin:
    """One table from the grids a page break or a group line cut it into."""

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
                self._set_group(groups[ln.no], line_cell(ln))
        if self.layout is not None:
            self.layout.last_line = table.last_line
        return True

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
                cells = cells_of_line(ln)
                if len(cells) > width:
                    return None
                rows.append(cells)
            elif self._strong_group(ln.clean) is not None:
                rows.append([line_cell(ln)])
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
                cells = cells_of_line(ln)
                if len(cells) == width and self._is_header(cells):
                    return [cells] + groups[::-1], k
                return None
            if self._strong_group(ln.clean) is None:
                return None
            groups.append([line_cell(ln)])
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
                cells = cells_of_line(ln)
                if len(cells) > width:
                    break
                rows += pending + [cells]
                pending = []
                last = ln.no
            elif "\t" not in ln.text and self._strong_group(ln.clean) is not None:
                pending.append([line_cell(ln)])
            else:
                break
        return rows, last
