"""App start: `python app.py` to its page served and to its first answer, against `python -c "import gradio"` in
the same run, with the serving process's peak memory.

    .venv/bin/python -m bench.app_start [--runs 3] [--root CHECKOUT]

The page is "served" when GET / answers 200; the first answer is a question sent through the /ask API as soon as
the page is served (it waits for the index loading in the background, as a user's first question does).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "岗前培训时间不少于几个工作日？"


def import_gradio_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gradio"], check=True, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ask(base: str, question: str) -> dict:
    request = urllib.request.Request(base + "gradio_api/call/ask", json.dumps({"data": [question, "all"]}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{base}gradio_api/call/ask/{event}", timeout=300) as response:
        lines = [line[6:] for line in response.read().decode().splitlines() if line.startswith("data: ")]
    return json.loads(lines[-1])[0]


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_start(data_dir: str, root: Path = ROOT) -> tuple[float, float, float]:
    """Seconds to the page, seconds from the page to the first answer, peak RSS (MiB) after it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(root / "app.py"), "--port", str(port)], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "FAGUI_DATA_DIR": data_dir})
    try:
        while True:
            try:
                with urllib.request.urlopen(base, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"app.py exited with {process.returncode}")
                time.sleep(0.02)
        page = time.perf_counter() - started
        reply = ask(base, QUESTION)
        if "3个工作日" not in reply.get("answer", ""):
            raise SystemExit(f"unexpected first answer: {reply}")
        first = time.perf_counter() - started - page
        return page, first, peak_rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(30)


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="another checkout of the project to measure")
    args = parser.parse_args()
    gradio = [import_gradio_seconds() for _ in range(args.runs + 1)][1:]  # the first only warms the OS cache
    with tempfile.TemporaryDirectory() as data_dir:
        one_start(data_dir, args.root)  # the index exists and the OS cache is warm
        starts = [one_start(data_dir, args.root) for _ in range(args.runs)]
    page = statistics.median(s[0] for s in starts)
    print(f"python -c 'import gradio': median {statistics.median(gradio):.2f} s over {args.runs} runs")
    print(f"app start to page served:  median {page:.2f} s ({page / statistics.median(gradio):.2f} x import gradio)")
    print(f"page served to first answer (the index loads in the background meanwhile): median "
          f"{statistics.median(s[1] for s in starts):.2f} s")
    print(f"serving process peak RSS after the first answer: median {statistics.median(s[2] for s in starts):.0f} MiB")


if __name__ == "__main__":
    main()
