"""Scans that carry a text layer: use it when it reads, OCR the page again when it is junk.

Scanner software (ABBYY, Tesseract's PDF output, the copier's "searchable PDF")
lays its own OCR under or over the page image as invisible text (render mode 3).
Its quality ranges from good to junk (Russian read as English: "MUHUCTEPCTBO").
A page is taken for such a scan when one image covers ``PdfSettings.scan_image_share``
of it; its text layer is measured by the share of dictionary words
(:func:`pipeline.nlp.is_known_word`) among its words of three letters or more
and used when that share reaches ``PdfSettings.text_layer_min_known``; otherwise
the page is read by our OCR. A scanned table is the other case: scanner OCR
reads a ruled table badly (cells missed, lines run across cells) and its text
layer keeps no cells, so a page whose text layer falls apart into short pieces
(:func:`fragmented`) has its image searched for ruling lines, and a page with a
ruled table is read by our OCR, which reads each cell inside the lines. The
decisions are reported as info warnings (:func:`decision_warnings`) with the
measured shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import ExtractionWarning
from pipeline.readers.pages import Page
from pipeline.readers.settings import DEFAULTS, OcrSettings

_TOKEN = re.compile(r"[^\W\d_]{3,}")
MAX_TOKENS = 400  # enough to measure a page; keeps the test cheap on long pages


@dataclass
class LayerCheck:
    page: int
    known: int
    total: int
    used: bool
    table: bool = False  # rejected although readable: the page holds a table

    @property
    def share(self) -> float:
        return self.known / self.total if self.total else 0.0


def image_share(pg) -> float:
    """Share of the page area covered by its largest image (pdfplumber page)."""
    area = float(pg.width) * float(pg.height)
    best = 0.0
    for im in pg.images:
        w = min(float(im["x1"]), float(pg.width)) - max(float(im["x0"]), 0.0)
        h = min(float(im["bottom"]), float(pg.height)) - max(float(im["top"]), 0.0)
        if w > 0 and h > 0:
            best = max(best, w * h / area)
    return best


def page_tokens(page: Page) -> list[str]:
    texts = [ln.text for ln in page.lines]
    texts += [c.text for t in page.tables for r in t.rows for c in r if c.text]
    return [t for text in texts for t in _TOKEN.findall(text)]


def known_share(tokens: list[str]) -> tuple[int, int]:
    """(dictionary words, words measured) over at most ``MAX_TOKENS`` evenly spread tokens.

    >>> known_share("Министерство социальной защиты MUHUCTEPCTBO COLIMAJIBHOM".split())
    (3, 5)
    """
    from pipeline.nlp import is_known_word

    if len(tokens) > MAX_TOKENS:
        step = len(tokens) / MAX_TOKENS
        tokens = [tokens[int(k * step)] for k in range(MAX_TOKENS)]
    return sum(is_known_word(t) for t in tokens), len(tokens)


def fragmented(page: Page, min_lines: int = 15, share: float = 0.6) -> bool:
    """Most visual lines of the page are short pieces (under a third of the page
    width): table cells rather than lines of text."""
    lines = page.lines
    if len(lines) < min_lines:
        return False
    return sum(ln.x1 - ln.x0 < page.width / 3 for ln in lines) >= share * len(lines)


def image_has_ruled_table(data: bytes, page_no: int, st: OcrSettings = DEFAULTS.ocr) -> bool:
    """Does the scanned image of page ``page_no`` (1-based) hold a table drawn with ruling lines?"""
    from pipeline.readers.image_prep import find_grids, to_gray
    from pipeline.readers.ocr import pdf_page_image

    img, _, _ = pdf_page_image(data, page_no, st.default_dpi)
    grids, _ = find_grids(to_gray(img), st)
    return bool(grids)


def check_layer(page: Page, min_known: float, data: bytes | None = None, st: OcrSettings = DEFAULTS.ocr) -> LayerCheck:
    """Use the text layer of a scanned page (read into ``page``) or not; ``data``
    (the PDF's bytes) lets a fragmented page's image be searched for a ruled table."""
    known, total = known_share(page_tokens(page))
    readable = total > 0 and known / total >= min_known
    table = readable and data is not None and fragmented(page) and image_has_ruled_table(data, page.number, st)
    return LayerCheck(page.number, known, total, readable and not table, table)


def decision_warnings(checks: list[LayerCheck], min_known: float) -> list[ExtractionWarning]:
    out = []
    for kind in ("used", "poor", "table"):
        cs = [c for c in checks if (c.used, c.table) == {"used": (True, False), "poor": (False, False), "table": (False, True)}[kind]]
        if not cs:
            continue
        shares = ", ".join(f"page {c.page}: {c.share:.0%} of {c.total}" for c in cs[:12])
        if len(cs) > 12:
            shares += f", … ({len(cs) - 12} more pages)"
        if kind == "used":
            out.append(ExtractionWarning(code="text_layer_used", severity="info", message=(
                f"{len(cs)} scanned page(s) carry a text layer from scanner software; it was used "
                f"(dictionary words {shares}; at least {min_known:.0%} needed)")))
        elif kind == "poor":
            out.append(ExtractionWarning(code="text_layer_rejected", severity="info", message=(
                f"{len(cs)} scanned page(s) carry a text layer too poor to use (dictionary words {shares}; "
                f"at least {min_known:.0%} needed); they were read by OCR")))
        else:
            out.append(ExtractionWarning(code="text_layer_rejected", severity="info", message=(
                f"{len(cs)} scanned page(s) hold a ruled table; their text layer (dictionary words {shares}) keeps "
                f"no cells and falls apart into pieces, so they were read by OCR, cell by cell")))
    return out
