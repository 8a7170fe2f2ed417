"""Tables drawn with box characters, as legal databases export acts to plain
text (КонсультантПлюс, Кодекс), in ASCII, and as markdown: the Перечень in
them is read row by row, with multi-line cells joined."""

from __future__ import annotations

import pytest

from pipeline.boxtables import is_box_row, is_rule, tables_from_box_lines
from pipeline.document import split_lines
from pipeline.extract.touchpoint_table import TableWalk
from pipeline.run import extract_file

HEAD = """ДЕПАРТАМЕНТ ЗДРАВООХРАНЕНИЯ ВОРОНЕЖСКОЙ ОБЛАСТИ

ПРИКАЗ

от 10 апреля 2024 г. N 812

ОБ УТВЕРЖДЕНИИ ПЕРЕЧНЯ ТОЧЕК ВЗАИМОДЕЙСТВИЯ

В соответствии с распоряжением Правительства Российской Федерации от 06.10.2021 N 2816-р приказываю:

1. Утвердить прилагаемый перечень точек взаимодействия департамента здравоохранения Воронежской области с клиентами.
2. Контроль за исполнением настоящего приказа оставляю за собой.

Руководитель департамента
А.В.Щукин

Утвержден
приказом
департамента здравоохранения
Воронежской области
от 10 апреля 2024 г. N 812

ПЕРЕЧЕНЬ
ТОЧЕК ВЗАИМОДЕЙСТВИЯ ДЕПАРТАМЕНТА ЗДРАВООХРАНЕНИЯ ВОРОНЕЖСКОЙ ОБЛАСТИ С КЛИЕНТАМИ

"""

BOX = """┌────┬────────────────────────────┬──────────────┬─────────────────────────────┐
│ N  │  Наименование точки        │ Вид точки    │ Потребности клиента         │
│п/п │  взаимодействия            │              │                             │
├────┼────────────────────────────┼──────────────┼─────────────────────────────┤
│ 1  │Официальный сайт            │цифровая      │получение информации;        │
│    │департамента                │              │подача обращений             │
├────┼────────────────────────────┼──────────────┼─────────────────────────────┤
│ 2  │Телефон "горячей линии"     │офлайн        │получение консультации       │
├────┼────────────────────────────┼──────────────┼─────────────────────────────┤
│ 3  │Личный прием граждан        │офлайн        │подача обращений             │
└────┴────────────────────────────┴──────────────┴─────────────────────────────┘
"""

# ASCII, rows not ruled off from each other, a word hyphenated at the column's edge
ASCII = """+----+----------------------------+--------------+-----------------------------+
| N  |  Наименование точки        | Вид точки    | Потребности клиента         |
|п/п |  взаимодей-                |              |                             |
|    |  ствия                     |              |                             |
+----+----------------------------+--------------+-----------------------------+
| 1  |Официальный сайт            |цифровая      |получение информации;        |
|    |департамента                |              |подача обращений             |
| 2  |Телефон "горячей линии"     |офлайн        |получение консультации       |
| 3  |Личный прием граждан        |офлайн        |подача обращений             |
+----+----------------------------+--------------+-----------------------------+
"""

MARKDOWN = """| № п/п | Наименование точки взаимодействия | Вид точки | Потребности клиента |
|---|---|:---:|---|
| 1 | Официальный сайт департамента | цифровая | получение информации; подача обращений |
| 2 | Телефон "горячей линии" | офлайн | получение консультации |
| 3 | Личный прием граждан | офлайн | подача обращений |
"""

EXPECTED = [
    ("Официальный сайт департамента", "website", "digital", ["получение информации", "подача обращений"]),
    ('Телефон "горячей линии"', "phone", "offline", ["получение консультации"]),
    ("Личный прием граждан", "in_person", "offline", ["подача обращений"]),
]


def _order(tmp_path, table: str):
    path = tmp_path / "order.txt"
    path.write_text(HEAD + table, encoding="utf-8")
    (d,) = extract_file(path).documents
    return d


def test_rules_and_rows_are_told_apart():
    assert is_rule("├────┼────────┤") and is_rule("+----+-----+") and is_rule("|---|:---:|")
    assert not is_rule("│ 1  │Официальный сайт │") and not is_rule("-- Иванов")
    assert is_box_row("│ 1  │Официальный сайт │") and is_box_row("| 1 | Сайт |")
    assert not is_box_row("Исполняющий обязанности |")


def test_ascii_table_with_unruled_rows_and_a_hyphenated_header(tmp_path):
    text = HEAD + ASCII
    tables = tables_from_box_lines(text, split_lines(text))
    assert [c.text for c in tables[0].rows[0]] == ["N п/п", "Наименование точки взаимодействия", "Вид точки",
                                                  "Потребности клиента"]
    assert len(tables[0].rows) == 4
    d = _order(tmp_path, ASCII)
    assert [(t.name, t.channel, t.kind, t.needs) for t in d.touchpoints] == EXPECTED


def test_markdown_table(tmp_path):
    d = _order(tmp_path, MARKDOWN)
    assert [(t.name, t.channel, t.kind, t.needs) for t in d.touchpoints] == EXPECTED


def test_cells_keep_the_offsets_of_what_they_print():
    text = HEAD + BOX
    (table,) = tables_from_box_lines(text, split_lines(text))
    cell = table.rows[1][1]
    assert cell.text == "Официальный сайт департамента"
    assert text[cell.start : cell.start + len("Официальный сайт")] == "Официальный сайт"
    assert text[: cell.end].endswith("департамента")


# A web page's table as its text is copied or saved: one cell a line; the needs of a row
# over several lines, the last row's too
CELL_A_LINE = """№ п/п
Наименование точки взаимодействия
Вид точки
Потребности клиента
1
Официальный сайт департамента
цифровая
получение информации
подача обращений
2
Телефон "горячей линии"
офлайн
получение консультации
3
Личный прием граждан
офлайн
подача обращений
Руководитель департамента   А.В.Щукин
"""


def test_numbered_lines_without_a_number_header_are_no_table(tmp_path):
    from pipeline.linetables import tables_from_cell_lines

    text = "Состав группы\n1\nИванов\n2\nПетров\n3\nСидоров\n"
    assert tables_from_cell_lines(text, split_lines(text)) == []


# A PDF's text saved with its layout: columns are gutters of spaces; «п/п» under «№»,
# a name wrapped inside its column
SPACED = """№    Наименование точки взаимодействия       Вид точки     Потребности клиента
п/п
1    Официальный сайт                        цифровая      получение информации; подача обращений
     департамента
2    Телефон "горячей линии"                 офлайн        получение консультации
3    Личный прием граждан                    офлайн        подача обращений
"""


@pytest.mark.parametrize("table", [BOX, CELL_A_LINE, SPACED], ids=["box-drawn", "one-cell-a-line", "spaces"])
def test_perechen_in_a_text_export(tmp_path, table):
    d = _order(tmp_path, table)
    assert [(t.row, t.name, t.channel, t.kind, t.needs) for t in d.touchpoints] == [
        (1, *EXPECTED[0]), (2, *EXPECTED[1]), (3, *EXPECTED[2])]
    # the table's lines are the table, not paragraphs of the order
    assert not [w for w in d.warnings if w.code in ("truncated", "channel_unmatched")]


def test_aligned_lines_are_a_table_only_under_a_perechen_header():
    # an approval sheet laid out with spaces: three aligned rows, but its first one names no
    # Перечень column, so it stays text; the same rows are a grid once a header is accepted
    from pipeline.extract.touchpoint_spaces import space_tables

    sheet = """Заместитель министра        ______________    И.И. Иванов
Начальник отдела            ______________    П.П. Петров
Главный специалист          ______________    С.С. Сидоров
"""
    lines = split_lines(sheet)
    walk = TableWalk(ctx=None)  # the header test reads only the column vocabulary
    assert space_tables(lines, set(), walk.is_perechen_header) == []
    (grid,) = space_tables(lines, set(), lambda cells: True)
    assert [c.text for c in grid.rows[1]] == ["Начальник отдела", "______________", "П.П. Петров"]
