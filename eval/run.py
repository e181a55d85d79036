"""Running the gold set through the assistant, one configuration at a time.

Each item gets a fresh `Session` and is asked exactly as written: the gold `measure` field is NOT passed to
`answer()`, because the questions name their measure in the text (or deliberately name none), and an
officer typing into the app does not pick a measure first. Retrieval metrics likewise search both measures
(`article_index().search(question, k=10, mode=...)`, no measure filter), so they measure what the system
itself has to do before it knows the measure. `--measure KEY` runs it as an officer who chose one measure in the
app (a city that added its own beside the shipped ones): every answer and search is for that measure. (eval/retrieval.py, by contrast, filters by the measure the
question names.)

The index and the provision table are warmed once before timing starts, so latencies are warm per-question times.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from eval.gold import DEFAULT, GoldItem, load_gold
from eval.metrics import article_of
from eval.scoring import ItemResult, score_item, slices
from eval.thresholds import KEY_METRICS, Check, check, lookup


@dataclass(frozen=True)
class Config:
    """One way of running the assistant: retrieval mode, and whether yes/no questions get the provision model's
    verdicts."""

    name: str
    mode: str = "hybrid"
    with_verdicts: bool = True


FULL = Config("full", "hybrid", True)
BASELINES = (Config("bm25-only", "bm25", False), Config("dense-only", "dense", False),
             Config("hybrid-no-verdicts", "hybrid", False))


def config_for(mode: str = "hybrid", verdicts: bool = True) -> Config:
    """The named configuration for a mode and verdict switch (`full`, a baseline, or e.g. `bm25+verdicts`)."""
    for known in (FULL, *BASELINES):
        if (known.mode, known.with_verdicts) == (mode, verdicts):
            return known
    return Config(f"{mode}+verdicts" if verdicts else f"{mode}-no-verdicts", mode, verdicts)


@dataclass
class ConfigRun:
    """The scored items of one configuration and their metric blocks (overall, by_type, by_lang)."""

    config: Config
    items: list[ItemResult]
    metrics: dict
    seconds: float

    @property
    def overall(self) -> dict:
        return self.metrics["overall"]

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.items if r.failed]


@dataclass(frozen=True)
class BaselineVerdict:
    """Whether the main configuration beats one baseline: not worse on any key metric, better on one."""

    baseline: str
    beats: bool
    better: list[str]
    worse: list[str]


@dataclass
class Benchmark:
    """A whole run: the main configuration first, then any baselines, with memory, time and gates."""

    gold_path: str
    runs: list[ConfigRun]
    peak_rss_mb: float
    rss_mb: float
    seconds: float
    checks: list[Check] = field(default_factory=list)

    @property
    def main(self) -> ConfigRun:
        return self.runs[0]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def versus_baselines(self) -> list[BaselineVerdict]:
        return [beats(self.main, other) for other in self.runs[1:]]


def beats(main: ConfigRun, other: ConfigRun, key_metrics=KEY_METRICS) -> BaselineVerdict:
    """Compare two runs on the key metrics; metrics missing from either side are skipped."""
    better, worse = [], []
    for metric, higher in key_metrics:
        a, b = lookup(main.overall, metric), lookup(other.overall, metric)
        if a is None or b is None or abs(a - b) < 1e-12:
            continue
        (better if (a > b) == higher else worse).append(metric)
    return BaselineVerdict(other.config.name, bool(better) and not worse, better, worse)


def default_answer(measure: str | None = None):
    """answer_fn(question, mode, verdicts, history) over the real assistant, a fresh Session per item: the
    history's questions are asked first in it, untimed, then the question. The query vectors that the retrieval
    metrics' search cached are dropped first, so each answer is timed as a new question. With `measure`, as the
    app's measure selector would ask."""
    from assistant import Session, answer, article_index

    index = article_index()

    def ask(question, mode, verdicts, history=()):
        session = Session()
        for earlier in history:
            answer(earlier, measure, session=session, mode=mode, verdicts=verdicts)
        index.dense.forget_queries()
        return answer(question, measure, session=session, mode=mode, verdicts=verdicts)

    return ask


def default_search(measure: str | None = None):
    """search_fn(question, mode) -> ranked article refs (top 10) from the assistant's own index (of one measure)."""
    from assistant import article_index

    index = article_index()
    return lambda question, mode: [article_of(hit.ref) for hit in index.search(question, k=10, mode=mode,
                                                                               measure=measure)]


def memory_mb() -> tuple[float, float]:
    """(peak RSS, current RSS) of this process in MiB."""
    import resource

    import psutil

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    peak_mb = peak / 2**20 if sys.platform == "darwin" else peak / 1024
    return peak_mb, psutil.Process().memory_info().rss / 2**20


def _warm(answer_fn, search_fn, configs) -> None:
    for config in configs:
        try:
            search_fn("辅助人员可以立案吗", config.mode)
            answer_fn("辅助人员可以立案吗", config.mode, config.with_verdicts)
        except Exception:  # noqa: BLE001 - a broken system shows up per item, with its error
            pass


def run_config(items: list[GoldItem], config: Config, answer_fn, search_fn, corpus,
               rankings: dict | None = None, bar=None) -> ConfigRun:
    """Run every item through one configuration and score it; `rankings` caches retrieval per mode."""
    started = time.perf_counter()
    ranked_by_id = (rankings if rankings is not None else {}).setdefault(config.mode, {})
    results = []
    for item in items:
        error = None
        if item.id not in ranked_by_id:
            try:
                ranked_by_id[item.id] = search_fn(" ".join((*item.history, item.question)), config.mode)
            except Exception as exc:  # noqa: BLE001
                ranked_by_id[item.id], error = [], f"search: {type(exc).__name__}: {exc}"
        begun = time.perf_counter()
        try:
            reply = answer_fn(item.question, config.mode, config.with_verdicts, item.history)
        except Exception as exc:  # noqa: BLE001
            reply, error = None, f"answer: {type(exc).__name__}: {exc}"
        wall_ms = (time.perf_counter() - begun) * 1000
        results.append(score_item(item, reply, ranked_by_id[item.id], wall_ms, corpus, error))
        if bar is not None:
            bar.update()
    return ConfigRun(config, results, slices(results), time.perf_counter() - started)


def run_benchmark(gold: str | Path | list[GoldItem] = DEFAULT, configs=(FULL,), answer_fn=None, search_fn=None,
                  corpus=None, progress: bool = True, items: list[GoldItem] | None = None) -> Benchmark:
    """Run the gold set through each configuration (the first is the one gated by the thresholds); `items`, when
    the caller has read the set already."""
    from tqdm import tqdm

    if corpus is None:
        from corpus import load

        corpus = load()
    if items is None:
        items = gold if isinstance(gold, list) else load_gold(gold)
    started = time.perf_counter()
    answer_fn = answer_fn or default_answer()
    search_fn = search_fn or default_search()
    _warm(answer_fn, search_fn, configs)
    rankings: dict = {}
    runs = []
    with tqdm(total=len(items) * len(configs), file=sys.stderr, disable=not progress, unit="q",
              dynamic_ncols=True) as bar:
        for config in configs:
            bar.set_description(config.name)
            runs.append(run_config(items, config, answer_fn, search_fn, corpus, rankings, bar))
    peak, current = memory_mb()
    return Benchmark(str(gold) if not isinstance(gold, list) else "<items>", runs, peak, current,
                     time.perf_counter() - started, check(runs[0].overall))
