"""The duty-question classifier: is this a yes/no question about an auxiliary's duties, and about what?

It extracts the activity (an id in rules.yaml), the modality (alone / with an officer / unspecified), the
measure named, negation ("可以不戴胸牌吗"), agency-side phrasing ("单位能让我们…") and a number the question
proposes ("岗前培训2天够吗", "我四十二岁能报吗"), which the judge holds against the limit stored in the rules.
Typos of the subject (协管猿, 辅组人圆, auxilary) are read as the subject; a worry about how the act will be
read ("会不会算不服从") is set aside. Activities listed together that every measure rules alike are answered
together. It returns None whenever it is not confident — no activity, two activities matching equally that
the measures rule differently, a question that is not yes/no, auxiliaries likened to officers
(工资跟执法人员一样吗) — and the assistant then falls back to retrieval. It never guesses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING

from corpus.lexicon import ASCII_WORD, english_words, is_common_english, stem
from assistant.language import detect_lang
from assistant.session import named_measure, names_both

if TYPE_CHECKING:
    from assistant.rules import Activity, Rules

ALONE, WITH_OFFICER_PRESENT, UNSPECIFIED = "alone", "with_officer", "unspecified"


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
        if lang == "zh" and re.search(r"[\u4e00-\u9fff]", self.said):
            return self.said
        if lang == "zh":
            return {"lt": "少于", "gt": "超过"}.get(self.comparison, "") + number + {"age": "岁", "day": "天"}[self.unit]
        bound = {"lt": "less than ", "gt": "more than "}.get(self.comparison, "")
        return f"an age of {bound}{number}" if self.unit == "age" else f"{bound}{number} days"


@dataclass(frozen=True)
class DutyQuestion:
    """What a yes/no duty question asks, as the classifier understood it."""

    question: str
    activity: str
    modality: str = UNSPECIFIED  # alone | with_officer | unspecified
    measure: str | None = None  # hebei | taixing | None for both
    negated: bool = False  # asks about not doing it: "可以不戴胸牌吗", "can they withhold my pay"
    agency_side: bool = False  # asks what the agency may do: "单位能让我们…", "can the bureau make us…"
    must: bool = False  # asks whether it is required ("必须…吗") rather than allowed
    lang: str = "zh"
    quantity: Quantity | None = None  # a number proposed in the unit the activity's limits use
    also: tuple[str, ...] = ()  # further activities the question lists, each ruled alike ("档案管理、录入信息")


# --- normalising --------------------------------------------------------------------------------------------

# Homophone typos of the words a question leans on (pinyin input slips).
TYPOS = {
    "协管猿": "协管员", "协管圆": "协管员", "协管元": "协管员", "协管源": "协管员", "写管员": "协管员",
    "辅助人圆": "辅助人员", "辅助人猿": "辅助人员", "辅助人元": "辅助人员", "辅住人员": "辅助人员",
    "辅组人员": "辅助人员", "付助人员": "辅助人员", "执法人猿": "执法人员", "执法人圆": "执法人员",
    "执法人元": "执法人员", "只法人员": "执法人员", "直法人员": "执法人员", "可已": "可以", "可宜": "可以",
    "单读": "单独", "独自一人": "独自", "在厂": "在场",
}
TYPO_PATTERN = re.compile("|".join(map(re.escape, sorted(TYPOS, key=len, reverse=True))))
# Homophones of the subject as a pinyin keyboard gives them (协管猿, 辅组人圆, 执法人元): any spelling names it.
_YUAN = "[员猿圆元源园原缘院]"
SUBJECT_TYPOS = (
    (re.compile(f"[协写谐斜胁]管{_YUAN}"), "协管员"),
    (re.compile(f"[辅付副扶府腐][助组住主祝注足]人{_YUAN}"), "辅助人员"),
    (re.compile(f"[执只直职值][法发罚]人{_YUAN}"), "执法人员"),
)
# English words a question leans on, for typos outside the triggers (which match typos themselves).
KEY_WORDS = ("auxiliary", "auxiliaries", "enforcement", "independently", "supervisor", "supervision", "officer",
             "certificate", "document")


def _typo_of(word: str, key: str) -> bool:
    """One letter dropped, doubled or swapped ("auxilary", "offcer", "enforcment"); for long words also one
    letter replaced ("auxillary"). A word that is a prefix of the other ("documents") is no typo."""
    if word == key or word[0] != key[0] or word.startswith(key) or key.startswith(word):
        return False
    if len(key) >= 8 and abs(len(word) - len(key)) <= 2 and SequenceMatcher(None, word, key).ratio() >= 0.85:
        return True
    if len(word) == len(key) - 1:
        return any(key[:i] + key[i + 1:] == word for i in range(len(key)))
    if len(word) == len(key) + 1:
        return any(word[:i] + word[i + 1:] == key for i in range(len(word)))
    if len(word) == len(key):
        diff = [i for i in range(len(key)) if word[i] != key[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == key[diff[1]] and word[diff[1]] == key[diff[0]]
    return False


# The English subject said in full ("law enforcement auxiliary", "auxiliary enforcement officer") is just the
# auxiliary: its words must not read as an activity ("enforcement … alone") or an officer present.
EN_SUBJECT = re.compile(r"\b(?:administrative\s+)?(?:law[- ])?enforcement[- ](auxiliar(?:y|ies))\b|"
                        r"\b(auxiliar(?:y|ies))\s+(?:law[- ])?enforcement\s+(?:officer|personnel|staff|worker)s?\b")


@cache
def _fix_word(word: str) -> str:
    if len(word) < 5 or word in KEY_WORDS:
        return word
    return next((key for key in KEY_WORDS if _typo_of(word, key)), word)
SPACE = re.compile(r"\s+")
# 能不能 → 能, 可不可以 → 可以, 要不要 → 要: the A-not-A form asks yes/no but is no negation.
A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")


def normalise(question: str) -> str:
    """Lower-cased, typo-fixed text, with a question particle typed as 码/马 read as 吗."""
    text = TYPO_PATTERN.sub(lambda m: TYPOS[m.group(0)], question.strip().lower())
    for pattern, right in SUBJECT_TYPOS:
        text = pattern.sub(right, text)
    text = re.sub(r"[a-z]+", lambda m: _fix_word(m.group(0)), text)
    text = EN_SUBJECT.sub(lambda m: m.group(1) or m.group(2), text)
    return re.sub(r"(?<=[\u4e00-\u9fff])[码马妈](?=[?？!！。.]*$)", "吗", text)


def chinese(text: str) -> str:
    """The text for Chinese matching: no spaces, A-not-A folded."""
    return A_NOT_A.sub(r"\1", SPACE.sub("", text))


# --- what kind of question --------------------------------------------------------------------------------

ZH_WH = re.compile(r"什么|啥|哪|几(?!乎)|多少|多久|多长|多大|多高|怎么|怎样|咋|如何|为什么|为何|谁|何时|有何|何种|还是")
ZH_YES_NO = re.compile(
    r"吗|是否|能否|可否|可不可以|能不能|行不行|是不是|要不要|需不需要|用不用|让不让|准不准|允不允许|会不会|有没有|"
    r"算不算|合不合法|违不违法|违不违规|对不对|好不好|([\u4e00-\u9fff])不\1|么[?？!！。.\s]*$|"
    r"(可以|行|能|合法|违法|违规|允许|ok|对)[?？]*\s*$|"
    r"(能|可以|可|会|要|用|需要|得|让|准|有)[^，,。？?]*[^\W\d_](不|没有?)[?？!！。.\s]*$"  # tag questions: 还能报名不, 有待遇没
)
EN_WH_START = re.compile(r"^\W*(what|which|who|whom|whose|when|where|why|how)\b")
EN_FOLLOW_START = re.compile(r"^\W*(and\s+)?(what about|how about|what if)\b")
EN_WH_ANY = re.compile(
    r"\b(how (many|much|long|often|old|soon)|what (is|are|was|were|does|do|did|kind|sort|type|happens|rights?|duties)|"
    r"which|who (is|are|decides|sets|pays|bears|can|must)|"
    r"or (do|does|should|must|can|could|may) (i|we|you|they|he|she))\b"  # "drive, or do I translate?": which one
)
EN_FILLER = (r"(?:(?:so|and|but|also|ok|okay|hi|hey|hello|then|well|please|sorry|quick question|question|"
             r"i(?:'|’)?m \d{1,2}|i am \d{1,2})[,:]?\s+)*")  # "I'm 47 can I still apply"
# "In Hebei can…", "Under the Taixing measure may…": the place may lead the question without a comma.
EN_PLACE = r"(?:(?:in|under|for|per|according to) (?:the )?(?:hebei|taixing)\w*(?: (?:measures?|rules?|province|city))?[,:]?\s+)?"
EN_YES_NO = re.compile(
    r"(?:^|[.;!?,:]\s*|\s[-–—]+\s*)\W*" + EN_FILLER + EN_PLACE +
    r"(can|could|may|might|must|should|shall|will|would|is|are|am|was|were|do|does|did|have|has|need|ought|"
    r"isn't|aren't|can't|cannot|won't|don't|doesn't|mustn't|shouldn't|wouldn't|couldn't)\b"
)
EN_YES_NO_ELSEWHERE = re.compile(
    r"\b(allowed|permitted|ok|okay|legal|illegal|lawful|unlawful|forbidden|prohibited|banned)\b[^.?!]*\?\s*$|"
    r"\b(whether|if) (i|we|an? auxiliar\w*|auxiliar\w*|they|he|she|the \w+|my \w+|our \w+)\b|"
    r"\b(can|could|may|must|should)\b[^.?!]*\?"  # in statement order: "the township can set its own badge?"
)
# Two measures compared is a comparison, not a yes/no question about one duty.
BOTH = re.compile(r"两地|两部|两个办法|两者|二者|各地|\bboth (measures|places)\b|\btwo measures\b")
COMPARE = re.compile(r"区别|不同|差异|差别|一样|相同|异同|比较|对比|相比|\bdiffer|\bsame\b|\bcompar|\bcontrast|\bversus\b|\bvs\b")
# Words that make a yes or no depend on facts the measures do not weigh ("随便开除").
HEDGED = re.compile(r"随便|随意|无故|无缘无故|无理由|\bwithout (any )?(reason|cause)\b|\barbitrar")


# "someone who is 17", "a person who was detained": a relative clause, not a wh-question.
EN_RELATIVE = re.compile(r"\b(someone|anyone|somebody|anybody|everyone|people|persons?|those|auxiliar\w*|man|woman|"
                         r"applicants?|candidates?|vendors?|officers?|staff|colleagues?|friends?|relatives?)\s+(who|whose)\b")


def is_wh(text: str, follow: bool) -> bool:
    """A wh-question (什么, 几, 谁, how many…) asks for facts or a list, not a yes or no."""
    if ZH_WH.search(chinese(text)):
        return True
    text = EN_RELATIVE.sub(r"\1 that", text)
    if follow and EN_FOLLOW_START.search(text):
        return bool(EN_WH_ANY.search(text))
    return bool(EN_WH_START.search(text) or EN_WH_ANY.search(text))


def is_yes_no(text: str) -> bool:
    """吗, 能不能, 是否…, or an English question led by can/may/must/is/do…"""
    if re.search(r"[\u4e00-\u9fff]", text) and ZH_YES_NO.search(SPACE.sub("", text)):
        return True
    return bool(EN_YES_NO.search(text) or EN_YES_NO_ELSEWHERE.search(text))


def is_comparison(text: str) -> bool:
    return bool((names_both(text) or BOTH.search(text)) and COMPARE.search(text))


# Auxiliaries likened to officers ("工资跟执法人员一样吗", "the same pay as officers"): a comparison, not a duty,
# unless the entry is about that very likeness (badges that must differ from officers').
ZH_LIKENESS = re.compile(
    r"(跟|和|与|同|像)(正式的?|在编的?)?(行政)?(执法人员|民警|警察|公务员|正式工|在编人员)[^，。?？]{0,8}"
    r"(一样|相同|一致|区别|不同|差别|差不多|同等|同样)")
EN_LIKENESS = re.compile(
    r"\b(same|identical|equal|similar|different)\b[^.?!]{0,30}\b(as|to|from|with) (the |our |law[- ]enforcement )*"
    r"(officers?|civil servants?|police)\b"
)


# --- the parts of a duty question ---------------------------------------------------------------------------

ZH_ALONE = re.compile(
    r"单独|独立|独自|一个人|自己去|自己(?!承担|负责|担责|赔|留|扛|出钱|的)|自行|私自|擅自|单干|单枪匹马|"
    r"没有?执法人员|无执法人员|执法人员不在|不在场|不需要执法人员|没人(陪|带|跟)|未经执法人员"
)
ZH_WITH = re.compile(
    r"在场|陪同|陪着|带领|带着|跟着|跟随|一起|一同|协助|配合|在[^，。?？]{0,10}(指导|指挥|监督|参与)下|"
    r"有执法人员|和执法人员|跟执法人员|与执法人员|执法人员(在|陪|带|参与|指导|同意|跟)"
)
EN_ALONE = re.compile(
    r"\b(alone|on (my|his|her|their|our|your|its) own|by (myself|himself|herself|themselves|ourselves|yourself|oneself)|"
    r"independently|solo|unaccompanied|unsupervised|without (an? |the |any )?(officer|supervis|law[- ]enforcement|staff|colleague))"
)
EN_WITH = re.compile(
    r"\b(with (an? |the |my |our )?(officer|supervis|law[- ]enforcement)|officers? (is |are |being )?(present|there|around|nearby|with)|"
    r"accompanied|alongside|under (the |an? )?(officer|supervision|guidance|direction)|help(ing)? (an? |the )?officer|"
    r"assist(ing)? (an? |the )?officer|together with|in the presence of|presence of an officer)"
)
ZH_NEGATION = re.compile(
    r"(可以|能够?|可|允许|准|行|有权)不(?!能|得|可|行|会|准|许|单独|独立|在场|是|影响|涉及)|"
    r"不(用|必|需要?|让|批|给|发|付|交|缴|买|戴|佩戴|带|出示|亮|参加|签|还|退|听|服从|履行|提供|培训|承担|报销|支付|上社保|组织|安排)|"
    r"无需|无须|免于|免除|免(培训|考核|签)|没有?(戴|佩戴|带|出示|亮|参加|签|交|缴|买|给|发|付|培训|证|提供)|拒绝|拖欠|克扣"
)
EN_NEGATION = re.compile(
    r"\b(not (wear|show|carry|sign|attend|pay|give|provide|train|return|hand|follow|obey|join|bear)\w*|"
    r"without (wearing|showing|carrying|signing|attending|training|paying|a (badge|card|certificate|contract)|any training|insurance)|"
    r"skip\w*|refus\w*|(don'?t|doesn'?t|do not|does not) (have|need) to|need not|needn'?t|not required to|"
    r"withh[oe]ld\w*|den(y|ied|ies)|stop paying|opt out|exempt\w*|get out of)\b"
)
ZH_MUST = re.compile(
    r"必须|应当|应该|需要|一定要|非得|必需|是否要|要不要|需不需要|用不用|有义务|"
    r"(我|我们|辅助人员|协管员|自己|单位|机关|他们|你们|咱们)(还)?要(?!求)"
)
EN_MUST = re.compile(r"\b(must|have to|has to|need to|needs to|required to|obliged to|obligated to|supposed to|mandatory|compulsory|should)\b")
ZH_AGENCY = re.compile(
    r"(单位|机关|执法局|城管局|局里|局长|队里|队长|中队|大队|领导|上级|上司|老板|执法人员|正式工|民警|派遣公司|派遣单位|"
    r"用人单位|部门|科长|所长|政府|公司)[^，。?？]{0,6}?"
    r"(让|叫|要求|安排|派|指派|命令|逼|强迫|强制|给|替|把|拖欠|扣|克扣|下达|下|收回|开除|辞退|解聘|追偿|不让|不准|不给|定)"
)
EN_AGENCY = re.compile(
    r"\b(bureau|agency|department|employer|boss|supervisor|officers?|government|authority|authorities|unit|company|"
    r"team leader|chief|manager|management)\b[^.?!]{0,24}?\b(make|makes|ask|asks|order|orders|tell|tells|force|forces|"
    r"require|requires|assign|assigns|let|lets|give|set|sets|link|tie|withhold|fire|dismiss|deny|refuse|send|put)\b"
)


# An instruction from the agency or a superior ("队长让我…", "my supervisor makes me…"): with "alone", it is
# answered by the agency's own prohibition where there is one (taixing 20(2)).
ZH_ORDERED = re.compile(
    r"(单位|机关|执法局|城管局|局里|局长|队里|队长|中队|大队|领导|上级|上司|老板|执法人员|正式工|民警|科长|所长|部门)"
    r"[^，。?？]{0,6}?(让|叫|要求|安排|派|指派|命令|逼|强迫|强制|交代|吩咐|指使)"
)
EN_ORDERED = re.compile(
    r"\b(bureau|agency|department|employer|boss|supervisor|officers?|team leader|chief|manager|captain|superior)\b"
    r"[^.?!]{0,24}?\b(make|makes|made|ask|asks|asked|order|orders|ordered|tell|tells|told|force|forces|forced|"
    r"require|requires|assign|assigns|assigned|send|sends|sent)\b"
)


# A clause voicing a worry about how the act will be read ("会不会算不服从", "would that count as disobeying"):
# the question is about the act in the other clause, so the worry names no activity and negates nothing.
ZH_WORRY = re.compile(
    r"(?:(?:^|(?<=[，,。？?！!；;\s]))(?:那|这|这样|那样|这么做|这样做|但|可|不过|就)?算|算不算|"
    r"(?:会不会|是不是|不会|会|怕)被?(?:算|当成|当作|视为|看成|看作|认定|认为|说成|定性))[^，,。？?！!；;]*"
)
EN_WORRY = re.compile(
    r"(?:^|(?<=[,;.?!])|\bor\b)\s*(?:would|will|could|might|does|is|isn't|wouldn't|won't|doesn't)\s+"
    r"(?:that|it|this|doing (?:so|that|this))\s+(?:count|be (?:seen|considered|regarded|treated|taken|counted|viewed|deemed)|"
    r"amount|mean)\b[^,;.?!]*"
)


def without_worries(text: str) -> str:
    """The question with its worry clauses left out."""
    return EN_WORRY.sub(" ", ZH_WORRY.sub("", text))


def ordered(text: str) -> bool:
    return bool(ZH_ORDERED.search(chinese(text)) or EN_ORDERED.search(text))


def modality(text: str) -> str | None:
    zh = chinese(text)
    if ZH_ALONE.search(zh) or EN_ALONE.search(text):
        return ALONE
    if ZH_WITH.search(zh) or EN_WITH.search(text):
        return WITH_OFFICER_PRESENT
    return None


def negation(text: str) -> bool:
    return bool(ZH_NEGATION.search(chinese(text)) or EN_NEGATION.search(text))


def must(text: str) -> bool:
    return bool(ZH_MUST.search(SPACE.sub("", text)) or EN_MUST.search(text))


def agency_side(text: str) -> bool:
    return bool(ZH_AGENCY.search(chinese(text)) or EN_AGENCY.search(text))


def measure_named(text: str) -> tuple[bool, str | None]:
    """(named, measure): a question naming both measures, or "两地", names both (measure None)."""
    if names_both(text):
        return True, None
    one = named_measure(text)
    return (True, one) if one else (False, None)


# --- numbers a question proposes -----------------------------------------------------------------------------

ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
EN_NUMBERS.update({"half a": 0.5, "half": 0.5, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60})
ZH_LESS = "不少于|不低于|不短于|不小于|至少|起码|最少|最多|至多|不超过|不多于|不高于|不大于|年满|已满|满|" \
          "少于|低于|不到|不足|不满|未满|没满|没到|小于|短于|不够|只有|仅|超过|多于|大于|高于|长于|过了|超出"
ZH_QUANTITY = re.compile(
    r"(?P<cmp>" + ZH_LESS + r")?(?P<num>\d+(?:\.\d+)?|[零一二两三四五六七八九十百半]+)\s*(?P<some>多)?"
    r"(?:(?P<day>个?(?:工作日|工作天|天|日))|(?P<age>周?岁))(?P<after>以上|多|以下|以内|之内)?"
)
# An age said without 岁 by the asker ("我42了", "我今年五十", "本人都45了"): a two-digit number right after who
# is speaking, followed by no unit.
ZH_BARE_AGE = re.compile(
    r"(?:我|本人|今年|年纪|岁数)(?:今年|已经|都|才|快|刚|也)?(?P<num>[1-9]\d|[二三四五六七八九]?十[一二三四五六七八九]?)"
    r"(?P<some>多)?(?![\d.点个天日年月号周岁元块万千百分%])"
)
EN_QUANTITY = re.compile(
    r"(?P<cmp>less than|fewer than|under|below|shorter than|younger than|not yet|more than|over|above|"
    r"longer than|older than|past|at least|at most|no more than|no less than|not more than|not less than|only)?\s*"
    r"(?:\b(?P<num>\d+(?:\.\d+)?|half a|" + "|".join(w for w in EN_NUMBERS if " " not in w) + r")[\s-]*"
    r"(?:(?P<day>(?:working |work |business )?days?\b)|(?P<age>years?[\s-]*old\b|yo\b|y/o\b))|"
    r"\b(?:aged?|age of|(?:hired|recruited|employed|apply|applying|join|joining|start|starting) at|who is|who's|"
    r"i am|i'm|im|he is|she is|turned|turning)\s+(?P<agenum>\d{1,2})\b(?![\s-]*(?:working |work |business )?days?\b))"
)
LESS = {"少于", "低于", "不到", "不足", "不满", "未满", "没满", "没到", "小于", "短于", "不够", "以下",
        "less than", "fewer than", "under", "below", "shorter than", "younger than", "not yet"}
MORE = {"超过", "多于", "大于", "高于", "长于", "过了", "超出", "以上", "多",
        "more than", "over", "above", "longer than", "older than", "past"}


def zh_number(text: str) -> float | None:
    """Arabic or Chinese numerals: 3, 十七, 四十二, 两, 半, 一百二十."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    total, current = 0, None
    for ch in text:
        if ch in ZH_DIGITS:
            current = ZH_DIGITS[ch]
        elif ch == "十":
            total += (current if current is not None else 1) * 10
            current = None
        elif ch == "百":
            total += (current if current is not None else 1) * 100
            current = None
        else:
            return None
    return float(total + (current or 0))


def quantities(text: str) -> list[tuple[Quantity, int]]:
    """Every number with a unit the rules compare (days, age), with how it is bounded, in order; each with
    the length of its Chinese phrase (0 for English)."""
    out = []
    for m in ZH_QUANTITY.finditer(SPACE.sub("", text)):
        before = SPACE.sub("", text)[m.start() - 1] if m.start() > 0 else ""
        if before == "第" or (m.group("day") and before in "月年号"):
            continue  # a date (1月1日) or an ordinal, not a length; "今年36岁" is an age
        value = zh_number(m.group("num"))
        if value is None:
            continue
        bound = m.group("after") or m.group("cmp") or m.group("some") or ""
        comparison = "lt" if bound in LESS else "gt" if bound in MORE else "eq"
        out.append((Quantity(value, "day" if m.group("day") else "age", comparison, m.group(0)), len(m.group(0))))
    for m in ZH_BARE_AGE.finditer(SPACE.sub("", text)):
        comparison = "gt" if m.group("some") else "eq"
        said = m.group("num") + (m.group("some") or "") + "岁"
        out.append((Quantity(zh_number(m.group("num")), "age", comparison, said), len(m.group(0))))
    for m in EN_QUANTITY.finditer(text):
        if m.group("agenum"):
            out.append((Quantity(float(m.group("agenum")), "age"), 0))
            continue
        if not m.group("num"):
            continue
        word = m.group("num")
        value = float(word) if word[0].isdigit() else float(EN_NUMBERS[word])
        bound = m.group("cmp") or ""
        comparison = "lt" if bound in LESS else "gt" if bound in MORE else "eq"
        out.append((Quantity(value, "day" if m.group("day") else "age", comparison), 0))
    return out


# --- finding the activity -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    activity: str
    rank: int
    script: str  # zh | en: spans are in characters of the Chinese text, or in English word positions
    start: int
    end: int
    score: float
    inverse: bool


@dataclass(frozen=True)
class Trigger:
    activity: str
    rank: int
    inverse: bool
    pattern: re.Pattern | None = None  # Chinese
    words: tuple[str, ...] = ()  # English, stemmed
    weight: int = 0  # Chinese: literal characters (English is scored by words matched)
    lead: str = ""  # what a question must contain for the trigger to be tried: first character, or first word


# A wildcard stays within one item of a list: "整理归档、录数据" is two acts, not 整理…数据.
WILDCARD = r"[^，。,.!?？！；;、\s]{0,5}"
LONG_WILDCARD = r"[^，。,.!?？！；;、\s]{0,12}"  # `**`: a verb and its object further apart ("臂章能做得跟执法人员一模一样")


def _pattern(phrase: str) -> re.Pattern:
    parts = re.split(r"(\*+)", phrase.lower())
    return re.compile("".join(LONG_WILDCARD if p == "**" else WILDCARD if p.startswith("*") else re.escape(p)
                              for p in parts))


@cache
def triggers(rules: Rules) -> tuple[Trigger, ...]:
    """Every phrasing of every activity, compiled once."""
    out = []
    for a in rules.activities:
        for phrases, inverse in ((a.triggers_zh, False), (a.inverse_zh, True)):
            for phrase in phrases:
                pattern = _pattern(phrase)
                out.append(Trigger(a.id, a.rank, inverse, pattern=pattern, weight=len(phrase.replace("*", "")),
                                   lead=phrase.lower()[0]))
        for phrases, inverse in ((a.triggers_en, False), (a.inverse_en, True)):
            for phrase in phrases:
                words = english_words(phrase)
                if words:
                    out.append(Trigger(a.id, a.rank, inverse, words=words, weight=sum(map(len, words)),
                                       lead=words[0]))
    return tuple(out)


@cache
def _by_lead(rules: Rules) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[str, ...]]]:
    """Trigger positions by lead, and the English leads by first letter (a typo keeps the first letter, see
    `similar`): a question tries only the few hundred triggers it could contain, not all of them."""
    positions: dict[str, list[int]] = {}
    for position, t in enumerate(triggers(rules)):
        positions.setdefault(t.lead, []).append(position)
    english = [lead for lead in positions if lead.isascii() and len(lead) >= 5]
    by_letter: dict[str, list[str]] = {}
    for lead in english:
        by_letter.setdefault(lead[0], []).append(lead)
    return ({lead: tuple(p) for lead, p in positions.items()}, {c: tuple(ls) for c, ls in by_letter.items()})


def _candidates(rules: Rules, zh: str, words: tuple[str, ...], real: frozenset[str]) -> list[Trigger]:
    """The triggers whose lead the question contains (English leads also nearly, as typos), in rule order."""
    positions, by_letter = _by_lead(rules)
    found: set[int] = set()
    for char in set(zh):
        found.update(positions.get(char, ()))
    for word in set(words):
        found.update(positions.get(word, ()))
        for lead in by_letter.get(word[:1], ()):
            if _near(word, lead, real):
                found.update(positions[lead])
    every = triggers(rules)
    return [every[p] for p in sorted(found)]


@cache
def similar(a: str, b: str) -> bool:
    """Typo tolerance for English words of five letters or more: same first letter, nearly the same length
    and letters ("documnet" ~ "document"; not "untrain" ~ "train")."""
    if len(a) < 5 or len(b) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 2 or a.startswith(b) or b.startswith(a):
        return False  # "underage" is another word than "under", not a typo of it
    return SequenceMatcher(None, a, b).ratio() >= 0.8


def real_words(text: str) -> frozenset[str]:
    """The stems of the question's English words in common use: "police" and "detailed" are words, not typos
    of "polite" and "detained", whatever their stems look like."""
    return frozenset(stem(w) for w in ASCII_WORD.findall(text.lower()) if len(w) >= 5 and is_common_english(w))


def _near(word: str, target: str, real: frozenset[str]) -> bool:
    return word == target or (word not in real and similar(word, target))


def _word_run(words: tuple[str, ...], run: tuple[str, ...], real: frozenset[str] = frozenset(),
              max_gap: int = 2) -> tuple[int, int, float] | None:
    """Where the run's words first occur in order, at most max_gap words apart, each exactly or nearly (a
    typo, unless the word is a real one); the score counts the words (more words, more specific), a typo
    counting 0.9."""
    for i, word in enumerate(words):
        if not _near(word, run[0], real):
            continue
        pos, score = i, 1.0 if word == run[0] else 0.9
        for target in run[1:]:
            nxt = next((j for j in range(pos + 1, min(len(words), pos + 2 + max_gap))
                        if _near(words[j], target, real)), None)
            if nxt is None:
                break
            score += 1.0 if words[nxt] == target else 0.9
            pos = nxt
        else:
            return i, pos + 1, score
    return None


QUANTITY_WEIGHT = 1.5
ZH_CONTEXT_AFTER = re.compile(r"^(的)?(时|时候|过程中|期间|途中|中)")
EN_CONTEXT_BEFORE = {"when", "whil", "dur", "after", "befor"}


def matches(text: str, rules: Rules) -> list[Match]:
    """Every trigger found in the question. A trigger that only sets the scene ("巡查时", "while patrolling")
    counts half, so the act the question asks about wins."""
    zh, words, real = chinese(text), english_words(text), real_words(text)
    found = []
    for t in _candidates(rules, zh, words, real):
        if t.pattern is not None:
            for m in t.pattern.finditer(zh):
                context = ZH_CONTEXT_AFTER.match(zh[m.end():])
                found.append(Match(t.activity, t.rank, "zh", m.start(), m.end(),
                                   t.weight / 2 if context else t.weight, t.inverse))
        else:
            hit = _word_run(words, t.words, real)
            if hit:
                start, end, score = hit
                context = start > 0 and words[start - 1] in EN_CONTEXT_BEFORE
                found.append(Match(t.activity, t.rank, "en", start, end, score / 2 if context else score, t.inverse))
    # A number in the unit an activity's limits use names that activity by itself ("我42岁能报吗"); it has its
    # own script, so it neither swallows nor is swallowed by a trigger, and it weighs less than any named act
    # ("40岁的辅助人员还能续聘吗" asks about renewal, not the age for first hiring). An entry that asks about
    # that quantity only in words (年纪大) yields to it: the stated number is held against the limits.
    stated = {q.unit for q, _ in quantities(text)}
    for a in rules.activities:
        if a.select_by_quantity and a.quantity in stated:
            found.append(Match(a.id, a.rank, "number", 0, 1, QUANTITY_WEIGHT, False))
    return [m for m in found if rules[m.activity].defers_to_number not in stated]


def pick_activity(found: list[Match]) -> tuple[tuple[str, ...], bool] | None:
    """(activities, inverse): the activity the question is about, or every activity that ties for it, first
    named first; None if none.

    A match inside a longer, no weaker match of another activity does not count ("送达处罚决定书" is about
    serving, not deciding; "seal up a shop's goods" is sealing up a shop, though "seal … goods" spans it);
    higher rank wins (misconduct over the work it happens in); then the higher score."""
    if not found:
        return None

    def inside(m: Match, other: Match) -> bool:
        return (other.activity != m.activity and other.script == m.script and other.start <= m.start
                and m.end <= other.end and other.end - other.start > m.end - m.start and other.score >= m.score)

    live = [m for m in found if not any(inside(m, other) for other in found)]
    best: dict[str, Match] = {}
    for m in live:
        current = best.get(m.activity)
        if current is None or m.score > current.score:
            best[m.activity] = m
    if not best:
        return None
    top_rank = max(m.rank for m in best.values())
    contenders = [m for m in best.values() if m.rank == top_rank]
    top = max(m.score for m in contenders)
    winners = [m for m in contenders if m.score == top]
    if len(winners) > 1 and _one_compound(winners):
        # "单独执法检查": 单独执法 and 执法检查 overlap; a Chinese compound's head comes last.
        winners = [max(winners, key=lambda m: m.end)]
    elif len(winners) > 1 and _one_compound(winners, "en"):
        # "drive the enforcement vehicle alone": overlapping English runs; the verb leads an English phrase.
        winners = [min(winners, key=lambda m: m.start)]
    ids = tuple(m.activity for m in sorted(winners, key=lambda m: (m.script, m.start)))
    return ids, any(m.inverse for m in live if m.activity in ids)


def _one_compound(winners: list[Match], script: str = "zh") -> bool:
    """Matches (Chinese, or English runs) that all overlap one another read as one phrase, not two activities."""
    return all(m.script == script for m in winners) and all(
        a.start < b.end and b.start < a.end for a in winners for b in winners if a is not b)


# --- the classifier ---------------------------------------------------------------------------------------

def classify(question: str, measure: str | None = None, previous: DutyQuestion | None = None) -> DutyQuestion | None:
    """A DutyQuestion when the question is a yes/no question about one activity in the rules (or several listed
    that the measures rule alike), else None.

    `measure` is the measure chosen outside the question (a session preference); a measure the question
    names wins. `previous` is the earlier turn's DutyQuestion when this one is a follow-up ("那河北呢？",
    "what about with an officer present?"): the activity is kept unless a new one is named."""
    from assistant.rules import load_rules

    if not isinstance(question, str) or not question.strip():
        return None
    full = normalise(question)
    lang = detect_lang(question)
    follow = previous is not None
    if is_comparison(full) or HEDGED.search(full) or is_wh(full, follow):
        return None
    rules = load_rules()
    text = without_worries(full)
    picked = pick_activity(matches(text, rules))
    if picked is None and text != full:  # the worry was all there was: read it as the question
        text = full
        picked = pick_activity(matches(text, rules))
    if picked is None and not follow:
        return None
    if not follow and not is_yes_no(full):
        return None
    named, which = measure_named(full)
    if picked is None:  # a follow-up that changes only the measure, the modality or the side
        return DutyQuestion(
            question=question, activity=previous.activity,
            modality=modality(text) or previous.modality,
            measure=which if named else (measure or previous.measure),
            negated=previous.negated or negation(text),
            agency_side=previous.agency_side or agency_side(text),
            must=previous.must or must(text), lang=lang,
            quantity=_quantity(text, rules[previous.activity]) or previous.quantity, also=previous.also,
        )
    ids, inverse = picked
    if not alike([rules[a] for a in ids]):
        return None  # two activities tie and the measures rule them differently: no one answer
    activity, also = ids[0], ids[1:]
    if (ZH_LIKENESS.search(chinese(text)) or EN_LIKENESS.search(text)) and not rules[activity].likeness:
        return None
    side, how = agency_side(text), modality(text) or UNSPECIFIED
    if how == ALONE and rules[activity].agency_alone and ordered(text):
        activity, also = rules[activity].agency_alone, ()  # "队长让我一个人去…": the agency's own prohibition
    return DutyQuestion(
        question=question, activity=activity, modality=how,
        measure=which if named else (measure or (previous.measure if follow else None)),
        negated=inverse or negation(text),
        agency_side=side, must=must(text), lang=lang, quantity=_quantity(text, rules[activity]), also=also,
    )


def alike(activities: list[Activity]) -> bool:
    """Activities listed together ("档案管理、录入信息这些活") get one answer only when every measure rules them
    the same way, on the same side, with no number to weigh."""
    def ruling(a: Activity) -> tuple:
        return a.subject, a.quantity, {key: rule.status for key, rule in a.measures.items()}

    first, rest = activities[0], activities[1:]
    return not (rest and first.quantity) and all(ruling(a) == ruling(first) for a in rest)


def _quantity(text: str, activity) -> Quantity | None:
    """The first number the question proposes in the unit the activity's limits use, if any."""
    if activity.quantity is None:
        return None
    return next((q for q, _ in quantities(text) if q.unit == activity.quantity), None)


__all__ = ["ALONE", "DutyQuestion", "Quantity", "UNSPECIFIED", "WITH_OFFICER_PRESENT", "classify"]
