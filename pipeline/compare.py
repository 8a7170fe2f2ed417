"""Compare agencies side by side: the analysis behind the comparison report.

Input is a set of extractions (from the store or a folder of JSON). Documents
are grouped by agency (:func:`pipeline.identity.agency_of`, the key decided at
extraction) and ordered by date like the store's versions. Each fact family is
taken from the agency's latest signed order that has it (the touchpoints from
the order that holds the current registry, thresholds from the latest order
stating thresholds, …); an agency known only from drafts is compared on its
latest draft and marked so.

Versions are ordered by date; a draft sits before the signed act of the
same date (an undated draft filed with its order takes the order's date, and
a draft precedes its signing), so the signed order is the latest version.

This module holds the data (:class:`Agency`, :class:`Entry`) and the rules
(threshold slots, the standing of each agency against the federal standard
in :func:`standing`); template lineage is :mod:`pipeline.lineage`, the
timeline of versions :mod:`pipeline.history`, and the report
(:mod:`pipeline.report.build`) turns them into tables.

Example::

    >>> [altai] = [a for a in group_agencies(load_dir("outputs")) if a.region_code == "RU-AL"]
    >>> altai.label, len(altai.versions)
    ('Комитет по делам записи актов гражданского состояния и архивов Республики Алтай', 1)
    >>> st = standing(altai, compliance_items()[4])   # the updated Перечень published within 10 working days
    >>> st.status, st.delta
    ('stricter', -5.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline.agency import document_agency_name, document_region
from pipeline.errors import CompareInputError, PipelineError
from pipeline.identity import SIGNED_KINDS, VERSIONED_KINDS, agency_of, sort_date
from pipeline.jsonio import (
    first_error,
    looks_like_extraction,
    read_json,
    validate_extraction,
)
from pipeline.models import Document, Extraction, Requirement, Span, Threshold
from pipeline.nlp import load_vocab
from pipeline.review.registry import reviewed_extractions
from pipeline.store import DEFAULT_DB, Store
from pipeline.textsim import Shingler, threshold_label

# Where an agency stands against the federal standard, item by item
# (vocab/compliance.json): as the standard, stricter, looser, not stated;
# 'other' when the value's unit cannot be compared with the standard's.
STATUSES = ("compliant", "stricter", "looser", "missing", "other")
Progress = Callable[[str, int, int], None]  # (stage, done, total)

TIME_UNITS = {"minute": 1, "hour": 60, "day": 1440}  # convertible units of one family


# ---------------------------------------------------------------------- input


@dataclass
class Entry:
    """One order or draft, with its place in its agency's history.

    What the comparison needs of the document's clause text is read once,
    when the entry is made (:func:`group_agencies`): its 5-word shingles
    (template lineage), its length in words and where each text item of the
    standard is found; the clause tree itself is then dropped, so a batch of
    thousands of orders is compared in bounded memory."""

    ex: Extraction
    doc: Document
    key: str
    seq: int  # ingest order (store id) or file order (folder)
    index: int = 0            # the document's place in its file
    shingles: object = field(default=None, repr=False)  # numpy array of shingle hashes (pipeline.textsim.Shingler)
    words: int = 0
    cues: dict[str, Span | None] = field(default_factory=dict, repr=False)  # text item id → where it is stated

    @property
    def sort(self) -> tuple:
        # a draft before the signed act of its date: an undated draft filed with
        # its order borrows the order's date, and a draft precedes its signing
        return (sort_date(self.ex, self.doc), 0 if self.doc.kind == "draft" else 1, self.seq, self.index)

    @property
    def source(self) -> str:
        return self.ex.source.path

    @property
    def ref(self) -> str:
        return f"{Path(self.ex.source.path).name}#{self.doc.id}"

    @property
    def label(self) -> str:
        m = self.doc.meta
        what = "" if self.doc.kind == "order" else f"{self.doc.kind}, "
        return f"{what}{m.date or 'undated'} № {m.number or '—'}"


def load_dir(folder: str | Path, skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[int, Extraction]]:
    """Extraction JSON files of a folder, read one at a time (a batch of
    thousands is never held whole: :func:`group_agencies` keeps what it needs).

    JSON that is not an extraction (``_run.json``, a report) is ignored; an
    extraction that no longer validates (written by an older schema) is left
    out and listed in ``skipped`` as (path, reason), for the data-quality section."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CompareInputError(folder, "no such folder")
    found = 0
    for i, path in enumerate(sorted(folder.glob("*.json"))):
        try:
            data = read_json(path)
        except PipelineError:
            continue
        if not looks_like_extraction(data):
            continue  # not an extraction: not ours to compare
        try:
            ex = validate_extraction(data, path)
        except PipelineError as exc:
            if skipped is not None:
                skipped.append((str(path), f"does not validate: {first_error(exc)}; extract it again"))
            continue
        del data
        found += 1
        yield i, ex
    if not found:
        raise CompareInputError(folder, "no extraction JSON files in this folder", "run `registry extract corpus -o DIR` first")


def load_db(db: str | Path = DEFAULT_DB, progress: Progress | None = None) -> Iterator[tuple[int, Extraction]]:
    """The current extractions of a store (superseded file contents left out),
    read one at a time; ``progress("load", done, total)`` is called as they are read."""
    with Store.open(db, readonly=True) as store:
        total = store.conn.execute("SELECT COUNT(*) FROM extractions WHERE superseded = 0").fetchone()[0]
        if not total:
            raise CompareInputError(db, "the store holds no extractions", "run `registry ingest corpus --db FILE` first")
        # with the analyst's corrections applied (pipeline.review)
        yield from _counted(reviewed_extractions(store, include_superseded=False), total, progress)


def _counted(items: Iterable, total: int, progress: Progress | None, every: int = 25) -> Iterator:
    for i, item in enumerate(items, 1):
        if progress and (i % every == 0 or i == total):
            progress("load", i, total)
        yield item


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
    """Agencies with their versions, oldest first. ``extractions`` is read once,
    one at a time (a generator from the store keeps memory flat): each
    document keeps what the comparison needs of its clauses, not the clauses."""
    by_key: dict[str, Agency] = {}
    shingler = Shingler()
    text_items = [i for i in compliance_items() if i["check"] == "text"]
    for seq, full in extractions:
        ex = _without_clauses(full)
        for index, (doc, whole) in enumerate(zip(ex.documents, full.documents)):
            if doc.kind not in VERSIONED_KINDS:
                continue
            key = agency_of(ex, doc)
            region, code = document_region(ex, doc)
            a = by_key.setdefault(key, Agency(key, None, None, None, [], []))
            text = document_text(whole)
            a.versions.append(Entry(ex, doc, key, seq, index, shingler.hashes(text), len(text.split()),
                                    {i["id"]: find_cue(whole, i["cues"]) for i in text_items}))
            a.name = a.name or document_agency_name(ex, doc)
            a.region, a.region_code = a.region or region, a.region_code or code
            if all(f is not ex for f in a.files):
                a.files.append(ex)
    agencies = sorted(by_key.values(), key=lambda a: (a.region or "~", a.name or a.key))
    for a in agencies:
        a.versions.sort(key=lambda e: e.sort)
        a.draft_only = not any(e.doc.kind in SIGNED_KINDS for e in a.versions)
    for a in agencies:
        # the official name as printed; a body whose name was not read is named by its file
        a.label = a.name or (f"{a.region} ({Path(a.versions[0].source).name})" if a.region
                             else Path(a.versions[0].source).name)
    return agencies


def _without_clauses(ex: Extraction) -> Extraction:
    """A shallow copy of ``ex`` whose documents hold no clause tree (the caller's object is left as it is)."""
    if not any(d.clauses for d in ex.documents):
        return ex
    return ex.model_copy(update={"documents": [d.model_copy(update={"clauses": []}) for d in ex.documents]})


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
                                   "label": threshold_label(t.metric, t.condition),
                                   "label_ru": threshold_label(t.metric, t.condition, "ru"), "exact_condition": t.condition})
    for s in extra.values():
        s["condition_cues"] = None
    return slots + list(extra.values())


# ------------------------------------------------------------------------ text


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


def find_cue(doc: Document, cues: list[str]) -> Span | None:
    """Span of the first clause or requirement whose text holds one of the stems."""
    def walk(cs) -> Span | None:
        for c in cs:
            if any(cue in c.text.lower() for cue in cues):
                return c.span
            hit = walk(c.children)
            if hit:
                return hit
        return None

    hit = walk(doc.clauses)
    if hit:
        return hit
    for r in doc.requirements:
        if any(cue in r.text.lower() for cue in cues):
            return r.span
    return None


# ------------------------------------------------------------------ compliance


@dataclass
class Standing:
    """Where one agency stands on one item of the federal standard.

    ``delta`` is the agency's value minus the standard's, in the standard's
    unit (−5 for 5 working days against 10); ``span`` points at the value in
    ``entry``'s source."""

    item: dict
    status: str                              # one of STATUSES
    threshold: Threshold | None = None
    requirement: Requirement | None = None
    entry: Entry | None = None
    delta: float | None = None
    span: Span | None = None
    lacking: list[str] | None = None         # channel_kinds: the kinds the Перечень lacks
    counts: dict[str, int] | None = None     # channel_kinds: touchpoints per kind

    @property
    def met(self) -> bool:
        return self.status in ("compliant", "stricter")


def standing(a: Agency, item: dict) -> Standing:
    """The agency's standing on one compliance item (vocab/compliance.json)."""
    if item["check"] == "threshold":
        found = slot_values(a, item)
        if not found:
            return Standing(item, "missing", entry=a.threshold_source)
        comparable = [(r, t) for r, t in found if comparable_units(t.unit, item["unit"])]
        if not comparable:
            r, t = found[0]
            return Standing(item, "other", t, r, a.threshold_source, None, t.span or r.span)
        r, t = min(comparable, key=lambda rt: in_base_unit(rt[1].value, rt[1].unit))
        fed = in_base_unit(item["value"], item["unit"])
        v = in_base_unit(t.value, t.unit)
        larger_is_stricter = item.get("comparator") in (">=", ">")
        status = "compliant" if v == fed else "stricter" if (v < fed) != larger_is_stricter else "looser"
        delta = (v - fed) / in_base_unit(1, item["unit"])
        return Standing(item, status, t, r, a.threshold_source, round(delta, 2), t.span or r.span)
    if item["check"] == "channel_kinds":
        e = a.registry
        if not e:
            return Standing(item, "missing")
        counts = {k: sum(t.kind == k for t in e.doc.touchpoints) for k in item["kinds"]}
        lacking = [k for k in item["kinds"] if not counts[k]]
        span = e.doc.touchpoints[0].span if e.doc.touchpoints else None
        return Standing(item, "looser" if lacking else "compliant", entry=e, span=span, lacking=lacking, counts=counts)
    if item["check"] == "text":
        for e in reversed(a.versions):
            if e.doc.kind == "draft" and not a.draft_only:
                continue
            span = e.cues[item["id"]] if item["id"] in e.cues else find_cue(e.doc, item["cues"])
            if span:
                return Standing(item, "compliant", entry=e, span=span)
        return Standing(item, "missing")
    raise CompareInputError(None, f"unknown check {item['check']!r} in compliance.json")
