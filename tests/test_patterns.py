"""Unit tests for the named patterns: dates, numbers, citations, signatures."""

from __future__ import annotations

import pytest

from pipeline.citations import find_citations, issuer_nominative, quoted_span, to_nominative
from pipeline.patterns import (
    OPERATIVE_RX,
    bare_number,
    find_dates,
    find_numbers,
    month_number,
    normalize_number,
    parse_date,
    signature_line,
)

# ----------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text, iso, raw",
    [
        # the corpus formats
        ("«23» 03 2026 г.", "2026-03-23", "«23» 03 2026 г."),
        ("« 09 » 09 2023г.", "2023-09-09", "« 09 » 09 2023г."),
        ("от 18.01.2024 № 1-3.11-24/24", "2024-01-18", "18.01.2024"),
        ("«27» сентября 2024 г.", "2024-09-27", "«27» сентября 2024 г."),
        ("28.03.2024 № П-12-01/0019", "2024-03-28", "28.03.2024"),
        ("09.09.2023г.", "2023-09-09", "09.09.2023г."),
        ("от 28» марта 2024", None, None),  # a lone closing quote is not a date form
        # other agencies' habits
        ("6 октября 2021 года", "2021-10-06", "6 октября 2021 года"),
        ("06.10.2021г", "2021-10-06", "06.10.2021г"),
        ("от 6 октября 2021 г. № 2816-р", "2021-10-06", "6 октября 2021 г."),
        ('"06" октября 2021 г.', "2021-10-06", '"06" октября 2021 г.'),
        ("от 26 сентября 2023 № 594-р", "2023-09-26", "26 сентября 2023"),
        ("10 марта 2026 года", "2026-03-10", "10 марта 2026 года"),
        ("1 мая 2020 г.", "2020-05-01", "1 мая 2020 г."),
        ("18.01. 2024", "2024-01-18", "18.01. 2024"),
        ("06/10/2021", "2021-10-06", "06/10/2021"),
        # OCR look-alikes inside the digits: О/0, З/3, l/1
        ("О6.1О.2О21", "2021-10-06", "О6.1О.2О21"),
        ("«2З» 03 2026 г.", "2026-03-23", "«2З» 03 2026 г."),
        ("l8.0l.2024", "2024-01-18", "l8.0l.2024"),
    ],
)
def test_date_formats(text, iso, raw):
    ds = [d for d in find_dates(text) if d.status == "ok"]
    if iso is None:
        assert ds == []
        return
    assert ds[0].value == iso
    assert ds[0].raw == raw
    assert text[ds[0].start : ds[0].end] == raw


def test_date_ocr_is_flagged():
    assert find_dates("О6.1О.2О21")[0].ocr_fixed
    assert not find_dates("06.10.2021")[0].ocr_fixed


@pytest.mark.parametrize(
    "text, status, raw",
    [
        ("« 1/ » октября 2024 г.", "unreadable", "« 1/ » октября 2024 г."),
        ("от «___»\n\n2024 г.", "blank", "«___»\n\n2024 г."),
        ("«__» ________ 20__ г.", "blank", "«__» ________ 20__ г."),
        ("31.02.2024", "invalid", "31.02.2024"),
        ("«32» 01 2024 г.", "invalid", "«32» 01 2024 г."),
    ],
)
def test_date_failures_are_reported_not_guessed(text, status, raw):
    d = find_dates(text)[0]
    assert (d.value, d.status, d.raw) == (None, status, raw)
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "в 2023 году",
        "пункты 3.1.1, 3.2.1",
        "№ 1-3.11-24/24",
        "2024 г. г. Москва",
        "ООО ЗОЛОТО",  # OCR look-alikes alone are letters, not a date
        "в срок до 1 декабря",
    ],
)
def test_not_dates(text):
    assert [d for d in find_dates(text) if d.status == "ok"] == []


def test_date_offsets_shift():
    d = find_dates("от 18.01.2024", offset=100)[0]
    assert (d.start, d.end) == (103, 113)


@pytest.mark.parametrize(
    "name, month",
    [("января", 1), ("февраля", 2), ("марта", 3), ("марте", 3), ("апреля", 4), ("мая", 5), ("май", 5),
     ("июня", 6), ("июля", 7), ("августа", 8), ("сентября", 9), ("Октября", 10), ("ноября", 11), ("декабря", 12)],
)
def test_month_names(name, month):
    assert month_number(name) == month


# --------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text, value, raw",
    [
        ("№ 22-2", "22-2", "№ 22-2"),
        ("№ 78-р", "78-р", "№ 78-р"),
        ("от 18.01.2024 № 1-3.11-24/24", "1-3.11-24/24", "№ 1-3.11-24/24"),
        ("№ 154 - ОД", "154-ОД", "№ 154 - ОД"),
        ("№ 154 – ОД", "154-ОД", "№ 154 – ОД"),
        ("28.03.2024 № П-12-01/0019", "П-12-01/0019", "№ П-12-01/0019"),
        ("№0251-23-2", "0251-23-2", "№0251-23-2"),
        ("N 2816-р.", "2816-р", "N 2816-р"),
        ("No 5 от 01.02.2020", "5", "No 5"),
        ("Nо 45-п", "45-п", "Nо 45-п"),
        ("№ 662 , приказываю", "662", "№ 662"),
        ("№ 2816-р «Об утверждении»", "2816-р", "№ 2816-р"),
    ],
)
def test_numbers(text, value, raw):
    n = find_numbers(text)[0]
    assert (n.value, n.raw) == (value, raw)
    assert text[n.start : n.end] == raw


@pytest.mark.parametrize(
    "text, raw", [("№", "№"), ("№\n\nОб утверждении Порядка", "№"), ("№ ____", "№ ____"), ("№__________", "№__________")]
)
def test_number_sign_alone_is_no_number(text, raw):
    n = find_numbers(text)[0]
    assert n.value is None
    assert n.raw == raw


def test_no_number_in_plain_words():
    assert find_numbers("Начальнику Управления") == []
    assert find_numbers("NATO и ООН") == []


def test_normalize_number():
    assert normalize_number("154 - ОД") == "154-ОД"
    assert normalize_number("1-3.11-24 /24") == "1-3.11-24/24"
    assert normalize_number("П—12") == "П-12"


@pytest.mark.parametrize(
    "text, value",
    [("02-04/805/24", "02-04/805/24"), ("28.03.2024", None), ("Дадаеву С.С.", None), ("2024", None), ("Юр.отд", None)],
)
def test_bare_number(text, value):
    assert bare_number(text) == value


# ------------------------------------------------------------------ citations


def test_citation_government_order():
    (c,) = find_citations("реализуемой в соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 года № 2816-р (далее - проект)")
    assert (c.issuer, c.doc_type, c.date, c.number, c.title) == (
        "Правительство Российской Федерации", "распоряжение", "2021-10-06", "2816-р", None)
    assert c.raw == "распоряжением Правительства Российской Федерации от 6 октября 2021 года № 2816-р"
    assert c.problems == []


def test_two_citations_joined_by_and():
    text = ("утвержденной распоряжением Правительства Российской Федерации от 6 октября 2021 года № 2816-р и приказом "
            "Министерства промышленности и торговли Республики Дагестан от 31 июля 2023 года № 132-ОД,")
    a, b = find_citations(text)
    assert (a.issuer, a.number) == ("Правительство Российской Федерации", "2816-р")
    assert (b.issuer, b.doc_type, b.date, b.number) == (
        "Министерство промышленности и торговли Республики Дагестан", "приказ", "2023-07-31", "132-ОД")
    assert text[b.start : b.end] == b.raw


def test_citation_title_and_lowercase_issuer():
    text = ("утвержденного распоряжением Правительства Сахалинской области от 29.09.2023 № 805-р «О внедрении принципов "
            "и стандартов клиентоцентричности в Сахалинской области» и пунктов 3.1.1, утвержденного распоряжением "
            "министерства социальной защиты Сахалинской области от 23.10.2023 № 662 , приказываю")
    a, b = find_citations(text)
    assert a.title == "О внедрении принципов и стандартов клиентоцентричности в Сахалинской области"
    assert a.raw.endswith("в Сахалинской области»")
    assert (b.issuer, b.date, b.number, b.title) == (
        "Министерство социальной защиты Сахалинской области", "2023-10-23", "662", None)


def test_citation_nested_quotes_balance():
    (c,) = find_citations("постановления Правительства Республики Башкортостан от 01.02.2021 № 15 "
                          "«Об утверждении Плана мероприятий («дорожной карты») по внедрению» и далее")
    assert c.title == "Об утверждении Плана мероприятий («дорожной карты») по внедрению"
    assert c.problems == []


def test_citation_unclosed_title_is_cut_and_reported():
    text = ("С целью реализации Распоряжения Правительства Республики Северная Осетия-Алания от 10 марта 2026 года № 84-р "
            "«Об утверждении плана мероприятий («дорожной карты») по внедрению уровня внедрения (зрелости) "
            "клиентоцентричности в Республике Северная Осетия-Алания на 2026 год и Плана мероприятий («дорожная карта») "
            "Комитета Республики Северная Осетия-Алания по занятости населения по повышению уровня внедрения "
            "клиентоцентричности, утвержденного приказом Комитета Республики Северная Осетия-Алания по занятости "
            "населения от 16.02.2026 № 7-д, приказываю:")
    a, b = find_citations(text)
    assert (a.issuer, a.doc_type, a.date, a.number) == (
        "Правительство Республики Северная Осетия-Алания", "распоряжение", "2026-03-10", "84-р")
    assert a.title == ("Об утверждении плана мероприятий («дорожной карты») по внедрению уровня внедрения (зрелости) "
                       "клиентоцентричности в Республике Северная Осетия-Алания на 2026 год")
    assert a.problems == ["the quotation of the title does not close"]
    assert (b.issuer, b.doc_type, b.date, b.number) == (
        "Комитет Республики Северная Осетия-Алания по занятости населения", "приказ", "2026-02-16", "7-д")


@pytest.mark.parametrize(
    "text, doc_type, issuer, number",
    [
        ("Федеральным законом от 27 июля 2010 г. № 210-ФЗ «Об организации»", "федеральный закон", None, "210-ФЗ"),
        ("указом Президента Российской Федерации от 07.05.2024 N 309", "указ", "Президент Российской Федерации", "309"),
        ("постановлением Губернатора Курской области от О6.1О.2О21г № 12-пг", "постановление", "Губернатор Курской области", "12-пг"),
        ("приказом Минтруда России от 1 июня 2022 г. № 300н", "приказ", "Минтруд России", "300н"),
        ("постановлением Главного управления МЧС России от 01.02.2020 № 5", "постановление", "Главное управление МЧС России", "5"),
    ],
)
def test_citation_kinds_and_issuers(text, doc_type, issuer, number):
    (c,) = find_citations(text)
    assert (c.doc_type, c.issuer, c.number) == (doc_type, issuer, number)


@pytest.mark.parametrize(
    "text",
    [
        "Контроль за исполнением настоящего приказа оставляю за собой.",
        "в соответствии с законодательством Российской Федерации",
        "п р и к а з ы в а ю:",
        "Утвердить прилагаемый Порядок взаимодействия",
        "Приказом Комитета утверждается состав",
    ],
)
def test_not_citations(text):
    assert find_citations(text) == []


def test_citation_offsets_shift():
    (c,) = find_citations("приказом Комитета от 16.02.2026 № 7-д", offset=50)
    assert (c.start, c.end) == (50, 50 + len(c.raw))


@pytest.mark.parametrize(
    "genitive, nominative",
    [
        ("Правительства Российской Федерации", "Правительство Российской Федерации"),
        ("министерства социальной защиты Сахалинской области", "Министерство социальной защиты Сахалинской области"),
        ("Государственной жилищной инспекции Республики Дагестан", "Государственная жилищная инспекция Республики Дагестан"),
        ("Федерального агентства по делам молодежи", "Федеральное агентство по делам молодежи"),
        ("Комитета Республики Северная Осетия-Алания по занятости населения",
         "Комитет Республики Северная Осетия-Алания по занятости населения"),
    ],
)
def test_issuer_nominative(genitive, nominative):
    assert issuer_nominative(genitive) == nominative


def test_to_nominative_locative():
    assert to_nominative("Минюсте России", case="loct") == "Минюст России"


def test_quoted_span():
    t = "«Плана («дорожной карты») внедрения» и"
    assert quoted_span(t, 0) == (len("«Плана («дорожной карты») внедрения»"), True)
    assert quoted_span("«не закрыта", 0) == (len("«не закрыта"), False)
    assert quoted_span('"прямые" кавычки', 0) == (8, True)


# ------------------------------------------------------- signatures, formulas


@pytest.mark.parametrize(
    "line, expected",
    [
        ("А.В. Эммануилиди", (None, "А.В. Эммануилиди")),
        ("О.А Зорина", (None, "О.А Зорина")),
        ("Н. Халилов", (None, "Н. Халилов")),
        ("Н.Р. Халилов", (None, "Н.Р. Халилов")),
        ("Халилов Н.Р.", (None, "Халилов Н.Р.")),
        ("Министр\t\tН.Р. Халилов", ("Министр", "Н.Р. Халилов")),
        ("Председатель Комитета А.А. Плаева", ("Председатель Комитета", "А.А. Плаева")),
        ("Курской области                Иванов И.И.", ("Курской области", "Иванов И.И.")),
        ("Руководитель\t П.П. Петров-Водкин", ("Руководитель", "П.П. Петров-Водкин")),
        ("возложить на заместителя Министра Каибову М.Х.", None),
        ("Козаевой И.Б. - ведущему советнику", None),
        ("1. Утвердить Порядок", None),
        ("Авакова Э.Л. – заместитель председателя", None),
    ],
)
def test_signature_line(line, expected):
    assert signature_line(line) == expected


@pytest.mark.parametrize(
    "text, found",
    [("**п р и к а з ы в а ю:**", True), ("**приказываю:**", True), ("п р и к а з ы в а ю :", True),
     ("ПОСТАНОВЛЯЮ:", True), ("настоящий приказ", False), ("приказываются", False)],
)
def test_operative_formula(text, found):
    assert bool(OPERATIVE_RX.search(text)) is found


def test_citation_with_unreadable_date_is_kept_and_reported():
    (c,) = find_citations("распоряжением Правительства Российской Федерации от 6 окт. 2021 № 2816-р")
    assert (c.issuer, c.date, c.number) == ("Правительство Российской Федерации", None, "2816-р")
    assert c.problems == ["date after 'от' cannot be read: 'от 6 окт. 2021 № 2816-р'"]
    (c,) = find_citations("приказом Комитета от «1/» марта 2024 г. № 5")
    assert (c.date, c.number, c.problems) == (None, "5", ["date '«1/» марта 2024 г.' is unreadable"])


def test_kind_word_without_date_or_number_is_no_citation():
    assert find_citations("приказом Комитета от имени Председателя") == []


def test_non_breaking_spaces_and_iso_dates():
    (d,) = find_dates("от 6\u00a0октября\u00a02021\u00a0г.")
    assert d.value == "2021-10-06"
    assert find_numbers("№\u00a045-п")[0].value == "45-п"
    assert parse_date("2021-10-06") == "2021-10-06"
    assert find_dates("№ 0251-23-2") == []
    assert signature_line("Министр\u00a0\u00a0\u00a0Н.Р.\u00a0Халилов") == ("Министр", "Н.Р. Халилов")


@pytest.mark.parametrize("text,value", [
    ("от 30.11.10 N 1021-р", "2010-11-30"),   # Кемерово, fixed-width page
    ("25.01.99г.", "1999-01-25"),
])
def test_two_digit_years(text, value):
    assert [d.value for d in find_dates(text)] == [value]


@pytest.mark.parametrize("text", ["пункт 1.2.10 Порядка", "в 12.30.10", "30.11.10.5"])
def test_short_numbers_that_are_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("printed,value", [
    ("№ 18/пр/14", "18/пр/14"), ("№ М1-6-од", "М1-6-од"), ("N 4-П", "4-П"), ("№ 01-02-01", "01-02-01"),
    ("№ 005-52-8/12", "005-52-8/12"), ("N 1067/44", "1067/44"), ("N 394-рО", "394-рО"),
    ("от 18 сентября 2023 г. в„– 281", "281"),  # "№" saved as UTF-8, read back as cp1251
])
def test_numbers_kept_as_printed(printed, value):
    assert [n.value for n in find_numbers(printed)] == [value]
