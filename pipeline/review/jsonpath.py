"""JSON paths of the values of one document, as corrections address them.

A path is dotted names with list indexes: ``meta.date``,
``meta.signatory.name``, ``touchpoints[3]``, ``touchpoints[3].channel``,
``requirements[2].thresholds[0].value``; a bare collection name
(``touchpoints``) is where an added item goes. Paths walk the dict of
``Document.model_dump()``.

    >>> parse("requirements[2].thresholds[0].value")
    [('requirements', 2), ('thresholds', 0), ('value', None)]
    >>> get({"touchpoints": [{"channel": "email"}]}, "touchpoints[0].channel")
    'email'
    >>> fmt([("touchpoints", 5), ("channel", None)])
    'touchpoints[5].channel'
"""

from __future__ import annotations

import re
from typing import Any

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")

Token = tuple[str, "int | None"]


class PathError(ValueError):
    """A path that is malformed or leads nowhere in this document."""


def parse(path: str) -> list[Token]:
    out: list[Token] = []
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        if not m:
            raise PathError(f"bad path {path!r}")
        out.append((m.group(1), int(m.group(2)) if m.group(2) is not None else None))
    return out


def fmt(tokens: list[Token]) -> str:
    return ".".join(f"{n}[{i}]" if i is not None else n for n, i in tokens)


def get(data: dict, path: str | list[Token]) -> Any:
    cur: Any = data
    for name, idx in parse(path) if isinstance(path, str) else path:
        if not isinstance(cur, dict) or name not in cur:
            raise PathError(f"no {name!r} in {path!r}")
        cur = cur[name]
        if idx is not None:
            if not isinstance(cur, list) or idx >= len(cur):
                raise PathError(f"no item {idx} of {name!r}")
            cur = cur[idx]
    return cur


def put(data: dict, path: str | list[Token], value: Any) -> None:
    """Set the value at ``path``; a missing dict on the way (``meta.registration``) is created."""
    tokens = parse(path) if isinstance(path, str) else path
    parent = get(data, tokens[:-1]) if len(tokens) > 1 else data
    name, idx = tokens[-1]
    if idx is not None:
        get(data, tokens)  # raises when the item is missing
        parent[name][idx] = value
    else:
        if not isinstance(parent, dict):
            raise PathError(f"cannot set {fmt(tokens)!r}")
        parent[name] = value


def item_prefixes(tokens: list[Token]) -> list[list[Token]]:
    """The item paths along a path: ``a[1].b[2].c`` → ``a[1]``, ``a[1].b[2]``."""
    return [tokens[: k + 1] for k, (_, idx) in enumerate(tokens) if idx is not None]
