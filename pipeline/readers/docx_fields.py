"""Word fields whose results are not content: page numbers, dates, counts.

A field is ``w:fldSimple w:instr="PAGE"`` around its cached result, or complex:
``w:fldChar begin`` … ``w:instrText`` … ``w:fldChar separate`` … result runs …
``w:fldChar end``, possibly spread over runs and nested. The cached result of
PAGE is whatever page Word last laid the run out on ("2" in a default header),
of DATE the day the file was last opened: neither belongs to the order.
Results of other fields (HYPERLINK, REF, DOCPROPERTY, MERGEFIELD …) are text
the reader sees, so they stay.

>>> f = FieldState()
>>> f.begin(); f.instr(" PAGE \\\\* MERGEFORMAT "); f.separate(); f.hidden()
True
>>> f.end(); f.hidden()
False
>>> hides("HYPERLINK \\"http://x\\""), hides(" NUMPAGES ")
(False, True)
"""

from __future__ import annotations

# Field types whose cached result depends on layout, the clock or the file, never on the order's text.
HIDDEN_FIELDS = frozenset({
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "PAGEREF",
    "DATE", "TIME", "PRINTDATE", "SAVEDATE", "CREATEDATE", "EDITTIME",
    "NUMWORDS", "NUMCHARS", "FILESIZE", "FILENAME",
})


def field_type(instr: str) -> str:
    """The field's type: the first word of its instruction, upper case."""
    words = instr.split()
    return words[0].upper().lstrip("\\") if words else ""


def hides(instr: str) -> bool:
    """True when the result of a field with this instruction is not content."""
    return field_type(instr) in HIDDEN_FIELDS


# Bounds on what a damaged or hostile file can make us keep: Word nests fields a few deep, and
# only the first word of an instruction is read (every text run asks hidden(), which walks the stack).
MAX_FIELD_DEPTH = 32
MAX_INSTR_CHARS = 256


class FieldState:
    """Complex fields open at the current run: [instruction, in result part].

    >>> f = FieldState()
    >>> for _ in range(100_000): f.begin(); f.instr("HYPERLINK " * 100)
    >>> len(f.stack), len(f.stack[-1][0]), f.overflow
    (32, 256, 99968)
    """

    def __init__(self) -> None:
        self.stack: list[list] = []
        self.overflow = 0  # fields begun past MAX_FIELD_DEPTH: counted, their ends matched

    def begin(self) -> None:
        if len(self.stack) < MAX_FIELD_DEPTH:
            self.stack.append(["", False])
        else:
            self.overflow += 1

    def instr(self, text: str) -> None:
        if self.stack and not self.stack[-1][1] and not self.overflow and len(self.stack[-1][0]) < MAX_INSTR_CHARS:
            self.stack[-1][0] = (self.stack[-1][0] + text)[:MAX_INSTR_CHARS]

    def separate(self) -> None:
        if self.stack and not self.overflow:
            self.stack[-1][1] = True

    def end(self) -> None:
        if self.overflow:
            self.overflow -= 1
        elif self.stack:
            self.stack.pop()

    def hidden(self) -> bool:
        """Text here is a field's instruction or a hidden field's result."""
        return bool(self.stack) and any(not in_result or hides(instr) for instr, in_result in self.stack)

    def new_paragraph(self) -> None:
        """A paragraph starts: only fields whose results may run on (a TOC, a
        hyperlink) stay open, so a field left unterminated by a damaged file
        cannot hide the rest of the document."""
        self.stack = [f for f in self.stack if f[1] and not hides(f[0])]
        self.overflow = 0

    def reset(self) -> None:
        self.stack = []
        self.overflow = 0
