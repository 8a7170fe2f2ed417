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
"""

from __future__ import annotations

import re

from pipeline.cleanup import mostly_upper, oneline, plain
from pipeline.context import Context, Header
from pipeline.document import Line
from pipeline.extract.agency_name import body_text, is_foreign, read_agency, restore_case  # noqa: F401  (public API)
from pipeline.extract.signature import STAMP, read_registration, read_signatory
from pipeline.extract.sources import PLACE, WORDS, record
from pipeline.models import LegalAct, Sourced
from pipeline.nlp import get_morph, markers, normal_forms
from pipeline.labels import starts_with_label
from pipeline.headings import parse_heading, parse_stamp, unquote
from pipeline.inflect import body_nominative
from pipeline.regions import find_region as find_region_in, find_regions
from pipeline.patterns import OPERATIVE_RX, bare_number, find_citations, find_dates, find_numbers, issuer_nominative, signature_line

# How far below the doc-type line the date/number/title are looked for.
HEAD_ZONE_MAX_LINES = 12
TITLE_MAX_LINES = 8

_TITLE_START = re.compile(r"^[«\"“„]?(?:Об?|Обо)\s+\S", re.I)
_QUOTES = "«»\"“”„"
# Words that open the legal basis of an act (в соответствии с …, во исполнение …).
_BASIS = re.compile(r"\b(?:в\s+соответствии\s+с|во\s+исполнение|в\s+целях\s+реализации|в\s+рамках|на\s+основании|согласно)\b", re.I)
_PREAMBLE_START = re.compile(
    r"^(?:В\s+целях|С\s+целью|В\s+соответствии|На\s+основании|Руководствуясь|В\s+рамках|Во\s+исполнение"
    r"|В\s+связи|Согласно|Для\s+обеспечения)", re.I)
_REPLY_TO = re.compile(r"(?<![А-Яа-яЁё])на[ \t\u00a0]*(?=$)", re.I)
_OUTGOING = re.compile(r"^исх(?:одящий)?\.?\s*", re.I)  # "Исх. 44-к/21": the memo's own number
_INITIALS_FIRST_NAME = re.compile(r"^[А-ЯЁ]\.")


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
        body_from = _approval_stamp(ctx, lines)
        title_end = body_from
        preamble_end = _basis_in_text(ctx, lines, body_from)
    else:
        if ctx.sl.kind == "memo":
            _memo_head(ctx, lines[:type_idx])  # a memo's agency is linked after extraction (extract.link)
            body_from = type_idx + 1
        elif ctx.sl.type_line:
            # the head above the doc type, below a database heading if there is one
            read_agency(ctx, lines[(heading_idx + 1 if heading_idx is not None and heading_idx < type_idx else 0):type_idx])
            body_from = _act_head(ctx, lines, type_idx + 1, skip=stamp)
        else:
            body_from = heading_idx + 1 if heading_idx is not None else 0
        if heading_idx is not None:
            _heading(ctx, lines[heading_idx])
        # a heading that printed the title leaves none to look for below it
        title_end = _title(ctx, lines, body_from, skip=stamp) if "title" not in meta.sources or ctx.sl.type_line else body_from
        preamble_end = _legal_basis(ctx, lines, title_end)
    read_signatory(ctx, lines, preamble_end)
    _editorial_corrections(ctx, lines)
    if ctx.sl.type_line and ctx.sl.kind == "order" and (meta.date is None or meta.number is None):
        _requisites_after_signature(ctx, lines)
    if not meta.agency and ctx.sl.kind in ("order", "draft"):
        _agency_from_operative(ctx, lines) or _agency_from_signature(ctx)
    find_region(ctx)
    if not meta.region and heading_idx is not None:
        _region_from_heading(ctx, lines[heading_idx])
    if not meta.region and ctx.sl.kind != "memo":
        _region_from_text(ctx, lines)
    if meta.doc_type is None and ctx.sl.kind == "order":
        _doc_type_from_text(ctx, lines)
    if not ctx.sl.type_line and not ctx.sl.heading_line and ctx.sl.kind == "order":
        ctx.warn("head_missing", "the text starts after the act's head (no doc type, date or number printed): "
                 "requisites left empty", ctx.line_span(ctx.sl.first_line), severity="warning")
    return _header(ctx)


# ------------------------------------------------- headings and stamps


def _heading(ctx: Context, line: Line) -> None:
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
            if _comparable(current) != _comparable(value):
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
    if ref.title and _heading_title_wins(meta, ref.title):
        meta.title = ref.title
        record(ctx, "title", base + ref.title_span[0], base + ref.title_span[1])


# ГАРАНТ: "По-видимому, в тексте предыдущего абзаца допущена опечатка. Дату настоящего
# приказа следует читать как "12 февраля 2024 г."" — a database's correction of the act's requisite
_CORRECTION = re.compile(
    r"(?P<what>дат\w*|номер\w*)\s+(?:настоящ\w+\s+|названн\w+\s+|указанн\w+\s+)?"
    r"(?:приказа|постановления|распоряжения|указа|решения|документа|акта)[^.]{0,80}?"
    r"следует\s+читать\s+как\s+[\"«]?(?P<value>[^\"»\n]{1,60}?)[\"»]?\s*(?:\.|$)", re.I | re.M)


def _editorial_corrections(ctx: Context, lines: list[Line]) -> None:
    """An editorial note that corrects the act's date or number gives the
    value; the printed one stays in ``meta.sources`` as '<field>_printed'."""
    meta = ctx.doc.meta
    for ln in lines:
        if "editorial" not in ln.__dict__:
            continue
        for m in _CORRECTION.finditer(ln.text):
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


def _doc_type_from_text(ctx: Context, lines: list[Line]) -> None:
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


def _region_from_heading(ctx: Context, line: Line) -> None:
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


def _requisites_after_signature(ctx: Context, lines: list[Line]) -> None:
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
        requisite = find_dates(t) or find_numbers(t) or (len(t.split()) <= 2 and PLACE.match(t) or _is_place_name(t.split()[0]))
        if STAMP_START.match(t) or len(t) > 60 or not requisite:
            break
        zone.append(ln)
    if not any(find_dates(ln.clean) or find_numbers(ln.clean) for ln in zone):
        return
    before = (ctx.doc.meta.date, ctx.doc.meta.number)
    if zone:
        _read_zone(ctx, zone)
    if (ctx.doc.meta.date, ctx.doc.meta.number) != before:
        ctx.warn("requisites_after_signature", "the letterhead prints no date or number; they are read under the signature",
                 ctx.line_span(zone[0].no, zone[-1].no), severity="info")


STAMP_START = re.compile(r"^(?:приложение|утвержд)", re.I)


def _heading_title_wins(meta, heading: str) -> bool:
    """The act's own title is kept unless it is missing or printed in capitals
    (a database prints it in proper case); a heading title the site cut short
    never replaces a longer one."""
    if meta.title is None:
        return True
    raw = meta.sources["title"].raw if "title" in meta.sources else meta.title
    if not mostly_upper(raw):
        return False
    return len(_comparable(heading)) >= 0.95 * len(_comparable(meta.title))


# "…, Правительство Мурманской области постановляет:": the body that speaks in the
# operative formula — from the last capitalised head noun of a body before the verb
_SPEAKER_WORDS = r"(?:[ \t\u00a0]+[^\s,;:.]+){0,15}?"


def _speaker_rx() -> re.Pattern[str]:
    heads = markers("body_heads")
    alts = "|".join(sorted({h.capitalize() for h in heads} | {h.upper() for h in heads}, key=len, reverse=True))
    return re.compile(rf"(?<![А-Яа-яЁё])(?P<body>(?:{alts}){_SPEAKER_WORDS})\s*$")


_SPEAKER = _speaker_rx()


def _agency_from_operative(ctx: Context, lines: list[Line]) -> bool:
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
        m = _SPEAKER.search(before)
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


_PERSON_BODIES = ("губернатор", "глава", "мэр")


def _agency_from_signature(ctx: Context) -> bool:
    """A governor's or head's act without a letterhead: the signatory's
    position names the issuer ('Губернатор Оренбургской области')."""
    meta = ctx.doc.meta
    pos = meta.signatory.position
    src = meta.sources.get("signatory.position")
    if not pos or not src:
        return False
    words = WORDS.findall(pos)
    if len(words) < 2 or not (normal_forms(words[0].lower()) & set(_PERSON_BODIES)):
        return False
    if not find_region_in(pos):
        return False
    meta.agency = pos
    meta.sources["agency"] = src
    ctx.warn("agency_from_signature", f"no letterhead: the issuer is read from the signatory's position ({pos!r})",
             src.span, severity="info")
    return True


def _region_from_text(ctx: Context, lines: list[Line]) -> None:
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


def _comparable(value: str) -> str:
    return re.sub(r"[\W_]+", "", str(value)).lower().replace("ё", "е")


def body_name(issuer: str) -> str:
    """An issuing body printed in a governed case → its nominative, in proper case."""
    return body_nominative(issuer.strip())


def _approval_stamp(ctx: Context, lines: list[Line]) -> int:
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


def _basis_in_text(ctx: Context, lines: list[Line], start: int) -> int:
    """Acts an appendix cites as its basis ("… разработан в соответствии с
    распоряжением … от … № …") in its first paragraphs."""
    window = [ln for ln in lines[start : start + 15] if ln.clean]
    for ln in window:
        for m in _BASIS.finditer(ln.text):
            _add_citations(ctx, ln.start + m.start(), ln.end, once=True)
    return start


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


def _act_head(ctx: Context, lines: list[Line], start: int, skip: range = range(0)) -> int:
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
            if _TITLE_START.match(t) or _PREAMBLE_START.match(t) or STAMP.match(t) or len(t) > 100:
                break
            zone.append(lines[i])
            seen += 1
        i += 1
    _read_zone(ctx, zone)
    return i


def _memo_head(ctx: Context, head: list[Line]) -> None:
    """A memo's head: date, its own number, the "На № …" it answers, the addressee.
    A signature ("Министр / И.И. Иванов") above its first date or number ends
    the act before it and is not part of the head."""
    lines = [ln for ln in head if ln.clean]
    for k, ln in enumerate(lines):
        t = ln.clean
        if find_dates(t) or find_numbers(t) or bare_number(_OUTGOING.sub("", t)):
            break
        sig = signature_line(t)
        if sig and _INITIALS_FIRST_NAME.match(sig[1]):
            lines = lines[k + 1 :]
            break
    _read_zone(ctx, lines, memo=True)


def _read_zone(ctx: Context, zone: list[Line], memo: bool = False) -> None:
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
        before = _REPLY_TO.search(text, 0, n.start - a)
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
            value = bare_number(_OUTGOING.sub("", ln.clean))
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
            if 1 <= len(words) <= 2 and words[0][:1].isupper() and _is_place_name(words[0]):
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


def _is_place_name(word: str) -> bool:
    return any("Geox" in p.tag for p in get_morph().parse(word.rstrip(".,").lower()))


# -------------------------------------------------------------------- title


def _title(ctx: Context, lines: list[Line], start: int, skip: range = range(0)) -> int:
    """"Об утверждении …" from ``start`` until a blank line; returns the index
    after it (or ``start`` when there is no title). Lines of the registration
    stamp (``skip``, line numbers) may stand before it."""
    i = start
    while i < len(lines) and (not lines[i].clean or lines[i].no in skip):
        i += 1
    if i >= len(lines) or not _TITLE_START.match(lines[i].clean):
        if ctx.sl.kind != "memo":
            ctx.warn("no_title", "no title (\"О …\"/\"Об …\") after the date and number",
                     ctx.line_span(lines[min(i, len(lines) - 1)].no))
        return start
    first = i
    taken: list[Line] = []
    while i < len(lines) and i - first < TITLE_MAX_LINES + 2:
        t = lines[i].clean
        if not t and taken and i + 1 < len(lines) and lines[i + 1].clean[:1].islower() \
                and not taken[-1].clean.endswith((".", ":", ";")):
            i += 1  # a fixed-width page puts blank lines between the lines of one title
            continue
        if not t or len(taken) >= TITLE_MAX_LINES or (taken and (
                _PREAMBLE_START.match(t) or OPERATIVE_RX.search(t) or taken[-1].clean.endswith((".", ":", ";")))):
            break  # titles print no closing stop: a line after one is the preamble
        taken.append(lines[i])
        i += 1
    title = unquote(oneline(" ".join(ln.clean for ln in taken)))
    ctx.doc.meta.title = restore_case(title, body_text(ctx)) if mostly_upper(title) else title
    record(ctx, "title", taken[0].start, taken[-1].end)
    return i


# -------------------------------------------------------------- legal basis


def _legal_basis(ctx: Context, lines: list[Line], start: int) -> int:
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
        _add_citations(ctx, a, om.start())
        formula_line = ctx.src.line_at(om.start()).no
        return formula_line - ctx.sl.first_line + 1
    # no formula ("В целях …:" then "1. Утвердить …", as распоряжения print it):
    # the preamble ends where the first numbered clause starts
    for k in range(start, end_line):
        if k > start and starts_with_label(lines[k].clean, ("decimal",)) and lines[k - 1].clean.endswith(":"):
            if _BASIS.search(text, a, lines[k].start):
                _add_citations(ctx, a, lines[k].start)
            return k
    # a text cut inside its preamble ("В соответствии с … N 59-ФЗ …" and no more):
    # the acts it cites are still its basis
    first = next((ln for ln in lines[start:end_line] if ln.clean), None)
    if first is not None and _PREAMBLE_START.match(first.clean):
        stop = next((ln.start for ln in lines[start:end_line] if ln.no > first.no and starts_with_label(ln.clean, ("decimal",))), b)
        _add_citations(ctx, first.start, stop)
    return start


def _add_citations(ctx: Context, a: int, b: int, once: bool = False) -> None:
    """Every act cited in ``src.text[a:b]`` joins the legal basis (``once``:
    unless it is there already)."""
    seen = {x.number for x in ctx.doc.meta.legal_basis}
    for c in find_citations(ctx.src.text[a:b], a):
        if once and c.number in seen:
            continue
        if "editorial" in ctx.src.line_at(c.start).__dict__:
            continue  # "(в ред. распоряжения … № 351)": an amending act, not a basis
        seen.add(c.number)
        ctx.doc.meta.legal_basis.append(LegalAct(
            issuer=c.issuer, doc_type=c.doc_type, date=c.date, number=c.number, title=c.title,
            raw=c.raw, span=ctx.span(c.start, c.end),
        ))
        for problem in c.problems:
            ctx.warn("citation_problem", f"{problem}: {c.raw[:100]!r}", ctx.span(c.start, c.end))


# ------------------------------------------------------------------- region


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
    if meta.agency:
        ctx.warn("no_region", f"no federal subject found in the agency name or the title: {meta.agency!r}",
                 meta.sources["agency"].span, severity="info")
