"""Scans: pages without a text layer and images (PNG, JPEG, TIFF) through Tesseract.

Per page image:
1. orientation: EXIF for photos; a page that reads badly is checked with
   Tesseract's OSD (``--psm 0``) and turned, then read again;
2. deskew: the angle whose horizontal projection profile is sharpest (±4°);
3. the table grid is found from ruling lines on the image (:func:`find_grid`)
   so the Перечень keeps its cells; merged cells are the missing rules;
4. the ruling lines are erased and the page is read **once** by ``tesseract
   -l rus tsv``; every word lands, by its box, in a grid cell or in the page
   text, so multi-line cells are never interleaved with their neighbours
   (whole-page text order is what breaks tables, not recognition);
5. per-word confidence is kept: lines and cells carry the mean, and values
   below ``LOW_CONFIDENCE`` become warnings with their span.

Pages are read in parallel Tesseract processes with ``OMP_THREAD_LIMIT=1``
(one process per core is ~2.6× faster than one multi-threaded process).
Tesseract and its ``rus`` data are checked once, when an OCR job starts.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from pipeline.errors import CorruptFile, EmptyInput, MissingDependency, TooLarge
from pipeline.models import Warning
from pipeline.document import SourceText
from pipeline.readers.base import Reader
from pipeline.readers.layout import PCell, Page, PTable, VLine, assemble, order_columns

INSTALL_HINT = "install it: sudo apt-get install tesseract-ocr tesseract-ocr-rus (or run scripts/system-deps.sh)"
LOW_CONFIDENCE = 60.0  # mean word confidence below this is reported
MAX_PIXELS = 60_000_000  # a 600-dpi A3 page; refuse larger images (decompression bombs)
DEFAULT_DPI = 300


@dataclass
class OcrSettings:
    """Tunables of the scan path, named in one place."""

    lang: str = "rus"
    psm: int = 3
    ink_threshold: int = 160  # grey level below which a pixel is ink (rules detection)
    min_rule_h: float = 0.12  # horizontal rule: at least this share of the page width
    min_rule_v: int = 40  # vertical rule: at least this many pixels long
    max_skew: float = 4.0
    timeout: int = 120


SETTINGS = OcrSettings()


def tesseract_cmd() -> str:
    return os.environ.get("REGISTRY_TESSERACT", "tesseract")


@lru_cache(maxsize=4)
def _check(cmd: str, lang: str) -> tuple[bool, str]:
    exe = shutil.which(cmd)
    if exe is None:
        return False, f"Tesseract OCR is not installed ('{cmd}' not found); scans and images need it"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"Tesseract OCR does not run ({exc})"
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    if lang not in langs:
        return False, f"Tesseract has no '{lang}' language data; scans of Russian orders need it"
    return True, exe


def check_tesseract(path: Path | None, lang: str = "rus") -> str:
    """Path of the tesseract binary, or MissingDependency naming the file."""
    ok, msg = _check(tesseract_cmd(), lang)
    if not ok:
        raise MissingDependency(path, msg, hint=INSTALL_HINT)
    return msg


# --- image preparation ----------------------------------------------------------

def to_gray(img: Image.Image) -> Image.Image:
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        bg = Image.new("RGB", img.size, "white")
        img = img.convert("RGBA")
        bg.paste(img, mask=img.split()[-1])
        img = bg
    return img.convert("L")


def estimate_skew(gray: Image.Image, max_angle: float = 4.0) -> float:
    """Angle (degrees, PIL's counter-clockwise convention) that makes text lines horizontal."""
    small = gray.copy()
    small.thumbnail((700, 700))
    ink = Image.eval(small, lambda v: 255 if v < 150 else 0)
    best, best_score = 0.0, -1.0
    for coarse in (True, False):
        angles = np.arange(-max_angle, max_angle + 0.01, 0.5) if coarse else np.arange(best - 0.4, best + 0.41, 0.1)
        for a in angles:
            rot = np.asarray(ink.rotate(float(a), resample=Image.NEAREST, fillcolor=0), dtype=np.float32)
            prof = rot.sum(axis=1)
            score = float(np.square(np.diff(prof)).sum())
            if score > best_score:
                best, best_score = float(a), score
    return round(best, 2)


def deskew(gray: Image.Image, st: OcrSettings = SETTINGS) -> tuple[Image.Image, float]:
    angle = estimate_skew(gray, st.max_skew)
    if abs(angle) < 0.05:
        return gray, 0.0
    return gray.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255), angle


# --- ruling lines and grid --------------------------------------------------------

def _runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """(row, start, end) of horizontal runs of True at least ``min_len`` long."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    starts = np.argwhere(d == 1)
    ends = np.argwhere(d == -1)
    lengths = ends[:, 1] - starts[:, 1]
    keep = lengths >= min_len
    return np.column_stack([starts[keep, 0], starts[keep, 1], ends[keep, 1]])


def _merge_rules(runs: np.ndarray, tol: int = 4) -> list[list[float]]:
    """Adjacent runs (a rule a few pixels thick, or broken by skew) → [pos, a, b, t0, t1]."""
    rules: list[list[float]] = []
    for y, a, b in sorted(runs.tolist()):
        for r in rules[-12:]:
            if y - r[4] <= tol and a <= r[2] + tol and b >= r[1] - tol:
                r[1], r[2], r[4] = min(r[1], a), max(r[2], b), y
                break
        else:
            rules.append([float(y), float(a), float(b), float(y), float(y)])
    for r in rules:
        r[0] = (r[3] + r[4]) / 2
    return rules


def _cluster(vals: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(vals):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _coverage(segs: list[tuple[float, float]], a: float, b: float) -> float:
    if b <= a:
        return 1.0
    covered = 0.0
    cur = a
    for s, e in sorted(segs):
        s, e = max(s, cur), min(e, b)
        if e > s:
            covered += e - s
            cur = e
    return covered / (b - a)


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    # owner[i][j] = (i0, j0): the grid unit whose merged cell covers (i, j)
    owner: list[list[tuple[int, int]]]

    def cell_box(self, i: int, j: int) -> tuple[float, float, float, float]:
        units = [(a, b) for a, row in enumerate(self.owner) for b, o in enumerate(row) if o == (i, j)]
        return (self.xs[min(b for _, b in units)], self.ys[min(a for a, _ in units)],
                self.xs[max(b for _, b in units) + 1], self.ys[max(a for a, _ in units) + 1])


def find_grids(gray: Image.Image, st: OcrSettings = SETTINGS) -> tuple[list[Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of those lines (to erase)."""
    a = np.asarray(gray) < st.ink_threshold
    h, w = a.shape
    thick = a.copy()
    thick[1:] |= a[:-1]
    thick[:-1] |= a[1:]
    h_rules = [r for r in _merge_rules(_runs(thick, max(60, int(w * 0.04)))) if r[2] - r[1] >= 60]
    thick_v = a.copy()
    thick_v[:, 1:] |= a[:, :-1]
    thick_v[:, :-1] |= a[:, 1:]
    v_rules = [r for r in _merge_rules(_runs(thick_v.T.copy(), st.min_rule_v))]
    mask = np.zeros_like(a)
    for y, x0, x1, t0, t1 in h_rules:
        mask[max(0, int(t0) - 2):int(t1) + 3, int(x0):int(x1) + 1] = True
    for x, y0, y1, t0, t1 in v_rules:
        mask[int(y0):int(y1) + 1, max(0, int(t0) - 2):int(t1) + 3] = True
    long_h = sorted((r for r in h_rules if r[2] - r[1] >= w * st.min_rule_h), key=lambda r: r[1] - r[2])
    grids: list[Grid] = []
    used: set[int] = set()
    taken: list[tuple[float, float, float, float]] = []  # (left, top, right, bottom) of found tables
    for k, base in enumerate(long_h):
        if k in used:
            continue
        if any(t[0] - 10 <= base[1] and base[2] <= t[2] + 10 and t[1] - 6 <= base[0] <= t[3] + 6 for t in taken):
            used.add(k)
            continue  # a partial rule inside a table found already (under merged cells)
        # rules of one table: long horizontals sharing the extent of the widest one
        group = [r for j, r in enumerate(long_h) if j not in used and abs(r[1] - base[1]) < 15 and abs(r[2] - base[2]) < 15]
        for j, r in enumerate(long_h):
            if r in group:
                used.add(j)
        if len(group) < 2:
            continue
        top, bottom = min(r[0] for r in group), max(r[0] for r in group)
        left, right = base[1], base[2]
        verts = [r for r in v_rules if left - 8 <= r[0] <= right + 8 and r[2] >= top - 8 and r[1] <= bottom + 8]
        xs = _cluster([r[0] for r in verts] + [left, right], 10)
        xs = [x for x in xs if left - 12 <= x <= right + 12]
        # every horizontal rule inside the table (partial ones too) is a row boundary
        inner = [r for r in h_rules if top - 6 <= r[0] <= bottom + 6 and r[1] >= left - 10 and r[2] <= right + 10]
        ys = _cluster([r[0] for r in inner], 8)
        if len(xs) < 3 or len(ys) < 2:
            continue
        taken.append((left, top, right, bottom))
        nr, nc = len(ys) - 1, len(xs) - 1
        owner = [[(i, j) for j in range(nc)] for i in range(nr)]
        for i in range(nr):
            for j in range(nc):
                if i > 0:
                    segs = [(r[1], r[2]) for r in inner if abs(r[0] - ys[i]) <= 6]
                    if _coverage(segs, xs[j] + 6, xs[j + 1] - 6) < 0.6:
                        owner[i][j] = owner[i - 1][j]
                        continue
                if j > 0:
                    segs = [(r[1], r[2]) for r in verts if abs(r[0] - xs[j]) <= 6]
                    if _coverage(segs, ys[i] + 6, ys[i + 1] - 6) < 0.6:
                        owner[i][j] = owner[i][j - 1]
        grids.append(Grid(xs, ys, owner))
    return grids, mask


# --- tesseract ---------------------------------------------------------------------

@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    key: tuple[int, int, int]  # block, paragraph, line


def run_tesseract(img: Image.Image, exe: str, dpi: int, st: OcrSettings = SETTINGS, psm: int | None = None) -> list[Word]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="registry-ocr-") as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: PNG encoding cost 0.7 s a page
        img.convert("L").save(src, "PPM")
        proc = subprocess.run([exe, str(src), "stdout", "-l", st.lang, "--psm", str(psm or st.psm), "--dpi", str(dpi), "tsv"],
                              capture_output=True, text=True, env=env, timeout=st.timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"tesseract exit {proc.returncode}")
    words = []
    for row in proc.stdout.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        x, y, w_, h_ = (int(v) for v in parts[6:10])
        words.append(Word(parts[11].strip(), x, y, x + w_, y + h_, float(parts[10]),
                          (int(parts[2]), int(parts[3]), int(parts[4]))))
    return words


def osd_rotation(img: Image.Image, exe: str) -> int:
    """Degrees to rotate (counter-clockwise, PIL) so the text stands upright; 0 if unsure."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="registry-osd-") as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: PNG encoding cost 0.7 s a page
        img.convert("L").save(src, "PPM")
        proc = subprocess.run([exe, str(src), "stdout", "--psm", "0"], capture_output=True, text=True, env=env, timeout=60)
    for ln in proc.stdout.splitlines():
        if ln.startswith("Rotate:"):
            return int(ln.split(":")[1].strip())
    return 0


@lru_cache(maxsize=1)
def _morph():
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer()
    except Exception:  # noqa: BLE001 - the repair is optional
        return None


_SHORT_I = __import__("re").compile(r"(?<=[аеёиоуыэюяАЕЁИОУЫЭЮЯ])[иИ]")


def repair_short_i(words: list[Word]) -> int:
    """Tesseract often drops the breve of "й" after a vowel ("Сахалинскои",
    "раион"). Put it back where the word is unknown to the Russian dictionary
    and the repaired word is known. Returns how many words were repaired."""
    morph = _morph()
    if morph is None:
        return 0
    fixed = 0
    for w in words:
        core = w.text.strip(".,;:!?«»\"'()[]")
        if len(core) < 4 or not _SHORT_I.search(core) or morph.word_is_known(core.lower()):
            continue
        for m in _SHORT_I.finditer(core):
            cand = core[:m.start()] + ("й" if m.group() == "и" else "Й") + core[m.end():]
            if morph.word_is_known(cand.lower()):
                w.text = w.text.replace(core, cand)
                fixed += 1
                break
    return fixed


def pair_quotes(text: str) -> str:
    """Tesseract reads the guillemets of dates and titles as "<"/">" (and "<<").
    Put back a guillemet only where it pairs with a real one on the same line.

    >>> pair_quotes("< 09 » 09 2023г.")
    '« 09 » 09 2023г.'
    """
    text = text.replace("<<", "«").replace(">>", "»")
    close = text.find("»")
    if close > 0:
        opn = text.rfind("<", 0, close)
        if opn >= 0 and "«" not in text[opn:close]:
            text = text[:opn] + "«" + text[opn + 1:]
    opn = text.find("«")
    if opn >= 0:
        close = text.find(">", opn)
        if close > 0 and "»" not in text[opn:close]:
            text = text[:close] + "»" + text[close + 1:]
    return text


def _good(words: list[Word]) -> bool:
    confident = [w for w in words if w.conf >= 60 and len(w.text) >= 3]
    return len(confident) >= 8


# --- a page ---------------------------------------------------------------------------

def _read_upright(gray: Image.Image, exe: str, dpi: int, st: OcrSettings):
    """Deskew, find the table grid, erase its ruling lines and OCR the page once."""
    gray, angle = deskew(gray, st)
    grids, mask = find_grids(gray, st)
    clean = np.asarray(gray).copy()
    clean[mask] = 255
    clean_img = Image.fromarray(clean)
    return gray, angle, grids, clean_img, run_tesseract(clean_img, exe, dpi, st)


def ocr_page(img: Image.Image, page_no: int, exe: str, dpi: int, scale: float,
             st: OcrSettings = SETTINGS) -> tuple[Page, list[Warning]]:
    """OCR one page image; boxes are scaled by ``scale`` (PDF points, or 1.0 for pixels)."""
    warnings: list[Warning] = []
    gray = to_gray(img)
    turned = 0
    if gray.width > gray.height * 1.15:
        # a landscape image of a portrait order: most likely a sideways photo or scan
        turned = osd_rotation(gray, exe)
        if turned:
            gray = gray.rotate(-turned, expand=True, fillcolor=255)
    gray, angle, grids, clean_img, words = _read_upright(gray, exe, dpi, st)
    if turned:
        warnings.append(Warning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {turned}° before OCR"))
    elif not _good(words):
        rot = osd_rotation(gray, exe)
        if rot:
            gray = gray.rotate(-rot, expand=True, fillcolor=255)
            gray, a2, grids, clean_img, words = _read_upright(gray, exe, dpi, st)
            warnings.append(Warning(code="ocr_rotated", severity="info", message=f"page {page_no} was turned by {rot}° before OCR"))
    repaired = repair_short_i(words)
    if repaired:
        warnings.append(Warning(code="ocr_repaired", severity="info",
                                message=f"page {page_no}: {repaired} word(s) with 'й' read as 'и' repaired by dictionary"))
    if abs(angle) >= 0.05:
        warnings.append(Warning(code="ocr_deskewed", severity="info", message=f"page {page_no} straightened by {angle:.2f}°"))
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
                warnings.append(Warning(code="ocr_table_row_unread", message=f"page {page_no}: table row {i + 1} has ruling lines but no text could be read"))
            rows.append(row)
        page.tables.append(PTable(rows, page_no, g.ys[0] * scale, g.ys[-1] * scale, page.height))
    if cell_reads:
        warnings.append(Warning(code="ocr_cell_reread", severity="info",
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
        warnings.append(Warning(code="ocr_no_text", message=f"page {page_no}: no text found"))
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


# --- jobs -------------------------------------------------------------------------------

def ocr_jobs() -> int:
    try:
        return max(1, int(os.environ.get("REGISTRY_OCR_JOBS", "0")) or (os.cpu_count() or 1))
    except ValueError:
        return os.cpu_count() or 1


class OcrJob:
    """One file's OCR: checks Tesseract once, then reads pages in parallel."""

    def __init__(self, path: Path, st: OcrSettings = SETTINGS):
        self.path = path
        self.st = st
        self.exe = check_tesseract(path, st.lang)

    def _run(self, items):
        """items: (page_no, loader() -> (image, dpi, scale)) → yields (page_no, Page, warnings) in order."""
        def work(item):
            page_no, load = item
            img, dpi, scale = load()
            try:
                return (page_no, *ocr_page(img, page_no, self.exe, dpi, scale, self.st))
            except (RuntimeError, subprocess.SubprocessError) as exc:
                return page_no, Page(page_no, img.width * scale, img.height * scale, ocr=True), [
                    Warning(code="ocr_failed", severity="error", message=f"page {page_no}: OCR failed ({exc})")]

        jobs = min(ocr_jobs(), len(items)) or 1
        if jobs == 1:
            for it in items:
                yield work(it)
            return
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(work, items)

    def pdf_pages(self, data: bytes, page_numbers: list[int]):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)

        def loader(n: int):
            def load():
                page = doc[n - 1]
                try:
                    return page_image(page)
                finally:
                    page.close()
            return load

        try:
            # pdfium is not thread-safe: render in the caller, OCR in parallel
            items = []
            for n in page_numbers:
                img, dpi, scale = loader(n)()
                items.append((n, (lambda img=img, dpi=dpi, scale=scale: (img, dpi, scale))))
                if len(items) >= 2 * max(1, ocr_jobs()):
                    yield from self._run(items)
                    items = []
            if items:
                yield from self._run(items)
        finally:
            doc.close()

    def image_pages(self, data: bytes):
        try:
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            im = Image.open(io.BytesIO(data))
            frames = []
            for k in range(getattr(im, "n_frames", 1)):
                im.seek(k)
                frames.append(im.copy())
        except Image.DecompressionBombError:
            raise TooLarge(self.path, f"image is larger than {MAX_PIXELS // 1_000_000} megapixels") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise CorruptFile(self.path, f"not a readable image ({exc})", hint="export the scan again as PNG or JPEG") from None
        items = []
        for k, fr in enumerate(frames):
            dpi = _image_dpi(fr)
            items.append((k + 1, (lambda fr=fr, dpi=dpi: (fr, dpi, 1.0))))
        yield from self._run(items)


def page_image(page) -> tuple[Image.Image, int, float]:
    """The image to OCR for a PDF page without text: the embedded scan itself
    when one image covers the page (no re-rendering, native pixels), else the
    page rendered at the resolution of its largest image, clamped to 200–300
    dpi (re-rendering a 200-dpi scan at 300 dpi doubles OCR time for no gain)."""
    w_pt, h_pt = page.get_width(), page.get_height()
    best = 0.0
    try:
        import pypdfium2.raw as pdfium_c

        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
            if right - left > w_pt * 0.5:
                best = max(best, px_w / ((right - left) / 72))
            if right - left >= w_pt * 0.95 and top - bottom >= h_pt * 0.95 and px_w >= 1000:
                img = obj.get_bitmap(render=False).to_pil()
                dpi = int(round(px_w / (w_pt / 72)))
                return img, dpi, w_pt / img.width
    except Exception:  # noqa: BLE001 - odd image encodings: fall back to rendering
        pass
    dpi = int(min(300, max(200, round(best)))) if best else DEFAULT_DPI
    img = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return img, dpi, 72 / dpi


def _image_dpi(img: Image.Image) -> int:
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and 70 <= float(dpi[0]) <= 1200:
        return int(round(float(dpi[0])))
    # no resolution recorded: assume an A4 page across the image width
    return int(max(150, min(400, img.width / 8.27)))


def _weak(words: list[tuple[str, float]] | None) -> str:
    weak = [f"{w!r} {c:.0f}" for w, c in (words or []) if c < LOW_CONFIDENCE][:5]
    return f"; least sure: {', '.join(weak)}" if weak else ""


def low_confidence_warnings(src: SourceText, limit: int = 40) -> None:
    """Flag lines and table cells whose mean OCR confidence is low."""
    found = []
    in_tables = {c.line for t in src.tables for row in t.rows for c in row}
    for ln in src.lines:
        if ln.confidence is not None and ln.confidence < LOW_CONFIDENCE and ln.no not in in_tables and ln.text.strip():
            found.append(Warning(code="ocr_low_confidence", span=src.line_span(ln.no),
                                 message=f"OCR confidence {ln.confidence:.0f} on page {ln.page}: {ln.text[:60]!r}{_weak(ln.words)}"))
    seen = set()
    for t in src.tables:
        for row in t.rows:
            for c in row:
                key = (c.start, c.end)
                if c.confidence is not None and c.confidence < LOW_CONFIDENCE and c.text and key not in seen:
                    seen.add(key)
                    found.append(Warning(code="ocr_low_confidence", span=src.cell_span(c),
                                         message=f"OCR confidence {c.confidence:.0f} in a table cell on page {c.page}: {c.text[:60]!r}{_weak(c.words)}"))
    if len(found) > limit:
        extra = len(found) - limit
        found = found[:limit] + [Warning(code="ocr_low_confidence", message=f"{extra} more low-confidence lines or cells not listed")]
    src.warnings.extend(found)


class ImageReader(Reader):
    name = "ocr"
    format = "image"
    extensions = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

    def read(self, path: Path, data: bytes) -> SourceText:
        job = OcrJob(path)
        pages: list[Page] = []
        warnings: list[Warning] = []
        for _, page, warns in job.image_pages(data):
            pages.append(page)
            warnings.extend(warns)
        if not any(pg.lines or pg.tables for pg in pages):
            raise EmptyInput(path, "OCR found no text in the image", hint="is it a scan of an order? try a sharper scan (200–300 dpi)")
        b, warns = assemble(pages)
        src = b.build(path=str(path), format="image", reader=self.name, encoding=None, ocr=True,
                      pages=len(pages), warnings=warns + warnings)
        low_confidence_warnings(src)
        return src
