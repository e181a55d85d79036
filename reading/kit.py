"""What a blind writer of bank questions is given, and how their files join the bank.

A writer (a helper session) sees only the measures' texts, the texts cut into provisions with their references,
the schema (`eval/bank/SCHEMA.md`), a checker and their own brief: never the code, the lexicon or another
writer's questions. `make_kit` writes that folder; `import_writer` checks a writer's `items-*.jsonl` against the
same rules as `tests/test_bank.py` and writes them into the bank as `<writer>.jsonl`.

    python -m reading kit --out /work/bankkit            texts/, provisions.md, SCHEMA.md, common/validate.py
    python -m reading import /work/bankkit/f34           eval/bank/f34.jsonl
"""
from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

from reading import bank
from reading.bank import BANK, json_lines, problems

# The names the standalone checker needs from reading.bank, written into it as literals.
_CONSTANTS = ("FORMS", "SCOPES", "OUT", "SIDES", "POLARITIES", "MODALS", "MANNERS", "VERDICTS", "UNITS")

_CHECKER_MAIN = '''

def main(folder: str) -> int:
    """Every items-*.jsonl of a writer's folder against the schema; prints what is wrong and a summary."""
    rows, bad = [], []
    for path in sorted(Path(folder).glob("items-*.jsonl")):
        for number, row in json_lines(path):
            if isinstance(row, json.JSONDecodeError):
                bad.append(f"{path.name}:{number}: not JSON ({row})")
                continue
            row.setdefault("writer", "?")
            where = f"{path.name}:{number} {row.get('id', '?')}"
            bad += [f"{where}: {p}" for p in problems(row, KNOWN)]
            if isinstance(row.get("refs"), dict):
                bad += [f"{where}: {r} is a list's lead or an article with items; cite its items"
                        for refs in row["refs"].values() if isinstance(refs, list) for r in refs
                        if r in KNOWN and r not in LEAVES]
            rows.append(row)
    ids = [row.get("id") for row in rows]
    bad += [f"id {i} used twice" for i in sorted({i for i in ids if ids.count(i) > 1}, key=str)]
    turns = {}
    for row in rows:
        if row.get("conversation"):
            turns.setdefault(row["conversation"], []).append(row)
    for conversation, its in turns.items():
        if [row.get("turn") for row in its] != list(range(1, len(its) + 1)):
            bad.append(f"conversation {conversation}: turns are not numbered 1, 2, 3... in order")
        if its[0].get("follows_up"):
            bad.append(f"conversation {conversation}: the first turn cannot follow up")
    for line in bad:
        print(line)
    forms = Counter(row.get("form") for row in rows)
    print(f"{len(rows)} questions, {len(bad)} problems; "
          f"{sum(row.get('lang') == 'en' for row in rows)} in English, {len(turns)} conversations; "
          + ", ".join(f"{k} {v}" for k, v in forms.most_common()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
'''


def checker_source() -> str:
    """A standalone validate.py: the bank's own `problems` with its constants and the provisions' references
    written in, so a writer checks their lines by the rules the bank's test applies, without seeing the code."""
    from corpus.provisions import provisions

    every = provisions()
    known = sorted(str(p.ref) for p in every.all)  # sorted, so the file is the same from run to run
    leaves = sorted(str(p.ref) for p in every.leaves())
    constants = "\n".join(f"{name} = {getattr(bank, name)!r}" for name in _CONSTANTS)
    return (f'"""Checks a writer\'s items-*.jsonl against the question bank\'s schema (SCHEMA.md).\n\n'
            f'    python3 ../common/validate.py .\n"""\n'
            f"import json\nimport sys\nfrom collections import Counter\nfrom pathlib import Path\n\n"
            f"{constants}\nKNOWN = frozenset({known!r})\nLEAVES = frozenset({leaves!r})\n\n\n"
            f"{inspect.getsource(json_lines)}\n\n{inspect.getsource(problems)}{_CHECKER_MAIN}")


def provisions_markdown() -> str:
    """Every measure's provisions that a label may cite, each under its reference, with the lead it is listed
    under, and the articles' full texts grouped by measure."""
    from corpus import load
    from corpus.provisions import provisions

    corpus, every = load(), provisions()
    lines = ["# The measures cut into provisions", "",
             "Cite these references in `refs` (items and paragraphs, not a list's lead). Each provision's text is "
             "as printed; an item shows the lead it is listed under.", ""]
    for key, measure in corpus.measures.items():
        lines += [f"## `{key}`: {measure.title}", ""]
        for p in every.leaves(key):
            lead = f"（{p.lead}）" if p.lead else ""
            lines.append(f"- `{p.ref}` {lead}{p.text}".replace("\n", " "))
        lines.append("")
    return "\n".join(lines)


def make_kit(out: Path) -> Path:
    """Writes the writer's kit into `out` (texts/, provisions.md, SCHEMA.md, common/validate.py); returns it."""
    from corpus import load
    from corpus.catalogue import MEASURES_FILE, data_dir
    from corpus.yaml_data import parse_yaml

    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / "common").mkdir(exist_ok=True)
    meta = parse_yaml((data_dir() / MEASURES_FILE).read_text(encoding="utf-8"))
    for key in load().measures:  # the measures the corpus accepted, each text as published
        shutil.copyfile(data_dir() / meta[key]["text"], out / "texts" / f"{key}.txt")
    (out / "provisions.md").write_text(provisions_markdown(), encoding="utf-8")
    shutil.copyfile(BANK / "SCHEMA.md", out / "SCHEMA.md")
    (out / "common" / "validate.py").write_text(checker_source(), encoding="utf-8")
    return out


def import_writer(folder: Path, bank_folder: Path = BANK) -> Path:
    """A writer's items-*.jsonl (the folder's name is the writer) into `<bank>/<writer>.jsonl`, each line given
    its writer; raises bank.BankError naming the first lines that break the schema, and writes nothing then."""
    from corpus.provisions import provisions

    writer = folder.name
    leaves = {str(p.ref) for p in provisions().leaves()}
    rows, bad = [], []
    for path in sorted(folder.glob("items-*.jsonl")):
        for number, row in json_lines(path):
            if isinstance(row, json.JSONDecodeError):
                bad.append(f"{path.name}:{number}: not JSON ({row})")
                continue
            row = {**row, "writer": writer}
            bad += [f"{path.name}:{number} {row.get('id')}: {p}" for p in problems(row, leaves)]
            rows.append(row)
    if not rows:
        raise bank.BankError(f"{folder}: no items-*.jsonl lines")
    if bad:
        raise bank.BankError("\n".join(bad[:20]))
    target = bank_folder / f"{writer}.jsonl"
    target.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return target
