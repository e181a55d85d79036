"""A third measure added as data, end to end, as a trainer in another city would: `python -m corpus add` of the
fixture tests/data/hulin.txt (half-width items, sub-items, sections, ASCII punctuation, no fixed term, sanction
articles that cite others) into a temporary copy of the corpus, then `python -m index build`, questions through
`python -m assistant ask` and `batch` in Chinese and English, and the app serving it. Nothing hand-written about
the measure exists beyond its text and metadata: its verdicts come from the provision model.
"""
from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app_server import start_app, stop_app
from corpus.catalogue import data_dir

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests/data/hulin.txt"
REVIEWED = ROOT / "tests/data/hulin_provisions_expected.jsonl"
METADATA = {
    "--key": "hulin", "--title": "虎林市行政执法辅助人员管理办法", "--short-name": "虎林办法",
    "--jurisdiction": "黑龙江省虎林市", "--issuer": "虎林市人民政府办公室", "--level": "county-level city",
    "--issued": "2024-03-01", "--in-force": "2024-03-01", "--aliases": "虎林,虎林市,Hulin",
    "--english-name": "Hulin City Measures for the Administration of Administrative Law-Enforcement Auxiliary Personnel",
    "--english-short-name": "the Hulin measure",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A copy of the corpus with the fixture added, its own index, and a runner for the project's CLIs in it."""
    root = tmp_path_factory.mktemp("third-measure")
    corpus = root / "corpus"
    shutil.copytree(data_dir(), corpus)
    env = dict(os.environ, FAGUI_CORPUS_DIR=str(corpus), FAGUI_INDEX_DIR=str(root / "index"))

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, input=stdin, capture_output=True,
                              text=True, timeout=900)

    added = run("corpus", "add", str(FIXTURE), *[part for pair in METADATA.items() for part in pair])
    assert added.returncode == 0, added.stderr
    built = run("index", "build")
    assert built.returncode == 0, built.stderr
    run.build_log = built.stderr
    return run, env, added.stdout, corpus


def ask(run, question: str) -> dict:
    done = run("assistant", "ask", question, "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def hulin_text(corpus: Path) -> str:
    return (corpus / "texts" / "hulin.txt").read_text(encoding="utf-8")


def assert_grounded(reply: dict, corpus: Path) -> None:
    """Every citation quotes the measure verbatim (whitespace aside); hulin citations from the fixture text."""
    text = "".join(hulin_text(corpus).split())
    for c in reply["citations"]:
        if c["measure"] == "hulin":
            assert "".join(c["quote"].split()) in text, c


def test_add_shows_the_parse_and_writes_text_and_entry(world):
    run, _, shown, corpus = world
    assert "26 articles" in shown and "sub-items" in shown and "第一节 聘用条件" in shown
    assert "no fixed term" in shown
    assert "jurisdiction: 虎林市 (230381); places inside it read as this measure: none" in shown
    assert hulin_text(corpus) == FIXTURE.read_text(encoding="utf-8")
    stats = json.loads(run("corpus", "stats", "--json").stdout)
    assert stats["hulin"] == 26 and len(stats) == 3
    lint = run("corpus", "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_the_index_build_embeds_only_the_new_measures_texts(world):
    """The shipped measures' texts were embedded by the project's own index: adding a measure embeds its own."""
    run, *_ = world
    counts = re.search(r"\((\d+) texts, (\d+) of them not embedded before\)", run.build_log)
    assert counts, run.build_log
    total, new = map(int, counts.groups())
    assert 0 < new < total / 2, (total, new)


def test_adding_it_twice_is_refused_in_one_line(world):
    run, *_ = world
    again = run("corpus", "add", str(FIXTURE), *[part for pair in METADATA.items() for part in pair])
    assert again.returncode == 2 and "already a measure" in again.stderr and "Traceback" not in again.stderr


def test_its_provisions_are_derived_as_reviewed(world):
    run, *_ = world
    rows = json.loads(run("corpus", "provisions", "--measure", "hulin", "--json").stdout)
    keys = ("ref", "kind", "subject", "modality", "catch_all", "exceptions", "refers_to", "sanctioned_by", "thresholds")
    reviewed = [json.loads(line) for line in REVIEWED.read_text(encoding="utf-8").splitlines()]
    assert [{k: row[k] for k in keys} for row in rows] == reviewed


def test_item_and_sub_item_references(world):
    run, *_ = world
    item = run("corpus", "show", "hulin:9(5)2")
    assert item.returncode == 0 and "档案整理" in item.stdout
    assert "档案整理" in run("corpus", "show", "虎林第九条").stdout


@pytest.mark.parametrize("question,verdict,ref", [
    ("虎林的辅助人员可以单独驾驶执法车辆吗？", "yes", "hulin:9(4)"),
    ("虎林的协管能自己去送达文书吗？", "conditional", "hulin:10(3)"),
    ("虎林的辅助人员能收缴罚没款吗？", "no", "hulin:11(4)"),
    ("In Hulin, may an auxiliary impose coercive measures?", "no", "hulin:11(2)"),
    ("虎林45岁还能应聘辅助人员吗？", "no", "hulin:5(2)"),
    ("虎林的单位能安排辅助人员单独执法吗？", "no", "hulin:18(2)"),
])
def test_verdicts_come_from_its_own_text(world, question, verdict, ref):
    run, _, _, corpus = world
    reply = ask(run, question)
    # it leans to its own text's verdict, and never commits to another (the calibration was fitted on the measures
    # the bank is about; a measure added as data may be answered "需要核实" with its provision and leaning)
    assert reply["leaning"] == verdict and reply["verdict"] in (None, verdict), reply["answer"]
    assert ref in {c["ref"] for c in reply["citations"]}, reply["citations"]
    assert {c["measure"] for c in reply["citations"]} == {"hulin"}
    assert_grounded(reply, corpus)


def test_no_fixed_term_is_stated_as_such(world):
    run, *_ = world
    reply = ask(run, "虎林办法什么时候到期？")
    assert "未规定有效期" in reply["answer"] or "没有规定有效期" in reply["answer"], reply["answer"]
    english = ask(run, "Is the Hulin measure still in force?")
    assert "no fixed term" in english["answer"], english["answer"]


def test_a_measure_whose_text_states_no_term_is_answered_from_its_metadata(tmp_path):
    """Without the article that says when it takes effect, a measure is in force from the date its metadata
    gives, and the answer says that the text states no term (it was declined: an answer that quoted nothing)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(data_dir(), corpus)
    excerpt = tmp_path / "hulin.txt"
    excerpt.write_text("".join(line for line in FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("第二十六条")), encoding="utf-8")
    env = dict(os.environ, FAGUI_CORPUS_DIR=str(corpus), FAGUI_INDEX_DIR=str(tmp_path / "index"))
    added = subprocess.run([sys.executable, "-m", "corpus", "add", str(excerpt),
                            *[part for pair in METADATA.items() for part in pair]],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert added.returncode == 0 and "no article states when the measure takes effect" in added.stdout, added.stderr
    script = ("import json, sys; from assistant import answer; "
              "print(json.dumps([answer(q).to_json() for q in sys.argv[1:]], ensure_ascii=False))")
    done = subprocess.run([sys.executable, "-c", script, "虎林办法现在还有效吗？", "Is the Hulin measure still in force?"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    zh, en = json.loads(done.stdout)
    assert not zh["declined"] and "虎林办法有效" in zh["answer"] and "自2024-03-01起施行" in zh["answer"], zh["answer"]
    assert "条文本身没有规定期限" in zh["answer"], zh["answer"]
    assert not en["declined"] and "is in force" in en["answer"] and "2024-03-01" in en["answer"], en["answer"]
    assert "its text states no term" in en["answer"], en["answer"]


def test_three_places_are_compared(world):
    run, _, _, corpus = world
    reply = ask(run, "三个地方对辅助人员的年龄要求有什么不同？")
    assert {c["measure"] for c in reply["citations"]} == {"hebei", "taixing", "hulin"}, reply["citations"]
    assert "三部办法" in reply["answer"] or "虎林办法" in reply["answer"]
    assert_grounded(reply, corpus)


def test_a_follow_up_names_it(world):
    run, *_ = world
    done = run("assistant", "chat", stdin="泰兴的辅助人员能单独调查取证吗？\n那虎林呢？\n/quit\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    second = done.stdout.split("\n\n", 1)[1] if "\n\n" in done.stdout else done.stdout
    assert "虎林办法第十一条第(三)项" in done.stdout or "虎林办法第十一条第（三）项" in done.stdout, done.stdout
    assert "虎林" in second


def test_batch_answers_it_and_goes_on(world):
    run, *_ = world
    lines = "\n".join(json.dumps({"id": i, "question": q}, ensure_ascii=False) for i, q in enumerate([
        "虎林的辅助人员可以殴打辱骂当事人吗？", "In Hulin, what training must auxiliaries get before starting?"]))
    done = run("assistant", "batch", stdin=lines + "\nnot json\n")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and len(rows) == 3
    assert rows[0]["leaning"] == "no" and any(c["ref"] == "hulin:12(3)" for c in rows[0]["citations"])
    assert rows[0]["verdict"] in (None, "no") and 0 <= rows[0]["confidence"] <= 1
    assert any(c["ref"] == "hulin:14" for c in rows[1]["citations"]), rows[1]
    assert "error" in rows[2]


def test_the_app_offers_it(world):
    _, env, _, _ = world
    process, url, _ = start_app([], "app-third-measure.log", env={k: env[k] for k in ("FAGUI_CORPUS_DIR", "FAGUI_INDEX_DIR")})
    try:
        from gradio_client import Client

        client = Client(url, verbose=False)
        reply = client.predict("虎林的辅助人员可以单独驾驶执法车辆吗？", "hulin", api_name="/ask")
        assert reply["leaning"] == "yes" and reply["verdict"] in (None, "yes"), reply
        assert {c["measure"] for c in reply["citations"]} == {"hulin"}
        with __import__("urllib.request").request.urlopen(url + "config", timeout=10) as response:
            config = response.read().decode("utf-8")
        assert "虎林" in config  # the measure choices, the banner and the compare options name it
    finally:
        stop_app(process)
