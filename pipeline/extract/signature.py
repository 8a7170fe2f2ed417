"""The signature block (position and name of the signatory) and the
ЗАРЕГИСТРИРОВАНО stamp of a regional act."""

from __future__ import annotations

import re

from pipeline.cleanup import oneline
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.sources import record
from pipeline.labels import starts_with_label
from pipeline.models import Registration
from pipeline.citations import to_nominative
from pipeline.patterns import OPERATIVE_RX, find_dates, find_numbers, signature_line

STAMP = re.compile(r"^\W*ЗАРЕГИСТРИРОВАН[ОA]?\b\W*(?P<rest>.*)$", re.I)


def read_signatory(ctx: Context, lines: list[Line], start: int) -> None:
    """The first signature after the operative formula: a name line (maybe
    with the position on it) under the position block."""
    candidates = []
    for i in range(start, len(lines)):
        found = signature_line(lines[i].clean) if lines[i].text.strip() else None
        if found and (found[0] or position_block(lines, i)):
            candidates = [(i, found)]
            break
        if found and not candidates:
            candidates.append((i, found))  # a name with no position: kept unless a better one follows
    for i, (position, name) in candidates:
        sig = ctx.doc.meta.signatory
        sig.name = name
        ln = lines[i]
        k = ln.text.find(name)
        if k >= 0:
            record(ctx, "signatory.name", ln.start + k, ln.start + k + len(name))
        else:
            record(ctx, "signatory.name", ln.start, ln.end)
        if position:
            # the position may begin on the lines right above ("Министр здравоохранения / Курской области   Иванов И.И.")
            above = position_block(lines, i, skip_blank=False)
            sig.position = oneline(" ".join([*(x.clean for x in above), position]))
            record(ctx, "signatory.position", (above[0] if above else ln).start, ln.start + max(0, k))
            return
        block = position_block(lines, i)
        if block:
            # "Исполняющий обязанности |": a database page's layout table leaves its bars
            sig.position = oneline(" ".join(x.clean for x in block)).strip(" |") or None
            record(ctx, "signatory.position", block[0].start, block[-1].end)
        else:
            ctx.warn("signatory_position", f"no position printed above the signatory {name!r}", ctx.line_span(ln.no))
        return
    if ctx.sl.kind != "other":
        ctx.warn("no_signatory", "no signatory (position and name) found after the operative part",
                 ctx.line_span(ctx.sl.last_line))


def position_block(lines: list[Line], name_idx: int, skip_blank: bool = True) -> list[Line]:
    """The short lines printed above line ``name_idx`` (a signature's position,
    a stamp's authority); empty when they run on into body text."""
    j = name_idx - 1
    while skip_blank and j >= 0 and not lines[j].clean:
        j -= 1
    block: list[Line] = []
    while j >= 0 and lines[j].clean and len(block) < 4:
        t = lines[j].clean
        if len(t) > 80 or t.endswith((".", ";", ":", ",")) or starts_with_label(t, ("decimal", "paren_number"), loose=True) or OPERATIVE_RX.search(t):
            break
        block.insert(0, lines[j])
        j -= 1
    if j >= 0 and lines[j].clean and not (
            block and lines[j].clean.endswith((".", ";", ":")) and block[0].clean[:1].isupper()):
        # the block runs on into text: not a position printed apart. A legal-database
        # page drops the blank line, but there the text above ends its sentence
        # and the position opens with a capital ("…со дня его подписания. /
        # Губернатор / Оренбургской области / А.А.ЧЕРНЫШЕВ")
        return []
    return block


def read_registration(ctx: Context, lines: list[Line]) -> range:
    """The ЗАРЕГИСТРИРОВАНО stamp: the authority printed above it (or after
    the word), then its date and number on the next lines."""
    for i, ln in enumerate(lines):
        m = STAMP.match(ln.clean)
        # a stamp stands alone or names where it was registered; "Зарегистрировано
        # обращений: 5" in a sentence is not a stamp
        if not m or len(ln.text) > 120 or (m.group("rest") and not re.match(r"в\s", m.group("rest"), re.I)):
            continue
        first = ln
        rest = m.group("rest")
        for hit in [*find_dates(rest), *find_numbers(rest)]:
            rest = rest[: hit.start] + " " * (hit.end - hit.start) + rest[hit.end :]
        authority = oneline(rest).strip(" ,.") or None
        if authority:
            # "в Минюсте России" → "Минюст России"
            authority = to_nominative(re.sub(r"^в\s+", "", authority), case="loct")
        else:
            block = position_block(lines, i)
            if block and not any(signature_line(x.clean) for x in block):
                authority = oneline(" ".join(x.clean for x in block))
                first = block[0]
        window = [x for x in lines[i : i + 6] if x.clean][:4]
        a, b = ln.start, window[-1].end
        text = ctx.src.text[a:b]
        dates = [d for d in find_dates(text, a)]
        numbers = [n for n in find_numbers(text, a) if n.value]
        reg = Registration(authority=authority,
                           date=dates[0].value if dates else None,
                           number=numbers[0].value if numbers else None)
        last = max([ln.end] + [d.end for d in dates[:1]] + [n.end for n in numbers[:1]])
        reg.span = ctx.span(first.start, last)
        ctx.doc.meta.registration = reg
        record(ctx, "registration", first.start, last)
        if dates and dates[0].status != "ok":
            ctx.warn(f"date_{dates[0].status}", f"registration date {dates[0].raw!r} cannot be read",
                     ctx.span(dates[0].start, dates[0].end))
        if not dates or not numbers:
            ctx.warn("registration_incomplete", "the ЗАРЕГИСТРИРОВАНО stamp lacks a date or a number",
                     reg.span)
        return range(reg.span.line, reg.span.end_line + 1)
    return range(0)
