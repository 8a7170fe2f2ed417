"""The queue of documents to review: every document of the current content of
every stored file, with counts, review status and corrections, filtered and
sorted so that documents with errors come first.

One SQL query (counts from the stored tables, not from the JSON), so a queue
of a thousand documents renders well under a second
(``bench/bench_review.py`` measures it on a generated store).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.store import Store

_SQL = """
SELECT d.id, d.doc_id, d.kind, d.agency, d.agency_key, d.region, d.date, d.number, d.n_touchpoints,
       d.n_thresholds, d.n_warnings, e.path, e.sha256,
       COALESCE(w.errors, 0) + COALESCE(fw.errors, 0) AS errors,
       COALESCE(rs.status, 'new') AS status,
       (SELECT COUNT(*) FROM corrections c WHERE c.sha256 = e.sha256 AND c.doc_id = d.doc_id
                                             AND c.state = 'active') AS n_corrections
FROM documents d
JOIN extractions e ON e.id = d.extraction_id AND e.superseded = 0
LEFT JOIN (SELECT document_id, SUM(severity = 'error') AS errors FROM warnings
           WHERE document_id IS NOT NULL GROUP BY document_id) w ON w.document_id = d.id
LEFT JOIN (SELECT extraction_id, SUM(severity = 'error') AS errors FROM warnings
           WHERE document_id IS NULL GROUP BY extraction_id) fw ON fw.extraction_id = d.extraction_id
LEFT JOIN review_status rs ON rs.sha256 = e.sha256 AND rs.doc_id = d.doc_id
"""


@dataclass
class Filters:
    region: str = ""
    agency: str = ""
    status: str = ""
    warning: str = ""
    q: str = ""


def queue(store: Store, f: Filters) -> list[dict]:
    where, args = [], []
    if f.region:
        where.append("d.region = ?")
        args.append(f.region)
    if f.agency:
        where.append("d.agency_key = ?")
        args.append(f.agency)
    if f.status:
        where.append("COALESCE(rs.status, 'new') = ?")
        args.append(f.status)
    if f.warning:
        # IN (subquery) runs once; a correlated EXISTS would scan the warnings per document
        where.append("(d.id IN (SELECT document_id FROM warnings WHERE code = ?) OR d.extraction_id IN"
                     " (SELECT extraction_id FROM warnings WHERE code = ? AND document_id IS NULL))")
        args += [f.warning, f.warning]
    if f.q:
        where.append("(d.agency LIKE ? OR d.number LIKE ? OR d.title LIKE ? OR e.path LIKE ?)")
        args += [f"%{f.q}%"] * 4
    sql = _SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += (" ORDER BY COALESCE(w.errors, 0) + COALESCE(fw.errors, 0) > 0 DESC, CASE COALESCE(rs.status, 'new') WHEN 'in_progress' THEN 0 WHEN 'new' THEN 1"
            " ELSE 2 END, d.n_warnings DESC, d.agency_key, d.sort_date, d.position")
    return [dict(r) for r in store.conn.execute(sql, args)]


def choices(store: Store) -> dict[str, list]:
    """Values for the filter drop-downs."""
    c = store.conn
    live = "FROM documents d JOIN extractions e ON e.id = d.extraction_id AND e.superseded = 0"
    return {
        "regions": [r[0] for r in c.execute(f"SELECT DISTINCT d.region {live} WHERE d.region IS NOT NULL ORDER BY 1")],
        "agencies": [(r[0], r[1] or r[0]) for r in c.execute(
            f"SELECT d.agency_key, MAX(d.agency) {live} GROUP BY d.agency_key ORDER BY 2")],
        "warnings": [r[0] for r in c.execute(
            "SELECT DISTINCT w.code FROM warnings w JOIN extractions e ON e.id = w.extraction_id"
            " AND e.superseded = 0 ORDER BY 1")],
    }
