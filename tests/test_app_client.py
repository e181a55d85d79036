"""The running app through its API, with gradio_client: started as `python app.py` with a login (FAGUI_AUTH),
asked a question through /ask and /chat, answered with verbatim citations."""
from __future__ import annotations

import pytest

from app_server import OUT, start_app, stop_app
from corpus import load

USER, PASSWORD = "trainer", "not-a-real-secret"

client_module = pytest.importorskip("gradio_client")


@pytest.fixture(scope="module")
def server():
    """The app on a free loopback port, behind a login given through the environment."""
    process, url, _ = start_app([], "app-client.log", env={"FAGUI_AUTH": f"{USER}:{PASSWORD}"})
    yield url
    stop_app(process)


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
    assert reply["leaning"] == "conditional" and reply["verdict"] in (None, "conditional"), reply
    assert reply["citations"] and all(c["measure"] == "taixing" for c in reply["citations"])


def test_chat_endpoint_renders_the_answer(client):
    cleared, history = client.predict("协管员能自己开罚单吗？", [], "all", api_name="/chat")
    assert cleared == ""
    text = str(history[-1])
    assert "verdict-badge" in text and "details" in text


def test_the_login_is_required(server):
    with pytest.raises(Exception):
        client_module.Client(server, verbose=False).predict("岗前培训几天？", "all", api_name="/ask")
