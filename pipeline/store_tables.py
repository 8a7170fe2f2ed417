"""The store's tables: the SQL of each migration, and how an extraction fills them.

    extractions   one row per ingested file version (path, sha256, json)
    documents     one row per document (order, draft, memo) with its meta
    touchpoints   the Перечень rows; touchpoint_needs: one row per need code
    requirements  service requirements; thresholds: their numeric limits
    definitions   terms and definitions
    warnings      everything the parser flagged, per file or document
    appendices, legal_basis, working_group, tasks   (migration 2)

and views that answer the usual questions:

    agency_versions   orders and drafts per agency, ordered by date (version 1, 2, …)
    current_documents the latest signed order per agency that has touchpoints
    current_registry  the touchpoints of those orders (the current registry)
    current_thresholds the thresholds of the latest signed order that has thresholds

The schema is created and upgraded by numbered migrations (``MIGRATIONS``,
applied by :meth:`pipeline.store.Store.migrate`). A document's agency is the
one decided at extraction (:func:`pipeline.identity.agency_of`).

Example::

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
from datetime import datetime, timezone
from typing import Callable

from pipeline import __version__
from pipeline.agency import document_agency_name, document_region
from pipeline.errors import PipelineError
from pipeline.identity import agency_of, sort_date
from pipeline.jsonio import first_error, validate_extraction
from pipeline.models import Document, Extraction


# ------------------------------------------------------------------ migrations

SCHEMA_1 = """
CREATE TABLE extractions (
    id               INTEGER PRIMARY KEY,
    path             TEXT NOT NULL,          -- absolute path of the ingested file
    sha256           TEXT NOT NULL,          -- content hash: unchanged files are not re-extracted
    format           TEXT,
    size_bytes       INTEGER,
    schema_version   TEXT,
    vocab_versions   TEXT,                   -- JSON object
    pipeline_version TEXT,
    ingested_at      TEXT NOT NULL,
    superseded       INTEGER NOT NULL DEFAULT 0,  -- 1 once a newer content of the same path is ingested
    json             TEXT NOT NULL           -- the whole extraction (pipeline.models.Extraction)
);
CREATE INDEX extractions_sha ON extractions(sha256);
CREATE INDEX extractions_path ON extractions(path);

CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    extraction_id       INTEGER NOT NULL REFERENCES extractions(id),
    doc_id              TEXT NOT NULL,       -- 'd1', 'd2', … within the file
    position            INTEGER NOT NULL,
    kind                TEXT NOT NULL,       -- order | draft | memo | other
    doc_type            TEXT,
    agency              TEXT,
    agency_key          TEXT NOT NULL,       -- pipeline.agency.agency_key
    region              TEXT,
    region_code         TEXT,
    date                TEXT,
    number              TEXT,
    place               TEXT,
    title               TEXT,
    signatory_name      TEXT,
    signatory_position  TEXT,
    registration_number TEXT,
    registration_date   TEXT,
    sort_date           TEXT NOT NULL,       -- date, or the date of the file's dated act for an undated draft
    n_touchpoints       INTEGER NOT NULL,
    n_requirements      INTEGER NOT NULL,
    n_thresholds        INTEGER NOT NULL,
    n_definitions       INTEGER NOT NULL,
    n_warnings          INTEGER NOT NULL,
    line                INTEGER,
    end_line            INTEGER
);
CREATE INDEX documents_agency ON documents(agency_key);

CREATE TABLE touchpoints (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    position       INTEGER NOT NULL,
    row            INTEGER,
    row_label      TEXT,
    direction      TEXT,
    direction_code TEXT,
    service        TEXT,
    name           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    channel_raw    TEXT,
    kind           TEXT,
    kind_source    TEXT,
    needs          TEXT,                     -- raw needs joined with '; '
    need_codes     TEXT,                     -- codes joined with ', '
    features       TEXT,
    source         TEXT,
    line           INTEGER
);
CREATE TABLE touchpoint_needs (
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id),
    need_code     TEXT NOT NULL
);
CREATE TABLE requirements (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    clause      TEXT,
    channel     TEXT,
    text        TEXT NOT NULL,
    line        INTEGER
);
CREATE TABLE thresholds (
    id             INTEGER PRIMARY KEY,
    requirement_id INTEGER NOT NULL REFERENCES requirements(id),
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    metric         TEXT NOT NULL,
    value          REAL NOT NULL,
    unit           TEXT NOT NULL,
    comparator     TEXT NOT NULL,
    condition      TEXT,
    raw            TEXT,
    line           INTEGER
);
CREATE TABLE definitions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    clause      TEXT,
    line        INTEGER
);
CREATE TABLE warnings (
    id            INTEGER PRIMARY KEY,
    extraction_id INTEGER NOT NULL REFERENCES extractions(id),
    document_id   INTEGER REFERENCES documents(id),   -- NULL for file-level warnings
    code          TEXT NOT NULL,
    severity      TEXT,
    message       TEXT NOT NULL,
    line          INTEGER
);

CREATE VIEW agency_versions AS
SELECT d.*, e.path AS source_path, e.sha256, e.superseded,
       ROW_NUMBER() OVER (PARTITION BY d.agency_key
                          ORDER BY d.sort_date, d.extraction_id, d.position) AS version
FROM documents d JOIN extractions e ON e.id = d.extraction_id
WHERE d.kind IN ('order', 'draft');

CREATE VIEW current_documents AS
SELECT * FROM (
    SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC) AS recency
    FROM agency_versions v WHERE v.kind = 'order' AND v.n_touchpoints > 0
) WHERE recency = 1;

CREATE VIEW current_registry AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       t.row, t.row_label, t.direction, t.direction_code, t.service, t.name,
       t.channel, t.kind, t.needs, t.need_codes, t.features, t.line
FROM current_documents c JOIN touchpoints t ON t.document_id = c.id
ORDER BY c.agency_key, t.position;

CREATE VIEW current_thresholds AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       r.clause, r.channel, th.metric, th.value, th.unit, th.comparator,
       th.condition, th.raw, th.line
FROM (
    SELECT * FROM (
        SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC) AS recency
        FROM agency_versions v WHERE v.kind = 'order' AND v.n_thresholds > 0
    ) WHERE recency = 1
) c
JOIN thresholds th ON th.document_id = c.id
JOIN requirements r ON r.id = th.requirement_id
ORDER BY c.agency_key, th.id;
"""

SCHEMA_2 = """
CREATE TABLE appendices (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    position        INTEGER NOT NULL,
    label           TEXT,
    title           TEXT,
    kind            TEXT,
    present         INTEGER NOT NULL,    -- 0 when the order approves it but the file lacks it
    approval_date   TEXT,
    approval_number TEXT,
    line            INTEGER
);
CREATE TABLE legal_basis (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    issuer      TEXT,
    doc_type    TEXT,
    date        TEXT,
    number      TEXT,
    title       TEXT,
    raw         TEXT,
    line        INTEGER
);
CREATE TABLE working_group (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    job_title   TEXT,
    role        TEXT,
    line        INTEGER
);
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    position     INTEGER NOT NULL,
    clause       TEXT,
    text         TEXT NOT NULL,
    assignee     TEXT,
    deadline     TEXT,
    deadline_raw TEXT,
    line         INTEGER
);
"""


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


# (version, name, SQL, backfill from stored JSON or None). Append new
# migrations; never edit an applied one. Each runs in one transaction.
MIGRATIONS: list[tuple[int, str, str, Callable[[sqlite3.Connection], None] | None]] = [
    (1, "initial tables and views", SCHEMA_1, None),
    (2, "appendices, legal basis, working group, tasks", SCHEMA_2, _backfill_2),
]


def now() -> str:
    """UTC time of a write, to the second (``ingested_at``, ``applied_at``)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------ row writers


def insert_extraction(c: sqlite3.Connection, ex: Extraction, path: str | None = None, sha256: str | None = None) -> int:
    """Insert one extraction and its normalized rows (caller commits)."""
    cur = c.execute(
        "INSERT INTO extractions (path, sha256, format, size_bytes, schema_version, vocab_versions,"
        " pipeline_version, ingested_at, json) VALUES (?,?,?,?,?,?,?,?,?)",
        (path or ex.source.path, sha256 or ex.source.sha256, ex.source.format, ex.source.size_bytes,
         ex.schema_version, json.dumps(ex.vocab_versions, sort_keys=True), __version__, now(),
         ex.model_dump_json()),
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
