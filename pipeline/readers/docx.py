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
- Text boxes (``w:txbxContent``) are lines of their own, before the text of
  their anchor paragraph when they float at or above it, else after it; the
  VML fallback copy of the same box is skipped.
- Layout tables (no ruling between columns, a few rows: letterheads, signature
  blocks, approval stamps in a right-hand cell) are read as a txt prints them,
  not as data tables; see :mod:`pipeline.readers.docx_layout`.
- Soft line breaks split a paragraph into several lines (letterheads use them).
- Results of PAGE, NUMPAGES, DATE … fields are not content
  (:mod:`pipeline.readers.docx_fields`).
- Running headers and footers are not body text: the header Word prints on
  page 1 (the first-page header under "different first page", else the
  default one; :mod:`pipeline.readers.docx_headers`) is read at the top, where
  agencies put the letterhead; footers are dropped.
- Pages: 1 + explicit page breaks seen so far (Word's last rendered breaks when
  the file has them); a DOCX has no fixed layout, so treat them as approximate.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.document import Cell, SourceText, Table, TextBuilder
from pipeline.errors import CorruptFile
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader
from pipeline.readers.docx_fields import FieldState, hides
from pipeline.readers.docx_headers import page_one_header
from pipeline.readers.docx_layout import TableStyles, box_goes_first, direct_rows, is_layout_table, layout_row
from pipeline.readers.docx_package import main_part, open_docx_zip, parse_part, read_part
from pipeline.readers.numbering import Numbering, decimal_attr, q

# Word's limit on the columns of a table; spans and grids read from the file are clamped to it.
MAX_TABLE_COLS = 63

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Tags of the run walk, built once (it meets every element of every paragraph).
_T, _R, _FLDCHAR, _INSTR, _FLDSIMPLE, _RENDERED_BREAK, _NB_HYPHEN, _TXBX = map(q, (
    "t", "r", "fldChar", "instrText", "fldSimple", "lastRenderedPageBreak", "noBreakHyphen", "txbxContent"))
_FLDCHARTYPE, _INSTR_ATTR, _TYPE = q("fldCharType"), q("instr"), q("type")
_TABS = frozenset(map(q, ("tab", "ptab")))
_BREAKS = frozenset(map(q, ("br", "cr")))
_SKIP = frozenset([*map(q, ("rPr", "pPr", "del", "delText", "delInstrText", "softHyphen", "sym")), MC_FALLBACK])

class _Walker:
    def __init__(self, numbering: Numbering, builder: TextBuilder, styles_root=None):
        self.nb = numbering
        self.b = builder
        self._styles_root = styles_root
        self._table_styles: TableStyles | None = None
        self.fields = FieldState()
        self.page = 1
        self.saw_rendered_breaks = False
        self.nested = 0
        self.textboxes = 0
        self.layout_tables = 0
        self.clamped_cells = 0  # cells past MAX_TABLE_COLS, joined into the last column
        self.running = False  # walking a header: lines without a letter or digit ("- -") are dropped
        self._pending_section_break = False
        self._para_page: int | None = None
        self._blanks: list[int] = []  # pages of empty lines not written yet

    @property
    def styles(self) -> TableStyles:
        """Table styles' borders, read when the first table needs them."""
        if self._table_styles is None:
            self._table_styles = TableStyles(self._styles_root)
        return self._table_styles

    def emit(self, text: str, page: int) -> None:
        """One line; empty ones wait for the next text, so the empty paragraphs
        a document ends with (Word puts one after a final table) are not lines."""
        if not text:
            self._blanks.append(page)
            return
        if self.running and not any(c.isalnum() for c in text):
            return  # what a header's page number leaves: "- -"
        self.flush()
        self.b.add(text, page=page)

    def flush(self) -> None:
        for page in self._blanks:
            self.b.add("", page=page)
        self._blanks = []

    # -- paragraphs -------------------------------------------------------
    def para_lines(self, p) -> tuple[list[str], list]:
        """Printed lines of a paragraph (label included) and its text boxes as
        (box, read before the paragraph's text)."""
        self.fields.new_paragraph()
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
        fields = self.fields
        for ch in el:
            tag = ch.tag
            if tag == _T:
                if fields.stack and fields.hidden():
                    continue  # a page number, a date field's cached result, a field code
                if self._para_page is None and (ch.text or "").strip():
                    self._para_page = self.page  # a paragraph is on the page where its text starts
                parts.append(ch.text or "")
            elif tag in _SKIP or not isinstance(tag, str):
                continue  # run properties, deleted revisions, the VML copy of a text box
            elif tag == _R:
                self._runs(ch, parts, boxes)
            elif tag == _FLDCHAR:
                kind = ch.get(_FLDCHARTYPE)
                if kind == "begin":
                    fields.begin()
                elif kind == "separate":
                    fields.separate()
                elif kind == "end":
                    fields.end()
            elif tag == _INSTR:
                fields.instr(ch.text or "")
            elif tag == _FLDSIMPLE:
                if not hides(ch.get(_INSTR_ATTR, "")):
                    self._runs(ch, parts, boxes)
            elif tag in _TABS:
                if not fields.hidden():
                    parts.append(" ")
            elif tag in _BREAKS:
                if ch.get(_TYPE) == "page":
                    self.page += 1
                    parts.append(" ")
                elif not fields.hidden():
                    parts.append("\n")
            elif tag == _RENDERED_BREAK:
                self.saw_rendered_breaks = True
                self.page += 1
            elif tag == _NB_HYPHEN:
                parts.append("-")
            elif tag == _TXBX:
                before = any(x.strip() for x in parts[1:])  # parts[0] is the list label
                boxes.append((ch, box_goes_first(ch, before)))
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
                firsts = [box for box, first in boxes if first]
                for box in firsts:
                    self.block(box)
                if firsts and any(lines):
                    self.emit("", page)  # the box is an area of its own above the paragraph's text
                for text in lines:
                    self.emit(text, page)
                for box, first in boxes:
                    if not first:
                        self.block(box)
                if self._pending_section_break and not self.saw_rendered_breaks:
                    self.page += 1
            elif tag == q("tbl"):
                if is_layout_table(ch, self.styles):
                    self.layout_table(ch)
                else:
                    self.table(ch)
            elif tag in (q("sdt"), q("sdtContent"), q("customXml"), q("ins"), q("smartTag")):
                self.block(ch)

    def flow_lines(self, container) -> list[str]:
        """Lines of a cell or text box in reading order, blank ones kept."""
        out: list[str] = []
        for ch in container:
            if ch.tag == q("p"):
                lines, boxes = self.para_lines(ch)
                out += [x for box, first in boxes if first for x in self.flow_lines(box)]
                out += lines
                out += [x for box, first in boxes if not first for x in self.flow_lines(box)]
            elif ch.tag == q("tbl"):
                if is_layout_table(ch, self.styles):
                    out += self.layout_lines(ch)
                else:
                    self.nested += 1
                    rows = [" ".join(t for t in row if t) for row in self.grid_texts(ch)]
                    out.append("; ".join(r for r in rows if r))
            elif ch.tag in (q("sdt"), q("sdtContent"), q("customXml")):
                out += self.flow_lines(ch)
        return out

    def layout_lines(self, tbl) -> list[str]:
        self.layout_tables += 1
        out: list[str] = []
        for cells in direct_rows(tbl):
            out += layout_row([self.flow_lines(tc) for tc in cells])
        return out

    def layout_table(self, tbl) -> None:
        """A letterhead, signature or stamp table: lines as a txt prints them, no data table."""
        page = self.page
        for text in self.layout_lines(tbl):
            self.emit(text, page)

    def cell_text(self, tc) -> str:
        out: list[str] = []
        for ch in tc:
            if ch.tag == q("p"):
                lines, boxes = self.para_lines(ch)
                out.extend(s for s in lines if s)
                for box, _ in boxes:
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
        """(texts, vmerge flags) per row, positioned on the table grid. ``gridBefore``,
        ``gridSpan`` and the ``tblGrid`` are clamped to MAX_TABLE_COLS (a hostile span cannot
        blow the grid up); a cell past the last column joins its text to the last cell."""
        ncols = min(len(tbl.findall(f"{q('tblGrid')}/{q('gridCol')}")), MAX_TABLE_COLS)
        last = MAX_TABLE_COLS - 1
        rows = []
        for tr in tbl.iter(q("tr")):
            if tr.getparent() is not tbl and tr.getparent().tag != q("sdtContent"):
                continue
            trpr = tr.find(q("trPr"))
            col = 0
            if trpr is not None and trpr.find(q("gridBefore")) is not None:
                col = decimal_attr(trpr.find(q("gridBefore")).get(q("val")), 0, 0, last)
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
                        span = decimal_attr(gs.get(q("val")), 1, 1, MAX_TABLE_COLS)
                    v = tcpr.find(q("vMerge"))
                    if v is not None:
                        vm = v.get(q("val")) or "continue"
                    if tcpr.find(q("hMerge")) is not None and tcpr.find(q("hMerge")).get(q("val")) != "restart":
                        # legacy hMerge continuation: treated like gridSpan
                        if cells and col <= last:
                            c0, s0, t0, v0 = cells[-1]
                            cells[-1] = (c0, s0 + 1, t0, v0)
                            col += 1
                            continue
                text = self.cell_text(tc)
                if col > last:  # past Word's last column: the text joins the last cell
                    self.clamped_cells += 1
                    if cells:
                        c0, s0, t0, v0 = cells[-1]
                        cells[-1] = (c0, s0, " ".join(t for t in (t0, text) if t), v0)
                    continue
                span = min(span, MAX_TABLE_COLS - col)
                cells.append((col, span, text, vm))
                col += span
            ncols = max(ncols, min(col, MAX_TABLE_COLS))
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
        self.flush()
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
        doc_name = main_part(zf)
        body_xml = read_part(zf, doc_name, path) if doc_name else None
        if body_xml is None:
            raise CorruptFile(path, "DOCX has no word/document.xml (not a Word document)", hint="open it in Word and save again")
        root = parse_part(body_xml, path, doc_name)
        styles_xml = read_part(zf, "word/styles.xml", path)
        styles = parse_part(styles_xml, path, "word/styles.xml") if styles_xml else None
        numbering = Numbering.parse(read_part(zf, "word/numbering.xml", path), styles_root=styles)
        b = TextBuilder()
        walker = _Walker(numbering, b, styles)
        warnings: list[ExtractionWarning] = []
        header = page_one_header(zf, root, doc_name, path)
        if header is not None:
            hb_count = len(b.lines)
            walker.running = True
            walker.block(header)
            walker.running = False
            walker.fields.reset()
            if any(ln.text.strip() for ln in b.lines[hb_count:]):
                walker.emit("", 1)  # the header's area ends: a blank line before the body, as a txt prints it
                warnings.append(ExtractionWarning(code="docx_header_included", severity="info",
                                        message="text of the header printed on page 1 (letterhead) is included at the top"))
        body = root.find(q("body"))
        if body is None:
            raise CorruptFile(path, "DOCX document.xml has no body", hint="open it in Word and save again")
        walker.block(body)
        for n, code, severity, what in (
            (walker.nested, "docx_nested_table", "info", "nested table(s) flattened into their cells"),
            (walker.textboxes, "docx_text_box", "info", "text box(es) read beside their anchor paragraph"),
            (walker.clamped_cells, "docx_table_clamped", "warning",
             f"table cell(s) beyond column {MAX_TABLE_COLS} (Word's limit) joined into the last column"),
            (walker.layout_tables, "docx_layout_table", "info", "layout table(s) (letterhead, signature, stamp) read as lines"),
        ):
            if n:
                warnings.append(ExtractionWarning(code=code, severity=severity, message=f"{n} {what}"))
        return b.build(path=str(path), format="docx", reader=self.name, encoding=None,
                       pages=walker.page, warnings=warnings)
