"""Matching a parsed question to provisions: hybrid search at provision level (items, paragraphs, articles
without items, list leads), reordered by the question's structure.

The structure is a signal, not a gate: a yes/no question wants the item that rules on the act rather than the
list it stands in, or the purpose or scope article; a question about hiring ("我42了还能报吗") wants the
conditions and bars of hire; one about the agency ("单位能让我们…") wants what binds the agency; a list question
wants the lead of a list; a consequence question the sanction. A scene the question sets ("检查的时候",
"while patrolling") is searched with the act, but the evidence that a measure speaks to the act is counted on
the act alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.lexicon import examples_inverse
from corpus.provisions import Provision, provisions
from index.tokens import tokens
from assistant.query import AGENCY, ALONE, AUXILIARY, CANDIDATE, COLLOQUIAL_AGENTS, CONSEQUENCE, LIST, WITH_OFFICER, YESNO, Query

# Adjustments to the fused retrieval score (0…2, dense and BM25 each min-max scaled to 0…1).
FRAME = {"purpose": -0.6, "scope": -0.5, "term": -0.6, "definition": -0.4}
LEAD_IN_YESNO = -0.45
LEAD_IN_LIST = 0.5
CATCH_ALL = -0.3
SANCTION_OUT_OF_PLACE = -0.6
SANCTION_ASKED = 0.5
HIRING = 0.45  # a candidate's question, a condition or bar of hire
OTHER_SIDE = -0.3  # the auxiliary's conduct asked, a provision binding the agency (or the reverse)
AGENCY_ASKED = 0.25
AGENCY_ORDERED = 0.5  # "领导让我…": what the agency may not make an auxiliary do
NUMBER = 1.0  # the question proposes a number in the unit a provision limits
COVERAGE = 1.0  # weight of the share of the act's words a provision holds
MODALITY_MATCH = 0.2  # "能单独…吗" and a provision on doing it alone; "跟着执法人员…" and one on assisting
MODALITY_ASKED = {ALONE: ("must_not_alone", "may_alone"), WITH_OFFICER: ("with_officer",)}
ARTICLE_NOUN = 0.2  # a list question names what the article's list lists
NEGATED_MUST = 0.2  # "可以不戴胸牌吗" asks whether an obligation binds: a provision of what must be done
INVERSE = 0.5  # the question says what not complying with the provision sounds like ("留着工作证")
POOL = 40  # provisions scored per measure: enough that structure can lift one retrieval ranked low

CJK = re.compile(r"[\u4e00-\u9fff]")
SCENE = re.compile(r"[^，,。？?！!；;]{1,12}?(?:的时候|时候|时|过程中|期间|途中)(?=[，,]?)|^[^，,。？?！!；;]{1,8}了[，,]|"
                   r"[一二三四五六七八九十几两\d]+年前|以前|之前|去年|前年|因为[^，,。？?！!；;被]{1,10}(?=被|[，,])|"
                   r"\b(?:when|while|during)\b[^,.?!;]{1,40}?(?=,|\bcan\b|\bmay\b|\bis\b|\bare\b|$)", re.IGNORECASE)


LONE_CHARACTER = 1.0  # the weight of a one-character word: it could be part of many
EXAMPLE_ONLY = 0.7  # a word held only by a provision's examples, not its own text
GENERIC_IDF = 1.8  # a token in about a fifth of the provisions or more says nothing about which one is meant


@dataclass(frozen=True)
class Candidate:
    """A provision as a question's candidate: its structural score, the retrievers' own scores, and the
    evidence that it speaks to the act: the share of the question's content words (IDF-weighted, scene left
    out) that it holds, and how far its dense similarity stands above the rest (z-score over all provisions)."""

    provision: Provision
    score: float
    dense: float
    lexical: float
    coverage: float = 0.0
    dense_z: float = 0.0

    @property
    def ref(self) -> str:
        return str(self.provision.ref)


# Who does it, in an officer's words ("单位", "队长"): the side it is asked of (Query.side), not what is done.
ACTOR = re.compile(r"(?:我们|咱们|我的|我)?(?:" + COLLOQUIAL_AGENTS + ")")


def without_actor(text: str) -> str:
    stripped = ACTOR.sub(" ", text).strip()
    return stripped if len(stripped) >= 2 else text


def without_scene(text: str) -> str:
    """The question without the scene it sets: "检查时能收红包吗" asks about 红包, not about 检查."""
    stripped = SCENE.sub(" ", text).strip()
    return stripped if len(stripped) >= 4 else text


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


def numbered(p: Provision, q: Query) -> bool:
    """The question proposes a number in the unit the provision limits ("我42了" and 年满十八周岁): the number
    is the act it asks about."""
    return q.quantity is not None and any(t.unit == q.quantity.unit for t in p.thresholds)


def structure(p: Provision, q: Query) -> float:
    """How well a provision's place in the law fits what the question asks."""
    bonus = 0.0
    lead = bool(p.children) and p.children[0].item is not None
    if q.form == LIST:
        bonus += LEAD_IN_LIST if lead else 0.0
    elif lead:
        bonus += LEAD_IN_YESNO
    bonus += FRAME.get(p.modality, 0.0)
    if p.catch_all:
        bonus += CATCH_ALL
    if p.modality == "sanction":
        asked = q.form == CONSEQUENCE or q.consequence
        bonus += (SANCTION_ASKED if p.side == q.side else 0.0) if asked else SANCTION_OUT_OF_PLACE
    if q.side == CANDIDATE and p.modality in ("condition", "bar"):
        bonus += HIRING
    elif q.side == AGENCY and p.side == AGENCY:
        bonus += AGENCY_ORDERED if q.ordered else AGENCY_ASKED
    elif q.side == AUXILIARY and (p.side == AGENCY and p.modality != "sanction" or p.side == CANDIDATE):
        bonus += OTHER_SIDE  # an auxiliary's own conduct asked: the agency's duties and the conditions of hire are other sides
    elif q.side == AGENCY and not q.ordered and p.side == AUXILIARY and p.modality != "sanction":
        bonus += OTHER_SIDE  # the agency's own conduct asked ("单位想招协管…"), not what it makes an auxiliary do
    if numbered(p, q):
        bonus += NUMBER
    if MODALITY_ASKED.get(q.modality) and p.modality in MODALITY_ASKED[q.modality]:
        bonus += MODALITY_MATCH
    if q.negated and p.modality == "must" and p.side == q.side:
        bonus += NEGATED_MUST
    if q.form == YESNO and "right" in q.asks and p.modality == "right":
        bonus += MODALITY_MATCH  # "有权自己提出解除合同吗" asks a right
    return bonus


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


@lru_cache(maxsize=8192)
def word_keys(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A Chinese word's character bigrams ("#持证") and its content parts (the words of a corpus term)."""
    if not CJK.match(word) or len(word) < 2:
        return (), ()
    return tuple("#" + word[i:i + 2] for i in range(len(word) - 1)), tuple(tokens(word))


def holds(bm25, ref: str, word: str, own: bool = False) -> bool:
    """A provision holds a word: the word itself, its character bigrams (a word cut differently), a word it
    starts (a one-character verb), or most of a corpus term's words; in its own text (`own`) or with its
    examples."""
    held = (bm25.own_terms if own else bm25.terms).get(ref, frozenset())
    if word in held:
        return True
    if len(word) == 1:
        return word in (bm25.own_heads_of if own else bm25.heads_of).get(ref, frozenset())
    pairs, parts = word_keys(word)
    if not pairs:
        return False
    if all(pair in held for pair in pairs):
        return True
    parts = [t for t in parts if bm25.idf.get(t, 0.0) >= GENERIC_IDF]
    return len(parts) > 1 and sum(t in held for t in parts) >= 0.6 * len(parts)


Meaning = tuple[tuple[str, ...], float]  # words that say one thing, and its weight


def meanings(bm25, act: str) -> tuple[Meaning, ...]:
    """The act's content words as meanings: each word of the question its own; the corpus terms the lexicon adds
    for one meaning together (工资 → 获得劳动报酬, 劳动报酬, 工资福利, 工资待遇), counted once at the heaviest one's
    weight, however many the lexicon lists."""
    words = content_words(bm25, act)
    added = [w for w in words if w not in act and w in term_entries()]
    placed: set[str] = set()
    groups = []
    for position in sorted({p for w in added for p in term_entries()[w]}):  # the lexicon's order, as it lists them
        members = tuple(w for w in added if w not in placed and position in term_entries()[w])
        if len(members) > 1:
            placed.update(members)
            groups.append((members, max(words[w] for w in members)))
    return tuple(groups) + tuple(((w,), weight) for w, weight in words.items() if w not in placed)


@lru_cache(maxsize=1)
def term_entries() -> dict[str, frozenset[int]]:
    """Each corpus term of the lexicon, with the places of the entries that list it: built once."""
    from corpus.lexicon import load_lexicon

    out: dict[str, set[int]] = {}
    for position, entry in enumerate(load_lexicon().entries):
        for term in entry.terms:
            out.setdefault(term, set()).add(position)
    return {term: frozenset(places) for term, places in out.items()}


def coverage(bm25, meant: tuple[Meaning, ...], ref: str) -> float:
    """The weighted share of the act's meanings that a provision holds: a word in its own text counts in full, a
    word only its examples hold counts EXAMPLE_ONLY (examples describe the provision loosely)."""
    total = sum(w for _, w in meant)
    if not total:
        return 0.0
    held = sum(w if any(holds(bm25, ref, word, own=True) for word in group)
               else EXAMPLE_ONLY * w if any(holds(bm25, ref, word) for word in group) else 0.0
               for group, w in meant)
    return held / total


def act_readings(bm25, q: Query, text: str) -> list[tuple[Meaning, ...]]:
    """The ways the act may be read, each as weighted meanings: the whole act without its scene; the
    clause that asks; and, for an English question, the corpus terms the lexicon maps it to (its English words
    match only the examples)."""
    from corpus.lexicon import load_lexicon

    whole = without_actor(without_scene(q.act or text))
    readings = [meanings(bm25, whole)]
    if q.last and q.last != whole:
        readings.append(meanings(bm25, without_actor(q.last)))
    if q.lang == "en":
        terms = set(load_lexicon().corpus_terms(whole))
        held = tuple((group, w) for group, w in readings[0] if any(t in terms for t in group))
        if held:
            readings.append(held)
    return [r for r in readings if r] or [()]


def candidates(index, q: Query, measure: str | None, k: int = 8, mode: str = "hybrid",
               text: str | None = None) -> list[Candidate]:
    """The provisions of one measure (or all) that best answer the question, best first."""
    table = provisions()
    query_text = text or q.topic or q.text
    hits = index.search_provisions(query_text, k=POOL, mode=mode, measure=measure)
    readings = act_readings(index.provision_bm25, q, query_text)
    dense_all = [s for _, s in index.provision_dense.rank(query_text if CJK.search(query_text) else index.expand(query_text))] \
        if mode != "bm25" else []
    mean = sum(dense_all) / len(dense_all) if dense_all else 0.0
    spread = (sum((s - mean) ** 2 for s in dense_all) / len(dense_all)) ** 0.5 if dense_all else 1.0
    asked = q.asked  # "给不给交社保" asks, it does not say "不给交社保"
    out = []
    for h in hits:
        p = table.get(h.ref)
        share = 1.0 if numbered(p, q) else max(coverage(index.provision_bm25, w, h.ref) for w in readings)
        inverse = INVERSE if any(phrase.lower() in asked for phrase in examples_inverse(h.ref)) else 0.0
        out.append(Candidate(p, h.score + structure(p, q) + COVERAGE * share + inverse, h.dense, h.lexical, share,
                             (h.dense - mean) / (spread or 1.0)))
    out.sort(key=lambda c: (-c.score, c.ref))
    return (out if q.form == LIST else descend(out))[:k]


def descend(ranked: list[Candidate], slack: float = 0.1) -> list[Candidate]:
    """A list's lead gives way to one of its own items that holds the act about as well: the item is the
    provision that rules on it ("自己去收费" is 第十条（五）, not 第十条's lead)."""
    out: list[Candidate] = []
    placed: set[str] = set()
    for c in ranked:
        if c.ref in placed:
            continue
        if c.provision.children and c.provision.children[0].item is not None:
            items = [d for d in ranked if d.provision.parent == c.provision.ref and d.ref not in placed
                     and d.coverage >= c.coverage - slack]
            if items:
                best = max(items, key=lambda d: (d.coverage, d.score))
                out.append(best)
                placed.add(best.ref)
        out.append(c)
        placed.add(c.ref)
    return out


__all__ = ["Candidate", "article_fit", "candidates", "coverage", "structure", "without_scene"]
