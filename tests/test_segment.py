"""One file → its documents."""

from pipeline.document import SourceText, split_lines
from pipeline.cleanup import plain
from pipeline.segment import segment


def _src(text):
    return SourceText("x.txt", "txt", "txt", text, split_lines(text))


def test_documents_per_corpus_file(corpus):
    kinds = {name: [(d.kind, d.meta.doc_type) for d in corpus(name).documents]
             for name in ("ossetia_2026", "ossetia_2023", "sakhalin", "dagestan", "altai")}
    assert kinds == {
        "ossetia_2026": [("order", "приказ")],
        "ossetia_2023": [("order", "приказ")],
        "sakhalin": [("order", "приказ")],
        "dagestan": [("order", "приказ"), ("memo", "служебная записка"), ("draft", "приказ")],
        "altai": [("order", "приказ")],
    }


def test_dagestan_boundaries(corpus):
    docs = corpus("dagestan").documents
    assert [(d.span.line, d.span.end_line) for d in docs] == [(5, 250), (252, 273), (275, 473)]


def test_memo_after_a_signed_act_leaves_the_signature_to_the_act():
    text = ("ПРИКАЗ\n\n1. Утвердить Порядок.\n\nМинистр\n\nН.Р. Халилов\n\n« 1 » октября 2024 г.\n\n"
            "Начальнику Управления\nДадаеву С.С.\n\nСлужебная записка\n\nТекст.")
    assert [(s.kind, s.first_line, s.last_line) for s in segment(_src(text))] == [("order", 1, 8), ("memo", 9, 16)]


def test_letter_spaced_and_markdown_doc_types():
    assert plain("## **П Р И К А З**") == "ПРИКАЗ"
    assert [s.doc_type for s in segment(_src("АДМИНИСТРАЦИЯ\n\nР А С П О Р Я Ж Е Н И Е\n\nТекст"))] == ["распоряжение"]


def test_operative_formula_without_a_doc_type_line():
    sl = segment(_src("Об утверждении порядка\n\nВ целях реализации приказываю:\n\n1. Утвердить."))
    assert [(s.kind, s.doc_type) for s in sl] == [("order", None)]
