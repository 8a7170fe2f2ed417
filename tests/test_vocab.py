"""Table-driven tests of the vocabulary data files that are not matched by
VocabMatcher (those have tests in test_normalize.py): look-alikes, markers, units."""

import json
from importlib import resources

import pytest

from pipeline.agency import fold_lookalikes
from pipeline.extract.requirements import quantities
from pipeline.labels import letter_for_digit, parse_label
from pipeline.nlp import load_vocab, vocab_versions
from pipeline.normalize import fold_ocr
from pipeline.patterns import OPERATIVE_RX
from pipeline.segment import doc_type_of
from pipeline.document import Line


def test_every_vocab_file_is_versioned_json():
    for entry in resources.files("pipeline.vocab").iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            assert data.get("version"), entry.name
    assert {"lookalikes", "markers", "thresholds"} <= set(vocab_versions())


LOOK = load_vocab("lookalikes")["tests"]


@pytest.mark.parametrize("printed,folded", LOOK["latin_to_cyrillic"])
def test_latin_lookalikes_fold_in_cyrillic_words(printed, folded):
    assert fold_ocr(printed) == folded
    assert fold_lookalikes(printed) == folded


@pytest.mark.parametrize("printed,folded", LOOK["latin_word_in_cyrillic_name"])
def test_latin_only_word_in_an_agency_name(printed, folded):
    assert fold_lookalikes(printed) == folded


@pytest.mark.parametrize("word", LOOK["must_not_change"])
def test_latin_words_and_numbers_stay(word):
    assert fold_ocr(word) == word


def test_digit_read_for_letter_inside_a_word():
    assert fold_ocr("0фициальный сайт") == "Официальный сайт"
    assert fold_ocr("на 3 рабочих дня") == "на 3 рабочих дня"


@pytest.mark.parametrize("letter,digit", [("б", "6"), ("з", "3"), ("ч", "4")])
def test_label_letter_that_stands_for_a_digit(letter, digit):
    assert letter_for_digit(letter) == digit
    assert parse_label(f"{letter}) текст")[0].style == "letter"


def test_a_is_never_a_digit():
    assert letter_for_digit("а") is None


@pytest.mark.parametrize("printed,kind,doc_type", [
    ("ПРИКАЗ", "order", "приказ"),
    ("## **П Р И К А З**", "order", "приказ"),
    ("Постановление", "order", "постановление"),
    ("РАСПОРЯЖЕНИЕ:", "order", "распоряжение"),
    ("Служебная записка", "memo", "служебная записка"),
])
def test_doc_type_lines(printed, kind, doc_type):
    assert doc_type_of(Line(1, 0, len(printed), printed)) == (kind, doc_type)


@pytest.mark.parametrize("printed", ["Приказываю", "п р и к а з ы в а ю :", "ПОСТАНОВЛЯЮ:", "Правительство области постановляет"])
def test_operative_formulas(printed):
    assert OPERATIVE_RX.search(printed)


@pytest.mark.parametrize("printed", ["приказом министерства", "в постановлении указано", "Приказ от 01.02.2024"])
def test_not_operative(printed):
    assert not OPERATIVE_RX.search(printed)


@pytest.mark.parametrize("text,value,unit", [
    ("в течение 4 часов", 4, "hour"),
    ("не более 15 минут", 15, "minute"),
    ("не более двух переключений", 2, "count"),
    ("в течение 10 рабочих дней", 10, "working_day"),
    ("в течение 30 календарных дней", 30, "day"),
    ("не реже 1 раза в месяц", 1, "per_month"),
    ("не более 2 раз", 2, "count"),
    ("в течение 20 мин.", 20, "minute"),
])
def test_units_from_thresholds_json(text, value, unit):
    q = quantities(text)
    assert [(x.value, x.unit) for x in q] == [(value, unit)]


def test_units_table_is_the_one_read():
    ids = {u["id"] for u in load_vocab("thresholds")["units"]}
    assert {"hour", "minute", "working_day", "day", "count", "per_month"} <= ids


def test_touchpoint_column_roles_are_data():
    roles = {r["role"] for r in load_vocab("columns")["roles"]}
    assert {"name", "needs", "kind", "channel", "service", "direction", "features"} <= roles
