"""The title ("Об …" under the head, until the preamble) and the legal basis:
the acts the preamble cites (в соответствии с …, во исполнение …) up to the
operative formula, or — an appendix's — in its first paragraphs."""

from __future__ import annotations

import re

from pipeline.cleanup import mostly_upper, oneline
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.agency_name import body_text, restore_case
from pipeline.extract.sources import record
from pipeline.headings import unquote
from pipeline.labels import starts_with_label
from pipeline.models import LegalAct
from pipeline.citations import find_citations
from pipeline.patterns import OPERATIVE_RX

TITLE_MAX_LINES = 8


TITLE_START = re.compile(r"^[«\"“„]?(?:Об?|Обо)\s+\S", re.I)


# Words that open the legal basis of an act (в соответствии с …, во исполнение …).
BASIS = re.compile(r"\b(?:в\s+соответствии\s+с|во\s+исполнение|в\s+целях\s+реализации|в\s+рамках|на\s+основании|согласно)\b", re.I)


PREAMBLE_START = re.compile(
    r"^(?:В\s+целях|С\s+целью|В\s+соответствии|На\s+основании|Руководствуясь|В\s+рамках|Во\s+исполнение"
    r"|В\s+связи|Согласно|Для\s+обеспечения)", re.I)


def basis_in_text(ctx: Context, lines: list[Line], start: int) -> int:
    """Acts an appendix cites as its basis ("… разработан в соответствии с
    распоряжением … от … № …") in its first paragraphs."""
    window = [ln for ln in lines[start : start + 15] if ln.clean]
    for ln in window:
        for m in BASIS.finditer(ln.text):
            add_citations(ctx, ln.start + m.start(), ln.end, once=True)
    return start


def _quote_closed(taken: list[Line]) -> bool:
    """A title printed in quotes ends where its quotes close: '"Об утверждении
    Положения …"' and then a legal database's bare amendment date
    ('26 сентября 2016 г.') is no part of it."""
    first, last = taken[0].clean, taken[-1].clean
    if first[:1] not in "«\"“„" or last[-1:] not in "»\"”“":
        return False
    text = " ".join(ln.clean for ln in taken)
    return text.count("«") == text.count("»") and text.count('"') % 2 == 0 and text.count("„") <= text.count("“")


def read_title(ctx: Context, lines: list[Line], start: int, skip: range = range(0)) -> int:
    """"Об утверждении …" from ``start`` until a blank line; returns the index
    after it (or ``start`` when there is no title). Lines of the registration
    stamp (``skip``, line numbers) may stand before it."""
    i = start
    while i < len(lines) and (not lines[i].clean or lines[i].no in skip):
        i += 1
    if i >= len(lines) or not TITLE_START.match(lines[i].clean):
        if ctx.sl.kind != "memo":
            ctx.warn("no_title", "no title (\"О …\"/\"Об …\") after the date and number",
                     ctx.line_span(lines[min(i, len(lines) - 1)].no))
        return start
    first = i
    taken: list[Line] = []
    in_table = {no for tb in ctx.src.tables for no in range(tb.first_line, tb.last_line + 1)}
    while i < len(lines) and i - first < TITLE_MAX_LINES + 2:
        if taken and lines[i].no in in_table:
            break  # a table under the title is no part of it
        t = lines[i].clean
        if not t and taken and i + 1 < len(lines) and lines[i + 1].clean[:1].islower() \
                and not taken[-1].clean.endswith((".", ":", ";")):
            i += 1  # a fixed-width page puts blank lines between the lines of one title
            continue
        if not t or len(taken) >= TITLE_MAX_LINES or (taken and (
                PREAMBLE_START.match(t) or OPERATIVE_RX.search(t) or taken[-1].clean.endswith((".", ":", ";"))
                or _quote_closed(taken))):
            break  # titles print no closing stop: a line after one is the preamble
        taken.append(lines[i])
        i += 1
    title = unquote(oneline(" ".join(ln.clean for ln in taken)))
    title = restore_case(title, body_text(ctx)) if mostly_upper(title) else title
    known = ctx.doc.meta.title
    if known and "title" in ctx.doc.meta.sources and _cut_short_of(title, known):
        # the page ends inside the act's own title line; the database's heading printed it whole
        ctx.warn("title_from_heading", f"the title under the head is cut ({title[-40:]!r}); the heading's is kept",
                 ctx.span(taken[0].start, taken[-1].end), severity="info")
        return i
    ctx.doc.meta.title = title
    record(ctx, "title", taken[0].start, taken[-1].end)
    return i


_QUOTES = str.maketrans({q: '"' for q in "«»“”„"})


def _cut_short_of(title: str, whole: str) -> bool:
    """``title`` is the beginning of ``whole`` and no more (quotes, spaces and
    case aside): a title cut where the text ends."""
    a = re.sub(r"\s+", " ", title.translate(_QUOTES)).strip(' ".').lower()
    b = re.sub(r"\s+", " ", whole.translate(_QUOTES)).strip(' ".').lower()
    return len(a) >= 20 and len(b) > len(a) and b.startswith(a)


def read_legal_basis(ctx: Context, lines: list[Line], start: int) -> int:
    """Acts cited in the preamble (up to the operative formula "приказываю").
    Returns the index of the line after the formula (``start`` when none)."""
    if ctx.sl.kind == "memo" or start >= len(lines):
        return start
    a = lines[start].start
    end_line = min(len(lines), start + 40)
    b = lines[end_line - 1].end
    text = ctx.src.text
    om = OPERATIVE_RX.search(text, a, b)
    if om:
        add_citations(ctx, a, om.start())
        formula_line = ctx.src.line_at(om.start()).no
        return formula_line - ctx.sl.first_line + 1
    # no formula ("В целях …:" then "1. Утвердить …", as распоряжения print it):
    # the preamble ends where the first numbered clause starts
    for k in range(start, end_line):
        if k > start and starts_with_label(lines[k].clean, ("decimal",)) and lines[k - 1].clean.endswith(":"):
            if BASIS.search(text, a, lines[k].start):
                add_citations(ctx, a, lines[k].start)
            return k
    # a text cut inside its preamble ("В соответствии с … N 59-ФЗ …" and no more):
    # the acts it cites are still its basis
    first = next((ln for ln in lines[start:end_line] if ln.clean), None)
    if first is not None and PREAMBLE_START.match(first.clean):
        stop = next((ln.start for ln in lines[start:end_line] if ln.no > first.no and starts_with_label(ln.clean, ("decimal",))), b)
        add_citations(ctx, first.start, stop)
    return start


_AMENDS = re.compile(r"^[«\"]?О\s+внесении\s+изменени", re.I)
_AMENDMENT_BEFORE = re.compile(r"\bв\s+(?:редакции|ред\.)\s*$", re.I)


def add_citations(ctx: Context, a: int, b: int, once: bool = False) -> None:
    """Every act cited in ``src.text[a:b]`` joins the legal basis (``once``:
    unless it is there already)."""
    seen = {x.number for x in ctx.doc.meta.legal_basis}
    title = ctx.doc.meta.title or ""
    amends = _AMENDS.match(title) is not None
    # a fixed-width page breaks a citation anywhere ("от 19 января / 2010 года N 12",
    # "N / 131-ФЗ"): read across line ends (same length, so offsets hold; raw stays as printed)
    for c in find_citations(ctx.src.text[a:b].replace("\n", " "), a):
        if once and c.number in seen:
            continue
        if "editorial" in ctx.src.line_at(c.start).__dict__:
            continue  # "(в ред. распоряжения … № 351)": an amending act, not a basis
        head = c.start if c.head is None else c.head  # the list an act is part of says what they are
        if _AMENDMENT_BEFORE.search(ctx.src.text, max(a, head - 40), head):
            continue  # "…, утвержденного приказом … № 21 в редакции приказов … № 34": an earlier amendment
        if amends and c.number and re.search(rf"(?:№|N)\s*{re.escape(c.number)}(?![\w-])", title):
            continue  # the act this one amends, named again in the preamble: what it changes, not its basis
        seen.add(c.number)
        ctx.doc.meta.legal_basis.append(LegalAct(
            issuer=c.issuer, doc_type=c.doc_type, date=c.date, number=c.number, title=c.title,
            raw=ctx.src.text[c.start : c.end], span=ctx.span(c.start, c.end),
        ))
        for problem in c.problems:
            ctx.warn("citation_problem", f"{problem}: {c.raw[:100]!r}", ctx.span(c.start, c.end))
