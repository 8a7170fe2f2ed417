"""Sections of the comparison report built from the current registries:
agencies and the acts each comparison uses, channels, client needs,
directions of activity, and data quality.

Each function takes the grouped agencies (which document feeds which table
is decided by ``Agency``: the latest signed act that has the facts in
question) and returns a :class:`Section` of tables in the report's language;
the standard-centred sections are in ``standard.py``, definitions and
template lineage in ``texts.py``, the per-region agency cards in
``agencies.py``. :mod:`pipeline.report.build` puts them in order.

Example::

    >>> L = Lang("ru")
    >>> [c for c in channels_section(agencies, L).tables[0].columns][:3]
    ['Ведомство', 'Регион', 'Платформа обратной связи']
"""

from __future__ import annotations

from collections import Counter

from pipeline.compare import Agency, Entry
from pipeline.identity import VERSIONED_KINDS, agency_of
from pipeline.nlp import load_vocab
from pipeline.report.i18n import Lang
from pipeline.report.links import src_of
from pipeline.report.standard import anchor, region_name
from pipeline.report.svg import usage_bars
from pipeline.report.tables import C, Cell, Section, Table, count_cell, date_cell

QUALITY_ROWS_IN_HTML = 400   # more warnings than this: the HTML lists errors only, the XLSX all


def entry_cell(e: Entry | None, L: Lang) -> Cell:
    if e is None:
        return C("—", mark="none")
    m = e.doc.meta
    return Cell(L.doc_label(e.doc.kind, m.date, m.number), src=src_of(e.ex, e.doc, e.doc.span),
                title=e.ref)


def agencies_table(agencies: list[Agency], L: Lang) -> Table:
    rows = []
    for a in agencies:
        latest = a.latest()
        m = latest.doc.meta if latest else None
        rows.append([C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L)), C(a.region_code or ""),
                     C(len(a.versions), value=len(a.versions)),
                     date_cell(m.date if m else None, L.date(m.date) if m else "—"), C(m.number if m else ""),
                     entry_cell(latest, L), entry_cell(a.registry, L), entry_cell(a.threshold_source, L),
                     entry_cell(a.definition_source, L)])
    return Table("agencies", L("t.agencies"),
                 [L("c.agency"), L("c.region"), L("c.region_code"), L("c.versions"), L("c.date"), L("c.number"),
                  L("c.latest"), L("c.registry_from"), L("c.thresholds_from"), L("c.definitions_from")],
                 rows, sheet=L("t.agencies")[:31] if L.code == "en" else "Ведомства", sortable=True, wide=(0,),
                 formats=("xlsx", "md"))


def channels_section(agencies: list[Agency], L: Lang) -> Section:
    channels = load_vocab("channels")["entries"]
    used = Counter()
    for a in agencies:
        for ch in {t.channel for t in (a.registry.doc.touchpoints if a.registry else [])}:
            used[ch] += 1
    kind_order = {"digital": 0, "offline": 1, None: 2}
    cols = [e for e in sorted(channels, key=lambda e: kind_order.get(e.get("kind"), 2)) if e["id"] in used]
    rows = []
    silent = [a for a in agencies if not a.registry]
    for a in agencies:
        if not a.registry:
            continue
        tps = a.registry.doc.touchpoints
        digital = sum(t.kind == "digital" for t in tps)
        offline = sum(t.kind == "offline" for t in tps)
        src = src_of(a.registry.ex, a.registry.doc, tps[0].span) if tps else None
        rows.append([C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L))]
                    + [_linked(count_cell(sum(t.channel == e["id"] for t in tps)), a,
                               next((t for t in tps if t.channel == e["id"]), None)) for e in cols]
                    + [C(digital, value=digital), C(offline, value=offline), Cell(str(len(tps)), value=len(tps), src=src)])
    n_kind = {k: sum(e.get("kind") == k for e in cols) for k in ("digital", "offline")}
    groups = [("", 2), (L("c.digital"), n_kind["digital"]), (L("c.offline"), n_kind["offline"]),
              ("", len(cols) - n_kind["digital"] - n_kind["offline"]), ("", 3)]
    table = Table("channels", L("t.channels"),
                  [L("c.agency"), L("c.region")] + [L.channel(e["id"]) for e in cols]
                  + [L("c.digital"), L("c.offline"), L("c.total")], rows,
                  groups=[g for g in groups if g[1]], codes=[None, None] + [e["id"] for e in cols] + [None] * 3,
                  note=L("n.channels") + (" " + L("n.no_registry", n=len(silent)) if silent else ""),
                  sheet=L("s.channels")[:31], sortable=True, wide=(0,))
    bars = usage_bars([(L.channel(e["id"]), used[e["id"]], e.get("kind") or "other") for e in cols],
                      {"digital": L("c.digital"), "offline": L("c.offline")}, len(agencies))
    return Section("channels", 0, L("s.channels"), L("s.channels.intro"), [table], chart=bars)


def _linked(cell: Cell, a: Agency, t) -> Cell:
    """A count linked to the first touchpoint it counts, in the registry's source."""
    if t is not None and t.span:
        cell.src = src_of(a.registry.ex, a.registry.doc, t.span)
    return cell


def vocab_matrix_section(agencies: list[Agency], vocab: str, attr: str, L: Lang) -> Section:
    entries = load_vocab(vocab)["entries"]
    values: dict[str, Counter] = {}
    for a in agencies:
        c = Counter()
        for t in (a.registry.doc.touchpoints if a.registry else []):
            v = getattr(t, attr)
            c.update(v if isinstance(v, list) else [v] if v else [])
        values[a.key] = c
    used = [e for e in entries if any(e["id"] in c for c in values.values())]
    def first(a: Agency, code: str):
        for t in a.registry.doc.touchpoints:
            v = getattr(t, attr)
            if code in (v if isinstance(v, list) else [v]):
                return t
        return None

    rows = [[C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L))]
            + [_linked(count_cell(values[a.key][e["id"]]), a, first(a, e["id"])) for e in used]
            for a in agencies if a.registry]
    silent = sum(1 for a in agencies if not a.registry)
    table = Table(vocab, L(f"t.{vocab}"), [L("c.agency"), L("c.region")] + [L.name(vocab, e["id"]) for e in used], rows,
                  codes=[None, None] + [e["id"] for e in used], sheet=L(f"s.{vocab}")[:31], sortable=True, wide=(0,),
                  note=L("n.no_registry", n=silent) if silent else "")
    return Section(vocab, 0, L(f"s.{vocab}"), L(f"s.{vocab}.intro"), [table])


def codes_table(L: Lang) -> Table:
    """The vocabulary codes behind the Russian names (XLSX: a sheet of its own)."""
    rows = []
    for vocab in ("channels", "needs", "directions"):
        for e in load_vocab(vocab)["entries"]:
            rows.append([C(L(f"sheet.codes_{vocab}")), C(L.name(vocab, e["id"])), C(e["id"])])
    return Table("codes", L("t.codes"), [L("c.section"), L("c.name"), L("c.code")], rows,
                 sheet="Коды" if L.code == "ru" else "Codes", formats=("xlsx",))


# ------------------------------------------------------------------ quality


def quality_section(agencies: list[Agency], L: Lang, skipped: list[tuple[str, str]] = ()) -> Section:
    rows = [[C(L("not_compared")), C(""), Cell(p.rsplit("/", 1)[-1], title=p), C(""), C(""),
             C(L("sev.error"), mark="looser"), C("not_loaded"), C(reason)] for p, reason in skipped]
    counts: dict[str, Counter] = {}
    for a in agencies:
        c = counts.setdefault(a.key, Counter())
        for ex in a.files:
            name = ex.source.path.replace("\\", "/").rsplit("/", 1)[-1]
            for w in ex.warnings:
                rows.append(_warning_row(a, ex, None, name, L("file_level"), w, L))
                c[(w.severity, w.code)] += 1
            for d in ex.documents:
                if d.kind in VERSIONED_KINDS and agency_of(ex, d) != a.key:
                    continue
                for w in d.warnings:
                    rows.append(_warning_row(a, ex, d, name, f"{d.id} ({L.kind(d.kind)})", w, L))
                    c[(w.severity, w.code)] += 1
    summary_rows = []
    for a in agencies:
        c = counts[a.key]
        total = sum(c.values())
        errors = sum(n for (sev, _), n in c.items() if sev == "error")
        codes = Counter()
        for (_, code), n in c.items():
            codes[code] += n
        summary_rows.append([C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L)), C(total, value=total),
                             C(errors or "", value=errors, mark="looser" if errors else None),
                             C(", ".join(f"{k} ({n})" for k, n in codes.most_common(4)))])
    if skipped:
        summary_rows.append([C(L("not_compared")), C(""), C(len(skipped), value=len(skipped)),
                             C(len(skipped), value=len(skipped), mark="looser"), C("not_loaded")])
    summary = Table("quality_summary", L("t.quality_summary"),
                    [L("c.agency"), L("c.region"), L("c.warnings"), L("c.errors"), L("c.codes")], summary_rows,
                    sheet=L("t.quality_summary")[:31], sortable=True, wide=(0,))
    columns = [L("c.agency"), L("c.region"), L("c.file"), L("c.document"), L("c.line"), L("c.severity"),
               L("c.code"), L("c.message")]
    full = Table("quality", L("t.quality"), columns, rows, sheet="Предупреждения" if L.code == "ru" else "Warnings",
                 sortable=True)
    tables = [summary, full]
    if len(rows) > QUALITY_ROWS_IN_HTML:
        full.formats = ("xlsx",)
        errors = [r for r in rows if r[5].mark == "looser"]
        tables.append(Table("quality_errors", L("t.quality"), columns, errors, note=L("n.quality_more", n=len(rows)),
                            sortable=True, formats=("html", "md")))
    return Section("quality", 0, L("s.quality"), L("s.quality.intro"), tables)


def _warning_row(a: Agency, ex, doc, name: str, where: str, w, L: Lang) -> list[Cell]:
    line = w.span.line if w.span else None
    src = src_of(ex, doc, w.span)
    sev = L(f"sev.{w.severity}") if f"sev.{w.severity}" in _SEVERITIES else w.severity
    return [C(a.label), C(region_name(a, L)), Cell(name, src=src, title=ex.source.path), C(where),
            Cell(str(line) if line else "", value=line, src=src if line else None),
            C(sev, mark="looser" if w.severity == "error" else None), C(w.code), C(w.message)]


_SEVERITIES = {"sev.error", "sev.warning", "sev.info"}
