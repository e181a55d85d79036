"""The two retrievers: each ranks every node (an article, or a provision) with a plain `rank()` for fusion, and
drops what the measure filter excludes, so filtering is exact: the dense side over-fetches views and pools them
per node. index.llama wraps either as a llama-index BaseRetriever; answering does not load llama-index.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.nodes import Node, lexical_text
from index.tokens import tokens

Ranking = list[tuple[str, float]]
EXACT_LIMIT = 4096  # up to this many vectors, the dense side scores all of them
QUERY_CACHE = 512  # query vectors kept, least recently used dropped first
TOP_K = 5  # the dense side fetches views until at least this many nodes are ranked


def _in_measure(ref: str, measure: str | None) -> bool:
    return measure is None or ref.startswith(measure + ":")


class QueryVectors:
    """Query vectors and their similarity to every stored view, each computed once per text (thread-safe LRUs):
    one answer may search the same text at both levels, per measure and for its nearest articles, and officers
    ask the same things, so the encoder, the costliest step, runs once per text for every dense retriever."""

    def __init__(self, vectors, embedding) -> None:
        self.vectors, self.embedding = vectors, embedding  # an index.vectors.Vectors, an index.embeddings.LazyEmbedding
        self.both = lru_cache(maxsize=QUERY_CACHE)(self._embed)
        self.search = lru_cache(maxsize=64)(self._search)

    def _embed(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        base, tuned = self.embedding.query_both(query)
        return np.asarray(base, np.float32)[np.newaxis, :], np.asarray(tuned, np.float32)[np.newaxis, :]

    def vector(self, query: str) -> np.ndarray:
        """The query's vector [1, dim], as the stored views were embedded: what the index searches with."""
        return self.both(query)[0]

    def tuned(self, query: str) -> np.ndarray:
        """The query's vector from the encoder adapted to the bank, when the reading gave it adapters (`adapt`);
        else the same as `vector`. The index's views are not embedded by it: it is for the reading only."""
        return self.both(query)[1]

    @property
    def adapters(self) -> dict[str, np.ndarray] | None:
        """The adapters the encoder computes `tuned` vectors with (None: none)."""
        return self.embedding.adapters

    def adapt(self, adapters: dict[str, np.ndarray] | None) -> bool:
        """Have the encoder compute `tuned` vectors with these adapters; False when its backend cannot."""
        adapted = self.embedding.adapt(adapters)
        self.forget()
        return adapted

    def _search(self, query: str, fetch: int) -> tuple[np.ndarray, np.ndarray]:
        similarities, views = self.vectors.search(self.vector(query), fetch)
        return similarities[0], views[0]

    def forget(self) -> None:
        """Drop the cached vectors, so that a benchmark times each question as new."""
        self.both.cache_clear()
        self.search.cache_clear()


class DenseRetriever:
    """Inner product of normalised embeddings; a node scores as its best view. The vectors of both levels live in
    one matrix (index.vectors); ranking keeps the views of this retriever's kind (articles or provisions) and
    pools them per node with numpy."""

    def __init__(self, queries: QueryVectors, view_refs: list[str], view_kinds: list[str], kind: str,
                 nodes: dict[str, Node]) -> None:
        self.nodes, self.queries, self.embedding = nodes, queries, queries.embedding
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
            if len(ranked) >= TOP_K or fetch >= self.total:
                pairs = [(self.articles[a], float(best[a])) for a in ranked]
                return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            fetch = min(self.total, fetch * 4)

    def forget_queries(self) -> None:
        """Drop the cached query vectors, so that a benchmark times each question as new."""
        self.queries.forget()

    def _measure_mask(self, measure: str) -> np.ndarray:
        return np.array([_in_measure(ref, measure) for ref in self.articles])


class BM25Retriever:
    """Okapi BM25 (bm25s) over the tokens of each node's text with its article's enrichment: jieba words, or
    (`tokenize=tokens_and_bigrams`) words and Chinese character bigrams. `terms` and `idf` hold each node's
    tokens and each token's inverse document frequency, for judging how much of a question a node covers.
    The index build tokenises the nodes and scores them once (`build`, `save`); answering loads both (`load`)."""

    def __init__(self, nodes: dict[str, Node], documents: list[list[str]], own: list[list[str]], bm25,
                 tokenize=tokens) -> None:
        self.nodes, self.tokenize, self.bm25 = nodes, tokenize, bm25
        self.refs = list(nodes)
        self.terms = {ref: frozenset(doc) for ref, doc in zip(self.refs, documents)}
        # the tokens of each node's own text, without its enrichment: words the law itself uses
        self.own_terms = {ref: frozenset(doc) for ref, doc in zip(self.refs, own)}
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
        self.documents, self.own = documents, own

    @classmethod
    def build(cls, nodes: dict[str, Node], tokenize=tokens) -> BM25Retriever:
        import bm25s

        documents = [tokenize(lexical_text(node)) for node in nodes.values()]
        bm25 = bm25s.BM25()
        bm25.index(documents, show_progress=False)
        return cls(nodes, documents, [tokenize(node.text) for node in nodes.values()], bm25, tokenize)

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder), show_progress=False)
        (folder / TOKENS).write_text(json.dumps({"refs": self.refs, "documents": self.documents, "own": self.own},
                                                ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, nodes: dict[str, Node], tokenize=tokens) -> BM25Retriever:
        """The stored retriever for these nodes; ValueError when what is stored is for other nodes."""
        stored = json.loads((folder / TOKENS).read_text(encoding="utf-8"))
        if stored["refs"] != list(nodes):
            raise ValueError("the stored BM25 tokens are for other nodes")
        return cls(nodes, stored["documents"], stored["own"], StoredScores(folder), tokenize)

    def rank(self, query: str, measure: str | None = None) -> Ranking:
        query_tokens = [t for t in self.tokenize(query) if t in self.bm25.vocab_dict]
        if not query_tokens:
            return []
        scores = self.bm25.get_scores(query_tokens)
        pairs = [(ref, float(s)) for ref, s in zip(self.refs, scores) if s > 0 and _in_measure(ref, measure)]
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


TOKENS = "tokens.json"


class StoredScores:
    """The BM25 scores bm25s computed at build, read from the files its `save` wrote: per token, the score it
    gives each document that holds it (a CSC matrix). A query's scores are the sum of its tokens' columns, which
    is what bm25s's own get_scores does for its default (lucene) method; reading the arrays directly spares
    answering the import of bm25s and scipy."""

    def __init__(self, folder: Path) -> None:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":  # other methods add a score for every token a document lacks
            raise ValueError(f"stored BM25 method {params.get('method')!r} is not lucene")
        self.dtype, self.num_docs = np.dtype(params["dtype"]), int(params["num_docs"])
        self.data = np.load(folder / "data.csc.index.npy")
        self.indices = np.load(folder / "indices.csc.index.npy")
        self.indptr = np.load(folder / "indptr.csc.index.npy")
        self.vocab_dict = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for token in query_tokens:
            column = self.vocab_dict[token]
            start, end = self.indptr[column], self.indptr[column + 1]
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores
