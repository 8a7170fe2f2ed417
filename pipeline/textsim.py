"""Text comparison helpers shared by the diff, the comparison and the report:
normalization for comparing, word diff, similarity, definition keys, shingle
overlap, and the wording of threshold values.

Pure functions of text: nothing here knows about documents or reports.

Example::

    >>> [(w.op, w.text) for w in word_diff("ответ в течение двух часов", "ответ в течение четырёх часов")]
    [('=', 'ответ в течение'), ('-', 'двух'), ('+', 'четырёх'), ('=', 'часов')]
    >>> similarity("Внутренний клиент", "внутренний  клиент")
    100.0
    >>> format_value(10.0, "working_day"), threshold_label("response_time", "в социальных сетях")
    ('10 working days', 'response time (в социальных сетях)')
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel

from pipeline.nlp import lemma_text, load_vocab

# Labels of threshold metrics and units come from vocab/thresholds.json ("label": {"en", "ru"}).
_THRESHOLDS = load_vocab("thresholds")
METRIC_LABELS = {m["id"]: m["label"]["en"] for m in _THRESHOLDS["metrics"]}
UNIT_LABELS = {u["id"]: u["label"]["en"] for u in _THRESHOLDS["units"]}
LABELS = {lang: ({m["id"]: m["label"][lang] for m in _THRESHOLDS["metrics"]},
                 {u["id"]: u["label"][lang] for u in _THRESHOLDS["units"]}) for lang in ("en", "ru")}
SHINGLE_WORDS = 5  # words per shingle for template similarity


_TYPOGRAPHY = (("–", "-"), ("—", "-"), ("−", "-"), ("«", '"'), ("»", '"'), ("“", '"'), ("”", '"'), ("„", '"'),
               ("ё", "е"), ("Ё", "Е"))
_SPACES = re.compile(r"\s+")


def norm(s: str | None) -> str:
    """Text as compared: ё → е, dashes and quotes of any typography as '-' and
    '"', whitespace collapsed, lower case."""
    s = s or ""
    for a, b in _TYPOGRAPHY:
        if a in s:
            s = s.replace(a, b)
    return _SPACES.sub(" ", s).strip().lower()


class WordOp(BaseModel):
    """A run of words kept ('='), removed ('-') or added ('+')."""

    op: Literal["=", "-", "+"]
    text: str


def word_diff(old: str, new: str) -> list[WordOp]:
    """Word-level diff: runs of kept ('='), removed ('-') and added ('+') words."""
    a, b = old.split(), new.split()
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp(op="=", text=" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp(op="-", text=" ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp(op="+", text=" ".join(b[j1:j2])))
    return ops


def similarity(a: str, b: str) -> float:
    """0–100 similarity of two texts (rapidfuzz ratio on normalized text)."""
    from rapidfuzz import fuzz

    return round(fuzz.ratio(norm(a), norm(b)), 1)


def definition_key(d) -> str:
    """Lemmas of a definition's term: the extractor's ``key``, computed when absent."""
    if getattr(d, "key", ""):
        return d.key
    return lemma_text(d.term.lower())


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    """Every run of ``n`` consecutive words (lower case, ё → е, punctuation dropped)."""
    words = re.findall(r"[а-яёa-z0-9]+", text.lower().replace("ё", "е"))
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


class Shingler:
    """The :func:`shingles` of texts as sorted numpy arrays of distinct 64-bit
    hashes, one text at a time (a batch never holds its texts together).
    Words are numbered once for all texts given to one Shingler, so equal
    shingles get equal hashes across them.

        >>> sh = Shingler()
        >>> a, b = sh.hashes("один два три четыре пять шесть"), sh.hashes("два три четыре пять шесть семь")
        >>> len(a), len(b), sorted_overlap(a, b)
        (2, 2, 0.5)
    """

    def __init__(self, n: int = SHINGLE_WORDS):
        self.n = n
        self.number: dict[str, int] = {}

    def hashes(self, text: str):
        import numpy as np

        n, number = self.n, self.number
        words = re.findall(r"[а-яёa-z0-9]+", text.lower().replace("ё", "е"))
        k = len(words)
        seq = np.fromiter((number.setdefault(w, len(number) + 1) for w in words), dtype=np.uint64, count=k)
        if k < n:
            return np.zeros(0, dtype=np.uint64)
        h = np.zeros(k - n + 1, dtype=np.uint64)
        mult = np.uint64(0x100000001B3)
        with np.errstate(over="ignore"):
            for j in range(n):
                h = h * mult + seq[j: k - n + 1 + j]
        return np.unique(h)


def shingle_hashes(texts: list[str], n: int = SHINGLE_WORDS) -> list:
    """:meth:`Shingler.hashes` of each text, with one numbering of words."""
    sh = Shingler(n)
    return [sh.hashes(t) for t in texts]


def sorted_overlap(a, b) -> float:
    """:func:`overlap` of two :meth:`Shingler.hashes` arrays."""
    import numpy as np

    if not len(a) or not len(b):
        return 0.0
    return np.intersect1d(a, b, assume_unique=True).size / min(len(a), len(b))


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other (overlap coefficient): an
    order that adds its own sections to a common template still scores high,
    where Jaccard would be diluted by the added text."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def format_value(value: float, unit: str, lang: str = "en") -> str:
    """10.0, 'working_day' → '10 working days' ('10 раб. дн.' with lang='ru')."""
    v = int(value) if float(value).is_integer() else value
    if lang == "ru" and not float(value).is_integer():
        v = str(v).replace(".", ",")
    u = LABELS.get(lang, LABELS["en"])[1].get(unit, unit)
    return f"{v} {u}".strip()


def threshold_label(metric: str, condition: str | None = None, lang: str = "en") -> str:
    """'response_time', 'в социальных сетях' → 'response time (в социальных сетях)'."""
    label = LABELS.get(lang, LABELS["en"])[0].get(metric, metric.replace("_", " "))
    return f"{label} ({condition})" if condition else label
