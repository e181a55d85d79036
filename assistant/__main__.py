"""python -m assistant: ask one question, chat, or answer a batch.

  ask "问题" [--measure KEY] [--json]              KEY: a measure's key in corpus/measures.yaml
  chat [--measure KEY]                           interactive, with history and line editing (/help, /measure KEY,
                                                 /reset, /quit)
  batch < questions.jsonl > answers.jsonl        one {"id", "question"} per line in, one answer per line out
  explain "问题" [--measure M] [--json]           how the question is read and decided: the parsed question, the
                                                 candidate provisions of each measure, the verdict
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from corpus import load
from corpus.cli import guarded


BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def terminal(text: str, stream=sys.stdout) -> str:
    """An answer's Markdown for a terminal: bold where the terminal shows it, plain text in a pipe or file."""
    return BOLD.sub("\033[1m\\1\033[0m" if stream.isatty() else r"\1", text)


def ask(args: argparse.Namespace) -> int:
    from assistant import Session, answer, preload

    question = " ".join(args.question).strip()
    if not question:
        print('ask: no question given; try: python -m assistant ask "辅助人员可以单独送达法律文书吗？"', file=sys.stderr)
        return 2
    preload()  # the index opens first, so the answer's latency_ms is the answer's own
    reply = answer(question, measure=args.measure, session=Session(), mode=args.mode, verdicts=not args.no_verdicts)
    print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2) if args.json else terminal(reply.text))
    return 0


CHAT_HELP = """命令 commands:
  /measure KEY   只看一部办法（{keys}），/measure all 看全部；/measure 显示当前设置
  /reset         开始新对话（后续追问不再接着上文）
  /help          显示本帮助
  /quit          退出（也可按 Ctrl-D）
其他输入都作为问题提问；↑↓ 键翻看本次输入过的问题。"""


def chat(args: argparse.Namespace) -> int:
    from assistant import Session, answer

    try:
        import readline  # noqa: F401  (line editing and ↑/↓ history for input())
    except ImportError:
        pass
    session = Session(measure=args.measure)
    measures = load().measures
    keys = sorted(measures)
    help_text = CHAT_HELP.format(keys="、".join(keys))

    def scope() -> str:
        return measures[session.measure].short_name if session.measure else "全部办法"

    print(f"法规助手 — 当前：{scope()}。输入问题；/help 查看命令。", file=sys.stderr)
    while True:
        try:
            line = input("问> ").strip()
        except EOFError:
            print(file=sys.stderr)
            return 0
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return 130
        if not line:
            continue
        command, _, rest = line.partition(" ")
        if command in ("/quit", "/exit"):
            return 0
        if command in ("/help", "/?"):
            print(help_text, file=sys.stderr)
            continue
        if command == "/reset":
            session = Session(measure=session.measure)
            print("  已开始新对话。", file=sys.stderr)
            continue
        if command == "/measure":
            choice = rest.strip().lower()
            if not choice:
                print(f"  当前：{scope()}", file=sys.stderr)
            elif choice not in keys + ["all"]:
                print(f"  没有“{choice}”；可选：{', '.join(keys)}, all", file=sys.stderr)
            else:
                session.measure = None if choice == "all" else choice
                print(f"  已切换到：{scope()}", file=sys.stderr)
            continue
        if command.startswith("/"):
            print(f"  未知命令 {command}。\n{help_text}", file=sys.stderr)
            continue
        print(terminal(answer(line, session=session).text) + "\n", flush=True)


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
    return guarded(lambda: _run(argv), "assistant")


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
