"""The inputs of a batch and the names of its outputs.

Inputs (:func:`collect_inputs`): a file named on the command line is read,
whatever its name; a folder is searched recursively for files with a known
extension, **leaving out hidden ones** — a file or folder whose name starts
with ``.`` (``.hidden.txt``, ``..txt``, ``.git/``) is read only when named
itself, and a folder scan says how many it left out. A path that is not a
regular file says what it is (a named pipe, a device, a link that loops or
points nowhere, a missing path) in one line; a file that cannot be read is
one failed file when its turn comes, like any other bad input.

Output names (:func:`output_names`): ``<stem>.json``; ``<stem>.<ext>.json`` when
two inputs share a stem; then the parent folder, then a hash, is prefixed.
Names that start with one ``_`` belong to the tool (``_run.json``, the run
summary; ``_index.jsonl``, the index): an input whose output name would
start with ``_`` gets one more (``_run.txt`` → ``__run.json``), so no input
ever overwrites them. A name longer than 200 bytes is cut, with a hash of the
whole name so that it stays unique and the same from run to run
(:func:`pipeline.jsonio.short_name`). File names that are not UTF-8 are kept
as they are on disk; JSON and messages show their odd bytes as ``\\xNN``.

Example::

    >>> files, problems = collect_inputs(["corpus"])
    >>> output_names([Path("in/_run.txt"), Path("in/order.docx")])
    {PosixPath('in/_run.txt'): '__run.json', PosixPath('in/order.docx'): 'order.json'}
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Iterable

from pipeline.jsonio import printable, short_name
from pipeline.models import FileResult

TOOL_PREFIX = "_"  # names of the tool's own files in an output folder start with exactly one of these
HIDDEN_LEFT_OUT = "hidden file(s) left out"


def collect_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Files given, plus every readable file under folders (recursive, sorted).

    Returns the inputs and results for paths that cannot be used at all."""
    from pipeline.readers import KNOWN_EXTENSIONS

    files: list[Path] = []
    problems: list[FileResult] = []
    for p in paths:
        p = Path(p)
        shown = printable(str(p))
        try:
            is_dir, is_file = p.is_dir(), p.is_file()
        except OSError as exc:  # a folder on the way that cannot be entered
            problems.append(FileResult(path=shown, status="failed", error=f"{shown}: cannot be opened: {exc.strerror or exc}"))
            continue
        if is_dir:
            found, hidden = _scan(p, KNOWN_EXTENSIONS)
            if hidden:
                problems.append(FileResult(path=shown, status="skipped", error=(
                    f"{shown}: {hidden} {HIDDEN_LEFT_OUT} (names starting with '.'); name a file to read it")))
            if not found:
                problems.append(FileResult(path=shown, status="skipped", error=f"{shown}: nothing to read in this folder (no .txt, .docx, .pdf or image files)"))
            files.extend(found)
        elif is_file:
            files.append(p)
        else:
            problems.append(FileResult(path=shown, status="failed", error=f"{shown}: {what_it_is(p)}"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        try:
            r = f.resolve()
        except (OSError, RuntimeError):
            r = f.absolute()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique, problems


def _scan(folder: Path, extensions) -> tuple[list[Path], int]:
    """Files with a known extension under ``folder``, and how many hidden ones were left out."""
    found, hidden = [], 0
    for f in folder.rglob("*"):
        if f.suffix.lower() not in extensions or not _is_file(f):
            continue
        if any(part.startswith(".") for part in f.relative_to(folder).parts):
            hidden += 1
        else:
            found.append(f)
    return sorted(found), hidden


def _is_file(f: Path) -> bool:
    """A regular file; one that cannot even be looked at (a folder without x permission
    on the way) is kept, to be one failed line when it is read."""
    try:
        return f.is_file()
    except OSError:
        return True


def what_it_is(p: Path) -> str:
    """Why a path given as an input is not a file to read, in a few words."""
    try:
        st = os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops (it points back to itself), not a file"
        if p.is_symlink():
            return f"a symbolic link to {printable(os.readlink(p))}, which does not exist"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot be opened: {exc.strerror or exc}"
    mode = st.st_mode
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file: nothing read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file: nothing read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file: nothing read"
    return "not a regular file: nothing read"


def output_names(files: list[Path]) -> dict[Path, str]:
    """``<stem>.json``, unless two inputs share a stem: then ``<stem>.<ext>.json``,
    and if that still collides, the parent folder is prefixed (see the module doc)."""
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
            names[f] = f"{hashlib.sha1(os.fsencode(f.resolve())).hexdigest()[:8]}__{n}"
    return {f: short_name(TOOL_PREFIX + n if n.startswith(TOOL_PREFIX) else n, keep=".json") for f, n in names.items()}
