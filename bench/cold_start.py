"""Cold start: a fresh process to its first answer, per route, and where import time goes.

    .venv/bin/python -m bench.cold_start [--runs 5]
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

QUESTIONS = {"verdict": "辅助人员可以单独送达法律文书吗？", "retrieval": "岗前培训时间不少于几个工作日？"}


def first_answer_seconds(question: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant", "ask", question], check=True, capture_output=True)
    return time.perf_counter() - started


def heaviest_imports(question: str, top: int = 8) -> list[tuple[float, str]]:
    code = f"from assistant import answer; answer({question!r})"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # top-level packages only
            rows.append((int(match.group(1)) / 1e6, match.group(3)))
    return sorted(rows, reverse=True)[:top]


def imports_torch(question: str) -> bool:
    code = f"import sys; from assistant import answer; answer({question!r}); print('torch' in sys.modules)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first_answer_seconds(QUESTIONS["retrieval"])  # the index exists and the OS cache is warm
    for route, question in QUESTIONS.items():
        times = [first_answer_seconds(question) for _ in range(args.runs)]
        print(f"{route:9} process start to first answer: median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s over {args.runs} runs; imports torch: {imports_torch(question)}")
        for seconds, module in heaviest_imports(question):
            print(f"    {seconds:6.2f} s  {module}")


if __name__ == "__main__":
    main()
