"""The registry store: every extracted document in one SQLite file.

Each recorded file keeps its content hash and its whole extraction JSON
(``extractions.json``), and its facts are spread into plain tables an analyst
can query with any SQLite tool (``sqlite3 outputs/registry.sqlite``); the
tables, views and migrations are in :mod:`pipeline.store_tables`.

The store only records and answers: :meth:`Store.add` records one extraction
(a known path with new content becomes a new version, the old one stays as
history), and the queries list agencies, their versions and the current
registry. Extracting a batch of files into it is :func:`pipeline.ingest.ingest`
(the batch runner of :mod:`pipeline.run`); writing flat tables is
:mod:`pipeline.report.export`.

Example::

    >>> store = Store.open("outputs/example.sqlite")  # a new store
    >>> store.add(extract_file("corpus/north-ossetia-employment-committee-2023-09-09-78-r.txt"))
    ('added', 1)
    >>> store.add(extract_file("corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt"))
    ('added', 2)
    >>> [v.date for v in store.versions(store.resolve_agency("Комитет РСО-Алания по занятости населения"))]
    ['2023-09-09', '2026-03-23']
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar
from urllib.parse import quote

from pipeline.agency import agency_key
from pipeline.errors import PipelineError, StoreError, UnknownAgency
from pipeline.jsonio import first_error, validate_extraction
from pipeline.models import Document, Extraction
from pipeline.store_tables import MIGRATIONS, insert_extraction, now, sql_statements, wal_mode

DEFAULT_DB = Path("outputs/registry.sqlite")
BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write lock, per try
WRITE_TRIES = 3
T = TypeVar("T")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``); on a read-only folder, where SQLite
    cannot make the WAL index beside the file, the file is opened as immutable."""
    uri = "file:" + quote(os.fsencode(path.resolve())) + "?mode=ro"
    for extra in ("", "&immutable=1"):
        conn = sqlite3.connect(uri + extra, uri=True, timeout=BUSY_TIMEOUT)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            if extra:
                raise
            continue
        conn.row_factory = sqlite3.Row
        return conn
    raise AssertionError("unreachable")


def store_version(path: Path) -> int:
    """The schema version recorded in a store file (0 when it has none)."""
    conn = _connect_readonly(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


# --------------------------------------------------------------------- records


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


# ----------------------------------------------------------------------- store


class Store:
    """An open registry database. Use :meth:`open`; the schema is migrated on open."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, must_exist: bool = False, readonly: bool = False) -> "Store":
        """Open (or create) the store. ``readonly``: for commands that only read
        (``compare``, ``versions``, ``export``, ``diff --agency``): nothing is
        written, not even the schema version, so a store on a read-only file or
        folder serves them; an older schema is upgraded first when the file may
        be written, else that is one line."""
        path = Path(path)
        if (must_exist or readonly) and not path.is_file():
            raise StoreError(path, "no registry store here", "run `registry ingest corpus --db FILE` first")
        # a store this process may not write (its file, or the folder its WAL goes in) is
        # opened read-only: reading works, a write is one line (Store.write)
        may_write = not path.is_file() or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
        try:
            if readonly or not may_write:
                store = cls(_connect_readonly(path), path)
                if store.pending():
                    store.close()
                    if not may_write:
                        raise StoreError(path, f"the store has schema {store_version(path)}, this version reads "
                                               f"{MIGRATIONS[-1][0]}", "open it once where it can be written "
                                                                       "(registry ingest) to upgrade it")
                    cls.open(path).close()  # upgrade the schema once, then read
                    store = cls(_connect_readonly(path), path)
                return store
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL: readers (`registry review`, `compare`, sqlite3) never block the one
            # batch that writes, and a killed writer loses only its open transaction;
            # NORMAL sync is durable against a killed process (fsync at checkpoints)
            wal_mode(conn, BUSY_TIMEOUT)
            conn.execute("PRAGMA synchronous = NORMAL")
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

    def pending(self) -> list[int]:
        """Numbers of the migrations not yet applied."""
        try:
            done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        except sqlite3.OperationalError:  # a new, empty store
            done = set()
        return [m[0] for m in MIGRATIONS if m[0] not in done]

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, all under the store's write lock
        (two processes opening a new store: one migrates, the other finds it
        done); returns their numbers."""
        if not self.pending():
            return []
        c = self.conn
        self._begin()
        try:
            c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            todo = self.pending()  # again, under the lock
            for version, name, sql, backfill in MIGRATIONS:
                if version not in todo:
                    continue
                for statement in sql_statements(sql):
                    c.execute(statement)
                if backfill:
                    backfill(c)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, now()))
            c.execute(f"PRAGMA user_version = {max(m[0] for m in MIGRATIONS)}")
            c.commit()
        except BaseException:
            c.rollback()
            raise
        return todo

    def _begin(self) -> None:
        """Take the write lock now (``BEGIN IMMEDIATE``): a check and the write it
        decides are one transaction, so two processes cannot both insert."""
        if self.conn.in_transaction:
            self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")

    def schema_version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    # -- record

    def known(self, sha256: str) -> int | None:
        """Id of the latest stored extraction of this content, if any."""
        row = self.conn.execute("SELECT id FROM extractions WHERE sha256 = ? ORDER BY id DESC", (sha256,)).fetchone()
        return row["id"] if row else None

    def made_by(self, ext_id: int) -> tuple[str | None, dict]:
        """(extractor version, vocabulary versions) that made a stored extraction
        (extractor None: stored before versions were recorded)."""
        row = self.conn.execute("SELECT extractor_version, vocab_versions FROM extractions WHERE id = ?",
                                (ext_id,)).fetchone()
        return row["extractor_version"], json.loads(row["vocab_versions"] or "{}")

    def add(self, ex: Extraction, path: str | None = None, sha256: str | None = None,
            extractor_version: str | None = None, only_new: bool = False) -> tuple[str, int]:
        """Record one extraction of the file at ``path`` (default: its source
        path) in one transaction; returns ('added' or 'changed', its id).

        A path already stored is ``changed``: its current extraction is marked
        ``superseded`` and stays as history. ``only_new``: when this content is
        already stored (by another path, or by another process meanwhile) only
        the path is recorded → ('unchanged', the stored id). A write that
        cannot be made is a :class:`StoreError`; the store keeps every file
        recorded before."""
        path = path or ex.source.path
        sha256 = sha256 or ex.source.sha256

        def write() -> tuple[str, int]:
            known = self.known(sha256) if only_new else None
            if known is not None:
                self._note_path(path, sha256, known)
                return "unchanged", known
            previous = [r["id"] for r in self.conn.execute(
                "SELECT id FROM extractions WHERE path = ? AND superseded = 0", (path,))]
            self.conn.executemany("UPDATE extractions SET superseded = 1 WHERE id = ?", [(i,) for i in previous])
            ext_id = insert_extraction(self.conn, ex, path=path, sha256=sha256, extractor_version=extractor_version)
            self._note_path(path, sha256, ext_id)
            return ("changed" if previous else "added"), ext_id

        return self.write(write, f"record {Path(path).name}")

    def note_path(self, path: str, sha256: str) -> int | None:
        """Record that ``path`` holds content already stored (every path of a
        content is kept in ``file_paths``); the stored extraction's id."""
        known = self.known(sha256)
        if known is None:
            return None
        if self.conn.execute("SELECT 1 FROM file_paths WHERE path = ? AND sha256 = ?", (path, sha256)).fetchone():
            return known

        def write() -> int:
            ext_id = self.known(sha256)
            self._note_path(path, sha256, ext_id)
            return ext_id

        return self.write(write, f"record {Path(path).name}")

    def _note_path(self, path: str, sha256: str, ext_id: int) -> None:
        self.conn.execute("INSERT INTO file_paths (path, sha256, extraction_id, first_seen) VALUES (?,?,?,?)"
                          " ON CONFLICT (path, sha256) DO UPDATE SET extraction_id = excluded.extraction_id",
                          (path, sha256, ext_id, now()))

    def write(self, work: Callable[[], T], what: str) -> T:
        """Run ``work`` in one write transaction. A store locked by another writer
        past the busy timeout is tried again (``WRITE_TRIES`` times); what still
        fails — locked, disk full, read-only, I/O error — is one
        :class:`StoreError` and nothing of this write is kept."""
        for attempt in range(1, WRITE_TRIES + 1):
            try:
                self._begin()
                result = work()
                self.conn.commit()
                return result
            except (sqlite3.OperationalError, OSError) as exc:
                self._rollback()
                busy = isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
                if busy and attempt < WRITE_TRIES:
                    time.sleep(0.5 * attempt)
                    continue
                why = (f"another process holds its write lock ({WRITE_TRIES} tries of {BUSY_TIMEOUT:g} s)" if busy
                       else getattr(exc, "strerror", None) or str(exc))
                raise StoreError(self.path, f"cannot {what} in the store: {why}",
                                 "the store keeps every file recorded before; run the command again to go on") from None
            except BaseException:
                self._rollback()
                raise
        raise AssertionError("unreachable")

    def _rollback(self) -> None:
        try:
            self.conn.rollback()
        except sqlite3.Error:
            pass

    def add_extraction(self, ex: Extraction, path: str | None = None, sha256: str | None = None,
                       extractor_version: str | None = None) -> int:
        """Insert one extraction and its rows without superseding anything (caller commits)."""
        return insert_extraction(self.conn, ex, path=path, sha256=sha256, extractor_version=extractor_version)

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
            return validate_extraction(text, f"stored extraction {ext_id}")
        except PipelineError as exc:
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


def _version(r: sqlite3.Row, current: bool) -> Version:
    return Version(
        document_row=r["id"], extraction_id=r["extraction_id"], doc_id=r["doc_id"], kind=r["kind"],
        agency_key=r["agency_key"], agency=r["agency"], region=r["region"], date=r["date"], number=r["number"],
        version=r["version"], source_path=r["source_path"], superseded=bool(r["superseded"]),
        n_touchpoints=r["n_touchpoints"], current=current,
    )
