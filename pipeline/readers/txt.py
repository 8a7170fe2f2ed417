"""Plain-text orders: UTF-8 (with or without BOM), UTF-16 (with or without BOM), Windows-1251, KOI8-R, CRLF."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.boxtables import tables_from_box_lines
from pipeline.document import SourceText, split_lines, tables_from_tab_lines
from pipeline.linetables import tables_from_cell_lines
from pipeline.errors import CorruptFile, DecodeFailed
from pipeline.readers.base import Reader, check_text_size

# Encodings we expect from Russian agencies, tried in this order after UTF-8.
CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 first (strict), then the Cyrillic
    code page that charset-normalizer rates best; never a lossy decode."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DecodeFailed(path, f"invalid UTF-16 text at byte {exc.start}") from None
    # UTF-16 without a BOM before UTF-8: Russian letters in it are bytes below 0x80, valid UTF-8; its
    # spaces are NUL bytes, which real UTF-8 text does not have
    bare = utf16_without_bom(data[:4096]) if b"\x00" in data[:4096] else None
    if bare is not None:
        try:
            return data.decode(bare), bare
        except UnicodeDecodeError as exc:
            raise DecodeFailed(path, f"invalid UTF-16 text at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CYRILLIC_ENCODINGS)).best()
    if best is not None and _cyrillic_share(str(best)) > 0.3:
        return str(best), best.encoding
    raise DecodeFailed(path, "cannot decode the text: not UTF-8 and no Cyrillic code page fits")


# what Russian text is made of: ASCII, Cyrillic, general punctuation (dashes, quotes), «», №
_TEXT_CHARS = re.compile("[\t\n\r\x20-\x7e\u00a0\u00ab\u00bb\u00b0\u0400-\u04ff\u2010-\u2044\u2116]")


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"`` / ``"utf-16-be"`` when ``head`` reads as Russian (or ASCII) text in that
    byte order with no BOM (Windows "Unicode" saved by some tools), else None. Random bytes
    decode into CJK and other blocks, not 95 % Cyrillic, ASCII and punctuation.

    >>> utf16_without_bom("ПРИКАЗ № 5 от 1.2.2024".encode("utf-16-le")), utf16_without_bom(bytes(range(256)))
    ('utf-16-le', None)
    """
    head = head[: len(head) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if text and len(_TEXT_CHARS.findall(text)) >= 0.95 * len(text):
            return enc
    return None


_LETTER = re.compile(r"[^\W\d_]")
_RUSSIAN = re.compile(r"[а-яёА-ЯЁ]")
# C0 controls but tab, LF, VT, FF, CR: counted by one regex pass (str.translate with a dict is per character)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
SAMPLE_CHARS = 200_000  # the code-page and binary tests look at the start of the text only


def _cyrillic_share(text: str) -> float:
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    return len(_RUSSIAN.findall(sample)) / letters if letters else 0.0


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextReader(Reader):
    name = "txt"
    format = "txt"
    extensions = (".txt", ".text", ".md")

    def read(self, path: Path, data: bytes) -> SourceText:
        # a character is at most 4 bytes: a file that cannot fit is refused before it is decoded
        check_text_size(path, len(data) // 4, 0, at_least=True)
        text, encoding = decode(path, data)
        if _control_share(text) > 0.02:
            raise CorruptFile(path, "binary content, not text")
        text = normalize_newlines(text)
        check_text_size(path, len(text), text.count("\n") + 1)  # before lines and tables are built
        lines = split_lines(text)
        return SourceText(
            path=str(path),
            format="txt",
            reader=self.name,
            text=text,
            lines=lines,
            tables=_tables(text, lines),
            encoding=encoding,
            soft_wrapped=True,
        )


def _tables(text: str, lines) -> list:
    """Tab-separated grids, tables drawn with box characters (legal databases'
    text exports), and tables a web page's text gives one cell a line."""
    tables = tables_from_tab_lines(text, lines) + tables_from_box_lines(text, lines)
    taken = {no for t in tables for no in range(t.first_line, t.last_line + 1)}
    tables += tables_from_cell_lines(text, lines, taken)
    return sorted(tables, key=lambda t: t.first_line)
