"""Hybrid search over the articles: the query is expanded through the lexicon, ranked by dense and BM25
retrieval, and fused by reciprocal rank."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.lexicon import load_lexicon
from index.fusion import reciprocal_rank_fusion
from index.retrievers import BM25Retriever, DenseRetriever
from index.store import Built, open_vectors

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Hit:
    """A ranked article: its fused score, and each retriever's own score for it (0 when it did not rank it)."""

    ref: str
    score: float
    dense: float = 0.0
    lexical: float = 0.0


class ArticleIndex:
    """Both retrievers over one set of article nodes."""

    def __init__(self, nodes, views, embedding, built: Built) -> None:
        self.nodes = {node.id_: node for node in nodes}
        self.built = built
        self.dense = DenseRetriever(built.vectors, [v.ref for v in views], embedding, self.nodes)
        self.bm25 = BM25Retriever(self.nodes)

    @classmethod
    def open(cls, model: str | None = None, directory: str | Path | None = None, rebuild: bool = False,
             progress: bool = True) -> ArticleIndex:
        return cls(*open_vectors(model, directory, rebuild, progress))

    def search(self, query: str, k: int = 5, mode: str = "hybrid", measure: str | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        expanded = load_lexicon().expand(query)
        dense = self.dense.rank(expanded, measure) if mode in ("hybrid", "dense") else []
        lexical = self.bm25.rank(expanded, measure) if mode in ("hybrid", "bm25") else []
        ranked = dense if mode == "dense" else lexical if mode == "bm25" else reciprocal_rank_fusion([dense, lexical])
        dense_of, lexical_of = dict(dense), dict(lexical)
        return [Hit(ref, score, dense_of.get(ref, 0.0), lexical_of.get(ref, 0.0)) for ref, score in ranked[:k]]
