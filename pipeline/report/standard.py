"""The report centred on the federal standard: the thresholds table (each
agency's value, its status and its distance from the standard), the ranking
of agencies and of regions, and the tile map of regions.

Statuses come from :func:`pipeline.compare.standing` over the items of
``vocab/compliance.json``: as the standard (✓), stricter (▲), looser (▼),
not stated (○). A value exactly at the standard is *as the standard*, never
"loosest"; a value looser than the standard is marked wherever it occurs.

Example::

    >>> t = thresholds_section(agencies, Standings(agencies), Lang("ru")).tables[0]
    >>> [(c.symbol, c.text) for c in t.rows[0]][2:]   # Алтай: only the publication deadline, 5 of 10 days
    [('○', 'не указано'), ('○', 'не указано'), ('○', 'не указано'), ('○', 'не указано'), ('▲', '5 раб. дн. (−5)'), ('', '')]
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from pipeline.compare import (
    Agency,
    Standing,
    compliance_items,
    in_base_unit,
    standing,
    threshold_slots,
)
from pipeline.nlp import load_vocab
from pipeline.report.i18n import SYMBOL, Lang
from pipeline.report.links import src_of
from pipeline.report.svg import tile_map
from pipeline.report.tables import C, Cell, Section, Table

COMPARATOR = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


class Standings:
    """Every agency's standing on every item of the standard, computed once."""

    def __init__(self, agencies: list[Agency]):
        self.items = compliance_items()
        self.by_agency: dict[str, list[Standing]] = {a.key: [standing(a, i) for i in self.items] for a in agencies}

    def of(self, a: Agency) -> list[Standing]:
        return self.by_agency[a.key]

    def score(self, a: Agency) -> dict[str, int]:
        out = {s: 0 for s in ("compliant", "stricter", "looser", "missing", "other")}
        for st in self.of(a):
            out[st.status] += 1
        out["met"] = out["compliant"] + out["stricter"]
        return out

    def ranked(self, agencies: list[Agency]) -> list[Agency]:
        def key(a: Agency) -> tuple:
            s = self.score(a)
            return (-s["met"], s["looser"], s["missing"], a.label)

        return sorted(agencies, key=key)


def status_cell(st: Standing, L: Lang, short: bool = False, links=None) -> Cell:
    """A status with its symbol; the value and distance for thresholds."""
    text = value_text(st, L) if st.item["check"] == "threshold" and st.threshold else ""
    if not text:
        text = L(f"short.{st.status}") if short else L.status(st.status)
    src = src_of(st.entry.ex, st.entry.doc, st.span) if st.entry is not None and st.span else None
    return Cell(text, value=st.status if not st.threshold else _num(st.threshold.value), mark=st.status,
                symbol=SYMBOL[st.status], src=src, title=_title(st, L))


def value_text(st: Standing, L: Lang) -> str:
    """'2 ч (−2)': the agency's value and its distance from the standard."""
    t = st.threshold
    text = L.value(t.value, t.unit)
    if st.delta:
        text += f" ({L.number(st.delta, 0 if float(st.delta).is_integer() else 1, sign=True)})"
    return text


def _title(st: Standing, L: Lang) -> str:
    parts = [L.status(st.status)]
    if st.threshold is not None:
        parts.append(st.threshold.raw)
    if st.lacking:
        parts.append(", ".join(L(f"c.{k}") for k in st.lacking) + ": 0")
    if st.entry is not None and st.span:
        parts.append(f"{L('line')} {st.span.line}")
    return " — ".join(parts)


def standard_text(item: dict, L: Lang) -> str:
    if item["check"] == "threshold" and "value" in item:
        return f"{COMPARATOR.get(item['comparator'], item['comparator'])} {L.value(item['value'], item['unit'])}"
    if item["check"] == "channel_kinds":
        return " + ".join(L(f"c.{k}") for k in item["kinds"])
    return L("status.compliant") if item["check"] != "text" else "✓"


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


# ----------------------------------------------------------------- thresholds


def thresholds_section(agencies: list[Agency], st: Standings, L: Lang) -> Section:
    slots = threshold_slots(agencies)
    std_items = {i["id"]: i for i in st.items if i["check"] == "threshold"}
    columns = [L("c.agency"), L("c.region")] + [_slot_title(s, L) for s in slots] + [L("c.deviations")]
    head = [[C(L("standard_row"), mark="reference"), C("", mark="reference")]
            + [C(standard_text(s, L) if s["id"] in std_items else L("no_standard"), mark="reference") for s in slots]
            + [C("", mark="reference")]]
    rows = []
    silent = [a for a in agencies if not a.thresholds()]
    for a in agencies:
        if not a.thresholds():
            continue
        row = [C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L))]
        looser = 0
        for s in slots:
            if s["id"] in std_items:
                one = next(x for x in st.of(a) if x.item["id"] == s["id"])
                looser += one.status == "looser"
                row.append(status_cell(one, L))
            else:
                row.append(_extra_cell(a, s, L))
        row.append(C(looser or "", value=looser, mark="looser" if looser else None))
        rows.append(row)
    note = L("n.thresholds") + (" " + L("n.silent", n=len(silent)) if silent else "")
    table = Table("thresholds", L("t.thresholds"), columns, rows, note=note, head=head,
                  sheet=L("s.thresholds"), sortable=True, wide=(0,))
    return Section("thresholds", 0, L("s.thresholds"), L("s.thresholds.intro"), [table], legend=L("legend"))


def _slot_title(s: dict, L: Lang) -> str:
    label = L.item(s)
    return label[:1].upper() + label[1:]


def _extra_cell(a: Agency, s: dict, L: Lang) -> Cell:
    vals = [(r, t) for r, t in a.thresholds() if t.metric == s["metric"] and t.unit == s["unit"]
            and (t.condition or "").lower() == (s.get("exact_condition") or "").lower()]
    if not vals:
        return C("", mark="none")
    r, t = min(vals, key=lambda rt: in_base_unit(rt[1].value, rt[1].unit))
    e = a.threshold_source
    return Cell(f"{COMPARATOR.get(t.comparator, t.comparator)} {L.value(t.value, t.unit)}", value=_num(t.value),
                src=src_of(e.ex, e.doc, t.span or r.span) if e else None, title=t.raw)


def anchor(a: Agency) -> str:
    """A stable anchor of the agency's card ('#a-…'), the same in every run."""
    return f"{zlib.crc32(a.key.encode('utf-8')):08x}"


# --------------------------------------------------------------- compliance


def compliance_section(agencies: list[Agency], st: Standings, L: Lang) -> Section:
    rows = []
    for rank, a in enumerate(st.ranked(agencies), 1):
        s = st.score(a)
        n = len(st.items)
        rows.append([C(rank, value=rank), C(a.label, href=f"#a-{anchor(a)}"), C(region_name(a, L)),
                     C(L("of", met=s["met"], n=n), value=s["met"]),
                     C(s["looser"] or "", value=s["looser"], mark="looser" if s["looser"] else None),
                     C(s["missing"] or "", value=s["missing"])]
                    + [status_cell(x, L, short=True) for x in st.of(a)])
    columns = [L("c.rank"), L("c.agency"), L("c.region"), L("c.met"), L("c.looser"), L("c.missing")]
    columns += [L.item(i) for i in st.items]
    head = [[C(L("standard_row"), mark="reference")] + [C("", mark="reference")] * 5
            + [C(standard_text(i, L), mark="reference") for i in st.items]]
    table = Table("compliance", L("t.compliance"), columns, rows, note=L("n.compliance"), head=head,
                  sheet=L("s.compliance")[:31], sortable=True, wide=(1,))
    return Section("compliance", 0, L("s.compliance"), L("s.compliance.intro"), [table], legend=L("legend"))


# ------------------------------------------------------------------ regions


@dataclass
class RegionScore:
    code: str | None
    name: str
    agencies: list[Agency]
    met: int
    stricter: int
    looser: int
    missing: int
    items: int

    @property
    def pct(self) -> int | None:
        return round(100 * self.met / self.items) if self.items else None


def region_name(a: Agency, L: Lang) -> str:
    return a.region or L("no_region")


def region_scores(agencies: list[Agency], st: Standings, L: Lang) -> list[RegionScore]:
    by: dict[str, RegionScore] = {}
    for a in agencies:
        key = a.region or L("no_region")
        r = by.setdefault(key, RegionScore(a.region_code, key, [], 0, 0, 0, 0, 0))
        s = st.score(a)
        r.agencies.append(a)
        r.met += s["met"]
        r.stricter += s["stricter"]
        r.looser += s["looser"]
        r.missing += s["missing"]
        r.items += len(st.items)
    return sorted(by.values(), key=lambda r: (-(r.pct or 0), r.looser, r.name))


def overview_section(agencies: list[Agency], st: Standings, L: Lang) -> Section:
    scores = region_scores(agencies, st, L)
    rows = [[C(rank, value=rank), C(r.name, href=f"#r-{region_anchor(r.code, r.name)}"), C(r.code or ""),
             C(len(r.agencies), value=len(r.agencies)), C(r.pct, value=r.pct),
             C(r.stricter or "", value=r.stricter), C(r.looser or "", value=r.looser, mark="looser" if r.looser else None),
             C(r.missing or "", value=r.missing)] for rank, r in enumerate(scores, 1)]
    table = Table("regions", L("t.regions"), [L("c.rank"), L("c.region"), L("c.region_code"), L("c.agencies"),
                                                L("c.met_pct"), L("c.stricter"), L("c.looser"), L("c.missing")],
                  rows, sheet=L("t.regions")[:31], sortable=True, wide=(1,))
    return Section("overview", 0, L("s.overview"), L("s.overview.intro"), [table], chart=region_map(scores, L))


def region_anchor(code: str | None, name: str) -> str:
    return code or f"x{zlib.crc32(name.encode('utf-8')):08x}"


def region_map(scores: list[RegionScore], L: Lang) -> str:
    by_code = {r.code: r for r in scores if r.code}
    by_name = {r.name: r for r in scores}
    regions = {e["id"]: e for e in load_vocab("regions")["entries"]}
    tiles = []
    for rid, e in regions.items():
        r = by_code.get(e.get("code")) if e.get("code") else None
        r = r or by_name.get(e["name"])
        title = e["name"] + (f": {r.pct} % ({len(r.agencies)} {L('card.agencies')})" if r else f": {L('map.nodata')}")
        tiles.append((rid, e["name"], r.pct if r else None, title,
                      f"#r-{region_anchor(r.code, r.name)}" if r else None))
    return tile_map(tiles, L("map.title"), L("map.nodata"), L.code)
