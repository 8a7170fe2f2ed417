"""Real acts of other regions, in the shapes legal databases and portals
publish them (corpus/real/, hand-checked gold in corpus/real/_gold/).

The score test holds the whole set to the issue's bar; the shape tests below
pin one real text per shape with values read off that text by hand.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.document import SourceText, split_lines
from pipeline.errors import NoOrderFound
from pipeline.extract import extract_documents
from pipeline.run import extract_file

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"


def _score_module():
    spec = importlib.util.spec_from_file_location("score_real", REAL.parent.parent / "bench" / "score_real.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def score():
    return _score_module().score()


def test_real_corpus_is_big_and_varied(score):
    assert score["files"] >= 40
    assert score["regions"] >= 25


def test_no_real_act_is_refused(score):
    assert score["refused"] == []


def test_real_corpus_field_accuracy(score):
    misses = "\n".join(f"{m['file']} {m['field']}: {m['expected']!r} ≠ {m['got']!r}" for m in score["misses"])
    assert score["accuracy"] >= 0.95, misses


def test_every_real_text_has_a_manifest_entry():
    golds = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in (REAL / "_gold").glob("*.json")}
    texts = {p.name for p in REAL.glob("*.txt")}
    assert golds == texts
    manifest = (REAL / "MANIFEST.md").read_text(encoding="utf-8")
    for name in texts:
        assert f"`{name}`" in manifest


def _main(name: str):
    ex = extract_file(REAL / name)
    return ex, ex.documents[0]


def test_legal_database_heading_over_a_letterhead():
    # "Постановление Правительства Самарской области от 21.12.2022 № 1200 "Об …""
    # above ПРАВИТЕЛЬСТВО САМАРСКОЙ ОБЛАСТИ / ПОСТАНОВЛЕНИЕ / от 21 декабря 2022 г.№ 1200
    ex, d = _main("samara-government-2022-12-21-1200.txt")
    assert len(ex.documents) == 1
    m = d.meta
    assert (d.kind, m.doc_type, m.agency) == ("order", "постановление", "Правительство Самарской области")
    assert (m.date, m.number, m.region_code) == ("2022-12-21", "1200", "RU-SAM")
    assert m.title == "Об утверждении стандартов клиентоцентричности в Самарской области"
    assert "standard" in {a.kind for a in d.appendices}


def test_heading_title_in_proper_case_wins_over_a_capitalised_one_and_mojibake_number():
    # the act prints "О ВНЕДРЕНИИ …" and "в„– 281" (№ read back as cp1251); the heading prints "N 281"
    _, d = _main("kirov-government-2023-09-18-281.txt")
    m = d.meta
    assert (m.doc_type, m.agency, m.date, m.number) == ("распоряжение", "Правительство Кировской области", "2023-09-18", "281")
    assert m.title == "О внедрении принципов и стандартов клиентоцентричности в Кировской области"
    # "(в ред. распоряжения … от 08.11.2023 в„– 351)" amends the act: not its basis
    assert [a.number for a in m.legal_basis] == ["2816-р"]


def test_editorial_insertions_are_warnings_never_values():
    ex, d = _main("kirov-government-2023-09-18-281.txt")
    editorial = [w for w in ex.warnings if w.code.startswith("editorial_")]
    assert {w.span.line for w in editorial} == {12, 13}
    assert "изменяющих" not in (d.meta.title or "")
    ex, d = _main("mordovia-agriculture-2024-02-12-48-p-app1.txt")
    banner = [w for w in ex.warnings if w.code == "editorial_database_banner"]
    assert [w.span.line for w in banner] == [1, 2]
    values = json.dumps(d.model_dump(exclude={"warnings"}), ensure_ascii=False)
    assert "актуальную версию" not in values.replace("\\n", " ").split('"raw"')[0]


def test_appendix_published_alone_under_its_stamp():
    # Приложение 1 / к приказу Министерства сельского / хозяйства и продовольствия /
    # Республики Мордовия / от 12.02.2024 г. N 48-П / Порядок / ведения … (далее - Порядок)
    _, d = _main("mordovia-agriculture-2024-02-12-48-p-app1.txt")
    m = d.meta
    assert d.kind == "appendix"
    assert (m.doc_type, m.date, m.number) == ("приказ", "2024-02-12", "48-П")
    assert m.agency == "Министерство сельского хозяйства и продовольствия Республики Мордовия"
    assert (m.region, m.region_code) == ("Республика Мордовия", "RU-MO")
    own = d.appendices[0]
    assert own.kind == "poryadok" and own.present
    assert own.title == ("Порядок ведения Министерством сельского хозяйства и продовольствия Республики Мордовия "
                         "перечня точек взаимодействия с внешним и внутренним клиентами")
    assert m.sources["agency"].span.line == 4 and m.sources["number"].span.line == 7
    flat, todo = [], list(d.clauses)
    while todo:
        c = todo.pop(0)
        flat.append(c)
        todo[:0] = c.children
    assert flat[0].style == "none" and flat[0].text.startswith("Порядок ведения")  # the title heads the tree
    assert [c.number for c in flat if c.number][:3] == ["1.1.", "1.2.", "1)"]


def test_stamp_in_instrumental_lower_case_over_many_lines():
    # Приложение 1 / УТВЕРЖДЕНА / приказом министерства / сельского хозяйства / и перерабатывающей /
    # промышленности / Краснодарского края / от 22.03.2024 N 110
    _, d = _main("krasnodar-agriculture-2024-03-22-110-app1.txt")
    m = d.meta
    assert d.kind == "appendix"
    assert m.agency == "Министерство сельского хозяйства и перерабатывающей промышленности Краснодарского края"
    assert (m.date, m.number, m.region_code) == ("2024-03-22", "110", "RU-KDA")


def test_municipal_letterhead_with_a_quoted_name():
    _, d = _main("smolensk-sychevka-administration-2025-06-10-417.txt")
    m = d.meta
    assert m.agency == "Администрация муниципального образования «Сычевский муниципальный округ» Смоленской области"
    assert (m.doc_type, m.date, m.number, m.region) == ("постановление", "2025-06-10", "417", "Смоленская область")


def test_act_cut_before_its_head_takes_requisites_from_its_appendix_and_formula():
    # no heading or letterhead; "Правительство Мурманской области постановляет:" and, under the
    # appended Положение, "(утв. постановлением Правительства Мурманской области от 28 марта 2012 г. N 129-ПП)"
    _, d = _main("murmansk-government-2012-03-28-129-pp.txt")
    m = d.meta
    assert (m.doc_type, m.agency) == ("постановление", "Правительство Мурманской области")
    assert (m.date, m.number) == ("2012-03-28", "129-ПП")
    codes = {w.code for w in d.warnings}
    assert {"head_missing", "agency_from_formula", "requisites_from_appendix", "truncated"} <= codes
    # the Garant list of amendment dates above the text is not the act's date
    assert m.date != "2012-05-17"


def test_fixed_width_page_with_a_repeal_note_beside_the_date():
    _, d = _main("bryansk-administration-2008-01-25-59.txt")
    m = d.meta
    assert (m.doc_type, m.date, m.number) == ("постановление", "2008-01-25", "59")
    assert m.region == "Брянская область"
    # "Утратило силу - Постановление / Правительства Брянской области / от 02.12.2013 г. N 650-п"
    assert m.number != "650-п"


def test_a_cut_text_is_extracted_and_says_so():
    _, d = _main("sakhalin-investment-working-group-app1.txt")
    assert d.kind == "appendix"
    assert any(w.code == "truncated" for w in d.warnings)
    assert any(w.code == "stamp_without_act" for w in d.warnings)  # a bare "Приложение N 1"
    assert (d.meta.date, d.meta.number, d.meta.agency) == (None, None, None)


@pytest.mark.parametrize("text", [
    "# Touchpoint registry\n\nThis tool reads a folder of orders.\n",
    "Уважаемые коллеги!\nНаправляем вам информацию о проведении семинара.\nС уважением, отдел кадров\n",
])
def test_what_is_not_an_act_is_refused_with_what_was_looked_for(text):
    src = SourceText(path="x.txt", format="txt", reader="text", text=text, lines=split_lines(text))
    with pytest.raises(NoOrderFound) as err:
        extract_documents(src)
    msg = err.value.one_line()
    assert "x.txt" in msg and "looked for" in msg and "approval stamp" in msg


def test_governors_act_without_a_blank_line_before_the_signature():
    # "4.Распоряжение вступает в силу со дня его подписания. / Губернатор / Оренбургской области /
    # А.А.ЧЕРНЫШЕВ": the page dropped the blank line above the position; no letterhead
    _, d = _main("orenburg-governor-2009-07-31-257-r.txt")
    m = d.meta
    assert m.signatory.position == "Губернатор Оренбургской области"
    assert m.signatory.name == "А.А.ЧЕРНЫШЕВ"
    assert m.agency == "Губернатор Оренбургской области"
    assert m.sources["agency"].raw == "Губернатор\nОренбургской области"
    assert any(w.code == "agency_from_signature" for w in d.warnings)


def test_signature_printing_the_office_alone_takes_the_subject_from_the_acts_own_words():
    # "…в целях совершенствования нормативных правовых актов Губернатора Хабаровского края
    # постановляю:" … "Губернатор / В.И.Шпорт"; the Garant note "(в ред. постановлений
    # Губернатора Хабаровского края …)" above it is not the act's text
    ex, d = _main("khabarovsk-governor-appeals-procedure-body.txt")
    m = d.meta
    assert m.signatory.position == "Губернатор"
    assert m.agency == "Губернатор Хабаровского края"
    src = m.sources["agency"]
    assert src.raw == "Губернатора Хабаровского края"
    line = ex.documents[0].meta.sources["agency"].span.line
    assert "постановляю" in (REAL / "khabarovsk-governor-appeals-procedure-body.txt").read_text(encoding="utf-8").splitlines()[line - 1]


def test_a_quoted_title_ends_where_its_quotes_close():
    # Garant: 'Приказ … от 25 февраля 2016 г. N 42/од' / '"Об утверждении Положения … Нижегородской
    # области"' / '26 сентября 2016 г.' — the last is the page's amendment date, not the title's end
    _, d = _main("nizhny-novgorod-construction-ministry-2016-02-25-42-od.txt")
    assert d.meta.title == ("Об утверждении Положения о порядке рассмотрения обращений граждан "
                            "в министерстве строительства Нижегородской области")
    assert (d.meta.date, d.meta.number) == ("2016-02-25", "42/од")


def test_capitals_title_restored_with_the_approved_acts_name_capitalised():
    # 'ОБ УТВЕРЖДЕНИИ ПОРЯДКА ОРГАНИЗАЦИИ РАБОТЫ С ОБРАЩЕНИЯМИ ГРАЖДАН В АДМИНИСТРАЦИИ КУРСКОЙ
    # ОБЛАСТИ': the page is cut before the body ever prints 'Порядок'; a title names the act it
    # approves with a capital
    _, d = _main("kursk-administration-2014-10-03-630-pa.txt")
    assert d.meta.title == ("Об утверждении Порядка организации работы с обращениями граждан "
                            "в Администрации Курской области")


def test_approval_stamp_names_its_document_whatever_its_kind():
    # 'Приложение 1 / УТВЕРЖДЕНА / приказом министерства / … / от 22.03.2024 N 110 /
    # Организационная модель / внедрения клиентоцентричности в министерстве …' — «модель» is no
    # kind of appendix we know, but it is what the stamp approves
    _, d = _main("krasnodar-agriculture-2024-03-22-110-app1.txt")
    assert d.meta.title is None
    assert d.appendices[0].title == ("Организационная модель внедрения клиентоцентричности в министерстве "
                                     "сельского хозяйства и перерабатывающей промышленности Краснодарского края")
    assert d.appendices[0].kind == "other"


def test_appendix_title_stops_at_its_first_section():
    # 'Методические рекомендации / по формированию перечня точек взаимодействия с клиентом /
    # Общие положения / Точки взаимодействия клиента …'
    _, d = _main("mordovia-agriculture-2024-02-12-48-p-app2.txt")
    assert d.appendices[0].title == "Методические рекомендации по формированию перечня точек взаимодействия с клиентом"


def test_citations_broken_across_the_lines_of_a_fixed_width_page():
    # '…постановлением   Правительства   Забайкальского   края  от  19  января / 2010 года N 12  "Об …",
    # Федеральным  законом  от  27  июля  2010  года / N 210-ФЗ …'; Пермь: '…от 06 октября 2003 г. N' /
    # (blank line) / '131-ФЗ  "Об  общих  принципах …'
    _, d = _main("zabaykalsky-finance-ministry-2012-08-10-88-pd.txt")
    assert [a.number for a in d.meta.legal_basis] == ["12", "210-ФЗ", "59-ФЗ"]
    assert [a.date for a in d.meta.legal_basis] == ["2010-01-19", "2010-07-27", "2006-05-02"]
    assert "\n" in d.meta.legal_basis[0].raw  # raw as printed
    _, d = _main("perm-city-administration-2022-12-23-1344.txt")
    assert [(a.number, a.date) for a in d.meta.legal_basis] == [("131-ФЗ", "2003-10-06")]


def test_amending_order_does_not_take_the_act_it_amends_for_its_basis():
    # title 'О внесении изменений в Административный регламент …, утвержденный приказом … от
    # 09.01.2013 № 21'; preamble 'В целях приведения в соответствие … утвержденного приказом … от
    # 09.01.2013 года № 21 в редакции приказов … от 30.05.2013 № 34, …' — it cites no basis
    _, d = _main("chechnya-archives-2018-08-30-53.txt")
    assert d.meta.legal_basis == []
    assert (d.meta.date, d.meta.number) == ("2018-08-30", "53")


def test_appendices_an_order_declares_whatever_their_kind():
    # Томск: '1.… создать межведомственную рабочую группу … в составе согласно приложению N 1 …',
    # '2.Утвердить Положение о межведомственной рабочей группе … согласно приложению N 2'
    _, d = _main("tomsk-administration-2016-04-25-217-ra.txt")
    assert sorted(a.kind for a in d.appendices) == ["polozhenie", "sostav"]
    assert not any(a.present for a in d.appendices)
    # Киров: '2. Утвердить организационную модель внедрения стандартов клиентоцентричности в Кировской
    # области согласно приложению № 2' — no kind we name, still an appendix
    _, d = _main("kirov-government-2023-09-18-281.txt")
    other = [a for a in d.appendices if a.kind == "other"]
    assert len(other) == 1 and other[0].title.startswith("организационную модель внедрения стандартов")
    # Оренбург: 'Создать рабочую группу … и утвердить в составе согласно приложению.'
    _, d = _main("orenburg-governor-2009-07-31-257-r.txt")
    assert [a.kind for a in d.appendices] == ["sostav"]


def test_a_plural_kind_cites_a_list_and_a_database_repeal_note_is_no_basis():
    # 'Утратил силу на основании Постановления Правительства Севастополя от 27.04.2023 N 222-ПП, …'
    # (the database's note), then 'В соответствии с федеральными законами от 02.05.2006 N 59-ФЗ "…",
    # от 09.02.2009 N 8-ФЗ "…", Уставом города Севастополя, законами города Севастополя от
    # 30.04.2014 N 5-ЗС "…", от 29.09.2015 N 185-ЗС "…" Правительство Севастополя постановляет:'
    _, d = _main("sevastopol-government-2017-12-28-1000-pp.txt")
    basis = d.meta.legal_basis
    assert [(a.number, a.date, a.doc_type) for a in basis] == [
        ("59-ФЗ", "2006-05-02", "федеральный закон"), ("8-ФЗ", "2009-02-09", "федеральный закон"),
        ("5-ЗС", "2014-04-30", "закон"), ("185-ЗС", "2015-09-29", "закон")]
    assert basis[1].raw.startswith("от 09.02.2009 N 8-ФЗ")
    assert basis[3].title == "О правовых актах города Севастополя"
    ex, _ = _main("sevastopol-government-2017-12-28-1000-pp.txt")
    assert any(w.code == "editorial_repeal_note" for w in [*ex.warnings, *d.warnings])


def test_title_cut_by_the_pages_end_keeps_the_headings_whole_title():
    # heading line: 'Постановление Правительства Московской области от 30.12.2019 N 1067/44 "О государственной
    # информационной системе … в социальных медиа"'; the act's own title under ПОСТАНОВЛЕНИЕ is cut at
    # '… органов местного самоуправления муни' where the stored page ends
    _, d = _main("moscow-oblast-government-2019-12-30-1067-44.txt")
    assert d.meta.title.startswith("О государственной информационной системе Московской области")
    assert d.meta.title.endswith('и реагирования на жалобы жителей Московской области в социальных медиа"')
    assert any(w.code == "title_from_heading" for w in d.warnings)
