"""Acts an act cites: «распоряжением Правительства Российской Федерации от
06.10.2021 № 2816-р "Об …"» → kind, issuer (in the nominative), date,
number, title; and the quotations titles are printed in.

    >>> c = find_citations("распоряжением Правительства Российской Федерации от 6 октября 2021 года № 2816-р")[0]
    >>> (c.issuer, c.doc_type, c.date, c.number)
    ('Правительство Российской Федерации', 'распоряжение', '2021-10-06', '2816-р')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.patterns import DASHES, NUMBER_SIGN, OPEN_QUOTES, WORD_CHARS, find_dates, find_numbers


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
_ISSUER_WORD = rf"[{WORD_CHARS}][{WORD_CHARS}{DASHES}.]*"
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
    head: int | None = None  # start of the list's first act, for the second and later acts of a list


def find_citations(text: str, offset: int = 0, nominative=None) -> list[Citation]:
    """Acts cited in ``text``: kind, issuer, date, number and «title».

    ``nominative`` turns the genitive issuer into the nominative (default:
    :func:`issuer_nominative`). A quotation that never closes is cut where the
    next cited document begins and reported in ``problems``. A plural kind
    cites a list: 'федеральными законами от 02.05.2006 N 59-ФЗ "…", от
    09.02.2009 N 8-ФЗ "…"' is two laws of the same issuer.
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
        read = _dated_number(text, am.end())
        if read is None:
            continue
        issuer_raw = re.sub(r"\s+", " ", am.group("issuer")).strip() or None
        issuer = nominative(issuer_raw) if issuer_raw else None
        start = km.start()
        while read is not None:
            date_value, number, title, pos, problems = read
            raw = text[start:pos].rstrip()
            out.append(Citation(
                doc_type=kind, issuer=issuer, issuer_raw=issuer_raw, date=date_value, number=number,
                title=title, raw=raw, start=offset + start, end=offset + start + len(raw), problems=problems,
                head=offset + km.start() if start != km.start() else None,
            ))
            nxt = _NEXT_IN_LIST.match(text, pos) if _PLURAL_KIND.search(km.group(0)) else None
            read = _dated_number(text, nxt.end()) if nxt else None
            if read is not None and read[0] is None:
                read = None  # only a dated act continues the list
            start = nxt.end() if nxt else start
    return out


# "законами …", "постановлениями …", "приказов …": a kind in the plural cites a list
_PLURAL_KIND = re.compile(r"(?:ами|ями|ов|ий|ей)$", re.I)
# ", от 09.02.2009 N 8-ФЗ": the next act of the list
_NEXT_IN_LIST = re.compile(r"[ \t\u00a0\n]*,[ \t\u00a0\n]*(?:а[ \t\u00a0\n]+также[ \t\u00a0\n]+)?(?=от[ \t\u00a0\n])")


def _dated_number(text: str, pos: int) -> tuple[str | None, str | None, str | None, int, list[str]] | None:
    """'от 06.10.2021 № 2816-р «…»' at ``pos`` → (date, number, title, end, problems);
    None when neither a date nor a number is there."""
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
        elif re.match(rf"от[^{OPEN_QUOTES}\n№]{{1,30}}?(?={NUMBER_SIGN})", text[pos:]):
            # "от 6 oкт. 2021 № 2816-р": something stands where the date is
            problems.append(f"date after 'от' cannot be read: {text[pos : pos + 30]!r}")
            pos += re.match(rf"от[^{OPEN_QUOTES}\n№]{{1,30}}?(?={NUMBER_SIGN})", text[pos:]).end()
        else:
            return None
    nm = re.compile(rf"[ \t\u00a0]*{NUMBER_SIGN}").match(text, pos)
    if nm:
        nums = find_numbers(text[nm.start() : nm.start() + 80])
        if nums:
            number = nums[0].value
            pos = nm.start() + nums[0].end
    if date_value is None and number is None and not problems:
        return None
    title = None
    qm = re.compile(rf"[ \t\u00a0]*(?=[{OPEN_QUOTES}])").match(text, pos)
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
    return date_value, number, title, pos, problems


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
