"""Shared by the header steps: recording a meta value's printed source, and
blocks of consecutive non-empty lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.context import Context
from pipeline.document import Line
from pipeline.models import Sourced

WORDS = re.compile(r"[А-Яа-яЁёA-Za-z]+")
PLACE = re.compile(
    r"(?<![А-Яа-яЁё])(?:г\.|гор\.|город|пгт\.?|пос\.|с\.)[ \t\u00a0]*(?P<city>[А-ЯЁ][А-Яа-яЁё]+(?:(?:-|[ \t\u00a0])[А-ЯЁ][А-Яа-яЁё]+)*)"
)


@dataclass
class Block:
    """Consecutive non-empty lines."""

    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(ln.clean for ln in self.lines).strip()

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def record(ctx: Context, key: str, start: int, end: int) -> None:
    text = ctx.src.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    ctx.doc.meta.sources[key] = Sourced(raw=text[start:end], span=ctx.span(start, end))


def blocks(lines: list[Line]) -> list[Block]:
    out: list[Block] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.clean:
            cur.append(ln)
        elif cur:
            out.append(Block(cur))
            cur = []
    if cur:
        out.append(Block(cur))
    return out
