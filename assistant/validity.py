"""Validity: notes for cited measures whose term has run out, and answers to questions about dates and
whether a measure is in force, from the measures' metadata, as of today or a date the question names."""
from __future__ import annotations

import re
from datetime import date

from corpus import EXPIRED, IN_FORCE, NOT_IN_FORCE, Measure, Ref, load
from corpus.names import named_measures

# Words that by themselves ask about a measure's validity, and words that do only when the question is about
# the measure itself rather than a contract or a training course ("合同到期", "培训多久").
STRONG = re.compile(
    r"有效期|还有效|仍然有效|依然有效|是否有效|有效吗|失效|生效|(?<!实)施行|过期|废止|现行|还能用|还适用|还管用|试行期|颁布|印发|出台|"
    r"\bin force\b|\bin effect\b|\bvalid(ity)?\b|\bexpire[sd]?\b|\bexpiry\b|\b(measure|rule|regulation|it|they|this|that)s? still appl|"
    r"\btake effect|\btook effect|"
    r"\btrial\b|\bstill current\b|\bpermanent (regulation|measure|rule)\b",
    re.IGNORECASE,
)
# Words of a term ("到期", "effective") ask about validity when the question is about a measure, even by its place
# name alone ("河北那个啥时候到期"); bare words of time ("什么时候", "currently") only when it says 办法 / measure
# ("泰兴城管今年招几个协管，啥时候报名" asks about hiring, not the measure).
WEAK = re.compile(r"有效|到期|期限|管到|开始实施|开始实行|何时实施|什么时候实施|发布|停止|不再|"
                  r"\beffective\b|\bended\b|\blapsed?\b|\bissued\b|"
                  r"\bstop(ped|s)?\b(?=\s*(?:[?.!,;]|$|\s(?:applying|being|working|in force)\b))", re.IGNORECASE)
WHEN = re.compile(r"多久|何时|什么时候|啥时候?|哪天|哪年|几年(?!前)|\bcurrent(ly)?\b|\bwhen (was|were|did|does|do|will|is)\b|"
                  r"\bhow long\b|\buntil when\b", re.IGNORECASE)
# A named date or year with a question whether the measure applies then: "2018年3月…能适用这个办法吗".
APPLIES_THEN = re.compile(r"适用|能用|还能用|可以用|管用|有效|用这个办法|(按|依|依照|按照)[^，。？?]{0,6}办法|\bappl(y|ies)\b|\buse\b|\bvalid\b|\bok\b|\bin force\b",
                          re.IGNORECASE)
ABOUT_MEASURE = re.compile(r"办法|规定|文件|条例|政策|\bmeasures?\b|\bregulations?\b|\brules\b|\bpolicy\b",
                           re.IGNORECASE)


def about_measure(question: str) -> bool:
    """The question is about a measure: it says 办法 / measure, or names one (by the names in measures.yaml)."""
    return bool(ABOUT_MEASURE.search(question) or named_measures(question.lower()))
ABOUT_OTHER = re.compile(r"合同|劳动|培训|聘用|工资|试用|\bcontract|\btraining\b|\bpay\b|\bsalary\b", re.IGNORECASE)
ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)|(\d{4})-(\d{1,2})(?![\d-])")
YEAR_ONLY = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)|\bin (\d{4})\b")


def is_temporal(question: str) -> bool:
    """Does the question ask when a measure applies, or whether it is in force?"""
    if date_in(question) and APPLIES_THEN.search(question) and about_measure(question):
        return True
    if ABOUT_OTHER.search(question):
        return bool(STRONG.search(question)) and about_measure(question)
    return bool(STRONG.search(question)) or (bool(WEAK.search(question)) and about_measure(question)) or (
        bool(WHEN.search(question)) and bool(ABOUT_MEASURE.search(question)))


def date_in(question: str) -> date | None:
    """A date the question names: 2025-03-01, 2025年3月1日; a month (taken as its 15th); a year (its 1 July)."""
    match = ISO_DATE.search(question)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    match = YEAR_MONTH.search(question)
    if match:
        year, month = (int(g) for g in (match.group(1, 2) if match.group(1) else match.group(3, 4)))
        return date(year, month, 15) if 1990 <= year <= 2100 and 1 <= month <= 12 else None
    match = YEAR_ONLY.search(question)
    if match:
        year = int(match.group(1) or match.group(2))
        return date(year, 7, 1) if 1990 <= year <= 2100 else None
    return None


def expiry_note(measure: Measure, lang: str, today: date | None = None) -> str | None:
    """The one-line note an answer carries when it cites a measure that has expired."""
    status = measure.status(today or date.today())
    if status.state != EXPIRED:
        return None
    ref = Ref.parse(measure.term.ref) if measure.term.ref else None
    where_en = f" (Article {ref.article})" if ref else ""
    where_zh = f"（第{load().article(ref).number_as_printed}条）" if ref else ""
    if lang == "en":
        return (f"Note: {measure.english_short_name}'s {'trial ' if measure.term.trial else ''}term ran to "
                f"{status.expires.isoformat()}{where_en}; check for an extension or a successor measure.")
    kind = "试行期限" if measure.term.trial else "有效期"
    return (f"提示：{measure.short_name}{kind}已于{status.expires.isoformat()}届满{where_zh}，"
            "请核实是否已延期或有后续办法。")


def place_note(place: str, measure: Measure, lang: str) -> str:
    """The note an answer carries when the question names a place inside the measure's jurisdiction: the answer
    is the measure's, and the place may have rules of its own."""
    if lang == "en":
        return (f"Note: {place} lies within {measure.english_short_name}'s jurisdiction, so this follows that "
                "measure; check whether the city or county has rules of its own.")
    return f"提示：{place}在{measure.short_name}的适用范围内，以上依该办法作答；当地如另有细则，请一并核实。"


def elsewhere_note(place: str, measures: list[Measure], lang: str) -> str:
    """The note an answer carries when the question names a place outside every measure's jurisdiction but asks
    about the measures ("看到北京有个报道…协管员能…吗"): the answer is theirs, not that place's."""
    if lang == "en":
        names = " or ".join(m.english_short_name for m in measures)
        which = "that measure provides" if len(measures) == 1 else "those measures provide"
        return f"Note: {place} is not governed by {names}; the above is what {which}, not {place}'s own rules."
    names = "、".join(m.short_name for m in measures)
    return f"提示：{place}不在{names}的适用范围内；以上是{names}的规定，{place}当地的规定请另行核实。"


STATE_ZH = {IN_FORCE: "有效", NOT_IN_FORCE: "尚未施行", EXPIRED: "期限已届满"}
STATE_EN = {IN_FORCE: "in force", NOT_IN_FORCE: "not yet in force", EXPIRED: "expired (its term has run out)"}


def status_sentence(measure: Measure, as_of: date, lang: str) -> str:
    status = measure.status(as_of)
    if measure.term.clause is None:  # no article says when it takes effect: its publication details do
        if lang == "en":
            until = f" for a term of {measure.term.years} years, to {status.expires.isoformat()}" if status.expires else ""
            return (f"As of {as_of.isoformat()}, {measure.english_short_name} is {STATE_EN[status.state]}: by its "
                    f"publication details it took effect on {measure.in_force.isoformat()}{until}; its text states no term.")
        until = f"，有效期{measure.term.years}年，至{status.expires.isoformat()}" if status.expires else ""
        return (f"截至{as_of.isoformat()}，{measure.short_name}{STATE_ZH[status.state]}：据其发布信息，自"
                f"{measure.in_force.isoformat()}起施行{until}；条文本身没有规定期限。")
    if status.expires is None:  # no fixed term, or none stated: it runs until repealed
        if lang == "en":
            return (f"As of {as_of.isoformat()}, {measure.english_short_name} is {STATE_EN[status.state]}: it took effect "
                    f"on {measure.in_force.isoformat()} and sets no fixed term.")
        return (f"截至{as_of.isoformat()}，{measure.short_name}{STATE_ZH[status.state]}：自{measure.in_force.isoformat()}起施行，"
                "未规定有效期。")
    if lang == "en":
        trial = "a trial term of " if measure.term.trial else "a term of "
        return (f"As of {as_of.isoformat()}, {measure.english_short_name} is {STATE_EN[status.state]}: it took effect "
                f"on {measure.in_force.isoformat()} for {trial}{measure.term.years} years, to {status.expires.isoformat()}.")
    kind = "试行，暂定期限" if measure.term.trial else "施行，有效期"
    return (f"截至{as_of.isoformat()}，{measure.short_name}{STATE_ZH[status.state]}：自{measure.in_force.isoformat()}起"
            f"{kind}{measure.term.years}年，至{status.expires.isoformat()}。")
