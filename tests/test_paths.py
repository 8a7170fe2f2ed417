"""Paths and names (issue 13, section 5): a file name that is not UTF-8, an
input named like the run summary, a name near the 255-byte limit, a file that
cannot be read, a pipe, a device, a looping link, hidden files — each is one
clear line or a correct output, and the rest of the batch is written."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
ORDER = ROOT / "corpus" / "north-ossetia-employment-committee-2026-03-23-22-2.txt"  # 14 touchpoints
OTHER = ROOT / "corpus" / "north-ossetia-employment-committee-2023-09-09-78-r.txt"
NOT_UTF8 = os.fsdecode(b"caf\xe9 \xff.txt")  # Latin-1 bytes, as an old Windows share names files


def _extract(*args) -> tuple[int, str, dict]:
    r = CliRunner().invoke(main, ["extract", *map(str, args)])
    out = Path(args[args.index("-o") + 1])
    raw = (out / "_run.json").read_bytes()
    return r.exit_code, r.output, json.loads(raw.decode("utf-8"))  # valid UTF-8, valid JSON


def test_a_name_that_is_not_utf8_is_read_and_the_summary_is_valid_json(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ORDER, src / NOT_UTF8)
    code, output, summary = _extract(src, "-o", tmp_path / "out")
    assert code == 0, output
    [res] = summary["results"]
    assert res["path"].endswith("caf\\xe9 \\xff.txt") and res["status"] == "ok" and res["touchpoints"] == 14
    # the output keeps the input's bytes in its name; its JSON names the source as the summary does
    out = tmp_path / "out" / os.fsdecode(b"caf\xe9 \xff.json")
    assert json.loads(out.read_bytes())["source"]["path"] == res["path"]
    # the index finds it again: a rerun rewrites nothing
    before = out.stat().st_mtime_ns
    assert _extract(src, "-o", tmp_path / "out")[0] == 0 and out.stat().st_mtime_ns == before


def test_a_name_that_is_not_utf8_goes_into_the_store(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ORDER, src / NOT_UTF8)
    db = tmp_path / "r.sqlite"
    r = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "--outputs", str(tmp_path)])
    assert r.exit_code == 0, r.output
    with Store.open(db, readonly=True) as store:
        [path] = [row[0] for row in store.conn.execute("SELECT path FROM extractions")]
    assert path.endswith("/in/caf\\xe9 \\xff.txt")


def test_an_input_named_like_the_run_summary_keeps_its_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ORDER, src / "_run.txt")
    shutil.copy(OTHER, src / "__run.txt")
    code, output, summary = _extract(src, "-o", tmp_path / "out")
    assert code == 0, output
    assert summary["state"] == "finished" and summary["ok"] == 2
    assert json.loads((tmp_path / "out" / "__run.json").read_text())["source"]["path"].endswith("/_run.txt")
    assert json.loads((tmp_path / "out" / "___run.json").read_text())["source"]["path"].endswith("/__run.txt")


def test_a_long_name_is_shortened_the_same_way_every_time(tmp_path):
    name = "приказ " + "о" * 110 + ".txt"  # 237 bytes in UTF-8, under the 255-byte limit of a name
    assert len(name.encode()) == 237
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ORDER, src / name)
    for out in ("a", "b"):
        code, output, summary = _extract(src / name, "-o", tmp_path / out)
        assert code == 0, output
    [written] = [p.name for p in (tmp_path / "a").glob("приказ*.json")]
    assert len(written.encode()) <= 200 and written.startswith("приказ ооо") and written.endswith(".json")
    assert [p.name for p in (tmp_path / "b").glob("приказ*.json")] == [written]
    assert summary["results"][0]["touchpoints"] == 14


def _unreadable_runner() -> list[str]:
    """A prefix that runs a command unable to read a mode-000 file (root reads anything otherwise)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", "--bounding-set", caps, "--inh-caps", caps]


def test_an_unreadable_file_given_by_name_is_one_failed_file(tmp_path):
    secret, fine = tmp_path / "secret.txt", tmp_path / "fine.txt"
    shutil.copy(ORDER, secret)
    shutil.copy(ORDER, fine)
    secret.chmod(0)
    r = subprocess.run([*_unreadable_runner(), sys.executable, "-m", "pipeline", "extract", str(secret), str(fine),
                        "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, CI="1"))
    assert r.returncode == 1, r.stderr
    assert f"failed: {secret}: cannot read: Permission denied" in r.stderr
    assert "2 files: 1 ok, 1 failed" in r.stdout and (tmp_path / "out" / "fine.json").is_file()


def test_a_file_in_a_folder_that_cannot_be_entered_is_one_failed_file(tmp_path):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    shutil.copy(ORDER, tmp_path / "in" / "fine.txt")
    shutil.copy(ORDER, tmp_path / "in" / "locked" / "inside.txt")
    (tmp_path / "in" / "locked").chmod(0o644)  # listed, but no x: its files cannot be looked at
    try:
        r = subprocess.run([*_unreadable_runner(), sys.executable, "-m", "pipeline", "extract", str(tmp_path / "in"),
                            "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, CI="1"))
    finally:
        (tmp_path / "in" / "locked").chmod(0o755)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"failed: {tmp_path / 'in' / 'locked' / 'inside.txt'}: cannot read: Permission denied" in r.stderr
    assert "2 files: 1 ok, 1 failed" in r.stdout


def test_a_pipe_a_device_and_a_looping_link_say_what_they_are(tmp_path):
    fifo, loop, dangling = tmp_path / "pipe.txt", tmp_path / "loop.txt", tmp_path / "gone.txt"
    os.mkfifo(fifo)
    loop.symlink_to(loop.name)
    dangling.symlink_to("nowhere.txt")
    code, output, summary = _extract(fifo, loop, dangling, "/dev/zero", ORDER, "-o", tmp_path / "out")
    assert code == 1
    errors = {Path(r["path"]).name: r["error"] for r in summary["results"] if r["status"] == "failed"}
    assert errors == {
        "pipe.txt": f"{fifo}: a named pipe (FIFO), not a file: nothing read",
        "loop.txt": f"{loop}: a symbolic link that loops (it points back to itself), not a file",
        "gone.txt": f"{dangling}: a symbolic link to nowhere.txt, which does not exist",
        "zero": "/dev/zero: a device, not a file: nothing read",
    }
    assert summary["ok"] == 1


def test_hidden_files_are_read_when_named_and_left_out_of_a_folder_with_a_line(tmp_path):
    src = tmp_path / "in"
    (src / ".git").mkdir(parents=True)
    shutil.copy(ORDER, src / "order.txt")
    shutil.copy(OTHER, src / ".draft.txt")
    shutil.copy(OTHER, src / "..txt")
    shutil.copy(OTHER, src / ".git" / "note.txt")
    code, output, summary = _extract(src, "-o", tmp_path / "out")
    assert code == 0
    assert f"skipped: {src}: 3 hidden file(s) left out (names starting with '.'); name a file to read it" in output
    assert [Path(r["path"]).name for r in summary["results"] if r["status"] == "ok"] == ["order.txt"]
    code, output, summary = _extract(src / ".draft.txt", src / "..txt", "-o", tmp_path / "named")
    assert code == 0 and summary["ok"] == 2


def test_outputs_follow_the_umask_not_the_temp_files_0600(tmp_path):
    old = os.umask(0o022)
    try:
        assert _extract(ORDER, "-o", tmp_path / "out")[0] == 0
    finally:
        os.umask(old)
    for name in (ORDER.stem + ".json", "_run.json", "_index.jsonl"):
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o644, name
