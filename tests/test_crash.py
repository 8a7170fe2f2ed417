"""Crashes (issue 13, section 2) and the per-file budget (section 1): a
``kill -9`` of `registry extract --jobs 2` or `registry ingest --jobs 2`
leaves no worker process behind and a rerun ends with what an uninterrupted
run makes; a worker killed from outside mid-file costs nothing; a file that
runs past its time or memory budget is one failed line and the batch goes on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.executors import ExecutorSpec
from tests.test_resume import INPUTS, ROOT, _index_lines, _kill_when, _start, _store_rows, _stored, generated_orders


def _alive_with(marker: str) -> list[int]:
    """Pids of live (not zombie) processes whose command line contains ``marker`` (read from /proc)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmd and state != "Z":
            pids.append(int(d.name))
    return pids


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _none_left(marker: str, within: float = 5.0) -> None:
    end = time.monotonic() + within
    while _alive_with(marker):
        assert time.monotonic() < end, f"processes left after the kill: {_alive_with(marker)}"
        time.sleep(0.05)


def _same_folder(out: Path, reference: Path) -> None:
    names = sorted(p.name for p in out.iterdir() if p.name != "_index.jsonl")
    assert names == sorted(p.name for p in reference.iterdir() if p.name != "_index.jsonl")
    for name in names:
        mine = (out / name).read_text(encoding="utf-8").replace(str(out), str(reference))
        assert mine == (reference / name).read_text(encoding="utf-8"), name


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=dict(os.environ, CI="1"),
                          capture_output=True, text=True, timeout=600)


# Whole generated orders, not the short openings of real acts: with today's speed a batch of
# those ended before a test could kill it in its middle.
N_ORDERS = 16


def test_sigkill_of_extract_with_two_jobs_leaves_no_worker_and_resumes(tmp_path):
    reference, out = tmp_path / "reference", tmp_path / "out"
    files = list(map(str, generated_orders(tmp_path / "orders", N_ORDERS)))
    assert _run("extract", *files, "-o", str(reference), "-q").returncode == 0
    proc = _start("extract", *files, "-o", str(out), "-q", "--jobs", "2")
    _kill_when(proc, lambda: _index_lines(out) >= 3 and len(_children(proc.pid)) == 2)
    _none_left(str(out))
    assert json.loads((out / "_run.json").read_text(encoding="utf-8"))["state"] == "running"

    rerun = _run("extract", *files, "-o", str(out), "-q", "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    _same_folder(out, reference)


def test_sigkill_of_ingest_with_two_jobs_leaves_no_worker_and_resumes(tmp_path):
    nothing = tmp_path / "no-json"
    nothing.mkdir()
    args = [*map(str, generated_orders(tmp_path / "orders", N_ORDERS)), "--outputs", str(nothing), "-q"]
    reference, db = tmp_path / "reference.sqlite", tmp_path / "registry.sqlite"
    assert _run("ingest", *args, "--db", str(reference)).returncode == 0

    proc = _start("ingest", *args, "--db", str(db), "--jobs", "2")
    _kill_when(proc, lambda: _stored(db) >= 2 and len(_children(proc.pid)) == 2)
    _none_left(str(db))
    before = _stored(db)
    rerun = _run("ingest", *args, "--db", str(db), "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N_ORDERS - before} added, 0 changed, {before} unchanged, 0 failed" in rerun.stdout
    assert _store_rows(db) == _store_rows(reference)


def test_a_worker_killed_mid_file_costs_nothing(tmp_path):
    """The file it held is read again in a fresh worker; the batch ends as an uninterrupted one."""
    reference, out = tmp_path / "reference", tmp_path / "out"
    files = list(map(str, generated_orders(tmp_path / "orders", N_ORDERS)))
    assert _run("extract", *files, "-o", str(reference), "-q").returncode == 0
    proc = _start("extract", *files, "-o", str(out), "--jobs", "2")
    end = time.monotonic() + 120
    while len(_children(proc.pid)) < 2 or _index_lines(out) < 1:
        assert proc.poll() is None and time.monotonic() < end
        time.sleep(0.02)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert f"{N_ORDERS} files: {N_ORDERS} ok, 0 failed" in stdout
    _same_folder(out, reference)


# ---------------------------------------------------------------- budget per file (forked workers run these)

_REAL = None


def _hostile(path, on_page=None):
    name = Path(path).name
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("grow"):  # memory that grows, as a runaway table or list does
        hoard = []
        for _ in range(60):
            hoard.append(bytearray(50 * 1024 * 1024))
            time.sleep(0.02)
    if name.startswith("killed"):  # what the OOM killer does to the process that holds the memory
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("huge"):  # one allocation far over the budget, as a page of 14,400 pt rendered
        bytearray(8 * 1024 * 1024 * 1024)
    return _REAL(path, on_page=on_page)


def _batch(tmp_path, monkeypatch, bad: str, spec: ExecutorSpec):
    global _REAL
    import pipeline.run

    _REAL = pipeline.run.extract_file
    _REAL(INPUTS[0])  # imports and vocabularies loaded here: forked workers start warm, within a short budget
    monkeypatch.setattr(pipeline.run, "extract_file", _hostile)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in INPUTS[:3]:
        (inputs / p.name).write_bytes(p.read_bytes())
    (inputs / f"{bad}.txt").write_bytes(INPUTS[3].read_bytes())
    start = time.monotonic()
    summary = pipeline.run.run_batch([inputs], tmp_path / "out", executor=spec, progress=False)
    failed = [r for r in summary.results if r.status == "failed"]
    assert summary.ok + summary.partial == 3 and [Path(r.path).name for r in failed] == [f"{bad}.txt"], failed
    assert json.loads((tmp_path / "out" / "_run.json").read_text())["failed"] == 1
    return failed[0].error, time.monotonic() - start


def test_a_file_over_its_time_budget_is_one_failed_line(tmp_path, monkeypatch):
    error, took = _batch(tmp_path, monkeypatch, "slow", ExecutorSpec(jobs=2, time_limit=2))
    assert error.endswith("slow.txt: took longer than 2 s to read (the time limit per file; --time-limit)")
    assert took < 30


def test_one_job_is_under_the_budget_too(tmp_path, monkeypatch):
    error, took = _batch(tmp_path, monkeypatch, "slow", ExecutorSpec(jobs=1, time_limit=2))
    assert "took longer than 2 s" in error and took < 30


def test_a_file_over_its_memory_budget_is_one_failed_line(tmp_path, monkeypatch):
    error, _ = _batch(tmp_path, monkeypatch, "grow", ExecutorSpec(jobs=2, memory_mb=400))
    assert error.endswith("grow.txt: used more than 400 MB of memory while reading "
                          "(the memory limit per file; --memory-limit)")


def test_the_memory_budget_is_what_a_file_takes_not_what_the_coordinator_holds(tmp_path, monkeypatch):
    # a forked worker shares the coordinator's pages: a coordinator holding 450 MB (a long test
    # session, a big batch's bookkeeping) must not make every file of a 400 MB budget fail
    ballast = bytearray(450 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))  # resident, not just reserved
    error, _ = _batch(tmp_path, monkeypatch, "grow", ExecutorSpec(jobs=2, memory_mb=400))
    assert error.endswith("grow.txt: used more than 400 MB of memory while reading "
                          "(the memory limit per file; --memory-limit)")
    del ballast


def test_one_huge_allocation_fails_at_once(tmp_path, monkeypatch):
    error, took = _batch(tmp_path, monkeypatch, "huge", ExecutorSpec(jobs=2, memory_mb=400))
    assert "huge.txt: out of memory while reading" in error and took < 60


def test_a_file_whose_worker_is_killed_each_time_is_one_failed_line(tmp_path, monkeypatch):
    error, _ = _batch(tmp_path, monkeypatch, "killed", ExecutorSpec(jobs=2))
    assert error.endswith("killed.txt: the worker died while reading it (killed by SIGKILL, 2 times): "
                          "a crash in a library, or out of memory")


def test_a_full_disk_stops_extract_with_one_line_and_a_rerun_resumes(tmp_path):
    """A 400 kB tmpfs (mounted when running as root, else skipped) fills after two orders."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(disk)],
                                           capture_output=True).returncode != 0:
        import pytest

        pytest.skip("needs root to mount a small tmpfs")
    orders = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))
    try:
        r = _run("extract", *orders, "-o", str(disk / "out"), "-q")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert r.stderr.splitlines() == [f"error: {disk / 'out'}: cannot write the outputs: No space left on device "
                                         "(free space or choose another folder with -o, then run the command "
                                         "again: it resumes)"]
        written = [p for p in (disk / "out").glob("*.json") if p.name != "_run.json"]
        assert 1 <= len(written) < 5 and all(json.loads(p.read_text(encoding="utf-8"))["documents"] for p in written)
        moved = tmp_path / "out"
        subprocess.run(["cp", "-a", str(disk / "out"), str(moved)], check=True)
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    r = _run("extract", *orders, "-o", str(moved), "-q")
    assert r.returncode == 0 and "5 files: 5 ok, 0 failed" in r.stdout
    assert json.loads((moved / "_run.json").read_text(encoding="utf-8"))["state"] == "finished"


FORK_AFTER_OPENCV = r'''
import sys
from pathlib import Path
import numpy as np, cv2
from PIL import Image, ImageDraw, ImageFont
a = np.random.default_rng(0).integers(0, 255, (2000, 2000), dtype=np.uint8)
for _ in range(3):  # OpenCV's own thread pool is started here, in the coordinator
    cv2.resize(cv2.GaussianBlur(a, (31, 31), 0), (1000, 1000))
assert cv2.getNumThreads() > 1
img = Image.new("L", (1240, 600), 255)
draw = ImageDraw.Draw(img)
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 36)
for k, line in enumerate(["МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ", "ПРИКАЗ", "Об утверждении Перечня точек взаимодействия"]):
    draw.text((80, 80 + 90 * k), line, fill=0, font=font)
src = Path(sys.argv[1]) / "page.png"
img.save(src, dpi=(200, 200))
from pipeline.run import run_batch
r = run_batch([src], Path(sys.argv[1]) / "out", progress=False)
print("done", r.ok + r.failed + r.partial)
'''


def test_a_worker_forked_after_the_coordinator_used_opencv_does_not_hang(tmp_path):
    """A library user (or a test) that has run OpenCV in its own process, then a
    batch: the forked worker must not wait for the parent's OpenCV threads."""
    if sys.platform != "linux" or not __import__("shutil").which("tesseract"):
        import pytest
        pytest.skip("fork and tesseract: Linux with tesseract")
    run = subprocess.run([sys.executable, "-c", FORK_AFTER_OPENCV, str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "done 1" in run.stdout
    assert (tmp_path / "out" / "page.json").is_file()
