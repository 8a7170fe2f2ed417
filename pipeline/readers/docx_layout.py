"""Layout objects of a DOCX, read in the order a person reads the page.

Offices place the parts of an order around the page with tables and text
boxes, not with text: the letterhead as a two-cell table (Russian left, the
regional language right), the signature as a table (position | name), the
approval stamp («УТВЕРЖДЕН приказом …») in the right cell of a table or in a
floating text box. Such a **layout table** has no ruling between its columns
and only a few rows and columns; a Перечень is ruled (or large) and stays a
data table.

A layout table is read row by row, each row as a txt prints it:

- one filled cell (a stamp in the right cell, a letterhead beside an
  emblem): its lines;
- one line per cell, ending with a person's name or holding a date or a
  number ("Министр | Н.Р. Халилов", "28.03.2024 | № П-12-01/0019"): one line,
  cells joined by a tab;
- a position block beside a name: the position lines, the last one joined to
  the name by a tab ("Министр социальной защиты" / "Сахалинской
  области<TAB>О.С. Орлова"); other cells (an e-signature stamp) follow;
- anything else (a bilingual letterhead): each cell as a block of lines, a
  blank line between, the Russian block first.

A floating text box is read before the text of the paragraph it is anchored
in when it sits at or above that paragraph (a stamp anchored in the appendix
title, a letterhead box), after it when it is placed lower down; an inline
box where it stands.

>>> layout_row([["КОМИТЕТ", "РЕСПУБЛИКИ АЛТАЙ"], ["АЛТАЙ РЕСПУБЛИКАНЫҤ", "КОМИТЕДИ"]])
['КОМИТЕТ', 'РЕСПУБЛИКИ АЛТАЙ', '', 'АЛТАЙ РЕСПУБЛИКАНЫҤ', 'КОМИТЕДИ']
>>> layout_row([["Министр социальной защиты", "Сахалинской области"], ["", "О.С. Орлова"]])
['Министр социальной защиты', 'Сахалинской области\\tО.С. Орлова']
>>> layout_row([[""], ["УТВЕРЖДЕН", "приказом Комитета"]])
['УТВЕРЖДЕН', 'приказом Комитета']
"""

from __future__ import annotations

import re
from itertools import pairwise

from pipeline.patterns import signature_line
from pipeline.readers.numbering import q

MAX_LAYOUT_ROWS = 4
MAX_LAYOUT_COLS = 4

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"
WP_ANCHOR, WP_INLINE = f"{{{WP}}}anchor", f"{{{WP}}}inline"
VML_SHAPES = {f"{{{VML}}}{t}" for t in ("shape", "rect", "roundrect", "oval")}
# A floating box whose top is lower than this below its anchor paragraph's top is read after it.
BELOW_EMU = 360000  # 1 cm
BELOW_PT = 28.35

_NONE = ("nil", "none")
_LEFT, _RIGHT = ("left", "start"), ("right", "end")
# Cyrillic letters Russian does not have (Altai ј ҥ ӧ ӱ, Tatar/Bashkir ә ө ү һ ң ғ қ җ, …)
_FOREIGN_LETTER = re.compile(r"[\u0400\u0402-\u040f\u0450\u0452-\u045f\u0460-\u052f]")


# ------------------------------------------------------------------ borders

class TableStyles:
    """Borders of the table styles in styles.xml, ``basedOn`` resolved."""

    def __init__(self, styles_root=None):
        self.borders: dict[str, dict[str, bool]] = {}
        self.default: str | None = None
        if styles_root is None:
            return
        own: dict[str, dict[str, bool]] = {}
        based: dict[str, str] = {}
        for st in styles_root.iterfind(f"{q('style')}[@{q('type')}='table']"):
            sid = st.get(q("styleId"))
            if st.get(q("default")) in ("1", "true", "on"):
                self.default = sid
            b = st.find(q("basedOn"))
            if b is not None:
                based[sid] = b.get(q("val"))
            tblpr = st.find(q("tblPr"))
            own[sid] = edges(tblpr.find(q("tblBorders")) if tblpr is not None else None)
        for sid in own:
            chain, s = [], sid
            while s in own and s not in chain:
                chain.append(s)
                s = based.get(s)
            merged: dict[str, bool] = {}
            for s in reversed(chain):
                merged.update(own[s])
            self.borders[sid] = merged

    def table_edges(self, tbl) -> dict[str, bool]:
        tblpr = tbl.find(q("tblPr"))
        style = None
        if tblpr is not None and tblpr.find(q("tblStyle")) is not None:
            style = tblpr.find(q("tblStyle")).get(q("val"))
        out = dict(self.borders.get(style or self.default or "", {}))
        if tblpr is not None:
            out.update(edges(tblpr.find(q("tblBorders"))))
        return out


def edges(borders) -> dict[str, bool]:
    """Visible (True) / hidden (False) per edge stated in a ``tblBorders``/``tcBorders``."""
    if borders is None:
        return {}
    out = {}
    for el in borders:
        if isinstance(el.tag, str):
            out[el.tag.rsplit("}", 1)[-1]] = el.get(q("val"), "nil") not in _NONE
    return out


def _side(cell_edges: dict[str, bool], names: tuple[str, ...]) -> bool | None:
    for n in names:
        if n in cell_edges:
            return cell_edges[n]
    return None


def direct_rows(tbl) -> list[list]:
    """The table's own rows and cells (not those of nested tables), through content controls."""
    rows = []
    for tr in tbl.iter(q("tr")):
        if tr.getparent() is not tbl and tr.getparent().tag != q("sdtContent"):
            continue
        rows.append([tc for tc in tr.iter(q("tc"))
                     if tc.getparent() is tr or tc.getparent().tag in (q("sdtContent"), q("customXml"))])
    return rows


def is_layout_table(tbl, styles: TableStyles) -> bool:
    """A small table with no ruling between its columns places text; it holds no data."""
    rows = direct_rows(tbl)
    ncols = max([len(tbl.findall(f"{q('tblGrid')}/{q('gridCol')}"))] + [len(r) for r in rows])
    if not rows or len(rows) > MAX_LAYOUT_ROWS or ncols > MAX_LAYOUT_COLS:
        return False
    inside_v = styles.table_edges(tbl).get("insideV", False)
    for cells in rows:
        sides = []
        for tc in cells:
            tcpr = tc.find(q("tcPr"))
            sides.append(edges(tcpr.find(q("tcBorders")) if tcpr is not None else None))
        for a, b in pairwise(sides):
            right, left = _side(a, _RIGHT), _side(b, _LEFT)
            # a side the cell does not state is the table's inside border
            if (inside_v if right is None else right) or (inside_v if left is None else left):
                return False
    return True


# ------------------------------------------------------------------ rows as a txt prints them

def _trim(lines: list[str]) -> list[str]:
    a, b = 0, len(lines)
    while a < b and not lines[a].strip():
        a += 1
    while b > a and not lines[b - 1].strip():
        b -= 1
    return lines[a:b]


def is_foreign(lines: list[str]) -> bool:
    """Lines with Cyrillic letters Russian does not have (the regional half of a letterhead)."""
    return any(_FOREIGN_LETTER.search(s) for s in lines)


def _is_name(text: str) -> bool:
    found = signature_line(text)
    return bool(found) and found[0] is None


def layout_row(cells: list[list[str]]) -> list[str]:
    """The lines of one layout-table row, as a txt prints it; see the module doc."""
    filled = [c for c in map(_trim, cells) if c]
    if not filled:
        return []
    if len(filled) == 1:
        return filled[0]
    if any(is_foreign(c) for c in filled):
        return _blocks(filled)
    content = [[s for s in c if s.strip()] for c in filled]
    last = content[-1]
    name_last = len(last) == 1 and _is_name(last[0])
    if all(len(c) == 1 for c in content) and (name_last or any(ch.isdigit() for c in content for ch in c[0])):
        return ["\t".join(c[0] for c in content)]
    if name_last and len(content[0]) >= 1:
        position = filled[0]
        out = position[:-1] + [f"{position[-1]}\t{last[0]}"]
        for c in filled[1:-1]:
            out += ["", *c]
        return out
    return _blocks(filled)


def _blocks(filled: list[list[str]]) -> list[str]:
    out: list[str] = []
    for c in sorted(filled, key=is_foreign):  # stable: the Russian block first, else reading order
        if out:
            out.append("")
        out.extend(c)
    return out


# ------------------------------------------------------------------ text boxes

def box_goes_first(box, text_before: bool) -> bool:
    """Read a text box (``w:txbxContent``) before its anchor paragraph's text?"""
    el = box.getparent()
    while el is not None and el.tag not in (q("p"), q("r")):
        if el.tag == WP_ANCHOR:
            return _anchor_first(el)
        if el.tag == WP_INLINE:
            return not text_before
        if el.tag in VML_SHAPES and "position:absolute" in (el.get("style") or "").replace(" ", ""):
            return _vml_first(el.get("style") or "")
        el = el.getparent()
    return not text_before


def _anchor_first(anchor) -> bool:
    pos = anchor.find(f"{{{WP}}}positionV")
    if pos is None or pos.get("relativeFrom") not in ("paragraph", "line"):
        return True  # placed on the page or margin: anchored near where it shows
    off = pos.find(f"{{{WP}}}posOffset")
    if off is not None:
        try:
            return int((off.text or "0").strip()) <= BELOW_EMU
        except ValueError:
            return True
    align = pos.find(f"{{{WP}}}align")
    return align is None or (align.text or "").strip() not in ("bottom", "outside")


def _vml_first(style: str) -> bool:
    props = dict(p.split(":", 1) for p in style.replace(" ", "").split(";") if ":" in p)
    if props.get("mso-position-vertical-relative", "text") not in ("text", "line"):
        return True
    return _points(props.get("margin-top", "0")) <= BELOW_PT


def _points(value: str) -> float:
    m = re.match(r"(-?[\d.]+)([a-z]*)", value)
    if not m:
        return 0.0
    n = float(m.group(1))
    return n * {"in": 72, "cm": 28.35, "mm": 2.835, "px": 0.75, "pc": 12}.get(m.group(2), 1.0)
