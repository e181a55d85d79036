"""python -m assistant: ask one question, chat, or answer a batch.

  ask "问题" [--measure KEY] [--json]              KEY: a measure's key in corpus/measures.yaml
  chat [--measure KEY]                           interactive, with history (/measure KEY, /reset, /quit)
  batch < questions.jsonl > answers.jsonl        one {"id", "question"} per line in, one answer per line out
  explain "问题" [--measure M] [--json]           how the question is read and decided: the parsed question, the
                                                 candidate provisions of each measure, the verdict
"""
from __future__ import annotations

import argparse
import json
import sys

from corpus import CorpusError, load


def ask(args: argparse.Namespace) -> int:
    from assistant import Session, answer

    question = " ".join(args.question)
    reply = answer(question, measure=args.measure, session=Session(), mode=args.mode, verdicts=not args.no_verdicts)
    print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2) if args.json else reply.text)
    return 0


def chat(args: argparse.Namespace) -> int:
    from assistant import Session, answer

    session = Session(measure=args.measure)
    keys = sorted(load().measures)
    print(f"法规助手 — 输入问题；/measure {'|'.join(keys)}|all 切换办法，/reset 清空对话，/quit 退出。", file=sys.stderr)
    while True:
        try:
            line = input("问> ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return 0
        command, _, rest = line.strip().partition(" ")
        if command in ("/quit", "/exit"):
            return 0
        if command == "/reset":
            session = Session(measure=session.measure)
            continue
        if command == "/measure":
            choice = rest.strip().lower()
            if choice not in keys + ["all"]:
                print(f"  可选：{', '.join(keys)}, all", file=sys.stderr)
                continue
            session.measure = None if choice == "all" else choice
            continue
        print(answer(line, session=session).text + "\n")


def batch(args: argparse.Namespace) -> int:
    from assistant import Session, answer
    from assistant.batch import run

    answered, errors = run(sys.stdin.buffer, sys.stdout,
                           lambda q: answer(q, measure=args.measure, session=Session(), mode=args.mode,
                                            verdicts=not args.no_verdicts))
    print(f"batch: {answered} answered, {errors} lines with an error", file=sys.stderr)
    return 0


def explain(args: argparse.Namespace) -> int:
    """How a question is read and decided: the parsed Query, each measure's candidate provisions with the share
    of the act they hold, and for a yes/no question the verdict of each measure."""
    from assistant import article_index
    from assistant.match import candidates
    from assistant.query import YESNO, parse
    from assistant.verdict import decide

    question = " ".join(args.question)
    q = parse(question, preferred=args.measure)
    index = article_index()
    keys = list(q.measures) or list(load().measures)
    shown = {"form": q.form, "lang": q.lang, "measures": list(q.measures), "side": q.side, "modality": q.modality,
             "must": q.must, "negated": q.negated, "ordered": q.ordered, "act": q.act,
             "quantity": None if q.quantity is None else vars(q.quantity), "bound": q.bound}
    shown["candidates"] = {key: [{"ref": c.ref, "modality": c.provision.modality, "subject": c.provision.subject,
                                  "score": round(c.score, 3), "coverage": round(c.coverage, 3)}
                                 for c in candidates(index, q, key, k=5)] for key in keys}
    if q.form == YESNO:
        decision = decide(index, q)
        shown["verdict"] = decision.verdict
        shown["findings"] = [{"measure": f.measure, "verdict": f.verdict,
                              "provision": str(f.provision.ref) if f.provision else None,
                              "norm": f.norm.modality if f.norm else None, "exception": f.exception}
                             for f in decision.findings]
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    for key in ("form", "lang", "measures", "side", "modality", "must", "negated", "ordered", "act", "quantity", "bound"):
        print(f"{key:9} {shown[key]}")
    for key, rows in shown["candidates"].items():
        print(f"{key}:")
        for row in rows:
            print(f"  {row['ref']:14} {row['modality']:15} {row['subject']:10} score {row['score']:.3f}  "
                  f"holds {row['coverage']:.2f} of the act")
    if "verdict" in shown:
        print(f"verdict   {shown['verdict']}")
        for f in shown["findings"]:
            print(f"  {f['measure']}: {f['verdict']} ({f['provision'] or 'silent'}{', ' + f['norm'] if f['norm'] else ''})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    measures = sorted(load().measures)
    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description=f"Ask the measures in the corpus ({', '.join(measures)}).")
    commands = parser.add_subparsers(dest="command", required=True)

    def answering(name: str, help_: str, run) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_)
        p.add_argument("--measure", choices=measures, help="answer from this measure only")
        p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid", help=argparse.SUPPRESS)
        p.add_argument("--no-verdicts", action="store_true", help=argparse.SUPPRESS)
        p.set_defaults(run=run)
        return p

    p = answering("ask", "answer one question", ask)
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="print the batch contract's JSON object")
    answering("chat", "interactive chat with history", chat)
    answering("batch", "JSON lines in on stdin, JSON lines out on stdout", batch)
    p = commands.add_parser("explain", help="how a question is read and decided: the parsed question, the "
                                            "candidate provisions per measure, the verdict")
    p.add_argument("question", nargs="+")
    p.add_argument("--measure", choices=measures, help="the measure chosen outside the question")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
