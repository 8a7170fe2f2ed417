"""Clause tree: labels as printed, nesting, paragraph rebuilding, anomalies."""

import pytest

from pipeline.labels import parse_label
from pipeline.structure import merge_paragraphs


@pytest.mark.parametrize("text, style, printed, value", [
    ("1. Утвердить прилагаемый Порядок", "decimal", "1.", "1"),
    ("16.2. Социальные сети", "decimal", "16.2.", "16.2"),
    ("2.1 Перечень формируется", "decimal", "2.1", "2.1"),
    ("1 Общие положения", "decimal", "1", "1"),
    ("I. Общие положения", "roman", "I.", "I"),
    ("а) проектируются с учетом", "letter", "а)", "а"),
    ("- а) дополнительные требования,", "letter", "а)", "а"),
    ("- 1) удовлетворенность клиентов", "paren_number", "1)", "1"),
    ("• 1. Настоящий Порядок", "decimal", "1.", "1"),
    ("- выстраивание эффективного", "bullet", "-", "-"),
    ("-цифровые точки;", "bullet", "-", "-"),
    ("**Клиент** (внешний клиент) — лицо", "none", "", ""),
    ("## **II. Порядок формирования**", "roman", "II.", "II"),
])
def test_labels_as_printed(text, style, printed, value):
    label, _ = parse_label(text)
    assert (label.style, label.printed, label.value) == (style, printed, value)


@pytest.mark.parametrize("text", ["2024 г.", "1\t2\t3\t4\t5\t6", "1 2 3 4 5 6", "10 рабочих дней"])
def test_not_labels(text):
    assert parse_label(text)[0].style == "none"


def test_paragraph_cut_by_a_break_is_joined():
    lines = [(1, 0, 60, "ж) время ожидания обслуживания при очном взаимодействии не"),
             (3, 62, 81, "превышает 15 минут."),
             (5, 83, 95, "5. Заключительные положения")]
    paras = merge_paragraphs(lines)
    assert [p[4] for p in paras] == ["ж) время ожидания обслуживания при очном взаимодействии не превышает 15 минут.",
                                     "5. Заключительные положения"]
    assert paras[0][:4] == (1, 3, 0, 81)


def test_list_entries_are_not_joined():
    lines = [(1, 0, 10, "являются:"), (2, 11, 30, "выстраивание связей;"), (3, 31, 50, "формирование опыта.")]
    assert len(merge_paragraphs(lines, soft_wrapped=True)) == 3


def test_inline_items_are_split():
    lines = [(1, 0, 27, " - б) обращения; в) запроса;")]
    paras = merge_paragraphs(lines)
    assert [p[4] for p in paras] == ["- б) обращения;", "в) запроса;"]


def _find(clauses, number):
    for c in clauses:
        if c.number == number:
            return c
        hit = _find(c.children, number)
        if hit:
            return hit


def test_sakhalin_letter_for_digit_is_placed_as_6(corpus):
    doc = corpus("sakhalin").documents[0]
    key = _find(doc.clauses, "4.2.")
    assert [c.number for c in key.children] == ["1)", "2)", "3)", "4)", "5)", "б)", "7)"]
    six = key.children[5]
    assert six.text.startswith("письменное взаимодействие")
    assert [c.number for c in six.children] == ["а)", "б)", "в)", "г)"]
    w = [w for w in doc.warnings if w.code == "numbering_lookalike"]
    assert len(w) == 1 and w[0].span.line == 254 and "6)" in w[0].message


def test_dagestan_draft_duplicate_item_is_kept_and_flagged(corpus):
    draft = corpus("dagestan").documents[2]
    dup = [w for w in draft.warnings if w.code == "numbering_duplicate"]
    assert len(dup) == 1 and dup[0].span.line == 408
    portal = _find(draft.clauses, "3.2").children[0]
    assert [c.number for c in portal.children][:5] == ["а)", "б)", "в)", "в)", "г)"]


def test_ossetia_2026_tree(corpus):
    doc = corpus("ossetia_2026").documents[0]
    sections = [c.number for c in doc.clauses if c.style == "roman"]
    assert sections == ["I.", "II.", "III."]
    c162 = _find(doc.clauses, "16.2.")
    assert c162.text.startswith("Социальные сети, публичные чаты в мессенджерах")
    assert len(c162.children) == 4 and all(ch.style == "bullet" for ch in c162.children)
    assert c162.span.line == 137


def test_altai_truncated_file_is_flagged(corpus):
    doc = corpus("altai").documents[0]
    w = [w for w in doc.warnings if w.code == "truncated"]
    assert len(w) == 1 and w[0].span.line == 172


def test_no_truncation_warning_for_complete_files(corpus):
    for name in ("ossetia_2026", "ossetia_2023", "sakhalin", "dagestan"):
        for d in corpus(name).documents:
            assert not [w for w in d.warnings if w.code == "truncated"], name


def test_clause_ids_are_unique_and_spans_point_at_the_text(corpus):
    for name in ("sakhalin", "dagestan", "altai"):
        ex = corpus(name)
        text = (__import__("pathlib").Path("corpus") / ex.source.path.split("/")[-1]).read_text(encoding="utf-8")
        for d in ex.documents:
            seen = set()

            def walk(cs):
                for c in cs:
                    assert c.id not in seen
                    seen.add(c.id)
                    assert c.text.split()[0].strip("*") in text[c.span.start:c.span.end]
                    walk(c.children)
            walk(d.clauses)
