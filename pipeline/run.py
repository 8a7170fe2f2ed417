"""The one batch runner: one file → :class:`Extraction`; a batch of files →
JSON files (``registry extract``) or store records (``registry ingest``, see
:mod:`pipeline.ingest`).

Both batches share the machinery here: the inputs and output names of
:mod:`pipeline.inputs`, :func:`extract_task` (one file, wherever it runs: a bad input comes
back as a one-line error, never an exception), and the executors of
:mod:`pipeline.executors` (this process, local worker processes, or a Dask
cluster), whose results come back in input order to the one process that
writes. The batch never stops on a bad file; every output is written
atomically (temp file + rename) and recorded in the output folder's index
(:mod:`pipeline.journal`), so a rerun after an interrupted run — even a
``kill -9`` — extracts only what is missing and ends with the same outputs as
an uninterrupted run (``force`` extracts everything again).

Example::

    >>> summary = run_batch(["corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt"], "outputs")
    >>> summary.ok, summary.documents, summary.touchpoints
    (1, 1, 14)
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from pipeline.errors import OutputFull, OutputNotWritable, PipelineError
from pipeline.executors import Executor, ExecutorSpec, InlineExecutor, Lost, Progress, Ready, run_ordered
from pipeline.inputs import collect_inputs, output_names
from pipeline.journal import Entry, Journal, extractor_version, text_sha256
from pipeline.jsonio import printable, sha256_file, to_json, write_atomic
from pipeline.models import Extraction, FileResult, RunSummary, Source
from pipeline.workers import Limits, PoolExecutor

R = TypeVar("R")
# errors of writing that no next file escapes: the run stops with one line (a rerun resumes)
STOP_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}
PageProgress = Callable[[int, int], None]

RUN_SUMMARY = "_run.json"  # no input's output can take this name (pipeline.inputs.output_names)


def extract_file(path: str | Path, on_page: PageProgress | None = None) -> Extraction:
    """Read one file and extract every document in it.

    >>> ex = extract_file("corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt")
    >>> ex.documents[0].meta.number
    '22-2'
    """
    # imported on first use: the readers pull in pdfplumber, python-docx, Pillow
    # and spaCy, which `registry show`, `versions` or a diff of two JSONs never need
    from pipeline.extract import extract_documents
    from pipeline.nlp import vocab_versions
    from pipeline.readers import read_file

    path = Path(path)
    data_hash = sha256_file(path)
    src = read_file(path, on_page=on_page)
    docs = extract_documents(src)
    return Extraction(
        vocab_versions=vocab_versions(),
        source=Source(
            path=printable(str(path)),
            sha256=data_hash,
            format=src.format,
            encoding=src.encoding,
            ocr=src.ocr,
            pages=src.pages,
            size_bytes=path.stat().st_size,
            reader=src.reader,
            normalized_text_sha256=src.text_sha256,
        ),
        documents=docs,
        warnings=src.warnings,
    )


def check_writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".probe", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputNotWritable(out_dir, f"output folder is not writable: {exc.strerror or exc}") from None


def extract_checked(path: Path, on_page: PageProgress | None = None) -> Extraction | FileResult:
    """:func:`extract_file` for a batch: a bad input comes back as a failed
    :class:`FileResult` with a one-line error instead of raising."""
    return _checked(path, lambda: extract_file(path, on_page=on_page))


def _checked(path: Path, work: Callable[[], R]) -> R | FileResult:
    """Run ``work`` for one input; any failure becomes a one-line failed result."""
    shown = printable(str(path))
    try:
        return work()
    except PipelineError as exc:
        return FileResult(path=shown, status="failed", error=printable(exc.one_line()))
    except MemoryError:
        return FileResult(path=shown, status="failed", error=f"{shown}: out of memory while reading (file too large)")
    except OSError as exc:
        return FileResult(path=shown, status="failed", error=f"{shown}: cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a bug of ours: keep the batch going, say what it was
        return FileResult(path=shown, status="failed", error=printable(f"{shown}: internal error {type(exc).__name__}: {exc}".splitlines()[0]))


# ------------------------------------------------------------------ one task


@dataclass(frozen=True)
class FileTask:
    """One input for a worker: its path as given (the JSON's ``source.path`` and
    the name in error lines), and how the worker gets at the content."""

    path: str
    read_path: str | None = None  # a path the worker reads instead (shared file system)
    data: bytes | None = None  # the content itself, for a worker that cannot read the path

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


@dataclass(frozen=True)
class TaskResult:
    """What comes back from a worker: the extraction JSON as ``extract`` writes
    it and the counts of its run-summary line, or a one-line error."""

    path: str
    json: str | None = None
    error: str | None = None
    documents: int = 0
    touchpoints: int = 0
    warnings: int = 0
    errors: int = 0  # warnings of severity 'error'
    pages: int = 0

    @property
    def status(self) -> str:
        return "failed" if self.json is None else "partial" if self.errors else "ok"


def extract_task(task: FileTask, on_page: PageProgress | None = None) -> TaskResult:
    """Extract one file wherever this runs (this process, a local worker, a
    Dask worker); never raises for a bad input."""
    if task.data is None and task.read_path is None:
        return _task_result(task.path, extract_checked(Path(task.path), on_page=on_page))
    with tempfile.TemporaryDirectory(prefix="registry-task-") as tmp:
        where = Path(task.read_path) if task.read_path else Path(tmp) / Path(task.path).name
        if task.data is not None:
            where.write_bytes(task.data)
        ex = extract_checked(where, on_page=on_page)
        if isinstance(ex, FileResult):
            return TaskResult(task.path, error=(ex.error or "").replace(printable(str(where)), printable(task.path)))
        ex.source.path = printable(task.path)  # the file as the coordinator named it, not the worker's copy
        return _task_result(task.path, ex)


def _task_result(path: str, ex: Extraction | FileResult) -> TaskResult:
    if isinstance(ex, FileResult):
        return TaskResult(path, error=ex.error)
    every = [*ex.warnings, *(w for d in ex.documents for w in d.warnings)]
    return TaskResult(path, json=to_json(ex), documents=len(ex.documents),
                      touchpoints=sum(len(d.touchpoints) for d in ex.documents), warnings=len(every),
                      errors=sum(w.severity == "error" for w in every), pages=ex.source.pages or 0)


def file_task(f: Path, spec: ExecutorSpec) -> FileTask | Ready:
    """The task for one input: its path for local workers; for a cluster its
    bytes, or its absolute path with ``--shared-fs``."""
    if not spec.remote:
        return FileTask(str(f))
    if spec.shared_fs:
        return FileTask(str(f), read_path=str(f.resolve()))
    try:
        return FileTask(str(f), data=f.read_bytes())
    except OSError as exc:
        return Ready(TaskResult(str(f), error=printable(f"{f}: cannot read: {exc.strerror or exc}")))


def make_executor(spec: ExecutorSpec, fn: Callable, on_page: Callable[[Any], Callable | None] | None = None,
                  tasks: int = 0) -> Executor:
    """The executor ``spec`` names, running ``fn`` (a module-level function):
    local workers under the per-file budget, in this process when the budget is off."""
    if spec.kind == "dask":
        from pipeline.dask_executor import DaskExecutor

        return DaskExecutor(fn, spec.scheduler)
    limits = spec_limits(spec)
    if not limits.any and (spec.jobs <= 1 or tasks <= 1):
        return InlineExecutor(fn, on_page)
    return PoolExecutor(fn, min(spec.jobs, max(tasks, 1)), on_page=on_page, limits=limits)


def spec_limits(spec: ExecutorSpec) -> Limits:
    """The per-file budget asked for (``None``: the default)."""
    d = Limits()
    return Limits(time=d.time if spec.time_limit is None else spec.time_limit,
                  memory_mb=d.memory_mb if spec.memory_mb is None else spec.memory_mb)


def page_progress(bar: Progress) -> Callable[[FileTask], PageProgress | None]:
    """Page progress of a long PDF read in this process, under the file bar."""
    if not bar.show:
        return lambda task: None
    return lambda task: (lambda done, total: bar.page(Path(task.path).name, done, total))


def on_done(bar: Progress) -> Callable[[int, object], None]:
    """Progress per finished file; a file answered without running a task counts as no work (ETA)."""
    def done(_: int, res: object) -> None:
        bar.file_done(getattr(res, "pages", 0), reused=not isinstance(res, (TaskResult, Lost)))
    return done


# ------------------------------------------------------------------ extract


def write_result(f: Path, out: Path, res: TaskResult | Entry | Lost, sha256: str | None = None,
                 journal: Journal | None = None, versions: tuple[str, dict] | None = None) -> FileResult:
    """Write one task's JSON to ``out`` (and its line in the index); its run-summary line."""
    shown = printable(str(f))
    if isinstance(res, Lost):
        return FileResult(path=shown, status="failed", error=f"{shown}: {res.reason}")
    if isinstance(res, TaskResult):
        if res.json is None:
            return FileResult(path=shown, status="failed", error=printable(res.error or f"{shown}: failed"))
        try:
            write_atomic(out, res.json)
        except OSError as exc:
            if exc.errno in STOP_ERRNOS:  # every next file would fail the same way: the run stops (run_batch)
                raise
            return FileResult(path=shown, status="failed", error=f"{shown}: cannot write its JSON: {exc.strerror or exc}")
        if journal is not None and sha256 and versions:
            journal.record(Entry(output=out.name, path=str(f), sha256=sha256, extractor=versions[0], vocab=versions[1],
                                 json_sha256=text_sha256(res.json), status=res.status, documents=res.documents,
                                 touchpoints=res.touchpoints, warnings=res.warnings, errors=res.errors,
                                 pages=res.pages))
    return FileResult(path=shown, status=res.status, errors=res.errors, output=printable(str(out)), documents=res.documents,
                      touchpoints=res.touchpoints, warnings=res.warnings)


def process_one(path: Path, out_path: Path, on_page: PageProgress | None = None) -> FileResult:
    """Extract one file and write its JSON; never raises for bad input."""
    return write_result(Path(path), Path(out_path), extract_task(FileTask(str(path)), on_page))


def current_versions() -> tuple[str, dict]:
    """(extractor version, vocabulary versions) an extraction made now records."""
    from pipeline.nlp import vocab_versions

    return extractor_version(), vocab_versions()


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path = "outputs",
    jobs: int = 1,
    on_result: Callable[[FileResult], None] | None = None,
    progress: bool | None = None,
    executor: ExecutorSpec | None = None,
    force: bool = False,
) -> RunSummary:
    """Extract every input into ``out_dir`` and write ``_run.json``.

    An input whose JSON in ``out_dir`` is what extracting it now would write
    (same content, extractor and vocabularies: :mod:`pipeline.journal`) is
    not extracted again unless ``force``. ``_run.json`` says ``"state":
    "running"`` from the start (an earlier run's summary never passes for this
    one's) and is replaced, atomically, by the summary at the end."""
    spec = executor or ExecutorSpec(jobs=jobs)
    out_dir = Path(out_dir)
    check_writable(out_dir)
    try:
        return _run_batch(paths, out_dir, spec, on_result, progress, force)
    except OSError as exc:  # a full disk, a folder made read-only meanwhile: one line; what is written stays
        raise OutputFull(out_dir, f"cannot write the outputs: {exc.strerror or exc}") from None


def _run_batch(paths: Iterable[str | Path], out_dir: Path, spec: ExecutorSpec,
               on_result: Callable[[FileResult], None] | None, progress: bool | None, force: bool) -> RunSummary:
    files, results = collect_inputs(paths)
    for r in results:
        if on_result:
            on_result(r)
    names = output_names(files)
    settings = run_settings()
    write_atomic(out_dir / RUN_SUMMARY, to_json(RunSummary(state="running", files=len(files), ok=0, failed=0,
                                                           documents=0, touchpoints=0, warnings=0, settings=settings,
                                                           results=[])))
    journal = Journal.open(out_dir)
    journal.remove_torn_temps(set(names.values()))
    versions = current_versions()
    shas: dict[int, str] = {}

    def make(i: int) -> FileTask | Ready:
        f = files[i]
        try:
            shas[i] = sha256_file(f)
        except OSError as exc:
            return Ready(TaskResult(str(f), error=printable(f"{f}: cannot read: {exc.strerror or exc}")))
        if not force:
            entry = journal.reusable(names[f], str(f), shas[i], *versions)
            if entry is not None:
                return Ready(entry)
        return file_task(f, spec)

    bar = Progress(len(files), "extracting", show_progress(progress))
    ex = make_executor(spec, extract_task, page_progress(bar), tasks=len(files))
    for i, res in run_ordered(ex, len(files), make, on_done(bar)):
        f = files[i]
        fr = write_result(f, out_dir / names[f], res, shas.get(i), journal, versions)
        results.append(fr)
        if on_result:
            on_result(fr)
    bar.close()
    summary = RunSummary(
        files=len(files),
        ok=sum(r.status == "ok" for r in results),
        partial=sum(r.status == "partial" for r in results),
        failed=sum(r.status == "failed" for r in results),
        documents=sum(r.documents for r in results),
        touchpoints=sum(r.touchpoints for r in results),
        warnings=sum(r.warnings for r in results),
        settings=settings,
        results=results,
    )
    write_atomic(out_dir / RUN_SUMMARY, to_json(summary))
    journal.compact({name for name in journal.entries if (out_dir / name).is_file()})
    return summary


def run_settings() -> dict:
    """What steered this run, for ``_run.json``: the package version, the
    reader settings (PDF tables, layout, OCR) and the Перечень table walk's."""
    from dataclasses import asdict

    from pipeline import __version__
    from pipeline.extract.touchpoint_table import SETTINGS as TABLE_WALK
    from pipeline.readers import settings_snapshot

    walk = {k: v for k, v in asdict(TABLE_WALK).items() if k != "roles"}
    return {"extractor": __version__, "readers": settings_snapshot(), "perechen_table": walk}


def show_progress(progress: bool | None) -> bool:
    """Whether to draw progress: as asked, else on a terminal outside CI."""
    return sys.stderr.isatty() and not os.environ.get("CI") if progress is None else progress
