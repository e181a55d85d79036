"""The question, parsed once: `parse()` turns what the user typed into a `Query` that every later stage reads.

A Query says what kind of question it is (yes/no, list, factual, compare, temporal, consequence, reason), which
measures it names, what it asks of whom (may one do it alone or with an officer, must one, may one not; the
auxiliary, the agency, or a candidate for hire), and any number it proposes ("我42了", "2 days"). A follow-up
("那河北呢？", "what about with an officer?", "为什么？") inherits what it leaves out from the turn before.
Nothing after this module re-normalises the raw string: `text` is the typed question cleaned, `normalised` the
same with typos and spelling fixed, and `topic` the words retrieval searches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from corpus import load
from corpus.lexicon import load_lexicon
from corpus.names import measure_names, named_measures
from corpus.places import places
from corpus.numerals import parse_number
from corpus.provisions import EDUCATION_WORDS, education_level
from assistant.language import detect_lang
from assistant.scope import load_scope
from assistant.validity import date_in, is_temporal

YESNO, LIST, FACTUAL, COMPARE, TEMPORAL, CONSEQUENCE, REASON = (
    "yesno", "list", "factual", "compare", "temporal", "consequence", "reason")
FORMS = (YESNO, LIST, FACTUAL, COMPARE, TEMPORAL, CONSEQUENCE, REASON)
ALONE, WITH_OFFICER, UNSPECIFIED = "alone", "with_officer", "unspecified"
AUXILIARY, AGENCY, CANDIDATE = "auxiliary", "agency", "candidate"


@dataclass(frozen=True)
class Quantity:
    """A number a question proposes ("岗前培训2天够吗", "少于10个工作日", "a 42-year-old"): its value, how it
    compares (lt: less than, gt: more than, eq: exactly or at least/most) and its unit (day | age)."""

    value: float
    unit: str
    comparison: str = "eq"
    said: str = ""  # as the question put it ("少于10个工作日"), shown back in a Chinese answer

    @property
    def effective(self) -> float:
        """The value to test against a limit: "less than 3" falls short of a minimum of 3."""
        return self.value + {"lt": -1e-6, "gt": 1e-6}.get(self.comparison, 0.0)

    def render(self, lang: str) -> str:
        number = f"{self.value:g}"
        if self.unit == "education" or lang == "zh" and re.search(r"[\u4e00-\u9fff]", self.said):
            return self.said
        if lang == "zh":
            return {"lt": "少于", "gt": "超过"}.get(self.comparison, "") + number + {"age": "岁", "day": "天"}[self.unit]
        bound = {"lt": "less than ", "gt": "more than "}.get(self.comparison, "")
        return f"an age of {bound}{number}" if self.unit == "age" else f"{bound}{number} days"


@dataclass(frozen=True)
class Query:
    """What a question asks, read once."""

    text: str  # as typed, cleaned (width, spaces)
    normalised: str  # lower-cased, typos of the subject and English spelling fixed, worries set aside
    lang: str  # zh | en
    form: str  # one of FORMS
    measures: tuple[str, ...] = ()  # the measures the question names; () for none; several for "两地"/"both"
    every_measure: bool = False  # names the measures together ("两部办法", "三个地方", "both")
    modality: str = UNSPECIFIED  # alone | with_officer | unspecified
    must: bool = False  # asks whether it is required rather than allowed
    # goes against what a provision requires, permits or states: omits a duty, lacks a condition, withholds a right,
    # denies a statement ("可以不戴胸牌吗", "can they withhold my pay", "身体不行能招吗"); `against_ban`: asks to refrain
    # from what is prohibited, or denies the prohibition (both read by the learned reading)
    against: bool = False
    against_ban: bool = False
    side: str = AUXILIARY  # whose conduct it asks about: auxiliary | agency | candidate
    ordered: bool = False  # an instruction from the agency or a superior ("队长让我一个人去…")
    quantity: Quantity | None = None
    as_of: date | None = None  # a date the question names
    follow_up: bool = False
    topic: str = ""  # what retrieval searches: the question, with what a follow-up inherits
    act: str = ""  # the act asked about: the question without its frame (measure, subject, modal words)
    last: str = ""  # the act in the clause that asks ("队长不在，商户不配合，我自己去把他三轮车扣了可以吗": 扣了)
    hedged: bool = False  # turns on facts the measures do not weigh ("随便开除")
    consequence: bool = False  # asks what follows from an act ("会怎么处理", "会不会被开除", "what happens if")
    bound: str | None = None  # asks about an upper ("上限", "too old") or lower ("最少", "at least") limit: max | min
    asks: tuple[str, ...] = ()  # the modalities a list or factual question asks about ("不得有哪些行为": must_not)
    public_actor: bool = False  # a member of the public asks what they may do ("我作为店主可以拒绝开门吗")
    place: str | None = None  # a place inside a measure's jurisdiction that the question names (石家庄)
    elsewhere: str | None = None  # a place outside every jurisdiction that the question names (北京, Wuhan)
    # asks for a figure: an amount, a number of people, a rate ("补贴多少钱", "how many"); the kinds it names
    # (money, time, age, people, rate, or others no measure states: level, points), empty when it names none
    asks_figure: frozenset[str] | None = None
    asks_status: bool = False  # asks what something is ("算不算在编", "are they civil servants"), not what may be done
    previous: Query | None = None  # the turn a follow-up leans on
    reading: object = None  # the learned reading (reading.model.Reading): each field's probabilities, the provisions

    @property
    def measure(self) -> str | None:
        """The one measure the question is about, or None for all of them."""
        return self.measures[0] if len(self.measures) == 1 else None

    @property
    def asked(self) -> str:
        """The question with A-not-A folded ("给不给交社保" → 给交社保): what it asks, not a negation it says."""
        return A_NOT_A.sub(r"\1", self.normalised)


# --- normalising ---------------------------------------------------------------------------------------------

_YUAN = "[员猿圆元源园原缘院]"
SUBJECT_TYPOS = (  # homophones of the subject as a pinyin keyboard gives them (协管猿, 辅组人圆, 执法人元)
    (re.compile(f"[协写谐斜胁]管{_YUAN}"), "协管员"),
    (re.compile(f"[辅付副扶府腐][助组住主祝注足]人{_YUAN}"), "辅助人员"),
    (re.compile(f"[执只直职值][法发罚]人{_YUAN}"), "执法人员"),
    (re.compile(r"可[已宜]"), "可以"),
    (re.compile(r"单读"), "单独"),
    (re.compile(r"在厂"), "在场"),
)
QUESTION_PARTICLE_TYPO = re.compile(r"(?<=[\u4e00-\u9fff])[码马妈](?=[?？!！。.]*$)")
SPACE = re.compile(r"\s+")
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # 能不能 → 能: asks yes or no, negates nothing
# The English subject said in full ("law enforcement auxiliary", "auxiliary enforcement officer") is the auxiliary.
EN_SUBJECT = re.compile(r"\b(?:administrative\s+)?(?:law[- ])?enforcement[- ](auxiliar(?:y|ies))\b|"
                        r"\b(auxiliar(?:y|ies))\s+(?:law[- ])?enforcement\s+(?:officer|personnel|staff|worker)s?\b")


def normalise(text: str) -> str:
    """Lower-cased text with the subject's homophone typos and English misspellings fixed."""
    out = load_lexicon().correct(text.strip()).lower()
    for pattern, right in SUBJECT_TYPOS:
        out = pattern.sub(right, out)
    out = EN_SUBJECT.sub(lambda m: m.group(1) or m.group(2), out)
    return QUESTION_PARTICLE_TYPO.sub("吗", out)


def chinese(text: str) -> str:
    """The text for Chinese patterns: no spaces, A-not-A folded."""
    return A_NOT_A.sub(r"\1", SPACE.sub("", text))


# --- which measures ------------------------------------------------------------------------------------------

EVERY_MEASURE = re.compile(r"两地|两部|两个办法|两个地方|两者|二者|各地|几个地方|几部办法|三个地方|三部|各个办法|各办法|"
                           r"\b(?:both|all(?: the| three| these)?)\s+(?:measures|places|cities|of them)\b|\btwo measures\b|"
                           r"\bthese measures\b|\beach measure\b", re.IGNORECASE)


# --- the form of the question ----------------------------------------------------------------------------------

ZH_WH = re.compile(r"什么|啥|哪|几(?!乎)|多少|多久|多长|多大|多高|怎么|怎样|咋|如何|为什么|为何|谁|何时|有何|何种")
ZH_YES_NO = re.compile(
    r"吗|是否|能否|可否|可不可以|能不能|行不行|是不是|要不要|需不需要|用不用|让不让|准不准|允不允许|会不会|有没有|"
    r"算不算|合不合法|违不违法|违不违规|对不对|好不好|([\u4e00-\u9fff])不\1|么[?？!！。.\s]*$|"
    r"(可以|行|能|合法|违法|违规|允许|ok|对|合规)(不)?[?？]*\s*$|吧[?？!！。.\s]*$|"
    r"(能|可以|可|会|要|用|需要|得|让|准|有)[^，,。？?]*[^\W\d_](不|没有?)[?？!！。.\s]*$"  # tag questions: 还能报名不
)
CONSEQUENCE_WORDS = re.compile(
    r"会怎么样|会怎样|会咋样|会咋办|咋处理|咋罚|怎么处理|如何处理|怎么处罚|怎么处分|什么处分|什么处罚|什么后果|啥后果|后果|责任|追究|追偿|处分|"
    r"处理结果|受到什么|会被|\bwhat happens\b|\bconsequences?\b|\bpunish|\bpenalt|\bdisciplin|\bsanction|\bliable\b|"
    r"\bliability\b|\bheld responsible\b|\bwhat will happen\b|\bget (fired|sacked|punished|in trouble)\b",
    re.IGNORECASE)
# A question that asks for a figure. Whether the measure has one to give is read from its text (assistant.pipeline).
ASKS_FIGURE = re.compile(r"多少|几(?:个|名|人|千|万|百|元|块|成|级|倍|次)|比例|百分之|数额|金额|名额|人数上限|最高|最低|上限|下限|"
                         r"\bhow (?:much|many)\b|\bwhat (?:is the |are the )?(?:rate|ratio|amount|figure|percentage|number)s?\b|"
                         r"\b(?:exact|specific|precise)\b[^.?]{0,40}\b(?:amount|figure|number|rate|sum|salary|pay|wage|fee)s?\b|\bheadcount|\bquotas?\b|"
                         r"\bwhat(?:'s| is| are)?\s+(?:the\s+)?(?:\w+\s+){0,2}(?:fee|salary|wage|price|cost)s?\b|"
                         r"\b(?:maximum|minimum|max|min)\b (?:\w+ )?(?:fine|amount|penalty|salary|pay|wage|age|number)s?\b",
                         re.IGNORECASE)
# The kind of figure a question asks for, by the words around its question word.
FIGURE_ASKED = {
    "money": re.compile(r"钱|元|块|工资|薪|补贴|奖金|罚款|罚多少|\bmoney\b|\bsalary\b|\bpay\b|\bwages?\b|\bfines?\b|"
                        r"\ballowance|\bbonus|\byuan\b|\brmb\b", re.IGNORECASE),
    "time": re.compile(r"几天|多少天|工作日|几个?月|多少个?月|几年|多少年|多久|多长时间|小时|学时|\bdays?\b|\bhours?\b|\bmonths?\b|"
                       r"\byears?\b|\bhow long\b", re.IGNORECASE),
    "age": re.compile(r"几岁|多少岁|多大|年龄|年纪|\bage\b|\bhow old\b", re.IGNORECASE),
    "people": re.compile(r"几个人|几名|多少人|多少名|几个协管|几个辅助|人数|名额|\bpeople\b|\bpersons?\b|\bstaff\b|\bheadcount\b|"
                         r"\bhow many (?:\w+ )?(?:auxiliar|aux\b|officers|employees|workers)", re.IGNORECASE),
    "level": re.compile(r"几级|多少级|几个等级|级别|\blevels?\b|\bgrades?\b|\btiers?\b", re.IGNORECASE),
    "points": re.compile(r"多少分|几分|分数|\bpoints?\b|\bscores?\b", re.IGNORECASE),
    "rate": re.compile(r"比例|百分之|\brate\b|\bratio\b|\bpercentage\b", re.IGNORECASE),
}


def figure_asked(text: str) -> frozenset[str] | None:
    """None when the asking part asks no figure; else the kinds of figure it names (empty: a figure of any kind)."""
    if not ASKS_FIGURE.search(text):
        return None
    return frozenset(kind for kind, pattern in FIGURE_ASKED.items() if pattern.search(text))


HEDGED = re.compile(r"随便|随意|无故|无缘无故|无理由|\bwithout (any )?(reason|cause)\b|\barbitrar", re.IGNORECASE)


EN_TAG = re.compile(r",?\s*(right|correct|yes|ok|okay|no|isn'?t it|aren'?t they|don'?t i|do i|is it|can i)\s*\?\s*$",
                    re.IGNORECASE)


# The kind of provision a list or factual question asks about, by the words it asks with.
ASKS = (
    ("bar", re.compile(r"不得(招聘|聘用|招用)|不能(被)?(招|聘|录用|当)|不予(招|聘|录用)|哪些人不能|什么人不能|\b(cannot|can't|not) be "
                       r"(hired|recruited|employed)|\b(barred|disqualified|ineligible)\b|\bwho (cannot|can't)\b", re.IGNORECASE)),
    ("condition", re.compile(r"条件|资格|要求|门槛|\bconditions?\b|\brequirements?\b|\bqualif|\beligib|\bcriteria\b",
                             re.IGNORECASE)),
    ("must_not", re.compile(r"不得|禁止|不能|不准|不许|不可以|红线|严禁|\bbanned\b|\bforbidden\b|\bprohibit|\bnot allowed\b|"
                            r"n'?t allowed\b|\bmust not\b|\bmay not\b|\bcan'?t\b|\bcannot\b|\bNOT\b", re.IGNORECASE)),
    ("may_alone", re.compile(r"独立|单独|自己(就|一个人)?(能|可以)|一个人(能|可以)|\balone\b|\bindependently\b|\bon (their|his|her|my) own\b|"
                             r"\bsolo\b|\bby themselves\b", re.IGNORECASE)),
    ("with_officer", re.compile(r"协助|配合|跟着|在.{0,8}(指导|参与)下|\bassist|\bhelp(ing)? (the )?officers?\b|\bunder (the )?guidance\b",
                                re.IGNORECASE)),
    ("right", re.compile(r"权利|权益|享有|待遇|有权|\brights?\b|\bentitle|\bbenefits?\b", re.IGNORECASE)),
    ("sanction", CONSEQUENCE_WORDS),
)


def asks_of(text: str) -> tuple[str, ...]:
    text = EN_TAG.sub("", text)  # "…, right?" asks for agreement, not about a right
    found = [m for m, pattern in ASKS if pattern.search(text)]
    if "bar" in found:  # "哪些人不能招" asks the bars, not the prohibitions
        found = [m for m in found if m != "must_not"]
    if "may_alone" in found and "must_not" in found:  # "不能单独干的" asks what is barred alone
        found = [m for m in found if m != "may_alone"] + ["must_not_alone"]
    return tuple(found)


def mostly_english(text: str) -> bool:
    """English with perhaps a Chinese term or two in it ("got 开除 from a 事业单位 — any chance…")."""
    return len(re.findall(r"[A-Za-z]+", text)) > len(re.findall(r"[\u4e00-\u9fff]", text)) / 2


def english_asking(text: str) -> str:
    """The sentence of an English question that asks: the last one with a question mark ("…how much fine money we
    bring in. is that allowed?"), else the whole text."""
    asking = [s for s in re.split(r"(?<=[?.!])\s+", text) if "?" in s]
    return asking[-1] if asking else text


def asking_part(text: str, every: bool = False) -> str:
    """The part of a question that asks: an English one's last question sentence, a Chinese one's asking clause
    (with `every`, all its clauses that ask: "今年招几个协管，啥时候报名")."""
    if mostly_english(text):
        return english_asking(text)
    return (" ".join(asking_clauses(text)) or text) if every else asking_clause(text)


# --- what it asks of whom ----------------------------------------------------------------------------------------

ZH_ALONE = re.compile(
    r"单独|独立|独自|一个人|自己去|自己(?!承担|负责|担责|赔|留|扛|出钱|的)|自行|私自|擅自|单干|单枪匹马|"
    r"没有?执法人员|无执法人员|执法人员不在|不在场|不需要执法人员|没人(陪|带|跟)|未经执法人员"
)
ZH_WITH = re.compile(
    r"在场|陪同|陪着|带领|带着|跟着|跟随|一起|一同|配合|在[^，。?？]{0,10}(指导|指挥|监督|参与)下|"
    r"有执法人员|和执法人员|跟执法人员|与执法人员|执法人员(在|陪|带|参与|指导|同意|跟)|"
    r"协助|帮忙|帮(他|她|他们|执法人员|执法队员|队员|民警|队长)"  # the with-officer lists' own verb: 协助
)
EN_ALONE = re.compile(
    r"\b(alone|on (my|his|her|their|our|your|its) own|by (myself|himself|herself|themselves|ourselves|yourself|oneself)|"
    r"independently|solo|unaccompanied|unsupervised|without (an? |the |any )?(officer|supervis|law[- ]enforcement|staff|colleague))",
    re.IGNORECASE)
EN_WITH = re.compile(
    r"\b(with (an? |the |my |our )?(officer|supervis|law[- ]enforcement)|officers? (is |are |being )?(present|there|around|nearby|with)|"
    r"accompanied|alongside|under (the |an? )?(officer|supervision|guidance|direction)|help(ing)? (an? |the )?officer|"
    r"assist(ing)? (an? |the )?officer|together with|in the presence of|presence of an officer|"
    r"help(ing)? (out )?(with|in|on)\b|assist(ing)? (with|in)\b)", re.IGNORECASE)
# Who gives an officer orders, in an officer's words (also what assistant.match leaves out of an act).
COLLOQUIAL_AGENTS = "单位|局里|局长|队里|队长|中队|大队|领导|上级|上司|老板|科长|所长"
AGENT_ZH = (r"(" + COLLOQUIAL_AGENTS + r"|机关|执法局|城管局|执法人员|正式工|民警|派遣公司|派遣单位|用人单位|部门|政府|公司)")
ZH_ORDERED = re.compile(AGENT_ZH + r"[^，。?？]{0,6}?(让|叫|要求|安排|派|指派|命令|逼|强迫|强制|交代|吩咐|指使)")
EN_ORDERED = re.compile(
    r"\b(bureau|agency|department|employer|boss|supervisor|officers?|team leader|chief|manager|captain|superior)\b"
    r"[^.?!]{0,24}?\b(make|makes|made|ask|asks|asked|order|orders|ordered|tell|tells|told|force|forces|forced|"
    r"require|requires|assign|assigns|assigned|send|sends|sent)\b", re.IGNORECASE)


ZH_WORRY = re.compile(
    r"(?:(?:^|(?<=[，,。？?！!；;\s]))(?:那|这|这样|那样|这么做|这样做|但|可|不过|就)?算|算不算|"
    r"(?:会不会|是不是|不会|会|怕)被?(?:算|当成|当作|视为|看成|看作|认定|认为|说成|定性))[^，,。？?！!；;]*"
)
EN_WORRY = re.compile(
    r"(?:^|(?<=[,;.?!])|\bor\b)\s*(?:would|will|could|might|does|is|isn't|wouldn't|won't|doesn't)\s+"
    r"(?:that|it|this|doing (?:so|that|this))\s+(?:count|be (?:seen|considered|regarded|treated|taken|counted|viewed|deemed)|"
    r"amount|mean)\b[^,;.?!]*", re.IGNORECASE)


def without_worries(text: str) -> str:
    """The question with a worry about how the act will be read ("会不会算不服从") set aside."""
    return EN_WORRY.sub(" ", ZH_WORRY.sub("", text)).strip() or text


# What the question says the act is not ("its not evidence", "not for evidence", "不作为证据用"): no word of the act.
DENIED = re.compile(r"\b(?:it'?s|its|it is|that'?s|this is|is|are|was|were) not (?:for |as |used as |meant as |going to be )?"
                    r"(?:an? |the |any )?[a-z]+|\bnot (?:for|as|used as|meant as) (?:an? |the |any )?[a-z]+|"
                    r"(?:(?<!是)不是|并非|不作为|(?<!当)不当作?|不用作|不拿来当)[\u4e00-\u9fff]{1,4}?(?:用|的)?(?=[，,。；;？?]|$)",
                    re.IGNORECASE)


def without_denied(text: str) -> str:
    stripped = DENIED.sub(" ", text).strip()
    return stripped if len(stripped) >= 4 else text


EN_OTHER_SIDE = re.compile(r"(?:\?|,)\s*or\b(?!\s+not\b)[^?]*\??\s*$", re.IGNORECASE)
ZH_OTHER_SIDE = re.compile(r"(?:(?<=[吗呢？?])|(?<=[行对好]不))[？?，,]?\s*(?:还是说?|或者说?|或是)[^？?]*[？?]?\s*$")


def without_other_side(text: str, yes_no: bool) -> str:
    """A yes/no question followed by its other side ("does the agency have to train them? or can they skip it",
    "…可以吗？还是说不行") asks the first: the alternative is only the answer it fears. `yes_no`: the learned
    reading takes the question for one (an English "…, or …" may also join the choices a wh-question asks)."""
    for pattern in (ZH_OTHER_SIDE, EN_OTHER_SIDE):  # the Chinese one asks after a question's own ending
        found = pattern.search(text)
        if found and found.start() and (pattern is ZH_OTHER_SIDE or yes_no):
            return text[:found.start()].rstrip(" ,，") + ("" if text[found.start() - 1] in "?？" else "?")
    return text


# --- numbers a question proposes -------------------------------------------------------------------------------

EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
EN_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60})
ZH_BOUND = "不少于|不低于|不短于|不小于|至少|起码|最少|最多|至多|不超过|不多于|不高于|不大于|年满|已满|满|" \
           "少于|低于|不到|不足|不满|未满|没满|没到|小于|短于|不够|只有|仅|超过|多于|大于|高于|长于|过了|超出"
ZH_QUANTITY = re.compile(
    r"(?P<cmp>" + ZH_BOUND + r")?(?P<num>\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+)\s*(?P<some>多)?"
    r"(?:(?P<day>个?(?:工作日|工作天|天|日))|(?P<age>周?岁))(?P<after>以上|多|以下|以内|之内)?"
)
ZH_BARE_AGE = re.compile(  # an age said without 岁 ("我42了", "我今年五十")
    r"(?:我|本人|今年|年纪|岁数)(?:今年|已经|都|才|快|刚|也)?(?P<num>[1-9]\d|[二三四五六七八九]?十[一二三四五六七八九]?)"
    r"(?P<some>多)?(?![\d.点个天日年月号周岁元块万千百分%])"
)
EN_QUANTITY = re.compile(
    r"(?P<cmp>less than|fewer than|under|below|shorter than|younger than|not yet|more than|over|above|"
    r"longer than|older than|past|at least|at most|no more than|no less than|not more than|not less than|only)?\s*"
    r"(?:\b(?P<num>\d+(?:\.\d+)?|" + "|".join(EN_NUMBERS) + r")[\s-]*"
    r"(?:(?P<day>(?:(?:working|work|business)[\s-])?days?\b)|(?P<age>years?[\s-]*old\b|yo\b|y/o\b))|"
    r"\b(?:aged?|age of|(?:hired|recruited|employed|apply|applying|join|joining|start|starting) at|who is|who's|"
    r"i am|i'm|im|he is|she is|turned|turning)\s+(?:now\s+|currently\s+|already\s+|just\s+)?(?P<agenum>\d{1,2})\b(?![\s-]*(?:working |work |business )?days?\b))",
    re.IGNORECASE)
LESS = {"少于", "低于", "不到", "不足", "不满", "未满", "没满", "没到", "小于", "短于", "不够", "以下",
        "less than", "fewer than", "under", "below", "shorter than", "younger than", "not yet"}
MORE = {"超过", "多于", "大于", "高于", "长于", "过了", "超出", "以上", "多",
        "more than", "over", "above", "longer than", "older than", "past"}


EN_EDUCATION = {"primary school": 0, "elementary school": 0, "middle school": 1, "junior high": 1, "junior school": 1,
                "high school": 2, "secondary school": 2, "vocational school": 2, "technical school": 2,
                "associate degree": 3, "junior college": 3, "college degree": 4, "bachelor": 4, "university degree": 4,
                "master": 5, "phd": 6, "doctorate": 6}
ZH_EDUCATION = re.compile(rf"({EDUCATION_WORDS})(?:毕业|学历|文化|文凭|水平|生)")
EN_EDUCATION_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, EN_EDUCATION)) + r")", re.IGNORECASE)
UPPER = re.compile(r"上限|最高|最大|封顶|不超过|超过.{0,6}(?:不能|不行|不可以)|太老|年纪大|超龄|\bupper (?:age )?limit\b|"
                   r"\bmaximum\b|\bcap\b|\btoo old\b|\bage limit\b|\bmax\b", re.IGNORECASE)
LOWER = re.compile(r"下限|最低|最少|至少|起码|不少于|\blower limit\b|\bminimum\b|\bat least\b|\bmin\b", re.IGNORECASE)


def quantities(text: str, unit: str | None = None) -> list[Quantity]:
    """Every number with a unit a measure limits (days, age), with how it is bounded, in order."""
    out = []
    zh = SPACE.sub("", text)
    for m in ZH_QUANTITY.finditer(zh):
        before = zh[m.start() - 1] if m.start() > 0 else ""
        if before == "第" or (m.group("day") and before and before in "月年号"):
            continue  # a date (1月1日) or an ordinal, not a length
        value = parse_number(m.group("num"))
        if value is None:
            continue
        bound = m.group("after") or m.group("cmp") or m.group("some") or ""
        comparison = "lt" if bound in LESS else "gt" if bound in MORE else "eq"
        out.append(Quantity(value, "day" if m.group("day") else "age", comparison, m.group(0)))
    for m in ZH_BARE_AGE.finditer(zh):
        value = parse_number(m.group("num"))
        if value is not None:
            out.append(Quantity(value, "age", "gt" if m.group("some") else "eq", m.group("num") + (m.group("some") or "") + "岁"))
    for m in EN_QUANTITY.finditer(text):
        if m.group("agenum"):
            out.append(Quantity(float(m.group("agenum")), "age"))
            continue
        if not m.group("num"):
            continue
        word = m.group("num").lower()
        value = float(word) if word[0].isdigit() else float(EN_NUMBERS[word])
        bound = (m.group("cmp") or "").lower()
        comparison = "lt" if bound in LESS else "gt" if bound in MORE else "eq"
        out.append(Quantity(value, "day" if m.group("day") else "age", comparison))
    for m in ZH_EDUCATION.finditer(zh):
        out.append(Quantity(float(education_level(m.group(1))), "education", said=m.group(0)))
    for m in EN_EDUCATION_PATTERN.finditer(text):
        out.append(Quantity(float(EN_EDUCATION[m.group(1).lower()]), "education", said=m.group(0)))
    return [q for q in out if unit is None or q.unit == unit]


# A number said bare, closing its clause ("那35呢", "我儿子17，能招不", "exactly 35?", "and if I were 36?", "my cousin is
# 35 and…"): a quantity of the unit the provision the question is read as being about limits (reading.provisions),
# when that provision limits one unit.
BARE_NUMBER = re.compile(r"(?<![\d.第])(?P<num>\d{1,2}|[二三四五六七八]?十[一二三四五六七八九]?)"
                         r"(?=\s*(?:[了呢吗啦呀啊吧，。、,.?？!！]|now\b|and\b|but\b|$))", re.IGNORECASE)
PLAUSIBLE = {"age": (14, 80), "day": (1, 60)}  # what a bare number may be of each unit


@cache
def limited_units(ref: str) -> frozenset[str]:
    """The units a provision sets a number for (age, day), from the provision table."""
    from corpus.provisions import provisions

    try:
        return frozenset(t.unit for t in provisions().get(ref).thresholds) & PLAUSIBLE.keys()
    except (KeyError, ValueError):
        return frozenset()


def bare_quantity(text: str, reading) -> Quantity | None:
    """The one bare number of a question, as a quantity of the one unit its likeliest provisions limit."""
    numbers = list(BARE_NUMBER.finditer(text))
    units = {u for m, ranked in reading.provisions.items() if ranked and reading.silent.get(m, 1.0) < 0.5
             for u in limited_units(ranked[0][0])}
    if len(numbers) != 1 or len(units) != 1:
        return None
    unit, value = units.pop(), parse_number(numbers[0].group("num"))
    low, high = PLAUSIBLE[unit]
    return Quantity(value, unit, said=numbers[0].group("num")) if value is not None and low <= value <= high else None


# --- the act, without the question's frame ----------------------------------------------------------------------

FRAME_ZH = re.compile(
    r"行政执法辅助人员|执法辅助人员|辅助人员|协管员|协管|辅警|协警|这个办法|这部办法|办法里|办法|规定里|"
    r"能不能|可不可以|行不行|是不是|要不要|需不需要|用不用|允不允许|有没有|会不会|可以|能否|能够|可否|是否|允许|准许|"
    r"必须|应当|应该|需要|一定要|我们|咱们|自己|一个人|单独|独立|独自|自行|私自|擅自|请问|这边|那边|的话|"
    r"[吗呢吧啊呀么嘛能可要我你他她]")
FRAME_EN = re.compile(
    r"\b(?:can|could|may|might|must|should|shall|will|would|is|are|am|was|were|do|does|did|have to|has to|need to|"
    r"allowed to|allowed|permitted to|permitted|ok|okay|legal|auxiliar(?:y|ies)|aux|auxes|i|we|me|my|our|you|he|she|"
    r"they|them|their|in|under|the|a|an|alone|independently|on (?:my|his|her|their|our) own|"
    r"by (?:myself|himself|herself|themselves|ourselves)|ever|still|just|even|also|what|whats|what's|how|who|whom|"
    r"whose|when|where|why|which|tell|know|get|got|go|going|want|wanna|there|here|this|that|these|those|it|its|"
    r"of|to|for|on|at|by|with|from|about|as|and|or|if|so|some|any|please|thanks|really|actually|right|ok|okay)\b",
    re.IGNORECASE)


CLAUSE = re.compile(r"[，,。；;！!？?]+|\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+")


def last_clause(text: str) -> str:
    """The clause that carries the question: the last one that says something beyond its particles."""
    parts = [p for p in CLAUSE.split(text) if len(act_of(p)) >= 2]
    return parts[-1] if parts else text


ELABORATION = re.compile(r"(那种|之类的?|这样的|什么的|等等)[?？!！。.\s]*$")  # "一个月罚够多少钱那种": an example


def asking_clauses(text: str) -> list[str]:
    """The clauses that carry a question word or particle, leaving out a trailing example ("…那种")."""
    parts = [p for p in CLAUSE.split(text) if p.strip()]
    parts = [p for p in parts if not ELABORATION.search(p)] or parts
    return [p for p in parts if ZH_YES_NO.search(SPACE.sub("", p)) or ZH_WH.search(chinese(p))]


def asking_clause(text: str) -> str:
    """The clause that carries the question: the last that asks ("商户塞了两条烟给我，让我别管他，我能收吗": 我能收吗);
    the whole text when none does."""
    marked = asking_clauses(text)
    return marked[-1] if marked else text


FRAME_CHARS = "吗呢吧啊呀么嘛能可要我你他她"  # the one-character frame words FRAME_ZH removes wherever they stand


@cache
def protected_terms() -> re.Pattern | None:
    """The corpus' terms that hold a one-character frame word (行政许可, 要求): kept whole in the act."""
    from corpus.lexicon import load_lexicon
    from index.tokens import DOMAIN_TERMS

    terms = {t for e in load_lexicon().entries for t in e.terms} | set(DOMAIN_TERMS)
    held = sorted((t for t in terms if 2 <= len(t) <= 6 and any(c in t for c in FRAME_CHARS)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, held))) if held else None


def act_of(text: str) -> str:
    """The question without its frame: the measures' names, the subject, and the words that ask may/must/alone
    (a corpus term is kept whole: 行政许可 keeps its 可)."""
    out = text
    for _, pattern in measure_names():
        out = pattern.sub(" ", out)
    for pattern in (ZH_WITH, EN_WITH, ZH_ALONE, EN_ALONE):
        out = pattern.sub(" ", out)
    kept: list[str] = []
    terms = protected_terms()
    if terms is not None:
        out = terms.sub(lambda m: kept.append(m.group(0)) or f"\ue000{len(kept) - 1}\ue001", out)
    out = FRAME_EN.sub(" ", FRAME_ZH.sub(" ", out))
    out = re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], out)
    return SPACE.sub(" ", re.sub(r"[?？!！。.,，、;；:：\"'“”]+", " ", out)).strip()


# --- follow-ups ----------------------------------------------------------------------------------------------

# A short English question that leans on what came before through a pronoun ("so whose rules cover them then").
EN_ANAPHOR = re.compile(r"\b(them|they|it|that|this|those|these|he|she|him|her|the same|then)\b", re.IGNORECASE)


# 这个 / 这样 in a question's first clause points back to the last turn ("河北的办法里有没有禁止这个？"); after a
# clause of its own it points to that ("我们今年才培训了7天，这样可以吗").
ZH_ANAPHOR = re.compile(r"^[^，,。；;]*?(?:这个(?!办法|规定)|这样|这么做|这么干|这种情况|这种事|这事)")


BARE_WORDS = re.compile(r"[\s那么呢吗的了吧啊呀什哪]|为什么|为啥|为何|怎么|怎样|如何")


HIRING_FRAME = re.compile(r"招聘|招录|招用|应聘|录用|聘用|聘|招|当(上)?(辅助人员|协管员?|辅助|协警)?|\b(hire[ds]?|hiring|recruit\w*|"
                          r"employ(ed)?|apply|applying)\b", re.IGNORECASE)


def last_act(core: str, side: str) -> str:
    """The act of the clause that asks; for a candidate ("…还能聘我当协管吗") without the hiring frame, which says
    nothing of which condition or bar is meant."""
    last = act_of(last_clause(core))
    if side == CANDIDATE:
        last = SPACE.sub(" ", HIRING_FRAME.sub(" ", last)).strip()
    return last


def own_act(act: str) -> bool:
    """Does a follow-up's act say something of its own, beyond particles and question words ("那河北的呢": no)?"""
    return len(BARE_WORDS.sub("", act)) >= 2


# --- the parser ----------------------------------------------------------------------------------------------


# whose conduct the learned reading says is asked, as the provision model's sides (an officer, a government and a
# department act on the agency's side; the public asks what the agency owes it)
SIDE_OF = {"auxiliary": AUXILIARY, "agency": AGENCY, "officer": AGENCY, "government": AGENCY, "candidate": CANDIDATE,
           "public": AGENCY, "none": AUXILIARY}


# A question the words of validity mark (过期, 出台, "valid") asks about a measure's term only if the learned reading
# does not rule it out: on the calibration part the words alone found 40 of its 46 such questions and 12 others
# (a visa that expires, a decision that took effect, an ID card's validity); the reading alone 44 and 1; the words
# where the reading gives it at least this chance, with the reading's own, 46 and 1.
TEMPORAL_FLOOR = 0.05


def parse(text: str, previous: Query | None = None, preferred: str | None = None, reader=None) -> Query:
    """Read one cleaned question. `previous` is the last turn's Query (for follow-ups); `preferred` the measure
    chosen outside the question (the app's selector, `--measure`), which a measure the question names overrides.
    What it asks of whom, in which form, and whether it leans on the last turn come from the learned reading
    (`reader`, by default the one beside the index); the measures it names, numbers and dates from its words."""
    if reader is None:
        from assistant.resources import reader as current

        reader = current()
    normalised = normalise(text)
    lang = detect_lang(text)
    governed = places().governing(text)  # a city inside a measure's jurisdiction asks about that measure
    named = named_measures(normalised) or ((governed[1],) if governed else ())
    place = governed[0] if governed and named == (governed[1],) else None
    elsewhere = load_scope().other_place(text)
    every = bool(EVERY_MEASURE.search(normalised)) or len(named) > 1
    unworried = without_worries(normalised)
    said = next(iter(quantities(unworried)), None)  # the kind of number it names, which the reading takes in
    reading = reader.read(text, previous.topic if previous is not None else None, said.unit if said else None)
    core = without_other_side(unworried, reading.form.top == YESNO)
    if len(act_of(core)) < 2:  # the worry was the whole question ("泰兴的协管算不算有编制")
        core = normalised
    affirmed = without_denied(core)  # the act without what the question says it is not
    quantity = next(iter(quantities(core)), None) or bare_quantity(core, reading)
    follow = previous is not None and reading.follows_up > 0.5
    form = TEMPORAL if is_temporal(text) and reading.form.p(TEMPORAL) >= TEMPORAL_FLOOR else reading.form.top
    if every:
        measures = named if len(named) > 1 else tuple(load().measures)
    elif named:
        measures = named
    elif follow and previous.measures and form != REASON:
        measures = previous.measures
    else:
        measures = (preferred,) if preferred else ()
    side = reading.side.top
    query = Query(
        text=text, normalised=core, lang=lang, form=form, measures=measures, every_measure=every,
        modality=reading.manner.top, must=reading.modal.top == "must", against=reading.against["positive"] > 0.5,
        against_ban=reading.against["negative"] > 0.5,
        side=SIDE_OF[side], ordered=bool(ZH_ORDERED.search(chinese(core)) or EN_ORDERED.search(core)),
        quantity=quantity, as_of=date_in(text), follow_up=follow, topic=reading.topic,
        act=act_of(affirmed), last=last_act(affirmed, SIDE_OF[side]),
        hedged=bool(HEDGED.search(core)), previous=previous if follow else None,
        consequence=form == CONSEQUENCE or bool(CONSEQUENCE_WORDS.search(core)) and side != "candidate",
        bound="max" if UPPER.search(core) else "min" if LOWER.search(core) else None, asks=asks_of(core),
        asks_status=reading.modal.top == "status",
        asks_figure=figure_asked(asking_part(core, every=True)),  # every clause that asks may ask a figure
        public_actor=side == "public", place=place, elsewhere=elsewhere, reading=reading,
    )
    return inherit(query, previous) if follow else query


def inherit(query: Query, previous: Query) -> Query:
    """A follow-up keeps what it leaves out of the turn it leans on: the measure ("那河北呢？" names its own), a
    number ("那40岁呢" names its own), the act when it names none of its own ("what about with an officer?"), and
    when it says nothing of its own at all ("河北呢", "and Hebei?") the form too: it asks the same thing again, a
    list for a list (as 134 of the 137 bare follow-ups of the bank's train part that are not a why do); what else
    it asks of whom is read in context by the learned reading. "为什么？" asks the reason for the earlier answer: it
    is the earlier question asked again (what it asked of whom, and how it was read), in the why's own words and
    form, about the measure it names if it names one."""
    if query.form == REASON:
        return replace(previous, text=query.text, lang=query.lang, form=REASON, follow_up=True, previous=previous,
                       measures=query.measures if named_measures(query.normalised) else previous.measures)
    if previous.form == REASON and previous.previous is not None:  # a new case after "为什么？" varies its question
        previous = previous.previous
    bare = not own_act(query.act)
    own = not bare and not (query.lang == "en" and EN_ANAPHOR.search(query.text)) \
        and not ZH_ANAPHOR.search(query.text)  # them, 这个: as said before
    if bare and query.form != previous.form:
        query = replace(query, form=previous.form, consequence=previous.consequence, asks=previous.asks,
                        asks_figure=previous.asks_figure)
    return replace(
        query, every_measure=query.every_measure or (previous.every_measure and not named_measures(query.normalised)),
        quantity=query.quantity or previous.quantity,
        act=query.act if own else f"{previous.act} {query.act}".strip(),
        last=query.last if len(query.last) >= 2 else previous.last,
    )


__all__ = ["ALONE", "AGENCY", "AUXILIARY", "CANDIDATE", "COMPARE", "CONSEQUENCE", "FACTUAL", "FORMS", "LIST",
           "Quantity", "Query", "REASON", "TEMPORAL", "UNSPECIFIED", "WITH_OFFICER", "YESNO", "parse", "quantities"]
