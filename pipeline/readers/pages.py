"""Positioned page content, as the PDF and OCR readers hand it over.

Per page: visual lines (a line of words with its box, :class:`VLine`) and
table fragments (a grid of cells with boxes, :class:`PTable`). This module
also holds what is decided per page before any joining:

- reading order of OCR'd lines, with two side-by-side columns (a bilingual
  letterhead) read one after the other (:func:`order_columns`; a PDF text
  layer decides its columns in :mod:`pipeline.readers.pdf_lines`);
- running headers/footers and page numbers (as Word and LibreOffice page
  fields print them, :func:`is_page_number`), removed (:func:`strip_running_matter`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.readers.settings import DEFAULTS, LayoutSettings

BBox = tuple[float, float, float, float]


@dataclass
class VLine:
    """A visual line on a page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    first_word_w: float = 0.0  # width of the first word (for the paragraph rule)
    bold: bool = False
    size: float = 0.0
    confidence: float | None = None
    words: list[tuple[str, float]] | None = None  # OCR words with confidence

    @property
    def bbox(self) -> BBox:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


@dataclass
class PCell:
    text: str | None  # None: covered by a merged cell above/left (pdfplumber's way)
    bbox: BBox | None = None
    confidence: float | None = None
    merged_from: str = "up"  # for text None: "up" (vertical merge) or "left" (horizontal)
    words: list[tuple[str, float]] | None = None


@dataclass
class PTable:
    """A table fragment found on one page."""

    rows: list[list[PCell]]
    page: int
    top: float
    bottom: float
    page_height: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[VLine] = field(default_factory=list)
    tables: list[PTable] = field(default_factory=list)
    ocr: bool = False


# --- reading order ---------------------------------------------------------------

def order_columns(lines: list[VLine], tol: float = 3.0) -> list[VLine]:
    """Reading order of a page's visual lines (segments split at column gaps).

    Top to bottom, left to right; but where several consecutive rows are split
    into a left and a right segment at about the same x (two columns, e.g. a
    Russian/Altai letterhead side by side), the whole left column is read
    before the right one.
    """
    lines = sorted(lines, key=lambda v: (v.top, v.x0))
    rows: list[list[VLine]] = []
    for ln in lines:
        if rows and abs(rows[-1][0].top - ln.top) <= tol:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: list[VLine] = []
    i = 0
    while i < len(rows):
        gap = _gap(rows[i])
        if gap is None:
            out.extend(rows[i])
            i += 1
            continue
        # extend the run while rows have a gap overlapping this one, or one segment beside it
        lo, hi = gap
        j = i + 1
        splits = 1
        while j < len(rows):
            if rows[j][0].top - rows[j - 1][0].top > 2.5 * max(8.0, rows[j - 1][0].bottom - rows[j - 1][0].top):
                break  # a blank stretch ends the columns
            g = _gap(rows[j])
            mid = (lo + hi) / 2
            if g is not None and min(hi, g[1]) - max(lo, g[0]) >= 10:
                lo, hi = max(lo, g[0]), min(hi, g[1])
                splits += 1
            elif g is None and len(rows[j]) == 1 and (rows[j][0].x1 <= mid or rows[j][0].x0 >= mid):
                pass
            else:
                break
            j += 1
        if splits >= 2:
            mid = (lo + hi) / 2
            run = [ln for r in rows[i:j] for ln in r]
            out.extend(ln for ln in run if ln.x1 <= mid)
            out.extend(ln for ln in run if ln.x1 > mid)
            i = j
        else:
            out.extend(rows[i])
            i += 1
    return out


def _gap(row: list[VLine]) -> tuple[float, float] | None:
    """The empty x-interval between the two segments of a two-segment row."""
    if len(row) != 2:
        return None
    a, b = sorted(row, key=lambda v: v.x0)
    return (a.x1, b.x0)


# --- running headers and footers -------------------------------------------

PAGE_NUMBER = re.compile(r"[-–—]?\s*\d{1,4}\s*[-–—]?|(стр\.|страница)\s*\d+(\s*(из|/)\s*\d+)?", re.I)


def is_page_number(text: str) -> bool:
    """A page number as printed by Word and LibreOffice page fields.

    >>> [is_page_number(t) for t in ("7", "- 7 -", "Страница 2 из 9", "стр. 3", "7 дней")]
    [True, True, True, True, False]
    """
    return bool(PAGE_NUMBER.fullmatch(text.strip()))


def _band_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


MAX_BAND_LINES = 4  # running matter candidates per page edge: the outermost lines of its band


def _band_lines(pg: Page, st: LayoutSettings) -> list[VLine]:
    """The lines of the page's top and bottom bands that can be running matter: at most
    MAX_BAND_LINES at each edge, nearest the edge first (a page drawn with thousands of
    tiny lines in its margin cannot make the repeat count quadratic)."""
    top = sorted((ln for ln in pg.lines if ln.bottom < pg.height * st.margin_band), key=lambda ln: ln.top)
    bottom = sorted((ln for ln in pg.lines if ln.top > pg.height * (1 - st.margin_band)), key=lambda ln: -ln.bottom)
    return top[:MAX_BAND_LINES] + bottom[:MAX_BAND_LINES]


def strip_running_matter(pages: list[Page], st: LayoutSettings = DEFAULTS.layout) -> int:
    """Remove page numbers and lines repeated in the top/bottom band. Returns how many."""
    def in_band(ln: VLine, pg: Page) -> bool:
        return ln.bottom < pg.height * st.margin_band or ln.top > pg.height * (1 - st.margin_band)

    from rapidfuzz import fuzz, process

    pages_of: dict[str, set[int]] = {}
    for pg in pages:
        for ln in _band_lines(pg, st):
            pages_of.setdefault(_band_key(ln.text), set()).add(pg.number)
    keys = list(pages_of)
    counts: Counter[str] = Counter()
    for key, seen in pages_of.items():
        # pages whose band has this line, exactly or nearly (OCR varies a few letters); the
        # near ones found by rapidfuzz's C loop over the distinct lines
        found = set(seen)
        if len(key) > 12:
            for near, _, _ in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=80, limit=None):
                found |= pages_of[near]
        counts[key] = len(found)
    n_pages = len(pages)
    removed = 0
    for pg in pages:
        keep = []
        for ln in pg.lines:
            if in_band(ln, pg):
                t = ln.text.strip()
                bare_number = is_page_number(t)
                repeated = n_pages >= 2 and counts[_band_key(t)] >= max(2, st.repeat_share * n_pages)
                if bare_number or repeated:
                    removed += 1
                    continue
            keep.append(ln)
        pg.lines = keep
    return removed
