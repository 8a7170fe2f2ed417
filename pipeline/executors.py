"""Where the per-file work of a batch runs, and how its results come back.

A batch (``registry extract`` / ``ingest``) hands :func:`run_ordered` a
module-level function and the number of tasks; an *executor* runs the
function and :func:`run_ordered` yields the results **in input order**, so the
one coordinating process writes outputs, the index and the store
deterministically. Executors:

- ``local`` — ``jobs`` worker processes on this machine, each file under a
  time and memory budget (:class:`pipeline.workers.PoolExecutor`): a file
  that kills its worker ``MAX_TRIES`` times, or runs over its budget, is
  reported lost and the batch goes on; workers die with this process;
- ``local`` with both limits off (``--time-limit 0 --memory-limit 0``) and
  ``jobs`` 1 — in this process (:class:`InlineExecutor`);
- ``dask`` — an existing Dask cluster (:mod:`pipeline.dask_executor`);
  :func:`pipeline.run.make_executor` picks one from an :class:`ExecutorSpec`.

Tasks are put at most ``window`` ahead of the next result to hand back (and,
for tasks that carry bytes, at most ``budget`` bytes ahead), so memory stays
bounded however large the batch.

Example::

    >>> ex = InlineExecutor(pipeline.run.extract_task)
    >>> for i, result in run_ordered(ex, len(tasks), tasks.__getitem__):
    ...     write(result)
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol

MAX_TRIES = 2  # a task that kills its worker this many times is lost


@dataclass(frozen=True)
class ExecutorSpec:
    """What the command line asked for: ``--executor``, ``--jobs``, ``--scheduler``, ``--shared-fs``."""

    kind: str = "local"  # local | dask
    jobs: int = 1
    scheduler: str | None = None  # tcp://HOST:8786, or a distributed.Client (tests)
    shared_fs: bool = False  # workers read the inputs' paths instead of receiving bytes
    time_limit: float | None = None  # seconds per file (local workers); None: the default, 0: none
    memory_mb: int | None = None  # MB of resident memory per file (local workers); None: the default, 0: none

    @property
    def remote(self) -> bool:
        return self.kind == "dask"


@dataclass(frozen=True)
class Lost:
    """A task that gave no result: its worker died too often, or the task itself failed to run."""

    reason: str


@dataclass(frozen=True)
class Ready:
    """What a task maker returns when there is nothing to run (the answer is already known)."""

    result: Any


class Executor(Protocol):
    window: int
    budget: int

    def put(self, index: int, arg: Any) -> None: ...

    def get(self) -> list[tuple[int, Any]]:
        """Wait for at least one finished task: (index, result or Lost)."""

    def close(self) -> None: ...


def run_ordered(executor: Executor, n: int, make: Callable[[int], Any],
                on_done: Callable[[int, Any], None] | None = None) -> Iterator[tuple[int, Any]]:
    """Run task ``make(i)`` for i in 0..n-1 and yield ``(i, result)`` in order.

    ``make`` is called just before a task is put (so its bytes are read only
    then); it may return :class:`Ready` for a task with nothing to run.
    ``on_done`` is told of each result as it finishes (progress)."""
    ready: dict[int, Any] = {}
    weights: dict[int, int] = {}
    next_put = next_out = 0
    try:
        while next_out < n:
            while next_put < n and next_put - next_out < executor.window and (
                    sum(weights.values()) < executor.budget or not weights):
                arg = make(next_put)
                if isinstance(arg, Ready):
                    ready[next_put] = arg.result
                    if on_done:
                        on_done(next_put, arg.result)
                else:
                    weights[next_put] = getattr(arg, "size", 0)
                    executor.put(next_put, arg)
                next_put += 1
            if next_out in ready:
                weights.pop(next_out, None)
                yield next_out, ready.pop(next_out)
                next_out += 1
                continue
            for i, res in executor.get():
                ready[i] = res
                if on_done:
                    on_done(i, res)
    finally:
        executor.close()


# ------------------------------------------------------------------ local


class InlineExecutor:
    """Tasks run in this process, one after another (``--jobs 1``)."""

    window = 1
    budget = 1 << 62

    def __init__(self, fn: Callable, on_page: Callable[[Any], Callable | None] | None = None):
        self.fn = fn
        self.on_page = on_page
        self.queue: deque = deque()

    def put(self, index: int, arg: Any) -> None:
        self.queue.append((index, arg))

    def get(self) -> list[tuple[int, Any]]:
        index, arg = self.queue.popleft()
        try:
            return [(index, self.fn(arg, on_page=self.on_page(arg) if self.on_page else None))]
        except Exception as exc:  # the task function reports bad input itself; this is a bug of ours
            return [(index, Lost(f"internal error {type(exc).__name__}: {exc}".splitlines()[0]))]

    def close(self) -> None:
        self.queue.clear()


# ------------------------------------------------------------------ progress


class Progress:
    """One line on stderr: files done of the batch, pages read, rate and ETA;
    under it, the page count of a long file read in this process."""

    def __init__(self, total: int, label: str, show: bool, stream=None):
        self.total = total
        self.label = label
        self.show = show and total > 0
        self.stream = stream or sys.stderr
        self.done = self.reused = self.pages = 0
        self.start = time.monotonic()
        self.last = 0.0

    def file_done(self, pages: int = 0, reused: bool = False) -> None:
        self.done += 1
        self.reused += reused
        self.pages += pages or 0
        self._draw(force=self.done == self.total)

    def page(self, name: str, done: int, total: int) -> None:
        if self.show and total >= 5:
            self._draw(extra=f"  {name}: page {done}/{total}", force=done == total)

    def eta(self) -> str:
        worked = self.done - self.reused
        left = self.total - self.done
        if not worked or not left:
            return "—" if left else "0:00"
        secs = int((time.monotonic() - self.start) / worked * left)
        return f"{secs // 3600}:{secs // 60 % 60:02d}:{secs % 60:02d}" if secs >= 3600 else f"{secs // 60}:{secs % 60:02d}"

    def _draw(self, extra: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if not self.show or (not force and now - self.last < 0.2):
            return
        self.last = now
        rate = (self.done - self.reused) / max(now - self.start, 1e-9)
        line = (f"{self.label} {self.done}/{self.total} files"
                + (f" ({self.reused} up to date)" if self.reused else "")
                + (f", {self.pages} pages" if self.pages else "")
                + f", {rate:.1f} files/s, ETA {self.eta()}{extra}")
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()

    def close(self) -> None:
        if self.show:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
