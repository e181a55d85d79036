"""A gold set measures the corpus it was written for. When the corpus holds more measures than the set was
written on (a city added its own), questions that name no measure are answered over all of them, and the set's
expectations no longer hold. `scoped_corpus` writes a copy of the corpus with only the set's measures, and
`run_scoped` runs the benchmark on it in a child process (the corpus is read once per process), so the figures
stay comparable: `python -m eval run --scoped`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from eval.gold import SEVERAL


def gold_measures(path: str | Path) -> set[str]:
    """The measures a gold file names: in its items' measure fields and in their references."""
    if str(path).startswith("bank:"):
        from reading.bank import load_bank

        return {ref.split(":")[0] for item in load_bank() for refs in item.refs.values() for ref in refs}
    found = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("measure") not in (None, SEVERAL):
            found.add(row["measure"])
        found.update(str(ref).split(":")[0] for ref in (row.get("gold_refs") or []) + (row.get("acceptable_refs") or []))
    return found


def extra_measures(path: str | Path) -> set[str]:
    """Measures of the corpus that the gold set was not written on."""
    from corpus import load

    return set(load().measures) - gold_measures(path)


def scoped_corpus(measures: set[str], folder: Path) -> Path:
    """A copy of the corpus data with only these measures (their texts and entries; the optional data files as
    they are, since entries for absent measures are simply unused)."""
    from corpus.catalogue import MEASURES_FILE, data_dir

    source = data_dir()
    entries = yaml.safe_load((source / MEASURES_FILE).read_text(encoding="utf-8"))
    kept = {key: entry for key, entry in entries.items() if key in measures}
    folder.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name == MEASURES_FILE or item.is_dir():
            continue
        shutil.copy2(item, folder / item.name)
    for entry in kept.values():
        target = folder / entry["text"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / entry["text"], target)
    (folder / MEASURES_FILE).write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def run_scoped(gold: str | Path, folder: Path, args: list[str]) -> subprocess.CompletedProcess:
    """`python -m eval run` on the gold set's own measures, in a child process with its own corpus and index."""
    corpus = scoped_corpus(gold_measures(gold), folder / "corpus")
    env = dict(os.environ, FAGUI_CORPUS_DIR=str(corpus), FAGUI_INDEX_DIR=str(folder / "index"))
    return subprocess.run([sys.executable, "-m", "eval", "run", "--gold", str(gold), *args], env=env,
                          capture_output=True, text=True)


__all__ = ["extra_measures", "gold_measures", "run_scoped", "scoped_corpus"]
