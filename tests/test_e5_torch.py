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
