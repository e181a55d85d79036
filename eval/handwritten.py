"""What people wrote by hand to read questions, in bytes: the regular expressions in the answering code and the
data files of phrasings, words and topics. The learned reading is meant to make it shrink; this measures it, for
this checkout or another (`--root`), so a change can report its before and after.

    python -m eval handwritten [--root DIR]

A pattern's bytes are those of the string literals that build it, with the module-level strings it names (each
counted once per module). The measures' metadata and the provision model's overrides (measures.yaml,
provisions.yaml) are the law's data, not a reading, and are not counted.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("assistant", "corpus", "reading", "index")  # what answering runs; the app and the benchmark only show it
DATA = ("corpus/data/lexicon.yaml", "corpus/data/examples.yaml", "corpus/data/enrichment.yaml",
        "assistant/scope.yaml", "assistant/topics.yaml")
REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


@dataclass(frozen=True)
class Count:
    """One file's hand-written reading: how many patterns (0 for a data file) and their bytes."""

    path: str
    patterns: int
    bytes: int


def _strings(node: ast.AST, named: dict[str, ast.AST], seen: set[str]) -> int:
    """UTF-8 bytes of the string literals in an expression, following names of module-level strings once."""
    total = 0
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            total += len(part.value.encode())
        elif isinstance(part, ast.Name) and part.id in named and part.id not in seen:
            seen.add(part.id)
            total += _strings(named[part.id], named, seen)
    return total


def patterns_in(source: str) -> tuple[int, int]:
    """(patterns, bytes) of the regular expressions a module builds from literals: `re.compile(...)` and the
    module-level `re.search(...)`-style calls given a literal pattern."""
    tree = ast.parse(source)
    named = {target.id: statement.value for statement in tree.body if isinstance(statement, ast.Assign)
             for target in statement.targets if isinstance(target, ast.Name)}
    seen: set[str] = set()
    count = size = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" \
                and node.func.attr in REGEX_CALLS:
            literal = any(isinstance(part, ast.Constant) and isinstance(part.value, str)
                          or isinstance(part, ast.Name) and part.id in named for part in ast.walk(node.args[0]))
            count += literal
            size += _strings(node.args[0], named, seen)
    return count, size


def inventory(root: Path) -> list[Count]:
    """Every answering module that builds patterns, and every hand-written data file, under a checkout."""
    counts = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            patterns, size = patterns_in(path.read_text(encoding="utf-8"))
            if patterns:
                counts.append(Count(path.relative_to(root).as_posix(), patterns, size))
    for name in DATA:
        path = root / name
        if path.is_file():
            counts.append(Count(name, 0, path.stat().st_size))
    return counts


def table(counts: list[Count]) -> str:
    rows = ["| file | patterns | bytes |", "|---|---:|---:|"]
    rows += [f"| {c.path} | {c.patterns or ''} | {c.bytes:,} |" for c in counts]
    code = [c for c in counts if c.patterns]
    rows.append(f"| **patterns in code** | {sum(c.patterns for c in code)} | {sum(c.bytes for c in code):,} |")
    rows.append(f"| **data files** | | {sum(c.bytes for c in counts if not c.patterns):,} |")
    rows.append(f"| **all** | | {sum(c.bytes for c in counts):,} |")
    return "\n".join(rows)


__all__ = ["Count", "inventory", "patterns_in", "table"]
