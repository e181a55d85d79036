"""Load and soak: start the app on loopback, drive it with N concurrent gradio_client sessions through the
gold questions, and report throughput, latency and errors. Every /ask answer must equal the single-user
answer to the same question, and each session's /chat history must hold only its own turns.

    .venv/bin/python -m bench.load [--sessions 1 8 32] [--requests 8] [--port 0]

Traffic goes to 127.0.0.1 only; every loop is bounded in count and time, and the app is stopped at the end.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from eval.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 900


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), "--concurrency", "4"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    started = time.time()
    while time.time() - started < 600:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the app exited during start")
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the app did not start in 600 s")


def essence(reply: dict) -> tuple:
    """What must not differ between users: the text, verdict, route and citations (not the latency)."""
    return (reply["answer"], reply["verdict"], reply["route"], tuple(c["ref"] for c in reply["citations"]))


def session_worker(url: str, number: int, questions: list[str], reference: dict, stats: dict, lock) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as error:  # counted, not raised: the run reports every failure
        with lock:
            stats["errors"].append(f"session {number}: connect: {error}")
        return
    for question in questions:
        started = time.perf_counter()
        try:
            reply = client.predict(question, "all", api_name="/ask")
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                stats["latency"].append(elapsed)
                if question in reference and essence(reply) != reference[question]:
                    stats["mismatch"].append(question)
        except Exception as error:
            with lock:
                stats["errors"].append(f"session {number}: {type(error).__name__}: {error}")
    marker = f"第{number}号会话：岗前培训几天？"
    try:
        _, history = client.predict(marker, [], "all", api_name="/chat")
        _, history = client.predict("那河北呢？", history, "all", api_name="/chat")
        own = [m for m in history if m["role"] == "user"]
        if len(own) != 2 or f"第{number}号会话" not in str(own[0]["content"]):
            with lock:
                stats["leaks"].append(number)
    except Exception as error:
        with lock:
            stats["errors"].append(f"session {number}: chat: {type(error).__name__}: {error}")


def run(url: str, sessions: int, questions: list[str], per_session: int, reference: dict) -> dict:
    stats = {"latency": [], "errors": [], "mismatch": [], "leaks": []}
    lock = threading.Lock()
    threads = []
    for number in range(sessions):
        mine = [questions[(number * per_session + i) % len(questions)] for i in range(per_session)]
        threads.append(threading.Thread(target=session_worker, args=(url, number, mine, reference, stats, lock),
                                        daemon=True))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, DEADLINE_SECONDS - (time.perf_counter() - started)))
    stats["seconds"] = time.perf_counter() - started
    stats["unfinished"] = sum(t.is_alive() for t in threads)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=8, help="/ask requests per session")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free loopback port")
    args = parser.parse_args()

    from assistant import answer
    from eval.gold import load_gold

    questions = [g.question for g in load_gold()]
    reference = {}
    for question in questions:  # the single-user answer to each question, in process
        reference[question] = essence(answer(question).to_json())
    port = args.port or free_port()
    app = start_app(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        print(f"app on {url} (pid {app.pid}); {args.requests} /ask + 2 /chat per session")
        print("| sessions | requests | seconds | req/s | p50 ms | p95 ms | errors | mismatched | history leaks | app RSS MiB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for sessions in args.sessions:
            stats = run(url, sessions, questions, args.requests, reference)
            done = len(stats["latency"])
            rss = psutil.Process(app.pid).memory_info().rss / 2**20
            print(f"| {sessions} | {done} | {stats['seconds']:.1f} | {done / stats['seconds']:.1f} | "
                  f"{percentile(stats['latency'], 50):.0f} | {percentile(stats['latency'], 95):.0f} | "
                  f"{len(stats['errors']) + stats['unfinished']} | {len(stats['mismatch'])} | {len(stats['leaks'])} | "
                  f"{rss:.0f} |", flush=True)
            for line in stats["errors"][:5]:
                print(f"    error: {line}")
            for question in stats["mismatch"][:5]:
                print(f"    mismatch: {question}")
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()


if __name__ == "__main__":
    main()
