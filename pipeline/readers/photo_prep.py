"""Phone photos made ready for the scan path (OpenCV).

A photo of a page is not a scan: the light falls off towards the corners or a
shadow lies across the page, the paper is tinted by the lamp, the page sits
on a desk, turned and seen at an angle. Tesseract's global threshold and our
ruling-line finder (a grey level below which a pixel is ink) both fail on it:
the desk and the shadow become "ink". :func:`prepare` undoes what it can, in
this order, and says what it did:

1. **is it a photo?** the page background (:func:`background`: a grey-level
   closing that removes the print, on a small copy) is even and white on a
   scan; uneven or dim light, or a dark surround, makes it a photo;
2. **perspective**: where the page's four edges are visible (the largest
   four-cornered contour of bright paper, :func:`page_quad`) the page is
   warped to a rectangle (:func:`unwarp`);
3. **illumination flattening**: the image divided by its background
   (:func:`flatten`), so paper is white and print is dark everywhere;
4. **binarization** for the ruling-line finder: adaptive (local mean)
   thresholding (:func:`binarize`); Tesseract is given the flattened grey
   image and binarizes it itself (measured: as good or better on blurred
   photos than our binary image);
5. **resolution**: a page whose print is small in pixels (under
   ``OcrSettings.photo_min_dpi``) is enlarged, a very large photo reduced to
   ``photo_max_dpi``; the scale is returned so boxes map back to the file.

Deskewing stays with :func:`pipeline.readers.image_prep.deskew` (searching
±``OcrSettings.photo_max_skew`` for photos); after it, a photo whose page
edges were not in view is unwarped from the margins of its print
(:func:`keystone`): converging margins would make every line look indented
to the paragraph rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from pipeline.readers.image_prep import cv2_module, estimate_skew
from pipeline.readers.settings import DEFAULTS, OcrSettings

A4_SHORT_IN, A4_LONG_IN = 8.27, 11.69
_SMALL = 600  # longest side of the working copy used for measurements


@dataclass
class Prepared:
    """A page image after :func:`prepare`: what to OCR and how it was made."""

    gray: Image.Image
    dpi: int
    zoom: float = 1.0  # prepared pixels per pixel of the file's page
    photo: bool = False
    unwarped: bool = False  # perspective corrected from the page's edges
    steps: list[str] = field(default_factory=list)


def _small(a: np.ndarray) -> tuple[np.ndarray, float]:
    cv2 = cv2_module()
    f = min(1.0, _SMALL / max(a.shape))
    if f == 1.0:
        return a, 1.0
    return cv2.resize(a, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), f


def background(a: np.ndarray, dpi: int) -> np.ndarray:
    """The paper's brightness under the print, at full size: a closing (dilate
    then erode) wider than any stroke removes dark print, a median smooths it."""
    return _full(small_background(a, dpi), a)


def small_background(a: np.ndarray, dpi: int) -> np.ndarray:
    """:func:`background` on the small working copy (enough to tell a scan from a photo)."""
    cv2 = cv2_module()
    s, f = _small(a)
    k = max(5, int(dpi * f / 6)) | 1  # ~4 mm: wider than a letter stroke, narrower than a margin
    bg = cv2.morphologyEx(s, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return cv2.medianBlur(bg, k if k <= 255 else 255)


def _full(bg: np.ndarray, a: np.ndarray) -> np.ndarray:
    cv2 = cv2_module()
    return cv2.resize(bg, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_LINEAR)


def uneven_light(bg: np.ndarray) -> float:
    """How far the page background is from even white: the spread of its
    brightness plus how dim it is, in grey levels (a clean scan: ~0–10)."""
    lo, hi = np.percentile(bg, [5, 95])
    return float(hi - lo) + max(0.0, 230.0 - float(np.median(bg)))


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.float32([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])


def _quads(s: np.ndarray):
    """Four-cornered convex contours covering 25–97 % of the small image ``s``,
    largest first: from its edges (Canny: a page's edge is sharp, a shadow's
    soft), then from a bright/dark (Otsu) split."""
    cv2 = cv2_module()
    b = cv2.GaussianBlur(s, (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(b, 30, 90), np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(b, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    area = float(s.shape[0] * s.shape[1])
    for mask, mode in ((edges, cv2.RETR_LIST), (bright, cv2.RETR_EXTERNAL)):
        contours, _ = cv2.findContours(mask, mode, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            if not 0.25 <= cv2.contourArea(c) / area <= 0.97:
                continue
            quad = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
            if len(quad) == 4 and cv2.isContourConvex(quad):
                yield _order(quad.reshape(4, 2).astype(np.float32))


def page_quad(a: np.ndarray, bg: np.ndarray | None = None) -> np.ndarray | None:
    """Corners (full-size pixels) of a page whose four edges stand out from a
    darker surround, or None. A candidate (:func:`_quads`) must have corners
    near 90°, be clearly brighter than what lies outside it, and have no print
    outside it: a straight-edged shadow across the page also makes a bright
    quadrangle, but the text goes on in the shadow. ``bg``: :func:`background`
    of ``a`` (to find print)."""
    cv2 = cv2_module()
    s, f = _small(a)
    print_ = _small(flatten(a, bg))[0] < 140 if bg is not None else None
    for q in _quads(s):
        if _is_page(s, q, print_):
            return q / f
    return None


def _is_page(s: np.ndarray, q: np.ndarray, print_: np.ndarray | None) -> bool:
    cv2 = cv2_module()
    for k in range(4):
        v1, v2 = q[k - 1] - q[k], q[(k + 1) % 4] - q[k]
        cos = abs(float(v1 @ v2)) / (float(np.linalg.norm(v1) * np.linalg.norm(v2)) or 1.0)
        if cos > 0.26:  # a corner further than ~15° from square: not a sheet of paper
            return False
    inside = np.zeros(s.shape, np.uint8)
    cv2.fillConvexPoly(inside, q.astype(np.int32), 1)
    if inside.all() or float(np.median(s[inside == 1])) - float(np.median(s[inside == 0])) < 40:
        return False
    if print_ is not None:
        # away from the edge itself (a band of ~3 % of the image), is there print outside?
        band = max(3, int(0.03 * max(s.shape)))
        outside = cv2.dilate(inside, np.ones((2 * band + 1, 2 * band + 1), np.uint8)) == 0
        if outside.any() and print_[outside].mean() > max(0.002, 0.15 * print_[inside == 1].mean()):
            return False
    return True


def unwarp(a: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The page inside ``quad`` as an upright rectangle, at the quad's own scale."""
    cv2 = cv2_module()
    tl, tr, br, bl = quad
    w = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    h = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    m = cv2.getPerspectiveTransform(np.float32([tl, tr, br, bl]), np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    return cv2.warpPerspective(a, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def flatten(a: np.ndarray, bg: np.ndarray) -> np.ndarray:
    """``a`` divided by its background: white paper, dark print, whatever the light."""
    cv2 = cv2_module()
    return cv2.divide(a, np.maximum(bg, 1), scale=255)


def binarize(a: np.ndarray, dpi: int) -> np.ndarray:
    """Adaptive threshold (local Gaussian mean over ~3 mm, offset 15): ink 0, paper 255."""
    cv2 = cv2_module()
    block = max(15, int(dpi / 8)) | 1
    return cv2.adaptiveThreshold(a, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)


def photo_dpi(width_px: int, height_px: int, recorded: int | None) -> int:
    """The resolution of a page that fills the image: the recorded one when it
    gives a plausible paper size (5–17 inches across), else A4 across the image.

    >>> photo_dpi(4032, 3024, 72)   # a phone's 72 dpi on a 12-MP photo: A4 landscape across
    345
    >>> photo_dpi(1240, 1754, 150)
    150
    """
    if recorded and 5.0 <= width_px / recorded <= 17.0:
        return int(recorded)
    across = A4_LONG_IN if width_px > height_px * 1.15 else A4_SHORT_IN
    return int(round(width_px / across))


def prepare(gray: Image.Image, dpi: int, st: OcrSettings = DEFAULTS.ocr, recorded_dpi: bool = True) -> Prepared:
    """Make a page image ready for OCR; a clean scan comes back as it was.

    ``recorded_dpi``: whether ``dpi`` was read from the file (else it is a guess)."""
    cv2 = cv2_module()
    a = np.asarray(gray if gray.mode == "L" else gray.convert("L"))
    bg = small_background(a, dpi)  # measured on the small copy: a scan pays for nothing more
    unevenness = uneven_light(bg)
    rim = max(2, int(0.03 * min(bg.shape)))
    dark_rim = min(np.median(bg[:rim]), np.median(bg[-rim:]), np.median(bg[:, :rim]), np.median(bg[:, -rim:])) < 170
    if unevenness < st.photo_unevenness and not dark_rim:
        return Prepared(gray, dpi)  # a scan: even white paper to the image's edges
    bg = _full(bg, a)
    quad = page_quad(a, bg)
    if quad is None and unevenness < st.photo_unevenness:
        return Prepared(gray, dpi)
    out = Prepared(gray, dpi, photo=True)
    if quad is not None:
        a = unwarp(a, quad)
        out.unwarped = True
        out.steps.append("perspective corrected from the page edges")
        w, h = a.shape[1], a.shape[0]
        # the page now fills the image: its size in pixels gives the resolution
        out.dpi = photo_dpi(w, h, dpi if recorded_dpi else None)
        bg = background(a, out.dpi)
    a = flatten(a, bg)
    if quad is not None:
        # the page's own edge (and any sliver of desk the corners let in) is no ruling line
        rim = max(4, int(0.004 * max(a.shape)))
        a[:rim], a[-rim:], a[:, :rim], a[:, -rim:] = 255, 255, 255, 255
    out.steps.append(f"illumination flattened (background spread {unevenness:.0f})")
    zoom = 1.0
    if out.dpi < st.photo_min_dpi:
        zoom = st.photo_min_dpi / out.dpi
    elif out.dpi > st.photo_max_dpi:
        zoom = st.photo_max_dpi / out.dpi
    if abs(zoom - 1.0) > 0.05:
        a = cv2.resize(a, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC if zoom > 1 else cv2.INTER_AREA)
        out.steps.append(f"resampled from {out.dpi} to {int(round(out.dpi * zoom))} dpi")
        out.dpi = int(round(out.dpi * zoom))
        out.zoom = zoom
    out.gray = Image.fromarray(a)
    return out


def _edge_fit(ys: np.ndarray, xs: np.ndarray, side: int, tol: float, height: float) -> tuple[float, float] | None:
    """A straight margin x = a·y + b along the band edges (ys, xs). A band's
    edge lies on the margin or inside it (towards the text: sign ``side``, +1
    for the left margin, −1 for the right) when none of its lines reaches the
    margin (a centred letterhead, a short line of ragged-right text); hardly
    ever outside it. So the margin is the tightest envelope: of the lines
    through two band edges far apart, the one with at most one edge in six
    outside it (by more than twice ``tol`` pixels: ragged-right lines overrun a
    little) and the least distance to the edges inside, refitted on the edges
    near it. None when it cannot be told,
    or slopes more than a hand-held photo does (1 in 25)."""
    n = len(ys)
    best, best_cost = None, float("inf")
    for i in range(n):
        for j in range(i + 1, n):
            if ys[j] - ys[i] < 0.4 * height:
                continue
            a = (xs[j] - xs[i]) / (ys[j] - ys[i])
            if abs(a) > 0.04:
                continue
            r = (xs - (a * ys + xs[i] - a * ys[i])) * side
            if (r < -2 * tol).sum() > max(1, n // 6):
                continue
            cost = float(np.minimum(np.maximum(r, 0), 4 * tol).sum())
            if cost < best_cost:
                best, best_cost = r, cost
    if best is None:
        return None
    near = np.abs(best) <= 2 * tol
    if near.sum() < 3 or np.ptp(ys[near]) < 0.4 * height:
        return None
    a, b = np.polyfit(ys[near], xs[near], 1)
    return (float(a), float(b)) if abs(a) <= 0.04 else None


def text_block_edges(a: np.ndarray, dpi: int, bands: int = 16):
    """Left and right margins of the print as straight lines x = a·y + b over
    the page height, from horizontal bands of ink (adaptive threshold, specks
    dropped), and the top and bottom of the print: ((a, b), (a, b), (top,
    bottom)), or None when the page has too little print to tell."""
    cv2 = cv2_module()
    ink = binarize(a, dpi) == 0
    ink = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool)
    h, w = ink.shape
    ys, lefts, rights = [], [], []
    edge = int(0.02 * w)  # ignore the outermost columns: shadows and the paper's own edge
    for k in range(bands):
        y0, y1 = int(h * k / bands), int(h * (k + 1) / bands)
        cols = np.nonzero(ink[y0:y1, edge:w - edge].sum(axis=0) >= 2)[0]
        if len(cols) < 0.2 * w:
            continue  # a band with little print: no margin to measure
        ys.append((y0 + y1) / 2)
        lefts.append(edge + float(np.percentile(cols, 1)))
        rights.append(edge + float(np.percentile(cols, 99)))
    if len(ys) < 4:
        return None
    y, tol = np.float64(ys), dpi * 1.5 / 25.4  # 1.5 mm
    left, right = _edge_fit(y, np.float64(lefts), 1, tol, h), _edge_fit(y, np.float64(rights), -1, tol, h)
    if left is None or right is None:
        return None
    band = h / bands / 2
    return left, right, (ys[0] - band, ys[-1] + band)


def _line_angle(a: np.ndarray, y0: float, y1: float, x0: float, x1: float) -> float:
    """The slope (dy/dx) of the text lines in a strip of the page."""
    strip = a[max(0, int(y0)):int(y1), max(0, int(x0)):int(x1)]
    return float(np.tan(np.deg2rad(estimate_skew(Image.fromarray(strip), 3.0))))


def keystone(a: np.ndarray, dpi: int, st: OcrSettings = DEFAULTS.ocr) -> tuple[np.ndarray, float]:
    """A photo taken at a slant without the page edges in view: the margins of
    the print converge, and the lines at the top and at the bottom of the
    page slope differently (deskewing evens out only their mean). The print's
    own frame — the two margins (:func:`text_block_edges`) and the slope of
    the lines in its top and bottom thirds — is warped to a rectangle. Returns
    the image and the convergence found (points over the page height), or the
    image unchanged and 0 when the margins are parallel within
    ``st.photo_min_keystone`` and the line slopes agree within 0.3°, or the
    frame cannot be measured."""
    cv2 = cv2_module()
    edges = text_block_edges(a, dpi)
    if edges is None:
        return a, 0.0
    (al, bl), (ar, br), (y_top, y_bottom) = edges
    h = a.shape[0]
    lt, lb, rt, rb = al * y_top + bl, al * y_bottom + bl, ar * y_top + br, ar * y_bottom + br
    if min(rt - lt, rb - lb) < 0.3 * a.shape[1] or y_bottom - y_top < 0.3 * h:
        return a, 0.0
    drift = max(abs(lt - lb), abs(rt - rb)) * 72.0 / dpi
    third = (y_bottom - y_top) / 3
    lm, rm = al * (y_top + y_bottom) / 2 + bl, ar * (y_top + y_bottom) / 2 + br
    t_top = _line_angle(a, y_top, y_top + third, lm, rm)
    t_bottom = _line_angle(a, y_bottom - third, y_bottom, lm, rm)
    if drift < st.photo_min_keystone and abs(np.rad2deg(np.arctan(t_top) - np.arctan(t_bottom))) < 0.3:
        return a, 0.0
    xc = (lm + rm) / 2

    def corner(y_mid: float, t: float, ax: float, bx: float) -> list[float]:
        # where the text line through (xc, y_mid) of slope t meets the margin x = ax·y + bx
        y = (y_mid + t * (bx - xc)) / (1 - t * ax)
        return [ax * y + bx, y]

    y1, y2 = y_top + third / 2, y_bottom - third / 2
    src = np.float32([corner(y1, t_top, al, bl), corner(y1, t_top, ar, br),
                      corner(y2, t_bottom, ar, br), corner(y2, t_bottom, al, bl)])
    dst = np.float32([[lm, y1], [rm, y1], [rm, y2], [lm, y2]])
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(a, m, (a.shape[1], h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return out, round(max(drift, 0.1), 1)
