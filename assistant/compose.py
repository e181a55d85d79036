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
from assistant.verdict import first_hire_only

SPLIT = re.compile(r"(?<=[。；])|\n")
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


def article_citations(ref: str, question: str, whole: bool, focus: Ref | None = None) -> list[Citation]:
    """The whole article (for list questions and short articles), or the provision the question lands on and
    the article's best clauses; an item always with the lead clause it is listed under."""
    article = load().article(ref)
    if whole or len(article.text) <= 80:
        return [Citation(article.ref, article.text)]
    cites = []
    if focus is not None and focus.article_ref == article.ref and (focus.item or focus.paragraph):
        cites += provision_citations(focus, focus_words(focus, question))
    for s in best_segments(ref, question):
        words = s.text.rstrip("：:；;。，,")
        if any(words in c.quote for c in cites):
            continue  # already quoted, from the paragraph that holds it
        cites += provision_citations(s.ref, words) if s.ref.item else [Citation(s.ref, words)]
    return list(dict.fromkeys(cites))


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


def with_lead(segment_ref: Ref, text: str) -> str:
    """An item's words with the lead clause it is listed under ("行政执法辅助人员不得有下列行为：删除…"), so that
    an item of a 不得 list never reads as a permission."""
    lead = lead_of(segment_ref) if segment_ref.item else None
    return f"{lead[1]}：{text}" if lead else text


def lead_line(ref: str, question: str, lang: str, kind: str, focus: Ref | None = None) -> str:
    """The direct first line: the provision the question lands on (`focus`, an item with its lead) or the clause
    that best answers the question; for a list, its stem and count."""
    article = load().article(ref)
    name = article_name(article.ref, lang)
    if kind == "list" and article.items:
        stem = article.text.split("\n", 1)[0]
        if lang == "zh":
            return f"**{name}规定：{stem.rstrip('：:')}，共{len(article.items)}项。**"
        return f"**{name} lists {len(article.items)} items:** 「{stem}」"
    if focus is not None and focus.article_ref == article.ref and (focus.item or focus.paragraph):
        said = focus
        words = with_lead(focus, focus_words(focus, question))
    else:
        segment = best_segments(ref, question, limit=1)[0]
        said = segment.ref
        words = with_lead(segment.ref, segment.text.rstrip("；;"))
    if lang == "zh":
        return f"**{name}规定：{words}**"
    gloss = english_gloss(said)
    return f"**{name} addresses this:** 「{words}」" + (f" {gloss}" if gloss else "")


SUBJECT_EN = {"auxiliary": "an auxiliary", "agency": "the enforcement agency", "candidate": "a candidate for hire",
              "government": "the government", "department": "the department it names"}
GLOSS_EN = {  # what a provision's modality says, in English, with the Chinese words that say it
    "must": "{subject} must do this (应当)", "must_not": "{subject} must not do this (不得)",
    "may": "{subject} may do this (可以)", "may_alone": "an auxiliary may do this alone (可以独立从事)",
    "with_officer": "an auxiliary may do this only assisting an officer, who takes part and guides (协助)",
    "must_not_alone": "an auxiliary must not do this alone (不得单独)", "right": "this is an auxiliary's right (享有)",
    "condition": "this is a condition of hire (应当具备)", "bar": "this bars a person from being hired (不得聘用)",
    "sanction": "this is the consequence of a breach",
}
EDUCATION_EN = ("primary school", "junior middle school", "senior high school", "junior college", "a bachelor's degree",
                "a master's degree", "a doctorate")


def english_gloss(ref: Ref) -> str:
    """One English sentence on what a provision says, read off the provision model (whom it binds, its
    modality, its numbers), for English questions answered with Chinese quotes; empty for frame provisions."""
    from corpus.provisions import provisions

    p = provisions().get(str(ref))
    if p is None or p.modality not in GLOSS_EN:
        return ""
    said = GLOSS_EN[p.modality].format(subject=SUBJECT_EN.get(p.subject, "it"))
    limits = []
    for t in p.thresholds:
        if t.unit == "day":
            limits.append(f"at least {t.min:g} working days" if t.min is not None else f"at most {t.max:g} working days")
        elif t.unit == "age":
            first = " at first hire" if "首次" in t.context[:t.context.find(t.clause)] else ""
            limits.append(f"aged {t.min:g} or over" if t.min is not None else f"not over {t.max:g}{first}")
        elif t.unit == "education" and t.min is not None:
            limits.append(f"education of {EDUCATION_EN[int(t.min)]} or above")
    return "In short: " + said[0].upper() + said[1:] + ("; " + ", ".join(limits) if limits else "") + "."


def focus_words(focus: Ref, question: str) -> str:
    """What to quote of the provision in focus: an item whole; of a paragraph, its clause that best answers."""
    text = load().text(focus).split("\n", 1)[0]
    if focus.item:
        return text.rstrip("；;。")
    inside = [s for s in best_segments(str(focus.article_ref), question, limit=4) if s.text in text]
    return (inside[0].text if inside else text).rstrip("；;。，,")


RELATED_INTRO = {"zh": "可能相关的条文：", "en": "Articles that may be related:"}


def measures_phrase(lang: str) -> str:
    """How the corpus' measures are named together: 两部办法, 三部办法, these measures (one: its name)."""
    measures = load().measures
    n = len(measures)
    if n == 1:
        return next(iter(measures.values())).short_name if lang == "zh" else "the measure"
    if lang == "en":
        return "the two measures" if n == 2 else "these measures"
    return {2: "两部办法", 3: "三部办法"}.get(n, "这几部办法")


def render(question: str, lang: str, kind: str, sections: list[tuple[str, list[Citation]]],
           focus: Ref | None = None) -> str:
    """The answer text: a direct first line, then per measure its quoted clauses with full labels."""
    several = len(sections) > 1
    if kind == "compare" and several:
        head = (f"**{measures_phrase(lang)}的规定对比如下：**" if lang == "zh" else
                f"**How {measures_phrase(lang)} compare:**")
    else:
        head = lead_line(sections[0][0], question, lang, kind, focus)
        if several:
            head += (f"\n\n{measures_phrase(lang)}都有相关规定，分别如下。" if lang == "zh"
                     else "\n\nMore than one measure speaks to it; each is quoted below.")
    blocks = [head]
    for ref, citations in sections:
        block = quote_block(citations)
        blocks.append(f"{measure_heading(ref.split(':')[0], lang)}\n{block}" if several else block)
    return "\n\n".join(blocks)


# --- verdicts -------------------------------------------------------------------------------------------------

HEADLINES = {
    "zh": {"yes": "**可以。**", "no": "**不可以。**",
           "conditional": "**不可以单独进行，但可以在行政执法人员参与和指导下协助。**",
           "not_addressed": "**这几部办法对此都没有专门规定。**"},
    "en": {"yes": "**Yes.**", "no": "**No.**",
           "conditional": "**Not alone, but may assist under an officer's participation and guidance.**",
           "not_addressed": "**None of these measures addresses this.**"},
}
# What a provision does, in English, by modality: the sentence after "The Taixing measure, Article 11, …".
EN_MODALITY = {
    "may_alone": "lists it among the work an auxiliary may do independently",
    "with_officer": "allows it only when assisting an officer, under the officer's participation and guidance",
    "must_not_alone": "bars an auxiliary from doing it alone",
    "must_not": "prohibits it",
    "bar": "bars such a person from being hired",
    "condition": "sets this as a condition of hire",
    "must": "requires it",
    "right": "lists it as an auxiliary's right",
    "may": "permits it",
    "sanction": "provides for it",
}


def provision_name(ref: Ref, lang: str, start: bool = True) -> str:
    """泰兴办法第十一条第（四）项 / "The Taixing measure, Article 11(4)" (lower-case "the" inside a sentence)."""
    measure = load().measures[ref.measure]
    if lang == "en":
        return f"{measure.english_subject if start else measure.english_short_name}, Article {str(ref).split(':', 1)[1]}"
    return measure.short_name + load().label(ref).split("》", 1)[1]


def lead_of(ref: Ref) -> tuple[Ref, str] | None:
    """The lead clause an item hangs under, as (the provision it stands in, its words without the colon)."""
    from corpus.provisions import provisions

    p = provisions().get(ref)
    if p.lead and p.parent is not None:
        return p.parent, p.lead.rstrip("：:")
    return None


def provision_citations(ref: Ref, quote: str | None = None) -> list[Citation]:
    """An item with its lead clause (an item of a 不得 list never stands without 不得), or a provision's clause."""
    corpus = load()
    text = quote or corpus.text(ref).rstrip("；;。")
    lead = lead_of(ref)
    own = Citation(ref, text)
    return [Citation(lead[0], lead[1]), own] if lead else [own]


def clause_of(finding) -> str:
    """The words of a finding's provision that rule on the question: the item, or the norm's sentence."""
    p = finding.provision
    if p.kind in ("item", "subitem"):
        return p.text.rstrip("；;。")
    norm = finding.norm
    if finding.thresholds and not (norm and finding.thresholds[0].clause in norm.text):
        # a number decides: the sentence that sets the limit ("…年度培训时间不少于10个工作日"), not another of its norms
        norm = next((n for n in p.norms if finding.thresholds[0].clause in n.text), norm)
    return (norm.text if norm else p.text).rstrip("；;。，,")


def finding_sentence(finding, query, lang: str) -> str:
    """One measure's reason, in the provision's own words: "泰兴办法第十一条规定，行政执法辅助人员不得有下列行为：
    「删除…材料」"; a threshold against the number proposed; an exception the facts meet; a silent measure."""
    measure = load().measures[finding.measure]
    if finding.provision is None:
        number = query.quantity is not None or query.bound is not None
        if lang == "en":
            return f"{measure.english_subject} {'sets no such number' if number else 'does not address this'}."
        return f"{measure.short_name}{'没有就此规定具体的数值' if number else '对此没有专门规定'}。"
    ref, clause = finding.provision.ref, clause_of(finding)
    lead = lead_of(ref)
    if lang == "en":
        what = EN_MODALITY.get(finding.norm.modality if finding.norm else finding.provision.modality, "states")
        # the lead and its item are not contiguous in the text: two quotes, each verbatim
        sentence = f"{provision_name(ref, 'en')} {what}: {f'「{lead[1]}」 … ' if lead else ''}「{clause}」."
    else:
        sentence = f"{provision_name(ref, 'zh')}规定，{(lead[1] + '：') if lead else ''}「{clause}」。"
    if finding.thresholds and query.quantity is not None:
        said = query.quantity.render(lang)
        admitted = finding.verdict == "yes"
        decisive = [t for t in finding.thresholds if admitted or not t.admits(query.quantity.effective)]
        applied = "、".join(f"「{t.clause}」" for t in decisive or finding.thresholds)
        sentence += (f" {said[:1].upper() + said[1:]} {'is within' if admitted else 'falls outside'} {applied}." if lang == "en" else
                     f"问题中的「{said}」{'符合' if admitted else '不符合'}{applied}。")
    first_hire = first_hire_only(finding.provision, query)
    if first_hire:  # set aside: the question is about someone already hired
        limits = "、".join(f"「{t.clause}」" for t in first_hire)
        sentence += (f" {limits} applies to the first hire only." if lang == "en" else f"{limits}只适用于首次聘用。")
    if finding.exception:
        excepted = finding.excepted or finding.provision
        where = provision_name(excepted.ref, lang, start=False)
        sentence += (f" The exception in {where} applies here: 「{finding.exception}」." if lang == "en" else
                     f"本问题属于{where}但书「{finding.exception}」的情形。")
    return sentence


def context_wanted(verdict, finding) -> bool:
    """A silent measure's closest provision is quoted for context when the question names that measure, when it
    is silent only on a number, or when no measure speaks at all."""
    if finding.provision is not None or finding.context is None:
        return False
    q = verdict.query
    return q.measure == finding.measure or not verdict.addressed or q.quantity is not None or q.bound is not None


def context_citations(finding) -> list[Citation]:
    p = finding.context
    words = (p.norms[0].text if p.kind not in ("item", "subitem") and p.norms else p.text).rstrip("；;。，,")
    return provision_citations(p.ref, words)


def finding_citations(finding) -> list[Citation]:
    if finding.provision is None:
        return []
    cites = provision_citations(finding.provision.ref, clause_of(finding))
    if finding.exception:
        excepted = finding.excepted or finding.provision
        if excepted is not finding.provision:
            cites += provision_citations(excepted.ref, excepted.text.rstrip("；;。"))
        cites.append(Citation(excepted.ref, finding.exception))
    return list(dict.fromkeys(cites))


def verdict_headline(verdict, lang: str) -> str:
    q = verdict.query
    if verdict.verdict == "not_addressed" and q.measure:
        m = load().measures[q.measure]
        return f"**{m.short_name}对此未作规定。**" if lang == "zh" else f"**{m.english_subject} does not address this.**"
    addressed = verdict.addressed
    duty = addressed and all(f.norm and f.norm.modality in ("must", "right") for f in addressed)
    if lang == "zh" and q.must and duty and verdict.verdict == "yes":
        return "**是的，应当。**"
    if lang == "zh" and q.must and duty and verdict.verdict == "no" and q.side != "agency":
        return "**不用。**" if "承担" in q.normalised or "自己" in q.normalised else "**不可以。**"
    if lang == "zh" and q.asks_status and verdict.verdict in ("yes", "no"):  # what they are, not what they may do
        return "**是的。**" if verdict.verdict == "yes" else "**不是。**"
    return HEADLINES[lang][verdict.verdict]


def render_verdict(verdict, lang: str) -> tuple[str, list[Citation]]:
    """The verdict first, with each measure's reason on the same line; then the quoted provisions with their
    labels; then, for a silent named measure, the other measures' rule for reference, and a silent measure's
    closest provisions."""
    findings = list(verdict.findings)
    q = verdict.query
    said = verdict.verdict == "not_addressed" and q.measure and q.quantity is None and q.bound is None
    # the headline already says the one measure asked is silent ("河北办法对此未作规定。"): not twice
    reasons = [finding_sentence(f, q, lang) for f in findings if not (said and f.provision is None and f.measure == q.measure)]
    first = " ".join([verdict_headline(verdict, lang), *reasons])
    citations = [c for f in findings for c in finding_citations(f)]
    parts = [first]
    if verdict.also:
        intro = "作为参考，" if lang == "zh" else "For reference: "
        parts.append(intro + " ".join(finding_sentence(f, verdict.query, lang) for f in verdict.also))
        citations += [c for f in verdict.also for c in finding_citations(f)]
    citations = list(dict.fromkeys(citations))
    parts.append(quote_block(citations)) if citations else None
    context = list(dict.fromkeys(c for f in findings if context_wanted(verdict, f) for c in context_citations(f)))
    context = [c for c in context if c not in citations]
    if context:
        silent = [load().measures[f.measure] for f in findings if context_wanted(verdict, f)]
        names = "、".join(m.short_name for m in silent) if lang == "zh" else ", ".join(m.english_subject for m in silent)
        parts.append((f"参考（{names}对此没有专门规定，以下是其最接近的条文，仅供参考，不作为本问题的依据）：" if lang == "zh" else
                      f"For context only ({names}: no specific rule on this; the closest provision, not a ground for "
                      "the answer):") + "\n" + quote_block(context))
        citations += context
    nearest = [c.ref for f in findings if f.provision is None and not context_wanted(verdict, f) for c in f.nearest]
    if nearest and not verdict.addressed and not verdict.also:
        intro = "最接近的条文：" if lang == "zh" else "The closest provisions:"
        parts.append(intro + "\n" + "\n".join(f"- {load().label(Ref.parse(r))}" for r in dict.fromkeys(nearest)))
    return "\n\n".join(parts), citations


def grounds_sentence(grounds: list[Citation], lead: str, lang: str) -> str:
    """The principles behind a ban, each quoted with its provision."""
    zh = lang == "zh"
    return lead + ("；" if zh else " ").join(f"{provision_name(g.ref, lang)}{'规定' if zh else ':'}「{g.quote}」"
                                             for g in grounds) + ("。" if zh else "")


def render_reason(verdict, grounds: list[Citation], lang: str) -> tuple[str, list[Citation]]:
    """"为什么？" after a verdict: the verdict again, then why: each measure's deciding provision in its own words,
    the principles that ground a ban (`grounds`), and for a measure that says nothing, that none of its provisions
    rules on the case and which come closest; then the quotes."""
    zh = lang == "zh"
    q = verdict.query
    lines = [finding_sentence(f, q, lang) for f in verdict.findings if f.provision is not None]
    if grounds:
        lines.append(grounds_sentence(grounds, "这样规定的依据是" if zh else "The principle behind it: ", lang))
    citations = [c for f in verdict.findings for c in finding_citations(f)] + list(grounds)
    for f in verdict.findings:
        if f.provision is not None:
            continue
        measure = load().measures[f.measure]
        near = [load().label(Ref.parse(n.ref)) for n in f.nearest]
        lines.append((f"{measure.short_name}没有一条规定针对您问的情形" + (f"；最接近的是{'、'.join(near)}，"
                      "它们规定的是别的事项，不能据此推出结论" if near else "") + "。") if zh else
                     (f"No provision of {measure.english_subject} rules on this case" + (
                      f"; the closest, {', '.join(near)}, rule on other matters and settle nothing here" if near else "")
                      + "."))
        citations += context_citations(f) if f.context is not None else []
    citations = list(dict.fromkeys(citations))
    why = ("**为什么：**" if zh else "**Why:** ") + " ".join(lines)
    return "\n\n".join([verdict_headline(verdict, lang), why] + ([quote_block(citations)] if citations else [])), citations


# --- an answer that is not sure --------------------------------------------------------------------------------

UNSURE = {"zh": "**需要核实。** 这个问题可以有不同的理解，对应的条文和结论也不同，请按实际情况核对：",
          "en": "**Check this.** The question can be read more than one way, and the provisions that would apply "
                "rule differently; check which fits your case:"}
VERDICT_WORDS = {
    "zh": {"yes": "可以", "no": "不可以", "conditional": "不能单独进行，只能在行政执法人员参与和指导下协助",
           "not_addressed": "没有专门规定"},
    "en": {"yes": "yes", "no": "no", "conditional": "not alone, only assisting an officer who takes part and guides",
           "not_addressed": "no specific rule"},
}
STATUS_WORDS = {"zh": {"yes": "是", "no": "不是"}, "en": {"yes": "it is so", "no": "it is not so"}}  # "算违规吗": is it so
DECIDES = {  # what tells two readings apart, by the field they differ in
    "manner": ("是否有行政执法人员在场参与和指导", "whether an enforcement officer takes part and guides"),
    "modal": ("问的是能不能做，还是是否必须做", "whether you ask if it is allowed or if it is required"),
    "status": ("问的是能不能做，还是问是否属于条文所说的情形", "whether you ask if it is allowed or if it is the case "
               "the provision describes"),
    "against": ("您问的情形是否符合条文的要求（例如是否具备条件、是否履行了义务）",
                "whether your case meets what the provision requires (a condition met, a duty done)"),
    "silence": ("办法是否对这种情形作了规定：上面是最接近的条文", "whether the measures cover this case at all: the closest "
                "provisions are above"),
}


def unsure_lines(judged, lang: str) -> tuple[list[str], list[Citation], list[tuple]]:
    """The readings worth showing (up to three distinct provisions with what each rules), their citations, and the
    (measure, finding, reading) of each shown."""
    shown, lines, citations, seen = [], [], [], set()
    for alt in judged.alternatives:
        for finding, asked in zip(alt.findings, alt.asked or (None,) * len(alt.findings)):
            if finding.provision is None:
                continue
            key = (str(finding.provision.ref), finding.verdict)
            if key in seen:
                continue
            seen.add(key)
            lead = lead_of(finding.provision.ref)
            if asked is not None and asked.modal == "status" and finding.verdict in STATUS_WORDS[lang]:
                words = ("：" if lang == "zh" else "") + STATUS_WORDS[lang][finding.verdict]  # a ban "is so": not 可以
            else:
                words = VERDICT_WORDS[lang][finding.verdict]
            name = provision_name(finding.provision.ref, lang)
            quoted = f"「{lead[1]}」……「{clause_of(finding)}」" if lead else f"「{clause_of(finding)}」"  # each verbatim
            lines.append(f"{len(lines) + 1}. {name}：{quoted}——按此条{words}" if lang == "zh"
                         else f"{len(lines) + 1}. {name}: {quoted} — under it: {words}")
            citations += finding_citations(finding)
            shown.append((finding.measure, finding, asked))
            if len(lines) == 3:
                return lines, citations, shown
    return lines, citations, shown


def clause_head(clause: str, limit: int = 24) -> str:
    """The start of a clause to name it by, cut after a whole phrase (at its last comma or enumeration mark within
    `limit` characters), not inside a word or a title: "应当按照自愿平等、协商一致的原则", not "…依据《中华人民"."""
    if len(clause) <= limit:
        return clause
    cut = max(clause.rfind(mark, 0, limit + 1) for mark in "，、；：")
    return clause[:cut] if cut >= 6 else clause[:limit]


def what_decides(shown: list[tuple], judged, lang: str) -> str:
    """What would tell the likeliest readings apart: which provision the act falls under, whether an officer takes
    part, may or must, doing or not doing, or whether the measures cover it at all."""
    zh = lang == "zh"
    if len(shown) >= 2:
        (m1, f1, r1), (m2, f2, r2) = shown[:2]
        if m1 == m2 and f1.provision.ref != f2.provision.ref:
            a, b = (clause_head(clause_of(f)) for f in (f1, f2))
            return (f"判断要点：您问的情形属于「{a}」还是「{b}」。" if zh else
                    f"What decides: whether your case is 「{a}」 or 「{b}」.")
        if r1 is not None and r2 is not None:
            for field in ("manner", "modal", "against"):
                if getattr(r1, field) != getattr(r2, field):
                    told = "status" if field == "modal" and "status" in (r1.modal, r2.modal) else field  # may or is
                    return ("判断要点：" if zh else "What decides: ") + DECIDES[told][not zh] + ("。" if zh else ".")
    if any(a.verdict == "not_addressed" for a in judged.alternatives[:2]):
        return ("判断要点：" if zh else "What decides: ") + DECIDES["silence"][not zh] + ("。" if zh else ".")
    return ""


def render_unsure(judged, lang: str, grounds: list[Citation] = ()) -> tuple[str, list[Citation]]:
    """An answer that does not commit: "需要核实 / check this", the closest provisions with what each rules, what
    would decide between them, the principles behind the ban it leans to when asked why (`grounds`), and the
    quoted provisions."""
    lines, citations, shown = unsure_lines(judged, lang)
    parts = [UNSURE[lang]]
    if lines:
        parts.append("\n".join(lines))
    else:
        parts[0] = ("**需要核实。** 办法可能对此没有专门规定，最接近的条文如下，仅供参考：" if lang == "zh" else
                    "**Check this.** The measures may not address this; the closest provisions, for reference only:")
        nearest = [n for f in judged.alternatives[0].findings for n in f.nearest][:3]
        citations = [c for n in nearest for c in provision_citations(Ref.parse(n.ref))]
    decides = what_decides(shown, judged, lang)
    if decides:
        parts.append(decides)
    if grounds:
        parts.append(grounds_sentence(grounds, "辅助人员不得（单独）从事的，依据是" if lang == "zh" else
                                      "Where an auxiliary may not act (alone), the principle behind it: ", lang))
        citations += list(grounds)
    citations = list(dict.fromkeys(citations))
    if citations:
        parts.append(quote_block(citations))
    return "\n\n".join(parts), citations
