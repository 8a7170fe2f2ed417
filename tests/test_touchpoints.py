"""The Перечень точек взаимодействия: table (Северная Осетия 2026), list
(Дагестан order and draft), declared-but-absent (Сахалин, Алтай), and full
grids as the DOCX/PDF readers will give them.

Only this step runs here (reader → segment → touchpoints.extract), so these
tests do not depend on the other extraction steps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import Context, touchpoints
from pipeline.models import Document
from pipeline.document import SourceText, TextBuilder
from pipeline.readers.txt import TextReader
from pipeline.segment import DocSlice, segment

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
OSSETIA_2026 = "north-ossetia-employment-committee-2026-03-23-22-2.txt"
OSSETIA_2023 = "north-ossetia-employment-committee-2023-09-09-78-r.txt"
DAGESTAN = "dagestan-industry-trade-ministry-2024-09-27-154-od.txt"
SAKHALIN = "sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt"
ALTAI = "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt"

_CACHE: dict[str, list[Document]] = {}


def _run(src: SourceText, slices: list[DocSlice]) -> list[Document]:
    docs = []
    for n, sl in enumerate(slices, 1):
        doc = Document(id=f"d{n}", kind=sl.kind, span=src.line_span(sl.first_line, sl.last_line))
        if sl.kind == "order":
            touchpoints.extract(Context(src, sl, doc))
        docs.append(doc)
    return docs


def docs_of(name: str) -> list[Document]:
    if name not in _CACHE:
        path = CORPUS / name
        src = TextReader().read(path, path.read_bytes())
        _CACHE[name] = _run(src, segment(src))
    return _CACHE[name]


def warnings(doc: Document, code: str):
    return [w for w in doc.warnings if w.code == code]


# ------------------------------------------------- table: Северная Осетия 2026

# (row, name, channel, kind, need_codes, line) — every touchpoint of the table.
# The issue says 14 in 4 rows: row 1 = 3, row 2 = 4, row 3 = 5, row 4 = 2
# (the last line of the file, 186, is row 4's «Телефонная связь»).
I = ["info", "status", "result"]
IC = ["info", "status", "consultation", "result"]
TABLE = [
    (1, "СЭД", "edms", "digital", I, 169),
    (1, "Сообщества Комитета в социальных сетях", "social_network", "digital", I, 170),
    (1, "Каналы и публичные чаты Комитета в мессенджерах", "messenger", "digital", I, 171),
    (2, "Кабинеты внутренних клиентов", "in_person", "offline", I, 174),
    (2, "Электронная почта", "email", "digital", I, 175),
    (2, "Сообщества Комитета в социальных сетях", "social_network", "digital", I, 176),
    (2, "Каналы и публичные чаты Комитета в мессенджерах", "messenger", "digital", I, 177),
    (3, "СЭД", "edms", "digital", IC, 179),
    (3, "Сообщества Комитета в социальных сетях", "social_network", "digital", IC, 180),
    (3, "Электронная почта", "email", "digital", IC, 181),
    (3, "Каналы и публичные чаты Комитета в мессенджерах", "messenger", "digital", IC, 182),
    (3, "Кабинеты внутренних клиентов / рабочее место внутренних клиентов", "in_person", "digital", IC, 184),
    (4, "Кабинеты внутренних клиентов / рабочее место внутренних клиентов", "in_person", "offline", IC, 185),
    (4, "Телефонная связь", "phone", "offline", ["info", "status", "appointment"], 186),
]
DIRECTION = "Взаимодействие с внешним и внутренним клиентами в рамках рассмотрения обращений и запросов Комитета"
SERVICES = {
    1: "Прием и регистрация обращений и запросов",
    2: "Уведомление о переадресации обращения по компетенции",
    3: "Рассмотрение обращений и запросов подготовка ответов на них",
    4: "Личный прием граждан",
}


@pytest.fixture(scope="module")
def ossetia():
    (doc,) = docs_of(OSSETIA_2026)
    return doc


def test_table_has_14_touchpoints_in_4_rows(ossetia):
    tps = ossetia.touchpoints
    assert len(tps) == 14
    assert [sum(t.row == r for t in tps) for r in (1, 2, 3, 4)] == [3, 4, 5, 2]


@pytest.mark.parametrize("i,expected", list(enumerate(TABLE)))
def test_table_touchpoint(ossetia, i, expected):
    row, name, channel, kind, codes, line = expected
    tp = ossetia.touchpoints[i]
    assert (tp.row, tp.row_label, tp.name, tp.channel, tp.kind, tp.need_codes) == \
        (row, f"{row}.", name, channel, kind, codes)
    assert tp.kind_source == "source"
    assert tp.source == "table"
    assert tp.channel_match == "lemma"
    assert tp.direction == DIRECTION and tp.direction_code == "appeals"
    assert tp.service == SERVICES[row]
    assert tp.features in ("Цифровая точка", "Офлайн - точка")
    assert tp.span.line == line


def test_table_needs_split_per_need(ossetia):
    tps = ossetia.touchpoints
    assert tps[0].needs == [
        "Получение информации в том числе о ходе рассмотрения запроса",
        "Получение информации, в том числе о ходе рассмотрения документов",
        "Получение ответа",
    ]
    # "Получение консультации Получение информации…": the period is missing
    assert tps[8].needs == [
        "Получение информации, в том числе о ходе рассмотрения запроса",
        "Получение консультации",
        "Получение информации, в том числе о ходе рассмотрения документов",
        "Получение ответа",
    ]
    assert tps[13].needs == ["Получение информации, в том числе о ходе рассмотрения документов",
                             "Запись на личный прием"]


def test_table_spans_cover_the_cells(ossetia):
    from pipeline.readers.txt import TextReader

    path = CORPUS / OSSETIA_2026
    text = TextReader().read(path, path.read_bytes()).text
    tp = ossetia.touchpoints[4]
    assert text[tp.span.start : tp.span.end] == (
        "Электронная почта\tПолучение информации, в том числе о ходе рассмотрения запроса. Получение информации, "
        "в том числе о ходе рассмотрения документов. Получение ответа\tЦифровая точка")


def test_page_break_spill_is_joined_to_row_1(ossetia):
    tp = ossetia.touchpoints[2]
    assert tp.row == 1
    assert tp.name_raw == "Каналы и публичные чаты Комитет в мессенджерах"
    assert tp.name == "Каналы и публичные чаты Комитета в мессенджерах"  # printed form found elsewhere in the table
    assert tp.needs == [
        "Получение информации, в том числе о ходе рассмотрения запроса",
        "Получение информации, в том числе о ходе рассмотрения документов",
        "Получение ответа",
    ]
    assert (tp.span.line, tp.span.end_line) == (171, 172)
    (w,) = warnings(ossetia, "table_spill_joined")
    assert (w.span.line, w.span.end_line) == (172, 172)
    assert "Комитет в мессенджерах" in w.message and "row 1" in w.message
    (n,) = warnings(ossetia, "table_name_normalized")
    assert (n.span.line, n.span.end_line) == (171, 172)


def test_spill_does_not_become_a_row_2_touchpoint(ossetia):
    assert not any(t.name.startswith("Комитет в мессенджерах") for t in ossetia.touchpoints)
    assert [t.name for t in ossetia.touchpoints if t.row == 2][0] == "Кабинеты внутренних клиентов"


def test_ragged_lines_are_reported(ossetia):
    (w,) = warnings(ossetia, "table_row_ragged")
    assert (w.span.line, w.span.end_line) == (174, 177)
    assert "row 2" in w.message


def test_printed_kind_kept_when_channel_disagrees(ossetia):
    (w,) = warnings(ossetia, "kind_channel_mismatch")
    assert w.span.line == 184
    assert ossetia.touchpoints[11].kind == "digital"


def test_header_and_column_number_rows_are_not_data(ossetia):
    names = {t.name for t in ossetia.touchpoints}
    assert "Точка взаимодействия" not in names and "4" not in names
    assert not warnings(ossetia, "perechen_missing")
    assert not warnings(ossetia, "table_cell_unplaced")


# ------------------------------------------------------------ list: Дагестан

LIST = [
    ("официальный сайт Министерства в информационно-телекоммуникационной сети «Интернет» (Портал)", "website",
     "digital"),
    ("электронная почта Министерства", "email", "digital"),
    ("СЭД Дело", "edms", "digital"),
    ("платформа обратной связи", "feedback_platform", "digital"),
    ("телефонная связь", "phone", "offline"),
    ("кабинеты внутренних клиентов", "in_person", "offline"),
    ("рабочее место клиентов", "in_person", "offline"),
]


@pytest.mark.parametrize("doc_index,first_line", [(0, 221), (2, 455)])
def test_list_touchpoints(doc_index, first_line):
    doc = docs_of(DAGESTAN)[doc_index]
    assert [(t.name, t.channel, t.kind) for t in doc.touchpoints] == LIST
    assert all(t.source == "list" and t.kind_source == "source" for t in doc.touchpoints)
    assert all(t.name_raw == t.name and t.row is None for t in doc.touchpoints)
    assert doc.touchpoints[0].span.line == first_line
    assert not warnings(doc, "perechen_missing")


def test_list_spans_point_at_the_item_text():
    path = CORPUS / DAGESTAN
    text = TextReader().read(path, path.read_bytes()).text
    for doc in (docs_of(DAGESTAN)[0], docs_of(DAGESTAN)[2]):
        for tp in doc.touchpoints:
            assert text[tp.span.start : tp.span.end] == tp.name


def test_memo_has_no_touchpoints_and_no_warning():
    memo = docs_of(DAGESTAN)[1]
    assert memo.kind == "memo"
    assert memo.touchpoints == [] and memo.warnings == []


# ------------------------------------------------------ declared but absent

@pytest.mark.parametrize("name,line,quote", [
    (SAKHALIN, 98, "Перечень формируется по форме согласно приложению"),
    (ALTAI, 28, "Утвердить Перечень точек взаимодействия"),
])
def test_declared_but_absent_perechen(name, line, quote):
    (doc,) = docs_of(name)
    assert doc.touchpoints == []
    (w,) = warnings(doc, "perechen_missing")
    assert (w.span.line, w.span.end_line) == (line, line)
    assert quote in w.message and "no touchpoints" in w.message


def test_no_warning_where_no_perechen_is_mentioned():
    (doc,) = docs_of(OSSETIA_2023)
    assert doc.touchpoints == []
    assert not warnings(doc, "perechen_missing")


# ------------------------------------------- full grids (DOCX / PDF readers)

HEADER = ["№ п/п", "Направление деятельности", "Наименование услуги/функции", "Точка взаимодействия",
          "Удовлетворяемые потребности клиента", "Особенности взаимодействия с клиентом"]


def _grid_doc(grid, merged=True, before=("ПРИКАЗ",), after=()) -> Document:
    b = TextBuilder()
    for line in before:
        b.add(line)
    b.add_table(grid, merged=merged)
    for line in after:
        b.add(line)
    src = b.build(path="t.docx", format="docx", reader="test")
    return _run(src, [DocSlice("order", "приказ", 1, len(src.lines), 1)])[0]


def test_full_grid_with_merged_cells_repeated_header_and_fragment():
    d = "Предоставление государственных услуг"
    grid = [
        HEADER,
        ["1", "2", "3", "4", "5", "6"],
        ["1.", d, "Выдача справок", "Официальный сайт", "Получение информации. Подача заявления", "Цифровая точка"],
        ["1.", d, "Выдача справок", "МФЦ", "Подача заявления", "Офлайн-точка"],
        HEADER,  # the header repeated on the next page
        ["1.", d, "Выдача справок", "", "Получение результата", ""],  # a cell broken by the page
        ["2.", d, "Консультирование", "Горячая линия", "Получение консультации", ""],
    ]
    doc = _grid_doc(grid)
    tps = doc.touchpoints
    assert [(t.row, t.name, t.channel, t.kind, t.kind_source) for t in tps] == [
        (1, "Официальный сайт", "website", "digital", "source"),
        (1, "МФЦ", "mfc", "offline", "source"),
        (2, "Горячая линия", "call_center", "offline", "channel"),  # the source is silent
    ]
    assert tps[1].need_codes == ["submission", "result"]
    assert tps[0].service == "Выдача справок" and tps[0].direction_code == "public_services"
    assert len(warnings(doc, "table_header_repeated")) == 1
    (frag,) = warnings(doc, "table_fragment_joined")
    assert "Получение результата" in frag.message
    assert not warnings(doc, "table_row_ragged")


def test_columns_found_by_header_text_not_position():
    grid = [
        ["Точка взаимодействия", "Вид точки взаимодействия", "Осуществляемое взаимодействие", "Наименование процесса",
         "Направление деятельности", "№"],
        ["Чат-бот в Telegram", "цифровая", "Получение консультации", "Консультирование", "Иные функции", "1"],
        ["Приемная Министерства", "офлайн", "Подача обращения; получение ответа", "Прием обращений",
         "Рассмотрение обращений граждан", "2"],
    ]
    doc = _grid_doc(grid, merged=False)
    assert [(t.row, t.name, t.channel, t.kind, t.need_codes, t.direction_code, t.service) for t in doc.touchpoints] == [
        (1, "Чат-бот в Telegram", "chatbot", "digital", ["consultation"], "other", "Консультирование"),
        (2, "Приемная Министерства", "in_person", "offline", ["submission", "result"], "appeals", "Прием обращений"),
    ]


def test_a_grid_that_is_not_a_perechen_is_ignored():
    grid = [["ФИО", "Должность", "Роль"], ["Иванов И.И.", "министр", "руководитель"]]
    doc = _grid_doc(grid, merged=False)
    assert doc.touchpoints == [] and doc.warnings == []


def test_spill_detected_by_signals_not_by_string():
    grid = [
        HEADER,
        ["1.", "Предоставление государственных услуг", "Выдача справок", "Официальный сайт", "Получение информации",
         "Цифровая точка"],
        ["", "", "", "Страница в социальной", "Получение информации о", "Цифровая точка"],
        ["2.", "Предоставление государственных услуг", "Выдача копий", "сети ВКонтакте", "порядке получения услуги",
         ""],
        ["", "", "", "Телефон", "Получение консультации", "Офлайн-точка"],
    ]
    doc = _grid_doc(grid, merged=False)
    assert [(t.row, t.name, t.needs) for t in doc.touchpoints] == [
        (1, "Официальный сайт", ["Получение информации"]),
        (1, "Страница в социальной сети ВКонтакте", ["Получение информации о порядке получения услуги"]),
        (2, "Телефон", ["Получение консультации"]),
    ]
    assert doc.touchpoints[1].channel == "social_network"
    assert doc.touchpoints[2].service == "Выдача копий"
    (w,) = warnings(doc, "table_spill_joined")
    assert "lower case" in w.message


def test_unnumbered_heading_with_bullets_and_labels():
    lines = [
        "ПРИКАЗ",
        "ПЕРЕЧЕНЬ ТОЧЕК ВЗАИМОДЕЙСТВИЯ С КЛИЕНТОМ",
        "",
        "Цифровые точки:",
        "1) официальный сайт;",
        "2) чат-бот;",
        "Офлайн-точки:",
        "• приемная министерства;",
        "• МФЦ.",
        "",
        "Контроль за исполнением настоящего приказа оставляю за собой.",
    ]
    b = TextBuilder()
    for ln in lines:
        b.add(ln)
    src = b.build(path="t.txt", format="txt", reader="test")
    (doc,) = _run(src, [DocSlice("order", "приказ", 1, len(src.lines), 1)])
    assert [(t.row_label, t.name, t.channel, t.kind) for t in doc.touchpoints] == [
        ("1)", "официальный сайт", "website", "digital"),
        ("2)", "чат-бот", "chatbot", "digital"),
        (None, "приемная министерства", "in_person", "offline"),
        (None, "МФЦ", "mfc", "offline"),
    ]


def test_merged_touchpoint_cell_over_several_needs_rows():
    d, s = "Рассмотрение обращений и запросов", "Прием обращений"
    grid = [
        HEADER,
        ["1.", d, s, "Электронная почта", "Получение информации", "Цифровая точка"],
        ["1.", d, s, "Электронная почта", "Получение ответа", "Цифровая точка"],
        ["1.", d, s, "Личный прием", "Получение консультации", "Офлайн-точка"],
    ]
    doc = _grid_doc(grid, merged=True)
    assert [(t.name, t.needs, t.need_codes, t.kind) for t in doc.touchpoints] == [
        ("Электронная почта", ["Получение информации", "Получение ответа"], ["info", "result"], "digital"),
        ("Личный прием", ["Получение консультации"], ["consultation"], "offline"),
    ]
    assert not warnings(doc, "table_fragment_joined")


def test_table_without_number_column_groups_rows_by_service():
    grid = [
        ["Направление деятельности", "Наименование услуги", "Канал взаимодействия", "Потребности клиента"],
        ["Предоставление государственных услуг", "Выдача справок", "ЕПГУ", "Подача заявления"],
        ["", "", "МФЦ", "Подача заявления; получение результата"],
        ["Предоставление государственных услуг", "Выдача копий", "Почта России", "Получение результата"],
    ]
    doc = _grid_doc(grid, merged=False)
    assert [(t.row, t.service, t.name, t.channel, t.kind_source, t.need_codes) for t in doc.touchpoints] == [
        (None, "Выдача справок", "ЕПГУ", "epgu", "channel", ["submission"]),
        (None, "Выдача справок", "МФЦ", "mfc", "channel", ["submission", "result"]),
        (None, "Выдача копий", "Почта России", "mail", "channel", ["result"]),
    ]
    assert not warnings(doc, "table_row_unnumbered")


def test_text_table_line_with_empty_leading_cells_and_missing_trailing_ones():
    text = "\n".join([
        "ПРИКАЗ",
        "\t".join(HEADER),
        "1.\tОбеспечение доступа к информации\tИнформирование\tОфициальный сайт\tПолучение информации\tЦифровая точка",
        "\t\t\tИнформационный стенд",  # prints its leading empty cells, not the trailing ones
    ])
    from pipeline.document import split_lines, tables_from_tab_lines

    lines = split_lines(text)
    src = SourceText(path="t.txt", format="txt", reader="test", text=text, lines=lines,
                     tables=tables_from_tab_lines(text, lines))
    (doc,) = _run(src, [DocSlice("order", "приказ", 1, len(lines), 1)])
    assert [(t.row, t.name, t.channel, t.kind, t.kind_source) for t in doc.touchpoints] == [
        (1, "Официальный сайт", "website", "digital", "source"),
        (1, "Информационный стенд", "in_person", "offline", "channel"),
    ]
    assert not warnings(doc, "table_row_ragged")


def test_perechen_table_with_unknown_columns_is_reported():
    grid = [["Раздел", "Содержание"], ["1", "Сайт"], ["2", "Телефон"]]
    doc = _grid_doc(grid, merged=False, before=("ПРИКАЗ", "Перечень точек взаимодействия", ""))
    assert doc.touchpoints == []
    (w,) = warnings(doc, "perechen_table_unmapped")
    assert "Раздел | Содержание" in w.message


def test_direction_header_that_mentions_services():
    grid = [
        ["№", "Направление деятельности (функции, услуги)", "Точка взаимодействия", "Удовлетворяемые потребности"],
        ["1.", "Предоставление государственных услуг", "МФЦ", "Подача заявления"],
    ]
    (tp,) = _grid_doc(grid, merged=False).touchpoints
    assert (tp.direction_code, tp.service, tp.channel) == ("public_services", None, "mfc")


def _text_doc(lines: list[str]) -> Document:
    b = TextBuilder()
    for ln in lines:
        b.add(ln)
    src = b.build(path="t.txt", format="txt", reader="test")
    (doc,) = _run(src, [DocSlice("order", "приказ", 1, len(src.lines), 1)])
    return doc


def test_numbered_items_under_a_two_line_title():
    doc = _text_doc([
        "ПРИКАЗ",
        "ПЕРЕЧЕНЬ",
        "точек взаимодействия с клиентом",
        "",
        "1. Официальный сайт министерства;",
        "2. Телефон горячей линии;",
        "3. Приемная министерства.",
        "4. Настоящий приказ вступает в силу со дня подписания.",
    ])
    assert [(t.row_label, t.name, t.channel, t.kind_source) for t in doc.touchpoints] == [
        ("1.", "Официальный сайт министерства", "website", "channel"),
        ("2.", "Телефон горячей линии", "phone", "channel"),
        ("3.", "Приемная министерства", "in_person", "channel"),
    ]


def test_heading_without_items_is_reported():
    doc = _text_doc([
        "ПРИКАЗ",
        "1. Утвердить Перечень точек взаимодействия с клиентом.",
        "Перечень точек взаимодействия",
        "",
        "Настоящий перечень подлежит размещению на официальном сайте.",
    ])
    assert doc.touchpoints == []
    assert [w.code for w in doc.warnings] == ["perechen_empty", "perechen_missing"]
    assert doc.warnings[1].span.line == 2


def _ossetia_as_full_grid(page_break_before_line: int | None = None) -> list[list[str]]:
    """The Северная Осетия table as a DOCX/PDF reader gives it: every row full
    width, merged cells (№, direction, service) repeated on every row."""
    path = CORPUS / OSSETIA_2026
    src = TextReader().read(path, path.read_bytes())
    (table,) = src.tables
    width = len(table.rows[0])
    grid: list[list[str]] = []
    for cells in table.rows:
        texts = [c.text for c in cells]
        if len(texts) < width:
            texts = [""] * (width - len(texts)) + texts
        if cells[0].line == page_break_before_line:
            grid += [list(grid[0]), list(grid[1])]  # header and column numbers repeated on the new page
        if grid and len(grid) > 2 and not texts[0] and texts[3]:
            texts[:3] = grid[-1][:3]  # merged cells carried down
        grid.append(texts)
    return grid


@pytest.mark.parametrize("page_break", [None, 179])
def test_ossetia_table_as_full_grid_gives_the_same_touchpoints(ossetia, page_break):
    doc = _grid_doc(_ossetia_as_full_grid(page_break), merged=True)
    got = [(t.row, t.name, t.name_raw, t.channel, t.kind, t.need_codes, t.needs, t.service)
           for t in doc.touchpoints]
    want = [(t.row, t.name, t.name_raw, t.channel, t.kind, t.need_codes, t.needs, t.service)
            for t in ossetia.touchpoints]
    assert got == want
    assert len(warnings(doc, "table_spill_joined")) == 1
    assert len(warnings(doc, "table_header_repeated")) == (1 if page_break else 0)
    assert not warnings(doc, "table_row_ragged")


def test_inline_list_and_kind_printed_after_the_name():
    doc = _text_doc([
        "ПРИКАЗ",
        "Перечень точек взаимодействия: официальный сайт, электронная почта, МФЦ.",
        "",
        "Перечень точек взаимодействия с клиентом",
        "- официальный сайт – цифровая точка;",
        "- телефонная связь (офлайн-точка);",
        "- официальный сайт Министерства (Портал).",
    ])
    assert [(t.name, t.channel, t.kind, t.kind_source) for t in doc.touchpoints] == [
        ("официальный сайт", "website", "digital", "channel"),
        ("электронная почта", "email", "digital", "channel"),
        ("МФЦ", "mfc", "offline", "channel"),
        ("официальный сайт", "website", "digital", "source"),
        ("телефонная связь", "phone", "offline", "source"),
        ("официальный сайт Министерства (Портал)", "website", "digital", "channel"),
    ]
    src_text = "\n".join(ln for ln in [
        "ПРИКАЗ", "Перечень точек взаимодействия: официальный сайт, электронная почта, МФЦ."])
    tp = doc.touchpoints[1]
    assert src_text[tp.span.start : tp.span.end] == "электронная почта"


# ------------------------------- the same Перечень through the DOCX / PDF readers

def _tp_key(t):
    return (t.row, t.row_label, t.name, t.channel, t.kind, t.kind_source, t.needs, t.need_codes, t.direction,
            t.service, t.features, t.source)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", [OSSETIA_2026, DAGESTAN])
def test_same_touchpoints_from_docx_and_pdf(tmp_path, fmt, name):
    """The corpus order rendered to DOCX (Word numbering, merged table cells) or
    PDF (pages, table finder) gives the touchpoints of the text."""
    fixtures = pytest.importorskip(f"tests.fixtures.make_{fmt}")
    from pipeline.readers import read_file

    out = tmp_path / f"order.{fmt}"
    getattr(fixtures, f"build_{fmt}")((CORPUS / name).read_text(encoding="utf-8"), out)
    src = read_file(out)
    docs = _run(src, segment(src))
    assert [[_tp_key(t) for t in d.touchpoints] for d in docs] == \
        [[_tp_key(t) for t in d.touchpoints] for d in docs_of(name)]


def test_column_number_row_as_ocr_reads_it_is_not_data():
    grid = [
        HEADER,
        ["1", "2", "З", "", "5", "6"],  # as Tesseract read it from the scanned Северная Осетия table
        ["1.", "Рассмотрение обращений", "Прием обращений", "СЭД", "Получение ответа", "Цифровая точка"],
        ["1.", "Рассмотрение обращений", "Прием обращений", "Телефон", "Получение консультации", "Офлайн - точка"],
    ]
    doc = _grid_doc(grid, merged=True)
    assert [(t.row, t.name) for t in doc.touchpoints] == [(1, "СЭД"), (1, "Телефон")]
    assert doc.warnings == []


def _text_src(lines: list[str]) -> SourceText:
    from pipeline.document import split_lines, tables_from_tab_lines

    text = "\n".join(lines)
    ls = split_lines(text)
    return SourceText(path="t.txt", format="txt", reader="test", text=text, lines=ls,
                      tables=tables_from_tab_lines(text, ls))


def test_text_table_broken_by_a_line_without_tabs_continues():
    src = _text_src([
        "ПРИКАЗ",
        "\t".join(HEADER),
        "1.\tОбеспечение доступа к информации\tИнформирование\tОфициальный сайт\tПолучение информации\tЦифровая точка",
        "- 7 -",  # a page number printed between the two halves
        "\t\t\tЭлектронная почта\tПолучение ответа\tЦифровая точка",
        "2.\tОбеспечение доступа к информации\tКонсультирование\tТелефон\tПолучение консультации\tОфлайн-точка",
    ])
    (doc,) = _run(src, [DocSlice("order", "приказ", 1, len(src.lines), 1)])
    assert [(t.row, t.name) for t in doc.touchpoints] == [(1, "Официальный сайт"), (1, "Электронная почта"),
                                                          (2, "Телефон")]
    (w,) = warnings(doc, "table_line_unplaced")
    assert w.span.line == 4 and "- 7 -" in w.message
    assert len(warnings(doc, "table_continued")) == 1


def test_cells_beyond_the_header_are_reported():
    src = _text_src([
        "ПРИКАЗ",
        "\t".join(HEADER),
        "1.\tОбеспечение доступа к информации\tИнформирование\tОфициальный сайт\tПолучение информации\tЦифровая точка"
        "\tлишняя ячейка",
    ])
    (doc,) = _run(src, [DocSlice("order", "приказ", 1, len(src.lines), 1)])
    assert [t.name for t in doc.touchpoints] == ["Официальный сайт"]
    (w,) = warnings(doc, "table_cell_unplaced")
    assert "лишняя ячейка" in w.message
    assert src.text[w.span.start : w.span.end] == "лишняя ячейка"


def test_a_numbered_row_without_touchpoints_is_reported():
    grid = [
        HEADER,
        ["1.", "Обеспечение доступа к информации", "Информирование", "Официальный сайт", "Получение информации",
         "Цифровая точка"],
        ["2.", "Обеспечение доступа к информации", "Консультирование", "", "", ""],
    ]
    doc = _grid_doc(grid, merged=False)
    assert [t.row for t in doc.touchpoints] == [1]
    (w,) = warnings(doc, "table_row_empty")
    assert "row 2" in w.message and w.span.line == 4


def test_row_numbers_as_ocr_reads_them():
    d = "Рассмотрение обращений и запросов"
    grid = [
        HEADER,
        ["1.", d, "Прием обращений", "СЭД", "Получение ответа", "Цифровая точка"],
        ["2.", d, "Переадресация", "Электронная почта", "Получение информации", "Цифровая точка"],
        ["2.", d, "Подготовка ответов", "Телефон", "Получение консультации", "Офлайн-точка"],  # № carried down
        ["2.", d, "Подготовка ответов", "Кабинет", "Получение консультации", "Офлайн-точка"],
        ["", d, "Личный прием", "Кабинет", "Запись на личный прием", "Офлайн-точка"],  # № lost
        ["5:", d, "Выезд", "Место нахождения клиента", "Получение консультации", "Офлайн-точка"],  # '5:' for '5.'
    ]
    doc = _grid_doc(grid, merged=True)
    assert [(t.row, t.row_label, t.service) for t in doc.touchpoints] == [
        (1, "1.", "Прием обращений"),
        (2, "2.", "Переадресация"),
        (3, None, "Подготовка ответов"),
        (3, None, "Подготовка ответов"),
        (4, None, "Личный прием"),
        (5, "5:", "Выезд"),
    ]
    inferred = warnings(doc, "table_row_number_inferred")
    assert [w.span.line for w in inferred] == [5, 7]
    assert "'2.' repeats it" in inferred[0].message and "is empty" in inferred[1].message


def test_lower_case_table_style_is_no_spill_signal():
    grid = [
        HEADER,
        ["1.", "Предоставление государственных услуг", "Выдача справок", "официальный сайт",
         "получение информации о", ""],
        ["", "", "", "электронная почта", "подача заявления", ""],
        ["", "", "", "МФЦ", "подача заявления; получение результата", "очный прием"],
    ]
    doc = _grid_doc(grid, merged=False)
    assert [t.name for t in doc.touchpoints] == ["официальный сайт", "электронная почта", "МФЦ"]
    assert not warnings(doc, "table_spill_joined")
