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
    column_gap: float = Field(24.0, gt=0)  # points: a wider tab-like gap splits a line (justified gaps never do)
    justify_ratio: float = Field(1.6, gt=1)  # a gap this many times wider than the line's other gaps is tab-like
    min_cell_gap: float = Field(6.0, gt=0)  # points: narrowest gap between two cells of a whitespace table
    ws_table_min_cols: int = Field(3, ge=2)  # a whitespace table has at least this many aligned columns
    ws_table_min_rows: int = Field(3, ge=2)  # … over at least this many rows with three or more cells
    scan_image_share: float = Field(0.85, gt=0, le=1)  # an image covering this share of the page: a scan
    text_layer_min_known: float = Field(0.6, ge=0, le=1)  # a scan's text layer is used when this share of its words are dictionary words


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
    timeout: int = Field(120, gt=0)  # seconds per Tesseract call (the CLI's process group is killed after it)
    memory_mb: int = Field(2048, ge=64)  # address space of one Tesseract process (a 60-MP page needs ~1 GB)
    ink_threshold: int = Field(160, ge=1, le=255)  # grey level below which a pixel is ink (rules detection)
    min_rule_h: float = Field(0.12, gt=0, le=1)  # horizontal rule: at least this share of the page width
    min_rule_v: int = Field(40, ge=1)  # vertical rule: at least this many pixels long at 200 dpi (in proportion above)
    max_skew: float = Field(4.0, ge=0, le=45)  # degrees searched either way when deskewing
    default_dpi: int = Field(300, ge=72, le=1200)  # a PDF page without a usable image is rendered at this
    max_pixels: int = Field(60_000_000, gt=0)  # a 600-dpi A3 page; larger images are refused (decompression bombs)
    low_confidence: float = Field(60.0, ge=0, le=100)  # mean word confidence below this is reported
    # phone photos (readers/photo_prep.py)
    photo_unevenness: float = Field(40.0, ge=0)  # background spread + dimness (grey levels) from which an image is a photo
    photo_max_skew: float = Field(6.0, ge=0, le=45)  # degrees searched either way when deskewing a photo (1–5° by hand)
    photo_min_dpi: int = Field(200, ge=72, le=1200)  # a photo whose page is coarser is enlarged to this (small print)
    photo_max_dpi: int = Field(300, ge=72, le=1200)  # a finer one is reduced to this (12-MP phones: time, no gain)
    photo_min_keystone: float = Field(3.0, ge=0)  # points the print's margins converge over a photo page before it is unwarped
    max_rule_share: float = Field(0.25, gt=0, le=1)  # "ruling lines" over more of the page than this are shadows: ignored
    # libtesseract in process (tesserocr) for table cells: the model stays loaded (~50 ms a cell
    # against a process start and model load each); the tesseract CLI when tesserocr is missing
    cell_engine: Literal["auto", "cli"] = "auto"
    cell_reread_below: float = Field(70.0, ge=0, le=100)  # a cell whose page-pass words are less sure is read alone too (≤ 3 letters: below 90)


class ReaderSettings(_Frozen):
    """Everything that tunes reading, as recorded in ``_run.json``."""

    pdf: PdfSettings = PdfSettings()
    layout: LayoutSettings = LayoutSettings()
    ocr: OcrSettings = OcrSettings()


# The defaults, shared: settings objects are frozen, so one instance serves every caller.
DEFAULTS = ReaderSettings()
