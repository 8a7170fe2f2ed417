"""One post-pass over the documents of a file.

Documents filed together are linked here, once: a memo (служебная записка)
prints no agency — it is the agency of the act it is filed with (the nearest
act above it, else the first act of the file), reported as an info warning.
Then every document's ``agency_key`` is decided, so the store and the reports
read it instead of deciding identity themselves.
"""

from __future__ import annotations

import re

from pipeline.agency import agency_key
from pipeline.context import Context
from pipeline.extract import meta as meta_step

ACT_KINDS = ("order", "draft")
# the memo's own head facts stay first in ``meta.sources``, the borrowed agency follows them
_HEAD_KEYS = ("doc_type", "reply_to", "date", "number", "place", "addressee")


def link_documents(contexts: list[Context]) -> None:
    acts = [c for c in contexts if c.doc.kind in ACT_KINDS and c.sl.type_line]
    for ctx in contexts:
        if ctx.doc.kind == "memo" and not ctx.doc.meta.agency and acts:
            _borrow_agency(ctx, acts)
    for ctx in contexts:
        if ctx.doc.meta.agency:
            ctx.doc.meta.agency_key = agency_key(ctx.doc.meta.agency)
        ctx.doc.meta.level = issuer_level(ctx.doc.meta.agency, ctx.doc.meta.region)


# "Администрация муниципального образования …", "… городского округа", "Дума города Иркутска"
_MUNICIPAL = re.compile(r"муниципальн|городского\s+округа|сельского\s+поселения|городского\s+поселения|"
                        r"\bрайона\b|\bгорода\s+[А-ЯЁ]|\bг\.\s*[А-ЯЁ]|\bмэри[яи]\b|\bмэр\b", re.I)
_FEDERAL = re.compile(r"Российской\s+Федерации|\bРоссии\b|\bРФ\b")


def issuer_level(agency: str | None, region: str | None) -> str | None:
    """federal / regional / municipal, from the issuer's name and region.

    >>> issuer_level("Министерство труда и социальной защиты Российской Федерации", None)
    'federal'
    >>> issuer_level("Администрация муниципального образования «Инзенский район» Ульяновской области", "Ульяновская область")
    'municipal'
    >>> issuer_level("Правительство Самарской области", "Самарская область")
    'regional'
    """
    if not agency:
        return "regional" if region else None
    if _MUNICIPAL.search(agency) and not (region in ("Москва", "Санкт-Петербург", "Севастополь") and not re.search("муниципальн|района|поселения", agency, re.I)):
        return "municipal"
    if region:
        return "regional"
    return "federal" if _FEDERAL.search(agency) else None


def _borrow_agency(ctx: Context, acts: list[Context]) -> None:
    before = [a for a in acts if a.sl.first_line < ctx.sl.first_line]
    host = before[-1] if before else acts[0]
    hm, m = host.doc.meta, ctx.doc.meta
    if not hm.agency:
        return
    m.agency, m.agency_short = hm.agency, hm.agency_short
    borrowed = {k: v for k, v in hm.sources.items() if k in ("agency", "agency_short")}
    head = {k: v for k, v in m.sources.items() if k in _HEAD_KEYS}
    rest = {k: v for k, v in m.sources.items() if k not in _HEAD_KEYS}
    m.sources = {**head, **borrowed, **rest}
    meta_step.find_region(ctx)
    ctx.warn("agency_from_file",
             f"the memo prints no agency; taken from the act it is filed with (lines {host.sl.first_line}–{host.sl.last_line})",
             m.sources["agency"].span, severity="info")
