"""Small, named text patterns of the genre: dates, document numbers, legal-act
citations. Each piece is a function over plain text that returns typed
matches with character offsets, so callers can turn them into spans.

Examples::

    >>> parse_date("«27» сентября 2024 г.")
    '2024-09-27'
    >>> parse_date("06.1О.2021г")          # OCR: letter О inside digits
    '2021-10-06'
    >>> find_numbers("№ 154 - ОД")[0].value
    '154-ОД'
    >>> c = find_citations("распоряжением Правительства Российской Федерации от 6 октября 2021 года № 2816-р")[0]
    >>> (c.issuer, c.doc_type, c.date, c.number)
    ('Правительство Российской Федерации', 'распоряжение', '2021-10-06', '2816-р')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date

from pipeline.nlp import lookalikes, markers

# ------------------------------------------------------------------ characters

# Characters OCR puts where a digit was printed (О/0, З/3, l/1, б/6). They are
# read as digits only inside a date's digit slots, never in free text.
OCR_DIGITS: dict[str, str] = lookalikes("date_digit_slots")  # vocab/lookalikes.json
_D = "[0-9" + "".join(re.escape(c) for c in OCR_DIGITS) + "]"
_OPEN_Q = "«\"“„'"
_CLOSE_Q = "»\"”“'"
_DASHES = r"\-‐‑‒–—"  # for character classes: the hyphen comes escaped
_WORD = "0-9A-Za-zА-Яа-яЁё"

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
        rf"[{_OPEN_Q}][ \t\u00a0]*(?P<day>{_D}{{1,2}})[ \t\u00a0]*[{_CLOSE_Q}][ \t\u00a0]*"
        rf"(?:{MONTH}|(?P<mnum>{_D}{{1,2}}))[ \t\u00a0.]*(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}", re.I)),
    # 18.01.2024 / 09.09.2023г. / 06/10/2021
    ("numeric", re.compile(
        rf"(?<![{_WORD}.])(?P<day>{_D}{{1,2}})(?P<sep>[./])[ \t\u00a0]?(?P<mnum>{_D}{{1,2}})(?P=sep)[ \t\u00a0]?"
        rf"(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}")),
    # 6 октября 2021 года
    ("words", re.compile(
        rf"(?<![{_WORD}])(?P<day>{_D}{{1,2}})[ \t\u00a0]+{MONTH}[ \t\u00a0]+(?P<year>{_D}{{4}})(?!\d){YEAR_SUFFIX}", re.I)),
    # 2021-10-06, as electronic systems print it
    ("iso", re.compile(r"(?<![\w.\-/])(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?![\w\-/])")),
    # «___» 2024 г. / «__» ________ 20__ г. — a form left blank
    ("blank", re.compile(
        rf"[{_OPEN_Q}][ \t\u00a0]*_+[ \t\u00a0]*[{_CLOSE_Q}](?:\s*(?:{MONTH}|_+))?(?:\s*(?:\d{{2}}_+|\d{{4}}|_+){YEAR_SUFFIX})?",
        re.I)),
    # « 1/ » октября 2024 г. — a quoted day that is not a number
    ("unreadable", re.compile(
        rf"[{_OPEN_Q}](?P<day>[^{_OPEN_Q}{_CLOSE_Q}\n_]{{1,6}}?)[{_CLOSE_Q}][ \t\u00a0]*"
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
    month = month_number(gd["mname"]) if gd.get("mname") else int(fixed[1])
    try:
        value = _date(year, month or 0, day)
    except ValueError:
        return DateMatch(None, raw, start, end, "invalid", form, ocr)
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
NUMBER_SIGN = r"(?:№|в„–|(?<![A-Za-zА-Яа-яЁё])N(?:[oо°ºe]\.?|\.)?(?=[ \t\u00a0]*[0-9A-Za-zА-Яа-яЁё_]|[ \t\u00a0]*\n[ \t\u00a0]*\d))"
# Alphanumeric parts joined by dashes, slashes or dots, at most one space
# around a joiner ("154 - ОД"): "22-2", "1-3.11-24/24", "П-12-01/0019".
NUMBER_BODY = rf"[{_WORD}]+(?:[ \t\u00a0]?[{_DASHES}/.\\][ \t\u00a0]?[{_WORD}]+)*"
# a fixed-width page may break the line between the sign and a number ("N\n131-ФЗ")
_NUMBER_RX = re.compile(rf"(?P<sign>{NUMBER_SIGN})(?:[ \t\u00a0]*\n[ \t\u00a0]*(?=\d)|[ \t\u00a0]*)(?P<body>{NUMBER_BODY}|_+)?")
_BARE_NUMBER_RX = re.compile(rf"[{_WORD}]+(?:[{_DASHES}/.][{_WORD}]+)+")


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
    return re.sub(f"[{_DASHES}]", "-", out)


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


# ----------------------------------------------------------------- quotations


def quoted_span(text: str, i: int) -> tuple[int, bool]:
    """End (exclusive) of the quotation opening at ``text[i]`` and whether it
    closes. «…» nest («Плана («дорожной карты»)»); straight quotes do not."""
    opener = text[i]
    if opener == "«":
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "«":
                depth += 1
            elif text[j] == "»":
                depth -= 1
                if depth == 0:
                    return j + 1, True
        return len(text), False
    closer = {"„": "“", "“": "”"}.get(opener, opener)
    j = text.find(closer, i + 1)
    if opener == "“" and j < 0:
        j = text.find("“", i + 1)
    return (j + 1, True) if j >= 0 else (len(text), False)


# A quotation left open usually runs on into the next cited document: the title
# ends where, outside its inner quotes, "и"/"," introduces a capitalised noun
# ("… на 2026 год и Плана мероприятий …").
_TITLE_RUNON = re.compile(r"(?:\s+и|,)\s+(?=[А-ЯЁ][а-яё])")


def _cut_unclosed(title: str) -> str:
    depth = 0
    for i, ch in enumerate(title):
        if ch == "«":
            depth += 1
        elif ch == "»":
            depth -= 1
        elif depth == 0 and i > 0:
            m = _TITLE_RUNON.match(title, i)
            if m:
                return title[:i]
    return title


# ------------------------------------------------------------------ citations

# Kinds of acts, matched in any grammatical case, with their nominative.
ACT_KINDS: list[tuple[str, str]] = [
    (r"федеральн\w+\s+конституционн\w+\s+закон(?:а|у|ом|е|ы|ов|ами|ам)?", "федеральный конституционный закон"),
    (r"федеральн\w+\s+закон(?:а|у|ом|е|ы|ов|ами|ам)?", "федеральный закон"),
    (r"закон(?:а|у|ом|е|ы|ов|ами|ам)?", "закон"),
    (r"распоряжени(?:е|я|ю|ем|и|й|ями|ям|ях)", "распоряжение"),
    (r"постановлени(?:е|я|ю|ем|и|й|ями|ям|ях)", "постановление"),
    (r"приказ(?:а|у|ом|е|ы|ов|ами|ам|ах)?", "приказ"),
    (r"указ(?:а|у|ом|е|ы|ов|ами|ам|ах)?", "указ"),
    (r"решени(?:е|я|ю|ем|и|й|ями|ям|ях)", "решение"),
    (r"письм(?:о|а|у|ом|е)", "письмо"),
    (r"протокол(?:а|у|ом|е|ы|ов|ами|ам)?", "протокол"),
]
_KIND_RX = re.compile(
    r"(?<![А-Яа-яЁё])(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(ACT_KINDS)) + r")(?![А-Яа-яЁё])",
    re.I,
)
# The issuer: up to 15 words in the genitive between the kind and "от"/"№".
_ISSUER_WORD = rf"[{_WORD}][{_WORD}{_DASHES}.]*"
_AFTER_KIND = re.compile(
    rf"(?P<issuer>(?:(?:[ \t\u00a0]+|[ \t\u00a0]*\n[ \t\u00a0]*)(?!от\b|№){_ISSUER_WORD}){{0,15}}?)[ \t\u00a0\n]+(?=от[ \t\u00a0\n]|№|N[ \t\u00a0]?\d)"
)


@dataclass
class Citation:
    """A cited act: 'распоряжением Правительства РФ от 06.10.2021 № 2816-р «…»'."""

    doc_type: str
    issuer: str | None
    issuer_raw: str | None
    date: str | None
    number: str | None
    title: str | None
    raw: str
    start: int
    end: int
    problems: list[str] = field(default_factory=list)


def find_citations(text: str, offset: int = 0, nominative=None) -> list[Citation]:
    """Acts cited in ``text``: kind, issuer, date, number and «title».

    ``nominative`` turns the genitive issuer into the nominative (default:
    :func:`issuer_nominative`). A quotation that never closes is cut where the
    next cited document begins and reported in ``problems``.
    """
    nominative = nominative or issuer_nominative
    out: list[Citation] = []
    for km in _KIND_RX.finditer(text):
        if out and km.start() < out[-1].end - offset:
            continue
        kind = next(ACT_KINDS[int(k[1:])][1] for k, v in km.groupdict().items() if v)
        am = _AFTER_KIND.match(text, km.end())
        if not am:
            continue
        pos = am.end()
        date_value = number = None
        problems: list[str] = []
        if text.startswith("от", pos):
            dates = find_dates(text[pos : pos + 60])
            if dates and dates[0].start <= 4:
                d = dates[0]
                if d.status != "ok":
                    problems.append(f"date {d.raw!r} is {d.status}")
                date_value = d.value
                pos += d.end
            elif re.match(rf"от[^{_OPEN_Q}\n№]{{1,30}}?(?={NUMBER_SIGN})", text[pos:]):
                # "от 6 oкт. 2021 № 2816-р": something stands where the date is
                problems.append(f"date after 'от' cannot be read: {text[pos : pos + 30]!r}")
                pos += re.match(rf"от[^{_OPEN_Q}\n№]{{1,30}}?(?={NUMBER_SIGN})", text[pos:]).end()
            else:
                continue
        nm = re.compile(rf"[ \t\u00a0]*{NUMBER_SIGN}").match(text, pos)
        if nm:
            nums = find_numbers(text[nm.start() : nm.start() + 80])
            if nums:
                number = nums[0].value
                pos = nm.start() + nums[0].end
        if date_value is None and number is None and not problems:
            continue
        title = None
        qm = re.compile(rf"[ \t\u00a0]*(?=[{_OPEN_Q}])").match(text, pos)
        if qm:
            q = qm.end()
            qend, closed = quoted_span(text, q)
            if closed:
                title = text[q + 1 : qend - 1]
                pos = qend
            else:
                title = _cut_unclosed(text[q + 1 : qend])
                pos = q + 1 + len(title)
                problems.append("the quotation of the title does not close")
            title = re.sub(r"\s+", " ", title.replace("**", "")).strip() or None
        issuer_raw = re.sub(r"\s+", " ", am.group("issuer")).strip() or None
        raw = text[km.start() : pos].rstrip()
        out.append(Citation(
            doc_type=kind,
            issuer=nominative(issuer_raw) if issuer_raw else None,
            issuer_raw=issuer_raw,
            date=date_value,
            number=number,
            title=title,
            raw=raw,
            start=offset + km.start(),
            end=offset + km.start() + len(raw),
            problems=problems,
        ))
    return out


def issuer_nominative(phrase: str) -> str:
    """The issuer of a cited act, printed in the genitive, in the nominative."""
    return to_nominative(phrase, "gent")


def to_nominative(phrase: str, case: str = "gent") -> str:
    """'Правительства Российской Федерации' → 'Правительство Российской Федерации':
    ``case`` is the case the head is printed in ('loct' for 'в Минюсте России').
    the head noun (and adjectives before it) goes to the nominative, the
    genitive tail stays; the first letter is capitalised. Words pymorphy3 does
    not know are left as printed."""
    from pipeline.nlp import get_morph

    morph = get_morph()
    words = phrase.split()
    out = list(words)
    pending: list[int] = []  # adjectives before the head noun
    for i, w in enumerate(words):
        if not morph.word_is_known(w.lower()):
            break
        parses = [p for p in morph.parse(w) if p.tag.case == case]
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        adj = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
        # "Главного управления": an adjective reading wins when a noun follows
        if adj is not None and i + 1 < len(words) and _is_noun_in(morph, words[i + 1], case):
            pending.append(i)
            continue
        if noun is not None:
            nom = noun.inflect({"nomn"})
            if nom is not None:
                out[i] = _same_case(w, nom.word)
                grams = {"nomn", noun.tag.number or "sing"}
                if noun.tag.number != "plur" and noun.tag.gender:
                    grams.add(noun.tag.gender)
                for j in pending:
                    a = next((p for p in morph.parse(words[j]) if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == case), None)
                    na = a.inflect(grams) if a else None
                    if na is not None:
                        out[j] = _same_case(words[j], na.word)
            break
        if adj is None:
            break
        pending.append(i)
    s = " ".join(out)
    return s[:1].upper() + s[1:]


def _is_noun_in(morph, word: str, case: str) -> bool:
    return morph.word_is_known(word.lower()) and any(
        p.tag.POS == "NOUN" and p.tag.case == case for p in morph.parse(word))


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


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
