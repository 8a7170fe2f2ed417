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
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.agency import agency_key
from pipeline.errors import PipelineError, StoreError, UnknownAgency
from pipeline.jsonio import first_error, validate_extraction
from pipeline.models import Document, Extraction
from pipeline.store_tables import MIGRATIONS, insert_extraction, now

DEFAULT_DB = Path("outputs/registry.sqlite")


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
    def open(cls, path: str | Path = DEFAULT_DB, must_exist: bool = False) -> "Store":
        path = Path(path)
        if must_exist and not path.is_file():
            raise StoreError(path, "no registry store here", "run `registry ingest corpus --db FILE` first")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL: readers (`registry review`, sqlite3) never block the one batch
            # that writes, and a killed writer loses only its open transaction;
            # NORMAL sync is durable against a killed process (fsync at checkpoints)
            conn.execute("PRAGMA journal_mode = WAL")
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
                    backfill(c)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, now()))
                c.commit()
            except BaseException:
                c.rollback()
                raise
            applied.append(version)
        c.execute(f"PRAGMA user_version = {max(m[0] for m in MIGRATIONS)}")
        return applied

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
            extractor_version: str | None = None) -> tuple[str, int]:
        """Record one extraction of the file at ``path`` (default: its source
        path) in one transaction; returns ('added' or 'changed', its id).

        A path already stored is ``changed``: its current extraction is marked
        ``superseded`` and stays as history."""
        path = path or ex.source.path
        with self.conn:
            previous = [r["id"] for r in self.conn.execute(
                "SELECT id FROM extractions WHERE path = ? AND superseded = 0", (path,))]
            self.conn.executemany("UPDATE extractions SET superseded = 1 WHERE id = ?", [(i,) for i in previous])
            ext_id = insert_extraction(self.conn, ex, path=path, sha256=sha256, extractor_version=extractor_version)
        return ("changed" if previous else "added"), ext_id

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
