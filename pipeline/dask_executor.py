"""Per-file work on an existing Dask cluster:
``registry extract|ingest … --executor dask --scheduler tcp://HOST:8786``.

Each input file is one Dask task (:func:`pipeline.run.extract_task`); its
source travels in the task as bytes, or, with ``--shared-fs``, as a path every
worker can read. The task returns the extraction JSON (and the counts of its
run-summary line); this process, the only one that writes, puts the JSON in
the output folder and the store.

A worker that dies mid-task: the scheduler gives the task to another worker,
and this process writes its result once, when it arrives. The scheduler gives
up on a task that was on ``distributed.scheduler.allowed-failures`` + 1 workers
that died (``KilledWorker``; 3 + 1 by default, the scheduler's
``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES`` sets it). That also befalls a
task merely queued beside a poison file on the dying workers, so such a task
is submitted again, up to ``MAX_ROUNDS`` rounds in all; a task that still
kills its workers is reported failed (a poison file) and the batch goes on.

Pages of one scan are separate tasks: the file's task (:func:`with_page_tasks`)
sends the file's bytes once to its own worker's memory and submits one task
per page that needs OCR (:func:`pipeline.readers.ocr.read_one_page`, keys
``registry-page-…``); it leaves its worker thread while they run (Dask's
``worker_client``), so a 200-page scan spreads over the whole cluster, and
assembles the pages it gets back, in order, into the same text — the JSON is
the local executor's, byte for byte. A file of one page is read where it is.

Workers need this package (and Tesseract for scans) installed; nothing else
is shared.

Example::

    >>> ex = DaskExecutor(extract_task, "tcp://127.0.0.1:8786")
    >>> ex.put(0, FileTask("corpus/x.txt", data=b"…")); ex.get()
    [(0, TaskResult(…))]
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from pipeline.errors import MissingDependency, PipelineError
from pipeline.executors import Lost

BUDGET = 512 * 1024 * 1024  # bytes of sources in flight at once
MAX_ROUNDS = 2  # submissions of a task whose workers kept dying
MAX_LOST = 10  # submissions of a task the cluster lost (its result gone with a worker)
SCATTER_BYTES = 1024 * 1024  # a source larger than this goes to a worker ahead of its task


class DaskExecutor:
    def __init__(self, fn: Callable, scheduler: Any):
        try:
            from distributed import Client
        except ImportError:
            raise MissingDependency(None, "--executor dask needs the dask[distributed] package",
                                    "pip install 'dask[distributed]'") from None
        self.fn = fn
        self.own = not isinstance(scheduler, Client)
        if self.own:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise PipelineError(scheduler, f"cannot reach the Dask scheduler ({exc})".splitlines()[0],
                                    "start it with `dask scheduler`, or check --scheduler") from None
        else:
            self.client = scheduler
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(64, 8 * threads)
        self.budget = BUDGET
        self.batch = uuid.uuid4().hex[:12]  # task keys unique to this batch
        self.running: dict[Any, tuple[int, Any, int, int]] = {}  # future → (index, arg, round, attempt)

    def put(self, index: int, arg: Any, round_: int = 1, attempt: int = 1) -> None:
        payload = arg
        if getattr(arg, "size", 0) > SCATTER_BYTES:
            # straight to a worker, not through the scheduler inside the task graph; again at each
            # attempt (the worker that held it may be the one that died)
            payload = self.client.scatter(arg, hash=False)
        fut = self.client.submit(with_page_tasks, self.fn, payload, key=f"registry-{self.batch}-{index}-{attempt}",
                                 pure=False)
        self.running[fut] = (index, arg, round_, attempt)

    def get(self) -> list[tuple[int, Any]]:
        from distributed import KilledWorker, wait

        while True:
            done, _ = wait(list(self.running), return_when="FIRST_COMPLETED")
            out = []
            for fut in done:
                index, arg, round_, attempt = self.running.pop(fut)
                if fut.status == "finished":
                    try:
                        out.append((index, fut.result()))
                    except Exception:  # noqa: BLE001 - its result was lost with a worker: run it again
                        self.put(index, arg, round_, attempt + 1)
                elif fut.status == "error":
                    exc = fut.exception()
                    if isinstance(exc, KilledWorker) and round_ < MAX_ROUNDS:
                        self.put(index, arg, round_ + 1, attempt + 1)
                    else:
                        out.append((index, Lost(describe(exc, round_))))
                elif attempt < MAX_LOST:  # 'lost' or 'cancelled' by the cluster: not the task's doing
                    self.put(index, arg, round_, attempt + 1)
                else:
                    out.append((index, Lost(f"the cluster lost the task {attempt} times ({fut.status})")))
                fut.release()
            if out:
                return out

    def close(self) -> None:
        for fut in self.running:
            fut.cancel()
        self.running.clear()
        if self.own:
            self.client.close()


def with_page_tasks(fn: Callable, arg: Any) -> Any:
    """``fn(arg)`` on a worker, the pages of any scan it reads sent out as tasks of their own."""
    from pipeline.readers.ocr import page_runner

    with page_runner(pages_as_tasks):
        return fn(arg)


def pages_as_tasks(path: str, kind: str, data: bytes, page_numbers: list[int], settings: Any):
    """(page number, PageRead) of each page, in order, each read by a task of its own."""
    from distributed import get_worker, worker_client

    from pipeline.readers.ocr import read_one_page

    token = uuid.uuid4().hex[:12]
    with worker_client() as client:  # this thread leaves the worker's pool while the pages run
        source = client.scatter(data, workers=[get_worker().address], hash=False)
        # ahead of files still queued: a file begun is finished first, and its bytes let go
        futures = [client.submit(read_one_page, path, kind, source, n, settings, key=f"registry-page-{token}-{n}",
                                 pure=False, priority=10) for n in page_numbers]
        try:
            for n, fut in zip(page_numbers, futures):
                yield n, fut.result()
        finally:
            client.cancel([*futures, source])  # finished ones: their results let go


def describe(exc: BaseException | None, rounds: int = 1) -> str:
    """One line for a task that gave no result."""
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return (f"the worker died while extracting it, {rounds * (exc.allowed_failures + 1)} times "
                f"(in {rounds} rounds of {exc.allowed_failures + 1}): a poison file, a crash in a library or out of memory")
    return f"internal error {type(exc).__name__}: {exc}".splitlines()[0]
