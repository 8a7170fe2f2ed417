"""Requisites of an act whose head is not in the text (a page saved from the
middle, an appendix published alone): the issuer from its operative formula
or a governor's signature, the kind from its self-reference, the region from
the agency, the title or — the only one it names — the text. Every value
read this way is reported."""

from __future__ import annotations

import re

from pipeline.citations import to_nominative
from pipeline.cleanup import mostly_upper, oneline
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.agency_name import restore_case
from pipeline.extract.sources import WORDS, record
from pipeline.models import Sourced
from pipeline.nlp import get_morph, markers, normal_forms
from pipeline.patterns import OPERATIVE_RX
from pipeline.regions import find_region as find_region_in
from pipeline.regions import find_capital, find_regions


def doc_type_from_text(ctx: Context, lines: list[Line]) -> None:
    """An act cut before its head still names its kind: 'Контроль за
    исполнением настоящего указа …', or speaks its formula ('постановляю')."""
    if not lines:
        return
    a, b = lines[0].start, lines[-1].end
    text = ctx.src.text
    ref = markers("self_reference")
    m = re.search(ref["pattern"], text[a:b], re.I)
    kind = ref["kinds"].get(m.group("kind").lower()) if m else None
    start = a + m.start() if m else None
    if kind is None:
        om = OPERATIVE_RX.search(text, a, b)
        if om:
            verb = re.sub(r"[\s*]", "", om.group(0)).lower()
            kind = markers("operative_doc_types").get(verb)
            start = om.start()
    if kind is None:
        return
    span = ctx.span(start, start + (len(m.group(0)) if m and kind else len(om.group(0))))
    ctx.doc.meta.doc_type = kind
    ctx.doc.meta.sources["doc_type"] = Sourced(raw=text[span.start:span.end], span=span)
    ctx.warn("doc_type_from_text", f"the act's head is not in the text; its kind, {kind}, is read from "
             f"{text[span.start:span.end]!r}", span, severity="info")


# "…, Правительство Мурманской области постановляет:": the body that speaks in the
# operative formula — from the last capitalised head noun of a body before the verb
SPEAKER_WORDS = r"(?:[ \t\u00a0]+[^\s,;:.]+){0,15}?"


def speaker_rx() -> re.Pattern[str]:
    heads = markers("body_heads")
    alts = "|".join(sorted({h.capitalize() for h in heads} | {h.upper() for h in heads}, key=len, reverse=True))
    return re.compile(rf"(?<![А-Яа-яЁё])(?P<body>(?:{alts}){SPEAKER_WORDS})\s*$")


SPEAKER = speaker_rx()


def agency_from_operative(ctx: Context, lines: list[Line]) -> bool:
    """An act without a letterhead names its issuer where it speaks:
    'Правительство Мурманской области постановляет:'."""
    if not lines:
        return False
    a, b = lines[0].start, lines[min(len(lines), 80) - 1].end
    text = ctx.src.text
    for om in OPERATIVE_RX.finditer(text, a, b):
        before = text[a : om.start()].rstrip()
        if not before:
            continue
        m = SPEAKER.search(before)
        if not m:
            continue
        body = m.group("body")
        words = WORDS.findall(body)
        if not words:
            continue
        if not any(p.tag.case == "nomn" for p in get_morph().parse(words[0].lower())):
            continue
        start = a + m.start("body")
        meta = ctx.doc.meta
        meta.agency = restore_case(oneline(body)) if mostly_upper(body) else oneline(body)
        record(ctx, "agency", start, start + len(body))
        ctx.warn("agency_from_formula", f"no letterhead: the issuer is read from the operative formula ({oneline(body)!r})",
                 ctx.span(start, start + len(body)), severity="info")
        return True
    return False


PERSON_BODIES = ("губернатор", "глава", "мэр")


def agency_from_signature(ctx: Context) -> bool:
    """A governor's or head's act without a letterhead: the signatory's
    position names the issuer ('Губернатор Оренбургской области')."""
    meta = ctx.doc.meta
    pos = meta.signatory.position
    src = meta.sources.get("signatory.position")
    if not pos or not src:
        return False
    words = WORDS.findall(pos)
    if len(words) == 1 and normal_forms(words[0].lower()) & set(PERSON_BODIES):
        return _person_in_text(ctx, words[0])
    if len(words) < 2 or not (normal_forms(words[0].lower()) & set(PERSON_BODIES)):
        return False
    if not find_region_in(pos):
        return False
    meta.agency = pos
    meta.sources["agency"] = src
    ctx.warn("agency_from_signature", f"no letterhead: the issuer is read from the signatory's position ({pos!r})",
             src.span, severity="info")
    return True


def _person_in_text(ctx: Context, word: str) -> bool:
    """The signature prints the office alone ('Губернатор'); the act names it
    with its federal subject where it speaks of itself ('…актов Губернатора
    Хабаровского края постановляю', '(в ред. постановлений Губернатора
    Хабаровского края …)'). Taken when every such place names the same one."""
    lemmas = normal_forms(word.lower())
    text = ctx.src.text
    a, b = ctx.src.lines[ctx.sl.first_line - 1].start, ctx.src.lines[ctx.sl.last_line - 1].end
    found: list[tuple[str, int, int]] = []  # (region id, start, end) of "Губернатора Хабаровского края"
    for m in WORDS.finditer(text, a, b):
        w = m.group(0)
        if not w[:1].isupper() or not (normal_forms(w.lower()) & lemmas):
            continue
        if "editorial" in ctx.src.line_at(m.start()).__dict__:
            continue  # "(в ред. постановлений Губернатора …)": a database's note, not the act's text
        tail = text[m.end() : min(b, m.end() + 80)]
        hits = find_regions(tail)
        if hits and not tail[: hits[0].start].strip():
            found.append((hits[0].id, m.start(), m.end() + hits[0].end))
    if not found or len({f[0] for f in found}) > 1:
        return False
    _, start, end = found[0]
    meta = ctx.doc.meta
    meta.agency = to_nominative(oneline(text[start:end]))
    record(ctx, "agency", start, end)
    ctx.warn("agency_from_signature", f"no letterhead, and the signature prints only {word!r}: the issuer is "
             f"read from where the act names it ({oneline(text[start:end])!r})", ctx.span(start, end), severity="info")
    return True


def region_from_text(ctx: Context, lines: list[Line]) -> None:
    """Neither the agency nor the title names a federal subject: the only one
    the text names, or the one it names most often (at least twice, more than
    any other), reported."""
    if not lines:
        return
    a, b = lines[0].start, lines[-1].end
    text = ctx.src.text[a : min(b, a + 20000)]
    counts: dict[str, list] = {}
    for hit in find_regions(text):
        counts.setdefault(hit.id, []).append(hit)
    ranked = sorted(counts.values(), key=len, reverse=True)
    # the only region the text names, or the one it names most (at least twice)
    if not ranked or (len(ranked) > 1 and (len(ranked[0]) < 2 or len(ranked[1]) == len(ranked[0]))):
        return
    first = ranked[0][0]
    meta = ctx.doc.meta
    meta.region, meta.region_code = first.name, first.code
    span = ctx.span(a + first.start, a + first.end)
    meta.sources["region"] = Sourced(raw=first.raw, span=span)
    meta.sources["region_code"] = Sourced(raw=first.raw, span=span)
    ctx.warn("region_from_text", f"the agency and the title name no federal subject; the text names "
             f"{first.name} {len(ranked[0])} times", span, severity="info")


def find_region(ctx: Context) -> None:
    """The federal subject: from the agency name first, else the title (their
    printed text, so the span is the region's own words)."""
    meta = ctx.doc.meta
    for key, abbreviations in (("agency", True), ("title", False)):
        src = meta.sources.get(key)
        if getattr(meta, key) is None or src is None or src.span is None:
            continue
        hit = find_region_in(src.raw, abbreviations=abbreviations) or find_region_in(getattr(meta, key), abbreviations)
        if hit is None:
            continue
        meta.region, meta.region_code = hit.name, hit.code
        exact = src.raw[hit.start : hit.end] == hit.raw
        span = ctx.span(src.span.start + hit.start, src.span.start + hit.end) if exact else src.span
        meta.sources["region"] = Sourced(raw=hit.raw, span=span)
        meta.sources["region_code"] = Sourced(raw=hit.raw, span=span)
        return
    for key in ("agency", "title"):
        # a municipal act names its city, not its subject: "Администрация городского округа город Воронеж"
        src = meta.sources.get(key)
        if getattr(meta, key) is None or src is None or src.span is None:
            continue
        hit = find_capital(src.raw)
        if hit is None:
            continue
        meta.region, meta.region_code = hit.name, hit.code
        span = ctx.span(src.span.start + hit.start, src.span.start + hit.end)
        meta.sources["region"] = Sourced(raw=hit.raw, span=span)
        meta.sources["region_code"] = Sourced(raw=hit.raw, span=span)
        ctx.warn("region_from_capital", f"the {key} names no federal subject but its capital, {hit.raw!r}: "
                 f"{hit.name}", span, severity="info")
        return
    if meta.agency:
        ctx.warn("no_region", f"no federal subject found in the agency name or the title: {meta.agency!r}",
                 meta.sources["agency"].span, severity="info")
