"""Scaling of a batch: 100 / 1,000 / 10,000 generated orders (bench/gen_orders.py)
through `registry extract`, then `registry ingest` of the same folder.

    make bench                                       # after bench_formats.py
    .venv/bin/python bench/bench_scale.py [--sizes 100 1000 10000] [--jobs 2] [--no-ingest]

Per size, one row each for extract and ingest (each a fresh process, as a
user runs it): wall seconds, seconds per order (flat when the cost grows
linearly), CPU seconds of the coordinator and of its workers, and the peak
RSS of the coordinator and of its largest worker. Ingest runs after extract
on the same folder, so it records extract's JSON instead of extracting again
(what `make report` after `make run` does): its row is the store's own cost
(the row says how many it recorded from extract's JSON: fewer when the
extraction code changed in between, which makes its extractor version differ).
Target (issue 10): linear cost, coordinator under 1 GB at 10,000 orders.
Not a timed test: a shared machine varies ±20–30 %.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

# each command in a fresh process, its peak RSS from /proc (VmHWM), shared with the 2,000-order bench
from bench_batch2000 import measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--keep", help="generate into this folder and keep it")
    args = ap.parse_args()
    from gen_orders import generate

    print(f"{'orders':>7} {'step':<8} {'wall s':>8} {'ms/order':>9} {'orders/s':>9} {'cpu s':>7} {'workers cpu s':>14}"
          f" {'coordinator RSS':>16} {'worker RSS':>11}", flush=True)
    rows = []
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for n in args.sizes:
            folder, out = base / f"orders-{n}", base / f"out-{n}"
            shutil.rmtree(out, ignore_errors=True)
            if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
                shutil.rmtree(folder, ignore_errors=True)
                generate(n, folder)
            steps = [("extract", ["extract", str(folder), "-o", str(out), "-q", "--jobs", str(args.jobs)])]
            if not args.no_ingest:
                steps.append(("ingest", ["ingest", str(folder), "--db", str(out / "registry.sqlite"), "-q",
                                         "--jobs", str(args.jobs)]))
            for step, cmd in steps:
                r = measure(cmd)
                rows.append((n, step, r))
                print(f"{n:>7} {step:<8} {r['wall_s']:>8.1f} {1000 * r['wall_s'] / n:>9.1f} {n / r['wall_s']:>9.1f}"
                      f" {r['cpu_s']:>7.1f} {r['worker_cpu_s']:>14.1f} {r['rss_mb']:>13.0f} MB {r['worker_rss_mb']:>8.0f} MB"
                      + (f"  ({r['summary'].split('; ', 1)[-1].split(' (store')[0]})" if step == "ingest" else ""),
                      flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    extract = [(n, r) for n, s, r in rows if s == "extract"]
    if len(extract) > 1:
        (n0, r0), (n1, r1) = extract[0], extract[-1]
        growth = (r1["wall_s"] / n1) / (r0["wall_s"] / n0)
        print(f"\nextract ms/order at {n1} vs {n0}: ×{growth:.2f} (1.0 = linear); coordinator peak RSS at {n1}: "
              f"{r1['rss_mb']:.0f} MB [target < 1024 MB]")


if __name__ == "__main__":
    main()
