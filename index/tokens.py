"""Tokens for BM25: jieba's search-mode cut of Chinese, with the domain's terms in its dictionary, and
lightly stemmed English words (the lexicon's own stemmer, so query and index agree)."""
from __future__ import annotations

import hashlib
import marshal
import re
import struct
import tempfile
from functools import cache, lru_cache
from pathlib import Path

from corpus.caches import read_marshalled, write_cache
from corpus.lexicon import english_words, load_lexicon

# Terms jieba would otherwise split, beyond those the lexicon already names.
DOMAIN_TERMS = (
    "行政执法辅助人员", "行政执法人员", "行政执法机关", "劳务派遣", "劳务派遣单位", "劳动合同", "劳动关系",
    "行政强制措施", "行政强制执行", "行政执法决定", "调查取证", "现场核查", "涉案财物", "法律文书",
    "持证上岗", "岗前培训", "营利性活动", "失信联合惩戒", "强制隔离戒毒", "实质性权利义务", "行政相对人",
    "辅助行政执法证件", "行政执法辅助工作证件", "因工受伤", "烈士褒扬条例", "政府购买服务", "公开招聘",
)
# Function words of questions that say nothing about which article answers them.
STOP_ZH = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 嘛 是 在 和 与 或 及 也 都 就 还 又 请问 问 一下 我 我们 你 你们 他 他们 她 它 "
    "这 那 这个 那个 什么 怎么 怎样 如何 哪些 哪个 多少 几 是否 有没有 能不能 可不可以 会 要 吗？".split()
)
CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")


@cache
def _tokenizer():
    """jieba's tokenizer with the domain's terms in its dictionary. Its prefix dictionary (half a million words and
    prefixes) is read from a cache a first character at a time (_Prefixes): unmarshalling all of it took 0.3 s and
    80 MiB of every cold answer, which looks up the words of one question."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    terms = DOMAIN_TERMS + tuple(t for e in load_lexicon().entries for t in e.terms)
    key = hashlib.sha256("\0".join(terms).encode()).hexdigest()[:16]
    cache_file = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / f"jieba.prefixes.{jieba.__version__}.{key}.cache"
    try:
        tokenizer.FREQ, tokenizer.total = _Prefixes.read(cache_file)
        tokenizer.initialized = True
        return tokenizer
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        pass
    _load_prefix_dictionary(tokenizer)
    for term in terms:
        tokenizer.add_word(term, freq=TERM_FREQUENCY)
    _Prefixes.write(cache_file, tokenizer.FREQ, tokenizer.total)
    return tokenizer


TERM_FREQUENCY = 2000  # what a domain term weighs in jieba's dictionary


class _Prefixes:
    """jieba's prefix dictionary (a word or a word's prefix -> its frequency, 0 for a prefix only), for the lookups
    jieba makes (`in`, [], get, and []= when a word is added), loaded a first character at a time from a cache
    file: a header (the total and where each character's part lies), then each part marshalled."""

    def __init__(self, blob, base: int, spans: dict[str, tuple[int, int]]) -> None:
        self._blob, self._base, self._spans, self._parts = blob, base, spans, {}

    def _part(self, word: str) -> dict:
        first = word[:1]
        part = self._parts.get(first)
        if part is None:
            span = self._spans.get(first)
            part = {} if span is None else marshal.loads(self._blob[self._base + span[0]:self._base + span[1]])
            self._parts[first] = part
        return part

    def get(self, word: str, default=None):
        return self._part(word).get(word, default)

    def __contains__(self, word: str) -> bool:
        return word in self._part(word)

    def __getitem__(self, word: str) -> int:
        return self._part(word)[word]

    def __setitem__(self, word: str, frequency: int) -> None:
        self._part(word)[word] = frequency

    @classmethod
    def read(cls, path: Path) -> tuple[_Prefixes, int]:
        import mmap

        with open(path, "rb") as handle:
            blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        (length,) = struct.unpack_from("<Q", blob, 0)
        total, spans = marshal.loads(blob[8:8 + length])
        if 8 + length + max((end for _, end in spans.values()), default=0) != len(blob):
            raise ValueError(f"{path} is not whole")
        return cls(blob, 8 + length, spans), total

    @staticmethod
    def write(path: Path, frequencies: dict, total: int) -> None:
        parts: dict[str, dict] = {}
        for word, frequency in frequencies.items():
            parts.setdefault(word[:1], {})[word] = frequency
        blobs, spans, at = [], {}, 0
        for first, part in parts.items():
            blobs.append(marshal.dumps(part))
            spans[first] = (at, at + len(blobs[-1]))
            at += len(blobs[-1])
        header = marshal.dumps((total, spans))
        write_cache(path, struct.pack("<Q", len(header)) + header + b"".join(blobs))


def _load_prefix_dictionary(tokenizer) -> None:
    """jieba unmarshals its cached prefix dictionary from an open file, 1.5 s on this machine; read whole and
    unmarshalled from bytes, the same cache takes 0.35 s. Without a readable cache, jieba builds the
    dictionary and writes the cache as usual."""
    cached = read_marshalled(Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache")
    if cached is None:
        tokenizer.initialize()
    else:
        tokenizer.FREQ, tokenizer.total = cached
        tokenizer.initialized = True


@cache
def _places() -> frozenset[str]:
    """The words jieba's dictionary tags as place names (ns), read from the dictionary once and kept in a cache
    beside jieba's own (jieba's part-of-speech tagger takes most of a second to load for this one use)."""
    import jieba

    cache_file = Path(_tokenizer().tmp_dir or tempfile.gettempdir()) / f"jieba.places.{jieba.__version__}.cache"
    cached = read_marshalled(cache_file)
    if cached is not None:
        return frozenset(cached)
    with jieba.get_dict_file() as dictionary:
        places = [parts[0] for parts in (line.decode("utf-8").split() for line in dictionary)
                  if len(parts) == 3 and parts[2] == "ns"]
    write_cache(cache_file, marshal.dumps(places))
    return frozenset(places)


def places(text: str) -> list[str]:
    """The words of a text, as the tokenizer cuts it, that jieba's dictionary tags as place names."""
    known = _places()
    return [word for word in _tokenizer().cut(text) if word in known]


def tokens(text: str) -> list[str]:
    """BM25 tokens of a text, Chinese and English mixed (cut once per text: matching asks for the same words'
    tokens many times over)."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for piece in _tokenizer().cut_for_search(text):
        piece = piece.strip()
        if not piece or not CJK_OR_WORD.search(piece) or piece in STOP_ZH:
            continue
        if piece.isascii():
            out.extend(english_words(piece))
        else:
            out.append(piece)
    return tuple(out)


CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def tokens_and_bigrams(text: str) -> list[str]:
    """BM25 tokens plus the character bigrams of every Chinese run (marked "#"), so that a question's word
    matches the text's even where jieba cuts them differently: 持证 / 持证上岗, 收费 / 行政收费."""
    out = tokens(text)
    for run in CJK_RUN.findall(text):
        out.extend("#" + run[i:i + 2] for i in range(len(run) - 1))
    return out
