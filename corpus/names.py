"""The names a question may give each measure of the corpus, from its catalogue entry (no measure is named in
code): which measures a text names."""
from __future__ import annotations

import re
from functools import cache

from corpus.catalogue import load


@cache
def measure_names() -> tuple[tuple[str, re.Pattern], ...]:
    """Per measure, a pattern of the names a question may use: its key, title, short and English names, its
    place and the aliases in measures.yaml."""
    out = []
    for key, m in load().measures.items():
        names = {key, m.title, m.short_name, m.english_short_name.removeprefix("the "), *m.aliases}
        names |= {m.short_name.removesuffix("办法")} if len(m.short_name) > 3 else set()
        out.append((key, name_pattern(names)))
    return tuple(out)


def name_pattern(names) -> re.Pattern | None:
    """One pattern for a set of names, the longest tried first (江苏省 before 江苏), case ignored; a name without
    Chinese (Hebei, xi'an) only as a whole word. None for no names."""
    ordered = sorted(set(filter(None, names)), key=lambda n: (-len(n), n))
    alternatives = [re.escape(n) if re.search(r"[\u4e00-\u9fff]", n) else rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])"
                    for n in ordered]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def named_measures(text: str) -> tuple[str, ...]:
    return tuple(key for key, pattern in measure_names() if pattern.search(text))
