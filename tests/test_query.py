"""The question parsed once: form, measures (from the measures' data), what is asked of whom, numbers, the act
without its frame, and follow-ups that inherit what they leave out."""
import pytest

MISREAD = pytest.mark.xfail(strict=True, reason="the learned reading misreads this question (issue 20: what it "
                            "reads is measured on the bank's held-out part, not tuned here)")


def misread(*values):
    return pytest.param(*values, marks=MISREAD)

from corpus import load
from assistant.query import (AGENCY, ALONE, AUXILIARY, CANDIDATE, COMPARE, CONSEQUENCE, FACTUAL, LIST, REASON,
                             TEMPORAL, UNSPECIFIED, WITH_OFFICER, YESNO, measure_names, parse)


@pytest.mark.parametrize("text, form", [
    ("辅助人员可以单独送达法律文书吗？", YESNO),
    ("执法纪录仪拍的视频有几段不太好看，辅助人员能自己删掉吗？", YESNO),  # the clause that asks decides
    ("商户塞了两条烟给我 让我别管他 我能收吗", YESNO),
    ("泰兴这边协管员自己开执法车可以吧", YESNO),
    ("i dont have to keep business secrets confidential, right? taixing", YESNO),
    ("old enough to apply as an aux at 17?", YESNO),
    ("Can an auxiliary serve documents alone?", YESNO),
    ("in hebei can the bureau link aux pay to how much fine money gets collected?", YESNO),
    ("泰兴的辅助人员一年要培训几天？", FACTUAL),
    ("Under whose command do Taixing auxiliaries work?", FACTUAL),
    ("泰兴的办法里，辅助人员不得有哪些行为？", LIST),
    ("两个办法对岗前培训的规定有什么不同？", COMPARE),
    ("Both measures require a certificate — any difference?", COMPARE),
    ("调查取证这一块，两个办法分别怎么规定的", COMPARE),
    ("泰兴的辅助人员把当事人的隐私说出去了，会怎么处理？", CONSEQUENCE),
    ("泰兴办法现在还有效吗？", TEMPORAL),
    ("was the hebei rule a permanent regulation or just a trial?", TEMPORAL),
    ("2018年3月的时候河北这个办法能适用吗", TEMPORAL),
    ("那查到过期的，他能当场自己把货封了吗", YESNO),  # 过期: the goods, not the measure
    ("How long is a Hebei auxiliary ID card valid?", FACTUAL),
    ("为什么辅助人员不能独立执法？", REASON),
])
def test_form(text, form):
    assert parse(text).form == form


def test_measures_are_named_by_the_names_in_the_data():
    for key, measure in load().measures.items():
        for name in (measure.short_name, *measure.aliases):
            assert parse(f"{name}的辅助人员可以立案吗？").measures == (key,), name
    assert parse("辅助人员可以立案吗？").measures == ()
    both = parse("两部办法对培训有什么不同？")
    assert both.every_measure and set(both.measures) == set(load().measures)
    assert parse("培训几天？", preferred="hebei").measures == ("hebei",)  # the app's choice…
    assert parse("泰兴培训几天？", preferred="hebei").measures == ("taixing",)  # …unless the question names one
    assert all(pattern.pattern for _, pattern in measure_names())


@pytest.mark.parametrize("text, modality, side", [
    ("辅助人员能单独调查取证吗？", ALONE, AUXILIARY),
    ("有执法人员在场的话，辅助人员可以清点涉案财物吗", WITH_OFFICER, AUXILIARY),
    ("Can an aux serve papers on his own?", ALONE, AUXILIARY),
    ("领导能给我们协管员下罚款指标吗", UNSPECIFIED, AGENCY),
    ("What are Taixing agencies forbidden to do when they use auxiliaries?", UNSPECIFIED, AGENCY),
    ("群众可以投诉辅助人员吗", UNSPECIFIED, AGENCY),
    ("泰兴招协管员，我42了还能报吗", UNSPECIFIED, CANDIDATE),
])
def test_what_is_asked_of_whom(text, modality, side):
    q = parse(text)
    assert (q.modality, q.side) == (modality, side)


@pytest.mark.parametrize("text, against", [
    ("可以不戴胸牌吗？", True),  # not wearing it goes against the duty
    ("单位能扣我工资吗", True),  # against the right to pay
    misread("能不能戴胸牌？", False),  # A-not-A asks, it does not go against
])
def test_whether_the_act_goes_against_the_provision(text, against):
    assert parse(text).against == against


def test_duty_and_orders():
    assert parse("辅助人员上岗必须戴臂章胸牌吗").must
    assert parse("队长让我一个人去处理影响商户权利义务的事，合规吗").ordered


@pytest.mark.parametrize("text, unit, value, comparison", [
    ("岗前培训2天够吗", "day", 2, "eq"),
    ("少于10个工作日可以吗", "day", 10, "lt"),
    ("我42了还能报吗", "age", 42, "eq"),
    ("我今年五十，还能应聘吗", "age", 50, "eq"),
    ("Can a 17-year-old be hired?", "age", 17, "eq"),
    ("Taixing: is a 3-working-day pre-job training enough?", "day", 3, "eq"),
    ("我初中毕业能应聘吗", "education", 1, "eq"),
    ("only a high school diploma, can I apply?", "education", 2, "eq"),
])
def test_numbers_a_question_proposes(text, unit, value, comparison):
    q = parse(text)
    assert q.quantity is not None
    assert (q.quantity.unit, q.quantity.value, q.quantity.comparison) == (unit, value, comparison)


@pytest.mark.parametrize("turns, unit, value", [
    (["Hebei: first-time applicant is exactly 35. Can we hire her?"], "age", 35),  # 首次聘用时不超过三十五周岁
    (["我儿子17，暑假想去城管当协管挣点零花钱，能招不"], "age", 17),  # 年满十八周岁
    (["I'm 36, first time applying in Hebei. can I?", "what about 34, back in Hebei?"], "age", 34),
    (["河北协管年龄上限多少", "那35呢"], "age", 35),
    (["My cousin is 35 and this would be his first auxiliary job, in Hebei. Can he still be hired?"], "age", 35),
])
def test_a_bare_number_is_of_the_unit_its_provision_limits(turns, unit, value):
    """A number said without a unit is a quantity of the one unit the provision the question is read as being
    about sets a number for (the reading's likeliest provision), as its writer meant it."""
    session = None
    for text in turns:
        q = parse(text, previous=session)
        session = q
    assert q.quantity is not None and (q.quantity.unit, q.quantity.value) == (unit, value)


@pytest.mark.parametrize("text", [
    "Our squad is down to 5. Can an auxiliary patrol the market alone?",  # the provision limits no number
    "We have 30 auxiliaries and 2 officers. Can the auxiliaries patrol alone?",  # two bare numbers
])
def test_a_bare_number_beside_no_limit_is_no_quantity(text):
    assert parse(text).quantity is None


def test_an_upper_or_lower_limit_asked():
    assert parse("泰兴招协管有没有35岁的年龄上限").bound == "max"
    assert parse("培训至少几天").bound == "min"


def test_the_act_leaves_out_the_frame():
    assert parse("在泰兴，协管员能不能自己一个人给案子立案？").act.endswith("立案")
    assert "泰兴" not in parse("泰兴的协管员能收红包吗").act
    assert parse("what about with an officer there?").act == ""


def test_the_modality_a_list_or_factual_question_asks():
    assert "must_not" in parse("泰兴的办法里，辅助人员不得有哪些行为？").asks
    assert "bar" in parse("哪些人不能被聘用为辅助人员？").asks
    assert "condition" in parse("Hebei: what are the conditions to become an auxiliary?").asks


def test_a_follow_up_inherits_what_it_leaves_out():
    first = parse("泰兴的辅助人员能单独调查取证吗？")
    second = parse("那河北呢？", first)
    assert second.follow_up and second.form == YESNO and second.measures == ("hebei",)
    assert second.act == first.act or first.act in second.act
    officer = parse("what about with an officer there?", first)
    assert officer.follow_up and officer.modality == WITH_OFFICER and officer.measures == ("taixing",)
    why = parse("为什么？", second)
    assert why.form == REASON and why.measures == ("hebei",)


def test_a_why_asks_the_question_before_again():
    """"为什么？" has nothing of its own to read: it asks the earlier question again (alone, may, of an auxiliary),
    not whatever its two characters read as ("is it so"), so the why leans to the same verdict as the answer."""
    earlier = parse("辅助人员可以一个人去做现场核查吗？")
    why = parse("为什么？", earlier)
    assert why.form == REASON and why.follow_up and why.previous is earlier and why.text == "为什么？"
    asked = ("modality", "must", "against", "asks_status", "side", "act", "topic", "reading", "measures")
    assert [getattr(why, name) for name in asked] == [getattr(earlier, name) for name in asked]
    assert earlier.modality == ALONE


@pytest.mark.parametrize("first,then", [
    ("泰兴的协管不准干哪些", "那河北的呢？"),
    ("What are the conditions to be hired in Taixing?", "and Hebei?"),
])
def test_a_follow_up_with_nothing_of_its_own_asks_the_same_thing(first, then):
    earlier = parse(first)
    q = parse(then, earlier)
    assert earlier.form == LIST and q.follow_up and q.form == LIST and q.measures == ("hebei",)
    assert q.asks == earlier.asks


def test_a_follow_up_with_an_act_of_its_own_is_read_on_its_own_words_too():
    """"那每年的培训呢" leans on the question before for its measure, and asks about yearly training, not the pre-job
    training before: its provisions mix its reading in context with its own words' (reading.model.OWN_WORDS)."""
    own = parse("那每年的培训呢", parse("泰兴岗前培训几天？"))
    assert own.follow_up and own.measures == ("taixing",)
    assert own.reading.provisions["taixing"][0][0] == "taixing:22.1"
    bare = parse("那河北呢？", parse("泰兴的协管员能不能自己把违停的电动车扣了"))  # nothing of its own: the act before
    assert bare.follow_up and bare.reading.provisions["hebei"][0][0] == "hebei:14(4)"


def test_a_worry_clause_is_set_aside_unless_it_is_the_question():
    assert parse("我们协管员能给单位提意见吗？会不会算不服从").form == YESNO
    assert "编制" in parse("泰兴的协管算不算有编制").act


@pytest.mark.parametrize("question,kept,dropped", [
    ("Does the agency have to give pre-job training? or can they skip it if short of staff?", "training", "skip"),
    ("does the agency have to sign a labour contract with aux, or is a verbal agreement ok?", "contract", "verbal"),
    ("泰兴的辅助人员可以单独送达法律文书吗？还是说必须有人带着？", "送达", "必须"),
])
def test_a_yes_no_question_asks_its_first_side_not_the_alternative_it_fears(question, kept, dropped):
    q = parse(question)
    assert q.form == YESNO and kept in q.normalised and dropped not in q.normalised and not q.against


def test_a_tag_question_then_its_alternative():
    q = parse("平常巡街看到有人乱搭乱建，我自己拍个照报上去行不，还是非得等执法队员一块？")
    assert q.form == YESNO and not q.against and "执法队员" not in q.act


@pytest.mark.parametrize("question,kinds", [
    ("积分管理分几级，每级多少分", {"level", "points"}),  # every clause that asks
    ("协管一个月补贴多少钱", {"money"}),
    ("岗前培训要多少天", {"time"}),
    ("What's the maximum fine an officer can impose?", {"money"}),
    ("一共有多少", set()),  # a figure of any kind
    ("what's the exact monthly salary for aux in Taixing?", {"money"}),
    ("what management fee does Taixing pay the dispatch agency per aux?", {"money"}),
])
def test_the_kind_of_figure_asked(question, kinds):
    assert parse(question).asks_figure == kinds


def test_a_figure_is_stated_in_its_kind():
    from corpus.provisions import states_figure

    text = "年度培训时间不少于10个工作日"
    assert states_figure(text) and states_figure(text, frozenset({"time"}))
    assert not states_figure(text, frozenset({"level", "points"})) and not states_figure(text, frozenset({"money"}))


def test_an_alternative_question_without_a_question_before_it_is_kept():
    assert "临时工" in parse("是正式的劳动合同还是临时工？").normalised


# --- forms and follow-ups the fresh sets showed, in words of their own -------------------------------------------

@pytest.mark.parametrize("question,form", [
    ("泰兴的协管能自己开车去巡查", YESNO),  # a statement of what one may do, no 吗
    ("河北单位招人不用报上级批准吧？", YESNO),  # 吧 asks for agreement
    misread("辅助人员可以做的工作", FACTUAL),  # names a thing
    ("Hebei: while I'm helping at a checkpoint, may I take the driver's licence myself?", YESNO),  # scene, then ask
    misread("when an aux sees a violation, what should he do?", FACTUAL),
    ("我们局能不能给协管定罚款任务 每月多少钱那种", YESNO),  # a trailing example is not the question
])
def test_forms(question, form):
    assert parse(question).form == form


@MISREAD
def test_a_member_of_the_public_asking_for_themself():
    assert parse("我是开店的，作为店主可以不让检查吗").public_actor
    assert parse("As a street vendor, how do I get my cart back?").public_actor


def test_figures_and_an_auxiliary_acting_on_the_public():
    assert not parse("协管员能单独扣商户的货吗").public_actor
    assert parse("协管一个月补贴多少钱").asks_figure and parse("What's the exact amount of the meal allowance?").asks_figure
    assert not parse("补贴由谁来定").asks_figure


@pytest.mark.parametrize("first,then,measures,own", [
    ("泰兴的辅助人员能单独立案吗？", "那河北的呢", ("hebei",), False),  # particles are no act of their own
    ("泰兴的辅助人员出差能报销住宿费吗？", "为啥可以", ("taixing",), False),  # short, names no one: leans on the last
    ("辅助人员能单独调查取证吗？", "那如果执法人员在场呢", (), False),  # a new modality only
    ("Do Taixing auxiliaries need a work card?", "who issues it?", ("taixing",), False),  # a pronoun
    misread("泰兴的辅助人员能单独立案吗？", "那岗前培训要几天", ("taixing",), True),  # an act of its own
    ("泰兴单位能不能给协管下罚款指标？", "河北的办法里有没有禁止这个？", ("hebei",), False),  # 这个: as said before
    ("My captain told me to seize a vendor's cart alone, is that legal in Taixing?",
     "what if my captain is standing right there and tells me to do it?", ("taixing",), False),  # a new case, long
])
def test_follow_ups(first, then, measures, own):
    q = parse(then, parse(first))
    assert q.follow_up and q.measures == measures
    assert (q.topic == q.text) == own, q.topic


def test_a_new_case_keeps_the_form_of_the_question_it_varies():
    first = parse("Can a Taixing aux collect evidence alone?")
    assert parse("ok and if the officer is with me and guiding me the whole time?", first).form == YESNO
    why = parse("为什么不行？", parse("辅助人员可以一个人去做现场核查吗？"))
    then = parse("那我跟着执法队员一起去，在他指导下帮他拍照取证呢？", why)  # varies the question, not the "why"
    assert then.follow_up and then.form == YESNO


@pytest.mark.parametrize("question,form", [
    ("fired from a 事业单位 two years back - any chance to work as an aux in Taixing?", YESNO),  # Chinese terms inside
    ("the 中队 ties our bonus to how much fine money we collect. is that allowed in Taixing?", YESNO),  # last sentence
    ("I was asked to check a 行政许可 application and approve it myself. ok? hebei", YESNO),
    ("whats the rule on 积分管理 for aux grades?", FACTUAL),
    ("exact amount of 抚恤金 for a family under the rules?", FACTUAL),
])
def test_english_with_chinese_terms(question, form):
    assert parse(question).form == form


def test_a_corpus_term_keeps_its_frame_characters():
    assert "行政许可" in parse("辅助人员能单独办行政许可吗").act
    assert not parse("the 中队 ties our bonus to how much fine money we collect. is that allowed?").asks_figure


@pytest.mark.parametrize("question", [
    "Can auxiliary staff help out with evidence collection in an investigation?",
    "查扣的货要清点，我们辅助人员能帮忙吗",
    "辅助人员可以协助调查取证吗",
])
def test_helping_asks_about_assisting_an_officer(question):
    assert parse(question).modality == WITH_OFFICER  # 协助: the verb of the lists of what is done with an officer


@pytest.mark.parametrize("question,kept,gone", [
    ("Can a taixing aux translate a letter for the office alone? its not evidence, just so we understand it",
     "translate", "evidence"),
    ("翻译的材料不作为证据，辅助人员能自己翻译吗", "翻译", "证据"),
    ("泰兴的辅助人员是不是在编人员？", "在编人员", None),  # 是不是 asks; it denies nothing
])
def test_what_the_act_is_said_not_to_be_is_no_word_of_it(question, kept, gone):
    act = parse(question).act
    assert kept in act and (gone is None or gone not in act)
