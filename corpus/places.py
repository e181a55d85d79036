"""Which measure governs a place a question names, from China's administrative divisions.

A provincial measure governs every city and county of its province: an officer in 石家庄 asking "石家庄的协管能罚款吗"
asks about the Hebei measure, not about another place. cpca's table of division codes (2020) holds every
province, prefecture and county with a 12-digit code whose leading digits are its parents'. Each measure's
jurisdiction (measures.yaml) is found in it, and every division whose code lies inside it is governed by it.
Names come from the table: the full and short names of a prefecture or province (石家庄市, 石家庄, Shijiazhuang), a
county's when they have three characters or more (正定县; 任县 would be read in 担任县里); a name that a division
outside shares is left out (新华区 is in Hebei and in Henan). The provinces and prefectures outside every
jurisdiction are other places. The table is read with the standard library (cpca itself imports pandas) and the
result kept in a cache file.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import marshal
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corpus.caches import read_marshalled, write_cache
from corpus.catalogue import load
from corpus.names import name_pattern

SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$")
NOTE = re.compile(r"（.*?）|\(.*?\)")
DERIVATION = 8  # bump when _derive changes: a cache file of another derivation is derived again


@dataclass(frozen=True)
class Division:
    code: str  # 12 digits: province 2, prefecture 2, county 2, then zeros
    name: str

    @property
    def level(self) -> int:
        """1 province, 2 prefecture, 3 county."""
        return 1 if self.code[2:4] == "00" else 2 if self.code[4:6] == "00" else 3

    @property
    def prefix(self) -> str:
        return self.code[:2 * self.level]

    @property
    def short(self) -> str:
        return SUFFIX.sub("", self.name)

    @property
    def grouping(self) -> bool:
        """A row that groups divisions without being one: 市辖区, 县 (under 重庆), 省直辖县级行政区划."""
        return "辖" in self.name or not self.short


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@cache
def divisions() -> tuple[Division, ...]:
    """Every row of the table, read once per process."""
    with _table_path().open(encoding="utf-8") as f:
        return tuple(Division(row["adcode"], row["name"]) for row in csv.DictReader(f))


def jurisdiction_of(jurisdiction: str, table: tuple[Division, ...]) -> Division | None:
    """The division a measure's jurisdiction names ("泰兴市（江苏省泰州市代管）", "黑龙江省虎林市"): the longest division
    name it ends with (or its short name), and when several divisions share that name, the one whose parents the
    jurisdiction names."""
    name = NOTE.sub("", jurisdiction).strip()
    ending = [d for d in table if name.endswith(d.name)] or [d for d in table if d.short and d.short == name]
    longest = max((len(d.name) for d in ending), default=0)
    found = [d for d in ending if len(d.name) == longest]
    if len(found) > 1:
        by_code = {d.code: d for d in table}
        named = [d for d in found if all(p.name in jurisdiction or p.short in jurisdiction for p in
                                         (by_code.get(d.code[:n].ljust(12, "0")) for n in (2, 4)[:d.level - 1]) if p)]
        found = named or found
    return found[0] if len(found) == 1 else None


def english(short: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(short)).lower()


def _derive(jurisdictions: dict[str, str]) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    """(Chinese name -> measure, English name -> measure) for the divisions inside each measure's jurisdiction (a
    division inside two, a city's own measure beside its province's, goes to the narrower); and the Chinese and
    English names of the provinces and prefectures outside them all (other places)."""
    table = divisions()
    sharing: dict[str, list[str]] = {}  # a name (full or short) -> the codes of the divisions it names
    for d in table:
        for name in {d.name, d.short}:
            sharing.setdefault(name, []).append(d.code)
    zh, en = {}, {}
    found = ((key, jurisdiction_of(jurisdiction, table)) for key, jurisdiction in jurisdictions.items())
    owned = sorted(((key, own) for key, own in found if own is not None), key=lambda kd: kd[1].level)
    for key, own in owned:  # the narrower jurisdiction last, so that it keeps the places inside both
        inside = lambda name: all(c.startswith(own.prefix) and c != own.code for c in sharing[name])  # noqa: E731
        for d in table:
            if d.code == own.code or not d.code.startswith(own.prefix) or d.grouping:
                continue
            for name in dict.fromkeys((d.name, d.short)):  # 任县 would be read in 担任县里的协管
                if inside(name) and (d.level < 3 or len(name) >= 3):
                    zh[name] = key
            if inside(d.short) and d.level < 3:
                en[english(d.short)] = key
    other_zh, other_en = [], []
    for d in table:
        if d.level == 3 or d.grouping or any(d.code.startswith(o.prefix) for _, o in owned):
            continue
        # a province's short name (河南), a prefecture's when it keeps three characters (哈尔滨): 大同, 日照 and 中山
        # are words too; the large two-character cities are listed in scope.yaml
        other_zh += [d.name] + ([d.short] if d.level == 1 or len(d.short) >= 3 else [])
        roman = english(d.short)
        if len(roman) >= 5:  # ali, jian, xian, luan: names and words too
            other_en.append(roman)
    return zh, en, sorted(set(other_zh)), sorted(set(other_en))


def summary(jurisdiction: str) -> str:
    """What `corpus add` says of a new measure's jurisdiction: the division it names, and the places inside it
    that a question may name."""
    table = divisions()
    own = jurisdiction_of(jurisdiction, table)
    if own is None:
        return (f"jurisdiction: {jurisdiction} is not in the table of China's divisions (cpca): no city or county "
                "inside it is read as this measure")
    zh = _derive({"new": jurisdiction})[0]
    inside = [d.name for d in sorted(table, key=lambda d: (d.level, d.code)) if d.name in zh]  # prefectures first
    shown = f"{len(inside)} (" + "、".join(inside[:5]) + ("…" if len(inside) > 5 else "") + ")" if inside else "none"
    return f"jurisdiction: {own.name} ({own.code[:6]}); places inside it read as this measure: {shown}"


@dataclass(frozen=True)
class Places:
    """The places inside the measures' jurisdictions, each with the measure that governs it, and the places
    outside them."""

    governed: dict[str, str]
    pattern: re.Pattern | None
    elsewhere: tuple[tuple[str, ...], tuple[str, ...]]  # Chinese and English names of provinces and prefectures
    # outside every jurisdiction: other places

    def governing(self, text: str) -> tuple[str, str] | None:
        """(the place, the measure governing it) for the first governed place a text names."""
        found = self.pattern.search(text) if self.pattern else None
        return (found.group(0), self.governed[found.group(0).lower()]) if found else None


@cache
def places() -> Places:
    """The corpus' governed and other places, derived once per catalogue and table and kept in a cache file."""
    jurisdictions = {key: m.jurisdiction for key, m in load().measures.items()}
    stat = _table_path().stat()
    stamp = marshal.dumps((DERIVATION, sorted(jurisdictions.items()), stat.st_size, stat.st_mtime_ns))
    name = hashlib.sha256(stamp).hexdigest()[:16]
    cache_file = Path(tempfile.gettempdir()) / f"fagui-places-{name}.cache"
    cached = read_marshalled(cache_file)
    if cached is None:
        cached = _derive(jurisdictions)
        write_cache(cache_file, marshal.dumps(cached))
    zh, en, other_zh, other_en = cached
    return Places({**zh, **en}, name_pattern([*zh, *en]), (tuple(other_zh), tuple(other_en)))


__all__ = ["NOTE", "SUFFIX", "Division", "Places", "divisions", "jurisdiction_of", "places", "summary"]
