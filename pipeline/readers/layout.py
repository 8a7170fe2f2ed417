"""From positioned page content (PDF text layer or OCR) to logical lines.

Both the PDF reader and the OCR reader hand over, per page, visual lines and
table fragments (:mod:`pipeline.readers.pages`). :func:`assemble` does the work
that is the same for both, in this order:

1. running headers/footers and page numbers are removed
   (:func:`~pipeline.readers.pages.strip_running_matter`);
2. a table continued on the next page is stitched to its first part
   (:mod:`pipeline.readers.table_stitch`);
3. visual lines are joined into paragraphs, line-end hyphens joined
   deliberately (:mod:`pipeline.readers.paragraphs`);
4. paragraphs and tables are interleaved by position and written through
   :class:`~pipeline.document.TextBuilder` with page, bbox and OCR confidence
   on every line and cell.

Tunables are in :class:`~pipeline.readers.settings.LayoutSettings`.
"""

from __future__ import annotations

from pipeline.document import TextBuilder
from pipeline.models import ExtractionWarning
from pipeline.readers.pages import Page, strip_running_matter
from pipeline.readers.paragraphs import Para, document_vocab, paragraphs
from pipeline.readers.settings import DEFAULTS, LayoutSettings
from pipeline.readers.table_stitch import StitchedTable, stitch_tables, write_table


def assemble(pages: list[Page], st: LayoutSettings = DEFAULTS.layout) -> tuple[TextBuilder, list[ExtractionWarning]]:
    """Pages in order → a :class:`TextBuilder` holding the document's lines and
    tables, and the warnings about what was removed or repaired."""
    warnings: list[ExtractionWarning] = []
    removed = strip_running_matter(pages, st)
    if removed:
        warnings.append(ExtractionWarning(code="running_matter_removed", severity="info",
                                message=f"{removed} running header/footer line(s) and page numbers removed"))
    vocab = document_vocab(pages)
    tables = stitch_tables(pages, vocab)
    body = [ln for pg in pages for ln in pg.lines]
    rights = sorted(ln.x1 for ln in body)
    lefts = sorted(ln.x0 for ln in body)
    # the text block's edges: most lines reach them
    right_edge = rights[int(len(rights) * 0.98)] if rights else 0.0
    left_edge = lefts[int(len(lefts) * 0.1)] if lefts else 0.0
    paras = paragraphs(body, right_edge, left_edge, vocab, st)
    # interleave paragraphs and tables by (page, top)
    items: list[tuple[int, float, int, object]] = [(p.page, p.bbox[1], 1, p) for p in paras]
    items += [(pg, top, 0, t) for pg, top, t in tables]
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    b = TextBuilder()
    for _, _, kind, obj in items:
        if kind == 1:
            para: Para = obj  # type: ignore[assignment]
            if b.lines:
                for _ in range(para.blank_before):
                    b.add("", page=para.page)
            b.add(para.text, page=para.page, bbox=para.bbox, confidence=para.confidence, words=para.words)
        else:
            stt: StitchedTable = obj  # type: ignore[assignment]
            write_table(b, stt)
            for rep in stt.repairs:
                warnings.append(ExtractionWarning(code="table_repaired", message=rep, severity="info"))
    return b, warnings
