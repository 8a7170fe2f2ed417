"""The registry as reviewed: every read of the store through the corrections overlay.

These are the calls for every reader of the registry, so that an analyst's
corrections show everywhere and nothing reads the bare extraction by mistake:

- :func:`reviewed_registry` / :func:`reviewed_thresholds` — the rows of the
  ``current_registry`` / ``current_thresholds`` views (same columns) with
  corrections applied, rejected rows removed, added rows appended, and a
  ``corrected`` column naming what the analyst changed ('' when nothing,
  'channel', 'added'…) — for ``registry export``;
- :func:`reviewed_extractions` — ``Store.extractions()`` with every document
  corrected — for ``registry compare``;
- :func:`reviewed_version` — ``Store.load_version()`` corrected — for
  ``registry diff --agency`` and ``registry versions``;
- :func:`overlay_document` — one document with its :class:`~.overlay.Overlaid`
  (statuses and marks) — for the review page.

    >>> with Store.open("outputs/registry.sqlite", must_exist=True) as store:  # doctest: +SKIP
    ...     [r["channel"] for r in reviewed_registry(store) if r["corrected"]]
    ['social_network']
"""

from __future__ import annotations

from typing import Iterator

from pipeline.jsonio import validate_extraction
from pipeline.models import Document, Extraction
from pipeline.review.book import Book, FileRow
from pipeline.review.overlay import APPLIED, Overlaid, apply
from pipeline.store import Store, Version


def overlay_document(store: Store, ext_id: int, doc: Document, book: Book | None = None,
                     file: FileRow | None = None) -> Overlaid:
    book = book or Book(store)
    f = file or book.file_row(ext_id)
    return apply(doc, book.for_document(f, doc))


def corrected_extraction(store: Store, ext_id: int, ex: Extraction, book: Book | None = None) -> Extraction:
    """``ex`` (stored as extraction ``ext_id``) with every document's corrections applied."""
    book = book or Book(store)
    f = book.file_row(ext_id)
    docs = []
    for d in ex.documents:
        corrections = book.for_document(f, d)
        # most documents have no correction: kept as they are (the overlay's copy and validation cost 0.1 s each)
        docs.append(apply(d, corrections).doc if corrections else d)
    if all(a is b for a, b in zip(docs, ex.documents)):
        return ex
    return ex.model_copy(update={"documents": docs})


def reviewed_extractions(store: Store, include_superseded: bool = True) -> Iterator[tuple[int, Extraction]]:
    book = Book(store)
    for ext_id, ex in store.extractions(include_superseded=include_superseded):
        yield ext_id, corrected_extraction(store, ext_id, ex, book)


def reviewed_version(store: Store, v: Version) -> tuple[Extraction, Document]:
    ex, doc = store.load_version(v)
    return ex, overlay_document(store, v.extraction_id, doc).doc


# the documents the current_thresholds view picks (current_documents is the one of current_registry)
_THRESHOLD_DOCS = ("(SELECT * FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC,"
                   " v.kind = 'order' DESC) AS recency FROM agency_versions v WHERE v.kind IN ('order', 'appendix')"
                   " AND v.n_thresholds > 0) WHERE recency = 1)")


def reviewed_registry(store: Store) -> list[dict]:
    """``current_registry`` with the overlay applied (see the module docstring)."""
    out: list[dict] = []
    for cur, ov in _docs_of(store, "current_documents"):
        items = [(f"touchpoints[{i}]", tp) for i, tp in enumerate(ov.data["touchpoints"])]
        items += [(None, tp) for r, tp in ov.added if r.target == "touchpoints"]
        for path, tp in items:
            if path in ov.rejected:
                continue
            out.append({**cur, "row": tp.get("row"), "row_label": tp.get("row_label"), **_touchpoint_columns(tp),
                        "line": _line(tp.get("span")),
                        "corrected": "added" if path is None else ", ".join(ov.fields_corrected(path))})
    return out


def reviewed_thresholds(store: Store) -> list[dict]:
    """``current_thresholds`` with the overlay applied; ``corrected`` names the changed fields."""
    out: list[dict] = []
    for cur, ov in _docs_of(store, _THRESHOLD_DOCS):
        reqs = [(f"requirements[{i}]", r) for i, r in enumerate(ov.data["requirements"])]
        reqs += [(None, r) for res, r in ov.added if res.target == "requirements"]
        for rpath, req in reqs:
            if rpath in ov.rejected:
                continue
            for j, th in enumerate(req.get("thresholds") or []):
                path = f"{rpath}.thresholds[{j}]" if rpath else None
                if path in ov.rejected:
                    continue
                out.append({**cur, "clause": req.get("clause"), "channel": req.get("channel"),
                            **{k: th.get(k) for k in ("metric", "value", "unit", "comparator", "condition", "raw")},
                            "line": _line(th.get("span")) or _line(req.get("span")),
                            "corrected": "added" if path is None else ", ".join(ov.fields_corrected(path))})
    return out


def _docs_of(store: Store, view: str) -> Iterator[tuple[dict, Overlaid]]:
    """(registry columns of the document as corrected, its overlay) for each document the view picks."""
    book = Book(store)
    loaded: dict[int, Extraction] = {}
    for r in store.conn.execute(f"SELECT * FROM {view} ORDER BY agency_key").fetchall():
        ext_id = r["extraction_id"]
        if ext_id not in loaded:
            row = store.conn.execute("SELECT json FROM extractions WHERE id = ?", (ext_id,)).fetchone()
            loaded[ext_id] = validate_extraction(row["json"], f"stored extraction {ext_id}")
        doc = next(d for d in loaded[ext_id].documents if d.id == r["doc_id"])
        ov = overlay_document(store, ext_id, doc, book)
        cols = {"agency_key": r["agency_key"], "agency": r["agency"], "region": r["region"],
                "region_code": r["region_code"], "order_date": r["date"], "order_number": r["number"],
                "source_path": r["source_path"], "doc_id": r["doc_id"], "version": r["version"]}
        cols.update(_meta_columns(ov))
        yield cols, ov


def _line(span: dict | None) -> int | None:
    return span.get("line") if span else None


def _meta_columns(ov: Overlaid) -> dict:
    """Registry columns that come from the document's meta, where a correction changed them."""
    m = ov.data["meta"]
    fixed = {r.target for rs in ov.marks.values() for r in rs if r.status == APPLIED and r.target.startswith("meta.")}
    names = {"meta.date": ("order_date", "date"), "meta.number": ("order_number", "number"),
             "meta.agency": ("agency", "agency"), "meta.region": ("region", "region"),
             "meta.region_code": ("region_code", "region_code")}
    return {col: m.get(key) for path, (col, key) in names.items() if path in fixed}


def _touchpoint_columns(tp: dict) -> dict:
    return {"direction": tp.get("direction"), "direction_code": tp.get("direction_code"), "service": tp.get("service"),
            "name": tp.get("name"), "channel": tp.get("channel"), "kind": tp.get("kind"),
            "needs": "; ".join(tp.get("needs") or []), "need_codes": ", ".join(tp.get("need_codes") or []),
            "features": tp.get("features")}
