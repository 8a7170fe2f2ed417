"""One card per agency, grouped by region: where it stands on each item of
the federal standard (value, status, distance, link to the source), its
touchpoints (digital / offline), definitions and warnings, and its timeline —
every version on one line with what changed at each step
(:func:`pipeline.history.timeline`).

The HTML shows the cards (a collapsible block per region); XLSX and Markdown
get the same timeline as the table «Версии».

Example::

    >>> groups, versions = agency_cards(agencies, Standings(agencies), Lang("ru"))
    >>> [s.text for s in groups[0].cards[0].timeline]
    ['приказ от 28.03.2024 № П-12-01/0019']
"""

from __future__ import annotations

from dataclasses import dataclass, field

CARD_STEPS = 30   # versions on an agency's card (the latest); the table «Версии» has them all

from pipeline.compare import Agency
from pipeline.history import Step, timeline
from pipeline.report.i18n import Lang
from pipeline.report.links import src_of
from pipeline.report.standard import (
    COMPARATOR,
    Standings,
    anchor,
    region_anchor,
    region_name,
    standard_text,
    status_cell,
)
from pipeline.report.tables import C, Cell, Src, Table, date_cell


@dataclass
class TimelineStep:
    text: str                 # 'проект без даты', 'приказ от 27.09.2024 № 154-ОД'
    src: Src | None
    kind: str
    changes: list[str]


@dataclass
class Card:
    agency: Agency
    anchor: str
    items: Table
    counts: dict[str, int]
    facts: list[str]
    timeline: list[TimelineStep]
    drafts_only: bool = False
    timeline_note: str = ""   # when the card shows only the latest versions


@dataclass
class RegionGroup:
    code: str | None
    name: str
    anchor: str
    cards: list[Card] = field(default_factory=list)
    summary: str = ""


def step_changes(step: Step, L: Lang) -> list[str]:
    if step.first:
        return [L("card.first")]
    out = []
    for key, n in (("tp_added", step.touchpoints_added), ("tp_removed", step.touchpoints_removed),
                   ("tp_changed", step.touchpoints_changed), ("def_added", step.definitions_added),
                   ("def_removed", step.definitions_removed), ("def_reworded", step.definitions_reworded)):
        if n:
            out.append(L(f"ch.{key}", n=n))
    for t in step.thresholds:
        ref = t.new or t.old
        label = L.metric(ref.metric, ref.condition)
        if t.status == "changed":
            out.append(f"{label}: {L.value(t.old.value, t.old.unit)} → {L.value(t.new.value, t.new.unit)}")
        else:
            out.append(L(f"ch.th_{t.status}", label=label,
                         value=f"{COMPARATOR.get(ref.comparator, ref.comparator)} {L.value(ref.value, ref.unit)}"))
    return out or [L("card.nochange")]


def agency_cards(agencies: list[Agency], st: Standings, L: Lang, progress=None) -> tuple[list[RegionGroup], Table]:
    groups: dict[str, RegionGroup] = {}
    version_rows = []
    for n, a in enumerate(agencies, 1):
        if progress and (n % 20 == 0 or n == len(agencies)):
            progress("timeline", n, len(agencies))
        key = region_name(a, L)
        g = groups.setdefault(key, RegionGroup(a.region_code, key, region_anchor(a.region_code, key)))
        items = Table(f"card-{anchor(a)}", L("t.card_items"),
                      [L("c.item"), L("c.standard"), L("c.status")],
                      [[C(L.item(x.item)), C(standard_text(x.item, L)), status_cell(x, L)] for x in st.of(a)],
                      formats=("html",))
        tps = a.registry.doc.touchpoints if a.registry else []
        facts = [L("card.touchpoints_line", total=len(tps), digital=sum(t.kind == "digital" for t in tps),
                   offline=sum(t.kind == "offline" for t in tps)) if tps else L("card.no_registry")]
        defs = a.definition_source.doc.definitions if a.definition_source else []
        facts.append(L("card.definitions_line", n=len(defs)))
        warnings = [w for ex in a.files for w in ex.warnings] + [w for e in a.versions for w in e.doc.warnings]
        facts.append(L("card.warnings_line", n=len(warnings), errors=sum(w.severity == "error" for w in warnings)))
        steps = []
        for s in timeline(a):
            m = s.entry.doc.meta
            label = L.doc_label(s.entry.doc.kind, m.date, m.number)
            changes = step_changes(s, L)
            src = src_of(s.entry.ex, s.entry.doc, s.entry.doc.span)
            steps.append(TimelineStep(label, src, s.entry.doc.kind, changes))
            version_rows.append([C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L)), C(s.number, value=s.number),
                                 C(L.kind(s.entry.doc.kind)), date_cell(m.date, L.date(m.date)), C(m.number or ""),
                                 Cell(s.entry.ex.source.path.replace("\\", "/").rsplit("/", 1)[-1], src=src),
                                 C("; ".join(changes))])
        note = L("n.last_steps", n=CARD_STEPS, total=len(steps)) if len(steps) > CARD_STEPS else ""
        g.cards.append(Card(a, anchor(a), items, st.score(a), facts, steps[-CARD_STEPS:], a.draft_only, note))
    for g in groups.values():
        met = sum(c.counts["met"] for c in g.cards)
        total = sum(len(st.items) for _ in g.cards)
        g.summary = L("region_summary", n=len(g.cards), pct=round(100 * met / total) if total else 0)
    versions = Table("versions", L("t.versions"),
                     [L("c.agency"), L("c.region"), L("c.version"), L("c.kind"), L("c.date"), L("c.number"),
                      L("c.file"), L("c.changes")], version_rows,
                     sheet="Версии" if L.code == "ru" else "Versions", formats=("xlsx", "md"), sortable=True)
    return sorted(groups.values(), key=lambda g: g.name), versions
