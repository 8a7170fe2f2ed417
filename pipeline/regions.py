"""The federal subjects of Russia in a text: the one place that finds them.

Every name of ``vocab/regions.json`` (the official name, its ``patterns``,
``alt_names``, ``former_names`` and, on request, its ``abbreviations``) is
compiled once into a sequence of word slots; a slot accepts a word of the text
when the two share a pymorphy3 dictionary form (``pipeline.nlp.normal_forms``),
so every case, UPPER, lower and ё/е spelling matches. Hyphens, dashes, spaces,
line breaks and parentheses between the words are free ("Осетия-Алания",
"Осетия — Алания", "Саха (Якутия)", "ТВЕРСКОЙ\\nОБЛАСТИ"); "г." and "обл." are
read for "город" and "область".

Rules that keep one subject from being read as another:

- distinct lemmas: "Москвы" (москва) is not "Московской" (московский),
  "Республики Алтай" (алтай) is not "Алтайского края" (алтайский);
- a name never starts inside a hyphenated word ("Ямало-Ненецкого …" is not the
  Ненецкий округ, "Долгано-Ненецкий" neither) nor ends inside one
  ("Москва-река"); only the names printed after a dash in an official name
  (Алания, Чувашия, Кузбасс, Югра) may follow a hyphen ("РСО-Алания");
- the longest name wins at each place, and the text is read left to right;
- a city that is not a federal city is no region ("Тверь", "города Кирова");
- a one-word unofficial name ("Приморье", "Ямал", "Кубань", "Югра") counts
  only when printed with a capital (or in upper case): "приморье" is a common noun;
- abbreviations (РА, РБ, РСО-Алания, ХМАО …) are matched only with
  ``abbreviations=True`` (meant for agency names), case-sensitively, and never
  when two subjects share one ("РК": Карелия, Крым, Коми).

Example::

    >>> find_region("ДЕПАРТАМЕНТ ПО ДЕЛАМ МОЛОДЕЖИ И СПОРТА ТВЕРСКОЙ ОБЛАСТИ").code
    'RU-TVE'
    >>> proper_case("ЯМАЛО-НЕНЕЦКОГО АВТОНОМНОГО ОКРУГА")
    'Ямало-Ненецкого автономного округа'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nlp import load_vocab, lookalikes, normal_forms

__all__ = ["RegionHit", "capitalised_spans", "find_region", "find_regions", "proper_case", "region_entries"]


@dataclass(frozen=True)
class RegionHit:
    id: str
    name: str  # official nominative name from regions.json
    code: str | None  # ISO 3166-2:RU, None where ISO assigns none
    start: int  # char offsets of the matched words in the searched text
    end: int
    raw: str  # text[start:end]
    via: str = "name"  # which list of regions.json matched: name, pattern, alt_name, former_name, abbreviation


# --------------------------------------------------------------- compilation

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+")
_DASHES = r"\-" + "\u2010\u2011\u2012\u2013\u2014\u2015\u00ad\u2212"
# What may stand between two words of one name; a "." only after an abbreviated word.
_GAP = re.compile(rf"[\s{_DASHES}()]*")
_GAP_AFTER_DOT_WORD = re.compile(rf"\.?[\s{_DASHES}()]*")
# Two words joined into one hyphenated word ("Ямало-Ненецкого", "Ханты-\nМансийского").
_JOINED = re.compile(rf"[{_DASHES}][^\S\n]*\n?\s*")

# Abbreviated spellings a slot accepts besides its own forms (read with an optional dot).
_SHORT_FORMS = {"город": ("г", "гор"), "область": ("обл",), "республика": ("респ",)}
_DOT_WORDS = frozenset({"г", "гор", "обл", "респ"})
_VIA_ORDER = ("name", "pattern", "alt_name", "former_name", "abbreviation")


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@dataclass(frozen=True)
class _Slot:
    lemmas: frozenset[str]  # dictionary forms (lemma slot); empty for an exact slot
    exact: str | None  # abbreviation word, matched case-sensitively (or in full upper case)
    capital: bool  # the official spelling opens the word with a capital
    spelling: str  # the word as regions.json writes it


@dataclass(frozen=True)
class _Pattern:
    entry: int  # index in regions.json entries
    slots: tuple[_Slot, ...]
    via: str
    rank: int  # position of `via` in _VIA_ORDER (lower wins a tie)
    after_hyphen: bool  # may start right after a hyphen ("РСО-Алания" → "Алания")
    needs_capital: bool  # a one-word unofficial name is read only when printed with a capital


def _slot(word: str, exact: bool) -> _Slot:
    capital = word[:1].isupper()
    if exact:
        return _Slot(frozenset(), word, capital, word)
    key = _fold(word)
    lemmas = set(normal_forms(word)) | {key}
    for lemma in list(lemmas):
        lemmas.update(_SHORT_FORMS.get(lemma, ()))
    return _Slot(frozenset(lemmas), None, capital, word)


def _is_abbreviation_word(word: str) -> bool:
    """'РСО', 'ХМАО', 'СПб', 'Я' (of 'РС(Я)') — not 'Алания', 'Югра'."""
    return sum(c.isupper() for c in word) >= 2 or (len(word) == 1 and word.isupper())


@dataclass(frozen=True)
class _Compiled:
    entries: tuple[dict, ...]
    patterns: tuple[_Pattern, ...]
    index: dict[str, tuple[_Pattern, ...]]  # first-slot key → patterns
    keys: frozenset[str]  # every lemma any slot accepts


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    data = load_vocab("regions")
    entries = tuple(data["entries"])
    # An abbreviation printed for two subjects names neither.
    owners: dict[str, set[str]] = {}
    for e in entries:
        for a in e.get("abbreviations", []):
            owners.setdefault(_abbr_key(a), set()).add(e["id"])
    # Words printed after a dash in an official name may follow a hyphen.
    dash_tails = set()
    for e in entries:
        for name in [e["name"], *e.get("patterns", []), *e.get("alt_names", [])]:
            for m in re.finditer(rf"[{_DASHES}]\s*([А-Яа-яЁё]+)\s*$", name):
                dash_tails.add(_fold(m.group(1)))

    patterns: list[_Pattern] = []
    seen: set[tuple] = set()
    for i, e in enumerate(entries):
        abbrs = {_abbr_key(a) for a in e.get("abbreviations", [])}
        sources = [("name", e["name"])]
        sources += [("pattern", p) for p in e.get("patterns", [])]
        sources += [("alt_name", p) for p in e.get("alt_names", [])]
        sources += [("former_name", p) for p in e.get("former_names", [])]
        sources += [("abbreviation", a) for a in e.get("abbreviations", [])]
        for via, text in sources:
            is_abbr = via == "abbreviation" or _abbr_key(text) in abbrs
            if is_abbr:
                via = "abbreviation"
                if len(owners.get(_abbr_key(text), ())) > 1:
                    continue
            words = _WORD.findall(text)
            if not words:
                continue
            slots = tuple(_slot(w, is_abbr and _is_abbreviation_word(w)) for w in words)
            sig = (i, via == "abbreviation", tuple((s.lemmas, s.exact) for s in slots))
            if sig in seen:
                continue
            seen.add(sig)
            after_hyphen = len(slots) == 1 and not is_abbr and _fold(words[0]) in dash_tails
            # "приморье", "ямал", "кубань" in lower case are common nouns or places, not the subject
            needs_capital = len(slots) == 1 and via != "name"
            patterns.append(_Pattern(i, slots, via, _VIA_ORDER.index(via), after_hyphen, needs_capital))

    index: dict[str, list[_Pattern]] = {}
    keys: set[str] = set()
    for p in patterns:
        first = p.slots[0]
        for k in [f"={first.exact.upper()}"] if first.exact else first.lemmas:
            index.setdefault(k, []).append(p)
        for s in p.slots:
            keys |= s.lemmas
            if s.exact:
                keys.add(f"={s.exact.upper()}")
    return _Compiled(entries, tuple(patterns), {k: tuple(v) for k, v in index.items()}, frozenset(keys))


def _abbr_key(text: str) -> str:
    return " ".join(_WORD.findall(text)).upper()


def region_entries() -> tuple[dict, ...]:
    """The entries of regions.json, in file order."""
    return _compiled().entries


# ------------------------------------------------------------------ matching


@lru_cache(maxsize=1)
def _latin_table() -> dict[int, str]:
    return str.maketrans(lookalikes("latin_to_cyrillic"))


_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> frozenset[str]:
    """The keys of ``word`` that some region slot accepts (mostly empty)."""
    if _LAT.search(word):
        if not _CYR.search(word):
            return frozenset()
        word = word.translate(_latin_table())  # OCR look-alikes in a Cyrillic word
    keys = {_fold(word), f"={word.upper()}", *normal_forms(word)}
    return frozenset(keys) & _compiled().keys


def _slot_accepts(slot: _Slot, word: str, keys: frozenset[str]) -> bool:
    if slot.exact is not None:
        return word == slot.exact or (word == slot.exact.upper() and word.isupper())
    return not slot.lemmas.isdisjoint(keys)


def _gap_ok(text: str, prev: re.Match, nxt: re.Match) -> bool:
    gap = text[prev.end() : nxt.start()]
    if not gap:
        return False  # two words run together are one word
    rx = _GAP_AFTER_DOT_WORD if _fold(prev.group(0)) in _DOT_WORDS else _GAP
    return rx.fullmatch(gap) is not None


def _joined(text: str, left: re.Match, right: re.Match) -> bool:
    return _JOINED.fullmatch(text, left.end(), right.start()) is not None


def _matches(text: str, abbreviations: bool) -> list[tuple[_Pattern, int, int, list[re.Match]]]:
    """(pattern, start, end, words) of every region name, leftmost-longest."""
    c = _compiled()
    words = list(_WORD.finditer(text))
    if not words:
        return []
    keys = [_word_keys(w.group(0)) for w in words]
    out = []
    i, n = 0, len(words)
    while i < n:
        if not keys[i]:
            i += 1
            continue
        starts_joined = i > 0 and _joined(text, words[i - 1], words[i])
        best: tuple | None = None
        cands = set()
        for k in keys[i]:
            cands.update(c.index.get(k, ()))
        for p in cands:
            if p.via == "abbreviation" and not abbreviations:
                continue
            if starts_joined and not p.after_hyphen:
                continue
            if p.needs_capital and words[i].group(0).islower():
                continue
            m = len(p.slots)
            if i + m > n:
                continue
            ok = True
            for j, slot in enumerate(p.slots):
                w = words[i + j]
                if not _slot_accepts(slot, w.group(0), keys[i + j]) or (j and not _gap_ok(text, words[i + j - 1], w)):
                    ok = False
                    break
            if not ok:
                continue
            last = i + m - 1
            if last + 1 < n and _joined(text, words[last], words[last + 1]):
                continue  # ends inside a hyphenated word
            rank = (m, -p.rank, -p.entry)
            if best is None or rank > best[0]:
                best = (rank, p, m)
        if best is None:
            i += 1
            continue
        _, p, m = best
        span_words = words[i : i + m]
        start, end = span_words[0].start(), span_words[-1].end()
        if _fold(span_words[-1].group(0)) in _DOT_WORDS and text[end : end + 1] == ".":
            end += 1  # "Тверская обл."
        raw = text[start:end]
        if raw.count("(") > raw.count(")") and text[end : end + 1] == ")":
            end += 1  # "Саха (Якутия)"
        out.append((p, start, end, span_words))
        i += m
    return out


def find_regions(text: str, abbreviations: bool = False) -> list[RegionHit]:
    """Every federal subject named in ``text``, in text order, without overlaps.

    ``abbreviations=True`` also reads the abbreviations of regions.json
    ("Комитет РСО-Алания …", "Минздрав РА") — for agency names only."""
    if not text:
        return []
    entries = _compiled().entries
    hits = []
    for p, start, end, _ in _matches(text, abbreviations):
        e = entries[p.entry]
        hits.append(RegionHit(e["id"], e["name"], e.get("code"), start, end, text[start:end], p.via))
    return hits


def find_region(text: str, abbreviations: bool = False) -> RegionHit | None:
    """The first federal subject named in ``text`` (the longest name at that place)."""
    hits = find_regions(text, abbreviations)
    return hits[0] if hits else None


# ------------------------------------------------------------------ capitals

# "город Воронеж", "г. Уфа", "городского округа город Воронеж", "«Город Архангельск»"
_CITY_WORD = re.compile(r"(?<![А-Яа-яЁё])(?:город[а-я]*|г\.)\s*[«\"]?\s*", re.I)
_NAME_WORDS = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-Яа-яЁё]+)*")


@lru_cache(maxsize=1)
def _capitals() -> dict[tuple[str, ...], int]:
    """Lemmas of each regional capital's words → its entry (``capital`` in regions.json)."""
    from pipeline.nlp import normal_forms

    out: dict[tuple[str, ...], int] = {}
    for k, e in enumerate(_compiled().entries):
        if e.get("capital"):
            out[tuple(_lemma(w, normal_forms) for w in e["capital"].split())] = k
    return out


def _lemma(word: str, normal_forms) -> str:
    forms = normal_forms(word.lower())
    return min(forms) if len(forms) == 1 else word.lower().replace("ё", "е")


def find_capital(text: str) -> RegionHit | None:
    """The federal subject whose capital ``text`` names as a city: 'городского
    округа город Воронеж' → Воронежская область (via 'capital'). Only after
    'город'/'г.', so that 'Орел' or 'Киров' elsewhere is no city."""
    from pipeline.nlp import normal_forms

    capitals, entries = _capitals(), _compiled().entries
    for m in _CITY_WORD.finditer(text or ""):
        words = list(_NAME_WORDS.finditer(text, m.end()))[:2]
        if not words or words[0].start() != m.end():
            continue
        for n in (2, 1):
            if len(words) < n or (n == 2 and text[words[0].end() : words[1].start()].strip()):
                continue
            key = [normal_forms(w.group().lower()) for w in words[:n]]
            for cand, k in capitals.items():
                if len(cand) == n and all(c in f or c == w.group().lower().replace("ё", "е")
                                          for c, f, w in zip(cand, key, words)):
                    e = entries[k]
                    a, b = words[0].start(), words[n - 1].end()
                    return RegionHit(e["id"], e["name"], e.get("code"), a, b, text[a:b], "capital")
    return None


# -------------------------------------------------------------------- casing


def capitalised_spans(text: str, abbreviations: bool = True) -> list[tuple[int, int]]:
    """Spans of the words inside region names that the official name writes
    with a capital: in "МИНИСТЕРСТВО … ЯМАЛО-НЕНЕЦКОГО АВТОНОМНОГО ОКРУГА"
    the spans of "ЯМАЛО" and "НЕНЕЦКОГО" (each part of a hyphenated word is its
    own span); "АВТОНОМНОГО ОКРУГА" is not. Abbreviation words ("РСО") are not
    listed — they stay as printed; "Я" of "РС(Я)" is."""
    out = []
    for p, _, _, words in _matches(text, abbreviations):
        for slot, w in zip(p.slots, words):
            if slot.exact is not None and len(slot.exact) > 1:
                continue
            if slot.capital:
                out.append((w.start(), w.end()))
    return out


def proper_case(text: str, abbreviations: bool = True) -> str:
    """Region words in their official case: "ЯМАЛО-НЕНЕЦКОГО АВТОНОМНОГО ОКРУГА"
    → "Ямало-Ненецкого автономного округа", "ГОРОДА МОСКВЫ" → "города Москвы",
    "РЕСПУБЛИКИ САХА (ЯКУТИЯ)" → "Республики Саха (Якутия)". Words the official
    name capitalises get a capital, abbreviations their spelling in
    regions.json ("СПБ" → "СПб"), every other word (inside a name or not) lower case."""
    chars = list(text)
    caps: dict[int, tuple[int, str | None]] = {}
    for p, _, _, words in _matches(text, abbreviations):
        for slot, w in zip(p.slots, words):
            if slot.exact is not None:
                caps[w.start()] = (w.end(), slot.exact)
            elif slot.capital:
                caps[w.start()] = (w.end(), None)
    for w in _WORD.finditer(text):
        s, e = w.span()
        word = w.group(0)
        if s in caps:
            _, exact = caps[s]
            new = exact if exact is not None and len(exact) == len(word) else word[:1].upper() + word[1:].lower()
        else:
            new = word.lower()
        if len(new) == len(word):
            chars[s:e] = new
    return "".join(chars)
