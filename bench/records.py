"""The records under load: feedback writes per second on SQLite and on PostgreSQL (a real server from Debian's
packages, started here in a temporary folder), the answer's latency with the question log on and off in one run,
and two app processes on different ports sharing one PostgreSQL, driven by concurrent gradio_client sessions,
with the feedback counted afterwards: none lost, none stored twice.

    .venv/bin/python -m bench.records [--sessions 32] [--per-session 5]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import concurrently
from bench.load import free_port, start_app
from eval.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def writes_per_second(url: str, threads: int, per_thread: int, shown: dict) -> float:
    from records.store import open_store

    store = open_store(url)
    assert store.ready, store.problem
    run = str(time.time_ns())

    def worker(number: int) -> None:
        for turn in range(per_thread):
            store.feedback(dict(shown, question=f"{number}-{turn}"), -1, token=f"{run}:{number}:{turn}",
                           reason="unclear", comment="load")

    return threads * per_thread / concurrently(worker, threads)


def latency_with_and_without_the_log(url: str) -> tuple[list[float], list[float]]:
    """Each gold question answered twice, alternating the log off and on, in one process."""
    from assistant import answer, article_index, preload
    from eval.gold import load_gold
    from records.store import open_store

    preload()
    store = open_store(url)
    index = article_index()
    off, on = [], []
    for number, item in enumerate(load_gold()):
        order = ((False, off), (True, on)) if number % 2 else ((True, on), (False, off))  # neither always second
        for logged, sink in order:
            index.dense.forget_queries()  # each answer encodes its question afresh
            started = time.perf_counter()
            reply = answer(item.question)
            if logged:
                store.log(reply, session="bench")
            sink.append((time.perf_counter() - started) * 1000)
    store.flush(30)
    return off, on


def two_apps_one_database(url: str, sessions: int, per_session: int) -> dict:
    """Two app processes on different ports, one PostgreSQL; `sessions` clients, each asking and giving feedback
    `per_session` times through /ask and /feedback, half of them sending each feedback twice (a retry)."""
    from gradio_client import Client
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session as DbSession

    from records.schema import Feedback
    from records.store import open_store

    env = dict(os.environ, FAGUI_DATABASE_URL=url)
    ports = [free_port(), free_port()]
    apps = [start_app(port, env) for port in ports]
    run, lost, latencies, errors = str(time.time_ns()), [], [], []
    questions = ["辅助人员可以单独送达法律文书吗？", "岗前培训几天？", "协管员能自己开罚单吗？", "Can an auxiliary seize goods alone?"]
    try:
        clients = [Client(f"http://127.0.0.1:{ports[n % 2]}/", verbose=False) for n in range(sessions)]

        def session(number: int) -> None:
            try:
                for turn in range(per_session):
                    started = time.perf_counter()
                    shown = clients[number].predict(questions[turn % len(questions)], "all", api_name="/ask")
                    token = f"{run}-{number}-{turn}"
                    for _ in range(2 if number % 2 else 1):
                        result = clients[number].predict(shown, -1, token, "unclear", f"{number}/{turn}", "all",
                                                         api_name="/feedback")
                        if not result["stored"]:
                            lost.append(token)
                    latencies.append((time.perf_counter() - started) * 1000)
            except Exception as error:  # noqa: BLE001 - counted below
                errors.append(repr(error))

        seconds = concurrently(session, sessions)
    finally:
        for app in apps:
            app.terminate()
            app.wait(30)
    store = open_store(url)
    with DbSession(store.engine) as db:
        stored = db.scalar(select(func.count()).select_from(Feedback).where(Feedback.token.like(f"api:{run}-%")))
        distinct = db.scalar(select(func.count(func.distinct(Feedback.token))).where(Feedback.token.like(f"api:{run}-%")))
    return {"expected": sessions * per_session, "stored": stored, "distinct": distinct, "lost": len(lost),
            "errors": errors[:3], "seconds": seconds, "p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.records", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--per-session", type=int, default=5)
    args = parser.parse_args(argv)

    from pg_server import PostgresServer

    from assistant import answer

    shown = answer("辅助人员可以单独送达法律文书吗？").to_json()
    folder = Path(tempfile.mkdtemp(prefix="fagui-bench-records-"))
    server = PostgresServer(durable=True)
    try:
        sqlite = f"sqlite:///{folder / 'bench.sqlite3'}"
        for name, url in (("SQLite", sqlite), ("PostgreSQL", server.url)):
            for threads in (1, 8, 32):
                rate = writes_per_second(url, threads, 40, shown)
                print(f"feedback writes, {name:10} {threads:2} threads: {rate:7.0f} per second")
        off, on = latency_with_and_without_the_log(sqlite)
        print(f"answer() over the gold set, log off: p50 {percentile(off, 50):.1f} ms, p95 {percentile(off, 95):.1f} ms; "
              f"log on (SQLite): p50 {percentile(on, 50):.1f} ms, p95 {percentile(on, 95):.1f} ms")
        result = two_apps_one_database(server.url, args.sessions, args.per_session)
        print(f"two apps, one PostgreSQL, {args.sessions} sessions × {args.per_session} (ask + feedback, half sent twice): "
              f"{result['expected']} expected, {result['stored']} stored, {result['distinct']} distinct, "
              f"{result['lost']} refused, errors {result['errors'] or 0}; {result['seconds']:.1f} s, "
              f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms per ask+feedback")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
