"""python -m corpus: inspect the measures.

  stats [--json]                  articles per measure
  show REF [--json]               an article or an item, e.g. taixing:9 or taixing:9(4)
  status [--as-of DATE] [--json]  each measure's validity on a day (default: today)
  provisions [--measure M] [--json]
                                  the provision table: whom each article, paragraph and item binds, and how
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from corpus import Ref, UnknownRef, load, to_chinese


def stats(args: argparse.Namespace) -> int:
    corpus = load()
    counts = {key: len(doc.articles) for key, doc in corpus.documents.items()}
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
    else:
        for key, count in counts.items():
            measure = corpus.measures[key]
            items = sum(len(a.items) for a in corpus.documents[key].articles)
            print(f"{key:8} {measure.title}: {count} articles, {items} items")
    return 0


def show(args: argparse.Namespace) -> int:
    corpus = load()
    try:
        ref = Ref.parse(args.ref)
        article = corpus.article(ref)
    except (UnknownRef, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = f"（{to_chinese(ref.item)}）{corpus.text(ref)}" if ref.item else article.text
    if args.json:
        print(json.dumps({"ref": str(ref), "label": corpus.label(ref), "chapter": article.chapter,
                          "text": text, "items": [{"number": i.number, "text": i.text} for i in article.items]
                          if not ref.item else []}, ensure_ascii=False, indent=2))
        return 0
    chapter = f"  〔{article.chapter}〕" if article.chapter and not ref.item else ""
    print(corpus.label(ref) + chapter)
    print(text)
    return 0


def status(args: argparse.Namespace) -> int:
    corpus = load()
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        print(f"error: not a date: {args.as_of!r} (expected YYYY-MM-DD)", file=sys.stderr)
        return 2
    rows = [m.status(as_of) for m in corpus.measures.values()]
    if args.json:
        print(json.dumps([{"measure": s.measure, "as_of": s.as_of.isoformat(), "status": s.state,
                           "in_force": s.in_force.isoformat(), "expires": s.expires.isoformat()} for s in rows]))
    else:
        for s in rows:
            print(f"{s.measure:8} {s.state:13} in force {s.in_force} to {s.expires} (as of {s.as_of})")
    return 0


def provisions_table(args: argparse.Namespace) -> int:
    from corpus.provisions import ProvisionError, provisions

    corpus = load()
    if args.measure and args.measure not in corpus.measures:
        print(f"error: unknown measure {args.measure!r} (known: {', '.join(corpus.measures)})", file=sys.stderr)
        return 2
    try:
        table = provisions()
    except ProvisionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = table.of(args.measure) if args.measure else list(table.all)
    if args.json:
        print(json.dumps([p.to_json() for p in rows], ensure_ascii=False, indent=1))
        return 0
    for p in rows:
        marks = "".join(mark for flag, mark in ((p.catch_all, " 其他"), (p.exceptions, " 但书"), (p.thresholds, " 数值"))
                        if flag)
        links = "".join([f" → {', '.join(map(str, p.refers_to))}" if p.refers_to else "",
                         f" ⚖ {', '.join(map(str, p.sanctioned_by))}" if p.sanctioned_by else ""])
        text = p.text.replace("\n", " ")
        print(f"{str(p.ref):14} {p.subject:10} {p.modality:15}{marks}{links}  {text[:48]}{'…' if len(text) > 48 else ''}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="Inspect the two measures.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("stats", help="articles per measure")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=stats)
    p = commands.add_parser("show", help="print an article or item, e.g. taixing:9 or 'taixing:9(4)'")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=show)
    p = commands.add_parser("status", help="each measure's validity as of a date")
    p.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=status)
    p = commands.add_parser("provisions", help="the provision table (subject, modality, exceptions, links)")
    p.add_argument("--measure", help="one measure's provisions only")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=provisions_table)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
