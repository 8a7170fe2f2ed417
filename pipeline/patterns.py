"""Small, named text patterns of the genre: dates, document numbers, signatures,
operative formulas (citations of acts: :mod:`pipeline.citations`). Each piece is a function over plain text that returns typed
matches with character offsets, so callers can turn them into spans.

Examples::

    >>> parse_date("«27» сентября 2024 г.")
    '2024-09-27'
    >>> parse_date("06.1О.2021г")          # OCR: letter О inside digits
    '2021-10-06'
    >>> find_numbers("№ 154 - ОД")[0].value
    '154-ОД'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

from pipeline.nlp import lookalikes, markers

# ------------------------------------------------------------------ characters

# Characters OCR puts where a digit was printed (О/0, З/3, l/1, б/6). They are
# read as digits only inside a date's digit slots, never in free text.
OCR_DIGITS: dict[str, str] = lookalikes("date_digit_slots")  # vocab/lookalikes.json
_D = "[0-9" + "".join(re.escape(c) for c in OCR_DIGITS) + "]"
OPEN_QUOTES = "«\"“„'"
CLOSE_QUOTES = "»\"”“'"
DASHES = r"\-‐‑‒–—"  # for character classes: the hyphen comes escaped
WORD_CHARS = "0-9A-Za-zА-Яа-яЁё"

MONTH = (
    r"(?P<mname>январ[яьею]|феврал[яьею]|март[аеу]?|апрел[яьею]|ма[яйею]|июн[яьею]|июл[яьею]"
    r"|август[аеу]?|сентябр[яьею]|октябр[яьею]|ноябр[яьею]|декабр[яьею])"
)
_MONTH_NO = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "ма": 5, "июн": 6, "июл": 7, "авг": 8,
             "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
# "г.", "г", "года", "году" after the year; never the "г." that starts "г. Москва"
YEAR_SUFFIX = r"(?:[ \t\u00a0]*(?:год[ауе]?|г)(?![А-Яа-яЁё])\.?)?"


def ocr_digits(text: str) -> str:
    """Read OCR look-alikes as digits: 'О6' → '06', '2О2l' → '2021'."""
    return "".join(OCR_DIGITS.get(c, c) for c in text)


def month_number(name: str) -> int | None:
    """Month of a Russian month name in any case: 'сентября' → 9."""
    n = name.lower()
    return _MONTH_NO.get(n[:3]) or (_MONTH_NO["ма"] if n.startswith("ма") else None)


# ----------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateMatch:
    """A printed date. ``value`` is ISO 'YYYY-MM-DD' when ``status == 'ok'``;
    'blank' is a form left to fill («___» 2024 г.), 'unreadable' a date whose
    digits cannot be read, 'invalid' one that is not a calendar day."""

    value: str | None
    raw: str
    start: int
    end: int
    status: str = "ok"  # ok | blank | unreadable | invalid
    form: str = ""  # quoted | numeric | words | blank
    ocr_fixed: bool = False


_DATE_FORMS: list[tuple[str, re.Pattern]] = [
    # «23» 03 2026 г. / « 09 » 09 2023г. / «27» сентября 2024 г.
    ("quoted", re.compile(
        rf"[{OPEN_QUOTES}][ \t\u00a0]*(?P<day>{_D}{{1,2}})[ \t\u00a0]*[{CLOSE_QUOTES}][ \t\u00a0]*"
        rf"(?:{MONTH}|(?P<mnum>{_D}{{1,2}}))[ \t\u00a0.]*(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}", re.I)),
    # 18.01.2024 / 09.09.2023г. / 06/10/2021
    ("numeric", re.compile(
        rf"(?<![{WORD_CHARS}.])(?P<day>{_D}{{1,2}})(?P<sep>[./])[ \t\u00a0]?(?P<mnum>{_D}{{1,2}})(?P=sep)[ \t\u00a0]?"
        rf"(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}")),
    # 30.11.10 / 25.01.99г.: a two-digit year, as old acts and fixed-width pages print it
    # (two-digit day and month, nothing numeric after, so a clause number "1.2.10" is not one)
    ("numeric_short", re.compile(
        rf"(?<![{WORD_CHARS}.])(?P<day>\d{{2}})\.(?P<mnum>\d{{2}})\.(?P<year>\d{{2}})(?![\d.]\d|\d){YEAR_SUFFIX}")),
    # 6 октября 2021 года
    ("words", re.compile(
        rf"(?<![{WORD_CHARS}])(?P<day>{_D}{{1,2}})[ \t\u00a0]+{MONTH}[ \t\u00a0]+(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}", re.I)),
    # 2021-10-06, as electronic systems print it
    ("iso", re.compile(r"(?<![\w.\-/])(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?![\w\-/])")),
    # «___» 2024 г. / «__» ________ 20__ г. — a form left blank
    ("blank", re.compile(
        rf"[{OPEN_QUOTES}][ \t\u00a0]*_+[ \t\u00a0]*[{CLOSE_QUOTES}](?:\s*(?:{MONTH}|_+))?(?:\s*(?:\d{{2}}_+|\d{{4}}|_+){YEAR_SUFFIX})?",
        re.I)),
    # « 1/ » октября 2024 г. — a quoted day that is not a number
    ("unreadable", re.compile(
        rf"[{OPEN_QUOTES}](?P<day>[^{OPEN_QUOTES}{CLOSE_QUOTES}\n_]{{1,6}}?)[{CLOSE_QUOTES}][ \t\u00a0]*"
        rf"(?:{MONTH}|(?P<mnum>{_D}{{1,2}}))[ \t\u00a0.]*(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}", re.I)),
]


def _real_digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _date_from(m: re.Match, form: str, offset: int) -> DateMatch | None:
    raw = m.group(0)
    start, end = offset + m.start(), offset + m.end()
    if form == "blank":
        return DateMatch(None, raw, start, end, "blank", form)
    gd = m.groupdict()
    slots = [gd.get("day") or "", gd.get("mnum") or "", gd.get("year") or ""]
    # a date needs real digits: three OCR letters in a row are a word, not a date
    if _real_digits("".join(slots)) < 3:
        return None
    fixed = [ocr_digits(s.strip()) for s in slots]
    ocr = fixed != [s.strip() for s in slots]
    if form == "unreadable" or not all(s.isdigit() for s in fixed if s):
        return DateMatch(None, raw, start, end, "unreadable", form, ocr)
    day, year = int(fixed[0]), int(fixed[2])
    if form == "numeric_short":
        year += 2000 if year <= _date.today().year % 100 + 1 else 1900
    month = month_number(gd["mname"]) if gd.get("mname") else int(fixed[1])
    try:
        value = _date(year, month or 0, day)
    except ValueError:
        # a short form that is no calendar day is not a date at all ("12.30.10")
        return None if form == "numeric_short" else DateMatch(None, raw, start, end, "invalid", form, ocr)
    if not 1900 <= year <= 2100:
        return DateMatch(None, raw, start, end, "invalid", form, ocr)
    return DateMatch(value.isoformat(), raw, start, end, "ok", form, ocr)


def find_dates(text: str, offset: int = 0) -> list[DateMatch]:
    """Every printed date in ``text``, in order, without overlaps (the earliest,
    then the longest match wins). Offsets are shifted by ``offset``."""
    found: list[DateMatch] = []
    for form, rx in _DATE_FORMS:
        for m in rx.finditer(text):
            d = _date_from(m, form, offset)
            if d is not None:
                found.append(d)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMatch] = []
    for d in found:
        if out and d.start < out[-1].end:
            continue
        out.append(d)
    return out


def parse_date(text: str) -> str | None:
    """ISO date of the first readable date in ``text``, else None."""
    for d in find_dates(text):
        if d.status == "ok":
            return d.value
    return None


# --------------------------------------------------------------------- numbers

# "№", and the look-alikes typists and OCR use for it: "N", "No", "N°", "Nо", "Ne";
# "в„–" is "№" saved as UTF-8 and read back as Windows-1251 (legal-database exports).
NUMBER_SIGN = r"(?:№|в„–|(?<![A-Za-zА-Яа-яЁё])N(?:[oо°ºe]\.?|\.)?(?=[ \t\u00a0]*[0-9A-Za-zА-Яа-яЁё_]|[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)?[ \t\u00a0]*\d))"
# Alphanumeric parts joined by dashes, slashes or dots, at most one space
# around a joiner ("154 - ОД"): "22-2", "1-3.11-24/24", "П-12-01/0019".
NUMBER_BODY = rf"[{WORD_CHARS}]+(?:[ \t\u00a0]?[{DASHES}/.\\][ \t\u00a0]?[{WORD_CHARS}]+)*"
# a fixed-width page may break the line between the sign and a number ("N\n131-ФЗ"),
# double-spaced pages with a blank line between
_NUMBER_RX = re.compile(rf"(?P<sign>{NUMBER_SIGN})(?:[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)?[ \t\u00a0]*(?=\d)|[ \t\u00a0]*)(?P<body>{NUMBER_BODY}|_+)?")
_BARE_NUMBER_RX = re.compile(rf"[{WORD_CHARS}]+(?:[{DASHES}/.][{WORD_CHARS}]+)+")


@dataclass(frozen=True)
class NumberMatch:
    """A document number after '№'. ``value`` is None when only the sign is
    printed ('№') or a blank to fill ('№ ____')."""

    value: str | None
    raw: str
    start: int
    end: int
    sign: str


def normalize_number(raw: str) -> str:
    """Printed number → value: spaces removed, dash variants folded to '-'.
    '154 - ОД' → '154-ОД'."""
    out = re.sub(r"\s+", "", raw)
    return re.sub(f"[{DASHES}]", "-", out)


def find_numbers(text: str, offset: int = 0) -> list[NumberMatch]:
    """Every '№ …' in ``text``. A body without a digit is not a number
    ('№ Об …' on a blank form), so the value is then None."""
    out = []
    for m in _NUMBER_RX.finditer(text):
        body = m.group("body") or ""
        value = normalize_number(body) if any(c.isdigit() for c in body) else None
        if value is None and m.group("sign") != "№":
            continue  # "N"/"No" are letters unless a number follows
        blank = body.startswith("_")
        end = m.end() if value or blank else m.end("sign")  # "№ ____" is printed as a blank to fill
        out.append(NumberMatch(value, text[m.start():end], offset + m.start(), offset + end, m.group("sign")))
    return out


def bare_number(text: str) -> str | None:
    """A line that is only a registration number, without '№' ('02-04/805/24'),
    as memos print it. Dates are not numbers."""
    t = text.strip()
    if not _BARE_NUMBER_RX.fullmatch(t) or not any(c.isdigit() for c in t):
        return None
    if find_dates(t):
        return None
    return normalize_number(t)


# ------------------------------------------------------------ people, formulas

# "А.В. Эммануилиди", "О.А Зорина", "Н. Халилов", "Халилов Н.Р."
_SURNAME = r"(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]{2,})(?:-(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]{2,}))?"
_INITIALS = r"[А-ЯЁ]\.[ \t\u00a0]?(?:[А-ЯЁ]\.?)?"
PERSON_NAME = rf"(?:{_INITIALS}[ \t\u00a0]*{_SURNAME}|{_SURNAME}[ \t\u00a0]+[А-ЯЁ]\.[ \t\u00a0]?(?:[А-ЯЁ]\.)?)"
_NAME_LINE = re.compile(rf"(?P<position>.*?)(?P<gap>[ \t\u00a0]*)(?P<name>{PERSON_NAME})[ \t\u00a0]*$")
_INITIALS_FIRST = re.compile(rf"{_INITIALS}[ \t\u00a0]*{_SURNAME}$")


_SIGN_MARK = re.compile(r"[ \t\u00a0]*(?:[(/\[]\s*)?(?<![А-Яа-яЁё])(?:подпись|М\.П\.|ЭП)(?![А-Яа-яЁё])(?:\s*[)/\]])?[ \t\u00a0]*", re.I)


def signature_line(text: str) -> tuple[str | None, str] | None:
    """(position printed on the same line or None, name) when ``text`` ends
    with a person's name as signatures print it; None otherwise.

    >>> signature_line("Министр\\t\\tН.Р. Халилов")
    ('Министр', 'Н.Р. Халилов')
    >>> signature_line("Министр здравоохранения подпись И.И. Иванов")
    ('Министр здравоохранения', 'И.И. Иванов')
    """
    t = re.sub(r"_{3,}", "\t", text).strip()  # "Министр ________ Н.Р. Халилов": the line to sign on
    # "Министр … подпись И.О. Фамилия", "/подпись/", "(подпись)", "М.П.": marks of the signature, not words of the position
    t = _SIGN_MARK.sub("\t", t).strip()
    m = _NAME_LINE.fullmatch(t)
    if not m:
        return None
    position, name = m.group("position").strip(), m.group("name")
    if position:
        # "Председатель Комитета А.А. Плаева": a name right after words is a
        # signature only initials-first; after a wide gap (tab, many spaces)
        # any name form is ("Курской области        Иванов И.И.").
        wide = "\t" in m.group("gap") or len(m.group("gap")) >= 3
        if not (wide or _INITIALS_FIRST.search(name)):
            return None
        if position.endswith((",", ";", ":", "-", "–", "—")) or len(position) > 120:
            return None
        if re.search(r"[.;:]$|\b(?:и|с|на|в|по)$", position):
            return None
    return (position or None), re.sub(r"\s+", " ", name)


# The operative formula that ends the preamble; printed letter-spaced too
# ("п р и к а з ы в а ю :"). Bold marks may sit between the letters.
OPERATIVE_VERBS: tuple[str, ...] = tuple(markers("operative_verbs"))  # vocab/markers.json
OPERATIVE_RX = re.compile(
    r"(?<![А-Яа-яЁё])(?:" + "|".join(r"[ \t*]?".join(v) for v in OPERATIVE_VERBS) + r")(?![А-Яа-яЁё])",
    re.I,
)
