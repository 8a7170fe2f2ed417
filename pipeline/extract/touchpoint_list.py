"""The Перечень as a list under a heading ("Перечень точек взаимодействия",
"Перечень точек контакта", "Перечень каналов взаимодействия"), split by
paragraphs that state the kind ("Цифровые точки взаимодействия:", "Офлайн
точки" — with or without a colon, numbered "1." with items "1.1.", or with the
items inline after the colon) or a group ("1. Предоставление государственных
услуг:"). An item may print its kind ("– цифровая точка", "(офлайн)"), its
needs ("официальный сайт – получение информации, подача обращений") or its
address or link ("(https://…)", kept in features) after the name."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from pipeline import normalize as nz
from pipeline.context import Context
from pipeline.document import Cell, Line, Table
from pipeline.extract.touchpoint_common import (
    columns_vocab,
    contact_cell,
    group_heading,
    is_need,
    make_touchpoint,
    shorten,
)
from pipeline.labels import parse_label
from pipeline.models import Touchpoint
from pipeline.nlp import get_morph

# -------------------------------------------------------------------- list

_BULLET = re.compile(r"\s*(?:[-–—•*·▪●]\s*)+")


def _strip_marks(text: str) -> tuple[int, str | None, str]:
    """(offset of the content, label, content) of a list line: bullets, markup
    and a numbering label removed."""
    off = 0
    m = re.match(r"^[\s#>*]*", text)
    off = m.end() if m else 0
    b = _BULLET.match(text, off) or None
    if b and b.end() > off:
        off = b.end()
    label = None
    lab, at = parse_label(text[off:], loose=True)
    if lab.style in ("decimal", "letter", "paren_number") and not lab.bullet:
        label = lab.printed
        off += at
    content = text[off:].replace("**", "")
    return off, label, content.rstrip()


def _has_finite_verb(text: str) -> bool:
    for w in re.findall(r"[А-Яа-яЁё]+", text):
        if any(p.tag.POS == "VERB" and p.score > 0.3 for p in get_morph().parse(w.lower())):
            return True
    return False


_PERECHEN_TITLE = re.compile(r"^(?:перечень|реестр)\b", re.IGNORECASE)


_TITLE_WORD = re.compile("перечень|реестр")


def _title_lines(lines: list[Line]) -> set[int]:
    """Indices of the lines that print 'перечень' or 'реестр' (any case, bold
    marks inside the word too), found in one pass over the whole text: no
    other line can open a Перечень heading."""
    parts = "\n".join(ln.text for ln in lines).replace("**", "").lower().split("\n")
    if len(parts) != len(lines):  # a line holding a line break: line by line
        parts = [ln.text.replace("**", "").lower() for ln in lines]
    ends = list(accumulate(len(p) + 1 for p in parts))
    return {bisect_right(ends, m.start()) for m in _TITLE_WORD.finditer("\n".join(parts))}


def _title_block(lines: list[Line], i: int) -> tuple[str, int] | None:
    """If line ``i`` (one of :func:`_title_lines`) opens a Перечень heading, its
    text and last line index."""
    _, _, content = _strip_marks(lines[i].text)
    if not _PERECHEN_TITLE.match(content.strip()) or len(content) > 250:
        return None
    text, j = content, i
    bold_open = lines[i].text.count("**") % 2 == 1
    # the title goes on while its bold is open, or while it is still only "ПЕРЕЧЕНЬ …" without its object
    while j + 1 < len(lines) and lines[j + 1].text.strip() and (
            bold_open or ("точ" not in text.lower() and j - i < 3)):
        j += 1
        text += " " + lines[j].text.replace("**", "")
        if lines[j].text.count("**") % 2 == 1:
            bold_open = not bold_open
    lem = f" {nz.lemma_key(text)} "
    objects = [f" {nz.lemma_key(k)} " for k in columns_vocab()["list_titles"]]
    if not any(k in lem for k in objects) or _has_finite_verb(text) or _POINTS_TO_APPENDIX.search(text):
        return None
    return text, j


# "1.2. Перечень точек взаимодействия … согласно приложению 2.": an item of what the order
# approves, pointing to the appendix that holds the Перечень, not its heading
_POINTS_TO_APPENDIX = re.compile(r"(?:согласно|в\s+соответствии\s+с)\s+приложени|\(\s*приложени", re.I)


def find_lists(ctx: Context, lines: list[Line], tables: list[Table], recognized: set[int]) -> list[Touchpoint]:
    """Touchpoints listed under a Перечень heading (a heading over a table is
    the table's title: the table walk reads it)."""
    table_at = {n: t for t in tables for n in range(t.first_line, t.last_line + 1)}
    out: list[Touchpoint] = []
    titled = _title_lines(lines)
    i = 0
    while i < len(lines):
        tb = _title_block(lines, i) if i in titled else None
        if tb is None:
            i += 1
            continue
        _, head_label, _ = _strip_marks(lines[i].text)
        end = tb[1]
        nxt = next((ln for ln in lines[end + 1 :] if ln.text.strip()), None)
        t = _table_below(lines, end + 1, table_at)
        if t is not None:
            if t.first_line not in recognized:
                ctx.warn("perechen_table_unmapped",
                         f"the Перечень '{shorten(tb[0])}' is a table whose header names no touchpoint column "
                         f"(first row: '{shorten(' | '.join(c.text for c in t.rows[0]), 100)}'); not read",
                         ctx.src.line_span(t.first_line, t.last_line))
            i = end + 1
            continue
        inline = _inline_items(ctx, lines[end])
        if inline:
            out.extend(inline)
            i = end + 1
            continue
        if nxt is None:
            break
        tps, i = _list_items(ctx, lines, end + 1, head_label, table_at)
        if not tps:
            ctx.warn("perechen_empty", f"heading '{shorten(tb[0])}' is followed by no touchpoint items",
                     ctx.src.line_span(lines[end].no))
        out.extend(tps)
    return out


# "официальный сайт – цифровая точка", "МФЦ (офлайн)": the kind printed after the name
_KIND_SUFFIX = re.compile(r"^(?P<name>.+?)\s*(?:\s[-–—]\s*|\()(?P<kind>[^()]+?)\)?$")


def _suffix_needs(text: str) -> list[str]:
    """'получение информации, подача обращений' → the needs, when every piece is one."""
    items = [p.strip() for p in re.split(r"[;,]\s*", text) if p.strip()]
    return items if items and all(map(is_need, items)) else []


def _list_item(ctx: Context, body: str, start: int, line_no: int, label: str | None, kind_text: str | None,
               group: str | None) -> Touchpoint:
    """One list item (``body`` starts at ``start`` in the text) → a touchpoint."""
    name = body.rstrip(";,. ")
    cells = []
    needs_text, features = "", None
    m = _KIND_SUFFIX.match(name)
    if m and nz.kind_of(m.group("kind")):
        kind_text, name = m.group("kind"), m.group("name")
    elif m and (needs := _suffix_needs(m.group("kind"))):
        needs_text, name = "; ".join(needs), m.group("name")
        cells.append(Cell(m.group("kind"), start + m.start("kind"), start + m.end("kind"), line_no))
    elif m and contact_cell(m.group("kind")):
        features, name = m.group("kind"), m.group("name")
        cells.append(Cell(features, start + m.start("kind"), start + m.end("kind"), line_no))
    tp = make_touchpoint(ctx, name=name, name_raw=name, row=None, row_label=label, needs_text=needs_text,
                         features=features, kind_text=kind_text, channel_text=None,
                         cells=[Cell(name, start, start + len(name), line_no)] + cells, source="list")
    if group:
        d = nz.direction_of(group)
        tp = tp.model_copy(update={"direction": group, "direction_code": d.code if d else None})
    return tp


def _inline_items(ctx: Context, ln: Line, kind_text: str | None = None, group: str | None = None) -> list[Touchpoint]:
    """'Перечень точек взаимодействия: официальный сайт, электронная почта, МФЦ.',
    'Цифровые точки взаимодействия: официальный сайт, чат-бот.'"""
    colon = ln.text.find(":")
    tail = ln.text[colon + 1 :] if colon >= 0 else ""
    if not re.search(r"[^\W\d_]{2,}", tail):
        return []
    sep = ";" if ";" in tail else ","
    out, pos = [], ln.start + colon + 1
    for piece in tail.split(sep):
        body = piece.strip().replace("**", "")
        lead = len(piece) - len(piece.lstrip())
        if re.search(r"[^\W\d_]{2,}", body):
            out.append(_list_item(ctx, body, pos + lead, ln.no, None, kind_text, group))
        pos += len(piece) + 1
    return out


def _table_below(lines: list[Line], k: int, table_at: dict[int, Table], max_lines: int = 4) -> Table | None:
    """The table a Перечень title stands over: the first table line below it,
    with only title-like lines in between (no bullets, labels, ';' or ':')."""
    seen = 0
    while k < len(lines) and seen < max_lines:
        ln = lines[k]
        if ln.no in table_at:
            return table_at[ln.no]
        if ln.text.strip():
            _, label, content = _strip_marks(ln.text)
            if label or _BULLET.match(ln.text) or content.endswith((";", ",", ":")):
                return None
            seen += 1
        k += 1
    return None


def _sub_heading(body: str, bulleted: bool) -> tuple[str | None, str | None] | None:
    """(kind text, group) of a paragraph that heads part of the list: one
    ending with ':' ("Офлайн точки в рамках взаимодействия:", "1. Предоставление
    государственных услуг:"), or a kind heading without a colon ("Цифровые
    точки взаимодействия"). None for an item."""
    if body.endswith(":") and len(body) < 200:
        return (body, None) if nz.kind_of(body) else (None, body.rstrip(":"))
    if bulleted or body.endswith((";", ",")) or "." in body.rstrip("."):
        return None  # an item, not a heading
    g = group_heading(body)
    markers = columns_vocab()["content"]["kind_statement_markers"]
    if g is not None and g.what == "kind" and any(m in body.lower() for m in markers):
        return body, None
    return None


def _heading_with_items(ctx: Context, ln: Line, body: str) -> list[Touchpoint]:
    """'Цифровые точки взаимодействия: официальный сайт, электронная почта.':
    a kind heading with its items after the colon."""
    colon = body.find(":")
    if colon <= 0:
        return []
    g = group_heading(body[:colon])
    if g is None or g.what != "kind":
        return []
    return _inline_items(ctx, ln, kind_text=body[:colon])


def _list_items(ctx: Context, lines: list[Line], i: int, head_label: str | None,
                table_at: dict[int, Table]) -> tuple[list[Touchpoint], int]:
    head = (head_label or "").rstrip(".")
    kind_text: str | None = None
    group: str | None = None  # a sub-heading that names no kind (a direction, a service)
    sub: str | None = None  # the number of the last numbered sub-heading ("1" of "1. Цифровые точки:")
    closed = False  # the last item ended with '.'
    last_no = 0  # number of the last item numbered "1.", "2." under an unnumbered heading
    restart = False  # right after a kind's sub-heading, where numbering may start again at 1
    out: list[Touchpoint] = []
    while i < len(lines):
        ln = lines[i]
        if not ln.text.strip():
            i += 1
            continue
        if ln.no in table_at:
            break
        off, label, content = _strip_marks(ln.text)
        body = content.strip()
        dec = label.rstrip(".") if label and label[0].isdigit() and not label.endswith(")") else None
        if dec and head and not dec.startswith(head + "."):
            break  # the next section ("5 Заключительные положения")
        letters = [c for c in ln.clean if c.isalpha()]
        if (len(letters) >= 12 and ln.clean.isupper() and not body.endswith((";", ","))) \
                or ln.text.lstrip().startswith("#"):
            break
        bulleted = bool(_BULLET.match(ln.text))
        heading = _sub_heading(body, bulleted)
        if heading is not None:
            kind_text, group = heading
            sub = dec if dec and not (sub and dec.startswith(sub + ".")) else None
            # under the next kind the items start again at 1 or go on ("4. … / Офлайн точки: / 5. …")
            closed, restart = False, True
            i += 1
            continue
        inline = [] if bulleted else _heading_with_items(ctx, ln, body)
        if inline:
            out.extend(inline)
            closed, last_no, sub = False, 0, None
            i += 1
            continue
        if dec and not (sub and dec.startswith(sub + ".")) and not head:
            if restart and dec == "1":
                last_no = 0
            if dec != str(last_no + 1):
                break  # not the next item: a new section
            last_no += 1
        restart = False
        if closed or len(body) > 300 or _has_finite_verb(body):
            break
        start = ln.start + off + (len(content) - len(content.lstrip()))
        item_label = label if label and not (dec and head) else None
        out.append(_list_item(ctx, body, start, ln.no, item_label, kind_text, group))
        closed = body.endswith(".")
        i += 1
    return out, i
