"""Readers, one per format, chosen by content (magic bytes) and then extension.

``REGISTRY`` maps a sniffed format to its reader; other format modules add
themselves here. ``read_file`` is the single entry point.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import CorruptFile, EmptyInput, TooLarge, UnsupportedFormat
from pipeline.readers.base import MAX_INPUT_BYTES, Reader, SourceText
from pipeline.readers.docx import DocxReader
from pipeline.readers.pdf import PdfReader
from pipeline.readers.txt import TextReader

REGISTRY: dict[str, Reader] = {"txt": TextReader(), "docx": DocxReader(), "pdf": PdfReader()}

# Extensions that can hold an order (used to pick files from a folder).
KNOWN_EXTENSIONS = {".txt", ".text", ".md", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".doc", ".rtf", ".odt"}


def sniff(path: Path, head: bytes) -> str:
    """Format from content first: a renamed PDF is still a PDF."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if path.suffix.lower() != ".odt" else "odt"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    suffix = path.suffix.lower()
    if suffix in TextReader.extensions or _looks_like_text(head):
        return "txt"
    raise UnsupportedFormat(path, f"unknown format ({suffix or 'no extension'}, content is not text)")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    control = sum(b < 9 or 13 < b < 32 for b in head)
    return control <= len(head) * 0.01


def read_file(path: str | Path) -> SourceText:
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput(path, "empty file")
    if size > MAX_INPUT_BYTES:
        raise TooLarge(path, f"file is {size // (1024 * 1024)} MiB, over the {MAX_INPUT_BYTES // (1024 * 1024)} MiB limit")
    with path.open("rb") as fh:
        head = fh.read(4096)
    fmt = sniff(path, head)
    reader = REGISTRY.get(fmt)
    if reader is None:
        raise UnsupportedFormat(path, f"{fmt} input is not supported yet")
    if fmt == "txt" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorruptFile(path, "binary content in a text file")
    data = path.read_bytes()
    src = reader.read(path, data)
    if not src.text.strip():
        raise EmptyInput(path, "no text in the file")
    return src
