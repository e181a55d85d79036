"""python -m assistant: ask one question, chat, or answer a batch.

  ask "问题" [--measure hebei|taixing] [--json]
  chat [--measure hebei|taixing]                 interactive, with history (/measure X, /reset, /quit)
  batch < questions.jsonl > answers.jsonl        one {"id", "question"} per line in, one answer per line out
"""
from __future__ import annotations

import argparse
import json
import sys

from corpus import load

MEASURES = sorted(load().measures)


def ask(args: argparse.Namespace) -> int:
    from assistant import Session, answer

    question = " ".join(args.question)
    reply = answer(question, measure=args.measure, session=Session(), mode=args.mode, use_rules=not args.no_rules)
    print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2) if args.json else reply.text)
    return 0


def chat(args: argparse.Namespace) -> int:
    from assistant import Session, answer

    session = Session(measure=args.measure)
    print("法规助手 — 输入问题；/measure hebei|taixing|all 切换办法，/reset 清空对话，/quit 退出。", file=sys.stderr)
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
            if choice not in MEASURES + ["all"]:
                print(f"  可选：{', '.join(MEASURES)}, all", file=sys.stderr)
                continue
            session.measure = None if choice == "all" else choice
            continue
        print(answer(line, session=session).text + "\n")


def batch(args: argparse.Namespace) -> int:
    from assistant import Session, answer
    from assistant.batch import run

    answered, errors = run(sys.stdin.buffer, sys.stdout,
                           lambda q: answer(q, measure=args.measure, session=Session(), mode=args.mode,
                                            use_rules=not args.no_rules))
    print(f"batch: {answered} answered, {errors} malformed lines", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the two measures.")
    commands = parser.add_subparsers(dest="command", required=True)

    def answering(name: str, help_: str, run) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_)
        p.add_argument("--measure", choices=MEASURES, help="answer from this measure only")
        p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid", help=argparse.SUPPRESS)
        p.add_argument("--no-rules", action="store_true", help=argparse.SUPPRESS)
        p.set_defaults(run=run)
        return p

    p = answering("ask", "answer one question", ask)
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="print the batch contract's JSON object")
    answering("chat", "interactive chat with history", chat)
    answering("batch", "JSON lines in on stdin, JSON lines out on stdout", batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
