"""Definitions whatever the dash, numbering or list style."""

import pytest

from pipeline.extract.definitions import parse_entry

EXPECTED_TERMS = {
    ("ossetia_2026", 0): ["Клиент", "Внутренний клиент", "Функция", "Клиентский путь", "Профиль клиента",
                          "Клиентский опыт", "Профиль клиентского сегмента"],
    ("ossetia_2023", 0): ["клиент", "потребность клиента", "клиентоцентричный подход в деятельности Комитета", "услуги",
                          "сервисы", "проактивное предоставление услуг и сервисов",
                          "органы власти и уполномоченные организации", "жизненная ситуация",
                          "удовлетворенность клиента", "профиль клиента", "профиль клиентского сегмента",
                          "клиентский путь", "карта клиентского пути", "клиентский опыт", "клиентский сценарий",
                          "уровень клиентоцентричности", "проектирование", "реинжиниринг"],
    ("dagestan", 0): ["клиент", "внутренний клиент", "функция", "клиентский путь", "профиль клиента",
                      "клиентский опыт", "профиль клиентского сегмента"],
    ("altai", 0): ["внешний клиент", "внутренний клиент", "клиентский путь", "клиентский опыт", "онлайн-точки",
                   "офлайн-точки", "жизненная ситуация", "клиентский сценарий", "профиль клиента",
                   "потребность клиента", "профиль клиентского сегмента"],
}


@pytest.mark.parametrize("key", list(EXPECTED_TERMS))
def test_terms_per_document(corpus, key):
    name, idx = key
    doc = corpus(name).documents[idx]
    assert [d.term for d in doc.definitions] == EXPECTED_TERMS[key]


def test_sakhalin_numbered_definitions(corpus):
    defs = corpus("sakhalin").documents[0].definitions
    assert len(defs) == 17
    assert defs[0].term == "Клиент" and defs[0].clause == "2. 2.1."
    assert defs[7].term == "Офлайн-точки"
    assert defs[7].definition.startswith("физическое пространство")
    # a definition cut by a page break is joined
    assert defs[6].term == "Функция" and defs[6].definition.endswith("характеризующееся определенным конечным результатом")


def test_draft_repeats_the_order_definitions(corpus):
    docs = corpus("dagestan").documents
    assert [d.term for d in docs[2].definitions] == [d.term for d in docs[0].definitions]


def test_bold_term_with_alias(corpus):
    first = corpus("ossetia_2026").documents[0].definitions[0]
    assert (first.term, first.aliases) == ("Клиент", ["внешний клиент"])
    assert first.definition == "физическое или юридическое лицо, взаимодействующее с Комитетом с целью удовлетворения своих потребностей"
    assert first.span.line == 52
    assert first.key == "клиент"


@pytest.mark.parametrize("text, term, definition", [
    ("клиент (внешний клиент) – физическое лицо;", "клиент", "физическое лицо"),
    ("**Клиент** — лицо.", "Клиент", "лицо"),
    ("онлайн-точки - (дистанционное взаимодействие): сайт", "онлайн-точки", "(дистанционное взаимодействие): сайт"),
    ("Клиент -- лицо", "Клиент", "лицо"),
])
def test_parse_entry(text, term, definition):
    t, _, d = parse_entry(text)
    assert (t, d) == (term, definition)


@pytest.mark.parametrize("text", [
    "Контроль за исполнением настоящего приказа оставляю за собой.",
    "Козаевой И.Б. - ведущему советнику отдела организационной, кадровой работы и противодействия коррупции ознакомить с настоящим приказом касающихся лиц",
])
def test_not_entries(text):
    assert parse_entry(text) is None
