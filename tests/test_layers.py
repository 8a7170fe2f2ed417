"""The package's import graph stays untangled: no import cycle, no module of
the top layer importing one above it, no private name imported from another
module, and the top-layer modules stay short.

Every import counts, at module level or inside a function (a lazy import
still ties two modules together).

Top layer, lowest first (the extraction core, errors, models, jsonio, textsim
and identity sit below all of it and must not import it):

    run (the batch runner) → store_tables → store → ingest, diff_model → diff, compare
    → report (tables, svg, xlsx → sections, difftext, export → build) → show, schema → cli
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pipeline"

TOP = {
    "pipeline.run": 10,
    "pipeline.store_tables": 20,
    "pipeline.store": 21,
    "pipeline.ingest": 30,
    "pipeline.diff_model": 30,
    "pipeline.diff": 31,
    "pipeline.compare": 31,
    "pipeline.report": 40,
    "pipeline.report.tables": 40,
    "pipeline.report.svg": 40,
    "pipeline.report.xlsx": 40,
    "pipeline.report.sections": 41,
    "pipeline.report.difftext": 41,
    "pipeline.report.export": 41,
    "pipeline.report.build": 42,
    "pipeline.show": 50,
    "pipeline.schema": 50,
    "pipeline.cli": 60,
    "pipeline.__main__": 61,
}
# helpers written for the top layer that sit below it
SHARED = ["pipeline.jsonio", "pipeline.textsim", "pipeline.identity"]
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for f in PKG.rglob("*.py"):
        parts = f.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """Module → pipeline modules it imports; and (importer, module, name) of private names."""
    mods = _modules()

    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    private = []
    for m, f in mods.items():
        package = m if f.name == "__init__.py" else m.rpartition(".")[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
                private += [(m, base, a.name) for a in node.names
                            if a.name.startswith("_") and not a.name.startswith("__") and known(base) != m]
            else:
                continue
            graph[m] |= {t for t in map(known, targets) if t and t.startswith("pipeline") and t != m}
    return graph, [p for p in private if p[1].startswith("pipeline")]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    graph, _ = _graph()
    assert _cycles(graph) == []


def test_top_layer_imports_only_downwards():
    graph, _ = _graph()
    upward = [(m, t) for m, targets in graph.items() for t in targets
              if t in TOP and TOP[t] > TOP.get(m, 0)]
    assert upward == [], "lower module imports a higher one"
    assert all(m in graph for m in list(TOP) + SHARED), "a module of the layer list is gone: update TOP"


def test_no_private_names_across_modules():
    _, private = _graph()
    assert private == []


def test_top_layer_modules_are_short():
    mods = _modules()
    long = {m: n for m in list(TOP) + SHARED
            if (n := len(mods[m].read_text(encoding="utf-8").splitlines())) >= MAX_LINES}
    assert long == {}
