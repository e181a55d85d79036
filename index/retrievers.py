"""The two retrievers, as llama-index BaseRetrievers that also expose a plain `rank()` for fusion.

Both rank every article and drop what the measure filter excludes, so filtering is exact even though
FaissVectorStore refuses metadata filters: the dense side over-fetches views and pools them per article.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.vector_stores.faiss import FaissVectorStore

from index.nodes import lexical_text
from index.tokens import tokens

Ranking = list[tuple[str, float]]
EXACT_LIMIT = 4096  # up to this many vectors, the dense side scores all of them
QUERY_CACHE = 512  # query vectors kept, least recently used dropped first


def _in_measure(ref: str, measure: str | None) -> bool:
    return measure is None or ref.startswith(measure + ":")


class ArticleRetriever(BaseRetriever):
    """Shared llama-index plumbing: rank() gives (ref, score) pairs, _retrieve wraps them in nodes."""

    def __init__(self, nodes: dict[str, TextNode], top_k: int = 5, measure: str | None = None) -> None:
        super().__init__()
        self.nodes, self.top_k, self.measure = nodes, top_k, measure

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        raise NotImplementedError

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranking = self.rank(query_bundle.query_str, self.measure)[: self.top_k]
        return [NodeWithScore(node=self.nodes[ref], score=score) for ref, score in ranking]


class DenseRetriever(ArticleRetriever):
    """Inner product of normalised embeddings in FAISS; an article scores as its best view. The vectors live
    in a FaissVectorStore; ranking asks its faiss index (`client`) directly and pools the views with numpy,
    which saves the store's per-hit Python conversions on every query."""

    def __init__(self, store: FaissVectorStore, view_refs: list[str], embedding: BaseEmbedding,
                 nodes: dict[str, TextNode], **kwargs) -> None:
        super().__init__(nodes, **kwargs)
        self.store, self.view_refs, self.embedding = store, view_refs, embedding
        self.articles = list(dict.fromkeys(view_refs))
        position = {ref: i for i, ref in enumerate(self.articles)}
        self.view_article = np.array([position[ref] for ref in view_refs], dtype=np.int64)
        # One answer may search the same text more than once (per measure, or for its nearest articles), and
        # officers ask the same things: the encoder, the costliest step, runs once per text (thread-safe LRU).
        self._query_vector = lru_cache(maxsize=QUERY_CACHE)(self._embed_query)
        self._in_measure = lru_cache(maxsize=None)(self._measure_mask)

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        vector = np.asarray(self._query_vector(query), dtype=np.float32)[np.newaxis, :]
        total = len(self.view_refs)
        fetch = total if total <= EXACT_LIMIT else min(total, 400)
        while True:
            similarities, views = self.store.client.search(vector, fetch)
            found = views[0] >= 0
            articles, similarities = self.view_article[views[0][found]], similarities[0][found]
            if measure is not None:
                wanted = self._in_measure(measure)[articles]
                articles, similarities = articles[wanted], similarities[wanted]
            best = np.full(len(self.articles), -np.inf, dtype=np.float32)
            np.maximum.at(best, articles, similarities)
            ranked = np.flatnonzero(best > -np.inf)
            if len(ranked) >= self.top_k or fetch >= total:
                pairs = [(self.articles[a], float(best[a])) for a in ranked]
                return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            fetch = min(total, fetch * 4)

    def forget_queries(self) -> None:
        """Drop the cached query vectors, so that a benchmark times each question as new."""
        self._query_vector.cache_clear()

    def _embed_query(self, query: str) -> tuple[float, ...]:
        return tuple(self.embedding.get_query_embedding(query))

    def _measure_mask(self, measure: str) -> np.ndarray:
        return np.array([_in_measure(ref, measure) for ref in self.articles])


class BM25Retriever(ArticleRetriever):
    """Okapi BM25 (bm25s) over jieba tokens of each article with its enrichment."""

    def __init__(self, nodes: dict[str, TextNode], **kwargs) -> None:
        import bm25s

        super().__init__(nodes, **kwargs)
        self.refs = list(nodes)
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokens(lexical_text(nodes[ref])) for ref in self.refs], show_progress=False)

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        query_tokens = [t for t in tokens(query) if t in self.bm25.vocab_dict]
        if not query_tokens:
            return []
        scores = self.bm25.get_scores(query_tokens)
        pairs = [(ref, float(s)) for ref, s in zip(self.refs, scores) if s > 0 and _in_measure(ref, measure)]
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
