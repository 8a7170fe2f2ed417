"""The corrections and review statuses in the store (tables of migration 4).

:class:`Book` writes and reads them over an open :class:`~pipeline.store.Store`.
A document's corrections are those made on the same content (file hash and
document id) and, for the newest content of a changed file, those made on its
earlier content (same path, same document by id and kind, or by date and
number): they are carried over and resolved by anchor (:mod:`.overlay`).

``export()`` / ``import_()`` share corrections between analysts and machines
as one JSON file; importing the same file twice changes nothing.

    >>> with Store.open("outputs/registry.sqlite") as store:  # doctest: +SKIP
    ...     Book(store).export()["corrections"][0]["path"]
    'touchpoints[3].channel'
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.jsonio import read_json, write_atomic
from pipeline.models import Document
from pipeline.review.overlay import ACTIONS, Correction
from pipeline.store import Store
from pipeline.store_tables import now

EXPORT_FORMAT = "touchpoint-registry-corrections"
STATUSES = ("new", "in_progress", "done")


class ReviewError(PipelineError):
    """A correction or status the store cannot take (bad path, value, file)."""

    code = "review"


@dataclass
class FileRow:
    """The stored extraction a document belongs to."""

    id: int
    path: str
    sha256: str
    superseded: bool


def doc_anchor(doc: Document) -> dict:
    m = doc.meta
    return {"kind": doc.kind, "date": m.date, "number": m.number, "agency_key": m.agency_key}


def _dump(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)


def _load(v: str | None) -> Any:
    return None if v is None else json.loads(v)


def _correction(r: sqlite3.Row) -> Correction:
    return Correction(
        path=r["path"], action=r["action"], old=_load(r["old_value"]), new=_load(r["new_value"]),
        anchors=_load(r["anchors"]) or [], span=_load(r["span"]), comment=r["comment"], reviewer=r["reviewer"],
        created_at=r["created_at"], id=r["id"], uid=r["uid"], sha256=r["sha256"], source_path=r["source_path"],
        doc_id=r["doc_id"], doc_anchor=_load(r["doc_anchor"]) or {}, state=r["state"],
    )


class Book:
    """Corrections and statuses of one open store."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn

    # -- reading

    def file_row(self, ext_id: int) -> FileRow:
        r = self.conn.execute("SELECT id, path, sha256, superseded FROM extractions WHERE id = ?", (ext_id,)).fetchone()
        if r is None:
            raise ReviewError(self.store.path, f"no stored extraction {ext_id}")
        return FileRow(r["id"], r["path"], r["sha256"], bool(r["superseded"]))

    def for_document(self, f: FileRow, doc: Document) -> list[Correction]:
        """Every correction (active or withdrawn) that belongs to ``doc`` of the stored file ``f``."""
        rows = self.conn.execute(
            "SELECT * FROM corrections WHERE (sha256 = ? AND doc_id = ?) OR (source_path = ? AND sha256 != ?) ORDER BY id",
            (f.sha256, doc.id, f.path, f.sha256)).fetchall()
        anchor = doc_anchor(doc)
        out = []
        for r in rows:
            c = _correction(r)
            if c.sha256 != f.sha256 and (f.superseded or not _same_document(c, doc.id, anchor)):
                continue  # carried forward only, to the newest content of the file
            out.append(c)
        return out

    def get(self, cid: int) -> Correction:
        r = self.conn.execute("SELECT * FROM corrections WHERE id = ?", (cid,)).fetchone()
        if r is None:
            raise ReviewError(self.store.path, f"no correction {cid}")
        return _correction(r)

    def orphans(self) -> list[Correction]:
        """Active corrections whose file is in the store neither by content nor by path."""
        rows = self.conn.execute(
            "SELECT * FROM corrections c WHERE state = 'active'"
            " AND NOT EXISTS (SELECT 1 FROM extractions e WHERE e.sha256 = c.sha256)"
            " AND NOT EXISTS (SELECT 1 FROM extractions e WHERE e.path = c.source_path) ORDER BY id").fetchall()
        return [_correction(r) for r in rows]

    def status(self, sha256: str, doc_id: str) -> str:
        r = self.conn.execute("SELECT status FROM review_status WHERE sha256 = ? AND doc_id = ?", (sha256, doc_id)).fetchone()
        return r["status"] if r else "new"

    # -- writing

    def add(self, c: Correction, f: FileRow, doc: Document) -> Correction:
        if c.action not in ACTIONS:
            raise ReviewError(self.store.path, f"unknown action {c.action!r}")
        c.uid = c.uid or uuid.uuid4().hex
        c.created_at = c.created_at or now()
        c.sha256, c.source_path, c.doc_id, c.doc_anchor = f.sha256, f.path, doc.id, doc_anchor(doc)
        with self.conn:
            c.id = self._insert(c)
            if self.status(f.sha256, doc.id) == "new":
                self._put_status(f.sha256, doc.id, "in_progress", c.reviewer, c.created_at)
        return c

    def _insert(self, c: Correction) -> int:
        return self.conn.execute(
            "INSERT INTO corrections (uid, sha256, source_path, doc_id, doc_anchor, path, action, old_value, new_value,"
            " anchors, span, reviewer, created_at, comment, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (c.uid, c.sha256, c.source_path, c.doc_id, _dump(c.doc_anchor), c.path, c.action, _dump(c.old),
             _dump(c.new), _dump(c.anchors), _dump(c.span), c.reviewer, c.created_at, c.comment, c.state),
        ).lastrowid

    def withdraw(self, cid: int, reviewer: str | None) -> None:
        """Take a correction back (kept, with who and when; never deleted)."""
        with self.conn:
            self.conn.execute("UPDATE corrections SET state = 'withdrawn', decided_by = ?, decided_at = ? WHERE id = ?",
                              (reviewer, now(), cid))

    def set_status(self, sha256: str, doc_id: str, status: str, reviewer: str | None) -> None:
        if status not in STATUSES:
            raise ReviewError(self.store.path, f"unknown review status {status!r}", "use new, in_progress or done")
        with self.conn:
            self._put_status(sha256, doc_id, status, reviewer, now())

    def _put_status(self, sha256: str, doc_id: str, status: str, reviewer: str | None, when: str) -> None:
        self.conn.execute("INSERT INTO review_status VALUES (?,?,?,?,?) ON CONFLICT (sha256, doc_id) DO UPDATE"
                          " SET status = excluded.status, reviewer = excluded.reviewer, updated_at = excluded.updated_at",
                          (sha256, doc_id, status, reviewer, when))

    # -- sharing

    def export(self) -> dict:
        cols = ["uid", "sha256", "source_path", "doc_id", "doc_anchor", "path", "action", "old_value", "new_value",
                "anchors", "span", "reviewer", "created_at", "comment", "state", "decided_by", "decided_at"]
        corrections = []
        for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM corrections ORDER BY created_at, id"):
            d = dict(r)
            for k in ("doc_anchor", "old_value", "new_value", "anchors", "span"):
                d[k] = _load(d[k])
            corrections.append(d)
        statuses = [dict(r) for r in self.conn.execute("SELECT * FROM review_status ORDER BY sha256, doc_id")]
        return {"format": EXPORT_FORMAT, "version": 1, "corrections": corrections, "review_status": statuses}

    def import_(self, data: Any) -> dict[str, int]:
        """Add the corrections and statuses of an export; known ones are skipped
        (a withdrawal and a newer status are taken over). Returns counts."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise ReviewError(None, "not a corrections file", "expected the JSON written by `registry corrections export`")
        counts = {"added": 0, "unchanged": 0, "withdrawn": 0, "statuses": 0}
        with self.conn:
            for d in data.get("corrections", []):
                known = self.conn.execute("SELECT state FROM corrections WHERE uid = ?", (d["uid"],)).fetchone()
                if known is None:
                    self._insert(Correction(
                        path=d["path"], action=d["action"], old=d.get("old_value"), new=d.get("new_value"),
                        anchors=d.get("anchors") or [], span=d.get("span"), comment=d.get("comment"),
                        reviewer=d.get("reviewer"), created_at=d["created_at"], uid=d["uid"], sha256=d["sha256"],
                        source_path=d.get("source_path"), doc_id=d["doc_id"], doc_anchor=d.get("doc_anchor") or {},
                        state=d.get("state", "active")))
                    counts["added"] += 1
                elif known["state"] == "active" and d.get("state") == "withdrawn":
                    self.conn.execute("UPDATE corrections SET state = 'withdrawn', decided_by = ?, decided_at = ? WHERE uid = ?",
                                      (d.get("decided_by"), d.get("decided_at"), d["uid"]))
                    counts["withdrawn"] += 1
                else:
                    counts["unchanged"] += 1
            for s in data.get("review_status", []):
                cur = self.conn.execute("SELECT updated_at FROM review_status WHERE sha256 = ? AND doc_id = ?",
                                        (s["sha256"], s["doc_id"])).fetchone()
                if s.get("status") in STATUSES and (cur is None or cur["updated_at"] < s["updated_at"]):
                    self._put_status(s["sha256"], s["doc_id"], s["status"], s.get("reviewer"), s["updated_at"])
                    counts["statuses"] += 1
        return counts


def _same_document(c: Correction, doc_id: str, anchor: dict) -> bool:
    a = c.doc_anchor or {}
    if a.get("kind") != anchor["kind"]:
        return False
    if c.doc_id == doc_id:
        return True
    return bool(a.get("date") and a.get("number")) and (a["date"], a["number"]) == (anchor["date"], anchor["number"])


def export_file(store: Store, path: str | Path) -> int:
    """Write :meth:`Book.export` to ``path``; returns the number of corrections."""
    data = Book(store).export()
    try:
        write_atomic(Path(path), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        raise ReviewError(path, f"cannot write: {exc.strerror or exc}") from None
    return len(data["corrections"])


def import_file(store: Store, path: str | Path) -> dict[str, int]:
    """:meth:`Book.import_` of a file written by :func:`export_file`."""
    data = read_json(path)
    try:
        return Book(store).import_(data)
    except ReviewError as exc:
        raise ReviewError(path, exc.reason, exc.hint) from None
    except (KeyError, TypeError) as exc:
        raise ReviewError(path, f"not a corrections file (missing {exc})") from None
