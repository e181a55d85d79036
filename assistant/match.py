"""What a question's words and form say of a provision, for the steps that are not learned: which article a list
or factual question asks for (`article_fit`), and the content words of an act (`content_words`), which tell whether
a provision's exception applies."""
from __future__ import annotations

import re
from functools import lru_cache

from corpus.provisions import provisions
from index.tokens import tokens
from assistant.query import AUXILIARY, LIST, Query

CJK = re.compile(r"[\u4e00-\u9fff]")
LONE_CHARACTER = 1.0  # the weight of a one-character word: it could be part of many
GENERIC_IDF = 1.8  # a token in about a fifth of the provisions or more says nothing about which one is meant
ARTICLE_NOUN = 0.2  # a list question names what the article's list lists
ARTICLE_ASKED = 0.3  # an article whose lead has the modality a list or factual question asks about
ARTICLE_SIDE = 0.2  # and binds the side it asks about (the agency, a candidate)


def article_fit(ref: str, q: Query) -> float:
    """How well an article's own modality and subject fit what a list or factual question asks: "泰兴执法机关
    不得有哪些行为" wants the agency's list of prohibitions (第二十条), not the auxiliary's (第十一条); and whether the
    question names what its list lists ("不能干的工作有哪些": 不得从事下列工作, not 不得有下列行为)."""
    p = provisions().get(ref)
    bonus = ARTICLE_ASKED if p.modality in q.asks or (p.modality == "must_not_alone" and "must_not" in q.asks) else 0.0
    noun = list_noun(ref)
    if q.form == LIST and noun and noun in q.text:
        bonus += ARTICLE_NOUN
    return bonus + (ARTICLE_SIDE if q.side != AUXILIARY and p.side == q.side else 0.0)


LIST_HEAD = re.compile(r"下列([\u4e00-\u9fff]{1,4}?)(?:之一)?[：:]")


@lru_cache(maxsize=None)
def list_noun(ref: str) -> str | None:
    """What an article's list lists, from its lead: 工作 (不得从事下列工作：), 职责, 行为, 权利, 条件, 情形."""
    found = LIST_HEAD.search(provisions().get(ref).text)
    return found.group(1) if found else None


def content_words(bm25, act: str) -> dict[str, float]:
    """The act's words that say which provision is meant, with their weight: the question's own words that the
    provisions use, by IDF (a word they cut differently, 持证 in 持证上岗, by its rarest character bigram; a
    verb said alone, 删, by LONE_CHARACTER), and each corpus term the lexicon maps the question to, as one unit.
    Words in a fifth of the provisions or more (行政执法, 工作) say nothing and are left out."""
    from corpus.lexicon import load_lexicon

    out = {}
    for word in tokens(act):
        if CJK.match(word) and len(word) < 2:
            if word in bm25.heads:
                out[word] = LONE_CHARACTER
            continue
        weight = bm25.idf.get(word)
        if weight is None and CJK.match(word):
            pairs = ["#" + word[i:i + 2] for i in range(len(word) - 1)]
            weight = max((bm25.idf[p] for p in pairs if p in bm25.idf), default=None)
        if weight is not None and weight >= GENERIC_IDF:
            out[word] = weight
    for term in load_lexicon().corpus_terms(act):
        parts = [t for t in tokens(term) if bm25.idf.get(t, 0.0) >= GENERIC_IDF]
        if parts and term not in out:
            out[term] = max(bm25.idf[t] for t in parts)
    return out



__all__ = ["article_fit", "content_words", "list_noun"]
