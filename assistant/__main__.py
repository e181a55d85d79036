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


def terminal(text: str, stream=None) -> str:
    """An answer's Markdown for a terminal: bold where the terminal shows it, plain text in a pipe or file."""
    return BOLD.sub("\033[1m\\1\033[0m" if (stream or sys.stdout).isatty() else r"\1", text)


def ask(args: argparse.Namespace) -> int:
    from assistant import Session, answer
    from assistant.resources import reader

    question = " ".join(args.question).strip()
    if not question:
        print('ask: no question given; try: python -m assistant ask "辅助人员可以单独送达法律文书吗？"', file=sys.stderr)
        return 2
    reader()  # the index and the reading open first, so the answer's latency_ms is (mostly) the answer's own
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
    """How a question is read and decided: the learned reading (each field with its probability, the top provisions
    of each measure and its silence, the nearest training situations), what the parse takes from it, the verdict
    of each measure, the readings weighed, and the answer's confidence."""
    from assistant import article_index
    from assistant.confidence import EVIDENCE, weigh
    from assistant.query import YESNO, parse
    from assistant.verdict import decide

    question = " ".join(args.question)
    q = parse(question, preferred=args.measure)
    r = q.reading
    index = article_index()

    def rounded(pairs):
        return {k: round(v, 3) for k, v in pairs}

    shown = {"reading": {"form": rounded(r.form.pairs[:3]), "scope": rounded(r.scope.pairs[:3]),
                         "side": rounded(r.side.pairs[:3]), "modal": rounded(r.modal.pairs),
                         "manner": rounded(r.manner.pairs), "against": rounded(r.against.items()),
                         "follows_up": round(r.follows_up, 3),
                         "provisions": {m: {"silent": round(r.silent[m], 3), "top": rounded(r.provisions[m][:4])}
                                        for m in r.provisions},
                         "nearest_situations": rounded(r.neighbours[:3])},
             "query": {"form": q.form, "lang": q.lang, "measures": list(q.measures), "side": q.side,
                       "modality": q.modality, "must": q.must, "asks_status": q.asks_status, "against": q.against,
                       "against_ban": q.against_ban, "quantity": None if q.quantity is None else vars(q.quantity),
                       "place": q.place, "elsewhere": q.elsewhere, "topic": q.topic}}
    if q.form == YESNO:
        decision = decide(index, q)
        judged = weigh(index, q, decision)
        shown["verdict"] = {"leaning": judged.leaning, "confidence": round(judged.confidence, 3),
                            "committed": judged.committed,
                            "weighed": {a.verdict: round(a.probability, 3) for a in judged.alternatives},
                            "evidence": {n: round(float(v), 3) for n, v in zip(EVIDENCE, judged.evidence)},
                            "findings": [{"measure": f.measure, "verdict": f.verdict,
                                          "provision": str(f.provision.ref) if f.provision else None,
                                          "norm": f.norm.modality if f.norm else None, "exception": f.exception}
                                         for f in judged.shown.findings]}
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    reading = shown["reading"]
    for key in ("form", "scope", "side", "modal", "manner", "against"):
        print(f"{key:10} " + "  ".join(f"{k} {v:.2f}" for k, v in reading[key].items()))
    print(f"{'follows up':10} {reading['follows_up']:.2f}")
    for key, row in reading["provisions"].items():
        print(f"{key}: silent {row['silent']:.2f}; " + "  ".join(f"{ref} {p:.2f}" for ref, p in row["top"].items()))
    print("nearest   " + "  ".join(f"{k} ({v:.3f})" for k, v in reading["nearest_situations"].items()))
    print("query     " + ", ".join(f"{k}={v}" for k, v in shown["query"].items() if k != "topic"))
    if "verdict" in shown:
        v = shown["verdict"]
        print(f"verdict   leans {v['leaning']}, confidence {v['confidence']:.2f}, "
              f"{'commits' if v['committed'] else 'does not commit (需要核实)'}")
        print("weighed   " + "  ".join(f"{k} {p:.2f}" for k, p in v["weighed"].items()))
        for f in v["findings"]:
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
    p = commands.add_parser("explain", help="how a question is read and decided: the learned reading with its "
                                            "probabilities, the provisions per measure, the verdict, the confidence")
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
