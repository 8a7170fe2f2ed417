"""What a diff reports: :class:`DocumentDiff` and its parts.

The result of :func:`pipeline.diff.diff_documents`, rendered by
:mod:`pipeline.report.difftext` (text, Markdown) or dumped as JSON
(``registry diff --format json``); kept apart from the matching logic so the
renderers depend on the data only.

Example::

    >>> d = DocumentDiff(old=DocRef(label="a.txt#d1", path="a.txt", doc_id="d1", kind="order"),
    ...                  new=DocRef(label="b.txt#d1", path="b.txt", doc_id="d1", kind="order"))
    >>> d.is_empty(), d.touchpoints_same
    (True, True)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from pipeline.textsim import WordOp


class Model(BaseModel):
    """Base of the diff models (plain pydantic: dumped as ``registry diff --format json``)."""


class DocRef(Model):
    label: str
    path: str
    doc_id: str
    kind: str
    agency: str | None = None
    date: str | None = None
    number: str | None = None


class FieldChange(Model):
    field: str
    old: Any = None
    new: Any = None


class TouchpointRef(Model):
    row: int | None = None
    service: str | None = None
    name: str
    channel: str
    kind: str | None = None
    line: int | None = None


class TouchpointChange(Model):
    old: TouchpointRef
    new: TouchpointRef
    score: float
    changes: list[FieldChange]


class ThresholdRef(Model):
    metric: str
    value: float
    unit: str
    comparator: str
    condition: str | None = None
    channel: str | None = None
    clause: str | None = None
    raw: str


class ThresholdChange(Model):
    status: Literal["added", "removed", "changed"]
    metric: str
    old: ThresholdRef | None = None
    new: ThresholdRef | None = None
    text: str


class TextChange(Model):
    """A definition or requirement added, removed, reworded, or relabelled (the
    same text under another clause label: ``key`` → ``new_key``)."""

    status: Literal["added", "removed", "reworded", "relabelled"]
    key: str
    new_key: str | None = None
    old: str | None = None
    new: str | None = None
    similarity: float | None = None
    words: list[WordOp] = Field(default_factory=list)


class ClauseChange(Model):
    """A clause matched by its text across two versions: relabelled (same
    text, another label), reworded (similar text), or removed / added."""

    status: Literal["relabelled", "reworded", "removed", "added"]
    old_label: str | None = None      # printed path: '3 3.2 е)'
    new_label: str | None = None
    old_line: int | None = None
    new_line: int | None = None
    old: str | None = None
    new: str | None = None
    relabelled: bool = False          # a reworded clause whose label changed too
    similarity: float | None = None
    words: list[WordOp] = Field(default_factory=list)


class DocumentDiff(Model):
    old: DocRef
    new: DocRef
    meta: list[FieldChange] = Field(default_factory=list)
    touchpoints_added: list[TouchpointRef] = Field(default_factory=list)
    touchpoints_removed: list[TouchpointRef] = Field(default_factory=list)
    touchpoints_changed: list[TouchpointChange] = Field(default_factory=list)
    touchpoints_unchanged: int = 0
    thresholds: list[ThresholdChange] = Field(default_factory=list)
    requirements: list[TextChange] = Field(default_factory=list)
    definitions: list[TextChange] = Field(default_factory=list)
    clauses: list[ClauseChange] = Field(default_factory=list)
    clauses_unchanged: int = 0
    members_added: list[str] = Field(default_factory=list)
    members_removed: list[str] = Field(default_factory=list)

    @property
    def touchpoints_same(self) -> bool:
        return not (self.touchpoints_added or self.touchpoints_removed or self.touchpoints_changed)

    def is_empty(self) -> bool:
        return not (self.meta or not self.touchpoints_same or self.thresholds or self.requirements
                    or self.definitions or self.clauses or self.members_added or self.members_removed)
