"""Deterministic duty rules: what an auxiliary may do alone, only with an officer, or never, with the article.

The rules are data (rules.yaml, one entry per activity, each status with its verbatim clause). This module
loads and validates them against the corpus, and judges a classified question:

    from assistant.rules import classify, judge
    duty = classify("辅助人员可以单独送达法律文书吗？")      # DutyQuestion, or None when not confident
    verdict = judge(duty)                                   # RuleVerdict
    verdict.verdict, verdict.citations, verdict.text("zh")

The rules route loads no model: the same question always gets the same answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from corpus import Ref, load
from corpus.yaml_data import parse_yaml
from assistant.classify import ALONE, UNSPECIFIED, WITH_OFFICER_PRESENT, DutyQuestion, Quantity, classify
from assistant.types import CONDITIONAL, NO, NOT_ADDRESSED, YES, Citation

ALLOWED_ALONE, WITH_OFFICER, PROHIBITED, REQUIRED = "allowed_alone", "with_officer", "prohibited", "required"
STATUSES = (ALLOWED_ALONE, WITH_OFFICER, PROHIBITED, REQUIRED, NOT_ADDRESSED)
SUBJECTS = ("auxiliary", "agency")
KINDS = ("duty", "right")
RULES_FILE = "rules.yaml"


class RulesError(ValueError):
    """The rules file does not hold together, or does not match the corpus."""


# --- the data ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Threshold:
    """A numeric limit a measure sets (培训时间不少于3个工作日, 年满十八周岁): min and/or max, in a unit."""

    unit: str
    min: float | None = None
    max: float | None = None
    reason_zh: str | None = None  # names the limit: "{m}规定岗前培训时间不少于3个工作日"
    reason_en: str | None = None

    def admits(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class MeasureRule:
    """One measure's word on an activity: its status and the clauses that set it. `context` is a silent
    measure's general provision, quoted for context only (it never sets the verdict); `threshold` the numeric
    limit the clauses set, when a question proposes a number."""

    measure: str
    status: str
    citations: tuple[Citation, ...] = ()
    reason_zh: str | None = None
    reason_en: str | None = None
    context: tuple[Citation, ...] = ()
    threshold: Threshold | None = None


@dataclass(frozen=True)
class Activity:
    """One activity an officer may ask about, with how people say it and each measure's rule."""

    id: str
    name_zh: str
    name_en: str
    subject: str
    kind: str
    rank: int
    triggers_zh: tuple[str, ...]
    triggers_en: tuple[str, ...]
    inverse_zh: tuple[str, ...]
    inverse_en: tuple[str, ...]
    measures: dict[str, MeasureRule] = field(hash=False, compare=False)
    quantity: str | None = None  # the unit (age | day) of the number a question may propose
    select_by_quantity: bool = False  # a number in that unit alone names this activity ("我42岁能报吗")
    defers_to_number: str | None = None  # the unit of a stated number that answers instead ("年纪大了，48岁能报吗")
    agency_alone: str | None = None  # the agency-side prohibition when the agency makes an auxiliary do it alone
    likeness: bool = False  # may answer a question likening auxiliaries to officers ("胸牌跟执法人员一样吗")

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Rules:
    activities: tuple[Activity, ...]

    def __getitem__(self, activity_id: str) -> Activity:
        return self.by_id[activity_id]

    @property
    def by_id(self) -> dict[str, Activity]:
        return _index(self)

    @property
    def citations(self) -> list[Citation]:
        return [c for a in self.activities for rule in a.measures.values() for c in rule.citations]

    @property
    def context_citations(self) -> list[Citation]:
        return [c for a in self.activities for rule in a.measures.values() for c in rule.context]


@cache
def _index(rules: Rules) -> dict[str, Activity]:
    return {activity.id: activity for activity in rules.activities}


def _strings(value, where: str, problems: list[str], required: bool = True) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: expected a non-empty list of strings")
        return ()
    return tuple(value)


UNITS = ("age", "day")


def expand_pairs(value, where: str, problems: list[str]) -> tuple[str, ...]:
    """`pairs: [{verbs: [扣], objects: [车, 货]}]` as Chinese triggers: each verb with each object, either order,
    up to five characters apart ("扣他的三轮车", "把车扣了"). A one-character verb thus only counts with an
    object. `order: forward` keeps the verb first; `gap: long` allows up to twelve characters between."""
    if value is None:
        return ()
    out: list[str] = []
    if not isinstance(value, list):
        problems.append(f"{where}: pairs must be a list")
        return ()
    for pair in value:
        verbs = _strings(pair.get("verbs") if isinstance(pair, dict) else None, f"{where}: pairs.verbs", problems)
        objects = _strings(pair.get("objects") if isinstance(pair, dict) else None, f"{where}: pairs.objects", problems)
        both = not (isinstance(pair, dict) and pair.get("order") == "forward")
        gap = "**" if isinstance(pair, dict) and pair.get("gap") == "long" else "*"
        for verb in verbs:
            for obj in objects:
                out.append(f"{verb}{gap}{obj}")
                if both:
                    out.append(f"{obj}{gap}{verb}")
    return tuple(dict.fromkeys(out))


def parse_rules(data: object, measures: tuple[str, ...] | None = None) -> tuple[Rules, list[str]]:
    """Build the rules from the YAML data; returns them with every structural problem found (none: valid)."""
    measures = measures or tuple(load().measures)
    problems: list[str] = []
    if not isinstance(data, list):
        return Rules(()), ["the rules file must be a list of activities"]
    activities, seen = [], set()
    for number, entry in enumerate(data, start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"{where}: expected a mapping with an id")
            continue
        where = entry["id"]
        if where in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(where)
        name = entry.get("name") or {}
        if not (isinstance(name, dict) and set(name) == {"zh", "en"} and all(isinstance(v, str) for v in name.values())):
            problems.append(f"{where}: name needs exactly zh and en (quote names that contain commas)")
            name = {"zh": where, "en": where}
        subject, kind, rank = entry.get("subject"), entry.get("kind", "duty"), entry.get("rank", 0)
        if subject not in SUBJECTS:
            problems.append(f"{where}: subject must be one of {', '.join(SUBJECTS)}")
        if kind not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not isinstance(rank, int):
            problems.append(f"{where}: rank must be an integer")
            rank = 0
        triggers, inverse = entry.get("triggers") or {}, entry.get("inverse") or {}
        rules = _measure_rules(where, entry.get("measures"), measures, problems)
        quantity = entry.get("quantity") if isinstance(entry.get("quantity"), dict) else {}
        unit, defer = quantity.get("unit"), quantity.get("defer") is True
        if entry.get("quantity") is not None and unit not in UNITS:
            problems.append(f"{where}: quantity.unit must be one of {', '.join(UNITS)}")
        if defer and quantity.get("select"):
            problems.append(f"{where}: a quantity either selects the entry or defers to the one it selects")
        for key, rule in rules.items():
            if rule.threshold and defer:
                problems.append(f"{where}/{key}: an entry that defers to a stated number sets no threshold")
            elif rule.threshold and rule.threshold.unit != unit:
                problems.append(f"{where}/{key}: a threshold needs the entry's quantity unit")
        if unit and not defer and not any(rule.threshold for rule in rules.values()):
            problems.append(f"{where}: a quantity needs a threshold in at least one measure")
        activities.append(Activity(
            id=where, name_zh=name["zh"], name_en=name["en"], subject=subject, kind=kind, rank=rank,
            triggers_zh=_strings(triggers.get("zh"), f"{where}: triggers.zh", problems)
            + expand_pairs(triggers.get("pairs"), f"{where}: triggers", problems),
            triggers_en=_strings(triggers.get("en"), f"{where}: triggers.en", problems),
            inverse_zh=_strings(inverse.get("zh"), f"{where}: inverse.zh", problems, required=False)
            + expand_pairs(inverse.get("pairs"), f"{where}: inverse", problems),
            inverse_en=_strings(inverse.get("en"), f"{where}: inverse.en", problems, required=False),
            measures=rules, quantity=None if defer else unit, select_by_quantity=bool(quantity.get("select")),
            defers_to_number=unit if defer else None,
            agency_alone=entry.get("agency_alone"), likeness=entry.get("likeness") is True,
        ))
    ids = {a.id for a in activities}
    for a in activities:
        if a.agency_alone is not None and (a.agency_alone not in ids or a.agency_alone == a.id):
            problems.append(f"{a.id}: agency_alone names no other activity: {a.agency_alone!r}")
    return Rules(tuple(activities)), problems


def _citations(where: str, key: str, raws: object, problems: list[str]) -> tuple[Citation, ...]:
    citations = []
    for raw in raws if isinstance(raws, list) else []:
        try:
            ref = Ref.parse(raw["ref"])
            quote = raw["quote"]
        except (KeyError, TypeError, ValueError) as error:
            problems.append(f"{where}/{key}: bad ref {raw!r} ({error})")
            continue
        if ref.measure != key:
            problems.append(f"{where}/{key}: {ref} belongs to another measure")
        citations.append(Citation(ref, quote))
    return tuple(citations)


def _threshold(where: str, key: str, data: object, problems: list[str]) -> Threshold | None:
    if data is None:
        return None
    bounds = {k: data.get(k) for k in ("min", "max")} if isinstance(data, dict) else {}
    if (not isinstance(data, dict) or data.get("unit") not in UNITS or set(data) - {"min", "max", "unit", "reason"}
            or not any(isinstance(v, (int, float)) for v in bounds.values())
            or any(v is not None and not isinstance(v, (int, float)) for v in bounds.values())):
        problems.append(f"{where}/{key}: threshold needs a unit ({', '.join(UNITS)}) and a numeric min or max")
        return None
    reason = data.get("reason") or {}
    if not (isinstance(reason, dict) and set(reason) == {"zh", "en"}):
        problems.append(f"{where}/{key}: threshold needs a reason in zh and en naming the limit")
        reason = {}
    return Threshold(data["unit"], bounds["min"], bounds["max"], reason.get("zh"), reason.get("en"))


def _measure_rules(where: str, data: object, measures: tuple[str, ...], problems: list[str]) -> dict:
    if not isinstance(data, dict):
        problems.append(f"{where}: measures must be a mapping")
        return {}
    missing, unknown = set(measures) - set(data), set(data) - set(measures)
    if missing:
        problems.append(f"{where}: no status for {', '.join(sorted(missing))}")
    if unknown:
        problems.append(f"{where}: unknown measure {', '.join(sorted(unknown))}")
    rules = {}
    for key in [m for m in measures if m in data]:
        spec = data[key] if isinstance(data[key], dict) else {}
        status, refs, reason = spec.get("status"), spec.get("refs") or [], spec.get("reason") or {}
        context = _citations(where, key, spec.get("context") or [], problems)
        threshold = _threshold(where, key, spec.get("threshold"), problems)
        if context and status != NOT_ADDRESSED:
            problems.append(f"{where}/{key}: only a silent (not_addressed) measure takes context")
        if threshold and status in (NOT_ADDRESSED, None):
            problems.append(f"{where}/{key}: a threshold needs the refs that set it")
        if status not in STATUSES:
            problems.append(f"{where}/{key}: status {status!r} is not one of {', '.join(STATUSES)}")
        if status == NOT_ADDRESSED and refs:
            problems.append(f"{where}/{key}: not_addressed takes no refs")
        if status in STATUSES and status != NOT_ADDRESSED and not refs:
            problems.append(f"{where}/{key}: {status} needs at least one ref with its quote")
        citations = _citations(where, key, refs, problems)
        rules[key] = MeasureRule(key, status, citations, reason.get("zh"), reason.get("en"), context, threshold)
    if rules and all(rule.status == NOT_ADDRESSED and not rule.context for rule in rules.values()):
        problems.append(f"{where}: no measure addresses it and none gives context, so it has no rule to give")
    return rules


def check_against_corpus(rules: Rules) -> list[str]:
    """Every cited reference must exist and every quote must stand verbatim in what it cites."""
    corpus, problems = load(), []
    for activity in rules.activities:
        for rule in activity.measures.values():
            for citation in rule.citations + rule.context:
                if not corpus.exists(citation.ref):
                    problems.append(f"{activity.id}: {citation.ref} does not exist")
                elif not corpus.quote_is_verbatim(citation.ref, citation.quote):
                    problems.append(f"{activity.id}: quote is not verbatim in {citation.ref}: {citation.quote!r}")
    return problems


def validate(data: object) -> tuple[Rules, list[str]]:
    """Structure and corpus checks together: the rules and every problem found."""
    rules, problems = parse_rules(data)
    return rules, problems + check_against_corpus(rules)


def read_rules_data() -> object:
    return parse_yaml((resources.files("assistant") / RULES_FILE).read_text(encoding="utf-8"))


@cache
def load_rules() -> Rules:
    """The shipped rules, parsed and checked once per process; raises RulesError if any check fails."""
    rules, problems = validate(read_rules_data())
    if problems:
        raise RulesError(f"{RULES_FILE} has {len(problems)} problem(s): " + "; ".join(problems[:10]))
    return rules


def coverage(rules: Rules | None = None) -> dict[Ref, bool]:
    """For every article and item of both measures: is it cited by at least one rule? An article counts as
    covered when it, or any of its items, is cited."""
    rules, corpus = rules or load_rules(), load()
    cited = {c.ref for c in rules.citations}
    result: dict[Ref, bool] = {}
    for article in corpus.articles():
        items = [Ref(article.ref.measure, article.ref.article, item.number) for item in article.items]
        result[article.ref] = article.ref in cited or any(ref in cited for ref in items)
        result.update({ref: ref in cited for ref in items})
    return result


# --- the verdict ------------------------------------------------------------------------------------------

STRICTNESS = {NO: 0, CONDITIONAL: 1, YES: 2}


def status_verdict(status: str, negated: bool) -> str:
    """One measure's verdict: a duty answers yes to "must/may I", and no to "may I (or they) skip it"."""
    if status == REQUIRED:
        return NO if negated else YES
    return {ALLOWED_ALONE: YES, WITH_OFFICER: CONDITIONAL, PROHIBITED: NO}.get(status, NOT_ADDRESSED)


def combine(verdicts: list[str]) -> str:
    """The stricter of the addressed verdicts (no, then conditional, then yes); a silent measure does not
    weaken the other; not_addressed only when every measure is silent."""
    addressed = [v for v in verdicts if v != NOT_ADDRESSED]
    return min(addressed, key=STRICTNESS.__getitem__) if addressed else NOT_ADDRESSED


@dataclass(frozen=True)
class Finding:
    """One measure's answer to the question. A silent measure may carry `context`: its general provision,
    quoted and labelled as context, never the ground of the verdict."""

    measure: str
    status: str
    verdict: str
    citations: tuple[Citation, ...]
    reason: dict[str, str] = field(hash=False, compare=False)
    context: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class RuleVerdict:
    """The answer to a duty question: the verdict, each measure's finding, and the text the user reads."""

    question: DutyQuestion
    activity: Activity
    verdict: str
    findings: tuple[Finding, ...]
    # When the measure asked about is silent, the other measure's rule is shown for reference (and cited).
    reference: tuple[Finding, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        findings = self.findings + self.reference
        return tuple(c for f in findings for c in f.citations) + tuple(c for f in findings for c in f.context)

    def text(self, lang: str = "zh") -> str:
        """The verdict first, then a one-line reason naming each measure, then each clause with its label; a
        silent measure's general provision last, labelled as context."""
        lang = "en" if lang == "en" else "zh"
        parts = [headline(self, lang), reason_line(self, lang)]
        corpus = load()
        findings = self.findings + self.reference
        lines = [f"{corpus.label(c.ref)}：「{c.quote}」" for f in findings for c in f.citations]
        for f in findings:
            if f.context:
                measure = corpus.measures[f.measure]
                lines.append(CONTEXT_HEAD[lang].format(m=measure.short_name, M=measure.english_short_name))
                lines += [f"{corpus.label(c.ref)}：「{c.quote}」" for c in f.context]
        return "\n\n".join(p for p in parts + ["\n".join(lines)] if p)


def judge(question: DutyQuestion) -> RuleVerdict:
    """Apply the rules to a classified question: the named measure only, or both combined."""
    rules = load_rules()
    activity = together([rules[a] for a in (question.activity, *question.also)])
    keys = [question.measure] if question.measure else list(load().measures)
    findings = tuple(_finding(activity, key, question) for key in keys)
    # The strictest finding first (it decides the combined verdict), silent measures last.
    addressed = sorted((f for f in findings if f.status != NOT_ADDRESSED), key=lambda f: STRICTNESS[f.verdict])
    ordered = tuple(addressed + [f for f in findings if f.status == NOT_ADDRESSED])
    reference = ()
    if question.measure and not addressed:
        reference = tuple(_finding(activity, key, question) for key in load().measures
                          if key != question.measure and activity.measures[key].status != NOT_ADDRESSED)
    return RuleVerdict(question, activity, combine([f.verdict for f in findings]), ordered, reference)


def together(activities: list[Activity]) -> Activity:
    """Activities a question lists together, which every measure rules alike, as one: their names joined, each
    measure's clauses gathered, and the entries' own reasons kept where any has one."""
    if len(activities) == 1:
        return activities[0]
    first = activities[0]

    def joined(lang: str) -> str:
        names = [a.name(lang) for a in activities]
        return ("、" if lang == "zh" else ", ").join(names[:-1]) + ("和" if lang == "zh" else " and ") + names[-1]

    def merged(key: str) -> MeasureRule:
        rules = [a.measures[key] for a in activities]
        own = any(r.reason_zh for r in rules)
        reasons = {lang: SEPARATOR[lang].join(dict.fromkeys(measure_reason(a, r, lang, False)
                                                            for a, r in zip(activities, rules))) if own else None
                   for lang in ("zh", "en")}
        return MeasureRule(key, rules[0].status, tuple(dict.fromkeys(c for r in rules for c in r.citations)),
                           reasons["zh"], reasons["en"], tuple(dict.fromkeys(c for r in rules for c in r.context)))

    return replace(first, id="+".join(a.id for a in activities), name_zh=joined("zh"), name_en=joined("en"),
                   measures={key: merged(key) for key in first.measures})


def _finding(activity: Activity, key: str, question: DutyQuestion) -> Finding:
    rule = activity.measures[key]
    quantity = question.quantity if question.quantity and question.quantity.unit == activity.quantity else None
    if quantity is not None:
        return _threshold_finding(activity, rule, quantity)
    reason = {lang: measure_reason(activity, rule, lang, question.negated) for lang in ("zh", "en")}
    return Finding(key, rule.status, status_verdict(rule.status, question.negated), rule.citations, reason,
                   rule.context)


def _threshold_finding(activity: Activity, rule: MeasureRule, quantity: Quantity) -> Finding:
    """A question proposing a number ("岗前培训2天够吗", "我42岁能报吗") is answered by the limit the measure
    sets: yes within it, no outside it. A measure that sets no limit is silent on the number; its own rule on
    the activity is then quoted as context."""
    measure = load().measures[rule.measure]
    names = {"{m}": measure.short_name, "{M}": measure.english_short_name}

    def fill(text: str) -> str:
        for key, value in names.items():
            text = text.replace(key, value)
        return text

    if rule.threshold is None:
        context = rule.citations + rule.context
        reason = {lang: fill(SILENT_ON_NUMBER[lang]) + (CONTEXT_NOTE[lang] if context else "") for lang in ("zh", "en")}
        return Finding(rule.measure, NOT_ADDRESSED, NOT_ADDRESSED, (), reason, context)
    admitted = rule.threshold.admits(quantity.effective)
    reason = {
        "zh": fill(rule.threshold.reason_zh) + f"，问题中的「{quantity.render('zh')}」"
              + ("符合这一规定" if admitted else "不符合这一规定"),
        "en": fill(rule.threshold.reason_en) + f"; {quantity.render('en')} "
              + ("is within that limit" if admitted else "falls outside that limit"),
    }
    return Finding(rule.measure, rule.status, YES if admitted else NO, rule.citations, reason)


# --- the words --------------------------------------------------------------------------------------------

HEADLINES = {
    "zh": {YES: "**可以。**", NO: "**不可以。**",
           CONDITIONAL: "**不可以单独进行，但可以在行政执法人员参与和指导下协助。**",
           NOT_ADDRESSED: "**两部办法均未作规定。**"},
    "en": {YES: "**Yes.**", NO: "**No.**",
           CONDITIONAL: "**Not alone, but may assist under an officer's participation and guidance.**",
           NOT_ADDRESSED: "**Neither measure addresses this.**"},
}

ZH = {
    (ALLOWED_ALONE, "auxiliary"): "{m}规定辅助人员可以独立从事{name}",
    (ALLOWED_ALONE, "agency"): "{m}规定可以{name}",
    (WITH_OFFICER, None): "{m}规定{name}只能在行政执法人员的参与和指导下协助进行，辅助人员不得单独从事",
    (PROHIBITED, "auxiliary"): "{m}明确禁止辅助人员{name}",
    (PROHIBITED, "agency"): "{m}明确禁止{name}",
    (REQUIRED, "auxiliary"): "{m}规定辅助人员应当{name}",
    (REQUIRED, "agency"): "{m}规定应当{name}",
    (REQUIRED, "right"): "{m}把{name}列为辅助人员依法享有的权利",
    (NOT_ADDRESSED, None): "{m}对此没有专门规定",
}
EN = {
    (ALLOWED_ALONE, "auxiliary"): "{M} lists {name} among the work an auxiliary may do independently",
    (ALLOWED_ALONE, "agency"): "{M} permits {name}",
    (WITH_OFFICER, None): "{M} allows {name} only when assisting an officer, with the officer's participation "
                          "and guidance, never alone",
    (PROHIBITED, "auxiliary"): "{M} prohibits auxiliaries from {name}",
    (PROHIBITED, "agency"): "{M} prohibits {name}",
    (REQUIRED, "auxiliary"): "{M} requires {name}",
    (REQUIRED, "agency"): "{M} requires {name}",
    (REQUIRED, "right"): "{M} recognises {name} as an auxiliary's right",
    (NOT_ADDRESSED, None): "{M} does not address this",
}
SILENT_ON_NUMBER = {"zh": "{m}没有就此规定具体的数值界限", "en": "{M} sets no numeric limit for this"}
CONTEXT_NOTE = {"zh": "（其相关的一般规定附后，仅供参考）",
                "en": ". Its related general provision is quoted below, for context only"}
CONTEXT_HEAD = {"zh": "参考（{m}对此没有专门规定，以下是其相关的一般规定，仅供参考，不作为本问题的依据）：",
                "en": "For context only ({M} has no specific rule on this; its related general provision, "
                      "not a ground for the answer):"}
SEPARATOR = {"zh": "；", "en": "; "}
NEGATED = {("zh", "duty"): "，不能免除", ("zh", "right"): "，不能被剥夺或克扣",
           ("en", "duty"): "; it cannot be skipped", ("en", "right"): "; it cannot be withheld"}


def measure_reason(activity: Activity, rule: MeasureRule, lang: str, negated: bool) -> str:
    """One measure's reason, without a full stop: the entry's own wording if it has one, else the template."""
    measure = load().measures[rule.measure]
    custom = rule.reason_zh if lang == "zh" else rule.reason_en
    if custom and rule.status != NOT_ADDRESSED:
        template = custom
    else:
        table = ZH if lang == "zh" else EN
        role = "right" if rule.status == REQUIRED and activity.kind == "right" else activity.subject
        template = table.get((rule.status, role)) or table[(rule.status, None)]
    text = (template.replace("{m}", measure.short_name).replace("{M}", measure.english_short_name)
            .replace("{name}", activity.name(lang)))
    if rule.status == REQUIRED and negated and not custom:
        text += NEGATED[(lang, activity.kind)]
    if rule.status == NOT_ADDRESSED and rule.context:
        text += CONTEXT_NOTE[lang]
    return text


def headline(verdict: RuleVerdict, lang: str) -> str:
    q, value = verdict.question, verdict.verdict
    addressed = [f for f in verdict.findings if f.status != NOT_ADDRESSED]
    all_required = bool(addressed) and all(f.status == REQUIRED for f in addressed)
    if value == NOT_ADDRESSED and q.measure:
        measure = load().measures[q.measure]
        return (f"**{measure.short_name}对此未作规定。**" if lang == "zh" else
                f"**{measure.english_subject} does not address this.**")
    if lang == "zh" and q.must and all_required:
        if value == YES:
            return "**是的，应当。**"
        if value == NO and q.negated:
            return "**不用。**" if _asks_self(q) else "**不可以。**"
    return HEADLINES[lang][value]


def _asks_self(q: DutyQuestion) -> bool:
    """"我要自己承担吗" asks whether one must carry something oneself: the answer is 不用, not 不可以."""
    return not q.agency_side


def reason_line(verdict: RuleVerdict, lang: str) -> str:
    """Each measure's reason on one line; a silent measure is said to be silent."""
    if lang == "zh":
        line = "；".join(f.reason["zh"] for f in verdict.findings) + "。"
        if verdict.reference:
            line += "作为参考，" + "；".join(f.reason["zh"] for f in verdict.reference) + "。"
        return line
    sentences = [f.reason["en"] for f in verdict.findings]
    if verdict.reference:
        sentences += ["For reference, " + f.reason["en"] for f in verdict.reference]
    return " ".join(s[0].upper() + s[1:] + "." for s in sentences)


__all__ = [
    "ALLOWED_ALONE", "ALONE", "Activity", "DutyQuestion", "Finding", "MeasureRule", "NOT_ADDRESSED",
    "PROHIBITED", "Quantity", "REQUIRED", "RuleVerdict", "Threshold", "Rules", "RulesError", "STATUSES", "UNSPECIFIED", "WITH_OFFICER",
    "WITH_OFFICER_PRESENT", "check_against_corpus", "classify", "combine", "coverage", "judge", "load_rules",
    "parse_rules", "status_verdict", "validate",
]
