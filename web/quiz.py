"""The Training tab's quiz: questions drawn from the gold set (a verdict to pick, or the articles that answer
it), the round as a plain dict state, feedback with the articles after each answer, and the score.

The state is a dict of plain values so that a round can be replayed from its seed and tested without a browser.
"""
from __future__ import annotations

import index  # noqa: F401  (sets HF_HUB_OFFLINE and GRADIO_ANALYTICS_ENABLED=False before gradio loads)

import random

import gradio as gr

from web.render import (ALL, VERDICT_BADGES, VERDICT_ORDER, article_panel, badge_html, esc, gold_grounds,
                        measure_key, refs_label)
from assistant.compose import measures_phrase
from corpus import load
from eval.gold import GoldItem, load_gold


# ─── training: the quiz ──────────────────────────────────────────────────────────────────────────────────
QUIZ_TYPES = ("yesno_duty", "factual", "list", "compare", "temporal")
VERDICT_QUESTION = "按办法规定，答案是？"
ARTICLE_QUESTION = "哪一条（哪几条）规定回答了这个问题？"
FACT_QUESTION = "办法是怎么规定的？"
TEXTS = {  # the quiz's own words, in the trainee's language
    "zh": {"verdict": VERDICT_QUESTION, "article": ARTICLE_QUESTION, "fact": FACT_QUESTION, "right": "回答正确",
           "wrong": "回答错误", "yours": "你的答案", "none": "（未作答）", "answer": "正确答案", "grounds": "依据",
           "again": "本题已提交，计分以第一次提交的答案为准。", "score": "得分", "progress": "第 {n} / {total} 题"},
    "en": {"verdict": "Under the measure, the answer is?", "article": "Which article(s) answer this?",
           "fact": "What does the measure say?", "right": "Correct", "wrong": "Not correct", "yours": "Your answer",
           "none": "(no answer)", "answer": "Answer", "grounds": "Grounds", "again":
           "This question was already submitted; the first answer counts.", "score": "Score",
           "progress": "Question {n} of {total}"},
}
OFFICER_MODALITIES = ("with_officer", "must_not_alone")
FACT_TYPES = ("factual", "temporal")


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


def involves_an_officer(g: GoldItem) -> bool:
    """Whether "only with an officer" is a sensible choice: an article the item cites lets or bars an auxiliary
    acting with or without an officer (read from the provision model), not a question of age or status."""
    from corpus.provisions import provisions

    table = provisions()
    return g.verdict == "conditional" or any(p.modality in OFFICER_MODALITIES for ref in g.gold_refs
                                             for p in table.of(ref.split(":")[0]) if str(p.ref.article_ref) == ref)


def prompt_kind(g: GoldItem) -> str:
    if g.type == "yesno_duty":
        return "verdict"
    return "fact" if g.type in FACT_TYPES and g.key_facts else "article"


def options_for(g: GoldItem, rng: random.Random, lang: str = "zh", pool: list[GoldItem] | None = None
                ) -> tuple[list[tuple[str, str]], str]:
    """The choices (label, value) for a gold item, and the correct value: verdicts that fit the question; the
    facts themselves for a factual item (distractors from other items' facts); else the articles."""
    kind = prompt_kind(g)
    if kind == "verdict":
        verdicts = [v for v in VERDICT_ORDER if v != "conditional" or involves_an_officer(g)]
        return [(VERDICT_BADGES[v][lang == "en"], v) for v in verdicts], g.verdict
    if kind == "fact":
        correct = g.key_facts[0]
        others = sorted({o.key_facts[0] for o in pool or quiz_pool() if o.type == g.type and o.key_facts
                         and o.key_facts[0] not in g.key_facts and set(o.gold_refs).isdisjoint(g.gold_refs)})
        values = [correct] + rng.sample(others, min(3, len(others)))
        rng.shuffle(values)
        return [(v, v) for v in values], correct
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
    words = "en" if lang == "en" else "zh"
    questions = []
    for g in items:
        options, correct = options_for(g, rng, words, pool)
        questions.append({"id": g.id, "options": options, "correct": correct})
    return {"seed": seed, "lang": words, "questions": questions, "answers": [None] * len(questions), "index": 0,
            "revealed": False}


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


def _texts(state: dict) -> dict[str, str]:
    return TEXTS[state.get("lang", "zh") if state else "zh"]


def quiz_question_html(state: dict) -> str:
    if not state or not state.get("questions"):
        return '<div class="quiz-empty">点击“开始测验”抽题。</div>'
    position = state["index"]
    total = len(state["questions"])
    if position >= total:
        return quiz_summary_html(state)
    q = state["questions"][position]
    g = gold_by_id()[q["id"]]
    texts = _texts(state)
    measures = load().measures
    scope = measures_phrase("zh") if g.measure == "both" else measures[g.measure].short_name if g.measure in measures else ""
    return (f'<div class="quiz-question" data-id="{esc(g.id)}"><div class="quiz-progress">'
            f'{esc(texts["progress"].format(n=position + 1, total=total))}'
            f'{"（" + esc(scope) + "）" if scope else ""}</div><div class="quiz-q">{esc(g.question)}</div>'
            f'<div class="quiz-prompt">{esc(texts[prompt_kind(g)])}</div></div>')


def _label(q: dict, value: str | None, texts: dict[str, str]) -> str:
    return dict((v, k) for k, v in q["options"]).get(value, texts["none"])


def grounds_html(g: GoldItem, texts: dict[str, str]) -> str:
    """The clauses that ground the answer, quoted with their articles."""
    items = "".join(f"<li>{esc(label)}：「{esc(quote)}」</li>" for label, quote in gold_grounds(g))
    return f'<div class="quiz-grounds">{esc(texts["grounds"])}：<ul>{items}</ul></div>'


def quiz_feedback_html(state: dict, position: int, note: str = "") -> str:
    q = state["questions"][position]
    g = gold_by_id()[q["id"]]
    texts = _texts(state)
    right = is_correct(state, position)
    lang = state.get("lang", "zh")
    correct = badge_html(g.verdict, lang) if g.type == "yesno_duty" else f'<b>{esc(_label(q, q["correct"], texts))}</b>'
    again = f'<div class="quiz-note">{esc(note)}</div>' if note else ""
    return (f'<div class="quiz-feedback {"right" if right else "wrong"}">{again}'
            f'<div class="quiz-result">{esc(texts["right"] if right else texts["wrong"])}'
            f'（{esc(texts["yours"])}：{esc(_label(q, state["answers"][position], texts))}）</div>'
            f'<div class="quiz-correct">{esc(texts["answer"])}：{correct}</div>'
            f'{grounds_html(g, texts)}{_gold_panels(g, opened=False)}</div>')


def quiz_summary_html(state: dict) -> str:
    right, total = score(state)
    texts = _texts(state)
    rows = []
    gold = gold_by_id()
    for i, q in enumerate(state["questions"]):
        g = gold[q["id"]]
        ok = is_correct(state, i)
        mark = f'<span class="{"ok" if ok else "ko"}">{"✓" if ok else "✗"}</span>'
        rows.append(f'<li>{mark} {esc(g.question)}<br><small>{esc(texts["yours"])}：{esc(_label(q, state["answers"][i], texts))}'
                    f'　{esc(texts["answer"])}：{esc(_label(q, q["correct"], texts))}'
                    f'{"" if prompt_kind(g) == "article" else "（" + esc(refs_label(g.gold_refs)) + "）"}</small></li>')
    percent = round(100 * right / total) if total else 0
    again = "点击“开始测验”再来一轮，或在下方导出本轮讲义。" if state.get("lang") != "en" else \
        "Press “开始测验” for another round, or export this round's handout below."
    return (f'<div class="quiz-summary"><div class="quiz-score" data-score="{right}" data-total="{total}">'
            f'{esc(texts["score"])}：{right} / {total}（{percent}%）</div><ol>{"".join(rows)}</ol>'
            f'<div>{esc(again)}</div></div>')


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
    if state["revealed"]:  # a changed choice after the answer was shown does not count, and the trainee is told so
        note = _texts(state)["again"] if choice != state["answers"][state["index"]] else ""
        return state, quiz_feedback_html(state, state["index"], note)
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
