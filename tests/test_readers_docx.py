"""DOCX reader: numbering labels, merged-cell grids, body order, pages, odd parts."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from pipeline.readers.docx import DocxReader
from pipeline.readers.numbering import format_number
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import fixture_path, formats  # noqa: F401 - session fixture

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(body: str, numbering: str = "", header: str | None = None, title_pg: bool = False,
              headers: dict[str, str] | None = None, styles: str | None = None) -> bytes:
    """A minimal DOCX package around ``body`` (inner XML of w:body).

    ``header`` is one header, referenced as "first" under ``title_pg`` else as
    "default"; ``headers`` maps reference types ("default", "first", "even")
    to header XML; ``styles`` is the inner XML of w:styles."""
    rels = ['<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>']
    parts = dict(headers or {})
    if header is not None:
        parts["first" if title_pg else "default"] = header
    sect = ""
    if parts or title_pg:
        refs = ""
        for i, kind in enumerate(parts, 1):
            rels.append(f'<Relationship Id="rIdH{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header{i}.xml"/>')
            refs += (f'<w:headerReference w:type="{kind}" '
                     f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdH{i}"/>')
        sect = f'<w:sectPr>{refs}{"<w:titlePg/>" if title_pg else ""}</w:sectPr>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", f"<w:document {W}><w:body>{body}{sect}</w:body></w:document>")
        zf.writestr("word/numbering.xml", f"<w:numbering {W}>{numbering}</w:numbering>")
        zf.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + "".join(rels) + "</Relationships>")
        for i, xml in enumerate(parts.values(), 1):
            zf.writestr(f"word/header{i}.xml", f"<w:hdr {W}>{xml}</w:hdr>")
        if styles is not None:
            zf.writestr("word/styles.xml", f"<w:styles {W}>{styles}</w:styles>")
    return buf.getvalue()


def p(text: str, num: str | None = None, ilvl: int = 0, extra: str = "") -> str:
    numpr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
    return f"<w:p><w:pPr>{numpr}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>{extra}</w:p>"


def abstract(aid: str, levels: list[tuple[str, str]], restart: dict[int, int] | None = None, start: int = 1) -> str:
    out = []
    for i, (fmt, txt) in enumerate(levels):
        rs = f'<w:lvlRestart w:val="{restart[i]}"/>' if restart and i in restart else ""
        out.append(f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{rs}<w:lvlText w:val="{txt}"/></w:lvl>')
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(out)}</w:abstractNum>'


def num(nid: str, aid: str, start_override: int | None = None) -> str:
    ov = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>' if start_override else ""
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{ov}</w:num>'


# A data table is ruled between its columns; a small table without that ruling
# places text on the page (letterhead, signature, stamp) and is read as lines.
RULED = ('<w:tblPr><w:tblBorders>' + "".join(f'<w:{e} w:val="single" w:sz="4"/>' for e in
         ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders></w:tblPr>")


def read(data: bytes):
    from pathlib import Path

    return DocxReader().read(Path("t.docx"), data)


def lines(src) -> list[str]:
    return [ln.text for ln in src.lines]


def test_russian_lower_skips_short_i():
    assert [format_number(n, "russianLower") for n in (1, 9, 10, 11, 28, 29)] == ["а", "и", "к", "л", "я", "аа"]
    nb = abstract("1", [("russianLower", "%1)")]) + num("5", "1")
    src = read(make_docx("".join(p(f"пункт {i}", "5") for i in range(1, 12)), nb))
    assert [t.split()[0] for t in lines(src)] == ["а)", "б)", "в)", "г)", "д)", "е)", "ж)", "з)", "и)", "к)", "л)"]


def test_multilevel_labels_and_restart_of_lower_level():
    nb = abstract("1", [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")]) + num("1", "1")
    body = p("Общие", "1") + p("a", "1", 1) + p("b", "1", 1) + p("c", "1", 2) + p("Порядок", "1") + p("d", "1", 1)
    assert lines(read(make_docx(body, nb))) == ["1. Общие", "1.1. a", "1.2. b", "1.2.1. c", "2. Порядок", "2.1. d"]


def test_lvl_restart_zero_keeps_counting_and_lower_letter():
    nb = abstract("1", [("decimal", "%1."), ("lowerLetter", "%2)")], restart={1: 0}) + num("1", "1")
    body = p("x", "1") + p("y", "1", 1) + p("z", "1") + p("w", "1", 1)
    assert lines(read(make_docx(body, nb))) == ["1. x", "a) y", "2. z", "b) w"]


def test_continuation_across_paragraphs_and_start_override_restart():
    nb = abstract("1", [("decimal", "%1)")]) + num("1", "1") + num("2", "1", start_override=1)
    body = p("один", "1") + p("текст между пунктами") + p("два", "1") + p("новый список", "2") + p("дальше", "2")
    assert lines(read(make_docx(body, nb))) == ["1) один", "текст между пунктами", "2) два", "1) новый список", "2) дальше"]


def test_two_nums_on_one_abstract_continue_one_list():
    # Word's rule: without startOverride a second w:num continues the abstract list
    nb = abstract("1", [("decimal", "%1.")]) + num("1", "1") + num("2", "1")
    assert lines(read(make_docx(p("a", "1") + p("b", "2"), nb))) == ["1. a", "2. b"]


def test_bullets_and_start_value():
    nb = abstract("1", [("bullet", "\uf0b7")]) + abstract("2", [("bullet", "-")]) + abstract("3", [("decimal", "%1.")], start=5)
    nb += num("1", "1") + num("2", "2") + num("3", "3")
    assert lines(read(make_docx(p("a", "1") + p("b", "2") + p("c", "3"), nb))) == ["• a", "- b", "5. c"]


def test_vmerge_and_gridspan_expand_to_full_grid():
    def tc(text, vmerge=None, span=None):
        pr = ""
        if span:
            pr += f'<w:gridSpan w:val="{span}"/>'
        if vmerge:
            pr += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
        return f"<w:tc><w:tcPr>{pr}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"

    grid = RULED + "<w:tblGrid>" + '<w:gridCol w:w="1000"/>' * 3 + "</w:tblGrid>"
    rows = [
        [tc("Шапка", span=3)],
        [tc("1.", "restart"), tc("Обращения", "restart"), tc("СЭД")],
        [tc("", "continue"), tc("", "continue"), tc("Почта")],
    ]
    tbl = "<w:tbl>" + grid + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"
    src = read(make_docx(p("до") + tbl + p("после")))
    assert lines(src) == ["до", "Шапка\t\t", "1.\tОбращения\tСЭД", "\t\tПочта", "после"]
    (t,) = src.tables
    assert t.merged
    assert [[c.text for c in row] for row in t.rows] == [
        ["Шапка", "Шапка", "Шапка"],
        ["1.", "Обращения", "СЭД"],
        ["1.", "Обращения", "Почта"],
    ]
    # a carried value points at the cell that prints it
    assert src.text[t.rows[2][1].start:t.rows[2][1].end] == "Обращения"
    assert t.rows[2][1].line == 3


def test_nested_table_text_box_header_and_page_breaks():
    nested = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr><w:tc>" + p("вн1") + "</w:tc><w:tc>" + p("вн2") + "</w:tc></w:tr></w:tbl>"
    outer = ("<w:tbl>" + RULED + "<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr><w:tc>" + p("A") + "</w:tc><w:tc>"
             + p("B") + nested + "</w:tc></w:tr><w:tr><w:tc>" + p("C") + "</w:tc><w:tc>" + p("D") + "</w:tc></w:tr></w:tbl>")
    box = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
           '<w:drawing><w:txbxContent>' + p("в рамке") + '</w:txbxContent></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><w:txbxContent>' + p("в рамке") + '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = p("первая", extra=box) + outer + p("вторая", extra='<w:r><w:br w:type="page"/></w:r>') + p("третья")
    src = read(make_docx(body, header=p("МИНИСТЕРСТВО"), title_pg=True))
    assert lines(src) == ["МИНИСТЕРСТВО", "", "первая", "в рамке", "A\tB вн1 вн2", "C\tD", "вторая", "третья"]
    assert [ln.page for ln in src.lines][-2:] == [1, 2]
    assert src.pages == 2
    codes = {w.code for w in src.warnings}
    assert {"docx_nested_table", "docx_text_box", "docx_header_included"} <= codes


def test_soft_line_break_splits_lines_and_deleted_text_is_dropped():
    body = ('<w:p><w:r><w:t>КОМИТЕТ</w:t><w:br/><w:t>ПО ЗАНЯТОСТИ</w:t></w:r>'
            '<w:del><w:r><w:delText>удалено</w:delText></w:r></w:del><w:ins><w:r><w:t> НАСЕЛЕНИЯ</w:t></w:r></w:ins></w:p>')
    assert lines(read(make_docx(body))) == ["КОМИТЕТ", "ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ"]


def _labels(text: str) -> list[str]:
    rx = re.compile(r"^(\d{1,2}\.\d{1,2}\.|\d{1,2}\.|\d{1,2}\)|[а-я]\)|- )\s?")
    return [m.group(1).strip() for ln in text.split("\n") if (m := rx.match(ln.replace("**", "").strip()))]


@pytest.mark.parametrize("short", ["ossetia_2023", "sakhalin", "dagestan"])
def test_corpus_docx_prints_the_same_labels_as_the_text(short, formats):
    stem = ORDERS[short].removesuffix(".txt")
    info = formats["orders"][stem]["docx"]
    assert info["numbered"] > 30, "the fixture must really use Word numbering"
    src = DocxReader().read(fixture_path("docx", stem, "docx"), fixture_path("docx", stem, "docx").read_bytes())
    want = _labels((CORPUS / ORDERS[short]).read_text(encoding="utf-8"))
    assert _labels(src.text) == want


def test_corpus_docx_table_is_a_merged_grid(formats):
    stem = ORDERS["ossetia_2026"].removesuffix(".txt")
    path = fixture_path("docx", stem, "docx")
    src = DocxReader().read(path, path.read_bytes())
    (t,) = src.tables
    assert t.merged and len(t.rows) == 16 and all(len(r) == 6 for r in t.rows)
    assert [c.text for c in t.rows[1]] == ["1", "2", "3", "4", "5", "6"]
    numbers = [r[0].text for r in t.rows[2:]]
    assert numbers == ["1."] * 3 + ["2."] * 4 + ["3."] * 5 + ["4."] * 2
    # the page-break spill of the text version, rejoined by the fixture builder as printed
    assert t.rows[4][3].text == "Каналы и публичные чаты Комитет в мессенджерах"
    assert len({r[1].text for r in t.rows[2:]}) == 1  # one direction carried to every row


# --- headers and fields, by Word's rules ----------------------------------------

def field(instr: str, result: str) -> str:
    """A complex field as Word writes it: begin, code, separate, cached result, end."""
    r = "<w:r>{}</w:r>"
    return (r.format('<w:fldChar w:fldCharType="begin"/>') + r.format(f'<w:instrText xml:space="preserve"> {instr} </w:instrText>')
            + r.format('<w:fldChar w:fldCharType="separate"/>') + r.format(f"<w:t>{result}</w:t>")
            + r.format('<w:fldChar w:fldCharType="end"/>'))


PAGE_HEADER = f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{field("PAGE", "2")}</w:p>'
LETTERHEAD = p("МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ") + p("САХАЛИНСКОЙ ОБЛАСТИ")


def test_different_first_page_without_first_header_prints_no_header_on_page_one():
    # how most orders are set (and how LibreOffice saves them): titlePg, the page number in the default header only
    src = read(make_docx(LETTERHEAD + p("ПРИКАЗ"), headers={"default": PAGE_HEADER}, title_pg=True))
    assert lines(src) == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ", "ПРИКАЗ"]
    assert "docx_header_included" not in {w.code for w in src.warnings}


def test_first_page_header_is_the_letterhead_and_the_default_one_is_not_read():
    src = read(make_docx(p("ПРИКАЗ"), headers={"default": PAGE_HEADER, "first": LETTERHEAD, "even": p("чётная")},
                         title_pg=True))
    assert lines(src) == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ", "", "ПРИКАЗ"]
    assert "docx_header_included" in {w.code for w in src.warnings}


def test_without_title_page_the_default_header_prints_on_page_one_and_page_numbers_are_not_text():
    header = LETTERHEAD + f'<w:p><w:r><w:t xml:space="preserve">- </w:t></w:r>{field("PAGE", "1")}<w:r><w:t xml:space="preserve"> -</w:t></w:r></w:p>'
    src = read(make_docx(p("ПРИКАЗ"), headers={"default": header, "first": p("не печатается")}))
    assert lines(src) == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ", "", "ПРИКАЗ"]


def test_title_page_switched_off_by_value_uses_the_default_header():
    body = p("ПРИКАЗ") + ('<w:sectPr xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                         '<w:headerReference w:type="default" r:id="rIdH1"/><w:headerReference w:type="first" r:id="rIdH2"/>'
                         '<w:titlePg w:val="0"/></w:sectPr>')
    data = make_docx(body, headers={"default": LETTERHEAD, "first": p("не печатается")})
    assert lines(read(data))[:2] == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ"]


def test_field_results_of_page_and_date_are_dropped_others_kept():
    date = field('DATE \\@ "dd.MM.yyyy"', "01.02.2030")
    link = field('HYPERLINK "http://www.minpromdag.ru"', "www.minpromdag.ru")
    body = (f"<w:p><w:r><w:t xml:space=\"preserve\">Страница </w:t></w:r>{field('PAGE', '3')}"
            f"<w:r><w:t xml:space=\"preserve\"> из </w:t></w:r>{field('NUMPAGES', '9')}</w:p>"
            f"<w:p>{date}</w:p>"
            f'<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>4</w:t></w:r></w:fldSimple></w:p>'
            f"<w:p>{link}</w:p>"
            f'<w:p><w:fldSimple w:instr=" DOCPROPERTY Company "><w:r><w:t>Минпромторг РД</w:t></w:r></w:fldSimple></w:p>')
    assert lines(read(make_docx(body))) == ["Страница из", "", "", "www.minpromdag.ru", "Минпромторг РД"]


def test_empty_paragraphs_at_the_end_are_not_lines():
    # Word ends a body with an empty paragraph after a final table
    assert lines(read(make_docx(p("ПРИКАЗ") + "<w:p/>" + p("1. Текст") + "<w:p/><w:p/>"))) == ["ПРИКАЗ", "", "1. Текст"]


def test_an_unterminated_field_does_not_hide_the_rest():
    broken = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>7</w:t></w:r></w:p>'
    assert lines(read(make_docx(broken + p("1. Утвердить Порядок")))) == ["", "1. Утвердить Порядок"]


# --- layout tables, text boxes, frames --------------------------------------------

NIL = "<w:tblPr><w:tblBorders>" + "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders></w:tblPr>"


def table(*rows: list[str], pr: str = NIL, cols: int = 2) -> str:
    """Rows of cells; a cell is the XML of its paragraphs."""
    grid = "<w:tblGrid>" + '<w:gridCol w:w="4000"/>' * cols + "</w:tblGrid>"
    return "<w:tbl>" + pr + grid + "".join("<w:tr>" + "".join(f"<w:tc>{c or '<w:p/>'}</w:tc>" for c in r) + "</w:tr>" for r in rows) + "</w:tbl>"


def test_bilingual_letterhead_table_gives_two_blocks_russian_first():
    ru = p("КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ") + p("РЕСПУБЛИКИ АЛТАЙ")
    alt = p("АЛТАЙ РЕСПУБЛИКАНЫҤ") + p("ЗАГС ЛЕ АРХИВТЕР КОМИТЕДИ")
    want = ["КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ", "РЕСПУБЛИКИ АЛТАЙ", "", "АЛТАЙ РЕСПУБЛИКАНЫҤ", "ЗАГС ЛЕ АРХИВТЕР КОМИТЕДИ", "ПРИКАЗ"]
    src = read(make_docx(table([ru, alt]) + p("ПРИКАЗ")))
    assert lines(src) == want and src.tables == []
    # the regional language on the left (letters Russian lacks): the Russian block still comes first
    assert lines(read(make_docx(table([alt, ru]) + p("ПРИКАЗ")))) == want
    assert "docx_layout_table" in {w.code for w in src.warnings}


def test_signature_table_is_one_line_as_a_txt_prints_it():
    src = read(make_docx(table([p("Министр"), p("Н.Р. Халилов")])))
    assert lines(src) == ["Министр\tН.Р. Халилов"]
    pos = p("Министр социальной защиты") + p("Сахалинской области")
    name = "<w:p/><w:p/>" + p("О.С. Орлова")  # blank paragraphs push the name down to the last position line
    assert lines(read(make_docx(table([pos, name])))) == ["Министр социальной защиты", "Сахалинской области\tО.С. Орлова"]
    assert lines(read(make_docx(table([p("28.03.2024"), p("№ П-12-01/0019")])))) == ["28.03.2024\t№ П-12-01/0019"]


def test_stamp_in_the_right_cell_reads_before_the_appendix_title():
    stamp = p("УТВЕРЖДЕН") + p("приказом Министерства") + p("от 18.01.2024 № 1-3.11-24/24")
    src = read(make_docx(table(["", stamp]) + p("ПОРЯДОК")))
    assert lines(src) == ["УТВЕРЖДЕН", "приказом Министерства", "от 18.01.2024 № 1-3.11-24/24", "ПОРЯДОК"]


def box_run(inner: str, rel: str = "paragraph", offset: int = 0, fallback: bool = True) -> str:
    """A floating DrawingML text box (with Word's VML copy as fallback)."""
    anchor = (f'<wp:anchor xmlns:wp="{WP}"><wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
              f'<wp:positionV relativeFrom="{rel}"><wp:posOffset>{offset}</wp:posOffset></wp:positionV>'
              f'<wp:txbx><w:txbxContent>{inner}</w:txbxContent></wp:txbx></wp:anchor>')
    fb = f'<mc:Fallback><w:pict><w:txbxContent>{inner}</w:txbxContent></w:pict></mc:Fallback>' if fallback else ""
    return (f'<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            f'<mc:Choice Requires="wps"><w:drawing>{anchor}</w:drawing></mc:Choice>{fb}</mc:AlternateContent></w:r>')


WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def test_floating_stamp_box_anchored_in_the_title_is_read_before_it():
    stamp = p("УТВЕРЖДЕН") + p("приказом Комитета")
    title = f'<w:p><w:r><w:t>ПОРЯДОК</w:t></w:r>{box_run(stamp)}</w:p>'  # LibreOffice puts the anchor after the text
    assert lines(read(make_docx(title + p("I. Общие положения")))) == ["УТВЕРЖДЕН", "приказом Комитета", "", "ПОРЯДОК", "I. Общие положения"]
    page_placed = f'<w:p><w:r><w:t>ПОРЯДОК</w:t></w:r>{box_run(stamp, rel="page", offset=2482215)}</w:p>'
    assert lines(read(make_docx(page_placed)))[0] == "УТВЕРЖДЕН"
    below = f'<w:p><w:r><w:t>Министр</w:t></w:r>{box_run(p("М.П."), offset=900000)}</w:p>'
    assert lines(read(make_docx(below))) == ["Министр", "М.П."]


def test_letterhead_in_a_box_a_frame_and_a_header_table():
    box = f"<w:p>{box_run(LETTERHEAD)}</w:p>" + p("ПРИКАЗ")
    assert lines(read(make_docx(box))) == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ", "", "ПРИКАЗ"]
    frame = '<w:pPr><w:framePr w:w="9000" w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:xAlign="center" w:y="1"/></w:pPr>'
    framed = "".join(f"<w:p>{frame}<w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("КОМИТЕТ", "ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ"))
    assert lines(read(make_docx(framed + p("ПРИКАЗ")))) == ["КОМИТЕТ", "ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ", "ПРИКАЗ"]
    in_header = table([LETTERHEAD, ""])  # the emblem cell beside it is empty
    src = read(make_docx(p("ПРИКАЗ"), headers={"first": in_header, "default": PAGE_HEADER}, title_pg=True))
    assert lines(src) == ["МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ", "САХАЛИНСКОЙ ОБЛАСТИ", "", "ПРИКАЗ"]


def test_ruled_or_large_tables_stay_data_tables():
    styles = ('<w:style w:type="table" w:styleId="Grid"><w:tblPr><w:tblBorders><w:insideV w:val="single" w:sz="4"/>'
              '</w:tblBorders></w:tblPr></w:style>')
    by_style = table([p("1."), p("Сайт")], [p("2."), p("Телефон")], pr='<w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr>')
    src = read(make_docx(by_style, styles=styles))
    assert len(src.tables) == 1 and lines(src) == ["1.\tСайт", "2.\tТелефон"]
    cell_ruled = ('<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>'
                  '<w:tc><w:tcPr><w:tcBorders><w:end w:val="single"/></w:tcBorders></w:tcPr>' + p("a") + "</w:tc>"
                  "<w:tc>" + p("b") + "</w:tc></w:tr></w:tbl>")
    assert len(read(make_docx(cell_ruled)).tables) == 1
    many = table(*[[p(f"{i}."), p("строка")] for i in range(1, 7)])
    assert len(read(make_docx(many)).tables) == 1
