"""How an act names itself outside a letterhead: the one-line heading of a
legal-database or portal page, and the approval stamp of an appendix
published on its own. Small named grammars over dates and numbers of
:mod:`pipeline.patterns`.

    >>> h = parse_heading('Приказ Министерства труда Тульской области от 5 апреля 2024 г. N 112-о "Об отчете"')
    >>> (h.doc_type, h.issuer, h.date, h.number, h.title)
    ('приказ', 'Министерства труда Тульской области', '2024-04-05', '112-о', 'Об отчете')
    >>> s = parse_stamp('Приложение 1 к приказу Министерства сельского хозяйства Республики Мордовия от 12.02.2024 г. N 48-П')
    >>> (s.label, s.doc_type, s.issuer, s.date, s.number)
    ('Приложение 1', 'приказ', 'Министерства сельского хозяйства Республики Мордовия', '2024-02-12', '48-П')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.patterns import find_dates, find_numbers

# The act's own kind at the head of a heading line (nominative), and the same
# kinds as a stamp governs them: "к приказу" (dative), "приказом" (instrumental).
_KIND_NOM = {"приказ": "приказ", "постановление": "постановление", "распоряжение": "распоряжение",
             "указ": "указ", "решение": "решение", "закон": "закон"}
_KIND_GOVERNED = {
    "приказу": "приказ", "приказом": "приказ", "постановлению": "постановление",
    "постановлением": "постановление", "распоряжению": "распоряжение", "распоряжением": "распоряжение",
    "указу": "указ", "указом": "указ", "решению": "решение", "решением": "решение",
}
_SP = r"[ \t\u00a0]"
_HEADING_ANY = re.compile(
    rf"(?:^|(?<=\s))(?P<kind>{'|'.join(_KIND_NOM)})(?![а-яё])(?P<issuer>(?:{_SP}+(?!от{_SP})(?!№)(?!N{_SP})[^\s]+){{0,30}}?)"
    rf"(?P<sep>{_SP}+от{_SP}|{_SP}+(?=№|N{_SP}|в„–))", re.I)
# A number glued to the next word of a flattened page ("№ 73РОССИЙСКАЯ ФЕДЕРАЦИЯ").
_GLUED = re.compile(r"(?<=\d)[А-ЯЁ]{4,}.*$")
_STAMP_HEAD = re.compile(
    rf"^\W*(?P<label>приложение(?:{_SP}*(?:№|N|в„–))?(?:{_SP}*[0-9IVX]+(?:\.[0-9]+)?)?)?\W*"
    rf"(?P<approved>(?:утвержд[её]н[аоы]?|утверждено|утверждены|утв\.){_SP}*)?"
    rf"(?:(?:к{_SP}+)?(?P<kind>{'|'.join(_KIND_GOVERNED)})(?![а-яё]))?", re.I)
_LEAD_PLACE = re.compile(r"^[\s,]*(?:(?:года|г\.)(?!\s*[А-ЯЁ][а-яё]))?[\s,]*(?:г\.\s*[А-ЯЁ][а-яё-]+)?[\s,]*")
_TITLE_STOP = re.compile(r"\s(?=(?:В\s+целях|В\s+соответствии|На\s+основании|Руководствуясь|Во\s+исполнение|В\s+связи)\s)")
_QUOTED = re.compile(r'^\W{0,3}[«"“„](?P<t>.+?)[»"”“]?\s*$')


@dataclass(frozen=True)
class ActReference:
    """An act's requisites as a heading line or a stamp prints them.
    Offsets are into the text given to the parser."""

    doc_type: str | None
    issuer: str | None  # as printed (genitive, or instrumental in a stamp)
    date: str | None
    number: str | None
    title: str | None = None
    label: str | None = None  # "Приложение 1" of a stamp
    issuer_span: tuple[int, int] | None = None
    date_span: tuple[int, int] | None = None
    number_span: tuple[int, int] | None = None
    title_span: tuple[int, int] | None = None
    end: int = 0  # where the requisites end (the title may follow)


def _date_and_number(text: str, pos: int):
    """The first date and the first number after ``pos`` (within 60 chars each
    of the previous one): 'от 5 апреля 2024 г. N 112-о', 'от 30.03.2021 N 34'."""
    dates = [d for d in find_dates(text[pos : pos + 60], pos) if d.status == "ok"]
    date = dates[0] if dates and dates[0].start - pos <= 6 else None
    after = date.end if date else pos
    numbers = [n for n in find_numbers(text[after : after + 40], after) if n.value]
    number = numbers[0] if numbers and numbers[0].start - after <= 12 else None
    return date, number


def _trim_glued(number):
    """'73РОССИЙСКАЯ' → '73' (the page lost the line break after the number)."""
    from dataclasses import replace

    m = _GLUED.search(number.value)
    if not m:
        return number
    cut = len(number.value) - m.start()
    return replace(number, value=number.value[: m.start()], end=number.end - cut, raw=number.raw[:-cut])


_OPENING = "«\"“„"
_CLOSING = "»\"”“"


def unquote(title: str) -> str:
    """A title without the quotes that enclose it, keeping quotes of its own:
    '"О внесении изменений в приказ … "О Порядке …""' → 'О внесении изменений в
    приказ … "О Порядке …"'."""
    t = title.strip()
    if t[:1] in _OPENING:
        t = t[1:]
        if t[-1:] in _CLOSING:
            t = t[:-1]
    t = t.strip()
    # an inner quotation left open by the strip above gets its closing mark back
    if t.count("«") > t.count("»"):
        t += "»"
    elif t.count('"') % 2 == 1 and t.rstrip()[-1:] != '"':
        t += '"'
    return t


def _title_from(rest: str, base: int) -> tuple[str | None, tuple[int, int] | None]:
    stripped = rest.lstrip()
    if stripped[:1] in _OPENING:
        # the title runs to the last closing quote of the line ("…области" 26 сентября 2016 г.)
        a = base + len(rest) - len(stripped)
        last = max(stripped.rfind(c) for c in _CLOSING)
        if last <= 0:
            last = len(stripped.rstrip())
            t = stripped[:last]
        else:
            t = stripped[: last + 1]
        return unquote(t), (a, a + len(t))
    m = None
    if not m:
        # "…, г. Липецк О проведении … В целях …": a flattened page runs the title
        # on after the place and into the preamble
        t = _LEAD_PLACE.sub("", rest).strip()
        if t[:1].isupper() and re.match(r"^(?:Об?|Обо|По)\s", t):
            end = _TITLE_STOP.search(t)
            t = t[: end.start()].rstrip() if end else t
            a = base + rest.index(t)
            return t, (a, a + len(t))
        return None, None
    t = m.group("t").strip()
    a = base + m.start("t")
    return t, (a, a + len(t))


def _starts_name(text: str, at: int) -> bool:
    """The act's kind opens a name here, not a phrase of a sentence ("3. Отменить
    приказ от …"): it is capitalised, and the word before it (site navigation,
    a newspaper's running head) is not a lower-case word."""
    if not text[at].isupper():
        return False
    before = text[:at].rstrip().split()
    return not before or not before[-1][:1].islower()


def _number_first(text: str, pos: int):
    """'… № 725-П от 08.09.2014 г.': the number printed before the date."""
    numbers = [n for n in find_numbers(text[pos : pos + 30], pos) if n.value]
    if not numbers or numbers[0].start - pos > 3:
        return None, None
    n = numbers[0]
    om = re.match(rf"{_SP}*от{_SP}+", text[n.end :])
    if not om:
        return None, None
    dates = [d for d in find_dates(text[n.end + om.end() : n.end + om.end() + 40], n.end + om.end()) if d.status == "ok"]
    if not dates or dates[0].start != n.end + om.end():
        return None, None
    return dates[0], n


def parse_heading(text: str) -> ActReference | None:
    """'<Вид акта> <органа> от <даты> N <номер> ["<название>"]' on one line, as
    legal databases and portals print an act's name ("… N <номер> от <даты>"
    in some newspapers); the title may instead stand on the next line (not
    read here). None when the line is not one."""
    for m in _HEADING_ANY.finditer(text):
        if not _starts_name(text, m.start("kind")):
            continue
        issuer_text = m.group("issuer")
        if m.group("sep").strip().lower() == "от":
            date, number = _date_and_number(text, m.end())
        else:
            date, number = _number_first(text, m.start("sep"))
        if date is None or number is None:
            continue
        number = _trim_glued(number)
        issuer = issuer_text.strip() or None
        ispan = (m.start("issuer") + len(issuer_text) - len(issuer_text.lstrip()), m.end("issuer")) if issuer else None
        tail = max(number.end, date.end)
        title, tspan = _title_from(text[tail:], tail)
        return ActReference(
            doc_type=_KIND_NOM[m.group("kind").lower()], issuer=issuer, date=date.value, number=number.value,
            title=title, issuer_span=ispan, date_span=(date.start, date.end), number_span=(number.start, number.end),
            title_span=tspan, end=tail,
        )
    return None


def is_stamp_start(text: str) -> bool:
    """A line that opens an approval stamp: 'Приложение 1', 'Приложение N 2 к
    приказу …', 'УТВЕРЖДЕН', 'Утверждено постановлением …'."""
    t = text.strip()
    if len(t) > 160:
        return False
    m = _STAMP_HEAD.match(t)
    return bool(m and (m.group("label") or m.group("approved")) and m.end() > 0)


def parse_stamp(text: str) -> ActReference | None:
    """An approval stamp, its lines joined: label, the approving act's kind,
    issuer, date and number. None when no approving act is cited (a bare
    'Приложение N 1')."""
    m = _STAMP_HEAD.match(text)
    if not m or not (m.group("label") or m.group("approved")):
        return None
    label = re.sub(r"\s+", " ", m.group("label")).strip() if m.group("label") else None
    if not m.group("kind"):
        return ActReference(None, None, None, None, label=label, end=m.end())
    om = re.search(rf"{_SP}от{_SP}", text[m.end():])
    issuer_end = m.end() + om.start() if om else len(text)
    raw_issuer = text[m.end():issuer_end]
    issuer = re.sub(r"\s+", " ", raw_issuer).strip() or None
    date = number = None
    if om:
        date, number = _date_and_number(text, m.end() + om.end())
    ispan = None
    if issuer:
        a = m.end() + len(raw_issuer) - len(raw_issuer.lstrip())
        ispan = (a, a + len(raw_issuer.strip()))
    end = max([m.end(), issuer_end] + [x.end for x in (date, number) if x])
    title, tspan = _title_from(text[end:], end) if number else (None, None)
    return ActReference(
        doc_type=_KIND_GOVERNED[m.group("kind").lower()], issuer=issuer,
        date=date.value if date else None, number=number.value if number else None,
        title=title, label=label, issuer_span=ispan,
        date_span=(date.start, date.end) if date else None,
        number_span=(number.start, number.end) if number else None,
        title_span=tspan, end=end,
    )
