"""The store's tables (their SQL in :mod:`pipeline.store_schema`) and how an extraction fills them.

    extractions   one row per ingested file version (path, sha256, json)
    documents     one row per document (order, draft, memo) with its meta
    touchpoints   the Перечень rows; touchpoint_needs: one row per need code
    requirements  service requirements; thresholds: their numeric limits
    definitions   terms and definitions
    warnings      everything the parser flagged, per file or document
    appendices, legal_basis, working_group, tasks   (migration 2)
    corrections, review_status   the analyst's overlay and review status (migration 4, pipeline.review)
    extractions.extractor_version   what made each extraction (migration 5, ``ingest --upgrade``)
    file_paths    every path of a content, one current extraction per path (migration 6)

and views that answer the usual questions:

    agency_versions   acts per agency (orders, drafts, appendices published alone), ordered
                      by date (version 1, 2, …; documents of one act share a version)
    current_documents the latest signed order (or appendix published alone) per agency that has touchpoints
    current_registry  the touchpoints of those orders (the current registry)
    current_thresholds the thresholds of the latest signed order that has thresholds

The schema is created and upgraded by numbered migrations (``MIGRATIONS``,
applied by :meth:`pipeline.store.Store.migrate`). A document's agency is the
one decided at extraction (:func:`pipeline.identity.agency_of`).

Example::

    >>> from pipeline.jsonio import load_extraction
    >>> conn = sqlite3.connect(":memory:")
    >>> conn.executescript(SCHEMA_1 + SCHEMA_2) and None
    >>> with conn:
    ...     insert_extraction(conn, load_extraction("outputs/sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.json"))
    1
    >>> conn.execute("SELECT kind, number FROM documents").fetchall()
    [('order', '1-3.11-24/24')]
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from typing import Callable

from pipeline import __version__
from pipeline.agency import document_agency_name, document_region
from pipeline.errors import PipelineError
from pipeline.identity import agency_of, sort_date
from pipeline.jsonio import first_error, validate_extraction
from pipeline.models import Document, Extraction
from pipeline.store_schema import SCHEMA_1, SCHEMA_2, SCHEMA_3, SCHEMA_4, SCHEMA_5, SCHEMA_6

# ------------------------------------------------------------------ migrations


def _backfill_2(c: sqlite3.Connection) -> None:
    """Fill the tables of migration 2 from the extraction JSON already stored."""
    for ext in c.execute("SELECT id, json FROM extractions").fetchall():
        try:
            ex = validate_extraction(ext[1], f"stored extraction {ext[0]}")
        except PipelineError as exc:
            c.execute("INSERT INTO warnings (extraction_id, document_id, code, severity, message, line) VALUES (?,?,?,?,?,?)",
                      (ext[0], None, "migration_skipped", "warning",
                       f"migration 2 could not read this extraction ({first_error(exc)}); re-ingest with --force", None))
            continue
        rows = {r[1]: r[0] for r in c.execute("SELECT id, doc_id FROM documents WHERE extraction_id = ?", (ext[0],))}
        for doc in ex.documents:
            if doc.id in rows:
                insert_document_details(c, rows[doc.id], doc)


def _add_extractor_version(c: sqlite3.Connection) -> None:
    if "extractor_version" not in {r[1] for r in c.execute("PRAGMA table_info(extractions)")}:
        c.execute(SCHEMA_5)


# (version, name, SQL, backfill from stored JSON or None). Append new
# migrations; never edit an applied one. Each runs in one transaction.
MIGRATIONS: list[tuple[int, str, str, Callable[[sqlite3.Connection], None] | None]] = [
    (1, "initial tables and views", SCHEMA_1, None),
    (2, "appendices, legal basis, working group, tasks", SCHEMA_2, _backfill_2),
    (3, "appendices published alone are versions of the act they cite", SCHEMA_3, None),
    (4, "review: corrections overlay and review status", SCHEMA_4, None),
    (5, "extractor version of each extraction", "", _add_extractor_version),
    (6, "every path of a content; one current extraction per path", SCHEMA_6, None),
]


def sql_statements(sql: str) -> list[str]:
    """A migration's SQL cut into statements (``executescript`` would commit
    the transaction that holds the migration lock)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf)
            buf = ""
    return out + ([buf] if buf.strip() else [])


def now() -> str:
    """UTC time of a write, to the second (``ingested_at``, ``applied_at``)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------ row writers


def insert_extraction(c: sqlite3.Connection, ex: Extraction, path: str | None = None, sha256: str | None = None,
                      extractor_version: str | None = None) -> int:
    """Insert one extraction and its normalized rows (caller commits).
    ``extractor_version``: what made it (:func:`pipeline.journal.extractor_version`), if known."""
    cur = c.execute(
        "INSERT INTO extractions (path, sha256, format, size_bytes, schema_version, vocab_versions,"
        " pipeline_version, ingested_at, json, extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (path or ex.source.path, sha256 or ex.source.sha256, ex.source.format, ex.source.size_bytes,
         ex.schema_version, json.dumps(ex.vocab_versions, sort_keys=True), __version__, now(),
         ex.model_dump_json(), extractor_version),
    )
    ext_id = cur.lastrowid
    for w in ex.warnings:
        c.execute("INSERT INTO warnings (extraction_id, document_id, code, severity, message, line) VALUES (?,?,?,?,?,?)",
                  (ext_id, None, w.code, w.severity, w.message, _line(w.span)))
    for pos, doc in enumerate(ex.documents):
        _insert_document(c, ext_id, pos, ex, doc)
    return ext_id


def _insert_document(c: sqlite3.Connection, ext_id: int, pos: int, ex: Extraction, doc: Document) -> None:
    m = doc.meta
    region, region_code = document_region(ex, doc)
    n_thr = sum(len(r.thresholds) for r in doc.requirements)
    cur = c.execute(
        "INSERT INTO documents (extraction_id, doc_id, position, kind, doc_type, agency, agency_key, region,"
        " region_code, date, number, place, title, signatory_name, signatory_position, registration_number,"
        " registration_date, sort_date, n_touchpoints, n_requirements, n_thresholds, n_definitions, n_warnings,"
        " line, end_line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (ext_id, doc.id, pos, doc.kind, m.doc_type, document_agency_name(ex, doc), agency_of(ex, doc),
         region, region_code, m.date, m.number, m.place, m.title, m.signatory.name, m.signatory.position,
         m.registration.number if m.registration else None, m.registration.date if m.registration else None,
         sort_date(ex, doc), len(doc.touchpoints), len(doc.requirements), n_thr, len(doc.definitions),
         len(doc.warnings), doc.span.line, doc.span.end_line),
    )
    doc_row = cur.lastrowid
    for i, t in enumerate(doc.touchpoints):
        tid = c.execute(
            "INSERT INTO touchpoints (document_id, position, row, row_label, direction, direction_code, service,"
            " name, channel, channel_raw, kind, kind_source, needs, need_codes, features, source, line)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc_row, i, t.row, t.row_label, t.direction, t.direction_code, t.service, t.name, t.channel,
             t.channel_raw, t.kind, t.kind_source, "; ".join(t.needs), ", ".join(t.need_codes), t.features,
             t.source, _line(t.span)),
        ).lastrowid
        c.executemany("INSERT INTO touchpoint_needs VALUES (?, ?)", [(tid, code) for code in t.need_codes])
    for i, r in enumerate(doc.requirements):
        rid = c.execute(
            "INSERT INTO requirements (document_id, position, clause, channel, text, line) VALUES (?,?,?,?,?,?)",
            (doc_row, i, r.clause, r.channel, r.text, _line(r.span)),
        ).lastrowid
        for th in r.thresholds:
            c.execute(
                "INSERT INTO thresholds (requirement_id, document_id, metric, value, unit, comparator, condition, raw, line)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (rid, doc_row, th.metric, th.value, th.unit, th.comparator, th.condition, th.raw, _line(th.span) or _line(r.span)),
            )
    for i, d in enumerate(doc.definitions):
        c.execute("INSERT INTO definitions (document_id, position, term, definition, clause, line) VALUES (?,?,?,?,?,?)",
                  (doc_row, i, d.term, d.definition, d.clause, _line(d.span)))
    for w in doc.warnings:
        c.execute("INSERT INTO warnings (extraction_id, document_id, code, severity, message, line) VALUES (?,?,?,?,?,?)",
                  (ext_id, doc_row, w.code, w.severity, w.message, _line(w.span)))
    insert_document_details(c, doc_row, doc)


def insert_document_details(c: sqlite3.Connection, doc_row: int, doc: Document) -> None:
    """Rows of the tables added by migration 2."""
    for i, a in enumerate(doc.appendices):
        c.execute("INSERT INTO appendices (document_id, position, label, title, kind, present, approval_date,"
                  " approval_number, line) VALUES (?,?,?,?,?,?,?,?,?)",
                  (doc_row, i, a.label, a.title, a.kind, int(a.present), a.approval.date if a.approval else None,
                   a.approval.number if a.approval else None, _line(a.span)))
    for i, act in enumerate(doc.meta.legal_basis):
        c.execute("INSERT INTO legal_basis (document_id, position, issuer, doc_type, date, number, title, raw, line)"
                  " VALUES (?,?,?,?,?,?,?,?,?)",
                  (doc_row, i, act.issuer, act.doc_type, act.date, act.number, act.title, act.raw, _line(act.span)))
    for i, m in enumerate(doc.working_group):
        c.execute("INSERT INTO working_group (document_id, position, name, job_title, role, line) VALUES (?,?,?,?,?,?)",
                  (doc_row, i, m.name, m.position, m.role, _line(m.span)))
    for i, t in enumerate(doc.tasks):
        c.execute("INSERT INTO tasks (document_id, position, clause, text, assignee, deadline, deadline_raw, line)"
                  " VALUES (?,?,?,?,?,?,?,?)",
                  (doc_row, i, t.clause, t.text, t.assignee, t.deadline, t.deadline_raw, _line(t.span)))


def _line(span) -> int | None:
    return span.line if span is not None else None


def wal_mode(conn: sqlite3.Connection, timeout: float) -> None:
    """WAL mode. Switching needs the file to itself, and SQLite answers "locked"
    at once, without its busy handler, while another process opens the same new
    store: try again for up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
