"""The Training tab's quiz: questions drawn from the gold set (a verdict to pick, or the articles that answer
it), the round as a plain dict state, feedback with the articles after each answer, and the score.

The state is a dict of plain values so that a round can be replayed from its seed and tested without a browser.
"""
from __future__ import annotations

import index  # noqa: F401  (sets HF_HUB_OFFLINE and GRADIO_ANALYTICS_ENABLED=False before gradio loads)

import random

import gradio as gr

from web.render import (ALL, VERDICT_BADGES, VERDICT_ORDER, article_panel, badge_html, esc,
                                  gold_answer_line, measure_key, refs_label)
from assistant.compose import measures_phrase
from corpus import load
from eval.gold import GoldItem, load_gold


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
    measures = load().measures
    scope = measures_phrase("zh") if g.measure == "both" else measures[g.measure].short_name if g.measure in measures else ""
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
