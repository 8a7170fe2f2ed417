"""Group rows of a Перечень: a row across the table ('Цифровые точки
взаимодействия', '1. Предоставление государственных услуг') sets the kind,
direction or service of the rows below and is never a touchpoint. A mixin of
:class:`pipeline.extract.touchpoint_table.TableWalk`."""


from __future__ import annotations

from pipeline import normalize as nz
from pipeline.document import Cell
from pipeline.extract.touchpoint_common import (
    Group,
    group_heading,
    shorten,
)

# ------------------------------------------------------------------- table


class GroupsMixin:
    """Group rows: recognised, applied to the rows below, reported."""

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
