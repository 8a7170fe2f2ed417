"""Plain-text views printed by the CLI: one extraction JSON (``registry show``)
and the agencies of the store with their versions (``registry versions``).

Example::

    >>> text = render(Path("outputs/north-ossetia-employment-committee-2026-03-23-22-2.json"))
    >>> click.unstyle(text).splitlines()[0]
    'corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt  [txt, utf-8]  sha256 2d70e1ab97df…'
    >>> with Store.open("outputs/registry.sqlite", must_exist=True) as store:
    ...     print(format_agencies(store, "Сахалин"))
    министерство социальный защита сахалинский область
      Министерство социальной защиты Сахалинской области — Сахалинская область
        v1 order 2024-01-18 № 1-3.11-24/24 (sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt#d1), 0 touchpoints
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.jsonio import load_extraction
from pipeline.models import Extraction
from pipeline.report.safe import clean_strings, terminal_text

if TYPE_CHECKING:
    from pipeline.store import Store


def _where(span) -> str:
    if span is None:
        return ""
    page = f"p.{span.page} " if span.page else ""
    return f"{page}l.{span.line}" + (f"–{span.end_line}" if span.end_line != span.line else "")


def _table(rows: list[list[str]], headers: list[str], widths: list[int]) -> list[str]:
    def fit(s: str, w: int) -> str:
        s = (s or "").replace("\n", " ")
        return s if len(s) <= w else s[: w - 1] + "…"

    out = ["  " + "  ".join(click.style(fit(h, w).ljust(w), bold=True) for h, w in zip(headers, widths))]
    for r in rows:
        out.append("  " + "  ".join(fit(c, w).ljust(w) for c, w in zip(r, widths)))
    return out


def render(path: Path) -> str:
    # document text reaches a terminal: control characters (ESC/OSC sequences, NUL, CR) are shown escaped
    ex = Extraction.model_validate(clean_strings(load_extraction(path).model_dump(mode="json")))
    s = ex.source
    lines = [
        click.style(f"{s.path}", bold=True) + f"  [{s.format}{', OCR' if s.ocr else ''}, {s.encoding or ''}"
        + (f", {s.pages} pages" if s.pages else "") + f"]  sha256 {s.sha256[:12]}…",
    ]
    for w in ex.warnings:
        lines.append(click.style(f"  ! {w.code}: {w.message}", fg="yellow"))
    for d in ex.documents:
        m = d.meta
        lines.append("")
        lines.append(click.style(f"== {d.id}: {d.kind.upper()} — {m.doc_type or '?'} от {m.date or '—'} № {m.number or '—'}", fg="cyan", bold=True))
        for label, val in [
            ("agency", m.agency), ("region", f"{m.region} ({m.region_code})" if m.region else None),
            ("place", m.place), ("title", m.title),
            ("signatory", " — ".join(x for x in [m.signatory.position, m.signatory.name] if x) or None),
            ("registration", f"№ {m.registration.number} от {m.registration.date}" if m.registration else None),
        ]:
            if val:
                lines.append(f"  {label:<13} {val}")
        for act in m.legal_basis:
            lines.append(f"  {'legal basis':<13} {act.doc_type or '?'} ({act.issuer or '?'}) от {act.date or '?'} № {act.number or '?'}")
        for a in d.appendices:
            ap = f" (утв. {a.approval.date} № {a.approval.number})" if a.approval else ""
            lines.append(f"  {'appendix':<13} {a.label or '—'}: {a.title or a.kind}{ap}{'' if a.present else '  [NOT IN FILE]'}")
        counts = f"{len(d.clauses)} top clauses, {len(d.definitions)} definitions, {len(d.touchpoints)} touchpoints, {len(d.requirements)} requirements, {len(d.working_group)} working-group members, {len(d.tasks)} tasks"
        lines.append(f"  {'contents':<13} {counts}")
        if d.touchpoints:
            lines.append(click.style("  Touchpoints", bold=True))
            rows = [[t.row_label or "", t.service or t.direction or "", t.name, t.channel, t.kind or "", ",".join(t.need_codes), _where(t.span)] for t in d.touchpoints]
            lines += _table(rows, ["row", "service", "touchpoint", "channel", "kind", "needs", "where"], [4, 28, 40, 16, 8, 26, 9])
        ths = [(r, t) for r in d.requirements for t in r.thresholds]
        if ths:
            lines.append(click.style("  Thresholds", bold=True))
            rows = [[t.metric, f"{t.comparator} {t.value:g} {t.unit}", t.condition or "", r.channel or "", r.clause or "", _where(t.span)] for r, t in ths]
            lines += _table(rows, ["metric", "value", "condition", "channel", "clause", "where"], [20, 18, 34, 15, 8, 9])
        if d.working_group:
            lead = next((w for w in d.working_group if w.role == "leader"), None)
            lines.append(f"  {'working group':<13} {len(d.working_group)} members" + (f", led by {lead.name} ({lead.position})" if lead else ""))
        for t in d.tasks:
            lines.append(f"  {'task':<13} п. {t.clause or '?'}: до {t.deadline or '?'} — {t.text[:70]}")
        if d.warnings:
            lines.append(click.style(f"  Warnings ({len(d.warnings)})", bold=True))
            for w in d.warnings:
                color = {"error": "red", "warning": "yellow"}.get(w.severity, None)
                lines.append(click.style(f"  ! {w.code} [{_where(w.span)}]: {w.message}", fg=color))
    return "\n".join(lines)


def format_agencies(store: "Store", query: str | None = None) -> str:
    """Plain-text listing of agencies and versions (for ``registry versions``);
    '*' marks the order that holds the current registry."""
    agencies = store.agencies()
    if query:
        key = store.resolve_agency(query)
        agencies = [a for a in agencies if a.agency_key == key]
    if not agencies:
        return "the store holds no orders yet"
    lines = []
    for a in agencies:
        lines.append(f"{a.agency_key}")
        lines.append(f"  {a.agency or '(agency name not extracted)'} — {a.region or 'region unknown'}")
        for v in a.versions:
            mark = "*" if v.current else " "
            old = " (superseded file content)" if v.superseded else ""
            lines.append(f"  {mark} {v.label}, {v.n_touchpoints} touchpoints{old}")
    return terminal_text("\n".join(lines))  # names from documents: no control sequences to the terminal
