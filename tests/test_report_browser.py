"""The comparison report in a real browser: Debian's chromium driven by
Playwright (its own browser download is not used; ``executable_path``).
Skipped when either is missing (``pip install playwright``,
``apt-get install chromium``, see scripts/system-deps.sh).

- the corpus report: the CSS applies (a sans-serif font, not the serif
  fallback an escaped ``<style>`` gives), tables sort and filter, a tile of
  the map opens its region's agencies, the print view hides the navigation;
- the scaled report: 200 simulated agencies in 85 regions made from the
  corpus orders (``bench/simulate_store.py``): under 3 MB and rendered in
  under 3 s, no N × N table.
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# no sandbox (containers), no network lookups of any kind
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-domain-reliability", "--dns-prefetch-disable", "--disable-extensions"]
NAMES = ("altai", "dagestan", "ossetia_2023", "ossetia_2026", "sakhalin")

playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def corpus_report(corpus, tmp_path_factory) -> Path:
    from pipeline.report.build import build
    from pipeline.report.export import write_report

    out = tmp_path_factory.mktemp("report")
    write_report(build([(i, corpus(n)) for i, n in enumerate(NAMES)]), out)
    return out / "report.html"


@pytest.fixture(scope="module")
def scaled(corpus, tmp_path_factory):
    spec = importlib.util.spec_from_file_location("simulate_store", ROOT / "bench" / "simulate_store.py")
    sim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sim)
    from pipeline.report.build import compare_report

    folder = tmp_path_factory.mktemp("scaled")
    extractions = sim.simulate([corpus(n) for n in NAMES], agencies=200, regions=85)
    db = sim.write_store(extractions, folder / "registry.sqlite")
    t = time.perf_counter()
    compare_report(folder / "report", db=db)
    return folder / "report", extractions, time.perf_counter() - t


def test_corpus_report_reads_in_a_browser(browser, corpus_report):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(corpus_report.as_uri(), wait_until="load")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Segoe UI" in font and "sans-serif" in font
    assert page.locator("h1").inner_text() == "Сравнение ведомств: приказы о клиентоцентричности"
    # sort the ranking by «Не указано», largest first: Алтай states 6 of 7 items nowhere
    th = page.locator("#compliance thead tr.names th", has_text="Не указано")
    th.click()
    th.click()
    assert th.get_attribute("aria-sort") == "descending"
    assert "Алтай" in page.locator("#compliance tbody tr").first.inner_text()
    # a tile of the map opens the region's agencies
    page.locator("svg.map a[href='#r-RU-SE']").click()
    assert page.evaluate("document.getElementById('r-RU-SE').open")
    assert page.locator("#r-RU-SE article.agency ol.timeline li").count() == 2
    page.screenshot(path=str(corpus_report.parent / "region.png"))
    # print: no navigation, sections on their own pages, collapsed blocks opened
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('#s-thresholds')).breakBefore") == "page"
    page.close()


def test_scaled_report_is_small_and_renders_fast(browser, scaled):
    out, extractions, seconds = scaled
    agencies = {d.meta.agency_key for _, ex in extractions for d in ex.documents}
    regions = {d.meta.region for _, ex in extractions for d in ex.documents}
    assert len(agencies) == 200 and len(regions) == 85
    html = out / "report.html"
    assert html.stat().st_size < 3_000_000
    from openpyxl import load_workbook

    wb = load_workbook(out / "report.xlsx", read_only=True)
    assert max(ws.max_column for ws in wb.worksheets) < 40  # no 200-column sheet, no N × N matrix
    best = None
    for _ in range(2):  # the first start of the browser's process is not the report's cost
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
        height = page.evaluate("document.documentElement.scrollHeight")
        widest = page.evaluate("Math.max(...[...document.querySelectorAll('table')].map(t => t.rows[0] ? t.rows[0].cells.length : 0))")
        # the filter box appears with the script; typing keeps the matching rows
        page.fill("input.filter[data-for=compliance]", "Республики Дагестан")
        shown = page.locator("#compliance tbody tr:not([hidden])")
        assert 1 <= shown.count() < 10 and all("Дагестан" in t for t in shown.all_inner_texts())
        page.close()
    assert best < 3.0, f"first render took {best:.2f} s"
    assert height < 40_000 and widest < 40


def test_corpus_report_on_a_phone(browser, corpus_report):
    """At a phone's width the contents bar is one line (it stays on top while
    reading, so it must not take a third of the screen) and no section is wider
    than the screen (wide tables scroll inside their section)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(corpus_report.as_uri())
    assert page.locator("nav").bounding_box()["height"] < 50
    widths = page.eval_on_selector_all("section", "els => els.map(e => e.getBoundingClientRect().right)")
    assert widths and max(widths) <= 390
    page.screenshot(path=str(corpus_report.parent / "phone.png"))
    page.close()
