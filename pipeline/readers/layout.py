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
    right_edge, left_edge = text_edges(body)
    paras = paragraphs(body, right_edge, left_edge, vocab, st, page_edges=page_edges(pages, (right_edge, left_edge)))
    b = TextBuilder()
    for kind, obj in interleave(paras, tables):
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


def interleave(paras: list[Para], tables: list[tuple[int, float, StitchedTable]]) -> list[tuple[int, object]]:
    """Paragraphs in reading order (two columns stay one after the other) with each
    table placed before the first paragraph that starts below it: (1, para) / (0, table)."""
    out: list[tuple[int, object]] = []
    pending = sorted(tables, key=lambda t: (t[0], t[1]))
    k = 0
    for p in paras:
        while k < len(pending) and (pending[k][0], pending[k][1]) <= (p.page, p.bbox[1]):
            out.append((0, pending[k][2]))
            k += 1
        out.append((1, p))
    out.extend((0, t[2]) for t in pending[k:])
    return out


def text_edges(lines: list) -> tuple[float, float]:
    """(right, left) edge of the text block: most lines reach them."""
    rights = sorted(ln.x1 for ln in lines)
    lefts = sorted(ln.x0 for ln in lines)
    return (rights[int(len(rights) * 0.98)] if rights else 0.0, lefts[int(len(lefts) * 0.1)] if lefts else 0.0)


def page_edges(pages: list[Page], default: tuple[float, float], min_lines: int = 12) -> dict[int, tuple[float, float]]:
    """The text block's edges for each page, by page shape: a landscape page (a wide
    Перечень) or a page of another size has a text block of its own. Shapes with too
    few lines to measure take the document's edges."""
    by_shape: dict[tuple[int, int], list[Page]] = {}
    for pg in pages:
        by_shape.setdefault((round(pg.width / 20), round(pg.height / 20)), []).append(pg)
    if len(by_shape) < 2:
        return {}
    out: dict[int, tuple[float, float]] = {}
    for group in by_shape.values():
        lines = [ln for pg in group for ln in pg.lines]
        edges = text_edges(lines) if len(lines) >= min_lines else default
        for pg in group:
            out[pg.number] = edges
    return out
