"""Saved web pages of legal databases and portals (.html): read as the act
they show, with the Перечень table as a grid; scripts, styles and the site's
layout table are not text."""

from __future__ import annotations

from pipeline.readers import read_file, sniff
from pipeline.run import extract_file

PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Приказ Министерства здравоохранения Тверской области от 1 марта 2024 г. N 5</title>
<style>p {{ margin: 0 }}</style><script>var counter = "ПРИКАЗЫВАЮ: 1. Утвердить";</script></head>
<body><table class="layout"><tr><td class="menu"><a href="/">Главная</a> <a href="/search">Расширенный поиск</a></td>
<td class="content">
<p align="center"><b>МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ ТВЕРСКОЙ ОБЛАСТИ</b></p>
<p align="center"><b>ПРИКАЗ</b></p>
<p>от 1 марта 2024 г. N 5</p>
<p align="center"><b>Об утверждении перечня точек взаимодействия</b></p>
<p>В соответствии с распоряжением Правительства Российской Федерации от 6 октября 2021 г.<br>N 2816-р приказываю:</p>
<p>1. Утвердить прилагаемый перечень точек взаимодействия Министерства здравоохранения Тверской области.</p>
<p>Министр здравоохранения<br>Тверской области&nbsp;&nbsp;&nbsp;А.В. Иванов</p>
<p align="right">Приложение<br>к приказу Министерства<br>от 1 марта 2024 г. N 5</p>
<p align="center">Перечень точек взаимодействия</p>
<table border="1">
<tr><th rowspan="2">N п/п</th><th colspan="2">Точка взаимодействия</th><th rowspan="2">Потребности клиента</th></tr>
<tr><th>Наименование</th><th>Тип</th></tr>
<tr><td>1</td><td>Официальный сайт Министерства</td><td>цифровая</td><td><p>получение информации;</p><p>подача обращений</p></td></tr>
<tr><td>2</td><td>Телефон горячей линии</td><td>офлайн</td><td>получение консультации</td></tr>
</table>
</td></tr></table></body></html>
"""


def test_a_saved_page_is_sniffed_as_html_whatever_its_name(tmp_path):
    head = PAGE.encode("cp1251")[:200]
    assert sniff(tmp_path / "act.htm", head) == "html"
    assert sniff(tmp_path / "act.txt", head) == "html"


def test_garant_like_page_in_windows_1251(tmp_path):
    path = tmp_path / "act.html"
    path.write_bytes(PAGE.encode("cp1251"))
    src = read_file(path)
    assert src.format == "html" and src.encoding == "windows-1251"
    assert "var counter" not in src.text and "p { margin" not in src.text
    (d,) = extract_file(path).documents
    m = d.meta
    assert (m.agency, m.doc_type, m.date, m.number) == (
        "Министерство здравоохранения Тверской области", "приказ", "2024-03-01", "5")
    assert m.title == "Об утверждении перечня точек взаимодействия"
    assert [a.number for a in m.legal_basis] == ["2816-р"]
    assert [(t.row, t.name, t.channel, t.kind, t.needs) for t in d.touchpoints] == [
        (1, "Официальный сайт Министерства", "website", "digital", ["получение информации", "подача обращений"]),
        (2, "Телефон горячей линии", "phone", "offline", ["получение консультации"]),
    ]
    # every value keeps its place in the text read from the page
    t = d.touchpoints[1]
    assert src.text[t.span.start : t.span.end].startswith("Телефон горячей линии")


def test_a_page_that_is_not_html_markup_stays_text(tmp_path):
    path = tmp_path / "act.txt"
    path.write_text("ПРИКАЗ\nот 1 марта 2024 г. N 5\nВ тексте встречается знак < и слово html.\n", encoding="utf-8")
    assert read_file(path).format == "txt"


def test_pre_keeps_a_drawn_perechen(tmp_path):
    # a text export shown on a page as is, the Перечень drawn with box characters
    from tests.test_boxtables import BOX, EXPECTED, HEAD

    page = f"<html><body><pre>{HEAD}{BOX}</pre></body></html>"
    path = tmp_path / "act.html"
    path.write_text(page, encoding="utf-8")
    (d,) = extract_file(path).documents
    assert d.meta.agency == "Департамент здравоохранения Воронежской области"
    assert [(t.name, t.channel, t.kind, t.needs) for t in d.touchpoints] == EXPECTED
