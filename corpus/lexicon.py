"""The bilingual domain lexicon: English and colloquial Chinese phrasings mapped to the corpus' own terms.

Both the retrievers (query expansion) and the rules classifier (normalising a question before matching
triggers) use it, so it lives here, once, as data in data/lexicon.yaml. Each entry is

    - terms: [送达法律文书]                 # words that stand in the articles
      zh: [送文书, 递文书, 送达通知书]        # how people say it in Chinese
      en: [serve documents, deliver papers]  # how people say it in English

A phrasing matches a question when it occurs in it: Chinese as a substring, English as a run of
stemmed words with stop words ignored (so "serving the documents" matches "serve documents").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from corpus.caches import read_marshalled, write_cache
from corpus.catalogue import data_dir
from corpus.yaml_data import parse_yaml

WORD = re.compile(r"[a-z0-9]+")
ASCII_WORD = re.compile(r"[A-Za-z]+")
CONTRACTIONS = ((re.compile(r"\bcan['’]t\b"), "can not"), (re.compile(r"\bwon['’]t\b"), "will not"),
                (re.compile(r"n['’]t\b"), " not"), (re.compile(r"['’](s|re|ve|ll|d|m)\b"), ""))
STOP_WORDS = frozenset(
    "a an the to of for in on at by with from my our your his her their its this that these those "
    "is are am be been being do does did i we you he she they it me us them".split()
)
IRREGULAR = {"paid": "pay", "took": "take", "taken": "take", "gave": "give", "given": "give", "got": "get",
             "went": "go", "gone": "go", "made": "make", "sent": "send", "kept": "keep", "left": "leave",
             "hurt": "hurt", "fought": "fight", "caught": "catch", "seized": "seize", "died": "die",
             "dead": "die", "men": "man", "women": "woman", "children": "child"}
SHORT_FORMS = {"aux": "auxiliary", "auxes": "auxiliary", "govt": "government", "gov": "government",
               "dept": "department", "regs": "regulation", "reg": "regulation"}  # how officers abbreviate
COMMON_ZIPF = 3.0  # about once per million words; typos such as "auxilary" (1.2) or "recieve" (2.8) fall below
MAX_GAP = 1  # words allowed between two words of an English phrasing ("serve legal documents")
FUNCTION_CHARS = re.compile(r"[要得会都就也还的了着过去来把被给让吗呢吧啊呀]")  # left out for a second look


def stem(word: str) -> str:
    """A deliberately light English stemmer: enough to fold serve/serves/serving/served (and trainings,
    aux) together."""
    word = SHORT_FORMS.get(word, IRREGULAR.get(word, word))
    for suffix, keep in (("ies", "y"), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            if suffix in ("ings", "ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "sz":
                word = word[:-1]  # quitting -> quit, patrolled -> patrol
            break
    if word.endswith("ll") and len(word) > 3:
        word = word[:-1]  # so that fill and filled (-> fil) agree
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def plural(word: str) -> str:
    """A noun's regular plural (a verb's third person): what the corrector should know beside the lexicon's base
    forms, so "documnets" is read as "documents"."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def english_words(text: str) -> tuple[str, ...]:
    """Lower-cased, stemmed English words of a text, stop words dropped, contractions opened."""
    text = text.lower()
    for pattern, replacement in CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return tuple(stem(w) for w in WORD.findall(text) if w not in STOP_WORDS)


def contains_run(words: tuple[str, ...], run: tuple[str, ...], max_gap: int = MAX_GAP) -> bool:
    """Do the run's words occur in order, with at most max_gap other words between neighbours?"""
    if not run:
        return False
    for start, word in enumerate(words):
        if word != run[0]:
            continue
        position, ok = start, True
        for wanted in run[1:]:
            window = words[position + 1 : position + 2 + max_gap]
            if wanted not in window:
                ok = False
                break
            position += 1 + window.index(wanted)
        if ok:
            return True
    return False


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]
    zh: tuple[str, ...]
    en: tuple[str, ...]
    en_runs: tuple[tuple[str, ...], ...] = ()  # the English phrasings as stemmed word runs, made once at load


@dataclass(frozen=True, eq=False)  # identity hash: the per-text cache below must not hash every entry
class Lexicon:
    entries: tuple[Entry, ...]
    vocabulary: frozenset[str] = frozenset()  # English words (and their stems) of the lexicon and enrichment
    # Made once at load, so that matching looks up what a question contains instead of trying every phrasing:
    by_phrase: dict[str, tuple[int, ...]] = field(init=False, repr=False)  # Chinese phrasing or term -> entries
    by_head: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(init=False, repr=False)  # first word
    longest: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_phrase: dict[str, list[int]] = {}
        by_head: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for position, entry in enumerate(self.entries):
            for phrase in dict.fromkeys(entry.zh + entry.terms):
                by_phrase.setdefault(phrase, []).append(position)
            for run in entry.en_runs:
                if run:
                    by_head.setdefault(run[0], []).append((position, run))
        object.__setattr__(self, "by_phrase", {p: tuple(ids) for p, ids in by_phrase.items()})
        object.__setattr__(self, "by_head", {w: tuple(runs) for w, runs in by_head.items()})
        object.__setattr__(self, "longest", max(map(len, by_phrase), default=0))

    def find(self, text: str) -> tuple[Entry, ...]:
        """The entries one of whose phrasings occurs in the text, in lexicon order: Chinese phrasings and
        terms as substrings of the text, or of the text without its one-character function words ("一年要培训"
        holds "一年培训"); English ones as runs of stemmed words (the text as given; see `matches`)."""
        found: set[int] = set()
        for variant in dict.fromkeys((text, FUNCTION_CHARS.sub("", text))):
            for start in range(len(variant)):
                for end in range(start + 1, min(len(variant), start + self.longest) + 1):
                    found.update(self.by_phrase.get(variant[start:end], ()))
        words = english_words(text)
        for word in set(words):
            found.update(p for p, run in self.by_head.get(word, ()) if p not in found and contains_run(words, run))
        return tuple(self.entries[p] for p in sorted(found))

    def correct(self, text: str) -> str:
        """English words the domain vocabulary does not know, replaced by the closest one it does
        ("documnets" -> "documents", "auxilary" -> "auxiliary"). Chinese is left as it is."""
        return ASCII_WORD.sub(lambda m: self._closest(m.group(0).lower()) or m.group(0), text)

    def _closest(self, word: str) -> str | None:
        if len(word) < 5 or word in self.vocabulary or stem(word) in self.vocabulary:
            return None
        match = _close_match(word, self.vocabulary)
        return None if match is None or is_common_english(word) else match

    def matches(self, text: str) -> list[Entry]:
        """The entries one of whose phrasings occurs in the text (after spelling correction). One answer asks
        this of the same question several times (search, grounding, each quoted article), so it is cached."""
        return list(_matching_entries(self, text))

    def corpus_terms(self, text: str) -> list[str]:
        """The corpus' own terms for what the text says, in lexicon order, without repeats."""
        seen: dict[str, None] = {}
        for entry in self.matches(text):
            seen.update(dict.fromkeys(entry.terms))
        return list(seen)

    def expand(self, text: str) -> str:
        """The text, spelling corrected, followed by the corpus terms it maps to: what the retrievers see."""
        text = self.correct(text)
        terms = [t for t in self.corpus_terms(text) if t not in text]
        return text if not terms else text + " " + " ".join(terms)


@lru_cache(maxsize=1024)
def _matching_entries(lexicon: Lexicon, text: str) -> tuple[Entry, ...]:
    return lexicon.find(lexicon.correct(text))


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    inserts = [a + c + b for a, b in splits for c in LETTERS]
    return set(deletes + transposes + replaces + inserts)


@lru_cache(maxsize=4096)
def _close_match(word: str, vocabulary: frozenset[str]) -> str | None:
    """The vocabulary word one edit away (a typo), if exactly one reading is plausible. Words two edits
    away are left alone: at that distance real words ("weather") would be taken for others ("whether")."""
    found = sorted(_edits1(word) & vocabulary)
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def is_common_english(word: str) -> bool:
    """A word English speakers use often ("treat") is no typo of a domain word one edit away ("threat"), by
    wordfreq's Zipf frequency. A plain word is looked up in the set of common ones (_common_english); anything
    else asks wordfreq itself."""
    if word.isascii() and word.isalpha():
        return word.lower() in _common_english()
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF


@cache
def _common_english() -> frozenset[str]:
    """The words of wordfreq's English list at COMMON_ZIPF or above, read from the list once and kept in a cache
    file keyed by the list's size and date (importing wordfreq and loading its list takes a third of a second,
    which the first English question of every process paid)."""
    import importlib.util
    import marshal
    import math
    import tempfile

    data = Path(importlib.util.find_spec("wordfreq").origin).parent / "data" / "large_en.msgpack.gz"
    stat = data.stat()
    cache_file = Path(tempfile.gettempdir()) / f"fagui-common-english-{COMMON_ZIPF}-{stat.st_size}-{stat.st_mtime_ns}.cache"
    cached = read_marshalled(cache_file)
    if cached is not None:
        return frozenset(cached)
    from wordfreq import get_frequency_dict

    common = sorted(w for w, f in get_frequency_dict("en").items() if round(math.log10(f) + 9, 2) >= COMMON_ZIPF)
    write_cache(cache_file, marshal.dumps(common))
    return frozenset(common)


def parse_entries(data: list[dict]) -> tuple[Entry, ...]:
    entries = []
    for e in data:
        en = tuple(e.get("en") or ())
        entries.append(Entry(tuple(e["terms"]), tuple(e.get("zh") or ()), en, tuple(english_words(p) for p in en)))
    return tuple(entries)


@cache
def load_lexicon() -> Lexicon:
    path = data_dir() / "lexicon.yaml"
    data = (parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None) or []
    entries = parse_entries(data)
    english = [p for e in entries for p in e.en] + [
        t for extra in load_enrichment().values() for t in extra.keywords_en + extra.questions_en]
    surface = {w for text in english for w in ASCII_WORD.findall(text.lower()) if len(w) >= 3}
    vocabulary = frozenset(surface | {plural(w) for w in surface} | {stem(w) for w in surface})
    return Lexicon(entries, vocabulary)


@dataclass(frozen=True)
class Enrichment:
    """Doc2query text for one article, which article search indexes beside its text: its key words, and questions
    it answers, in both languages; written by hand (data/enrichment.yaml) or derived from its text."""

    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    questions_zh: tuple[str, ...] = ()
    questions_en: tuple[str, ...] = ()


@cache
def load_enrichment() -> dict[str, Enrichment]:
    """Per-article enrichment from data/enrichment.yaml, keyed by article reference ("taixing:9"): what article
    search (Browse, the closest articles of a decline, a topic's articles) finds an article by. The learned reading
    ranks provisions and does not read it."""
    path = data_dir() / "enrichment.yaml"
    data = (parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}
    fields = ("keywords_zh", "keywords_en", "questions_zh", "questions_en")
    return {
        str(ref): Enrichment(*(tuple(entry.get(field) or ()) for field in fields))
        for ref, entry in data.items()
    }


KEYWORDS = 12  # how many key words are derived from an article's text
EN_PER_ENTRY = 2  # English phrasings taken from each lexicon entry whose terms the article holds


@cache
def article_enrichment(ref: str) -> Enrichment | None:
    """An article's enrichment: the hand-written entry when there is one; otherwise key words derived from its
    text (jieba's TF-IDF key words, and the English phrasings of the lexicon entries whose terms it holds), so
    that a measure added without hand-written data is still found by the words officers use."""
    written = load_enrichment().get(ref)
    if written is not None:
        return written
    from corpus.catalogue import load

    corpus = load()
    if not corpus.exists(ref):
        return None
    return derive_enrichment(corpus.article(ref).text)


def derive_enrichment(text: str) -> Enrichment:
    import jieba.analyse

    zh = tuple(w for w in jieba.analyse.extract_tags(text, topK=KEYWORDS * 2) if len(w) > 1 and not w.isdigit())
    en = tuple(p for entry in load_lexicon().entries if any(t in text for t in entry.terms)
               for p in entry.en[:EN_PER_ENTRY])
    return Enrichment(zh[:KEYWORDS], tuple(dict.fromkeys(en)))
