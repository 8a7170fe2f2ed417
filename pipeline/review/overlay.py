"""Corrections resolved against a document as it is extracted now, and applied.

A correction names a value by its JSON path *as it was when the analyst made
it*, with the value it had then (``old``) and, for every list item on the way,
the item's anchor (its raw printed text and where it started). Against the
document as extracted now (the same extraction, a re-extraction by a newer
extractor, or a changed file) each correction is:

- ``applied``  — the item was found (at its index, or by its anchor after rows
  moved) and the value is still ``old``: the new value is used;
- ``matches``  — the value is already what the analyst wanted (a later
  extractor fixed it; an added item is now extracted): nothing to do;
- ``stale``    — the item was found but its value is neither ``old`` nor the
  correction's: shown for a decision, never applied;
- ``orphaned`` — the item (or the document) is gone: shown, never applied;
- ``overridden`` — a later correction of the same value wins.

Nothing is dropped silently: every active correction comes back with a status.

    >>> doc = {"touchpoints": [{"name_raw": "СЭД", "name": "СЭД", "channel": "edms", "span": {"start": 10}}]}
    >>> c = Correction(path="touchpoints[0].channel", action="edit", old="edms", new="email",
    ...                anchors=[{"raw": "СЭД", "start": 10}])
    >>> [(r.status, r.target) for r in resolve(doc, [c])]
    [('applied', 'touchpoints[0].channel')]
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pipeline.models import Document
from pipeline.review import jsonpath
from pipeline.review.fields import FAMILIES

ACTIONS = ("accept", "edit", "reject", "add")
APPLIED, MATCHES, STALE, ORPHANED, OVERRIDDEN = "applied", "matches", "stale", "orphaned", "overridden"
STATUS_RU = {APPLIED: "применена", MATCHES: "совпадает с извлечением", STALE: "устарела — нужно решение",
             ORPHANED: "значение не найдено", OVERRIDDEN: "заменена более поздней"}
ACTION_RU = {"accept": "принято", "edit": "исправлено", "reject": "отклонено", "add": "добавлено"}


@dataclass
class Correction:
    """One correction (a row of the ``corrections`` table)."""

    path: str
    action: str
    old: Any = None
    new: Any = None
    anchors: list[dict] = field(default_factory=list)  # per list item on the path: {raw, start}
    span: dict | None = None  # the value's span, or the selection of an added item
    comment: str | None = None
    reviewer: str | None = None
    created_at: str | None = None
    id: int | None = None
    uid: str | None = None
    sha256: str | None = None
    source_path: str | None = None
    doc_id: str | None = None
    doc_anchor: dict = field(default_factory=dict)  # kind, date, number, agency_key of the document
    state: str = "active"  # active | withdrawn


@dataclass
class Resolved:
    correction: Correction
    status: str
    target: str | None = None  # the path in the document as extracted now
    current: Any = None  # the value there now (for a stale decision)


def anchor_of(family: str, item: dict) -> str:
    fam = FAMILIES.get(family)
    return fam.anchor(item) if fam else ""


def anchors_for(doc: dict, path: str) -> list[dict]:
    """The anchors of the list items on ``path`` in ``doc`` (recorded with a correction)."""
    tokens = jsonpath.parse(path)
    out = []
    for prefix in jsonpath.item_prefixes(tokens):
        item = jsonpath.get(doc, prefix)
        out.append({"raw": anchor_of(prefix[-1][0], item), "start": (item.get("span") or {}).get("start")})
    return out


def snapshot(family: str, item: dict) -> dict:
    """What an accept or reject of a whole item remembers: its anchor and shown fields."""
    fam = FAMILIES.get(family)
    names = [f.name for f in fam.fields] if fam else []
    return {"anchor": anchor_of(family, item), **{n: item.get(n) for n in names}}


def _find(doc: dict, c: Correction) -> list[jsonpath.Token] | None:
    """The path of the correction's value in ``doc`` as extracted now, or None."""
    tokens = jsonpath.parse(c.path)
    out: list[jsonpath.Token] = []
    anchors = iter(c.anchors)
    cur: Any = doc
    for name, idx in tokens:
        if not isinstance(cur, dict) or name not in cur:
            return None
        cur = cur[name]
        if idx is None:
            out.append((name, None))
            continue
        want = next(anchors, None) or {}
        if not isinstance(cur, list):
            return None
        k = _match_item(name, cur, idx, want)
        if k is None:
            return None
        cur = cur[k]
        out.append((name, k))
    return out


def _match_item(family: str, items: list, idx: int, want: dict) -> int | None:
    raw = want.get("raw")
    if raw is None:  # no anchor recorded: trust the index
        return idx if idx < len(items) else None
    if idx < len(items) and anchor_of(family, items[idx]) == raw:
        return idx
    hits = [k for k, it in enumerate(items) if anchor_of(family, it) == raw]
    if not hits:
        return None
    start = want.get("start") or 0
    return min(hits, key=lambda k: (abs(((items[k].get("span") or {}).get("start") or 0) - start), k))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def resolve(doc: dict, corrections: list[Correction]) -> list[Resolved]:
    """The status of each active correction against ``doc`` (a ``Document.model_dump()``), oldest first."""
    out: list[Resolved] = []
    for c in sorted((c for c in corrections if c.state == "active"), key=lambda c: (c.created_at or "", c.id or 0)):
        if c.action == "add":
            try:
                items = jsonpath.get(doc, c.path)
            except jsonpath.PathError:
                out.append(Resolved(c, ORPHANED))
                continue
            family = jsonpath.parse(c.path)[-1][0]
            raw = anchor_of(family, c.new or {})
            found = any(anchor_of(family, it) == raw for it in items) if raw else False
            out.append(Resolved(c, MATCHES if found else APPLIED, c.path))
            continue
        tokens = _find(doc, c)
        if tokens is None:
            out.append(Resolved(c, ORPHANED))
            continue
        current = jsonpath.get(doc, tokens)
        whole_item = tokens[-1][1] is not None
        if whole_item:
            current = snapshot(tokens[-1][0], current)
            ok = all(_same(current.get(k), v) for k, v in (c.old or {}).items())
            status = APPLIED if ok else STALE
        elif _same(current, c.old):
            status = APPLIED
        elif c.action == "edit" and _same(current, c.new):
            status = MATCHES
        else:
            status = STALE
        out.append(Resolved(c, status, jsonpath.fmt(tokens), current))
    # a later correction of the same value wins
    last: dict[str, Resolved] = {}
    for r in out:
        if r.status in (APPLIED, MATCHES) and r.correction.action != "add":
            key = r.target + ("#item" if r.correction.action in ("accept", "reject") and r.target.endswith("]") else "")
            if key in last:
                last[key].status = OVERRIDDEN
            last[key] = r
    return out


@dataclass
class Overlaid:
    """A document with its corrections applied."""

    doc: Document  # the corrected document (rejected items removed, added ones appended)
    resolved: list[Resolved]
    marks: dict[str, list[Resolved]]  # target path (as extracted) → corrections on it or inside it
    rejected: set[str]  # item paths rejected
    added: list[tuple[Resolved, dict]]  # added items, in the order appended
    data: dict  # the corrected dict before rejected items are removed (indexes as extracted)

    def mark(self, path: str) -> list[Resolved]:
        return self.marks.get(path, [])

    def fields_corrected(self, item_path: str) -> list[str]:
        """Names of the fields of one item that a correction changed."""
        prefix = item_path + "."
        return sorted({r.target[len(prefix):] for rs in self.marks.values() for r in rs
                       if r.status == APPLIED and r.correction.action == "edit" and r.target.startswith(prefix)})

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.resolved:
            out[r.status] = out.get(r.status, 0) + 1
        return out


def apply(document: Document, corrections: list[Correction]) -> Overlaid:
    """``document`` with the corrections that still apply; the others are reported, not applied."""
    data = document.model_dump(mode="json")
    resolved = resolve(data, corrections)
    corrected = copy.deepcopy(data)
    marks: dict[str, list[Resolved]] = {}
    rejected: set[str] = set()
    added: list[tuple[Resolved, dict]] = []
    for r in resolved:
        if r.target:
            marks.setdefault(r.target, []).append(r)
        if r.status != APPLIED:
            continue
        c = r.correction
        if c.action == "edit":
            jsonpath.put(corrected, r.target, c.new)
        elif c.action == "reject":
            if r.target.endswith("]"):
                rejected.add(r.target)
            else:
                jsonpath.put(corrected, r.target, None)
        elif c.action == "add":
            added.append((r, copy.deepcopy(c.new)))
    model = _validated(corrected, rejected, added, document)
    return Overlaid(model, resolved, marks, rejected, added, corrected)


_GONE = object()  # a rejected item, removed after every index was used


def _validated(corrected: dict, rejected: set[str], added: list[tuple[Resolved, dict]], original: Document) -> Document:
    out = copy.deepcopy(corrected)
    for path in rejected:
        tokens = jsonpath.parse(path)
        parent = jsonpath.get(out, tokens[:-1]) if len(tokens) > 1 else out
        name, idx = tokens[-1]
        parent[name][idx] = _GONE
    _drop_gone(out)
    for r, item in added:
        jsonpath.get(out, r.target).append(item)
    try:
        return Document.model_validate(out)
    except ValueError:
        # a correction that no longer fits the model (it was valid when made): keep the
        # extraction as it is rather than fail a read of the whole registry
        return original


def _drop_gone(data: Any) -> None:
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(v, list):
                data[k] = [x for x in v if x is not _GONE]
            _drop_gone(data[k])
    elif isinstance(data, list):
        for x in data:
            _drop_gone(x)
