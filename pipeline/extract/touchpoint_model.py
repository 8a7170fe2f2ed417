"""The pieces the Перечень table walk works with: its settings, the row and
touchpoint being assembled, and the column layout of a table (which column
plays which role, and how that was decided)."""


from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Cell, Line
from pipeline.extract.touchpoint_common import (
    columns_vocab,
    shorten,
)
from pipeline.nlp import get_morph, lookalikes


@dataclass(frozen=True)
class TableSettings:
    """Tunables of the table walk, named in one place (recorded in messages)."""

    # the № column (vocab/columns.json, "number_header"); the other roles come
    # from the same file through touchpoint_common.header_role
    number_header: str = field(default_factory=lambda: columns_vocab()["number_header"])
    min_header_roles: int = 3  # a header names the touchpoint column and at least 2 more
    max_header_cell: int = 200  # characters; a longer cell is data
    # a features cell states the kind ("Цифровая точка") only when it is this short
    kind_in_features_max_words: int = 5
    # rows of a header-less table may continue the Перечень table above when the
    # gap between them holds at most this many non-blank lines
    continuation_gap_lines: int = 3
    # share of a column's cells that must look like a role to give it that role
    content_share: float = field(default_factory=lambda: columns_vocab()["content"]["share"])
    content_share_number: float = field(default_factory=lambda: columns_vocab()["content"]["share_number"])


SETTINGS = TableSettings()


ROW_LABEL = re.compile(r"^(\d+)(?:\.\d+)*\s*[.):;,]?$")  # "1.", "1)", "1"; OCR: "3:", "3,"


# letters OCR reads in place of digits in a column-number row
TERMINAL = (".", ";", "!", "?", ":", ")", "»", '"')


@dataclass
class Row:
    label: str | None  # as printed; None when the № cell was not read
    cells: dict[str, list[Cell]] = field(default_factory=dict)  # direction / service
    number: int | None = None  # from the label, or inferred when the label was lost

    def __post_init__(self) -> None:
        if self.number is None and self.label and (m := ROW_LABEL.match(self.label.translate(str.maketrans(lookalikes("row_number_to_digit"))))):
            self.number = int(m.group(1))

    def text(self, role: str) -> str | None:
        t = " ".join(c.text for c in self.cells.get(role, []) if c.text)
        return t or None


@dataclass
class TPDraft:
    row: Row
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    joined_name: bool = False
    table: Layout | None = None  # the column layout of the table it was read from
    group_kind: Cell | None = None  # the group row above that states the kind ("Офлайн-точки")

    def add(self, role: str, cell: Cell | None) -> None:
        if cell is not None and cell.text:
            self.cells.setdefault(role, []).append(cell)

    def text(self, role: str) -> str:
        return " ".join(c.text for c in self.cells.get(role, []))

    def all_cells(self) -> list[Cell]:
        return [c for cs in self.cells.values() for c in cs]


# roles a touchpoint has one cell of per row; "number", "direction" and "service" belong to the row
TP_ROLES = ("name", "needs", "features", "kind", "channel")


CORE = ("number", "direction", "service") + TP_ROLES


IN_FEATURES = ("responsible", "contacts")  # kept in features under their header


@dataclass
class Column:
    index: int
    role: str  # a core role, "responsible", "contacts" or "unmapped"
    how: str  # "header" | "content" | "none"
    header: str | None  # the header cell as printed (None: no header row)
    header_cell: Cell | None = None
    why: str = ""  # the content evidence
    key: str = ""  # key of its cells in TPDraft.cells: the role, or "x<n>" for a column kept in features

    def describe(self) -> str:
        head = f"'{shorten(self.header, 40)}'" if self.header else "(no header)"
        role = {"unmapped": "no role, kept in features", "empty": "no role (no cells)"}.get(self.role, self.role)
        if self.role in IN_FEATURES:
            role += ", kept in features"
        how = {"header": "by header", "content": f"by content: {self.why}", "none": "neither header nor content"}[self.how]
        return f"{self.index + 1} {head} → {role} ({how})"


@dataclass(eq=False)
class Layout:
    """How the columns of one table (and its continuations) map to roles."""

    columns: list[Column]
    first_line: int
    last_line: int
    needs_from: list[str] = field(default_factory=list)  # touchpoints whose needs came from a dash list

    @property
    def core(self) -> dict[str, int]:
        return {c.role: c.index for c in self.columns if c.key == c.role}

    @property
    def kept(self) -> list[Column]:
        return [c for c in self.columns if c.key.startswith("x")]


def own_cell(cells: list[Cell]) -> Cell:
    """The cell printed on this row's own line (merged cells carried down from
    the rows above keep their first line)."""
    filled = [c for c in cells if c.text] or cells
    return max(filled, key=lambda c: (c.line, c.start))


def label_key(label: str | None) -> str | None:
    return label.rstrip(".)").strip() if label else None


def ends_mid_phrase(text: str) -> bool:
    """'… в том числе о ходе' ends mid-phrase: no closing punctuation and the
    last word is a function word or the noun right after a preposition."""
    t = text.rstrip()
    if not t or t.endswith(TERMINAL):
        return False
    words = re.findall(r"[^\W\d_]+", t)
    if not words:
        return False
    pos = [get_morph().parse(w.lower())[0].tag.POS for w in words[-2:]]
    return pos[-1] in ("PREP", "CONJ", "PRCL") or (len(pos) == 2 and pos[0] == "PREP")


def line_cell(ln: Line) -> Cell:
    """A whole text line (a group heading printed without tabs) as one cell."""
    text = ln.text.strip()
    lead = len(ln.text) - len(ln.text.lstrip())
    return Cell(text, ln.start + lead, ln.start + lead + len(text), ln.no, ln.page)


def cells_of_line(ln: Line) -> list[Cell]:
    """The cells of a tab line that no grid holds (a one-row part of a table)."""
    cells, pos = [], ln.start
    for part in ln.text.split("\t"):
        lead = len(part) - len(part.lstrip())
        t = part.strip()
        cells.append(Cell(t, pos + lead, pos + lead + len(t), ln.no, ln.page))
        pos += len(part) + 1
    return cells
