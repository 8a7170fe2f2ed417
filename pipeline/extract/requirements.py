"""Service requirements and their numeric thresholds.

A requirement is (a) any clause that states a threshold — "время ответа … не
превышать четырех часов для упоминаний", "не должно превышать двух
переключений", "не превышает 15 минут", "в течение 10 рабочих дней" — or (b)
an item of a channel's requirement list ("3) социальные сети …, которые:" →
its items а), б) …). The channel comes from the clause itself or the nearest
clause above it that names one.

Thresholds are parsed by small named pieces: a quantity (digits or number
words in any case: "четырех", "двух"), a unit after it, a comparator before
it, the metric from cue words in the data file ``vocab/thresholds.json``, and
an optional condition ("для упоминаний", "в случае официального обращения").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.context import Context
from pipeline.models import Clause, Requirement, Threshold
from pipeline.nlp import VocabMatcher, load_vocab, normal_forms

NUMBER_WORDS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "шестьдесят": 60, "полтора": 1.5,
}
_CONDITION_START = ("для", "в случае", "при", "в отношении", "по")


@dataclass(frozen=True)
class Quantity:
    value: float
    start: int  # char offsets in the clause text
    end: int
    unit: str
    unit_end: int


@lru_cache(maxsize=1)
def _vocab():
    return load_vocab("thresholds")


@lru_cache(maxsize=50_000)
def _unit_of(words: tuple[str, ...]) -> tuple[str, int] | None:
    """Unit from the words after a number → (unit id, number of words used).

    Units come from ``thresholds.json`` (``units``, tried in order: "рабочий
    день" before "день", "раз в месяц" before "раз"); a pattern matches when
    each of its words is a lemma of the word at that place, or — for the
    first word — when the word starts with one of the unit's ``prefixes``
    ("мин." for минута)."""
    if not words:
        return None
    for unit in _vocab()["units"]:
        for pattern in unit["patterns"]:
            need = pattern.split()
            if len(words) < len(need):
                continue
            if all(w in normal_forms(words[k]) for k, w in enumerate(need)):
                return unit["id"], len(need)
        if any(words[0].lower().startswith(p) for p in unit.get("prefixes", ())):
            return unit["id"], 1
    return None


_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+|\d+(?:[.,]\d+)?(?:-[а-я]{1,3})?")


@lru_cache(maxsize=50_000)
def _value_of(tok: str) -> float | None:
    """The number a token prints: digits ('15', '1,5', '1-го') or a number
    word in any case ('четырех'); None for any other word."""
    if tok[0].isdigit():
        return float(tok.split("-")[0].replace(",", "."))
    for f in normal_forms(tok):
        if f in NUMBER_WORDS:
            return float(NUMBER_WORDS[f])
    return None


def quantities(text: str) -> list[Quantity]:
    """Numbers with a unit after them: '15 минут', 'двух переключений',
    '10 рабочих дней', 'четырех часов', '1-го раза в месяц'."""
    return list(_quantities(text))


@lru_cache(maxsize=20_000)  # pure; orders copied from one model repeat their clauses
def _quantities(text: str) -> tuple[Quantity, ...]:
    values = list(map(_value_of, _WORD.findall(text)))  # most clauses print no number: one cached look-up a word
    if values.count(None) == len(values):
        return ()
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    out: list[Quantity] = []
    for i, (tok, s, e) in enumerate(tokens):
        value = values[i]
        if value is None:
            continue
        after = tuple(t[0] for t in tokens[i + 1 : i + 4])
        unit = _unit_of(after)
        if unit is None:
            if _counted_before(tokens[max(0, i - COUNT_LOOKBACK) : i]) and _ends_clause(text, e):
                # "количество переадресаций телефонного звонка – не более двух": the counted thing first
                out.append(Quantity(value, s, e, "count", e))
            continue
        uid, n = unit
        out.append(Quantity(value, s, e, uid, tokens[i + n][2]))
    return tuple(out)


COUNT_LOOKBACK = 6  # words between "количество переадресаций" and its number


def _counted_before(before: list[tuple[str, int, int]]) -> bool:
    """'количество|число <a counted unit's word>' among the words before a number."""
    words = [t[0] for t in before]
    for k in range(len(words) - 1):
        if normal_forms(words[k].lower()) & {"количество", "число"}:
            unit = _unit_of((words[k + 1],))
            if unit is not None and unit[0] == "count":
                return True
    return False


def _ends_clause(text: str, end: int) -> bool:
    """Only punctuation (or nothing) follows the number up to the clause's end."""
    return re.match(r"[\s)»\"]*(?:[;.,]|$)", text[end:]) is not None


def _comparator(before: str) -> str:
    b = before.lower()[-60:]
    table = _vocab()["comparators"]
    best, key = "<=", (-1, 0)
    for comp, phrases in table.items():
        for ph in phrases:
            k = b.rfind(ph)
            end = k + len(ph)
            if k < 0 or (end < len(b) and b[end].isalpha()) or (k > 0 and b[k - 1].isalpha()):
                continue
            # the phrase nearest the number wins, and of two ending together the longer:
            # "не более" over the "более" inside it
            if (end, len(ph)) > key:
                best, key = comp, (end, len(ph))
    return best


def _metric(text: str, q: Quantity, context: str) -> str | None:
    """The metric whose cue words appear in the sentence around the quantity."""
    sent_start = max(text.rfind(".", 0, q.start), text.rfind(";", 0, q.start)) + 1
    sentence = text[sent_start : q.unit_end + 120]
    forms = _forms(sentence)
    ctx_forms = _forms(context)
    if {"вступать", "вступить"} & forms and "сила" in forms:
        return "entry_into_force"
    for pool, allow_freq in ((forms, True), (ctx_forms, False)):
        best: tuple[int, int, str] | None = None  # (words in the cue, -its metric's place, metric)
        for place, m in enumerate(_vocab()["metrics"]):
            if q.unit not in m["unit_kinds"] or (m["id"] == "meeting_frequency" and not allow_freq):
                continue
            for cue in m["cues"]:
                cue_words = [w for w in re.findall(r"[А-Яа-яЁё-]+", cue)]
                if cue_words and all(normal_forms(w) & pool for w in cue_words):
                    # the fullest cue wins: "время ожидания ответа оператора" is a wait, not an answer
                    if best is None or (len(cue_words), -place) > best[:2]:
                        best = (len(cue_words), -place, m["id"])
        if best is not None:
            return best[2]
    return None


def _forms(text: str) -> frozenset[str]:
    """Every dictionary form of every word in ``text`` (robust to pymorphy's
    first-guess lemma: 'часов' → {'час', 'часов', …})."""
    out: set[str] = set()
    for w in re.findall(r"[А-Яа-яЁё]+", text):
        out |= normal_forms(w)
    return frozenset(out)


# "в рабочее время", "в выходные и праздничные дни", "в нерабочее время": when a threshold holds
_TIME_OF_DAY = r"в\s+(?:не)?рабоч\w+\s+(?:время|дни|день)|в\s+(?:выходн|праздничн)\w+(?:\s+и\s+(?:выходн|праздничн)\w+)?\s+(?:дни|день)"
_TIME_BEFORE = re.compile(rf"(?:^|[(,;])\s*(?P<cond>{_TIME_OF_DAY})\s*[–—-]?\s*(?:в\s+течение|до|не\s+более|не\s+позднее)?\s*$", re.I)


def _condition(text: str, q: Quantity) -> str | None:
    after = text[q.unit_end :]
    m = re.match(r"\s*,?\s*((?:для|в случае|при|в отношении)\b[^,;.:]*(?:,\s*(?!\s*(?:два|две|три|четыре|\d))[^,;.:]*)?)", after)
    if m is None:
        # "… 4 часов в рабочее время"; not "…, в нерабочее время – в течение 8 часов", the next one's
        m = re.match(rf"\s*,?\s*\(?\s*((?:{_TIME_OF_DAY}))(?!\s*[–—-]?\s*(?:в\s+течение|до|не\s+более|не\s+позднее)\b)",
                     after, re.I)
    if m is None:
        tb = _TIME_BEFORE.search(text[: q.start])  # "(в выходные и праздничные дни – в течение 24 часов)"
        if tb:
            return re.sub(r"\s+", " ", tb.group("cond"))
    if m:
        cond = m.group(1).strip()
        # stop before the next quantity of the same list
        cond = re.split(r"(?:,|\s+и)\s+(?:два|двух|три|трех|четыре|четырех|пять|пяти|\d)", cond)[0]
        return cond.strip(" ,") or None
    # a condition printed before: "время ожидания … при очном взаимодействии не превышает"
    before = text[: q.start]
    m = re.search(r"\b(при|в случае)\s+([^,;.:]{3,80}?)\s+(?:составля\w+\s+|составит\s+)?(?:не\s+)?(?:превышает|превышать|более|должно)", before)
    if m:
        return f"{m.group(1)} {m.group(2)}".strip()
    return None


def thresholds_in(text: str, context: str = "") -> list[tuple[Threshold, int, int]]:
    """Thresholds stated in ``text`` with their char offsets in it."""
    out = []
    for q in quantities(text):
        metric = _metric(text, q, context)
        if metric is None or metric == "entry_into_force":
            continue
        comp = _comparator(text[: q.start])
        out.append((
            Threshold(metric=metric, value=q.value, unit=q.unit, comparator=comp, condition=_condition(text, q),
                      raw=text[q.start : q.unit_end]),
            q.start, q.unit_end,
        ))
    return out


def _channel_of(text: str) -> str | None:
    """The channel a clause is about: the first one it names (a heading such as
    "7) личный прием … (многофункциональные центры …)" is about the first)."""
    ms = [m for m in VocabMatcher.load("channels").find(text[:400], fuzzy=False)]
    return ms[0].id if ms else None


def _channel_for(ctx: Context, c: Clause, channel_lists: set[str]) -> str | None:
    """The channel of the list a clause belongs to ("3) социальные сети …,
    которые:"), else the one the clause names, else the nearest above it."""
    ancestors = ctx.ancestors(c)
    for a in ancestors:
        if a.id in channel_lists:
            return _channel_of(a.text)
    for node in [c, *ancestors]:
        ch = _channel_of(node.text)
        if ch:
            return ch
    return None


def _locate(ctx: Context, c: Clause, fragment: str):
    """Span of a fragment of a clause's text inside the source text."""
    src_text = ctx.src.text[c.span.start : c.span.end]
    k = src_text.find(fragment)
    if k < 0:
        return c.span
    return ctx.span(c.span.start + k, c.span.start + k + len(fragment))


def extract(ctx: Context) -> None:
    doc = ctx.doc
    channel_lists = {
        c.id for c in ctx.flat
        if c.children and c.text.rstrip().endswith(":") and _channel_of(c.text)
    }
    for c in ctx.flat:
        parent = ctx.parents.get(c.id)
        context = " ".join(a.text for a in ctx.ancestors(c)[:2])
        found = thresholds_in(c.text, context)
        in_list = parent is not None and parent.id in channel_lists
        if not found and not in_list:
            continue
        ths = []
        for th, s, e in found:
            th.span = _locate(ctx, c, c.text[s:e])
            ths.append(th)
        doc.requirements.append(Requirement(
            clause=ctx.clause_ref(c),
            clause_id=c.id,
            channel=_channel_for(ctx, c, channel_lists),
            text=c.text,
            thresholds=ths,
            span=c.span,
        ))
