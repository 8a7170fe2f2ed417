"""The DOCX package: the zip opened with zip-bomb guards, its parts read and
parsed safely (no entities, no network), the main document part found."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.errors import CorruptFile, TooLarge
from pipeline.readers.numbering import safe_xml_parser

# Zip-bomb guards, checked on the central directory before anything is inflated.
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200


def open_docx_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    """Open the package and refuse bombs before inflating anything."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CorruptFile(path, f"not a valid DOCX (broken zip: {exc})", hint="open it in Word and save again") from None
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise TooLarge(path, f"DOCX part {info.filename} inflates to {info.file_size // (1024 * 1024)} MiB (ratio {ratio:.0f}:1), refusing a zip bomb",
                           hint="a real order is well under 10 MiB unpacked")
    if total > MAX_TOTAL_BYTES:
        raise TooLarge(path, f"DOCX inflates to {total // (1024 * 1024)} MiB, refusing a zip bomb", hint="a real order is well under 10 MiB unpacked")
    return zf


def read_part(zf: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        return zf.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptFile(path, f"DOCX part {name} is damaged ({exc})", hint="open it in Word and save again") from None


def parse_part(data: bytes, path: Path, name: str):
    try:
        return etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(path, f"DOCX part {name} is not valid XML ({exc})", hint="open it in Word and save again") from None


def main_part(zf: zipfile.ZipFile) -> str | None:
    names = set(zf.namelist())
    if "word/document.xml" in names:
        return "word/document.xml"
    ct = "[Content_Types].xml"
    if ct in names:
        try:
            root = etree.fromstring(zf.read(ct), parser=safe_xml_parser())
        except etree.XMLSyntaxError:
            return None
        for ov in root:
            if str(ov.get("ContentType", "")).endswith("document.main+xml"):
                return ov.get("PartName", "").lstrip("/")
    return None
