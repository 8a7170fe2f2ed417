"""Library entry points: one file → :class:`Extraction`; a batch → JSON files.

The batch never stops on a bad file: each input gets a status, its error is one
line, and every output is written atomically (temp file + rename), so an
interrupted run leaves only complete JSON files behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

from pipeline.errors import OutputNotWritable, PipelineError
from pipeline.models import Extraction, FileResult, RunSummary, Source

RUN_SUMMARY = "_run.json"


def extract_file(path: str | Path, on_page: Callable[[int, int], None] | None = None) -> Extraction:
    """Read one file and extract every document in it.

    >>> ex = extract_file("corpus/north-ossetia-employment-committee-2026-03-23-22-2.txt")
    >>> ex.documents[0].meta.number
    '22-2'
    """
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


def sha256_file(path: Path) -> str:
    """Content hash of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def to_json(model) -> str:
    return model.model_dump_json(indent=2, exclude_none=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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


def process_one(path: Path, out_path: Path, on_page: Callable[[int, int], None] | None = None) -> FileResult:
    """Extract one file and write its JSON; never raises for bad input."""
    try:
        ex = extract_file(path, on_page=on_page)
        write_atomic(out_path, to_json(ex))
    except PipelineError as exc:
        return FileResult(path=str(path), status="failed", error=exc.one_line())
    except MemoryError:
        return FileResult(path=str(path), status="failed", error=f"{path}: out of memory while reading (file too large)")
    except OSError as exc:
        return FileResult(path=str(path), status="failed", error=f"{path}: {exc.strerror or exc}")
    except Exception as exc:  # a bug of ours: keep the batch going, say what it was
        return FileResult(path=str(path), status="failed", error=f"{path}: internal error {type(exc).__name__}: {exc}".splitlines()[0])
    n_warn = len(ex.warnings) + sum(len(d.warnings) for d in ex.documents)
    return FileResult(
        path=str(path),
        status="ok",
        output=str(out_path),
        documents=len(ex.documents),
        touchpoints=sum(len(d.touchpoints) for d in ex.documents),
        warnings=n_warn,
    )


def _process_args(args: tuple[Path, Path]) -> FileResult:
    return process_one(*args)


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
    work = [(f, out_dir / names[f]) for f in files]
    show = sys.stderr.isatty() and not os.environ.get("CI") if progress is None else progress

    def handle(res: FileResult) -> None:
        results.append(res)
        if on_result:
            on_result(res)

    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            it = pool.map(_process_args, work)
            _drive(it, len(work), show, handle)
    else:
        _drive((process_one(*w, on_page=_page_progress(w[0]) if show else None) for w in work), len(work), show, handle)

    summary = RunSummary(
        files=len(files),
        ok=sum(r.status == "ok" for r in results),
        failed=sum(r.status == "failed" for r in results),
        documents=sum(r.documents for r in results),
        touchpoints=sum(r.touchpoints for r in results),
        warnings=sum(r.warnings for r in results),
        results=results,
    )
    write_atomic(out_dir / RUN_SUMMARY, to_json(summary))
    return summary


def _page_progress(path: Path) -> Callable[[int, int], None]:
    """Page progress of a long PDF on the terminal line under the file bar."""

    def report(done: int, total: int) -> None:
        if total < 5:
            return
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r  {path.name}: page {done}/{total}{end}")
        sys.stderr.flush()

    return report


def _drive(iterator, total: int, show: bool, handle: Callable[[FileResult], None]) -> None:
    if show and total:
        import click

        with click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True) as bar:
            for res in iterator:
                handle(res)
                bar.update(1)
    else:
        for res in iterator:
            handle(res)


def load_extraction(path: str | Path) -> Extraction:
    return Extraction.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
