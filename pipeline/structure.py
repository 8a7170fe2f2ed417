"""Clause tree with numbering as printed.

Each paragraph of a document body becomes a node: sections (``I.``), clauses
(``1.``, ``1.1.``, ``16.2.``, ``2.1``), items (``а)``, ``1)``), bullets
(``-``, ``•``) and unnumbered paragraphs. Nesting follows the printed labels:

* a decimal label nests by depth (``1.1.`` under ``1.``) and closes open lists;
* the first label of a sequence (``а)``, ``1)``) after a line ending in ``:``
  opens a new list under that line, even inside a list of the same style;
* otherwise a label continues the open list of its style, or opens one.

Anomalies are kept as printed and flagged: a repeated label, a label out of
sequence, and a letter that stands where a digit is meant (``б)`` for ``6)``
in a ``1)…7)`` list) — the node is placed where the digit belongs.
Paragraphs split by a page or line break (starting in lower case after a line
that does not end a sentence) are joined back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.cleanup import mostly_upper, strip_markup
from pipeline.document import space_gutters
from pipeline.labels import Label, letter_for_digit, expected_next, parse_label
from pipeline.context import Context
from pipeline.models import Clause

_TERMINAL = (".", ";", ":", "!", "?")
_CLOSED = (".", "!", "?", "»", ")", ";", ":", '"')
MIN_SENTENCE = 40  # shorter last lines are names, places, signatures

@dataclass
class _Node:
    label: Label
    text: str
    first_line: int
    last_line: int
    start: int  # char offsets of the whole paragraph (label included)
    end: int
    heading: bool = False
    children: list["_Node"] = field(default_factory=list)
    parent: "_Node | None" = None

    def ends_open(self) -> bool:
        return self.text.rstrip().endswith(":")


def _is_heading(text: str, label: Label, raw: str = "") -> bool:
    if label.style not in ("none", "roman", "decimal"):
        return False
    t = text.strip()
    if t.endswith((".", ";", ":", ",")) and not raw.strip().endswith("**"):
        return False
    first = re.match(r"[А-ЯЁA-Z]{4,}\b", t)
    if raw.lstrip("# ").startswith("**") or (first and len(t) <= 400):
        return len(t) <= 400
    if not t or len(t) > 160:
        return False
    if label.style == "decimal" and label.depth > 1:
        return False
    if mostly_upper(t, min_letters=4):
        return True
    return t[:1].isupper() and not t.endswith((".", ";", ":", ",")) and len(t.split()) <= 14


def merge_paragraphs(lines: list[tuple[int, int, int, str]], soft_wrapped: bool = False) -> list[tuple[int, int, int, int, str]]:
    """Rebuild paragraphs cut by line or page breaks.

    ``lines``: (line no, start, end, text) of non-blank lines. A line joins the
    paragraph before it when it starts in lower case after a line that did not
    end a sentence or list entry, when it continues an open ``**bold**`` run,
    or when both are upper-case heading lines printed one under the other.
    With ``soft_wrapped`` (plain-text exports) a line printed right under one
    that does not end a sentence or list entry also continues it."""
    out: list[list] = []
    bold_open = False
    for no, start, end, text in lines:
        t = text.strip()
        if out:
            prev = out[-1]
            ptext = prev[4].rstrip()
            label, _ = parse_label(t)
            join = False
            if bold_open:
                join = True
            elif label.style == "none":
                first = t.lstrip("(«\"*")[:1]
                if first.islower() and not ptext.endswith((":", ";")) and (not ptext.endswith((".", "!", "?")) or t.startswith("(")):
                    join = True
                elif no == prev[1] + 1 and not ptext.endswith(_TERMINAL) and (soft_wrapped or (mostly_upper(t) and mostly_upper(ptext))):
                    join = True
            if join:
                prev[1], prev[3] = no, end
                prev[4] = f"{ptext} {t}"
                bold_open = _bold_open(prev[4])
                continue
        out.append([no, no, start, end, t])
        bold_open = _bold_open(t)
    return [tuple(q) for p in out for q in _split_inline_items(tuple(p))]


def _split_inline_items(p: tuple[int, int, int, int, str]) -> list[tuple[int, int, int, int, str]]:
    """'б) обращения; в) запроса;' printed on one line → two items, when the
    inline label is the next one of the same sequence."""
    first, last, start, end, text = p
    label, _ = parse_label(text)
    if label.style not in ("letter", "paren_number"):
        return [p]
    nxt = expected_next(label.style, label.value)
    m = re.search(r";\s+(" + re.escape(nxt) + r"\))\s", text) if nxt else None
    if not m:
        return [p]
    cut = m.start(1)
    # offsets: text is stripped, so locate it from the end of the paragraph
    base = end - len(text)
    head = (first, last, start, base + cut, text[:cut].rstrip())
    return [head] + _split_inline_items((first, last, base + cut, end, text[cut:]))


def _bold_open(text: str) -> bool:
    return text.count("**") % 2 == 1


def build_tree(paragraphs: list[tuple[int, int, int, int, str]], warn, title_lines: frozenset[int] = frozenset()) -> list[_Node]:
    """``paragraphs``: (first line, last line, start offset, end offset, text)
    from :func:`merge_paragraphs`. ``warn(code, message, start, end)`` records
    anomalies."""
    roots: list[_Node] = []
    stack: list[_Node] = []  # open nodes, outermost first
    last: _Node | None = None

    def attach(node: _Node, parent: _Node | None) -> None:
        node.parent = parent
        (parent.children if parent else roots).append(node)
        # the stack becomes the path to the node
        stack[:] = _path(parent) + [node]

    for first_line, last_line, start, end, raw in paragraphs:
        label, text_at = parse_label(raw)
        text = strip_markup(raw[text_at:])
        if not text and label.style == "none":
            continue
        node = _Node(label, text, first_line, last_line, start, end)
        node.heading = _is_heading(text, label, raw) or first_line in title_lines
        if first_line in title_lines:
            # an appendix title (found by the appendices step) always opens a new part
            attach(node, None)
            last = node
            continue

        if label.style == "roman" or (node.heading and label.style == "none" and _looks_like_section(text, last)):
            # sections and appendix titles start a new top-level context
            if label.style == "none":
                attach(node, None)
            else:
                while stack and stack[-1].label.style != "roman":
                    stack.pop()
                attach(node, None)
        elif label.style == "decimal":
            parent = None
            for cand in reversed(stack):
                if cand.label.style == "decimal" and cand.label.depth < label.depth and label.value.startswith(cand.label.value + "."):
                    parent = cand
                    break
                if cand.label.style == "roman" or (cand.heading and cand.label.style == "none" and cand.parent is None):
                    parent = cand
                    break
            attach(node, parent)
        elif label.style in ("letter", "paren_number", "bullet"):
            parent = _list_parent(node, stack, last, warn)
            attach(node, parent)
        else:  # unnumbered paragraph
            if last is not None and (last.ends_open() or (last.label.style == "none" and last.parent is not None and last.text.rstrip().endswith(";"))):
                parent = last if last.ends_open() else last.parent
            else:
                parent = next((c for c in reversed(stack) if c.label.style in ("decimal", "roman") or (c.heading and c.parent is None)), None)
            attach(node, parent)
        last = node
    _check_sequences(roots, warn)
    return roots


def _path(node: _Node | None) -> list[_Node]:
    out = []
    while node is not None:
        out.append(node)
        node = node.parent
    return out[::-1]


def _looks_like_section(text: str, last: _Node | None) -> bool:
    # a heading after a finished sentence (or at the start) opens a section
    return last is None or last.text.rstrip().endswith((".", ";")) or last.heading or not last.text.rstrip().endswith(":")


def _list_parent(node: _Node, stack: list[_Node], last: _Node | None, warn) -> _Node | None:
    label = node.label
    # a new list right after "…:" opens under that line
    if last is not None and last.ends_open() and (label.first_of_sequence() or label.style == "bullet" or not any(s.label.style == label.style for s in stack)):
        return last
    same = [s for s in reversed(stack) if s.label.style == label.style]
    if label.style == "bullet":
        return same[0].parent if same else (last if last is not None else None)
    # the innermost open list whose next label this is
    for cand in same:
        if expected_next(label.style, cand.label.value) == label.value:
            return cand.parent
    if same:
        nearest = same[0]
        digit = letter_for_digit(label.value) if label.style == "letter" else None
        if digit and label.value != nearest.label.value:
            # a letter standing for the digit of an outer list: "б)" for "6)"
            outer = next((s for s in reversed(stack[: stack.index(nearest)]) if s.label.style == "paren_number"), None)
            if outer is not None and expected_next("paren_number", outer.label.value) == digit:
                warn("numbering_lookalike",
                     f"item '{label.printed}' stands where '{digit})' belongs after '{outer.label.printed}': read as {digit})",
                     node.start, node.end)
                node.label = Label("paren_number", label.printed, digit, label.bullet)
                return outer.parent
        return nearest.parent
    # no open list of this style: nest under the last node
    return last


def _check_sequences(nodes: list[_Node], warn) -> None:
    prev: _Node | None = None
    for n in nodes:
        if prev is not None and n.label.style == prev.label.style and n.label.style in ("letter", "paren_number", "roman", "decimal"):
            exp = expected_next(prev.label.style, prev.label.value)
            if n.label.value == prev.label.value:
                warn("numbering_duplicate", f"label '{n.label.printed}' is printed twice in a row", n.start, n.end)
            elif exp and n.label.value != exp and not (n.label.printed != n.label.value + ")" and n.label.style == "paren_number" and n.label.printed[:1].isalpha()):
                warn("numbering_sequence", f"label '{n.label.printed}' follows '{prev.label.printed}' (expected '{exp}')", n.start, n.end)
        if n.label.style != "none":
            prev = n
        _check_sequences(n.children, warn)


def to_models(nodes: list[_Node], span_of, prefix: str = "") -> list[Clause]:
    out: list[Clause] = []
    used: dict[str, int] = {}
    unnumbered = 0
    for n in nodes:
        if n.label.style in ("none", "bullet"):
            unnumbered += 1
            key = f"p{unnumbered}"
        else:
            key = n.label.value.split(".")[-1] if n.label.style == "decimal" and prefix else n.label.value
        used[key] = used.get(key, 0) + 1
        if used[key] > 1:
            key = f"{key}~{used[key]}"
        cid = f"{prefix}/{key}" if prefix else key
        out.append(Clause(
            id=cid,
            number=n.label.printed or None,
            style=n.label.style,
            text=n.text,
            span=span_of(n.start, n.end),
            children=to_models(n.children, span_of, cid),
        ))
    return out


def body_paragraphs(ctx: Context, skip_lines: set[int]) -> list[tuple[int, int, int, str]]:
    table_lines = {no for t in ctx.src.tables for no in range(t.first_line, t.last_line + 1)}
    out = []
    for ln in ctx.lines:
        if ln.no in skip_lines or ln.no in table_lines or not ln.clean:
            continue
        out.append((ln.no, ln.start, ln.end, ln.text))
    return out


def consumed_lines(ctx: Context) -> set[int]:
    """Lines that belong to header facts (head, signature, registration stamp,
    appendix approval stamps), not to the clause text."""
    header = ctx.header
    assert header is not None, "meta.extract runs before structure"
    out: set[int] = set(range(ctx.sl.first_line, header.body_start))
    out |= header.signature_lines | header.registration_lines
    for ap in ctx.doc.appendices:
        if ap.approval and ap.approval.span:
            out.update(range(ap.approval.span.line, ap.approval.span.end_line + 1))
    return out


def extract(ctx: Context) -> None:
    paragraphs = body_paragraphs(ctx, consumed_lines(ctx))

    def warn(code, message, start, end):
        ctx.warn(code, message, ctx.span(start, end))

    titles = frozenset(a.title_span.line for a in ctx.doc.appendices if a.title_span)
    roots = build_tree(merge_paragraphs(paragraphs, ctx.src.soft_wrapped), warn, titles)
    ctx.doc.clauses = to_models(roots, ctx.span)
    _index(ctx, ctx.doc.clauses, None)
    _check_truncated(ctx, roots)


def _index(ctx: Context, clauses: list[Clause], parent: Clause | None) -> None:
    for c in clauses:
        ctx.flat.append(c)
        ctx.parents[c.id] = parent
        _index(ctx, c.children, c)


_ALIGNED = re.compile(r"\S\s{3,}\S")


def _check_truncated(ctx: Context, roots: list[_Node]) -> None:
    """A file that stops mid-list: the last paragraph of the last document is a
    list item with no closing punctuation."""
    if ctx.sl.last_line < len(ctx.src.lines) - 2:
        return
    node = roots[-1] if roots else None
    while node is not None and node.children:
        node = node.children[-1]
    if node is None:
        return
    tail = ctx.src.lines[ctx.sl.last_line - 1 :]
    if any(ln.no >= node.last_line and "\t" in ln.text for ln in tail):
        return
    if any(t.last_line > node.last_line and t.first_line >= ctx.sl.first_line for t in ctx.src.tables):
        return  # a table follows the last paragraph (a Перечень under its title): the text goes on
    last = []
    for ln in reversed(ctx.src.lines[: ctx.sl.last_line]):  # the last three printed lines
        if ln.clean:
            last.insert(0, ln)
            if len(last) == 3:
                break
    rows = [ln.text for ln in last if _ALIGNED.search(ln.text)]
    if len(last) == 3 and last[-1].text in rows and len(rows) >= 2 and space_gutters(rows, ragged=False):
        return  # the file ends in rows laid out with spaces (a table copied from a PDF), not mid-sentence
    text = node.text.rstrip()
    if node.label.style != "none" and not text.endswith((".", "!", "?", "»", ")")):
        ctx.warn("truncated", f"the file ends in the middle of a list: item '{node.label.printed}' has no closing punctuation and nothing follows",
                 ctx.span(node.start, node.end))
    elif (node.label.style == "none" and len(text) > MIN_SENTENCE and not text.endswith(_CLOSED)
          and node.last_line >= max((ln.no for ln in tail if ln.clean), default=0)):
        # a page saved in part: the last paragraph stops mid-sentence ("… Мур")
        ctx.warn("truncated", f"the file ends in the middle of a sentence: '…{text[-40:]}'",
                 ctx.span(node.start, node.end))
