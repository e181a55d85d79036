"""The gold Q&A set and the development set: schema, unique ids and questions across both, enums, references
that exist, verbatim key facts, and the gold set's mix."""
import json
import re
from pathlib import Path
from collections import Counter

import pytest

from corpus import Ref, load
from eval.gold import DEFAULT, DEV, LANGS, REQUIRED, TYPES, VERDICTS, GoldItem, load_gold, measure_values

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_REF = re.compile(rf"^({'|'.join(load().measures)}):\d{{1,3}}$")
DATE_OR_NUMBER = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d+(\.\d+)?)$")

FILES = (DEFAULT, DEV)
ROWS = [json.loads(line) for path in FILES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
ITEMS = [item for path in FILES for item in load_gold(path)]
GOLD = load_gold()


def ids(items):
    return [item.id for item in items]


@pytest.fixture(scope="module")
def corpus():
    return load()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_line_is_a_json_object(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"blank line {number}"
        assert isinstance(json.loads(line), dict), f"line {number} is not an object"


def test_loader_reads_every_line():
    assert len(ITEMS) == len(ROWS)
    assert all(isinstance(item, GoldItem) for item in ITEMS)


@pytest.mark.parametrize("row", ROWS, ids=[row.get("id", "?") for row in ROWS])
def test_required_fields_and_types(row):
    for name in REQUIRED:
        assert name in row, f"missing {name}"
    assert re.fullmatch(r"[qd]\d{3}", row["id"])  # q: gold, d: development
    assert isinstance(row["question"], str) and row["question"].strip()
    assert isinstance(row["rationale"], str) and row["rationale"].strip()
    assert isinstance(row["colloquial"], bool)
    for name in ("gold_refs", "acceptable_refs", "key_facts"):
        assert isinstance(row[name], list) and all(isinstance(x, str) and x for x in row[name]), name
    assert len(row["key_facts"]) <= 3


def test_ids_are_unique():
    counts = Counter(ids(ITEMS))
    assert not [i for i, n in counts.items() if n > 1]


def test_questions_are_unique_across_gold_and_development():
    counts = Counter(item.question for item in ITEMS)
    assert not [q for q, n in counts.items() if n > 1]


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_enums(item):
    assert item.lang in LANGS
    assert item.type in TYPES
    assert item.measure in measure_values()


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_verdict_exactly_on_duty_questions(item):
    if item.type == "yesno_duty":
        assert item.verdict in VERDICTS
    else:
        assert item.verdict is None


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_refs_exist_and_are_article_level(corpus, item):
    refs = item.gold_refs + item.acceptable_refs
    assert len(set(refs)) == len(refs), "a reference is listed twice"
    for ref in refs:
        assert ARTICLE_REF.match(ref), f"{ref} is not an article-level reference"
        assert Ref.parse(ref).item is None
        assert corpus.exists(ref), f"{ref} does not exist"


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_refs_and_key_facts_by_type(item):
    if item.type == "out_of_scope":
        assert item.key_facts == ()
    else:
        assert item.gold_refs, "an answerable item needs a gold reference"
        if item.verdict != "not_addressed":
            assert item.key_facts, "an answerable item needs a key fact"


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_measure_matches_refs(item):
    """A single-measure item cites that measure first."""
    if item.measure in load().measures and item.type != "out_of_scope":
        assert item.gold_refs[0].startswith(item.measure + ":")


@pytest.mark.parametrize("item", ITEMS, ids=ids(ITEMS))
def test_key_facts_are_verbatim(corpus, item):
    texts = [corpus.text(ref) for ref in item.gold_refs + item.acceptable_refs]
    for fact in item.key_facts:
        if DATE_OR_NUMBER.match(fact):
            continue
        assert any(fact in text for text in texts), f"{fact!r} is not in {item.gold_refs + item.acceptable_refs}"


def test_mix():
    total = len(GOLD)
    types = Counter(item.type for item in GOLD)
    english = sum(item.lang == "en" for item in GOLD)
    assert total >= 150
    assert 0.30 <= types["yesno_duty"] / total <= 0.50
    assert 0.20 <= english / total <= 0.40
    assert types["out_of_scope"] >= 15
    assert all(types[t] for t in TYPES), "every type is represented"
    verdicts = Counter(item.verdict for item in GOLD if item.type == "yesno_duty")
    assert all(verdicts[v] for v in VERDICTS), "every verdict is represented"
    assert sum(item.colloquial for item in GOLD) >= total // 4


def test_load_gold_rejects_a_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "q001"}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_gold(path)


PIPELINE_DATA = [*(ROOT / "corpus" / "data").glob("*.yaml"), *(ROOT / "assistant").glob("*.yaml")]


@pytest.mark.parametrize("path", PIPELINE_DATA, ids=lambda p: p.name)
def test_no_gold_or_development_question_is_in_the_pipeline_data(path):
    """The sets measure the system; a question copied into the lexicon, enrichment or rules would measure itself."""
    text = path.read_text(encoding="utf-8")
    assert not [item.id for item in ITEMS if item.question in text]


FRESH = sorted((ROOT / "eval/fresh").glob("*.jsonl"))


@pytest.mark.parametrize("path", FRESH, ids=lambda p: p.name)
def test_fresh_sets_load_and_cite_what_exists(path, corpus):
    """The fresh sets, written blind, in the same schema: every reference exists, every key fact is verbatim."""
    items = load_gold(path)
    assert items and len({i.id for i in items}) == len(items)
    for item in items:
        assert item.lang in LANGS and item.type in TYPES and item.measure in measure_values()
        for ref in item.gold_refs + item.acceptable_refs:
            assert corpus.exists(ref), (item.id, ref)
        texts = "".join(corpus.article(r).text for r in item.gold_refs + item.acceptable_refs)
        for fact in item.key_facts:
            assert DATE_OR_NUMBER.match(fact) or fact in texts, (item.id, fact)
