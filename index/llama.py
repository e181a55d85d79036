"""The index's parts as llama-index components, for the library API and the benchmark's baseline: a node as a
TextNode, an encoder as a BaseEmbedding, a ranker (dense or BM25) as a BaseRetriever. Answering does not import
this module, so a question does not load llama-index."""
from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from index.embeddings import LazyEmbedding
from index.nodes import Node


def text_node(node: Node) -> TextNode:
    return TextNode(id_=node.id_, text=node.text, metadata=dict(node.metadata))


class Embedding(BaseEmbedding):
    """An index.embeddings encoder as a llama-index embedding model."""

    _encoder: LazyEmbedding = PrivateAttr()

    def __init__(self, encoder: LazyEmbedding, **kwargs) -> None:
        super().__init__(model_name=encoder.model_name, **kwargs)
        self._encoder = encoder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encoder.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encoder.get_text_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encoder.get_text_embedding_batch(texts)


class Retriever(BaseRetriever):
    """A ranker's best `top_k` nodes, within one measure or all, as NodeWithScore."""

    def __init__(self, ranker, top_k: int = 5, measure: str | None = None) -> None:
        super().__init__()
        self.ranker, self.top_k, self.measure = ranker, top_k, measure

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranking = self.ranker.rank(query_bundle.query_str, self.measure)[: self.top_k]
        return [NodeWithScore(node=text_node(self.ranker.nodes[ref]), score=score) for ref, score in ranking]
