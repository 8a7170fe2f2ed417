"""PDFs as offices make them (tests/fixtures/make_office_pdf.py): LibreOffice exports
with justified paragraphs, a bilingual letterhead and page-number fields; a Перечень
laid out with tab stops (no ruling lines); a landscape page stored with /Rotate 90;
scans carrying a text layer from scanner software, good and junk.

The reference is the extraction of the corpus text file itself, as in
tests/test_format_parity.py, extended to requirements, definitions and the working group.
"""

from __future__ import annotations

import doctest
import json

import pytest

from pipeline.readers.pdf_lines import Row, classify_gaps, group_lines, page_rows
from pipeline.readers.settings import DEFAULTS
from pipeline.readers.tesseract import tesseract_status
from pipeline.readers.ws_tables import find_ws_tables
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import extract_cached, fixture_path
from tests.test_format_parity import meta_view, threshold_view, touchpoint_view

STEMS = {short: name.removesuffix(".txt") for short, name in ORDERS.items()}
needs_tesseract = pytest.mark.skipif(not tesseract_status("tesseract", "rus")[0],
                                     reason="tesseract with rus data not installed (scripts/system-deps.sh)")


def office(kind: str, stem: str) -> str:
    index = json.loads(fixture_path("officepdf", "index", "json").read_text())
    if stem not in index.get(kind, []):
        pytest.skip(f"office PDF fixture {kind}/{stem} not built: {'; '.join(index.get('skipped', [])) or 'unknown'}")
    return str(fixture_path(f"officepdf/{kind}", stem, "pdf"))


def _norm(s: str | None) -> str:
    return " ".join((s or "").split())


def views(ex) -> list[dict]:
    return [{
        "kind": d.kind,
        "meta": meta_view(d),
        "touchpoints": touchpoint_view(d),
        "thresholds": threshold_view(d),
        "requirements": [(r.clause, r.channel, _norm(r.text), tuple((t.metric, t.value, t.unit, t.comparator) for t in r.thresholds))
                         for r in d.requirements],
        "definitions": [(_norm(x.term), _norm(x.definition)) for x in d.definitions],
        "working_group": [(_norm(p.name), _norm(p.position), p.role) for p in d.working_group],
    } for d in ex.documents]


def reference(short: str):
    return extract_cached(str(CORPUS / ORDERS[short]))


def assert_same(got, want) -> None:
    g, w = views(got), views(want)
    assert [v["kind"] for v in g] == [v["kind"] for v in w], "documents found in the file differ"
    for i, (a, b) in enumerate(zip(g, w)):
        for key in b:
            assert a[key] == b[key], f"document {i + 1}: {key} differs"


# --- LibreOffice exports ----------------------------------------------------------

@pytest.mark.parametrize("short", list(ORDERS))
def test_libreoffice_justified_pdf_matches_text(short):
    got = extract_cached(office("lo", STEMS[short]))
    assert got.source.format == "pdf" and not got.source.ocr
    assert_same(got, reference(short))


def test_justified_lines_are_not_split_and_page_numbers_are_removed():
    from pipeline.readers import read_file

    for short in ORDERS:
        src = read_file(office("lo", STEMS[short]))
        lines = [ln.text.strip() for ln in src.lines]
        assert not any(t.isdigit() or t.startswith(("- ", "Страница ")) and t.split()[-1].isdigit() for t in lines), short
        assert not any(t == "Исп.: отдел организационной работы" for t in lines), "running footer kept"
        # no justified line broke into word fragments: every body paragraph is several words long
        one_word = [t for t in lines if t.rstrip(".,;:").isalpha() and t.islower()]
        assert not one_word, f"{short}: {one_word[:5]}"


def test_bilingual_letterhead_reads_russian_column_first():
    from pipeline.readers import read_file

    short = "altai"
    src = read_file(office("lo", STEMS[short]))
    head = [ln.text for ln in src.lines[:12] if ln.text.strip()]
    assert head[:5] == ["КОМИТЕТ ПО ДЕЛАМ ЗАПИСИ АКТОВ", "ГРАЖДАНСКОГО СОСТОЯНИЯ И АРХИВОВ", "РЕСПУБЛИКИ АЛТАЙ",
                        "(КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ", "РЕСПУБЛИКИ АЛТАЙ)"]
    assert head[5] == "АЛТАЙ РЕСПУБЛИКАНЫНГ"
    ex = extract_cached(office("lo", STEMS[short]))
    doc = ex.documents[0]
    assert doc.meta.agency == "Комитет по делам записи актов гражданского состояния и архивов Республики Алтай"
    assert any(w.code == "header_foreign" for w in doc.warnings)


def test_tab_after_clause_number_keeps_the_label():
    from pipeline.readers import read_file

    src = read_file(office("lo", STEMS["sakhalin"]))  # typed "1.<tab>Утвердить …"
    assert "\n1. Утвердить Порядок ведения" in src.text
    assert not any(ln.text.strip() in ("1.", "2.", "1.1.") for ln in src.lines)


# --- whitespace tables, rotated pages ----------------------------------------------

@pytest.mark.parametrize("kind", ["tabs", "rotated"])
def test_whitespace_table_pdf_matches_text(kind):
    import pdfplumber

    path = office(kind, STEMS["ossetia_2026"])
    with pdfplumber.open(path) as pdf:
        rotations = [pg.rotation for pg in pdf.pages]
        landscape = [i for i, pg in enumerate(pdf.pages) if pg.width > pg.height]
        assert landscape, "the Перечень is on a landscape page"
        assert not any(pdf.pages[i].lines or pdf.pages[i].rects for i in landscape), "no ruling lines"
    if kind == "rotated":
        assert 90 in rotations
    from pipeline.readers import read_file

    src = read_file(path)
    (t,) = src.tables
    rows = [[c.text for c in r] for r in t.rows]
    assert len(rows[0]) == 6 and rows[0][0] == "№" and rows[1] == ["1", "2", "3", "4", "5", "6"]
    assert [r[0] for r in rows[2:] if r[0]] == ["1.", "2.", "3.", "4."]
    assert any(w.code == "table_repaired" and "cut by the page break" in w.message for w in src.warnings)
    assert_same(extract_cached(path), reference("ossetia_2026"))


# --- scans with a text layer ----------------------------------------------------------

TEXT_LAYER_META = ("doc_type", "agency", "region", "region_code", "date", "number", "place", "title")


def test_scan_with_a_good_text_layer_uses_it():
    path = office("textlayer", STEMS["sakhalin"])
    got = extract_cached(path)
    assert not got.source.ocr and got.source.reader == "pdf", "the text layer is read, no OCR"
    (w,) = [w for w in got.warnings if w.code == "text_layer_used"]
    assert w.severity == "info" and "page 1:" in w.message
    want = meta_view(reference("sakhalin").documents[0])
    have = meta_view(got.documents[0])
    assert {k: have[k] for k in TEXT_LAYER_META} == {k: want[k] for k in TEXT_LAYER_META}


@needs_tesseract
def test_scan_with_a_junk_text_layer_is_read_by_ocr():
    path = office("textlayer", STEMS["sakhalin"] + "-garbage")
    got = extract_cached(path)
    assert got.source.ocr and got.source.reader == "pdf+ocr"
    (w,) = [w for w in got.warnings if w.code == "text_layer_rejected"]
    assert w.severity == "info" and "read by OCR" in w.message
    assert not any(w.code == "mixed_pdf" for w in got.warnings), "the pages have a text layer"
    want = meta_view(reference("sakhalin").documents[0])
    have = meta_view(got.documents[0])
    assert {k: have[k] for k in ("doc_type", "date", "number")} == {k: want[k] for k in ("doc_type", "date", "number")}


@needs_tesseract
def test_scan_text_layer_over_a_ruled_table_is_read_by_ocr_cell_by_cell():
    from pipeline.readers import read_file

    src = read_file(office("textlayer", STEMS["ossetia_2026"] + "-table"))
    used = [w for w in src.warnings if w.code == "text_layer_used"]
    rejected = [w for w in src.warnings if w.code == "text_layer_rejected"]
    assert len(used) == 1 and "page 1:" in used[0].message
    assert len(rejected) == 1 and "page 2:" in rejected[0].message and "ruled table" in rejected[0].message
    assert src.ocr and src.reader == "pdf+ocr"
    (t,) = src.tables
    assert len(t.rows[0]) == 6 and t.rows[0][0].text == "№"
    assert [c.text for c in t.rows[1]] == ["1", "2", "3", "4", "5", "6"]


def test_fragmented_page_is_cells_not_lines():
    from pipeline.readers.pages import Page, VLine
    from pipeline.readers.text_layer import fragmented

    text = Page(1, 595, 842, lines=[VLine("строка", 85, 100 + 16 * k, 550, 112 + 16 * k, 1) for k in range(20)])
    cells = Page(1, 595, 842, lines=[VLine("ячейка", x, 100 + 16 * k, x + 80, 112 + 16 * k, 1)
                                     for k in range(10) for x in (60, 300)])
    assert not fragmented(text) and fragmented(cells)


# --- units: gaps, gutters, whitespace tables --------------------------------------------

def _words(spec: list[tuple[str, float]], top: float, size: float = 12.0, char_w: float = 6.0) -> list[dict]:
    return [{"text": t, "x0": x, "x1": x + char_w * len(t), "top": top, "bottom": top + size, "size": size, "fontname": "Serif"}
            for t, x in spec]


def _row_spaces(words: list[dict]) -> list[dict]:
    """One space glyph at the start of every gap (as LibreOffice prints them)."""
    return [{"text": " ", "x0": a["x1"], "x1": a["x1"] + 3.0, "top": a["top"]} for a, b in zip(words, words[1:])]


def _justified(top: float, n: int, gap: float, x: float = 85.0) -> list[dict]:
    spec = []
    for k in range(n):
        spec.append(("слово", x))
        x += 30 + gap
    return _words(spec, top)


def test_even_wide_gaps_of_justified_lines_never_split_nor_make_a_gutter():
    # three justified lines whose wide gaps happen to line up: still one line each
    ws = [w for top in (100, 116, 132) for w in _justified(top, 4, 40.0)]
    rows = page_rows(ws, _row_spaces(ws[:4]) + _row_spaces(ws[4:8]) + _row_spaces(ws[8:]))
    assert all(not any(r.tab) for r in rows)
    lines = group_lines(rows, 1, 595)
    assert [ln.text for ln in lines] == ["слово слово слово слово"] * 3


def test_two_columns_over_several_rows_are_read_column_by_column():
    rows_spec = [
        ([("МИНИСТЕРСТВО", 70), ("ЗДРАВООХРАНЕНИЯ", 160)], [("РЕСПУБЛИКАНЫҢ", 340), ("СӘЛАМӘТЛЕК", 430)]),
        ([("РЕСПУБЛИКИ", 90), ("ТАТАРСТАН", 160)], [("САКЛАУ", 360), ("МИНИСТРЛЫГЫ", 410)]),
        ([("(МИНЗДРАВ", 95), ("РТ)", 160)], []),
    ]
    ws, sp = [], []
    for k, (left, right) in enumerate(rows_spec):
        top = 60 + 14 * k
        ws += _words(left + right, top)
        sp += _row_spaces(_words(left, top)) + _row_spaces(_words(right, top))  # no space in the gutter
    lines = group_lines(page_rows(ws, sp), 1, 595)
    assert [ln.text for ln in lines] == ["МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ", "РЕСПУБЛИКИ ТАТАРСТАН", "(МИНЗДРАВ РТ)",
                                          "РЕСПУБЛИКАНЫҢ СӘЛАМӘТЛЕК", "САКЛАУ МИНИСТРЛЫГЫ"]


def test_a_column_of_clause_numbers_is_no_gutter():
    ws = []
    for k in range(4):
        ws += _words([(f"{k + 1}.", 85), ("Утвердить", 130), ("порядок", 200), ("ведения", 260)], 100 + 16 * k)
    sp = [s for s in _row_spaces(ws) if s["x0"] > 100]  # a tab after the number: no space glyph
    lines = group_lines(page_rows(ws, sp), 1, 595)
    assert [ln.text for ln in lines] == [f"{k + 1}. Утвердить порядок ведения" for k in range(4)]


def test_one_rows_tab_splits_that_row_only():
    ws = _words([("Председатель", 85), ("А.В.", 420), ("Эммануилиди", 450)], 500)
    sp = [s for s in _row_spaces(ws) if s["x0"] > 300]
    rows = page_rows(ws, sp)
    assert rows[0].tab == [True, False]
    assert [ln.text for ln in group_lines(rows, 1, 595)] == ["Председатель", "А.В. Эммануилиди"]


def test_classify_gaps_without_space_glyphs():
    # a producer that prints no spaces: even gaps stay words, one wide outlier is a tab
    assert classify_gaps([8.0, 8.2, 7.9], [0, 0, 0], 12) == [False, False, False]
    assert classify_gaps([3.0, 40.0, 3.1], [0, 0, 0], 12) == [False, True, False]


def _ws_page() -> list[Row]:
    cols = [57, 101, 241, 371]
    spec = [
        [("№", 0), ("Направление", 1), ("Услуга", 2), ("Точка", 3)],
        [("1", 0), ("2", 1), ("3", 2), ("4", 3)],
        [("1.", 0), ("Обращения", 1), ("Прием", 2), ("СЭД", 3)],
        [("граждан", 1), ("обращений", 2)],
        [("Сайт", 3)],
        [("2.", 0), ("Прием", 1), ("Запись", 2), ("Телефон", 3)],
    ]
    tops = [62, 80, 98, 110, 128, 146]  # wrapped cell lines 12 pt apart, rows 18
    ws = []
    for row, top in zip(spec, tops):
        ws += _words([(t, cols[c]) for t, c in row], top, size=10.0, char_w=5.0)
    ws += _words([("Председатель", 57)], 200)  # the text after the table
    return page_rows(ws, [])


def test_whitespace_table_from_aligned_columns():
    tables, rest = find_ws_tables(_ws_page(), 1, 595, DEFAULTS.pdf)
    (t,) = tables
    grid = [[c.text for c in r] for r in t.rows]
    assert grid == [
        ["№", "Направление", "Услуга", "Точка"],
        ["1", "2", "3", "4"],
        ["1.", "Обращения\nграждан", "Прием\nобращений", "СЭД"],
        ["", "", "", "Сайт"],
        ["2.", "Прием", "Запись", "Телефон"],
    ]
    assert [" ".join(w["text"] for w in r.words) for r in rest] == ["Председатель"]


def test_doctests_of_the_pdf_modules():
    import pipeline.readers.pages as pages
    import pipeline.readers.pdf_lines as pdf_lines
    import pipeline.readers.text_layer as text_layer

    for mod in (pages, pdf_lines, text_layer):
        assert doctest.testmod(mod).failed == 0, mod.__name__
