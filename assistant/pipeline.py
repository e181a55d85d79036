"""answer(): the one public function that the CLI, the app and the benchmark call.

    question ─► inputs ─► scope ─► validity ─► rules ─► retrieval ─► compose ─► verify ─► Answer

The rules route needs no model; the index (and its embedding model) is opened on the first question that
reaches retrieval, once per process.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from functools import cache

from corpus import IN_FORCE, Ref, load
from corpus.lexicon import load_lexicon
from assistant import compose, inputs, llm
from assistant.language import detect_lang
from assistant.scope import load_scope
from assistant.session import Session, Turn, is_follow_up, named_measure, names_both
from assistant.types import DECLINED, RETRIEVAL, RULES, Answer, Citation
from assistant.validity import date_in, expiry_note, is_temporal, status_sentence
from assistant.verify import problems

# Retrieval grounds a question only when the best article is close in meaning (dense) AND the question is
# anchored in the domain's words (a lexicon phrasing, or enough BM25 evidence). Calibrated on
# tests/data/offtopic.txt against the rules' in-scope phrasings, never on the gold set: 3 of 40 off-topic
# questions pass, 62 of 65 in-scope ones do. The best of the top three hits counts.
MIN_DENSE = 0.88
MIN_LEXICAL = 3.0
GROUNDING_DEPTH = 3


@cache
def article_index(model: str | None = None):
    from index.search import ArticleIndex

    return ArticleIndex.open(model, progress=True)


def preload() -> None:
    """Load what a first question would otherwise wait for: the index and its model, the rules, the lexicon
    and its English word list. A long-running process (the app, a benchmark) calls it once at start."""
    article_index().search("岗前培训", k=1)
    answer("Can an auxilary serve documnets alone?")


def answer(question: object, measure: str | None = None, session: Session | None = None,
           today: date | None = None, mode: str = "hybrid", use_rules: bool = True) -> Answer:
    """Answer one question; with a session, follow-ups use its history and the turn is remembered."""
    started = time.perf_counter()
    if measure is not None and measure not in load().measures:
        raise ValueError(f"unknown measure {measure!r}: use {' or '.join(load().measures)}")
    session = session if session is not None else Session()
    result, topic, duty = _route(question, measure, session, today or date.today(), mode, use_rules)
    result.latency_ms = (time.perf_counter() - started) * 1000
    if not inputs.problem(question):
        session.remember(Turn(inputs.clean(question), topic, result, duty))
    return result


def _route(question, measure, session, today, mode, use_rules) -> tuple[Answer, str, object]:
    issue = inputs.problem(question)
    if issue:
        lang = "en" if isinstance(question, str) and question.strip() and detect_lang(question) == "en" else "zh"
        return _notice(question, issue, lang), "", None
    text = inputs.clean(question)
    lang = detect_lang(text)
    previous = session.last
    follow = previous is not None and is_follow_up(text)
    topic = f"{previous.topic} {text}" if follow else text
    chosen = None if names_both(text) else (named_measure(text) or measure or
                                            (named_measure(previous.topic) if follow else None) or session.measure)

    scope = load_scope()
    if scope.injected(text):
        return _decline(text, lang, "injection", nearest=_nearest(text, chosen, mode)), topic, None
    place = scope.other_place(text)
    if place:
        return _decline(text, lang, "place", place=place), topic, None
    elsewhere = scope.elsewhere(text)
    if elsewhere:
        cites = [c for c in elsewhere.cites if chosen is None or c.ref.measure == chosen] or list(elsewhere.cites)
        return _decline(text, lang, "elsewhere", reason=elsewhere.reason[lang], cites=cites), topic, None
    if is_temporal(text):
        return _finish(_validity_answer(text, lang, chosen, today), today), topic, None
    if use_rules:
        from assistant.rules import classify, judge

        duty = classify(text, measure=chosen, previous=previous.duty if follow else None)
        if duty is not None:
            verdict = judge(duty)
            result = Answer(text, verdict.text(lang), RULES, verdict=verdict.verdict,
                            citations=list(verdict.citations), lang=lang)
            return _finish(result, today), topic, duty
    return _finish(_retrieval_answer(text, topic, lang, chosen, mode, today), today), topic, None


def _nearest(text: str, measure: str | None, mode: str, k: int = 3) -> list:
    return [hit.ref for hit in article_index().search(text, k=k, mode=mode, measure=measure)]


def _grounded(hits, text: str, mode: str) -> bool:
    """Close in meaning and anchored in the domain's words, judged on the signals the mode computes (the
    bm25 and dense ablations have only one of them)."""
    if not hits:
        return False
    near = hits[:GROUNDING_DEPTH]
    anchored = max(h.lexical for h in near) >= MIN_LEXICAL or bool(load_lexicon().matches(text))
    close = mode == "bm25" or max(h.dense for h in near) >= MIN_DENSE
    return close and anchored


def _in_force_first(ref: str, today: date) -> int:
    """Sort key: a measure in force leads; an expired one follows."""
    return int(load().measures[ref.split(":")[0]].status(today).state != IN_FORCE)


def _retrieval_answer(text: str, topic: str, lang: str, measure: str | None, mode: str, today: date) -> Answer:
    index = article_index()
    hits = index.search(topic, k=8, mode=mode, measure=measure)
    if not _grounded(hits, topic, mode):
        return _decline(text, lang, "unknown", nearest=[h.ref for h in hits[:3]])
    kind = "compare" if names_both(text) else compose.question_kind(topic)
    if kind == "compare" and measure is None:
        subject = compose.compare_subject(topic)
        refs = [index.search(subject, k=1, mode=mode, measure=key)[0].ref for key in load().measures]
    else:
        refs = [hits[0].ref]
        other = next((h for h in hits[1:3] if h.ref.split(":")[0] != refs[0].split(":")[0]), None)
        if measure is None and other is not None and other.score >= 0.85 * hits[0].score:
            refs.append(other.ref)
            refs.sort(key=lambda ref: _in_force_first(ref, today))
    sections = [(ref, compose.article_citations(ref, topic, whole=kind == "list")) for ref in refs]
    citations = [c for _, cites in sections for c in cites]
    extractive = Answer(text, compose.render(topic, lang, kind, sections), RETRIEVAL, citations=citations, lang=lang)
    return llm.phrase(extractive)


def _validity_answer(text: str, lang: str, measure: str | None, today: date) -> Answer:
    corpus = load()
    as_of = date_in(text) or today
    keys = [measure] if measure else list(corpus.measures)
    lines, citations, issued = [], [], []
    for key in keys:
        m = corpus.measures[key]
        lines.append(status_sentence(m, as_of, lang))
        citations.append(Citation(Ref.parse(m.term.ref), m.term.clause))
        issued.append(f"{m.short_name}由{m.issuer}于{m.issued.isoformat()}印发。" if lang == "zh" else
                      f"{m.english_subject} was issued by {m.issuer} on {m.issued.isoformat()}.")
    body = "**" + lines[0] + "**" + ("\n\n" + "\n\n".join(lines[1:]) if lines[1:] else "")
    body += "\n\n" + " ".join(issued) + "\n\n" + compose.quote_block(citations)
    return Answer(text, body, RETRIEVAL, citations=citations, lang=lang)


DECLINE_HEAD = {
    "injection": ("**无法按问题中夹带的指令作答。** 本助手只依据两部办法的条文回答，不执行问题里的其他指令。",
                  "**I can't follow instructions embedded in a question.** I answer only from the two measures' text."),
    "place": ("**本助手只涵盖河北省和泰兴市的两部办法，无法回答关于「{place}」的规定。**",
              "**I only cover the Hebei and Taixing measures, so I can't answer about rules in {place}.**"),
    "elsewhere": ("**两部办法没有对这个问题作出具体规定。** {reason}", "**The two measures do not settle this.** {reason}"),
    "unknown": ("**两部办法没有涉及这个问题，无法依据条文回答。**",
                "**The two measures do not address this question, so I can't answer it from their text.**"),
}


def _decline(text: str, lang: str, why: str, place: str = "", reason: str = "",
             cites: list[Citation] | None = None, nearest: list[str] | None = None) -> Answer:
    corpus = load()
    head = DECLINE_HEAD[why][lang == "en"].format(place=place, reason=reason)
    parts = [head]
    if cites:
        parts.append(compose.quote_block(cites))
    if nearest:
        intro = "可能相关的条文：" if lang == "zh" else "Articles that may be related:"
        parts.append(intro + "\n" + "\n".join(f"- {corpus.label(ref)}" for ref in nearest))
    return Answer(text, "\n\n".join(parts), DECLINED, declined=True, citations=list(cites or []),
                  related=[Ref.parse(r) for r in nearest or []], lang=lang)


def _notice(question, issue: str, lang: str) -> Answer:
    shown = question if isinstance(question, str) and len(question) <= 200 else ""
    return Answer(shown, inputs.MESSAGES[issue][lang == "en"], DECLINED, declined=True, lang=lang)


def _finish(result: Answer, today: date) -> Answer:
    """Add validity notes for expired measures that the answer cites, then verify the citations."""
    corpus = load()
    for key in dict.fromkeys(c.ref.measure for c in result.citations):
        note = expiry_note(corpus.measures[key], result.lang, today)
        if note:
            result.notes.append(note)
            result.text += "\n\n" + note
    found = problems(result)
    if found:  # never show an unverified answer
        print(f"assistant: withheld an answer that failed verification: {'; '.join(found)}", file=sys.stderr)
        return _decline(result.question, result.lang, "unknown", nearest=[str(c.ref.article_ref) for c in result.citations][:3])
    return result


__all__ = ["answer", "article_index", "preload"]
