"""PDF orders: the text layer through pdfplumber, page by page; pages without
a text layer go to OCR (:mod:`pipeline.readers.ocr`), so a mixed PDF (typed
order + scanned signed appendix) reads page by page.

Per page: tables found from ruling lines (``PdfSettings.table``) and read through
the table finder, not the page text (pdfplumber interleaves multi-line cells with
their neighbours in ``extract_text``); words inside a table are not page text.
The other words are grouped into rows whose gaps are read as justification, tabs
or column gutters (:mod:`pipeline.readers.pdf_lines`); tables drawn with
whitespace only are found from columns aligned over many rows
(:mod:`pipeline.readers.ws_tables`); the rest become visual lines in reading order
(two columns one after the other). Pages rotated by ``/Rotate`` or laid out in
landscape come upright from pdfminer. A scanned page that carries a text layer
from scanner software is read from that layer when its words are dictionary
words, else by OCR (:mod:`pipeline.readers.text_layer`). Assembly (running
matter, paragraphs, hyphens, tables over page breaks) is in
:mod:`pipeline.readers.layout`, shared with OCR.

Memory stays bounded on long files: each page's layout cache is released after
it is read; only the extracted lines are kept. ``on_page(done, total)`` reports
progress. Tunables are in :class:`~pipeline.readers.settings.PdfSettings`.

Limits, checked before the expensive work: a PDF of more than
:data:`MAX_PAGES` pages is refused from its page count (pdfium reads the page
tree in C, ~0.3 s for 200,000 pages; pdfminer would build every page first). A
page that would go to OCR is rendered only when its size (MediaBox/CropBox ×
UserUnit) at the OCR resolution and every image it holds (the stream's
Width × Height, read without decoding) stay within ``OcrSettings.max_pixels``,
the cap standalone images have; otherwise the page is skipped with a
``page_too_large`` warning, and a PDF with nothing else to read is refused with
that reason. Nothing relies on catching MemoryError.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Callable

from pipeline.document import SourceText
from pipeline.errors import CorruptFile, EmptyInput, EncryptedFile, TooLarge
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader, check_text_size
from pipeline.readers.layout import assemble
from pipeline.readers.pages import Page, PCell, PTable
from pipeline.readers.pdf_lines import group_lines, page_rows
from pipeline.readers.settings import DEFAULTS, PdfSettings, ReaderSettings
from pipeline.readers.text_layer import LayerCheck, check_layer, decision_warnings, image_share
from pipeline.readers.ws_tables import find_ws_tables

log = logging.getLogger(__name__)

MAX_PAGES = 1000  # pages per PDF: a bundle of orders is a few hundred pages at most
# rows × columns of ruling on one page beyond which tables are not looked for: pdfplumber's table
# finder grows faster than the cells (10,000 cells: 14 s, 22,000: 65 s); a Перечень page has a few hundred
MAX_RULING_GRID = 5000


def page_count(data: bytes) -> int | None:
    """The number of pages, from pdfium (fast, no page parsed); None when pdfium cannot open the file."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - encrypted or damaged: pdfminer says why below
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def _number(value, default: float = 0.0) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if v == v else default  # NaN


def oversize(pg, number: int, max_pixels: int, dpi: int) -> str | None:
    """Why page ``number`` cannot be rendered for OCR, or its images decoded, within
    ``max_pixels``; None when it can. Reads sizes only, never pixels."""
    unit = _number(pg.page_obj.attrs.get("UserUnit"), 1.0) or 1.0
    boxes = [b for b in (pg.mediabox, pg.cropbox) if b]
    w = max([abs(_number(b[2]) - _number(b[0])) for b in boxes] + [_number(pg.width)]) * unit
    h = max([abs(_number(b[3]) - _number(b[1])) for b in boxes] + [_number(pg.height)]) * unit
    px = (w * dpi / 72) * (h * dpi / 72)
    if not px <= max_pixels:
        return f"page {number} is {w:,.0f} × {h:,.0f} pt ({px / 1e6:,.0f} megapixels at {dpi} dpi)"
    for im in pg.images:
        size = im.get("srcsize") or (0, 0)
        iw, ih = _number(size[0]), _number(size[1])
        if not iw * ih <= max_pixels:
            return f"page {number} holds a {iw:,.0f} × {ih:,.0f}-pixel image ({iw * ih / 1e6:,.0f} megapixels)"
    return None


def open_pdf(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - forces the page tree to be parsed here
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise EncryptedFile(path, "the PDF is encrypted (password protected)") from None
    except PDFSyntaxError as exc:
        raise CorruptFile(path, f"not a readable PDF ({exc})", hint="export the PDF again") from None
    except Exception as exc:  # pdfminer raises a zoo of errors on broken files
        inner = exc.args[0] if exc.args else None
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(exc).lower() \
                or "encrypt" in type(exc).__name__.lower():
            raise EncryptedFile(path, "the PDF is encrypted (password protected)") from None
        raise CorruptFile(path, f"not a readable PDF ({type(exc).__name__}: {exc})", hint="export the PDF again") from None
    return pdf


def ruling_grid(pg) -> int:
    """Rows × columns of the grid the page's ruling lines could make (distinct heights of its
    horizontal edges × distinct positions of its vertical ones, to the point): what the table
    finder's work grows with, read before it runs."""
    ys, xs = set(), set()
    for e in pg.edges:
        (ys if e.get("orientation") == "h" else xs).add(round(float(e.get("top", 0) if e.get("orientation") == "h" else e.get("x0", 0))))
    return len(ys) * len(xs)


def text_page(pg, number: int, st: PdfSettings = DEFAULTS.pdf, tables: bool = True) -> Page:
    """Visual lines and table fragments of a page with a text layer (``tables=False``: lines only)."""
    page = Page(number, float(pg.width), float(pg.height))
    found = pg.find_tables(st.table.as_pdfplumber()) if tables else []
    boxes = []
    for t in found:
        grid = t.extract()
        if not grid or len(grid) < 2 or len(grid[0]) < 2:
            continue  # a framed paragraph is not a table
        boxes.append(t.bbox)
        page.tables.append(PTable(_cells(t, grid), number, float(t.bbox[1]), float(t.bbox[3]), page.height))
    words = pg.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["fontname", "size"])
    if boxes:
        words = [w for w in words if not _inside(w, boxes)]
    spaces = [c for c in pg.chars if c.get("text") == " "]
    rows = page_rows(words, spaces, st)
    ws_tables, rows = find_ws_tables(rows, number, page.height, st)
    page.tables.extend(ws_tables)
    page.lines = group_lines(rows, number, page.width, st)
    return page


def _drawn(pg) -> bool:
    """The page shows something besides its few characters: an image (a scan) or
    many vector paths (text converted to outlines); then it is worth OCR."""
    return bool(pg.images) or len(pg.curves) > 20


def _inside(w: dict, boxes) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _cells(table, grid) -> list[list[PCell]]:
    rows = []
    col_x1: dict[int, float] = {}
    for r in table.rows:
        for c, bb in enumerate(r.cells):
            if bb is not None and c not in col_x1:
                col_x1[c] = bb[2]
    for ri, r in enumerate(table.rows):
        out = []
        for c, bb in enumerate(r.cells):
            text = grid[ri][c] if c < len(grid[ri]) else None
            if bb is None:
                # covered by a merge: horizontal when the cell to the left reaches over this column
                left = next((r.cells[k] for k in range(c - 1, -1, -1) if r.cells[k] is not None), None)
                how = "left" if left is not None and c in col_x1 and left[2] >= col_x1[c] - 1 else "up"
                out.append(PCell(None, None, None, how))
            else:
                out.append(PCell(text or "", tuple(round(float(v), 1) for v in bb)))
        rows.append(out)
    return rows


class PdfReader(Reader):
    name = "pdf"
    format = "pdf"
    extensions = (".pdf",)

    def __init__(self, settings: ReaderSettings = DEFAULTS):
        self.settings = settings

    def read(self, path: Path, data: bytes, on_page: Callable[[int, int], None] | None = None) -> SourceText:
        st = self.settings
        total = page_count(data)
        if total is not None and total > MAX_PAGES:
            raise TooLarge(path, f"{total:,} pages, too large for one order (limit {MAX_PAGES:,} pages)",
                           hint="split the file into its orders")
        pdf = open_pdf(path, data)
        cap = f"too large for OCR (limit {st.ocr.max_pixels / 1e6:,.0f} megapixels)"
        skipped: list[str] = []
        chars_seen = 0
        try:
            total = len(pdf.pages)
            if total == 0:
                raise EmptyInput(path, "the PDF has no pages")
            if total > MAX_PAGES:
                raise TooLarge(path, f"{total:,} pages, too large for one order (limit {MAX_PAGES:,} pages)",
                               hint="split the file into its orders")
            pages: list[Page] = []
            ocr_pages: list[int] = []
            layers: list[LayerCheck] = []
            warnings: list[ExtractionWarning] = []
            ocr_job = None
            for i in range(total):
                pg = pdf.pages[i]
                try:
                    n_chars = sum(1 for ch in pg.chars if not ch.get("text", " ").isspace())
                    chars_seen += len(pg.chars)
                    check_text_size(path, chars_seen, 0, at_least=True)  # before words, lines and tables are built
                    too_large = oversize(pg, i + 1, st.ocr.max_pixels, st.ocr.default_dpi)
                    page = None
                    if n_chars >= st.pdf.min_text_chars or not _drawn(pg) or too_large:
                        grid = ruling_grid(pg)
                        if grid > MAX_RULING_GRID:
                            warnings.append(ExtractionWarning(code="page_tables_skipped", severity="warning", message=(
                                f"page {i + 1}: its ruling lines make a grid of {grid:,} cells, more than a table of an "
                                f"order has (limit {MAX_RULING_GRID:,}); read as text, tables not looked for")))
                        # text, or an empty page (a section's blank page)
                        page = text_page(pg, i + 1, st.pdf, tables=grid <= MAX_RULING_GRID)
                    if too_large and n_chars < st.pdf.min_text_chars:
                        skipped.append(too_large)  # its text layer, if any, is all there is: never rendered
                        warnings.append(ExtractionWarning(code="page_too_large", severity="error",
                                                          message=f"{too_large}: {cap}; not read"))
                    elif page is not None and not too_large and image_share(pg) >= st.pdf.scan_image_share:
                        # a scan with the text layer of scanner software: use it only when it reads
                        check = check_layer(page, st.pdf.text_layer_min_known, data, st.ocr)
                        layers.append(check)
                        if not check.used:
                            page = None
                    if page is not None:
                        pages.append(page)
                    else:
                        ocr_pages.append(i + 1)
                        pages.append(Page(i + 1, float(pg.width), float(pg.height), ocr=True))
                finally:
                    pg.close()  # drop the page's layout cache: memory stays flat on long files
                if on_page:
                    on_page(i + 1, total)
                if total >= 50 and ((i + 1) % 25 == 0 or i + 1 == total):
                    log.info("%s: page %d of %d read", path, i + 1, total)
            if ocr_pages:
                from pipeline.readers.ocr import OcrJob

                ocr_job = OcrJob(path, st.ocr)
                for page_no, ocr_page, warns in ocr_job.pdf_pages(data, ocr_pages):
                    pages[page_no - 1] = ocr_page
                    warnings.extend(warns)
        finally:
            pdf.close()
        b, warns = assemble(pages, st.layout)
        if skipped and not any(ln.text.strip() for ln in b.lines):
            raise TooLarge(path, f"{skipped[0]}, {cap}" + (f"; {len(skipped) - 1} more such pages" if len(skipped) > 1 else ""),
                           hint="scan or export it again at a normal paper size, 200–300 dpi")
        warnings = warns + warnings
        rejected = {c.page for c in layers if not c.used}
        no_text = [n for n in ocr_pages if n not in rejected]
        if no_text and len(no_text) < total:
            warnings.insert(0, ExtractionWarning(code="mixed_pdf", severity="info",
                                       message=f"pages {_ranges(no_text)} have no text layer and were read by OCR"))
        warnings[:0] = decision_warnings(layers, st.pdf.text_layer_min_known)
        fmt_ocr = bool(ocr_pages)
        src = b.build(path=str(path), format="pdf", reader=self.name + ("+ocr" if fmt_ocr else ""),
                      encoding=None, ocr=fmt_ocr, pages=total, warnings=warnings)
        if fmt_ocr:
            from pipeline.readers.ocr import low_confidence_warnings

            low_confidence_warnings(src, st.ocr)
        return src


def _ranges(nums: list[int]) -> str:
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)
