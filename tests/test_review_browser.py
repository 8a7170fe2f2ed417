"""End to end in a real browser: Debian's chromium driven by Playwright for
Python (its own browser download is not available here, so it is launched
with ``executable_path``). Skipped when either is missing.

Ingests the corpus, opens the queue, opens the Северная Осетия 2026 order,
clicks a touchpoint (its source lines are highlighted), corrects its channel
and a threshold value in the edit dialog, re-extracts everything with
``ingest --force``, reloads: the corrections are still applied and are in the
reviewed registry. Screenshots of the queue and the document view are written
to ``$REVIEW_SCREENSHOTS`` (default ``outputs/review-screenshots``, not committed).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
ORDERS = [str(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
CHROMIUM = os.environ.get("REVIEW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("REVIEW_SCREENSHOTS", Path(__file__).resolve().parent.parent / "outputs" / "review-screenshots"))

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")
if not Path(CHROMIUM).is_file():
    pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    from pipeline.review.app import create_app

    db = tmp_path_factory.mktemp("review") / "registry.sqlite"
    r = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "-q"])
    assert r.exit_code == 0, r.output
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, reviewer="Аналитик"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        except Exception as exc:  # noqa: BLE001 - a chromium that cannot start here is a skip, not a failure
            pytest.skip(f"chromium does not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()


def test_queue_document_click_edit_save_reingest_reload(served, browser):
    base, db = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(base + "/")
    assert page.locator(".queue-table tbody tr").count() == 7
    page.screenshot(path=str(SHOTS / "queue.png"))
    page.locator("tr", has_text="22-2").locator("a.doc-link").click()
    page.wait_for_selector("#source-text")
    assert "Комитет Республики Северная Осетия-Алания" in page.locator(".doc-title").inner_text()

    # a touchpoint → its source lines are highlighted and scrolled to
    tp = page.locator('.val[data-path="touchpoints[2]"]')
    tp.locator(".val-label").click()
    assert "selected" in tp.get_attribute("class")
    assert "hl" in page.locator("#L171").get_attribute("class")
    assert "Каналы и публичные чаты" in page.locator("#L171 mark").inner_text()
    # a source line → what was extracted from it
    page.locator("#L186 .tx").click()
    assert "Телефонная связь" in page.locator("#line-pop").inner_text()
    page.keyboard.press("Escape")

    # e on the selected value: its channel from the vocabulary's drop-down
    tp.locator(".val-label").click()
    page.keyboard.press("e")
    page.locator('#editor select[name="channel"]').select_option("social_network")
    page.locator('#editor textarea[name="__comment"]').fill("сообщество, а не мессенджер")
    page.locator("#editor button[value=save]").click()
    page.wait_for_selector('.val[data-path="touchpoints[2]"] ins')
    assert page.locator('.val[data-path="touchpoints[2]"] ins').first.inner_text() == "Социальные сети (social_network)"

    # a threshold: value + unit
    th = page.locator('.val[data-path$=".thresholds[0]"]').first
    th_path = th.get_attribute("data-path")
    th.locator(".val-label").click()
    page.keyboard.press("e")
    page.locator('#editor input[name="value"]').fill("3")
    page.locator("#editor button[value=save]").click()
    page.wait_for_selector(f'.val[data-path="{th_path}"] ins')
    page.locator(".val.selected").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "document.png"))

    # re-extract everything; the page of the superseded extraction redirects to the new one
    r = CliRunner().invoke(main, ["ingest", *ORDERS, "--db", str(db), "--force", "-q"])
    assert r.exit_code == 0 and "5 changed" in r.output, r.output
    page.reload()
    page.wait_for_selector("#source-text")
    assert page.locator('.val[data-path="touchpoints[2]"] ins').first.inner_text() == "Социальные сети (social_network)"
    assert page.locator(f'.val[data-path="{th_path}"] ins').first.inner_text() == "3"
    assert page.locator(".corr.st-stale").count() == 0 and page.locator(".corr.st-applied").count() == 2
    page.screenshot(path=str(SHOTS / "document-after-reingest.png"))
    assert errors == []

    from pipeline.review.registry import reviewed_registry, reviewed_thresholds

    with Store.open(db) as store:
        fixed = [(x["name"], x["channel"]) for x in reviewed_registry(store) if x["corrected"]]
        ths = [(x["value"], x["unit"]) for x in reviewed_thresholds(store) if x["corrected"]]
    assert fixed == [("Каналы и публичные чаты Комитета в мессенджерах", "social_network")]
    assert ths == [(3.0, "hour")]

    # …and in what people read: the exported registry and the comparison report
    out = db.parent / "export.json"
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    rows = exported["touchpoints"] if isinstance(exported, dict) else exported
    row = next(x for x in rows if x["name"] == "Каналы и публичные чаты Комитета в мессенджерах")
    assert (row["channel"], bool(row["corrected"])) == ("social_network", True)
    rep = db.parent / "report"
    r = CliRunner().invoke(main, ["compare", "--db", str(db), "-o", str(rep), "-q"])
    assert r.exit_code == 0, r.output
    md = (rep / "report.md").read_text(encoding="utf-8")
    assert "3 ч" in md  # the corrected 4 h → 3 h response time of the Осетия 2026 order



def test_document_page_on_a_phone_stacks_the_source_above_the_values(served, browser):
    """At a phone's width (390 px) the two panes are one above the other, each as
    wide as the screen, and a click on a value still shows its source line."""
    base, _ = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "/")
    page.locator("tr", has_text="22-2").locator("a.doc-link").click()
    page.wait_for_selector("#source-text")
    src, vals = page.locator(".source").bounding_box(), page.locator(".values").bounding_box()
    assert src["width"] > 350 and vals["width"] > 350
    assert vals["y"] >= src["y"] + src["height"] - 1  # below, not beside
    tp = page.locator('.val[data-path="touchpoints[2]"]')
    tp.locator(".val-label").click()
    assert "hl" in page.locator("#L171").get_attribute("class")
    box = page.locator("#L171").bounding_box()
    assert src["y"] <= box["y"] < src["y"] + src["height"]  # scrolled into the source pane
    page.screenshot(path=str(SHOTS / "document-phone.png"))
    page.close()
