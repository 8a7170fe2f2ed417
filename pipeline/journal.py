"""What a batch has written: the output folder's index, so that a rerun does
only what is missing and ``registry ingest`` reuses the JSON ``registry
extract`` wrote.

``<output folder>/_index.jsonl`` holds one line per extraction JSON written:
the output's name, the input as given and its content hash, the extractor and
vocabulary versions that produced it, the hash of the JSON text and the
counts of its run-summary line. A line is appended (and flushed) right after
its JSON is renamed into place, so after a ``kill -9`` the index names only
complete files; a torn last line is ignored. A JSON is reused when its line
matches the input (same path as given, same content hash), the current
:func:`extractor_version` and vocabulary versions, and the file on disk still
has the recorded hash. A finished run rewrites the index with one line per
output.

The extractor version is the package version plus a fingerprint of the code
and data that make an extraction (every module below the batch layer, and
the vocabularies), so an edited extractor never passes for the old one.

Example::

    >>> journal = Journal.open(Path("outputs"))
    >>> journal.reusable("x.json", "corpus/x.txt", sha, extractor_version(), vocab_versions())  # an Entry or None
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.jsonio import write_atomic

INDEX = "_index.jsonl"

# Modules and packages that do not change what an extraction contains: the
# batch, store, review, compare, report and command layers.
NOT_EXTRACTION = {
    "run", "journal", "executors", "dask_executor", "identity", "ingest", "store", "store_tables", "store_schema",
    "diff", "diff_model", "diff_clauses", "compare", "history", "lineage", "show", "schema", "cli", "__main__",
    "review", "report",
}


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``<package version>+<12 hex digits>``: the fingerprint of every module
    and vocabulary an extraction depends on (computed once per process).

    >>> extractor_version()  # doctest: +SKIP
    '0.1.0+3f2a9c0d81be'
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if p.suffix not in (".py", ".json") or not p.is_file() or rel.parts[0].removesuffix(".py") in NOT_EXTRACTION:
            continue
        if "__pycache__" in rel.parts or rel.parts[-1] == "compliance.json":
            continue
        h.update(str(rel.as_posix()).encode() + b"\0" + p.read_bytes() + b"\0")
    return f"{__version__}+{h.hexdigest()[:12]}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Entry:
    """One JSON written by a batch, and the run-summary counts of its input."""

    output: str  # file name in the output folder
    path: str  # the input as given (it is the JSON's source.path)
    sha256: str  # the input's content hash
    extractor: str
    vocab: dict = field(default_factory=dict)
    json_sha256: str = ""
    status: str = "ok"  # ok | partial
    documents: int = 0
    touchpoints: int = 0
    warnings: int = 0
    errors: int = 0
    pages: int = 0


def _line(e: Entry) -> str:
    """One index line; a file name that is not UTF-8 is kept exact as ``\\udcNN`` escapes."""
    text = json.dumps(asdict(e), ensure_ascii=False, sort_keys=True)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(asdict(e), ensure_ascii=True, sort_keys=True)
    return text + "\n"


class Journal:
    """The index of one output folder (read once, appended to as files are written)."""

    def __init__(self, folder: Path, entries: dict[str, Entry]):
        self.folder = folder
        self.path = folder / INDEX
        self.entries = entries

    @classmethod
    def open(cls, folder: str | Path) -> "Journal":
        folder = Path(folder)
        entries: dict[str, Entry] = {}
        try:
            lines = (folder / INDEX).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        for line in lines:
            try:
                e = Entry(**json.loads(line))
            except (ValueError, TypeError):
                continue  # a line torn by a kill, or written by another version
            entries[e.output] = e
        return cls(folder, entries)

    def reusable(self, output: str, path: str, sha256: str, extractor: str, vocab: dict) -> Entry | None:
        """The entry of ``output`` if that JSON is what extracting ``path`` now would write."""
        e = self.entries.get(output)
        if e is None or (e.path, e.sha256, e.extractor, e.vocab) != (path, sha256, extractor, vocab):
            return None
        text = self.read(e)
        return e if text is not None else None

    def read(self, e: Entry) -> str | None:
        """The JSON text of an entry, or None when the file is gone or no longer the one recorded."""
        try:
            text = (self.folder / e.output).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text if text_sha256(text) == e.json_sha256 else None

    def find(self, path: str, sha256: str, extractor: str, vocab: dict) -> tuple[Entry, str] | None:
        """An entry (and its JSON text) for this input, whatever its output name."""
        for e in self.entries.values():
            if (e.path, e.sha256, e.extractor, e.vocab) == (path, sha256, extractor, vocab):
                text = self.read(e)
                if text is not None:
                    return e, text
        return None

    def record(self, e: Entry) -> None:
        """Append one entry (after its JSON is in place). Flushed, not fsynced:
        a killed process loses nothing the OS has; the JSON itself is fsynced."""
        self.entries[e.output] = e
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(_line(e))

    def compact(self, keep: set[str] | None = None) -> None:
        """Rewrite the index with one line per output (only ``keep``, when given)."""
        entries = [e for name, e in sorted(self.entries.items()) if keep is None or name in keep]
        write_atomic(self.path, "".join(_line(e) for e in entries))

    def remove_torn_temps(self, outputs: set[str]) -> None:
        """Delete temp files a killed run left behind for these outputs
        (``.<name>.<random>.tmp``, see :func:`pipeline.jsonio.write_atomic`)."""
        names = outputs | {INDEX}
        for p in self.folder.glob(".*.tmp"):
            stem = p.name[1:].rsplit(".", 2)[0]
            if stem in names:
                try:
                    os.unlink(p)
                except OSError:
                    pass
