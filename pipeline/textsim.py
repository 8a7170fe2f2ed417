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


def shingle_hashes(texts: list[str], n: int = SHINGLE_WORDS) -> list:
    """The :func:`shingles` of each text as a sorted numpy array of distinct
    64-bit hashes (for :func:`overlap_matrix`). Words are numbered once for
    all texts, so equal shingles get equal hashes across texts."""
    import numpy as np

    words = [re.findall(r"[а-яёa-z0-9]+", t.lower().replace("ё", "е")) for t in texts]
    number: dict[str, int] = {}
    ids = np.fromiter((number.setdefault(w, len(number) + 1) for ws in words for w in ws), dtype=np.uint64,
                      count=sum(len(ws) for ws in words))
    out, pos = [], 0
    mult = np.uint64(0x100000001B3)
    for ws in words:
        k = len(ws)
        if k < n:
            out.append(np.zeros(0, dtype=np.uint64))
            pos += k
            continue
        seq = ids[pos: pos + k]
        h = np.zeros(k - n + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(n):
                h = h * mult + seq[j: k - n + 1 + j]
        out.append(np.unique(h))
        pos += k
    return out


def overlap_matrix(docs: list):
    """:func:`overlap` of every pair at once, as an n × n numpy array, from
    each document's :func:`shingle_hashes`.

    Shingles are grouped by the set of documents that hold them, and each
    group updates the matrix once; a shingle of one document only touches the
    diagonal. 300 orders from a handful of templates take a fraction of a
    second where pairwise set intersections take seconds."""
    import numpy as np

    n = len(docs)
    inter = np.zeros((n, n), dtype=np.float64)
    sizes = np.array([len(d) for d in docs], dtype=np.float64)
    if n == 0 or not sizes.any():
        return inter
    h = np.concatenate(docs)
    doc = np.repeat(np.arange(n), [len(d) for d in docs])
    order = np.argsort(h, kind="stable")
    h, doc = h[order], doc[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    counts = np.diff(np.r_[starts, len(h)])
    shared = counts > 1
    if shared.any():
        # a key per posting list (sum of random 64-bit weights of its documents), then one update per distinct list
        weights = np.random.default_rng(0).integers(1, 2**63, size=n, dtype=np.int64).view(np.uint64)
        with np.errstate(over="ignore"):
            keys = np.add.reduceat(weights[doc], starts)
        s_starts, s_counts, s_keys = starts[shared], counts[shared], keys[shared]
        _, first, mult = np.unique(s_keys, return_index=True, return_counts=True)
        for f, m in zip(first.tolist(), mult.tolist()):
            idx = doc[s_starts[f]: s_starts[f] + s_counts[f]]
            inter[np.ix_(idx, idx)] += m
    inter[np.arange(n), np.arange(n)] = sizes
    smaller = np.minimum.outer(sizes, sizes)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(smaller > 0, inter / np.where(smaller > 0, smaller, 1), 0.0)


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
