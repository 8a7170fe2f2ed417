"""Russian lemmas and vocabulary matching.

One spaCy ``blank("ru")`` pipeline with the pymorphy3 lemmatizer is built per
process (lazily) and reused. Vocabularies are matched on lemmas with a
``PhraseMatcher(attr="LEMMA")``; where nothing matches, a fuzzy pass over lemma
windows (rapidfuzz) catches OCR damage and spelling slips. The matched words
are always returned so the caller can keep them next to the code.

Everything here is remembered for the life of the process, because every
stage asks again for what another stage already asked: pymorphy3 parses per
word form (:class:`CachedMorph`), token lemmas per token text
(:func:`lemma_of`), lemmatized texts (:func:`lemma_text`) and vocabulary
matches per text (:meth:`VocabMatcher.find`). The answers are the ones an
uncached call gives (``tests/test_speed_cache.py``); the caches are bounded.

Example::

    >>> VocabMatcher.load("channels").best("Сообщества Комитета в социальных сетях").id
    'social_network'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_NLP = None


class CachedMorph:
    """pymorphy3's ``MorphAnalyzer`` with ``parse`` and ``word_is_known``
    remembered per word form for the life of the process.

    A text order asks for the same few thousand word forms some 14,000 times
    (every stage parses what it needs), and each parse walks the dictionary
    DAWG; with the cache each distinct form is parsed once. The answers are
    the analyzer's own (``parse`` returns a fresh list of the same immutable
    ``Parse`` tuples), so nothing downstream changes. Anything else is passed
    to the analyzer. The cache is dropped whole at ``limit`` forms, which keeps
    a batch of thousands of orders in bounded memory.
    """

    def __init__(self, morph, limit: int = 200_000):
        self.morph = morph
        self.limit = limit
        self.parses: dict[str, tuple] = {}
        self.known: dict[str, bool] = {}

    def parse(self, word: str) -> list:
        hit = self.parses.get(word)
        if hit is None:
            if len(self.parses) >= self.limit:
                self.parses.clear()
            hit = self.parses[word] = tuple(self.morph.parse(word))
        return list(hit)

    def word_is_known(self, word: str, strict: bool = False) -> bool:
        key = word if not strict else "\0" + word
        hit = self.known.get(key)
        if hit is None:
            if len(self.known) >= self.limit:
                self.known.clear()
            hit = self.known[key] = self.morph.word_is_known(word, strict)
        return hit

    def __getattr__(self, name: str):
        return getattr(self.morph, name)


# token text → lemma (lower case, ё→е), for the life of the process
_LEMMAS: dict[str, str] = {}
_LEMMA_LIMIT = 200_000


def lemma_of(text: str) -> str:
    """The lemma of one token, as spaCy's pymorphy3 lemmatizer gives it in a
    blank pipeline (no POS: its lookup mode — the one dictionary form when all
    readings share it, else the word as printed), lower-cased with ё→е.

    >>> lemma_of("социальных"), lemma_of("Сетях")
    ('социальный', 'сеть')
    """
    hit = _LEMMAS.get(text)
    if hit is None:
        forms = {p.normal_form for p in get_morph().parse(text)}
        lemma = next(iter(forms)) if len(forms) == 1 else text
        # pymorphy3 keeps the case of proper-noun readings ("Дело");
        # matching must not depend on it, nor on ё/е.
        hit = lemma.lower().replace("ё", "е")
        if len(_LEMMAS) >= _LEMMA_LIMIT:
            _LEMMAS.clear()
        _LEMMAS[text] = hit
    return hit


def get_nlp():
    """The process-wide spaCy pipeline: the tokenizer of ``blank("ru")`` and
    one component setting each token's lemma from :func:`lemma_of` (built on
    first use). spaCy's own pymorphy3 lemmatizer would parse every token
    again on every call and load a second copy of the dictionaries."""
    global _NLP
    if _NLP is None:
        spacy = import_spacy()
        from spacy.language import Language

        if not Language.has_factory("cached_lemma"):

            @Language.component("cached_lemma")
            def cached_lemma(doc):
                for tok in doc:
                    tok.lemma_ = lemma_of(tok.text)
                return doc

        nlp = spacy.blank("ru")
        nlp.add_pipe("cached_lemma")
        nlp.initialize()
        _NLP = nlp
    return _NLP


def import_spacy():
    """``import spacy`` without its command line.

    spaCy's package ``__init__`` imports ``spacy.cli.info`` for the
    ``spacy.info`` shortcut, and with it the whole CLI (typer, weasel,
    requests, httpx, every ``spacy train``/``download`` module): 0.3–0.4 CPU s,
    a fifth of a cold process, for a library use that never runs them. For the
    duration of the import, ``spacy.cli`` and ``spacy.cli.info`` are stand-ins
    whose ``info`` imports the real one when called; they are taken out of
    ``sys.modules`` straight after, so a later ``import spacy.cli`` gets the
    real package (``tests/test_speed_cache.py``)."""
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]

    def info(*args, **kwargs):
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    stand_ins = {}
    for name in ("spacy.cli", "spacy.cli.info"):
        if name not in sys.modules:
            stand_ins[name] = sys.modules[name] = types.ModuleType(name)
    if "spacy.cli" in stand_ins:
        stand_ins["spacy.cli"].__path__ = []
    if "spacy.cli.info" in stand_ins:
        stand_ins["spacy.cli.info"].info = info
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


@lru_cache(maxsize=1)
def get_morph() -> CachedMorph:
    """The process-wide morphological analyzer (dictionaries loaded on first use)."""
    import pymorphy3

    return CachedMorph(pymorphy3.MorphAnalyzer())


@lru_cache(maxsize=50000)
def normal_forms(word: str) -> frozenset[str]:
    """All dictionary forms pymorphy3 offers for ``word`` (lower case, ё→е)."""
    return frozenset(p.normal_form.replace("ё", "е") for p in get_morph().parse(word.lower()))


@lru_cache(maxsize=50000)
def is_known_word(word: str) -> bool:
    return get_morph().word_is_known(word.lower())


@lru_cache(maxsize=20000)
def lemma_text(text: str) -> str:
    """Space-joined lemmas of the words in ``text`` (punctuation dropped);
    remembered per text, since stages lemmatize the same lines again. Only the
    tokenizer runs: each token's lemma is :func:`lemma_of`, which is what the
    pipeline's lemma component would set (a third of the time of a full run)."""
    return " ".join(lemma_of(t.text) for t in get_nlp().tokenizer(text) if not t.is_punct and not t.is_space)


def load_vocab(name: str) -> dict[str, Any]:
    with resources.files("pipeline.vocab").joinpath(f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def lookalikes(table: str) -> dict[str, Any]:
    """One table of ``vocab/lookalikes.json``: 'latin_to_cyrillic',
    'digit_to_cyrillic', 'label_letter_to_digit', 'row_number_to_digit'."""
    return load_vocab("lookalikes")[table]


@lru_cache(maxsize=None)
def markers(section: str) -> Any:
    """One section of ``vocab/markers.json``: 'act_types', 'memo_types',
    'operative_verbs', 'appendix_kinds', 'touchpoint_columns',
    'perechen_declarations'."""
    return load_vocab("markers")[section]


# Data files that steer reports, not extraction: their versions are not part of an extraction.
NOT_EXTRACTION_VOCABS = {"compliance"}


def vocab_versions() -> dict[str, str]:
    """Version of every extraction vocabulary (read once per process: stamped into every output)."""
    return dict(_vocab_versions())


@lru_cache(maxsize=1)
def _vocab_versions() -> dict[str, str]:
    out = {}
    for entry in sorted(resources.files("pipeline.vocab").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json") and entry.name[:-5] not in NOT_EXTRACTION_VOCABS:
            out[entry.name[:-5]] = json.loads(entry.read_text(encoding="utf-8")).get("version", "0")
    return out


@dataclass(frozen=True)
class Match:
    id: str
    start: int  # char offsets in the matched text
    end: int
    text: str
    method: str  # "lemma" | "fuzzy"
    score: float = 100.0
    entry: dict | None = None


class VocabMatcher:
    """Match one vocabulary (a data file in ``pipeline/vocab``) on lemmas."""

    _cache: dict[str, "VocabMatcher"] = {}

    def __init__(self, name: str, fuzzy_threshold: float = 88.0):
        nlp = get_nlp()  # first: it imports spaCy without its CLI
        from spacy.matcher import PhraseMatcher

        self.name = name
        self.data = load_vocab(name)
        self.version = self.data.get("version", "0")
        self.entries = {e["id"]: e for e in self.data["entries"]}
        self.order = {e["id"]: i for i, e in enumerate(self.data["entries"])}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.fuzzy_threshold = fuzzy_threshold
        self._found: dict[tuple[str, bool], tuple[Match, ...]] = {}
        self._fuzzy: list[tuple[str, str, int]] = []  # (id, lemma string, n tokens)
        for e in self.data["entries"]:
            docs = [nlp(fold_dashes(p)) for p in e.get("patterns", [])]
            if docs:
                self.matcher.add(e["id"], docs)
            for d in docs:
                lem = " ".join(t.lemma_ for t in d if not t.is_punct)
                if len(lem) >= 5 and not e.get("no_fuzzy"):
                    self._fuzzy.append((e["id"], lem, len([t for t in d if not t.is_punct])))

    @classmethod
    def load(cls, name: str) -> "VocabMatcher":
        if name not in cls._cache:
            cls._cache[name] = cls(name)
        return cls._cache[name]

    def find(self, text: str, fuzzy: bool = True) -> list[Match]:
        """All non-overlapping matches, longest first, in text order.

        Remembered per text: the same cell or clause is matched by several
        stages (``Match`` is frozen; the list returned is a fresh copy)."""
        key = (text, fuzzy)
        hit = self._found.get(key)
        if hit is None:
            if len(self._found) >= 20000:
                self._found.clear()
            hit = self._found[key] = tuple(self._find(text, fuzzy))
        return list(hit)

    def _find(self, text: str, fuzzy: bool) -> list[Match]:
        doc = get_nlp()(fold_dashes(text))
        found = []
        for match_id, s, e in self.matcher(doc):
            span = doc[s:e]
            found.append((e - s, -self.order[doc.vocab.strings[match_id]], span, doc.vocab.strings[match_id]))
        found.sort(key=lambda x: (-x[0], -x[1], x[2].start))
        taken: set[int] = set()
        out: list[Match] = []
        for _, _, span, mid in found:
            toks = set(range(span.start, span.end))
            if toks & taken:
                continue
            taken |= toks
            out.append(Match(mid, span.start_char, span.end_char, span.text, "lemma", 100.0, self.entries[mid]))
        if not out and fuzzy and self._fuzzy:
            out = self._fuzzy_find(doc)
        out.sort(key=lambda m: m.start)
        return out

    def _fuzzy_find(self, doc) -> list[Match]:
        from rapidfuzz import fuzz

        words = [t for t in doc if not t.is_punct and not t.is_space]
        best: Match | None = None
        for mid, lem, n in self._fuzzy:
            for i in range(0, max(1, len(words) - n + 1)):
                window = words[i : i + n]
                if not window:
                    continue
                cand = " ".join(t.lemma_ for t in window)
                score = fuzz.ratio(cand, lem)
                if score >= self.fuzzy_threshold and (best is None or score > best.score):
                    start, end = window[0].idx, window[-1].idx + len(window[-1].text)
                    best = Match(mid, start, end, doc.text[start:end], "fuzzy", score, self.entries[mid])
        return [best] if best else []

    def best(self, text: str) -> Match | None:
        """The longest match (ties: earlier in the vocabulary file)."""
        ms = self.find(text)
        if not ms:
            return None
        return max(ms, key=lambda m: (m.method == "lemma", m.end - m.start, -self.order[m.id]))


_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2011": "-", "\u00ad": "-", "ё": "е", "Ё": "Е"})


def fold_dashes(text: str) -> str:
    """Same-length fold of dash variants and ё, so offsets stay valid."""
    return text.translate(_DASHES)


def clean_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
