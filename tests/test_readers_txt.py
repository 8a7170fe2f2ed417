"""Text reader: encodings (UTF-8, BOM, Windows-1251, KOI8-R, UTF-16), newlines, sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import DecodeFailed
from pipeline.readers import read_file, sniff
from pipeline.readers.txt import TextReader, decode
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import extra, fixture_path, formats  # noqa: F401 - session fixture

SAMPLE = "ПРИКАЗ\n«23» 03 2026 г. № 22-2\nОб утверждении Порядка взаимодействия с клиентом — точки взаимодействия.\n"


@pytest.mark.parametrize("encoding,data,want", [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8-sig", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ("cp1251", SAMPLE.encode("cp1251"), "cp1251"),
    ("koi8_r", SAMPLE.replace("«", '"').replace("»", '"').replace("№", "N").replace("—", "-").encode("koi8_r"), "koi8_r"),
    ("utf-16", SAMPLE.encode("utf-16"), "utf-16"),
])
def test_decodes_russian_code_pages(encoding, data, want):
    text, enc = decode(Path("x.txt"), data)
    assert enc == want
    assert "Об утверждении Порядка взаимодействия с клиентом" in text


def test_crlf_and_cr_become_newlines():
    src = TextReader().read(Path("x.txt"), "один\r\nдва\rтри\n".encode("cp1251"))
    assert [ln.text for ln in src.lines] == ["один", "два", "три", ""]
    assert src.encoding == "cp1251"


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(DecodeFailed) as e:
        decode(Path("junk.txt"), bytes(range(128, 256)) * 20)
    assert "junk.txt" in e.value.one_line()


@pytest.mark.parametrize("short", list(ORDERS))
def test_cp1251_corpus_reads_back_to_the_utf8_text(short, formats):
    stem = ORDERS[short].removesuffix(".txt")
    src = read_file(fixture_path("cp1251", stem, "txt"))
    assert src.encoding == "cp1251" and "\r" not in src.text
    want = (CORPUS / ORDERS[short]).read_text(encoding="utf-8").replace("→", "->")
    assert src.text == want


@pytest.mark.parametrize("name,encoding", [("altai-koi8r.txt", "koi8_r"), ("altai-utf8-bom.txt", "utf-8-sig"), ("altai-utf16.txt", "utf-16")])
def test_whole_order_in_other_encodings(name, encoding, formats):
    src = read_file(extra(name))
    assert src.encoding == encoding
    assert "Горно-Алтайск" in src.text


def test_sniffing_is_by_content_not_extension(formats):
    assert sniff(Path("a.txt"), b"%PDF-1.4\n") == "pdf"
    assert sniff(Path("a.pdf"), b"\x00\x00junk%PDF-1.7") == "pdf"
    assert sniff(Path("scan.dat"), b"\xff\xd8\xff\xe0....") == "image"
    assert sniff(Path("a.odt"), b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text") == "odt"
    assert sniff(Path("a.docx"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "encrypted-office"
    assert sniff(Path("a.doc"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "doc"
    assert sniff(Path("a.rtf"), b"{\\rtf1\\ansi") == "rtf"
    src = read_file(extra("renamed-pdf.txt"))
    assert src.format == "pdf" and src.pages and src.pages > 1
