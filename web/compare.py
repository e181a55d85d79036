"""The Compare tab: a topic's difference between the measures in one line, the chosen measures' articles side by
side (any two, or all), and the gold Q&A on the topic (which a topic handout reuses).
"""
from __future__ import annotations

from assistant.topics import Topic, load_topics, match_topics
from assistant.topics import topic as get_topic
from web.render import article_panel, esc, gold_answer_line, status_badge
from corpus import load
from eval.gold import GoldItem, load_gold


# ─── compare ─────────────────────────────────────────────────────────────────────────────────────────────
def topic_choices() -> list[tuple[str, str]]:
    return [(f"{t.name['zh']} · {t.name['en']}", t.id) for t in load_topics()]


def _measure_column(t: Topic, key: str) -> str:
    corpus = load()
    m = corpus.measures[key]
    refs, curated = t.refs_for(key)
    head = f'<h3>{esc(m.short_name)} {status_badge(key)}</h3>'
    if not curated:
        head += '<div class="derived-note">本主题未对此办法人工整理，以下为检索所得的最相关条文。</div>'
    if not refs:
        return f'<div class="compare-col" data-measure="{esc(key)}">{head}<div class="silent">本办法对此未作专门规定。</div></div>'
    by_article: dict[str, list[str]] = {}
    for ref in refs:
        by_article.setdefault(str(ref.article_ref), [])
        if ref.item:
            by_article[str(ref.article_ref)].append(corpus.text(ref))
    panels = "".join(article_panel(a, quotes, opened=True, css="citation compare") for a, quotes in by_article.items())
    return f'<div class="compare-col" data-measure="{esc(key)}">{head}{panels}</div>'


def topic_gold(t: Topic) -> list[GoldItem]:
    """Gold Q&A on a topic: they cite one of its articles and their question uses one of its trigger words."""
    wanted = t.article_refs()
    return [g for g in load_gold()
            if g.gold_refs and set(g.gold_refs) & wanted and g.type != "out_of_scope" and t.score(g.question) > 0]


def measure_options() -> list[tuple[str, str]]:
    return [(m.short_name, key) for key, m in load().measures.items()]


def compare(topic_id: str | None, measures: list[str] | None = None):
    """(summary, the chosen measures' columns side by side, related Q&A) for a topic, all as escaped HTML. No
    measures chosen means all of them."""
    try:
        t = get_topic(topic_id or load_topics()[0].id)
    except KeyError as error:
        return f'<div class="error-note">{esc(error)}</div>', "", ""
    keys = [k for k in load().measures if not measures or k in measures]
    summary = (f'<div class="topic-summary" data-topic="{esc(t.id)}"><h3>{esc(t.name["zh"])} · {esc(t.name["en"])}</h3>'
               f'<p class="diff-zh">{esc(t.summary["zh"])}</p><p class="diff-en">{esc(t.summary["en"])}</p></div>')
    items = topic_gold(t)[:12]
    qa = "".join(f'<li><b>{esc(g.question)}</b><br>{esc(gold_answer_line(g))}</li>' for g in items)
    qa_html = f'<div class="topic-qa"><h4>相关问答（{len(items)}）</h4><ul>{qa}</ul></div>' if items else ""
    columns = "".join(_measure_column(t, key) for key in keys)
    return summary, f'<div class="compare-grid" style="--columns:{len(keys)}">{columns}</div>', qa_html


def find_topic(text: str) -> str | None:
    """The topic a keyword or question points at (for the compare tab's search box)."""
    found = match_topics(text or "")
    return found[0].id if found else None


def search_topic(text: str | None, current: str | None) -> tuple[str | None, str]:
    """The compare tab's search box: (the topic to show, a note). A word no topic knows leaves the topic as it is
    and says so, naming the topics there are."""
    text = (text or "").strip()[:100]
    if not text:
        return current, ""
    found = find_topic(text)
    if found:
        t = get_topic(found)
        return found, f'<div class="topic-search-note" role="status">“{esc(text)}”：主题“{esc(t.name["zh"])}”。</div>'
    names = "、".join(t.name["zh"] for t in load_topics())
    return current, (f'<div class="topic-search-note none" role="status">没有与“{esc(text)}”相关的主题。可选的主题：'
                     f'{esc(names)}。条文里的字词可在“浏览”页搜索。</div>')
