"""Requisites printed outside a letterhead: the one-line heading of a legal-database
or portal page, and the approval stamp of an appendix published on its own
(grammars in :mod:`pipeline.headings`). The act's own letterhead wins for the
values it prints; the heading fills the rest; a difference is reported."""

from __future__ import annotations

import re

from pipeline.cleanup import mostly_upper
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.sources import record
from pipeline.headings import parse_heading, parse_stamp, unquote
from pipeline.inflect import body_nominative
from pipeline.models import Sourced
from pipeline.regions import find_region as find_region_in

QUOTES = "«»\"“”„"


def read_heading(ctx: Context, line: Line) -> None:
    """Requisites from a legal-database heading line. The letterhead below it,
    when printed, wins for the values it gives; the heading fills the rest
    and gives the title (a database prints it in proper case); a value that
    differs between the two is reported."""
    ref = parse_heading(line.clean)
    if ref is None:
        return
    meta = ctx.doc.meta
    base = line.start + line.text.find(line.clean[:20]) if line.clean else line.start
    if line.text.find(line.clean[:20]) < 0:
        base = line.start

    def put(field: str, value, span) -> None:
        if value is None or span is None:
            return
        current = getattr(meta, field)
        if current is not None and field != "title":
            if comparable_text(current) != comparable_text(value):
                ctx.warn("heading_mismatch", f"the database heading prints {field} {value!r}, the act itself {current!r}",
                         ctx.span(base + span[0], base + span[1]))
            return
        setattr(meta, field, value)
        record(ctx, field, base + span[0], base + span[1])

    if meta.doc_type is None:
        meta.doc_type = ref.doc_type
        record(ctx, "doc_type", line.start, line.end)
    if ref.issuer and not meta.agency:
        put("agency", body_name(ref.issuer), ref.issuer_span)
    put("date", ref.date, ref.date_span)
    put("number", ref.number, ref.number_span)
    if ref.title and heading_title_wins(meta, ref.title):
        meta.title = ref.title
        record(ctx, "title", base + ref.title_span[0], base + ref.title_span[1])


def region_from_heading(ctx: Context, line: Line) -> None:
    """The database heading names the region when the act itself does not
    (its issuer may be another body of the same region)."""
    hit = find_region_in(line.clean)
    k = line.text.find(hit.raw) if hit else -1
    if hit is None or k < 0:
        return
    meta = ctx.doc.meta
    meta.region, meta.region_code = hit.name, hit.code
    span = ctx.span(line.start + k, line.start + k + len(hit.raw))
    meta.sources["region"] = meta.sources["region_code"] = Sourced(raw=hit.raw, span=span)
    ctx.warn("region_from_heading", f"the act names no federal subject; the database heading names {hit.name}",
             span, severity="info")


def heading_title_wins(meta, heading: str) -> bool:
    """The act's own title is kept unless it is missing or printed in capitals
    (a database prints it in proper case); a heading title the site cut short
    never replaces a longer one."""
    if meta.title is None:
        return True
    raw = meta.sources["title"].raw if "title" in meta.sources else meta.title
    if not mostly_upper(raw):
        return False
    return len(comparable_text(heading)) >= 0.95 * len(comparable_text(meta.title))


def comparable_text(value: str) -> str:
    return re.sub(r"[\W_]+", "", str(value)).lower().replace("ё", "е")


def body_name(issuer: str) -> str:
    """An issuing body printed in a governed case → its nominative, in proper case."""
    return body_nominative(issuer.strip())


def approval_stamp(ctx: Context, lines: list[Line]) -> int:
    """An appendix published alone: the approving act's requisites from its
    stamp. Returns the index of the first line after the stamp."""
    if ctx.sl.stamp_lines is None:
        ctx.warn("stamp_missing", "the appendix is published without its approval stamp: "
                 "the approving act's requisites are left empty", ctx.line_span(ctx.sl.first_line))
        return 0
    first, last = ctx.sl.stamp_lines
    a, b = ctx.src.lines[first - 1].start, ctx.src.lines[last - 1].end
    text = ctx.src.text[a:b].replace("\n", " ")  # same length: offsets stay those of the source
    ref = parse_stamp(text)
    meta = ctx.doc.meta
    if ref is None or ref.doc_type is None:
        ctx.warn("stamp_without_act", "the appendix's stamp names no approving act: its requisites are left empty",
                 ctx.span(a, b))
    else:
        meta.doc_type = ref.doc_type
        record(ctx, "doc_type", a, b)
        if ref.issuer and ref.issuer_span:
            meta.agency = body_name(ref.issuer)
            record(ctx, "agency", a + ref.issuer_span[0], a + ref.issuer_span[1])
        if ref.date and ref.date_span:
            meta.date = ref.date
            record(ctx, "date", a + ref.date_span[0], a + ref.date_span[1])
        if ref.number and ref.number_span:
            meta.number = ref.number
            record(ctx, "number", a + ref.number_span[0], a + ref.number_span[1])
        if ref.title and ref.title_span:
            meta.title = unquote(ref.title)
            record(ctx, "title", a + ref.title_span[0], a + ref.title_span[1])
        missing = [f for f in ("date", "number") if getattr(meta, f) is None]
        if missing:
            ctx.warn("stamp_incomplete", f"the approval stamp prints no {' and no '.join(missing)}", ctx.span(a, b))
    return last - ctx.sl.first_line + 1
