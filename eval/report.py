"""The benchmark's outputs: metrics.json (`to_json`), the Markdown tables (`summary`), and the report
directory (`write_report`: report.md, metrics.json, items.jsonl, items.csv and PNG charts)."""
from __future__ import annotations

import csv
import json
import math
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from eval.run import Benchmark, ConfigRun
from eval.scoring import ItemResult
from eval.thresholds import lookup

# (label, dotted path in a metrics block, format)
ROWS = (
    ("confidently wrong (of yes/no)", "confidence.confidently_wrong", "ratio"),
    ("yes/no answered with a committed verdict", "confidence.committed", "ratio"),
    ("accuracy of committed verdicts", "confidence.committed_accuracy", "ratio"),
    ("accuracy of the verdict leaned to", "confidence.leaning_accuracy", "ratio"),
    ("expected calibration error", "confidence.ece", "ratio"),
    ("hit@1", "retrieval.hit@1", "ratio"),
    ("hit@3", "retrieval.hit@3", "ratio"),
    ("MRR", "retrieval.mrr", "ratio"),
    ("nDCG@10", "retrieval.ndcg@10", "ratio"),
    ("primary gold cited", "citations.primary_cited", "ratio"),
    ("all gold cited", "citations.all_cited", "ratio"),
    ("citation precision", "citations.precision", "ratio"),
    ("yes/no questions given a verdict", "verdicts.given", "ratio"),
    ("verdict accuracy", "verdicts.accuracy", "ratio"),
    ("key facts covered", "key_facts.covered", "ratio"),
    ("out-of-scope declined", "out_of_scope.declined", "ratio"),
    ("false-decline rate (in scope)", "in_scope.false_decline_rate", "ratio"),
    ("fabricated refs", "faithfulness.fabricated_refs", "count"),
    ("non-verbatim quotes", "faithfulness.non_verbatim_quotes", "count"),
    ("misleading first lines", "first_line.misleading", "count"),
    ("answers with a verdict", "routes.verdict", "count"),
    ("failed items", "failed_items", "count"),
    ("errors", "errors", "count"),
    ("latency p50 ms", "latency.all.p50_ms", "ms"),
    ("latency p95 ms", "latency.all.p95_ms", "ms"),
    ("wall p50 ms", "latency.all.wall_p50_ms", "ms"),
    ("wall p95 ms", "latency.all.wall_p95_ms", "ms"),
)
CHART_METRICS = (("hit@1", "retrieval.hit@1"), ("MRR", "retrieval.mrr"), ("primary cited", "citations.primary_cited"),
                 ("all cited", "citations.all_cited"), ("precision", "citations.precision"),
                 ("key facts", "key_facts.covered"), ("verdict acc.", "verdicts.accuracy"),
                 ("OOS declined", "out_of_scope.declined"))


def fmt(value, kind: str = "ratio") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "count":
        return str(int(value))
    if kind == "ms":
        return f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return f"{value:.3f}"


def table(columns: list[tuple[str, dict]], rows=ROWS) -> str:
    """A Markdown table: one row per metric, one column per (name, metrics block)."""
    head = "| metric | " + " | ".join(name for name, _ in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|",
             "| n | " + " | ".join(str(block["n"]) for _, block in columns) + " |"]
    for label, path, kind in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(lookup(block, path), kind) for _, block in columns) + " |")
    return "\n".join(lines)


def slice_table(run: ConfigRun) -> str:
    """Overall, per language and per type, for one configuration."""
    m = run.metrics
    return table([("all", m["overall"]), *m["by_lang"].items(), *m["by_type"].items()])


def baseline_table(bench: Benchmark) -> str:
    return table([(run.config.name, run.overall) for run in bench.runs])


def confusion_table(run: ConfigRun) -> str:
    matrix = run.overall["verdicts"]["confusion"]
    columns = list(next(iter(matrix.values())).keys()) if matrix else []
    lines = ["| gold \\ predicted | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {gold} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |" for gold, row in matrix.items()]
    return "\n".join(lines)


def latency_table(run: ConfigRun) -> str:
    lines = ["| route | n | p50 ms | p95 ms | wall p50 ms | wall p95 ms |", "|---|---|---|---|---|---|"]
    for route, block in run.overall["latency"].items():
        lines.append(f"| {route} | {block['n']} | {fmt(block['p50_ms'], 'ms')} | {fmt(block['p95_ms'], 'ms')} | "
                     f"{fmt(block['wall_p50_ms'], 'ms')} | {fmt(block['wall_p95_ms'], 'ms')} |")
    return "\n".join(lines)


def checks_table(bench: Benchmark) -> str:
    lines = ["| threshold | value | result |", "|---|---|---|"]
    for c in bench.checks:
        kind = "count" if c.threshold.op == "==" else "ratio"
        result = "n/a (no items)" if not c.applicable else "pass" if c.passed else "**FAIL**"
        lines.append(f"| {c.threshold} | {fmt(c.value, kind)} | {result} |")
    return "\n".join(lines)


def versus_lines(bench: Benchmark) -> list[str]:
    out = []
    for v in bench.versus_baselines():
        state = "beats" if v.beats else "does NOT beat"
        detail = (f"; worse on {', '.join(v.worse)}" if v.worse else "") + \
                 (f"; better on {', '.join(v.better)}" if v.better else "; no better on any key metric")
        out.append(f"- {bench.main.config.name} {state} {v.baseline}{detail}")
    return out


def beats_all(bench: Benchmark) -> bool:
    return all(v.beats for v in bench.versus_baselines())


def failure_summary(run: ConfigRun) -> str:
    """Counts of problems by kind, overall and per type (an item can have several)."""
    types = list(run.metrics["by_type"])
    counts = Counter((p.kind, r.type) for r in run.items for p in r.problems)
    kinds = sorted({k for k, _ in counts}, key=lambda k: -sum(v for (kk, _), v in counts.items() if kk == k))
    lines = ["| problem | all | " + " | ".join(types) + " |", "|---" * (len(types) + 2) + "|"]
    for kind in kinds:
        per = [counts.get((kind, t), 0) for t in types]
        lines.append(f"| {kind} | {sum(per)} | " + " | ".join(str(n) for n in per) + " |")
    return "\n".join(lines)


def describe_failure(r: ItemResult) -> str:
    """What was expected and what came back, for one failed item."""
    if r.type == "out_of_scope":
        expected = "decline" + (f"; may cite {', '.join(r.gold_refs + r.acceptable_refs)}"
                                if r.gold_refs or r.acceptable_refs else "")
    else:
        expected = f"refs {', '.join(r.gold_refs) or '–'}"
        if r.acceptable_refs:
            expected += f" (also ok: {', '.join(r.acceptable_refs)})"
        if r.gold_verdict:
            expected += f" · verdict **{r.gold_verdict}**"
        if r.key_facts:
            expected += " · key facts: " + " / ".join(f"「{f}」" for f in r.key_facts)
    got = (f"route {r.route} · verdict {r.verdict} · declined {'yes' if r.declined else 'no'} · "
           f"cited {', '.join(r.cited) or 'nothing'} · retrieval rank of primary: {r.primary_rank or '–'} "
           f"(top 3: {', '.join(r.ranked[:3]) or '–'})")
    first = r.first_line if len(r.first_line) <= 200 else r.first_line[:200] + "…"
    problems = "; ".join(f"{p.kind} ({p.detail})" for p in r.problems)
    return "\n".join([f"#### {r.id} · {r.type} · {r.lang} — {r.question}",
                      f"- expected: {expected}", f"- got: {got}", f"- answer: {first or '(empty)'}",
                      f"- problems: {problems}", ""])


def to_json(bench: Benchmark) -> dict:
    """metrics.json: the main configuration's blocks, the gates, memory, and every configuration's overall."""
    main = bench.main
    data = {
        "gold": bench.gold_path,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": {"name": main.config.name, "mode": main.config.mode, "with_verdicts": main.config.with_verdicts},
        "n": main.overall["n"],
        "seconds": round(bench.seconds, 2),
        "memory": {"peak_rss_mb": round(bench.peak_rss_mb, 1), "rss_mb": round(bench.rss_mb, 1)},
        **main.metrics,
        "thresholds": [c.to_json() for c in bench.checks],
        "passed": bench.passed,
    }
    if len(bench.runs) > 1:
        data["configs"] = {run.config.name: {"mode": run.config.mode, "with_verdicts": run.config.with_verdicts,
                                             "seconds": round(run.seconds, 2), "overall": run.overall}
                           for run in bench.runs}
        data["versus_baselines"] = [vars(v) for v in bench.versus_baselines()]
        data["beats_every_baseline"] = beats_all(bench)
    return data


def summary(bench: Benchmark) -> str:
    """The tables printed by `python -m eval run`: gates, slices, and baselines when run."""
    main = bench.main
    parts = [f"## {main.config.name} (mode {main.config.mode}, verdicts {'on' if main.config.with_verdicts else 'off'}) "
             f"on {main.overall['n']} items, {bench.seconds:.1f} s, peak RSS {bench.peak_rss_mb:.0f} MiB",
             "", checks_table(bench), "", slice_table(main), "", latency_table(main)]
    if len(bench.runs) > 1:
        parts += ["", "### Against the baselines", "", baseline_table(bench), "", *versus_lines(bench),
                  f"- default beats every baseline: {'yes' if beats_all(bench) else 'NO'}"]
    return "\n".join(parts)


def charts(bench: Benchmark, directory: Path) -> list[str]:
    """PNG charts (Agg backend): metrics per type, latency histogram, and configurations when compared."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    written = []
    main = bench.main
    groups = [("all", main.overall), *main.metrics["by_type"].items()]
    fig, ax = plt.subplots(figsize=(13, 5))
    width = 0.8 / len(CHART_METRICS)
    for i, (label, path) in enumerate(CHART_METRICS):
        xs = [g for g, (_, block) in enumerate(groups) if lookup(block, path) is not None]
        ys = [lookup(groups[g][1], path) for g in xs]
        ax.bar(np.array(xs) + (i - (len(CHART_METRICS) - 1) / 2) * width, ys, width, label=label)
    ax.set_xticks(range(len(groups)), [f"{name}\n(n={block['n']})" for name, block in groups])
    ax.set_ylim(0, 1.05)
    ax.axhline(0.95, color="grey", linewidth=0.8, linestyle="--")
    ax.set_ylabel("score")
    ax.set_title(f"Metrics per question type ({main.config.name}); dashed line: 0.95")
    ax.legend(ncol=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    fig.tight_layout()
    fig.savefig(directory / "metrics_by_type.png", dpi=110)
    plt.close(fig)
    written.append("metrics_by_type.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    walls = [max(r.wall_ms, 0.01) for r in main.items]
    bins = np.logspace(math.log10(min(walls)), math.log10(max(walls) * 1.01 + 0.01), 30)
    routes = [route for route in ("verdict", "retrieval", "declined", "error") if any(r.route == route for r in main.items)]
    ax.hist([[max(r.wall_ms, 0.01) for r in main.items if r.route == route] for route in routes], bins=bins,
            stacked=True, label=[f"{route} (n={sum(r.route == route for r in main.items)})" for route in routes])
    for q, style in ((50, "--"), (95, ":")):
        value = main.overall["latency"]["all"][f"wall_p{q}_ms"]
        ax.axvline(value, color="black", linestyle=style, linewidth=1, label=f"p{q} {fmt(value, 'ms')} ms")
    ax.set_xscale("log")
    ax.set_xlabel("wall-clock ms per question (log scale)")
    ax.set_ylabel("questions")
    ax.set_title(f"Latency per route ({main.config.name})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(directory / "latency.png", dpi=110)
    plt.close(fig)
    written.append("latency.png")

    if len(bench.runs) > 1:
        fig, ax = plt.subplots(figsize=(12, 4.5))
        metrics = [(label, path) for label, path in CHART_METRICS]
        width = 0.8 / len(bench.runs)
        for i, run in enumerate(bench.runs):
            ys = [lookup(run.overall, path) or 0.0 for _, path in metrics]
            ax.bar(np.arange(len(metrics)) + (i - (len(bench.runs) - 1) / 2) * width, ys, width, label=run.config.name)
        ax.set_xticks(range(len(metrics)), [label for label, _ in metrics])
        ax.set_ylim(0, 1.05)
        ax.set_title("Full system against the baselines (overall)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(directory / "baselines.png", dpi=110)
        plt.close(fig)
        written.append("baselines.png")
    return written


def markdown(bench: Benchmark, images: list[str]) -> str:
    """report.md: the summary tables, confusion matrix, latency per route, charts, and every failed item."""
    main = bench.main
    failed = main.failed
    parts = [f"# Benchmark report — {main.config.name}", "",
             f"Gold set `{bench.gold_path}`, {main.overall['n']} items; the gold `measure` is not passed to "
             f"`answer()` (questions name their measure); a fresh Session per item. "
             f"Run took {bench.seconds:.1f} s; peak RSS {bench.peak_rss_mb:.0f} MiB.", "",
             "## Thresholds", "", checks_table(bench), "",
             "## Metrics overall, per language and per type", "", slice_table(main), "",
             "## Verdicts (yesno_duty): gold × predicted", "", confusion_table(main), "",
             "## Latency per route", "", latency_table(main), ""]
    if len(bench.runs) > 1:
        parts += ["## Against the baselines", "", baseline_table(bench), "", *versus_lines(bench),
                  f"- **default beats every baseline: {'yes' if beats_all(bench) else 'NO'}**", ""]
    parts += ["## Charts", ""] + [f"![{name}]({name})" for name in images] + [""]
    parts += [f"## Failures ({len(failed)} of {len(main.items)} items)", "",
              "Problem counts (an item can have several):", "", failure_summary(main), "",
              "## Failed items", ""]
    parts += [describe_failure(r) for r in failed]
    return "\n".join(parts)


# items.csv: one row per item and configuration, for a spreadsheet; lists are joined with "; ".
CSV_COLUMNS = ("config", "id", "lang", "type", "measure", "question", "route", "gold_verdict", "verdict",
               "declined", "gold_refs", "cited", "primary_rank", "primary_cited", "all_cited", "precision",
               "key_facts_found", "fabricated", "non_verbatim", "misleading", "failed", "problems", "latency_ms",
               "answer")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would read as the start of a formula


def _text_cell(text: str) -> str:
    """Free text as a spreadsheet shows it, never as a formula: a leading = + - @ gets an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_row(config: str, r: ItemResult) -> dict:
    return {"config": config, "id": _text_cell(r.id), "lang": r.lang, "type": r.type, "measure": r.measure or "",
            "question": _text_cell(r.question), "route": r.route, "gold_verdict": r.gold_verdict or "",
            "verdict": r.verdict or "", "declined": r.declined, "gold_refs": "; ".join(r.gold_refs),
            "cited": "; ".join(dict.fromkeys(r.cited)), "primary_rank": r.primary_rank or "",
            "primary_cited": r.primary_cited, "all_cited": r.all_cited,
            "precision": "" if r.precision is None else r.precision,
            "key_facts_found": f"{sum(r.facts_found)}/{len(r.facts_found)}" if r.facts_found else "",
            "fabricated": r.fabricated, "non_verbatim": r.non_verbatim, "misleading": r.misleading, "failed": r.failed,
            "problems": "; ".join(p.kind for p in r.problems), "latency_ms": round(r.latency_ms, 1),
            "answer": _text_cell(r.first_line)}


def write_report(bench: Benchmark, directory: str | Path) -> Path:
    """Write report.md, metrics.json, items.jsonl, items.csv and the charts into directory; return report.md's
    path. The CSV carries a byte-order mark so that spreadsheet programs read its Chinese as UTF-8."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "metrics.json").write_text(json.dumps(to_json(bench), ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
    with open(directory / "items.jsonl", "w", encoding="utf-8") as handle:
        for run in bench.runs:
            for r in run.items:
                handle.write(json.dumps({"config": run.config.name, **r.to_json()}, ensure_ascii=False) + "\n")
    with open(directory / "items.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_row(run.config.name, r) for run in bench.runs for r in run.items)
    images = charts(bench, directory)
    report = directory / "report.md"
    report.write_text(markdown(bench, images), encoding="utf-8")
    return report
