"""The registry command through click's CliRunner, on tmp_path."""

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import CORPUS, ORDERS


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_extract_corpus_writes_one_json_per_order_and_a_summary(tmp_path):
    # the five acceptance orders (corpus/*.txt); corpus/real/ holds more files, read by their own tests
    res = run("extract", *sorted(CORPUS.glob("*.txt")), "-o", tmp_path, "--jobs", "2")
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in tmp_path.glob("*.json"))
    assert names == sorted([Path(f).stem + ".json" for f in ORDERS.values()] + ["_run.json"])
    summary = json.loads((tmp_path / "_run.json").read_text(encoding="utf-8"))
    assert (summary["files"], summary["ok"], summary["failed"], summary["documents"]) == (5, 5, 0, 7)
    assert summary["touchpoints"] == 14 + 7 + 7
    assert summary["partial"] == 0 and {r["status"] for r in summary["results"]} == {"ok"}
    # the settings that steered the run are recorded with it
    assert summary["settings"]["readers"]["pdf"]["table"]["vertical_strategy"] == "lines"
    assert summary["settings"]["readers"]["ocr"]["lang"] == "rus"
    assert "min_header_roles" in summary["settings"]["perechen_table"]
    assert "5 files: 5 ok, 0 failed; 7 documents, 28 touchpoints" in res.output


def test_extract_again_reuses_what_is_up_to_date_and_force_extracts_it(tmp_path):
    src = CORPUS / ORDERS["altai"]
    assert run("extract", src, "-o", tmp_path, "-q").exit_code == 0
    first = (tmp_path / (src.stem + ".json")).stat().st_mtime_ns
    again = run("extract", src, "-o", tmp_path)
    assert again.exit_code == 0 and "ok: " in again.output  # the same line as when it was extracted
    assert (tmp_path / (src.stem + ".json")).stat().st_mtime_ns == first
    assert run("extract", src, "-o", tmp_path, "--force", "-q").exit_code == 0
    assert (tmp_path / (src.stem + ".json")).stat().st_mtime_ns != first


def test_dask_executor_needs_a_scheduler(tmp_path, monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    for command in (["extract", "-o", tmp_path / "out"], ["ingest", "--db", tmp_path / "r.sqlite"]):
        res = run(command[0], CORPUS / ORDERS["altai"], *command[1:], "--executor", "dask")
        assert res.exit_code == 2 and "--executor dask needs --scheduler" in res.output
    assert not (tmp_path / "r.sqlite").exists()


def test_extract_reports_a_bad_file_and_goes_on(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(CORPUS / ORDERS["altai"], inp)
    (inp / "empty.txt").write_bytes(b"")
    (inp / "junk.txt").write_bytes(os.urandom(4000).replace(b"\x00", b"\x01"))
    res = run("extract", inp, "-o", tmp_path / "out")
    assert res.exit_code == 1
    assert "empty.txt: empty file" in res.output
    assert "failed: " in res.output and "junk.txt: " in res.output
    assert "Traceback" not in res.output
    assert (tmp_path / "out" / (Path(ORDERS["altai"]).stem + ".json")).exists()
    summary = json.loads((tmp_path / "out" / "_run.json").read_text(encoding="utf-8"))
    assert (summary["ok"], summary["failed"]) == (1, 2)


def test_same_stem_does_not_overwrite(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(CORPUS / ORDERS["altai"], a / "order.txt")
    shutil.copy(CORPUS / ORDERS["sakhalin"], b / "order.txt")
    shutil.copy(CORPUS / ORDERS["dagestan"], a / "order.md")
    res = run("extract", a, b, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    outs = sorted(p.name for p in (tmp_path / "out").glob("*.json") if p.name != "_run.json")
    assert len(outs) == 3 and len(set(outs)) == 3
    regions = {json.loads((tmp_path / "out" / o).read_text())["documents"][0]["meta"]["region"] for o in outs}
    assert regions == {"Республика Алтай", "Сахалинская область", "Республика Дагестан"}


def test_usage_errors_exit_2(tmp_path):
    assert run("extract").exit_code == 2
    empty = tmp_path / "nothing"
    empty.mkdir()
    res = run("extract", empty, "-o", tmp_path / "out")
    assert res.exit_code == 2 and "nothing to read in this folder" in res.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = run("extract", CORPUS / ORDERS["altai"], "-o", blocker / "sub")
    assert res.exit_code == 2 and "output folder is not writable" in res.output and "Traceback" not in res.output


def test_missing_input_is_a_failure_not_a_crash(tmp_path):
    res = run("extract", tmp_path / "nope.txt", "-o", tmp_path / "out")
    assert res.exit_code == 1 and "no such file or folder" in res.output


def test_show_prints_meta_touchpoints_thresholds_warnings(tmp_path):
    run("extract", CORPUS / ORDERS["ossetia_2026"], "-o", tmp_path)
    res = run("show", tmp_path / (Path(ORDERS["ossetia_2026"]).stem + ".json"), "--no-color")
    assert res.exit_code == 0
    out = res.output
    assert "ORDER — приказ от 2026-03-23 № 22-2" in out
    assert "Комитет Республики Северная Осетия-Алания по занятости населения" in out
    assert "Каналы и публичные чаты Комитета в мес" in out
    assert "response_time" in out and "<= 4 hour" in out
    assert "table_spill_joined" in out


def test_show_rejects_a_non_extraction_file(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1}')
    res = run("show", bad)
    assert res.exit_code == 1 and "not an extraction JSON" in res.output


def test_schema_files_are_up_to_date(tmp_path):
    res = run("schema", "-o", tmp_path)
    assert res.exit_code == 0
    for p in tmp_path.glob("*.json"):
        committed = Path(__file__).resolve().parent.parent / "schemas" / p.name
        assert committed.exists(), f"schemas/{p.name} missing: run `registry schema`"
        assert committed.read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), \
            f"schemas/{p.name} is stale: run `registry schema` and commit"


def test_python_dash_m_entry_point():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "extract" in out.stdout
