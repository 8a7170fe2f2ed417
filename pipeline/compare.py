"""Compare agencies side by side: the data behind the comparison report.

Input is a set of extractions (from the store or a folder of JSON). Documents
are grouped by agency (:func:`pipeline.agency.agency_key`) and ordered by date
like the store's versions. Each fact family is taken from the agency's latest
signed order that has it (the touchpoints from the order that holds the
current registry, thresholds from the latest order stating thresholds, …);
an agency known only from drafts is compared on its latest draft and marked so.

:func:`build` returns a :class:`Comparison`: an overview plus the eight report
sections as plain tables of :class:`Cell`, which ``pipeline.report`` writes as
HTML, XLSX and Markdown.

Example::

    >>> cmp = build(load_dir("outputs"))
    >>> [s.title for s in cmp.sections][:2]
    ['Channels', 'Client needs']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Callable, Iterable

from pipeline.agency import document_agency_key, document_agency_name, document_region
from pipeline.diff import format_value, similarity, threshold_label, word_diff
from pipeline.errors import PipelineError
from pipeline.models import Document, Extraction, Requirement, Threshold
from pipeline.nlp import load_vocab
from pipeline.report.tables import C, Cell, Section, Table, count_cell
from pipeline.store import sort_date

LINEAGE_SHINGLE = 5        # words per shingle for template similarity
LINEAGE_CLUSTER = 0.35     # shingle overlap at or above which two orders share a template
# (on the corpus: one template 0.45–0.99, unrelated orders 0.05–0.23)
TIME_UNITS = {"minute": 1, "hour": 60, "day": 1440}  # convertible units of one family


class CompareInputError(PipelineError):
    code = "compare_input"
    hint = "give --db with an ingested store, or --from a folder of extraction JSON files"


# ---------------------------------------------------------------------- input


@dataclass
class Entry:
    """One order or draft, with its place in its agency's history."""

    ex: Extraction
    doc: Document
    key: str
    seq: int  # ingest order (store id) or file order (folder)

    @property
    def sort(self) -> tuple:
        return (sort_date(self.ex, self.doc), self.seq, self.ex.documents.index(self.doc))

    @property
    def ref(self) -> str:
        return f"{Path(self.ex.source.path).name}#{self.doc.id}"

    @property
    def label(self) -> str:
        m = self.doc.meta
        what = "" if self.doc.kind == "order" else f"{self.doc.kind}, "
        return f"{what}{m.date or 'undated'} № {m.number or '—'}"


def load_dir(folder: str | Path) -> list[tuple[int, Extraction]]:
    """Extraction JSON files of a folder (``_run.json`` and non-extractions skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CompareInputError(folder, "no such folder")
    out = []
    for i, path in enumerate(sorted(folder.glob("*.json"))):
        if path.name.startswith("_"):
            continue
        try:
            out.append((i, Extraction.model_validate(json.loads(path.read_text(encoding="utf-8")))))
        except (ValueError, UnicodeDecodeError):
            continue  # not an extraction (a report, a summary): not ours to compare
    if not out:
        raise CompareInputError(folder, "no extraction JSON files in this folder", "run `registry extract corpus -o DIR` first")
    return out


def load_db(db: str | Path) -> list[tuple[int, Extraction]]:
    from pipeline.store import Store

    with Store.open(db, must_exist=True) as store:
        out = list(store.extractions(include_superseded=False))
    if not out:
        raise CompareInputError(db, "the store holds no extractions", "run `registry ingest corpus --db FILE` first")
    return out


# ------------------------------------------------------------------- profiles


@dataclass
class Agency:
    key: str
    name: str | None
    region: str | None
    region_code: str | None
    versions: list[Entry]             # orders and drafts, oldest first
    files: list[Extraction]           # every file with a document of this agency (for warnings)
    label: str = ""
    draft_only: bool = False

    def latest(self, has: Callable[[Document], bool] = lambda d: True) -> Entry | None:
        """Latest signed order satisfying ``has``; for a draft-only agency, the latest draft."""
        kinds = ("draft",) if self.draft_only else ("order",)
        for e in reversed(self.versions):
            if e.doc.kind in kinds and has(e.doc):
                return e
        return None

    @property
    def registry(self) -> Entry | None:
        return self.latest(lambda d: bool(d.touchpoints))

    @property
    def threshold_source(self) -> Entry | None:
        return self.latest(lambda d: any(r.thresholds for r in d.requirements))

    @property
    def definition_source(self) -> Entry | None:
        return self.latest(lambda d: bool(d.definitions))

    @property
    def requirement_source(self) -> Entry | None:
        return self.latest(lambda d: bool(d.requirements))

    def thresholds(self) -> list[tuple[Requirement, Threshold]]:
        e = self.threshold_source
        return [(r, t) for r in e.doc.requirements for t in r.thresholds] if e else []


def group_agencies(extractions: Iterable[tuple[int, Extraction]]) -> list[Agency]:
    by_key: dict[str, Agency] = {}
    for seq, ex in extractions:
        for doc in ex.documents:
            if doc.kind not in ("order", "draft"):
                continue
            key = document_agency_key(ex, doc)
            region, code = document_region(ex, doc)
            a = by_key.setdefault(key, Agency(key, None, None, None, [], []))
            a.versions.append(Entry(ex, doc, key, seq))
            a.name = a.name or document_agency_name(ex, doc)
            a.region, a.region_code = a.region or region, a.region_code or code
            if all(f is not ex for f in a.files):
                a.files.append(ex)
    agencies = sorted(by_key.values(), key=lambda a: (a.region or "~", a.name or a.key))
    regions: dict[str | None, int] = {}
    for a in agencies:
        a.versions.sort(key=lambda e: e.sort)
        a.draft_only = not any(e.doc.kind == "order" for e in a.versions)
        regions[a.region] = regions.get(a.region, 0) + 1
    for a in agencies:
        # One agency per region in the data (the usual case): the region names it.
        base = a.region if a.region and regions[a.region] == 1 else " — ".join(x for x in (a.region, a.name) if x) or a.key
        a.label = base + (" (drafts only)" if a.draft_only else "")
    return agencies


# ------------------------------------------------------------------ comparison


@dataclass
class Comparison:
    agencies: list[Agency]
    overview: Table
    sections: list[Section]
    vocab_versions: dict[str, str]

    def table(self, table_id: str) -> Table:
        for t in [self.overview] + [t for s in self.sections for t in s.tables]:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


def build(extractions: Iterable[tuple[int, Extraction]]) -> Comparison:
    """All sections for the given extractions."""
    from pipeline.nlp import vocab_versions

    agencies = group_agencies(extractions)
    if not agencies:
        raise CompareInputError(None, "no orders or drafts to compare")
    channels = load_vocab("channels")["entries"]
    sections = [
        channels_section(agencies, channels),
        vocab_matrix_section(agencies, 2, "needs", "Client needs", "need_codes",
                             "Touchpoints of the current registry per client need (need_codes)."),
        thresholds_section(agencies),
        definitions_section(agencies),
        vocab_matrix_section(agencies, 5, "directions", "Directions of activity", "direction_code",
                             "Touchpoints of the current registry per direction of activity."),
        lineage_section(agencies),
        compliance_section(agencies),
        quality_section(agencies),
    ]
    return Comparison(agencies, overview_table(agencies), sections, vocab_versions())


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
    from pipeline.report.svg import stacked_bars

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


# ------------------------------------------------------------------ thresholds


def compliance_items() -> list[dict]:
    return load_vocab("compliance")["requirements"]


def _matches(item: dict, req: Requirement, th: Threshold) -> bool:
    if th.metric != item.get("metric"):
        return False
    if item.get("channel") and req.channel and req.channel != item["channel"]:
        return False
    cues = item.get("condition_cues")
    if cues:
        cond = (th.condition or "").lower()
        return any(c in cond for c in cues)
    return True


def slot_values(a: Agency, item: dict) -> list[tuple[Requirement, Threshold]]:
    """The agency's thresholds that state ``item`` (see compliance.json for pick)."""
    ths = [(r, t) for r, t in a.thresholds() if _matches(item, r, t)]
    if not ths and item.get("condition_cues") and item.get("pick"):
        bare = [(r, t) for r, t in a.thresholds() if _matches({**item, "condition_cues": None}, r, t) and not t.condition]
        if bare:
            pick = max if item["pick"] == "max" else min
            ths = [pick(bare, key=lambda rt: _in_base(rt[1].value, rt[1].unit))]
    return ths


def _in_base(value: float, unit: str) -> float:
    return value * TIME_UNITS.get(unit, 1)


def _comparable(a_unit: str, b_unit: str) -> bool:
    return a_unit == b_unit or (a_unit in TIME_UNITS and b_unit in TIME_UNITS)


def threshold_slots(agencies: list[Agency]) -> list[dict]:
    """Checklist thresholds first, then any other metric found (metric+unit+condition)."""
    slots = [dict(i) for i in compliance_items() if i["check"] == "threshold"]
    extra: dict[tuple, dict] = {}
    for a in agencies:
        for r, t in a.thresholds():
            if any(_matches(s, r, t) for s in slots):
                continue
            key = (t.metric, t.unit, (t.condition or "").lower())
            extra.setdefault(key, {"id": "_".join(x for x in key if x).replace(" ", "_"), "metric": t.metric,
                                   "unit": t.unit, "comparator": t.comparator,
                                   "label": threshold_label(t.metric, t.condition), "exact_condition": t.condition})
    for s in extra.values():
        s["condition_cues"] = None
    return slots + list(extra.values())


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
        found = [(a.key, min(grid[(a.key, s["id"])], key=lambda t: _in_base(t.value, t.unit)))
                 for a in agencies if grid[(a.key, s["id"])]]
        found = [(k, t) for k, t in found if _comparable(t.unit, s["unit"])]
        distinct = {_in_base(t.value, t.unit) for _, t in found}
        if len(distinct) < 2:
            continue
        larger_is_stricter = s.get("comparator") in (">=", ">")
        lo, hi = min(distinct), max(distinct)
        strict, loose = (hi, lo) if larger_is_stricter else (lo, hi)
        for k, t in found:
            v = _in_base(t.value, t.unit)
            marks[(k, s["id"])] = "strictest" if v == strict else "loosest" if v == loose else ""
    columns = ["agency"] + [f"{s['label']}, {_unit_word(s['unit'])}" for s in slots]
    rows = []
    for a in agencies:
        row = [C(a.label)]
        for s in slots:
            vals = grid[(a.key, s["id"])]
            if not vals:
                row.append(C("", mark="none"))
                continue
            t = min(vals, key=lambda t: _in_base(t.value, t.unit))
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


# ----------------------------------------------------------------- definitions


def _def_key(d) -> str:
    from pipeline.diff import _def_key as key

    return key(d)


def definitions_section(agencies: list[Agency]) -> Section:
    terms: dict[str, dict[str, Any]] = {}  # key -> {agency key: Definition}
    shown: dict[str, str] = {}
    for a in agencies:
        e = a.definition_source
        for d in (e.doc.definitions if e else []):
            k = _def_key(d)
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


# --------------------------------------------------------------------- lineage


def document_text(doc: Document) -> str:
    """The text of a document as its clause tree holds it (definitions appended
    when the tree is empty)."""
    parts: list[str] = []

    def walk(cs) -> None:
        for c in cs:
            parts.append(c.text)
            walk(c.children)

    walk(doc.clauses)
    if not parts:
        parts = [f"{d.term} {d.definition}" for d in doc.definitions] + [r.text for r in doc.requirements]
    return " ".join(parts)


def shingles(text: str, n: int = LINEAGE_SHINGLE) -> set[str]:
    words = re.findall(r"[а-яёa-z0-9]+", text.lower().replace("ё", "е"))
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other (overlap coefficient): an
    order that adds its own sections to a common template still scores high,
    where Jaccard would be diluted by the added text."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def clusters(n: int, sim: dict[tuple[int, int], float], threshold: float) -> list[int]:
    """Single-linkage clusters (union-find): a 1-based cluster number per item."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), s in sim.items():
        if s >= threshold:
            parent[find(i)] = find(j)
    roots = [find(i) for i in range(n)]
    # larger clusters first, then by first member, so T1 is the most shared template
    order = sorted(dict.fromkeys(roots), key=lambda r: (-roots.count(r), roots.index(r)))
    number = {r: k for k, r in enumerate(order, 1)}
    return [number[r] for r in roots]


def lineage_section(agencies: list[Agency]) -> Section:
    from pipeline.report.svg import heatmap

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


# ------------------------------------------------------------------ compliance


def evaluate(a: Agency, item: dict) -> tuple[str, str]:
    """(status, detail): stated | stricter | looser | missing."""
    if item["check"] == "threshold":
        vals = [t for _, t in slot_values(a, item)]
        vals = [t for t in vals if _comparable(t.unit, item["unit"])]
        if not vals:
            return "missing", ""
        fed = _in_base(item["value"], item["unit"])
        t = min(vals, key=lambda t: _in_base(t.value, t.unit))
        v = _in_base(t.value, t.unit)
        larger_is_stricter = item.get("comparator") in (">=", ">")
        if v == fed:
            status = "stated"
        elif (v < fed) != larger_is_stricter:
            status = "stricter"
        else:
            status = "looser"
        return status, format_value(t.value, t.unit)
    if item["check"] == "channel_kinds":
        e = a.registry
        if not e:
            return "missing", "no Перечень"
        kinds = {t.kind for t in e.doc.touchpoints}
        lacking = [k for k in item["kinds"] if k not in kinds]
        return ("looser", "no " + ", ".join(lacking)) if lacking else ("stated", " + ".join(item["kinds"]))
    if item["check"] == "text":
        for e in reversed(a.versions):
            if e.doc.kind == "draft" and not a.draft_only:
                continue
            text = document_text(e.doc).lower() + " " + " ".join(r.text.lower() for r in e.doc.requirements)
            if any(c in text for c in item["cues"]):
                return "stated", e.label
        return "missing", ""
    raise CompareInputError(None, f"unknown check {item['check']!r} in compliance.json")


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


# ---------------------------------------------------------------- data quality


def quality_section(agencies: list[Agency]) -> Section:
    rows = []
    for a in agencies:
        for ex in a.files:
            src = Path(ex.source.path)
            for w in ex.warnings:
                rows.append(_warning_row(a, src, "(file)", w))
            for d in ex.documents:
                if d.kind in ("order", "draft") and document_agency_key(ex, d) != a.key:
                    continue
                for w in d.warnings:
                    rows.append(_warning_row(a, src, f"{d.id} ({d.kind})", w))
    by_agency = {a.label: sum(r[0].text == a.label for r in rows) for a in agencies}
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


def compare_report(out_dir: str | Path, db: str | Path | None = None, from_dir: str | Path | None = None) -> list[Path]:
    """Build the comparison from a store (default) or a folder of JSON and write
    report.html, report.xlsx and report.md into ``out_dir``."""
    from pipeline.report.render import write_report
    from pipeline.store import DEFAULT_DB

    extractions = load_dir(from_dir) if from_dir else load_db(db or DEFAULT_DB)
    return write_report(build(extractions), out_dir)
