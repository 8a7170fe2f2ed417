"""Template lineage: which orders were written from one template.

Every order and draft of the compared agencies is read as its clause text;
two texts are similar by the overlap of their 5-word sequences (shingles:
the share of the smaller text's found in the other), linked when the overlap reaches :data:`LINEAGE_CLUSTER`, and
linked texts form clusters (single linkage). The report shows clusters and
the most similar pairs — never an N × N matrix, which at 300 orders is
90,000 cells nobody reads.

Nor is every pair compared: each document is compared exactly with at most
:data:`CANDIDATES` others, found through an inverted index of shingles —
those sharing its rarest shingles first (its own agency's other versions,
then its template). Work and memory grow with the number of documents, not
its square (2,000 orders: seconds, tens of MB). A batch of up to
``CANDIDATES + 1`` documents compares every pair, so a small comparison is
exact; in a large one a document's closest match is the closest among its
candidates, and a large cluster's mean similarity and representative come
from :data:`CLUSTER_SAMPLE` of its members.

Example::

    >>> lin = lineage(group_agencies(load_dir("outputs")))   # the corpus orders
    >>> [(c.number, len(c.members), c.agencies) for c in lin.clusters][:1]   # Дагестан (order, draft), Осетия, Сахалин
    [(1, 4, 3)]
    >>> round(lin.top_pairs(1)[0].similarity, 2)   # Дагестан ~ Северная Осетия 2026
    0.73
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.compare import Agency, Entry

LINEAGE_CLUSTER = 0.35     # shingle overlap at or above which two orders share a template
# (on the corpus: one template 0.45–0.99, unrelated orders 0.05–0.23)
MIN_SHINGLES = 40          # a text shorter than this (a cut page, a heading) is compared with nothing:
# its few 5-word sequences are found in any long act (overlap 1.0 with unrelated orders)
CANDIDATES = 64            # documents each document is compared with exactly (all of them in a batch this small)
POSTING_HEAD = 8           # per shingle, the documents holding it that are taken as candidates
CLUSTER_SAMPLE = 60        # members of a larger cluster that give its mean similarity and representative


def clusters(n: int, linked: list[tuple[int, int]]) -> list[int]:
    """Single-linkage clusters (union-find) of ``n`` items over the linked
    pairs: a 1-based cluster number per item, larger clusters first, then by
    first member (so T1 is the most shared template)."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in linked:
        parent[find(i)] = find(j)
    roots = [find(i) for i in range(n)]
    count: dict[int, int] = {}
    first: dict[int, int] = {}
    for i, r in enumerate(roots):
        count[r] = count.get(r, 0) + 1
        first.setdefault(r, i)
    order = sorted(count, key=lambda r: (-count[r], first[r]))
    number = {r: k for k, r in enumerate(order, 1)}
    return [number[r] for r in roots]


@dataclass
class Member:
    agency: Agency
    entry: Entry
    words: int
    closest: int | None      # index of the most similar other document
    closest_similarity: float


@dataclass
class Cluster:
    number: int
    members: list[int]        # indices into Lineage.members
    agencies: int             # distinct agencies among them
    mean_similarity: float    # mean pairwise overlap inside the cluster (1.0 for one member)
    representative: int       # the member closest to all others


@dataclass
class Pair:
    a: int
    b: int
    similarity: float


@dataclass
class Lineage:
    members: list[Member]
    cluster_of: list[int]
    clusters: list[Cluster]
    pairs: object = field(repr=False)  # every pair compared, most similar first: numpy (a, b, similarity) rows, a < b

    def top_pairs(self, n: int = 25, across_agencies: bool = True) -> list[Pair]:
        """The ``n`` most similar pairs of documents, most similar first: of two
        different agencies, one pair per two agencies, unless ``across_agencies``
        is false."""
        out: list[Pair] = []
        seen: set[tuple[int, int]] = set()
        for i, j, similarity in self.pairs:
            p = Pair(int(i), int(j), float(similarity))
            a, b = self.members[p.a].agency, self.members[p.b].agency
            if across_agencies:
                if a is b:
                    continue
                agencies = tuple(sorted((id(a), id(b))))
                if agencies in seen:
                    continue  # one pair per two agencies: their most similar documents
                seen.add(agencies)
            out.append(Pair(p.a, p.b, round(p.similarity, 3)))
            if len(out) == n:
                break
        return out


class ShingleIndex:
    """The documents' shingles numbered 0…V-1 and an inverted index (shingle →
    the documents holding it, in document order), in flat numpy arrays."""

    def __init__(self, sets: list, indexed: list[bool]):
        import numpy as np

        self.docs = [i for i in range(len(sets)) if indexed[i]]
        sizes = [len(sets[i]) for i in self.docs]
        self.ids: dict[int, object] = {}
        if not self.docs:
            self.counts = self.starts = self.holder = np.zeros(0, dtype=np.int64)
            return
        numbers, inverse = np.unique(np.concatenate([sets[i] for i in self.docs]), return_inverse=True)
        for i, part in zip(self.docs, np.split(inverse, np.cumsum(sizes)[:-1])):
            self.ids[i] = part                      # sorted: the hashes were
        owner = np.repeat(np.array(self.docs, dtype=np.int64), sizes)
        self.holder = owner[np.argsort(inverse, kind="stable")]
        self.counts = np.bincount(inverse, minlength=len(numbers))
        self.starts = np.cumsum(self.counts) - self.counts
        self.mark = np.zeros(len(numbers), dtype=bool)

    def candidates(self, i: int, limit: int, head: int):
        """Up to ``limit`` documents sharing shingles with ``i``: rarest shingle first, ``head`` per shingle."""
        import numpy as np

        ids = self.ids[i]
        size = self.counts[ids]
        shared = size > 1
        lo, size = self.starts[ids][shared], size[shared]
        if not len(lo):
            return []
        by_rarity = np.argsort(size, kind="stable")
        lo, take = lo[by_rarity], np.minimum(size[by_rarity], head + 1)   # +1: the document itself may be among them
        pos = np.repeat(lo - np.r_[0, np.cumsum(take)[:-1]], take) + np.arange(int(take.sum()))
        found = self.holder[pos]
        found = found[found != i]
        _, first = np.unique(found, return_index=True)
        return found[np.sort(first)][:limit].tolist()

    def overlaps(self, i: int, others: list[int]) -> list[float]:
        """The overlap of ``i`` with each of ``others`` (0 for a document not indexed: too short)."""
        import numpy as np

        if i not in self.ids:
            return [0.0] * len(others)
        known = [j for j in others if j in self.ids]
        out = dict.fromkeys(others, 0.0)
        if known:
            mine = self.ids[i]
            self.mark[mine] = True
            theirs = [self.ids[j] for j in known]
            hits = self.mark[np.concatenate(theirs)]
            self.mark[mine] = False
            inter = np.add.reduceat(hits.astype(np.int64), np.r_[0, np.cumsum([len(t) for t in theirs])[:-1]])
            for j, t, k in zip(known, theirs, inter.tolist()):
                out[j] = k / min(len(mine), len(t))
        return [out[j] for j in others]


def lineage(agencies: list[Agency], threshold: float = LINEAGE_CLUSTER) -> Lineage:
    import numpy as np

    entries = [(a, e) for a in agencies for e in a.versions]
    sets = [e.shingles for _, e in entries]
    n = len(entries)
    index = ShingleIndex(sets, [len(s) >= MIN_SHINGLES for s in sets])
    everyone = n - 1 <= CANDIDATES  # a small batch: every pair, exactly
    sim: dict[tuple[int, int], float] = {}
    members = []
    for i, (a, e) in enumerate(entries):
        cand = [j for j in range(n) if j != i] if everyone else sorted(index.candidates(i, CANDIDATES, POSTING_HEAD))
        best, best_j = 0.0, None
        for j, s in zip(cand, index.overlaps(i, cand)):
            sim[(i, j) if i < j else (j, i)] = s
            if s > best:
                best, best_j = s, j
        if best_j is None and n > 1:
            best_j = 0 if i else 1   # nothing similar: the first other document, at 0
        members.append(Member(a, e, e.words, best_j, round(best, 3)))
    ab = np.array(list(sim), dtype=np.int64).reshape(-1, 2)
    values = np.fromiter(sim.values(), dtype=np.float64, count=len(sim))
    del sim
    order = np.lexsort((ab[:, 1], ab[:, 0], -values))   # most similar first, then by document
    pairs = np.rec.fromarrays([ab[order, 0], ab[order, 1], values[order]], names="a,b,similarity")
    linked = pairs[pairs.similarity >= threshold]
    cl = clusters(n, list(zip(linked.a.tolist(), linked.b.tolist())))
    by_number: dict[int, list[int]] = {}
    for i, number in enumerate(cl):
        by_number.setdefault(number, []).append(i)
    out: list[Cluster] = []
    for number in sorted(by_number):
        idx = by_number[number]
        sample = idx if len(idx) <= CLUSTER_SAMPLE else [idx[int(k)] for k in np.linspace(0, len(idx) - 1, CLUSTER_SAMPLE)]
        k = len(sample)
        block = np.array([index.overlaps(i, sample) for i in sample]) if k > 1 else np.ones((1, 1))
        np.fill_diagonal(block, 1.0)
        mean = float((block.sum() - k) / (k * (k - 1))) if k > 1 else 1.0
        rep = sample[int(block.sum(axis=1).argmax())]
        out.append(Cluster(number, idx, len({id(members[i].agency) for i in idx}), round(mean, 3), rep))
    return Lineage(members, cl, out, pairs)
