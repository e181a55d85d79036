"""The articles as llama-index TextNodes, and the texts each retriever indexes for them.

One node per article, id_ = its reference (`taixing:9`). Dense retrieval embeds several views of each
article (its text, its keywords, each question it answers) and keeps the best view per article; BM25
indexes one document per article made of all of them.
"""
from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.schema import TextNode

from corpus import Corpus
from corpus.lexicon import Enrichment, load_enrichment


@dataclass(frozen=True)
class View:
    """One text embedded for an article."""

    ref: str
    text: str


def article_nodes(corpus: Corpus) -> list[TextNode]:
    nodes = []
    for article in corpus.articles():
        measure = corpus.measures[article.ref.measure]
        heading = f"{measure.short_name} {corpus.label(article.ref)}" + (f" {article.chapter}" if article.chapter else "")
        nodes.append(TextNode(
            id_=str(article.ref),
            text=f"{heading}\n{article.text}",
            metadata={"measure": article.ref.measure, "article": article.ref.article,
                      "chapter": article.chapter or ""},
        ))
    return nodes


def _enrichment(node: TextNode) -> Enrichment | None:
    """The enrichment of the article a node holds (looked up by its metadata, so copies share it)."""
    return load_enrichment().get(f"{node.metadata['measure']}:{node.metadata['article']}")


def dense_views(nodes: list[TextNode]) -> list[View]:
    views = []
    for node in nodes:
        views.append(View(node.id_, node.text))
        extra = _enrichment(node)
        if extra:
            short_name = node.text.split(" ", 1)[0]
            views.append(View(node.id_, short_name + " " + "，".join(extra.keywords_zh + extra.keywords_en)))
            views.extend(View(node.id_, f"{short_name} {q}") for q in extra.questions_zh + extra.questions_en)
    return views


def lexical_text(node: TextNode) -> str:
    extra = _enrichment(node)
    if not extra:
        return node.text
    return "\n".join([node.text, *extra.keywords_zh, *extra.keywords_en, *extra.questions_zh, *extra.questions_en])
