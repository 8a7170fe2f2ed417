"""External programs (Tesseract; any other command-line tool a reader runs)
within a time and memory budget.

:func:`run_tool` starts the program in a process group of its own, caps its
address space (``RLIMIT_AS``, inherited by anything it starts) and, when the
time is up, kills the whole group — the program and every process it started
— before raising :class:`ToolTimeout`. A program that runs out of its memory
fails like any other (a non-zero exit, or killed by a signal), and the caller
reports it in one line.

The memory cap is set on the child right after it starts (``prlimit``), not
in a ``preexec_fn``: readers run tools from several threads, and Python's
``preexec_fn`` is not safe with threads. The few milliseconds before the cap
applies are the program's start, not its work on the input.

    >>> run_tool(["true"], timeout=10, memory_mb=256).returncode
    0
    >>> try:
    ...     run_tool(["sleep", "5"], timeout=0.2, memory_mb=256)
    ... except ToolTimeout as exc:
    ...     print(exc)
    sleep did not finish within 0.2 s (killed)
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from pathlib import Path


class ToolTimeout(subprocess.TimeoutExpired):
    """The program and its process group were killed after ``timeout`` seconds."""

    def __str__(self) -> str:
        return f"{Path(str(self.cmd[0])).name} did not finish within {self.timeout:g} s (killed)"


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL to the process group ``proc`` leads (it and every process it started)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _cap_memory(pid: int, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, AttributeError):  # gone already, or no prlimit (not Linux)
        pass


def run_tool(cmd: list[str], timeout: float, memory_mb: int, env: dict | None = None,
             text: bool = True) -> subprocess.CompletedProcess:
    """Run ``cmd`` to its end (stdout and stderr captured) within ``timeout``
    seconds and ``memory_mb`` MiB of address space; :class:`ToolTimeout` after
    the whole process group was killed."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=text, start_new_session=True)
    _cap_memory(proc.pid, memory_mb)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        raise ToolTimeout(cmd, timeout, out, err) from None
    except BaseException:
        kill_group(proc)
        proc.wait()
        raise
    finally:
        kill_group(proc)  # nothing the program started outlives it
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
