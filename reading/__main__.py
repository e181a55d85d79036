"""The learned reading's command line.

    python -m reading train [--bank DIR] [--out DIR]     fit the reader on the bank's train part and save it
    python -m reading assess [--part calibration]        the saved reader's accuracy on a part of the bank
    python -m reading agreement                           a second writer's blind labels against the bank's
    python -m reading kit --out DIR                       what a blind writer is given (reading/kit.py)
    python -m reading import DIR/<writer>                 a writer's items-*.jsonl into eval/bank/<writer>.jsonl
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.cli import guarded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reading", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="fit the reader on the bank's train part and save it")
    train.add_argument("--bank", type=Path, default=None, help="the bank folder (default eval/bank)")
    train.add_argument("--out", type=Path, default=None,
                       help="where to save it (default: reading/model/<encoder>, the reader shipped with the code)")
    assess = sub.add_parser("assess", help="the saved reader's accuracy on a part of the bank")
    assess.add_argument("--part", default="calibration")
    assess.add_argument("--bank", type=Path, default=None)
    assess.add_argument("--reader", type=Path, default=None, help="the reader's folder (default: beside the index)")
    sub.add_parser("agreement", help="how far a second writer's blind labels agree with the bank's")
    kit = sub.add_parser("kit", help="write what a blind writer is given: texts, provisions, schema, checker")
    kit.add_argument("--out", type=Path, required=True)
    take = sub.add_parser("import", help="a writer's checked items-*.jsonl into the bank")
    take.add_argument("folders", type=Path, nargs="+", help="each writer's folder, named by the writer")
    args = parser.parse_args(argv)
    if args.command == "train":
        from index import offline  # noqa: F401  (no downloads)
        from assistant.resources import article_index
        from reading.bank import BANK
        from reading.runtime import shipped_folder
        from reading.train import train as fit

        index = article_index()
        fit(index, args.out or shipped_folder(index), args.bank or BANK)
    elif args.command == "assess":
        import json

        from index import offline  # noqa: F401
        from assistant.resources import article_index
        from reading.bank import BANK, load_bank
        from reading.runtime import reader_for
        from reading.train import assess as run

        index = article_index()
        report = run(index, args.reader or reader_for(index).folder, load_bank(args.part, args.bank or BANK))
        print(json.dumps(report, indent=1))
    elif args.command == "agreement":
        from reading.agreement import report

        print(report())
    elif args.command == "kit":
        from reading.kit import make_kit

        print(make_kit(args.out))
    elif args.command == "import":
        from reading.bank import BankError
        from reading.kit import import_writer

        for folder in args.folders:
            try:
                print(import_writer(folder))
            except (BankError, OSError, ValueError) as error:
                print(f"python -m reading import: {folder}: not imported:\n{error}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(guarded(main, "reading"))
