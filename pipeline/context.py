"""The typed contract between extraction steps.

``meta.extract`` reads the head and the signature of a document and returns
its :class:`Header` (which lines are header facts, where the body starts);
``structure`` builds the clause tree from the body that header leaves; the
fact steps (appendices, definitions, touchpoints, requirements, people) read
the tree and fill their part of ``ctx.doc``. Steps never raise for content
problems: they add warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.document import Line, SourceText
from pipeline.models import Clause, Document, Span, ExtractionWarning
from pipeline.segment import DocSlice


@dataclass(frozen=True)
class Header:
    """Where meta found the header facts of a document (1-based line numbers).

    ``body_start``: the first line after the doc type, date, number, place and
    title; ``signature_lines`` / ``registration_lines``: the signature block and
    the ЗАРЕГИСТРИРОВАНО stamp, which are not clause text."""

    body_start: int
    signature_lines: frozenset[int] = frozenset()
    registration_lines: frozenset[int] = frozenset()

    @property
    def signature_end(self) -> int | None:
        """Last line of the signature block, if there is one."""
        return max(self.signature_lines) if self.signature_lines else None


@dataclass
class Context:
    src: SourceText
    sl: DocSlice
    doc: Document
    header: Header | None = None  # set by meta.extract
    # flat list of every clause in reading order (filled by structure)
    flat: list[Clause] = field(default_factory=list)
    # clause id -> parent clause (None for top level)
    parents: dict[str, Clause | None] = field(default_factory=dict)
    # what a step computes from the document once and several steps read (e.g. its mixed-case body text)
    memo: dict = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        return self.sl.lines(self.src)

    def span(self, start: int, end: int) -> Span:
        return self.src.span(start, end)

    def line_span(self, first: int, last: int | None = None) -> Span:
        return self.src.line_span(first, last)

    def warn(self, code: str, message: str, span: Span | None = None, severity: str = "warning") -> None:
        self.doc.warnings.append(ExtractionWarning(code=code, message=message, span=span, severity=severity))

    def clause_ref(self, clause: Clause) -> str | None:
        """Printed numbers of a clause's path, for a reader: '4.2. 3) в)'."""
        path = [*reversed(self.ancestors(clause)), clause]
        parts = [c.number for c in path if c.number and c.style not in ("bullet", "none")]
        return " ".join(parts) or None

    def ancestors(self, clause: Clause) -> list[Clause]:
        out = []
        p = self.parents.get(clause.id)
        while p is not None:
            out.append(p)
            p = self.parents.get(p.id)
        return out
