"""python -m corpus: inspect the measures, and add one.

  stats [--json]                  articles per measure
  show REF [--json]               an article, paragraph or item: taixing:9, 'taixing:9(4)', 泰兴第九条第（四）项
  status [--as-of DATE] [--json]  each measure's validity on a day (default: today)
  provisions [--measure M] [--json]
                                  the provision table: whom each article, paragraph and item binds, and how
  add FILE --key KEY --title T --short-name N --jurisdiction P --issuer I --level L --issued D --in-force D
      [--term-years N] [--aliases A,B,C] [--english-name N] [--english-short-name N] [--dry-run]
                                  check and parse a measure's text, show the parse, and add it to the corpus data
  lint                            check every measure: metadata, texts, terms, provisions, data that cites them

Every error is one line naming what is wrong (an entry, a field, a line of a text), with exit status 2 (1 for
lint's findings).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

from corpus.cli import guarded
from corpus.catalogue import (MEASURES_FILE, Corpus, CorpusError, UnknownRef, data_dir, find_ref, load,
                              read_measure, read_measures, read_text)
from corpus.numerals import parse_number, to_chinese
from corpus.parse import Document, ParseError, parse
from corpus import places


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
        ref = find_ref(args.ref, corpus)
        article = corpus.article(ref)
    except (UnknownRef, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = f"（{to_chinese(ref.item)}）{corpus.text(ref)}" if ref.item else corpus.text(ref)
    if args.json:
        print(json.dumps({"ref": str(ref), "label": corpus.label(ref), "chapter": article.chapter,
                          "text": text, "items": [{"number": i.number, "text": i.text} for i in article.items]
                          if not (ref.item or ref.paragraph) else []}, ensure_ascii=False, indent=2))
        return 0
    chapter = f"  〔{article.chapter}〕" if article.chapter and not ref.item else ""
    print(corpus.label(ref) + chapter)
    print(text)
    return 0


STATE_WORDS = {"in_force": "in force", "not_in_force": "not yet in force", "expired": "expired"}


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
                           "in_force": s.in_force.isoformat(), "expires": s.expires.isoformat() if s.expires else None}
                          for s in rows]))
        return 0
    for s in rows:
        until = f"until {s.expires}" if s.expires else "no fixed term"
        print(f"{s.measure:8} {STATE_WORDS[s.state]} on {s.as_of}: took effect {s.in_force}, {until}")
    return 0


WIDTH = 100  # columns a line of the provision table fits in
MARKS = (("其他", "a catch-all item (其他…)"), ("但书", "an exception (但…除外)"),
         ("数值", "a threshold (an age, a number of days, a schooling)"),
         ("→", "the provisions it refers to"), ("⚖", "the provisions that sanction it"))
COLUMNS = (("ref", 14), ("subject", 11), ("modality", 15), ("marks", 14))  # names and widths, spaces included


def columns(text: str) -> int:
    """How many terminal columns a text takes: a Chinese character two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """The text cut to at most `width` columns, with … where it was cut."""
    if columns(text) <= width:
        return text
    while columns(text) > width - 1:
        text = text[:-1]
    return text + "…"


def pad(text: str, width: int) -> str:
    return text + " " * max(1, width - columns(text))


def wrap(text: str, indent: str = "  ") -> list[str]:
    """The text in lines of at most WIDTH columns, broken at spaces; the lines after the first indented."""
    lines = [""]
    for word in text.split(" "):
        if lines[-1].strip() and columns(lines[-1]) + 1 + columns(word) > WIDTH:
            lines.append(indent)
        lines[-1] += ("" if not lines[-1].strip() else " ") + word
    return lines


def provisions_table(args: argparse.Namespace) -> int:
    from corpus.provisions import MODALITIES, SUBJECTS, ProvisionError, provisions

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
    legend = [
        f"{len(rows)} provisions: a row per article (taixing:9), paragraph (taixing:28.2), item (taixing:9(4)) and "
        "sub-item.",
        f"subject: whom it binds ({', '.join(SUBJECTS)}).",
        f"modality: how it binds ({', '.join(MODALITIES)}).",
        "marks: " + "; ".join(f"{mark} {meaning}" for mark, meaning in MARKS) + "; a reference within the row's own "
        "measure is its number alone (⚖ 28.1 in a taixing row is taixing:28.1).",
        f"The text is cut to fit {WIDTH} columns; --json gives every field in full.",
    ]
    for line in legend:
        print("\n".join(wrap(line)))
    print()
    print("".join(pad(name, width) for name, width in COLUMNS) + "text")
    for p in rows:
        def near(refs) -> str:
            return ", ".join(str(r).split(":", 1)[1] if r.measure == p.ref.measure else str(r) for r in refs)

        marks = [mark for flag, mark in ((p.catch_all, "其他"), (p.exceptions, "但书"), (p.thresholds, "数值")) if flag]
        marks += [f"→ {near(p.refers_to)}"] if p.refers_to else []
        marks += [f"⚖ {near(p.sanctioned_by)}"] if p.sanctioned_by else []
        line = "".join(pad(value, width) for value, (_, width) in
                       zip((str(p.ref), p.subject, p.modality, " ".join(marks)), COLUMNS))
        print(line + fit(p.text.replace("\n", " "), WIDTH - columns(line)))
    return 0


# --- adding a measure -------------------------------------------------------------------------------------------

TERM_SENTENCE = re.compile(r"本办法自[^。]{1,20}起(?:施行|试行)[^。]*")
TERM_YEARS = re.compile(r"(?:有效期|暂定期限|试行期)(?:为)?([一二三四五六七八九十两\d]+)年")


def find_term(key: str, document: Document, years: int | None) -> tuple[dict, str]:
    """The term as measures.yaml records it, read off the last articles ("本办法自…起施行，有效期5年。"), and
    how it was found."""
    for article in reversed(document.articles[-3:]):
        match = TERM_SENTENCE.search(article.text)
        if match:
            clause = match.group(0)
            stated = TERM_YEARS.search(clause)
            found = int(parse_number(stated.group(1))) if stated else None
            if years is not None and found is not None and years != found:
                raise CorpusError(f"--term-years {years} but 第{article.number_as_printed}条 says {found} years")
            term = {"years": years or found, "trial": "试行" in clause, "ref": str(article.ref), "clause": clause}
            return term, f"第{article.number_as_printed}条: {clause}"
    return ({"years": years} if years else {}), "no article states when the measure takes effect"


def describe(key: str, document: Document) -> list[str]:
    """What the parser made of a text: counts, chapters and sections, notice and footer, and what it could not
    place, and the provisions' modalities."""
    from corpus.provisions import derive

    articles = document.articles
    items = sum(len(a.items) for a in articles)
    subitems = sum(len(i.subitems) for a in articles for i in a.items)
    paragraphs = sum(len(a.paragraphs) for a in articles)
    lines = [f"{len(articles)} articles (第{articles[0].number_as_printed}条 to 第{articles[-1].number_as_printed}条), "
             f"{paragraphs} paragraphs, {items} items, {subitems} sub-items"]
    chapters = document.chapters
    sections = list(dict.fromkeys(f"{a.chapter} / {a.section}" for a in articles if a.section))
    lines.append(f"chapters: {'; '.join(chapters) if chapters else 'none'}")
    if sections:
        lines.append(f"sections: {'; '.join(sections)}")
    if document.preamble:
        lines.append(f"before the articles (kept apart): {document.preamble.splitlines()[0][:60]}… "
                     f"({len(document.preamble.splitlines())} lines)")
    if document.footer:
        lines.append(f"after the articles (kept apart): {document.footer.splitlines()[0][:60]}…")
    lines += [f"could not place: {u}" for u in document.unplaced]
    corpus = Corpus({}, {key: document}, "")
    rows = derive(corpus, key)
    counts = Counter(p.modality for p in rows if p.leaf)
    lines.append("provisions: " + ", ".join(f"{m} {n}" for m, n in counts.most_common()))
    return lines


def yaml_entry(key: str, meta: dict) -> str:
    """The entry as measures.yaml writes it, appended as text so the file's comments stay."""
    out = [f"{key}:"]
    for field in ("title", "short_name", "english_name", "english_short_name", "issuer", "jurisdiction", "level"):
        if meta.get(field):
            out.append(f"  {field}: {json.dumps(meta[field], ensure_ascii=False)}")
    if meta.get("aliases"):
        out.append(f"  aliases: [{', '.join(json.dumps(a, ensure_ascii=False) for a in meta['aliases'])}]")
    out += [f"  issued: {meta['issued']}", f"  in_force: {meta['in_force']}"]
    term = meta.get("term") or {}
    if term:
        out.append("  term:")
        for field in ("years", "trial", "ref", "clause"):
            if field in term:
                value = term[field]
                out.append(f"    {field}: {json.dumps(value, ensure_ascii=False) if value is not None else 'null'}")
    out.append(f"  text: {meta['text']}")
    return "\n".join(out) + "\n"


def add(args: argparse.Namespace) -> int:
    folder = data_dir()
    source = Path(args.file)
    try:
        measures, _, _, problems = read_measures(folder)
        if problems:
            raise CorpusError("fix the corpus first: " + problems[0])
        if args.key in measures:
            raise CorpusError(f"{args.key!r} is already a measure (see {MEASURES_FILE})")
        raw = read_text(source, str(source))
        document = parse(args.key, raw)
        if not document.articles:
            raise CorpusError(f"{source}: no article found (an article starts a line with 第一条, 第二条…)")
        term, how = find_term(args.key, document, args.term_years)
        aliases = [a.strip() for a in re.split(r"[,，、]", args.aliases or "") if a.strip()]
        meta = {"title": args.title, "short_name": args.short_name, "english_name": args.english_name,
                "english_short_name": args.english_short_name, "issuer": args.issuer,
                "jurisdiction": args.jurisdiction, "level": args.level, "aliases": aliases,
                "issued": args.issued, "in_force": args.in_force, "term": term or None,
                "text": f"texts/{args.key}.txt"}
        problems = []
        measure = read_measure(args.key, {k: v for k, v in meta.items() if v not in (None, "", [])}, problems)
        taken = {n: k for k, m in measures.items() for n in (m.short_name, *m.aliases)}
        problems += [f"the name {n!r} is already {taken[n]}'s" for n in [args.short_name, *aliases] if n in taken]
        if problems or measure is None:
            raise CorpusError("; ".join(problems) or "the metadata does not hold together")
    except (CorpusError, ParseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.key}: {args.title}")
    for line in describe(args.key, document):
        print(f"  {line}")
    print(f"  term: {how}" + ("" if term.get("years") else " (no fixed term stated: it runs until repealed)"))
    print(f"  {places.summary(args.jurisdiction)}")
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    target = folder / "texts" / f"{args.key}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(raw, encoding="utf-8")
    with open(folder / MEASURES_FILE, "a", encoding="utf-8") as handle:
        handle.write("\n" + yaml_entry(args.key, {k: v for k, v in meta.items() if v not in (None, "", [])}))
    print(f"added: {target} and its entry in {folder / MEASURES_FILE}; now run: python -m index build")
    return 0


# --- checking every measure ---------------------------------------------------------------------------------------

def lint(args: argparse.Namespace) -> int:
    """Every problem of the corpus data, one per line; warnings (lines the parser could not place) do not fail."""
    from corpus.lexicon import load_enrichment
    from corpus.provisions import build, read_overrides_file

    folder = data_dir()
    measures, documents, content_hash, problems = read_measures(folder)
    warnings = [u for d in documents.values() for u in d.unplaced]
    if measures and not problems:
        corpus = Corpus(measures, documents, content_hash)
        _, more = build(corpus, read_overrides_file())
        problems += more
        problems += [f"enrichment.yaml: {ref} is not an article" for ref in load_enrichment() if not corpus.exists(ref)]
    for line in problems:
        print(f"error: {line}")
    for line in warnings:
        print(f"warning: {line}")
    print(f"{len(measures)} measures, {sum(len(d.articles) for d in documents.values())} articles: "
          + ("all checks pass" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="Inspect the measures, and add one.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("stats", help="articles per measure")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=stats)
    p = commands.add_parser("show", help="print an article, paragraph or item: taixing:9, 'taixing:9(4)', 泰兴第九条")
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
    p = commands.add_parser("add", help="check, parse and add a measure's text and metadata to the corpus data")
    p.add_argument("file", help="the measure's text as published (UTF-8 or GB18030)")
    p.add_argument("--key", required=True, help="short lower-case key, e.g. hulin")
    p.add_argument("--title", required=True, help="the full title, e.g. 虎林市行政执法辅助人员管理办法")
    p.add_argument("--short-name", required=True, help="how answers name it, e.g. 虎林办法")
    p.add_argument("--jurisdiction", required=True, help="its place, e.g. 黑龙江省虎林市")
    p.add_argument("--issuer", required=True, help="who issued it, e.g. 虎林市人民政府办公室")
    p.add_argument("--level", required=True, help="province, prefecture-level city, county-level city…")
    p.add_argument("--issued", required=True, help="YYYY-MM-DD")
    p.add_argument("--in-force", required=True, help="YYYY-MM-DD")
    p.add_argument("--term-years", type=int, help="its term in years, when the text does not state it")
    p.add_argument("--aliases", help="other names a question may use, comma-separated: 虎林,虎林市,Hulin")
    p.add_argument("--english-name", help="its English title")
    p.add_argument("--english-short-name", help='how English answers name it, e.g. "the Hulin measure"')
    p.add_argument("--dry-run", action="store_true", help="show the parse, write nothing")
    p.set_defaults(run=add)
    p = commands.add_parser("lint", help="check every measure and the data that cites it")
    p.set_defaults(run=lint)
    args = parser.parse_args(argv)
    return guarded(lambda: args.run(args), "corpus")


if __name__ == "__main__":
    sys.exit(main())
