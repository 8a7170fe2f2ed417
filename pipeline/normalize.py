"""Raw text → vocabulary codes, beside the raw value, never instead of it.

Every function takes the printed text and returns a code together with the
words that decided it, so callers store ``channel`` next to ``channel_raw``.
Matching is on lemmas (``pipeline.nlp.VocabMatcher``) after a same-length fold
of OCR look-alikes (Latin "C"/"o"/"p" inside Cyrillic words, "0"/"3" inside
Cyrillic words), so offsets found in the folded text are valid in the raw one.

Example::

    >>> channel_of("Каналы и публичные чаты Комитета в мессенджерах")
    CodeMatch(code='messenger', raw='публичные чаты', method='lemma')
    >>> kind_of("Офлайн - точка")
    'offline'
    >>> split_needs("Получение консультации Получение ответа")
    ['Получение консультации', 'Получение ответа']
    >>> need_codes(["Получение информации, в том числе о ходе рассмотрения запроса"])
    ['info', 'status']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple

from pipeline.labels import parse_label
from pipeline.nlp import VocabMatcher, fold_dashes, get_morph, is_known_word, lemma_text, load_vocab, lookalikes


class CodeMatch(NamedTuple):
    """A vocabulary code with the printed words that decided it."""

    code: str
    raw: str | None  # the matched words as printed (None when nothing matched)
    method: str  # "lemma" | "fuzzy" | "none"


# ---------------------------------------------------------------- OCR fold

_WORD = re.compile(r"[^\W_]+")
_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def _digit_lookalike() -> re.Pattern:
    """A digit that prints like a Cyrillic letter (the keys of 'digit_to_cyrillic')."""
    return re.compile("[" + re.escape("".join(lookalikes("digit_to_cyrillic"))) + "]")


@lru_cache(maxsize=1)
def _latin_fold() -> dict[int, str]:
    return str.maketrans(lookalikes("latin_to_cyrillic"))


def fold_ocr(text: str) -> str:
    """Same-length fold of look-alike characters inside Cyrillic words:
    'CЭД' (Latin C) → 'СЭД', 'Элeктpoнная' → 'Электронная', '0фициальный' →
    'Официальный'. Pure Latin words ('Telegram', 'MAX') and numbers stay."""
    if not _LAT.search(text) and not _digit_lookalike().search(text):
        return text  # nothing to fold: the common case, without a pass per word

    def fix(m: re.Match) -> str:
        w = m.group(0)
        n_cyr = len(_CYR.findall(w))
        if n_cyr == 0:
            return w
        digit_fold = lookalikes("digit_to_cyrillic")
        if _LAT.search(w):
            w = w.translate(_latin_fold())
        if n_cyr >= 2 and any(d in w for d in digit_fold):
            digits = sum(c.isdigit() for c in w)
            if digits * 3 <= len(w):
                out = []
                for i, c in enumerate(w):
                    if c in digit_fold:
                        nxt = w[i + 1] if i + 1 < len(w) else ""
                        upper = i == 0 or nxt.isupper()
                        c = digit_fold[c][0 if upper else 1]
                    out.append(c)
                w = "".join(out)
        return w

    return _WORD.sub(fix, text)


# Letters OCR confuses in Russian print (each maps to the letters it is mistaken for).
_OCR_CONFUSIONS = {
    "З": "Э", "з": "э", "Э": "З", "э": "з", "ъ": "ь", "ь": "ъ", "и": "йн", "й": "и", "н": "пи", "п": "н",
    "ш": "щ", "щ": "ш", "ц": "щ", "в": "е", "е": "в", "с": "е", "л": "п",
}
_CYR_WORD = re.compile(r"[А-Яа-яЁё]{4,}")


@lru_cache(maxsize=20000)
def repair_ocr_word(word: str) -> str:
    """A word the dictionary does not know, with one OCR-confused letter put
    right where that gives a known word: 'Злектронная' → 'Электронная',
    'связъ' → 'связь'. Known words and unrepairable ones come back unchanged."""
    if is_known_word(word):
        return word
    for i, c in enumerate(word):
        for alt in _OCR_CONFUSIONS.get(c, ""):
            cand = word[:i] + alt + word[i + 1 :]
            if is_known_word(cand):
                return cand
    return word


@lru_cache(maxsize=20_000)
def clean(text: str) -> str:
    """Folded text for matching, same length as ``text``: OCR look-alikes,
    single OCR-confused letters in unknown words, dashes and ё (remembered
    per text: several stages fold the same lines)."""
    t = fold_ocr(text)
    t = _CYR_WORD.sub(lambda m: repair_ocr_word(m.group(0)), t)
    return fold_dashes(t)


@lru_cache(maxsize=8192)
def lemma_key(text: str) -> str:
    """Lemmas of the words of ``text``, for comparing two printed names:
    lemma_key('Каналы Комитет') == lemma_key('Канал Комитета')."""
    return lemma_text(clean(text).replace("/", " "))


# ---------------------------------------------------------------- channels


def _code_match(vocab: str, text: str | None) -> CodeMatch | None:
    if not text or not text.strip():
        return None
    m = VocabMatcher.load(vocab).best(clean(text))
    if m is None:
        return None
    return CodeMatch(m.id, text[m.start : m.end], m.method)


@lru_cache(maxsize=8192)
def channel_of(text: str | None) -> CodeMatch:
    """The channel of a touchpoint name: ('email', 'Электронная почта', 'lemma');
    ('other', None, 'none') when no channel word is found.

    A name is a noun phrase with its head first, so of several channel words
    the first one printed decides: 'Чат-бот в Telegram' → chatbot,
    'Сообщения в личном кабинете ЕПГУ' → personal_account."""
    if not text or not text.strip():
        return CodeMatch("other", None, "none")
    ms = VocabMatcher.load("channels").find(clean(text))
    if not ms:
        return CodeMatch("other", None, "none")
    m = min(ms, key=lambda m: (m.method != "lemma", m.start))
    return CodeMatch(m.id, text[m.start : m.end], m.method)


@lru_cache(maxsize=None)
def channel_kind(code: str) -> str | None:
    """Default digital/offline kind of a channel (used only where the source is silent)."""
    entry = VocabMatcher.load("channels").entries.get(code) or {}
    return entry.get("kind")


# -------------------------------------------------------------------- kind


@lru_cache(maxsize=1)
def _kind_cues() -> dict[str, re.Pattern]:
    data = load_vocab("channels").get("kinds", {})
    return {k: re.compile("|".join(v["cues"]), re.I) for k, v in data.items()}


def kind_of(text: str | None) -> str | None:
    """'digital' / 'offline' as a text states it ('Цифровая точка', 'Офлайн - точка',
    'Офлайн точки в рамках взаимодействия:'); None when it states neither or both
    ('в цифровой или офлайн-точках')."""
    if not text:
        return None
    t = clean(text).lower()
    found = [k for k, rx in _kind_cues().items() if rx.search(t)]
    return found[0] if len(found) == 1 else None


# --------------------------------------------------------------- direction


def direction_of(text: str | None) -> CodeMatch | None:
    """Direction of activity of a Перечень row; None for an empty cell,
    ('other', None, 'none') for a text no vocabulary entry matches."""
    if not text or not text.strip():
        return None
    return _code_match("directions", text) or CodeMatch("other", None, "none")


# ------------------------------------------------------------------- needs

# A need ends at '.', ';' or a line break when the next one starts with a capital.
_NEED_BREAK = re.compile(r"\s*[.;]+\s+(?=[А-ЯЁA-Z])|\s*;\s*|\s*\n\s*|\s*[•▪●·]\s*")
_CAP_WORD = re.compile(r"(?<=[а-яёa-z0-9»\"),])\s+([А-ЯЁ][а-яё]+)")


@lru_cache(maxsize=1)
def _need_heads() -> frozenset[str]:
    return frozenset(load_vocab("needs").get("heads", []))


@lru_cache(maxsize=4096)
def _starts_need(word: str) -> bool:
    """Does a capitalised word open a new need? Either a head listed in
    needs.json ('Получение', 'Запись', …) or a verbal noun in the nominative
    singular ('Ознакомление'), which is how needs are phrased."""
    w = word.lower().replace("ё", "е")
    for p in get_morph().parse(w):
        if p.normal_form in _need_heads() and p.tag.POS == "NOUN" and "nomn" in p.tag:
            return True
    p = get_morph().parse(w)[0]
    return (
        p.tag.POS == "NOUN" and "nomn" in p.tag and "sing" in p.tag
        and p.normal_form == w and w.endswith(("ние", "тие"))
    )


def need_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each need in a needs cell, split at '.', ';', line
    breaks and — where the period is missing — before a capitalised word that
    opens a need ('… консультации Получение информации …')."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _NEED_BREAK.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        seg = text[a:b]
        cuts = [a]
        for m in _CAP_WORD.finditer(seg):
            if _starts_need(m.group(1)):
                cuts.append(a + m.start(1))
        cuts.append(b)
        for s, e in zip(cuts, cuts[1:]):
            piece = text[s:e]
            lead = len(piece) - len(piece.lstrip())
            # a bullet or a label in front of a need: "- получение ответа", "2) подача заявления"
            mark, at = parse_label(piece[lead:], loose=True)
            if mark.style != "none":
                lead += at
                piece = " " * lead + piece[lead:]
            stripped = piece.strip().rstrip(".;,").rstrip()
            if stripped:
                out.append((s + lead, s + lead + len(stripped)))
    return out


def split_needs(text: str | None) -> list[str]:
    """A needs cell → one item per need, as printed (spaces tidied)."""
    if not text:
        return []
    return [re.sub(r"\s+", " ", text[a:b]) for a, b in need_spans(text)]


def codes_of_need(need: str) -> list[str]:
    """Need codes found in one need text, in text order: 'Получение информации,
    в том числе о ходе рассмотрения запроса' → ['info', 'status']."""
    return list(_codes_of_need(need))


@lru_cache(maxsize=8192)
def _codes_of_need(need: str) -> tuple[str, ...]:
    # needs repeat row after row in a Перечень: match each distinct text once
    out: list[str] = []
    for m in VocabMatcher.load("needs").find(clean(need)):
        if m.id not in out:
            out.append(m.id)
    return tuple(out)


def need_codes(needs: Iterable[str]) -> list[str]:
    """Ordered unique union of the codes of several needs."""
    out: list[str] = []
    for need in needs:
        for c in codes_of_need(need):
            if c not in out:
                out.append(c)
    return out
