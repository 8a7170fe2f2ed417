"""Interrupted batches resume (issue 10): a real SIGKILL in the middle of
`registry extract` or `registry ingest`, then the same command again, does
only what is missing and ends with what an uninterrupted run makes; a worker
process that dies is retried, and a file that keeps killing it is reported."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
# small real acts: enough files that a kill lands mid-batch, few enough to stay quick
INPUTS = sorted((ROOT / "corpus" / "real").glob("*.txt"))[:14]


def generated_orders(folder: Path, n: int) -> list[Path]:
    """``n`` orders made from the corpus orders by bench/gen_orders.py (other regions, names,
    thresholds): long enough that a batch can be killed in its middle."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_orders", ROOT / "bench" / "gen_orders.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen.generate(n, folder)


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, CI="1")
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 240) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` (some work done, some not)."""
    end = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"finished before it could be killed: {proc.communicate()}"
        assert time.monotonic() < end, "no progress"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _index_lines(out: Path) -> int:
    try:
        return len((out / "_index.jsonl").read_text(encoding="utf-8").splitlines())
    except OSError:
        return 0


def test_extract_killed_midway_resumes_to_the_same_outputs(tmp_path):
    reference = tmp_path / "reference"
    assert CliRunner().invoke(main, ["extract", *map(str, INPUTS), "-o", str(reference), "-q"]).exit_code == 0

    out = tmp_path / "out"
    proc = _start("extract", *map(str, INPUTS), "-o", str(out), "-q")
    _kill_when(proc, lambda: _index_lines(out) >= 3)
    done_before = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.glob("*.json") if p.name != "_run.json"}
    assert 3 <= len(done_before) < len(INPUTS)

    rerun = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, INPUTS), "-o", str(out), "-q"],
                           cwd=ROOT, env=dict(os.environ, CI="1"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    # what was written before the kill is not written again
    assert {n: (out / n).stat().st_mtime_ns for n in done_before} == {n: v[0] for n, v in done_before.items()}
    # and the folder is the one an uninterrupted run leaves: same files, same bytes
    names = sorted(p.name for p in out.iterdir() if p.name != "_index.jsonl")
    assert names == sorted(p.name for p in reference.iterdir() if p.name != "_index.jsonl")
    for name in names:
        mine, theirs = (out / name).read_text(encoding="utf-8"), (reference / name).read_text(encoding="utf-8")
        if name == "_run.json":
            mine = mine.replace(str(out), str(reference))
        assert mine == theirs, name
    assert _index_lines(out) == len(INPUTS)


def _store_rows(db: Path) -> dict[str, list]:
    """Every row of every table, ids included, but not the time of the write."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for t in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] not in ("ingested_at", "applied_at", "first_seen")]
        out[t] = conn.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY rowid").fetchall()
    conn.close()
    return out


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_ingest_killed_midway_resumes_to_the_same_store(tmp_path):
    nothing = tmp_path / "no-json"  # no extract output to reuse: every file is extracted
    nothing.mkdir()
    reference = tmp_path / "reference.sqlite"
    args = [*map(str, INPUTS), "--outputs", str(nothing), "-q"]
    assert CliRunner().invoke(main, ["ingest", *args, "--db", str(reference)]).exit_code == 0

    db = tmp_path / "registry.sqlite"
    proc = _start("ingest", *args, "--db", str(db))
    _kill_when(proc, lambda: _stored(db) >= 3)
    before = _stored(db)
    assert 3 <= before < len(INPUTS)

    rerun = subprocess.run([sys.executable, "-m", "pipeline", "ingest", *args, "--db", str(db)],
                           cwd=ROOT, env=dict(os.environ, CI="1"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(INPUTS) - before} added, 0 changed, {before} unchanged, 0 failed" in rerun.stdout
    assert _store_rows(db) == _store_rows(reference)


def test_ingest_with_jobs_stores_what_one_job_stores(tmp_path):
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    inputs = [*map(str, INPUTS[:6]), "--outputs", str(tmp_path), "-q"]
    assert CliRunner().invoke(main, ["ingest", *inputs, "--db", str(one)]).exit_code == 0
    result = CliRunner().invoke(main, ["ingest", *inputs, "--db", str(two), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert _store_rows(one) == _store_rows(two)


def _crash_on_poison(path, on_page=None):
    if "poison" in Path(path).name:
        os._exit(1)  # what a segfault in a C library or the OOM killer does to a worker
    return _REAL_EXTRACT(path, on_page=on_page)


_REAL_EXTRACT = None


def test_a_worker_that_dies_is_retried_and_a_poison_file_reported(tmp_path, monkeypatch):
    """Worker processes are forked from this one, so they run the patched extractor."""
    global _REAL_EXTRACT
    import pipeline.run

    _REAL_EXTRACT = pipeline.run.extract_file
    monkeypatch.setattr(pipeline.run, "extract_file", _crash_on_poison)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in INPUTS[:5]:
        (inputs / p.name).write_bytes(p.read_bytes())
    (inputs / "poison.txt").write_bytes(INPUTS[5].read_bytes())
    summary_lines = []
    from pipeline.run import run_batch

    summary = run_batch([inputs], tmp_path / "out", jobs=2, on_result=summary_lines.append, progress=False)
    assert (summary.ok + summary.partial, summary.failed) == (5, 1)
    failed = [r for r in summary.results if r.status == "failed"]
    assert failed[0].path.endswith("poison.txt") and "the worker died while reading it (exit code 1, 2 times)" in failed[0].error
    assert json.loads((tmp_path / "out" / "_run.json").read_text())["failed"] == 1
