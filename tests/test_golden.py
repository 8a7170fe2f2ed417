"""Golden files: the whole extraction of every corpus order, compared exactly.

The hand-checked assertions live in the other test files; this one catches any
unintended change anywhere in the JSON. After an intended change, regenerate
with ``pytest tests/test_golden.py --update-golden`` and read the diff of
``tests/golden/`` like code before committing it.
"""

import json
from pathlib import Path

import pytest

from tests.conftest import ORDERS

GOLDEN = Path(__file__).parent / "golden"


def _comparable(ex) -> dict:
    data = json.loads(ex.model_dump_json())
    data["source"]["path"] = Path(data["source"]["path"]).name  # the checkout's location is not data
    return data


def _first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'golden' if k in b else 'current'}"
            d = _first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = _first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: {len(a)} items now, {len(b)} in golden"
    elif a != b:
        return f"{path}: {a!r} != {b!r} (golden)"
    return None


@pytest.mark.parametrize("name", list(ORDERS))
def test_golden(name, corpus, request):
    current = _comparable(corpus(name))
    path = GOLDEN / (Path(ORDERS[name]).stem + ".json")
    if request.config.getoption("--update-golden"):
        path.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file: run pytest {__file__} --update-golden"
    golden = json.loads(path.read_text(encoding="utf-8"))
    diff = _first_difference(current, golden)
    assert diff is None, diff
