"""Comparison report on the corpus: the analysis behind each table, in
Russian, centred on the federal standard (values read from the five corpus
orders; the files written by `registry compare` are checked in
tests/test_report_ru.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.compare import group_agencies, standing
from pipeline.history import timeline
from pipeline.lineage import lineage
from pipeline.report.build import build

NAMES = ("altai", "dagestan", "ossetia_2023", "ossetia_2026", "sakhalin")
SECTIONS = ["Обзор по регионам", "Соответствие федеральному стандарту", "Пороговые значения", "Каналы взаимодействия",
            "Потребности клиентов", "Направления деятельности", "Определения", "Шаблоны приказов",
            "Ведомства по регионам", "Качество данных"]
PUBLICATION = "Размещение актуальной версии Перечня на сайте"


@pytest.fixture(scope="module")
def comparison(corpus):
    return build([(i, corpus(n)) for i, n in enumerate(NAMES)])


def row(table, needle: str):
    rows = [r for r in table.rows if any(needle in c.text for c in r[:3])]
    assert len(rows) == 1, (needle, [r[0].text for r in table.rows])
    return rows[0]


def col(table, prefix: str) -> int:
    hits = [i for i, c in enumerate(table.columns) if c.startswith(prefix)]
    assert len(hits) == 1, (prefix, table.columns)
    return hits[0]


def test_agencies_by_official_name_never_by_key(comparison):
    names = [a.label for a in comparison.agencies]
    assert "Комитет Республики Северная Осетия-Алания по занятости населения" in names
    assert "Министерство промышленности и торговли Республики Дагестан" in names
    keys = {a.key for a in comparison.agencies}
    shown = {c.text for t in comparison.tables() for r in t.rows for c in r}
    assert not keys & shown  # the lemmatized key stays in the store
    ossetia = [a for a in comparison.agencies if a.region_code == "RU-SE"]
    assert len(ossetia) == 1 and [e.doc.meta.number for e in ossetia[0].versions] == ["78-р", "22-2"]
    assert ossetia[0].registry.doc.meta.number == "22-2"


def test_the_undated_draft_comes_before_the_order_it_became(comparison):
    [dag] = [a for a in comparison.agencies if a.region_code == "RU-DA"]
    assert [(e.doc.kind, e.doc.meta.date) for e in dag.versions] == [("draft", None), ("order", "2024-09-27")]
    assert dag.latest().doc.kind == "order" and dag.registry.doc.kind == "order"
    steps = timeline(dag)
    assert steps[0].first and steps[1].entry.doc.meta.number == "154-ОД"
    # the draft and the order list the same seven touchpoints and thresholds
    assert (steps[1].touchpoints_added, steps[1].touchpoints_removed, steps[1].thresholds) == (0, 0, [])


def test_sections_in_russian_in_order(comparison):
    assert [s.title for s in comparison.sections] == SECTIONS
    assert [s.number for s in comparison.sections] == list(range(1, 11))


def test_thresholds_against_the_federal_standard(comparison):
    t = comparison.table("thresholds")
    i = col(t, PUBLICATION)
    assert t.head[0][0].text == "Федеральный стандарт" and t.head[0][i].text == "≤ 10 раб. дн."
    altai = row(t, "Алтай")[i]
    assert (altai.mark, altai.symbol, altai.text, altai.value) == ("stricter", "▲", "5 раб. дн. (−5)", 5)
    # exactly at the standard is compliant, never "loosest"
    for region in ("Сахалин", "Дагестан"):
        cell = row(t, region)[i]
        assert (cell.mark, cell.symbol, cell.text, cell.value) == ("compliant", "✓", "10 раб. дн.", 10)
    waiting = row(t, "Сахалин")[col(t, "Очный приём: время ожидания")]
    assert (waiting.mark, waiting.text) == ("compliant", "15 мин")
    mentions = col(t, "Соцсети и мессенджеры: ответ на упоминания")
    assert row(t, "Осетия")[mentions].text == "4 ч" and row(t, "Алтай")[mentions].mark == "missing"
    # every value links to its line in the source
    assert altai.src.path.endswith("altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt")
    assert altai.src.line


def test_a_looser_value_is_marked_with_its_distance(corpus):
    sak = corpus("sakhalin").model_copy(deep=True)
    for r in sak.documents[0].requirements:
        for t in r.thresholds:
            if t.metric == "publication_deadline":
                t.value = 15.0
            if t.metric == "response_time" and "упоминан" in (t.condition or ""):
                t.value = 6.0
    [agency] = group_agencies([(0, sak)])
    items = {i["id"]: i for i in build([(0, sak)]).standings.items}
    pub = standing(agency, items["publication_deadline"])
    assert (pub.status, pub.delta) == ("looser", 5.0)
    mentions = standing(agency, items["social_mentions_response"])
    assert (mentions.status, mentions.delta) == ("looser", 2.0)
    t = build([(0, sak)]).table("thresholds")
    cell = t.rows[0][col(t, PUBLICATION)]
    assert (cell.mark, cell.symbol, cell.text) == ("looser", "▼", "15 раб. дн. (+5)")
    assert t.rows[0][-1].value == 2  # deviations from the standard in this agency


def test_compliance_ranking_of_agencies_and_regions(comparison):
    t = comparison.table("compliance")
    ranked = [(r[0].value, r[2].text, r[3].text) for r in t.rows]
    assert ranked[-1] == (4, "Республика Алтай", "1 из 7")
    assert {ranked[0][1], ranked[1][1]} == {"Республика Дагестан", "Сахалинская область"}
    assert ranked[0][2] == ranked[1][2] == "6 из 7"
    dag = row(t, "Дагестан")
    assert dag[col(t, "Очный приём")].mark == "missing"
    assert dag[col(t, "В Перечне есть цифровые и нецифровые")].mark == "compliant"
    assert row(t, "Осетия")[col(t, "Круглосуточный цифровой помощник")].mark == "compliant"
    regions = comparison.table("regions")
    assert [(r[1].text, r[4].value) for r in regions.rows][-1] == ("Республика Алтай", 14)
    assert row(regions, "Северная Осетия")[4].value == 57


def test_channels_by_russian_name_codes_secondary(comparison):
    t = comparison.table("channels")
    edms = col(t, "СЭД")
    assert t.codes[edms] == "edms" and t.codes[col(t, "Мессенджеры")] == "messenger"
    ossetia = row(t, "Осетия")
    assert ossetia[edms].value == 2 and ossetia[col(t, "Мессенджеры")].value == 3
    assert ossetia[col(t, "всего")].value == 14
    assert ossetia[col(t, "цифровые")].value == 11 and ossetia[col(t, "офлайн")].value == 3
    assert row(t, "Дагестан")[col(t, "всего")].value == 7
    assert "Ведомств без Перечня в актах: 2." in t.note  # Алтай and Сахалин: no Перечень in their orders
    needs = comparison.table("needs")
    assert row(needs, "Осетия")[col(needs, "Получение информации")].value == 14
    assert needs.codes[col(needs, "Получение информации")] == "info"


def test_definitions_as_term_summary_with_differences(comparison):
    t = comparison.table("definition_terms")
    inner = row(t, "внутренний клиент")
    assert inner[1].value == 4 and inner[2].value >= 2
    assert "<details>" in inner[4].html and "<del>" in inner[4].html and "<ins>" in inner[4].html
    assert "Министерства" in inner[4].html and "Комитета" in inner[4].html
    wordings = [r for r in comparison.table("definition_wordings").rows if r[0].text == "внутренний клиент"]
    assert len(wordings) == 4 and any(r[3].value == 100.0 for r in wordings)


def test_template_lineage_clusters_and_pairs(comparison):
    lin = lineage(comparison.agencies)
    by_file = {Path(m.entry.ex.source.path).name + "#" + m.entry.doc.id: lin.cluster_of[i] for i, m in enumerate(lin.members)}
    dag = "dagestan-industry-trade-ministry-2024-09-27-154-od.txt"
    shared = {by_file[f"{dag}#d1"], by_file[f"{dag}#d3"], by_file["sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt#d1"],
              by_file["north-ossetia-employment-committee-2026-03-23-22-2.txt#d1"]}
    assert len(shared) == 1  # the three Порядки взаимодействия come from one template
    alone = [by_file["altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt#d1"],
             by_file["north-ossetia-employment-committee-2023-09-09-78-r.txt#d1"]]
    assert all(len(lin.clusters[c - 1].members) == 1 for c in alone)
    pairs = lin.top_pairs(3)
    assert {lin.members[pairs[0].a].agency.region_code, lin.members[pairs[0].b].agency.region_code} == {"RU-DA", "RU-SE"}
    assert 0.7 < pairs[0].similarity < 0.8
    t = comparison.table("lineage_clusters")
    assert [(r[1].value, r[2].value) for r in t.rows] == [(4, 3)]


def test_data_quality_links_warnings_to_their_lines(comparison):
    t = comparison.table("quality")
    truncated = [r for r in t.rows if r[6].text == "truncated"]
    assert len(truncated) == 1 and "Алтай" in truncated[0][0].text
    assert truncated[0][2].src.path.endswith("altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt")
    assert truncated[0][3].text == "d1 (приказ)" and truncated[0][4].value == truncated[0][4].src.line


def test_agency_cards_by_region(comparison):
    regions = comparison.section("regions").regions
    assert [g.name for g in regions] == ["Республика Алтай", "Республика Дагестан",
                                         "Республика Северная Осетия — Алания", "Сахалинская область"]
    [card] = next(g for g in regions if g.code == "RU-SE").cards
    assert card.counts["met"] == 4 and card.facts[0] == "Точки взаимодействия: 14 (цифровые 11, офлайн 3)"
    assert [s.text for s in card.timeline] == ["приказ от 09.09.2023 № 78-р", "приказ от 23.03.2026 № 22-2"]
    assert "точек +14" in card.timeline[1].changes


def test_appendices_published_alone_count_as_their_signed_act():
    # two real Garant pages, appendices 1 and 2 of the Mordovia order of 12.02.2024 N 48-П
    from pipeline.run import extract_file

    real = Path(__file__).resolve().parent.parent / "corpus" / "real"
    exs = [extract_file(real / f"mordovia-agriculture-2024-02-12-48-p-app{n}.txt") for n in (1, 2)]
    [agency] = group_agencies(enumerate(exs))
    assert agency.name == "Министерство сельского хозяйства и продовольствия Республики Мордовия"
    assert agency.region == "Республика Мордовия"
    assert not agency.draft_only
    assert [(e.doc.kind, e.doc.meta.number) for e in agency.versions] == [("appendix", "48-П"), ("appendix", "48-П")]
    assert agency.latest().doc.kind == "appendix"


def test_lineage_of_a_large_batch_compares_candidates_not_every_pair():
    """300 texts from three templates (each copy with 4 % of its words changed): three
    clusters, each text's closest match from its own template, and far fewer pairs
    compared than the 44,850 of every pair (at most 64 per text)."""
    import random

    from pipeline.compare import Agency, Entry
    from pipeline.lineage import CANDIDATES
    from pipeline.textsim import Shingler

    rng = random.Random(13)
    vocab = [f"слово{i}" for i in range(3000)]
    templates = [[rng.choice(vocab) for _ in range(400)] for _ in range(3)]
    sh = Shingler()
    agencies = []
    for i in range(300):
        words = list(templates[i % 3])
        for k in rng.sample(range(len(words)), 16):
            words[k] = rng.choice(vocab)
        text = " ".join(words)
        e = Entry(None, None, f"a{i}", i, 0, sh.hashes(text), len(words))
        agencies.append(Agency(f"a{i}", f"Ведомство {i}", None, None, [e], []))
    lin = lineage(agencies)
    assert sorted(len(c.members) for c in lin.clusters) == [100, 100, 100]
    assert len({lin.cluster_of[i] for i in range(0, 300, 3)}) == 1  # one template, one cluster
    assert all(m.closest % 3 == i % 3 and m.closest_similarity > 0.6 for i, m in enumerate(lin.members))
    assert len(lin.pairs) <= 300 * CANDIDATES < 300 * 299 // 2
    assert all(0.6 < c.mean_similarity < 0.9 for c in lin.clusters)
    top = lin.top_pairs(5)
    assert len(top) == 5 and top[0].similarity >= top[-1].similarity > 0.6
