"""The duty rules as data: every entry's references and quotes checked against the corpus (parametrised over
rules.yaml, so a new entry is checked without new code), the validator, the verdict semantics, the answer
text, coverage and the CLI."""
import copy

import pytest

from corpus import Ref, load
from assistant.rules import (
    ALLOWED_ALONE, NOT_ADDRESSED, PROHIBITED, REQUIRED, STATUSES, WITH_OFFICER, DutyQuestion, combine, coverage,
    judge, load_rules, parse_rules, read_rules_data, status_verdict, validate,
)
from assistant.types import CONDITIONAL, NO, YES, Citation
from assistant.verify import problems as verifier_problems
from assistant.types import RULES, Answer

DATA = read_rules_data()
ENTRIES = {entry["id"]: entry for entry in DATA}
REFS = [(entry["id"], key, raw["ref"], raw["quote"])
        for entry in DATA for key, spec in entry["measures"].items()
        for raw in (spec.get("refs") or []) + (spec.get("context") or [])]


# --- the data, entry by entry -------------------------------------------------------------------------------

@pytest.mark.parametrize("activity,measure,ref,quote", REFS, ids=[f"{a}/{r}" for a, _, r, _ in REFS])
def test_every_reference_exists_and_every_quote_is_verbatim(activity, measure, ref, quote):
    corpus = load()
    assert corpus.exists(ref), f"{activity}: {ref} does not exist"
    assert Ref.parse(ref).measure == measure
    assert corpus.quote_is_verbatim(ref, quote), f"{activity}: not verbatim in {ref}: {quote!r}"


@pytest.mark.parametrize("activity", list(ENTRIES))
def test_every_entry_is_complete(activity):
    entry = ENTRIES[activity]
    assert entry["name"]["zh"] and entry["name"]["en"]
    assert entry["triggers"]["zh"] and entry["triggers"]["en"]
    assert set(entry["measures"]) == set(load().measures), "every entry has a status for both measures"
    statuses = {key: spec["status"] for key, spec in entry["measures"].items()}
    assert set(statuses.values()) <= set(STATUSES)
    assert any(s != NOT_ADDRESSED or spec.get("context") for s, spec in zip(statuses.values(), entry["measures"].values())), \
        "an entry must say something: a status, or where both measures are silent, the clauses that give context"
    for key, spec in entry["measures"].items():
        assert bool(spec.get("refs")) == (spec["status"] != NOT_ADDRESSED), (activity, key)


def test_no_two_activities_share_a_phrasing():
    """A phrasing that selects two activities could never decide between them (English compared as the
    classifier sees it: stemmed, stop words dropped)."""
    from collections import defaultdict

    from corpus.lexicon import english_words

    owners = defaultdict(set)
    for activity in load_rules().activities:
        for phrase in activity.triggers_zh + activity.inverse_zh:
            owners[("zh", phrase)].add(activity.id)
        for phrase in activity.triggers_en + activity.inverse_en:
            owners[("en", english_words(phrase))].add(activity.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_the_shipped_rules_validate():
    rules, found = validate(DATA)
    assert found == []
    assert len(rules.activities) >= 60
    assert load_rules() is load_rules()  # loaded once


def test_at_least_sixty_activities_with_their_citations():
    rules = load_rules()
    assert len(rules.activities) >= 60 and len(rules.citations) >= len(rules.activities)


# --- the validator catches what is wrong ------------------------------------------------------------------

def _tampered(change) -> list[str]:
    data = copy.deepcopy(DATA)
    change(data)
    return validate(data)[1]


def test_a_tampered_quote_is_caught():
    def change(data):
        data[0]["measures"]["taixing"]["refs"][0]["quote"] = "宣传相关法律法规规章和政策"  # punctuation dropped
    found = _tampered(change)
    assert len(found) == 1 and "not verbatim" in found[0] and data_id(0) in found[0]


def data_id(index: int) -> str:
    return DATA[index]["id"]


@pytest.mark.parametrize("change,expected", [
    (lambda d: d[0]["measures"]["taixing"]["refs"][0].update(ref="taixing:8(9)"), "does not exist"),
    (lambda d: d[0]["measures"]["taixing"]["refs"][0].update(ref="taixing:99"), "does not exist"),
    (lambda d: d[0]["measures"]["taixing"]["refs"][0].update(ref="hebei:13"), "another measure"),
    (lambda d: d[0]["measures"]["taixing"].update(status="maybe"), "status"),
    (lambda d: d[0]["measures"].pop("hebei"), "no status for hebei"),
    (lambda d: d[0]["measures"]["taixing"].update(refs=[]), "needs at least one ref"),
    (lambda d: d[0]["measures"]["hebei"].update(refs=[{"ref": "hebei:13", "quote": "协助"}]), "takes no refs"),
    (lambda d: d[1].update(id=d[0]["id"]), "duplicate id"),
    (lambda d: d[0].update(subject="nobody"), "subject"),
    (lambda d: d[0]["triggers"].update(zh=[]), "triggers.zh"),
    (lambda d: (d[0]["measures"]["taixing"].update(status="not_addressed", refs=[]),
                d[0]["measures"]["hebei"].pop("context", None)), "no measure addresses it"),
    (lambda d: d[0]["measures"]["taixing"].update(context=[{"ref": "taixing:8", "quote": "独立"}]), "only a silent"),
    (lambda d: d[0]["measures"]["hebei"].update(context=[{"ref": "hebei:13", "quote": "不在原文里"}]), "not verbatim"),
    (lambda d: d[0]["measures"]["hebei"].update(context=[{"ref": "taixing:8", "quote": "独立"}]), "another measure"),
    (lambda d: d[0]["measures"]["taixing"].update(threshold={"min": 3, "unit": "day"}), "needs the entry's quantity"),
    (lambda d: d[0].update(quantity={"unit": "day"}), "needs a threshold"),
    (lambda d: d[0].update(quantity={"unit": "weeks"}), "quantity.unit"),
    (lambda d: (d[0].update(quantity={"unit": "day"}),
                d[0]["measures"]["taixing"].update(threshold={"min": "three", "unit": "day"})), "numeric min or max"),
    (lambda d: d[0].update(quantity={"unit": "age", "select": True, "defer": True}), "either selects"),
    (lambda d: (d[0].update(quantity={"unit": "day", "defer": True}),
                d[0]["measures"]["taixing"].update(threshold={"min": 3, "unit": "day", "reason": {"zh": "x", "en": "x"}})),
     "sets no threshold"),
    (lambda d: d[0].update(agency_alone="no_such_activity"), "agency_alone"),
    (lambda d: d[0]["triggers"].update(pairs=[{"verbs": ["扣"]}]), "pairs.objects"),
])
def test_the_validator_names_each_kind_of_problem(change, expected):
    found = _tampered(change)
    assert found and any(expected in problem for problem in found), found


def test_a_file_that_is_not_a_list_is_rejected():
    assert parse_rules({"id": "x"})[1]


def test_cli_check_exits_non_zero_on_a_bad_quote(monkeypatch, capsys):
    import assistant.rules
    from assistant.__main__ import main

    assert main(["rules", "--check"]) == 0
    out = capsys.readouterr().out
    assert f"{len(DATA)} activities" in out and "citations" in out
    bad = copy.deepcopy(DATA)
    bad[5]["measures"]["taixing"]["refs"][0]["quote"] += "（改）"
    monkeypatch.setattr(assistant.rules, "read_rules_data", lambda: bad)
    assert main(["rules", "--check"]) == 1
    assert "not verbatim" in capsys.readouterr().err


def test_cli_coverage_lists_cited_and_uncited(capsys):
    from assistant.__main__ import main

    assert main(["rules", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "taixing:10" in out and "hebei:14" in out and "not cited" in out


def test_cli_judges_a_question(capsys):
    from assistant.__main__ import main

    assert main(["rules", "辅助人员可以单独送达法律文书吗？"]) == 0
    out = capsys.readouterr().out
    assert "serve_documents" in out and "送达相关法律文书" in out


# --- coverage of the provisions the issue lists --------------------------------------------------------------

EVERY_ITEM_OF = ["taixing:7", "taixing:8", "taixing:9", "taixing:10", "taixing:11", "taixing:20", "taixing:21",
                 "taixing:27", "hebei:13", "hebei:14", "hebei:19"]
ARTICLES = (["taixing:17", "taixing:19", "hebei:12"] + [f"hebei:{n}" for n in range(8, 12)]
            + [f"taixing:{n}" for n in range(14, 17)] + [f"hebei:{n}" for n in range(15, 20)]
            + [f"taixing:{n}" for n in range(21, 25)] + ["hebei:4", "hebei:21", "taixing:6", "taixing:28"])


@pytest.mark.parametrize("ref", EVERY_ITEM_OF)
def test_every_item_of_the_duty_articles_is_cited(ref):
    covered = coverage()
    article = load().article(ref)
    assert covered[Ref.parse(ref)]
    for item in article.items:
        assert covered[Ref(article.ref.measure, article.ref.article, item.number)], f"{ref}({item.number})"


@pytest.mark.parametrize("ref", ARTICLES)
def test_rights_hiring_agency_duties_and_liability_are_cited(ref):
    assert coverage()[Ref.parse(ref)]


# --- verdict semantics -----------------------------------------------------------------------------------

@pytest.mark.parametrize("status,negated,expected", [
    (ALLOWED_ALONE, False, YES), (WITH_OFFICER, False, CONDITIONAL), (PROHIBITED, False, NO),
    (REQUIRED, False, YES), (REQUIRED, True, NO), (NOT_ADDRESSED, False, NOT_ADDRESSED),
    (WITH_OFFICER, True, CONDITIONAL), (PROHIBITED, True, NO),
])
def test_status_verdicts(status, negated, expected):
    assert status_verdict(status, negated) == expected


@pytest.mark.parametrize("verdicts,expected", [
    ([YES, NO], NO), ([CONDITIONAL, YES], CONDITIONAL), ([NO, CONDITIONAL], NO),
    ([NOT_ADDRESSED, YES], YES), ([CONDITIONAL, NOT_ADDRESSED], CONDITIONAL), ([NOT_ADDRESSED, NO], NO),
    ([NOT_ADDRESSED, NOT_ADDRESSED], NOT_ADDRESSED), ([YES, YES], YES),
])
def test_the_stricter_addressed_verdict_wins(verdicts, expected):
    assert combine(verdicts) == expected


def test_a_named_measure_answers_for_that_measure_only():
    verdict = judge(DutyQuestion("…", "file_case", measure="hebei"))
    assert verdict.verdict == CONDITIONAL and [f.measure for f in verdict.findings] == ["hebei"]
    assert {c.ref.measure for c in verdict.citations} == {"hebei"}


def test_both_measures_when_none_is_named_and_the_stricter_wins():
    verdict = judge(DutyQuestion("…", "file_case"))
    assert verdict.verdict == NO
    assert {f.measure: f.verdict for f in verdict.findings} == {"taixing": NO, "hebei": CONDITIONAL}
    assert verdict.findings[0].measure == "taixing"  # the finding that decides comes first


def test_a_silent_measure_does_not_weaken_the_other():
    verdict = judge(DutyQuestion("…", "serve_documents"))
    assert verdict.verdict == CONDITIONAL
    assert {f.measure: f.status for f in verdict.findings} == {"taixing": WITH_OFFICER, "hebei": NOT_ADDRESSED}


def test_a_silent_named_measure_is_not_addressed_and_shows_the_other_for_reference():
    verdict = judge(DutyQuestion("…", "serve_documents", measure="hebei"))
    assert verdict.verdict == NOT_ADDRESSED
    assert verdict.findings[0].status == NOT_ADDRESSED and verdict.reference[0].measure == "taixing"
    assert verdict.citations  # the pipeline's verifier needs something cited
    assert verdict.text("zh").startswith("**河北办法对此未作规定。**")
    assert verdict.text("en").startswith("**The Hebei measure does not address this.**")


def test_a_negated_duty_is_no():
    assert judge(DutyQuestion("可以不戴胸牌吗", "wear_badge", negated=True)).verdict == NO
    assert judge(DutyQuestion("要戴胸牌吗", "wear_badge")).verdict == YES


# --- the answer text -------------------------------------------------------------------------------------

ALL_QUESTIONS = [DutyQuestion("…", a["id"], measure=m, negated=n)
                 for a in DATA for m in (None, "hebei", "taixing") for n in (False, True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_answer_shows_each_citation_with_its_label_and_passes_the_verifier(lang):
    corpus = load()
    for question in ALL_QUESTIONS:
        verdict = judge(question)
        text = verdict.text(lang)
        assert verdict.citations, question
        for citation in verdict.citations:
            assert isinstance(citation, Citation)
            assert f"{corpus.label(citation.ref)}：「{citation.quote}」" in text
        answer = Answer("…", text, RULES, verdict=verdict.verdict, citations=list(verdict.citations), lang=lang)
        assert verifier_problems(answer) == [], (question, verifier_problems(answer))


HEADS = {
    "zh": {YES: ("**可以。**", "**是的，应当。**"), NO: ("**不可以。**", "**不用。**"),
           CONDITIONAL: ("**不可以单独进行，但可以在行政执法人员参与和指导下协助。**",)},
    "en": {YES: ("**Yes.**",), NO: ("**No.**",),
           CONDITIONAL: ("**Not alone, but may assist under an officer's participation and guidance.**",)},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_verdict_comes_first_then_a_reason_naming_each_measure(lang):
    corpus = load()
    for question in ALL_QUESTIONS:
        verdict = judge(question)
        head, reason, *_ = verdict.text(lang).split("\n\n")
        if verdict.verdict != NOT_ADDRESSED:
            assert head in HEADS[lang][verdict.verdict], (question, head)
        for finding in verdict.findings:
            name = corpus.measures[finding.measure]
            assert (name.short_name if lang == "zh" else name.english_short_name[4:]) in reason
        if lang == "en":
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in head + reason), reason


def test_the_design_example_reads_as_designed():
    text = judge(DutyQuestion("商户不配合，辅助人员能动手推搡他吗？", "rude_violence")).text("zh")
    head, reason, quotes = text.split("\n\n")
    assert head == "**不可以。**"
    assert "泰兴办法" in reason and "河北办法对此没有专门规定" in reason
    assert "《泰兴市行政执法辅助人员管理办法》第十一条第（七）项：「在行政执法辅助活动中行为粗暴" in quotes


def test_english_answers_keep_chinese_labels_and_quotes():
    text = judge(DutyQuestion("Can an auxiliary serve documents alone?", "serve_documents", lang="en")).text("en")
    assert text.startswith("**Not alone, but may assist")
    assert "The Hebei measure does not address this." in text
    assert "《泰兴市行政执法辅助人员管理办法》第九条第（四）项：「送达相关法律文书」" in text


def test_pairs_expand_into_verb_object_triggers_in_either_order():
    from assistant.rules import expand_pairs

    found: list[str] = []
    assert expand_pairs([{"verbs": ["扣"], "objects": ["车", "货"]}], "x", found) == ("扣*车", "车*扣", "扣*货", "货*扣")
    assert expand_pairs([{"verbs": ["讹"], "objects": ["商户"], "order": "forward"}], "x", found) == ("讹*商户",)
    assert expand_pairs([{"verbs": ["胸牌"], "objects": ["一样"], "order": "forward", "gap": "long"}], "x", found) \
        == ("胸牌**一样",)
    assert found == []


def test_a_threshold_is_data_and_decides_a_proposed_number():
    from assistant.rules import Quantity

    rule = load_rules()["pre_job_training"].measures["taixing"]
    assert rule.threshold.min == 3 and rule.threshold.unit == "day"
    assert load_rules()["hiring_age"].measures["hebei"].threshold.max == 35
    short = judge(DutyQuestion("…", "pre_job_training", quantity=Quantity(2, "day")))
    assert short.verdict == NO and {f.measure: f.verdict for f in short.findings} == {"taixing": NO, "hebei": NOT_ADDRESSED}
    assert judge(DutyQuestion("…", "pre_job_training", quantity=Quantity(3, "day"))).verdict == YES
    assert judge(DutyQuestion("…", "pre_job_training", quantity=Quantity(3, "day", "lt"))).verdict == NO
    age = judge(DutyQuestion("…", "hiring_age", quantity=Quantity(42, "age")))
    assert {f.measure: f.verdict for f in age.findings} == {"taixing": YES, "hebei": NO} and age.verdict == NO
    # a number in another unit than the entry's is not held against it
    assert judge(DutyQuestion("…", "pre_job_training", quantity=Quantity(42, "age"))).verdict == YES


def test_context_citations_are_counted_apart_from_the_rules():
    rules = load_rules()
    refs = {str(c.ref) for c in rules.context_citations}
    assert {"hebei:13", "taixing:15(2)"} <= refs
    # context is not a rule: a provision quoted only as context does not count as covered
    assert all(rule.status == NOT_ADDRESSED for a in rules.activities for rule in a.measures.values() if rule.context)


def test_a_name_split_by_an_unquoted_comma_is_caught():
    """YAML reads `{en: seizing, impounding}` as two keys; the validator must refuse it."""
    import yaml

    from assistant.rules import parse_rules

    data = yaml.safe_load("- id: x\n  name: {zh: 扣押, en: seizing, impounding}\n  subject: auxiliary\n"
                          "  triggers: {zh: [扣押], en: [seize]}\n"
                          "  measures: {hebei: {status: not_addressed}, taixing: {status: not_addressed}}\n")
    _, problems = parse_rules(data)
    assert any("name needs exactly zh and en" in p for p in problems)
