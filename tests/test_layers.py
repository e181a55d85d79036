"""How the project's modules depend on each other: data flows one way (corpus → index → reading → assistant →
app/eval), so no module imports, even inside a function, one that imports it back."""
from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("corpus", "index", "reading", "assistant", "records", "eval", "web", "bench")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).glob("*.py"):
            found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules a file imports anywhere in it (`from pkg import module` is an edge to the module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & known.keys()
            out |= subs
            if node.module in known and len(subs) < len(node.names):
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names} & known.keys()
    return out


def test_no_module_imports_one_that_imports_it_back():
    known = modules()
    assert {"assistant.query", "assistant.scope", "assistant.pipeline", "index.search"} <= known.keys()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    assert "assistant.validity" in graph["assistant.query"]  # the walk sees real imports
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"an import cycle: {' → '.join(error.args[1])}") from None


def test_a_cold_answer_loads_only_what_answering_uses():
    """A question in a fresh process loads the stored index and reading, not the libraries only the build uses:
    llama-index (build, adapters, baseline), bm25s (build), onnx (the graph, kept by the first use), jieba's
    tagger, scikit-learn and scipy (training; answering multiplies the reading's sparse rows in numpy)."""
    import subprocess
    import sys

    unused = ("llama_index.core", "bm25s", "onnx", "jieba.posseg", "sklearn", "scipy", "torch", "gradio")
    code = ("import sys; from assistant import answer; "
            "a = answer('辅助人员可以单独送达法律文书吗？'); b = answer('岗前培训时间不少于几个工作日？'); "
            f"print(a.leaning, bool(b.citations), [m for m in {unused!r} if m in sys.modules])")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True)  # a first start may build
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["conditional", "True", "[]"], out
