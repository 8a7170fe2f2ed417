"""PDF reader: pages, boxes, running matter, paragraphs, hyphens, stitched tables."""

from __future__ import annotations

import pytest

from pipeline.readers import read_file
from pipeline.readers.layout import assemble
from pipeline.readers.pages import Page, PCell, PTable, VLine
from pipeline.readers.paragraphs import join_hyphenated
from tests.conftest import ORDERS
from tests.conftest_formats import fixture_path, formats  # noqa: F401 - session fixture

OSSETIA = ORDERS["ossetia_2026"].removesuffix(".txt")
FOOTER = "Документ создан в электронной форме"


@pytest.fixture(scope="module")
def ossetia_pdf(formats):
    return read_file(fixture_path("pdf", OSSETIA, "pdf"))


def test_pages_and_boxes_on_every_line(ossetia_pdf, formats):
    src = ossetia_pdf
    assert src.format == "pdf" and not src.ocr
    assert src.pages == formats["orders"][OSSETIA]["pdf_pages"]
    text_lines = [ln for ln in src.lines if ln.text.strip() and "\t" not in ln.text]
    assert all(ln.page and ln.bbox for ln in text_lines)
    assert text_lines[0].page == 1 and text_lines[-1].page > 1
    x0, top, x1, bottom = text_lines[0].bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842
    span = src.span(text_lines[0].start, text_lines[0].end)
    assert span.page == 1 and span.bbox == text_lines[0].bbox


def test_running_header_footer_and_page_numbers_removed(ossetia_pdf):
    lines = [ln.text for ln in ossetia_pdf.lines]
    assert not any(FOOTER in t for t in lines)
    assert not any(t.strip().isdigit() for t in lines)
    assert any(w.code == "running_matter_removed" for w in ossetia_pdf.warnings)


def test_paragraphs_are_rebuilt_and_hyphens_joined(ossetia_pdf):
    text = ossetia_pdf.text
    # a long paragraph wrapped over several visual lines is one logical line again
    assert any(ln.text.startswith("1. Настоящий Порядок") and ln.text.rstrip().endswith(".") for ln in ossetia_pdf.lines)
    assert "Северная Осетия-Алания" in text
    assert "офлайн-каналах" in text  # a compound whose head occurs elsewhere keeps its hyphen
    assert "\n1. Утвердить" in text and "\n2. Козаевой" in text


@pytest.mark.parametrize("left,right,want", [
    ("развития социально-", "экономического", "развития социально-экономического"),
    ("точек взаимо-", "действия", "точек взаимодействия"),
    ("Республики Северная Осетия-", "Алания", "Республики Северная Осетия-Алания"),
    ("по какому-", "либо признаку", "по какому-либо признаку"),
    ("клиент -", "физическое лицо", "клиент - физическое лицо"),
    ("обес-", "печение", "обеспечение"),
    ("мягкий\u00ad", "перенос", "мягкийперенос"),
])
def test_line_end_hyphens(left, right, want):
    assert join_hyphenated(left, right, {"взаимодействия"}) == want


def test_table_stitched_over_the_page_break(ossetia_pdf):
    (t,) = ossetia_pdf.tables
    assert t.merged
    rows = [[c.text for c in r] for r in t.rows]
    assert rows[1] == ["1", "2", "3", "4", "5", "6"]
    assert sum(r == ["1", "2", "3", "4", "5", "6"] for r in rows) == 1, "repeated number row must be dropped"
    assert sum(r[0] == "№" for r in rows) == 1, "repeated header must be dropped"
    assert [r[0] for r in rows[2:]] == ["1."] * 3 + ["2."] * 4 + ["3."] * 5 + ["4."] * 2
    assert len({r[1] for r in rows[2:]}) == 1
    pages = {c.page for r in t.rows for c in r}
    assert len(pages) >= 2, "the table spans a page break in the fixture"
    assert all(c.bbox for c in t.rows[2] if c.text)
    assert any(w.code == "table_repaired" for w in ossetia_pdf.warnings)


def _page(number: int, rows: list[list[str | None]], top: float = 100, lines=()) -> Page:
    pg = Page(number, 595, 842)
    pg.tables.append(PTable([[PCell(c) for c in r] for r in rows], number, top, 800, 842))
    pg.lines = [VLine(t, 70, y, 300, y + 12, number, 40, size=12) for t, y in lines]
    return pg


def test_fragment_row_and_merged_cells_carried_across_pages():
    head = ["№", "Направление", "Точка", "Потребности"]
    nums = ["1", "2", "3", "4"]
    p1 = _page(1, [head, nums, ["1.", "Обращения граждан и", "СЭД", "Получение"], [None, None, "Почта", "Получение ответа о ходе"]],
               top=300, lines=[("Перечень", 200)])
    p2 = _page(2, [head, nums, ["", "организаций", "", "рассмотрения"], [None, None, "Сайт", "Получение информации"]], top=80)
    b, warns = assemble([p1, p2])
    (t,) = b.tables
    grid = [[c.text for c in r] for r in t.rows]
    assert grid == [
        head, nums,
        ["1.", "Обращения граждан и организаций", "СЭД", "Получение"],
        ["1.", "Обращения граждан и организаций", "Почта", "Получение ответа о ходе рассмотрения"],
        ["1.", "Обращения граждан и организаций", "Сайт", "Получение информации"],
    ]
    assert [c.page for c in t.rows[-1]][2:] == [2, 2]
    msgs = " ".join(w.message for w in warns)
    assert "dropped 2 repeated header" in msgs and "joined to the row above" in msgs


def test_text_pdf_needs_no_tesseract(monkeypatch, formats):
    from pipeline.readers.tesseract import tesseract_status

    monkeypatch.setenv("REGISTRY_TESSERACT", "/nonexistent/tesseract")
    tesseract_status.cache_clear()
    try:
        src = read_file(fixture_path("pdf", OSSETIA, "pdf"))
        assert not src.ocr
    finally:
        tesseract_status.cache_clear()


def test_two_column_letterhead_is_read_column_by_column():
    from pipeline.readers.pages import order_columns

    def v(text, x0, x1, top):
        return VLine(text, x0, top, x1, top + 12, 1, 30, size=12)

    lines = [
        v("КОМИТЕТ ПО ДЕЛАМ ЗАГС", 70, 250, 60), v("АЛТАЙ РЕСПУБЛИКАНЫНГ", 340, 520, 60),
        v("И АРХИВОВ", 70, 160, 75), v("КОМИТЕДИ", 340, 430, 75),
        v("РЕСПУБЛИКИ АЛТАЙ", 70, 220, 90),
        v("ПРИКАЗ", 260, 330, 130),
        v("Председатель", 70, 170, 700), v("О.А Зорина", 430, 520, 700),
    ]
    assert [ln.text for ln in order_columns(lines)] == [
        "КОМИТЕТ ПО ДЕЛАМ ЗАГС", "И АРХИВОВ", "РЕСПУБЛИКИ АЛТАЙ", "АЛТАЙ РЕСПУБЛИКАНЫНГ", "КОМИТЕДИ",
        "ПРИКАЗ", "Председатель", "О.А Зорина",
    ]
