"""Requirements and thresholds, checked against the orders' text."""

import pytest

from pipeline.extract.requirements import quantities, thresholds_in
from pipeline.run import extract_file


def _ths(doc):
    return [(r.channel, t.metric, t.value, t.unit, t.comparator, t.condition)
            for r in doc.requirements for t in r.thresholds]


MENTIONS = "для упоминаний"
APPEAL = "в случае официального обращения или комментария к записи"


def test_ossetia_2026_social_network_response_times(corpus):
    doc = corpus("ossetia_2026").documents[0]
    assert _ths(doc) == [
        ("social_network", "response_time", 4, "hour", "<=", MENTIONS),
        ("social_network", "response_time", 2, "hour", "<=", APPEAL),
    ]
    req = next(r for r in doc.requirements if r.thresholds)
    assert req.clause == "III. 16. 16.2." and req.span.line == 143


def test_sakhalin_all_thresholds(corpus):
    doc = corpus("sakhalin").documents[0]
    assert _ths(doc) == [
        ("social_network", "response_time", 4, "hour", "<=", MENTIONS),
        ("social_network", "response_time", 2, "hour", "<=", APPEAL + " при максимальном уровне клиентоцентричности"),
        ("phone", "transfers", 2, "count", "<=", None),
        ("in_person", "waiting_time", 15, "minute", "<=", "при очном взаимодействии"),
        ("website", "publication_deadline", 10, "working_day", "<=", None),
    ]
    # "вступает в силу по истечении 10 дней" is not a service threshold
    assert not [t for r in doc.requirements for t in r.thresholds if t.unit == "day"]


def test_sakhalin_requirement_lists_per_channel(corpus):
    doc = corpus("sakhalin").documents[0]
    per_channel = {}
    for r in doc.requirements:
        per_channel[r.channel] = per_channel.get(r.channel, 0) + 1
    # 4.2. 1) сайты а)–ж), 2) мобильные приложения а)–е), 3) соцсети а)–г),
    # 4) чат-боты а)–и), 5) телефон а)–д), б)[6)] письменное а)–г), 7) личный прием а)–ж), 5.5.
    assert per_channel == {"website": 8, "mobile_app": 6, "social_network": 4, "chatbot": 9, "phone": 5,
                           "email": 4, "in_person": 7}


@pytest.mark.parametrize("name, doc_idx, days", [("dagestan", 0, 10), ("dagestan", 2, 10), ("altai", 0, 5)])
def test_publication_deadlines(corpus, name, doc_idx, days):
    doc = corpus(name).documents[doc_idx]
    pub = [t for r in doc.requirements for t in r.thresholds if t.metric == "publication_deadline"]
    assert [(t.value, t.unit, t.comparator) for t in pub] == [(days, "working_day", "<=")]


def test_dagestan_number_words_in_nominative_and_genitive(corpus):
    order, draft = corpus("dagestan").documents[0], corpus("dagestan").documents[2]
    for doc in (order, draft):
        assert [(t.metric, t.value) for r in doc.requirements for t in r.thresholds] == [
            ("response_time", 4), ("response_time", 2), ("transfers", 2), ("publication_deadline", 10)]
    raw = [t.raw for r in order.requirements for t in r.thresholds]
    assert raw[:2] == ["четыре часа", "два часа"]


def test_threshold_spans_point_at_the_raw_text(corpus):
    ex = corpus("sakhalin")
    from pathlib import Path
    text = Path("corpus", Path(ex.source.path).name).read_text(encoding="utf-8")
    for r in ex.documents[0].requirements:
        for t in r.thresholds:
            assert text[t.span.start:t.span.end] == t.raw


@pytest.mark.parametrize("text, expected", [
    ("не более 3 переключений", [(3, "count")]),
    ("в течение пяти рабочих дней", [(5, "working_day")]),
    ("не позднее 2 часов", [(2, "hour")]),
    ("время ожидания не превышает 20 минут", [(20, "minute")]),
    ("не реже 1-го раза в месяц", [(1, "per_month")]),
    ("в 2024 году", []),
    ("пункта 3 настоящего Порядка", []),
])
def test_quantities(text, expected):
    assert [(q.value, q.unit) for q in quantities(text)] == expected


def test_thresholds_in_other_phrasing():
    found = thresholds_in("Время ответа на сообщение в социальных сетях не должно превышать 8 часов.")
    assert [(t.metric, t.value, t.unit, t.comparator) for t, _, _ in found] == [("response_time", 8, "hour", "<=")]
    found = thresholds_in("Количество переадресаций звонка — не более трех переадресаций.")
    assert [(t.metric, t.value) for t, _, _ in found] == [("transfers", 3)]



# Service requirements phrased as agencies phrase them: the counted thing before its number
# ("количество переадресаций … – не более двух"), "не более" next to the number, a wait for the
# operator, and the updated Перечень to be published ("размещать") within working days.
REQUIREMENTS_AS_PRINTED = """МИНИСТЕРСТВО СОЦИАЛЬНОГО РАЗВИТИЯ ПЕРМСКОГО КРАЯ

ПРИКАЗ

14.05.2024                                                    № СЭД-33-01-03-250

О внедрении стандартов клиентоцентричности в Министерстве социального развития Пермского края

В соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 г. № 2816-р
ПРИКАЗЫВАЮ:
1. Создать рабочую группу по внедрению клиентоцентричности в следующем составе:
Руководитель рабочей группы: Сидорова Анна Петровна – первый заместитель министра;
Заместитель руководителя рабочей группы: Козлов Игорь Викторович – начальник отдела цифровой трансформации;
Члены рабочей группы:
Белова Ольга Николаевна – консультант отдела по работе с обращениями граждан;
Орлов Денис Сергеевич – главный специалист отдела информационной политики.
2. Установить следующие требования к обслуживанию клиентов:
2.1. срок ответа на сообщения и комментарии в социальных сетях не должен превышать 2 часов в рабочее время;
2.2. количество переадресаций телефонного звонка – не более двух;
2.3. время ожидания ответа оператора при обращении по телефону не более 3 минут;
2.4. время ожидания в очереди при личном приеме не должно превышать 15 минут.
3. Актуализированный перечень точек взаимодействия размещать на официальном сайте Министерства в течение 5 рабочих дней со дня утверждения.
4. Контроль за исполнением приказа оставляю за собой.

Министр                                                          П.С. Фокин
"""


def test_requirements_as_agencies_print_them(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text(REQUIREMENTS_AS_PRINTED, encoding="utf-8")
    (d,) = extract_file(path).documents
    got = [(r.clause, [(t.metric, t.value, t.unit, t.comparator, t.raw) for t in r.thresholds]) for r in d.requirements]
    assert got == [
        ("2. 2.1.", [("response_time", 2.0, "hour", "<=", "2 часов")]),
        ("2. 2.2.", [("transfers", 2.0, "count", "<=", "двух")]),
        ("2. 2.3.", [("waiting_time", 3.0, "minute", "<=", "3 минут")]),
        ("2. 2.4.", [("waiting_time", 15.0, "minute", "<=", "15 минут")]),
        ("3.", [("publication_deadline", 5.0, "working_day", "<=", "5 рабочих дней")]),
    ]
    assert d.requirements[0].channel == "social_network"


@pytest.mark.parametrize("text,expected", [
    ("Ответ на сообщение, поступившее в социальных сетях, дается в течение 4 часов в рабочее время "
     "(в выходные и праздничные дни – в течение 24 часов).",
     [("response_time", 4.0, "hour", "<=", "в рабочее время"),
      ("response_time", 24.0, "hour", "<=", "в выходные и праздничные дни")]),
    ("ответ в социальных сетях в течение 4 часов, в нерабочее время - в течение 8 часов",
     [("response_time", 4.0, "hour", "<=", None), ("response_time", 8.0, "hour", "<=", "в нерабочее время")]),
    ("Срок ожидания в очереди при личном приеме составляет не более 15 минут.",
     [("waiting_time", 15.0, "minute", "<=", "при личном приеме")]),
])
def test_conditions_of_working_hours_and_days(text, expected):
    got = [(t.metric, t.value, t.unit, t.comparator, t.condition) for t, _, _ in thresholds_in(text)]
    assert got == expected
