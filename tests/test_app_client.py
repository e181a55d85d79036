"""The running app through its API, with gradio_client: started as `python app.py` with a login (FAGUI_AUTH),
asked a question through /ask and /chat, answered with verbatim citations."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from corpus import load

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"
START_TIMEOUT = float(os.environ.get("FAGUI_APP_START_TIMEOUT", "900"))  # a first start builds the index
USER, PASSWORD = "trainer", "not-a-real-secret"

client_module = pytest.importorskip("gradio_client")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The app on a free loopback port, behind a login given through the environment."""
    OUT.mkdir(exist_ok=True)
    port = free_port()
    log_path = OUT / "app-client.log"
    log = open(log_path, "w", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FAGUI_AUTH": f"{USER}:{PASSWORD}"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), "--concurrency", "2"],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"app.py exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() - started > START_TIMEOUT:
                pytest.fail(f"app.py did not serve within {START_TIMEOUT:.0f} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        print(f"\napp start-to-ready: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def client(server):
    return client_module.Client(server, auth=(USER, PASSWORD), verbose=False)


def test_the_server_binds_loopback_and_logs_readiness(server):
    assert server.startswith("http://127.0.0.1:")
    log = (OUT / "app-client.log").read_text()
    assert "app: serving on http://127.0.0.1:" in log and "ready in" in log


def test_ask_returns_an_answer_with_a_verbatim_citation(client):
    reply = client.predict("岗前培训不少于几个工作日？", "all", api_name="/ask")
    assert reply["answer"] and not reply["declined"]
    assert reply["citations"], reply
    corpus = load()
    for citation in reply["citations"]:
        assert corpus.quote_is_verbatim(citation["ref"], citation["quote"]), citation
    assert any(c["measure"] == "taixing" and c["article"] == 21 for c in reply["citations"]), reply["citations"]


def test_ask_a_duty_question_in_one_measure(client):
    reply = client.predict("辅助人员可以单独送达法律文书吗？", "taixing", api_name="/ask")
    assert reply["verdict"] in ("yes", "no", "conditional", "not_addressed"), reply
    assert reply["citations"] and all(c["measure"] == "taixing" for c in reply["citations"])


def test_chat_endpoint_renders_the_answer(client):
    cleared, history = client.predict("协管员能自己开罚单吗？", [], "all", api_name="/chat")
    assert cleared == ""
    text = str(history[-1])
    assert "verdict-badge" in text and "details" in text


def test_the_login_is_required(server):
    with pytest.raises(Exception):
        client_module.Client(server, verbose=False).predict("岗前培训几天？", "all", api_name="/ask")
