"""The eight sections of the comparison report (plus the agency overview),
built as tables from the analysis in :mod:`pipeline.compare`.

Each function takes the grouped agencies and returns a :class:`Section`;
which document feeds which section is decided by ``Agency`` (the latest signed
order that has the facts in question). :mod:`pipeline.report.build` puts them
in order.

Example::

    >>> agencies = group_agencies(load_dir("outputs"))
    >>> [t.id for t in thresholds_section(agencies).tables]
    ['thresholds']
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

from pipeline.compare import (
    LINEAGE_CLUSTER,
    Agency,
    Entry,
    clusters,
    comparable_units,
    compliance_items,
    document_text,
    evaluate,
    in_base_unit,
    slot_values,
    threshold_slots,
)
from pipeline.identity import VERSIONED_KINDS, agency_of
from pipeline.models import Threshold
from pipeline.nlp import load_vocab
from pipeline.report.svg import heatmap, stacked_bars
from pipeline.report.tables import C, Cell, Section, Table, count_cell
from pipeline.textsim import (
    definition_key,
    format_value,
    overlap,
    shingles,
    similarity,
    word_diff,
)


def overview_table(agencies: list[Agency]) -> Table:
    rows = []
    for a in agencies:
        def src(e: Entry | None) -> Cell:
            return C(f"{e.label} ({e.ref})" if e else "—", mark=None if e else "none")
        rows.append([C(a.label), C(a.name), C(a.region_code), C(len(a.versions), value=len(a.versions)),
                     src(a.latest()), src(a.registry), src(a.threshold_source), src(a.definition_source), C(a.key)])
    return Table("agencies", "Agencies and the orders each comparison uses",
                 ["agency", "official name", "region code", "versions", "latest order", "registry from",
                  "thresholds from", "definitions from", "agency key"], rows)


def channels_section(agencies: list[Agency], channels: list[dict]) -> Section:
    used = {t.channel for a in agencies if a.registry for t in a.registry.doc.touchpoints}
    kind_order = {"digital": 0, "offline": 1, None: 2}
    cols = [e for e in sorted(channels, key=lambda e: kind_order.get(e.get("kind"), 2)) if e["id"] in used]
    rows, bars = [], []
    for a in agencies:
        tps = a.registry.doc.touchpoints if a.registry else []
        digital = sum(t.kind == "digital" for t in tps)
        offline = sum(t.kind == "offline" for t in tps)
        rows.append([C(a.label)] + [count_cell(sum(t.channel == e["id"] for t in tps)) for e in cols]
                    + [C(digital, value=digital), C(offline, value=offline), C(len(tps), value=len(tps))])
        bars.append((a.label, digital, offline))
    n_kind = {k: sum(e.get("kind") == k for e in cols) for k in ("digital", "offline")}
    groups = [("", 1), ("digital channels", n_kind["digital"]), ("offline channels", n_kind["offline"]),
              ("other", len(cols) - n_kind["digital"] - n_kind["offline"]), ("touchpoints", 3)]
    table = Table("channels", "Agencies × channels (touchpoints per channel in the current registry)",
                  ["agency"] + [e["id"] for e in cols] + ["digital", "offline", "total"], rows,
                  groups=[g for g in groups if g[1]],
                  note="Channel columns: " + "; ".join(f"{e['id']} = {e['label']} ({e.get('kind') or '—'})" for e in cols)
                  + ". Empty rows: the agency's orders hold no Перечень.")
    return Section("channels", 1, "Channels",
                   "Which channels each agency lists in its current Перечень, digital first, and the digital/offline split.",
                   [table], stacked_bars(bars, ("digital", "offline")))


def vocab_matrix_section(agencies: list[Agency], number: int, vocab: str, title: str, attr: str, intro: str) -> Section:
    entries = load_vocab(vocab)["entries"]
    values = {a.key: [] for a in agencies}
    for a in agencies:
        for t in (a.registry.doc.touchpoints if a.registry else []):
            v = getattr(t, attr)
            values[a.key].extend(v if isinstance(v, list) else [v] if v else [])
    used = [e for e in entries if any(e["id"] in vs for vs in values.values())]
    rows = [[C(a.label)] + [count_cell(values[a.key].count(e["id"])) for e in used] for a in agencies]
    table = Table(vocab, f"Agencies × {title.lower()}", ["agency"] + [e["id"] for e in used], rows,
                  note="; ".join(f"{e['id']} = {e['label']}" for e in used))
    return Section(vocab, number, title, intro, [table])


def thresholds_section(agencies: list[Agency]) -> Section:
    slots = threshold_slots(agencies)
    grid: dict[tuple[str, str], list[Threshold]] = {}
    for a in agencies:
        for s in slots:
            if s.get("exact_condition") is not None or "value" not in s:
                vals = [t for r, t in a.thresholds() if t.metric == s["metric"] and t.unit == s["unit"]
                        and (t.condition or "").lower() == (s.get("exact_condition") or "").lower()]
            else:
                vals = [t for _, t in slot_values(a, s)]
            grid[(a.key, s["id"])] = vals
    marks: dict[tuple[str, str], str] = {}
    for s in slots:
        found = [(a.key, min(grid[(a.key, s["id"])], key=lambda t: in_base_unit(t.value, t.unit)))
                 for a in agencies if grid[(a.key, s["id"])]]
        found = [(k, t) for k, t in found if comparable_units(t.unit, s["unit"])]
        distinct = {in_base_unit(t.value, t.unit) for _, t in found}
        if len(distinct) < 2:
            continue
        larger_is_stricter = s.get("comparator") in (">=", ">")
        lo, hi = min(distinct), max(distinct)
        strict, loose = (hi, lo) if larger_is_stricter else (lo, hi)
        for k, t in found:
            v = in_base_unit(t.value, t.unit)
            marks[(k, s["id"])] = "strictest" if v == strict else "loosest" if v == loose else ""
    columns = ["agency"] + [f"{s['label']}, {_unit_word(s['unit'])}" for s in slots]
    # the federal value first, as the yardstick for the rows below
    rows = [[C("Federal standard", mark="reference")]
            + [C(f"{s['comparator']} {format_value(s['value'], s['unit'])}", value=s["value"], mark="reference")
               if "value" in s else C("") for s in slots]]
    for a in agencies:
        row = [C(a.label)]
        for s in slots:
            vals = grid[(a.key, s["id"])]
            if not vals:
                row.append(C("", mark="none"))
                continue
            t = min(vals, key=lambda t: in_base_unit(t.value, t.unit))
            value = _number(t.value) if t.unit == s["unit"] else None
            text = f"{t.comparator} {format_value(t.value, t.unit)}"
            row.append(Cell(text, value=value if value is not None else text, mark=marks.get((a.key, s["id"])) or None,
                            title=f"{t.raw} — {t.condition or ''}".strip(" —")))
        rows.append(row)
    table = Table("thresholds", "Thresholds side by side (▲ strictest, ▼ loosest)", columns, rows,
                  note="From each agency's latest signed order that states thresholds. "
                       "Federal values: " + "; ".join(f"{s['label']} {s['comparator']} {format_value(s['value'], s['unit'])}"
                                                      for s in slots if "value" in s) + ".")
    return Section("thresholds", 3, "Thresholds",
                   "Response times in social networks, transfers, waiting time and the publication deadline, side by side.",
                   [table])


def _unit_word(unit: str) -> str:
    return {"working_day": "working days", "hour": "hours", "minute": "minutes", "count": "count",
            "day": "days"}.get(unit, unit.replace("_", " "))


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def definitions_section(agencies: list[Agency]) -> Section:
    terms: dict[str, dict[str, Any]] = {}  # key -> {agency key: Definition}
    shown: dict[str, str] = {}
    for a in agencies:
        e = a.definition_source
        for d in (e.doc.definitions if e else []):
            k = definition_key(d)
            terms.setdefault(k, {}).setdefault(a.key, d)
            shown.setdefault(k, d.term)
    order = sorted(terms, key=lambda k: (-len(terms[k]), shown[k].lower()))
    presence = Table(
        "definition_terms", "Terms each agency defines",
        ["term", "agencies"] + [a.label for a in agencies],
        [[C(shown[k]), C(len(terms[k]), value=len(terms[k]))]
         + [C("✓", value=1, mark="yes") if a.key in terms[k] else C("") for a in agencies] for k in order],
    )
    rows = []
    for k in order:
        if len(terms[k]) < 2:
            continue
        holders = [a for a in agencies if a.key in terms[k]]
        texts = {a.key: terms[k][a.key].definition for a in holders}
        # The reference wording is the medoid: the one closest to all others,
        # so each agency is read against the most common wording (n rows, not n²).
        ref = max(holders, key=lambda a: (sum(similarity(texts[a.key], texts[b.key]) for b in holders), -holders.index(a)))
        for a in holders:
            if a is ref:
                rows.append([C(shown[k]), C(a.label), C("reference", value=100.0, mark="yes"), C(texts[a.key])])
                continue
            ops = word_diff(texts[ref.key], texts[a.key])
            sim = similarity(texts[ref.key], texts[a.key])
            rows.append([C(shown[k]), C(a.label), C(f"{sim:g}", value=sim),
                         Cell(_ops_text(ops), html=_ops_html(ops), parts=[(w.op, w.text) for w in ops])])
    diffs = Table("definition_diffs", "How definitions of the same term differ from the reference wording",
                  ["term", "agency", "similarity to reference (0–100)", "word diff: reference → agency"], rows,
                  note="The reference is the wording closest to all others for that term. In the word diff, struck "
                       "words are only in the reference, underlined ones only in this agency's definition.")
    return Section("definitions", 4, "Definitions",
                   "Which terms each agency defines (from its latest order with definitions), and how the same term is worded.",
                   [presence, diffs])


def _ops_text(ops) -> str:
    return " ".join(w.text if w.op == "=" else f"[-{w.text}-]" if w.op == "-" else f"{{+{w.text}+}}" for w in ops)


def _ops_html(ops) -> str:
    from html import escape

    return " ".join(escape(w.text) if w.op == "=" else f"<del>{escape(w.text)}</del>" if w.op == "-"
                    else f"<ins>{escape(w.text)}</ins>" for w in ops)


def lineage_section(agencies: list[Agency]) -> Section:
    entries = [e for a in agencies for e in a.versions]
    labels = [f"{a.label}: {e.label}" for a in agencies for e in a.versions]
    sh = [shingles(document_text(e.doc)) for e in entries]
    sim = {(i, j): overlap(sh[i], sh[j]) for i, j in combinations(range(len(entries)), 2)}
    cl = clusters(len(entries), sim, LINEAGE_CLUSTER)
    size = {c: cl.count(c) for c in cl}
    members = Table("lineage_clusters", "Template clusters (orders whose texts share a template)",
                    ["cluster", "document", "file", "words", "closest", "similarity"],
                    [])
    for i, e in enumerate(entries):
        best = max(((sim[tuple(sorted((i, j)))], j) for j in range(len(entries)) if j != i), default=(0.0, None))
        members.rows.append([
            C(f"T{cl[i]}" + ("" if size[cl[i]] > 1 else " (alone)"), value=cl[i]), C(labels[i]), C(e.ref),
            C(len(document_text(e.doc).split()), value=len(document_text(e.doc).split())),
            C(labels[best[1]] if best[1] is not None else "—"), C(f"{best[0]:.2f}", value=round(best[0], 3)),
        ])
    members.rows.sort(key=lambda r: (r[0].value, r[1].text))
    matrix = Table("lineage_matrix", "Pairwise text similarity (share of the shorter text's 5-word sequences found in the other, 0–1)",
                   ["document"] + [f"#{i + 1}" for i in range(len(entries))],
                   [[C(f"#{i + 1} {labels[i]}")] + [C("1.00" if i == j else f"{sim[tuple(sorted((i, j)))]:.2f}",
                                                    value=1.0 if i == j else round(sim[tuple(sorted((i, j)))], 3))
                                                  for j in range(len(entries))] for i in range(len(entries))])
    full = [[1.0 if i == j else sim[tuple(sorted((i, j)))] for j in range(len(entries))] for i in range(len(entries))]
    return Section("lineage", 6, "Template lineage",
                   f"Two orders are linked when at least {LINEAGE_CLUSTER:.0%} of the shorter one's 5-word sequences occur in the other; "
                   "linked orders form one cluster (single linkage), i.e. were likely written from one template.",
                   [members, matrix], heatmap([f"#{i + 1}" for i in range(len(entries))], full))


def compliance_section(agencies: list[Agency]) -> Section:
    items = compliance_items()
    rows = []
    for a in agencies:
        row = [C(a.label)]
        for item in items:
            status, detail = evaluate(a, item)
            row.append(Cell(f"{status} ({detail})" if detail else status, value=status, mark=status))
        rows.append(row)
    table = Table("compliance", "Federal-standard checklist per agency", ["agency"] + [i["label"] for i in items], rows,
                  note="stated = as the standard; stricter / looser = a tighter / laxer value; missing = not stated. "
                       "Checklist: pipeline/vocab/compliance.json.")
    return Section("compliance", 7, "Compliance checklist",
                   "Requirements of the federal client-centricity standard, checked against what each agency's orders state.",
                   [table])


def quality_section(agencies: list[Agency], skipped: list[tuple[str, str]] = ()) -> Section:
    rows = [[C("(not compared)"), Cell(Path(p).name, href=p, title=p), C(""), C(""), C("error", mark="looser"),
             C("not_loaded"), C(reason)] for p, reason in skipped]
    for a in agencies:
        for ex in a.files:
            src = Path(ex.source.path)
            for w in ex.warnings:
                rows.append(_warning_row(a, src, "(file)", w))
            for d in ex.documents:
                if d.kind in VERSIONED_KINDS and agency_of(ex, d) != a.key:
                    continue
                for w in d.warnings:
                    rows.append(_warning_row(a, src, f"{d.id} ({d.kind})", w))
    by_agency = {a.label: sum(r[0].text == a.label for r in rows) for a in agencies}
    if skipped:
        by_agency["(not compared)"] = len(skipped)
    summary = Table("quality_summary", "Warnings per agency", ["agency", "warnings"],
                    [[C(k), C(v, value=v)] for k, v in by_agency.items()])
    table = Table("quality", "Every warning, linked to its document and line",
                  ["agency", "file", "document", "line", "severity", "code", "message"], rows)
    return Section("quality", 8, "Data quality",
                   "What the parser flagged or repaired in each agency's files; check these before relying on a value.",
                   [summary, table])


def _warning_row(a: Agency, src: Path, doc: str, w) -> list[Cell]:
    line = w.span.line if w.span else None
    return [C(a.label), Cell(src.name, href=str(src), title=str(src)), C(doc),
            C(line if line else "", value=line), C(w.severity, mark="looser" if w.severity == "error" else None),
            C(w.code), C(w.message)]
