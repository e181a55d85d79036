"""The compare topics (assistant/topics.yaml): every ref exists, every entry is complete in both languages."""
import pytest

from assistant.topics import load_topics, match_topics, parse_topics, topic
from corpus import load

TOPICS = load_topics()
REQUIRED_IDS = {"hiring", "disqualifications", "prohibited_work", "permitted_work", "training", "contracts",
                "certificates", "assessment", "discipline", "benefits", "validity"}


def test_the_brief_s_topics_are_all_there():
    assert REQUIRED_IDS <= {t.id for t in TOPICS}


@pytest.mark.parametrize("entry", TOPICS, ids=[t.id for t in TOPICS])
def test_every_ref_exists(entry):
    corpus = load()
    assert set(entry.refs) <= set(corpus.measures), entry.refs.keys()
    for measure, refs in entry.refs.items():
        for ref in refs:
            assert ref.measure == measure, f"{entry.id}: {ref} listed under {measure}"
            assert corpus.exists(ref), f"{entry.id}: {ref} is not in the corpus"


@pytest.mark.parametrize("entry", TOPICS, ids=[t.id for t in TOPICS])
def test_entry_is_complete_in_both_languages(entry):
    for lang in ("zh", "en"):
        assert entry.name[lang].strip()
        assert entry.summary[lang].strip() and "\n" not in entry.summary[lang]
        assert entry.triggers[lang], f"{entry.id}: no {lang} triggers"
    assert any(entry.refs.values()), f"{entry.id}: no refs at all"
    assert len(set(map(str, entry.all_refs()))) == len(entry.all_refs()), f"{entry.id}: a ref repeats"


def test_ids_are_unique_and_duplicates_are_rejected():
    assert len({t.id for t in TOPICS}) == len(TOPICS)
    text = "- {id: a, name: {zh: 甲, en: A}, triggers: {zh: [甲], en: [a]}, refs: {hebei: ['hebei:1']}, summary: {zh: 甲, en: A}}\n"
    with pytest.raises(ValueError, match="duplicate"):
        parse_topics(text * 2)


def test_a_bad_ref_is_rejected_when_parsing():
    with pytest.raises(ValueError):
        parse_topics("- {id: a, name: {zh: 甲, en: A}, triggers: {zh: [甲], en: [a]}, refs: {hebei: ['article nine']}, summary: {zh: 甲, en: A}}")


@pytest.mark.parametrize("text, expected", [
    ("岗前培训不少于几个工作日？", "training"),
    ("How long is induction training?", "training"),
    ("泰兴的辅助人员是劳务派遣吗", "contracts"),
    ("河北办法还有效吗", "validity"),
    ("有吸毒史的人能当协管员吗", "disqualifications"),
])
def test_triggers_point_at_the_topic(text, expected):
    assert match_topics(text)[0].id == expected


def test_unknown_topic_raises():
    with pytest.raises(KeyError):
        topic("astronomy")
    assert match_topics("今天天气怎么样") == []
