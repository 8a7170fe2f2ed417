"""Tables drawn with box characters in plain text, as legal databases export
them (КонсультантПлюс, Кодекс, Гарант «сохранить в текстовый файл»)::

    ┌────┬──────────────────────┬─────────┐
    │ N  │  Наименование точки  │ Вид     │
    │п/п │  взаимодействия      │ точки   │
    ├────┼──────────────────────┼─────────┤
    │ 1  │Официальный сайт      │цифровая │
    │    │департамента          │         │
    └────┴──────────────────────┴─────────┘

and the same drawn in ASCII (``+----+----+``, ``|``) or as a markdown table
(``| a | b |`` over ``|---|---|``). A row is what stands
between two rule lines; a cell printed over several lines is joined (a word
hyphenated at the column's edge is joined whole). Where rows are not ruled
off from each other, a line whose first column is filled starts a new row
and a line whose first column is empty continues the one above; the header,
ruled off from the body, stays one row. Each cell
keeps the offsets of its first and last fragment in the text, and the line
of its first fragment.

Example::

    >>> from pipeline.document import split_lines
    >>> text = "┌──┬─────┐\\n│N │Имя  │\\n├──┼─────┤\\n│1 │Сайт │\\n│  │ведом│\\n└──┴─────┘"
    >>> [[c.text for c in row] for row in tables_from_box_lines(text, split_lines(text))[0].rows]
    [['N', 'Имя'], ['1', 'Сайт ведом']]
"""

from __future__ import annotations

import re

from pipeline.document import Cell, Line, Table

VERTICAL = "│┃║|"
# a rule line: only box-drawing or ASCII rule characters (and spaces), with a horizontal run in it
_RULE = re.compile(r"^[\s─━═\-+┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╟╢╤╧╪╞╡╒╕╘╛╓╖╙╜╫╥╨│┃║|:]*[─━═\-]{3,}[\s─━═\-+┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╟╢╤╧╪╞╡╒╕╘╛╓╖╙╜╫╥╨│┃║|:]*$")
_HYPHEN_END = re.compile(r"[А-Яа-яЁёA-Za-z]-$")


def is_rule(text: str) -> bool:
    """A line that rules rows off: box characters, '+----+', or a markdown '|---|:---:|'."""
    t = text.strip()
    return bool(t) and _RULE.match(text) is not None and (
        any(c in t for c in "─━═┼┬┴+") or (t[0] in VERTICAL and "---" in t))


def is_box_row(text: str) -> bool:
    """A line of a drawn table: it opens with a vertical bar and has another."""
    t = text.lstrip()
    return bool(t) and t[0] in VERTICAL and sum(t.count(v) for v in VERTICAL) >= 2


def tables_from_box_lines(text: str, lines: list[Line]) -> list[Table]:
    """Every drawn table of the text (at least two rows)."""
    tables: list[Table] = []
    i = 0
    n = len(lines)
    while i < n:
        if not (is_rule(lines[i].text) or is_box_row(lines[i].text)):
            i += 1
            continue
        j = i
        while j < n and (is_rule(lines[j].text) or is_box_row(lines[j].text)):
            j += 1
        block = lines[i:j]
        if sum(is_box_row(ln.text) for ln in block) >= 2:
            table = _table(block)
            if table is not None:
                tables.append(table)
        i = j
    return tables


def _table(block: list[Line]) -> Table | None:
    rows: list[list[Line]] = []  # the printed lines of each row
    current: list[Line] = []
    for ln in block:
        if is_rule(ln.text):
            if current:
                rows.append(current)
            current = []
        else:
            current.append(ln)
    if current:
        rows.append(current)
    out: list[list[Cell]] = []
    for k, printed in enumerate(rows):
        # the header, ruled off from the body, is one row however many lines it takes
        groups = [printed] if k == 0 and len(rows) > 1 else _split_unruled(printed)
        for group in groups:
            row = _row(group)
            if row and any(c.text for c in row):
                out.append(row)
    if len(out) < 2:
        return None
    return Table(out, block[0].no, block[-1].no)


def _segments(ln: Line) -> list[tuple[int, int]]:
    """(start, end) in the line's text of each cell fragment between bars."""
    bars = [k for k, ch in enumerate(ln.text) if ch in VERTICAL]
    return [(a + 1, b) for a, b in zip(bars, bars[1:])]


def _split_unruled(printed: list[Line]) -> list[list[Line]]:
    """Lines of one ruled row; several rows where the table does not rule its
    rows off: a filled first column opens a row, an empty one continues it."""
    if len(printed) < 2:
        return [printed]
    firsts = []
    for ln in printed:
        segs = _segments(ln)
        firsts.append(bool(segs) and bool(ln.text[segs[0][0]:segs[0][1]].strip()))
    if sum(firsts) < 2 or not firsts[0]:
        return [printed]
    groups: list[list[Line]] = []
    for ln, first in zip(printed, firsts):
        if first or not groups:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    return groups


def _row(printed: list[Line]) -> list[Cell]:
    """One row's cells: the fragments of each column joined over its lines."""
    layout = _segments(printed[0])
    if not layout:
        return []
    parts: list[list[tuple[str, int, int, int]]] = [[] for _ in layout]  # (text, start, end, line) per column
    for ln in printed:
        for a, b in _segments(ln):
            col = _column(layout, a)
            raw = ln.text[a:b]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            start = ln.start + a + lead
            parts[col].append((stripped, start, start + len(stripped), ln.no))
    cells = []
    for frags in parts:
        if not frags:
            cells.append(Cell("", printed[0].start, printed[0].start, printed[0].no))
            continue
        text = frags[0][0]
        for frag in frags[1:]:
            piece = frag[0]
            if _HYPHEN_END.search(text) and piece[:1].islower():
                text = text[:-1] + piece  # "взаимодей-" + "ствия"
            else:
                text = f"{text} {piece}"
        cells.append(Cell(text, frags[0][1], frags[-1][2], frags[0][3]))
    return cells


def _column(layout: list[tuple[int, int]], start: int) -> int:
    """The column of the row's first line a fragment starting at ``start`` falls in."""
    for k, (a, b) in enumerate(layout):
        if start < b:
            return k
    return len(layout) - 1
