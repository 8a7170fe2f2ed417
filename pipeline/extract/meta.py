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

Header facts that have no model field are kept in ``sources`` only:
``reply_to`` (the "На № …" a memo answers) and ``addressee``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import LegalAct, Registration, Sourced
from pipeline.nlp import VocabMatcher, get_morph, is_known_word
from pipeline.patterns import (
    OPERATIVE_RX,
    bare_number,
    find_citations,
    find_dates,
    find_numbers,
    signature_line,
    to_nominative,
)
from pipeline.document import Line
from pipeline.context import Context, Header
from pipeline.labels import starts_with_label
from pipeline.cleanup import mostly_upper, oneline, plain

# A header block is taken for another language (the Altai half of a bilingual
# header) when at least this share of its longer words is unknown to pymorphy3.
FOREIGN_UNKNOWN_SHARE = 0.4
# Words this short are left out of that share: abbreviations live there.
FOREIGN_MIN_WORD = 5
# How far below the doc-type line the date/number/title are looked for.
HEAD_ZONE_MAX_LINES = 12
TITLE_MAX_LINES = 8

_TITLE_START = re.compile(r"^(?:Об?|Обо)\s+\S", re.I)
_PREAMBLE_START = re.compile(
    r"^(?:В\s+целях|С\s+целью|В\s+соответствии|На\s+основании|Руководствуясь|В\s+рамках|Во\s+исполнение"
    r"|В\s+связи|Согласно|Для\s+обеспечения)", re.I)
_PLACE = re.compile(
    r"(?<![А-Яа-яЁё])(?:г\.|гор\.|город|пгт\.?|пос\.|с\.)[ \t\u00a0]*(?P<city>[А-ЯЁ][А-Яа-яЁё]+(?:(?:-|[ \t\u00a0])[А-ЯЁ][А-Яа-яЁё]+)*)"
)
_REPLY_TO = re.compile(r"(?<![А-Яа-яЁё])на[ \t\u00a0]*(?=$)", re.I)
_OUTGOING = re.compile(r"^исх(?:одящий)?\.?\s*", re.I)  # "Исх. 44-к/21": the memo's own number
_INITIALS_FIRST_NAME = re.compile(r"^[А-ЯЁ]\.")
_STAMP = re.compile(r"^\W*ЗАРЕГИСТРИРОВАН[ОA]?\b\W*(?P<rest>.*)$", re.I)
_WORDS = re.compile(r"[А-Яа-яЁёA-Za-z]+")
_NON_RUSSIAN = re.compile(r"[^\W\d_А-Яа-яЁёA-Za-z]")


@dataclass
class Block:
    """Consecutive non-empty lines."""

    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(ln.clean for ln in self.lines).strip()

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def extract(ctx: Context) -> Header:
    """Fill ``ctx.doc.meta`` and return where the header facts are."""
    meta = ctx.doc.meta
    meta.doc_type = ctx.sl.doc_type
    if ctx.sl.type_line:
        type_ln = ctx.src.lines[ctx.sl.type_line - 1]
        _source(ctx, "doc_type", type_ln.start, type_ln.end)
    lines = ctx.lines
    type_idx = (ctx.sl.type_line - ctx.sl.first_line) if ctx.sl.type_line else 0

    stamp = _registration(ctx, lines)
    if ctx.sl.kind == "memo":
        _memo_head(ctx, lines[:type_idx])  # a memo's agency is linked after extraction (extract.link)
        body_from = type_idx + 1
    else:
        _agency(ctx, lines[:type_idx])
        body_from = _act_head(ctx, lines, type_idx + 1, skip=stamp)
    title_end = _title(ctx, lines, body_from, skip=stamp)
    preamble_end = _legal_basis(ctx, lines, title_end)
    _signatory(ctx, lines, preamble_end)
    find_region(ctx)
    return _header(ctx)


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


# ------------------------------------------------------------------ helpers


def _source(ctx: Context, key: str, start: int, end: int) -> None:
    text = ctx.src.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    ctx.doc.meta.sources[key] = Sourced(raw=text[start:end], span=ctx.span(start, end))


def _blocks(lines: list[Line]) -> list[Block]:
    out: list[Block] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.clean:
            cur.append(ln)
        elif cur:
            out.append(Block(cur))
            cur = []
    if cur:
        out.append(Block(cur))
    return out


# ------------------------------------------------------------------- agency


def is_foreign(text: str) -> bool:
    """True for a header block in another language (the Altai lines of a
    bilingual header): many of its longer words are unknown to pymorphy3."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= FOREIGN_MIN_WORD]
    if not words:
        return False
    # letters Russian does not have (Ә, Ө, Ү, Һ, Ӧ …) settle it for the word
    unknown = sum(bool(_NON_RUSSIAN.search(w)) or not is_known_word(w) for w in words)
    return unknown / len(words) >= FOREIGN_UNKNOWN_SHARE


def _agency(ctx: Context, head: list[Line]) -> None:
    """The issuing body: the header block nearest the doc-type line that is in
    Russian and holds no date or number. A trailing parenthesis is its short
    name ("(КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ РЕСПУБЛИКИ АЛТАЙ)")."""
    meta = ctx.doc.meta
    candidates = []
    for b in _blocks(head):
        if any(c.isdigit() for c in b.text):
            continue  # a date, number, address or phone line is not a name
        pm = _PLACE.match(b.text)
        if pm and len(b.text.split()) <= 4:
            # "г. Курск" printed above the doc type
            meta.place = pm.group("city")
            _source(ctx, "place", b.start, b.end)
            continue
        if is_foreign(b.text):
            ctx.warn("header_foreign", f"header lines in another language are not the agency: {b.text[:80]!r}",
                     ctx.span(b.start, b.end), severity="info")
            continue
        parts = _split_bodies(b)
        for parent in parts[:-1]:
            ctx.warn("header_parent", f"header names a body above the agency: {parent.text[:80]!r}",
                     ctx.span(parent.start, parent.end), severity="info")
        b = parts[-1]
        if candidates and _continues(candidates[-1], b, head):
            candidates[-1] = Block(candidates[-1].lines + b.lines)
        else:
            candidates.append(b)
    if not candidates:
        if ctx.sl.kind != "memo":
            ctx.warn("no_agency", "no issuing body printed above the doc type",
                     ctx.line_span(ctx.sl.type_line or ctx.sl.first_line))
        return
    block = candidates[-1]
    for other in candidates[:-1]:
        ctx.warn("header_unplaced", f"header block not used as the agency: {other.text[:80]!r}",
                 ctx.span(other.start, other.end), severity="info")
    full, short = _split_short_name(block.text)
    body = _body_text(ctx)
    meta.agency = restore_case(full, body)
    _source(ctx, "agency", block.start, block.end)
    if short:
        meta.agency_short = restore_case(short, body)
        i = ctx.src.text.find("(", block.start, block.end)
        _source(ctx, "agency_short", i if i >= 0 else block.start, block.end)


def _split_bodies(block: Block) -> list[Block]:
    """'ПРАВИТЕЛЬСТВО …' over 'МИНИСТЕРСТВО …' in one block: a line that opens
    with a word only readable as a nominative (not a genitive tail like
    'РЕСПУБЛИКИ …' or 'ПО …') starts a new body's name."""
    parts: list[list[Line]] = [[block.lines[0]]]
    for ln in block.lines[1:]:
        words = _WORDS.findall(ln.clean)
        if words and not ln.clean.startswith("(") and _nominative_only(words[0]):
            parts.append([ln])
        else:
            parts[-1].append(ln)
    return [Block(p) for p in parts]


def _continues(prev: Block, block: Block, head: list[Line]) -> bool:
    """'МИНИСТЕРСТВО' / blank / 'ЗДРАВООХРАНЕНИЯ РЕСПУБЛИКИ …': the lower block
    continues the name when only blank lines part them, both are upper case
    and it opens with a word that is not a nominative."""
    between = [ln for ln in head if prev.lines[-1].no < ln.no < block.lines[0].no]
    if any(ln.clean for ln in between) or block.text.startswith("("):
        return False
    words = _WORDS.findall(block.text)
    return (bool(words) and mostly_upper(prev.text) and mostly_upper(block.text)
            and not _nominative_only(words[0]))


def _nominative_only(word: str) -> bool:
    if not is_known_word(word):
        return False
    parses = get_morph().parse(word.lower())
    cases = {p.tag.case for p in parses}
    return "nomn" in cases and cases <= {"nomn", "accs"} and all(p.tag.POS in ("NOUN", "ADJF") for p in parses)


def _split_short_name(text: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(?P<full>.+?)\s*\((?P<short>[^()]+)\)\s*", text)
    if m:
        return oneline(m.group("full")), oneline(m.group("short"))
    return oneline(text), None


def _body_text(ctx: Context) -> str:
    """The document's mixed-case text, where names are printed in their
    proper case."""
    return "\n".join(ln.text for ln in ctx.lines if not mostly_upper(ln.text))


def restore_case(name: str, body: str = "") -> str:
    """An upper-case header name in proper Russian case:
    'МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ САХАЛИНСКОЙ ОБЛАСТИ' →
    'Министерство социальной защиты Сахалинской области'.

    A word is capitalised when it is part of a federal subject's name (region
    vocabulary) or when the document's body prints it capitalised inside a
    sentence; abbreviations (ЗАГС, ГКУ, РСО) stay upper case; the rest is
    lower case; a quoted name ("ГКУ «ЦЕНТР …»") opens with a capital. A name
    that is not upper case is returned as printed.
    """
    if not mostly_upper(name):
        return name
    capital_spans = _region_capitals(name)
    out = []
    pos = 0
    for m in _WORDS.finditer(name):
        out.append(name[pos : m.start()])
        w = m.group(0)
        if _is_abbreviation(w):
            out.append(w)
        elif (any(a <= m.start() < b for a, b in capital_spans) or _capitalised_in(body, w)
              or name[: m.start()].rstrip().endswith(("«", '"', "„", "“"))):  # a quoted name opens with a capital
            out.append(w[:1] + w[1:].lower())
        else:
            out.append(w.lower())
        pos = m.end()
    out.append(name[pos:])
    s = "".join(out)
    return s[:1].upper() + s[1:]


def _is_abbreviation(word: str) -> bool:
    if not word.isupper() or len(word) < 2:
        return False
    if not is_known_word(word):
        return len(word) <= 5
    # "ЗАГС" is only an abbreviation; "ПО" is also a preposition
    return all("Abbr" in p.tag for p in get_morph().parse(word.lower()))


def _region_capitals(name: str) -> list[tuple[int, int]]:
    """Spans of the words of ``name`` that the region vocabulary prints
    capitalised ('РЕСПУБЛИКИ АЛТАЙ' → both; 'САХАЛИНСКОЙ ОБЛАСТИ' → the first)."""
    from pipeline.nlp import normal_forms

    out = []
    for m in VocabMatcher.load("regions").find(name):
        entry = m.entry or {}
        capital = set()
        for phrase in [entry.get("name", ""), *entry.get("patterns", [])]:
            for w in _WORDS.findall(phrase):
                if w[:1].isupper() and not w.isupper():
                    capital |= normal_forms(w)
        for wm in _WORDS.finditer(name, m.start, m.end):
            if normal_forms(wm.group(0)) & capital:
                out.append((wm.start(), wm.end()))
    return out


def _capitalised_in(body: str, word: str) -> bool:
    """The body prints ``word`` capitalised more often than not, counting only
    places inside a sentence (a sentence-initial capital proves nothing)."""
    if not body:
        return False
    upper = lower = 0
    for m in re.finditer(rf"(?<![А-Яа-яЁёA-Za-z]){re.escape(word)}(?![А-Яа-яЁёA-Za-z])", body, re.I):
        before = body[: m.start()].rstrip(" \t*«\"(")
        if not before or before[-1] in ".!?\n:;":
            continue
        if m.group(0)[:1].isupper() and not m.group(0).isupper():
            upper += 1
        elif m.group(0).islower():
            lower += 1
    return upper > lower


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
            if _TITLE_START.match(t) or _PREAMBLE_START.match(t) or _STAMP.match(t) or len(t) > 100:
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
    # number or date; kept as sources["reply_to"] since Meta has no field for it.
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
        _source(ctx, "reply_to", a + before.start(), end)
        used.append((a + before.start(), end))

    dates = [d for d in find_dates(text, a) if not any(s <= d.start < e for s, e in used)]
    if dates:
        d = dates[0]
        meta.date = d.value
        _source(ctx, "date", d.start, d.end)
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
            _source(ctx, "number", n.start, n.end)

    if meta.number is None and "number" not in meta.sources:
        # memos print their own number bare, on a line of its own
        for ln in zone:
            if any(s <= ln.start < e for s, e in used):
                continue
            value = bare_number(_OUTGOING.sub("", ln.clean))
            if value:
                meta.number = value
                _source(ctx, "number", ln.start, ln.end)
                used.append((ln.start, ln.end))
                break

    masked = "".join(" " if any(s <= a + k < e for s, e in used) else ch for k, ch in enumerate(text))
    pm = _PLACE.search(masked)
    if pm:
        meta.place = pm.group("city")
        _source(ctx, "place", a + pm.start(), a + pm.end())
        used.append((a + pm.start(), a + pm.end()))

    if meta.place is None:
        for ln in zone:
            if any(s <= ln.start < e for s, e in used):
                continue
            words = ln.clean.split()
            if 1 <= len(words) <= 2 and words[0][:1].isupper() and _is_place_name(words[0]):
                meta.place = " ".join(words)
                _source(ctx, "place", ln.start, ln.end)
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
        _source(ctx, "addressee", leftovers[0][0].start, leftovers[-1][0].end)
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
    while i < len(lines) and i - first < TITLE_MAX_LINES:
        t = lines[i].clean
        if not t or (i > first and (_PREAMBLE_START.match(t) or OPERATIVE_RX.search(t)
                                    or lines[i - 1].clean.endswith((".", ":", ";")))):
            break  # titles print no closing stop: a line after one is the preamble
        i += 1
    title = oneline(" ".join(ln.clean for ln in lines[first:i]))
    ctx.doc.meta.title = restore_case(title, _body_text(ctx)) if mostly_upper(title) else title
    _source(ctx, "title", lines[first].start, lines[i - 1].end)
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
    if not om:
        return start
    for c in find_citations(text[a : om.start()], a):
        ctx.doc.meta.legal_basis.append(LegalAct(
            issuer=c.issuer, doc_type=c.doc_type, date=c.date, number=c.number, title=c.title,
            raw=c.raw, span=ctx.span(c.start, c.end),
        ))
        for problem in c.problems:
            ctx.warn("citation_problem", f"{problem}: {c.raw[:100]!r}", ctx.span(c.start, c.end))
    formula_line = ctx.src.line_at(om.start()).no
    return formula_line - ctx.sl.first_line + 1


# ---------------------------------------------------------------- signatory


def _signatory(ctx: Context, lines: list[Line], start: int) -> None:
    """The first signature after the operative formula: a name line (maybe
    with the position on it) under the position block."""
    candidates = []
    for i in range(start, len(lines)):
        found = signature_line(lines[i].clean) if lines[i].text.strip() else None
        if found and (found[0] or _position_block(lines, i)):
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
            _source(ctx, "signatory.name", ln.start + k, ln.start + k + len(name))
        else:
            _source(ctx, "signatory.name", ln.start, ln.end)
        if position:
            # the position may begin on the lines right above ("Министр здравоохранения / Курской области   Иванов И.И.")
            above = _position_block(lines, i, skip_blank=False)
            sig.position = oneline(" ".join([*(x.clean for x in above), position]))
            _source(ctx, "signatory.position", (above[0] if above else ln).start, ln.start + max(0, k))
            return
        block = _position_block(lines, i)
        if block:
            sig.position = oneline(" ".join(x.clean for x in block))
            _source(ctx, "signatory.position", block[0].start, block[-1].end)
        else:
            ctx.warn("signatory_position", f"no position printed above the signatory {name!r}", ctx.line_span(ln.no))
        return
    if ctx.sl.kind != "other":
        ctx.warn("no_signatory", "no signatory (position and name) found after the operative part",
                 ctx.line_span(ctx.sl.last_line))


def _position_block(lines: list[Line], name_idx: int, skip_blank: bool = True) -> list[Line]:
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
    if j >= 0 and lines[j].clean:
        return []  # the block runs on into text: not a position printed apart
    return block


# ------------------------------------------------------------- registration


def _registration(ctx: Context, lines: list[Line]) -> range:
    """The ЗАРЕГИСТРИРОВАНО stamp: the authority printed above it (or after
    the word), then its date and number on the next lines."""
    for i, ln in enumerate(lines):
        m = _STAMP.match(ln.clean)
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
            block = _position_block(lines, i)
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
        _source(ctx, "registration", first.start, last)
        if dates and dates[0].status != "ok":
            ctx.warn(f"date_{dates[0].status}", f"registration date {dates[0].raw!r} cannot be read",
                     ctx.span(dates[0].start, dates[0].end))
        if not dates or not numbers:
            ctx.warn("registration_incomplete", "the ЗАРЕГИСТРИРОВАНО stamp lacks a date or a number",
                     reg.span)
        return range(reg.span.line, reg.span.end_line + 1)
    return range(0)


# ------------------------------------------------------------------- region


def find_region(ctx: Context) -> None:
    """The federal subject: from the agency name first, else the title."""
    meta = ctx.doc.meta
    matcher = VocabMatcher.load("regions")
    tries = []
    if meta.agency and "agency" in meta.sources:
        tries.append(("agency", meta.agency))
    if meta.title and "title" in meta.sources:
        tries.append(("title", meta.title))
    for key, text in tries:
        m = matcher.best(text)
        if m and m.method == "lemma" and m.entry:
            meta.region = m.entry["name"]
            meta.region_code = m.entry.get("code")
            src = meta.sources[key]
            meta.sources["region"] = Sourced(raw=m.text, span=src.span)
            meta.sources["region_code"] = Sourced(raw=m.text, span=src.span)
            return
    if meta.agency:
        ctx.warn("no_region", f"no federal subject found in the agency name or the title: {meta.agency!r}",
                 meta.sources["agency"].span, severity="info")
