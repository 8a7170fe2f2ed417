"""One page image → a :class:`~pipeline.readers.pages.Page` of lines and table cells.

1. photos (uneven light, a desk around the page) are prepared first
   (:mod:`pipeline.readers.photo_prep`: perspective from the page edges,
   illumination flattened, small print enlarged); scans pass unchanged;
2. orientation: a landscape image, or a page that reads badly, is checked with
   Tesseract's OSD (``--psm 0``) and turned, then read again;
3. deskew, and the table grid found from the ruling lines
   (:mod:`pipeline.readers.image_prep`);
4. the ruling lines are erased and the page is read **once**; every word
   lands, by its box, in a grid cell or in the page text, so multi-line cells
   are never interleaved with their neighbours (whole-page text order is what
   breaks tables, not recognition). An empty cell with ink is read alone
   (:func:`~pipeline.readers.tesseract.read_block`);
5. when the prepared page reads worse than the image as it is (fewer sure
   words), the image is read as it is: a page where plain Tesseract finds
   text never comes back empty;
6. per-word confidence is kept: lines and cells carry the mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.models import ExtractionWarning
from pipeline.readers.image_prep import Grid, deskew, erase, find_grids, to_gray
from pipeline.readers.ocr_repair import pair_quotes, repair_ocr_words
from pipeline.readers.pages import Page, PCell, PTable, VLine, order_columns
from pipeline.readers.photo_prep import Prepared, keystone, prepare
from pipeline.readers.settings import DEFAULTS, OcrSettings
from pipeline.readers.tesseract import Word, osd_rotation, read_block, run_tesseract


def _sure(words: list[Word]) -> int:
    """Words Tesseract is sure of: three letters or more at confidence 60 or above."""
    return sum(1 for w in words if w.conf >= 60 and len(w.text) >= 3)


def _mean_conf(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _good(words: list[Word]) -> bool:
    return _sure(words) >= 8


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a is b or (a.size == b.size and a.mode == b.mode and np.array_equal(np.asarray(a), np.asarray(b)))


@dataclass
class PageRead:
    """One page read: the page (boxes in the caller's units), its warnings, and
    how many pixels of the file's (straightened) page image make one unit."""

    page: Page
    warnings: list[ExtractionWarning]
    px_per_unit: float = 1.0
    photo: bool = False  # prepared as a photo (its framing is its own: see readers/photo_pages.py)


def _read_upright(gray: Image.Image, exe: str, dpi: int, st: OcrSettings, prep: Prepared | None = None,
                  notes: list[str] | None = None):
    """Deskew (a photo: and unwarp from its margins), find the table grid, erase
    its ruling lines and OCR the page once."""
    photo = prep is not None and prep.photo
    gray, angle = deskew(gray, st, st.photo_max_skew if photo else None)
    if photo and not prep.unwarped:
        a, drift = keystone(np.asarray(gray), dpi, st)
        if drift:
            gray = Image.fromarray(a)
            if notes is not None:
                notes.append(f"margins converging by {drift} pt straightened")
    grids, mask = find_grids(gray, st, dpi)
    if mask.mean() > st.max_rule_share:
        grids, mask = [], np.zeros_like(mask)  # "rules" over much of the page: shadows or a desk, not a table
    clean_img = erase(gray, mask)
    return gray, angle, grids, clean_img, run_tesseract(clean_img, exe, dpi, st)


def ocr_page(img: Image.Image, page_no: int, exe: str, dpi: int, scale: float | None,
             st: OcrSettings = DEFAULTS.ocr) -> tuple[Page, list[ExtractionWarning]]:
    """OCR one page image; boxes are scaled by ``scale`` (PDF points, or 1.0 for pixels)."""
    r = read_page(img, page_no, exe, dpi, scale, st)
    return r.page, r.warnings


def read_page(img: Image.Image, page_no: int, exe: str, dpi: int, scale: float | None,
              st: OcrSettings = DEFAULTS.ocr, recorded_dpi: bool = True) -> PageRead:
    """OCR one page image. Boxes come in units of ``scale`` per pixel of ``img``
    (PDF points per pixel), or in points at the page's resolution when ``scale``
    is None (``PageRead.px_per_unit`` maps them back to pixels)."""
    warnings: list[ExtractionWarning] = []
    original, file_dpi = to_gray(img), dpi
    prep = prepare(original, dpi, st, recorded_dpi)
    gray, dpi = prep.gray, prep.dpi
    unit = 72.0 / dpi if scale is None else scale / prep.zoom  # caller's units per prepared pixel
    if prep.photo:
        warnings.append(ExtractionWarning(code="ocr_photo", severity="info",
                                          message=f"page {page_no} looks like a photo: {'; '.join(prep.steps)}"))
    zoom = prep.zoom
    turned = 0
    if gray.width > gray.height * 1.15:
        # a landscape image of a portrait order: most likely a sideways photo or scan
        turned = osd_rotation(gray, exe)
        if turned:
            gray = gray.rotate(-turned, expand=True, fillcolor=255)
    notes: list[str] = []
    gray, angle, grids, clean_img, words = _read_upright(gray, exe, dpi, st, prep, notes)
    if turned:
        warnings.append(ExtractionWarning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {turned}° before OCR"))
    elif not _good(words):
        rot = osd_rotation(gray, exe)
        if rot:
            gray = gray.rotate(-rot, expand=True, fillcolor=255)
            gray, angle, grids, clean_img, words = _read_upright(gray, exe, dpi, st, prep, notes)
            warnings.append(ExtractionWarning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {rot}° before OCR"))
    if not _good(words) and not _same(clean_img, original):
        # our preparation may be what lost the text: read the image as it is, keep the better reading
        # (not when nothing was changed: a page with little text, read once already as it is)
        plain = run_tesseract(original, exe, file_dpi, st)
        if _sure(plain) > _sure(words) or (plain and not words):
            warnings.append(ExtractionWarning(code="ocr_read_as_is", severity="info",
                                              message=f"page {page_no}: the prepared image read worse ({_sure(words)} sure words) "
                                                      f"than the image as it is ({_sure(plain)}); read as it is"))
            gray, angle, grids, clean_img, words = original, 0.0, [], original, plain
            dpi, zoom = file_dpi, 1.0
            unit = 72.0 / dpi if scale is None else scale
    px_per_unit = 1.0 / (unit * zoom)
    repaired = repair_ocr_words(words)
    for code, n in repaired.items():
        warnings.append(ExtractionWarning(code="ocr_repaired", severity="info",
                                          message=f"page {page_no}: {n} word(s) with {code} repaired"))
    if abs(angle) >= 0.05:
        warnings.append(ExtractionWarning(code="ocr_deskewed", severity="info", message=f"page {page_no} straightened by {angle:.2f}°"))
    if notes and gray is not original:
        warnings.append(ExtractionWarning(code="ocr_photo", severity="info", message=f"page {page_no}: {'; '.join(dict.fromkeys(notes))}"))
    page, more = _layout(gray, words, grids, clean_img, page_no, exe, dpi, unit, st)
    return PageRead(page, warnings + more, px_per_unit, prep.photo)


def _layout(gray: Image.Image, words: list[Word], grids: list[Grid], clean_img: Image.Image, page_no: int,
            exe: str, dpi: int, scale: float, st: OcrSettings) -> tuple[Page, list[ExtractionWarning]]:
    """Words → the page's visual lines and table cells, boxes times ``scale``."""
    warnings: list[ExtractionWarning] = []
    page = Page(page_no, gray.width * scale, gray.height * scale, ocr=True)
    in_table: set[int] = set()
    cell_reads = 0
    for g in grids:
        rows: list[list[PCell]] = []
        nr, nc = len(g.ys) - 1, len(g.xs) - 1
        boxes: dict[tuple[int, int], list[Word]] = {}
        for idx, w in enumerate(words):
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            if not (g.xs[0] <= cx <= g.xs[-1] and g.ys[0] <= cy <= g.ys[-1]):
                continue
            i = max(0, min(nr - 1, int(np.searchsorted(g.ys, cy)) - 1))
            j = max(0, min(nc - 1, int(np.searchsorted(g.xs, cx)) - 1))
            boxes.setdefault(g.owner[i][j], []).append(w)
            in_table.add(idx)
        for (i, j) in [(i, j) for i in range(nr) for j in range(nc) if g.owner[i][j] == (i, j)]:
            # page OCR skips lone short text ("3.", "5") in a big empty cell, or reads it as
            # junk ("1." → "т" at 11 %) on a photo: read such a cell alone, keep the surer reading
            had = boxes.get((i, j), [])
            short = sum(len(w.text) for w in had) <= 3  # a row number: one misread glyph is the whole cell
            if had and _mean_conf(had) >= (90.0 if short else st.cell_reread_below):
                continue
            found = _ocr_cell(clean_img, g.cell_box(i, j), exe, dpi, st)
            if found and (not had or _mean_conf(found) > _mean_conf(had)):
                boxes[(i, j)] = found
                cell_reads += 1
        cell_reads += _reread_row_numbers(g, boxes, clean_img, exe, dpi, st)
        for i in range(nr):
            row = []
            for j in range(nc):
                o = g.owner[i][j]
                if o != (i, j):
                    row.append(PCell(None, None, None, "left" if o[0] == i else "up"))
                    continue
                ws = boxes.get(o, [])
                x0, y0, x1, y1 = g.cell_box(i, j)
                conf = round(sum(w.conf for w in ws) / len(ws), 1) if ws else None
                row.append(PCell(_cell_lines(ws), tuple(round(v * scale, 1) for v in (x0, y0, x1, y1)), conf,
                                 words=[(w.text, w.conf) for w in _reading_order(ws)] or None))
            if all(not (c.text or "").strip() for c in row if c.text is not None) and any(c.text is not None for c in row):
                warnings.append(ExtractionWarning(code="ocr_table_row_unread", message=f"page {page_no}: table row {i + 1} has ruling lines but no text could be read"))
            rows.append(row)
        page.tables.append(PTable(rows, page_no, g.ys[0] * scale, g.ys[-1] * scale, page.height))
    if cell_reads:
        warnings.append(ExtractionWarning(code="ocr_cell_reread", severity="info",
                                message=f"page {page_no}: {cell_reads} table cell(s) missed or misread by the page pass were read one by one"))
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for idx, w in enumerate(words):
        if idx not in in_table:
            lines.setdefault(w.key, []).append(w)
    for ws in lines.values():
        ws.sort(key=lambda w: w.x0)
        heights = sorted(w.bottom - w.top for w in ws)
        page.lines.append(VLine(
            text=pair_quotes(" ".join(w.text for w in ws)),
            x0=ws[0].x0 * scale, top=min(w.top for w in ws) * scale, x1=ws[-1].x1 * scale,
            bottom=max(w.bottom for w in ws) * scale, page=page_no,
            first_word_w=(ws[0].x1 - ws[0].x0) * scale, size=heights[len(heights) // 2] * scale,
            confidence=round(sum(w.conf for w in ws) / len(ws), 1),
            words=[(w.text, w.conf) for w in ws],
        ))
    page.lines = order_columns(page.lines)
    if not words:
        warnings.append(ExtractionWarning(code="ocr_no_text", message=f"page {page_no}: no text found"))
    return page, warnings


def _ocr_cell(img: Image.Image, box, exe: str, dpi: int, st: OcrSettings, whitelist: str | None = None) -> list[Word]:
    """OCR one cell on its own, if it has ink; words come back in page pixels."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = x0 + 5, y0 + 5, x1 - 5, y1 - 5
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    crop = img.crop((x0, y0, x1, y1))
    ink = int((np.asarray(crop) < 128).sum())
    if ink < 25:
        return []
    pad = 30
    canvas = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
    canvas.paste(crop, (pad, pad))
    words = read_block(canvas, exe, dpi, st, psm=6, whitelist=whitelist)
    for w in words:
        w.x0, w.x1 = w.x0 - pad + x0, w.x1 - pad + x0
        w.top, w.bottom = w.top - pad + y0, w.bottom - pad + y0
    return words


_NUMBER = re.compile(r"\d{1,3}[.)]?")


def _reread_row_numbers(g: Grid, boxes: dict[tuple[int, int], list[Word]], img: Image.Image, exe: str,
                        dpi: int, st: OcrSettings) -> int:
    """A column of row numbers ("1.", "2.", …) where a cell below the first number
    reads as a letter or two ("1." → "Ъ": the Russian model's bias on a lone
    digit): that cell read again allowed digits only, kept when it gives a
    number. Returns how many cells were replaced."""
    fixed = 0
    for j in range(len(g.xs) - 1):
        cells = sorted((i, jj) for (i, jj) in boxes if jj == j)
        texts = {c: "".join(w.text for w in boxes[c]) for c in cells}
        numbers = [c for c in cells if _NUMBER.fullmatch(texts[c])]
        if len(numbers) < 2 or len(numbers) < 0.5 * len(cells):
            continue
        for c in cells:
            if c[0] <= numbers[0][0] or _NUMBER.fullmatch(texts[c]) or len(texts[c]) > 3:
                continue
            found = _read_number(img, g.cell_box(*c), exe, dpi, st)
            if found:
                boxes[c] = found
                fixed += 1
    return fixed


def _read_number(img: Image.Image, box, exe: str, dpi: int, st: OcrSettings) -> list[Word]:
    """A row number alone in its cell, digits only: the print's own box with a
    narrow margin read as one word (Tesseract reads a lone "1." in a tall
    empty cell as nothing, in a tight box as "1."); [] when no number comes."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = x0 + 5, y0 + 5
    crop = np.asarray(img.crop((x0, y0, int(round(box[2])) - 5, int(round(box[3])) - 5))) < 128
    rows, cols = np.nonzero(crop.sum(axis=1) >= 2)[0], np.nonzero(crop.sum(axis=0) >= 2)[0]
    if not len(rows) or not len(cols):
        return []
    bx0, by0, bx1, by1 = x0 + cols[0] - 3, y0 + rows[0] - 3, x0 + cols[-1] + 4, y0 + rows[-1] + 4
    tight = img.crop((bx0, by0, bx1, by1))
    for pad in (6, 10):
        canvas = Image.new("L", (tight.width + 2 * pad, tight.height + 2 * pad), 255)
        canvas.paste(tight, (pad, pad))
        words = read_block(canvas, exe, dpi, st, psm=8, whitelist="0123456789.")
        if words and _NUMBER.fullmatch("".join(w.text for w in words)):
            for w in words:
                w.x0, w.x1 = w.x0 - pad + bx0, w.x1 - pad + bx0
                w.top, w.bottom = w.top - pad + by0, w.bottom - pad + by0
            return words
    return []


def _reading_order(ws: list[Word]) -> list[Word]:
    return [w for ln in _visual_lines(ws) for w in sorted(ln, key=lambda w: w.x0)]


def _visual_lines(ws: list[Word]) -> list[list[Word]]:
    ws = sorted(ws, key=lambda w: (w.top + w.bottom) / 2)
    lines: list[list[Word]] = []
    for w in ws:
        cy = (w.top + w.bottom) / 2
        if lines and abs(cy - sum((x.top + x.bottom) / 2 for x in lines[-1]) / len(lines[-1])) < (w.bottom - w.top) * 0.6:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def _cell_lines(ws: list[Word]) -> str:
    """Words of one cell in reading order, one text line per visual line."""
    if not ws:
        return ""
    return "\n".join(pair_quotes(" ".join(x.text for x in sorted(ln, key=lambda w: w.x0))) for ln in _visual_lines(ws))
