"""Compare agencies side by side: the analysis behind the comparison report.

Input is a set of extractions (from the store or a folder of JSON). Documents
are grouped by agency (:func:`pipeline.identity.agency_of`, the key decided at
extraction) and ordered by date like the store's versions. Each fact family is
taken from the agency's latest signed order that has it (the touchpoints from
the order that holds the current registry, thresholds from the latest order
stating thresholds, …); an agency known only from drafts is compared on its
latest draft and marked so.

This module holds the data (:class:`Agency`, :class:`Entry`) and the rules
(threshold slots, compliance checks, template clusters); the report
(:mod:`pipeline.report.build`) turns them into tables.

Example::

    >>> agencies = group_agencies(load_dir("outputs"))
    >>> [(a.label, len(a.versions)) for a in agencies][:2]
    [('Республика Алтай', 1), ('Республика Дагестан', 2)]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from pipeline.agency import document_agency_name, document_region
from pipeline.errors import CompareInputError, PipelineError
from pipeline.identity import SIGNED_KINDS, VERSIONED_KINDS, agency_of, sort_date
from pipeline.jsonio import (
    first_error,
    looks_like_extraction,
    read_json,
    validate_extraction,
)
from pipeline.models import Document, Extraction, Requirement, Threshold
from pipeline.nlp import load_vocab
from pipeline.store import DEFAULT_DB, Store
from pipeline.textsim import format_value, threshold_label

LINEAGE_CLUSTER = 0.35     # shingle overlap at or above which two orders share a template
# (on the corpus: one template 0.45–0.99, unrelated orders 0.05–0.23)
TIME_UNITS = {"minute": 1, "hour": 60, "day": 1440}  # convertible units of one family


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


def load_dir(folder: str | Path, skipped: list[tuple[str, str]] | None = None) -> list[tuple[int, Extraction]]:
    """Extraction JSON files of a folder.

    JSON that is not an extraction (``_run.json``, a report) is ignored; an
    extraction that no longer validates (written by an older schema) is left
    out and listed in ``skipped`` as (path, reason), for the data-quality section."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CompareInputError(folder, "no such folder")
    out = []
    for i, path in enumerate(sorted(folder.glob("*.json"))):
        try:
            data = read_json(path)
        except PipelineError:
            continue
        if not looks_like_extraction(data):
            continue  # not an extraction: not ours to compare
        try:
            out.append((i, validate_extraction(data, path)))
        except PipelineError as exc:
            if skipped is not None:
                skipped.append((str(path), f"does not validate: {first_error(exc)}; extract it again"))
    if not out:
        raise CompareInputError(folder, "no extraction JSON files in this folder", "run `registry extract corpus -o DIR` first")
    return out


def load_db(db: str | Path = DEFAULT_DB) -> list[tuple[int, Extraction]]:
    """The current extractions of a store (superseded file contents left out)."""
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
        """Latest signed order (or appendix of one published alone) satisfying ``has``;
        for a draft-only agency, the latest draft."""
        kinds = ("draft",) if self.draft_only else SIGNED_KINDS
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
            if doc.kind not in VERSIONED_KINDS:
                continue
            key = agency_of(ex, doc)
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
        a.draft_only = not any(e.doc.kind in SIGNED_KINDS for e in a.versions)
        regions[a.region] = regions.get(a.region, 0) + 1
    for a in agencies:
        # One agency per region in the data (the usual case): the region names it.
        base = a.region if a.region and regions[a.region] == 1 else " — ".join(x for x in (a.region, a.name) if x) or a.key
        a.label = base + (" (drafts only)" if a.draft_only else "")
    return agencies


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
            ths = [pick(bare, key=lambda rt: in_base_unit(rt[1].value, rt[1].unit))]
    return ths


def in_base_unit(value: float, unit: str) -> float:
    return value * TIME_UNITS.get(unit, 1)


def comparable_units(a_unit: str, b_unit: str) -> bool:
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


# ------------------------------------------------------------------ compliance


def evaluate(a: Agency, item: dict) -> tuple[str, str]:
    """(status, detail): stated | stricter | looser | missing."""
    if item["check"] == "threshold":
        vals = [t for _, t in slot_values(a, item)]
        vals = [t for t in vals if comparable_units(t.unit, item["unit"])]
        if not vals:
            return "missing", ""
        fed = in_base_unit(item["value"], item["unit"])
        t = min(vals, key=lambda t: in_base_unit(t.value, t.unit))
        v = in_base_unit(t.value, t.unit)
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
