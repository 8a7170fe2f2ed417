"""Clauses of two versions matched by their text, whatever their labels.

A draft and its signed order often letter the same clause differently («е)»
in the order is «д)» in the draft; the order's «ж) социальные сети …» is an
unlettered heading in the draft). Matching by label would report such a
clause as removed and another as added; here clauses are matched by text
(identical first, in order, then the most similar above
:data:`CLAUSE_MATCH`), and a matched clause whose label differs is
*relabelled*, not removed.

Example::

    >>> f = "outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json"
    >>> (o_ex, old), (n_ex, new) = load_side(f + "#d1"), load_side(f + "#d3")
    >>> m = match_clauses(flat_clauses(old), flat_clauses(new))
    >>> [(c.old_label, c.new_label, c.new_line) for c in clause_changes(m) if c.status == "relabelled"][1:3]
    [('3 3.2 е)', '3 3.2 д)', 415), ('3 3.2 ж)', '3 3.2', 417)]
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.diff_model import ClauseChange
from pipeline.models import Document
from pipeline.textsim import norm, similarity, word_diff

CLAUSE_MATCH = 85.0   # rapidfuzz ratio at or above which two clause texts are one clause reworded
MIN_FUZZY_CHARS = 25  # shorter texts («заявления;») pair only when identical


@dataclass
class FlatClause:
    id: str
    label: str | None      # as printed: 'д)', '3.2', None for an unlettered paragraph
    path: str              # printed labels from the root: '3 3.2 д)'
    text: str
    line: int | None


def flat_clauses(doc: Document) -> list[FlatClause]:
    """The clause tree in reading order, each clause with its printed path."""
    out: list[FlatClause] = []

    def walk(cs, path: list[str]) -> None:
        for c in cs:
            here = path + ([c.number] if c.number and c.number != "-" else [])
            out.append(FlatClause(c.id, c.number if c.number != "-" else None, " ".join(here), c.text,
                                  c.span.line if c.span else None))
            walk(c.children, here)

    walk(doc.clauses, [])
    return out


@dataclass
class Matching:
    old: list[FlatClause]
    new: list[FlatClause]
    pairs: list[tuple[int, int, float]]   # (old index, new index, similarity 0–100)
    removed: list[int]
    added: list[int]

    def new_for(self, old_index: int) -> int | None:
        for i, j, _ in self.pairs:
            if i == old_index:
                return j
        return None

    def old_for(self, new_index: int) -> int | None:
        for i, j, _ in self.pairs:
            if j == new_index:
                return i
        return None


def match_clauses(old: list[FlatClause], new: list[FlatClause]) -> Matching:
    """Pair clauses by identical text (in reading order), then by similarity."""
    from rapidfuzz import fuzz, process

    o_text = [norm(c.text) for c in old]
    n_text = [norm(c.text) for c in new]
    by_text: dict[str, list[int]] = {}
    for j, t in enumerate(n_text):
        by_text.setdefault(t, []).append(j)
    pairs: list[tuple[int, int, float]] = []
    used_new: set[int] = set()
    o_left = []
    for i, t in enumerate(o_text):
        free = [j for j in by_text.get(t, []) if j not in used_new]
        if t and free:
            # the nearest in reading order among identical texts (repeated short items pair in place)
            j = min(free, key=lambda j: abs(j / max(1, len(new)) - i / max(1, len(old))))
            pairs.append((i, j, 100.0))
            used_new.add(j)
        else:
            o_left.append(i)
    n_left = [j for j in range(len(new)) if j not in used_new]
    o_long = [i for i in o_left if len(o_text[i]) >= MIN_FUZZY_CHARS]
    n_long = [j for j in n_left if len(n_text[j]) >= MIN_FUZZY_CHARS]
    if o_long and n_long:
        scores = process.cdist([o_text[i] for i in o_long], [n_text[j] for j in n_long], scorer=fuzz.ratio,
                               score_cutoff=CLAUSE_MATCH)
        cands = sorted(((float(scores[a][b]), o_long[a], n_long[b]) for a in range(len(o_long))
                        for b in range(len(n_long)) if scores[a][b] >= CLAUSE_MATCH), reverse=True)
        taken_o: set[int] = set()
        for s, i, j in cands:
            if i in taken_o or j in used_new:
                continue
            pairs.append((i, j, round(s, 1)))
            taken_o.add(i)
            used_new.add(j)
        o_left = [i for i in o_left if i not in taken_o]
    n_left = [j for j in range(len(new)) if j not in used_new]
    splits = _splits(o_text, n_text, o_left, n_left) + [(i, j, s) for j, i, s in _splits(n_text, o_text, n_left, o_left)]
    for i, j, s in splits:
        pairs.append((i, j, s))
    o_left = [i for i in o_left if all(i != p[0] for p in splits)]
    n_left = [j for j in n_left if all(j != p[1] for p in splits)]
    pairs.sort()
    return Matching(old, new, pairs, o_left, n_left)


def _splits(a_text: list[str], b_text: list[str], a_left: list[int], b_left: list[int]) -> list[tuple[int, int, float]]:
    """A clause of one side printed as 2–4 consecutive unmatched clauses on the
    other (a heading and its first item split or joined): (a, each b, score)."""
    from rapidfuzz import fuzz

    out: list[tuple[int, int, float]] = []
    taken: set[int] = set()
    for i in a_left:
        if len(a_text[i]) < MIN_FUZZY_CHARS:
            continue
        for start in range(len(b_left)):
            best = None
            for k in range(2, 5):
                run = b_left[start:start + k]
                if len(run) < k or run[-1] - run[0] != k - 1 or taken & set(run):
                    break
                s = fuzz.ratio(a_text[i], " ".join(b_text[j] for j in run))
                if s >= CLAUSE_MATCH:
                    best = (run, s)
            if best:
                out += [(i, j, round(best[1], 1)) for j in best[0]]
                taken |= set(best[0])
                break
    return out


def clause_changes(m: Matching) -> list[ClauseChange]:
    """Relabelled and reworded clauses (in the old order), then removed, then
    added. A clause split into several (or several joined into one) is one
    change, its texts joined."""
    groups: dict[tuple[int, ...], list[int]] = {}
    by_old: dict[int, list[int]] = {}
    by_new: dict[int, list[int]] = {}
    for i, j, _ in m.pairs:
        by_old.setdefault(i, []).append(j)
        by_new.setdefault(j, []).append(i)
    for i, js in by_old.items():
        olds = tuple(sorted({k for j in js for k in by_new[j]}))
        groups.setdefault(olds, [])
        groups[olds] = sorted(set(groups[olds]) | set(js))
    out: list[ClauseChange] = []
    for olds, news in sorted(groups.items()):
        a = [m.old[i] for i in olds]
        b = [m.new[j] for j in news]
        a_text, b_text = " ".join(c.text for c in a), " ".join(c.text for c in b)
        reworded = norm(a_text) != norm(b_text)
        relabelled = (a[0].label or "") != (b[0].label or "")
        if not (reworded or relabelled):
            continue
        out.append(ClauseChange(
            status="reworded" if reworded else "relabelled", old_label=a[0].path, new_label=b[0].path,
            old_line=a[0].line, new_line=b[0].line, old=a_text, new=b_text, relabelled=relabelled,
            similarity=similarity(a_text, b_text) if reworded else 100.0,
            words=word_diff(a_text, b_text) if reworded else []))
    out += [ClauseChange(status="removed", old_label=m.old[i].path, old_line=m.old[i].line, old=m.old[i].text)
            for i in m.removed]
    out += [ClauseChange(status="added", new_label=m.new[j].path, new_line=m.new[j].line, new=m.new[j].text)
            for j in m.added]
    return out
