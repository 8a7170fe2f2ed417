"""Requisites in shapes the real corpus has too few of: federal acts, an
editorial correction of the act's date, signatures with a 'подпись' mark,
the issuer's level. The texts follow the wording of Гарант pages and of
signed orders; values are read off them by hand."""

from __future__ import annotations

import pytest

from pipeline.document import SourceText, split_lines
from pipeline.extract import extract_documents
from pipeline.extract.link import issuer_level
from pipeline.patterns import signature_line


def _doc(text: str):
    src = SourceText(path="x.txt", format="txt", reader="text", text=text, lines=split_lines(text))
    docs = extract_documents(src)
    return src, docs[0]


FEDERAL = """Приказ Министерства труда и социальной защиты Российской Федерации от 1 марта 2024 г. N 100н
"Об утверждении методических рекомендаций по внедрению стандарта клиентоцентричности"

В соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 г. N 2816-р приказываю:
1. Утвердить прилагаемые методические рекомендации.
2. Контроль за исполнением настоящего приказа оставляю за собой.

Министр                                                         А.О. Котяков
"""


def test_federal_act_has_no_region_and_a_federal_issuer():
    _, d = _doc(FEDERAL)
    m = d.meta
    assert (m.doc_type, m.date, m.number) == ("приказ", "2024-03-01", "100н")
    assert m.agency == "Министерство труда и социальной защиты Российской Федерации"
    assert (m.region, m.region_code, m.level) == (None, None, "federal")
    assert m.title == "Об утверждении методических рекомендаций по внедрению стандарта клиентоцентричности"
    assert [a.number for a in m.legal_basis] == ["2816-р"]
    assert (m.signatory.position, m.signatory.name) == ("Министр", "А.О. Котяков")


CORRECTED = """Приказ Министерства цифрового развития Тульской области от 12 февраля 2023 г. N 31
"Об утверждении Порядка ведения перечня точек взаимодействия"
ГАРАНТ: По-видимому, в тексте предыдущего абзаца допущена опечатка. Дату названного приказа следует читать как "12 февраля 2024 г."

В соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 г. N 2816-р приказываю:
1. Утвердить прилагаемый Порядок.

Министр                                                         И.И. Иванов
"""


def test_editorial_note_corrects_the_date_and_keeps_the_printed_one():
    src, d = _doc(CORRECTED)
    m = d.meta
    assert m.date == "2024-02-12"
    assert m.sources["date_printed"].raw == "12 февраля 2023 г."
    assert m.sources["date"].span.line == 3
    assert any(w.code == "date_corrected" for w in d.warnings)
    assert [w.code for w in src.warnings] == ["editorial_database_note"]  # the note itself is no value


@pytest.mark.parametrize("line,position,name", [
    ("Министр здравоохранения подпись И.И. Иванов", "Министр здравоохранения", "И.И. Иванов"),
    ("Министр здравоохранения   /подпись/   И.И. Иванов", "Министр здравоохранения", "И.И. Иванов"),
    ("Председатель (подпись) А.В. Эммануилиди", "Председатель", "А.В. Эммануилиди"),
])
def test_signature_mark_is_not_part_of_the_position(line, position, name):
    assert signature_line(line) == (position, name)


@pytest.mark.parametrize("agency,region,level", [
    ("Правительство Самарской области", "Самарская область", "regional"),
    ("Администрация муниципального образования «Сычевский муниципальный округ» Смоленской области", "Смоленская область", "municipal"),
    ("Администрация города Перми", None, "municipal"),
    ("Губернатор города Севастополя", "Севастополь", "regional"),
    ("Федеральная служба по надзору в сфере защиты прав потребителей", None, None),
    ("Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации", None, "federal"),
])
def test_issuer_level(agency, region, level):
    assert issuer_level(agency, region) == level
