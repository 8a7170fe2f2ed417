"""Russian lemmas and vocabulary matching.

One spaCy ``blank("ru")`` pipeline with the pymorphy3 lemmatizer is built per
process (lazily) and reused. Vocabularies are matched on lemmas with a
``PhraseMatcher(attr="LEMMA")``; where nothing matches, a fuzzy pass over lemma
windows (rapidfuzz) catches OCR damage and spelling slips. The matched words
are always returned so the caller can keep them next to the code.

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


def get_nlp():
    """The process-wide spaCy pipeline (built on first use, ~0.5 s)."""
    global _NLP
    if _NLP is None:
        import spacy
        from spacy.language import Language

        if not Language.has_factory("lower_lemma"):

            @Language.component("lower_lemma")
            def lower_lemma(doc):
                # pymorphy3 keeps the case of proper-noun readings ("Дело");
                # matching must not depend on it, nor on ё/е.
                for tok in doc:
                    tok.lemma_ = tok.lemma_.lower().replace("ё", "е")
                return doc

        nlp = spacy.blank("ru")
        nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
        nlp.add_pipe("lower_lemma")
        nlp.initialize()
        _NLP = nlp
    return _NLP


@lru_cache(maxsize=1)
def get_morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50000)
def normal_forms(word: str) -> frozenset[str]:
    """All dictionary forms pymorphy3 offers for ``word`` (lower case, ё→е)."""
    return frozenset(p.normal_form.replace("ё", "е") for p in get_morph().parse(word.lower()))


@lru_cache(maxsize=50000)
def is_known_word(word: str) -> bool:
    return get_morph().word_is_known(word.lower())


def lemma_text(text: str) -> str:
    """Space-joined lemmas of the words in ``text`` (punctuation dropped)."""
    return " ".join(t.lemma_ for t in get_nlp()(text) if not t.is_punct and not t.is_space)


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
        from spacy.matcher import PhraseMatcher

        self.name = name
        self.data = load_vocab(name)
        self.version = self.data.get("version", "0")
        self.entries = {e["id"]: e for e in self.data["entries"]}
        self.order = {e["id"]: i for i, e in enumerate(self.data["entries"])}
        nlp = get_nlp()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.fuzzy_threshold = fuzzy_threshold
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
        """All non-overlapping matches, longest first, in text order."""
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
