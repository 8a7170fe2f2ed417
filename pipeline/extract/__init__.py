"""Extraction of facts from one file's documents, one module per fact family.

For each document of :func:`pipeline.segment.segment`: ``meta`` (returns the
:class:`~pipeline.context.Header`) → ``appendices`` → ``structure``
(clause tree) → ``definitions``, ``touchpoints``, ``requirements``,
``people``; then one post-pass, :func:`pipeline.extract.link.link_documents`,
links the documents of the file (a memo borrows its act's agency) and decides
each document's ``agency_key`` once.
"""

from __future__ import annotations

from pipeline.context import Context, Header  # noqa: F401  (the stage contract)
from pipeline.document import SourceText
from pipeline.models import Document

# Kinds whose body is read for facts (a memo's is not).
ACTS = ("order", "draft", "appendix")
# Vocabularies matched on lemmas (VocabMatcher): touchpoint channels, needs, directions of activity.
MATCHED_VOCABULARIES = ("channels", "needs", "directions")


def warm_up() -> None:
    """Load what every process builds once before its first file: spaCy's
    tokenizer, pymorphy3's dictionaries, the matched vocabularies and the
    Перечень header phrases. Then the first file pays for its own text only
    (benchmarks measure first sight after it; a worker may call it at start)."""
    from pipeline.extract.touchpoint_common import header_role
    from pipeline.nlp import VocabMatcher, get_morph, get_nlp

    get_nlp()
    get_morph()
    for name in MATCHED_VOCABULARIES:
        VocabMatcher.load(name)
    header_role("Наименование точки взаимодействия")


def extract_documents(src: SourceText) -> list[Document]:
    """Every document of one file, with its facts, linked to the others."""
    from pipeline import structure
    from pipeline.editorial import mark_editorial
    from pipeline.extract import (
        appendices,
        definitions,
        link,
        meta,
        people,
        requirements,
        touchpoints,
    )
    from pipeline.segment import segment

    src.warnings.extend(mark_editorial(src))
    contexts: list[Context] = []
    for n, sl in enumerate(segment(src), 1):
        nonblank = [ln.no for ln in sl.lines(src) if ln.text.strip()] or [sl.first_line]
        doc = Document(id=f"d{n}", kind=sl.kind, span=src.line_span(nonblank[0], nonblank[-1]))
        ctx = Context(src, sl, doc)
        ctx.header = meta.extract(ctx)
        if sl.kind == "order" and sl.type_line and (doc.meta.date is None or doc.meta.number is None):
            doc.kind = "draft"
            missing = [f for f in ("date", "number") if getattr(doc.meta, f) is None]
            ctx.warn("draft", f"no {' and no '.join(missing)} printed: treated as an unsigned draft",
                     src.line_span(sl.type_line or sl.first_line), severity="info")
        if doc.kind in ACTS:
            appendices.extract(ctx)  # before the tree: stamps are not clauses
        structure.extract(ctx)
        if doc.kind in ACTS:
            definitions.extract(ctx)
            touchpoints.extract(ctx)
            requirements.extract(ctx)
            people.extract(ctx)
        contexts.append(ctx)
    link.link_documents(contexts)
    return [c.doc for c in contexts]
