"""answer(): the one public function that the CLI, the app and the benchmark call.

    question ─► inputs ─► Query (parsed once) ─► scope ─► validity | reason | verdict | consequence | retrieval
             ─► compose ─► verify ─► Answer

The index (and its embedding model) is opened on the first question that needs it, once per process. A yes/no
question gets a verdict from the provision model (assistant.verdict): the provision it lands on says whether
the act is allowed, barred or required; a follow-up inherits the question it follows (assistant.query).
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from corpus import IN_FORCE, Ref, load
from corpus.lexicon import load_lexicon
from corpus.provisions import provisions, states_figure
from assistant import compose, inputs, llm
from assistant.language import detect_lang
from assistant.match import article_fit
from assistant.resources import article_index, reader
from assistant.query import COMPARE, CONSEQUENCE, LIST, REASON, TEMPORAL, YESNO, Query, parse
from assistant.scope import load_scope
from assistant.session import Session, Turn
from assistant.types import CONDITIONAL, DECLINED, NO, NOT_ADDRESSED, RETRIEVAL, VERDICT, YES, Answer, Citation
from assistant.validity import elsewhere_note, expiry_note, place_note, status_sentence
from assistant.verify import problems

# The first line of a factual answer quotes the chosen article's provision the learned reading gives at least this
# probability; a comparison quotes a measure's second article when it is at least SECOND_ARTICLE as likely as its
# first; an answer to a question that names no measure quotes another measure's article when it is at least
# OTHER_MEASURE as likely as the first (tuned on the bank's calibration part).
FOCUS_PROBABILITY = 0.2
SECOND_ARTICLE = 0.5
OTHER_MEASURE = 0.5
# Provisions that state why an auxiliary works as it does: under an officer's direction, without its own
# qualification, with the agency bearing the legal consequences. A "为什么" is answered from these.
PRINCIPLE = re.compile(r"指导下|指挥和监督下|执法资格|法律后果|谁使用")


def preload() -> None:
    """Load what a first question would otherwise wait for: the index and its model, the provision table, the
    lexicon and its English word list. A long-running process (the app, a benchmark) calls it once at start."""
    article_index().search("岗前培训", k=1)
    answer("Can an auxilary serve documnets alone?")


def answer(question: object, measure: str | None = None, session: Session | None = None,
           today: date | None = None, mode: str = "hybrid", verdicts: bool = True) -> Answer:
    """Answer one question; with a session, follow-ups use its history and the turn is remembered.
    `verdicts=False` answers yes/no questions by retrieval alone (a baseline for the benchmark)."""
    started = time.perf_counter()
    if measure is not None and measure not in load().measures:
        raise ValueError(f"unknown measure {measure!r}: use one of {', '.join(load().measures)}")
    session = session if session is not None else Session()
    result, query = _route(question, measure, session, today or date.today(), mode, verdicts)
    result.latency_ms = (time.perf_counter() - started) * 1000
    if query is not None:
        session.remember(Turn(query, result))
    return result


def _route(question, measure, session, today, mode, verdicts) -> tuple[Answer, Query | None]:
    issue = inputs.problem(question)
    if issue:
        sample = question[:200] if isinstance(question, str) else ""  # a look at the language, never the whole
        lang = "en" if sample.strip() and detect_lang(sample) == "en" else "zh"
        return _notice(question, issue, lang), None
    text = inputs.clean(question)
    previous = session.last.query if session.last else None
    q = parse(text, previous, measure or session.measure, reader())
    lang = q.lang

    if previous is None and _bare(q):
        return _decline(q, "bare"), q
    scope = load_scope()
    if scope.injected(text):
        return _decline(q, "injection", nearest=_nearest(q, mode)), q
    if scope.task(text):  # the articles on what it names are offered; a request that names nothing gets none
        return _decline(q, "task", nearest=_nearest(q, mode) if _names_a_matter(q) else None), q
    if q.elsewhere and (_unrelated(q) or q.reading.scope.p("other_place") >= OTHER_PLACE):
        # "北京的辅助人员能罚款吗": another place's rules; "北京明天天气怎么样": not about rules at all. A place
        # told as where something happened ("看到北京有个报道…协管员能…吗") asks about the measures, with a note
        return (_unknown(q, []) if _unrelated(q) else _decline(q, "place", place=q.elsewhere)), q
    if q.place and not _names_a_matter(q):  # "石家庄今天限号吗": one of the measures' places, none of their matters
        return _unknown(q, []), q
    elsewhere = scope.elsewhere(text)
    if elsewhere and not (q.form == YESNO and q.reading.scope.p("in") > 0.5 and _settled(q)):
        # "有没有加班费" is left to another law; "合同里约定的年假也算我的权利吧", read as a yes/no the measures settle,
        # is not (a detail asked for, "哪家派遣公司", stays elsewhere however it is read)
        cites = [c for c in elsewhere.cites if q.measure is None or c.ref.measure == q.measure] or list(elsewhere.cites)
        declined = _decline(q, "elsewhere", reason=elsewhere.reason[lang], cites=cites)
        if q.form == YESNO:  # "有没有加班费": the measures leave it to another law, which is the answer
            return _finish(replace(declined, route=VERDICT, verdict=NOT_ADDRESSED, declined=False), today, q), q
        return declined, q
    instrument = scope.other_instrument(text) if q.form not in (YESNO, TEMPORAL) else None
    if instrument:  # what another law or document says: the measures hold at most its name
        cites = [Citation(p.ref, p.text) for p in provisions().all if p.leaf and instrument in p.text
                 and (q.measure is None or p.ref.measure == q.measure)]
        return _decline(q, "instrument", document=instrument, cites=cites,
                        nearest=None if cites else _nearest(q, mode)), q
    if q.form == TEMPORAL:
        return _finish(_validity_answer(q, today), today, q), q

    index = article_index()
    learned = verdicts and mode == "hybrid"  # the baselines (eval --baselines) answer by plain retrieval
    hits = _learned_articles(q) if learned else _ranked_articles(index, q, mode)
    if q.form == REASON and (q.follow_up or learned):
        reason = _reason_answer(q, index, mode)
        if reason is not None:
            return _finish(reason, today, q), q
    settled = _settled(q)
    if q.public_actor and not settled:  # the measures bind auxiliaries and agencies, not the public
        return _decline(q, "public", nearest=[h.ref for h in hits[:3]]), q
    if q.form == YESNO and verdicts and not q.hedged:
        from assistant.verdict import decide

        decision = decide(index, q, mode)
        if not decision.addressed and q.reading.out_of_scope > 0.5:  # no provision holds it, nor is it near them
            return _unknown(q, hits), q
        return _finish(_verdict_answer(q, index, decision), today, q), q
    grounded = settled or q.form == COMPARE and len(q.measures) > 1 and bool(load_lexicon().matches(q.topic)) \
        or q.asks_figure is not None and q.reading.scope.top in ("in", "near")  # a figure they may state or not
    if not grounded:
        return _unknown(q, hits), q
    if q.form == CONSEQUENCE:
        consequence = _consequence_answer(q, index, mode)
        if consequence is not None:
            return _finish(consequence, today, q), q
    return _finish(_retrieval_answer(q, index, hits, mode, today), today, q), q


# A question naming another place is about that place's rules when the learned reading gives "another place" at
# least this (chosen on the bank's calibration part: every question there naming another place and asking about
# the measures is answered, and 26 of the 27 asking about that place's rules are declined here)
OTHER_PLACE = 0.2
SURELY_IN = 0.9  # a factual, list or compare question read as inside the measures this surely is answered from them


def _settled(q: Query) -> bool:
    """Do the measures settle the question, by the learned reading: not outside them (another place, other
    personnel, off-topic…), and one of the measures it is about speaks to it (whether a question is only near
    them is read per measure: its silence)."""
    if q.reading.out_of_scope >= 0.5:
        return False
    if q.form != YESNO and q.reading.scope.p("in") >= SURELY_IN:  # "培训有什么要求": what the measures say is the answer
        return True
    return any(v <= 0.5 for k, v in q.reading.silent.items() if not q.measures or k in q.measures)


@dataclass(frozen=True)
class ArticleHit:
    """An article as the learned reading ranks it for a question: the best probability among its provisions."""

    ref: str
    score: float


def _learned_articles(q: Query) -> list[ArticleHit]:
    """The articles of the measures the question is about, by the learned reading: each measure's provisions
    weighted by the probability that the measure speaks to it."""
    from reading.features import mentions

    best: dict[str, float] = {}
    for key, ranked in q.reading.provisions.items():
        if q.measures and key not in q.measures:
            continue
        speaks = 1.0 - q.reading.silent.get(key, 1.0)
        for ref, p in ranked:  # an article is as likely as its provisions together (one of them decides)
            article = str(Ref.parse(ref).article_ref)
            best[article] = best.get(article, 0.0) + speaks * p
        for number, _, _ in mentions(q.text):  # an article the question names by number is what it asks about
            if 1 <= number <= len(load().articles(key)):
                best[f"{key}:{number}"] = 1.0 + best.get(f"{key}:{number}", 0.0)
    return [ArticleHit(ref, score) for ref, score in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]


def _ranked_articles(index, q: Query, mode: str):
    """The article ranking, its first five reordered by how well each article's lead fits what the question
    asks (assistant.match.article_fit)."""
    from dataclasses import replace

    hits = index.search(q.topic, k=8, mode=mode, measure=q.measure)
    head = sorted(hits[:5], key=lambda h: -(h.score + article_fit(h.ref, q)))
    return [replace(h, score=h.score + article_fit(h.ref, q)) for h in head] + hits[5:]


def _unrelated(q: Query) -> bool:
    """The learned reading takes the question for one about something else than rules (the weather, a joke)."""
    return q.reading.scope.p("off_topic") > 0.5


def _unknown(q: Query, hits) -> Answer:
    """A decline of what the measures do not address, offering the nearest articles; a question about something
    else entirely is told so, with no articles (they would be the nearest to nothing)."""
    if _unrelated(q):
        return _decline(q, "off_topic")
    return _decline(q, "unknown", nearest=[h.ref for h in hits[:3]])


@cache
def _generic(terms: tuple[str, ...]) -> bool:
    """A lexicon entry that most articles use (行政执法辅助人员): naming it names no particular matter."""
    articles = load().articles()
    return sum(any(t in a.text for t in terms) for a in articles) >= len(articles) / 2


def _names_a_matter(q: Query) -> bool:
    """The question names a matter the measures treat: a lexicon entry that not most articles use."""
    return any(not _generic(entry.terms) for entry in load_lexicon().matches(q.topic))


def _nearest(q: Query, mode: str, k: int = 3) -> list[str]:
    return [hit.ref for hit in article_index().search(q.topic, k=k, mode=mode, measure=q.measure)]


def _in_force_first(ref: str, today: date) -> int:
    """Sort key: a measure in force leads; an expired one follows."""
    return int(load().measures[ref.split(":")[0]].status(today).state != IN_FORCE)


def _focus(q: Query, article: str) -> Ref | None:
    """The provision of an article that a factual or list question lands on, by the learned reading (its likeliest
    provision in that article, when likely enough): the first line quotes it, an item with its lead."""
    ranked = q.reading.provisions.get(article.split(":")[0], ())
    found = next(((ref, p) for ref, p in ranked if str(Ref.parse(ref).article_ref) == article), None)
    return Ref.parse(found[0]) if found and found[1] >= FOCUS_PROBABILITY else None


def _retrieval_answer(q: Query, index, hits, mode: str, today: date) -> Answer:
    every = q.every_measure and len(q.measures) > 1 and q.form != LIST  # "三个地方…有什么不同": each measure's rule
    kind = "compare" if q.form == COMPARE or every else "list" if q.form == LIST else "factual"
    focus = None
    if kind == "compare" and q.measure is None:
        keys = list(q.measures) if len(q.measures) > 1 else list(load().measures)
        refs = []
        for key in keys:  # each measure's best article, and its second when about as likely (调查取证: 第九条、第十条)
            found = [h for h in hits if h.ref.startswith(key + ":")][:2]
            refs += [h.ref for i, h in enumerate(found) if i == 0 or h.score >= SECOND_ARTICLE * found[0].score]
    else:
        first = hits[0].ref
        focus = _focus(q, first)
        refs = [first]
        other = next((h for h in hits[:3] if h.ref.split(":")[0] != first.split(":")[0]), None)
        if q.measure is None and other is not None and other.score >= OTHER_MEASURE * hits[0].score:
            refs.append(other.ref)
            refs.sort(key=lambda ref: _in_force_first(ref, today))
    sections = [(ref, compose.article_citations(ref, q.topic, whole=kind == "list", focus=focus)) for ref in refs]
    citations = list(dict.fromkeys(c for _, cites in sections for c in cites))
    governing = [provisions().get(str(focus)).text] if focus else [load().article(ref).text for ref in refs]
    if q.asks_figure is not None and kind != "list" and not load_scope().asks_who_or_how_decided(q.text) \
            and not any(states_figure(text, q.asks_figure) for text in governing):
        return _decline(q, "no_figure", cites=citations)  # what governs it states a principle, or no figure of that kind
    extractive = Answer(q.text, compose.render(q.topic, q.lang, kind, sections, focus), RETRIEVAL,
                        citations=citations, lang=q.lang)
    return llm.phrase(extractive)


def _consequence_answer(q: Query, index, mode: str) -> Answer | None:
    """What follows from an act: the sanction that enforces the provision the act falls under, cited with that
    provision; or the sanction the question lands on, with the provisions it enforces."""
    table = provisions()
    keys = list(q.measures) or list(load().measures)
    lines, citations = [], []
    for key in keys:
        ranked = q.reading.provisions.get(key, ())
        if not ranked or q.reading.silent.get(key, 1.0) > 0.5:
            continue
        p = table.get(ranked[0][0])
        if p.modality == "sanction":
            sanction, enforced = p, [table.get(r) for r in p.refers_to if r in table.by_ref]
        elif p.sanctioned_by:
            sanction, enforced = table.get(p.sanctioned_by[0]), [p]
        else:
            continue
        sanction_cites = [Citation(sanction.ref, sanction.text.split("\n", 1)[0])]
        act_cites = [c for e in enforced for c in compose.provision_citations(e.ref, e.text.split("\n", 1)[0].rstrip("；;"))]
        name = compose.provision_name(sanction.ref, q.lang)
        if q.lang == "zh":
            lines.append(f"{name}规定：「{sanction_cites[0].quote}」")
        else:
            lines.append(f"{name} provides: 「{sanction_cites[0].quote}」")
        citations += sanction_cites + act_cites
    if not citations:
        return None
    citations = list(dict.fromkeys(citations))
    head = ("**" + " ".join(lines) + "**") if lines else ""
    body = head + "\n\n" + compose.quote_block(citations)
    return Answer(q.text, body, RETRIEVAL, citations=citations, lang=q.lang)


def principles(measure: str) -> list:
    """The provisions of a measure that state why an auxiliary works as it does (see PRINCIPLE)."""
    return [p for p in provisions().of(measure)
            if (p.leaf or p.children[0].item is not None) and p.kind not in ("item", "subitem")
            and any(PRINCIPLE.search(n.text) for n in p.norms)]


def reason_grounds(decision) -> list[Citation]:
    """For what an auxiliary may not do (alone), the principles of the measures that decide it (see PRINCIPLE):
    why the ban exists. What is permitted or required has its reason in the provision itself."""
    if decision.verdict not in (NO, CONDITIONAL):
        return []
    grounds = []
    for key in [f.measure for f in decision.findings if f.provision is not None] or list(load().measures):
        for p in principles(key):
            norm = next(n for n in p.norms if PRINCIPLE.search(n.text))
            grounds.append(Citation(p.ref, norm.text.rstrip("。；;，,")))
    return list(dict.fromkeys(grounds))


def _verdict_answer(q: Query, index, decision) -> Answer:
    """A yes/no answer: the verdict first when the answer is sure enough to commit to it; otherwise "需要核实" with
    the closest provisions and what each rules (assistant.confidence)."""
    from assistant.confidence import weigh

    judged = weigh(index, q, decision)
    if judged.committed:
        body, citations = compose.render_verdict(judged.shown, q.lang)
        return Answer(q.text, body, VERDICT, verdict=judged.leaning, citations=citations, lang=q.lang,
                      confidence=judged.confidence, leaning=judged.leaning,
                      required=q.must and judged.leaning == YES)
    body, citations = compose.render_unsure(judged, q.lang)
    return Answer(q.text, body, VERDICT, citations=citations, lang=q.lang, confidence=judged.confidence,
                  leaning=judged.leaning)


def _reason_answer(q: Query, index, mode: str) -> Answer | None:
    """"为什么？" after an answer: the verdict of the question it follows, with the provisions that ground it. A why
    of its own ("为什么协管员不能自己开罚单") is answered so when it leans to a ban; its other whys (what is allowed, or
    so) have their reason in the provisions retrieved (None). An unsure answer still gives the principles behind
    the ban it leans to."""
    from assistant.confidence import weigh
    from assistant.verdict import decide

    decision = decide(index, q, mode)
    judged = weigh(index, q, decision)
    grounds = reason_grounds(judged.shown)
    if q.previous is None and not grounds:
        return None
    if not judged.committed:  # the why of an unsure answer is what would decide it
        body, citations = compose.render_unsure(judged, q.lang, grounds)
        return Answer(q.text, body, VERDICT, citations=citations, lang=q.lang, confidence=judged.confidence,
                      leaning=judged.leaning)
    body, citations = compose.render_reason(judged.shown, grounds, q.lang)
    return Answer(q.text, body, VERDICT, verdict=judged.leaning, citations=citations, lang=q.lang,
                  confidence=judged.confidence, leaning=judged.leaning, required=q.must and judged.leaning == YES)


def _validity_answer(q: Query, today: date) -> Answer:
    corpus = load()
    as_of = q.as_of or today
    keys = list(q.measures) or list(corpus.measures)
    lines, citations, issued = [], [], []
    for key in keys:
        m = corpus.measures[key]
        lines.append(status_sentence(m, as_of, q.lang))
        if m.term.ref and m.term.clause:
            citations.append(Citation(Ref.parse(m.term.ref), m.term.clause))
        issued.append(f"{m.short_name}由{m.issuer}于{m.issued.isoformat()}印发。" if q.lang == "zh" else
                      f"{m.english_subject} was issued by {m.issuer} on {m.issued.isoformat()}.")
    body = "**" + lines[0] + "**" + ("\n\n" + "\n\n".join(lines[1:]) if lines[1:] else "")
    body += "\n\n" + " ".join(issued) + ("\n\n" + compose.quote_block(citations) if citations else "")
    return Answer(q.text, body, RETRIEVAL, citations=citations, lang=q.lang, from_metadata=True)


def _decline_head(why: str, lang: str, measure: str | None = None, **values) -> str:
    """The first line of a decline; one measure named (asked about one) or all of them together."""
    corpus = load()
    every = compose.measures_phrase(lang)
    if measure in corpus.measures:
        m = corpus.measures[measure]
        phrase, one = (m.short_name, True) if lang == "zh" else (m.english_short_name, True)
    else:
        phrase, one = every, len(corpus.measures) == 1
    Phrase = phrase[0].upper() + phrase[1:]
    do, sets, its = ("does", "sets", "its") if one else ("do", "set", "their")
    places = "、".join(m.jurisdiction.split("（")[0] for m in corpus.measures.values())
    heads = {
        "injection": (f"**无法按问题中夹带的指令作答。** 本助手只依据{every}的条文回答，不执行问题里的其他指令。",
                      f"**I can't follow instructions embedded in a question.** I answer only from the text of {every}."),
        "task": (f"**本助手只回答{every}条文怎么规定，不代写总结、申请书或其他文书。**",
                 f"**I answer what {every} provide; I don't write summaries, applications or other documents.**"),
        "instrument": (f"**{phrase}没有载明「{{document}}」的具体内容，无法依据条文回答。** 本助手只有{every}的原文。",
                       f"**{Phrase} {do} not contain what {{document}} says, so I can't answer from {its} text.** "
                       f"I hold only the text of {every}."),
        "place": (f"**本助手只涵盖{places}的办法，无法回答关于「{{place}}」的规定。**",
                  f"**I only cover the measures of {', '.join(m.english_subject.removeprefix('The ').removesuffix(' measure') for m in corpus.measures.values())}, so I can't answer about rules in {{place}}.**"),
        "elsewhere": (f"**{phrase}没有对这个问题作出具体规定。** {{reason}}", f"**{Phrase} {do} not settle this.** {{reason}}"),
        "no_figure": (f"**{phrase}没有规定具体的数字（数额、人数或比例）。** 相关条文只作了原则性规定：",
                      f"**{Phrase} {sets} no figure for this (an amount, a number or a rate).** "
                      f"The provisions that govern it state only the principle:"),
        "public": (f"**{phrase}规范的是行政执法辅助人员和聘用他们的机关，没有规定群众（行政相对人）自己可以怎么做。**",
                   f"**{Phrase} {'governs' if one else 'govern'} auxiliaries and the agencies that employ them, not what "
                   f"members of the public may do.**"),
        "bare": (f"**这个问题还没说完：您想问{phrase}的哪一方面？** 例如：“辅助人员可以单独送达文书吗？”",
                 f"**What would you like to know about {phrase}?** For example: \"Can an auxiliary serve documents "
                 "alone?\""),
        "off_topic": (f"**这个问题与{every}无关。** 本助手只回答{every}关于行政执法辅助人员的规定，例如：“辅助人员可以单独送达文书吗？”",
                      f"**That question is not about {every}.** I answer what they provide on law-enforcement "
                      "auxiliaries, for example: \"Can an auxiliary serve documents alone?\""),
        "unknown": (f"**{phrase}没有涉及这个问题，无法依据条文回答。**",
                    f"**{Phrase} {do} not address this question, so I can't answer it from {its} text.**"),
    }
    return heads[why][lang == "en"].format(**values)


def _decline(q: Query, why: str, cites: list[Citation] | None = None, nearest: list[str] | None = None,
             **values) -> Answer:
    """A decline: its first line (filled with `values`: the place, the reason, the document named), the
    provisions that govern the matter quoted, and the nearest articles offered."""
    corpus = load()
    parts = [_decline_head(why, q.lang, q.measure, **values)]
    if cites:
        parts.append(compose.quote_block(cites))
    if nearest:
        parts.append(compose.RELATED_INTRO[q.lang] + "\n" + "\n".join(f"- {corpus.label(ref)}" for ref in nearest))
    return Answer(q.text, "\n\n".join(parts), DECLINED, declined=True, citations=list(cites or []),
                  related=[Ref.parse(r) for r in nearest or []], lang=q.lang)


PARTICLES = re.compile(r"[那呢吗嘛啊吧么的了还又也再和与及]|\b(?:what|about|and|how|so|then|the|in|for|of|with|or|is|it)\b|"
                       r"[\W\d_]", re.IGNORECASE)


def _bare(q: Query) -> bool:
    """Nothing is asked once the measures' names and the particles are set aside ("那河北呢？", "what about
    Taixing?" with no turn before): there is nothing to answer, whatever a reading would make of it."""
    from reading.text import PLACEHOLDER, masked

    return not PARTICLES.sub("", masked(q.text, reader().names).replace(PLACEHOLDER, ""))


def _notice(question, issue: str, lang: str) -> Answer:
    shown = question if isinstance(question, str) and len(question) <= 200 else ""
    return Answer(shown, inputs.MESSAGES[issue][lang == "en"], DECLINED, declined=True, lang=lang)


def _finish(result: Answer, today: date, q: Query | None = None) -> Answer:
    """Add the notes on the measures the answer cites (a place inside one's jurisdiction, expiry, another place
    the question names), then verify the citations."""
    corpus = load()
    cited = [corpus.measures[key] for key in dict.fromkeys(c.ref.measure for c in result.citations)]
    notes = []
    for measure in cited:
        placed = q is not None and q.place is not None and measure.key in q.measures
        notes += [place_note(q.place, measure, result.lang) if placed else None,
                  expiry_note(measure, result.lang, today)]
    if q is not None and q.elsewhere and cited:
        notes.append(elsewhere_note(q.elsewhere, cited, result.lang))
    for note in filter(None, notes):
        result.notes.append(note)
        result.text += "\n\n" + note
    found = problems(result)
    if found:  # never show an unverified answer
        print(f"assistant: withheld an answer that failed verification: {'; '.join(found)}", file=sys.stderr)
        nearest = [str(c.ref.article_ref) for c in result.citations][:3]
        return Answer(result.question, _decline_head("unknown", result.lang), DECLINED, declined=True,
                      related=[Ref.parse(r) for r in nearest], lang=result.lang)
    return result


__all__ = ["answer", "article_index", "preload"]
