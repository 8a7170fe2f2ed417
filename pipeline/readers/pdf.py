"""PDF orders: the text layer through pdfplumber, page by page; pages without
a text layer go to OCR (:mod:`pipeline.readers.ocr`), so a mixed PDF (typed
order + scanned signed appendix) reads page by page.

Per page: words grouped into visual lines (reading order top to bottom, left to
right), tables found from ruling lines (``PdfSettings.table``) and read through the
table finder, not the page text (pdfplumber interleaves multi-line cells with
their neighbours in ``extract_text``). Words inside a table are not page text.
Assembly (running matter, paragraphs, hyphens, tables over page breaks) is in
:mod:`pipeline.readers.layout`, shared with OCR.

Memory stays bounded on long files: each page's layout cache is released after
it is read; only the extracted lines are kept. ``on_page(done, total)`` reports
progress. Tunables are in :class:`~pipeline.readers.settings.PdfSettings`.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Callable

from pipeline.document import SourceText
from pipeline.errors import CorruptFile, EmptyInput, EncryptedFile
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader
from pipeline.readers.layout import assemble
from pipeline.readers.pages import Page, PCell, PTable, VLine, order_columns
from pipeline.readers.settings import DEFAULTS, PdfSettings, ReaderSettings

log = logging.getLogger(__name__)


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


def text_page(pg, number: int, st: PdfSettings = DEFAULTS.pdf) -> Page:
    """Visual lines and table fragments of a page with a text layer."""
    page = Page(number, float(pg.width), float(pg.height))
    found = pg.find_tables(st.table.as_pdfplumber())
    boxes = []
    for t in found:
        grid = t.extract()
        if not grid or len(grid) < 2 or len(grid[0]) < 2:
            continue  # a framed paragraph is not a table
        boxes.append(t.bbox)
        page.tables.append(PTable(_cells(t, grid), number, float(t.bbox[1]), float(t.bbox[3]), page.height))
    words = pg.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["fontname", "size"])
    words = [w for w in words if not _inside(w, boxes)]
    page.lines = group_lines(words, number, st)
    return page


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


def group_lines(words: list[dict], page: int, st: PdfSettings = DEFAULTS.pdf) -> list[VLine]:
    """pdfplumber words → visual lines in reading order, split at column gaps."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    lines: list[list[dict]] = []
    for w in words:
        for ln in reversed(lines[-3:]):
            if abs(ln[0]["top"] - w["top"]) <= st.line_tolerance:
                ln.append(w)
                break
        else:
            lines.append([w])
    out = []
    for ln in lines:
        ln.sort(key=lambda w: w["x0"])
        # a wide gap splits a visual line into segments: two columns (a bilingual
        # letterhead) or "Председатель ........ А.В. Эммануилиди" on one line
        seg: list[dict] = [ln[0]]
        for w in ln[1:]:
            if w["x0"] - seg[-1]["x1"] > st.column_gap:
                out.append(_vline(seg, page))
                seg = [w]
            else:
                seg.append(w)
        out.append(_vline(seg, page))
    return order_columns(out)


def _vline(ws: list[dict], page: int) -> VLine:
    sizes = sorted(w.get("size", 0) for w in ws)
    return VLine(
        text=" ".join(w["text"] for w in ws),
        x0=ws[0]["x0"], top=min(w["top"] for w in ws), x1=ws[-1]["x1"], bottom=max(w["bottom"] for w in ws),
        page=page, first_word_w=ws[0]["x1"] - ws[0]["x0"],
        bold=sum("bold" in str(w.get("fontname", "")).lower() for w in ws) > len(ws) / 2,
        size=sizes[len(sizes) // 2],
    )


class PdfReader(Reader):
    name = "pdf"
    format = "pdf"
    extensions = (".pdf",)

    def __init__(self, settings: ReaderSettings = DEFAULTS):
        self.settings = settings

    def read(self, path: Path, data: bytes, on_page: Callable[[int, int], None] | None = None) -> SourceText:
        st = self.settings
        pdf = open_pdf(path, data)
        try:
            total = len(pdf.pages)
            if total == 0:
                raise EmptyInput(path, "the PDF has no pages")
            pages: list[Page] = []
            ocr_pages: list[int] = []
            warnings: list[ExtractionWarning] = []
            ocr_job = None
            for i in range(total):
                pg = pdf.pages[i]
                try:
                    n_chars = sum(1 for ch in pg.chars if not ch.get("text", " ").isspace())
                    if n_chars >= st.pdf.min_text_chars:
                        pages.append(text_page(pg, i + 1, st.pdf))
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
        warnings = warns + warnings
        if ocr_pages and len(ocr_pages) < total:
            warnings.insert(0, ExtractionWarning(code="mixed_pdf", severity="info",
                                       message=f"pages {_ranges(ocr_pages)} have no text layer and were read by OCR"))
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
