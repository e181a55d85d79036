"""The benchmark: its metric functions on hand-made inputs, scoring, reports, `compare`, and the CI gate that
runs the whole gold set through the assistant and holds it to eval/thresholds.py."""
import csv
import json
import math
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from corpus import Ref, load
from eval.compare import compare, direction, flatten
from eval.gold import DEFAULT, GoldItem
from eval.metrics import (accuracy, article_of, ascii_lower, cited_articles, citation_scores, confusion_matrix,
                          faithfulness, key_fact_coverage, mean_or_none, ndcg_at, percentile, ranking_metrics)
from eval.run import BASELINES, FULL, ConfigRun, Config, beats, config_for, run_benchmark
from eval.scoring import aggregate, score_item
from eval.thresholds import THRESHOLDS, Threshold, check

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class FakeCitation:
    ref: Ref
    quote: str


@dataclass
class FakeAnswer:
    """Duck-typed like assistant.types.Answer, so these tests need no model."""

    text: str
    route: str = "retrieval"
    verdict: str | None = None
    declined: bool = False
    citations: list = field(default_factory=list)
    latency_ms: float = 5.0
    confidence: float | None = None
    leaning: str | None = None


def gold(id="q900", type="factual", gold_refs=("taixing:9",), acceptable=(), verdict=None, facts=(), lang="zh"):
    return GoldItem(id, f"question {id}", lang, "taixing", type, tuple(gold_refs), tuple(acceptable), verdict,
                    tuple(facts), "test", False)


def cite(ref: str, quote: str | None = None) -> FakeCitation:
    ref = Ref.parse(ref)
    return FakeCitation(ref, quote if quote is not None else load().text(ref)[:12])


# --- metric functions ---------------------------------------------------------------------------------

def test_article_level_refs():
    assert article_of("taixing:9(4)") == "taixing:9"
    assert article_of(Ref("hebei", 14, 2)) == "hebei:14"
    assert cited_articles(["taixing:9(4)", "taixing:9(2)", "hebei:14(1)", "taixing:9"]) == ["taixing:9", "hebei:14"]


def test_citation_scores():
    assert citation_scores(["taixing:10(1)", "hebei:14(1)"], ["taixing:10", "hebei:14"]) == \
        {"primary": 1.0, "all": 1.0, "precision": 1.0}
    only_second = citation_scores(["hebei:14"], ["taixing:10", "hebei:14"])
    assert only_second["primary"] == 0.0 and only_second["all"] == 0.0 and only_second["precision"] == 1.0
    # one of two cited articles is neither gold nor acceptable
    assert citation_scores(["taixing:10(1)", "taixing:3"], ["taixing:10"], ["taixing:9"])["precision"] == 0.5
    assert citation_scores(["taixing:9(2)"], ["taixing:10"], ["taixing:9"])["precision"] == 1.0
    assert citation_scores([], ["taixing:10"])["precision"] is None


def test_key_facts_are_verbatim_and_case_insensitive_for_ascii_only():
    assert ascii_lower("ABC 河北 Ｑ") == "abc 河北 Ｑ"  # full-width letters are not folded
    text = "The term is 5 YEARS, from 2023-01-01. 不得单独从事下列工作"
    assert key_fact_coverage(text, ["5 years", "2023-01-01", "不得单独从事下列工作"]) == 1.0
    assert key_fact_coverage(text, ["2027-12-31", "不得从事下列工作"]) == 0.0
    assert key_fact_coverage(text, ["5 years", "不得从事"]) == 0.5
    assert key_fact_coverage(text, []) is None


def test_faithfulness_counts_a_tampered_quote_and_a_fabricated_ref():
    corpus = load()
    real = corpus.text("taixing:10(1)")
    pairs = [
        (Ref.parse("taixing:10(1)"), real),  # sound
        (Ref.parse("taixing:10(1)"), real.replace("立案", "结案")),  # tampered: not verbatim
        (Ref.parse("taixing:99"), "行政执法的立案、受理"),  # no such article: fabricated
        (Ref.parse("hebei:14(9)"), "anything"),  # no such item: fabricated
        (Ref.parse("hebei:9"), ""),  # an empty quote is not a quote
    ]
    assert faithfulness(pairs, corpus) == (2, 2)
    assert faithfulness([], corpus) == (0, 0)


def test_confusion_matrix_and_accuracy():
    pairs = [("no", "no"), ("no", "conditional"), ("conditional", "conditional"), ("yes", None), ("yes", "yes")]
    matrix = confusion_matrix(pairs, ("yes", "no", "conditional", "not_addressed"))
    assert matrix["no"] == {"yes": 0, "no": 1, "conditional": 1, "not_addressed": 0, "none": 0}
    assert matrix["yes"]["none"] == 1 and matrix["yes"]["yes"] == 1
    assert matrix["not_addressed"] == dict.fromkeys(["yes", "no", "conditional", "not_addressed", "none"], 0)
    assert sum(sum(row.values()) for row in matrix.values()) == len(pairs)
    assert accuracy(pairs) == pytest.approx(3 / 5)
    assert accuracy([]) is None


def test_ranking_metrics_and_percentile():
    rows = [(["taixing:10", "hebei:14"], ["taixing:10"]), (["hebei:1", "taixing:9"], ["taixing:9", "taixing:10"])]
    m = ranking_metrics(rows)
    assert m["hit@1"] == 0.5 and m["hit@3"] == 1.0 and m["mrr"] == pytest.approx(0.75)
    assert ndcg_at(["a", "b"], {"a"}) == 1.0 and ndcg_at(["b", "a"], {"a"}) == pytest.approx(1 / math.log2(3))
    assert percentile([1, 2, 3, 4], 50) == 2.5 and math.isnan(percentile([], 50))
    assert mean_or_none([None, 1.0, 0.0]) == 0.5 and mean_or_none([None]) is None


# --- scoring one item, and aggregating ----------------------------------------------------------------

def test_score_item_flags_every_problem():
    corpus = load()
    item = gold("q901", "yesno_duty", ["taixing:10"], ["taixing:9"], "no", ["行政执法的立案、受理", "missing fact"])
    reply = FakeAnswer("不得：行政执法的立案、受理", route="verdict", verdict="conditional", citations=[
        cite("taixing:10(1)"), cite("taixing:10(1)", "tampered 立案"), cite("taixing:77", "x"), cite("hebei:3")])
    r = score_item(item, reply, ["taixing:9", "taixing:10"], 3.0, corpus)
    assert (r.primary_cited, r.all_cited) == (1.0, 1.0) and r.precision == pytest.approx(1 / 3)
    assert (r.fabricated, r.non_verbatim) == (1, 1)
    assert r.facts_found == [True, False] and r.primary_rank == 2
    kinds = {p.kind for p in r.problems}
    assert kinds == {"wrong_verdict", "key_facts_missing", "fabricated_ref", "non_verbatim_quote",
                     "off_gold_citation"}


def test_declines_and_errors_are_scored():
    corpus = load()
    oos = gold("q902", "out_of_scope", [], [])
    assert not score_item(oos, FakeAnswer("declined", route="declined", declined=True), [], 1.0, corpus).failed
    answered = score_item(oos, FakeAnswer("sure", citations=[cite("taixing:10")]), [], 1.0, corpus)
    assert {p.kind for p in answered.problems} == {"not_declined", "off_gold_citation"}
    in_scope = gold("q903", "factual", ["taixing:21"], facts=["3个工作日"])
    declined = score_item(in_scope, FakeAnswer("no", route="declined", declined=True), [], 1.0, corpus)
    assert {"false_decline", "primary_not_cited"} <= {p.kind for p in declined.problems}
    crashed = score_item(in_scope, None, [], 7.0, corpus, error="answer: KeyError: x")
    assert crashed.route == "error" and crashed.latency_ms == 7.0 and crashed.problems[0].kind == "error"

    m = aggregate([answered, declined, crashed])
    assert m["out_of_scope"] == {"n": 1, "declined": 0.0}
    assert m["in_scope"]["false_decline_rate"] == 0.5
    assert m["citations"]["n"] == 2 and m["citations"]["primary_cited"] == 0.0
    assert m["citations"]["n_citing"] == 1 and m["citations"]["precision"] == 0.0
    assert m["errors"] == 1 and m["failed_items"] == 3
    assert m["verdicts"]["n"] == 0 and m["verdicts"]["accuracy"] is None
    assert set(m["latency"]) == {"all", "retrieval", "declined", "error"}


def test_thresholds_and_baseline_verdicts():
    overall = {"citations": {"primary_cited": 0.96}, "confidence": {"confidently_wrong": 0.05, "leaning_accuracy": 0.91},
               "out_of_scope": {"declined": None}, "faithfulness": {"fabricated_refs": 0, "non_verbatim_quotes": 1},
               "first_line": {"misleading": 0}}
    checks = {c.threshold.metric: c for c in check(overall)}
    assert {m: c.passed for m, c in checks.items()} == {
        "confidence.confidently_wrong": False, "confidence.leaning_accuracy": True,
        "citations.primary_cited": True, "out_of_scope.declined": True,
        "faithfulness.fabricated_refs": True, "faithfulness.non_verbatim_quotes": False,
        "first_line.misleading": True}
    # no out-of-scope item in the file: the gate is not applicable, and says so, rather than failing the run
    assert [m for m, c in checks.items() if not c.applicable] == ["out_of_scope.declined"]
    assert Threshold("x", ">=", 0.9).holds(0.9) and not Threshold("x", ">=", 0.9).holds(float("nan"))

    def run(name, **overall):
        blocks = {"citations": {"primary_cited": overall.get("p")}, "in_scope": {"false_decline_rate": overall.get("f")}}
        return ConfigRun(Config(name), [], {"overall": blocks}, 0.0)

    assert beats(run("full", p=0.9, f=0.1), run("base", p=0.8, f=0.1)).beats
    tie = beats(run("full", p=0.9, f=0.1), run("base", p=0.9, f=0.1))
    assert not tie.beats and not tie.worse
    mixed = beats(run("full", p=0.9, f=0.2), run("base", p=0.8, f=0.1))
    assert not mixed.beats and mixed.worse == ["in_scope.false_decline_rate"]
    assert config_for("hybrid", True) == FULL and config_for("bm25", False) in BASELINES
    assert config_for("bm25", True).name == "bm25+verdicts"


def test_follow_up_items_are_asked_after_their_history():
    asked = []

    def answer_fn(question, mode, with_verdicts, history=()):
        asked.append((question, history))
        return FakeAnswer("送达相关法律文书", citations=[cite("taixing:9(4)", "送达相关法律文书")])

    item = GoldItem("q913", "那河北呢？", "zh", "hebei", "factual", ("taixing:9",), (), None, (), "t", True,
                    history=("辅助人员能单独送达文书吗？",))
    searched = []
    run_benchmark([item], [FULL], answer_fn, lambda q, mode: searched.append(q) or ["taixing:9"], progress=False)
    assert asked[-1] == ("那河北呢？", ("辅助人员能单独送达文书吗？",))
    assert searched[-1] == "辅助人员能单独送达文书吗？ 那河北呢？"  # retrieval sees the conversation's words


def test_verdicts_given_and_misleading_first_lines_are_counted():
    items = [gold("q914", "yesno_duty", ["taixing:11"], verdict="no"), gold("q915", "yesno_duty", ["taixing:11"], verdict="no")]
    replies = {"question q914": FakeAnswer("**泰兴办法第十一条规定：删除、篡改、泄露行政执法活动中形成的文字**",
                                          citations=[cite("taixing:11(4)")]),
               "question q915": FakeAnswer("**不可以。** 泰兴办法第十一条规定行政执法辅助人员不得有下列行为：删除、篡改",
                                          verdict="no", citations=[cite("taixing:11(4)")])}
    bench = run_benchmark(items, [FULL], lambda q, *rest: replies[q], lambda q, mode: [], progress=False)
    overall = bench.main.overall
    assert overall["verdicts"]["given"] == 0.5
    assert overall["first_line"]["misleading"] == 1
    assert [r.misleading for r in bench.main.items] == [True, False]


# --- reports and compare, on a fake assistant -------------------------------------------------------------

def fake_answer(question, mode, with_verdicts, history=()):
    if "weather" in question:
        return FakeAnswer("**out of scope**", route="declined", declined=True)
    verdict = "no" if with_verdicts else None
    return FakeAnswer("不得从事：行政执法的立案、受理", route="verdict" if with_verdicts else "retrieval", verdict=verdict,
                      citations=[cite("taixing:10(1)")], latency_ms=2.0 if with_verdicts else 20.0)


def test_run_writes_a_report_with_charts(tmp_path):
    from eval.report import summary, write_report

    items = [gold("q910", "yesno_duty", ["taixing:10"], verdict="no", facts=["行政执法的立案、受理"]),
             gold("q911", "factual", ["taixing:21"], facts=["3个工作日"], lang="en"),
             GoldItem("q912", "What's the weather tomorrow?", "en", None, "out_of_scope", (), (), None, (), "t", True)]
    bench = run_benchmark(items, [FULL, *BASELINES], fake_answer, lambda q, mode: ["taixing:10", "taixing:21"],
                          progress=False)
    assert [r.config.name for r in bench.runs] == ["full", "bm25-only", "dense-only", "hybrid-no-verdicts"]
    assert bench.main.overall["verdicts"]["accuracy"] == 1.0
    assert [v.beats for v in bench.versus_baselines()] == [True, True, True]
    report = write_report(bench, tmp_path)
    text = report.read_text(encoding="utf-8")
    outputs = ("metrics_by_type.png", "latency.png", "baselines.png", "metrics.json", "items.jsonl", "items.csv")
    for name in outputs:
        assert (tmp_path / name).stat().st_size > 0, name
        assert name in text or name.endswith(("json", "jsonl", "csv"))
    assert "q911" in text and "3个工作日" in text  # the failed item, with what was expected
    assert "q910" not in text.split("## Failed items")[1]
    with open(tmp_path / "items.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(items) * len(bench.runs)
    by_id = {row["id"]: row for row in rows if row["config"] == "full"}
    assert by_id["q910"]["failed"] == "False" and by_id["q910"]["verdict"] == "no"
    assert by_id["q911"]["failed"] == "True" and by_id["q911"]["key_facts_found"] == "0/1"
    assert by_id["q912"]["question"] == "What's the weather tomorrow?"
    data = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert data["beats_every_baseline"] is True and set(data["configs"]) == {r.config.name for r in bench.runs}
    assert data["by_type"]["yesno_duty"]["verdicts"]["confusion"]["no"]["no"] == 1
    assert "default beats every baseline: yes" in summary(bench)


def test_csv_cells_never_start_a_formula():
    from eval.report import csv_row

    item = gold("q913", "factual", ["taixing:21"], facts=["3个工作日"])
    result = score_item(replace(item, question="=HYPERLINK(\"http://x\")"), None, [], 1.0, load(), error="boom")
    row = csv_row("full", result)
    assert row["question"] == "'=HYPERLINK(\"http://x\")" and row["route"] == "error"


def test_compare_prints_deltas(tmp_path):
    a = {"overall": {"n": 10, "citations": {"primary_cited": 0.8, "n": 8},
                     "latency": {"all": {"p95_ms": 40.0}}, "faithfulness": {"fabricated_refs": 0},
                     "verdicts": {"accuracy": 0.9, "confusion": {"yes": {"yes": 1}}}}}
    b = {"overall": {"n": 10, "citations": {"primary_cited": 0.9, "n": 8},
                     "latency": {"all": {"p95_ms": 55.0}}, "faithfulness": {"fabricated_refs": 2},
                     "verdicts": {"accuracy": 0.9, "confusion": {"yes": {"no": 1}}}}}
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    out = subprocess.run([sys.executable, "-m", "eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = {line.split("|")[1].strip(): line for line in out.stdout.splitlines() if line.startswith("| overall")}
    assert "+0.1" in lines["overall.citations.primary_cited"] and "improved" in lines["overall.citations.primary_cited"]
    assert "+15" in lines["overall.latency.all.p95_ms"] and "REGRESSED" in lines["overall.latency.all.p95_ms"]
    assert "REGRESSED" in lines["overall.faithfulness.fabricated_refs"]
    assert "improved" not in lines["overall.verdicts.accuracy"] and "REGRESSED" not in lines["overall.n"]
    assert not any("confusion" in name for name in lines)
    assert "1 improved, 2 regressed, 3 unchanged" in out.stdout
    assert direction("overall.citations.n") == 0 and direction("memory.peak_rss_mb") == -1
    assert flatten({"x": {"y": 1, "confusion": {"z": 2}}, "gold": "f"}) == {"x.y": 1.0}
    assert [d.mark for d in compare({"m": 1.0}, {"k": 2.0})] == ["gone", "new"]


# --- the CI gate -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_run():
    """The whole gold set through the full assistant, once for every gate below: {threshold: value} and the
    failing items. The tests run on the shipped measures (conftest.py), which the gold set was written on."""
    bench = run_benchmark(DEFAULT, (FULL,), progress=False)
    values = {str(c.threshold): c.value for c in bench.checks}
    return values, bench.main.overall, [r.id for r in bench.main.items if r.failed][:15]


@pytest.mark.benchmark
@pytest.mark.parametrize("threshold", THRESHOLDS, ids=str)
def test_gold_set_meets_threshold(full_run, threshold):
    """Each target, on the whole gold set."""
    values, overall, failing = full_run
    value = values[str(threshold)]
    assert threshold.holds(value), (
        f"{threshold} fails: got {value}; errors {overall['errors']}, failed items {overall['failed_items']} "
        f"(first: {', '.join(failing)}); run `python -m eval run --report out/` for the report")


def test_handwritten_patterns_count_the_strings_they_are_built_from():
    """A pattern's bytes are its literals and the module strings it names, each string counted once."""
    from eval.handwritten import inventory, patterns_in

    source = 'import re\nWORDS = "ab|cd"\nA = re.compile(WORDS + r"ef")\nB = re.compile(WORDS, re.I)\nC = "prose"\n'
    assert patterns_in(source) == (2, 7)
    counted = {c.path: c for c in inventory(Path(__file__).resolve().parent.parent)}
    assert counted["assistant/query.py"].patterns > 0 and counted["corpus/data/lexicon.yaml"].bytes > 0


def test_a_chosen_measure_answers_and_searches_that_measure_only():
    """`eval run --measure KEY`: as an officer who chose one measure in the app; an unknown key is refused."""
    from eval.run import default_answer, default_search

    reply = default_answer("hebei")("辅助人员可以单独送达法律文书吗", "hybrid", True)
    assert reply.citations and {c.ref.measure for c in reply.citations} == {"hebei"}
    assert all(ref.startswith("hebei:") for ref in default_search("hebei")("岗前培训几天", "hybrid"))
    out = subprocess.run([sys.executable, "-m", "eval", "run", "--measure", "beijing"], capture_output=True, text=True)
    assert out.returncode == 2 and "unknown measure 'beijing'" in out.stderr and "Traceback" not in out.stderr


def test_a_question_set_that_cannot_be_read_is_said_in_one_line(tmp_path):
    bad = tmp_path / "set.jsonl"
    bad.write_text('{"id": "x1", "question": "辅助人员可以立案吗"}\n', encoding="utf-8")
    for gold in (str(bad), str(tmp_path / "missing.jsonl"), "bank:nobody"):
        out = subprocess.run([sys.executable, "-m", "eval", "run", "--gold", gold, "--no-progress"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2 and "cannot read the question set" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and not out.stdout
