"""One page image → a :class:`~pipeline.readers.pages.Page` of lines and table cells.

1. orientation: a landscape image, or a page that reads badly, is checked with
   Tesseract's OSD (``--psm 0``) and turned, then read again;
2. deskew, and the table grid found from the ruling lines
   (:mod:`pipeline.readers.image_prep`);
3. the ruling lines are erased and the page is read **once**; every word
   lands, by its box, in a grid cell or in the page text, so multi-line cells
   are never interleaved with their neighbours (whole-page text order is what
   breaks tables, not recognition). An empty cell with ink is read alone;
4. per-word confidence is kept: lines and cells carry the mean.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from pipeline.models import ExtractionWarning
from pipeline.readers.image_prep import deskew, erase, find_grids, to_gray
from pipeline.readers.ocr_repair import pair_quotes, repair_short_i
from pipeline.readers.pages import Page, PCell, PTable, VLine, order_columns
from pipeline.readers.settings import DEFAULTS, OcrSettings
from pipeline.readers.tesseract import Word, osd_rotation, run_tesseract


def _good(words: list[Word]) -> bool:
    confident = [w for w in words if w.conf >= 60 and len(w.text) >= 3]
    return len(confident) >= 8


def _read_upright(gray: Image.Image, exe: str, dpi: int, st: OcrSettings):
    """Deskew, find the table grid, erase its ruling lines and OCR the page once."""
    gray, angle = deskew(gray, st)
    grids, mask = find_grids(gray, st)
    clean_img = erase(gray, mask)
    return gray, angle, grids, clean_img, run_tesseract(clean_img, exe, dpi, st)


def ocr_page(img: Image.Image, page_no: int, exe: str, dpi: int, scale: float,
             st: OcrSettings = DEFAULTS.ocr) -> tuple[Page, list[ExtractionWarning]]:
    """OCR one page image; boxes are scaled by ``scale`` (PDF points, or 1.0 for pixels)."""
    warnings: list[ExtractionWarning] = []
    gray = to_gray(img)
    turned = 0
    if gray.width > gray.height * 1.15:
        # a landscape image of a portrait order: most likely a sideways photo or scan
        turned = osd_rotation(gray, exe)
        if turned:
            gray = gray.rotate(-turned, expand=True, fillcolor=255)
    gray, angle, grids, clean_img, words = _read_upright(gray, exe, dpi, st)
    if turned:
        warnings.append(ExtractionWarning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {turned}° before OCR"))
    elif not _good(words):
        rot = osd_rotation(gray, exe)
        if rot:
            gray = gray.rotate(-rot, expand=True, fillcolor=255)
            gray, a2, grids, clean_img, words = _read_upright(gray, exe, dpi, st)
            warnings.append(ExtractionWarning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {rot}° before OCR"))
    repaired = repair_short_i(words)
    if repaired:
        warnings.append(ExtractionWarning(code="ocr_repaired", severity="info",
                                message=f"page {page_no}: {repaired} word(s) with 'й' read as 'и' repaired by dictionary"))
    if abs(angle) >= 0.05:
        warnings.append(ExtractionWarning(code="ocr_deskewed", severity="info", message=f"page {page_no} straightened by {angle:.2f}°"))
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
        for (i, j) in [(i, j) for i in range(nr) for j in range(nc) if g.owner[i][j] == (i, j) and (i, j) not in boxes]:
            # page OCR skips lone short text ("3.", "5") in a big empty cell: read the cell alone
            found = _ocr_cell(clean_img, g.cell_box(i, j), exe, dpi, st)
            if found:
                boxes[(i, j)] = found
                cell_reads += 1
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
                                message=f"page {page_no}: {cell_reads} table cell(s) missed by the page pass were read one by one"))
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


def _ocr_cell(img: Image.Image, box, exe: str, dpi: int, st: OcrSettings) -> list[Word]:
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
    words = run_tesseract(canvas, exe, dpi, st, psm=6)
    for w in words:
        w.x0, w.x1 = w.x0 - pad + x0, w.x1 - pad + x0
        w.top, w.bottom = w.top - pad + y0, w.bottom - pad + y0
    return words


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
