"""Sections about the texts themselves: definitions (a term × agency summary,
differences on demand) and template lineage (clusters and the most similar
pairs, never an N × N matrix).

Definitions are grouped by the term's lemmas; agencies with the same wording
(after :func:`pipeline.textsim.norm`) share one *variant*, and the typical
wording is the variant closest to all others weighted by how many agencies
use each — so the work and the page grow with the number of distinct
wordings, not of agencies.

Example::

    >>> t = definitions_section(agencies, Lang("ru")).tables[0]
    >>> [(r[0].text, r[1].value) for r in t.rows][:1]
    [('внутренний клиент', 4)]
"""

from __future__ import annotations

from html import escape

from pipeline.compare import Agency, Entry
from pipeline.lineage import LINEAGE_CLUSTER, Lineage
from pipeline.report.i18n import Lang
from pipeline.report.links import src_of
from pipeline.report.standard import anchor, region_name
from pipeline.report.tables import C, Cell, Section, Table
from pipeline.textsim import definition_key, norm, similarity, word_diff

NAMES_SHOWN = 6      # agencies named per variant or cluster before "and N more"
VARIANTS_SHOWN = 30  # wordings of one term listed in the HTML (all of them in the XLSX sheet «Формулировки»)
TOP_PAIRS = 25


def _names(agencies: list[Agency], L: Lang, n: int = NAMES_SHOWN) -> str:
    names = [a.label for a in agencies]
    return "; ".join(names[:n]) + (f"; {L('more', n=len(names) - n)}" if len(names) > n else "")


def _ops_text(ops) -> str:
    return " ".join(w.text if w.op == "=" else f"[-{w.text}-]" if w.op == "-" else f"{{+{w.text}+}}" for w in ops)


def _ops_html(ops) -> str:
    return " ".join(escape(w.text) if w.op == "=" else f"<del>{escape(w.text)}</del>" if w.op == "-"
                    else f"<ins>{escape(w.text)}</ins>" for w in ops)


def definitions_section(agencies: list[Agency], L: Lang) -> Section:
    terms: dict[str, dict[str, list]] = {}   # term key -> norm wording -> [(agency, definition, entry)]
    shown: dict[str, str] = {}
    for a in agencies:
        e = a.definition_source
        seen: set[str] = set()
        for d in (e.doc.definitions if e else []):
            k = definition_key(d)
            if k in seen:
                continue
            seen.add(k)
            terms.setdefault(k, {}).setdefault(norm(d.definition), []).append((a, d, e))
            shown.setdefault(k, d.term)
    order = sorted(terms, key=lambda k: (-sum(len(v) for v in terms[k].values()), shown[k].lower()))
    summary, wordings = [], []
    for k in order:
        variants = sorted(terms[k].values(), key=len, reverse=True)
        texts = [v[0][1].definition for v in variants]
        ref = max(range(len(variants)), key=lambda i: (sum(len(variants[j]) * similarity(texts[i], texts[j])
                                                            for j in range(len(variants))), -i))
        holders = sum(len(v) for v in variants)
        details = []
        for i in [ref] + [i for i in range(len(variants)) if i != ref]:  # the typical wording first
            v = variants[i]
            agencies_v = [a for a, _, _ in v]
            if i == ref:
                body, sim = escape(texts[i]), 100.0
            else:
                ops = word_diff(texts[ref], texts[i])
                body, sim = _ops_html(ops), similarity(texts[ref], texts[i])
            if len(details) < VARIANTS_SHOWN:
                details.append(f"<li><p class=\"who\">{escape(_names(agencies_v, L))}"
                               f" — {L('c.similarity').lower()} {L.number(sim)}</p><p>{body}</p></li>")
            elif len(details) == VARIANTS_SHOWN:  # the rest are in the XLSX sheet «Формулировки»
                details.append(f"<li><p class=\"who\">{escape(L('more', n=len(variants) - VARIANTS_SHOWN))}</p></li>")
            for a, d, e in v:
                ops = [] if i == ref else word_diff(texts[ref], d.definition)
                wordings.append([C(shown[k]), C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L)),
                                 C(L.number(sim), value=sim, mark="yes" if i == ref else None),
                                 Cell(d.definition, src=src_of(e.ex, e.doc, d.span)),
                                 Cell(_ops_text(ops), parts=[(w.op, w.text) for w in ops]) if ops else C("")])
        diff_html = (f"<details><summary>{escape(L('variants', n=len(variants)))}</summary><ol class=\"variants\">{''.join(details)}</ol></details>"
                     if len(variants) > 1 else "")
        first = variants[ref][0]
        summary.append([C(shown[k]), C(holders, value=holders), C(len(variants), value=len(variants)),
                        Cell(texts[ref], src=src_of(first[2].ex, first[2].doc, first[1].span)),
                        Cell(str(len(variants) - 1) if len(variants) > 1 else "", value=len(variants) - 1, html=diff_html)])
    terms_table = Table("definition_terms", L("t.definition_terms"),
                        [L("c.term"), L("c.agencies"), L("c.variants"), L("c.typical"), L("c.differences")], summary,
                        note=L("n.definitions"), sheet=L("s.definitions")[:31], sortable=True, wide=(3,))
    all_table = Table("definition_wordings", L("t.definition_wordings"),
                      [L("c.term"), L("c.agency"), L("c.region"), L("c.similarity"), L("c.wording"), L("c.diff")],
                      wordings, sheet="Формулировки" if L.code == "ru" else "Wordings", formats=("xlsx",))
    return Section("definitions", 0, L("s.definitions"), L("s.definitions.intro"), [terms_table, all_table])


def doc_label(a: Agency, e: Entry, L: Lang) -> str:
    m = e.doc.meta
    return f"{a.label}: {L.doc_label(e.doc.kind, m.date, m.number)}"


def lineage_section(lin: Lineage, L: Lang) -> Section:
    ms = lin.members
    cl_rows = []
    for c in lin.clusters:
        rep = ms[c.representative]
        agencies = list({id(ms[i].agency): ms[i].agency for i in c.members}.values())
        cl_rows.append([C(f"T{c.number}", value=c.number), C(len(c.members), value=len(c.members)),
                        C(c.agencies, value=c.agencies), C(L.number(c.mean_similarity, 2), value=c.mean_similarity),
                        Cell(doc_label(rep.agency, rep.entry, L), src=src_of(rep.entry.ex, rep.entry.doc, rep.entry.doc.span)),
                        C(_names(agencies, L))])
    shared = [r for r in cl_rows if r[1].value > 1]
    alone = len(cl_rows) - len(shared)
    clusters = Table("lineage_clusters", L("t.lineage_clusters"),
                     [L("c.template"), L("c.documents"), L("c.agencies"), L("c.mean_similarity"), L("c.representative"),
                      L("c.agency_names")], shared,
                     note=(f"{alone} — " + ("документов без общего шаблона" if L.code == "ru" else "documents share no template"))
                     if alone else "", sheet=L("s.lineage")[:31], sortable=True)
    pairs = lin.top_pairs(TOP_PAIRS)
    n_agencies = len({id(m.agency) for m in ms})
    total = n_agencies * (n_agencies - 1) // 2
    pair_rows = [[Cell(doc_label(ms[p.a].agency, ms[p.a].entry, L), src=src_of(ms[p.a].entry.ex, ms[p.a].entry.doc, ms[p.a].entry.doc.span)),
                  Cell(doc_label(ms[p.b].agency, ms[p.b].entry, L), src=src_of(ms[p.b].entry.ex, ms[p.b].entry.doc, ms[p.b].entry.doc.span)),
                  C(L.number(p.similarity, 2), value=p.similarity)] for p in pairs]
    pair_table = Table("lineage_pairs", L("t.lineage_pairs"), [L("c.document_a"), L("c.document_b"), L("c.similarity")],
                       pair_rows, note=L("n.lineage_pairs", n=len(pair_rows), total=total),
                       sheet="Похожие пары" if L.code == "ru" else "Similar pairs")
    member_rows = []
    for i, m in enumerate(ms):
        size = len(lin.clusters[lin.cluster_of[i] - 1].members)
        closest = doc_label(ms[m.closest].agency, ms[m.closest].entry, L) if m.closest is not None else "—"
        member_rows.append([C(f"T{lin.cluster_of[i]}" if size > 1 else "—", value=lin.cluster_of[i]),
                            C(m.agency.label, href=f"#a-{anchor(m.agency)}"),
                            Cell(L.doc_label(m.entry.doc.kind, m.entry.doc.meta.date, m.entry.doc.meta.number),
                                 src=src_of(m.entry.ex, m.entry.doc, m.entry.doc.span), title=m.entry.ref),
                            C(m.words, value=m.words), C(closest), C(L.number(m.closest_similarity, 2), value=m.closest_similarity)])
    member_rows.sort(key=lambda r: (r[0].value, r[1].text))
    members = Table("lineage_members", L("t.lineage_members"),
                    [L("c.template"), L("c.agency"), L("c.document"), L("c.words"), L("c.closest"), L("c.similarity")],
                    member_rows, sheet="Документы по шаблонам" if L.code == "ru" else "Documents by template",
                    formats=("xlsx", "md"), sortable=True)
    return Section("lineage", 0, L("s.lineage"), L("s.lineage.intro", pct=f"{LINEAGE_CLUSTER:.0%}"),
                   [clusters, pair_table, members], details=[(L("t.lineage_members"), members)])
