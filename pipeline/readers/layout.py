"""From positioned page content (PDF text layer or OCR) to logical lines.

Both the PDF reader and the OCR reader hand over, per page, visual lines (a
line of words with its box) and table fragments (a grid of cells with boxes).
This module does the work that is the same for both:

1. running headers/footers and page numbers are removed (a line in the top or
   bottom band that is a bare number or repeats on other pages);
2. visual lines are joined into paragraphs (:func:`paragraphs`), with line-end
   hyphens joined deliberately (:func:`join_hyphenated`);
3. a table continued on the next page is stitched to its first part (repeated
   header and "1 2 3 4 5 6" rows dropped, a row cut by the page break merged,
   vertically merged cells carried);
4. everything is written through :class:`TextBuilder` with page, bbox and
   OCR confidence on every line and cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.models import Warning
from pipeline.document import Cell, Table, TextBuilder

BBox = tuple[float, float, float, float]


@dataclass
class VLine:
    """A visual line on a page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    first_word_w: float = 0.0  # width of the first word (for the paragraph rule)
    bold: bool = False
    size: float = 0.0
    confidence: float | None = None
    words: list[tuple[str, float]] | None = None  # OCR words with confidence

    @property
    def bbox(self) -> BBox:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


@dataclass
class PCell:
    text: str | None  # None: covered by a merged cell above/left (pdfplumber's way)
    bbox: BBox | None = None
    confidence: float | None = None
    merged_from: str = "up"  # for text None: "up" (vertical merge) or "left" (horizontal)
    words: list[tuple[str, float]] | None = None


@dataclass
class PTable:
    """A table fragment found on one page."""

    rows: list[list[PCell]]
    page: int
    top: float
    bottom: float
    page_height: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[VLine] = field(default_factory=list)
    tables: list[PTable] = field(default_factory=list)
    ocr: bool = False


@dataclass
class LayoutSettings:
    """Tunables of the assembly, recorded with the output when they matter."""

    margin_band: float = 0.09  # top/bottom share of the page where running matter lives
    repeat_share: float = 0.5  # a band line on at least this share of pages is running matter
    para_gap: float = 1.45  # vertical gap, in line pitches, that ends a paragraph
    indent: float = 12.0  # points of first-line indent that start a paragraph


DEFAULT_SETTINGS = LayoutSettings()

LABEL_START = re.compile(r"^(\d{1,2}(\.\d{1,2})*[.)]|[а-яa-z]\)|[-–—•])\s")
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*")


# --- reading order ---------------------------------------------------------------

def order_columns(lines: list[VLine], tol: float = 3.0) -> list[VLine]:
    """Reading order of a page's visual lines (segments split at column gaps).

    Top to bottom, left to right; but where several consecutive rows are split
    into a left and a right segment at about the same x (two columns, e.g. a
    Russian/Altai letterhead side by side), the whole left column is read
    before the right one.
    """
    lines = sorted(lines, key=lambda v: (v.top, v.x0))
    rows: list[list[VLine]] = []
    for ln in lines:
        if rows and abs(rows[-1][0].top - ln.top) <= tol:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: list[VLine] = []
    i = 0
    while i < len(rows):
        gap = _gap(rows[i])
        if gap is None:
            out.extend(rows[i])
            i += 1
            continue
        # extend the run while rows have a gap overlapping this one, or one segment beside it
        lo, hi = gap
        j = i + 1
        splits = 1
        while j < len(rows):
            if rows[j][0].top - rows[j - 1][0].top > 2.5 * max(8.0, rows[j - 1][0].bottom - rows[j - 1][0].top):
                break  # a blank stretch ends the columns
            g = _gap(rows[j])
            mid = (lo + hi) / 2
            if g is not None and min(hi, g[1]) - max(lo, g[0]) >= 10:
                lo, hi = max(lo, g[0]), min(hi, g[1])
                splits += 1
            elif g is None and len(rows[j]) == 1 and (rows[j][0].x1 <= mid or rows[j][0].x0 >= mid):
                pass
            else:
                break
            j += 1
        if splits >= 2:
            mid = (lo + hi) / 2
            run = [ln for r in rows[i:j] for ln in r]
            out.extend(ln for ln in run if ln.x1 <= mid)
            out.extend(ln for ln in run if ln.x1 > mid)
            i = j
        else:
            out.extend(rows[i])
            i += 1
    return out


def _gap(row: list[VLine]) -> tuple[float, float] | None:
    """The empty x-interval between the two segments of a two-segment row."""
    if len(row) != 2:
        return None
    a, b = sorted(row, key=lambda v: v.x0)
    return (a.x1, b.x0)


# --- running headers and footers -------------------------------------------

def _band_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def strip_running_matter(pages: list[Page], st: LayoutSettings = DEFAULT_SETTINGS) -> int:
    """Remove page numbers and lines repeated in the top/bottom band. Returns how many."""
    def in_band(ln: VLine, pg: Page) -> bool:
        return ln.bottom < pg.height * st.margin_band or ln.top > pg.height * (1 - st.margin_band)

    from rapidfuzz import fuzz

    band = [(pg.number, _band_key(ln.text)) for pg in pages for ln in pg.lines if in_band(ln, pg)]
    counts: Counter[str] = Counter()
    for num, key in set(band):
        # pages whose band has this line, exactly or nearly (OCR varies a few letters)
        counts[key] = len({n for n, k in band if k == key or (len(key) > 12 and fuzz.ratio(k, key) >= 80)})
    n_pages = len(pages)
    removed = 0
    for pg in pages:
        keep = []
        for ln in pg.lines:
            if in_band(ln, pg):
                t = ln.text.strip()
                bare_number = re.fullmatch(r"[-–—]?\s*\d{1,4}\s*[-–—]?|(стр\.|страница)\s*\d+(\s*(из|/)\s*\d+)?", t, re.I)
                repeated = n_pages >= 2 and counts[_band_key(t)] >= max(2, st.repeat_share * n_pages)
                if bare_number or repeated:
                    removed += 1
                    continue
            keep.append(ln)
        pg.lines = keep
    return removed


# --- hyphenation --------------------------------------------------------------

def join_hyphenated(left: str, right: str, vocab: set[str]) -> str:
    """Join two visual lines of one paragraph.

    A line ending in letter+"-" is either a typesetter's hyphen (join without it)
    or a real compound broken at its own hyphen (keep it): the document's own
    words decide, then the shape ("социально-" + lower case keeps its hyphen).

    >>> join_hyphenated("развития социально-", "экономического", set())
    'развития социально-экономического'
    >>> join_hyphenated("точек взаимо-", "действия", {"взаимодействия"})
    'точек взаимодействия'
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if len(left) >= 2 and left[-1] in "-‐" and left[-2].isalpha() and right[:1].isalpha():
        lw = re.findall(r"[А-Яа-яЁёA-Za-z-]+$", left[:-1])
        rw = re.findall(r"^[А-Яа-яЁёA-Za-z]+", right)
        head = lw[0].split("-")[-1] if lw else ""
        tail = rw[0] if rw else ""
        if tail.lower() in ("либо", "нибудь", "то", "ка", "таки"):
            return left + right  # какому-либо, кто-нибудь
        if right[0].isupper():
            return left + right  # Северная Осетия-Алания, Ханты-Мансийский
        joined = (head + tail).lower()
        hyph = f"{head}-{tail}".lower()
        if hyph in vocab:
            return left + right
        if joined in vocab:
            return left[:-1] + right
        if f"{head.lower()}-" in vocab or head.lower() in COMPOUND_HEADS:
            return left + right  # "офлайн-" heads other compounds in this document
        if len(head) >= 4 and head[-1].lower() in "ое":
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


# First parts of compounds common in this genre, kept with their hyphen at a line end.
COMPOUND_HEADS = {"онлайн", "офлайн", "интернет", "веб", "чат", "пресс", "бизнес", "видео", "аудио", "смс", "вице", "горно", "северо", "юго"}


def document_vocab(pages: list[Page]) -> set[str]:
    """Words and hyphenated compounds that occur whole somewhere in the document,
    plus "head-" for every compound's first part."""
    vocab: set[str] = set()

    def add(text: str) -> None:
        for w in _WORD.findall(text):
            w = w.lower()
            vocab.add(w)
            if "-" in w:
                vocab.add(w.split("-")[0] + "-")

    for pg in pages:
        for ln in pg.lines:
            add(ln.text)
        for t in pg.tables:
            for row in t.rows:
                for c in row:
                    if c.text:
                        add(c.text.replace("-\n", "\n"))
    return vocab


def join_lines(lines: list[str], vocab: set[str]) -> str:
    """Visual lines of one paragraph → one line (linear: only line ends are looked at)."""
    parts: list[str] = []
    for text in lines:
        text = text.strip()
        if not text:
            continue
        if not parts:
            parts.append(text)
            continue
        joined = join_hyphenated(parts[-1], text, vocab)
        parts[-1] = joined
        if len(joined) > 2000:  # keep the tail short: earlier text is final
            parts.insert(len(parts) - 1, joined[:-200])
            parts[-1] = joined[-200:]
    return "".join(parts)


def cell_text(raw: str | None, vocab: set[str]) -> str:
    if not raw:
        return ""
    return " ".join(join_lines(raw.split("\n"), vocab).split())


# --- paragraphs ----------------------------------------------------------------

@dataclass
class Para:
    text: str
    page: int
    bbox: BBox
    confidence: float | None
    blank_before: int = 0
    words: list[tuple[str, float]] | None = None


def paragraphs(lines: list[VLine], right_edge: float, left_edge: float, vocab: set[str],
               st: LayoutSettings = DEFAULT_SETTINGS) -> list[Para]:
    """Join visual lines (in reading order, running matter removed) into paragraphs."""
    out: list[Para] = []
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 40]
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else 14.0
    cur: list[VLine] = []

    def flush(blank: int) -> None:
        if not cur:
            return
        text = join_lines([ln.text for ln in cur], vocab)
        confs = [ln.confidence for ln in cur if ln.confidence is not None]
        first = [ln for ln in cur if ln.page == cur[0].page]
        bbox = (min(ln.x0 for ln in first), first[0].top, max(ln.x1 for ln in first), first[-1].bottom)
        words = [w for ln in cur for w in (ln.words or [])] or None
        out.append(Para(" ".join(text.split()), cur[0].page, tuple(round(v, 1) for v in bbox),
                        round(sum(confs) / len(confs), 1) if confs else None, blank, words))
        cur.clear()

    pending_blank = 0
    for ln in lines:
        if not cur:
            cur.append(ln)
            continue
        prev = cur[-1]
        gap = (ln.top - prev.top) / pitch if ln.page == prev.page else 1.0
        new = False
        blank = 0
        if gap > st.para_gap:
            new = True
            blank = max(1, round(gap) - 1)
        elif ln.page == prev.page and ln.top < prev.top - 2:
            new = True  # back up the page: another column or a misorder; never merge
        elif prev.bold != ln.bold:
            new = True
        elif LABEL_START.match(ln.text) and (not ln.text[0] in "-–—•" or prev.text.rstrip()[-1:] in ";:."):
            new = True  # a list item; a dash only after a line that closes a sentence
        elif _all_caps(ln.text) and _all_caps(prev.text):
            new = True  # letterhead lines: each one is printed as a line of its own
        elif _centered(ln, left_edge, right_edge) and abs((prev.x0 + prev.x1) / 2 - (left_edge + right_edge) / 2) < 4:
            # a centred title over several lines: one paragraph while lines are full
            new = (prev.x1 - prev.x0) + ln.first_word_w + 0.4 * (ln.size or 10) < right_edge - left_edge - 2
        elif ln.x0 > left_edge + st.indent:
            new = True
        elif prev.x1 + ln.first_word_w + 0.4 * (ln.size or 10) < right_edge - 2:
            new = True  # the next line's first word would have fit: the line ended early
        if new:
            if ln.page != prev.page:
                blank = max(blank, 1)  # a page break between paragraphs reads as a blank line
            flush(pending_blank)
            pending_blank = blank
        cur.append(ln)
    flush(pending_blank)
    return out


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _centered(ln: VLine, left: float, right: float) -> bool:
    return ln.x0 > left + 6 and abs((ln.x0 + ln.x1) / 2 - (left + right) / 2) < 4


# --- tables ----------------------------------------------------------------------

def _norm(s: str | None) -> str:
    return " ".join((s or "").split()).lower()


def _is_number_row(row: list[PCell]) -> bool:
    """The "1 2 3 4 5 6" row under a header; OCR may garble a few of the digits."""
    vals = [re.sub(r"[^0-9a-zа-я]", "", _norm(c.text)) for c in row]
    if len(vals) < 3 or any(len(v) > 2 for v in vals):
        return False
    hits = sum(v == str(i + 1) for i, v in enumerate(vals))
    return hits == len(vals) or hits >= max(2, len(vals) // 2)


def _same_row(a: list[PCell], b_texts: tuple[str, ...]) -> bool:
    from rapidfuzz import fuzz

    ta = " | ".join(_norm(c.text) for c in a)
    return fuzz.ratio(ta, " | ".join(b_texts)) >= 85


def _header_rows(rows: list[list[PCell]]) -> int:
    """How many leading rows are the header (up to and including "1 2 3 …")."""
    for i, row in enumerate(rows[:4]):
        if _is_number_row(row):
            return i + 1
    return 1 if rows and all(c.text for c in rows[0]) and len(rows) > 1 else 0


@dataclass
class StitchedTable:
    rows: list[list[PCell | None]]  # None: value carried from the row above
    page_of_row: list[int]
    printed: list[list[str]]
    carried: list[list[bool]]
    repairs: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)


def stitch_tables(pages: list[Page], vocab: set[str]) -> list[tuple[int, float, StitchedTable]]:
    """Join table fragments continued over page breaks.

    Returns (page, top, table) at the position of each table's first part."""
    result: list[tuple[int, float, StitchedTable]] = []
    prev: tuple[StitchedTable, PTable, Page] | None = None
    for pi, pg in enumerate(pages):
        for ti, frag in enumerate(sorted(pg.tables, key=lambda t: t.top)):
            cont = False
            if prev is not None and ti == 0:
                st_prev, last_frag, last_page = prev
                ncols_ok = len(frag.rows[0]) == len(last_frag.rows[0]) if frag.rows and last_frag.rows else False
                above = [ln for ln in pg.lines if ln.bottom <= frag.top + 1]
                below_prev = [ln for ln in last_page.lines if ln.top >= last_frag.bottom - 1]
                cont = ncols_ok and last_page.number == pg.number - 1 and not above and not below_prev
            rows = [[PCell(cell_text(c.text, vocab) if c.text is not None else None, c.bbox, c.confidence, c.merged_from, c.words)
                     for c in r] for r in frag.rows]
            if cont:
                st = prev[0]
                first_rows = st.rows
                n_head = st.header_n  # type: ignore[attr-defined]
                heads = [tuple(_norm(c.text if c else "") for c in r) for r in first_rows[:n_head]]
                dropped = 0
                while rows and (any(_same_row(rows[0], h) for h in heads) or _is_number_row(rows[0])):
                    rows.pop(0)
                    dropped += 1
                if dropped:
                    st.repairs.append(f"page {pg.number}: dropped {dropped} repeated header row(s) of the table continued from page {pg.number - 1}")
                if rows and _is_fragment(rows[0], st.rows[-1]):
                    frag_row = rows.pop(0)
                    for c, cell in enumerate(frag_row):
                        if not cell.text:
                            continue
                        # a vertically merged cell continues in the row that holds its value
                        origin = len(st.rows) - 1
                        while origin > 0 and c < len(st.rows[origin]) and st.rows[origin][c].text is None:
                            origin -= 1
                        target = st.rows[origin][c]
                        base = target.text or ""
                        target.text = join_hyphenated(base, cell.text, vocab) if base else cell.text
                    st.repairs.append(f"page {pg.number}: a row cut by the page break was joined to the row above")
                if rows and st.rows:
                    # The first row's leading empty cells continue merged cells from the previous
                    # page when they are exactly the columns merged downwards on this page; an
                    # empty number next to a printed direction is an unread number, not a merge.
                    lead = 0
                    while lead < len(rows[0]) - 1 and not (rows[0][lead].text or "").strip():
                        lead += 1
                    below = rows[1] if len(rows) > 1 else None
                    merged_down = [c for c in range(len(rows[0])) if below is not None and c < len(below)
                                   and below[c].text is None and below[c].merged_from == "up"]
                    if lead and (not merged_down or merged_down == list(range(lead))):
                        for c in range(lead):
                            rows[0][c] = PCell(None, rows[0][c].bbox)
                _append_rows(st, rows, pg.number)
                st.pages.add(pg.number)
            else:
                st = StitchedTable([], [], [], [])
                st.header_n = _header_rows(rows)  # type: ignore[attr-defined]
                _append_rows(st, rows, pg.number)
                st.pages.add(pg.number)
                result.append((pg.number, frag.top, st))
            prev = (st, frag, pg)
        if not pg.tables:
            prev = None
    return result


def _is_fragment(row: list[PCell], above: list[PCell | None]) -> bool:
    """A row cut by a page break: no row number, and either every filled cell
    goes on in lower case or a column every real row fills (the last) is empty."""
    texts = [(c.text or "").strip() for c in row]
    filled = [t for t in texts if t]
    if not filled or texts[0]:
        return False
    if all(t[:1].islower() for t in filled):
        return True
    above_last = above[-1].text if above and above[-1] is not None else ""
    return not texts[-1] and bool(above_last)


def _append_rows(st: StitchedTable, rows: list[list[PCell]], page: int) -> None:
    for r in rows:
        st.rows.append(r)
        st.page_of_row.append(page)


def write_table(b: TextBuilder, st: StitchedTable) -> Table:
    """Render a stitched table: printed cells in the tab line, carried values in the grid."""
    rows = st.rows
    ncols = max(len(r) for r in rows)
    grid: list[list[Cell]] = []
    first_line = len(b.lines) + 1
    merged = False
    for ri, r in enumerate(rows):
        r = r + [PCell("")] * (ncols - len(r))
        texts = [(c.text or "").replace("\t", " ").strip() if c.text is not None else "" for c in r]
        confs = [c.confidence for c in r if c.confidence is not None]
        line = b.add("\t".join(texts), page=st.page_of_row[ri],
                     confidence=round(sum(confs) / len(confs), 1) if confs else None)
        pos = line.start
        out = []
        for c, t in zip(r, texts):
            out.append(Cell(t, pos, pos + len(t), line.no, st.page_of_row[ri], c.bbox, c.confidence, c.words))
            pos += len(t) + 1
        grid.append(out)
    for ri, r in enumerate(rows):
        for ci in range(ncols):
            if ci >= len(r) or r[ci].text is not None:
                continue
            src = None
            if r[ci].merged_from == "left" and ci > 0:
                src = grid[ri][ci - 1]
            elif ri > 0:
                src = grid[ri - 1][ci]
            if src is not None:
                grid[ri][ci] = Cell(src.text, src.start, src.end, src.line, src.page, src.bbox, src.confidence, src.words)
                merged = True
    t = Table(grid, first_line, len(b.lines), merged)
    b.tables.append(t)
    return t


# --- assembly -----------------------------------------------------------------------

def assemble(pages: list[Page], st: LayoutSettings = DEFAULT_SETTINGS) -> tuple[TextBuilder, list[Warning]]:
    warnings: list[Warning] = []
    removed = strip_running_matter(pages, st)
    if removed:
        warnings.append(Warning(code="running_matter_removed", severity="info",
                                message=f"{removed} running header/footer line(s) and page numbers removed"))
    vocab = document_vocab(pages)
    tables = stitch_tables(pages, vocab)
    body = [ln for pg in pages for ln in pg.lines]
    rights = sorted(ln.x1 for ln in body)
    lefts = sorted(ln.x0 for ln in body)
    # the text block's edges: most lines reach them
    right_edge = rights[int(len(rights) * 0.98)] if rights else 0.0
    left_edge = lefts[int(len(lefts) * 0.1)] if lefts else 0.0
    paras = paragraphs(body, right_edge, left_edge, vocab, st)
    # interleave paragraphs and tables by (page, top)
    items: list[tuple[int, float, int, object]] = [(p.page, p.bbox[1], 1, p) for p in paras]
    items += [(pg, top, 0, t) for pg, top, t in tables]
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    b = TextBuilder()
    for _, _, kind, obj in items:
        if kind == 1:
            para: Para = obj  # type: ignore[assignment]
            if b.lines:
                for _ in range(para.blank_before):
                    b.add("", page=para.page)
            b.add(para.text, page=para.page, bbox=para.bbox, confidence=para.confidence, words=para.words)
        else:
            stt: StitchedTable = obj  # type: ignore[assignment]
            write_table(b, stt)
            for rep in stt.repairs:
                warnings.append(Warning(code="table_repaired", message=rep, severity="info"))
    return b, warnings
