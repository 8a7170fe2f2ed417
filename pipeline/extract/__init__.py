"""Extraction of facts from one document, one module per fact family.

Each step is ``step(ctx: Context) -> None`` and fills its part of
``ctx.doc``; later steps may read what earlier ones wrote (the clause tree,
the meta). Steps never raise for content problems: they add warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.models import Clause, Document, Span, Warning
from pipeline.document import Line, SourceText
from pipeline.segment import DocSlice


@dataclass
class Context:
    src: SourceText
    sl: DocSlice
    doc: Document
    # flat list of every clause in reading order (filled by structure)
    flat: list[Clause] = field(default_factory=list)
    # clause id -> parent clause (None for top level)
    parents: dict[str, Clause | None] = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        return self.sl.lines(self.src)

    def span(self, start: int, end: int) -> Span:
        return self.src.span(start, end)

    def line_span(self, first: int, last: int | None = None) -> Span:
        return self.src.line_span(first, last)

    def warn(self, code: str, message: str, span: Span | None = None, severity: str = "warning") -> None:
        self.doc.warnings.append(Warning(code=code, message=message, span=span, severity=severity))

    def meta_lines(self, *prefixes: str) -> set[int]:
        """Lines of the meta values whose source key starts with a prefix
        ("signatory" covers signatory.name and signatory.position)."""
        out: set[int] = set()
        for key, src in self.doc.meta.sources.items():
            if src.span and key.startswith(prefixes):
                out.update(range(src.span.line, src.span.end_line + 1))
        return out

    def signature_line(self) -> int | None:
        """Last line of the signature block, if the meta step found one."""
        lines = self.meta_lines("signatory")
        return max(lines) if lines else None

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


def extract_documents(src: SourceText) -> list[Document]:
    from pipeline.agency import agency_key
    from pipeline.extract import appendices, definitions, meta, people, requirements, touchpoints
    from pipeline import structure
    from pipeline.segment import segment

    docs: list[Document] = []
    for n, sl in enumerate(segment(src), 1):
        kind = sl.kind
        nonblank = [ln.no for ln in sl.lines(src) if ln.text.strip()] or [sl.first_line]
        doc = Document(id=f"d{n}", kind=kind, span=src.line_span(nonblank[0], nonblank[-1]))
        ctx = Context(src, sl, doc)
        meta.extract(ctx)
        if doc.meta.agency:
            doc.meta.agency_key = agency_key(doc.meta.agency)
        if kind == "order" and (doc.meta.date is None or doc.meta.number is None):
            doc.kind = "draft"
            missing = [f for f in ("date", "number") if getattr(doc.meta, f) is None]
            ctx.warn("draft", f"no {' and no '.join(missing)} printed: treated as an unsigned draft",
                     src.line_span(sl.type_line or sl.first_line), severity="info")
        if doc.kind in ("order", "draft"):
            appendices.extract(ctx)  # before the tree: stamps are not clauses
        structure.extract(ctx)
        if doc.kind in ("order", "draft"):
            definitions.extract(ctx)
            touchpoints.extract(ctx)
            requirements.extract(ctx)
            people.extract(ctx)
        docs.append(doc)
    return docs
