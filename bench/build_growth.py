"""Index growth: the corpus replicated synthetically to 1k and 10k articles. For each size: the time to build
the vector and BM25 indexes, hybrid query p50/p95, and memory. Copies embed exactly like their originals, so
each distinct text is embedded once; the embedding time a real corpus of that size would need is estimated
from the measured throughput and printed beside it.

    .venv/bin/python -m bench.build_growth [--sizes 54 1000 10000]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from bench.common import peak_rss_mb
from eval.metrics import percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[54, 1000, 10000])
    args = parser.parse_args()

    from dataclasses import replace

    from corpus import load
    from eval.gold import load_gold
    from index.embeddings import load_embedding
    from index.nodes import ARTICLE, PROVISION, article_nodes, dense_views, provision_nodes
    from index.retrievers import BM25Retriever
    from index.search import ArticleIndex
    from index.store import Built, model_spec
    from index.vectors import Vectors
    from index.tokens import tokens_and_bigrams

    embedding = load_embedding(model_spec())
    originals = article_nodes(load())
    views = dense_views(originals)
    started = time.perf_counter()
    vectors = {}
    for view in views:
        vectors.setdefault(view.text, None)
    texts = list(vectors)
    matrix = np.asarray(embedding.get_text_embedding_batch(texts), dtype="float32")
    per_text = (time.perf_counter() - started) / len(texts)
    lookup = dict(zip(texts, matrix))
    questions = [g.question for g in load_gold()][:60]
    # the provision level as it is (only articles are copied): its BM25 side, no provision vectors
    provisions = BM25Retriever.build({n.id_: n for n in provision_nodes(load())}, tokens_and_bigrams)
    print(f"embedding throughput: {1 / per_text:.1f} texts/s with {embedding.model_name} "
          f"({len(views)} texts for the 54 articles)")
    print("| articles | texts | embed (est.) s | vectors+BM25 build s | query p50 ms | query p95 ms | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        nodes, copies = [], []  # copies: the dense views of every node
        for k in range(size):
            node = originals[k % len(originals)]
            nodes.append(replace(node, id_=node.id_ if k < len(originals) else f"{node.id_}#{k // len(originals)}"))
        for node in nodes:
            source = node.id_.split("#")[0]
            copies.extend(v.__class__(node.id_, v.text) for v in views if v.ref == source)
        started = time.perf_counter()
        store = Vectors(np.vstack([lookup[v.text] for v in copies]))
        lexical = {ARTICLE: BM25Retriever.build({n.id_: n for n in nodes}), PROVISION: provisions}
        searcher = ArticleIndex(Built(store, {"views": len(copies)}, nodes, copies, lexical, embedding=embedding))
        build_seconds = time.perf_counter() - started
        searcher.search(questions[0])
        timings = []
        for question in questions:
            t = time.perf_counter()
            searcher.search(question, k=5)
            timings.append((time.perf_counter() - t) * 1000)
        print(f"| {size} | {len(copies)} | {len(copies) * per_text:.0f} | {build_seconds:.2f} | "
              f"{percentile(timings, 50):.1f} | {percentile(timings, 95):.1f} | {peak_rss_mb():.0f} |")


if __name__ == "__main__":
    main()
