"""Agency identity: one normalized key per issuing body (орган власти).

Orders print the same agency in different ways: «Комитет РСО-Алания по
занятости населения», «Комитет Республики Северная Осетия-Алания по занятости
населения», in capitals over several lines, in the genitive. The key folds all
of these into one string: region abbreviations are expanded from
``vocab/regions.json`` (only inside agency names: РА alone is ambiguous),
dashes and quotes are folded, and every word is lemmatized.

Example::

    >>> agency_key("Комитет РСО-Алания по занятости населения")
    'комитет республика северный осетия алания по занятость население'
    >>> agency_key("КОМИТЕТ РЕСПУБЛИКИ СЕВЕРНАЯ ОСЕТИЯ-АЛАНИЯ ПО ЗАНЯТОСТИ НАСЕЛЕНИЯ")
    'комитет республика северный осетия алания по занятость население'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.nlp import fold_dashes, lemma_text, load_vocab, lookalikes

if TYPE_CHECKING:
    from pipeline.models import Document, Extraction

_LETTER = r"А-ЯЁа-яёA-Za-z0-9"
_DASH_RUN = re.compile(r"\s*-\s*")
_NOISE = re.compile(r"[*_«»\"'“”„#()\[\],.;:]")
_SPACES = re.compile(r"\s+")


# Latin letters that OCR and careless typing put in Cyrillic words ("PCO-Алания").
_WORD = re.compile(r"[A-Za-zА-ЯЁа-яё]+")
_CYR = re.compile(r"[А-ЯЁа-яё]")


@lru_cache(maxsize=1)
def _latin_fold() -> tuple[dict[int, str], re.Pattern[str]]:
    table = lookalikes("latin_to_cyrillic")
    return str.maketrans(table), re.compile("[" + re.escape("".join(table)) + "]+")


def fold_lookalikes(text: str) -> str:
    """Latin look-alike letters → Cyrillic in words that are Cyrillic (mixed
    scripts), or made only of look-alikes in a Cyrillic text ("PCO")."""
    cyrillic_text = bool(_CYR.search(text))
    fold, only_lookalike = _latin_fold()

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if _CYR.search(w) or (cyrillic_text and only_lookalike.fullmatch(w)):
            return w.translate(fold)
        return w

    return _WORD.sub(fix, text)


def _fold(text: str) -> str:
    """Dashes, ё, look-alike letters, markdown marks and line breaks folded;
    hyphens without spaces."""
    t = fold_lookalikes(fold_dashes(text)).replace("*", " ").replace("_", " ")
    t = _SPACES.sub(" ", t).strip()
    return _DASH_RUN.sub("-", t)


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, full region name) for every abbreviation, longest first so that
    «РСО-Алания» wins over «РСО»."""
    pairs: list[tuple[str, str]] = []
    for entry in load_vocab("regions")["entries"]:
        for abbr in entry.get("abbreviations", []):
            pairs.append((_fold(abbr), entry["name"]))
    pairs.sort(key=lambda p: -len(p[0]))
    # Abbreviations are matched case-sensitively: «РА» is an abbreviation,
    # «ра» inside a word is not (the look-arounds forbid letters either side).
    return [
        (re.compile(rf"(?<![{_LETTER}]){re.escape(abbr)}(?![{_LETTER}])"), name)
        for abbr, name in pairs
    ]


def expand_region_abbreviations(name: str) -> str:
    """«Комитет РСО-Алания по …» → «Комитет Республика Северная Осетия — Алания по …».

    Works on the folded text (dashes without spaces); an upper-case name is
    handled as well, since abbreviations are upper-case anyway."""
    text = _fold(name)
    for pattern, full in _abbreviations():
        text = pattern.sub(lambda _m, f=full: f" {f} ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def agency_key(name: str) -> str:
    """Normalized identity of an agency name: abbreviations expanded, lemmas,
    lower case, hyphens and punctuation dropped. Empty input → ''."""
    if not name or not name.strip():
        return ""
    text = expand_region_abbreviations(name)
    text = _NOISE.sub(" ", text).replace("-", " ")
    # Lemmatize in lower case: pymorphy3 reads an all-caps word as an
    # abbreviation more often than as the word itself.
    return _SPACES.sub(" ", lemma_text(text.lower())).strip()


def document_agency_key(ex: "Extraction", doc: "Document") -> str:
    """The agency key of one document of an extraction.

    Uses the printed agency name; a document without one (an undated draft
    whose header was lost, a memo) takes the key of the first document of the
    same file that has one; failing that the key names the file, so documents
    never merge by accident."""
    if doc.meta.agency:
        return agency_key(doc.meta.agency)
    for other in ex.documents:
        if other.meta.agency:
            return agency_key(other.meta.agency)
    if doc.meta.agency_key:
        return doc.meta.agency_key
    from pathlib import Path

    return f"file:{Path(ex.source.path).stem}"


def document_agency_name(ex: "Extraction", doc: "Document") -> str | None:
    if doc.meta.agency:
        return doc.meta.agency
    for other in ex.documents:
        if other.meta.agency:
            return other.meta.agency
    return None


def document_region(ex: "Extraction", doc: "Document") -> tuple[str | None, str | None]:
    """(region, region_code) of a document, borrowed from its file's other documents when absent."""
    if doc.meta.region:
        return doc.meta.region, doc.meta.region_code
    for other in ex.documents:
        if other.meta.region:
            return other.meta.region, other.meta.region_code
    return None, None
