"""The Training tab's quiz: questions drawn from the gold set (a verdict to pick, or the articles that answer
it), the round as a plain dict state, feedback with the articles after each answer, and the score.

The state is a dict of plain values so that a round can be replayed from its seed and tested without a browser.
"""
from __future__ import annotations

import index  # noqa: F401  (sets HF_HUB_OFFLINE and GRADIO_ANALYTICS_ENABLED=False before gradio loads)

import random
import re

import gradio as gr

from web.render import (ALL, VERDICT_BADGES, VERDICT_ORDER, article_panel, badge_html, esc, gold_grounds,
                        measure_key, refs_label)
from assistant.compose import measures_phrase, provision_name
from corpus import Ref, load
from corpus.numerals import to_chinese
from eval.gold import GoldItem, load_gold


# ─── training: the quiz ──────────────────────────────────────────────────────────────────────────────────
QUIZ_TYPES = ("yesno_duty", "factual", "list", "compare", "temporal")
VERDICT_QUESTION = "按办法规定，答案是？"
ARTICLE_QUESTION = "哪一条（哪几条）规定回答了这个问题？"
FACT_QUESTION = "办法是怎么规定的？"
TEXTS = {  # the quiz's own words, in the trainee's language
    "zh": {"verdict": VERDICT_QUESTION, "article": ARTICLE_QUESTION, "fact": FACT_QUESTION, "right": "回答正确",
           "wrong": "回答错误", "yours": "你的答案", "none": "（未作答）", "answer": "正确答案", "grounds": "依据",
           "again": "本题已提交，计分以第一次提交的答案为准。", "score": "得分", "progress": "第 {n} / {total} 题",
           "choose": "请先选择一个答案。", "submit": "请先提交本题答案。",
           "again_round": "点击“开始测验”再来一轮，或在下方导出本轮讲义。"},
    "en": {"verdict": "Under the measure, the answer is?", "article": "Which article(s) answer this?",
           "fact": "What does the measure say?", "right": "Correct", "wrong": "Not correct", "yours": "Your answer",
           "none": "(no answer)", "answer": "Answer", "grounds": "Grounds", "again":
           "This question was already submitted; the first answer counts.", "score": "Score",
           "progress": "Question {n} of {total}", "choose": "Choose an answer first.",
           "submit": "Submit this question's answer first.",
           "again_round": "Press “开始测验” (start) for another round, or export this round's handout below."},
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
        if has_typo(g.question):  # the gold set misspells on purpose, to test the assistant; trainees read it
            continue
        pool.append(g)
    return pool


def has_typo(question: str) -> bool:
    """Whether a question carries a misspelling the assistant corrects when it reads it: a homophone of the
    subject from a pinyin keyboard (协管猿, 辅组人员), or an English word the domain vocabulary corrects
    (documnets, auxilary)."""
    from assistant.query import QUESTION_PARTICLE_TYPO, SUBJECT_TYPOS
    from corpus.lexicon import load_lexicon

    if any(pattern.sub(right, question) != question for pattern, right in SUBJECT_TYPOS):
        return True
    if QUESTION_PARTICLE_TYPO.search(question):
        return True
    return load_lexicon().correct(question).lower() != question.lower()


def involves_an_officer(g: GoldItem) -> bool:
    """Whether "only with an officer" is a sensible choice: an article the item cites lets or bars an auxiliary
    acting with or without an officer (read from the provision model), not a question of age or status."""
    from corpus.provisions import provisions

    table = provisions()
    return g.verdict == "conditional" or any(p.modality in OFFICER_MODALITIES for ref in g.gold_refs
                                             for p in table.of(ref.split(":")[0]) if str(p.ref.article_ref) == ref)


# A factual question's choices are answers of the kind it asks for: who (an authority), how many (days, years,
# an age: the same unit) or when (a date). Anything else is asked as "which article answers this?", because
# facts of other kinds side by side are no choice at all ("经济发展水平相适应" offered for "由谁责令改正？").
ASKS = (
    ("date", re.compile(r"什么时候|啥时候|何时|哪天|哪一天|\bwhen\b", re.I)),
    ("number", re.compile(r"几|多少|多久|多长|上限|\bhow (?:many|long|old)\b", re.I)),
    ("body", re.compile(r"谁|哪些部门|哪个部门|哪个机关|\bwho(?:m|se)?\b", re.I)),
)
NUMBER = r"(?:\d+|[一二三四五六七八九十百零两]+)"
FACT_KINDS = (
    ("date", re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日")),
    ("days", re.compile(NUMBER + r"个?(?:工作日|日|天)")),
    ("age", re.compile(NUMBER + r"周?岁")),
    ("years", re.compile(NUMBER + r"年")),
    ("body", re.compile(r"部门|机关|政府|法制办|单位|机构|办事处")),
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def asks_for(question: str) -> str | None:
    return next((kind for kind, pattern in ASKS if pattern.search(question)), None)


def fact_kind(fact: str) -> str | None:
    return next((kind for kind, pattern in FACT_KINDS if pattern.search(fact)), None)


def _fits(asked: str, kind: str | None) -> bool:
    return kind == asked or (asked == "number" and kind in ("days", "age", "years"))


def fact_answer(g: GoldItem) -> str | None:
    """The key fact that answers a factual question as a choice among its kind (an ISO date first, for a date),
    or None when the question asks for nothing of a kind."""
    asked = asks_for(g.question)
    if g.type not in FACT_TYPES or not asked:
        return None
    fitting = [f for f in g.key_facts if _fits(asked, fact_kind(f))]
    return next((f for f in fitting if ISO_DATE.match(f)), fitting[0] if fitting else None)


def _renumbered(fact: str) -> list[str]:
    """The fact with its number changed: wrong answers of the same kind (不少于3个工作日 → 不少于5个工作日)."""
    from corpus.numerals import from_chinese

    match = re.search(NUMBER, fact)
    if not match:
        return []
    digits = match.group(0).isdigit()
    n = int(match.group(0)) if digits else from_chinese(match.group(0))
    values = sorted({n - 1, n + 1, n + 2, 2 * n, n + 5} - {n, 0}, key=lambda v: (abs(v - n), v))
    return [fact[:match.start()] + (str(v) if digits else to_chinese(v)) + fact[match.end():] for v in values if v > 0]


def fact_distractors(g: GoldItem, correct: str) -> list[str]:
    """Wrong answers of the correct one's kind, in a fixed order: other items' facts of that kind that answer the
    same question word (for a date,
    the dates the measures were issued, took effect and end), then for a number the same fact renumbered."""
    kind, asked = fact_kind(correct), asks_for(g.question)
    corpus = load()
    others = [o.key_facts for o in quiz_pool() if o.type in FACT_TYPES and set(o.gold_refs).isdisjoint(g.gold_refs)
              and asks_for(o.question) == asked]  # answers to the same question word: who, how many, when
    found = [f for facts in others for f in facts if fact_kind(f) == kind]
    if kind == "date":
        found += [d.isoformat() for m in corpus.measures.values()
                  for d in (m.issued, m.in_force, m.status(m.in_force).expires) if d]
        found = [f for f in found if bool(ISO_DATE.match(f)) == bool(ISO_DATE.match(correct))]
    if kind in ("days", "age", "years"):
        found += _renumbered(correct)
    return [f for f in dict.fromkeys(found) if f not in g.key_facts and f != correct]


def prompt_kind(g: GoldItem) -> str:
    if g.type == "yesno_duty":
        return "verdict"
    correct = fact_answer(g)
    return "fact" if correct and len(fact_distractors(g, correct)) >= 2 else "article"


def refs_text(refs: list[str] | tuple[str, ...], lang: str) -> str:
    """The articles, named in the trainee's language."""
    if lang != "en":
        return refs_label(refs)
    return "; ".join(provision_name(Ref.parse(r), "en") for r in refs)


def options_for(g: GoldItem, rng: random.Random, lang: str = "zh", pool: list[GoldItem] | None = None
                ) -> tuple[list[tuple[str, str]], str]:
    """The choices (label, value) for a gold item, and the correct value: verdicts that fit the question; the
    facts themselves for a factual item (distractors from other items' facts); else the articles."""
    kind = prompt_kind(g)
    if kind == "verdict":
        verdicts = [v for v in VERDICT_ORDER if v != "conditional" or involves_an_officer(g)]
        return [(VERDICT_BADGES[v][lang == "en"], v) for v in verdicts], g.verdict
    if kind == "fact":
        correct = fact_answer(g)
        others = fact_distractors(g, correct)
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
    return [(refs_text(v.split("|"), lang), v) for v in values], correct


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
    lang = state.get("lang", "zh")
    scope = (measures_phrase(lang) if g.measure == "both" else "" if g.measure not in measures
             else measures[g.measure].english_short_name if lang == "en" else measures[g.measure].short_name)
    return (f'<div class="quiz-question" data-id="{esc(g.id)}"><div class="quiz-progress">'
            f'{esc(texts["progress"].format(n=position + 1, total=total))}'
            f'{(" (" + esc(scope) + ")" if lang == "en" else "（" + esc(scope) + "）") if scope else ""}</div>'
            f'<div class="quiz-q">{esc(g.question)}</div>'
            f'<div class="quiz-prompt">{esc(texts[prompt_kind(g)])}</div></div>')


def _label(q: dict, value: str | None, texts: dict[str, str]) -> str:
    return dict((v, k) for k, v in q["options"]).get(value, texts["none"])


def grounds_html(g: GoldItem, texts: dict[str, str], lang: str = "zh") -> str:
    """The clauses that ground the answer, quoted with their articles."""
    colon = ": " if lang == "en" else "："
    items = "".join(f"<li>{esc(label)}{colon}「{esc(quote)}」</li>" for label, quote in gold_grounds(g, lang))
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
            f'{grounds_html(g, texts, lang)}{_gold_panels(g, opened=False)}</div>')


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
                    f'{"" if prompt_kind(g) == "article" else "（" + esc(refs_text(g.gold_refs, state.get("lang"))) + "）"}'
                    '</small></li>')
    percent = round(100 * right / total) if total else 0
    again = texts["again_round"]
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
        return state, f'<div class="quiz-empty">{esc(_texts(state)["choose"])}</div>'
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
        return (state, quiz_question_html(state), _choices(state),
                f'<div class="quiz-empty">{esc(_texts(state)["submit"])}</div>')
    state["index"] += 1
    state["revealed"] = False
    return state, quiz_question_html(state), _choices(state), ""
