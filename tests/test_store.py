"""Registry store: ingest by content hash, versions per agency, current
registry, export — on the real corpus through the CLI."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import MIGRATIONS, Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# the five acceptance orders only: corpus/real/ holds more files, read by their own tests
ORDERS = [str(p) for p in sorted(CORPUS.glob("*.txt"))]
ALTAI = CORPUS / "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt"
# no per-file budget and one job: files are read in this process, where the counting extractor is patched
IN_PROCESS = ("--time-limit", "0", "--memory-limit", "0")


@pytest.fixture(scope="session")
def ingested(tmp_path_factory):
    """The five corpus orders ingested once through `registry ingest` (first run's output, db path)."""
    db = tmp_path_factory.mktemp("store") / "registry.sqlite"
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db)])
    return result, db


def _agency(store: Store, name: str):
    return store.versions(store.resolve_agency(name))


def test_first_ingest_adds_every_corpus_file(ingested):
    result, _ = ingested
    assert result.exit_code == 0, result.output
    assert "5 files: 5 added, 0 changed, 0 unchanged, 0 failed" in result.output


def test_second_ingest_extracts_nothing(ingested, monkeypatch):
    _, db = ingested
    calls = []
    import pipeline.run

    real = pipeline.run.extract_file
    monkeypatch.setattr(pipeline.run, "extract_file", lambda p, on_page=None: calls.append(p) or real(p))
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), *IN_PROCESS])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 changed, 5 unchanged, 0 failed" in result.output
    assert calls == []


def test_north_ossetia_orders_are_two_versions_of_one_agency(ingested):
    with Store.open(ingested[1], must_exist=True) as store:
        versions = _agency(store, "Комитет РСО-Алания по занятости населения")
    assert [(v.kind, v.date, v.number) for v in versions] == [
        ("order", "2023-09-09", "78-р"),
        ("order", "2026-03-23", "22-2"),
    ]
    assert [v.version for v in versions] == [1, 2]
    # the 2023 order approves no Перечень: the current registry is the 2026 one
    assert [v.current for v in versions] == [False, True]
    assert versions[-1].n_touchpoints == 14


def test_draft_never_becomes_current(ingested):
    with Store.open(ingested[1], must_exist=True) as store:
        versions = _agency(store, "Министерство промышленности и торговли РД")
    # the undated draft of the Дагестан order is the earlier version: the signed order replaced it
    assert [(v.doc_id, v.kind) for v in versions] == [("d3", "draft"), ("d1", "order")]
    current = [v for v in versions if v.current]
    assert [(v.doc_id, v.kind) for v in current] == [("d1", "order")]


def test_tables_are_queryable_with_plain_sqlite(ingested):
    conn = sqlite3.connect(ingested[1])
    per_region = dict(conn.execute("SELECT region_code, COUNT(*) FROM current_registry GROUP BY region_code"))
    assert per_region == {"RU-SE": 14, "RU-DA": 7}
    deadlines = dict(conn.execute(
        "SELECT region_code, value FROM current_thresholds WHERE metric = 'publication_deadline'"))
    assert deadlines == {"RU-AL": 5.0, "RU-SAK": 10.0, "RU-DA": 10.0}
    kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM documents GROUP BY kind"))
    assert kinds == {"order": 5, "draft": 1, "memo": 1}
    assert conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 5
    assert conn.execute("SELECT COUNT(*) FROM definitions").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM warnings WHERE code = 'truncated'").fetchone()[0] == 1
    stored = json.loads(conn.execute("SELECT json FROM extractions LIMIT 1").fetchone()[0])
    assert stored["source"]["sha256"]


def test_migrations_are_recorded_and_not_reapplied(ingested):
    with Store.open(ingested[1]) as store:
        assert store.migrate() == []
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1][0]


def test_versions_command_lists_agencies(ingested):
    result = CliRunner().invoke(main, ["versions", "--db", str(ingested[1])])
    assert result.exit_code == 0, result.output
    assert "* v2 order 2026-03-23 № 22-2" in result.output
    assert "v1 draft undated" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export(ingested, tmp_path, fmt):
    out = tmp_path / f"registry.{fmt}"
    result = CliRunner().invoke(main, ["export", "--db", str(ingested[1]), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert len(rows) == 21
        assert {r["order_number"] for r in rows} == {"22-2", "154-ОД"}
        th = list(csv.DictReader((tmp_path / "registry.thresholds.csv").open(encoding="utf-8-sig")))
        assert {(r["region_code"], r["value"]) for r in th if r["metric"] == "publication_deadline"} == {
            ("RU-AL", "5"), ("RU-SAK", "10"), ("RU-DA", "10")}
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(out)
        assert wb.sheetnames == ["touchpoints", "thresholds"]
        assert wb["touchpoints"].max_row == 22
    else:
        data = json.loads(out.read_text(encoding="utf-8"))
        assert len(data["touchpoints"]) == 21
        channels = {t["channel"] for t in data["touchpoints"] if t["region_code"] == "RU-SE"}
        assert {"edms", "messenger"} <= channels


def test_changed_file_becomes_a_new_version_and_failures_do_not_stop_the_batch(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    copy = src / ALTAI.name
    shutil.copy(ALTAI, copy)
    (src / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    runner = CliRunner()

    first = runner.invoke(main, ["ingest", str(src), "--db", str(db)])
    assert first.exit_code == 1  # the empty file failed, the order was still stored
    assert "2 files: 1 added, 0 changed, 0 unchanged, 1 failed" in first.output
    assert "empty.txt" in first.output

    text = copy.read_text(encoding="utf-8")
    assert "не позднее 5 рабочих дней" in text
    copy.write_text(text.replace("не позднее 5 рабочих дней", "не позднее 3 рабочих дней"), encoding="utf-8")
    second = runner.invoke(main, ["ingest", str(copy), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "1 files: 0 added, 1 changed, 0 unchanged, 0 failed" in second.output

    with Store.open(db) as store:
        versions = _agency(store, "Комитет по делам записи актов гражданского состояния и архивов РА")
        assert len(versions) == 2
        assert [v.superseded for v in versions] == [True, False]
        _, doc = store.load_version(versions[-1])
        values = [t.value for r in doc.requirements for t in r.thresholds if t.metric == "publication_deadline"]
        assert values == [3.0]

    diff = runner.invoke(main, ["diff", "--agency", "Алтай", "--db", str(db), "--no-color"])
    assert diff.exit_code == 0, diff.output
    assert "publication deadline 5 → 3 working days" in diff.output


def test_missing_store_is_one_line_and_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_agency_is_one_line(ingested):
    result = CliRunner().invoke(main, ["versions", "Нет такого ведомства", "--db", str(ingested[1])])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "no agency matches" in result.output


def test_migration_2_upgrades_a_schema_1_store_from_its_stored_json(corpus, tmp_path):
    db = tmp_path / "old.sqlite"
    with Store.open(db) as store, store.conn:
        store.add_extraction(corpus("ossetia_2023"))
    # turn it into the store an earlier release wrote: schema 1 only
    conn = sqlite3.connect(db)
    conn.executescript("DROP TABLE appendices; DROP TABLE legal_basis; DROP TABLE working_group; DROP TABLE tasks;"
                       "DELETE FROM schema_migrations WHERE version >= 2; PRAGMA user_version = 1;")
    conn.close()
    with Store.open(db) as store:
        assert store.schema_version() == MIGRATIONS[-1][0]
        c = store.conn
        assert c.execute("SELECT COUNT(*) FROM working_group").fetchone()[0] == 19
        assert c.execute("SELECT name FROM working_group WHERE role = 'leader'").fetchone()[0]
        assert c.execute("SELECT COUNT(*) FROM appendices").fetchone()[0] >= 3
        assert c.execute("SELECT COUNT(*) FROM tasks WHERE deadline = '2023-09-01'").fetchone()[0] == 1
        assert c.execute("SELECT number FROM legal_basis").fetchone()[0] == "2816-р"


def test_diff_agency_compares_its_two_latest_versions(ingested):
    runner = CliRunner()
    ossetia = runner.invoke(main, ["diff", "--agency", "Комитет РСО-Алания по занятости населения",
                                   "--db", str(ingested[1]), "--format", "json"])
    assert ossetia.exit_code == 0, ossetia.output
    d = json.loads(ossetia.output)
    assert (d["old"]["number"], d["new"]["number"]) == ("78-р", "22-2")
    assert len(d["touchpoints_added"]) == 14
    dagestan = runner.invoke(main, ["diff", "--agency", "дагестан", "--db", str(ingested[1]), "--format", "json"])
    d = json.loads(dagestan.output)
    assert (d["old"]["kind"], d["new"]["kind"]) == ("draft", "order")
    assert {c["field"]: c["new"] for c in d["meta"]}["signatory.name"] == "Н.Р. Халилов"
    single = runner.invoke(main, ["diff", "--agency", "Сахалин", "--db", str(ingested[1])])
    assert single.exit_code == 1 and "has 1 version(s); a diff needs two" in single.output


def test_appendices_published_alone_are_one_version_of_the_act_they_cite(tmp_path):
    # two real Garant pages: appendix 1 (Порядок) and appendix 2 (Методические рекомендации)
    # of the Mordovia ministry's order of 12.02.2024 N 48-П, each published on its own
    real = CORPUS / "real"
    files = [real / "mordovia-agriculture-2024-02-12-48-p-app1.txt", real / "mordovia-agriculture-2024-02-12-48-p-app2.txt"]
    db = tmp_path / "registry.sqlite"
    res = CliRunner().invoke(main, ["ingest", *map(str, files), ORDERS[0], "--db", str(db)])
    assert res.exit_code == 0, res.output
    with Store.open(db) as store:
        versions = _agency(store, "Министерство сельского хозяйства и продовольствия Республики Мордовия")
        assert [(v.kind, v.date, v.number, v.version) for v in versions] == [
            ("appendix", "2024-02-12", "48-П", 1), ("appendix", "2024-02-12", "48-П", 1)]
        # another agency's order keeps its own versions
        other = [a for a in store.agencies() if a.agency_key != versions[0].agency_key]
        assert other and all(v.kind == "order" for a in other for v in a.versions)


def test_migration_3_upgrades_a_schema_2_store(tmp_path):
    from pipeline.store_schema import SCHEMA_1, SCHEMA_2

    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA_1 + SCHEMA_2)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01')", [(1, "initial"), (2, "appendices")])
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        assert store.schema_version() == MIGRATIONS[-1][0]
        views = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        assert {"agency_versions", "current_documents", "current_registry", "current_thresholds"} <= views


# ---------------------------------------------------------------- issue 10: reuse, upgrade, WAL


def _no_extraction(monkeypatch):
    """Any extraction in this process fails the test."""
    import pipeline.run

    def refuse(path, on_page=None):
        raise AssertionError(f"{path} extracted again")

    monkeypatch.setattr(pipeline.run, "extract_file", refuse)


def test_ingest_after_extract_records_its_json_and_extracts_nothing(tmp_path, monkeypatch):
    """`make report` after `make run`: ingest finds extract's JSON for every unchanged file."""
    out = tmp_path / "outputs"
    assert CliRunner().invoke(main, ["extract", *ORDERS, "-o", str(out), "-q"]).exit_code == 0
    _no_extraction(monkeypatch)
    result = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(out / "registry.sqlite")])
    assert result.exit_code == 0, result.output
    assert "5 files: 5 added, 0 changed, 0 unchanged, 0 failed; 5 recorded from extract's JSON" in result.output
    conn = sqlite3.connect(out / "registry.sqlite")
    stored = {json.loads(j)["source"]["path"]: j for (j,) in conn.execute("SELECT json FROM extractions")}
    for path in ORDERS:
        written = json.loads((out / (Path(path).stem + ".json")).read_text(encoding="utf-8"))
        assert json.loads(stored[path]) == written
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_extract_json_is_not_reused_when_edited_or_for_other_content(tmp_path, monkeypatch):
    out = tmp_path / "outputs"
    src = tmp_path / "order.txt"
    shutil.copy(ALTAI, src)
    assert CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-q"]).exit_code == 0
    written = out / "order.json"
    written.write_text(written.read_text(encoding="utf-8").replace("Зорина", "Зорин"), encoding="utf-8")
    calls = []
    import pipeline.run

    real = pipeline.run.extract_file
    monkeypatch.setattr(pipeline.run, "extract_file", lambda p, on_page=None: calls.append(p) or real(p))
    result = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "r.sqlite"), "--outputs", str(out),
                                       *IN_PROCESS])
    assert result.exit_code == 0 and "recorded from extract's JSON" not in result.output
    assert len(calls) == 1
    # and extract itself writes it again instead of keeping the edited file
    assert CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-q", *IN_PROCESS]).exit_code == 0
    assert "Зорина" in written.read_text(encoding="utf-8") and len(calls) == 2


def test_upgrade_reextracts_what_an_older_extractor_stored(tmp_path, monkeypatch):
    db = tmp_path / "registry.sqlite"
    assert CliRunner().invoke(main, ["ingest", *ORDERS[:2], "--db", str(db)]).exit_code == 0
    conn = sqlite3.connect(db)
    versions = {v for (v,) in conn.execute("SELECT extractor_version FROM extractions")}
    assert len(versions) == 1 and versions.pop().startswith("0.")
    with conn:
        conn.execute("UPDATE extractions SET extractor_version = '0.0.1+older' WHERE id = 1")
    conn.close()
    plain = CliRunner().invoke(main, ["ingest", *ORDERS[:2], "--db", str(db)])
    assert "0 added, 0 changed, 2 unchanged" in plain.output
    upgraded = CliRunner().invoke(main, ["ingest", *ORDERS[:2], "--db", str(db), "--upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "0 added, 0 changed, 1 upgraded, 1 unchanged, 0 failed" in upgraded.output
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, superseded, extractor_version FROM extractions ORDER BY id").fetchall()
    assert [(i, s) for i, s, _ in rows] == [(1, 1), (2, 0), (3, 0)]
    assert rows[2][2] == rows[1][2] != "0.0.1+older"
    again = CliRunner().invoke(main, ["ingest", *ORDERS[:2], "--db", str(db), "--upgrade"])
    assert "2 unchanged" in again.output


def test_migration_5_adds_the_extractor_version_to_an_older_store(tmp_path):
    db = tmp_path / "old.sqlite"
    with Store.open(db) as store:
        pass
    conn = sqlite3.connect(db)
    conn.executescript("ALTER TABLE extractions DROP COLUMN extractor_version; DELETE FROM schema_migrations WHERE version = 5;")
    conn.close()
    with Store.open(db) as store:
        cols = {r[1] for r in store.conn.execute("PRAGMA table_info(extractions)")}
        assert "extractor_version" in cols and 5 in {r[0] for r in store.conn.execute("SELECT version FROM schema_migrations")}
