"""The lexicon and the per-article enrichment: validated against the corpus, entry by entry.

Every check iterates over the data files, so a new entry is checked without new code.
"""
import re
from collections import defaultdict

import pytest
import yaml

from corpus import Ref, load
from corpus.catalogue import data_dir
from corpus.lexicon import Enrichment, article_enrichment, derive_enrichment, english_words, load_enrichment, load_lexicon, stem

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words so common in questions that, alone, they would expand almost any query.
GENERIC_ENGLISH = {english_words(w)[0] for w in (
    "work job law rule can may must make get give take use need help ask question "
    "officer auxiliary agency people person time day year thing way right case".split()
)} - {"auxiliary"}  # "auxiliary" alone is the point of the first entry


@pytest.fixture(scope="module")
def corpus():
    return load()


@pytest.fixture(scope="module")
def raw_lexicon():
    return yaml.safe_load((data_dir() / "lexicon.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_enrichment():
    return yaml.safe_load((data_dir() / "enrichment.yaml").read_text(encoding="utf-8"))


def label(entry):
    return entry["terms"][0] if entry.get("terms") else repr(entry)


# ── The lexicon file ────────────────────────────────────────────────────────────────────────────

def test_lexicon_is_a_list_of_entries_with_known_keys(raw_lexicon):
    assert isinstance(raw_lexicon, list) and len(raw_lexicon) >= 250
    for entry in raw_lexicon:
        assert set(entry) <= {"terms", "zh", "en"}, label(entry)


def test_every_entry_has_terms_and_a_phrasing(raw_lexicon):
    empty = [label(e) for e in raw_lexicon if not e.get("terms") or not (e.get("zh") or e.get("en"))]
    assert not empty


def test_every_phrasing_is_a_non_empty_string(raw_lexicon):
    """YAML turns bare 12345, no or yes into numbers and booleans; they must be quoted."""
    bad = [(label(e), field, p) for e in raw_lexicon for field in ("terms", "zh", "en")
           for p in e.get(field) or () if not isinstance(p, str) or not p.strip()]
    assert not bad


def test_every_term_stands_verbatim_in_an_article(corpus, raw_lexicon):
    texts = [article.text for article in corpus.articles()]
    missing = [t for e in raw_lexicon for t in e["terms"] if not any(t in text for text in texts)]
    assert not missing, f"terms not found verbatim in any article: {missing}"


def test_chinese_phrasings_are_not_single_characters(raw_lexicon):
    short = [(label(e), p) for e in raw_lexicon for p in (e.get("zh") or ()) + e["terms"] if len(p) < 2]
    assert not short


def test_english_phrasings_are_one_to_four_content_words(raw_lexicon):
    bad = [(label(e), p) for e in raw_lexicon for p in e.get("en") or ()
           if not 1 <= len(english_words(p)) <= 4]
    assert not bad, "an English phrasing must keep 1-4 words once stop words are dropped"


def test_english_phrasings_are_not_generic_single_words(raw_lexicon):
    generic = [(label(e), p) for e in raw_lexicon for p in e.get("en") or ()
               if len(english_words(p)) == 1 and english_words(p)[0] in GENERIC_ENGLISH]
    assert not generic


def test_no_phrasing_maps_to_two_different_term_sets(raw_lexicon):
    """A Chinese phrasing (exactly) or an English one (as matched, i.e. stemmed without stop words) that
    several entries list must lead to the same terms in all of them; and a phrasing may not repeat a term
    of an entry with other terms. Two entries may share a term: that is a shared target, not a collision."""
    targets = defaultdict(set)
    for entry in raw_lexicon:
        terms = frozenset(entry["terms"])
        for p in entry.get("zh") or ():
            targets["zh", p].add(terms)
        for p in entry.get("en") or ():
            targets["en", english_words(p)].add(terms)
    for entry in raw_lexicon:
        for term in entry["terms"]:
            if ("zh", term) in targets:
                targets["zh", term].add(frozenset(entry["terms"]))
    collisions = {key: sorted(sorted(s) for s in sets) for key, sets in targets.items() if len(sets) > 1}
    assert not collisions


def test_load_lexicon_reads_every_entry(raw_lexicon):
    lexicon = load_lexicon()
    assert len(lexicon.entries) == len(raw_lexicon)
    assert all(entry.terms and (entry.zh or entry.en) for entry in lexicon.entries)


# ── What expansion does with questions ──────────────────────────────────────────────────────────

@pytest.mark.parametrize("question,expected", [
    ("can an auxiliary serve documents alone?", ["送达", "独立从事", "行政执法辅助人员"]),
    ("Can auxiliaries serve legal papers?", ["送达"]),
    ("协管员能贴封条吗", ["封存", "行政执法辅助人员"]),
    ("moonlighting", ["营利性活动"]),
    ("Is moonlighting as a delivery rider allowed?", ["营利性活动"]),
    ("协管员能兼职跑滴滴吗", ["营利性活动"]),
    ("Can the auxiliary tow my car?", ["实施行政强制措施"]),
    ("Is seizing a vendor's goods allowed for auxiliaries?", ["实施行政强制措施"]),
    ("暂扣三轮车", ["实施行政强制措施"]),
    ("协管员能录口供吗", ["调查取证"]),
    ("Can auxiliaries take statements from witnesses?", ["调查取证"]),
    ("Can auxiliaries issue fines?", ["行政处罚"]),
    ("协管员能开罚单吗", ["行政处罚", "作出行政执法决定"]),
    ("I want to quit", ["离职"]),
    ("辞职要交回制服吗", ["离职", "服装"]),
    ("Can I be fired for that?", ["解除劳动合同"]),
    ("Who pays the auxiliaries' salaries?", ["劳动报酬", "经费"]),
    ("有没有五险一金", ["社会保险"]),
    ("协管员执勤受伤算工伤吗", ["因工受伤"]),
    ("收红包会被开除吗", ["索贿受贿", "解除劳动合同"]),
    ("吃拿卡要", ["索贿受贿"]),
    ("有吸毒史能当协管员吗", ["吸毒史"]),
    ("Can someone with a criminal record become an auxiliary?", ["受过刑事处罚"]),
    ("What is the age limit?", ["年龄不超过三十五周岁"]),
    ("初中学历能报名吗", ["文化程度"]),
    ("协管员上岗要亮证吗", ["出示"]),
    ("Do I have to wear an armband?", ["臂章"]),
    ("How many days of pre-job training?", ["岗前培训"]),
    ("patrolling the streets", ["日常巡查"]),
    ("协管员打人怎么处理", ["辱骂殴打行政相对人"]),
    ("Can the agency recover the compensation from me?", ["追偿"]),
    ("劳务派遣", ["劳务派遣"]),
    ("Is the Taixing measure still valid?", ["有效期5年"]),
    ("what kinds of trainings do they get?", ["培训"]),
    ("how many aux can a Hebei bureau have?", ["配备数量", "行政执法辅助人员"]),
    ("Can an aux who was sacked for breaking agency rules be hired again?", ["曾因违反行政执法机关管理规定被解除劳动合同"]),
    ("How should an aux behave on the job?", ["忠于职守，听从指挥，仪表庄重，用语文明"]),
    ("Is a former drug user barred from the job?", ["不得招聘为行政执法辅助人员"]),
    ("Who is not allowed to become an auxiliary?", ["不得招聘为行政执法辅助人员"]),
    ("which tasks are auxiliaries never allowed to touch", ["不得从事下列工作"]),
    ("What must the bureau not ask auxiliaries to do?", ["使用行政执法辅助人员时不得有下列行为"]),
    ("do I need a certificate to start?", ["持证上岗"]),
    ("who decided the card design", ["由省法制办统一式样"]),
    ("if the agency violates the measure, then what?", ["责令行政执法机关限期改正"]),
])
def test_expand_adds_the_corpus_terms(question, expected):
    expanded = load_lexicon().expand(question)
    assert expanded.startswith(question)
    for term in expected:
        assert term in expanded, (question, term, expanded)


@pytest.mark.parametrize("question", [
    "What is the weather like today?",
    "今天天气怎么样",
    "Is it fine if I ask a question?",
    "Hello, how are you?",
])
def test_unrelated_questions_are_left_alone(question):
    assert load_lexicon().expand(question) == question


@pytest.mark.parametrize("typed,meant", [
    ("Can an auxilary serve documnets?", "Can an auxiliary serve documents?"),
    ("do they recieve training", "do they receive training"),
    # common English words are never taken for a domain word one edit away
    ("How do they treat auxiliaries?", "How do they treat auxiliaries?"),
    ("Can they seal the house?", "Can they seal the house?"),
])
def test_spelling_correction_fixes_typos_and_leaves_real_words(typed, meant):
    assert load_lexicon().correct(typed) == meant


@pytest.mark.parametrize("word,same_as", [("trainings", "training"), ("settings", "set"), ("aux", "auxiliary"),
                                          ("patrolling", "patrol"), ("serves", "serve")])
def test_stemmer_folds_forms_and_short_forms(word, same_as):
    assert stem(word) == stem(same_as)


def test_expand_does_not_repeat_what_the_question_already_says():
    expanded = load_lexicon().expand("送达是什么意思")
    assert expanded.count("送达") == expanded.count("送达相关法律文书") + 1


# ── The enrichment file ─────────────────────────────────────────────────────────────────────────

FIELDS = ("keywords_zh", "keywords_en", "questions_zh", "questions_en")


def test_every_enrichment_key_is_an_existing_article(corpus, raw_enrichment):
    for key in raw_enrichment:
        assert corpus.exists(key), key
        assert Ref.parse(key).item is None, f"{key}: enrichment is per article, not per item"
        assert str(Ref.parse(key)) == key, f"{key}: write references as measure:number"


def test_a_measure_with_enrichment_has_an_entry_for_every_article(corpus, raw_enrichment):
    """Enrichment is optional per measure; a measure that has it has it for every article."""
    enriched = {key.split(":")[0] for key in raw_enrichment}
    missing = [str(a.ref) for a in corpus.articles() if a.ref.measure in enriched and str(a.ref) not in raw_enrichment]
    assert not missing and enriched <= set(corpus.measures)


def test_enrichment_entries_are_complete(raw_enrichment):
    for key, entry in raw_enrichment.items():
        assert set(entry) == set(FIELDS), key
        for field in FIELDS:
            values = entry[field]
            assert values and all(isinstance(v, str) and v.strip() for v in values), (key, field)
        assert len(entry["questions_zh"]) >= 3, key
        assert len(entry["questions_en"]) >= 3, key


def test_enrichment_languages_are_not_mixed_up(raw_enrichment):
    for key, entry in raw_enrichment.items():
        for q in entry["questions_zh"]:
            assert CJK.search(q), (key, q)
        for field in ("questions_en", "keywords_en"):
            for q in entry[field]:
                assert not CJK.search(q), (key, q)


def test_each_question_belongs_to_one_article(raw_enrichment):
    owners = defaultdict(list)
    for key, entry in raw_enrichment.items():
        for q in entry["questions_zh"] + entry["questions_en"]:
            owners[q.strip().lower()].append(key)
    shared = {q: keys for q, keys in owners.items() if len(keys) > 1}
    assert not shared


def test_load_enrichment_returns_one_record_per_article(corpus, raw_enrichment):
    enrichment = load_enrichment()
    assert load_enrichment() is enrichment  # cached
    assert set(enrichment) == set(raw_enrichment)
    for key, record in enrichment.items():
        assert isinstance(record, Enrichment)
        for field in FIELDS:
            assert getattr(record, field) == tuple(raw_enrichment[key][field])
    assert "封存" in enrichment["taixing:9"].keywords_zh


def test_an_article_without_a_written_entry_gets_key_words_from_its_own_text(corpus):
    """Derived, not written (a measure added with `corpus add`): Chinese key words that stand in the article, and
    English ones from the lexicon entries whose terms it holds."""
    for article in corpus.articles():
        extra = derive_enrichment(article.text)
        assert extra.keywords_zh and all(w in article.text for w in extra.keywords_zh), article.ref
        assert all(not CJK.search(w) for w in extra.keywords_en), article.ref
    assert article_enrichment("taixing:99") is None


GENERIC_ENGLISH = {english_words(w)[0] for w in (
    "can cannot not may must should allow allowed forbid forbidden permitted ok will would could shall no yes "
    "need have what who which how when where why do does get make take let ban banned prohibit prohibited never "
    "always rule rules").split() if english_words(w)}


@pytest.mark.parametrize("entry", load_lexicon().entries, ids=lambda e: e.terms[0][:12])
def test_no_english_phrasing_is_only_modal_or_question_words(entry):
    """"must not" or "forbidden" would pull every duty question to one article; they say nothing of the topic."""
    for phrasing, run in zip(entry.en, entry.en_runs):
        assert not all(word in GENERIC_ENGLISH for word in run), phrasing
