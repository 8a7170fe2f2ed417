"""Files in and out: content hash, JSON dump, atomic write, and the one loader
of extraction JSON.

Every command that reads an extraction (``registry show``, ``diff``,
``compare --from``, the store) goes through :func:`load_extraction` or its two
steps (:func:`read_json`, :func:`validate_extraction`), so a bad input fails the
same way everywhere: a typed error from :mod:`pipeline.errors` whose one line
names the file and the reason —

- ``no such file``;
- ``not a JSON file``;
- ``not an extraction JSON (N schema errors)`` — valid JSON that is not an
  :class:`~pipeline.models.Extraction` (another file, or one written by an
  older schema). The pydantic error is kept as ``__cause__``;
  :func:`first_error` turns it into ``documents.0.bogus: Extra inputs are not
  permitted`` for callers that show it.

Example::

    >>> ex = load_extraction("outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json")
    >>> [d.kind for d in ex.documents]
    ['order', 'memo', 'draft']
    >>> load_extraction("outputs/missing.json")
    Traceback (most recent call last):
    pipeline.errors.PipelineError: outputs/missing.json: no such file
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.errors import CorruptFile, PipelineError
from pipeline.models import Extraction


def sha256_file(path: Path) -> str:
    """Content hash of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def to_json(model) -> str:
    """A pydantic model as the JSON the tool writes: indented, nulls kept, final newline."""
    return model.model_dump_json(indent=2, exclude_none=False) + "\n"


MAX_NAME_BYTES = 200  # a name this long still leaves room for ".<name>.<random>.tmp" under the 255-byte limit


def printable(text: str) -> str:
    """A path or message as valid UTF-8 for JSON, the store and the terminal: the
    bytes of a file name that is not UTF-8 (kept by Python as lone surrogates)
    are written as ``\\xNN``.

    >>> printable("caf\udce9.txt")
    'caf\\xe9.txt'
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _escaped_only(text) else text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")


def _escaped_only(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def short_name(name: str, limit: int = MAX_NAME_BYTES, keep: str = "") -> str:
    """``name`` unchanged when it fits in ``limit`` bytes, else its beginning, ``~``
    and 12 hex digits of its hash (then ``keep``, the ending it must keep): the
    same long name always gives the same short one.

    >>> short_name("п" * 150 + ".json", keep=".json")  # doctest: +ELLIPSIS
    'ппп...п~...json'
    """
    raw = os.fsencode(name)
    if len(raw) <= limit:
        return name
    tail = os.fsencode(keep) if keep and name.endswith(keep) else b""
    head = raw[: limit - len(tail) - 13]
    for cut in range(len(head), max(len(head) - 4, 0), -1):  # end on a whole UTF-8 character
        try:
            head[:cut].decode("utf-8")
            head = head[:cut]
            break
        except UnicodeDecodeError:
            continue
    return os.fsdecode(head) + "~" + hashlib.sha256(raw).hexdigest()[:12] + os.fsdecode(tail)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never
    half; the file gets the mode the user's umask gives (not the temp file's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{short_name(path.name)}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ------------------------------------------------------------------- loading


def read_json(path: str | Path) -> Any:
    """The parsed JSON of a file; PipelineError when it is missing or unreadable,
    CorruptFile when it is not JSON."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(path, "no such file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise CorruptFile(path, "not a JSON file") from None
    except OSError as exc:
        raise PipelineError(path, f"cannot read: {exc.strerror or exc}") from None


def looks_like_extraction(data: Any) -> bool:
    """True for JSON shaped like an extraction (it has ``source`` and ``documents``),
    valid or not: a folder scan skips ``_run.json`` and reports, but lists a stale
    extraction instead of dropping it silently."""
    return isinstance(data, dict) and {"source", "documents"} <= data.keys()


def validate_extraction(data: Any, where: str | Path | None) -> Extraction:
    """An :class:`Extraction` from parsed JSON, or from JSON text (as the store
    keeps it); CorruptFile naming ``where`` when it does not validate."""
    try:
        if isinstance(data, (str, bytes)):
            return Extraction.model_validate_json(data)
        return Extraction.model_validate(data)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        count = exc.error_count() if hasattr(exc, "error_count") else 1
        # keep the cause: the store and the report show its first error
        raise CorruptFile(where, f"not an extraction JSON ({count} schema errors)") from exc


def load_extraction(path: str | Path) -> Extraction:
    """The one loader of an extraction JSON file (see the module docstring for its errors)."""
    return validate_extraction(read_json(path), path)


def first_error(exc: BaseException | None) -> str:
    """'documents.0.bogus: Extra inputs are not permitted' from a pydantic
    ValidationError, or from a loader error that it caused."""
    if isinstance(exc, PipelineError) and exc.__cause__ is not None:
        exc = exc.__cause__
    errors = getattr(exc, "errors", None)
    if callable(errors) and errors():
        e = errors()[0]
        return f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"
    return str(exc).splitlines()[0]
