"""The one batch runner: one file → :class:`Extraction`; a batch of files →
JSON files (``registry extract``) or store records (``registry ingest``, see
:mod:`pipeline.ingest`).

Both batches share the machinery here: :func:`collect_inputs` (files and
folders), :func:`extract_checked` (one file; a bad input becomes a one-line
error, never an exception), and :func:`for_each` (every input in order, a
progress bar on a terminal, optionally in parallel). The batch never stops on
a bad file, and every output is written atomically (temp file + rename), so an
interrupted run leaves only complete JSON files behind.

Example::

    >>> summary = run_batch(["corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt"], "outputs")
    >>> summary.ok, summary.documents, summary.touchpoints
    (1, 1, 14)
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Sequence, TypeVar

from pipeline.errors import OutputNotWritable, PipelineError
from pipeline.jsonio import sha256_file, to_json, write_atomic
from pipeline.models import Extraction, FileResult, RunSummary, Source

R = TypeVar("R")
PageProgress = Callable[[int, int], None]

RUN_SUMMARY = "_run.json"


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
            path=str(path),
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


def collect_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Files given, plus every readable file under folders (recursive, sorted).

    Returns the inputs and results for paths that cannot be used at all."""
    from pipeline.readers import KNOWN_EXTENSIONS

    files: list[Path] = []
    problems: list[FileResult] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in KNOWN_EXTENSIONS and not f.name.startswith(".")
            )
            if not found:
                problems.append(FileResult(path=str(p), status="skipped", error=f"{p}: nothing to read in this folder (no .txt, .docx, .pdf or image files)"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(FileResult(path=str(p), status="failed", error=f"{p}: no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique, problems


def output_names(files: list[Path]) -> dict[Path, str]:
    """``<stem>.json``, unless two inputs share a stem: then ``<stem>.<ext>.json``,
    and if that still collides, the parent folder is prefixed."""
    stems = Counter(f.stem for f in files)
    names: dict[Path, str] = {}
    for f in files:
        names[f] = f"{f.stem}.json" if stems[f.stem] == 1 else f"{f.stem}{f.suffix.lower()}.json"
    dup = Counter(names.values())
    for f, n in list(names.items()):
        if dup[n] > 1:
            names[f] = f"{f.parent.name}__{n}"
    dup = Counter(names.values())
    for f, n in list(names.items()):
        if dup[n] > 1:
            names[f] = f"{hashlib.sha1(str(f.resolve()).encode()).hexdigest()[:8]}__{n}"
    return names


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
    try:
        return work()
    except PipelineError as exc:
        return FileResult(path=str(path), status="failed", error=exc.one_line())
    except MemoryError:
        return FileResult(path=str(path), status="failed", error=f"{path}: out of memory while reading (file too large)")
    except OSError as exc:
        return FileResult(path=str(path), status="failed", error=f"{path}: {exc.strerror or exc}")
    except Exception as exc:  # a bug of ours: keep the batch going, say what it was
        return FileResult(path=str(path), status="failed", error=f"{path}: internal error {type(exc).__name__}: {exc}".splitlines()[0])


def process_one(path: Path, out_path: Path, on_page: PageProgress | None = None) -> FileResult:
    """Extract one file and write its JSON; never raises for bad input."""

    def work() -> Extraction:
        ex = extract_file(path, on_page=on_page)
        write_atomic(out_path, to_json(ex))
        return ex

    ex = _checked(path, work)
    if isinstance(ex, FileResult):
        return ex
    every = [*ex.warnings, *(w for d in ex.documents for w in d.warnings)]
    n_warn = len(every)
    n_err = sum(w.severity == "error" for w in every)
    return FileResult(
        path=str(path),
        status="partial" if n_err else "ok",
        errors=n_err,
        output=str(out_path),
        documents=len(ex.documents),
        touchpoints=sum(len(d.touchpoints) for d in ex.documents),
        warnings=n_warn,
    )


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path = "outputs",
    jobs: int = 1,
    on_result: Callable[[FileResult], None] | None = None,
    progress: bool | None = None,
) -> RunSummary:
    """Extract every input into ``out_dir`` and write ``_run.json``."""
    out_dir = Path(out_dir)
    check_writable(out_dir)
    files, results = collect_inputs(paths)
    for r in results:
        if on_result:
            on_result(r)
    names = output_names(files)

    def handle(res: FileResult) -> None:
        results.append(res)
        if on_result:
            on_result(res)

    for_each([(f, out_dir / names[f]) for f in files], process_one, handle, progress=progress, jobs=jobs)
    summary = RunSummary(
        files=len(files),
        ok=sum(r.status == "ok" for r in results),
        partial=sum(r.status == "partial" for r in results),
        failed=sum(r.status == "failed" for r in results),
        documents=sum(r.documents for r in results),
        touchpoints=sum(r.touchpoints for r in results),
        warnings=sum(r.warnings for r in results),
        settings=run_settings(),
        results=results,
    )
    write_atomic(out_dir / RUN_SUMMARY, to_json(summary))
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


def for_each(
    work: Sequence[tuple],
    step: Callable[..., R],
    handle: Callable[[R], None],
    progress: bool | None = None,
    jobs: int = 1,
    label: str = "extracting",
) -> None:
    """Call ``step(*args, on_page=…)`` for every ``args`` of ``work`` (the
    input path first) and hand each result to ``handle``, in input order.

    ``progress``: a bar on stderr (default: on a terminal outside CI), with the
    page count of a long PDF under it. ``jobs`` > 1 runs the steps in worker
    processes (``step`` must then be a module-level function, and results are
    handed over in input order as they come)."""
    show = show_progress(progress)
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            _drive(pool.map(_call, [(step, args) for args in work]), len(work), show, handle, label)
    else:
        results = (step(*args, on_page=_page_progress(args[0]) if show else None) for args in work)
        _drive(results, len(work), show, handle, label)


def show_progress(progress: bool | None) -> bool:
    """Whether to draw progress: as asked, else on a terminal outside CI."""
    return sys.stderr.isatty() and not os.environ.get("CI") if progress is None else progress


def _call(job: tuple[Callable[..., R], tuple]) -> R:
    # module level so that a process pool can pickle it
    step, args = job
    return step(*args)


def _page_progress(path: Path) -> PageProgress:
    """Page progress of a long PDF on the terminal line under the file bar."""

    def report(done: int, total: int) -> None:
        if total < 5:
            return
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r  {path.name}: page {done}/{total}{end}")
        sys.stderr.flush()

    return report


def _drive(iterator: Iterable[R], total: int, show: bool, handle: Callable[[R], None], label: str) -> None:
    if show and total:
        import click

        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
            for res in iterator:
                handle(res)
                bar.update(1)
    else:
        for res in iterator:
            handle(res)
