"""Local worker processes for a batch (``--executor local``): each file is
read in a worker, under a time and a memory budget, and nothing a file does
to its worker stops the batch.

- **One file per worker at a time**, so the coordinator always knows which
  file a worker holds: a worker that dies (a crash in a C library, the OOM
  killer, a ``kill -9``) is that file's death — it is read again once in a
  fresh worker, and a file that kills its worker twice is reported failed
  ("the worker died while reading it …"); the other workers go on.
- **Budget per file** (:class:`Limits`): the coordinator kills a worker whose
  file runs past the time limit, or whose resident memory passes the memory
  limit (read from ``/proc`` several times a second); the file is one failed
  line ("took longer than 600 s …", "used more than 2048 MB …"), not retried,
  and a new worker takes the next file. In the worker, ``RLIMIT_AS`` is set
  to what the worker already maps plus twice the memory limit before each
  file, so one huge allocation fails at once (a ``MemoryError``, one line)
  instead of waiting for the next look at ``/proc``.
- **Workers die with the coordinator**: each asks Linux to SIGKILL it when
  its parent dies (``prctl(PR_SET_PDEATHSIG)``), and a thread checks the
  parent every second where that call does not exist; a ``kill -9`` of
  ``registry extract`` leaves no worker behind. Each worker leads its own
  process group, so a worker stopped over its budget, or found dead, takes
  the programs it started with it (after a ``kill -9`` of the coordinator,
  such a program — a tesseract page, a LibreOffice conversion — ends at its
  own timeout).
- Page progress of a long scan comes back from the worker to the progress line.

Example::

    >>> pool = PoolExecutor(pipeline.run.extract_task, jobs=2, limits=Limits(time=600, memory_mb=2048))
    >>> for i, result in run_ordered(pool, len(tasks), tasks.__getitem__):
    ...     write(result)
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable

from pipeline.executors import MAX_TRIES, Lost

try:
    import resource
except ImportError:  # Windows: the memory budget is the /proc-free watchdog only where it can read memory
    resource = None

DEFAULT_TIME_LIMIT = 600.0  # seconds one file may take (a 200-page scan at 2 s a page fits)
DEFAULT_MEMORY_MB = 2048  # resident memory one worker may use for one file
POLL = 0.25  # seconds between looks at the workers' memory
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """The budget of one file: ``time`` seconds and ``memory_mb`` MB of resident
    memory (0: no limit)."""

    time: float = DEFAULT_TIME_LIMIT
    memory_mb: int = DEFAULT_MEMORY_MB

    @property
    def any(self) -> bool:
        return bool(self.time or self.memory_mb)


# ------------------------------------------------------------------ the worker side


def die_with_parent(parent: int) -> None:
    """Have this process killed when ``parent`` dies (Linux: the kernel does it;
    elsewhere a thread looks every second)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_address_space(memory_mb: int) -> None:
    """A hard stop for one file: what the worker maps now plus twice the budget."""
    if not memory_mb or resource is None or not sys.platform.startswith("linux"):
        return
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = mapped + 2 * memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
    except (OSError, ValueError):
        pass


def _worker_main(conn, fn: Callable, parent: int, memory_mb: int) -> None:
    try:
        os.setpgid(0, 0)
    except (OSError, AttributeError):  # AttributeError: no process groups (Windows)
        pass
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, arg = msg
        _limit_address_space(memory_mb)

        def on_page(done: int, total: int, index: int = index) -> None:
            conn.send(("page", index, done, total))

        try:
            res = fn(arg, on_page=on_page)
        except MemoryError:
            res = Lost("out of memory while reading (the address-space limit per file; --memory-limit)")
        except Exception as exc:  # the task function reports bad input itself; this is a bug of ours
            res = Lost(f"internal error {type(exc).__name__}: {exc}".splitlines()[0])
        try:
            conn.send(("done", index, res))
        except Exception as exc:  # a result that cannot be pickled
            conn.send(("done", index, Lost(f"internal error {type(exc).__name__}: {exc}".splitlines()[0])))


# ------------------------------------------------------------------ the coordinator side


def _quiet_native_pools() -> None:
    """Before a fork: a native thread pool this process has started (OpenCV's,
    when the coordinator itself has read an image — a library user, a test) is
    inherited by the child as a copy whose threads do not exist, and the child's
    first OpenCV call waits for them for ever. One thread here means the child
    never touches that pool (workers use one OpenCV thread anyway)."""
    cv2 = sys.modules.get("cv2")
    if cv2 is not None and hasattr(cv2, "setNumThreads") and cv2.getNumThreads() != 1:
        cv2.setNumThreads(1)


@dataclass
class _Job:
    index: int
    arg: Any
    deaths: int = 0


@dataclass
class _Worker:
    proc: Any
    conn: Any
    job: _Job | None = None
    started: float = 0.0
    born_mb: float = 0.0  # resident memory it was forked with (the coordinator's pages it shares)


class PoolExecutor:
    """``jobs`` worker processes, one file each at a time, under ``limits`` (see the module doc)."""

    budget = 1 << 62

    def __init__(self, fn: Callable, jobs: int, on_page: Callable[[Any], Callable | None] | None = None,
                 limits: Limits | None = None, max_tries: int = MAX_TRIES):
        self.fn = fn
        self.jobs = max(1, jobs)
        self.on_page = on_page
        self.limits = limits if limits is not None else Limits()
        self.max_tries = max_tries
        self.window = max(64, 8 * self.jobs)
        self.queue: deque[_Job] = deque()
        self.workers: list[_Worker] = []
        # fork: workers start at once and run the code of this process as it is
        self.ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")

    def put(self, index: int, arg: Any) -> None:
        self.queue.append(_Job(index, arg))

    def _start(self) -> _Worker:
        if self.ctx.get_start_method() == "fork":
            _quiet_native_pools()
        mine, theirs = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(theirs, self.fn, os.getpid(), self.limits.memory_mb),
                                name="registry-worker", daemon=True)
        proc.start()
        theirs.close()
        # a forked worker starts with the coordinator's resident pages (copy on write): the
        # budget is what it takes beyond them, not what a large coordinator already holds
        w = _Worker(proc, mine, born_mb=rss_mb(proc.pid) if self.ctx.get_start_method() == "fork" else 0.0)
        self.workers.append(w)
        return w

    def _dispatch(self) -> None:
        idle = [w for w in self.workers if w.job is None]
        while self.queue and (idle or len(self.workers) < self.jobs):
            w = idle.pop() if idle else self._start()
            job = self.queue.popleft()
            try:
                w.conn.send((job.index, job.arg))
            except (OSError, ValueError):  # it died while idle: start another
                self.queue.appendleft(job)
                self._drop(w)
                continue
            w.job, w.started = job, time.monotonic()

    def get(self) -> list[tuple[int, Any]]:
        while True:
            self._dispatch()
            busy = [w for w in self.workers if w.job is not None]
            wait([x for w in busy for x in (w.conn, w.proc.sentinel)], timeout=self._timeout(busy))
            out: list[tuple[int, Any]] = []
            for w in busy:
                res = self._read(w)
                if res is not None:
                    out.append(res)
                elif not w.proc.is_alive():
                    out += self._died(w)
                else:
                    out += self._over_budget(w)
            if out:
                return out

    def _timeout(self, busy: list[_Worker]) -> float:
        if self.limits.memory_mb:
            return POLL
        if self.limits.time and busy:
            return max(0.01, min(w.started + self.limits.time for w in busy) - time.monotonic())
        return 5.0

    def _read(self, w: _Worker) -> tuple[int, Any] | None:
        """Page messages, then the result of its file if it is there."""
        try:
            while w.conn.poll():
                kind, index, *rest = w.conn.recv()
                if kind == "done":
                    job, w.job = w.job, None
                    return job.index, rest[0]
                if self.on_page is not None:
                    tell = self.on_page(w.job.arg)
                    if tell is not None:
                        tell(*rest)
        except (EOFError, OSError):
            pass
        return None

    def _died(self, w: _Worker) -> list[tuple[int, Any]]:
        job = w.job
        self._drop(w)
        job.deaths += 1
        if job.deaths < self.max_tries:
            self.queue.appendleft(job)  # read it again in a fresh worker: the death may not be its own
            return []
        code = w.proc.exitcode
        how = (f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 and -code in
               signal.valid_signals() else f"exit code {code}")
        return [(job.index, Lost(f"the worker died while reading it ({how}, {job.deaths} times): "
                                 "a crash in a library, or out of memory"))]

    def _over_budget(self, w: _Worker) -> list[tuple[int, Any]]:
        lim = self.limits
        reason = None
        if lim.time and time.monotonic() - w.started > lim.time:
            reason = f"took longer than {lim.time:g} s to read (the time limit per file; --time-limit)"
        elif lim.memory_mb and rss_mb(w.proc.pid) - w.born_mb > lim.memory_mb:
            reason = f"used more than {lim.memory_mb} MB of memory while reading (the memory limit per file; --memory-limit)"
        if reason is None:
            return []
        job = w.job
        self._drop(w)
        return [(job.index, Lost(reason))]

    def _drop(self, w: _Worker) -> None:
        """Kill a worker and what it started, and forget it."""
        _kill(w.proc)
        w.conn.close()
        self.workers.remove(w)

    def close(self) -> None:
        self.queue.clear()
        for w in list(self.workers):
            if w.job is None:
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
        end = time.monotonic() + 2.0
        for w in list(self.workers):
            if w.job is None:
                w.proc.join(max(0.0, end - time.monotonic()))
            self._drop(w)


def _kill(proc) -> None:
    """SIGKILL a worker's process group: the worker, or what it started and left
    behind when it died (Linux reuses no pid while its group has members)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if proc.is_alive():
        proc.kill()
    proc.join(5)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0
