"""The registry store: every extracted document in one SQLite file.

Each ingested file keeps its content hash and its whole extraction JSON
(``extractions.json``), and its facts are spread into plain tables an analyst
can query with any SQLite tool (``sqlite3 outputs/registry.sqlite``):

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

The schema is created and upgraded by numbered migrations (``MIGRATIONS``);
the applied ones are listed in ``schema_migrations``.

Example::

    >>> store = Store.open("outputs/registry.sqlite")
    >>> report = store.ingest(["corpus"])
    >>> [v.date for v in store.versions(agency_key("Комитет РСО-Алания по занятости населения"))]
    ['2023-09-09', '2026-03-23']
"""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline import __version__
from pipeline.agency import document_agency_key, document_agency_name, document_region
from pipeline.errors import ExportError, PipelineError, StoreError, UnknownAgency  # noqa: F401  (re-exported)
from pipeline.models import Document, Extraction

DEFAULT_DB = Path("outputs/registry.sqlite")
VERSIONED_KINDS = ("order", "draft")  # memos are stored but are not versions of an act


# ------------------------------------------------------------------ migrations

_SCHEMA_1 = """
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

_SCHEMA_2 = """
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


def _backfill_2(store: "Store") -> None:
    """Fill the tables of migration 2 from the extraction JSON already stored."""
    c = store.conn
    for ext in c.execute("SELECT id, json FROM extractions").fetchall():
        try:
            ex = Extraction.model_validate_json(ext["json"])
        except ValueError as exc:
            c.execute("INSERT INTO warnings (extraction_id, document_id, code, severity, message, line) VALUES (?,?,?,?,?,?)",
                      (ext["id"], None, "migration_skipped", "warning",
                       f"migration 2 could not read this extraction ({first_error(exc)}); re-ingest with --force", None))
            continue
        rows = {r["doc_id"]: r["id"] for r in c.execute("SELECT id, doc_id FROM documents WHERE extraction_id = ?", (ext["id"],))}
        for doc in ex.documents:
            if doc.id in rows:
                store._add_document_details(rows[doc.id], doc)


# (version, name, SQL, backfill from stored JSON or None). Append new
# migrations; never edit an applied one. Each runs in one transaction.
MIGRATIONS: list[tuple[int, str, str, Callable[["Store"], None] | None]] = [
    (1, "initial tables and views", _SCHEMA_1, None),
    (2, "appendices, legal basis, working group, tasks", _SCHEMA_2, _backfill_2),
]


# --------------------------------------------------------------------- records


@dataclass
class IngestItem:
    path: str
    status: str  # added | changed | unchanged | failed
    sha256: str | None = None
    extraction_id: int | None = None
    documents: int = 0
    touchpoints: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(i.status == status for i in self.items)

    @property
    def extracted(self) -> int:
        return self.count("added") + self.count("changed")

    def summary(self) -> str:
        return (f"{len(self.items)} files: {self.count('added')} added, {self.count('changed')} changed, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed")


@dataclass
class Version:
    """One order or draft of an agency, in date order (``version`` starts at 1)."""

    document_row: int
    extraction_id: int
    doc_id: str
    kind: str
    agency_key: str
    agency: str | None
    region: str | None
    date: str | None
    number: str | None
    version: int
    source_path: str
    superseded: bool
    n_touchpoints: int
    current: bool = False

    @property
    def label(self) -> str:
        what = "draft" if self.kind == "draft" else "order"
        return f"v{self.version} {what} {self.date or 'undated'} № {self.number or '—'} ({Path(self.source_path).name}#{self.doc_id})"


@dataclass
class AgencySummary:
    agency_key: str
    agency: str | None
    region: str | None
    versions: list[Version]


def sort_date(ex: Extraction, doc: Document) -> str:
    """Date used to order versions: the document's own date; for an undated
    draft the date of the file's dated act (a draft filed with its order sits
    next to it); '9999-12-31' when nothing in the file is dated."""
    if doc.meta.date:
        return doc.meta.date
    dated = [d.meta.date for d in ex.documents if d.meta.date and d.kind == "order"]
    return max(dated) if dated else "9999-12-31"


def _line(span) -> int | None:
    return span.line if span is not None else None


# ----------------------------------------------------------------------- store


class Store:
    """An open registry database. Use :meth:`open`; the schema is migrated on open."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, must_exist: bool = False) -> "Store":
        path = Path(path)
        if must_exist and not path.is_file():
            raise StoreError(path, "no registry store here", "run `registry ingest corpus --db FILE` first")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(path, f"cannot open the registry store: {exc}") from None
        except OSError as exc:
            raise StoreError(path, f"cannot create the registry store: {exc.strerror or exc}") from None
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied; returns their numbers."""
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql, backfill in MIGRATIONS:
            if version in done:
                continue
            try:
                # executescript commits what is pending, then the script opens
                # the transaction that the backfill and the record share
                c.executescript(f"BEGIN;\n{sql}")
                if backfill:
                    backfill(self)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
                c.commit()
            except BaseException:
                c.rollback()
                raise
            applied.append(version)
        c.execute(f"PRAGMA user_version = {max(m[0] for m in MIGRATIONS)}")
        return applied

    def schema_version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    # -- ingest

    def ingest(self, paths: Iterable[str | Path], on_item: Callable[[IngestItem], None] | None = None,
               force: bool = False) -> IngestReport:
        """Extract and store every new or changed file under ``paths``.

        A file whose content hash is already stored is ``unchanged`` and not
        extracted again (``force`` re-extracts it); a known path with new
        content is ``changed`` and becomes a new version, the old one stays as
        history (``superseded``). A file that fails is recorded as ``failed``
        and the batch goes on."""
        from pipeline.run import collect_inputs, extract_file, sha256_file

        report = IngestReport()

        def emit(item: IngestItem) -> None:
            report.items.append(item)
            if on_item:
                on_item(item)

        files, problems = collect_inputs(paths)
        for p in problems:
            emit(IngestItem(path=p.path, status="failed", error=p.error))
        for f in files:
            path = str(f.resolve())
            try:
                sha = sha256_file(f)
            except OSError as exc:
                emit(IngestItem(path=str(f), status="failed", error=f"{f}: {exc.strerror or exc}"))
                continue
            known = self.conn.execute("SELECT id FROM extractions WHERE sha256 = ? ORDER BY id DESC", (sha,)).fetchone()
            if known and not force:
                emit(IngestItem(path=str(f), status="unchanged", sha256=sha, extraction_id=known["id"]))
                continue
            previous = self.conn.execute("SELECT id FROM extractions WHERE path = ? AND superseded = 0", (path,)).fetchall()
            try:
                ex = extract_file(f)
            except PipelineError as exc:
                emit(IngestItem(path=str(f), status="failed", sha256=sha, error=exc.one_line()))
                continue
            except Exception as exc:  # a bug of ours: record it, keep the batch going
                emit(IngestItem(path=str(f), status="failed", sha256=sha,
                                error=f"{f}: internal error {type(exc).__name__}: {exc}".splitlines()[0]))
                continue
            with self.conn:
                for row in previous:
                    self.conn.execute("UPDATE extractions SET superseded = 1 WHERE id = ?", (row["id"],))
                ext_id = self.add_extraction(ex, path=path, sha256=sha)
            emit(IngestItem(path=str(f), status="changed" if previous else "added", sha256=sha,
                            extraction_id=ext_id, documents=len(ex.documents),
                            touchpoints=sum(len(d.touchpoints) for d in ex.documents)))
        return report

    def add_extraction(self, ex: Extraction, path: str | None = None, sha256: str | None = None) -> int:
        """Insert one extraction and its normalized rows (caller commits)."""
        c = self.conn
        cur = c.execute(
            "INSERT INTO extractions (path, sha256, format, size_bytes, schema_version, vocab_versions,"
            " pipeline_version, ingested_at, json) VALUES (?,?,?,?,?,?,?,?,?)",
            (path or ex.source.path, sha256 or ex.source.sha256, ex.source.format, ex.source.size_bytes,
             ex.schema_version, json.dumps(ex.vocab_versions, sort_keys=True), __version__, _now(),
             ex.model_dump_json()),
        )
        ext_id = cur.lastrowid
        for w in ex.warnings:
            c.execute("INSERT INTO warnings (extraction_id, document_id, code, severity, message, line) VALUES (?,?,?,?,?,?)",
                      (ext_id, None, w.code, w.severity, w.message, _line(w.span)))
        for pos, doc in enumerate(ex.documents):
            self._add_document(ext_id, pos, ex, doc)
        return ext_id

    def _add_document(self, ext_id: int, pos: int, ex: Extraction, doc: Document) -> None:
        c = self.conn
        m = doc.meta
        region, region_code = document_region(ex, doc)
        n_thr = sum(len(r.thresholds) for r in doc.requirements)
        cur = c.execute(
            "INSERT INTO documents (extraction_id, doc_id, position, kind, doc_type, agency, agency_key, region,"
            " region_code, date, number, place, title, signatory_name, signatory_position, registration_number,"
            " registration_date, sort_date, n_touchpoints, n_requirements, n_thresholds, n_definitions, n_warnings,"
            " line, end_line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (ext_id, doc.id, pos, doc.kind, m.doc_type, document_agency_name(ex, doc), document_agency_key(ex, doc),
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
        self._add_document_details(doc_row, doc)

    def _add_document_details(self, doc_row: int, doc: Document) -> None:
        """Rows of the tables added by migration 2."""
        c = self.conn
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

    # -- queries

    def agencies(self) -> list[AgencySummary]:
        """Every agency with its versions (orders and drafts, oldest first)."""
        current = {r["id"] for r in self.conn.execute("SELECT id FROM current_documents")}
        out: dict[str, AgencySummary] = {}
        for r in self.conn.execute("SELECT * FROM agency_versions ORDER BY agency_key, version"):
            v = _version(r, r["id"] in current)
            a = out.setdefault(v.agency_key, AgencySummary(v.agency_key, None, None, []))
            a.versions.append(v)
            a.agency = v.agency or a.agency
            a.region = v.region or a.region
        return list(out.values())

    def versions(self, key: str) -> list[Version]:
        """Versions of one agency (key as given by :meth:`resolve_agency`), oldest first."""
        for a in self.agencies():
            if a.agency_key == key:
                return a.versions
        raise UnknownAgency(self.path, f"no agency {key!r} in the store")

    def resolve_agency(self, query: str) -> str:
        """An agency key from a full key, a part of it, or any spelling of the name."""
        from pipeline.agency import agency_key

        keys = sorted({a.agency_key for a in self.agencies()})
        if query in keys:
            return query
        norm = agency_key(query) or query.lower()
        if norm in keys:
            return norm
        hits = [k for k in keys if norm in k or query.lower() in k]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise UnknownAgency(self.path, f"no agency matches {query!r}")
        raise UnknownAgency(self.path, f"{query!r} matches {len(hits)} agencies: " + "; ".join(hits),
                            "give more of the name")

    def _model(self, ext_id: int, text: str) -> Extraction:
        try:
            return Extraction.model_validate_json(text)
        except ValueError as exc:
            raise StoreError(self.path, f"stored extraction {ext_id} no longer validates ({first_error(exc)})",
                             "re-extract it: registry ingest PATH --force") from None

    def load_version(self, v: Version) -> tuple[Extraction, Document]:
        row = self.conn.execute("SELECT json FROM extractions WHERE id = ?", (v.extraction_id,)).fetchone()
        ex = self._model(v.extraction_id, row["json"])
        for d in ex.documents:
            if d.id == v.doc_id:
                return ex, d
        raise StoreError(self.path, f"document {v.doc_id} missing from stored extraction {v.extraction_id}")

    def extractions(self, include_superseded: bool = True) -> Iterator[tuple[int, Extraction]]:
        """Stored extractions in ingest order (id, model)."""
        sql = "SELECT id, json FROM extractions" + ("" if include_superseded else " WHERE superseded = 0") + " ORDER BY id"
        for r in self.conn.execute(sql):
            yield r["id"], self._model(r["id"], r["json"])

    def current_registry(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM current_registry")]

    def current_thresholds(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM current_thresholds")]

    # -- export

    def export(self, out: str | Path, fmt: str | None = None) -> list[Path]:
        """Write the current registry of all agencies (touchpoints) and their
        thresholds as flat tables. ``csv`` writes ``FILE`` and
        ``FILE-stem.thresholds.csv``; ``xlsx`` two sheets; ``json`` one object."""
        out = Path(out)
        fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
        tables = {"touchpoints": self.current_registry(),
                  "thresholds": [{k: _plain_number(v) for k, v in r.items()} for r in self.current_thresholds()]}
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "json":
                out.write_text(json.dumps(tables, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                return [out]
            if fmt == "csv":
                second = out.with_name(f"{out.stem}.thresholds.csv")
                for path, rows, cols in ((out, tables["touchpoints"], EXPORT_COLUMNS["touchpoints"]),
                                         (second, tables["thresholds"], EXPORT_COLUMNS["thresholds"])):
                    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads Cyrillic
                        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                        w.writeheader()
                        w.writerows(rows)
                return [out, second]
            if fmt == "xlsx":
                from pipeline.report.xlsx import write_workbook

                write_workbook(out, [(name, EXPORT_COLUMNS[name], [[r.get(c) for c in EXPORT_COLUMNS[name]] for r in rows])
                                     for name, rows in tables.items()])
                return [out]
        except OSError as exc:
            raise ExportError(out, f"cannot write: {exc.strerror or exc}") from None
        raise ExportError(out, f"unknown export format {fmt!r}", "use csv, xlsx or json")


EXPORT_COLUMNS = {
    "touchpoints": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                    "row", "row_label", "direction", "direction_code", "service", "name", "channel", "kind",
                    "needs", "need_codes", "features", "source_path", "doc_id", "line"],
    "thresholds": ["agency_key", "agency", "region", "region_code", "order_date", "order_number", "version",
                   "clause", "channel", "metric", "value", "unit", "comparator", "condition", "raw",
                   "source_path", "doc_id", "line"],
}


def _version(r: sqlite3.Row, current: bool) -> Version:
    return Version(
        document_row=r["id"], extraction_id=r["extraction_id"], doc_id=r["doc_id"], kind=r["kind"],
        agency_key=r["agency_key"], agency=r["agency"], region=r["region"], date=r["date"], number=r["number"],
        version=r["version"], source_path=r["source_path"], superseded=bool(r["superseded"]),
        n_touchpoints=r["n_touchpoints"], current=current,
    )


def first_error(exc: Exception) -> str:
    """'documents.0.bogus: Extra inputs are not permitted' from a pydantic ValidationError."""
    errors = getattr(exc, "errors", None)
    if callable(errors) and errors():
        e = errors()[0]
        return f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"
    return str(exc).splitlines()[0]


def _plain_number(v):
    """5.0 → 5, so a CSV shows '5 working days' as printed, not '5.0'."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def format_agencies(store: Store, query: str | None = None) -> str:
    """Plain-text listing of agencies and versions (for ``registry versions``)."""
    agencies = store.agencies()
    if query:
        key = store.resolve_agency(query)
        agencies = [a for a in agencies if a.agency_key == key]
    if not agencies:
        return "the store holds no orders yet"
    lines = []
    for a in agencies:
        lines.append(f"{a.agency_key}")
        lines.append(f"  {a.agency or '(agency name not extracted)'} — {a.region or 'region unknown'}")
        for v in a.versions:
            mark = "*" if v.current else " "
            old = " (superseded file content)" if v.superseded else ""
            lines.append(f"  {mark} {v.label}, {v.n_touchpoints} touchpoints{old}")
    return "\n".join(lines)
