"""``registry ingest``: the batch of :mod:`pipeline.run`, recorded in the store.

The same inputs, executors (``--jobs``, ``--executor dask``), progress and
per-file error lines as ``registry extract``; only what happens to each file
differs:

- its content hash is already stored → ``unchanged``, not extracted again,
  and its path recorded (``file_paths``: every path of a content) (``force`` extracts it anyway; ``upgrade`` re-extracts it when an older
  extractor or other vocabulary versions made the stored one → ``upgraded``);
- otherwise, when ``registry extract`` already wrote its JSON in ``outputs``
  (same content, extractor and vocabularies: :mod:`pipeline.journal`), that
  JSON is recorded — nothing is extracted twice after ``make run``;
- otherwise it is extracted, wherever the executor runs it, and recorded by
  :meth:`pipeline.store.Store.add`: ``added``, or ``changed`` when the path was
  stored with other content (a new version; the old one stays as history);
- a file that cannot be read or extracted is ``failed`` with a one-line error,
  and the batch goes on.

Only this process writes the store, one transaction per file, in input order:
a run killed at any point leaves whole files stored, and running it again
stores the rest, ending with the store an uninterrupted run makes. Each
transaction takes the write lock first and checks again that the content is
not stored, so two ``ingest`` of the same files at once store each once. A
store that cannot be written (locked past the retries, disk full, read-only)
stops the batch with one line (:class:`~pipeline.errors.StoreError`); what
was recorded stays, and a rerun goes on from there.

Example::

    >>> with Store.open("outputs/registry.sqlite") as store:
    ...     print(ingest(store, sorted(Path("corpus").glob("*.txt"))).summary())
    5 files: 5 added, 0 changed, 0 unchanged, 0 failed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline.errors import PipelineError
from pipeline.executors import ExecutorSpec, Lost, Progress, Ready, run_ordered
from pipeline.inputs import HIDDEN_LEFT_OUT, collect_inputs
from pipeline.journal import Entry, Journal
from pipeline.jsonio import first_error, printable, sha256_file, validate_extraction
from pipeline.run import (TaskResult, current_versions, extract_task, file_task, make_executor,
                          on_done, page_progress, show_progress)
from pipeline.store import Store


@dataclass
class IngestItem:
    path: str
    status: str  # added | changed | upgraded | unchanged | failed
    sha256: str | None = None
    extraction_id: int | None = None
    documents: int = 0
    touchpoints: int = 0
    error: str | None = None
    reused: bool = False  # recorded from the JSON `registry extract` wrote, not extracted again
    pages: int = 0


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(i.status == status for i in self.items)

    @property
    def extracted(self) -> int:
        """Files extracted by this run (not those recorded from extract's JSON)."""
        return sum(i.status in ("added", "changed", "upgraded") and not i.reused for i in self.items)

    def summary(self) -> str:
        upgraded = f", {self.count('upgraded')} upgraded" if self.count("upgraded") else ""
        reused = sum(i.reused for i in self.items)
        from_json = f"; {reused} recorded from extract's JSON" if reused else ""
        return (f"{len(self.items)} files: {self.count('added')} added, {self.count('changed')} changed{upgraded}, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed{from_json}")


@dataclass(frozen=True)
class _Reuse:
    """A task with nothing to run: extract's JSON of this input."""

    entry: Entry
    text: str

    @property
    def pages(self) -> int:
        return self.entry.pages


def ingest(store: Store, paths: Iterable[str | Path], on_item: Callable[[IngestItem], None] | None = None,
           force: bool = False, progress: bool | None = None, jobs: int = 1, executor: ExecutorSpec | None = None,
           upgrade: bool = False, outputs: str | Path | None = None) -> IngestReport:
    """Extract every new or changed file under ``paths`` into ``store``
    (``outputs``: the folder whose extraction JSON may be reused)."""
    spec = executor or ExecutorSpec(jobs=jobs)
    report = IngestReport()

    def emit(item: IngestItem) -> None:
        report.items.append(item)
        if on_item:
            on_item(item)

    files, problems = collect_inputs(paths)
    for p in problems:  # a missing path or an empty folder counts as a failed input here
        hidden = p.status == "skipped" and HIDDEN_LEFT_OUT in (p.error or "")
        emit(IngestItem(path=p.path, status="skipped" if hidden else "failed", error=p.error))
    versions = current_versions()
    journal = Journal.open(outputs) if outputs is not None and Path(outputs).is_dir() else None
    shas: dict[int, str] = {}
    why: dict[int, str] = {}  # index → 'upgraded' when a stale extraction is replaced
    first_of: dict[str, int] = {}  # content hash → first index with it in this batch (stored once)

    def make(i: int):
        f = files[i]
        try:
            sha = shas[i] = sha256_file(f)
        except OSError as exc:
            return Ready(IngestItem(path=printable(str(f)), status="failed",
                                    error=printable(f"{f}: cannot read: {exc.strerror or exc}")))
        known = store.known(sha)
        if known is not None and not force:
            if not upgrade or store.made_by(known) == versions:
                return Ready(IngestItem(path=printable(str(f)), status="unchanged", sha256=sha, extraction_id=known))
            why[i] = "upgraded"
        if sha in first_of and not force:  # the same content twice in one batch: stored once
            return Ready(IngestItem(path=printable(str(f)), status="unchanged", sha256=sha))
        first_of.setdefault(sha, i)
        if journal is not None and not force:
            hit = journal.find(str(f), sha, *versions)
            if hit is not None:
                return Ready(_Reuse(*hit))
        return file_task(f, spec)

    bar = Progress(len(files), "ingesting", show_progress(progress))
    ex = make_executor(spec, extract_task, page_progress(bar), tasks=len(files))
    for i, res in run_ordered(ex, len(files), make, on_done(bar)):
        item = _record(store, files[i], shas.get(i), res, why.get(i), versions[0], only_new=not force)
        if item.status == "unchanged" and item.sha256:  # every path of a content is recorded
            item.extraction_id = store.note_path(_stored_path(files[i]), item.sha256)
        emit(item)
    bar.close()
    return report


def _stored_path(f: Path) -> str:
    """The path the store records: absolute, printable."""
    return printable(str(f.resolve()))


def _record(store: Store, f: Path, sha: str | None, res, why: str | None, extractor: str,
            only_new: bool = True) -> IngestItem:
    """Store one task's result (one transaction, which checks again that the
    content is not stored: another ingest may have stored it meanwhile); its
    line of the report. A store that cannot be written raises StoreError."""
    shown = printable(str(f))
    if isinstance(res, IngestItem):
        return res
    if isinstance(res, Lost):
        return IngestItem(path=shown, status="failed", sha256=sha, error=f"{shown}: {res.reason}")
    if isinstance(res, TaskResult) and res.json is None:
        return IngestItem(path=shown, status="failed", sha256=sha, error=printable(res.error or f"{shown}: failed"))
    text = res.text if isinstance(res, _Reuse) else res.json
    try:
        ex = validate_extraction(text, shown)
    except PipelineError as exc:
        return IngestItem(path=shown, status="failed", sha256=sha, error=f"{shown}: {first_error(exc)}")
    status, ext_id = store.add(ex, path=_stored_path(f), sha256=sha, extractor_version=extractor,
                               only_new=only_new and why is None)
    return IngestItem(path=shown, status=why or status, sha256=sha, extraction_id=ext_id, documents=len(ex.documents),
                      touchpoints=sum(len(d.touchpoints) for d in ex.documents), reused=isinstance(res, _Reuse),
                      pages=ex.source.pages or 0)
