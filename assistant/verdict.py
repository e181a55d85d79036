"""A verdict for a yes/no question, from the provisions it lands on.

For each measure the question is about, the learned reading (reading.model) gives each provision the probability
that it is the one meant, and the probability that the measure does not settle the question at all. The most
probable provision decides, unless the measure is silent. The verdict follows symbolically from the provision's
norm and what the question asks, as the reading says it: "may one…", "must one…" or "is it so…", and whether the
question goes *against* the provision's content (omits a duty, lacks a condition, withholds a right, asserts the
opposite of a statement; for a prohibition or bar: asks to refrain from it, or denies it):

| norm of the provision                      | may one…         | must one…         | is it so…   | against it          |
|--------------------------------------------|------------------|-------------------|-------------|---------------------|
| may_alone, may (a permission)              | yes              | not addressed     | yes         | not addressed; no if "is it so" |
| with_officer, must_not_alone               | conditional      | yes if a duty list, else not addressed | yes | no if a duty list, else not addressed |
| must_not, bar                              | no               | no                | yes         | yes; no if "is it so" |
| must, right, condition, statement, others  | yes              | yes               | yes         | no                  |

A number the question proposes is held against every threshold of its unit in the provision ("不少于3个工作日": 2
days is no); a question that asks for a number the provision does not set finds the measure silent on it. An
exception that the question's facts meet ("但作为行政执法证据的除外") sets the provision aside for the one the
question and the exception land on. With several measures, the stricter verdict wins (no, then conditional, then
yes); a silent measure does not weaken another; not_addressed only when every measure is silent, and then the
closest provisions are offered. How sure the verdict is: assistant.confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from corpus import load
from corpus.lexicon import load_lexicon
from corpus.provisions import Norm, Provision, Threshold
from assistant.query import ALONE, Query
from assistant.types import CONDITIONAL, NO, NOT_ADDRESSED, YES

STRICTNESS = {NO: 0, CONDITIONAL: 1, YES: 2}
# An agency's prohibition on making an auxiliary do something alone ("安排…独立从事…"): it decides when the agency
# orders an auxiliary to do alone what the auxiliary may not do alone.
ASSIGN_ALONE = re.compile(r"安排[^，。；]*(独立|单独)")
PERMISSIONS = ("may_alone", "may")  # what may be done, which says nothing of whether it must
# A question about sameness ("臂章能做得跟执法人员一样吗") is about the norm of a paragraph that wants a difference.
SAME = re.compile(r"一样|一模一样|相同|一致|雷同|\bsame\b|\bidentical\b|\blook like\b", re.IGNORECASE)
DISTINCT = re.compile(r"区别|区分|不同")
ALREADY_HIRED = re.compile(r"续聘|续签|续约|续期|已经(是|在|干|当)|干了\d|在职|\brenew|\bextend|\balready (an? )?aux|"
                           r"\bbeen an? (?:\w+ )?aux|\bsince i was\b", re.IGNORECASE)
UNIT_WORDS = {"day": re.compile(r"培训|工作日|天|日"), "age": re.compile(r"年龄|周岁|岁"),
              "education": re.compile(r"文化程度|学历|毕业")}
ASKS_NUMBER = {"day": re.compile(r"几天|多少天|几个工作日|多少个?工作日|多长时间|多久|\bhow many (working )?days\b|\bhow long\b",
                                 re.IGNORECASE),
               "age": re.compile(r"多大|几岁|多少岁|年龄|岁数|\bhow old\b|\bage\b", re.IGNORECASE)}


@dataclass(frozen=True)
class Finding:
    """One measure's answer: the provision and norm that decide it (None when the measure is silent), the
    verdict, the threshold or exception applied, and a silent measure's closest provisions."""

    measure: str
    verdict: str
    provision: Provision | None = None
    norm: Norm | None = None
    thresholds: tuple[Threshold, ...] = ()
    exception: str | None = None
    excepted: Provision | None = None  # the provision whose exception the question's facts meet
    nearest: tuple = ()  # Nearby provisions, for a silent measure
    context: Provision | None = None  # a silent measure's closest provision, quoted for context only


@dataclass(frozen=True)
class Verdict:
    """The answer to a yes/no question: the combined verdict and each measure's finding, strictest first and
    silent measures last; `also` holds other measures' findings when the one asked about is silent."""

    query: Query
    verdict: str
    findings: tuple[Finding, ...]
    also: tuple[Finding, ...] = field(default=())

    @property
    def addressed(self) -> list[Finding]:
        return [f for f in self.findings if f.provision is not None]


def norm_for(p: Provision, act: str, q: Query) -> Norm:
    """The norm of a provision that the act is about: for a paragraph of several sentences, the one that wants a
    difference when the question asks about sameness, else (an obligation first when the act is negated: leaving
    out what is only permitted needs no answer) the one sharing most characters with the act (an English act by
    the corpus terms the lexicon maps it to), a norm with a modality before a bare statement."""
    if len(p.norms) == 1:
        return p.norms[0]
    if SAME.search(q.normalised):
        distinct = [n for n in p.norms if DISTINCT.search(n.text)]
        if distinct:
            return distinct[0]
    chars = set(act) | set("".join(load_lexicon().corpus_terms(act))) if q.lang == "en" else set(act)
    # a question that negates the act ("can it skip explaining") asks whether an obligation binds
    return max(p.norms, key=lambda n: (q.against and n.modality == "must", len(chars & set(n.text)),
                                       n.modality != "statement"))


NEGATIVE = frozenset({"must_not", "bar"})  # norms whose content is what must not be done, or who must not be hired
# A list of what an auxiliary does with an officer that the text makes a duty ("应当…履行下列职责"), not a permission
DUTY_LEAD = re.compile(r"应当|必须|履行")


def against(q: Query, norm: Norm) -> bool:
    """Does the question go against this norm's content (the reading of the kind the norm is)?"""
    return q.against_ban if norm.modality in NEGATIVE else q.against


def polar(q: Query, norm: Norm, p: Provision, thresholds: tuple[Threshold, ...]) -> str:
    """The verdict a norm gives the question (see the table above)."""
    if thresholds:
        return YES if all(t.admits(q.quantity.effective) for t in thresholds) else NO
    m, opposed = norm.modality, against(q, norm)
    if q.asks_status:  # is it so: the question's statement agrees with the norm, or contradicts it
        return NO if opposed else YES
    if m in NEGATIVE:
        return YES if opposed else NO
    if m in PERMISSIONS:
        return NOT_ADDRESSED if opposed or q.must else YES  # a permission is no duty, nor says one may refrain
    if m in ("with_officer", "must_not_alone"):
        duty = bool(p.lead and DUTY_LEAD.search(p.lead))
        if opposed or q.must:
            return (NO if opposed else YES) if duty else NOT_ADDRESSED
        return CONDITIONAL
    return NO if opposed else YES


def exception_met(p: Provision, q: Query, index) -> str | None:
    """An exception of the provision whose content words the act uses ("证据" for "但作为行政执法证据的除外")."""
    from assistant.match import content_words

    asked = set(content_words(index.provision_bm25, q.act))
    for clause in p.exceptions:
        words = content_words(index.provision_bm25, clause.removeprefix("但").removesuffix("除外"))
        if any(w in asked for w in words):
            return clause
    return None


def thresholds_for(p: Provision, q: Query) -> tuple[Threshold, ...]:
    """The provision's limits on the quantity the question proposes (only its upper or lower limits when the
    question asks about one: "有没有35岁的上限")."""
    found = tuple(t for t in p.thresholds if q.quantity and t.unit == q.quantity.unit)
    if ALREADY_HIRED.search(q.normalised):  # a limit set for the first hire does not bind a renewal
        found = tuple(t for t in found if t not in first_hire_only(p, q))
    if q.bound:
        found = tuple(t for t in found if (t.max if q.bound == "max" else t.min) is not None)
    if len({t.context for t in found}) > 1:  # two limits of one unit ("岗前…5个工作日；每年…7个工作日"): the one asked
        shared = {t: len(set(t.context.replace(t.clause, "")) & set(q.act)) for t in found}
        best = max(shared.values())
        found = tuple(t for t in found if shared[t] == best) if best else found
    return found


def first_hire_only(p: Provision, q: Query) -> tuple[Threshold, ...]:
    """The provision's limits on the question's unit that bind the first hire only (首次聘用时…), when the
    question is about someone already hired."""
    if q.quantity is None or not ALREADY_HIRED.search(q.normalised):
        return ()
    return tuple(t for t in p.thresholds if t.unit == q.quantity.unit and "首次" in t.context[:t.context.find(t.clause)])


def silent_on_number(p: Provision, q: Query) -> bool:
    """The question proposes or asks for a number ("2天够吗", "要培训几天", "有没有年龄上限") that the provision
    does not set: the measure is silent on the number, whatever it says of the act."""
    if q.quantity is not None:
        if thresholds_for(p, q) or first_hire_only(p, q):
            return False
        # a number beside an act the provision sets no number for ("被行政拘留过10天") is not what is asked
        return bool(p.thresholds) or q.quantity.unit not in UNIT_WORDS or bool(UNIT_WORDS[q.quantity.unit].search(p.text))
    return any(pattern.search(q.normalised) and not any(t.unit == unit for t in p.thresholds)
               for unit, pattern in ASKS_NUMBER.items())


@dataclass(frozen=True)
class Nearby:
    """A provision close to a question, with the learned reading's probability that it is the one meant."""

    ref: str
    probability: float


def ranking(q: Query, measure: str) -> list[tuple[Provision, float]]:
    """A measure's candidate provisions for the question, by the learned reading, best first."""
    from corpus.provisions import provisions

    table = provisions()
    return [(table.get(ref), p) for ref, p in q.reading.provisions.get(measure, ())]


def decide(index, q: Query, mode: str = "hybrid") -> Verdict:
    """The verdict for a yes/no question over the measures it is about (all of them when it names none): each
    measure's most probable provision decides, unless the reading says the measure does not settle it."""
    keys = list(q.measures) or list(load().measures)
    findings = [finding(index, q, key) for key in keys]
    addressed = sorted((f for f in findings if f.provision is not None), key=lambda f: STRICTNESS[f.verdict])
    silent = [f for f in findings if f.provision is None]
    also = ()
    if q.measure and not addressed:
        others = (finding(index, q, k) for k in load().measures if k != q.measure)
        also = tuple(f for f in others if f.provision is not None)
    return Verdict(q, addressed[0].verdict if addressed else NOT_ADDRESSED, tuple(addressed + silent), also)


def finding(index, q: Query, key: str, choice: Provision | None = None, quiet: bool | None = None) -> Finding:
    """One measure's answer: its silence, when the reading says it does not settle the question (or `quiet`),
    else what the chosen provision (by default the most probable) rules."""
    ranked = ranking(q, key)
    nearest = tuple(Nearby(str(p.ref), w) for p, w in ranked[:3])
    quiet = q.reading.silent.get(key, 1.0) > 0.5 if quiet is None else quiet
    top = choice or (ranked[0][0] if ranked else None)
    if top is None or quiet:
        return Finding(key, NOT_ADDRESSED, nearest=nearest, context=top)
    opposed = q.reading.against_for(top.modality) > 0.5
    return settle(index, replace(q, against=opposed, against_ban=opposed), key, top, nearest)


def settle(index, q: Query, key: str, p: Provision, nearest: tuple[Nearby, ...] = ()) -> Finding:
    """What a provision rules on the question, by its norm and what the question asks (see the table above)."""
    act = index.expand(q.act)
    if silent_on_number(p, q):
        return Finding(key, NOT_ADDRESSED, nearest=nearest, context=p)
    clause = exception_met(p, q, index)
    if clause:  # the exception sets this provision aside: the provision the question and the exception land on
        from assistant.resources import reader

        moved = reader().read(f"{q.topic} {clause}")
        table = {str(r.ref): r for r, _ in ranking(q, key)}
        rest = [ref for ref, _ in moved.provisions.get(key, ()) if ref != str(p.ref)]
        from corpus.provisions import provisions

        nxt = next((provisions().get(ref) for ref in rest if not provisions().get(ref).exceptions), None)
        if nxt is not None and (str(nxt.ref) in table or moved.silent.get(key, 1.0) <= 0.5):
            norm = norm_for(nxt, act, q)
            verdict = polar(q, norm, nxt, thresholds_for(nxt, q))
            if verdict != NOT_ADDRESSED:
                return Finding(key, verdict, nxt, norm, exception=clause, excepted=p)
        if p.modality == "may_alone":  # the permission to act alone does not reach this case
            return Finding(key, CONDITIONAL, p, norm_for(p, q.act, q), exception=clause, excepted=p)
    norm, limits = norm_for(p, act, q), thresholds_for(p, q)
    if norm.modality == "definition" and not q.asks_status:  # it says what they are, not what they may do
        return Finding(key, NOT_ADDRESSED, nearest=nearest, context=p)
    if q.ordered and q.modality == ALONE and norm.modality == "must_not_alone":
        from corpus.provisions import provisions

        assign = next((a for a in provisions().leaves(key) if a.side == "agency" and a.modality == "must_not"
                       and ASSIGN_ALONE.search(a.text)), None)
        if assign is not None:  # the agency may not make an auxiliary do it alone
            return Finding(key, NO, assign, assign.norms[0])
    verdict = polar(q, norm, p, limits)
    if verdict == NOT_ADDRESSED:  # the provision speaks of the act but does not settle what is asked
        return Finding(key, NOT_ADDRESSED, nearest=nearest, context=p)
    return Finding(key, verdict, p, norm, limits)


__all__ = ["Finding", "Nearby", "Verdict", "decide", "finding", "polar", "ranking", "settle"]
