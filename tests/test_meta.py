"""Header facts (meta) of every document of the five corpus files, exact.

Only segmentation and ``meta.extract`` run here, so these tests do not depend
on the later extraction steps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.link import link_documents
from pipeline.extract import Context, meta
from pipeline.extract.agency_name import is_foreign, restore_case
from pipeline.models import Document
from pipeline.readers import read_file
from pipeline.document import SourceText, split_lines
from pipeline.segment import segment

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = {
    "ossetia_2026": "north-ossetia-employment-committee-2026-03-23-22-2.txt",
    "ossetia_2023": "north-ossetia-employment-committee-2023-09-09-78-r.txt",
    "sakhalin": "sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt",
    "dagestan": "dagestan-industry-trade-ministry-2024-09-27-154-od.txt",
    "altai": "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt",
}
_CACHE: dict[str, tuple[SourceText, list[Document]]] = {}


def _run(src: SourceText) -> list[Document]:
    contexts = []
    for n, sl in enumerate(segment(src), 1):
        doc = Document(id=f"d{n}", kind=sl.kind, span=src.line_span(sl.first_line, sl.last_line))
        ctx = Context(src, sl, doc)
        ctx.header = meta.extract(ctx)
        contexts.append(ctx)
    link_documents(contexts)  # a memo's agency comes from its act
    return [c.doc for c in contexts]


def corpus(name: str) -> tuple[SourceText, list[Document]]:
    if name not in _CACHE:
        src = read_file(CORPUS / FILES[name])
        _CACHE[name] = (src, _run(src))
    return _CACHE[name]


def from_text(text: str) -> list[Document]:
    return _run(SourceText(path="t.txt", format="txt", reader="txt", text=text, lines=split_lines(text)))


def codes(doc: Document) -> list[str]:
    return [w.code for w in doc.warnings]


GOV_RF_2816 = {
    "issuer": "Правительство Российской Федерации",
    "doc_type": "распоряжение",
    "date": "2021-10-06",
    "number": "2816-р",
    "title": None,
}
DAGESTAN_BASIS = [
    GOV_RF_2816,
    {"issuer": "Министерство промышленности и торговли Республики Дагестан", "doc_type": "приказ",
     "date": "2023-07-31", "number": "132-ОД", "title": None},
]
DAGESTAN_AGENCY = "Министерство промышленности и торговли Республики Дагестан"
DAGESTAN_TITLE = ("Об утверждении Порядка (правил) взаимодействия с внутренним клиентом по вопросам осуществления "
                  "административно-хозяйственной деятельности в Министерстве промышленности и торговли Республики Дагестан")
OSSETIA_AGENCY = "Комитет Республики Северная Осетия-Алания по занятости населения"
OSSETIA_REGION = "Республика Северная Осетия — Алания"

EXPECTED = {
    ("ossetia_2026", 0): {
        "doc_type": "приказ",
        "agency": OSSETIA_AGENCY,
        "agency_short": None,
        "region": OSSETIA_REGION,
        "region_code": "RU-SE",
        "date": "2026-03-23",
        "number": "22-2",
        "place": "Владикавказ",
        "title": "Об утверждении Порядка взаимодействия с клиентом в рамках рассмотрения обращений и запросов "
                 "в Комитете Республики Северная Осетия-Алания по занятости населения",
        "signatory": {"name": "А.В. Эммануилиди", "position": "Председатель"},
        "registration": {"authority": "Администрация Главы РСО-Алания и Правительства РСО-Алания",
                         "number": "0118-26-2", "date": "2026-03-23"},
        "legal_basis": [
            {"issuer": "Правительство Республики Северная Осетия-Алания", "doc_type": "распоряжение",
             "date": "2026-03-10", "number": "84-р",
             "title": "Об утверждении плана мероприятий («дорожной карты») по внедрению уровня внедрения (зрелости) "
                      "клиентоцентричности в Республике Северная Осетия-Алания на 2026 год"},
            {"issuer": OSSETIA_AGENCY, "doc_type": "приказ", "date": "2026-02-16", "number": "7-д", "title": None},
        ],
    },
    ("ossetia_2023", 0): {
        "doc_type": "приказ",
        "agency": OSSETIA_AGENCY,
        "agency_short": None,
        "region": OSSETIA_REGION,
        "region_code": "RU-SE",
        "date": "2023-09-09",
        "number": "78-р",
        "place": "Владикавказ",
        "title": "Об организации работы по внедрению принципов клиентоцентричности в деятельность "
                 "Комитета РСО-Алания по занятости населения",
        "signatory": {"name": "А.А. Плаева", "position": "Председатель Комитета"},
        "registration": {"authority": "Администрация Главы РСО-Алания и Правительства РСО-Алания",
                         "number": "0251-23-2", "date": "2023-09-09"},
        "legal_basis": [GOV_RF_2816],
    },
    ("sakhalin", 0): {
        "doc_type": "приказ",
        "agency": "Министерство социальной защиты Сахалинской области",
        "agency_short": None,
        "region": "Сахалинская область",
        "region_code": "RU-SAK",
        "date": "2024-01-18",
        "number": "1-3.11-24/24",
        "place": "Южно-Сахалинск",
        "title": "Об утверждении Порядка ведения министерством социальной защиты Сахалинской области перечня "
                 "точек взаимодействия с внешним и внутренним клиентами",
        "signatory": {"name": "О.С. Орлова", "position": "Министр социальной защиты Сахалинской области"},
        "registration": None,
        "legal_basis": [
            {"issuer": "Правительство Сахалинской области", "doc_type": "распоряжение", "date": "2023-09-29",
             "number": "805-р", "title": "О внедрении принципов и стандартов клиентоцентричности в Сахалинской области"},
            {"issuer": "Министерство социальной защиты Сахалинской области", "doc_type": "распоряжение",
             "date": "2023-10-23", "number": "662", "title": None},
        ],
    },
    ("dagestan", 0): {
        "doc_type": "приказ",
        "agency": DAGESTAN_AGENCY,
        "agency_short": None,
        "region": "Республика Дагестан",
        "region_code": "RU-DA",
        "date": "2024-09-27",
        "number": "154-ОД",
        "place": None,
        "title": DAGESTAN_TITLE,
        "signatory": {"name": "Н.Р. Халилов", "position": "Министр"},
        "registration": None,
        "legal_basis": DAGESTAN_BASIS,
    },
    ("dagestan", 1): {
        "doc_type": "служебная записка",
        "agency": DAGESTAN_AGENCY,  # printed only on the order it is filed with
        "agency_short": None,
        "region": "Республика Дагестан",
        "region_code": "RU-DA",
        "date": None,  # « 1/ » октября 2024 г.: unreadable, not guessed
        "number": "02-04/805/24",
        "place": None,
        "title": None,
        "signatory": {"name": "В. Бабаханова", "position": "Начальник Управления правового и экономического обеспечения"},
        "registration": None,
        "legal_basis": [],
    },
    ("dagestan", 2): {
        "doc_type": "приказ",
        "agency": DAGESTAN_AGENCY,
        "agency_short": None,
        "region": "Республика Дагестан",
        "region_code": "RU-DA",
        "date": None,
        "number": None,
        "place": None,
        "title": DAGESTAN_TITLE,
        "signatory": {"name": "Н. Халилов", "position": "Министр"},
        "registration": None,
        "legal_basis": DAGESTAN_BASIS,
    },
    ("altai", 0): {
        "doc_type": "приказ",
        "agency": "Комитет по делам записи актов гражданского состояния и архивов Республики Алтай",
        "agency_short": "Комитет по делам ЗАГС и архивов Республики Алтай",
        "region": "Республика Алтай",
        "region_code": "RU-AL",
        "date": "2024-03-28",
        "number": "П-12-01/0019",
        "place": "Горно-Алтайск",
        "title": "Об утверждении Порядка ведения перечня точек взаимодействия с клиентом по основным направлениям "
                 "деятельности Комитета по делам записи актов гражданского состояния и архивов Республики Алтай",
        "signatory": {"name": "О.А Зорина", "position": "И.о. председателя"},
        "registration": None,
        "legal_basis": [
            {**GOV_RF_2816},
            {"issuer": "Правительство Республики Алтай", "doc_type": "распоряжение", "date": "2023-09-26",
             "number": "594-р",
             "title": "Об утверждении Плана мероприятий («дорожной карты») по внедрению Стандартов "
                      "клиентоцентричности в Республике Алтай"},
        ],
    },
}


def _meta_dict(doc: Document) -> dict:
    # a memo's reply_to/addressee are asserted in the memo tests below, level in test_meta_shapes
    d = doc.meta.model_dump(exclude={"sources", "agency_key", "reply_to", "addressee", "level"})
    if d["registration"]:
        d["registration"].pop("span")
    for act in d["legal_basis"]:
        act.pop("span")
        act.pop("raw")
    return d


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{n}-d{i + 1}" for n, i in EXPECTED])
def test_meta_exact(key):
    name, i = key
    _, docs = corpus(name)
    assert _meta_dict(docs[i]) == EXPECTED[key]


def test_document_counts_and_kinds():
    assert [len(corpus(n)[1]) for n in FILES] == [1, 1, 1, 3, 1]
    assert [d.kind for d in corpus("dagestan")[1]] == ["order", "memo", "order"]  # the pipeline marks d3 a draft


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{n}-d{i + 1}" for n, i in EXPECTED])
def test_sources_point_at_printed_text(key):
    """Every filled field has a source whose span covers its raw text."""
    name, i = key
    src, docs = corpus(name)
    m = docs[i].meta
    filled = [f for f in ("doc_type", "agency", "agency_short", "region", "region_code", "date", "number", "place",
                          "title", "registration") if getattr(m, f) is not None]
    filled += [f"signatory.{f}" for f in ("name", "position") if getattr(m.signatory, f)]
    for f in filled:
        assert f in m.sources, f
    for key_, s in m.sources.items():
        assert s.span is not None, key_
        if key_ not in ("region", "region_code"):  # those point at the agency/title they were read from
            assert src.text[s.span.start : s.span.end] == s.raw, key_
    for act in m.legal_basis:
        assert src.text[act.span.start : act.span.end] == act.raw


RAW = {
    ("ossetia_2026", "date"): "«23» 03 2026 г.",
    ("ossetia_2023", "date"): "« 09 » 09 2023г.",
    ("ossetia_2023", "number"): "№ 78-р",
    ("sakhalin", "date"): "18.01.2024",
    ("sakhalin", "place"): "г. Южно-Сахалинск",
    ("dagestan", "number"): "№ 154 - ОД",
    ("dagestan", "date"): "«27» сентября 2024 г.",
    ("altai", "number"): "№ П-12-01/0019",
    ("altai", "agency_short"): "(КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ  \nРЕСПУБЛИКИ АЛТАЙ)",
}


@pytest.mark.parametrize("key", list(RAW), ids=[f"{n}-{f}" for n, f in RAW])
def test_raw_as_printed(key):
    name, field = key
    assert corpus(name)[1][0].meta.sources[field].raw == RAW[key]


def test_sakhalin_signatory_position_spans_two_lines():
    s = corpus("sakhalin")[1][0].meta.sources["signatory.position"]
    assert (s.span.line, s.span.end_line) == (27, 28)


def test_ossetia_2023_registration_span_and_raw():
    reg = corpus("ossetia_2023")[1][0].meta.registration
    assert (reg.span.line, reg.span.end_line) == (17, 24)


def test_memo_head():
    m = corpus("dagestan")[1][1].meta
    assert m.sources["date"].raw == "« 1/ » октября 2024 г."
    # "На № 02-ВН/805/24" is the request the memo answers, not its number
    assert m.sources["reply_to"].raw == "На № 02-ВН/805/24"
    assert m.reply_to == "02-ВН/805/24"
    assert m.sources["number"].raw == "02-04/805/24"
    assert m.sources["addressee"].raw == "Начальнику Управления\nДадаеву С.С."
    assert m.addressee == "Начальнику Управления Дадаеву С.С."


def test_memo_unreadable_date_warns_with_raw_text():
    memo = corpus("dagestan")[1][1]
    (w,) = [w for w in memo.warnings if w.code == "date_unreadable"]
    assert "« 1/ » октября 2024 г." in w.message
    assert w.span.line == 252
    assert "agency_from_file" in codes(memo)


def test_draft_blank_date_and_number_kept_as_raw():
    m = corpus("dagestan")[1][2].meta
    assert m.sources["date"].raw == "«___»\n\n2024 г."
    assert m.sources["number"].raw == "№"


def test_altai_header_in_altai_is_not_the_agency():
    doc = corpus("altai")[1][0]
    (w,) = [w for w in doc.warnings if w.code == "header_foreign"]
    assert (w.span.line, w.span.end_line) == (11, 15)


@pytest.mark.parametrize("name", ["ossetia_2026", "altai"])
def test_unclosed_citation_title_warns(name):
    doc = corpus(name)[1][0]
    assert "citation_problem" in codes(doc)


@pytest.mark.parametrize("name", list(FILES))
def test_no_unexpected_header_warnings(name):
    for doc in corpus(name)[1]:
        assert not {"no_agency", "no_title", "no_signatory", "header_unplaced", "no_region"} & set(codes(doc))


# ------------------------------------------------------------ other layouts


OTHER_LAYOUT = """ПРАВИТЕЛЬСТВО КУРСКОЙ ОБЛАСТИ
МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ
КУРСКОЙ ОБЛАСТИ

ПРИКАЗ

от 6 октября 2021 года                                  № 45-п/21

Курск

О внедрении принципов клиентоцентричности
в министерстве здравоохранения Курской области

В соответствии с Указом Президента Российской Федерации от 07.05.2024 N 309 «О национальных целях развития», \
постановлением Губернатора Курской области от О6.1О.2О21г № 12-пг, приказываю:

1. Утвердить план.
2. Контроль оставляю за собой.

Министр здравоохранения
Курской области                                  Иванов И.И.

Зарегистрировано в Минюсте России 12 мая 2022 г. N 58321
"""


def test_other_layout_parent_body_words_date_place_without_g():
    (doc,) = from_text(OTHER_LAYOUT)
    m = doc.meta
    assert m.agency == "Министерство здравоохранения Курской области"
    assert (m.region, m.region_code) == ("Курская область", "RU-KRS")
    assert (m.date, m.number, m.place) == ("2021-10-06", "45-п/21", "Курск")
    assert m.title == "О внедрении принципов клиентоцентричности в министерстве здравоохранения Курской области"
    assert (m.signatory.name, m.signatory.position) == ("Иванов И.И.", "Министр здравоохранения Курской области")
    assert (m.registration.authority, m.registration.date, m.registration.number) == ("Минюст России", "2022-05-12", "58321")
    assert [(a.doc_type, a.issuer, a.date, a.number) for a in m.legal_basis] == [
        ("указ", "Президент Российской Федерации", "2024-05-07", "309"),
        ("постановление", "Губернатор Курской области", "2021-10-06", "12-пг"),
    ]
    assert "header_parent" in codes(doc)


ONE_LINE_HEAD = """ГОСУДАРСТВЕННАЯ ЖИЛИЩНАЯ ИНСПЕКЦИЯ
РЕСПУБЛИКИ БАШКОРТОСТАН (ГЖИ РБ)

ПРИКАЗ

«06» октября 2021г.\tг. Уфа\tNo 154 – ОД

Об утверждении Порядка

На основании постановления Правительства Республики Башкортостан от 01.02.2021 № 15 «О порядке („дорожной карте“) внедрения», П Р И К А З Ы В А Ю:

1. Утвердить Порядок.

Руководитель инспекции\t                   П.П. Петров-Водкин
"""


def test_one_line_head_short_name_no_sign():
    (doc,) = from_text(ONE_LINE_HEAD)
    m = doc.meta
    assert (m.agency, m.agency_short) == ("Государственная жилищная инспекция Республики Башкортостан", "ГЖИ РБ")
    assert (m.region_code, m.date, m.number, m.place) == ("RU-BA", "2021-10-06", "154-ОД", "Уфа")
    assert (m.signatory.name, m.signatory.position) == ("П.П. Петров-Водкин", "Руководитель инспекции")
    assert m.legal_basis[0].title == "О порядке („дорожной карте“) внедрения"
    assert m.registration is None


def test_unplaced_header_text_warns():
    (doc,) = from_text("МИНИСТЕРСТВО ФИНАНСОВ\nРЕСПУБЛИКИ АЛТАЙ\n\nПРИКАЗ\n\n06.10.2021 № 5\nпроект вносит отдел\n\n"
                       "Об утверждении Плана\n\nприказываю:\n1. Утвердить.\n\nМинистр\n\nИ.И. Иванов\n")
    assert doc.meta.number == "5"
    (w,) = [w for w in doc.warnings if w.code == "header_unplaced"]
    assert w.span.line == 7


def test_missing_parts_warn():
    (doc,) = from_text("ПРИКАЗ\n\nприказываю:\n1. Утвердить.\n")
    assert {"no_agency", "no_title", "no_signatory"} <= set(codes(doc))


# ------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    "text, foreign",
    [
        ("АЛТАЙ РЕСПУБЛИКАНЫНГ ГРАЖДАН АЙАЛГАНЫ БИЧИИР ЛЕ АРХИВТЕР КЕРЕКТЕРИ ААЙЫНЧА КОМИТЕДИ", True),
        ("КОМИТЕТ ПО ДЕЛАМ ЗАПИСИ АКТОВ ГРАЖДАНСКОГО СОСТОЯНИЯ И АРХИВОВ РЕСПУБЛИКИ АЛТАЙ", False),
        ("КОМИТЕТ РЕСПУБЛИКИ СЕВЕРНАЯ ОСЕТИЯ-АЛАНИЯ ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ", False),
        ("ГКУ МФЦ РСО", False),
        ("ТАТАРСТАН РЕСПУБЛИКАСЫ МӘГАРИФ ҺӘМ ФӘН МИНИСТРЛЫГЫ", True),
    ],
)
def test_is_foreign(text, foreign):
    assert is_foreign(text) is foreign


@pytest.mark.parametrize(
    "upper, cased",
    [
        ("КОМИТЕТ РЕСПУБЛИКИ СЕВЕРНАЯ ОСЕТИЯ-АЛАНИЯ ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ", OSSETIA_AGENCY),
        ("МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ САХАЛИНСКОЙ ОБЛАСТИ", "Министерство социальной защиты Сахалинской области"),
        ("КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ РЕСПУБЛИКИ АЛТАЙ", "Комитет по делам ЗАГС и архивов Республики Алтай"),
        ("ГКУ «ЦЕНТР ЗАНЯТОСТИ НАСЕЛЕНИЯ ГОРОДА МОСКВЫ»", "ГКУ «Центр занятости населения города Москвы»"),
        ("Министерство финансов", "Министерство финансов"),  # not upper case: as printed
    ],
)
def test_restore_case(upper, cased):
    assert restore_case(upper) == cased


def test_restore_case_learns_from_body():
    body = "в соответствии с законодательством Российской Федерации и приказом Министерства"
    assert restore_case("ДЕПАРТАМЕНТ РОССИЙСКОЙ ФЕДЕРАЦИИ ПО ДЕЛАМ", body) == "Департамент Российской Федерации по делам"


STAMP_IN_HEAD = """РОССИЙСКАЯ ФЕДЕРАЦИЯ

МИНИСТЕРСТВО ТРУДА

И СОЦИАЛЬНОГО РАЗВИТИЯ РЕСПУБЛИКИ ДАГЕСТАН

РАСПОРЯЖЕНИЕ

Зарегистрировано в Минюсте РД 1 июня 2022 г. № 77

«__» ______ 2022 г. № _____

г.Махачкала

ОБ УТВЕРЖДЕНИИ ПОРЯДКА ВЗАИМОДЕЙСТВИЯ С КЛИЕНТАМИ

1. Создать рабочую группу в составе:
Иванов И.И.
Петров П.П.

Министр ____________ И.И. ИВАНОВ
"""


def test_stamp_in_head_blank_form_upper_title_signature_line():
    (doc,) = from_text(STAMP_IN_HEAD)
    m = doc.meta
    assert m.doc_type == "распоряжение"
    # a name broken by a blank line is joined; "РОССИЯ ФЕДЕРАЦИЯ" above it is not the agency
    assert m.agency == "Министерство труда и социального развития Республики Дагестан"
    assert (m.date, m.number, m.place) == (None, None, "Махачкала")
    assert m.sources["number"].raw == "№ _____"
    # the act a title approves keeps its capital, as real titles print it («Об утверждении Порядка …»)
    assert m.title == "Об утверждении Порядка взаимодействия с клиентами"
    assert (m.registration.authority, m.registration.date, m.registration.number) == ("Минюст РД", "2022-06-01", "77")
    # the members listed in the body are not the signatory
    assert (m.signatory.name, m.signatory.position) == ("И.И. ИВАНОВ", "Министр")
    assert codes(doc) == ["header_unplaced"]


def test_memo_reply_reference_date_is_not_the_memo_date():
    text = ("МИНИСТЕРСТВО ФИНАНСОВ\nРЕСПУБЛИКИ АЛТАЙ\n\nПРИКАЗ\n\n06.10.2021 № 5\n\nОб утверждении Плана\n\n"
            "приказываю:\n1. Утвердить.\n\nМинистр\n\nИ.И. Иванов\n\n"
            "На № 12/7 от 01.10.2021\n03.10.2021\nИсх. 44-к/21\nДиректору Департамента\n\nСлужебная записка\n\nСогласовано.\n\nНачальник отдела\n\nП. Петров\n")
    order, memo = from_text(text)
    m = memo.meta
    assert m.sources["reply_to"].raw == "На № 12/7 от 01.10.2021"
    assert m.reply_to == "12/7"
    assert m.date == "2021-10-03"
    assert m.number == "44-к/21"
    # the order's signature above the memo's head is not the memo's addressee
    assert m.sources["addressee"].raw == "Директору Департамента"
    assert m.agency == "Министерство финансов Республики Алтай"
    assert (m.signatory.name, m.signatory.position) == ("П. Петров", "Начальник отдела")


def test_place_printed_above_the_doc_type():
    (doc,) = from_text("ДЕПАРТАМЕНТ ЗДРАВООХРАНЕНИЯ\nГОРОДА МОСКВЫ\n\nг. Москва\n\nПРИКАЗ\n\n06.10.2021 № 5\n\n"
                       "Об утверждении Плана\n\nприказываю:\n1. Утвердить.\n\nРуководитель\n\nИ.И. Иванов\n")
    m = doc.meta
    assert (m.agency, m.place, m.region_code) == ("Департамент здравоохранения города Москвы", "Москва", "RU-MOW")
