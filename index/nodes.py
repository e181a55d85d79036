"""The corpus as nodes (the shape of llama-index's TextNode, without loading llama-index: index.llama converts them),
and the texts each retriever indexes for them.

Two levels of node, one vector file:
- one node per article, id_ = its reference (`taixing:9`): dense retrieval embeds several views of it (its text,
  its keywords, each question it answers) and keeps the best; BM25 indexes one document of all of them;
- one node per provision a question lands on (an item, a sub-item, a paragraph or article with no items, and
  the lead clause of a list), id_ = its reference (`taixing:9(4)`, `taixing:28.2`), with its subject and modality
  as metadata. An item is embedded with its lead ("行政执法辅助人员不得有下列行为：删除、篡改…") and alone, so
  that both what it is about and how it binds count.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus import Corpus
from corpus.lexicon import Enrichment, article_enrichment
from corpus.provisions import Provision, provisions

ARTICLE, PROVISION = "article", "provision"


@dataclass
class Node:
    """An article or a provision: its reference (`id_`), its text and its metadata, as the index stores them."""

    id_: str
    text: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    """One text embedded for a node: an article's or a provision's."""

    ref: str
    text: str
    kind: str = ARTICLE


def article_nodes(corpus: Corpus) -> list[Node]:
    nodes = []
    for article in corpus.articles():
        measure = corpus.measures[article.ref.measure]
        heading = f"{measure.short_name} {corpus.label(article.ref)}" + (f" {article.chapter}" if article.chapter else "")
        nodes.append(Node(
            id_=str(article.ref),
            text=f"{heading}\n{article.text}",
            metadata={"measure": article.ref.measure, "article": article.ref.article,
                      "chapter": article.chapter or ""},
        ))
    return nodes


def is_lead(p: Provision) -> bool:
    """A provision whose children are items: its own line is the lead clause of a list."""
    return p.kind in ("article", "paragraph") and bool(p.children) and p.children[0].item is not None


def provision_text(p: Provision, corpus: Corpus) -> str:
    """What a provision node says: an item with its lead, a list's lead line alone, else the provision's text."""
    if is_lead(p):
        article = corpus.article(p.ref)
        return (article.paragraph(p.ref.paragraph) if p.ref.paragraph else article.paragraphs[0]).text
    return (p.lead or "") + p.text if p.kind in ("item", "subitem") else p.text


def provision_nodes(corpus: Corpus) -> list[Node]:
    nodes = []
    for p in provisions().all:
        if not (p.leaf or is_lead(p)):
            continue
        nodes.append(Node(
            id_=str(p.ref), text=provision_text(p, corpus),
            metadata={"measure": p.ref.measure, "article": p.ref.article, "kind": p.kind, "subject": p.subject,
                      "modality": p.modality, "lead": is_lead(p), "catch_all": p.catch_all},
        ))
    return nodes


def _enrichment(node: Node) -> Enrichment | None:
    """The enrichment of the article a node holds, written or derived (looked up by its metadata, so copies
    share it)."""
    return article_enrichment(f"{node.metadata['measure']}:{node.metadata['article']}")


def dense_views(nodes: list[Node]) -> list[View]:
    views = []
    for node in nodes:
        views.append(View(node.id_, node.text))
        extra = _enrichment(node)
        if extra:
            short_name = node.text.split(" ", 1)[0]
            views.append(View(node.id_, short_name + " " + "，".join(extra.keywords_zh + extra.keywords_en)))
            views.extend(View(node.id_, f"{short_name} {q}") for q in extra.questions_zh + extra.questions_en)
    return views


def provision_views(nodes: list[Node]) -> list[View]:
    """Per provision node: its text (an item with its lead) and an item's own words alone."""
    views = []
    for node in nodes:
        views.append(View(node.id_, node.text, PROVISION))
        item = provisions().get(node.id_)
        if item.kind in ("item", "subitem"):
            views.append(View(node.id_, item.text, PROVISION))
    return views


def lexical_text(node: Node) -> str:
    extra = _enrichment(node) if "kind" not in node.metadata else None
    if not extra:
        return node.text
    return "\n".join([node.text, *extra.keywords_zh, *extra.keywords_en, *extra.questions_zh, *extra.questions_en])
