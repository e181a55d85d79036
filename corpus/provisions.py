"""The provision model: whom each article, paragraph (款), item (项) and sub-item (目) binds, and how.

A small deontic parser reads it off the text, from the modal words and the list structure:

| form in the text                                  | modality        |
|---------------------------------------------------|-----------------|
| 可以独立从事以下… (items)                           | may_alone       |
| 在…参与和指导下…可以协助 / 应当在…指导下…履行下列职责 | with_officer    |
| 不得单独 / 不得独立, or 独立从事… in a 不得 list      | must_not_alone  |
| 不得招聘 / 不得聘用 (有下列情形之一的人员)             | bar             |
| 不得…                                              | must_not        |
| 应当具备 / 符合下列条件                              | condition       |
| 享有…权利                                          | right           |
| 应当 / 必须 / 负责 / 实行                            | must            |
| 可以                                               | may             |
| 违反…的，由… / …的，…追偿                           | sanction        |
| 本办法所称                                          | definition      |
| 适用本办法 / 从其规定                                | scope           |
| 自…起施行，有效期…                                  | term            |
| 为…制定本办法                                        | purpose         |
| anything else                                       | statement       |

An item inherits its lead clause's subject and modality (an item that says 独立从事 in a 不得 list bars only
doing it alone). A sentence is cut into norms where a new modal word starts a clause ("不具有独立的执法资格，
应当在…下开展"), so that each norm carries one modality. "但…除外" is an exception of its provision; "本办法第十一条",
"前款" are cross-references; a sanction links to the provisions it enforces, which know their sanctions; a
number with a unit ("年满十八周岁", "不少于3个工作日") is a threshold. Where the parser is wrong,
data/provisions.yaml corrects a norm, quoting its clause (`overrides`).

    from corpus.provisions import provisions
    table = provisions()                       # every provision of every measure, in text order
    table.get("taixing:11(4)").modality        # 'must_not'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from corpus.catalogue import Corpus, data_dir, load
from corpus.model import Article, Ref
from corpus.numerals import NUMBER as NUMBER_PATTERN, parse_number
from corpus.yaml_data import parse_yaml

SUBJECTS = ("auxiliary", "agency", "officer", "government", "department", "employer", "candidate", "measure")
AGENCY_SIDE = frozenset({"agency", "officer", "government", "department", "employer"})
MODALITIES = ("may_alone", "with_officer", "must_not_alone", "bar", "must_not", "condition", "right", "must", "may",
              "sanction", "definition", "scope", "term", "purpose", "statement")
DEONTIC = frozenset({"may_alone", "with_officer", "must_not_alone", "bar", "must_not", "condition", "right", "must",
                     "may"})
OVERRIDES_FILE = "provisions.yaml"
NUMBER = NUMBER_PATTERN.pattern
DUTIES = frozenset({"must", "must_not", "must_not_alone", "with_officer"})


class ProvisionError(ValueError):
    """The overrides file does not match the text."""


@dataclass(frozen=True)
class Threshold:
    """A numeric limit a clause sets: 年满十八周岁 (age ≥ 18), 不少于3个工作日 (days ≥ 3)."""

    unit: str  # age | day | education (a level of EDUCATION)
    min: float | None
    max: float | None
    clause: str  # the words that set it, verbatim
    context: str = ""  # the clause it stands in ("岗前培训不少于5个工作日"), to tell two limits of one unit apart

    def admits(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class Norm:
    """One statement of a provision: its clause (verbatim), whom it binds and how. `negative` marks a statement
    that denies (不具有独立的执法资格, 不纳入编制管理)."""

    text: str
    subject: str
    modality: str
    negative: bool = False


@dataclass(frozen=True)
class Provision:
    """An article, paragraph, item or sub-item, with what the text says of it."""

    ref: Ref
    kind: str  # article | paragraph | item | subitem
    text: str  # as printed (an item without its marker)
    subject: str
    modality: str
    norms: tuple[Norm, ...]
    lead: str | None = None  # the clause an item is listed under, verbatim
    parent: Ref | None = None
    catch_all: bool = False  # "其他…" at the end of a list
    exceptions: tuple[str, ...] = ()  # the "但…除外" clauses, verbatim
    refers_to: tuple[Ref, ...] = ()
    sanctioned_by: tuple[Ref, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    chapter: str | None = None

    @property
    def side(self) -> str:
        """auxiliary, agency (the agency, its officers, a government or department, an employer), candidate, or
        measure: the coarse subject a question's subject is matched against."""
        return "agency" if self.subject in AGENCY_SIDE else self.subject

    @property
    def leaf(self) -> bool:
        """An item or sub-item, or a paragraph or article with no items under it: what a question lands on."""
        return self.kind in ("item", "subitem") or not self.children

    children: tuple[Ref, ...] = ()

    def to_json(self) -> dict:
        return {"ref": str(self.ref), "kind": self.kind, "subject": self.subject, "modality": self.modality,
                "text": self.text, "lead": self.lead, "catch_all": self.catch_all,
                "exceptions": list(self.exceptions), "refers_to": [str(r) for r in self.refers_to],
                "sanctioned_by": [str(r) for r in self.sanctioned_by],
                "thresholds": [{"unit": t.unit, "min": t.min, "max": t.max, "clause": t.clause} for t in self.thresholds],
                "norms": [{"text": n.text, "subject": n.subject, "modality": n.modality, "negative": n.negative}
                          for n in self.norms]}


@dataclass(frozen=True, eq=False)
class Provisions:
    """Every provision of the corpus, in text order, with look-ups by reference."""

    all: tuple[Provision, ...]
    by_ref: dict[Ref, Provision] = field(repr=False, default_factory=dict)

    def get(self, ref: Ref | str) -> Provision:
        return self.by_ref[Ref.parse(ref) if isinstance(ref, str) else ref]

    def of(self, measure: str) -> list[Provision]:
        return [p for p in self.all if p.ref.measure == measure]

    def leaves(self, measure: str | None = None) -> list[Provision]:
        return [p for p in self.all if p.leaf and (measure is None or p.ref.measure == measure)]

    def within(self, ref: Ref) -> list[Provision]:
        """The provision and every provision below it."""
        found = [self.get(ref)]
        for child in found[0].children:
            found += self.within(child)
        return found


# --- reading one clause -----------------------------------------------------------------------------------

SUBJECT_PATTERNS = (
    (re.compile(r"^(?:行政执法机关和行政执法人员|(?:聘用行政执法辅助人员的|所在)?行政执法机关|各[^，。]{0,12}行政执法部门)"), "agency"),
    (re.compile(r"^行政执法人员"), "officer"),
    (re.compile(r"^行政执法辅助人员(?!的|劳动合同)"), "auxiliary"),
    (re.compile(r"^(?:市|县级以上|本级|各乡镇)(?:人民)?政府|^各乡镇人民政府"), "government"),
    (re.compile(r"^(?!应当|必须|可以|不得)[^，。；的]{0,30}?部门"), "department"),
    (re.compile(r"^劳务派遣单位"), "employer"),
    (re.compile(r"^有下列情形之一的"), "candidate"),
    (re.compile(r"^聘用的行政执法辅助人员"), "candidate"),
    (re.compile(r"^(?:招聘|招用|聘用)行政执法辅助人员|^特殊行政执法辅助岗位"), "agency"),
    (re.compile(r"^(?:本办法|本(?:省|市)行政区域内|国家、省|为|公安机关警务辅助人员)"), "measure"),
)
AGENT = re.compile(r"由([^，。；由]{2,40}?)(?:负责|统一|共同|按|依照|依法|制定|责令|进行|承担|处理)")
CONDITION_LEAD = re.compile(r"^(?:[^。；]{1,60}?(?:的|时)|在[^，。；]{1,30}下)，")  # "培训合格的，", "离职时，", "在…指导下，"
MODAL_WORD = re.compile(r"^(?:但)?(?:应当|应|必须|不得|可以|依法享有|享有|须)")
MODAL_START = re.compile(r"(?=(?:但)?(?:应当|必须|不得|可以|依法享有|享有)[^，。；]{2,})")

MODALITY_PATTERNS = (
    (re.compile(r"本办法所称"), "definition"),
    (re.compile(r"适用本办法|从其规定|按照国家和省相关规定执行"), "scope"),
    (re.compile(r"自[^，。；]{1,16}起(?:施行|试行)|有效期|暂定期限"), "term"),
    (re.compile(r"^为.*制定本办法"), "purpose"),
    (re.compile(r"违反本办法[^，。；]*的，|的，.{0,30}(?:可以向[^，。；]*追偿|责令[^，。；]*改正)"), "sanction"),
    (re.compile(r"可以独立从事"), "may_alone"),
    (re.compile(r"(?:参与|指导|指挥|监督)下[^。]*可以协助|指导下开展[^。]*履行下列职责"), "with_officer"),
    (re.compile(r"不得(?:单独|独立)"), "must_not_alone"),
    (re.compile(r"不得(?:招聘|聘用|招用)"), "bar"),
    (re.compile(r"不得"), "must_not"),
    (re.compile(r"(?:具备|符合)下列条件"), "condition"),
    (re.compile(r"享有|享受"), "right"),
    (re.compile(r"应当|应做|必须|(?<!谁)负责|实行|(?<![必无])须"), "must"),
    (re.compile(r"可以"), "may"),
)
NEGATIVE = re.compile(r"不具有|不纳入|不得|不属于|按照[^。]*规定执行|从其规定")  # a denial, or a scope deferred elsewhere
CATCH_ALL = re.compile(r"^(?:其他|[^，。；]*(?:禁止|规定|交办|约定)的其他|[^，。；]*的其他[^，。；]{0,12}$)")
EXCEPTION = re.compile(r"但([^。；]*?)除外")
CROSS_REF = re.compile(r"(?:本办法)?第([一二三四五六七八九十百]+)条(?:第([一二三四五六七八九十]+)款)?")
PREVIOUS_PARAGRAPH = re.compile(r"前款")

# Levels of schooling, lowest first: a condition "具有高中以上文化程度" is a threshold on this scale.
EDUCATION = (("小学",), ("初中",), ("高中", "中专", "职高", "技校"), ("大专",), ("本科", "大学"), ("研究生", "硕士"), ("博士",))
EDUCATION_WORDS = "|".join(w for level in EDUCATION for w in level)


def education_level(word: str) -> int | None:
    return next((i for i, level in enumerate(EDUCATION) if word in level), None)


THRESHOLD_PATTERNS = (
    (re.compile(rf"({EDUCATION_WORDS})(?:及)?以上(?:文化程度|学历)?"), "education", "min"),
    (re.compile(rf"年满({NUMBER})周岁"), "age", "min"),
    (re.compile(rf"(?:不超过|不满|未满|不高于)({NUMBER})周岁"), "age", "max"),
    (re.compile(rf"({NUMBER})周岁以上"), "age", "min"),
    (re.compile(rf"({NUMBER})周岁以下"), "age", "max"),
    (re.compile(rf"(?:不少于|不低于|至少)({NUMBER})个?(?:工作日|天|日)"), "day", "min"),
    (re.compile(rf"(?:不超过|不多于|最多)({NUMBER})个?(?:工作日|天|日)"), "day", "max"),
)


def subject_of(clause: str, inherited: str | None, violator: bool = False) -> str:
    """Whom a clause binds: its own subject (after any "…的，" or "…时，" condition), the agent of a passive
    "由…负责", or, for a clause that starts with its modal word ("应当…", "不得…"), what the clause before bound.
    For a sanction (`violator`), the one whose violation the condition names."""
    body = CONDITION_LEAD.sub("", clause, count=1) if not clause.startswith("有下列情形") else clause
    if MODAL_WORD.match(body):
        if inherited and body == clause:
            return inherited
        body = clause
    for text in ((clause,) if violator else (body, clause)):
        for pattern, subject in SUBJECT_PATTERNS:
            if pattern.search(text):
                return subject
    agent = AGENT.search(clause)
    if agent:
        words = agent.group(1)
        if "部门" in words or "法制办" in words:
            return "department"
        if "政府" in words:
            return "government"
        if "机关" in words:
            return "agency"
    return inherited or "agency"


def modality_of(clause: str) -> str:
    return next((m for pattern, m in MODALITY_PATTERNS if pattern.search(clause)), "statement")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。])", text.replace("\n", "")) if s.strip()]


def norms_of(text: str, inherited: str | None = None) -> list[Norm]:
    """A paragraph's norms: each sentence, cut again where a new modal word starts a clause after a comma,
    so that "不具有独立的执法资格，应当在…下开展" is two norms. Conditions, sanctions and terms stay whole."""
    out: list[Norm] = []
    subject = inherited
    for sentence in _sentences(text):
        whole = modality_of(sentence)
        parts = [sentence]
        if whole not in ("sanction", "term", "definition", "scope", "condition", "with_officer", "may_alone",
                         "must_not_alone", "bar"):
            cuts = [m.start() for m in MODAL_START.finditer(sentence) if m.start() > 0 and sentence[m.start() - 1] == "，"
                    and not CONDITION_LEAD.fullmatch(sentence[:m.start()])]
            if cuts:
                parts = [sentence[a:b] for a, b in zip([0] + cuts, cuts + [len(sentence)])]
        for part in parts:
            modality = modality_of(part)
            subject = subject_of(part, subject, violator=modality == "sanction")
            out.append(Norm(part, "candidate" if modality in ("condition", "bar") else subject, modality,
                            modality in ("statement", "scope", "definition") and bool(NEGATIVE.search(part))))
    return out


def thresholds_of(text: str) -> tuple[Threshold, ...]:
    found = []
    for pattern, unit, bound in THRESHOLD_PATTERNS:
        for m in pattern.finditer(text):
            start = max(text.rfind(p, 0, m.start()) for p in "，,；;。：:\n") + 1
            ends = [i for i in (text.find(p, m.end()) for p in "，,；;。\n") if i >= 0]
            context = text[start:min(ends) if ends else len(text)]
            value = education_level(m.group(1)) if unit == "education" else parse_number(m.group(1))
            if value is not None:
                found.append(Threshold(unit, value if bound == "min" else None, value if bound == "max" else None,
                                       m.group(0), context))
    return tuple(found)


FIGURE = re.compile(r"\d|百分之|[零一二两三四五六七八九十百千万]+(?:个|年|日|天|周岁|岁|元|倍|名|人|小时|月|次|学时|项)")
NUMBER_WORD = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)\s*个?"
# The kinds of figure a text can set, by the unit that follows the number.
FIGURE_KINDS = {
    "money": re.compile(NUMBER_WORD + r"(?:元|万元)"),
    "time": re.compile(NUMBER_WORD + r"(?:工作日|日|天|小时|学时|月|年)"),
    "age": re.compile(NUMBER_WORD + r"(?:周岁|岁)"),
    "people": re.compile(NUMBER_WORD + r"(?:名|人)"),
    "rate": re.compile(r"百分之|\d+(?:\.\d+)?\s*[%％]|倍"),
}


def states_figure(text: str, kinds: frozenset[str] | None = None) -> bool:
    """Does the text set a figure (an amount, a count, a period, an age), as opposed to a principle? With
    `kinds`, a figure of one of those kinds: a training period of 10 days does not answer "分几级，每级多少分"."""
    if not kinds:
        return bool(FIGURE.search(text))
    return any(FIGURE_KINDS[k].search(text) for k in kinds if k in FIGURE_KINDS)


def references_in(text: str, here: Ref) -> tuple[Ref, ...]:
    refs = []
    for m in CROSS_REF.finditer(text):
        number = parse_number(m.group(1))
        if number and int(number) != here.article:
            para = int(parse_number(m.group(2))) if m.group(2) else None
            refs.append(Ref(here.measure, int(number), paragraph=para))
    if PREVIOUS_PARAGRAPH.search(text) and here.paragraph and here.paragraph > 1:
        refs.append(Ref(here.measure, here.article, paragraph=here.paragraph - 1))
    return tuple(dict.fromkeys(refs))


# --- an item inherits its lead ---------------------------------------------------------------------------

def item_norm(text: str, lead: Norm) -> Norm:
    """An item's norm: its lead's subject and modality, except that 独立从事 in a 不得 list bars only doing it
    alone, and the items of a list of conditions, bars or rights bind what the list is about."""
    modality = lead.modality
    if modality == "must_not" and re.match(r"^(?:独立|单独)", text):
        modality = "must_not_alone"
    subject = lead.subject
    if modality in ("condition", "bar"):
        subject = "candidate"
    return Norm(text, subject, modality)


# --- the whole table ---------------------------------------------------------------------------------------

def _lead_norm(norms: list[Norm]) -> Norm:
    """The norm a list hangs from: the last norm of its lead line (the one that ends with "：")."""
    return norms[-1]


def _principal(norms) -> Norm:
    return next((n for n in norms if n.modality != "statement"), norms[0])


def _provision(ref: Ref, kind: str, text: str, norms: list[Norm], article: Article, **extra) -> Provision:
    principal = _principal(norms)
    here = ref if kind != "article" else Ref(ref.measure, ref.article, paragraph=1)
    return Provision(ref, kind, text, principal.subject, principal.modality, tuple(norms),
                     exceptions=tuple(m.group(0) for m in EXCEPTION.finditer(text)),
                     refers_to=references_in(text, here), thresholds=thresholds_of(text), chapter=article.chapter,
                     **extra)


def derive(corpus: Corpus, measure: str) -> list[Provision]:
    """Read one measure's provisions off its text (before overrides and sanction links)."""
    out: list[Provision] = []
    for article in corpus.articles(measure):
        subject = None
        single = len(article.paragraphs) == 1
        article_children = []
        paragraph_rows = []
        for paragraph in article.paragraphs:
            pref = article.ref if single else Ref(measure, article.ref.article, paragraph=paragraph.number)
            norms = norms_of(paragraph.text, subject) if paragraph.text else [Norm("", subject or "agency", "statement")]
            subject = norms[-1].subject
            lead = _lead_norm(norms)
            items = []
            for number in paragraph.items:
                item = article.item(number)
                iref = Ref(measure, article.ref.article, number)
                inorm = item_norm(item.text, lead)
                subs = [_provision(Ref(measure, article.ref.article, number, subitem=s.number), "subitem", s.text,
                                   [item_norm(s.text, inorm)], article, lead=item.text, parent=iref)
                        for s in item.subitems]
                items.append(_provision(iref, "item", item.text, [inorm], article, lead=lead.text, parent=pref,
                                        catch_all=bool(CATCH_ALL.search(item.text)),
                                        children=tuple(s.ref for s in subs)))
                items += subs
            children = tuple(p.ref for p in items if p.kind == "item")
            if single:
                out.append(_provision(article.ref, "article", article.text, norms + [], article, children=children))
            else:
                row = _provision(pref, "paragraph", paragraph.body, norms, article, parent=article.ref,
                                 children=children)
                paragraph_rows.append(row)
                article_children.append(pref)
            paragraph_rows += items
        if not single:
            all_norms = [n for p in paragraph_rows if p.kind == "paragraph" for n in p.norms]
            out.append(_provision(article.ref, "article", article.text, all_norms, article,
                                  children=tuple(article_children)))
        out += paragraph_rows
    return out


# --- overrides, as data with the quoted clause ---------------------------------------------------------------

@dataclass(frozen=True)
class Override:
    """A correction of the parser: the norm of `ref` whose clause contains `quote` binds `subject` with
    `modality` (either may be left as derived), for the reason given in `note`."""

    ref: Ref
    quote: str
    note: str
    subject: str | None = None
    modality: str | None = None


def read_overrides(data: object) -> tuple[list[Override], list[str]]:
    """The overrides in the data, and every structural problem found."""
    problems, out = [], []
    for number, entry in enumerate(data or [], start=1):
        where = f"{OVERRIDES_FILE} entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        try:
            ref = Ref.parse(str(entry.get("ref")))
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        quote, note = entry.get("quote"), entry.get("note")
        subject, modality = entry.get("subject"), entry.get("modality")
        if not isinstance(quote, str) or not quote or not isinstance(note, str) or not note:
            problems.append(f"{where} ({ref}): needs the quoted clause and a note saying why")
            continue
        if subject is not None and subject not in SUBJECTS:
            problems.append(f"{where} ({ref}): subject must be one of {', '.join(SUBJECTS)}")
        if modality is not None and modality not in MODALITIES:
            problems.append(f"{where} ({ref}): modality must be one of {', '.join(MODALITIES)}")
        if subject is None and modality is None:
            problems.append(f"{where} ({ref}): corrects neither subject nor modality")
        out.append(Override(ref, quote, note, subject, modality))
    return out, problems


def apply_overrides(rows: list[Provision], overrides: list[Override]) -> tuple[list[Provision], list[str]]:
    by_ref = {p.ref: i for i, p in enumerate(rows)}
    measures = {p.ref.measure for p in rows}
    problems = []
    for o in overrides:
        if o.ref.measure not in measures:  # an entry for a measure this corpus does not hold is unused
            continue
        if o.ref not in by_ref:
            problems.append(f"{OVERRIDES_FILE}: {o.ref} is not a provision")
            continue
        row = rows[by_ref[o.ref]]
        hit = [i for i, n in enumerate(row.norms) if o.quote in n.text]
        if not hit:
            problems.append(f"{OVERRIDES_FILE}: {o.ref}: no clause contains {o.quote!r}")
            continue
        norms = list(row.norms)
        for i in hit:
            n = norms[i]
            norms[i] = replace(n, subject=o.subject or n.subject, modality=o.modality or n.modality)
        principal = _principal(norms)
        rows[by_ref[o.ref]] = replace(row, norms=tuple(norms), subject=principal.subject, modality=principal.modality)
    return rows, problems


def link_sanctions(rows: list[Provision]) -> list[Provision]:
    """A sanction that names an article enforces it and everything under it; one that says only "违反本办法规定的"
    enforces every duty its subject has in the measure. Each provision learns its sanctions."""
    by_ref = {p.ref: p for p in rows}
    enforced: dict[Ref, list[Ref]] = {}
    for s in rows:
        if s.modality != "sanction" or s.kind == "article" and s.children:
            continue
        targets = [r for r in s.refers_to if r in by_ref or r.article_ref in by_ref]
        if targets:
            covered = {t.article_ref if t not in by_ref else t for t in targets}
            reach = [p.ref for p in rows if p.ref in covered or p.ref.article_ref in covered and p.ref.article_ref != p.ref]
        elif "违反本办法规定" in s.text:
            reach = [p.ref for p in rows if p.ref.measure == s.ref.measure and p.subject == s.subject
                     and p.modality in DUTIES and p.ref.article != s.ref.article]
        else:
            reach = []
        for r in reach:
            enforced.setdefault(r, []).append(s.ref)
    return [replace(p, sanctioned_by=tuple(dict.fromkeys(enforced.get(p.ref, ())))) for p in rows]


def check(rows: list[Provision], corpus: Corpus) -> list[str]:
    """Every norm, lead and exception is verbatim in its provision's text; every cross-reference exists."""
    problems = []
    for p in rows:
        text = corpus.text(p.ref).replace("\n", "")
        for n in p.norms:
            if n.text and n.text not in text:
                problems.append(f"{p.ref}: norm not verbatim: {n.text[:30]!r}")
        for r in p.refers_to + p.sanctioned_by:
            if not corpus.exists(r):
                problems.append(f"{p.ref}: refers to {r}, which does not exist")
    return problems


def read_overrides_file() -> object:
    path = data_dir() / OVERRIDES_FILE
    return parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else []


def build(corpus: Corpus, overrides_data: object) -> tuple[Provisions, list[str]]:
    """The provision table of every measure, corrected by the overrides; with every problem found."""
    rows: list[Provision] = []
    for key in corpus.measures:
        rows += derive(corpus, key)
    overrides, problems = read_overrides(overrides_data)
    rows, more = apply_overrides(rows, overrides)
    rows = link_sanctions(rows)
    problems += more + check(rows, corpus)
    return Provisions(tuple(rows), {p.ref: p for p in rows}), problems


@cache
def provisions() -> Provisions:
    """The corpus' provision table, once per process; raises ProvisionError when the overrides do not hold."""
    table, problems = build(load(), read_overrides_file())
    if problems:
        raise ProvisionError(f"{OVERRIDES_FILE}: " + "; ".join(problems[:10]))
    return table


__all__ = ["AGENCY_SIDE", "DEONTIC", "MODALITIES", "Norm", "Provision", "ProvisionError", "Provisions", "SUBJECTS",
           "Threshold", "build", "provisions"]
