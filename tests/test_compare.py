"""Comparison report on the real corpus: the tables, and the HTML / XLSX /
Markdown written by `registry compare`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.jsonio import to_json
from pipeline.report.build import build
from pipeline.store import Store

NAMES = ("altai", "dagestan", "ossetia_2023", "ossetia_2026", "sakhalin")
SECTIONS = ["Channels", "Client needs", "Thresholds", "Definitions", "Directions of activity",
            "Template lineage", "Compliance checklist", "Data quality"]


@pytest.fixture(scope="module")
def comparison(corpus):
    return build([(i, corpus(n)) for i, n in enumerate(NAMES)])


@pytest.fixture(scope="module")
def json_dir(corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outputs")
    for n in NAMES:
        ex = corpus(n)
        (folder / (Path(ex.source.path).stem + ".json")).write_text(to_json(ex), encoding="utf-8")
    (folder / "_run.json").write_text("{}", encoding="utf-8")  # a run summary is skipped, not compared
    return folder


@pytest.fixture(scope="module")
def report_dir(json_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["compare", "--from", str(json_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def row(table, region: str):
    rows = [r for r in table.rows if region in r[0].text]
    assert len(rows) == 1, (region, [r[0].text for r in table.rows])
    return rows[0]


def col(table, prefix: str) -> int:
    hits = [i for i, c in enumerate(table.columns) if c.startswith(prefix)]
    assert len(hits) == 1, (prefix, table.columns)
    return hits[0]


def test_north_ossetia_is_one_agency_with_two_versions(comparison):
    agencies = [a for a in comparison.agencies if a.region_code == "RU-SE"]
    assert len(agencies) == 1
    assert [e.doc.meta.number for e in agencies[0].versions] == ["78-р", "22-2"]
    assert agencies[0].registry.doc.meta.number == "22-2"
    assert len(comparison.agencies) == 4


def test_sections_in_order(comparison):
    assert [s.title for s in comparison.sections] == SECTIONS
    assert [s.number for s in comparison.sections] == list(range(1, 9))


def test_thresholds_side_by_side(comparison):
    t = comparison.table("thresholds")
    i = col(t, "Updated Перечень published")
    assert row(t, "Алтай")[i].value == 5
    assert row(t, "Сахалин")[i].value == 10
    assert row(t, "Дагестан")[i].value == 10
    assert row(t, "Алтай")[i].mark == "strictest"
    assert row(t, "Сахалин")[i].mark == row(t, "Дагестан")[i].mark == "loosest"
    j = col(t, "Social networks: answer to mentions")
    assert row(t, "Сахалин")[j].value == 4 and row(t, "Осетия")[j].value == 4
    assert row(t, "Сахалин")[col(t, "In person: waiting time")].value == 15


def test_channel_matrix(comparison):
    t = comparison.table("channels")
    ossetia = row(t, "Осетия")
    assert ossetia[col(t, "edms")].value > 0
    assert ossetia[col(t, "messenger")].value > 0
    assert ossetia[col(t, "total")].value == 14
    assert row(t, "Дагестан")[col(t, "total")].value == 7
    digital, offline = ossetia[col(t, "digital")].value, ossetia[col(t, "offline")].value
    assert digital + offline == 14 and digital > 0 and offline > 0


def test_compliance_checklist(comparison):
    t = comparison.table("compliance")
    i = col(t, "Updated Перечень published")
    assert row(t, "Алтай")[i].value == "stricter"
    assert row(t, "Сахалин")[i].value == "stated"
    assert row(t, "Осетия")[i].value == "missing"
    assert row(t, "Сахалин")[col(t, "In person: waiting time")].value == "stated"
    assert row(t, "Дагестан")[col(t, "Перечень lists both")].value == "stated"


def test_definitions_compared(comparison):
    terms = comparison.table("definition_terms")
    assert any(r[0].text.lower() == "внутренний клиент" and r[1].value >= 3 for r in terms.rows)
    diffs = comparison.table("definition_diffs")
    rows = {r[1].text: r for r in diffs.rows if r[0].text.lower() == "внутренний клиент"}
    assert len(rows) >= 3
    dag = next(r for name, r in rows.items() if "Дагестан" in name)
    oss = next(r for name, r in rows.items() if "Осетия" in name)
    # one of the two is the reference wording; the other differs by one word
    ref, other = (dag, oss) if dag[2].text == "reference" else (oss, dag)
    assert ref[2].text == "reference"
    assert 80 < other[2].value < 100
    assert "Министерства</" in other[3].html and "Комитета</" in other[3].html
    assert "<del>" in other[3].html and "<ins>" in other[3].html


def test_order_and_its_draft_share_a_template(comparison):
    t = comparison.table("lineage_clusters")
    dag = [r for r in t.rows if "Дагестан" in r[1].text]
    assert len(dag) == 2 and dag[0][0].value == dag[1][0].value
    assert float(dag[0][5].text) > 0.9


def test_data_quality_links_warnings_to_documents(comparison):
    t = comparison.table("quality")
    truncated = [r for r in t.rows if r[5].text == "truncated"]
    assert len(truncated) == 1 and "Алтай" in truncated[0][0].text
    assert truncated[0][1].href.endswith("altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt")
    assert truncated[0][2].text == "d1 (order)" and truncated[0][3].value


def test_xlsx_holds_the_tables(report_dir):
    from openpyxl import load_workbook

    wb = load_workbook(report_dir / "report.xlsx")
    assert {"agencies", "channels", "needs", "thresholds", "definition_terms", "definition_diffs", "directions",
            "lineage_clusters", "lineage_matrix", "compliance", "quality"} <= set(wb.sheetnames)

    def sheet_rows(name):
        rows = list(wb[name].iter_rows(values_only=True))
        return rows[0], {r[0]: r for r in rows[1:] if r and r[0]}

    head, rows = sheet_rows("thresholds")
    i = [k for k, c in enumerate(head) if c.startswith("Updated Перечень published")][0]
    by_region = {next(k for k in ("Алтай", "Сахалин", "Дагестан", "Осетия") if k in name): r[i]
                 for name, r in rows.items() if any(k in name for k in ("Алтай", "Сахалин", "Дагестан", "Осетия"))}
    assert by_region["Алтай"] == 5 and by_region["Сахалин"] == 10 and by_region["Дагестан"] == 10

    head, rows = sheet_rows("channels")
    ossetia = next(r for name, r in rows.items() if "Осетия" in name)
    assert ossetia[head.index("edms")] > 0 and ossetia[head.index("messenger")] > 0


def test_html_is_self_contained_and_holds_the_tables(report_dir):
    from lxml import html

    text = (report_dir / "report.html").read_text(encoding="utf-8")
    doc = html.fromstring(text)
    ids = {t.get("id") for t in doc.iter("table")}
    assert {"agencies", "channels", "needs", "thresholds", "definition_terms", "definition_diffs", "directions",
            "lineage_clusters", "lineage_matrix", "compliance", "quality"} <= ids
    assert [h.text_content().split(". ", 1)[1] for h in list(doc.iter("h2"))[1:]] == SECTIONS
    # offline: no scripts, no external stylesheets or images, charts inline
    assert not doc.xpath("//script") and not doc.xpath("//link[@rel='stylesheet']") and not doc.xpath("//img")
    assert doc.xpath("//svg") or "<svg" in text
    thresholds = doc.get_element_by_id("thresholds")
    cells = [td.text_content() for td in thresholds.iter("td")]
    assert "<= 5 working days ▲" in cells
    assert cells.count("<= 10 working days ▼") == 2
    channels = doc.get_element_by_id("channels")
    header = [th.text_content() for th in channels.iter("th")]
    assert "edms" in header and "messenger" in header


def test_markdown_has_the_eight_sections(report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for n, title in enumerate(SECTIONS, 1):
        assert f"## {n}. {title}" in md
    assert "**<= 5 working days** ▲" in md


def test_compare_from_store(corpus, tmp_path):
    db = tmp_path / "r.sqlite"
    with Store.open(db) as store, store.conn:
        for n in NAMES:
            store.add_extraction(corpus(n))
    result = CliRunner().invoke(main, ["compare", "--db", str(db), "-o", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "rep").iterdir()} == {"report.html", "report.xlsx", "report.md"}


def test_compare_bad_input_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["compare", "--from", str(tmp_path), "-o", str(tmp_path / "rep")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "no extraction JSON files" in result.output


def test_template_lineage_clusters(comparison):
    t = comparison.table("lineage_clusters")
    cluster = {r[2].text: r[0].value for r in t.rows}
    shared = {cluster[f] for f in cluster if f.startswith(("dagestan", "sakhalin", "north-ossetia-employment-committee-2026"))}
    assert len(shared) == 1  # the three Порядки взаимодействия come from one template
    alone = [r[0].text for r in t.rows if r[2].text.startswith(("altai", "north-ossetia-employment-committee-2023"))]
    assert all(x.endswith("(alone)") for x in alone)


def test_stale_extraction_is_listed_not_dropped_silently(json_dir, tmp_path):
    import json
    import shutil

    folder = tmp_path / "outputs"
    shutil.copytree(json_dir, folder)
    stale = next(folder.glob("altai-*.json"))
    data = json.loads(stale.read_text(encoding="utf-8"))
    data["documents"][0]["retired_field"] = 1  # as if written by another schema version
    stale.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "--from", str(folder), "-o", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "| not_loaded | does not validate: documents.0.retired_field" in md


def test_appendices_published_alone_count_as_their_signed_act():
    # two real Garant pages, appendices 1 and 2 of the Mordovia order of 12.02.2024 N 48-П
    from pipeline.compare import group_agencies
    from pipeline.run import extract_file

    real = Path(__file__).resolve().parent.parent / "corpus" / "real"
    exs = [extract_file(real / f"mordovia-agriculture-2024-02-12-48-p-app{n}.txt") for n in (1, 2)]
    [agency] = group_agencies(enumerate(exs))
    assert agency.name == "Министерство сельского хозяйства и продовольствия Республики Мордовия"
    assert agency.region == "Республика Мордовия"
    assert not agency.draft_only
    assert [(e.doc.kind, e.doc.meta.number) for e in agency.versions] == [("appendix", "48-П"), ("appendix", "48-П")]
    assert agency.latest().doc.kind == "appendix"
