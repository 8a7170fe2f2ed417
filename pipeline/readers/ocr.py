"""Scans: pages without a text layer and images (PNG, JPEG, TIFF) through Tesseract.

An :class:`OcrJob` checks Tesseract once for a file, then reads its pages in
parallel threads (libtesseract in process, or Tesseract processes:
:mod:`pipeline.readers.tesseract`), each page by
:func:`~pipeline.readers.scan_page.read_page`. Where a page runner is in force
(:data:`PAGE_RUNNER`: the Dask executor's workers), the pages of a file of
several pages are read as separate tasks instead (:func:`read_one_page`, each
page loaded exactly as here), and come back in order. The pages are assembled like a
text PDF's (:mod:`pipeline.readers.layout`); lines and table cells whose mean
word confidence is below ``OcrSettings.low_confidence`` become warnings with
their span (:func:`low_confidence_warnings`).

Used by :class:`ImageReader` for image files (PNG, JPEG, multi-page TIFF, and
HEIC from phones when ``pillow-heif`` is installed) and by the PDF reader for
pages without a text layer. An image's pages are laid out in points at the
page's resolution (as a scan's in a PDF, so paragraphs are joined alike) and
their boxes given back in pixels of the (straightened) page image.
"""

from __future__ import annotations

import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Callable

from PIL import Image

from pipeline.document import SourceText
from pipeline.errors import CorruptFile, EmptyInput, MissingDependency, TooLarge
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader
from pipeline.readers.layout import assemble
from pipeline.readers.pages import Page
from pipeline.readers.photo_pages import Frame, align_pages
from pipeline.readers.scan_page import PageRead, read_page
from pipeline.readers.settings import DEFAULTS, OcrSettings, ReaderSettings
from pipeline.readers.tesseract import check_tesseract, ocr_jobs

# ISO base-media brands of HEIF/HEIC images (phones' default photo format)
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")


def is_heif(head: bytes) -> bool:
    """A HEIF/HEIC (or AVIF) file: an ISO box ``ftyp`` with an image brand.

    >>> is_heif(b"\\x00\\x00\\x00\\x18ftypheic\\x00\\x00\\x00\\x00")
    True
    """
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _open_heif(path: Path) -> None:
    """Register pillow-heif's opener, or say in one line what is missing."""
    try:
        import pillow_heif  # noqa: PLC0415 - optional: only phones' HEIC photos need it
    except ImportError:
        raise MissingDependency(path, "HEIC photos need the pillow-heif package",
                                hint="pip install pillow-heif (or save the photo as JPEG)") from None
    pillow_heif.register_heif_opener()


# Who reads a multi-page file's pages when not this process's threads:
# runner(path, kind "pdf" | "image", file bytes, page numbers, settings) → (page_no,
# PageRead) in order, each page by read_one_page. The Dask executor sets one on its
# workers (pipeline/dask_executor.py), so the pages of one large scan are separate tasks.
PAGE_RUNNER: ContextVar[Callable | None] = ContextVar("registry_page_runner", default=None)


@contextmanager
def page_runner(runner: Callable):
    """Pages of the files read inside this block are read by ``runner``."""
    token = PAGE_RUNNER.set(runner)
    try:
        yield
    finally:
        PAGE_RUNNER.reset(token)


class OcrJob:
    """One file's OCR: checks Tesseract once, then reads pages in parallel
    (this process's threads, or the page runner in force)."""

    def __init__(self, path: Path, st: OcrSettings = DEFAULTS.ocr):
        self.path = path
        self.st = st
        self.exe = check_tesseract(path, st.lang)
        self.px_per_unit: dict[int, float] = {}
        self.photo: dict[int, bool] = {}

    def _run(self, items):
        """items: (page_no, loader() -> (image, dpi, scale, recorded_dpi)) → yields
        (page_no, Page, warnings) in order; ``scale`` None lays the page out in points
        and records in ``px_per_unit`` how to give its boxes back in pixels."""
        def work(item):
            page_no, load = item
            img, dpi, scale, recorded = load()
            return page_no, read_loaded(img, page_no, self.exe, dpi, scale, self.st, recorded)

        jobs = min(ocr_jobs(), len(items)) or 1
        if jobs == 1:
            yield from self._keep(map(work, items))
            return
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            yield from self._keep(pool.map(work, items))

    def _keep(self, reads):
        for page_no, r in reads:
            self.px_per_unit[page_no] = r.px_per_unit
            self.photo[page_no] = r.photo
            yield page_no, r.page, r.warnings

    def _elsewhere(self, kind: str, data: bytes, page_numbers: list[int]):
        """The pages read as separate tasks by the page runner in force (a Dask
        cluster), or None when there is none or one page only."""
        runner = PAGE_RUNNER.get()
        if runner is None or len(page_numbers) < 2:
            return None
        return self._keep(runner(str(self.path), kind, data, page_numbers, self.st))

    def pdf_pages(self, data: bytes, page_numbers: list[int]):
        elsewhere = self._elsewhere("pdf", data, page_numbers)
        if elsewhere is not None:
            yield from elsewhere
            return
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)

        def loader(n: int):
            def load():
                page = doc[n - 1]
                try:
                    return page_image(page, self.st.default_dpi)
                finally:
                    page.close()
            return load

        try:
            # pdfium is not thread-safe: render in the caller, OCR in parallel
            items = []
            for n in page_numbers:
                img, dpi, scale = loader(n)()
                items.append((n, (lambda img=img, dpi=dpi, scale=scale: (img, dpi, scale, True))))
                if len(items) >= 2 * max(1, ocr_jobs()):
                    yield from self._run(items)
                    items = []
            if items:
                yield from self._run(items)
        finally:
            doc.close()

    def image_pages(self, data: bytes):
        im = open_image(self.path, data, self.st.max_pixels)
        count = getattr(im, "n_frames", 1)
        elsewhere = self._elsewhere("image", data, list(range(1, count + 1)))
        if elsewhere is not None:
            yield from elsewhere
            return
        frames = [image_frame(self.path, im, k) for k in range(1, count + 1)]
        items = []
        for k, fr in enumerate(frames):
            recorded = recorded_dpi(fr)
            dpi = image_dpi(fr)
            items.append((k + 1, (lambda fr=fr, dpi=dpi, rec=recorded is not None: (fr, dpi, None, rec))))
        yield from self._run(items)


def read_loaded(img: Image.Image, page_no: int, exe: str, dpi: int, scale: float | None, st: OcrSettings,
                recorded: bool) -> PageRead:
    """:func:`read_page`, a page Tesseract fails on given back empty with an ``ocr_failed`` error."""
    try:
        return read_page(img, page_no, exe, dpi, scale, st, recorded_dpi=recorded)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        unit = 72.0 / dpi if scale is None else scale
        return PageRead(Page(page_no, img.width * unit, img.height * unit, ocr=True), [
            ExtractionWarning(code="ocr_failed", severity="error", message=f"page {page_no}: OCR failed ({exc})")],
            1.0 / unit)


def open_image(path: Path, data: bytes, max_pixels: int) -> Image.Image:
    """The image file opened (its frames decoded later), or the one-line error."""
    if is_heif(data[:16]):
        _open_heif(path)
    try:
        Image.MAX_IMAGE_PIXELS = max_pixels
        im = Image.open(io.BytesIO(data))
        getattr(im, "n_frames", 1)  # a TIFF counts its frames by walking them: a broken one fails here
        return im
    except Image.DecompressionBombError:
        raise TooLarge(path, f"image is larger than {max_pixels // 1_000_000} megapixels") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(path, f"not a readable image ({exc})", hint="export the scan again as PNG or JPEG") from None


def image_frame(path: Path, im: Image.Image, n: int) -> Image.Image:
    """Frame ``n`` (from 1) of an opened image, decoded."""
    try:
        im.seek(n - 1)
        return im.copy()
    except Image.DecompressionBombError:
        raise TooLarge(path, f"image is larger than {Image.MAX_IMAGE_PIXELS // 1_000_000} megapixels") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(path, f"not a readable image ({exc})", hint="export the scan again as PNG or JPEG") from None


def read_one_page(path: str, kind: str, data: bytes, page_no: int, st: OcrSettings = DEFAULTS.ocr) -> PageRead:
    """One page of a scan read on its own, wherever this runs (a page task on a
    Dask worker): page ``page_no`` of the PDF or image file ``data`` loaded
    exactly as :class:`OcrJob` loads it, then read."""
    p = Path(path)
    exe = check_tesseract(p, st.lang)
    if kind == "pdf":
        img, dpi, scale = pdf_page_image(data, page_no, st.default_dpi)
        return read_loaded(img, page_no, exe, dpi, scale, st, True)
    fr = image_frame(p, open_image(p, data, st.max_pixels), page_no)
    return read_loaded(fr, page_no, exe, image_dpi(fr), None, st, recorded_dpi(fr) is not None)


def pdf_page_image(data: bytes, page_no: int, default_dpi: int = DEFAULTS.ocr.default_dpi) -> tuple[Image.Image, int, float]:
    """:func:`page_image` of page ``page_no`` (1-based) of the PDF ``data``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[page_no - 1]
        try:
            return page_image(page, default_dpi)
        finally:
            page.close()
    finally:
        doc.close()


def page_image(page, default_dpi: int = DEFAULTS.ocr.default_dpi) -> tuple[Image.Image, int, float]:
    """The image to OCR for a PDF page without text: the embedded scan itself
    when one image covers the page (no re-rendering, native pixels), else the
    page rendered at the resolution of its largest image, clamped to 200–300
    dpi (re-rendering a 200-dpi scan at 300 dpi doubles OCR time for no gain),
    or at ``default_dpi`` when the page has no image."""
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
    dpi = int(min(300, max(200, round(best)))) if best else default_dpi
    img = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return img, dpi, 72 / dpi


def image_dpi(img: Image.Image) -> int:
    """The resolution recorded in an image file, else a guess from an A4 page width.

    >>> image_dpi(Image.new("L", (1654, 2339)))
    200
    >>> image_dpi(Image.new("L", (3024, 4032)))  # a phone's photo, no resolution: A4 across it
    366
    """
    dpi = recorded_dpi(img)
    if dpi is not None:
        return dpi
    # no plausible resolution recorded: assume an A4 page across the image width
    return int(max(150, min(600, round(img.width / 8.27))))


def recorded_dpi(img: Image.Image) -> int | None:
    """The resolution recorded in the file unless it makes the image wider than
    any paper (17 inches): phones write 72 dpi on a 12-MP photo (56 inches).

    >>> recorded_dpi(Image.new("L", (4032, 3024)))
    """
    dpi = img.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    if 70 <= d <= 1200 and img.width / d <= 17.0:
        return int(round(d))
    return None


def _weak(words: list[tuple[str, float]] | None, threshold: float) -> str:
    weak = [f"{w!r} {c:.0f}" for w, c in (words or []) if c < threshold][:5]
    return f"; least sure: {', '.join(weak)}" if weak else ""


def low_confidence_warnings(src: SourceText, st: OcrSettings = DEFAULTS.ocr, limit: int = 40) -> None:
    """Flag lines and table cells whose mean OCR confidence is below ``st.low_confidence``."""
    low = st.low_confidence
    found = []
    in_tables = {c.line for t in src.tables for row in t.rows for c in row}
    for ln in src.lines:
        if ln.confidence is not None and ln.confidence < low and ln.no not in in_tables and ln.text.strip():
            found.append(ExtractionWarning(code="ocr_low_confidence", span=src.line_span(ln.no),
                                 message=f"OCR confidence {ln.confidence:.0f} on page {ln.page}: {ln.text[:60]!r}{_weak(ln.words, low)}"))
    seen = set()
    for t in src.tables:
        for row in t.rows:
            for c in row:
                key = (c.start, c.end)
                if c.confidence is not None and c.confidence < low and c.text and key not in seen:
                    seen.add(key)
                    found.append(ExtractionWarning(code="ocr_low_confidence", span=src.cell_span(c),
                                         message=f"OCR confidence {c.confidence:.0f} in a table cell on page {c.page}: {c.text[:60]!r}{_weak(c.words, low)}"))
    if len(found) > limit:
        extra = len(found) - limit
        found = found[:limit] + [ExtractionWarning(code="ocr_low_confidence", message=f"{extra} more low-confidence lines or cells not listed")]
    src.warnings.extend(found)


class ImageReader(Reader):
    name = "ocr"
    format = "image"
    extensions = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif")

    def __init__(self, settings: ReaderSettings = DEFAULTS):
        self.settings = settings

    def read(self, path: Path, data: bytes) -> SourceText:
        st = self.settings
        job = OcrJob(path, st.ocr)
        pages: list[Page] = []
        warnings: list[ExtractionWarning] = []
        for _, page, warns in job.image_pages(data):
            pages.append(page)
            warnings.extend(warns)
        if not any(pg.lines or pg.tables for pg in pages):
            raise EmptyInput(path, "OCR found no text in the image", hint="is it a scan of an order? try a sharper scan (200–300 dpi)")
        frames = align_pages(pages, job.photo)
        b, warns = assemble(pages, st.layout)
        src = b.build(path=str(path), format="image", reader=self.name, encoding=None, ocr=True,
                      pages=len(pages), warnings=warns + warnings)
        _boxes_to_pixels(src, job.px_per_unit, frames)
        low_confidence_warnings(src, st.ocr)
        return src


def _boxes_to_pixels(src: SourceText, px_per_unit: dict[int, float], frames: dict[int, Frame]) -> None:
    """Line and cell boxes, laid out in points (photo pages aligned to one text
    block), back in pixels of each page's image."""
    def px(bbox, page):
        if not bbox:
            return bbox
        if page in frames:
            bbox = frames[page].back(bbox)
        f = px_per_unit.get(page or 0, 1.0)
        return tuple(round(v * f, 1) for v in bbox)

    for ln in src.lines:
        ln.bbox = px(ln.bbox, ln.page)
    seen: set[int] = set()
    for t in src.tables:
        for row in t.rows:
            for c in row:
                if id(c) not in seen:
                    seen.add(id(c))
                    c.bbox = px(c.bbox, c.page)
