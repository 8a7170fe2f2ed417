"""A 2,000-order batch end to end (issue 13): `registry extract`, `registry
ingest` and `registry compare` of generated orders (bench/gen_orders.py),
each command in a fresh process, as a user runs it.

    make bench                                                  # after bench_scale.py
    .venv/bin/python bench/bench_batch2000.py [--orders 2000] [--jobs 2] [--keep DIR]

Per command: wall seconds, CPU seconds, peak RSS of the command's process
(its own ``VmHWM``, read from /proc at the end: a fresh process per command,
so no other command's peak is counted) and of its largest worker
(``RUSAGE_CHILDREN``); then the size of each report file. Target: compare
under 1 GB peak RSS at 2,000 orders, a report.html a browser opens.
Not a timed test: a shared machine varies ±20–30 %.

Measured 2026-11-29 (2 cores shared with other work, load average ~8):
extract 315 s (workers 104 CPU s, 137 MB each), ingest 313 s, compare 121 s
wall / 48 CPU s at 643 MB peak RSS with a 1.9 MB report.html — compare was
753 s / 7.7 GB with a 1.3 GB report.html before lineage stopped comparing
every pair and compare stopped holding whole extractions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
TARGET_COMPARE_MB = 1024


def child(args: list[str]) -> None:
    """Run one `registry …` command in this process; print its resource use as JSON."""
    from pipeline.cli import main

    try:
        main(args, standalone_mode=False)
    except SystemExit:
        pass
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(status.split("VmHWM:")[1].split()[0]) if "VmHWM:" in status else 0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rss_mb": (hwm_kb or me.ru_maxrss) / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
                      "cpu_s": me.ru_utime + me.ru_stime, "worker_cpu_s": kids.ru_utime + kids.ru_stime}))


def measure(args: list[str]) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, CI="1"))
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {out.stderr[-2000:]}")
    lines = out.stdout.strip().splitlines()
    row = json.loads(lines[-1])
    row["wall_s"] = wall
    row["summary"] = next((ln for ln in lines if " files: " in ln), "")
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--keep", help="work in this folder and keep it (orders already generated there are reused)")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.child)
        return

    from gen_orders import generate

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-batch-"))
    orders, out, db, report = base / "orders", base / "json", base / "registry.sqlite", base / "report"
    try:
        if len(list(orders.glob("gen-*.txt"))) != args.orders:
            shutil.rmtree(orders, ignore_errors=True)
            generate(args.orders, orders)
        for stale in (out, report):
            shutil.rmtree(stale, ignore_errors=True)
        db.unlink(missing_ok=True)
        steps = [("extract", ["extract", str(orders), "-o", str(out), "--jobs", str(args.jobs), "-q"]),
                 ("ingest", ["ingest", str(orders), "--db", str(db), "--outputs", str(out), "-q"]),
                 ("compare", ["compare", "--db", str(db), "-o", str(report), "-q"])]
        print(f"{args.orders} generated orders, --jobs {args.jobs} for extract")
        print(f"{'step':<8} {'wall s':>8} {'cpu s':>7} {'workers cpu s':>14} {'peak RSS':>9} {'worker RSS':>11}", flush=True)
        rows = {}
        for step, cmd in steps:
            r = rows[step] = measure(cmd)
            print(f"{step:<8} {r['wall_s']:8.1f} {r['cpu_s']:7.1f} {r['worker_cpu_s']:14.1f} {r['rss_mb']:6.0f} MB"
                  f" {r['worker_rss_mb']:8.0f} MB" + (f"  {r['summary']}" if r["summary"] else ""), flush=True)
        for name in ("report.html", "report.xlsx", "report.md"):
            print(f"{name:<12} {(report / name).stat().st_size / 2**20:7.1f} MB")
        peak = rows["compare"]["rss_mb"]
        verdict = "under" if peak < TARGET_COMPARE_MB else "OVER"
        print(f"compare peak RSS {peak:.0f} MB: {verdict} the {TARGET_COMPARE_MB} MB target")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
