"""Speed of the review workspace (issue 11): the queue of 1,000 documents and
the document view of a 15-page scanned order, each under 1 s (the view after
its first render: text and page images cached).

    .venv/bin/python bench/bench_review.py                       # both
    .venv/bin/python bench/bench_review.py --docs 1000 --no-scan  # the queue only
    .venv/bin/python bench/bench_review.py --scan path/to/scan.pdf

The queue store is generated: the Северная Осетия 2026 order copied under
1,000 file names and contents (its 14 touchpoints, thresholds and warnings
each time). The scan defaults to the 15-page scanned fixture of the
Северная Осетия 2023 order (``python -m tests.fixtures.build`` makes it);
its first view pays the OCR once. Timed through Starlette's TestClient, so
the figures include the SQL, the overlay and the template, not the network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from pipeline.review.app import create_app  # noqa: E402
from pipeline.run import extract_file  # noqa: E402
from pipeline.store import Store  # noqa: E402

OSSETIA = ROOT / "corpus" / "north-ossetia-employment-committee-2026-03-23-22-2.txt"
SCAN = ROOT / "tests" / ".fixtures" / "built" / "scan" / "north-ossetia-employment-committee-2023-09-09-78-r.pdf"


def _timed(fn, n: int = 5) -> tuple[float, float]:
    """(first, best of the next n) in seconds."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return first, best


def bench_queue(tmp: Path, docs: int) -> None:
    ex = extract_file(OSSETIA)
    db = tmp / "queue.sqlite"
    t = time.perf_counter()
    with Store.open(db) as store, store.conn:
        for i in range(docs):
            copy = ex.model_copy(deep=True)
            copy.source.sha256 = f"{i:064x}"
            copy.documents[0].meta.agency = f"{ex.documents[0].meta.agency} №{i}"
            copy.documents[0].meta.agency_key = f"{ex.documents[0].meta.agency_key} {i}"
            store.add_extraction(copy, path=f"/bench/order-{i}.txt")
    print(f"store of {docs} documents generated in {time.perf_counter() - t:.1f} s")
    client = TestClient(create_app(db, cache=tmp / "cache", allowed_hosts=["testserver"]))
    first, best = _timed(lambda: client.get("/").raise_for_status())
    size = len(client.get("/").content)
    print(f"queue of {docs} documents: first {first:.3f} s, then {best:.3f} s ({size // 1024} KiB)  "
          f"[target < 1 s] {'ok' if best < 1 else 'SLOW'}")
    first, best = _timed(lambda: client.get("/", params={"warning": "table_spill_joined", "status": "new"}).raise_for_status())
    print(f"queue filtered by warning and status: {best:.3f} s")


def bench_scan(tmp: Path, scan: Path) -> None:
    if not scan.is_file():
        print(f"no scan at {scan}: build the fixtures (python -m tests.fixtures.build) or pass --scan")
        return
    scan = Path(shutil.copy(scan, tmp / scan.name))  # the fixture may be rebuilt meanwhile by a test run
    t = time.perf_counter()
    ex = extract_file(scan)
    print(f"{scan.name}: {ex.source.pages} pages extracted (OCR) in {time.perf_counter() - t:.1f} s")
    db = tmp / "scan.sqlite"
    with Store.open(db) as store:
        store.add(ex, path=str(scan))
        row = store.conn.execute("SELECT id FROM documents ORDER BY id").fetchone()[0]
    client = TestClient(create_app(db, cache=tmp / "cache", allowed_hosts=["testserver"]))

    def view() -> None:
        client.get(f"/doc/{row}").raise_for_status()
        for n in range(1, (ex.source.pages or 0) + 1):  # the page shows one at a time; all of them here
            client.get(f"/doc/{row}/page/{n}").raise_for_status()

    first, best = _timed(view, 3)
    print(f"document view with all {ex.source.pages} page images: first {first:.2f} s (reads and renders), "
          f"then {best:.3f} s  [target < 1 s] {'ok' if best < 1 else 'SLOW'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--scan", type=Path, default=SCAN)
    ap.add_argument("--no-scan", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_queue(Path(tmp), args.docs)
        if not args.no_scan:
            bench_scan(Path(tmp), args.scan)


if __name__ == "__main__":
    main()
