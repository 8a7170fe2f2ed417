"""Hostile inputs, generated on demand (nothing large is committed).

Each case is a small file (or a large one written sparsely or from a short
recipe) that once made a reader take unbounded time or memory, or carried
bytes that must not reach the output: Word numbering that starts at 10^12,
a ``gridSpan`` of 10^8, a PDF page of 14,400 pt, a 20,000 × 20,000 image in
a PDF, 200,000 pages, tens of megabytes of text, control characters and
terminal escapes, plus the usual empty / binary / wrong-encoding / corrupt /
encrypted files.

    .venv/bin/python tests/hostile/make_cases.py /tmp/hostile            # every case
    .venv/bin/python tests/hostile/make_cases.py /tmp/hostile docx-roman-1e12 text-16mb

:func:`build` does the same from a test; ``CASES`` names them.
"""

from __future__ import annotations

import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "corpus" / "north-ossetia-employment-committee-2026-03-23-22-2.txt"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


# ------------------------------------------------------------------ DOCX


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _para(text: str, num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:p>'


def _order_head() -> list[str]:
    """The head of a real order (letterhead to the operative formula)."""
    lines = [s.replace("**", "").strip() for s in GOOD.read_text(encoding="utf-8").splitlines()]
    return [s for s in lines[:20] if s]


def _docx(path: Path, body: str, numbering: str | None = None, stored: bool = False) -> Path:
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    # stored: not compressed, so a repetitive part stays under the zip-bomb ratio (as a hostile file would)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", doc)
        if numbering is not None:
            zf.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
    return path


def _numbered_order(path: Path, fmt: str, start: str, override: str | None = None) -> Path:
    """An order whose clauses are one Word list of format ``fmt`` starting at ``start``."""
    numbering = (f'<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
                 f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
                 f'<w:num w:numId="1"><w:abstractNumId w:val="1"/>'
                 + (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>' if override else "")
                 + "</w:num>")
    clauses = ["Утвердить прилагаемый Порядок взаимодействия с клиентом.",
               "Ознакомить с настоящим приказом касающихся лиц под роспись.",
               "Контроль за исполнением настоящего приказа оставляю за собой."]
    body = "".join(_para(s) for s in _order_head()) + "".join(_para(s, (1, 0)) for s in clauses)
    body += _para("Председатель") + _para("А.В. Эммануилиди")
    return _docx(path, body, numbering)


def _table_order(path: Path, tc_pr: str = "", tr_pr: str = "", grid_cols: int = 3, rows: int = 3) -> Path:
    grid = "<w:tblGrid>" + '<w:gridCol w:w="1000"/>' * grid_cols + "</w:tblGrid>"
    borders = ('<w:tblPr><w:tblBorders><w:insideV w:val="single"/><w:insideH w:val="single"/>'
               "</w:tblBorders></w:tblPr>")

    def cell(text: str, pr: str = "") -> str:
        return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{_para(text)}</w:tc>"

    trs = [f"<w:tr>{f'<w:trPr>{tr_pr}</w:trPr>' if tr_pr else ''}{cell('Официальный сайт', tc_pr)}"
           f"{cell('цифровая')}{cell('получение информации')}</w:tr>"]
    trs += [f"<w:tr>{cell(f'Телефон {k}')}{cell('офлайн')}{cell('консультация')}</w:tr>" for k in range(rows - 1)]
    body = "".join(_para(s) for s in _order_head()) + f"<w:tbl>{borders}{grid}{''.join(trs)}</w:tbl>"
    body += _para("Председатель") + _para("А.В. Эммануилиди")
    return _docx(path, body)


def _field_bomb_order(path: Path, fields: int = 20_000) -> Path:
    """An order with a paragraph of ``fields`` nested HYPERLINK fields never closed, text in each result."""
    run = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">HYPERLINK "x" </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>a</w:t></w:r>')
    body = "".join(_para(s) for s in _order_head()) + f"<w:p>{run * fields}</w:p>" + _para("Председатель")
    return _docx(path, body, stored=True)


def _controls_order(path: Path) -> Path:
    """An order whose letterhead carries C1 controls (XML 1.0 allows them, not C0): an 8-bit CSI
    colour, an 8-bit OSC window title, NEL and DEL."""
    head = _order_head()
    head[0] = head[0] + "\x9b31m\x85\x7f"
    head[1] = "\x9d0;pwned\x9c" + head[1]
    return _docx(path, "".join(_para(s) for s in head) + _para("Председатель") + _para("А.В. Эммануилиди"))


# ------------------------------------------------------------------ PDF


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1 = catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def huge_page_pdf(path: Path, side: int = 14400, user_unit: float | None = None) -> Path:
    """One page ``side`` points square (200 inches), drawn with curves (so it looks like a page to OCR), no text."""
    uu = b" /UserUnit %g" % user_unit if user_unit else b""
    curves = b" ".join(b"%d 0 m %d 50 %d 50 %d 0 c S" % (k * 60, k * 60 + 10, k * 60 + 40, k * 60 + 50) for k in range(24))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]%s /Contents 4 0 R /Resources << >> >>" % (side, side, uu),
            _stream(curves)]
    path.write_bytes(_pdf(objs))
    return path


def text_and_huge_page_pdf(path: Path) -> Path:
    """Page 1 an A4 page of text, page 2 a 14,400-pt page with nothing but a line."""
    text = b"BT /F1 12 Tf 72 760 Td (Page one holds the text layer of this file.) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 6 0 R /Resources << >> >>",
            _stream(text), _stream(b" ".join(b"%d 0 m %d 50 %d 50 %d 0 c S" % (k * 60, k * 60 + 10, k * 60 + 40, k * 60 + 50)
                                             for k in range(24))),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(_pdf(objs))
    return path


def dense_rules_pdf(path: Path, n: int = 150) -> Path:
    """An A4 page ruled by ``n`` horizontal and ``n`` vertical lines (a 22,000-cell grid), one line of text."""
    ops = [b"0.1 w"]
    for k in range(n):
        ops.append(b"20 %.2f m 575 %.2f l S" % (20 + k * 800 / n, 20 + k * 800 / n))
        ops.append(b"%.2f 20 m %.2f 820 l S" % (20 + k * 555 / n, 20 + k * 555 / n))
    ops.append(b"BT /F1 12 Tf 72 830 Td (Text of the page over many rules here.) Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(b"\n".join(ops)), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(_pdf(objs))
    return path


def large_image_pdf(path: Path, px: int = 20000) -> Path:
    """An A4 page covered by a ``px`` × ``px`` grey image (Flate: ~0.4 MB for 400 MB of pixels)."""
    comp = zlib.compressobj(9)
    row = b"\xff" * px
    chunks = [comp.compress(row) for _ in range(px)]
    chunks.append(comp.flush())
    img = b"".join(chunks)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            _stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Filter /FlateDecode" % (px, px))]
    path.write_bytes(_pdf(objs))
    return path


def many_pages_pdf(path: Path, pages: int = 200_000) -> Path:
    """``pages`` real page objects sharing one content stream (~16 MB)."""
    first = 4
    kids = b" ".join(b"%d 0 R" % (first + k) for k in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            _stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << >> >>"] * pages
    path.write_bytes(_pdf(objs))
    return path


# ------------------------------------------------------------------ text


def large_text(path: Path, mb: int) -> Path:
    """A real order repeated to ``mb`` MiB (under the 200 MiB byte limit)."""
    unit = GOOD.read_bytes()
    target = mb * 1024 * 1024
    with path.open("wb") as fh:
        n = 0
        while n < target:
            fh.write(unit)
            n += len(unit)
    return path


def control_text(path: Path) -> Path:
    """A real order with NUL, C0/C1 controls, an ANSI colour escape and an OSC title/hyperlink sequence in it."""
    text = GOOD.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[6] = lines[6] + "\x00\x07\x1b[31mКРАСНЫЙ\x1b[0m\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\ссылка\x1b]8;;\x1b\\"
    lines[16] = "\x85\x9b2J" + lines[16] + "\x01\x02\x7f\x08"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def large_rtf(path: Path, paragraphs: int = 60_000) -> Path:
    """A plain RTF of ``paragraphs`` paragraphs (~5 MB): LibreOffice takes seconds over it."""
    word = "".join(f"\\u{ord(c)}?" for c in "ПРИКАЗ")
    body = "\\par ".join(f"{word} {k}: paragraph of an order to typeset" for k in range(paragraphs))
    path.write_text("{\\rtf1\\ansi\\deff0 " + body + "}", encoding="ascii")
    return path


# ------------------------------------------------------------------ the cases

Builder = Callable[[Path], Path]

CASES: dict[str, tuple[str, Builder]] = {
    # Word numbering whose counter is a huge number (the labels' length and the loops grew with it)
    "docx-roman-1e12": ("roman-1e12.docx", lambda p: _numbered_order(p, "lowerRoman", "1000000000000")),
    "docx-russian-3e9": ("russian-3e9.docx", lambda p: _numbered_order(p, "russianLower", "3000000000")),
    "docx-letter-override": ("letter-override.docx", lambda p: _numbered_order(p, "upperLetter", "1", override="9" * 5000)),
    "docx-start-garbage": ("start-garbage.docx", lambda p: _numbered_order(p, "decimal", "x1", override="-7")),
    # table counts taken from the file
    "docx-gridspan": ("gridspan.docx", lambda p: _table_order(p, tc_pr='<w:gridSpan w:val="100000000"/>')),
    "docx-gridbefore": ("gridbefore.docx", lambda p: _table_order(p, tr_pr='<w:gridBefore w:val="100000000"/><w:gridAfter w:val="100000000"/>')),
    "docx-controls": ("controls.docx", _controls_order),
    "docx-field-bomb": ("field-bomb.docx", _field_bomb_order),
    "docx-wide-grid": ("wide-grid.docx", lambda p: _table_order(p, grid_cols=40000, rows=2000)),
    # PDF geometry and pixels
    "pdf-huge-page": ("huge-page.pdf", lambda p: huge_page_pdf(p)),
    "pdf-user-unit": ("user-unit.pdf", lambda p: huge_page_pdf(p, side=14400, user_unit=75)),
    "pdf-text-and-huge-page": ("text-and-huge-page.pdf", text_and_huge_page_pdf),
    "pdf-dense-rules": ("dense-rules.pdf", dense_rules_pdf),
    "pdf-large-image": ("large-image.pdf", lambda p: large_image_pdf(p)),
    "pdf-many-pages": ("many-pages.pdf", lambda p: many_pages_pdf(p)),
    # text
    "text-1mb": ("text-1mb.txt", lambda p: large_text(p, 1)),
    "text-4mb": ("text-4mb.txt", lambda p: large_text(p, 4)),
    "text-16mb": ("text-16mb.txt", lambda p: large_text(p, 16)),
    "text-150mb": ("text-150mb.txt", lambda p: large_text(p, 150)),
    "text-controls": ("controls.txt", control_text),
    "rtf-large": ("large.rtf", large_rtf),
    # the usual
    "empty": ("empty.txt", lambda p: (p.write_bytes(b""), p)[1]),
    "binary": ("binary.txt", lambda p: (p.write_bytes(bytes(range(1, 32)) * 300), p)[1]),
    "wrong-encoding": ("wrong-encoding.txt", lambda p: (p.write_bytes("Ωραίο κείμενο χωρίς κυριλλικά. ".encode("cp1253") * 40), p)[1]),
    "corrupt-docx": ("corrupt.docx", lambda p: (p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8), p)[1]),
    "encrypted-docx": ("encrypted.docx", lambda p: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                                                                  + "EncryptedPackage".encode("utf-16-le")), p)[1]),
}


def build(out: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the named cases (all by default) into ``out``; returns name → path."""
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for name in names or list(CASES):
        filename, make = CASES[name]
        made[name] = make(out / filename)
    return made


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name, path in build(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name}\t{path}\t{path.stat().st_size} bytes")
