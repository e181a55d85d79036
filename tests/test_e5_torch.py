"""The torch copy of the encoder (for fitting it to the bank) against the onnxruntime encoder that answers."""
import numpy as np
import pytest
import torch

from index.e5_onnx import PASSAGE, E5Encoder
from index.e5_torch import TorchEncoder

TEXTS = ["辅助人员可以单独送达法律文书吗", "can an auxilary serve documnets alone?", "协管员能自己开执法车吗",
         "队长不在 我一个人去把桥头卖西瓜的三轮扣下来行不行啊", "ok"]


@pytest.fixture(scope="module")
def encoders():
    onnx = E5Encoder()
    return onnx, TorchEncoder(onnx)


def test_the_torch_copy_gives_the_answering_encoders_vectors(encoders):
    onnx, copy = encoders
    with torch.no_grad():
        vectors = copy(TEXTS).numpy()
        passages = copy(TEXTS[:2], PASSAGE).numpy()
    assert (vectors * onnx.embed(TEXTS, "query: ")).sum(axis=1).min() > 0.999
    assert (passages * onnx.embed(TEXTS[:2], PASSAGE)).sum(axis=1).min() > 0.999
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_padding_in_a_batch_changes_no_vector(encoders):
    _, copy = encoders
    with torch.no_grad():
        together = copy(TEXTS).numpy()
        alone = np.concatenate([copy([t]).numpy() for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-4


def test_a_frozen_bottom_run_once_gives_the_same_vector(encoders):
    _, copy = encoders
    x, mask = copy.batch(copy.token_embeddings(TEXTS))
    with torch.no_grad():
        whole = copy.pool(copy.run(x, mask), mask)
        split = copy.pool(copy.run(copy.run(x, mask, 0, 8), mask, 8), mask)
    assert torch.allclose(whole, split)


def adapters_of(copy: TorchEncoder, start: int, seed: int) -> dict[str, np.ndarray]:
    """Random low-rank adapters of the layers from `start` up, put into the torch copy and returned as
    encoder_graph takes them."""
    from reading.encoder import LINEARS, _adapter_class

    torch.manual_seed(seed)
    adapter, out = _adapter_class(), {}
    for number in range(start, len(copy.layers)):
        for name in LINEARS:
            layer = adapter(getattr(copy.layers[number], name), 4)
            layer.b.data = torch.randn_like(layer.b) * 0.3
            setattr(copy.layers[number], name, layer)
            out[f"l{number}.{name}.lora_a"] = layer.a.detach().numpy().astype(np.float16)
            out[f"l{number}.{name}.lora_b"] = layer.b.detach().numpy().astype(np.float16)
            layer.a.data, layer.b.data = (torch.from_numpy(out[f"l{number}.{name}.lora_{h}"].astype(np.float32))
                                          for h in "ab")  # the copy holds the half-precision values kept
    return out


def test_an_adapted_encoder_gives_both_vectors_in_one_run(tmp_path):
    """With adapters, the onnxruntime graph's first output is still the model's own vector (what the index was
    embedded with) and its second is the torch copy's with the same adapters; without them both are the same; a
    graph of other adapters is not taken from the cache for them."""
    onnx = E5Encoder(graph_cache=tmp_path / "e5-graph.onnx")
    own = onnx.embed(TEXTS, "query: ")
    base, tuned = onnx.embed_both(TEXTS, "query: ")
    assert np.array_equal(base, tuned)
    for seed in (1, 2):
        copy = TorchEncoder(onnx)
        adapters = adapters_of(copy, 8, seed)
        onnx.adapt(adapters)
        base, tuned = onnx.embed_both(TEXTS, "query: ")
        with torch.no_grad():
            expected = copy(TEXTS).numpy()
        assert (base * own).sum(axis=1).min() > 0.99999
        assert (tuned * expected).sum(axis=1).min() > 0.999
        assert (tuned * own).sum(axis=1).max() < 0.99  # the adapters moved every vector
        assert len(list(tmp_path.glob("e5-graph-*.onnx"))) == seed
    onnx.adapt(None)
    assert np.allclose(onnx.embed_both(TEXTS, "query: ")[1], own, atol=1e-6)


def test_a_new_encoder_starts_with_the_adapters_last_given_and_old_graphs_go(tmp_path):
    """The adapters an encoder was last given are remembered beside its graph cache, so that the next process builds
    its session with them from the start; none given, or a damaged file, and it starts without. Of the graphs of
    adapters, only the last KEEP_GRAPHS written stay."""
    from index.e5_onnx import ADAPTERS, KEEP_GRAPHS, adapters_digest

    cache = tmp_path / "e5-graph.onnx"
    onnx = E5Encoder(graph_cache=cache)
    assert E5Encoder(graph_cache=cache).adapters is None
    given = []
    for seed in range(1, KEEP_GRAPHS + 2):
        given.append(adapters_of(TorchEncoder(onnx), 10, seed))
        onnx.adapt(given[-1])
        onnx.embed_both(TEXTS[:1], "query: ")
        assert adapters_digest(E5Encoder(graph_cache=cache).adapters) == adapters_digest(given[-1])
    kept = {path.name for path in tmp_path.glob("e5-graph-*.onnx")}
    assert kept == {f"e5-graph-{adapters_digest(a)}.onnx" for a in given[-KEEP_GRAPHS:]}
    onnx.adapt(None)
    assert E5Encoder(graph_cache=cache).adapters is None and not (tmp_path / ADAPTERS).exists()
    onnx.adapt(given[0])
    (tmp_path / ADAPTERS).write_bytes(b"PK\x03\x04 damaged")
    assert E5Encoder(graph_cache=cache).adapters is None


def test_no_adapters_given_before_the_model_loads_still_reach_it(tmp_path):
    """A reader without adapters attaching while the encoder has not loaded yet: the encoder, once loaded, must not
    keep the adapters it remembers from the last process, or the reading would read through another reader's."""
    from index.embeddings import E5Embedding
    from index.e5_onnx import adapters_digest

    cache = tmp_path / "e5-graph.onnx"
    first = E5Encoder(graph_cache=cache)
    first.adapt(adapters_of(TorchEncoder(first), 10, 1))
    embedding = E5Embedding("e5", lambda: E5Encoder(graph_cache=cache))
    assert adapters_digest(embedding.adapters) == adapters_digest(first.adapters)  # remembered, once loaded
    later = E5Embedding("e5", lambda: E5Encoder(graph_cache=cache))
    assert later.adapt(None) and later.adapters is None
    base, tuned = later.query_both(TEXTS[0])
    assert np.array_equal(base, tuned)
