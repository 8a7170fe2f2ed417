"""The store under concurrency and failure (issue 13, section 3): two ingests
of the same files at once store each file once; two processes opening a new
store migrate it once; a reader holding a transaction does not stop an ingest;
a writer holding the lock past the retries, or a full disk, is one line and
the store keeps every file recorded before, and a rerun goes on; commands that
only read work on a store nobody may write; every path of a content is kept."""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import MIGRATIONS, Store
from tests.test_resume import _store_rows

ROOT = Path(__file__).resolve().parent.parent
ORDERS = [str(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The five corpus orders extracted once: ingests below record this JSON (fast, and the race is in the store)."""
    out = tmp_path_factory.mktemp("extracted")
    assert CliRunner().invoke(main, ["extract", *ORDERS, "-o", str(out), "-q"]).exit_code == 0
    return out


def _ingest_proc(db: Path, outputs: Path, *extra: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", *ORDERS, "--db", str(db), "--outputs",
                             str(outputs), *extra], cwd=ROOT, env=dict(os.environ, CI="1"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _no_duplicates(db: Path) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == len(ORDERS)
    assert conn.execute("SELECT COUNT(DISTINCT sha256) FROM extractions WHERE superseded = 0").fetchone()[0] == 5
    assert conn.execute("SELECT COUNT(DISTINCT path) FROM extractions WHERE superseded = 0").fetchone()[0] == 5
    conn.close()


def test_two_ingests_of_the_same_files_on_a_new_store_store_each_once(tmp_path, extracted):
    db = tmp_path / "registry.sqlite"
    procs = [_ingest_proc(db, extracted) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (stdout, stderr) in zip(procs, outs):
        assert p.returncode == 0, stderr  # neither trips on the other's migration ("table … already exists")
    added = [int(stdout.split(" added")[0].rsplit(" ", 1)[1]) for stdout, _ in outs]
    assert sum(added) == 5, [o for o, _ in outs]
    _no_duplicates(db)
    with Store.open(db, readonly=True) as store:
        assert store.schema_version() == MIGRATIONS[-1][0]


def _open(db: str, barrier) -> None:
    barrier.wait()
    Store.open(db).close()


def test_processes_opening_a_new_store_at_once_migrate_it_once(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(3):
        db = str(tmp_path / f"new-{round_}.sqlite")
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open, args=(db, barrier)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
        conn = sqlite3.connect(db)
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [m[0] for m in MIGRATIONS]


def test_a_reader_holding_a_transaction_does_not_stop_an_ingest(tmp_path, extracted):
    db = tmp_path / "registry.sqlite"
    assert CliRunner().invoke(main, ["ingest", ORDERS[0], "--db", str(db), "--outputs", str(extracted)]).exit_code == 0
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1  # its snapshot is taken
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "--outputs", str(extracted)])
    assert result.exit_code == 0, result.output
    assert "4 added, 0 changed, 1 unchanged, 0 failed" in result.output
    assert reader.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1
    reader.rollback()
    assert reader.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 5


def test_a_writer_holding_the_lock_is_one_line_and_a_rerun_goes_on(tmp_path, extracted, monkeypatch):
    import pipeline.store

    monkeypatch.setattr(pipeline.store, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setattr(pipeline.store, "WRITE_TRIES", 2)
    db = tmp_path / "registry.sqlite"
    Store.open(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "--outputs", str(extracted)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert line == (f"error: {db}: cannot record {Path(ORDERS[0]).name} in the store: another process holds its "
                    "write lock (2 tries of 0.2 s) (the store keeps every file recorded before; run the command "
                    "again to go on)")
    holder.rollback()
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "--outputs", str(extracted)])
    assert result.exit_code == 0 and "5 added" in result.output
    _no_duplicates(db)


def _small_files(limit: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_is_one_line_the_store_stays_whole_and_a_rerun_goes_on(tmp_path, extracted):
    reference = tmp_path / "reference.sqlite"
    assert CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(reference), "--outputs", str(extracted)]).exit_code == 0
    db = tmp_path / "registry.sqlite"
    # files may not grow past 700 kB: the store fills up after a few orders, as on a full disk
    proc = _ingest_proc(db, extracted, preexec_fn=_small_files(700_000))
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "Traceback" not in stderr
    [line] = [x for x in stderr.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: {db}: cannot record ") and "in the store: disk I/O error" in line
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
    conn.close()
    assert 1 <= kept < 5 and stderr.count("added: ") == kept
    rerun = _ingest_proc(db, extracted)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert f"{5 - kept} added, 0 changed, {kept} unchanged, 0 failed" in stdout
    assert _store_rows(db) == _store_rows(reference)


def _without_write_rights() -> list[str]:
    """A prefix under which a mode-0444 file in a mode-0555 folder cannot be written (root writes anything otherwise)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv")
    caps = "-dac_override,-dac_read_search,-fowner"
    return ["setpriv", "--bounding-set", caps, "--inh-caps", caps]


def test_reading_commands_work_on_a_store_nobody_may_write(tmp_path, extracted):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "registry.sqlite"
    assert CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "--outputs", str(extracted)]).exit_code == 0
    assert not Path(f"{db}-wal").exists()  # closed cleanly: nothing beside the file, so SQLite cannot make its WAL index
    db.chmod(0o444)
    folder.chmod(0o555)
    out = tmp_path / "out"
    out.mkdir()
    try:
        for args in (["versions"], ["compare", "-q", "-o", str(out / "report")],
                     ["export", "-o", str(out / "registry.csv")],
                     ["diff", "--agency", "Комитет РСО-Алания по занятости населения"]):
            r = subprocess.run([*_without_write_rights(), sys.executable, "-m", "pipeline", *args, "--db", str(db)],
                               cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, CI="1"), timeout=300)
            assert r.returncode == 0, (args, r.stderr)
        assert "north-ossetia" in (out / "registry.csv").read_text(encoding="utf-8-sig")
        r = subprocess.run([*_without_write_rights(), sys.executable, "-m", "pipeline", "ingest", ORDERS[0], "--force",
                            "--db", str(db), "--outputs", str(extracted)], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, CI="1"), timeout=300)
        assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.splitlines()[-1].startswith(f"error: {db}: ")
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    with Store.open(db, readonly=True) as store:  # mode=ro: a write is refused by SQLite itself
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM warnings")


def test_every_path_of_a_content_is_recorded(tmp_path, extracted):
    copy = tmp_path / "copy-of-order.txt"
    shutil.copy(ORDERS[0], copy)
    db = tmp_path / "registry.sqlite"
    result = CliRunner().invoke(main, ["ingest", ORDERS[0], str(copy), "--db", str(db), "--outputs", str(extracted)])
    assert result.exit_code == 0 and "1 added, 0 changed, 1 unchanged" in result.output
    result = CliRunner().invoke(main, ["ingest", ORDERS[0], str(copy), "--db", str(db), "--outputs", str(extracted)])
    assert "0 added, 0 changed, 2 unchanged" in result.output
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, extraction_id FROM file_paths ORDER BY path").fetchall()
    assert rows == sorted([(str(copy), 1), (ORDERS[0], 1)])
    assert conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1


def test_migration_6_keeps_one_current_extraction_per_path(tmp_path, corpus):
    """A store two racing ingests left with two current rows per path (before the fix) is repaired."""
    db = tmp_path / "old.sqlite"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.executescript("DROP INDEX extractions_current_path; DROP TABLE file_paths;"
                       "DELETE FROM schema_migrations WHERE version = 6; PRAGMA user_version = 5;")
    old = Store(conn, db)  # the schema-5 store, written as the racing ingests did
    with conn:
        old.add_extraction(corpus("altai"), path="/data/a.txt")
        old.add_extraction(corpus("altai"), path="/data/a.txt")
    conn.close()
    with Store.open(db) as store:
        rows = store.conn.execute("SELECT id, superseded FROM extractions ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(1, 1), (2, 0)]
        assert [tuple(r) for r in store.conn.execute("SELECT path, extraction_id FROM file_paths")] == [("/data/a.txt", 2)]
        with pytest.raises(sqlite3.IntegrityError):
            store.add_extraction(corpus("altai"), path="/data/a.txt")


def test_an_older_store_nobody_may_write_is_one_line(tmp_path, extracted):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "registry.sqlite"
    assert CliRunner().invoke(main, ["ingest", ORDERS[0], "--db", str(db), "--outputs", str(extracted)]).exit_code == 0
    conn = sqlite3.connect(db)  # as an earlier release left it: schema 5
    conn.executescript("DROP INDEX extractions_current_path; DROP TABLE file_paths;"
                       "DELETE FROM schema_migrations WHERE version = 6; PRAGMA user_version = 5;")
    conn.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        r = subprocess.run([*_without_write_rights(), sys.executable, "-m", "pipeline", "versions", "--db", str(db)],
                           cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, CI="1"), timeout=300)
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert r.returncode == 1 and r.stderr == (
        f"error: {db}: the store has schema 5, this version reads {MIGRATIONS[-1][0]} (open it once where it can "
        "be written (registry ingest) to upgrade it)\n")
    with Store.open(db, readonly=True) as store:  # where it may be written, a reading command upgrades it first
        assert store.schema_version() == MIGRATIONS[-1][0]
