"""Extractive answers from retrieved articles, without an LLM: a direct first line taken from the clause
that best answers the question, then the clauses or items quoted verbatim with their labels."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from corpus import Article, Ref, load
from corpus.lexicon import load_lexicon
from index.tokens import tokens
from assistant.types import Citation

LIST_QUESTION = re.compile(
    r"哪些|哪几|都有|列举|包括什么|什么条件|什么情形|什么情况下|什么样的人|什么人|条件是|什么权利|什么待遇|什么义务|什么工作|\bwhich\b|\bwhat are\b|"
    r"\blist\b|\bwhat kinds?\b|\bconditions\b|\brequirements\b|\bwho (can|cannot|can't|may)\b|\bwhat (things|duties|rights|work)\b|"
    r"\bwho(['’]s| is| are| isn['’]t| aren['’]t) (not|never|allowed|eligible|qualified|barred|banned|disqualified|"
    r"ineligible|excluded)\b|\bwho (must|should) not\b",
    re.IGNORECASE,
)
COMPARE_QUESTION = re.compile(
    r"不同|区别|差异|差别|相比|对比|比较|异同|一样吗|相同吗|有何不同|两地|两部|两个办法|\bcompare|\bdiffer|\bversus\b|\bvs\.?\b|"
    r"\bboth measures\b|\btwo measures\b|\bsame in\b",
    re.IGNORECASE,
)
SPLIT = re.compile(r"(?<=[。；])|\n")
# What a compare question says about comparing, rather than about its subject; left out of the search.
COMPARE_WORDS = re.compile(
    r"两个办法|两部办法|两地|两者|河北和泰兴|泰兴和河北|分别|各自|各有|怎么规定的?|如何规定|有什么区别|有何不同|有什么不同|"
    r"区别|不同|异同|差异|对比|比较|相比|一样吗|\bcompare[sd]?\b|\bcomparison\b|\b(the )?two measures\b|\bboth measures\b|"
    r"\bdiffer(ence|ent|s)?\b|\bhow do\b|\bversus\b|\bvs\.?", re.IGNORECASE)


def compare_subject(question: str) -> str:
    """A compare question without its comparing words: what to search each measure for."""
    return COMPARE_WORDS.sub(" ", question).strip() or question


@dataclass(frozen=True)
class Segment:
    """A clause of an article between 。；or line breaks, as it stands in the text, with its item if any."""

    ref: Ref
    text: str
    tokens: frozenset[str]


def _segments(article: Article) -> list[Segment]:
    out = []
    for line in article.text.split("\n"):
        item = next((it.number for it in article.items if line.endswith(it.text) and line.startswith("（")), None)
        body = line[line.index("）") + 1:] if item else line
        for piece in SPLIT.split(body):
            piece = piece.strip()
            if len(piece) > 1:
                ref = Ref(article.ref.measure, article.ref.article, item)
                out.append(Segment(ref, piece, frozenset(tokens(piece))))
    return out


@cache
def _segment_table() -> tuple[dict[str, list[Segment]], dict[str, float]]:
    """Every article's segments, and the IDF of each token across all segments (computed once)."""
    table = {str(a.ref): _segments(a) for a in load().articles()}
    counts = Counter(t for segs in table.values() for s in segs for t in s.tokens)
    total = sum(len(segs) for segs in table.values())
    return table, {t: math.log(1 + total / c) for t, c in counts.items()}


def best_segments(ref: str, question: str, limit: int = 2) -> list[Segment]:
    """The article's clauses that share the most (IDF-weighted) words with the question and its expansion."""
    table, idf = _segment_table()
    wanted = set(tokens(load_lexicon().expand(question)))
    scored = [(sum(idf.get(t, 0) for t in s.tokens & wanted), i, s) for i, s in enumerate(table[ref])]
    scored = [row for row in scored if row[0] > 0]
    scored.sort(key=lambda row: (-row[0], row[1]))
    chosen = sorted(scored[:limit], key=lambda row: row[1])  # back in reading order
    return [s for _, _, s in chosen] or table[ref][:1]


def question_kind(question: str) -> str:
    if COMPARE_QUESTION.search(question):
        return "compare"
    if LIST_QUESTION.search(question):
        return "list"
    return "factual"


def article_citations(ref: str, question: str, whole: bool) -> list[Citation]:
    """The whole article (for list questions and short articles), or its best clauses."""
    article = load().article(ref)
    if whole or len(article.text) <= 80:
        return [Citation(article.ref, article.text)]
    return [Citation(s.ref, s.text) for s in best_segments(ref, question)]


def article_name(ref: Ref, lang: str) -> str:
    measure = load().measures[ref.measure]
    if lang == "en":
        return f"{measure.english_subject}, Article {ref.article}"
    return f"{measure.short_name}第{load().article(ref).number_as_printed}条"


def quote_block(citations: list[Citation]) -> str:
    return "\n".join(f"{load().label(c.ref)}：「{c.quote}」" for c in citations)


def measure_heading(measure: str, lang: str) -> str:
    m = load().measures[measure]
    return f"**{m.short_name if lang == 'zh' else m.english_subject}**"


def lead_line(ref: str, question: str, lang: str, kind: str) -> str:
    """The direct first line: the clause that best answers the question, or for a list, its stem and count."""
    article = load().article(ref)
    name = article_name(article.ref, lang)
    if kind == "list" and article.items:
        stem = article.text.split("\n", 1)[0]
        if lang == "zh":
            return f"**{name}规定：{stem.rstrip('：:')}，共{len(article.items)}项。**"
        return f"**{name} lists {len(article.items)} items:** 「{stem}」"
    lead = best_segments(ref, question, limit=1)[0].text
    return f"**{name}规定：{lead}**" if lang == "zh" else f"**{name} addresses this:** 「{lead}」"


def render(question: str, lang: str, kind: str, sections: list[tuple[str, list[Citation]]]) -> str:
    """The answer text: a direct first line, then per measure its quoted clauses with full labels."""
    several = len(sections) > 1
    if kind == "compare" and several:
        head = "**两部办法的规定对比如下：**" if lang == "zh" else "**How the two measures compare:**"
    else:
        head = lead_line(sections[0][0], question, lang, kind)
        if several:
            head += ("\n\n两部办法都有相关规定，分别如下。" if lang == "zh"
                     else "\n\nBoth measures speak to it; each is quoted below.")
    blocks = [head]
    for ref, citations in sections:
        block = quote_block(citations)
        blocks.append(f"{measure_heading(ref.split(':')[0], lang)}\n{block}" if several else block)
    return "\n\n".join(blocks)
