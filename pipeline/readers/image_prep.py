"""Page images made ready for OCR: grey, upright, straight, table grid found.

- :func:`to_gray`: EXIF orientation applied, transparency flattened on white;
- :func:`estimate_skew` / :func:`deskew`: the angle whose horizontal projection
  profile is sharpest (±``OcrSettings.max_skew``);
- :func:`find_grids`: tables drawn with ruling lines, as a :class:`Grid` of
  rows and columns where a missing rule marks a merged cell, plus the mask of
  the rules so they can be erased before the page is read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from pipeline.readers.settings import DEFAULTS, OcrSettings


def cv2_module():
    """OpenCV, loaded on first use (only images need it), one thread per call:
    pages are read in parallel already, by threads or processes, one per core."""
    import cv2  # noqa: PLC0415 - OpenCV is loaded only for images

    if cv2.getNumThreads() != 1:
        cv2.setNumThreads(1)
    return cv2


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
    # the ink pixels' rows after turning by each angle, counted per row: the same
    # projection profile as turning the whole image, at a fraction of the cost
    ys, xs = np.nonzero(np.asarray(small) < 150)
    if not len(ys):
        return 0.0
    h = small.height
    cy = (h - 1) / 2
    dx, dy = (xs - (small.width - 1) / 2).astype(np.float32), (ys - cy).astype(np.float32)
    best, best_score = 0.0, -1.0
    for coarse in (True, False):
        angles = np.arange(-max_angle, max_angle + 0.01, 0.5) if coarse else np.arange(best - 0.4, best + 0.41, 0.1)
        for a in angles:
            r = np.deg2rad(float(a))
            y = (dy * np.float32(np.cos(r)) - dx * np.float32(np.sin(r)) + np.float32(cy + 0.5)).astype(np.intp)
            prof = np.bincount(y[(y >= 0) & (y < h)], minlength=h).astype(np.float64)
            score = float(np.square(np.diff(prof)).sum())
            if score > best_score:
                best, best_score = float(a), score
    return round(best, 2)


def deskew(gray: Image.Image, st: OcrSettings = DEFAULTS.ocr, max_angle: float | None = None) -> tuple[Image.Image, float]:
    """``gray`` turned so its text lines are level (search ±``max_angle``, default ``st.max_skew``)."""
    angle = estimate_skew(gray, st.max_skew if max_angle is None else max_angle)
    if abs(angle) < 0.05:
        return gray, 0.0
    return rotate(gray, angle), angle


def rotate(gray: Image.Image, angle: float) -> Image.Image:
    """``gray`` turned ``angle`` degrees counter-clockwise about its centre, same
    size, white where the corners come in (OpenCV: a third of PIL's time)."""
    cv2 = cv2_module()
    a = np.asarray(gray)
    m = cv2.getRotationMatrix2D((a.shape[1] / 2, a.shape[0] / 2), angle, 1.0)
    return Image.fromarray(cv2.warpAffine(a, m, (a.shape[1], a.shape[0]), flags=cv2.INTER_CUBIC,
                                          borderMode=cv2.BORDER_CONSTANT, borderValue=255))


# --- ruling lines and grid --------------------------------------------------------

def _runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """(row, start, end) of horizontal runs of True at least ``min_len`` long.
    An opening with a ``min_len``-wide line keeps exactly the pixels of such
    runs (OpenCV, fast), so only the rows that still hold one are walked."""
    cv2 = cv2_module()
    m = mask.astype(np.uint8)
    k = min_len - 1 + min_len % 2  # odd, so the line is centred on its pixel; shorter runs it keeps are dropped below
    if k > 1:
        m = cv2.morphologyEx(m, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    rows = np.flatnonzero(m.any(axis=1))
    padded = np.zeros((len(rows), m.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = m[rows]
    d = np.diff(padded, axis=1)
    starts = np.argwhere(d == 1)
    ends = np.argwhere(d == -1)
    lengths = ends[:, 1] - starts[:, 1]
    keep = lengths >= min_len
    return np.column_stack([rows[starts[keep, 0]], starts[keep, 1], ends[keep, 1]])


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


def find_grids(gray: Image.Image, st: OcrSettings = DEFAULTS.ocr, dpi: int = 200) -> tuple[list[Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of those lines (to erase).
    A vertical rule is at least ``st.min_rule_v`` pixels at 200 dpi (5 mm) long,
    in proportion at other resolutions (at 300 dpi a letter's stem is 40 pixels)."""
    min_rule_v = int(round(st.min_rule_v * max(dpi, 200) / 200))
    a = np.asarray(gray) < st.ink_threshold
    h, w = a.shape
    thick = a.copy()
    thick[1:] |= a[:-1]
    thick[:-1] |= a[1:]
    h_rules = [r for r in _merge_rules(_runs(thick, max(60, int(w * 0.04)))) if r[2] - r[1] >= 60]
    thick_v = a.copy()
    thick_v[:, 1:] |= a[:, :-1]
    thick_v[:, :-1] |= a[:, 1:]
    v_rules = [r for r in _merge_rules(_runs(thick_v.T.copy(), min_rule_v))]
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


def erase(gray: Image.Image, mask: np.ndarray) -> Image.Image:
    """``gray`` with the pixels under ``mask`` (the ruling lines) made white."""
    clean = np.asarray(gray).copy()
    clean[mask] = 255
    return Image.fromarray(clean)
