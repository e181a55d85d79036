"""Warm end-to-end answer() latency per route over the gold questions, against a plain llama-index
baseline (VectorStoreIndex over the same nodes with the same embedding, default retriever).

    .venv/bin/python -m bench.latency [--repeat 1]

One pass by default: answers cache per-question work (the lexicon's matches), so a second pass over the same
questions would time cache hits, not what a new question costs.
"""
from __future__ import annotations

import argparse
import time

from bench.common import peak_rss_mb, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the gold questions; the last is reported")
    args = parser.parse_args()

    from assistant import Session, answer, article_index, preload
    from eval.gold import load_gold

    questions = [item.question for item in load_gold()]
    index = article_index()
    preload()  # warm, as the app is when it starts serving: models, provision table, lexicon and word list loaded
    index.dense.forget_queries()  # and no question of the set embedded beforehand
    by_route: dict[str, list[float]] = {}
    route_of: dict[str, str] = {}
    for _ in range(args.repeat):
        by_route.clear()
        for question in questions:
            started = time.perf_counter()
            reply = answer(question, session=Session())
            by_route.setdefault(reply.route, []).append((time.perf_counter() - started) * 1000)
            route_of[question] = reply.route
    everything = [v for values in by_route.values() for v in values]
    print(f"answer() warm latency, ms, over {len(questions)} gold questions:")
    print(f"  all        {summary(everything)}")
    for route, values in sorted(by_route.items()):
        print(f"  {route:10} {summary(values)}")

    from llama_index.core import Settings, VectorStoreIndex

    from index.llama import Embedding, text_node

    Settings.llm = None
    baseline = VectorStoreIndex([text_node(n) for n in index.nodes.values()], embed_model=Embedding(index.dense.embedding),
                                show_progress=False)
    retriever = baseline.as_retriever()
    retriever.retrieve(questions[0])
    timings: dict[str, float] = {}
    for _ in range(args.repeat):
        for question in questions:
            started = time.perf_counter()
            retriever.retrieve(question)
            timings[question] = (time.perf_counter() - started) * 1000
    print(f"  baseline   {summary(list(timings.values()))}   "
          "(plain VectorStoreIndex.as_retriever(), same nodes and embedding)")
    # the same comparison on the questions the assistant answered by retrieval, which are longer than most
    retrieval = [timings[q] for q in questions if route_of[q] == "retrieval"]
    print(f"  baseline on the retrieval route's questions   {summary(retrieval)}")
    print(f"peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
