"""python -m assistant: ask one question, chat, or answer a batch.

  ask "问题" [--measure hebei|taixing] [--json]
  chat [--measure hebei|taixing]                 interactive, with history (/measure X, /reset, /quit)
  batch < questions.jsonl > answers.jsonl        one {"id", "question"} per line in, one answer per line out
  rules [--check] [--coverage] ["问题" [--measure M]]
                                                 validate the duty rules against the corpus (exit 1 on a bad
                                                 quote), list the articles and items they cite, or judge a question
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


def run_rules(args: argparse.Namespace) -> int:
    if not (args.check or args.coverage or args.question):
        args.check = True
    status = 0
    if args.check:
        status = max(status, rules_check(args.json))
    if args.coverage:
        status = max(status, rules_coverage(args.json))
    if args.question:
        status = max(status, rules_question(args.question, args.measure, args.json))
    return status


def rules_check(as_json: bool) -> int:
    from assistant.rules import read_rules_data, validate

    try:
        rules, problems = validate(read_rules_data())
    except Exception as error:  # an unreadable file is a failed check, not a traceback
        print(f"rules: cannot read the rules file: {error}", file=sys.stderr)
        return 1
    activities, citations = len(rules.activities), len(rules.citations)
    if as_json:
        print(json.dumps({"activities": activities, "citations": citations, "problems": problems},
                         ensure_ascii=False))
    else:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{activities} activities, {citations} citations: "
              + ("all references exist and all quotes are verbatim" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def rules_coverage(as_json: bool) -> int:
    from assistant.rules import coverage

    covered = coverage()
    if as_json:
        print(json.dumps({str(ref): ok for ref, ok in covered.items()}, ensure_ascii=False))
        return 0
    corpus = load()
    for key in corpus.measures:
        articles = [ref for ref in covered if ref.measure == key and ref.item is None]
        done = [ref for ref in articles if covered[ref]]
        print(f"{key}: {len(done)} of {len(articles)} articles cited")
        for ref in articles:
            items = [r for r in covered if r.article_ref == ref and r.item is not None]
            line = f"  {'✓' if covered[ref] else '·'} {str(ref):12}"
            if items:
                yes = [str(r.item) for r in items if covered[r]]
                no = [str(r.item) for r in items if not covered[r]]
                line += f" items cited: {','.join(yes) or '-'}" + (f"; not cited: {','.join(no)}" if no else "")
            print(line)
    return 0


def rules_question(question: str, measure: str | None, as_json: bool) -> int:
    from assistant.language import detect_lang
    from assistant.rules import classify, judge

    duty = classify(question, measure=measure)
    if duty is None:
        print("not a duty question the rules are confident about (the assistant would use retrieval)")
        return 0
    verdict = judge(duty)
    if as_json:
        print(json.dumps({"activity": verdict.activity.id, "modality": duty.modality, "measure": duty.measure,
                          "negated": duty.negated, "agency_side": duty.agency_side, "verdict": verdict.verdict,
                          "findings": {f.measure: f.verdict for f in verdict.findings},
                          "citations": [c.to_json() for c in verdict.citations]}, ensure_ascii=False, indent=2))
    else:
        print(f"[{verdict.activity.id} · {duty.modality} · {duty.measure or 'both'}"
              f"{' · negated' if duty.negated else ''}{' · agency' if duty.agency_side else ''}]")
        print(verdict.text(detect_lang(question)))
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
    p = commands.add_parser("rules", help="the duty rules: --check, --coverage, or judge a question")
    p.add_argument("question", nargs="?", help="a question to classify and judge")
    p.add_argument("--check", action="store_true", help="validate rules.yaml against the corpus")
    p.add_argument("--coverage", action="store_true", help="list the articles and items cited, and not")
    p.add_argument("--measure", choices=MEASURES, help="the measure to answer for")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_rules)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
