"""Cold start: a fresh `python -m assistant ask` to its answer, per route, with its peak memory, and where import
time goes.

    .venv/bin/python -m bench.cold_start [--runs 5] [--root CHECKOUT]

--root measures another checkout of the project (the system before a change, in the same run) with this venv.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

QUESTIONS = {"verdict": "辅助人员可以单独送达法律文书吗？", "retrieval": "岗前培训时间不少于几个工作日？"}


def first_answer(question: str, root: str | None) -> tuple[float, float]:
    """Seconds from process start to exit, and the process's peak RSS in MiB."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assistant", "ask", question], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=root)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"ask exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def heaviest_imports(question: str, root: str | None, top: int = 8) -> list[tuple[float, str]]:
    code = f"from assistant import answer; answer({question!r})"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=root)
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # top-level packages only
            rows.append((int(match.group(1)) / 1e6, match.group(3)))
    return sorted(rows, reverse=True)[:top]


def imports_torch(question: str, root: str | None) -> bool:
    code = f"import sys; from assistant import answer; answer({question!r}); print('torch' in sys.modules)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root).stdout.strip() == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", help="another checkout of the project to measure")
    args = parser.parse_args()
    first_answer(QUESTIONS["retrieval"], args.root)  # the index exists and the OS cache is warm
    for route, question in QUESTIONS.items():
        runs = [first_answer(question, args.root) for _ in range(args.runs)]
        times, peaks = [t for t, _ in runs], [m for _, m in runs]
        print(f"{route:9} process start to answer: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
              f"over {args.runs} runs; peak RSS median {statistics.median(peaks):.0f} MiB, max {max(peaks):.0f} MiB; "
              f"imports torch: {imports_torch(question, args.root)}")
        for seconds, module in heaviest_imports(question, args.root):
            print(f"    {seconds:6.2f} s  {module}")


if __name__ == "__main__":
    main()
