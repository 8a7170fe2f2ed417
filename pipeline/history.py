"""The timeline of one agency: every version on one line, with what changed
at each step, from the diff engine (:func:`pipeline.diff.diff_documents`).

Versions are the agency's orders, drafts and appendix-only publications in
the comparison's order (:class:`pipeline.compare.Entry`: by date, a draft
before the signed act of its date). Each step after the first carries the
touchpoints added / removed / changed, the thresholds changed and the
definitions added / removed / reworded since the previous version.

Example::

    >>> [a] = [a for a in group_agencies(load_dir("outputs")) if a.region_code == "RU-DA"]
    >>> [(s.entry.doc.kind, s.touchpoints_added, len(s.thresholds)) for s in timeline(a)]
    [('draft', 0, 0), ('order', 0, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.compare import Agency, Entry
from pipeline.diff import diff_documents
from pipeline.diff_model import ThresholdChange


@dataclass
class Step:
    entry: Entry
    number: int                       # 1-based place in the timeline
    first: bool = False
    touchpoints_added: int = 0
    touchpoints_removed: int = 0
    touchpoints_changed: int = 0
    thresholds: list[ThresholdChange] = field(default_factory=list)
    definitions_added: int = 0
    definitions_removed: int = 0
    definitions_reworded: int = 0

    @property
    def unchanged(self) -> bool:
        return not self.first and not (self.touchpoints_added or self.touchpoints_removed or self.touchpoints_changed
                                       or self.thresholds or self.definitions_added or self.definitions_removed
                                       or self.definitions_reworded)


def timeline(a: Agency) -> list[Step]:
    """One step per version, oldest first."""
    steps: list[Step] = []
    prev: Entry | None = None
    for n, e in enumerate(a.versions, 1):
        step = Step(e, n, first=prev is None)
        if prev is not None:
            d = diff_documents(prev.ex, prev.doc, e.ex, e.doc, clauses=False)
            step.touchpoints_added = len(d.touchpoints_added)
            step.touchpoints_removed = len(d.touchpoints_removed)
            step.touchpoints_changed = len(d.touchpoints_changed)
            step.thresholds = d.thresholds
            step.definitions_added = sum(c.status == "added" for c in d.definitions)
            step.definitions_removed = sum(c.status == "removed" for c in d.definitions)
            step.definitions_reworded = sum(c.status == "reworded" for c in d.definitions)
        steps.append(step)
        prev = e
    return steps
