"""What changed between two versions of an order.

Compares two documents (two extraction JSONs, two source files, two documents
of one JSON as ``FILE.json#d1 FILE.json#d3``, or an agency's two latest
versions in the store) and reports:

- meta changes (number, date, signatory, …);
- touchpoints added / removed / changed, rows matched by service and name
  (exact first, then fuzzy with rapidfuzz), with the changed fields;
- thresholds changed ("publication deadline 10 → 5 working days") and
  requirements added / removed / reworded;
- definitions added / removed / reworded, with a word-level diff;
- clauses matched by text whatever their labels (:mod:`pipeline.diff_clauses`):
  a re-lettered or unlettered clause is *relabelled*, not removed and added,
  and a requirement whose clause is still there under another label is not
  reported as removed;
- working-group members added / removed.

Versions of an agency in the store are taken in the comparison's order: a
draft before the signed act of its date (:func:`version_order`), so
``diff --agency`` compares the draft with the order that was signed from it.

The result is a :class:`pipeline.diff_model.DocumentDiff`;
:mod:`pipeline.report.difftext` renders it as text or Markdown.

Example::

    >>> f = "outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json"
    >>> d = diff_specs(f + "#d1", f + "#d3")
    >>> [(c.field, c.old, c.new) for c in d.meta]
    [('kind', 'order', 'draft'), ('date', '2024-09-27', None), ('number', '154-ОД', None), ('signatory.name', 'Н.Р. Халилов', 'Н. Халилов')]
    >>> d.touchpoints_same
    True
    >>> [(c.key, c.new_key) for c in d.requirements if c.status == "relabelled"][:1]
    [('3 3.2 е)', '3 3.2 д)')]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipeline.diff_clauses import clause_changes, flat_clauses, match_clauses
from pipeline.diff_model import (
    DocRef,
    DocumentDiff,
    FieldChange,
    TextChange,
    ThresholdChange,
    ThresholdRef,
    TouchpointChange,
    TouchpointRef,
)
from pipeline.errors import DiffInputError, PipelineError
from pipeline.jsonio import load_extraction
from pipeline.models import Document, Extraction, Touchpoint
from pipeline.review.registry import reviewed_version
from pipeline.run import extract_file
from pipeline.store import Store, Version
from pipeline.textsim import (
    definition_key,
    format_value,
    norm,
    similarity,
    threshold_label,
    word_diff,
)

TOUCHPOINT_MATCH = 85.0   # rapidfuzz token_sort_ratio on "service | name" to pair two rows
REQUIREMENT_MATCH = 70.0  # ratio above which a requirement counts as reworded, not removed + added
DEFINITION_MATCH = 88.0   # term similarity when term lemma keys differ

META_FIELDS = [
    "kind", "doc_type", "agency", "region", "region_code", "date", "number", "place", "title",
    "signatory.name", "signatory.position", "registration.number", "registration.date",
]
TOUCHPOINT_FIELDS = ["service", "name", "direction_code", "channel", "kind", "need_codes", "needs", "features"]


# --------------------------------------------------------------------- loading

_DOC_SUFFIX = re.compile(r"^(?P<path>.+)#(?P<doc>d\d+)$")


def load_side(spec: str | Path) -> tuple[Extraction, Document]:
    """``FILE.json``, ``FILE.json#d3``, or a source file (extracted now).

    Without ``#dN`` the first signed order is taken, else the first order or
    draft, else the first document."""
    spec = str(spec)
    m = _DOC_SUFFIX.match(spec)
    path, doc_id = (Path(m["path"]), m["doc"]) if m else (Path(spec), None)
    if not path.is_file():
        raise DiffInputError(path, "no such file")
    if path.suffix.lower() == ".json":
        try:
            ex = load_extraction(path)
        except PipelineError as exc:  # same reason as every loader, with the diff's hint
            raise DiffInputError(path, exc.reason) from None
    else:
        ex = extract_file(path)
    return ex, pick_document(ex, doc_id, path)


def pick_document(ex: Extraction, doc_id: str | None, path: str | Path) -> Document:
    if doc_id:
        for d in ex.documents:
            if d.id == doc_id:
                return d
        have = ", ".join(f"{d.id} ({d.kind})" for d in ex.documents) or "none"
        raise DiffInputError(path, f"no document {doc_id}; the file holds {have}")
    for kinds in (("order",), ("order", "draft")):
        for d in ex.documents:
            if d.kind in kinds:
                return d
    if ex.documents:
        return ex.documents[0]
    raise DiffInputError(path, "the file holds no documents")


def doc_ref(ex: Extraction, doc: Document) -> DocRef:
    name = Path(ex.source.path).name
    m = doc.meta
    label = f"{name}#{doc.id} ({doc.kind}, {m.date or 'undated'}, № {m.number or '—'})"
    return DocRef(label=label, path=ex.source.path, doc_id=doc.id, kind=doc.kind,
                  agency=m.agency, date=m.date, number=m.number)


def diff_specs(old: str | Path, new: str | Path) -> DocumentDiff:
    """Diff two sides given as paths (see :func:`load_side`)."""
    o_ex, o_doc = load_side(old)
    n_ex, n_doc = load_side(new)
    return diff_documents(o_ex, o_doc, n_ex, n_doc)


def diff_agency(db: str | Path, agency: str) -> DocumentDiff:
    """Diff the two latest versions (orders or drafts) of an agency in the store."""
    with Store.open(db, readonly=True) as store:
        key = store.resolve_agency(agency)
        versions = version_order(store.versions(key))
        if len(versions) < 2:
            raise DiffInputError(db, f"agency {key!r} has {len(versions)} version(s); a diff needs two",
                                 "ingest its other orders, or diff two files")
        # with the analyst's corrections applied (pipeline.review)
        (o_ex, o_doc), (n_ex, n_doc) = reviewed_version(store, versions[-2]), reviewed_version(store, versions[-1])
    return diff_documents(o_ex, o_doc, n_ex, n_doc)


def version_order(versions: list[Version]) -> list[Version]:
    """Store versions in the comparison's order: by date, a draft before the
    signed act of its date; an undated draft takes the date of a dated act in
    its own file (it was filed with it), else sorts last."""
    dated = {v.extraction_id: v.date for v in versions if v.date and v.kind != "draft"}

    def key(v: Version) -> tuple:
        date = v.date or dated.get(v.extraction_id) or "9999-12-31"
        return (date, 0 if v.kind == "draft" else 1, v.version)

    return sorted(versions, key=key)


# ----------------------------------------------------------------------- diff


def diff_documents(o_ex: Extraction, old: Document, n_ex: Extraction, new: Document,
                   clauses: bool = True) -> DocumentDiff:
    """Everything that changed from ``old`` to ``new``; ``clauses=False`` skips
    the clause-by-clause comparison (the timeline of many agencies needs only
    touchpoints, thresholds and definitions)."""
    out = DocumentDiff(old=doc_ref(o_ex, old), new=doc_ref(n_ex, new))
    out.meta = diff_meta(old, new)
    _diff_touchpoints(old.touchpoints, new.touchpoints, out)
    out.thresholds = diff_thresholds(old, new)
    out.requirements = diff_texts(
        [(r.clause or "", r.text) for r in old.requirements],
        [(r.clause or "", r.text) for r in new.requirements],
        by_key=False,
    )
    if clauses:
        m = match_clauses(flat_clauses(old), flat_clauses(new))
        out.clauses = clause_changes(m)
        out.clauses_unchanged = len({i for i, _, _ in m.pairs}) - sum(c.status in ("relabelled", "reworded") for c in out.clauses)
        out.requirements = _requirements_by_clause(out.requirements, old, new, m)
    out.definitions = diff_texts(
        [(definition_key(d), d.definition, d.term) for d in old.definitions],
        [(definition_key(d), d.definition, d.term) for d in new.definitions],
        by_key=True,
    )
    o_names = {norm(m.name): m.name for m in old.working_group}
    n_names = {norm(m.name): m.name for m in new.working_group}
    out.members_added = [n_names[k] for k in n_names if k not in o_names]
    out.members_removed = [o_names[k] for k in o_names if k not in n_names]
    return out


def _requirements_by_clause(changes: list[TextChange], old: Document, new: Document, m) -> list[TextChange]:
    """A requirement 'removed' (or 'added') whose clause is on the other side
    under another label is relabelled; under the same label it is no change
    (the requirement reader flagged it on one side only)."""
    o_idx = {c.id: i for i, c in enumerate(m.old)}
    n_idx = {c.id: j for j, c in enumerate(m.new)}
    o_req = {norm(r.text): r for r in old.requirements}
    n_req = {norm(r.text): r for r in new.requirements}
    out = []
    for c in changes:
        if c.status == "removed" and (r := o_req.get(norm(c.old))) and r.clause_id in o_idx:
            j = m.new_for(o_idx[r.clause_id])
            if j is not None:
                if (m.old[o_idx[r.clause_id]].label or "") != (m.new[j].label or ""):
                    out.append(TextChange(status="relabelled", key=c.key, new_key=m.new[j].path, old=c.old, new=m.new[j].text))
                continue
        if c.status == "added" and (r := n_req.get(norm(c.new))) and r.clause_id in n_idx:
            i = m.old_for(n_idx[r.clause_id])
            if i is not None:
                if (m.old[i].label or "") != (m.new[n_idx[r.clause_id]].label or ""):
                    out.append(TextChange(status="relabelled", key=m.old[i].path, new_key=c.key, old=m.old[i].text, new=c.new))
                continue
        out.append(c)
    # the same text paired under another label: relabelled too
    return out


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def diff_meta(old: Document, new: Document) -> list[FieldChange]:
    changes = []
    for f in META_FIELDS:
        o = old.kind if f == "kind" else _get(old.meta, f)
        n = new.kind if f == "kind" else _get(new.meta, f)
        if _norm_val(o) != _norm_val(n):
            changes.append(FieldChange(field=f, old=o, new=n))
    return changes


def _norm_val(v: Any) -> Any:
    return norm(v) if isinstance(v, str) else v


def _tp_key(t: Touchpoint) -> str:
    return f"{norm(t.service)} | {norm(t.name)}"


def _tp_ref(t: Touchpoint) -> TouchpointRef:
    return TouchpointRef(row=t.row, service=t.service, name=t.name, channel=t.channel, kind=t.kind,
                         line=t.span.line if t.span else None)


def _tp_value(t: Touchpoint, f: str) -> Any:
    v = getattr(t, f)
    if f == "need_codes":
        return sorted(v)
    if isinstance(v, list):
        return [norm(x) for x in v]
    return _norm_val(v)


def _diff_touchpoints(old: list[Touchpoint], new: list[Touchpoint], out: DocumentDiff) -> None:
    from rapidfuzz import fuzz

    pairs: list[tuple[int, int, float]] = []
    o_left, n_left = list(range(len(old))), list(range(len(new)))
    # exact keys first, in order, so repeated names pair up one to one
    for i in list(o_left):
        for j in n_left:
            if _tp_key(old[i]) == _tp_key(new[j]):
                pairs.append((i, j, 100.0))
                o_left.remove(i)
                n_left.remove(j)
                break
    scored = sorted(
        ((fuzz.token_sort_ratio(_tp_key(old[i]), _tp_key(new[j])), i, j) for i in o_left for j in n_left),
        reverse=True,
    )
    for score, i, j in scored:
        if score < TOUCHPOINT_MATCH:
            break
        if i in o_left and j in n_left:
            pairs.append((i, j, round(score, 1)))
            o_left.remove(i)
            n_left.remove(j)
    for i, j, score in sorted(pairs):
        changes = [FieldChange(field=f, old=getattr(old[i], f), new=getattr(new[j], f))
                   for f in TOUCHPOINT_FIELDS if _tp_value(old[i], f) != _tp_value(new[j], f)]
        if changes:
            out.touchpoints_changed.append(TouchpointChange(old=_tp_ref(old[i]), new=_tp_ref(new[j]), score=score, changes=changes))
        else:
            out.touchpoints_unchanged += 1
    out.touchpoints_removed = [_tp_ref(old[i]) for i in o_left]
    out.touchpoints_added = [_tp_ref(new[j]) for j in n_left]


# ----------------------------------------------------------------- thresholds


def _thresholds(doc: Document) -> list[ThresholdRef]:
    return [
        ThresholdRef(metric=t.metric, value=t.value, unit=t.unit, comparator=t.comparator, condition=t.condition,
                     channel=r.channel, clause=r.clause, raw=t.raw)
        for r in doc.requirements for t in r.thresholds
    ]


def diff_thresholds(old: Document, new: Document) -> list[ThresholdChange]:
    """Thresholds paired by metric, channel and condition (fuzzy), then by metric alone."""
    from rapidfuzz import fuzz

    o, n = _thresholds(old), _thresholds(new)
    o_left, n_left = list(range(len(o))), list(range(len(n)))
    pairs = []

    def score(a: ThresholdRef, b: ThresholdRef) -> float:
        if a.metric != b.metric:
            return -1
        s = fuzz.token_sort_ratio(norm(a.condition), norm(b.condition)) if (a.condition or b.condition) else 100.0
        return s + (20 if a.channel == b.channel else 0) + (5 if a.unit == b.unit else 0)

    for s, i, j in sorted(((score(o[i], n[j]), i, j) for i in o_left for j in n_left), reverse=True):
        if s < 60:
            break
        if i in o_left and j in n_left:
            pairs.append((i, j))
            o_left.remove(i)
            n_left.remove(j)
    changes = []
    for i, j in sorted(pairs):
        a, b = o[i], n[j]
        if (a.value, a.unit, a.comparator) != (b.value, b.unit, b.comparator):
            if a.unit == b.unit:  # "publication deadline 10 → 5 working days"
                text = f"{threshold_label(a.metric, a.condition)} {format_value(a.value, '')} → {format_value(b.value, b.unit)}"
            else:
                text = f"{threshold_label(a.metric, a.condition)} {format_value(a.value, a.unit)} → {format_value(b.value, b.unit)}"
            if a.comparator != b.comparator:
                text += f" (comparator {a.comparator} → {b.comparator})"
            changes.append(ThresholdChange(status="changed", metric=a.metric, old=a, new=b, text=text))
    for i in o_left:
        a = o[i]
        changes.append(ThresholdChange(status="removed", metric=a.metric, old=a,
                                       text=f"{threshold_label(a.metric, a.condition)} {a.comparator} {format_value(a.value, a.unit)} removed"))
    for j in n_left:
        b = n[j]
        changes.append(ThresholdChange(status="added", metric=b.metric, new=b,
                                       text=f"{threshold_label(b.metric, b.condition)} {b.comparator} {format_value(b.value, b.unit)} added"))
    return changes


# ----------------------------------------------------------------- text items


def diff_texts(old: list[tuple], new: list[tuple], by_key: bool) -> list[TextChange]:
    """Pair items (key, text[, display]) and report added / removed / reworded.

    ``by_key``: pair by key (definitions: the term's lemmas; near-identical
    keys pair too); otherwise pair by text similarity (requirements)."""
    from rapidfuzz import fuzz

    o_left, n_left = list(range(len(old))), list(range(len(new)))
    pairs = []
    if by_key:
        cands = sorted(((fuzz.ratio(old[i][0], new[j][0]), i, j) for i in o_left for j in n_left), reverse=True)
        limit = DEFINITION_MATCH
    else:
        # identical texts first (cheap), then the most similar
        o_norm, n_norm = [norm(x[1]) for x in old], [norm(x[1]) for x in new]
        cands = sorted(((100.0 if o_norm[i] == n_norm[j] else fuzz.ratio(o_norm[i], n_norm[j]), i, j)
                        for i in o_left for j in n_left), reverse=True)
        limit = REQUIREMENT_MATCH
    for s, i, j in cands:
        if s < limit:
            break
        if i in o_left and j in n_left:
            pairs.append((i, j))
            o_left.remove(i)
            n_left.remove(j)

    def shown(item: tuple) -> str:
        return item[2] if len(item) > 2 else (item[0] or item[1][:60])

    out = []
    for i, j in sorted(pairs):
        a, b = old[i][1], new[j][1]
        if norm(a) != norm(b):
            out.append(TextChange(status="reworded", key=shown(new[j]), old=a, new=b,
                                  similarity=similarity(a, b), words=word_diff(a, b)))
    out += [TextChange(status="removed", key=shown(old[i]), old=old[i][1]) for i in o_left]
    out += [TextChange(status="added", key=shown(new[j]), new=new[j][1]) for j in n_left]
    return out
