"""The benchmark's command line.

    python -m eval run [--gold FILE] [--report DIR] [--mode hybrid|dense|bm25] [--no-verdicts] [--json] [--baselines]
                       [--scoped | --measure KEY]
    python -m eval compare A/metrics.json B/metrics.json [--changed]
    python -m eval retrieval [--gold FILE]
    python -m eval harvest [--since YYYY-MM-DD] > candidates.jsonl     reviewed feedback in the gold schema
    python -m eval calibrate [--target 0.010]     fit the confidence on the bank's calibration part
    python -m eval handwritten [--root DIR]       the bytes of patterns and data written by hand to read questions

`run` exits 1 when a threshold (eval/thresholds.py) fails and 2 when the assistant cannot be loaded.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from corpus.cli import guarded
from eval.calibrate import TARGET
from eval.gold import DEFAULT


def _run(args) -> int:
    from eval.report import beats_all, summary, to_json, write_report
    from eval.run import BASELINES, config_for, default_answer, default_search, run_benchmark
    from eval.scoped import extra_measures, run_scoped

    if args.scoped:
        extra = extra_measures(args.gold)
        if extra:
            name = hashlib.sha256(str(Path(args.gold).resolve()).encode()).hexdigest()[:12]
            folder = Path(tempfile.gettempdir()) / f"fagui-scoped-{name}"
            print(f"eval: leaving out {', '.join(sorted(extra))}, which the gold set was not written on "
                  f"(corpus and index in {folder})", file=sys.stderr)
            done = run_scoped(args.gold, folder, [a for a in args.argv if a not in ("run", "--scoped")])
            print(done.stdout, end="")
            print(done.stderr, end="", file=sys.stderr)
            return done.returncode

    if args.measure is not None:
        from corpus import load

        if args.measure not in load().measures:
            print(f"eval: unknown measure {args.measure!r}: use one of {', '.join(load().measures)}", file=sys.stderr)
            return 2
    from eval.gold import load_gold

    try:  # a set that cannot be read is said before the assistant loads
        items = load_gold(args.gold)
    except (OSError, ValueError) as error:
        print(f"eval: cannot read the question set: {error}", file=sys.stderr)
        return 2
    main = config_for(args.mode, not args.no_verdicts)
    configs = [main] + ([c for c in BASELINES if c != main] if args.baselines else [])
    try:
        answer_fn, search_fn = default_answer(args.measure), default_search(args.measure)
    except Exception as exc:  # noqa: BLE001 - a half-built assistant: say so plainly
        print(f"eval: cannot load the assistant: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    bench = run_benchmark(args.gold, configs, answer_fn, search_fn, progress=not args.no_progress, items=items)
    if args.report:
        report = write_report(bench, args.report)
        print(f"eval: wrote {report} and metrics.json, items.jsonl, items.csv, charts in {report.parent}",
              file=sys.stderr)
    if args.json:
        print(json.dumps(to_json(bench), ensure_ascii=False, indent=2))
    else:
        print(summary(bench))
    if len(bench.runs) > 1:
        print(f"eval: default ({main.name}) beats every baseline: {'yes' if beats_all(bench) else 'NO'}",
              file=sys.stderr)
    for c in bench.checks:
        if not c.passed:
            print(f"eval: FAIL {c.threshold} (got {c.value})", file=sys.stderr)
    return 0 if bench.passed else 1


def _compare(args) -> int:
    from eval.compare import main

    print(main(args.a, args.b, args.changed))
    return 0


def _calibrate(args) -> int:
    from eval.calibrate import main

    return main(args.target)


def _handwritten(args) -> int:
    from eval.handwritten import inventory, table

    print(table(inventory(args.root)))
    return 0


def _retrieval(args) -> int:
    from eval.retrieval import evaluate, table

    print(table(evaluate(args.gold)))
    return 0


def _harvest(args) -> int:
    from datetime import datetime, timezone

    from eval.harvest import harvest, write

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=timezone.utc)
        except ValueError:
            print(f"eval: --since wants YYYY-MM-DD, not {args.since!r}", file=sys.stderr)
            return 2
    try:
        items = harvest(since)
    except RuntimeError as error:
        print(f"eval: {error}", file=sys.stderr)
        return 2
    write(items, sys.stdout)
    print(f"eval: {len(items)} reviewed items in the gold schema", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m eval", description="Benchmark the assistant on the gold set.")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the gold set through the assistant and score it")
    run.add_argument("--gold", default=DEFAULT, help="gold file (JSON lines, eval/gold.py schema), or bank:PART for a "
                     "part of the question bank (train, calibration, held_out)")
    run.add_argument("--report", metavar="DIR",
                     help="write report.md, metrics.json, items.jsonl, items.csv and charts here")
    run.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid", help="retrieval mode")
    run.add_argument("--no-verdicts", action="store_true",
                     help="answer yes/no questions by retrieval alone, without the provision model's verdicts")
    run.add_argument("--json", action="store_true", help="print metrics.json instead of the tables")
    run.add_argument("--baselines", action="store_true",
                     help="also run bm25-only, dense-only and hybrid-no-verdicts and compare")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--scoped", action="store_true",
                     help="when the corpus holds measures the gold set was not written on, run on a copy without them")
    run.add_argument("--measure", metavar="KEY", help="answer as the app does with this measure chosen (a city's own "
                     "measure added beside the shipped ones)")
    run.set_defaults(func=_run)

    cmp = sub.add_parser("compare", help="per-metric deltas between two metrics.json files (B − A)")
    cmp.add_argument("a")
    cmp.add_argument("b")
    cmp.add_argument("--changed", action="store_true", help="only the metrics that changed")
    cmp.set_defaults(func=_compare)

    har = sub.add_parser("harvest", help="reviewed feedback as candidate gold items (JSON lines on stdout)")
    har.add_argument("--since", help="only items reviewed on or after YYYY-MM-DD")
    har.set_defaults(func=_harvest)

    cal = sub.add_parser("calibrate", help="fit the answers' confidence on the bank's calibration part")
    cal.add_argument("--target", type=float, default=TARGET,
                     help="the share of yes/no questions allowed to be confidently wrong on the calibration part")
    cal.set_defaults(func=_calibrate)
    ret = sub.add_parser("retrieval", help="the retrieval-only table of eval/retrieval.py")
    ret.add_argument("--gold", default=DEFAULT)
    ret.set_defaults(func=_retrieval)
    hand = sub.add_parser("handwritten", help="the bytes of patterns and data written by hand to read questions")
    hand.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                      help="the checkout to measure (default: this one)")
    hand.set_defaults(func=_handwritten)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(argv)
    args.argv = argv
    return guarded(lambda: args.func(args), "eval")


if __name__ == "__main__":
    sys.exit(main())
