"""Small shared helpers for the benchmark scripts."""
from __future__ import annotations

import resource
import statistics
import threading
import time

from eval.metrics import percentile


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (f"n={len(values)} p50={percentile(values, 50):.1f} p95={percentile(values, 95):.1f} "
            f"mean={statistics.fmean(values):.1f} max={max(values):.1f}")


def concurrently(work, count: int) -> float:
    """Run work(0) … work(count - 1) on as many threads at once; returns the wall seconds they took together."""
    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started
