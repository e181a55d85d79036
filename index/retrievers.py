"""The two retrievers, as llama-index BaseRetrievers that also expose a plain `rank()` for fusion.

Both rank every node (an article, or a provision) and drop what the measure filter excludes, so filtering is
exact even though FaissVectorStore refuses metadata filters: the dense side over-fetches views and pools them
per node.
"""
from __future__ import annotations

import math
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


class QueryVectors:
    """Query vectors and their similarity to every stored view, each computed once per text (thread-safe LRUs):
    one answer may search the same text at both levels, per measure and for its nearest articles, and officers
    ask the same things, so the encoder, the costliest step, runs once per text for every dense retriever."""

    def __init__(self, store: FaissVectorStore, embedding: BaseEmbedding) -> None:
        self.store, self.embedding = store, embedding
        self.vector = lru_cache(maxsize=QUERY_CACHE)(self._embed)
        self.search = lru_cache(maxsize=64)(self._search)

    def _embed(self, query: str) -> np.ndarray:
        return np.asarray(self.embedding.get_query_embedding(query), dtype=np.float32)[np.newaxis, :]

    def _search(self, query: str, fetch: int) -> tuple[np.ndarray, np.ndarray]:
        similarities, views = self.store.client.search(self.vector(query), fetch)
        found = views[0] >= 0
        return similarities[0][found], views[0][found]

    def forget(self) -> None:
        """Drop the cached vectors, so that a benchmark times each question as new."""
        self.vector.cache_clear()
        self.search.cache_clear()


class DenseRetriever(ArticleRetriever):
    """Inner product of normalised embeddings in FAISS; a node scores as its best view. The vectors of both
    levels live in one FaissVectorStore; ranking asks its faiss index (`client`) directly, keeps the views of
    this retriever's kind (articles or provisions) and pools them per node with numpy, which saves the store's
    per-hit Python conversions on every query."""

    def __init__(self, queries: QueryVectors, view_refs: list[str], view_kinds: list[str], kind: str,
                 nodes: dict[str, TextNode], **kwargs) -> None:
        super().__init__(nodes, **kwargs)
        self.queries, self.embedding = queries, queries.embedding
        self.articles = list(dict.fromkeys(ref for ref, k in zip(view_refs, view_kinds) if k == kind))
        position = {ref: i for i, ref in enumerate(self.articles)}
        self.view_article = np.array([position[ref] if k == kind else -1 for ref, k in zip(view_refs, view_kinds)],
                                     dtype=np.int64)
        self.total = len(view_refs)
        self._in_measure = lru_cache(maxsize=None)(self._measure_mask)

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        fetch = self.total if self.total <= EXACT_LIMIT else min(self.total, 4 * EXACT_LIMIT // 10)
        while True:
            similarities, views = self.queries.search(query, fetch)
            articles = self.view_article[views]
            keep = articles >= 0
            articles, similarities = articles[keep], similarities[keep]
            if measure is not None:
                wanted = self._in_measure(measure)[articles]
                articles, similarities = articles[wanted], similarities[wanted]
            best = np.full(len(self.articles), -np.inf, dtype=np.float32)
            np.maximum.at(best, articles, similarities)
            ranked = np.flatnonzero(best > -np.inf)
            if len(ranked) >= self.top_k or fetch >= self.total:
                pairs = [(self.articles[a], float(best[a])) for a in ranked]
                return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            fetch = min(self.total, fetch * 4)

    def forget_queries(self) -> None:
        """Drop the cached query vectors, so that a benchmark times each question as new."""
        self.queries.forget()

    def _measure_mask(self, measure: str) -> np.ndarray:
        return np.array([_in_measure(ref, measure) for ref in self.articles])


class BM25Retriever(ArticleRetriever):
    """Okapi BM25 (bm25s) over the tokens of each node's text with its enrichment or examples: jieba words, or
    (`tokenize=tokens_and_bigrams`) words and Chinese character bigrams. `terms` and `idf` hold each node's
    tokens and each token's inverse document frequency, for judging how much of a question a node covers."""

    def __init__(self, nodes: dict[str, TextNode], tokenize=tokens, **kwargs) -> None:
        import bm25s

        super().__init__(nodes, **kwargs)
        self.tokenize = tokenize
        self.refs = list(nodes)
        documents = [tokenize(lexical_text(nodes[ref])) for ref in self.refs]
        self.terms = {ref: frozenset(doc) for ref, doc in zip(self.refs, documents)}
        # the tokens of each node's own text, without its enrichment or examples: words the law itself uses
        self.own_terms = {ref: frozenset(tokenize(nodes[ref].text)) for ref in self.refs}
        frequency: dict[str, int] = {}
        for doc in self.terms.values():
            for term in doc:
                frequency[term] = frequency.get(term, 0) + 1
        self.idf = {term: math.log(1 + len(documents) / n) for term, n in frequency.items()}
        # The first characters of each node's Chinese words: a one-character word of a question (删) is held
        # by a node with a word it starts (删除).
        self.heads_of = {ref: frozenset(t[0] for t in doc if len(t) > 1 and "\u4e00" <= t[0] <= "\u9fff")
                         for ref, doc in self.terms.items()}
        self.heads = frozenset().union(*self.heads_of.values()) if self.heads_of else frozenset()
        self.own_heads_of = {ref: frozenset(t[0] for t in doc if len(t) > 1 and "\u4e00" <= t[0] <= "\u9fff")
                             for ref, doc in self.own_terms.items()}
        self.bm25 = bm25s.BM25()
        self.bm25.index(documents, show_progress=False)

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        query_tokens = [t for t in self.tokenize(query) if t in self.bm25.vocab_dict]
        if not query_tokens:
            return []
        scores = self.bm25.get_scores(query_tokens)
        pairs = [(ref, float(s)) for ref, s in zip(self.refs, scores) if s > 0 and _in_measure(ref, measure)]
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
