"""The intermediate document model every reader produces: :class:`SourceText`.

A reader turns any input format into the same thing: a normalized text made of
logical lines (one paragraph, heading or table row per line) plus the table
grids found in it. Every later stage works on that, so a DOCX and a TXT of the
same order give the same JSON. Spans point into ``SourceText.text``.

Table rows are also rendered into the text as tab-separated lines, so a table
cell has a span like any other value.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.cleanup import heading_level, is_bold, plain
from pipeline.models import Span, ExtractionWarning

@dataclass
class Line:
    """A logical line: ``text == SourceText.text[start:end]``."""

    no: int  # 1-based
    start: int
    end: int
    text: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None  # mean OCR word confidence, 0..100
    words: list[tuple[str, float]] | None = None  # OCR: (word, confidence) in reading order

    # Cleaned once, on first use (see pipeline.cleanup): stages read these,
    # never strip markdown or letter spacing themselves.
    @cached_property
    def clean(self) -> str:
        """Text without markdown marks, letter-spaced words joined."""
        return plain(self.text)

    @cached_property
    def bold(self) -> bool:
        return is_bold(self.text)

    @cached_property
    def heading(self) -> int:
        """Markdown heading level, 0 for body text."""
        return heading_level(self.text)


@dataclass
class Cell:
    text: str
    start: int
    end: int
    line: int
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None
    words: list[tuple[str, float]] | None = None  # OCR: (word, confidence)

    @cached_property
    def clean(self) -> str:
        """Text without markdown marks, letter-spaced words joined."""
        return plain(self.text)


@dataclass
class Table:
    """A grid as the reader found it. ``rows`` may be ragged for text input
    (a row that prints only its last cells); readers of real tables give full
    grids with merged cells already expanded."""

    rows: list[list[Cell]]
    first_line: int
    last_line: int
    merged: bool = False  # True when merged cells were carried to every row they span


@dataclass
class SourceText:
    path: str
    format: str
    reader: str
    text: str
    lines: list[Line]
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None
    ocr: bool = False
    pages: int | None = None
    warnings: list[ExtractionWarning] = field(default_factory=list)
    # True when one paragraph may be printed over several consecutive lines
    # (plain text exports); readers that rebuild paragraphs leave it False.
    soft_wrapped: bool = False
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [ln.start for ln in self.lines]

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def line_at(self, offset: int) -> Line:
        i = max(0, bisect_right(self._line_starts, offset) - 1)
        return self.lines[i]

    def span(self, start: int, end: int) -> Span:
        """Span for text[start:end]; page and bbox come from the first line."""
        first = self.line_at(start)
        last = self.line_at(max(start, end - 1))
        bbox = first.bbox if first.no == last.no else None
        return Span(line=first.no, end_line=last.no, start=start, end=end, page=first.page, bbox=bbox)

    def line_span(self, first_no: int, last_no: int | None = None) -> Span:
        a = self.lines[first_no - 1]
        b = self.lines[(last_no or first_no) - 1]
        return self.span(a.start, b.end)

    def cell_span(self, cell: Cell) -> Span:
        sp = self.span(cell.start, cell.end)
        if cell.bbox is not None:
            sp = sp.model_copy(update={"bbox": cell.bbox})
        return sp


class TextBuilder:
    """Accumulates logical lines into a text with exact offsets.

    Readers call :meth:`add` per paragraph and :meth:`add_table` per grid; the
    builder keeps ``text[line.start:line.end] == line.text`` true.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.lines: list[Line] = []
        self.tables: list[Table] = []

    def add(self, text: str, page: int | None = None, bbox=None, confidence: float | None = None,
            words: list[tuple[str, float]] | None = None) -> Line:
        text = text.replace("\n", " ").replace("\r", " ")
        if self.lines:
            self._parts.append("\n")
            self._pos += 1
        line = Line(len(self.lines) + 1, self._pos, self._pos + len(text), text, page, bbox, confidence, words)
        self._parts.append(text)
        self._pos += len(text)
        self.lines.append(line)
        return line

    def add_table(self, grid: list[list[tuple]], page: int | None = None, merged: bool = False) -> Table:
        """``grid`` rows of (text, page, bbox, confidence) tuples or plain strings."""
        rows: list[list[Cell]] = []
        first = len(self.lines) + 1
        for row in grid:
            cells = [c if isinstance(c, tuple) else (c, page, None, None) for c in row]
            texts = [(c[0] or "").replace("\n", " ").replace("\t", " ").strip() for c in cells]
            line = self.add("\t".join(texts), page=cells[0][1] if cells else page)
            pos = line.start
            out: list[Cell] = []
            for (txt, pg, bbox, conf), t in zip(cells, texts):
                out.append(Cell(t, pos, pos + len(t), line.no, pg, bbox, conf))
                pos += len(t) + 1
            rows.append(out)
        table = Table(rows, first, len(self.lines), merged)
        self.tables.append(table)
        return table

    def build(self, **kw) -> SourceText:
        return SourceText(text="".join(self._parts), lines=self.lines, tables=self.tables, **kw)


def split_lines(text: str) -> list[Line]:
    """Lines of an already normalized text with their offsets."""
    lines: list[Line] = []
    pos = 0
    for i, part in enumerate(text.split("\n"), 1):
        lines.append(Line(i, pos, pos + len(part), part))
        pos += len(part) + 1
    return lines


def space_gutters(rows: list[str], min_width: int = 2, ragged: bool = True) -> list[tuple[int, int]]:
    """Columns of text laid out with spaces: (start, end) of each run of at
    least ``min_width`` positions that are spaces on every row, between the
    rows' leftmost printed character and the end of the longest row, a
    shorter row's end counting as spaces (``ragged``: a row may leave its last
    cells empty); with ``ragged=False`` only where every row prints on both
    sides. A justified line's wide gaps fall at other places on each line and
    make none.

    >>> space_gutters(["1   Сайт     цифровая", "2   Телефон  офлайн"])
    [(1, 4), (11, 13)]
    >>> space_gutters(["1   Сайт     цифровая", "2   Телефон"], ragged=False)
    [(1, 4)]
    """
    if not rows:
        return []
    if ragged:
        width, left = max(len(r) for r in rows), min(len(r) - len(r.lstrip()) for r in rows)
    else:
        width, left = min(len(r.rstrip()) for r in rows), max(len(r) - len(r.lstrip()) for r in rows)
    space = [all(k >= len(r) or r[k] == " " for r in rows) for k in range(width)]
    out, k = [], left
    while k < width:
        if not space[k]:
            k += 1
            continue
        j = k
        while j < width and space[j]:
            j += 1
        if j - k >= min_width and j < width:
            out.append((k, j))
        k = j
    return out


def tables_from_tab_lines(text: str, lines: list[Line]) -> list[Table]:
    """Find tab-separated tables in plain text: runs of lines with a tab,
    allowing blank lines inside a run. Cells keep exact offsets."""
    tables: list[Table] = []
    run: list[Line] = []

    def flush() -> None:
        rows = [
            row
            for ln in run
            if (row := _cells_of(ln))
        ]
        if len(rows) >= 2:
            tables.append(Table(rows, run[0].no, run[-1].no))
        run.clear()

    i = 0
    while i < len(lines):
        ln = lines[i]
        if "\t" in ln.text:
            run.append(ln)
        elif not ln.text.strip() and run:
            # a blank line inside a table run: keep going if a tab line follows
            j = i + 1
            while j < len(lines) and not lines[j].text.strip():
                j += 1
            if j < len(lines) and "\t" in lines[j].text:
                i = j
                continue
            flush()
        elif run:
            flush()
        i += 1
    if run:
        flush()
    return tables


def _cells_of(line: Line) -> list[Cell]:
    if not line.text.strip():
        return []
    cells = []
    pos = line.start
    for part in line.text.split("\t"):
        lead = len(part) - len(part.lstrip())
        stripped = part.strip()
        cells.append(Cell(stripped, pos + lead, pos + lead + len(stripped), line.no, line.page))
        pos += len(part) + 1
    return cells


# C0 and C1 control characters other than tab, line feed and carriage return,
# and the terminal escape sequences they start (ANSI colours, cursor moves, OSC
# window titles and hyperlinks), each sequence taken whole when it is complete
# within a short, single-line reach; a lone ESC is removed alone. None of them
# is text: they must not reach the JSON, the store or a terminal.
CONTROLS = re.compile(
    r"(?:\x1b\]|\x9d)(?:[^\x00-\x1f\x9c]{0,512}(?:\x07|\x1b\\|\x9c))?"  # OSC … BEL / ST
    r"|(?:\x1b\[|\x9b)(?:[0-?]{0,64}[ -/]{0,8}[@-~])?"  # CSI: colours, cursor, erase
    r"|\x1b(?:[ -/]{0,8}[0-~])?"  # other ESC sequences
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
# every match of CONTROLS starts with one of these (ESC, CSI and OSC included):
# one character class scans a clean text five times faster than the alternation
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(src: SourceText) -> SourceText:
    r"""``src`` with :data:`CONTROLS` removed from its text, lines, cells and OCR
    words, every offset moved to match, and a ``control_characters`` warning
    saying how many went. One regex scan when there are none (the usual case).

    >>> b = TextBuilder(); _ = b.add("ПРИКАЗ\x00"); _ = b.add("\x1b[31m№ 5\x1b[0m")
    >>> clean = without_controls(b.build(path="x", format="txt", reader="t"))
    >>> clean.text, [(ln.start, ln.end) for ln in clean.lines], clean.warnings[0].message
    ('ПРИКАЗ\n№ 5', [(0, 6), (7, 10)], '3 control characters or escape sequences removed (1 NUL, 2 escape sequences)')
    """
    text = src.text
    if _ANY_CONTROL.search(text) is None:
        return src
    starts: list[int] = []
    ends: list[int] = []
    removed: list[int] = [0]  # characters removed before each cut, cumulative
    nul = seqs = 0
    for m in CONTROLS.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        removed.append(removed[-1] + m.end() - m.start())
        nul += m.group() == "\x00"
        seqs += len(m.group()) > 1 or m.group() in "\x1b\x9b\x9d"

    def moved(offset: int) -> int:
        k = bisect_right(ends, offset)  # cuts that end at or before the offset
        inside = offset - starts[k] if k < len(starts) and starts[k] < offset else 0
        return offset - removed[k] - inside

    def words(ws):
        return None if ws is None else [(CONTROLS.sub("", w), c) for w, c in ws]

    new_text = CONTROLS.sub("", text)
    lines = []
    for ln in src.lines:
        a, b = moved(ln.start), moved(ln.end)
        lines.append(Line(ln.no, a, b, new_text[a:b], ln.page, ln.bbox, ln.confidence, words(ln.words)))
    tables = [Table([[Cell(CONTROLS.sub("", c.text), moved(c.start), moved(c.end), c.line, c.page, c.bbox,
                           c.confidence, words(c.words)) for c in row] for row in t.rows],
                    t.first_line, t.last_line, t.merged) for t in src.tables]
    warnings = [w if w.span is None else w.model_copy(update={"span": w.span.model_copy(
        update={"start": moved(w.span.start), "end": moved(w.span.end)})}) for w in src.warnings]
    parts = [f"{nul} NUL"] * bool(nul) + [f"{seqs} escape sequences"] * bool(seqs)
    warnings.append(ExtractionWarning(
        code="control_characters", severity="warning",
        message=f"{len(starts)} control characters or escape sequences removed" + (f" ({', '.join(parts)})" if parts else "")))
    return SourceText(path=src.path, format=src.format, reader=src.reader, text=new_text, lines=lines, tables=tables,
                      encoding=src.encoding, ocr=src.ocr, pages=src.pages, warnings=warnings,
                      soft_wrapped=src.soft_wrapped)
