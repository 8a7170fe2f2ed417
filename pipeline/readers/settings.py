"""Tunables of the positioned-text readers (PDF text layer, layout assembly, OCR).

Each reader's knobs live in one frozen, validated object with the defaults the
golden files were made with, so a run can record what it read with
(:func:`pipeline.readers.settings_snapshot`) and a wrong value fails when the
object is built, not deep inside a page:

    >>> OcrSettings(psm=3).psm
    3
    >>> try:
    ...     OcrSettings(psm=14)
    ... except ValueError as exc:  # pydantic's ValidationError
    ...     print(exc.errors()[0]["loc"], exc.errors()[0]["type"])
    ('psm',) less_than_equal

:class:`ReaderSettings` groups them; the readers in ``readers.REGISTRY`` share
one instance, ``readers.SETTINGS``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Strategy = Literal["lines", "lines_strict", "text", "explicit"]


class _Frozen(BaseModel):
    # frozen: a settings object can be shared by threads and recorded as is;
    # extra="forbid": a misspelt knob is an error, not a silent default
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class TableSettings(_Frozen):
    """pdfplumber's table finder, tuned on the corpus tables: ruling lines only
    (our tables are fully ruled), tolerances a little wider than pdfplumber's
    default for lines drawn as thin rectangles by Word/LibreOffice.

    >>> TableSettings().as_pdfplumber()["vertical_strategy"]
    'lines'
    """

    vertical_strategy: Strategy = "lines"
    horizontal_strategy: Strategy = "lines"
    snap_tolerance: float = Field(3, ge=0)
    join_tolerance: float = Field(3, ge=0)
    intersection_tolerance: float = Field(3, ge=0)
    edge_min_length: float = Field(10, ge=0)

    def as_pdfplumber(self) -> dict[str, Any]:
        """The ``table_settings`` dict ``pdfplumber.Page.find_tables`` takes."""
        return self.model_dump()


class PdfSettings(_Frozen):
    """The text layer of a PDF page → visual lines and table fragments."""

    table: TableSettings = TableSettings()
    min_text_chars: int = Field(25, ge=0)  # fewer printable characters: the page is an image, OCR it
    line_tolerance: float = Field(3.0, ge=0)  # points: words whose tops differ less share a visual line
    column_gap: float = Field(24.0, gt=0)  # points: a wider gap between words is a column gap, not a space


class LayoutSettings(_Frozen):
    """Assembly of positioned lines into logical lines (shared by PDF and OCR)."""

    margin_band: float = Field(0.09, ge=0, lt=0.5)  # top/bottom share of the page where running matter lives
    repeat_share: float = Field(0.5, gt=0, le=1)  # a band line on at least this share of pages is running matter
    para_gap: float = Field(1.45, gt=0)  # vertical gap, in line pitches, that ends a paragraph
    indent: float = Field(12.0, ge=0)  # points of first-line indent that start a paragraph


class OcrSettings(_Frozen):
    """The scan path: Tesseract call, image preparation, confidence report."""

    lang: str = Field("rus", min_length=1)  # Tesseract language data
    psm: int = Field(3, ge=0, le=13)  # Tesseract page segmentation mode for the page pass
    timeout: int = Field(120, gt=0)  # seconds per Tesseract call
    ink_threshold: int = Field(160, ge=1, le=255)  # grey level below which a pixel is ink (rules detection)
    min_rule_h: float = Field(0.12, gt=0, le=1)  # horizontal rule: at least this share of the page width
    min_rule_v: int = Field(40, ge=1)  # vertical rule: at least this many pixels long
    max_skew: float = Field(4.0, ge=0, le=45)  # degrees searched either way when deskewing
    default_dpi: int = Field(300, ge=72, le=1200)  # a PDF page without a usable image is rendered at this
    max_pixels: int = Field(60_000_000, gt=0)  # a 600-dpi A3 page; larger images are refused (decompression bombs)
    low_confidence: float = Field(60.0, ge=0, le=100)  # mean word confidence below this is reported


class ReaderSettings(_Frozen):
    """Everything that tunes reading, as recorded in ``_run.json``."""

    pdf: PdfSettings = PdfSettings()
    layout: LayoutSettings = LayoutSettings()
    ocr: OcrSettings = OcrSettings()


# The defaults, shared: settings objects are frozen, so one instance serves every caller.
DEFAULTS = ReaderSettings()
