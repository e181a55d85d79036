"""Verdicts from the provision model: the modality table, every item of every list asked about in its own words,
the issue's examples (deleting footage, the list of prohibitions, consequences, annual training, the follow-up
chain), silence, numbers, exceptions, and an aggregate gate on an older phrasing suite.

These check the symbolic step: the verdict the law's structure gives for the question as read, and how it is
said. An answer commits to it only when its calibrated confidence is high enough (tests/test_confidence.py and
the benchmark measure that); `decided` shows what an unsure answer leans to, rendered as it would be when sure,
and checks that the answer itself never commits to anything else."""
import json
from dataclasses import replace
from pathlib import Path

import pytest

from corpus import load
from corpus.provisions import Norm, provisions
from assistant import Session, answer, compose
from assistant.confidence import weigh
from assistant.pipeline import article_index, reason_grounds
from assistant.query import REASON, parse
from assistant.types import CONDITIONAL, NO, NOT_ADDRESSED, VERDICT, YES
from assistant.verdict import STRICTNESS, polar

ROOT = Path(__file__).resolve().parents[1]
EXPECT = {"may_alone": YES, "with_officer": CONDITIONAL, "must_not": NO, "must_not_alone": CONDITIONAL,
          "bar": NO, "right": YES}


MISREAD = pytest.mark.xfail(strict=True, reason="the learned reading misreads this question (issue 20: what it "
                            "reads and how sure it is are measured on the bank's held-out part, not tuned here)")


def misread(request, question, *known):
    """Mark a parametrized case the learned reading gets wrong: it is expected to fail until the reading improves."""
    if question in known or getattr(question, "ref", None) in known:
        request.applymarker(MISREAD)


def decided(question, measure=None, session=None):
    """The answer, or for an unsure one the verdict it leans to, rendered as a committed answer would be."""
    session = session if session is not None else Session()
    reply = answer(question, measure=measure, session=session)
    if reply.route != VERDICT or reply.verdict is not None:
        return reply
    q, index = session.last.query, article_index()
    from assistant.verdict import decide

    shown = weigh(index, q, decide(index, q, "hybrid")).shown
    assert shown.verdict == reply.leaning
    body, citations = (compose.render_reason(shown, reason_grounds(shown), q.lang) if q.form == REASON else
                       compose.render_verdict(shown, q.lang))
    return replace(reply, verdict=shown.verdict, text=body, citations=citations)


def grounded(reply) -> None:
    corpus = load()
    for c in reply.citations:
        assert corpus.quote_is_verbatim(c.ref, c.quote) and c.quote in reply.text, c


# --- the table: a norm's modality and what the question asks -------------------------------------------------

@pytest.mark.parametrize("modality, question, verdict", [
    ("may_alone", "辅助人员可以巡查吗", YES),
    ("may", "执法机关可以搞积分管理吗", YES),
    ("with_officer", "辅助人员可以送达文书吗", CONDITIONAL),
    ("must_not_alone", "辅助人员可以单独取证吗", CONDITIONAL),
    ("must_not", "辅助人员可以收红包吗", NO),
    ("bar", "受过刑事处罚的人能聘用吗", NO),
    ("must", "辅助人员必须戴胸牌吗", YES),
    ("must", "辅助人员可以不戴胸牌吗", NO),
    ("right", "辅助人员有权参加社会保险吗", YES),
    ("right", "单位可以不给辅助人员上社保吗", NO),
])
def test_the_modality_table(modality, question, verdict):
    provision = provisions().get("taixing:8(2)")  # any provision without thresholds, exceptions or inverse phrasings
    assert polar(parse(question), Norm("x", "auxiliary", modality), provision, ()) == verdict


def test_a_statement_that_denies_answers_no():
    p = provisions().get("taixing:6.1")
    denial = next(n for n in p.norms if n.negative)
    assert polar(parse("辅助人员有独立的执法资格吗"), denial, p, ()) == NO


def test_stricter_verdict_order():
    assert sorted([YES, CONDITIONAL, NO], key=STRICTNESS.__getitem__) == [NO, CONDITIONAL, YES]


# --- every item of every list, asked about in its own words ---------------------------------------------------

ITEMS = [p for p in provisions().leaves() if p.kind == "item" and not p.catch_all and p.modality in EXPECT]


def own_words_question(p) -> str:
    measure = load().measures[p.ref.measure]
    words = p.text.rstrip("；;。")
    for clause in p.exceptions:
        words = words.replace(clause, "").rstrip("，,")
    if p.modality == "bar":
        return f"{measure.short_name}规定，{words}人员，能聘用为辅助人员吗？"
    if p.modality == "right":
        return f"按{measure.short_name}，辅助人员有权{words}吗？"
    if p.side == "agency":
        return f"按{measure.short_name}，执法机关可以{words}吗？"
    return f"按{measure.short_name}，辅助人员可以{words}吗？"


@pytest.mark.parametrize("item", ITEMS, ids=[str(p.ref) for p in ITEMS])
def test_every_item_asked_in_its_own_words_gets_its_modality_verdict(request, item):
    misread(request, str(item.ref), 'hebei:14(2)')
    reply = decided(own_words_question(item), session=Session())
    assert reply.verdict == EXPECT[item.modality], reply.text
    assert str(item.ref) in {str(c.ref) for c in reply.citations}
    grounded(reply)


def test_the_item_list_covers_every_permitting_and_forbidding_list():
    assert {str(p.ref.article_ref) for p in ITEMS} >= {"taixing:8", "taixing:9", "taixing:10", "taixing:11",
                                                        "taixing:15", "taixing:17", "taixing:20", "hebei:10",
                                                        "hebei:13", "hebei:14"}


# --- the examples -------------------------------------------------------------------------------------

def test_deleting_footage_is_prohibited_and_the_first_line_carries_the_lead():
    reply = decided("执法纪录仪拍的视频有几段不太好看，辅助人员能自己删掉吗？")
    assert reply.route == VERDICT and reply.verdict == NO
    first = reply.text.splitlines()[0]
    assert first.startswith("**不可以。**") and "不得有下列行为" in first and "删除、篡改" in first
    assert {"taixing:11", "taixing:11(4)"} <= {str(c.ref) for c in reply.citations}
    grounded(reply)


def test_the_list_of_prohibitions_is_article_11_not_the_definition():
    reply = decided("泰兴的办法里，辅助人员不得有哪些行为？")
    assert str(reply.citations[0].ref.article_ref) == "taixing:11"
    assert all(item.text in reply.text for item in load().article("taixing:11").items)


@MISREAD
def test_a_consequence_follows_the_sanction_link():
    reply = decided("泰兴的辅助人员把当事人的隐私说出去了，会怎么处理？")
    cited = {str(c.ref) for c in reply.citations}
    assert "taixing:28.1" in cited and "taixing:11(1)" in cited
    assert "违反本办法第十一条规定的" in reply.text.splitlines()[0]
    grounded(reply)


def test_annual_training_is_the_annual_article_not_the_pre_job_one():
    reply = decided("泰兴的辅助人员一年要培训几天？")
    assert str(reply.citations[0].ref.article_ref) == "taixing:22"
    assert "10个工作日" in reply.text.splitlines()[0]


@MISREAD
def test_follow_up_chain_ends_in_a_reason_from_the_grounding_provisions():
    session = Session()
    first = decided("辅助人员能单独调查取证吗？", session=session)
    assert first.verdict == CONDITIONAL
    hebei = decided("那河北呢？", session=session)
    assert hebei.verdict == CONDITIONAL and {c.ref.measure for c in hebei.citations} == {"hebei"}
    why = decided("为什么？", session=session)
    assert not why.declined and why.text.startswith("**依据：**")
    assert {"hebei:4.2", "hebei:13"} <= {str(c.ref) for c in why.citations}
    grounded(why)


def test_a_why_of_its_own_about_a_ban_gives_the_principles_behind_it():
    reply = answer("为什么协管员不能自己开罚单？")
    assert reply.route == VERDICT and reply.leaning in (NO, CONDITIONAL)
    assert "taixing:6.1" in {str(c.ref) for c in reply.citations}  # 不具有独立的执法资格
    grounded(reply)


def test_a_why_about_what_is_so_is_answered_from_the_provisions_retrieved():
    reply = answer("为什么协管员打了人最后是局里赔？")
    assert reply.route != VERDICT and reply.verdict is None and reply.citations
    grounded(reply)


def test_an_unsure_why_quotes_the_principles_behind_the_ban_it_leans_to():
    from assistant.verdict import decide

    index = article_index()
    q = parse("为什么？", parse("辅助人员可以一个人去做现场核查吗？"))
    judged = weigh(index, q, decide(index, q, "hybrid"))
    grounds = reason_grounds(judged.shown)
    body, citations = compose.render_unsure(judged, q.lang, grounds)
    assert grounds and set(grounds) <= set(citations)
    assert body.startswith("**需要核实。**") and all(f"「{g.quote}」" in body for g in grounds)
    assert not compose.render_unsure(judged, q.lang)[0].count("依据是")


def test_an_unsure_answer_words_a_ban_read_as_is_it_so_as_so_never_as_may():
    from assistant.confidence import Alternative, Reading
    from assistant.verdict import Finding, decide

    index = article_index()
    q = parse("协管员收商户的红包，这违反规定吗？")
    ban = provisions().get("taixing:11(2)")  # 不得有下列行为……索贿受贿
    is_so, may = (Alternative(v, p, (Finding("taixing", v, ban, ban.norms[0]),), (Reading(False, modal, "unspecified"),))
                  for v, p, modal in ((YES, 0.55, "status"), (NO, 0.45, "may")))
    judged = replace(weigh(index, q, decide(index, q, "hybrid")), alternatives=(is_so, may))
    zh, en = compose.render_unsure(judged, "zh")[0], compose.render_unsure(judged, "en")[0]
    assert "——按此条：是" in zh and "——按此条不可以" in zh and "按此条可以" not in zh
    assert "问是否属于条文所说的情形" in zh
    assert "under it: it is so" in en and "under it: yes" not in en


# --- silence, numbers, exceptions, orders -------------------------------------------------------------------

def test_a_silent_measure_is_said_to_be_silent_and_does_not_weaken_the_other():
    reply = decided("辅助人员可以独立开展普法宣传吗")
    assert reply.verdict == YES
    assert "河北办法对此没有专门规定" in reply.text.splitlines()[0]


def test_a_silent_named_measure_cites_its_closest_article_for_context_only():
    reply = decided("河北办法允许辅助人员做普法宣传吗？")
    assert reply.verdict == NOT_ADDRESSED and reply.text.startswith("**河北办法对此未作规定。**")
    assert "仅供参考" in reply.text
    grounded(reply)


@pytest.mark.parametrize("question, verdict", [
    ("岗前培训2天够吗", NO),             # taixing: 不少于3个工作日; hebei sets no number
    ("泰兴招协管员，我42了还能报吗", YES),  # only 年满十八周岁
    ("在河北，36岁第一次应聘辅助人员，符合条件吗？", NO),  # 不超过三十五周岁
    ("泰兴 我初中毕业 能应聘协管吗", NO),   # 高中以上文化程度
    ("泰兴招协管 有没有35岁的年龄上限", NOT_ADDRESSED),
])
def test_numbers_are_held_against_the_thresholds_in_the_text(question, verdict):
    assert decided(question).verdict == verdict


def test_an_exception_that_the_facts_meet_sets_the_permission_aside():
    plain = decided("泰兴协管员可以帮忙做翻译吗")
    assert plain.verdict == YES
    evidence = decided("Can an auxiliary do a lab analysis on his own if the result will be used as evidence?")
    assert evidence.verdict == CONDITIONAL and "但作为行政执法证据的除外" in evidence.text
    grounded(evidence)


def test_an_order_to_act_alone_meets_the_agencys_own_prohibition():
    reply = decided("领导让我单独去检查商户可以吗（泰兴）")
    assert reply.verdict == NO and "taixing:20(2)" in {str(c.ref) for c in reply.citations}


@MISREAD
def test_a_definition_says_what_auxiliaries_are_not_what_they_may_do():
    for question in ("泰兴的辅助人员是不是在编人员？", "Are auxiliaries in Taixing part of the staffing establishment?"):
        reply = decided(question)
        assert reply.verdict == NO and [str(c.ref) for c in reply.citations] == ["taixing:3"]
    for measure in ("hebei", "taixing"):  # their definitions (第三条) say what auxiliaries are
        assert decided("辅助人员可以参加公务员考试吗？", measure=measure).verdict == NOT_ADDRESSED


# --- an older phrasing suite, as an aggregate gate ------------------------------------------------------------

PHRASINGS = [json.loads(line) for line in (ROOT / "tests/data/phrasings.jsonl").read_text("utf-8").splitlines()]
PHRASING_FLOOR = 0.75  # 0.873 with the hand-written reading (tuned on these phrasings), 0.780 with the learned one


def test_older_phrasing_suite_stays_above_its_floor():
    """413 questions written for the old rules engine (its activities, now gone), scored as a whole: a regression
    gate, not a target; no phrasing is tuned to pass."""
    right = sum(decided(r["question"], measure=r["measure"], session=Session()).verdict == r["verdict"]
                for r in PHRASINGS)
    assert right / len(PHRASINGS) >= PHRASING_FLOOR, right / len(PHRASINGS)


# --- structure over phrasing: cases the fresh sets showed, in words of their own ---------------------------------

@pytest.mark.parametrize("question,measure,verdict,ref", [
    ("河北的协管干了五年了，现在39岁，合同到期还能续签吗", "hebei", YES, "hebei:9(2)"),  # 首次聘用时 binds the first hire
    ("我39岁，头一次去河北应聘辅助人员，行吗", "hebei", NO, "hebei:9(2)"),
    ("泰兴的协管下雨天巡查能不穿戴胸牌臂章吗", "taixing", NO, "taixing:7.2"),  # a negated act asks the obligation
    ("泰兴的辅助人员有没有权利提出辞职解除合同", "taixing", YES, "taixing:17(6)"),  # a right asked
    ("泰兴辅助人员给不给上社保", "taixing", YES, "taixing:17(2)"),  # 给不给 asks; it does not say 不给
    ("泰兴局里编外名额用完了还能再招协管吗", "taixing", NO, "taixing:13"),  # past the limit the norm sets
    ("十年前被行政拘留过15天，河北还能聘我当协管吗", "hebei", NO, "hebei:10(2)"),  # a number beside the act
])
def test_structure_decides(question, measure, verdict, ref):
    reply = decided(question)
    assert reply.verdict == verdict, reply.text
    assert ref in {str(c.ref) for c in reply.citations}, reply.citations
    assert {c.ref.measure for c in reply.citations} == {measure}


def test_a_limit_for_the_first_hire_is_said_to_be_so():
    reply = decided("河北的协管干了五年了，现在39岁，合同到期还能续签吗")
    assert "只适用于首次聘用" in reply.text.split("\n")[0]
    english = decided("I have been a Hebei auxiliary for six years and I'm now 37. Can my contract be renewed?")
    assert english.verdict == YES and "first hire only" in english.text.split("\n")[0]


@pytest.mark.parametrize("question", [
    "If an agency in Hebei relaxes the conditions for a special post, may it leave the reason out of the notice?",
    "河北特殊岗位降低了招聘条件，招聘公告里可以不写原因吗",
])
def test_leaving_out_an_obligation_within_a_permission_is_no(request, question):
    misread(request, question, "If an agency in Hebei relaxes the conditions for a special post, may it leave the reason out of the notice?")
    reply = decided(question)
    assert reply.verdict == NO and "注明原因" in reply.text.split("\n")[0]


@pytest.mark.parametrize("question,verdict", [
    ("泰兴的辅助人员必须自己开执法车吗？", "not_addressed"),  # 可以独立从事 驾驶执法车辆: a permission, no duty
    ("泰兴的辅助人员可以自己开执法车吗？", "yes"),
    ("河北单位不经政府批准能自己招协管吗", "no"),  # leaves out what 第七条 requires (报…批准)
    ("Can a Hebei agency hire auxiliaries without its hiring plan being approved by the government?", "no"),
    ("Hebei rules: I don't have my enforcement-aux ID card yet, can I go out on duty anyway?", "no"),  # 持证上岗
    ("我还没有拿到证件，能先上岗吗？（泰兴）", "no"),
    ("没有执法人员在场，泰兴辅助人员能亮证吗", "yes"),  # lacking an officer is no lack of the 证件 7.2 requires
])
def test_what_a_norm_says_and_what_is_asked_of_it(question, verdict):
    assert decided(question).verdict == verdict


def test_a_permission_does_not_answer_whether_one_may_not():
    # 第八条 lets an auxiliary patrol alone; refusing an assigned patrol is 第十一条（六）: 拒不履行…工作职责
    reply = decided("领导安排的夜间巡查我不想去，泰兴的辅助人员可以直接拒绝吗？")
    assert reply.verdict == NO and reply.citations[0].ref.article == 11


def test_a_number_is_held_against_the_sentence_that_sets_its_limit():
    reply = decided("泰兴辅助人员今年才培训了7天，这样可以吗")
    first = reply.text.split("\n")[0]
    assert reply.verdict == NO and "年度培训时间不少于10个工作日」" in first and "建立健全" not in first


@pytest.mark.parametrize("question,verdict", [
    ("Is it true that auxiliaries in Taixing don't have any independent enforcement qualification?", "yes"),
    ("Do Taixing auxiliaries have independent enforcement qualification?", "no"),
    ("泰兴辅助人员的劳动合同是跟劳务派遣公司签的吧，不是跟执法局直接签？", "yes"),
])
def test_agreeing_with_a_negative_statement_is_yes(request, question, verdict):
    misread(request, question, "Is it true that auxiliaries in Taixing don't have any independent enforcement qualification?")
    assert decided(question).verdict == verdict


@MISREAD
def test_a_status_question_is_answered_is_or_is_not():
    assert decided("泰兴的辅助人员是不是在编人员？").text.startswith("**不是。**")


def test_pay_tied_to_fines_is_the_agencys_prohibition_not_the_right_to_pay():
    reply = decided("我们辅助的绩效工资跟罚没款多少挂钩，泰兴允许吗")
    assert reply.verdict == NO and str(reply.citations[0].ref).startswith("taixing:20")


@pytest.mark.parametrize("clause,head", [
    ("应当按照自愿平等、协商一致的原则，依据《中华人民共和国劳动合同法》与被聘用者签订劳动合同", "应当按照自愿平等、协商一致的原则"),
    ("行政执法的立案、受理", "行政执法的立案、受理"),
    ("独立从事行政许可、行政处罚、行政强制执行、行政征收、行政收费、行政检查、行政确认等行政执法过程中影响公民、法人和其他组织"
     "实质性权利义务的工作", "独立从事行政许可、行政处罚、行政强制执行"),
])
def test_what_decides_names_a_clause_by_a_whole_phrase(clause, head):
    """An unsure answer's "判断要点" names each reading's clause by its start: cut after a whole phrase, never inside
    a word or a 《title》, and always a verbatim start of the clause."""
    from assistant.compose import clause_head

    assert clause_head(clause) == head and clause.startswith(head)
