"""Pages of one document photographed one by one, put in one frame.

Each photo has its own framing: the phone a little further away, the page
shifted in the frame. A scan's pages share one text block, and the layout
rules (:mod:`pipeline.readers.paragraphs`: an indented line starts a
paragraph, a line that ends early ends one) measure against the document's
left and right edges of print. Before the pages are assembled, each photo
page's print is therefore moved and scaled onto the common text block — the
median over the pages with enough full lines (:func:`align_pages`); the
transform is returned per page so boxes can be given back in the page
image's pixels (:func:`to_pixels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from pipeline.readers.pages import Page

MIN_FULL_LINES = 6  # a page with fewer long lines does not tell where its text block is


@dataclass(frozen=True)
class Frame:
    """A page's boxes after alignment: x' = (x − x0)·scale + x_ref, y' = y·scale."""

    x0: float = 0.0
    x_ref: float = 0.0
    scale: float = 1.0

    def back(self, bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """An aligned box in the page's own units again."""
        x0, top, x1, bottom = bbox
        return ((x0 - self.x_ref) / self.scale + self.x0, top / self.scale,
                (x1 - self.x_ref) / self.scale + self.x0, bottom / self.scale)


def _block(page: Page) -> tuple[float, float] | None:
    """The page's left and right edges of print, from its long lines (10th and 98th percentile)."""
    long_ = [ln for ln in page.lines if len(ln.text) >= 30]
    if len(long_) < MIN_FULL_LINES:
        return None
    lefts, rights = sorted(ln.x0 for ln in long_), sorted(ln.x1 for ln in long_)
    return lefts[len(lefts) // 10], rights[int(len(rights) * 0.98)]


def _move(page: Page, f: Frame) -> None:
    def x(v: float) -> float:
        return (v - f.x0) * f.scale + f.x_ref

    for ln in page.lines:
        ln.x0, ln.x1 = x(ln.x0), x(ln.x1)
        ln.top, ln.bottom = ln.top * f.scale, ln.bottom * f.scale
        ln.first_word_w *= f.scale
        ln.size *= f.scale
    for t in page.tables:
        t.top, t.bottom, t.page_height = t.top * f.scale, t.bottom * f.scale, t.page_height * f.scale
        for row in t.rows:
            for c in row:
                if c.bbox is not None:
                    c.bbox = (x(c.bbox[0]), c.bbox[1] * f.scale, x(c.bbox[2]), c.bbox[3] * f.scale)
    page.width, page.height = page.width * f.scale, page.height * f.scale


def align_pages(pages: list[Page], photo: dict[int, bool]) -> dict[int, Frame]:
    """Move and scale every photo page (``photo[page.number]``) onto the common
    text block, in place; the frames of the pages moved. Pages that are not
    photos, and documents of one page, stay as they are."""
    if len(pages) < 2 or not any(photo.get(p.number) for p in pages):
        return {}
    blocks = {p.number: b for p in pages if (b := _block(p)) is not None}
    if not blocks:
        return {}
    left = median(b[0] for b in blocks.values())
    width = median(b[1] - b[0] for b in blocks.values())
    frames: dict[int, Frame] = {}
    for p in pages:
        if not photo.get(p.number):
            continue
        b = blocks.get(p.number)
        if b is None:
            continue  # too little print to place: left where it is
        scale = width / (b[1] - b[0]) if len(blocks) >= 2 and b[1] > b[0] else 1.0
        if not 0.8 <= scale <= 1.25:
            scale = 1.0  # a text block of its own shape (a table page, a signature page): moved, not scaled
        f = Frame(b[0], left, scale)
        _move(p, f)
        frames[p.number] = f
    return frames
