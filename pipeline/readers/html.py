"""HTML: a legal-database or portal page saved from the browser (Гарант,
КонсультантПлюс, Кодекс, regional portals of legal information).

The page is parsed with lxml (python-docx's own dependency), forgiving of
the unclosed tags such pages have. Scripts, styles and the document head are
dropped; every block element (p, div, h1–h6, li, …) and every <br> ends a
line; text inside inline elements runs on. A table becomes a grid when it
holds no other table (cells joined over their paragraphs, a colspan or
rowspan repeated over the columns and rows it spans, as Word's merged cells
are); a table that holds tables is page layout, read as blocks; a <pre>
keeps its lines as printed, and a table drawn with box characters in it is a
grid too. The charset
comes from the page's <meta> (windows-1251 is common), else as for text.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.boxtables import tables_from_box_lines
from pipeline.document import SourceText, TextBuilder
from pipeline.errors import CorruptFile
from pipeline.readers.base import Reader, check_text_size
from pipeline.readers.txt import decode

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
          "section", "article", "header", "footer", "main", "aside", "nav", "center", "address", "form", "figure",
          "figcaption", "caption", "body", "hr", "tr", "td", "th", "table", "tbody", "thead", "tfoot"}
DROPPED = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SPACES = re.compile(r"[ \t\r\n\u00a0\u200b]+")
MAX_SPAN = 63  # colspan/rowspan beyond Word's 63 columns are clamped


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:8192])
    if m:
        enc = m.group(1).decode("ascii").lower()
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: as for text
    return decode(path, data)


class HtmlReader(Reader):
    name = "html"
    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def read(self, path: Path, data: bytes) -> SourceText:
        check_text_size(path, len(data) // 4, 0, at_least=True)
        text, encoding = _decode(path, data)
        import lxml.etree
        import lxml.html

        try:
            doc = lxml.html.document_fromstring(text)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise CorruptFile(path, f"not a readable HTML page ({exc})") from None
        for el in doc.xpath("|".join(f"//{t}" for t in DROPPED)):
            el.drop_tree()
        b = TextBuilder()
        _Walk(b).block(doc.body if doc.find("body") is not None else doc)
        src = b.build(path=str(path), format="html", reader=self.name, encoding=encoding)
        check_text_size(path, len(src.text), len(src.lines))
        # a Перечень drawn with box characters inside <pre> (a text export put on a page)
        grids = {no for t in src.tables for no in range(t.first_line, t.last_line + 1)}
        drawn = [t for t in tables_from_box_lines(src.text, src.lines)
                 if not grids & set(range(t.first_line, t.last_line + 1))]
        src.tables = sorted(src.tables + drawn, key=lambda t: t.first_line)
        return src


class _Walk:
    def __init__(self, b: TextBuilder):
        self.b = b
        self.buf: list[str] = []

    def flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self.buf)).strip()
        self.buf.clear()
        if line:
            self.b.add(line)

    def block(self, el) -> None:
        """``el``'s content, every block and <br> a line of its own."""
        if el.text:
            self.buf.append(el.text)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                self.flush()
            elif tag == "table" and not child.xpath(".//table"):
                self.flush()
                self.table(child)
            elif tag == "pre":  # a text export shown as is: its lines, spaces and drawn tables kept
                self.flush()
                for line in child.text_content().split("\n"):
                    if line.strip():
                        self.b.add(line.rstrip().replace("\t", "    "))
            elif tag in BLOCKS:
                self.flush()
                self.block(child)
                self.flush()
            elif tag:
                self.block(child)  # inline: runs on in the line
            if child.tail:
                self.buf.append(child.tail)

    def table(self, el) -> None:
        grid: list[list[str]] = []
        carried: dict[int, list] = {}  # column → [rows left, text] of a rowspan from above
        merged = False

        def take_carried(row: list[str], k: int) -> int:
            while k in carried:  # cells a rowspan above fills in this row
                row.append(carried[k][1])
                carried[k][0] -= 1
                if not carried[k][0]:
                    del carried[k]
                k += 1
            return k

        for tr in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            row: list[str] = []
            k = 0
            for cell in tr.xpath("./td|./th"):
                k = take_carried(row, k)
                txt = _cell_text(cell)
                span, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
                merged |= span > 1 or down > 1
                for j in range(span):
                    row.append(txt)
                    if down > 1:
                        carried[k + j] = [down - 1, txt]
                k += span
            take_carried(row, k)
            if any(t.strip() for t in row):
                grid.append(row)
        if not grid:
            return
        if len(grid) == 1 and len(grid[0]) == 1:
            self.b.add(grid[0][0].replace("\n", " "))  # a one-cell table is a box around a paragraph
            return
        self.b.add_table(grid, merged=merged)


def _span(value) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value)))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell) -> str:
    """A cell's text, its paragraphs and line breaks kept as line breaks."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br" or tag in BLOCKS:
                parts.append("\n")
            if tag and tag != "br":
                walk(child)
            if tag in BLOCKS:
                parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    lines = [_SPACES.sub(" ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)
