"""The files `registry compare` writes, as a Russian-speaking official opens
them: HTML (self-contained, Russian, the CSS intact, links to source lines),
XLSX for Excel users (Russian sheet names, filters, frozen headers, the
standard as a header row, date and number cells), Markdown; `--lang en`; the
semicolon CSV export; progress on the terminal."""

from __future__ import annotations

import csv
import datetime
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.jsonio import to_json
from pipeline.store import Store

NAMES = ("altai", "dagestan", "ossetia_2023", "ossetia_2026", "sakhalin")


@pytest.fixture(scope="module")
def json_dir(corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outputs")
    for n in NAMES:
        ex = corpus(n)
        (folder / (Path(ex.source.path).stem + ".json")).write_text(to_json(ex), encoding="utf-8")
    (folder / "_run.json").write_text("{}", encoding="utf-8")  # a run summary is skipped, not compared
    return folder


@pytest.fixture(scope="module")
def report(json_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["compare", "--from", str(json_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_progress_is_printed_while_compare_works(report):
    _, result = report
    lines = result.stderr.splitlines()
    assert "compare: checking against the federal standard" in lines
    assert "compare: agency timelines 4/4" in lines and "compare: writing report.xlsx" in lines
    assert result.stdout.splitlines()[-1].endswith("report.md")


def test_html_is_russian_self_contained_and_keeps_its_css(report):
    from lxml import html

    text = (report[0] / "report.html").read_text(encoding="utf-8")
    doc = html.fromstring(text)
    assert doc.get("lang") == "ru"
    assert doc.findtext(".//h1") == "Сравнение ведомств: приказы о клиентоцентричности"
    assert [h.text_content().split(". ", 1)[1] for h in doc.iter("h2")][:3] == [
        "Обзор по регионам", "Соответствие федеральному стандарту", "Пороговые значения"]
    style = doc.findtext(".//style")
    assert '"Segoe UI"' in style and "&#34;" not in style  # autoescape would drop the font rule
    # offline: one inline script, no external files
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    assert not doc.xpath("//link[@rel='stylesheet']") and not doc.xpath("//img")
    assert not re.search(r'(src|href)="https?://', text)
    # the tile map: every federal subject, the four agencies' regions coloured and linked
    tiles = doc.xpath("//svg[contains(@class,'map')]//rect[@rx]")
    assert len(tiles) == 89
    assert doc.xpath("//svg[contains(@class,'map')]//a[@href='#r-RU-DA']")


def test_html_thresholds_centred_on_the_standard(report):
    from lxml import html

    doc = html.fromstring((report[0] / "report.html").read_text(encoding="utf-8"))
    table = doc.get_element_by_id("thresholds")
    assert [th.text_content() for th in table.xpath(".//tr[@class='std']/th")][-2] == "≤ 10 раб. дн."
    altai = next(tr for tr in table.xpath(".//tbody/tr") if "Алтай" in tr.text_content())
    cell = altai.xpath("./td")[-2]
    assert cell.get("class").split()[0] == "stricter" and cell.text_content() == "▲ 5 раб. дн. (−5)"
    link = cell.xpath(".//a")[0].get("href")
    assert link.endswith(".txt#line=250,251") or re.search(r"altai-.*\.txt#line=\d+,\d+$", link)
    assert not Path(link.split("#")[0]).is_absolute()  # relative: a report copied with its sources still works
    sak = next(tr for tr in table.xpath(".//tbody/tr") if "Сахалин" in tr.text_content())
    assert [td.get("class").split()[0] for td in sak.xpath("./td")[2:7]] == ["compliant"] * 5
    channels = doc.get_element_by_id("channels")
    heads = [th.text_content() for th in channels.xpath(".//tr[@class='names']/th")]
    assert "СЭДedms" in heads and "Мессенджерыmessenger" in heads  # Russian name, code beneath


def test_links_open_the_review_page_when_given(json_dir, tmp_path):
    out = tmp_path / "rep"
    result = CliRunner().invoke(main, ["compare", "--from", str(json_dir), "-o", str(out), "-q",
                                       "--review-url", "http://127.0.0.1:8765"])
    assert result.exit_code == 0, result.output
    text = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r'href="http://127\.0\.0\.1:8765/doc/[0-9a-f]{64}/d1#L\d+"', text)


def test_xlsx_for_excel_users(report):
    from openpyxl import load_workbook

    wb = load_workbook(report[0] / "report.xlsx")
    assert {"Рейтинг регионов", "Пороговые значения", "Каналы взаимодействия", "Определения", "Формулировки",
            "Шаблоны приказов", "Ведомства", "Версии", "Предупреждения", "Коды"} <= set(wb.sheetnames)
    assert all(len(n) <= 31 for n in wb.sheetnames)
    for ws in wb.worksheets:
        assert ws.auto_filter.ref and ws.freeze_panes, ws.title
        assert ws.max_column < 40, ws.title  # no N × N matrix
    ws = wb["Пороговые значения"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Федеральный стандарт" and rows[1][0] == "Ведомство"  # the standard above the header
    assert ws.auto_filter.ref.startswith("A2:") and ws.freeze_panes == "B3"
    pub = rows[1].index("Размещение актуальной версии Перечня на сайте")
    assert rows[0][pub] == "≤ 10 раб. дн."
    altai = next(r for r in ws.iter_rows(min_row=3) if "Алтай" in str(r[0].value))
    assert altai[pub].value == 5 and '"▲ "' in altai[pub].number_format  # a number, shown with its status
    assert altai[pub].hyperlink is not None
    versions = wb["Версии"]
    head = [c.value for c in versions[1]]
    dates = [r[head.index("Дата")] for r in versions.iter_rows(min_row=2, values_only=True) if r[0]]
    assert datetime.datetime(2026, 3, 23) in dates and "без даты" in dates  # real date cells; the undated draft
    channels = wb["Каналы взаимодействия"]
    header = [c.value for c in channels[1]]
    assert "СЭД" in header and channels.cell(1, header.index("СЭД") + 1).comment.text == "код: edms"


def test_markdown_in_russian(report):
    md = (report[0] / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Сравнение ведомств: приказы о клиентоцентричности")
    for n, title in enumerate(["Обзор по регионам", "Соответствие федеральному стандарту", "Пороговые значения"], 1):
        assert f"## {n}. {title}" in md
    assert "▲ 5 раб. дн. (−5)" in md and "| _Федеральный стандарт_ |" in md


def test_english_for_the_record(json_dir, tmp_path):
    out = tmp_path / "en"
    result = CliRunner().invoke(main, ["compare", "--from", str(json_dir), "-o", str(out), "--lang", "en", "-q"])
    assert result.exit_code == 0, result.output
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "<h1>Comparison of agencies: client-centricity orders</h1>" in text and 'lang="en"' in text
    assert ">5 working days (-5)</a>" in text and "EDMS (СЭД)" in text
    from openpyxl import load_workbook

    assert "Thresholds" in load_workbook(out / "report.xlsx").sheetnames


def test_compare_from_store_and_semicolon_export(corpus, tmp_path):
    db = tmp_path / "r.sqlite"
    with Store.open(db) as store, store.conn:
        for n in NAMES:
            store.add_extraction(corpus(n))
    result = CliRunner().invoke(main, ["compare", "--db", str(db), "-o", str(tmp_path / "rep"), "-q"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "rep").iterdir()} == {"report.html", "report.xlsx", "report.md"}
    out = tmp_path / "registry.csv"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv", "--sep", ";", "-o", str(out)])
    assert result.exit_code == 0, result.output
    head = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("agency_key;agency;region;")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert len(rows) == 21 and {r["order_number"] for r in rows} == {"22-2", "154-ОД"}


def test_compare_bad_input_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["compare", "--from", str(tmp_path), "-o", str(tmp_path / "rep")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "no extraction JSON files" in result.output


def test_stale_extraction_is_listed_not_dropped_silently(json_dir, tmp_path):
    import shutil

    folder = tmp_path / "outputs"
    shutil.copytree(json_dir, folder)
    stale = next(folder.glob("altai-*.json"))
    data = json.loads(stale.read_text(encoding="utf-8"))
    data["documents"][0]["retired_field"] = 1  # as if written by another schema version
    stale.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "--from", str(folder), "-o", str(tmp_path / "rep"), "-q"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "| ошибка | not_loaded | does not validate: documents.0.retired_field" in md


def test_a_long_table_shows_its_first_rows_and_says_where_the_rest_are(corpus, tmp_path):
    """A batch of thousands keeps the HTML and Markdown bounded: past a table's page of
    rows they say how many are shown and where all of them are (the XLSX has every row)."""
    from lxml import html

    from pipeline.report.build import build
    from pipeline.report.export import write_report

    cmp = build([(i, corpus(n)) for i, n in enumerate(NAMES)])
    table = cmp.table("definition_terms")
    total = len(table.rows)
    table.page_rows = 3
    write_report(cmp, tmp_path)
    doc = html.fromstring((tmp_path / "report.html").read_text(encoding="utf-8"))
    shown = doc.get_element_by_id("definition_terms")
    assert len(shown.findall("./tbody/tr")) == 3
    note = f"Показаны первые 3 из {total} строк; все строки — в report.xlsx, лист «Определения»."
    assert note in [p.text_content() for p in doc.iter("p")]
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"_{note}_" in md
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "report.xlsx")["Определения"].max_row >= total + 1
