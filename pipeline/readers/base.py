"""One Reader interface: a file → :class:`~pipeline.document.SourceText`.

Readers are registered in ``readers.REGISTRY`` and chosen by sniffed format;
what they produce (lines, cells, tables) lives in :mod:`pipeline.document`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from pipeline.document import SourceText

MAX_INPUT_BYTES = 200 * 1024 * 1024


class Reader(ABC):
    """A reader for one format. Subclasses are registered in ``readers.REGISTRY``."""

    name: str = "base"
    format: str = "txt"
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def read(self, path: Path, data: bytes) -> SourceText:
        """Parse ``data`` (the bytes of ``path``); raise a PipelineError on bad input."""
