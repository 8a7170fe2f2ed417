"""Appendices: approval stamps, titles, mismatches, approved but missing."""


def _aps(doc):
    return [(a.label, a.kind, a.present, a.approval and (a.approval.date, a.approval.number)) for a in doc.appendices]


def test_ossetia_2023_stamps_that_disagree_with_the_order(corpus):
    doc = corpus("ossetia_2023").documents[0]
    assert _aps(doc) == [
        ("Приложение №1", "sostav", True, ("2023-08-08", "73-р")),
        ("Приложение №2", "polozhenie", True, ("2025-08-09", "19-ф")),
        (None, "koncepciya", True, None),
    ]
    mism = [w for w in doc.warnings if w.code == "approval_mismatch"]
    assert [w.span.line for w in mism] == [54, 101]
    assert "73-р ≠ 78-р" in mism[0].message and "2025-08-09 ≠ 2023-09-09" in mism[1].message


def test_altai_stamp_number_typo_and_missing_perechen(corpus):
    doc = corpus("altai").documents[0]
    assert _aps(doc) == [(None, "poryadok", True, ("2024-03-28", "П-12/01-0019")),
                         (None, "perechen", False, None)]
    mism = [w for w in doc.warnings if w.code == "approval_mismatch"]
    assert len(mism) == 1 and "number П-12/01-0019 ≠ П-12-01/0019" in mism[0].message and "date 20" not in mism[0].message


def test_matching_stamps_raise_nothing(corpus):
    for name, idx in (("sakhalin", 0), ("dagestan", 0)):
        doc = corpus(name).documents[idx]
        assert doc.appendices[0].kind == "poryadok" and doc.appendices[0].approval is not None
        assert not [w for w in doc.warnings if w.code == "approval_mismatch"], name


def test_unstamped_appendices_of_ossetia_2026(corpus):
    doc = corpus("ossetia_2026").documents[0]
    assert [(a.kind, a.title_span.line) for a in doc.appendices] == [("poryadok", 37), ("perechen", 163)]
    assert doc.appendices[1].title.startswith("Перечень точек взаимодействия с клиентом в рамках рассмотрения обращений")


def test_draft_has_its_appendix_but_no_stamp(corpus):
    draft = corpus("dagestan").documents[2]
    assert _aps(draft) == [(None, "poryadok", True, None)]


def test_kind_word_in_capitals_over_a_title_in_lower_case():
    # "ПОРЯДОК / формирования и ведения перечня …" printed under the stamp
    from pipeline.extract.appendices import appendix_title

    assert appendix_title("ПОРЯДОК формирования и ведения перечня точек взаимодействия") == \
        "Порядок формирования и ведения перечня точек взаимодействия"
    assert appendix_title("СОСТАВ рабочей группы (далее - рабочая группа)") == "Состав рабочей группы"
    # an abbreviation opening a title is not a kind's word
    assert appendix_title("МФЦ как точка взаимодействия") == "МФЦ как точка взаимодействия"
