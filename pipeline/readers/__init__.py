"""Readers, one per format, chosen by content (magic bytes) and then extension.

``REGISTRY`` maps a sniffed format to its reader. ``read_file`` is the single
entry point. Reading txt, DOCX and text PDFs needs no system packages; scans
need Tesseract (checked when an OCR job starts), .doc/.rtf/.odt need LibreOffice.

The tunables of the PDF, layout and OCR readers are one frozen
:class:`~pipeline.readers.settings.ReaderSettings`, ``SETTINGS``;
:func:`settings_snapshot` gives them as JSON for the run record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from pipeline.document import SourceText, without_controls
from pipeline.errors import (
    CorruptFile,
    EmptyInput,
    EncryptedFile,
    TooLarge,
    UnsupportedFormat,
)
from pipeline.readers.base import MAX_INPUT_BYTES, Reader, check_text_size
from pipeline.readers.settings import DEFAULTS, ReaderSettings

# The settings the registered readers read with.
SETTINGS: ReaderSettings = DEFAULTS

# sniffed format → (module, class, file extensions). A reader's module (and
# pdfplumber, lxml, Pillow, numpy, OpenCV behind it) is imported the first time
# a file of its format is read, so reading a txt, or a command that reads
# nothing, never pays for the others (about 0.4 s of a cold start).
READERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "txt": ("pipeline.readers.txt", "TextReader", (".txt", ".text", ".md")),
    "html": ("pipeline.readers.html", "HtmlReader", (".html", ".htm", ".xhtml")),
    "docx": ("pipeline.readers.docx", "DocxReader", (".docx", ".docm", ".dotx")),
    "pdf": ("pipeline.readers.pdf", "PdfReader", (".pdf",)),
    "image": ("pipeline.readers.ocr", "ImageReader", (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif")),
    "doc": ("pipeline.readers.legacy", "LegacyReader", (".doc", ".rtf", ".odt")),
    "rtf": ("pipeline.readers.legacy", "LegacyReader", (".doc", ".rtf", ".odt")),
    "odt": ("pipeline.readers.legacy", "LegacyReader", (".doc", ".rtf", ".odt")),
}
_WITH_SETTINGS = {"pdf", "image"}  # readers built with SETTINGS


class _Registry(Mapping[str, Reader]):
    """``REGISTRY[fmt]``: the reader of a sniffed format, built on first use.

    >>> REGISTRY["pdf"].extensions, REGISTRY["pdf"] is REGISTRY["pdf"]
    (('.pdf',), True)
    """

    def __init__(self) -> None:
        self._built: dict[str, Reader] = {}

    def __getitem__(self, fmt: str) -> Reader:
        if fmt not in self._built:
            module, cls, _ = READERS[fmt]
            reader_cls = getattr(import_module(module), cls)
            self._built[fmt] = reader_cls(SETTINGS) if fmt in _WITH_SETTINGS else reader_cls()
        return self._built[fmt]

    def __iter__(self) -> Iterator[str]:
        return iter(READERS)

    def __len__(self) -> int:
        return len(READERS)


# sniffed format → reader; one reader per format, no if/else chains elsewhere
REGISTRY: Mapping[str, Reader] = _Registry()

# Extensions that can hold an order (used to pick files from a folder).
KNOWN_EXTENSIONS = {ext for _, _, exts in READERS.values() for ext in exts}


def settings_snapshot() -> dict[str, Any]:
    """The reader settings in effect, JSON-serialisable (for ``_run.json``).

    >>> settings_snapshot()["pdf"]["table"]["vertical_strategy"]
    'lines'
    >>> sorted(settings_snapshot())
    ['layout', 'ocr', 'pdf']
    """
    return SETTINGS.model_dump(mode="json")


def sniff(path: Path, head: bytes) -> str:
    """Format from content first: a renamed PDF is still a PDF.

    >>> sniff(Path("order.txt"), b"%PDF-1.7 ...")
    'pdf'
    """
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:  # the spec allows junk before the header
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "odt" if b"opendocument" in head[:200] else "docx"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # an OLE container: a Word 97 .doc, or a password-protected DOCX
        if suffix in (".docx", ".docm") or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in head:
            return "encrypted-office"
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if suffix in READERS["html"][2] or suffix in READERS["txt"][2] or _looks_like_text(head):
        low = head[:4096].lower()
        # a saved web page: the markup says so whatever the extension
        if b"<html" in low or b"<!doctype html" in low or (suffix in READERS["html"][2] and b"<" in low):
            return "html"
        return "txt"
    raise UnsupportedFormat(path, f"unknown format ({suffix or 'no extension'}, content is not text)")


# bytes that plain text does not hold (C0 controls but tab, LF, VT, FF, CR)
_BINARY_BYTES = bytes([*range(0, 9), *range(14, 32)])


def _binary_share(head: bytes) -> float:
    """Share of control bytes in ``head`` (one C-level pass, not a Python loop per byte)."""
    return (len(head) - len(head.translate(None, _BINARY_BYTES))) / max(len(head), 1)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if _binary_share(head) <= 0.01:
        return True
    from pipeline.readers.txt import utf16_without_bom  # light: no other reader comes with it

    return utf16_without_bom(head) is not None


def read_file(path: str | Path, on_page: Callable[[int, int], None] | None = None) -> SourceText:
    """Read any supported file into a :class:`SourceText`; raises a PipelineError
    (one line naming the file and the reason) on bad input.

    ``on_page(done, total)`` reports progress through the pages of a PDF.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput(path, "empty file")
    if size > MAX_INPUT_BYTES:
        raise TooLarge(path, f"file is {size // (1024 * 1024)} MiB, over the {MAX_INPUT_BYTES // (1024 * 1024)} MiB limit")
    with path.open("rb") as fh:
        head = fh.read(4096)
    fmt = sniff(path, head)
    if fmt == "encrypted-office":
        raise EncryptedFile(path, "the Word file is password protected")
    reader = REGISTRY.get(fmt)
    if reader is None:
        raise UnsupportedFormat(path, f"{fmt} input is not supported yet")
    if fmt == "txt" and not _looks_like_text(head):  # a stray NUL or ESC is removed below, not a reason to refuse
        raise CorruptFile(path, "binary content in a text file")
    data = path.read_bytes()
    if on_page is not None and fmt == "pdf":
        src = reader.read(path, data, on_page=on_page)  # type: ignore[call-arg]
    else:
        src = reader.read(path, data)
    check_text_size(path, len(src.text), len(src.lines))  # DOCX and PDF: their own caps bound the reading
    src = without_controls(src)
    if not src.text.strip():
        hint = "it looks like a scan: OCR found no text" if src.ocr else None
        raise EmptyInput(path, "no text in the file", hint=hint)
    return src
