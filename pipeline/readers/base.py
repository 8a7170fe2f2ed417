"""One Reader interface: a file → :class:`~pipeline.document.SourceText`.

Readers are registered in ``readers.REGISTRY`` and chosen by sniffed format;
what they produce (lines, cells, tables) lives in :mod:`pipeline.document`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from pipeline.document import SourceText
from pipeline.errors import TooLarge

# Limits of one input, checked before the expensive stages (README, "Limits").
MAX_INPUT_BYTES = 200 * 1024 * 1024  # the file, before anything is read
MAX_TEXT_CHARS = 10_000_000  # characters of text read from one file (~400 orders; extraction ~15 µs a character)
MAX_TEXT_LINES = 1_000_000  # lines of that text (each one an object every stage walks)


def check_text_size(path: Path, chars: int, lines: int, at_least: bool = False) -> None:
    """Refuse a text too large to extract within the per-file budget, before any stage walks it.

    >>> check_text_size(Path("big.txt"), 12_000_000, 10)
    Traceback (most recent call last):
    ...
    pipeline.errors.TooLarge: big.txt: text of 12,000,000 characters, too large for one input (limit 10,000,000 characters) (split the file into its orders)
    """
    hint = "split the file into its orders"
    if chars > MAX_TEXT_CHARS:
        raise TooLarge(path, f"text of {'at least ' * at_least}{chars:,} characters, too large for one input (limit {MAX_TEXT_CHARS:,} characters)",
                       hint=hint)
    if lines > MAX_TEXT_LINES:
        raise TooLarge(path, f"text of {lines:,} lines, too large for one input (limit {MAX_TEXT_LINES:,} lines)", hint=hint)


class Reader(ABC):
    """A reader for one format. Subclasses are registered in ``readers.REGISTRY``."""

    name: str = "base"
    format: str = "txt"
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def read(self, path: Path, data: bytes) -> SourceText:
        """Parse ``data`` (the bytes of ``path``); raise a PipelineError on bad input."""
