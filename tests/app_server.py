"""Start and stop `python app.py` on a free loopback port, for the tests that need the running app."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"
START_TIMEOUT = float(os.environ.get("FAGUI_APP_START_TIMEOUT", "900"))  # a first start builds the index


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(args: list[str], log_name: str, env: dict | None = None, warm: bool = True):
    """Start app.py as a subprocess and wait until it answers HTTP and has logged so, and (`warm`) until it has
    loaded the index in the background, so that what a test times is an answer; returns (process, url, seconds to
    the page served)."""
    OUT.mkdir(exist_ok=True)
    port = free_port()
    log = open(OUT / log_name, "w", encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), *args], cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    while True:
        if process.poll() is not None:
            log.close()
            pytest.fail(f"app.py exited with {process.returncode}:\n{(OUT / log_name).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                # the page can answer a moment before app.py logs that it is serving
                if response.status == 200 and "app: serving on" in (OUT / log_name).read_text():
                    break
        except OSError:
            pass
        if time.perf_counter() - started > START_TIMEOUT:
            stop_app(process)
            pytest.fail(f"app.py did not serve within {START_TIMEOUT:.0f} s:\n{(OUT / log_name).read_text()[-3000:]}")
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    print(f"\napp start-to-page: {seconds:.1f} s", file=sys.stderr)
    while warm and not any(line in (OUT / log_name).read_text() for line in ("app: index ready", "loading the index failed")):
        if process.poll() is not None or time.perf_counter() - started > START_TIMEOUT:
            stop_app(process)
            pytest.fail(f"app.py did not load its index:\n{(OUT / log_name).read_text()[-3000:]}")
        time.sleep(0.2)
    return process, url, seconds


def stop_app(process) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
