"""A question as features for the learned reading: hashed character n-grams (a Chinese question's words and
particles, 要不要, 一个人, 不得) and English word n-grams (don't have to, with an officer), beside its sentence
embedding. Hashing needs no vocabulary, so the same function serves training and answering, deterministically;
the columns a model can weigh are those its training questions used (`vocabulary`).
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

import numpy as np

from reading.rows import Rows

N_FEATURES = 2 ** 20  # per kind of n-gram: characters, then English words
WORD = re.compile(r"[a-z][a-z']+")


PLACEHOLDER = "本地"  # what a named corpus measure reads as: the reading learns "one of our measures", not which


def measure_names(keys=None, places: bool = False) -> re.Pattern | None:
    """The names a question may give the corpus' measures (title, short and English names, aliases), longest
    first: the reading never sees which measure is named (that is parsed from the catalogue), so a measure added
    as data reads like those it was trained on, and "虎林" is not taken for another place. With `places`, also the
    places inside each jurisdiction (石家庄 for a provincial measure), which answering reads as the measure they
    name; training masks the catalogue's names only, as the bank was written."""
    from corpus.catalogue import load
    from corpus.places import places as governed

    names = {n for key, m in load().measures.items() if keys is None or key in keys
             for n in (m.title, m.short_name, m.english_name, m.english_short_name, *m.aliases) if n}
    if places:
        names |= {n for n, key in governed().governed.items() if keys is None or key in keys}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n))), re.I) if names else None


def masked(text: str, names: re.Pattern | None) -> str:
    return names.sub(PLACEHOLDER, text) if names and text else text


def normal(text: str) -> str:
    """Lower case, one space between words, full-width letters and digits folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


@lru_cache(maxsize=4096)
def grams(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The hashed columns of a text's n-grams (characters 1–3, English words 1–2) and their L2-normalised counts
    (each kind normalised on its own), sorted by column."""
    t = normal(text)
    columns: dict[int, float] = {}
    chars = [t[i:i + n] for n in (1, 2, 3) for i in range(len(t) - n + 1)]
    words = WORD.findall(t)
    pieces = [(chars, 0), (words + [f"{a} {b}" for a, b in zip(words, words[1:])], N_FEATURES)]
    for found, offset in pieces:
        counts: dict[int, float] = {}
        for g in found:
            key = offset + zlib.crc32(g.encode("utf-8")) % N_FEATURES
            counts[key] = counts.get(key, 0.0) + 1.0
        norm = sum(v * v for v in counts.values()) ** 0.5 or 1.0
        for k, v in counts.items():
            columns[k] = v / norm
    keys = np.array(sorted(columns), np.int64)
    return keys, np.array([columns[k] for k in keys.tolist()], np.float32)


def hashed(texts: list[str]) -> Rows:
    """The texts' hashed n-grams, one row per text, over all 2·N_FEATURES columns."""
    return Rows.of([grams(t) for t in texts], 2 * N_FEATURES)


def vocabulary(texts: list[str], min_count: int = 2) -> np.ndarray:
    """The hashed columns at least `min_count` of the texts use: the ones a model fitted on them can weigh
    (an n-gram of one question only says who wrote it)."""
    counts = np.bincount(hashed(texts).indices, minlength=2 * N_FEATURES)
    return np.flatnonzero(counts >= min_count).astype(np.int64)


def sparse(texts: list[str], columns: np.ndarray) -> Rows:
    """The texts' hashed n-grams, kept to `columns` (the training vocabulary, sorted), in that order."""
    pieces = []
    for t in texts:
        keys, values = grams(t)
        position = np.searchsorted(columns, keys)
        kept = (position < len(columns)) & (columns[np.minimum(position, len(columns) - 1)] == keys)
        pieces.append((position[kept], values[kept]))
    return Rows.of(pieces, len(columns))


__all__ = ["N_FEATURES", "grams", "hashed", "normal", "sparse", "vocabulary"]
