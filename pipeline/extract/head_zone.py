"""The zone between the doc-type line and the title: date, number and place in
any order (an act's or a memo's), the same requisites printed under the
signature instead, and an editorial note that corrects them."""

from __future__ import annotations

import re

from pipeline.cleanup import oneline, plain
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.signature import STAMP
from pipeline.extract.sources import PLACE, record
from pipeline.extract.title_basis import PREAMBLE_START, TITLE_START
from pipeline.nlp import get_morph
from pipeline.patterns import bare_number, find_dates, find_numbers, signature_line

# How far below the doc-type line the date/number/title are looked for.
HEAD_ZONE_MAX_LINES = 12


REPLY_TO = re.compile(r"(?<![А-Яа-яЁё])на[ \t\u00a0]*(?=$)", re.I)


OUTGOING = re.compile(r"^исх(?:одящий)?\.?\s*", re.I)  # "Исх. 44-к/21": the memo's own number


INITIALS_FIRST_NAME = re.compile(r"^[А-ЯЁ]\.")


# ГАРАНТ: "По-видимому, в тексте предыдущего абзаца допущена опечатка. Дату настоящего
# приказа следует читать как "12 февраля 2024 г."" — a database's correction of the act's requisite
CORRECTION = re.compile(
    r"(?P<what>дат\w*|номер\w*)\s+(?:настоящ\w+\s+|названн\w+\s+|указанн\w+\s+)?"
    r"(?:приказа|постановления|распоряжения|указа|решения|документа|акта)[^.]{0,80}?"
    r"следует\s+читать\s+как\s+[\"«]?(?P<value>[^\"»\n]{1,60}?)[\"»]?\s*(?:\.|$)", re.I | re.M)


def editorial_corrections(ctx: Context, lines: list[Line]) -> None:
    """An editorial note that corrects the act's date or number gives the
    value; the printed one stays in ``meta.sources`` as '<field>_printed'."""
    meta = ctx.doc.meta
    for ln in lines:
        if "editorial" not in ln.__dict__:
            continue
        for m in CORRECTION.finditer(ln.text):
            field = "date" if m.group("what").lower().startswith("дат") else "number"
            raw = m.group("value")
            if field == "date":
                found = [d for d in find_dates(raw) if d.status == "ok"]
                value = found[0].value if found else None
            else:
                found = find_numbers("№ " + raw.lstrip("№N ").strip())
                value = found[0].value if found and found[0].value else None
            if value is None or value == getattr(meta, field):
                continue
            printed = meta.sources.get(field)
            if printed is not None:
                meta.sources[f"{field}_printed"] = printed
            old = getattr(meta, field)
            setattr(meta, field, value)
            start = ln.start + m.start("value")
            record(ctx, field, start, start + len(raw))
            ctx.warn(f"{field}_corrected", f"the act prints {field} {old!r}; an editorial note corrects it to {value!r}",
                     ctx.span(start, start + len(raw)))


def requisites_after_signature(ctx: Context, lines: list[Line]) -> None:
    """Some letterheads print no date or number: the act gives them under the
    signature ("Глава Республики Карелия … / Петрозаводск / 7 февраля 2005 г. /
    N 3-П"). Read as the head zone would be, and reported."""
    src = ctx.doc.meta.sources.get("signatory.name")
    if src is None or src.span is None:
        return
    after = [ln for ln in lines if ln.no > src.span.end_line and ln.clean][:4]
    zone = []
    for ln in after:
        t = ln.clean
        requisite = find_dates(t) or find_numbers(t) or (len(t.split()) <= 2 and PLACE.match(t) or is_place_name(t.split()[0]))
        if STAMP_START.match(t) or len(t) > 60 or not requisite:
            break
        zone.append(ln)
    if not any(find_dates(ln.clean) or find_numbers(ln.clean) for ln in zone):
        return
    before = (ctx.doc.meta.date, ctx.doc.meta.number)
    if zone:
        read_zone(ctx, zone)
    if (ctx.doc.meta.date, ctx.doc.meta.number) != before:
        ctx.warn("requisites_after_signature", "the letterhead prints no date or number; they are read under the signature",
                 ctx.line_span(zone[0].no, zone[-1].no), severity="info")


STAMP_START = re.compile(r"^(?:приложение|утвержд)", re.I)


def act_head(ctx: Context, lines: list[Line], start: int, skip: range = range(0)) -> int:
    """Date, number and place between the doc-type line and the title (lines
    of a registration stamp, ``skip``, are stepped over). Returns the index of
    the first line after that zone."""
    i, seen = start, 0
    zone: list[Line] = []
    while i < len(lines) and seen < HEAD_ZONE_MAX_LINES:
        t = lines[i].clean
        if t and lines[i].no in skip:
            pass
        elif t:
            if TITLE_START.match(t) or PREAMBLE_START.match(t) or STAMP.match(t) or len(t) > 100:
                break
            zone.append(lines[i])
            seen += 1
        i += 1
    read_zone(ctx, zone)
    return i


def memo_head(ctx: Context, head: list[Line]) -> None:
    """A memo's head: date, its own number, the "На № …" it answers, the addressee.
    A signature ("Министр / И.И. Иванов") above its first date or number ends
    the act before it and is not part of the head."""
    lines = [ln for ln in head if ln.clean]
    for k, ln in enumerate(lines):
        t = ln.clean
        if find_dates(t) or find_numbers(t) or bare_number(OUTGOING.sub("", t)):
            break
        sig = signature_line(t)
        if sig and INITIALS_FIRST_NAME.match(sig[1]):
            lines = lines[k + 1 :]
            break
    read_zone(ctx, lines, memo=True)


def read_zone(ctx: Context, zone: list[Line], memo: bool = False) -> None:
    meta = ctx.doc.meta
    if not zone:
        return
    a, b = zone[0].start, zone[-1].end
    text = ctx.src.text[a:b]
    inside = {ln.no for ln in zone}
    for ln in ctx.src.lines[zone[0].no - 1 : zone[-1].no]:
        if ln.no not in inside:  # a stamp line inside the zone is read by _registration
            text = text[: ln.start - a] + " " * (ln.end - ln.start) + text[ln.end - a :]
    used: list[tuple[int, int]] = []

    # "На № 02-ВН/805/24 [от …]": the request a memo answers, not its own
    # number or date.
    numbers = find_numbers(text, a)
    own_numbers = []
    for n in numbers:
        before = REPLY_TO.search(text, 0, n.start - a)
        if not before:
            own_numbers.append(n)
            continue
        end = n.end
        after = find_dates(text[n.end - a : n.end - a + 40], n.end)
        if after and re.fullmatch(r"\s*от\s*", ctx.src.text[n.end : after[0].start]):
            end = after[0].end
        meta.reply_to = n.value
        record(ctx, "reply_to", a + before.start(), end)
        used.append((a + before.start(), end))

    dates = [d for d in find_dates(text, a) if not any(s <= d.start < e for s, e in used)]
    if dates:
        d = dates[0]
        meta.date = d.value
        record(ctx, "date", d.start, d.end)
        used.append((d.start, d.end))
        if d.status in ("unreadable", "invalid"):
            ctx.warn(f"date_{d.status}", f"date printed as {d.raw!r} cannot be read; left empty", ctx.span(d.start, d.end))
        elif d.ocr_fixed:
            ctx.warn("date_ocr", f"date {d.raw!r} read with OCR look-alikes as {d.value}", ctx.span(d.start, d.end), severity="info")

    for n in own_numbers:
        if any(s <= n.start < e for s, e in used):
            continue
        used.append((n.start, n.end))
        if "number" not in meta.sources:
            meta.number = n.value
            record(ctx, "number", n.start, n.end)

    if meta.number is None and "number" not in meta.sources:
        # memos print their own number bare, on a line of its own
        for ln in zone:
            if any(s <= ln.start < e for s, e in used):
                continue
            value = bare_number(OUTGOING.sub("", ln.clean))
            if value:
                meta.number = value
                record(ctx, "number", ln.start, ln.end)
                used.append((ln.start, ln.end))
                break

    masked = "".join(" " if any(s <= a + k < e for s, e in used) else ch for k, ch in enumerate(text))
    pm = PLACE.search(masked)
    if pm:
        meta.place = pm.group("city")
        record(ctx, "place", a + pm.start(), a + pm.end())
        used.append((a + pm.start(), a + pm.end()))

    if meta.place is None:
        for ln in zone:
            if any(s <= ln.start < e for s, e in used):
                continue
            words = ln.clean.split()
            if 1 <= len(words) <= 2 and words[0][:1].isupper() and is_place_name(words[0]):
                meta.place = " ".join(words)
                record(ctx, "place", ln.start, ln.end)
                used.append((ln.start, ln.end))
                break

    leftovers = []
    for ln in zone:
        rest = "".join(ch for k, ch in enumerate(ln.text) if not any(s <= ln.start + k < e for s, e in used))
        rest = plain(rest).strip(" .,:;-–—*_")
        if rest and rest.lower() not in ("от", "г", "года"):
            leftovers.append((ln, rest))
    if memo and leftovers:
        # what is left above a memo's doc type is its addressee ("Начальнику Управления / Дадаеву С.С.")
        record(ctx, "addressee", leftovers[0][0].start, leftovers[-1][0].end)
        meta.addressee = oneline(meta.sources["addressee"].raw)
        return
    for ln, rest in leftovers:
        ctx.warn("header_unplaced", f"header text not read as date, number or place: {rest[:80]!r}", ctx.line_span(ln.no))


def is_place_name(word: str) -> bool:
    return any("Geox" in p.tag for p in get_morph().parse(word.rstrip(".,").lower()))
