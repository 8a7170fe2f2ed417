"""registry diff on real documents: the Дагестан order vs its draft, two
Северная Осетия orders, an edited copy of the Алтай order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.diff import diff_documents
from pipeline.jsonio import to_json
from pipeline.textsim import word_diff

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture
def dagestan_json(corpus, tmp_path) -> Path:
    path = tmp_path / "dagestan.json"
    path.write_text(to_json(corpus("dagestan")), encoding="utf-8")
    return path


def test_order_vs_draft_in_one_json(dagestan_json):
    result = CliRunner().invoke(main, ["diff", f"{dagestan_json}#d1", f"{dagestan_json}#d3", "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    meta = {c["field"]: (c["old"], c["new"]) for c in d["meta"]}
    assert meta["signatory.name"] == ("Н.Р. Халилов", "Н. Халилов")
    assert meta["date"] == ("2024-09-27", None)
    assert meta["number"] == ("154-ОД", None)
    assert meta["kind"] == ("order", "draft")
    assert d["touchpoints_added"] == d["touchpoints_removed"] == d["touchpoints_changed"] == []
    assert d["touchpoints_unchanged"] == 7


def test_order_vs_draft_as_text_and_markdown(dagestan_json):
    runner = CliRunner()
    text = runner.invoke(main, ["diff", f"{dagestan_json}#d1", f"{dagestan_json}#d3", "--no-color"])
    assert text.exit_code == 0, text.output
    assert "signatory.name: Н.Р. Халилов → Н. Халилов" in text.output
    assert "number: 154-ОД → —" in text.output
    assert "no change (7 touchpoints match)" in text.output
    assert "\x1b[" not in text.output
    colour = runner.invoke(main, ["diff", f"{dagestan_json}#d1", f"{dagestan_json}#d3", "--color"])
    assert "\x1b[" in colour.output
    md = runner.invoke(main, ["diff", f"{dagestan_json}#d1", f"{dagestan_json}#d3", "--format", "md"])
    assert "| signatory.name | Н.Р. Халилов | Н. Халилов |" in md.output
    assert "No change (7 touchpoints match)." in md.output


def test_without_doc_suffix_the_signed_order_is_taken(dagestan_json):
    result = CliRunner().invoke(main, ["diff", str(dagestan_json), f"{dagestan_json}#d1", "--format", "json"])
    assert json.loads(result.output)["meta"] == []


def test_two_source_files_are_extracted_and_compared():
    old = CORPUS / "north-ossetia-employment-committee-2023-09-09-78-r.txt"
    new = CORPUS / "north-ossetia-employment-committee-2026-03-23-22-2.txt"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert len(d["touchpoints_added"]) == 14 and d["touchpoints_removed"] == []
    assert {"edms", "messenger"} <= {t["channel"] for t in d["touchpoints_added"]}
    meta = {c["field"]: (c["old"], c["new"]) for c in d["meta"]}
    assert meta["number"] == ("78-р", "22-2")


def test_edited_threshold_is_reported(tmp_path):
    src = CORPUS / "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt"
    edited = tmp_path / "altai-edited.txt"
    edited.write_text(src.read_text(encoding="utf-8").replace("не позднее 5 рабочих дней", "не позднее 10 рабочих дней"),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(src), str(edited), "--no-color"])
    assert result.exit_code == 0, result.output
    assert "publication deadline 5 → 10 working days" in result.output
    assert "[-5-] {+10+}" in result.output  # the requirement's word diff


def test_reworded_definition_has_a_word_diff(corpus):
    dag, oss = corpus("dagestan"), corpus("ossetia_2026")
    d = diff_documents(dag, dag.documents[0], oss, oss.documents[0])
    inner = [c for c in d.definitions if c.status == "reworded" and c.key.lower() == "внутренний клиент"]
    assert len(inner) == 1
    ops = [(w.op, w.text) for w in inner[0].words]
    assert ("-", "Министерства") in ops and ("+", "Комитета") in ops
    assert 80 < inner[0].similarity < 100


def test_word_diff():
    ops = word_diff("ответ в течение двух часов", "ответ в течение четырёх часов")
    assert [(o.op, o.text) for o in ops] == [("=", "ответ в течение"), ("-", "двух"), ("+", "четырёх"), ("=", "часов")]


@pytest.mark.parametrize("args,needle", [
    (["missing.json", "missing.json"], "missing.json: no such file"),
    (["{json}#d9", "{json}#d1"], "no document d9; the file holds d1 (order), d2 (memo), d3 (draft)"),
    (["{json}"], "give OLD and NEW"),
])
def test_bad_input_is_one_line(dagestan_json, args, needle):
    args = [a.replace("{json}", str(dagestan_json)) for a in args]
    result = CliRunner().invoke(main, ["diff", *args])
    assert result.exit_code in (1, 2)
    assert needle in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_order_vs_draft_matches_clauses_by_text_not_by_label(corpus):
    """The draft letters «е) обладать функцией круглосуточного …» as «д)» (line 415) and prints the
    headings ж)/з)/и) without letters: relabelled, never removed + added."""
    from pipeline.diff_clauses import flat_clauses
    from pipeline.textsim import norm

    dag = corpus("dagestan")
    order, draft = dag.documents[0], dag.documents[2]
    d = diff_documents(dag, order, dag, draft)
    in_draft = {norm(c.text) for c in flat_clauses(draft)}
    assert not [c for c in d.clauses if c.status == "removed" and norm(c.old) in in_draft]
    assert [c for c in d.clauses if c.status == "removed"] == []
    assert [r for r in d.requirements if r.status == "removed"] == []
    relabelled = {(c.old_label, c.new_label, c.old_line, c.new_line) for c in d.clauses if c.relabelled}
    assert ("3 3.2 е)", "3 3.2 д)", 180, 415) in relabelled
    assert {("3 3.2 ж)", "3 3.2", 182, 417), ("3 3.2 з)", "3 3.2 в)", 194, 429), ("3 3.2 и)", "3 3.2", 204, 439)} <= relabelled
    req = {(r.key, r.new_key) for r in d.requirements if r.status == "relabelled"}
    assert ("3 3.2 е)", "3 3.2 д)") in req
    # a reworded clause keeps its word diff: «два часа» in the order, «двух часов» in the draft
    hours = next(c for c in d.clauses if c.old_line == 190)
    assert hours.status == "reworded" and ("-", "два часа") in [(w.op, w.text) for w in hours.words]


def test_order_vs_draft_clauses_in_text_output(dagestan_json):
    result = CliRunner().invoke(main, ["diff", f"{dagestan_json}#d1", f"{dagestan_json}#d3", "--no-color"])
    assert "~ 3 3.2 е) → 3 3.2 д) (line 180 → 415, relabelled): обладать функцией круглосуточного" in result.output
    assert "\n  - " not in result.output.split("Clauses")[1]  # nothing removed


def test_versions_of_an_agency_put_a_draft_before_its_order():
    from pipeline.diff import version_order
    from pipeline.store import Version

    def v(kind, date, ext, version):
        return Version(1, ext, "d1", kind, "k", None, None, date, None, version, "f.txt", False, 0)

    order, draft, older = v("order", "2024-09-27", 2, 1), v("draft", None, 2, 2), v("order", "2023-01-10", 1, 1)
    assert [x.kind for x in version_order([older, order, draft])] == ["order", "draft", "order"]
    assert version_order([older, order, draft])[1] is draft
