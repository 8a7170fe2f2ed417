"""``registry ingest``: the batch of :mod:`pipeline.run`, recorded in the store.

The same inputs, per-file error lines and progress as ``registry extract``
(:func:`pipeline.run.collect_inputs`, :func:`~pipeline.run.extract_checked`,
:func:`~pipeline.run.for_each`); only what happens to each file differs:

- its content hash is already stored → ``unchanged``, not extracted again
  (``force`` extracts it anyway);
- otherwise it is extracted and recorded by :meth:`pipeline.store.Store.add`:
  ``added``, or ``changed`` when the path was stored with other content (a new
  version; the old one stays as history);
- a file that cannot be read or extracted is ``failed`` with a one-line error,
  and the batch goes on.

Example::

    >>> with Store.open("outputs/registry.sqlite") as store:
    ...     print(ingest(store, sorted(Path("corpus").glob("*.txt"))).summary())
    5 files: 5 added, 0 changed, 0 unchanged, 0 failed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline.jsonio import sha256_file
from pipeline.models import FileResult
from pipeline.run import PageProgress, collect_inputs, extract_checked, for_each
from pipeline.store import Store


@dataclass
class IngestItem:
    path: str
    status: str  # added | changed | unchanged | failed
    sha256: str | None = None
    extraction_id: int | None = None
    documents: int = 0
    touchpoints: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(i.status == status for i in self.items)

    @property
    def extracted(self) -> int:
        return self.count("added") + self.count("changed")

    def summary(self) -> str:
        return (f"{len(self.items)} files: {self.count('added')} added, {self.count('changed')} changed, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed")


def ingest(store: Store, paths: Iterable[str | Path], on_item: Callable[[IngestItem], None] | None = None,
           force: bool = False, progress: bool | None = None) -> IngestReport:
    """Extract every new or changed file under ``paths`` into ``store``."""
    report = IngestReport()

    def emit(item: IngestItem) -> None:
        report.items.append(item)
        if on_item:
            on_item(item)

    files, problems = collect_inputs(paths)
    for p in problems:  # a missing path or an empty folder counts as a failed input here
        emit(IngestItem(path=p.path, status="failed", error=p.error))
    # one at a time: SQLite has one writer, and unchanged files cost only a hash
    for_each([(f,) for f in files], lambda f, on_page: ingest_one(store, f, force, on_page), emit,
             progress=progress, label="ingesting")
    return report


def ingest_one(store: Store, f: Path, force: bool = False, on_page: PageProgress | None = None) -> IngestItem:
    """Hash, extract and record one file (never raises for a bad file)."""
    try:
        sha = sha256_file(f)
    except OSError as exc:
        return IngestItem(path=str(f), status="failed", error=f"{f}: {exc.strerror or exc}")
    known = store.known(sha)
    if known is not None and not force:
        return IngestItem(path=str(f), status="unchanged", sha256=sha, extraction_id=known)
    ex = extract_checked(f, on_page=on_page)
    if isinstance(ex, FileResult):
        return IngestItem(path=str(f), status="failed", sha256=sha, error=ex.error)
    status, ext_id = store.add(ex, path=str(f.resolve()), sha256=sha)
    return IngestItem(path=str(f), status=status, sha256=sha, extraction_id=ext_id, documents=len(ex.documents),
                      touchpoints=sum(len(d.touchpoints) for d in ex.documents))
