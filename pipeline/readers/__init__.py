"""Readers, one per format, chosen by content (magic bytes) and then extension.

``REGISTRY`` maps a sniffed format to its reader. ``read_file`` is the single
entry point. Reading txt, DOCX and text PDFs needs no system packages; scans
need Tesseract (checked when an OCR job starts), .doc/.rtf/.odt need LibreOffice.

The tunables of the PDF, layout and OCR readers are one frozen
:class:`~pipeline.readers.settings.ReaderSettings`, ``SETTINGS``;
:func:`settings_snapshot` gives them as JSON for the run record.
"""

from __future__ import annotations

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
from pipeline.readers.base import MAX_INPUT_BYTES, Reader
from pipeline.readers.docx import DocxReader
from pipeline.readers.legacy import LegacyReader
from pipeline.readers.ocr import ImageReader
from pipeline.readers.pdf import PdfReader
from pipeline.readers.settings import DEFAULTS, ReaderSettings
from pipeline.readers.txt import TextReader

# The settings the registered readers read with.
SETTINGS: ReaderSettings = DEFAULTS

# sniffed format → reader; one reader per format, no if/else chains elsewhere
REGISTRY: dict[str, Reader] = {
    "txt": TextReader(),
    "docx": DocxReader(),
    "pdf": PdfReader(SETTINGS),
    "image": ImageReader(SETTINGS),
    "doc": LegacyReader(),
    "rtf": LegacyReader(),
    "odt": LegacyReader(),
}

# Extensions that can hold an order (used to pick files from a folder).
KNOWN_EXTENSIONS = {ext for r in REGISTRY.values() for ext in r.extensions}


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
    if suffix in TextReader.extensions or _looks_like_text(head):
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
    return _binary_share(head) <= 0.01


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
    src = without_controls(src)
    if not src.text.strip():
        hint = "it looks like a scan: OCR found no text" if src.ocr else None
        raise EmptyInput(path, "no text in the file", hint=hint)
    return src
