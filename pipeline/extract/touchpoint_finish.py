"""The last step of the Перечень table walk: assembled rows become
:class:`~pipeline.models.Touchpoint` values (names made canonical, needs found
in a features column, the columns kept in features). A mixin of
:class:`pipeline.extract.touchpoint_table.TableWalk`."""


from __future__ import annotations

import re

from pipeline import normalize as nz
from pipeline.extract.touchpoint_common import (
    dash_items,
    is_need,
    kind_statement,
    make_touchpoint,
    shorten,
)
from pipeline.extract.touchpoint_model import (
    TPDraft,
    label_key,
)
from pipeline.models import Touchpoint

# ------------------------------------------------------------------- table


class FinishMixin:
    """Rows → touchpoints."""

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
                              f"row {label_key(row.label) or '?'} (line {first.line}) has no touchpoint of its own",
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

    def _needs_in_features(self, tp: TPDraft, name: str, feat: str, needs_text: str) -> tuple[str | None, str]:
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

    def _features(self, tp: TPDraft, feat: str | None) -> str | None:
        """The features cell, then every column kept in features as
        'header: value' (contacts, responsible, columns with no role)."""
        parts = [feat] if feat else []
        for col in (tp.table.kept if tp.table is not None else []):
            text = tp.text(col.key)
            if text:
                head = (col.header or "").strip().rstrip(":").strip()
                parts.append(f"{head}: {text}" if head else text)
        return "; ".join(parts) or None
