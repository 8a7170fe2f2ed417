"""Header facts of a document: doc type, agency, region, date, number, place,
title, signatory, the ЗАРЕГИСТРИРОВАНО stamp and the acts cited as its legal
basis. Every value filled here has ``meta.sources[field]`` with the printed
text and its span.

The layout of an act's head, as regional agencies print it::

    КОМИТЕТ РЕСПУБЛИКИ …            agency, several upper-case lines (maybe
    (КОМИТЕТ … )                    a short name in parentheses, maybe the
    АЛТАЙ РЕСПУБЛИКАНЫНГ …          same name again in a second language)
    ПРИКАЗ                          doc type (found by ``segment``)
    «23» 03 2026 г.  № 22-2         the "zone": date, number, place in any
    г. Владикавказ                  order, on one line or several
    Об утверждении …                title, until a blank line
    … preamble citing acts …, приказываю:
    … operative part …
    Председатель    А.В. Эммануилиди   signatory

A memo (служебная записка) prints its date, number and addressee above the
doc type and no agency.

A memo's ``reply_to`` (the "На № …" it answers) and ``addressee`` have fields
of their own, with their printed text in ``sources`` like every other value.

This module runs the steps in order; each idea lives in its own module:
``agency_name`` (the header's body, bilingual blocks, case), ``head_zone``
(date, number, place), ``title_basis`` (title, legal basis), ``heading``
(database headings, appendix stamps), ``headless`` (acts cut before their
head), ``signature`` (signatory, registration stamp).
"""

from __future__ import annotations

from pipeline.context import Context, Header
from pipeline.extract.agency_name import (  # noqa: F401  (public API)
    body_text,
    is_foreign,
    read_agency,
    restore_case,
)
from pipeline.extract.head_zone import (
    act_head,
    editorial_corrections,
    memo_head,
    requisites_after_signature,
)
from pipeline.extract.heading import approval_stamp, read_heading, region_from_heading
from pipeline.extract.headless import (
    agency_from_operative,
    agency_from_signature,
    doc_type_from_text,
    find_region,
    region_from_text,
)
from pipeline.extract.signature import read_registration, read_signatory
from pipeline.extract.sources import record
from pipeline.extract.title_basis import basis_in_text, read_legal_basis, read_title


def extract(ctx: Context) -> Header:
    """Fill ``ctx.doc.meta`` and return where the header facts are."""
    meta = ctx.doc.meta
    meta.doc_type = ctx.sl.doc_type
    if ctx.sl.type_line:
        type_ln = ctx.src.lines[ctx.sl.type_line - 1]
        record(ctx, "doc_type", type_ln.start, type_ln.end)
    lines = ctx.lines
    type_idx = (ctx.sl.type_line - ctx.sl.first_line) if ctx.sl.type_line else 0

    heading_idx = (ctx.sl.heading_line - ctx.sl.first_line) if ctx.sl.heading_line else None
    stamp = read_registration(ctx, lines)
    if ctx.sl.kind == "appendix":
        body_from = approval_stamp(ctx, lines)
        title_end = body_from
        preamble_end = basis_in_text(ctx, lines, body_from)
    else:
        if ctx.sl.kind == "memo":
            memo_head(ctx, lines[:type_idx])  # a memo's agency is linked after extraction (extract.link)
            body_from = type_idx + 1
        elif ctx.sl.type_line:
            # the head above the doc type, below a database heading if there is one
            read_agency(ctx, lines[(heading_idx + 1 if heading_idx is not None and heading_idx < type_idx else 0):type_idx])
            body_from = act_head(ctx, lines, type_idx + 1, skip=stamp)
        else:
            body_from = heading_idx + 1 if heading_idx is not None else 0
        if heading_idx is not None:
            read_heading(ctx, lines[heading_idx])
        # a heading that printed the title leaves none to look for below it
        title_end = read_title(ctx, lines, body_from, skip=stamp) if "title" not in meta.sources or ctx.sl.type_line else body_from
        preamble_end = read_legal_basis(ctx, lines, title_end)
    read_signatory(ctx, lines, preamble_end)
    editorial_corrections(ctx, lines)
    if ctx.sl.type_line and ctx.sl.kind == "order" and (meta.date is None or meta.number is None):
        requisites_after_signature(ctx, lines)
    if not meta.agency and ctx.sl.kind in ("order", "draft"):
        agency_from_operative(ctx, lines) or agency_from_signature(ctx)
    find_region(ctx)
    if not meta.region and heading_idx is not None:
        region_from_heading(ctx, lines[heading_idx])
    if not meta.region and ctx.sl.kind != "memo":
        region_from_text(ctx, lines)
    if meta.doc_type is None and ctx.sl.kind == "order":
        doc_type_from_text(ctx, lines)
    if not ctx.sl.type_line and not ctx.sl.heading_line and ctx.sl.kind == "order":
        ctx.warn("head_missing", "the text starts after the act's head (no doc type, date or number printed): "
                 "requisites left empty", ctx.line_span(ctx.sl.first_line), severity="warning")
    return _header(ctx)


# ------------------------------------------------- headings and stamps








































def _header(ctx: Context) -> Header:
    """Line numbers of what was read as header facts (see :class:`Header`)."""
    meta = ctx.doc.meta
    last = ctx.sl.type_line or ctx.sl.first_line
    for key in ("title", "date", "number", "place", "doc_type"):
        src = meta.sources.get(key)
        if src and src.span and src.span.end_line <= ctx.sl.first_line + 40:
            last = max(last, src.span.end_line)

    def lines_of(*prefixes: str) -> frozenset[int]:
        out: set[int] = set()
        for key, src in meta.sources.items():
            if src.span and key.startswith(prefixes):
                out.update(range(src.span.line, src.span.end_line + 1))
        return frozenset(out)

    registration = set(lines_of("registration"))
    if meta.registration and meta.registration.span:
        registration.update(range(meta.registration.span.line, meta.registration.span.end_line + 1))
    return Header(body_start=last + 1, signature_lines=lines_of("signatory"),
                  registration_lines=frozenset(registration))


# --------------------------------------------------------- date, number, place










# -------------------------------------------------------------------- title




# -------------------------------------------------------------- legal basis






# ------------------------------------------------------------------- region


