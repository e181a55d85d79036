"""The BM25 tokenizer's prefix dictionary read a first character at a time (index.tokens._Prefixes) cuts exactly as
jieba's whole dictionary with the domain's terms added does."""
import jieba

from eval.gold import load_gold
from index import tokens as tokens_module


def test_the_dictionary_read_by_parts_cuts_as_the_whole_one(tmp_path):
    whole = jieba.Tokenizer()
    tokens_module._load_prefix_dictionary(whole)
    terms = tokens_module.DOMAIN_TERMS + tuple(t for e in tokens_module.load_lexicon().entries for t in e.terms)
    for term in terms:
        whole.add_word(term, freq=tokens_module.TERM_FREQUENCY)
    tokens_module._Prefixes.write(tmp_path / "parts.cache", whole.FREQ, whole.total)
    parts = jieba.Tokenizer()
    parts.FREQ, parts.total = tokens_module._Prefixes.read(tmp_path / "parts.cache")
    parts.initialized = True
    assert parts.total == whole.total
    for question in [g.question for g in load_gold()] + ["", "ＦＵＬＬ 全角 mixed 中英文 123", "鞋管员可已单独送达吗"]:
        assert list(parts.cut_for_search(question)) == list(whole.cut_for_search(question)), question
        assert list(parts.cut(question)) == list(whole.cut(question)), question


def test_an_unreadable_cache_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setattr(tokens_module.tempfile, "gettempdir", lambda: str(tmp_path))
    tokens_module._tokenizer.cache_clear()
    try:
        first = list(tokens_module._tokenizer().cut_for_search("辅助人员可以单独送达法律文书吗"))
        (cache,) = tmp_path.glob("jieba.prefixes.*.cache")
        cache.write_bytes(cache.read_bytes()[:-100])  # cut short: its parts' spans reach past its end
        tokens_module._tokenizer.cache_clear()
        assert list(tokens_module._tokenizer().cut_for_search("辅助人员可以单独送达法律文书吗")) == first
        assert cache.stat().st_size > 1000  # written again
    finally:
        tokens_module._tokenizer.cache_clear()
