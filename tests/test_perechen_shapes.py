"""The Перечень точек взаимодействия as agencies lay it out (issue 8, "The
Перечень as agencies really write it"): header wordings the corpus does not
use, a missing direction or needs column, needs as a dash list inside the
column that describes the procedure, the kind inside a features column, a
header-less table decided by its content, group rows spanning the width,
lists split into digital and offline paragraphs, a column that maps to nothing.

Tables come as our text reader takes them (tab-separated lines, group rows as
lines without tabs or with empty trailing cells) and as Word saves them
(python-docx: gridSpan group rows, vMerge cells, bullet paragraphs in a cell),
read through ``pipeline.readers.read_file``. Every expected value below is
read off the table text by hand.

No real published Перечень was found in the search corpus (queries on the
Перечень's headings and typical rows returned articles and other acts), so
the layouts here are written after the shapes the issue lists.
"""

from __future__ import annotations


import pytest

from pipeline.document import SourceText, split_lines, tables_from_tab_lines
from pipeline.extract import Context, touchpoints
from pipeline.extract.touchpoint_common import columns_vocab, header_role
from pipeline.models import Document
from pipeline.run import extract_file
from pipeline.segment import DocSlice


def _extract(src: SourceText) -> Document:
    doc = Document(id="d1", kind="order", span=src.line_span(1, len(src.lines)))
    touchpoints.extract(Context(src, DocSlice("order", "приказ", 1, len(src.lines), 1), doc))
    return doc


def text_doc(lines: list[str]) -> tuple[Document, str]:
    """A text order as the txt reader gives it: tab lines become grids."""
    text = "\n".join(lines)
    ls = split_lines(text)
    src = SourceText(path="t.txt", format="txt", reader="test", text=text, lines=ls,
                     tables=tables_from_tab_lines(text, ls))
    return _extract(src), text


def codes(doc: Document, code: str):
    return [w for w in doc.warnings if w.code == code]


# ------------------------------------------------------------ the vocabulary

VOCAB_TESTS = columns_vocab()["tests"]


@pytest.mark.parametrize("role,header", [(r, h) for r, t in VOCAB_TESTS.items() for h in t["must"]])
def test_header_maps_to_its_role(role, header):
    assert header_role(header) == role


@pytest.mark.parametrize("role,header", [(r, h) for r, t in VOCAB_TESTS.items() for h in t["must_not"]])
def test_header_does_not_map_to_the_role(role, header):
    assert header_role(header) != role


def test_vocabulary_is_versioned_and_the_only_one_for_columns():
    from pipeline.nlp import load_vocab

    assert columns_vocab()["version"]
    assert "touchpoint_columns" not in load_vocab("markers")  # one vocabulary of column roles
    assert header_role("Точки контакта") == "name"


# ------------------------------------------------------- text tables: headers

def test_other_header_wording_contacts_goals_format():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия",
        "№ п/п\tТочки контакта\tЦели обращения\tФормат точки (цифровая/офлайн)",
        "1\t2\t3\t4",
        "1.\tОфициальный сайт министерства\tПолучение информации о мерах поддержки\tцифровая",
        "2.\tТелефон горячей линии\tПолучение консультации; запись на прием\tофлайн",
        "3.\tПриемная министерства\tПодача обращения\tофлайн",
    ])
    assert [(t.row, t.name, t.channel, t.kind, t.kind_source, t.needs, t.need_codes) for t in doc.touchpoints] == [
        (1, "Официальный сайт министерства", "website", "digital", "source",
         ["Получение информации о мерах поддержки"], ["info"]),
        (2, "Телефон горячей линии", "phone", "offline", "source",
         ["Получение консультации", "запись на прием"], ["consultation", "appointment"]),
        (3, "Приемная министерства", "in_person", "offline", "source", ["Подача обращения"], ["submission"]),
    ]
    assert all(t.direction is None and t.service is None for t in doc.touchpoints)  # no direction column
    # every column was named by its header: nothing to report
    assert not codes(doc, "table_columns_mapped") and not codes(doc, "column_unmapped")
    assert not codes(doc, "perechen_table_unmapped")


def test_two_column_header_channel_and_result():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Канал взаимодействия\tРезультат для клиента",
        "Электронная почта\tПолучение ответа на обращение",
        "Мобильное приложение «Госуслуги»\tПолучение информации о ходе рассмотрения заявления",
    ])
    assert [(t.row, t.name, t.channel, t.kind, t.kind_source, t.need_codes) for t in doc.touchpoints] == [
        (None, "Электронная почта", "email", "digital", "channel", ["result"]),
        (None, "Мобильное приложение «Госуслуги»", "mobile_app", "digital", "channel", ["info", "status"]),
    ]
    assert not codes(doc, "table_columns_mapped")


def test_unknown_headers_decided_by_content():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Наименование\tОписание\tФорма",
        "Официальный сайт министерства\tРазмещение новостей и документов\tцифровая",
        "Чат-бот в мессенджере Telegram\tОтветы на частые вопросы\tцифровая",
        "Приемная министерства\tПрием письменных обращений\tофлайн",
    ])
    assert [(t.name, t.channel, t.kind, t.kind_source, t.features) for t in doc.touchpoints] == [
        ("Официальный сайт министерства", "website", "digital", "source", "Размещение новостей и документов"),
        ("Чат-бот в мессенджере Telegram", "chatbot", "digital", "source", "Ответы на частые вопросы"),
        ("Приемная министерства", "in_person", "offline", "source", "Прием письменных обращений"),
    ]
    (w,) = codes(doc, "table_columns_mapped")
    assert w.severity == "info" and (w.span.line, w.span.end_line) == (2, 5)
    assert "1 'Наименование' → name (by content: 3 of 3 cells name a channel)" in w.message
    assert "2 'Описание' → features (by header)" in w.message
    assert "3 'Форма' → kind (by content: 3 of 3 cells state the kind" in w.message
    assert not codes(doc, "column_unmapped")


def test_headerless_table_decided_by_content():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия министерства с клиентами",
        "",
        ("1.\tОфициальный сайт министерства\t- получение информации; - подача обращения\tцифровая"
         "\thttps://minsoc.example.ru"),
        "2.\tТелефон горячей линии\t- получение консультации\tофлайн\t8 (8772) 52-12-34, пн-пт 9:00-18:00",
        ("3.\tПриемная министерства\t- подача обращения; - запись на прием\tофлайн"
         "\tг. Майкоп, ул. Ленина, д. 1, каб. 12"),
    ])
    got = [(t.row, t.row_label, t.name, t.channel, t.kind, t.kind_source, t.needs, t.need_codes, t.features)
           for t in doc.touchpoints]
    assert got == [
        (1, "1.", "Официальный сайт министерства", "website", "digital", "source",
         ["получение информации", "подача обращения"], ["info", "submission"], "https://minsoc.example.ru"),
        (2, "2.", "Телефон горячей линии", "phone", "offline", "source",
         ["получение консультации"], ["consultation"], "8 (8772) 52-12-34, пн-пт 9:00-18:00"),
        (3, "3.", "Приемная министерства", "in_person", "offline", "source",
         ["подача обращения", "запись на прием"], ["submission", "appointment"],
         "г. Майкоп, ул. Ленина, д. 1, каб. 12"),
    ]
    (w,) = codes(doc, "table_columns_mapped")
    assert (w.span.line, w.span.end_line) == (4, 6)
    for part in ("1 (no header) → number (by content", "2 (no header) → name (by content",
                 "3 (no header) → needs (by content", "4 (no header) → kind (by content",
                 "5 (no header) → contacts, kept in features (by content"):
        assert part in w.message
    assert not codes(doc, "perechen_table_unmapped") and not codes(doc, "column_unmapped")


# ------------------------------------------------------- text tables: groups

def test_kind_group_lines_between_parts_of_a_text_table():
    """The header printed alone (a one-line table is no grid), the group rows
    printed as lines without tabs, the last part a single row."""
    doc, text = text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия",
        "№\tТочка взаимодействия\tУдовлетворяемые потребности\tОсобенности взаимодействия",
        "Цифровые точки взаимодействия",
        "1.\tОфициальный сайт\tПолучение информации\tКруглосуточно",
        "2.\tЭлектронная почта\tПодача обращения\tОтвет в течение 30 дней",
        "Офлайн-точки",
        "3.\tПриемная министерства\tПодача обращения\tПо предварительной записи",
    ])
    assert [(t.row, t.name, t.channel, t.kind, t.kind_source, t.need_codes, t.features)
            for t in doc.touchpoints] == [
        (1, "Официальный сайт", "website", "digital", "source", ["info"], "Круглосуточно"),
        (2, "Электронная почта", "email", "digital", "source", ["submission"], "Ответ в течение 30 дней"),
        (3, "Приемная министерства", "in_person", "offline", "source", ["submission"],
         "По предварительной записи"),
    ]
    groups = codes(doc, "table_group_row")
    assert [(w.span.line, text[w.span.start : w.span.end]) for w in groups] == [
        (4, "Цифровые точки взаимодействия"), (7, "Офлайн-точки")]
    assert not codes(doc, "table_line_unplaced") and not codes(doc, "table_cell_unplaced")


def test_group_lines_join_two_grids():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "№\tТочка взаимодействия\tУдовлетворяемые потребности\tОсобенности взаимодействия",
        "1.\tОфициальный сайт\tПолучение информации\tКруглосуточно",
        "Офлайн-точки",
        "2.\tПриемная министерства\tПодача обращения\tПо записи",
        "3.\tМФЦ\tПодача заявления\tПо записи",
    ])
    assert [(t.row, t.name, t.kind, t.kind_source) for t in doc.touchpoints] == [
        (1, "Официальный сайт", "digital", "channel"),  # no group above it: kind from the channel
        (2, "Приемная министерства", "offline", "source"),
        (3, "МФЦ", "offline", "source"),
    ]
    assert len(codes(doc, "table_group_row")) == 1 and not codes(doc, "table_continued")


def test_numbered_section_rows_set_the_direction():
    doc, text = text_doc([
        "ПРИКАЗ",
        "№ п/п\tНаименование услуги (сервиса)\tТочка взаимодействия\tПотребности клиента\tВид точки",
        "1\t2\t3\t4\t5",
        "1. Предоставление государственных услуг\t\t\t\t",
        "1.1.\tВыдача справок о составе семьи\tЕПГУ\tПодача заявления; получение результата\tцифровая",
        "1.2.\tВыдача справок о составе семьи\tМФЦ\tПодача заявления\tофлайн",
        "2. Рассмотрение обращений граждан\t\t\t\t",
        "2.1.\tПрием обращений\tИнтернет-приемная\tПодача обращения\tцифровая",
    ])
    assert [(t.row, t.row_label, t.direction, t.direction_code, t.service, t.name, t.channel, t.kind)
            for t in doc.touchpoints] == [
        (1, "1.1.", "Предоставление государственных услуг", "public_services", "Выдача справок о составе семьи",
         "ЕПГУ", "epgu", "digital"),
        (1, "1.2.", "Предоставление государственных услуг", "public_services", "Выдача справок о составе семьи",
         "МФЦ", "mfc", "offline"),
        (2, "2.1.", "Рассмотрение обращений граждан", "appeals", "Прием обращений", "Интернет-приемная", "website",
         "digital"),
    ]
    assert [t.need_codes for t in doc.touchpoints] == [["submission", "result"], ["submission"], ["submission"]]
    names = {t.name for t in doc.touchpoints}
    assert not any("Предоставление" in n or "Рассмотрение" in n for n in names)
    groups = codes(doc, "table_group_row")
    assert [text[w.span.start : w.span.end] for w in groups] == [
        "Предоставление государственных услуг", "Рассмотрение обращений граждан"]
    assert all("direction" in w.message for w in groups)


# ------------------------------------------ text tables: merged and missing columns

def test_needs_in_procedure_column_kind_in_features_unmapped_column_once():
    doc, text = text_doc([
        "ПРИКАЗ",
        "Точка взаимодействия\tПорядок взаимодействия\tОтветственный\tОтметка о размещении",
        ("Официальный сайт министерства\tЦифровая точка. Клиент заполняет форму на сайте: - получение информации; "
         "- подача обращения\tОтдел информатизации\tразмещено"),
        ("Электронная почта\tЦифровая точка. Потребности: - подача обращения; - получение ответа\tОбщий отдел"
         "\tразмещено"),
        "- 2 -",
        ("Приемная министерства\tОфлайн-точка. Прием по предварительной записи: - получение консультации; "
         "- запись на прием\tОбщий отдел\t"),
        "Телефон горячей линии\tОфлайн-точка: - получение консультации\tОбщий отдел\tразмещено",
    ])
    got = [(t.name, t.channel, t.kind, t.kind_source, t.needs, t.need_codes, t.features) for t in doc.touchpoints]
    assert got == [
        ("Официальный сайт министерства", "website", "digital", "source",
         ["получение информации", "подача обращения"], ["info", "submission"],
         ("Цифровая точка. Клиент заполняет форму на сайте; Ответственный: Отдел информатизации; "
          "Отметка о размещении: размещено")),
        ("Электронная почта", "email", "digital", "source",
         ["подача обращения", "получение ответа"], ["submission", "result"],
         "Цифровая точка; Ответственный: Общий отдел; Отметка о размещении: размещено"),
        ("Приемная министерства", "in_person", "offline", "source",
         ["получение консультации", "запись на прием"], ["consultation", "appointment"],
         "Офлайн-точка. Прием по предварительной записи; Ответственный: Общий отдел"),
        ("Телефон горячей линии", "phone", "offline", "source",
         ["получение консультации"], ["consultation"],
         "Офлайн-точка; Ответственный: Общий отдел; Отметка о размещении: размещено"),
    ]
    assert all(t.direction is None for t in doc.touchpoints)
    (w,) = codes(doc, "column_unmapped")  # once for the table, though it continues after the page break
    assert "'Отметка о размещении'" in w.message
    assert text[w.span.start : w.span.end] == "Отметка о размещении"
    (m,) = codes(doc, "table_columns_mapped")
    assert "4 'Отметка о размещении' → no role, kept in features" in m.message
    (n,) = codes(doc, "table_needs_in_column")
    assert "'Порядок взаимодействия'" in n.message and "4 touchpoint(s)" in n.message
    assert len(codes(doc, "table_continued")) == 1
    (gap,) = codes(doc, "table_line_unplaced")
    assert gap.span.line == 5


# ------------------------------------------------------------- DOCX (Word)

docx = pytest.importorskip("docx")


def _bullets(doc) -> str:
    """A bullet list as Word defines it (Symbol font, private-use glyph); its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = doc.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="hybridMultilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _fill(cell, value, num_id: str) -> None:
    """A cell's paragraphs; '• ' starts a Word bullet paragraph (the glyph is
    numbering, not text)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paras = value if isinstance(value, list) else [value]
    cell.text = ""
    for k, text in enumerate(paras):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        if text.startswith("• "):
            text = text[2:]
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
        p.add_run(text)


def docx_doc(tmp_path, before: list[str], rows: list) -> tuple[Document, SourceText]:
    """Word's table: a row given as a string is one cell merged over the
    width (gridSpan); None under a value merges it down (vMerge)."""
    from pipeline.readers import read_file

    d = docx.Document()
    num_id = _bullets(d)
    for line in before:
        d.add_paragraph(line)
    width = max(len(r) for r in rows if not isinstance(r, str))
    t = d.add_table(rows=len(rows), cols=width)
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        if isinstance(row, str):
            merged = t.cell(r, 0).merge(t.cell(r, width - 1))
            _fill(merged, row, num_id)
            continue
        for c, value in enumerate(row):
            if value is None:
                top = r - 1
                while rows[top][c] is None:
                    top -= 1
                t.cell(top, c).merge(t.cell(r, c))
            else:
                _fill(t.cell(r, c), value, num_id)
    d.add_paragraph("Министр И.И. Иванов")
    path = tmp_path / "perechen.docx"
    d.save(str(path))
    src = read_file(path)
    return _extract(src), src


def test_docx_group_rows_merged_over_the_width_and_bullets_in_cells(tmp_path):
    doc, src = docx_doc(tmp_path, ["ПРИКАЗ", "Перечень точек взаимодействия"], [
        ["№ п/п", "Наименование услуги", "Канал взаимодействия", "Удовлетворяемые потребности клиента",
         "Примечание"],
        "Цифровые точки взаимодействия",
        ["1.", "Выдача архивных справок", "Официальный сайт",
         ["• получение информации о порядке получения услуги", "• получение форм документов"], ""],
        ["2.", None, "Электронная почта", ["• подача обращения", "• получение ответа"], "Ответ в течение 30 дней"],
        "Офлайн-точки",
        ["3.", "Выдача архивных справок", "Приемная комитета", ["• подача обращения", "• получение результата"],
         "Прием по предварительной записи"],
    ])
    got = [(t.row, t.service, t.direction, t.name, t.channel, t.kind, t.kind_source, t.needs, t.need_codes,
            t.features) for t in doc.touchpoints]
    assert got == [
        (1, "Выдача архивных справок", None, "Официальный сайт", "website", "digital", "source",
         ["получение информации о порядке получения услуги", "получение форм документов"], ["info", "forms"], None),
        (2, "Выдача архивных справок", None, "Электронная почта", "email", "digital", "source",
         ["подача обращения", "получение ответа"], ["submission", "result"], "Ответ в течение 30 дней"),
        (3, "Выдача архивных справок", None, "Приемная комитета", "in_person", "offline", "source",
         ["подача обращения", "получение результата"], ["submission", "result"], "Прием по предварительной записи"),
    ]
    groups = codes(doc, "table_group_row")
    assert [src.text[w.span.start : w.span.end] for w in groups] == ["Цифровые точки взаимодействия", "Офлайн-точки"]


def test_docx_needs_as_bullets_in_the_description_column(tmp_path):
    doc, _ = docx_doc(tmp_path, ["ПРИКАЗ", "Перечень точек взаимодействия"], [
        ["Точки контакта", "Описание взаимодействия", "Контактные данные", "Ответственное подразделение"],
        "1. Информирование населения",
        ["Официальный сайт министерства",
         ["Цифровая точка.", "Удовлетворяемые потребности:", "• получение информации о деятельности министерства",
          "• получение форм документов"],
         "https://minobr.example.ru", "отдел информационной политики"],
        ["Приемная министерства",
         ["Офлайн-точка.", "Прием по предварительной записи:", "• получение консультации", "• запись на прием"],
         "г. Майкоп, ул. Ленина, д. 1, каб. 12; пн-пт 9:00-18:00", "общий отдел"],
    ])
    got = [(t.direction, t.direction_code, t.name, t.kind, t.kind_source, t.needs, t.need_codes, t.features)
           for t in doc.touchpoints]
    assert got == [
        ("Информирование населения", "information_access", "Официальный сайт министерства", "digital", "source",
         ["получение информации о деятельности министерства", "получение форм документов"], ["info", "forms"],
         ("Цифровая точка; Контактные данные: https://minobr.example.ru; "
          "Ответственное подразделение: отдел информационной политики")),
        ("Информирование населения", "information_access", "Приемная министерства", "offline", "source",
         ["получение консультации", "запись на прием"], ["consultation", "appointment"],
         ("Офлайн-точка. Прием по предварительной записи; "
          "Контактные данные: г. Майкоп, ул. Ленина, д. 1, каб. 12; пн-пт 9:00-18:00; "
          "Ответственное подразделение: общий отдел")),
    ]
    assert len(codes(doc, "table_needs_in_column")) == 1
    # contacts and responsible are named by their headers: no column left without a role
    assert not codes(doc, "column_unmapped") and not codes(doc, "table_columns_mapped")


def test_docx_table_without_header_row(tmp_path):
    doc, _ = docx_doc(tmp_path, ["ПРИКАЗ", "Перечень точек взаимодействия"], [
        ["Официальный сайт комитета", "Получение информации; подача обращения", "Цифровая"],
        ["Единый портал государственных услуг", "Подача заявления; получение результата", "Цифровая"],
        ["Многофункциональный центр", "Подача заявления", "Офлайн"],
    ])
    assert [(t.name, t.channel, t.kind, t.kind_source, t.need_codes) for t in doc.touchpoints] == [
        ("Официальный сайт комитета", "website", "digital", "source", ["info", "submission"]),
        ("Единый портал государственных услуг", "epgu", "digital", "source", ["submission", "result"]),
        ("Многофункциональный центр", "mfc", "offline", "source", ["submission"]),
    ]
    (w,) = codes(doc, "table_columns_mapped")
    assert "1 (no header) → name (by content: 3 of 3 cells name a channel)" in w.message
    assert "2 (no header) → needs (by content" in w.message and "3 (no header) → kind (by content" in w.message
    assert not codes(doc, "perechen_table_unmapped")


# ------------------------------------------------------------------- lists

def test_list_with_kind_paragraphs_without_colon_and_a_link():
    doc, text = text_doc([
        "ПРИКАЗ",
        "ПЕРЕЧЕНЬ ТОЧЕК ВЗАИМОДЕЙСТВИЯ",
        "",
        "Цифровые точки взаимодействия",
        "- официальный сайт министерства (https://minsoc.example.ru);",
        "- страница министерства в социальной сети ВКонтакте;",
        "Офлайн-точки взаимодействия",
        "- приемная министерства;",
        "- телефон горячей линии.",
    ])
    assert [(t.name, t.channel, t.kind, t.kind_source, t.features, t.source) for t in doc.touchpoints] == [
        ("официальный сайт министерства", "website", "digital", "source", "https://minsoc.example.ru", "list"),
        ("страница министерства в социальной сети ВКонтакте", "social_network", "digital", "source", None, "list"),
        ("приемная министерства", "in_person", "offline", "source", None, "list"),
        ("телефон горячей линии", "phone", "offline", "source", None, "list"),
    ]
    first = doc.touchpoints[0]
    assert text[first.span.start : first.span.end] == "официальный сайт министерства (https://minsoc.example.ru"


def test_list_with_numbered_kind_paragraphs_and_nested_items():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия с клиентами",
        "",
        "1. Цифровые точки взаимодействия:",
        "1.1. Официальный сайт министерства;",
        "1.2. Электронная почта;",
        "2. Офлайн-точки взаимодействия:",
        "2.1. Приемная министерства;",
        "2.2. Многофункциональный центр.",
    ])
    assert [(t.row_label, t.name, t.channel, t.kind, t.kind_source) for t in doc.touchpoints] == [
        ("1.1.", "Официальный сайт министерства", "website", "digital", "source"),
        ("1.2.", "Электронная почта", "email", "digital", "source"),
        ("2.1.", "Приемная министерства", "in_person", "offline", "source"),
        ("2.2.", "Многофункциональный центр", "mfc", "offline", "source"),
    ]
    assert not codes(doc, "perechen_empty")


def test_list_of_touchpoints_of_contact_with_items_after_the_kind():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Перечень точек контакта с клиентами",
        "",
        "Цифровые точки взаимодействия: официальный сайт, электронная почта, чат-бот.",
        "Офлайн-точки взаимодействия: приемная министерства, МФЦ.",
    ])
    assert [(t.name, t.channel, t.kind, t.kind_source) for t in doc.touchpoints] == [
        ("официальный сайт", "website", "digital", "source"),
        ("электронная почта", "email", "digital", "source"),
        ("чат-бот", "chatbot", "digital", "source"),
        ("приемная министерства", "in_person", "offline", "source"),
        ("МФЦ", "mfc", "offline", "source"),
    ]


def test_list_items_with_needs_after_a_dash():
    doc, _ = text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия",
        "",
        "Цифровые точки:",
        "- официальный сайт – получение информации о деятельности министерства;",
        "- электронная почта – подача обращений, получение ответов;",
        "Офлайн точки:",
        "- личный прием – консультирование, подача обращений.",
    ])
    assert [(t.name, t.channel, t.kind, t.needs, t.need_codes) for t in doc.touchpoints] == [
        ("официальный сайт", "website", "digital", ["получение информации о деятельности министерства"], ["info"]),
        ("электронная почта", "email", "digital", ["подача обращений", "получение ответов"], ["submission", "result"]),
        ("личный прием", "in_person", "offline", ["консультирование", "подача обращений"],
         ["consultation", "submission"]),
    ]


# An order that ends with its Перечень table, as most appendices print it: five columns
# (№ п/п, name with the link or phone, type, needs separated by ';', responsible unit).
ORDER_ENDING_IN_ITS_TABLE = """МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ КУРСКОЙ ОБЛАСТИ

ПРИКАЗ

от 15 марта 2024 г. № 01-07/45

Об утверждении перечня точек взаимодействия министерства цифрового развития Курской области с клиентами

В соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 г. № 2816-р ПРИКАЗЫВАЮ:

1. Утвердить прилагаемый Перечень точек взаимодействия министерства цифрового развития Курской области с клиентами.

Министр                                                  А.В. Петров

Приложение
к приказу министерства цифрового развития Курской области
от 15.03.2024 № 01-07/45

ПЕРЕЧЕНЬ
точек взаимодействия министерства цифрового развития Курской области с клиентами

№ п/п\tНаименование точки взаимодействия\tТип точки взаимодействия\tПотребности клиентов\tОтветственное структурное подразделение
1\tОфициальный сайт министерства (https://digital.rkursk.ru)\tцифровая\tполучение информации о деятельности министерства; направление обращения\tотдел информационной политики
2\tОфициальная страница министерства в социальной сети «ВКонтакте»\tцифровая\tполучение информации; обратная связь\tотдел информационной политики
3\tТелефон приемной министерства 8 (4712) 55-00-00\tофлайн\tполучение консультации; запись на личный прием\tприемная министра
4\tЛичный прием граждан\tофлайн\tподача обращения; получение консультации\tотдел по работе с обращениями граждан
"""


def test_order_ending_in_its_table_reads_every_row_and_is_not_cut(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text(ORDER_ENDING_IN_ITS_TABLE, encoding="utf-8")
    (d,) = extract_file(path).documents
    assert [(t.name, t.channel, t.kind) for t in d.touchpoints] == [
        ("Официальный сайт министерства (https://digital.rkursk.ru)", "website", "digital"),
        ("Официальная страница министерства в социальной сети «ВКонтакте»", "social_network", "digital"),
        ("Телефон приемной министерства 8 (4712) 55-00-00", "phone", "offline"),
        ("Личный прием граждан", "in_person", "offline"),
    ]
    assert d.touchpoints[0].needs == ["получение информации о деятельности министерства", "направление обращения"]
    # the last paragraph is the table's title and the table follows it: the file is whole
    assert not [w for w in d.warnings if w.code == "truncated"]



# A распоряжение approving the Порядок and the Перечень by sub-items, then the Перечень as a
# list in two kinds whose numbering goes on from one kind to the next (1–4, then 5–7).
ORDER_WITH_A_LIST_IN_TWO_KINDS = """КОМИТЕТ ПО ТАРИФАМ И ЦЕНООБРАЗОВАНИЮ ЛЕНИНГРАДСКОЙ ОБЛАСТИ

РАСПОРЯЖЕНИЕ

от 12 февраля 2024 года № 15-р

Об утверждении Порядка ведения перечня точек взаимодействия и перечня точек взаимодействия комитета по тарифам и ценообразованию Ленинградской области

В целях реализации распоряжения Правительства Российской Федерации от 6 октября 2021 года № 2816-р:

1. Утвердить:
1.1. Порядок ведения перечня точек взаимодействия комитета по тарифам и ценообразованию Ленинградской области согласно приложению 1.
1.2. Перечень точек взаимодействия комитета по тарифам и ценообразованию Ленинградской области согласно приложению 2.
2. Ответственным за ведение перечня точек взаимодействия назначить отдел правового обеспечения.
3. Обеспечить размещение актуализированного перечня на официальном сайте комитета в течение 10 рабочих дней со дня его утверждения.
4. Контроль за исполнением настоящего распоряжения оставляю за собой.

Председатель комитета                                        Д.А. Смирнов

Приложение 2
к распоряжению комитета
от 12.02.2024 № 15-р

ПЕРЕЧЕНЬ ТОЧЕК ВЗАИМОДЕЙСТВИЯ КОМИТЕТА ПО ТАРИФАМ И ЦЕНООБРАЗОВАНИЮ ЛЕНИНГРАДСКОЙ ОБЛАСТИ

Цифровые точки взаимодействия:
1. Официальный сайт комитета в информационно-телекоммуникационной сети «Интернет» – получение информации, подача обращений;
2. Официальная страница комитета в социальной сети «ВКонтакте» – получение информации;
3. Телеграм-канал комитета – получение информации;
4. Электронная почта комитета – подача обращений, направление запросов.
Офлайн точки взаимодействия:
5. Телефон приемной комитета – получение консультации;
6. Личный прием граждан – подача обращений, получение консультации;
7. Почтовая связь – направление письменных обращений.
"""


def test_list_numbering_goes_on_across_kinds_and_an_approval_item_is_no_heading(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text(ORDER_WITH_A_LIST_IN_TWO_KINDS, encoding="utf-8")
    (d,) = extract_file(path).documents
    assert [(t.name, t.kind) for t in d.touchpoints] == [
        ("Официальный сайт комитета в информационно-телекоммуникационной сети «Интернет»", "digital"),
        ("Официальная страница комитета в социальной сети «ВКонтакте»", "digital"),
        ("Телеграм-канал комитета", "digital"),
        ("Электронная почта комитета", "digital"),
        ("Телефон приемной комитета", "offline"),
        ("Личный прием граждан", "offline"),
        ("Почтовая связь", "offline"),
    ]
    assert d.touchpoints[6].needs == ["направление письменных обращений"]
    assert d.touchpoints[6].need_codes == ["submission"]
    # "1.2. Перечень точек взаимодействия … согласно приложению 2." is what the order approves
    assert not [w for w in d.warnings if w.code in ("perechen_empty", "need_unmatched")]
    assert sorted((a.kind, a.present) for a in d.appendices) == [("perechen", True), ("poryadok", False)]


def test_docx_header_over_two_rows_with_a_cell_merged_across(tmp_path):
    # | № п/п | Точка взаимодействия (merged over two columns) | Удовлетворяемые потребности |
    # |  (merged down)  | Наименование | Тип |  (merged down)  |
    import docx

    d = docx.Document()
    for t in ["МИНИСТЕРСТВО ТРАНСПОРТА И ДОРОЖНОГО ХОЗЯЙСТВА УДМУРТСКОЙ РЕСПУБЛИКИ", "ПРИКАЗ",
              "от 3 июня 2024 года № 112", "Об утверждении перечня точек взаимодействия",
              "В целях реализации распоряжения Правительства Российской Федерации от 6 октября 2021 года "
              "№ 2816-р приказываю:",
              "1. Утвердить прилагаемый перечень точек взаимодействия.", "Министр\tИ.И. Иванов",
              "Приложение к приказу Министерства от 3 июня 2024 года № 112", "Перечень точек взаимодействия"]:
        d.add_paragraph(t)
    tb = d.add_table(rows=2, cols=4)
    tb.cell(0, 1).merge(tb.cell(0, 2)).text = "Точка взаимодействия"
    tb.cell(0, 0).merge(tb.cell(1, 0)).text = "№ п/п"
    tb.cell(0, 3).merge(tb.cell(1, 3)).text = "Удовлетворяемые потребности"
    tb.cell(1, 1).text, tb.cell(1, 2).text = "Наименование", "Тип"
    for r in [("1", "Официальный сайт Министерства", "цифровая", "Получение информации\nПодача обращений"),
              ("2", "Группа Министерства в социальной сети «ВКонтакте»", "цифровая", "Получение информации"),
              ("3", "Единый контакт-центр", "офлайн", "Получение консультации")]:
        for c, v in zip(tb.add_row().cells, r):
            c.text = v
    path = tmp_path / "order.docx"
    d.save(path)
    (doc,) = extract_file(path).documents
    assert [(t.row, t.name, t.channel, t.kind, t.needs) for t in doc.touchpoints] == [
        (1, "Официальный сайт Министерства", "website", "digital", ["Получение информации", "Подача обращений"]),
        (2, "Группа Министерства в социальной сети «ВКонтакте»", "social_network", "digital", ["Получение информации"]),
        (3, "Единый контакт-центр", "call_center", "offline", ["Получение консультации"]),
    ]
    assert not [w for w in doc.warnings if w.code in ("channel_unmatched", "column_unmapped")]


def test_docx_channel_column_printing_the_kind_merged_down(tmp_path):
    # | Канал взаимодействия | Точка взаимодействия | Потребности клиента |, the first column merged
    # down over its rows and printing «Цифровой» / «Офлайн»: the kind, the name gives the channel
    import docx

    d = docx.Document()
    for t in ["КОМИТЕТ ПО ФИЗИЧЕСКОЙ КУЛЬТУРЕ И СПОРТУ ЛЕНИНГРАДСКОЙ ОБЛАСТИ", "РАСПОРЯЖЕНИЕ",
              "от 22 апреля 2024 года № 77-р", "Об утверждении перечня точек взаимодействия",
              "1. Утвердить перечень точек взаимодействия комитета согласно приложению.",
              "Председатель комитета\tП.П. Петров", "Приложение к распоряжению комитета от 22.04.2024 № 77-р",
              "Перечень точек взаимодействия комитета по физической культуре и спорту Ленинградской области"]:
        d.add_paragraph(t)
    tb = d.add_table(rows=1, cols=3)
    for c, v in zip(tb.rows[0].cells, ["Канал взаимодействия", "Точка взаимодействия", "Потребности клиента"]):
        c.text = v
    for r in [("", "Официальный сайт комитета", "Получение информации"), ("", "Telegram-канал комитета", "Получение информации"),
              ("", "Личный прием", "Подача обращений"), ("", "Телефон приемной", "Получение консультации")]:
        for c, v in zip(tb.add_row().cells, r):
            c.text = v
    tb.cell(1, 0).merge(tb.cell(2, 0)).text = "Цифровой"
    tb.cell(3, 0).merge(tb.cell(4, 0)).text = "Офлайн"
    path = tmp_path / "order.docx"
    d.save(path)
    (doc,) = extract_file(path).documents
    assert [(t.name, t.channel, t.kind) for t in doc.touchpoints] == [
        ("Официальный сайт комитета", "website", "digital"), ("Telegram-канал комитета", "messenger", "digital"),
        ("Личный прием", "in_person", "offline"), ("Телефон приемной", "phone", "offline")]
    assert not [w for w in doc.warnings if w.code == "channel_unmatched"]
