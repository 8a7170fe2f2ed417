"""Template lineage: which orders were written from one template.

Every order and draft of the compared agencies is read as its clause text;
two texts are similar by the overlap of their 5-word sequences
(:func:`pipeline.textsim.overlap_matrix`), linked when the overlap reaches
:data:`LINEAGE_CLUSTER`, and linked texts form clusters (single linkage).
The report shows clusters and the most similar pairs — never an N × N matrix,
which at 300 orders is 90,000 cells nobody reads.

Example::

    >>> lin = lineage(group_agencies(load_dir("outputs")))   # the corpus orders
    >>> [(c.number, len(c.members), c.agencies) for c in lin.clusters][:1]   # Дагестан (order, draft), Осетия, Сахалин
    [(1, 4, 3)]
    >>> round(lin.top_pairs(1)[0].similarity, 2)   # Дагестан ~ Северная Осетия 2026
    0.73
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.compare import Agency, Entry, document_text
from pipeline.textsim import overlap_matrix, shingle_hashes

LINEAGE_CLUSTER = 0.35     # shingle overlap at or above which two orders share a template
# (on the corpus: one template 0.45–0.99, unrelated orders 0.05–0.23)
MIN_SHINGLES = 40          # a text shorter than this (a cut page, a heading) is compared with nothing:
# its few 5-word sequences are found in any long act (overlap 1.0 with unrelated orders)


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
    sim: object = field(repr=False)  # numpy n × n overlap matrix

    def top_pairs(self, n: int = 25, across_agencies: bool = True) -> list[Pair]:
        """The ``n`` most similar pairs of documents, most similar first: of two
        different agencies, one pair per two agencies, unless ``across_agencies``
        is false."""
        import numpy as np

        k = len(self.members)
        if k < 2:
            return []
        iu, ju = np.triu_indices(k, 1)
        vals = self.sim[iu, ju]
        if across_agencies:
            keys = np.array([id(m.agency) for m in self.members])
            mask = keys[iu] != keys[ju]
            iu, ju, vals = iu[mask], ju[mask], vals[mask]
        out: list[Pair] = []
        seen: set[tuple[int, int]] = set()
        for o in np.argsort(-vals, kind="stable"):
            a, b = int(iu[o]), int(ju[o])
            agencies = tuple(sorted((id(self.members[a].agency), id(self.members[b].agency))))
            if across_agencies and agencies in seen:
                continue  # one pair per two agencies: their most similar documents
            seen.add(agencies)
            out.append(Pair(a, b, round(float(vals[o]), 3)))
            if len(out) == n:
                break
        return out


def lineage(agencies: list[Agency], threshold: float = LINEAGE_CLUSTER) -> Lineage:
    import numpy as np

    pairs = [(a, e) for a in agencies for e in a.versions]
    texts = [document_text(e.doc) for _, e in pairs]
    sets = shingle_hashes(texts)
    sim = overlap_matrix(sets)
    short = np.array([len(s) < MIN_SHINGLES for s in sets])
    sim[short, :] = 0.0
    sim[:, short] = 0.0
    n = len(pairs)
    np.fill_diagonal(sim, 1.0)
    off = sim.copy()
    np.fill_diagonal(off, -1.0)
    members = []
    for i, ((a, e), text) in enumerate(zip(pairs, texts)):
        j = int(off[i].argmax()) if n > 1 else None
        members.append(Member(a, e, len(text.split()), j, round(float(off[i, j]), 3) if j is not None else 0.0))
    iu, ju = np.nonzero(np.triu(off >= threshold, 1))
    cl = clusters(n, list(zip(iu.tolist(), ju.tolist())))
    out: list[Cluster] = []
    for number in sorted(set(cl)):
        idx = [i for i in range(n) if cl[i] == number]
        block = sim[np.ix_(idx, idx)]
        k = len(idx)
        mean = float((block.sum() - k) / (k * (k - 1))) if k > 1 else 1.0
        rep = idx[int(block.sum(axis=1).argmax())]
        out.append(Cluster(number, idx, len({id(members[i].agency) for i in idx}), round(mean, 3), rep))
    return Lineage(members, cl, out, sim)
