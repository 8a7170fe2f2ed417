"""The review application's HTTP handlers (Starlette TestClient): queue,
document view, corrections through the API, CSRF, escaping of untrusted
document content, missing sources, PDF page images, the CLI commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.review.app import create_app  # noqa: E402
from pipeline.review.registry import reviewed_registry  # noqa: E402
from pipeline.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OSSETIA = ROOT / "corpus" / "north-ossetia-employment-committee-2026-03-23-22-2.txt"
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def db(tmp_path, corpus):
    """A store with the Северная Осетия 2026 order (its real source file) and the Сахалин order."""
    path = tmp_path / "registry.sqlite"
    with Store.open(path) as s:
        s.add(corpus("ossetia_2026"), path=str(OSSETIA))
        s.add(corpus("sakhalin"), path=str(ROOT / "corpus" / "sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt"))
    return path


@pytest.fixture
def client(db, tmp_path):
    return TestClient(create_app(db, cache=tmp_path / "cache", allowed_hosts=["testserver"]))


def _doc_row(db, number="22-2") -> int:
    with Store.open(db) as s:
        return s.conn.execute("SELECT id FROM documents WHERE number = ?", (number,)).fetchone()[0]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def _data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S).group(1))


def test_queue_lists_documents_with_counts_and_filters(client):
    html = client.get("/").text
    assert "Очередь документов" in html
    assert "Комитет Республики Северная Осетия-Алания по занятости населения" in html
    assert "Министерство социальной защиты Сахалинской области" in html
    assert "22-2" in html and "не проверен" in html
    only = client.get("/", params={"region": "Сахалинская область"}).text
    assert re.findall(r'class="doc-link" href="/doc/\d+">([^<]+)<', only) == ["Министерство социальной защиты Сахалинской области"]
    assert "Нет документов по этим условиям" in client.get("/", params={"status": "done"}).text
    assert client.get("/", params={"warning": "table_spill_joined"}).text.count('class="doc-link"') == 1


def test_document_view_shows_source_lines_and_values(client, db):
    row = _doc_row(db)
    html = client.get(f"/doc/{row}").text
    assert 'id="L169"' in html  # the source, with line numbers
    data = _data(html)
    tp = next(v for v in data["values"] if v["path"] == "touchpoints[2]")
    assert tp["label"] == "1. Каналы и публичные чаты Комитета в мессенджерах"
    assert (tp["span"]["line"], tp["span"]["end_line"]) == (171, 172)
    channel = next(f for f in tp["fields"] if f["name"] == "channel")
    assert channel["value"] == "messenger" and ["social_network", "Социальные сети"] in channel["options"]
    date = next(v for v in data["values"] if v["path"] == "meta.date")
    assert date["fields"][0]["editor"] == "date" and date["span"]["line"] == 9
    assert "Content-Security-Policy" in client.get(f"/doc/{row}").headers


def test_edit_through_the_api_persists_and_shows(client, db):
    row = _doc_row(db)
    token = _csrf(client.get(f"/doc/{row}").text)
    body = {"action": "edit", "path": "touchpoints[2]", "values": {"channel": "social_network"}, "comment": "сообщество"}
    assert client.post(f"/api/doc/{row}/action", json=body).status_code == 403  # no CSRF token
    r = client.post(f"/api/doc/{row}/action", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    html = client.get(f"/doc/{row}").text
    assert "<del>Мессенджеры (messenger)</del> <ins>Социальные сети (social_network)</ins>" in html
    assert "сообщество" in html and "в работе" in html
    with Store.open(db) as s:
        assert [(x["name"], x["channel"]) for x in reviewed_registry(s) if x["corrected"]] == [
            ("Каналы и публичные чаты Комитета в мессенджерах", "social_network")]
    bad = client.post(f"/api/doc/{row}/action", headers={"X-CSRF-Token": token},
                      json={"action": "edit", "path": "touchpoints[2]", "values": {"channel": "telepathy"}})
    assert bad.status_code == 400 and "нет кода" in bad.json()["error"]
    st = client.post(f"/api/doc/{row}/status", json={"status": "done"}, headers={"X-CSRF-Token": token})
    assert st.status_code == 200 and 'value="done" selected' in client.get(f"/doc/{row}").text
    foreign = client.post(f"/api/doc/{row}/status", json={"status": "new"},
                          headers={"X-CSRF-Token": token, "Origin": "http://evil.example"})
    assert foreign.status_code == 403


def test_add_from_a_selection_gets_the_span_of_the_selection(client, db):
    row = _doc_row(db)
    html = client.get(f"/doc/{row}").text
    start = int(re.search(r'id="L186" data-no="186" data-start="(\d+)"', html).group(1))
    r = client.post(f"/api/doc/{row}/action", headers={"X-CSRF-Token": _csrf(html)}, json={
        "action": "add", "collection": "definitions", "text": "Телефонная связь",
        "values": {"term": "Телефонная связь", "definition": "канал связи по телефону"},
        "span": {"start": start, "end": start + 16}})
    assert r.status_code == 200, r.text
    added = next(v for v in _data(client.get(f"/doc/{row}").text)["values"] if v["path"].startswith("definitions+"))
    assert added["span"]["line"] == 186 and added["state"] == "added"


def test_untrusted_document_content_is_escaped(tmp_path, corpus):
    ex = corpus("ossetia_2026").model_copy(deep=True)
    ex.documents[0].meta.agency = PAYLOAD
    ex.documents[0].touchpoints[0].name = PAYLOAD
    ex.documents[0].warnings[0].message = PAYLOAD
    db = tmp_path / "evil.sqlite"
    with Store.open(db) as s:
        s.add(ex, path=str(tmp_path / "missing.txt"))
        row = s.conn.execute("SELECT id FROM documents").fetchone()[0]
    c = TestClient(create_app(db, cache=tmp_path / "cache", allowed_hosts=["testserver"]))
    for html in (c.get("/").text, c.get(f"/doc/{row}").text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    doc = c.get(f"/doc/{row}").text
    assert _data(doc)["values"][0]["fields"]  # the JSON for the script still parses
    assert "\\u003cscript\\u003e" in doc  # and cannot close its <script> element
    assert "Исходный файл не найден" in doc  # a missing source is a message, not a traceback


def test_missing_document_host_check_and_open_link(client, db):
    assert client.get("/doc/99999").status_code == 404
    assert "Документа нет в хранилище" in client.get("/doc/99999").text
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    with Store.open(db) as s:
        sha = s.conn.execute("SELECT sha256 FROM extractions WHERE path = ?", (str(OSSETIA),)).fetchone()[0]
    r = client.get("/open", params={"sha": sha, "doc": "d1", "path": "touchpoints[2]"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{_doc_row(db)}#v=touchpoints%5B2%5D"
    r = client.get(f"/doc/{sha}/d1", follow_redirects=False)  # the comparison report's links
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{_doc_row(db)}"
    assert client.get(f"/doc/{'0' * 64}/d1").status_code == 404


def test_pdf_page_image_and_bbox(tmp_path):
    from tests.fixtures.make_pdf import build_pdf

    from pipeline.run import extract_file

    pdf = tmp_path / "altai.pdf"
    build_pdf((ROOT / "corpus" / "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt").read_text(encoding="utf-8"), pdf)
    db = tmp_path / "pdf.sqlite"
    with Store.open(db) as s:
        s.add(extract_file(pdf), path=str(pdf))
        row = s.conn.execute("SELECT id FROM documents").fetchone()[0]
    c = TestClient(create_app(db, cache=tmp_path / "cache", allowed_hosts=["testserver"]))
    html = c.get(f"/doc/{row}").text
    data = _data(html)
    assert data["paged"] and data["pages"][0] == [pytest.approx(595.3, abs=1), pytest.approx(841.9, abs=1)]
    number = next(v for v in data["values"] if v["path"] == "meta.number")
    assert number["span"]["page"] == 1 and re.search(r'data-page="1" data-bbox="[\d.]+,', html)
    png = c.get(f"/doc/{row}/page/1")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "cache").rglob("p1.png")  # cached for the next view
    assert c.get(f"/doc/{row}/page/99").status_code == 404


def test_corrections_cli_round_trip(db, client, tmp_path):
    row = _doc_row(db)
    token = _csrf(client.get(f"/doc/{row}").text)
    client.post(f"/api/doc/{row}/action", headers={"X-CSRF-Token": token},
                json={"action": "reject", "path": "touchpoints[13]"})
    out = tmp_path / "corrections.json"
    r = CliRunner().invoke(main, ["corrections", "export", str(out), "--db", str(db)])
    assert r.exit_code == 0 and "1 corrections" in r.output
    r = CliRunner().invoke(main, ["corrections", "import", str(out), "--db", str(db)])
    assert r.exit_code == 0 and "0 added, 1 already there" in r.output
    r = CliRunner().invoke(main, ["corrections", "import", str(tmp_path / "nope.json"), "--db", str(db)])
    assert r.exit_code == 1 and "no such file" in r.output
    r = CliRunner().invoke(main, ["review", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 1 and "no registry store here" in r.output
