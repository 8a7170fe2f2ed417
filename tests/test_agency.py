"""Agency identity: one key for every printed form of one agency's name."""

from __future__ import annotations

import pytest

from pipeline.agency import agency_key, document_agency_key, expand_region_abbreviations

SAME = [
    ("Комитет РСО-Алания по занятости населения",
     "Комитет Республики Северная Осетия-Алания по занятости населения"),
    ("Комитет РСО — Алания по занятости населения",
     "КОМИТЕТ\nРЕСПУБЛИКИ СЕВЕРНАЯ ОСЕТИЯ-АЛАНИЯ\nПО ЗАНЯТОСТИ НАСЕЛЕНИЯ"),
    ("Комитета Республики Северная Осетия — Алания по занятости населения",
     "Комитет Республики Северная Осетия-Алания по занятости населения"),
    ("Министерство промышленности и торговли РД",
     "**Министерство промышленности и торговли Республики Дагестан**"),
    ("Комитет по делам записи актов гражданского состояния и архивов РА",
     "Комитет по делам записи актов гражданского состояния и архивов Республики Алтай"),
    ("Министерство социальной защиты Сахалинской области",
     "МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ САХАЛИНСКОЙ ОБЛАСТИ"),
    # OCR look-alikes: Latin P, C, O, K, M, E in Cyrillic words
    ("Комитет PCO-Алания по занятости населения",
     "Комитет Республики Северная Осетия-Алания по занятости населения"),
    ("KOMИТЕТ РЕСПУБЛИКИ СЕВЕРНАЯ ОСЕТИЯ-АЛАНИЯ ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ",
     "Комитет Республики Северная Осетия-Алания по занятости населения"),
]

DIFFERENT = [
    ("Комитет РСО-Алания по занятости населения", "Министерство труда и социального развития РСО-Алания"),
    ("Министерство социальной защиты Сахалинской области", "Министерство социальной защиты Республики Алтай"),
    ("Министерство промышленности и торговли РД", "Министерство промышленности и торговли РА"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_same_agency_same_key(a, b):
    assert agency_key(a) == agency_key(b) != ""


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_agencies_different_keys(a, b):
    assert agency_key(a) != agency_key(b)


def test_abbreviation_expanded_only_as_a_whole_word():
    # "РА" inside "ГРАЖДАН" or "РАБОТЫ" is not the Altai Republic
    assert "Алтай" not in expand_region_abbreviations("ОТДЕЛ РАБОТЫ С ГРАЖДАНАМИ")
    assert "Республика Алтай" in expand_region_abbreviations("Комитет РА по делам архивов")
    assert "Северная Осетия" in expand_region_abbreviations("Правительство РСО-Алания")


def test_latin_words_are_not_folded():
    # a Latin word that is not made of look-alikes stays as it is
    assert "Digital" in expand_region_abbreviations("Центр Digital РД")


def test_empty_name_has_empty_key():
    assert agency_key("") == "" and agency_key("  ") == ""


def test_two_north_ossetia_orders_are_one_agency(corpus):
    old, new = corpus("ossetia_2023"), corpus("ossetia_2026")
    assert document_agency_key(old, old.documents[0]) == document_agency_key(new, new.documents[0])


def test_corpus_holds_four_agencies(corpus):
    keys = set()
    for name in ("ossetia_2023", "ossetia_2026", "sakhalin", "dagestan", "altai"):
        ex = corpus(name)
        keys |= {document_agency_key(ex, d) for d in ex.documents if d.kind in ("order", "draft")}
    assert len(keys) == 4
