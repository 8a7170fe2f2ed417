"""Working group (состав) and tasks with deadlines."""

import pytest

from pipeline.extract.people import parse_member
from pipeline.run import extract_file


def test_working_group_of_19_with_leader_and_deputy(corpus):
    doc = corpus("ossetia_2023").documents[0]
    wg = doc.working_group
    assert len(wg) == 19
    leader = [m for m in wg if m.role == "leader"]
    deputy = [m for m in wg if m.role == "deputy"]
    assert [(m.name, m.position) for m in leader] == [
        ("Авакова Э.Л.", "заместитель председателя Комитета Республики Северная Осетия-Алания по занятости населения")]
    assert [m.name for m in deputy] == ["Каболова Л.З."]
    assert wg[-1].name == "Черчесова Ф.А." and wg[-1].span.line == 99
    assert all(m.role == "member" for m in wg if m not in leader + deputy)


def test_no_working_group_where_none_is_printed(corpus):
    for name in ("ossetia_2026", "sakhalin", "dagestan", "altai"):
        assert all(not d.working_group for d in corpus(name).documents), name


@pytest.mark.parametrize("text, name, role", [
    ("Иванов И.И. – начальник отдела (секретарь рабочей группы);", "Иванов И.И.", "secretary"),
    ("И.И. Петров - директор ГКУ «Центр занятости»;", "И.И. Петров", "member"),
    ("Сидорова Анна Петровна — заместитель министра (председатель рабочей группы)", "Сидорова Анна Петровна", "leader"),
])
def test_parse_member(text, name, role):
    n, _, r = parse_member(text)
    assert (n, r) == (name, role)


def test_parse_member_rejects_sentences():
    assert parse_member("Клиент - физическое или юридическое лицо") is None


def test_task_deadlines(corpus):
    doc = corpus("ossetia_2023").documents[0]
    dated = [(t.clause, t.deadline) for t in doc.tasks if t.deadline]
    assert dated == [("4. а)", "2023-09-01"), ("4. б)", "2023-09-25"), ("4. в)", "2023-12-01"), ("4. г)", "2023-12-20")]
    assert all(t.assignee == "Рабочей группе" for t in doc.tasks if t.deadline)
    early = [w for w in doc.warnings if w.code == "deadline_before_order"]
    assert len(early) == 1 and "2023-09-01" in early[0].message and early[0].span.line == 36


def test_approving_and_control_clauses_are_not_tasks(corpus):
    doc = corpus("altai").documents[0]
    assert [t.clause for t in doc.tasks] == ["3.", "4."]
    doc = corpus("sakhalin").documents[0]
    assert [t.clause for t in doc.tasks] == ["2."]  # 3. "вступает в силу" is not an instruction


def test_roles_opening_the_member_lines_and_a_members_heading(tmp_path):
    # "1. Создать рабочую группу … в следующем составе: / Руководитель рабочей группы: Сидорова Анна
    # Петровна – первый заместитель министра; / Заместитель руководителя рабочей группы: Козлов … /
    # Члены рабочей группы: / Белова … / Орлов …"
    from tests.test_requirements import REQUIREMENTS_AS_PRINTED

    path = tmp_path / "order.txt"
    path.write_text(REQUIREMENTS_AS_PRINTED, encoding="utf-8")
    (d,) = extract_file(path).documents
    assert [(m.name, m.position, m.role) for m in d.working_group] == [
        ("Сидорова Анна Петровна", "первый заместитель министра", "leader"),
        ("Козлов Игорь Викторович", "начальник отдела цифровой трансформации", "deputy"),
        ("Белова Ольга Николаевна", "консультант отдела по работе с обращениями граждан", "member"),
        ("Орлов Денис Сергеевич", "главный специалист отдела информационной политики", "member"),
    ]
    assert not [w for w in d.warnings if w.code == "working_group_no_leader"]


def test_working_group_printed_as_a_table(tmp_path):
    # the состав as Word offices print it: a two-column table under 'Состав рабочей группы …', the
    # role after a dash in the position cell, a 'Члены рабочей группы:' row for the rows under it
    import docx

    d = docx.Document()
    for t in ["МИНИСТЕРСТВО ЭКОНОМИЧЕСКОГО РАЗВИТИЯ ТУЛЬСКОЙ ОБЛАСТИ", "ПРИКАЗ", "от 5 февраля 2024 г. № 18",
              "О создании рабочей группы по внедрению клиентоцентричности",
              "В целях реализации распоряжения Правительства Российской Федерации от 6 октября 2021 г. № 2816-р "
              "приказываю:",
              "1. Создать рабочую группу по внедрению клиентоцентричности и утвердить ее состав согласно приложению.",
              "Министр\tА.А. Смирнов",
              "Приложение к приказу министерства экономического развития Тульской области от 5 февраля 2024 г. № 18",
              "Состав рабочей группы по внедрению клиентоцентричности"]:
        d.add_paragraph(t)
    tb = d.add_table(rows=0, cols=2)
    for a, b in [("Кузнецова Мария Ивановна", "заместитель министра – руководитель рабочей группы"),
                 ("Волков Петр Сергеевич", "начальник отдела – заместитель руководителя рабочей группы"),
                 ("Морозова Елена Андреевна", "консультант отдела – секретарь рабочей группы"),
                 ("Члены рабочей группы:", ""),
                 ("Лебедев Игорь Олегович", "начальник отдела информационной политики")]:
        cells = tb.add_row().cells
        cells[0].text, cells[1].text = a, b
    path = tmp_path / "order.docx"
    d.save(path)
    (doc,) = extract_file(path).documents
    assert [(m.name, m.position, m.role) for m in doc.working_group] == [
        ("Кузнецова Мария Ивановна", "заместитель министра", "leader"),
        ("Волков Петр Сергеевич", "начальник отдела", "deputy"),
        ("Морозова Елена Андреевна", "консультант отдела", "secretary"),
        ("Лебедев Игорь Олегович", "начальник отдела информационной политики", "member"),
    ]
    assert doc.touchpoints == []


def test_role_after_a_dash_at_the_end_of_the_position():
    assert parse_member("Кузнецова М.И. – заместитель министра, руководитель рабочей группы;") == (
        "Кузнецова М.И.", "заместитель министра", "leader")
