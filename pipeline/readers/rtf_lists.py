"""RTF list labels as the saving application printed them.

An RTF numbered paragraph carries two things: its list (``\\lsN\\ilvlN`` →
``\\listoverridetable`` → ``\\listtable``) and the label the writer printed,
``{\\listtext 1.\\tab}`` (``{\\pntext …}`` in old-style numbering), kept for
readers that do not number lists themselves. Word and LibreOffice write both.

The list tables do not survive every writer: LibreOffice saves a
``russianLower`` list ("а) б) в)") with number format 0 (decimal) and reads
its own dash bullets back as "1)", so LibreOffice's RTF import, and Word's,
renumber such a file differently from what was printed. The printed label is
the one the order was signed with, so before conversion every ``\\listtext`` /
``\\pntext`` group becomes literal text of its paragraph and the paragraphs
leave their lists (``\\lsN``, ``\\ilvlN`` and old ``{\\*\\pn …}`` groups are
removed outside the list tables; an empty group ``{}`` keeps the next text from
running into the previous control word). Nothing else changes.

>>> literal_labels(rb"{\\rtf1{\\*\\listoverridetable{\\listoverride\\listid1\\ls1}}"
...                rb"\\pard{\\listtext\\pard\\plain \\u1072\\'3f)\\tab}\\ilvl0\\ls1 text\\par}")
b"{\\\\rtf1{\\\\*\\\\listoverridetable{\\\\listoverride\\\\listid1\\\\ls1}}\\\\pard{\\\\u1072\\\\'3f)\\\\tab}{}{}text\\\\par}"
"""

from __future__ import annotations

import re

_LABEL_GROUP = re.compile(rb"\{\\(?:listtext|pntext)(?![a-z])")
_OLD_PN = re.compile(rb"\{\\\*\\pn(?![a-z])")
_LIST_WORDS = re.compile(rb"\\(?:ls|ilvl)-?\d+ ?")
_TABLES = (rb"{\*\listtable", rb"{\*\listoverridetable")
# control words kept inside a label: the characters themselves
_KEEP = re.compile(rb"\\(?:'[0-9a-fA-F]{2}|u-?\d+ ?|uc\d+ ?|tab(?![a-z])|~|[{}\\])")
_WORD = re.compile(rb"\\(?:[a-zA-Z]+-?\d* ?|[^a-zA-Z])")


# braces and the escapes that hide one (\{ \} \\): the only bytes that open or close a group
_BRACE = re.compile(rb"\\[{}\\]|[{}]")
_PLAIN = re.compile(rb"[^\\{}\r\n]+")


def _group_end(data: bytes, start: int) -> int:
    """Index just past the group that opens at ``data[start] == '{'`` (one regex scan
    over its braces, not a Python step per byte)."""
    depth = 0
    for m in _BRACE.finditer(data, start):
        t = m.group()
        if t == b"{":
            depth += 1
        elif t == b"}":
            depth -= 1
            if depth == 0:
                return m.end()
    return len(data)


def _label_text(group: bytes) -> bytes:
    """The characters of a ``{\\listtext …}`` group, formatting dropped: a nested
    destination (``{\\*…}``) is skipped, another nested group's text kept (after a
    space, as its delimiter). Iterative: a deeply nested label costs its length."""
    inner = group[1:-1]
    inner = inner[inner.index(b"text") + 4:]  # after \listtext / \pntext
    out = bytearray()
    i, n = 0, len(inner)
    while i < n:
        c = inner[i]
        if c == 0x7B:
            if inner.startswith(rb"{\*", i):
                i = _group_end(inner, i)
            else:
                out += b" "
                i += 1
        elif c == 0x5C:
            m = _KEEP.match(inner, i)
            if m:
                out += m.group(0)
                i = m.end()
                continue
            m = _WORD.match(inner, i)
            i = m.end() if m else i + 2
        elif c in (0x0D, 0x0A, 0x7D):
            i += 1
        else:
            m = _PLAIN.match(inner, i)
            out += m.group(0)
            i = m.end()
    return bytes(out)


def _protected(data: bytes) -> list[tuple[int, int]]:
    spans = []
    for head in _TABLES:
        k = data.find(head)
        if k >= 0:
            spans.append((k, _group_end(data, k)))
    return spans


def literal_labels(data: bytes) -> bytes:
    """The RTF with every printed list label made text of its paragraph (see module doc).
    A file without ``\\listtext`` / ``\\pntext`` comes back unchanged."""
    if not _LABEL_GROUP.search(data):
        return data
    out = bytearray()
    # the list tables are copied as they are; elsewhere labels become text and list words go
    for kind, lo, hi in _segments(_protected(data), len(data)):
        out += data[lo:hi] if kind == "table" else _rewrite(data[lo:hi])
    return bytes(out)


def _segments(tables: list[tuple[int, int]], n: int):
    pos = 0
    for lo, hi in sorted(tables):
        if lo > pos:
            yield "text", pos, lo
        yield "table", lo, hi
        pos = hi
    if pos < n:
        yield "text", pos, n


def _rewrite(chunk: bytes) -> bytes:
    out = bytearray()
    i = 0
    m = _LABEL_GROUP.search(chunk)
    p = _OLD_PN.search(chunk)
    while True:
        # each pattern is searched again only once the scan has passed its last match (linear, not
        # one scan to the end of the file per label)
        if m is not None and m.start() < i:
            m = _LABEL_GROUP.search(chunk, i)
        if p is not None and p.start() < i:
            p = _OLD_PN.search(chunk, i)
        hit = min((x for x in (m, p) if x), key=lambda x: x.start(), default=None)
        if hit is None:
            out += _LIST_WORDS.sub(b"{}", chunk[i:])
            return bytes(out)
        out += _LIST_WORDS.sub(b"{}", chunk[i:hit.start()])
        end = _group_end(chunk, hit.start())
        if hit is m:
            out += b"{" + _label_text(chunk[hit.start():end]) + b"}"
        i = end
