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


def make_docx(body: str, numbering: str = "", header: str | None = None, title_pg: bool = False) -> bytes:
    """A minimal DOCX package around ``body`` (inner XML of w:body)."""
    rels = ['<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>']
    sect = ""
    if header is not None:
        rels.append('<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>')
        kind = "first" if title_pg else "default"
        sect = (f'<w:sectPr><w:headerReference w:type="{kind}" '
                f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdH"/>'
                f'{"<w:titlePg/>" if title_pg else ""}</w:sectPr>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", f"<w:document {W}><w:body>{body}{sect}</w:body></w:document>")
        zf.writestr("word/numbering.xml", f"<w:numbering {W}>{numbering}</w:numbering>")
        zf.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + "".join(rels) + "</Relationships>")
        if header is not None:
            zf.writestr("word/header1.xml", f"<w:hdr {W}>{header}</w:hdr>")
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

    grid = "<w:tblGrid>" + '<w:gridCol w:w="1000"/>' * 3 + "</w:tblGrid>"
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
    outer = ("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr><w:tc>" + p("A") + "</w:tc><w:tc>"
             + p("B") + nested + "</w:tc></w:tr><w:tr><w:tc>" + p("C") + "</w:tc><w:tc>" + p("D") + "</w:tc></w:tr></w:tbl>")
    box = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
           '<w:drawing><w:txbxContent>' + p("в рамке") + '</w:txbxContent></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><w:txbxContent>' + p("в рамке") + '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = p("первая", extra=box) + outer + p("вторая", extra='<w:r><w:br w:type="page"/></w:r>') + p("третья")
    src = read(make_docx(body, header=p("МИНИСТЕРСТВО"), title_pg=True))
    assert lines(src) == ["МИНИСТЕРСТВО", "первая", "в рамке", "A\tB вн1 вн2", "C\tD", "вторая", "третья"]
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
