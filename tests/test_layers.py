"""The package's import graph stays untangled: no import cycle, no module
importing one of a higher layer, no private name imported from another
module, and modules stay short (the exceptions are listed, with why).

Every import counts, at module level or inside a function (a lazy import
still ties two modules together). Layers, lowest first — the flow of
docs/ARCHITECTURE.md: a module may import its own layer and those below.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pipeline"

LAYERS: list[tuple[str, list[str]]] = [
    ("contract", ["pipeline", "pipeline.errors", "pipeline.models", "pipeline.vocab"]),
    ("text", ["pipeline.cleanup", "pipeline.nlp", "pipeline.document", "pipeline.boxtables", "pipeline.linetables",
              "pipeline.jsonio", "pipeline.textsim"]),
    ("grammars", ["pipeline.labels", "pipeline.patterns", "pipeline.citations", "pipeline.regions", "pipeline.inflect",
                  "pipeline.headings", "pipeline.agency", "pipeline.normalize"]),
    ("read", ["pipeline.readers", "pipeline.readers.*"]),
    ("segment", ["pipeline.editorial", "pipeline.segment", "pipeline.context", "pipeline.structure"]),
    ("extract", ["pipeline.extract", "pipeline.extract.*"]),
    ("batch", ["pipeline.run", "pipeline.identity", "pipeline.journal", "pipeline.executors", "pipeline.workers",
               "pipeline.inputs", "pipeline.dask_executor"]),
    ("store", ["pipeline.store_schema", "pipeline.store_tables", "pipeline.store", "pipeline.ingest"]),
    ("review", ["pipeline.review", "pipeline.review.*"]),  # corrections overlay and review app: every registry read above goes through it
    ("compare", ["pipeline.diff_model", "pipeline.diff_clauses", "pipeline.diff", "pipeline.compare", "pipeline.lineage",
                 "pipeline.history"]),
    ("report", ["pipeline.report", "pipeline.report.*"]),
    ("cli", ["pipeline.show", "pipeline.schema", "pipeline.cli", "pipeline.__main__"]),
]
MAX_LINES = 400
# Modules allowed past the cap, and why (one idea each, split would scatter it).
LONG_ALLOWED = {
    "pipeline.inflect": "one grammar: a body's name from any case, with the pymorphy quirks it must work around",
}


def _layer_of(module: str) -> int:
    for i, (_, names) in enumerate(LAYERS):
        for n in names:
            if module == n or (n.endswith(".*") and module.startswith(n[:-1])):
                return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to docs/ARCHITECTURE.md)")


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


def test_every_module_has_a_layer():
    for m in _modules():
        _layer_of(m)


def test_no_module_imports_a_higher_layer():
    graph, _ = _graph()
    upward = [(m, t) for m, targets in graph.items() for t in targets if _layer_of(t) > _layer_of(m)]
    assert upward == [], "a module imports one of a higher layer"


def test_no_private_names_across_modules():
    _, private = _graph()
    assert private == []


def test_modules_are_short():
    mods = _modules()
    long = {m: n for m, f in mods.items()
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES and m not in LONG_ALLOWED}
    assert long == {}, "split these by idea, or list them in LONG_ALLOWED with why"
