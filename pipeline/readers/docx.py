"""DOCX orders: body paragraphs and tables in document order.

Read straight from the zip with lxml (python-docx walks the same XML ~20× slower
and drops Word's automatic numbering). What it does deliberately:

- Word automatic numbering is rendered into the paragraph text as the printed
  label ("1.1. ", "к) ", "- "); see :mod:`pipeline.readers.numbering`.
- Tables become full grids: ``gridSpan`` and ``vMerge`` cells are expanded and
  the merged value is carried to every row/column it spans (``Table.merged``).
  The rendered tab line prints a vertically merged value only on its first row,
  as the paper does; the carried grid cells point at that first occurrence.
- A nested table is flattened into its cell's text (rows joined with "; ").
- Text boxes (``w:txbxContent``) follow their anchor paragraph as lines of their
  own; the VML fallback copy of the same box is skipped.
- Soft line breaks split a paragraph into several lines (letterheads use them).
- Running headers and footers are not body text: the first page's header is
  kept once at the top (agencies put the letterhead there), footers are dropped.
- Pages: 1 + explicit page breaks seen so far (Word's last rendered breaks when
  the file has them); a DOCX has no fixed layout, so treat them as approximate.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.document import Cell, SourceText, Table, TextBuilder
from pipeline.errors import CorruptFile, TooLarge
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader
from pipeline.readers.numbering import Numbering, q, safe_xml_parser

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

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


def _read_part(zf: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        return zf.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptFile(path, f"DOCX part {name} is damaged ({exc})", hint="open it in Word and save again") from None


def _xml(data: bytes, path: Path, name: str):
    try:
        return etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(path, f"DOCX part {name} is not valid XML ({exc})", hint="open it in Word and save again") from None


class _Walker:
    def __init__(self, numbering: Numbering, builder: TextBuilder):
        self.nb = numbering
        self.b = builder
        self.page = 1
        self.saw_rendered_breaks = False
        self.nested = 0
        self.textboxes = 0
        self._pending_section_break = False
        self._para_page: int | None = None

    # -- paragraphs -------------------------------------------------------
    def para_lines(self, p) -> tuple[list[str], list]:
        """Printed lines of a paragraph (label included) and its text boxes."""
        ppr = p.find(q("pPr"))
        if ppr is not None and ppr.find(q("pageBreakBefore")) is not None:
            self.page += 1
        self._para_page = None
        label = ""
        numpr = self.nb.numpr_of(ppr)
        if numpr is not None:
            label = self.nb.label(*numpr)
        parts: list[str] = [label]
        boxes: list = []
        self._runs(p, parts, boxes)
        lines = [" ".join(s.split()) if s.strip() else "" for s in "".join(parts).split("\n")]
        if ppr is not None:
            sect = ppr.find(q("sectPr"))
            if sect is not None:
                t = sect.find(q("type"))
                if t is None or t.get(q("val")) in (None, "nextPage", "oddPage", "evenPage"):
                    self._pending_section_break = True
        return lines, boxes

    def _runs(self, el, parts: list[str], boxes: list) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str):
                continue
            if tag == q("t"):
                if self._para_page is None and (ch.text or "").strip():
                    self._para_page = self.page  # a paragraph is on the page where its text starts
                parts.append(ch.text or "")
            elif tag == q("tab") or tag == q("ptab"):
                parts.append(" ")
            elif tag in (q("br"), q("cr")):
                if ch.get(q("type")) == "page":
                    self.page += 1
                    parts.append(" ")
                else:
                    parts.append("\n")
            elif tag == q("lastRenderedPageBreak"):
                self.saw_rendered_breaks = True
                self.page += 1
            elif tag == q("noBreakHyphen"):
                parts.append("-")
            elif tag == q("softHyphen"):
                continue
            elif tag == q("sym"):
                continue
            elif tag in (q("del"), q("delText"), q("instrText"), q("rPr"), q("pPr"), MC_FALLBACK):
                continue  # deleted revisions, field codes, the VML copy of a text box
            elif tag == q("txbxContent"):
                boxes.append(ch)
                self.textboxes += 1
            else:
                self._runs(ch, parts, boxes)

    # -- body -------------------------------------------------------------
    def block(self, el) -> None:
        for ch in el:
            tag = ch.tag
            if tag == q("p"):
                self._pending_section_break = False
                lines, boxes = self.para_lines(ch)
                page = self._para_page or self.page
                for text in lines:
                    self.b.add(text, page=page)
                for box in boxes:
                    self.block(box)
                if self._pending_section_break and not self.saw_rendered_breaks:
                    self.page += 1
            elif tag == q("tbl"):
                self.table(ch)
            elif tag in (q("sdt"), q("sdtContent"), q("customXml"), q("ins"), q("smartTag")):
                self.block(ch)

    def cell_text(self, tc) -> str:
        out: list[str] = []
        for ch in tc:
            if ch.tag == q("p"):
                lines, boxes = self.para_lines(ch)
                out.extend(s for s in lines if s)
                for box in boxes:
                    out.extend(self._box_text(box))
            elif ch.tag == q("tbl"):
                self.nested += 1
                rows = [" ".join(t for t in row if t) for row in self.grid_texts(ch)]
                out.append("; ".join(r for r in rows if r))
            elif ch.tag in (q("sdt"), q("sdtContent"), q("customXml")):
                out.append(self.cell_text(ch))
        return " ".join(s for s in out if s)

    def _box_text(self, box) -> list[str]:
        out = []
        for p in box.iter(q("p")):
            lines, _ = self.para_lines(p)
            out.extend(s for s in lines if s)
        return out

    def _rows(self, tbl):
        """(texts, vmerge flags) per row, positioned on the table grid."""
        ncols = len(tbl.findall(f"{q('tblGrid')}/{q('gridCol')}"))
        rows = []
        for tr in tbl.iter(q("tr")):
            if tr.getparent() is not tbl and tr.getparent().tag != q("sdtContent"):
                continue
            trpr = tr.find(q("trPr"))
            col = 0
            if trpr is not None and trpr.find(q("gridBefore")) is not None:
                col = int(trpr.find(q("gridBefore")).get(q("val"), "0"))
            cells: list[tuple[int, int, str, str | None]] = []
            for tc in tr.iter(q("tc")):
                if tc.getparent() is not tr and tc.getparent().tag not in (q("sdtContent"), q("customXml")):
                    continue
                tcpr = tc.find(q("tcPr"))
                span = 1
                vm = None
                if tcpr is not None:
                    gs = tcpr.find(q("gridSpan"))
                    if gs is not None:
                        span = max(1, int(gs.get(q("val"), "1")))
                    v = tcpr.find(q("vMerge"))
                    if v is not None:
                        vm = v.get(q("val")) or "continue"
                    if tcpr.find(q("hMerge")) is not None and tcpr.find(q("hMerge")).get(q("val")) != "restart":
                        vm = vm  # legacy hMerge continuation: treated like gridSpan below
                        if cells:
                            c0, s0, t0, v0 = cells[-1]
                            cells[-1] = (c0, s0 + 1, t0, v0)
                            col += 1
                            continue
                cells.append((col, span, self.cell_text(tc), vm))
                col += span
            ncols = max(ncols, col)
            rows.append(cells)
        return rows, ncols

    def grid_texts(self, tbl) -> list[list[str]]:
        rows, ncols = self._rows(tbl)
        grid = [[""] * ncols for _ in rows]
        for r, cells in enumerate(rows):
            for col, span, text, vm in cells:
                if vm == "continue" and r > 0:
                    text = grid[r - 1][col]
                for c in range(col, min(col + span, ncols)):
                    grid[r][c] = text
        return grid

    def table(self, tbl) -> None:
        rows, ncols = self._rows(tbl)
        if not rows:
            return
        merged = False
        # printed[r][c]: what the paper shows in that grid cell ("" under a merge);
        # origin[r][c]: (row, col) of the cell whose value it carries
        printed = [[""] * ncols for _ in rows]
        origin: list[list[tuple[int, int] | None]] = [[None] * ncols for _ in rows]
        for r, cells in enumerate(rows):
            for col, span, text, vm in cells:
                for c in range(col, min(col + span, ncols)):
                    if vm == "continue" and r > 0 and origin[r - 1][c] is not None:
                        origin[r][c] = origin[r - 1][c]
                        merged = True
                    elif c > col:
                        origin[r][c] = (r, col)
                        merged = True
                    else:
                        origin[r][c] = (r, c)
                        printed[r][c] = text
        cells_out: list[list[Cell]] = []
        first_line = len(self.b.lines) + 1
        for r in range(len(rows)):
            texts = [t.replace("\t", " ").strip() for t in printed[r]]
            line = self.b.add("\t".join(texts), page=self.page)
            pos = line.start
            row: list[Cell] = []
            for t in texts:
                row.append(Cell(t, pos, pos + len(t), line.no, self.page))
                pos += len(t) + 1
            cells_out.append(row)
        for r in range(len(rows)):
            for c in range(ncols):
                o = origin[r][c]
                if o is not None and o != (r, c):
                    src = cells_out[o[0]][o[1]]
                    cells_out[r][c] = Cell(src.text, src.start, src.end, src.line, src.page)
        self.b.tables.append(Table(cells_out, first_line, len(self.b.lines), merged))


class DocxReader(Reader):
    name = "docx"
    format = "docx"
    extensions = (".docx", ".docm", ".dotx")

    def read(self, path: Path, data: bytes) -> SourceText:
        zf = open_docx_zip(path, data)
        doc_name = _main_part(zf)
        body_xml = _read_part(zf, doc_name, path) if doc_name else None
        if body_xml is None:
            raise CorruptFile(path, "DOCX has no word/document.xml (not a Word document)", hint="open it in Word and save again")
        root = _xml(body_xml, path, doc_name)
        numbering = Numbering.parse(_read_part(zf, "word/numbering.xml", path), _read_part(zf, "word/styles.xml", path))
        b = TextBuilder()
        walker = _Walker(numbering, b)
        warnings: list[ExtractionWarning] = []
        header = _first_page_header(zf, root, path)
        if header is not None:
            hb_count = len(b.lines)
            walker.block(header)
            if len(b.lines) > hb_count:
                warnings.append(ExtractionWarning(code="docx_header_included", severity="info",
                                        message="text of the first page header (letterhead) is included at the top"))
        body = root.find(q("body"))
        if body is None:
            raise CorruptFile(path, "DOCX document.xml has no body", hint="open it in Word and save again")
        walker.block(body)
        if walker.nested:
            warnings.append(ExtractionWarning(code="docx_nested_table", severity="info",
                                    message=f"{walker.nested} nested table(s) flattened into their cells"))
        if walker.textboxes:
            warnings.append(ExtractionWarning(code="docx_text_box", severity="info",
                                    message=f"{walker.textboxes} text box(es) placed after their anchor paragraph"))
        return b.build(path=str(path), format="docx", reader=self.name, encoding=None,
                       pages=walker.page, warnings=warnings)


def _main_part(zf: zipfile.ZipFile) -> str | None:
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


def _first_page_header(zf: zipfile.ZipFile, root, path: Path):
    body = root.find(q("body"))
    sect = None
    if body is not None:
        sect = body.find(f".//{q('sectPr')}")
    if sect is None:
        return None
    refs = {h.get(q("type")): h.get(f"{{{R_NS}}}id") for h in sect.findall(q("headerReference"))}
    rid = refs.get("first") if sect.find(q("titlePg")) is not None else None
    rid = rid or refs.get("default")
    if not rid:
        return None
    rels = _read_part(zf, "word/_rels/document.xml.rels", path)
    if not rels:
        return None
    target = None
    for rel in _xml(rels, path, "document.xml.rels"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
    if not target:
        return None
    data = _read_part(zf, "word/" + target.lstrip("/").removeprefix("word/"), path)
    return _xml(data, path, target) if data else None
