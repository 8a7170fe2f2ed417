"""Words of a PDF page's text layer → rows, and the gaps between words read for what they are.

A wide gap between two words is one of three things, and only the page can tell:

- **justification** (Word and LibreOffice exports): every space of a justified
  line is stretched by the same amount, so a line's gaps are wide *and even*;
  LibreOffice and Word also print one space glyph in each of them. Never a
  split: the line stays one line.
- **a tab or typed spacing**: one gap much wider than the line's other gaps
  ("Председатель<tab>А.В. Эммануилиди", "28.03.2024<tab>№ 12"), or a gap holding
  several space glyphs. The line is split into segments there, except after a
  bare list label ("1.<tab>Утвердить" stays one line).
- **a column gutter**: a tab-like gap that stays at the same x over consecutive
  rows with nothing printed in that band — decided over the page by
  :func:`~pipeline.readers.pages.order_columns` (two columns: a bilingual
  letterhead) and :mod:`pipeline.readers.ws_tables` (three or more: a table
  drawn with whitespace), never from one line.

:func:`page_rows` groups words into rows with each gap classified;
:func:`group_lines` turns rows into visual lines (:class:`~pipeline.readers.pages.VLine`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from pipeline.readers.pages import VLine
from pipeline.readers.settings import DEFAULTS, PdfSettings

# a bare list label: "1.", "1.1.", "2)", "а)", "-", "•" (what a tab may follow inside a clause)
BARE_LABEL = re.compile(r"^(\d{1,2}(\.\d{1,2})*[.)]?|[а-яa-z]\)|[IVXLC]{1,5}\.|[-–—•·▪])$")


@dataclass
class Row:
    """One row of words on a page, left to right, with the kind of each gap."""

    words: list[dict]
    tab: list[bool] = field(default_factory=list)  # tab[i]: gap between words i and i+1 is tab-like
    width: list[float] = field(default_factory=list)  # gap widths
    top: float = 0.0
    bottom: float = 0.0
    size: float = 10.0  # median font size

    def __post_init__(self) -> None:
        self.top = min(w["top"] for w in self.words)
        self.bottom = max(w["bottom"] for w in self.words)
        sizes = sorted(float(w.get("size") or 0) for w in self.words)
        self.size = sizes[len(sizes) // 2] or 10.0

    def segments(self, min_gap: float) -> list[list[dict]]:
        """The row cut at tab-like gaps at least ``min_gap`` wide."""
        out = [[self.words[0]]]
        for i, w in enumerate(self.words[1:]):
            if self.tab[i] and self.width[i] >= min_gap:
                out.append([w])
            else:
                out[-1].append(w)
        return out


def _median(vals: list[float]) -> float:
    s = sorted(vals)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def classify_gaps(widths: list[float], spaces: list[int], size: float, st: PdfSettings = DEFAULTS.pdf,
                  spaced: bool = False) -> list[bool]:
    """For each gap of a row: is it tab-like (a tab, typed spacing, a column or cell gap)?

    ``spaces[i]``: space glyphs printed inside gap i; ``spaced``: the page prints a
    space glyph in its word gaps (LibreOffice, Word, Tesseract do), so a wide gap
    without one is a tab or a cell boundary. Otherwise a gap is tab-like when it holds
    a run of space glyphs, or is ``st.justify_ratio`` times wider than the row's
    typical gap (its lower quartile), or, holding no space glyph, is very wide or the
    row's only wide gap. The even gaps of a justified line are never tab-like.

    >>> classify_gaps([9.1, 9.0, 9.2, 9.1], [1, 1, 1, 1], 14)  # justified
    [False, False, False, False]
    >>> classify_gaps([3.5, 60.0, 3.5], [1, 0, 1], 14)  # "Председатель комитета<tab>А.В. Иванов"
    [False, True, False]
    >>> classify_gaps([48.0], [1], 14), classify_gaps([48.0], [0], 14)  # a two-word justified line; a tab
    ([False], [True])
    >>> classify_gaps([25.0, 2.5, 20.0, 2.5], [0, 1, 0, 1], 10)  # a header row of a tab-stop table
    [True, False, True, False]
    """
    out = []
    min_gap = max(st.min_cell_gap, 0.5 * size)
    typical = sorted(widths)[len(widths) // 4] if widths else 0.0
    for i, g in enumerate(widths):
        n = spaces[i]
        if g < min_gap:
            out.append(False)
        elif n >= 3 or (spaced and n == 0):
            out.append(True)  # typed alignment (a run of spaces), or no space where the page prints them
        elif len(widths) > 1 and g > st.justify_ratio * typical:
            out.append(True)  # much wider than the row's word gaps
        else:
            out.append(n == 0 and (g >= 3 * size or (len(widths) == 1 and g >= st.column_gap)))
    return out


def chain_rows(words: list[dict], tol: float) -> list[list[dict]]:
    """Words → rows, each word chained to the row whose last word is its left
    neighbour on the same baseline (tops within ``tol``, or boxes overlapping by
    more than half their height). A scan's text layer drifts up or down along a
    slightly turned line; neighbours stay together where one row top would not.
    Rows come sorted by the top of their first word."""
    rows: list[list[dict]] = []
    buckets: dict[int, list[int]] = {}  # row index by the rounded top of its last word
    step = 8.0
    for w in sorted(words, key=lambda w: (w["x0"], w["top"])):
        top, h = w["top"], max(1.0, w["bottom"] - w["top"])
        best, best_d = None, None
        key = int(top // step)
        for b in (key - 1, key, key + 1):
            for r in buckets.get(b, ()):
                last = rows[r][-1]
                if last["x1"] > w["x0"] + 0.5 * (w["x1"] - w["x0"]):
                    continue  # not to its left
                d = abs(last["top"] - top)
                overlap = min(last["bottom"], w["bottom"]) - max(last["top"], top)
                if (d <= tol or overlap > 0.5 * min(h, last["bottom"] - last["top"])) and (best_d is None or d < best_d):
                    best, best_d = r, d
        if best is None:
            rows.append([w])
            buckets.setdefault(key, []).append(len(rows) - 1)
        else:
            old = int(rows[best][-1]["top"] // step)
            rows[best].append(w)
            if old != key:
                buckets[old].remove(best)
                buckets.setdefault(key, []).append(best)
    rows.sort(key=lambda r: (r[0]["top"], r[0]["x0"]))
    return rows


def page_rows(words: list[dict], spaces: list[dict], st: PdfSettings = DEFAULTS.pdf) -> list[Row]:
    """Words (pdfplumber dicts) → rows top to bottom, each gap classified.

    ``spaces``: the page's space glyphs (pdfplumber chars whose text is " ")."""
    groups = chain_rows(words, st.line_tolerance)
    sp = sorted(((s["top"], s["x0"], s["x1"]) for s in spaces), key=lambda s: s[0])
    sp_tops = [s[0] for s in sp]
    tol = st.line_tolerance
    rows = []
    measured = []
    for ln in groups:
        ln.sort(key=lambda w: w["x0"])
        row = Row(ln)
        widths, counts = [], []
        if len(ln) > 1:
            # the space glyphs along this row (its tops drift on a turned scan), by x
            lo = bisect_left(sp_tops, row.top - tol)
            hi = bisect_left(sp_tops, row.bottom + 0.01)
            xs = sorted((s[1], s[2], s[0]) for s in sp[lo:hi])
            for a, b in zip(ln, ln[1:]):
                widths.append(b["x0"] - a["x1"])
                k = bisect_left(xs, (a["x1"] - 1.0,))
                n = 0
                while k < len(xs) and xs[k][0] < b["x0"]:
                    if xs[k][1] <= b["x0"] + 1.0 and abs(xs[k][2] - a["top"]) <= tol + 1.0:
                        n += 1
                    k += 1
                counts.append(n)
        rows.append(row)
        measured.append((widths, counts))
    # does this page print a space glyph in its word gaps? (then a wide gap without one is a tab)
    word_gaps = [n for widths, counts in measured for w, n in zip(widths, counts) if w < st.min_cell_gap]
    spaced = len(word_gaps) >= 20 and sum(n > 0 for n in word_gaps) >= 0.9 * len(word_gaps)
    for row, (widths, counts) in zip(rows, measured):
        row.width = widths
        row.tab = classify_gaps(widths, counts, row.size, st, spaced) if widths else []
    return rows


def group_lines(rows: list[Row], page: int, page_width: float, st: PdfSettings = DEFAULTS.pdf) -> list[VLine]:
    """Rows → visual lines in reading order.

    A row is split at a column gutter (:func:`gutters`; the left column is read
    before the right one), and at any other tab-like gap wider than
    ``st.column_gap`` — never right after a bare list label ("1.<tab>Утвердить"),
    never at a justified line's even gaps."""
    cuts = gutters(rows, page_width, st)
    out: list[VLine] = []
    i = 0
    while i < len(rows):
        run = cuts.get(i)
        if run is None:
            out.extend(_split(rows[i], page, st, None))
            i += 1
            continue
        end, band = run
        left: list[VLine] = []
        right: list[VLine] = []
        for k in range(i, end):
            for ln in _split(rows[k], page, st, band):
                (left if ln.x1 <= band[0] + TOL else right).append(ln)
        out.extend(left + right)
        i = end
    return out


TOL = 1.0


def _split(row: Row, page: int, st: PdfSettings, band: tuple[float, float] | None) -> list[VLine]:
    ws = row.words
    out: list[VLine] = []
    seg: list[dict] = [ws[0]]
    for i, w in enumerate(ws[1:]):
        at_band = band is not None and seg[-1]["x1"] <= band[0] + TOL and w["x0"] >= band[1] - TOL
        wide = row.tab[i] and row.width[i] > st.column_gap and not (len(seg) == 1 and BARE_LABEL.match(seg[0]["text"]))
        if at_band or wide:
            out.append(vline(seg, page))
            seg = [w]
        else:
            seg.append(w)
    out.append(vline(seg, page))
    return out


def gutters(rows: list[Row], page_width: float, st: PdfSettings = DEFAULTS.pdf) -> dict[int, tuple[int, tuple[float, float]]]:
    """Two columns side by side: first row of each run → (row after the run, the gutter's x band).

    A gutter is an x band that stays empty over consecutive rows, with a tab-like gap
    there on at least two of them (the other rows print on one side only), text of
    some width on both sides (a column of clause numbers is no column), and no blank
    stretch inside. One row's gap never makes a gutter.
    """
    out: dict[int, tuple[int, tuple[float, float]]] = {}
    min_side = 0.12 * page_width
    i = 0
    while i < len(rows):
        found = None
        for g, is_tab in enumerate(rows[i].tab):
            if not is_tab:
                continue
            band = (rows[i].words[g]["x1"], rows[i].words[g + 1]["x0"])
            end, band, with_gap = _run(rows, i, band, st)
            if with_gap < 2:
                continue
            lw = max(max((w["x1"] for w in rows[k].words if w["x1"] <= band[0] + TOL), default=0)
                     - min((w["x0"] for w in rows[k].words), default=0) for k in range(i, end))
            rw = max(max((w["x1"] for w in rows[k].words), default=0)
                     - min((w["x0"] for w in rows[k].words if w["x0"] >= band[1] - TOL), default=page_width) for k in range(i, end))
            if lw >= min_side and rw >= min_side:
                found = (end, band)
                break
        if found:
            out[i] = found
            i = found[0]
        else:
            i += 1
    return out


def _run(rows: list[Row], start: int, band: tuple[float, float], st: PdfSettings) -> tuple[int, tuple[float, float], int]:
    lo, hi = band
    with_gap = 1
    end = start + 1
    for k in range(start + 1, len(rows)):
        prev = rows[k - 1]
        if rows[k].top - prev.bottom > 1.6 * max(4.0, prev.bottom - prev.top):
            break  # a blank stretch ends the columns
        gap = None
        for g, is_tab in enumerate(rows[k].tab):
            a, b = rows[k].words[g]["x1"], rows[k].words[g + 1]["x0"]
            if is_tab and min(hi, b) - max(lo, a) >= st.min_cell_gap:
                gap = (max(lo, a), min(hi, b))
                break
        if gap is not None:
            lo, hi = gap
            with_gap += 1
        elif any(w["x0"] < hi - TOL and w["x1"] > lo + TOL for w in rows[k].words):
            break  # a word crosses the band: no gutter here
        end = k + 1
    return end, (lo, hi), with_gap


def vline(ws: list[dict], page: int) -> VLine:
    sizes = sorted(w.get("size", 0) for w in ws)
    return VLine(
        text=" ".join(w["text"] for w in ws),
        x0=ws[0]["x0"], top=min(w["top"] for w in ws), x1=ws[-1]["x1"], bottom=max(w["bottom"] for w in ws),
        page=page, first_word_w=ws[0]["x1"] - ws[0]["x0"],
        bold=sum("bold" in str(w.get("fontname", "")).lower() for w in ws) > len(ws) / 2,
        size=sizes[len(sizes) // 2],
    )
