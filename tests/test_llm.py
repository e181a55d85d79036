"""The optional LLM: off by default; its first line is kept only when faithful to the cited articles."""
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata

from assistant import answer
from assistant.llm import configured_llm, faithful, phrase


class CannedLLM(CustomLLM):
    """A stand-in LLM server that returns a fixed reply (or fails)."""

    reply: str = ""
    fail: bool = False

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="canned")

    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        if self.fail:
            raise ConnectionError("no server")
        return CompletionResponse(text=self.reply)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        yield self.complete(prompt)


def extractive():
    return answer("岗前培训时间不少于几个工作日？")


def test_off_by_default(monkeypatch):
    monkeypatch.delenv("FAGUI_LLM_BASE_URL", raising=False)
    configured_llm.cache_clear()
    assert configured_llm() is None


def test_a_faithful_phrasing_is_used():
    base = extractive()
    reply = "泰兴办法第二十一条规定，岗前「培训时间不少于3个工作日」。"
    phrased = phrase(extractive(), CannedLLM(reply=reply))
    assert phrased.text.startswith(f"**{reply}**")
    assert phrased.citations == base.citations
    assert all(c.quote in phrased.text for c in phrased.citations)


def test_an_invented_quote_is_rejected():
    base = extractive()
    phrased = phrase(extractive(), CannedLLM(reply="泰兴办法规定「培训时间不少于30个工作日」。"))
    assert phrased.text == base.text


def test_an_uncited_article_is_rejected():
    base = extractive()
    assert not faithful("见第九条。", base)
    assert phrase(extractive(), CannedLLM(reply="另见第九条。")).text == base.text


def test_a_failing_server_falls_back_to_the_extractive_answer(capsys):
    base = extractive()
    assert phrase(extractive(), CannedLLM(fail=True)).text == base.text
    assert "LLM unavailable" in capsys.readouterr().err
