"""Fitting the learned reading from the bank's training part: deterministic, offline, cached by what it depends on.

    python -m reading train [--out DIR]      # writes manifest.json and reader.npz

Steps, all on the `train` writers (reading.bank):
0. the encoder's top layers are fitted to the bank (reading.encoder: low-rank adapters, when the index's encoder
   takes them), and the reading reads with the adapted vectors from then on;
1. every question, the turn it follows and its topic are embedded once (the vectors are kept beside the index,
   keyed by text and adapters, so a retrain embeds only what is new);
2. the field classifiers (form, scope, side, modal, manner, whether the question goes against what a provision says)
   and the follow-up classifier are logistic
   regressions over hashed n-grams and the vector; the follow-up classifier also learns from single questions
   paired with an unrelated earlier one, as a user asks a new question after another;
3. the memory: the training situations' topic vectors, n-grams and labels; the provision classifier (a linear SVM
   per measure from question to deciding provision);
4. the ranker: a logistic regression over (question, provision) features, where each training question's
   neighbours, prototypes and classifier come only from other writers (its own writer would vote for itself);
   `seen` uses the bank's votes on the measure, `unseen` only what other measures' labels carry over (a measure
   added later, with no situation labelled in it);
5. the silence model: per (question, measure), does the measure settle it.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from reading import features as F
from reading.bank import BANK, BankItem, bank_hash
from reading.encoder import fit_adapters
from reading.model import (AGAINST, CLASSES, ENCODER, FIELDS, FOLLOWS, RECALLED, VERDICT_CODES, Linear, Reader,
                           follow_inputs, group, question_inputs, readings_batch)
from index.nodes import PROVISION
from reading.rank import Batch, Candidates, Ranker, apply_linear, feature_names
from reading.rows import Rows
from reading.situations import Example, examples, labelled_measures, training_examples
from reading.text import measure_names, sparse, vocabulary

VERSION = 13  # bump when features or training change: the saved reader is then retrained
SEED = 20261206
C_FIELDS = 32.0
C_RANKER = 1.0
C_SILENCE = 0.3
KINDS = ("seen", "unseen")
# Processes fitting the provision classifiers (one per training writer left out: most of training's time). Each
# fit is deterministic on its own, so the reader is the same whatever the number.
JOBS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def say(message: str) -> None:
    print(f"reading: {message}", file=sys.stderr, flush=True)


class Vectors:
    """Query vectors by text, embedded once and kept on disk beside the index: the model's own (what the index
    searches with), or, given the reader's `adapters`, the adapted encoder's (what the reading reads with; the
    index's encoder must have been given them: QueryVectors.adapt)."""

    def __init__(self, index, path: Path | None, adapters: dict[str, np.ndarray] | None = None) -> None:
        from index.e5_onnx import adapters_digest

        self.index, self.adapters = index, bool(adapters)
        self.path = path if path is None or not adapters else path.with_name(f"{path.stem}-adapted{path.suffix}")
        self.model = f"{index.built.manifest.get('model')} {adapters_digest(adapters)}".strip()
        self.known: dict[str, np.ndarray] = {}
        if self.path is not None and self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                if "model" in data and str(data["model"]) == self.model:  # vectors of another encoder are dropped
                    self.known = dict(zip(data["texts"].tolist(), data["vectors"]))

    def __call__(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            from tqdm import tqdm

            for text in tqdm(missing, desc="embedding the bank", unit="q", disable=not progress, file=sys.stderr):
                self.known[text] = (self.index.queries.tuned if self.adapters else self.index.queries.vector)(text)[0]
            self.save()
        return np.stack([self.known[t] for t in texts]).astype(np.float32)

    def save(self) -> None:
        if self.path is None:
            return
        texts = sorted(self.known)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez_compressed(staging, texts=np.array(texts), vectors=np.stack([self.known[t] for t in texts]),
                            model=np.array(self.model))
        staging.replace(self.path)


# --- labels ------------------------------------------------------------------------------------------------------

def field_label(item: BankItem, name: str) -> str | None:
    value = getattr(item, name)
    return (value or "none") if name == "side" else value


def labelled(item: BankItem, measure: str) -> bool:
    """Does the item say whether this measure settles it: a verdict for a yes/no question, references for any
    other question the writer labelled this measure for."""
    if item.out_of_scope:
        return True
    if item.yesno:
        return item.verdict.get(measure) is not None
    return bool(item.refs.get(measure)) or item.names in (None, "both")


def silent(item: BankItem, measure: str) -> float:
    if item.scope != "in":
        return 1.0
    if item.yesno:
        return float(item.verdict.get(measure) == "not_addressed")
    return float(not item.refs.get(measure))


def against(item: BankItem, kind: str) -> str | None:
    """Whether the question goes against the content of the provision that decides it, read back from the
    verdict its writer gave through the provision model's table (assistant.verdict.polar): for a duty, right,
    condition, permission or statement, a "no" means the question omits, lacks, withholds or denies it; for a
    prohibition or bar, "yes" to "may one…" means refraining, "no" to "is it so?" denying it. Only the deciding
    measure's provision of the `kind` (positive, negative) is read; None where the verdict says nothing of it."""
    from corpus.provisions import provisions

    if not item.yesno:
        return None
    m = item.deciding
    v = item.verdict.get(m) if m else None
    if v in (None, "not_addressed") or not item.refs.get(m):
        return None
    modality = provisions().get(item.refs[m][0]).modality
    if group(modality) != kind:
        return None
    if kind == "negative" and item.modal != "status":
        return "yes" if v == "yes" else "no" if v == "no" else None
    return "yes" if v == "no" else "no"


def number_unit(item: BankItem) -> str | None:
    unit = (item.number or {}).get("unit")
    return None if unit in (None, "other") else unit


# --- the fields ----------------------------------------------------------------------------------------------------

def fit_linear(classes: list[str], labels: list[str], sparse_x, dense_x, c: float = C_FIELDS) -> Linear:
    """A logistic regression; deterministic (lbfgs, fixed data order)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    y = np.array([classes.index(label) for label in labels])
    present = sorted(set(y.tolist()))
    if len(present) < 2:  # one class only (a bank without conversations): always that class
        bias = np.full(len(classes), -30.0, np.float32)
        bias[present[0] if present else 0] = 30.0
        return Linear(list(classes), None, np.zeros((len(classes), dense_x.shape[1]), np.float32), bias)
    x = hstack([sparse_x.scipy(), csr_matrix(dense_x)], format="csr")
    model = LogisticRegression(C=c, max_iter=2000, tol=1e-4)
    model.fit(x, y)
    coef = np.zeros((len(classes), x.shape[1]), np.float32)
    bias = np.full(len(classes), -30.0, np.float32)  # a class never seen is never predicted
    if len(present) == 2:  # sklearn fits one row for two classes: the second's logit against the first's 0
        coef[present[1]], bias[present[1]] = model.coef_[0], model.intercept_[0]
        coef[present[0]], bias[present[0]] = 0.0, 0.0
    else:
        coef[present], bias[present] = model.coef_, model.intercept_
    split = sparse_x.shape[1]
    return Linear(list(classes), np.ascontiguousarray(coef[:, :split].T), coef[:, split:].copy(), bias)


def fit_fields(exs: list[Example], vectors, columns: np.ndarray) -> dict[str, Linear]:
    texts = [e.question for e in exs]
    previous = [e.previous for e in exs]
    x_vec, p_vec = vectors(texts), vectors([p or " " for p in previous])
    weights = np.array([1.0 if e.item.follows_up and e.previous else 0.0 for e in exs], np.float32)
    sparse_x, dense_x = question_inputs(columns, texts, x_vec, previous, p_vec, weights)
    models = {}
    for name in FIELDS:
        rows = [i for i, e in enumerate(exs) if field_label(e.item, name) is not None]
        models[name] = fit_linear(list(CLASSES[name]), [field_label(exs[i].item, name) for i in rows],
                                  sparse_x[rows], dense_x[rows])
    for name in AGAINST:
        kind = name.split("_")[1]
        rows = [i for i, e in enumerate(exs) if against(e.item, kind) is not None]
        models[name] = fit_linear(list(CLASSES[name]), [against(exs[i].item, kind) for i in rows],
                                  sparse_x[rows], dense_x[rows])
    # follow-ups: conversation turns after the first, and single questions after an unrelated one
    rng = random.Random(SEED)
    pool = [e.question for e in exs if not e.item.conversation]
    pairs = [(e.question, e.previous, e.item.follows_up) for e in exs if e.previous]
    for question in pool:
        other = rng.choice(pool)
        if other != question:
            pairs.append((question, other, False))
    q_texts, q_prev, q_label = map(list, zip(*pairs))
    fx = follow_inputs(columns, q_texts, vectors(q_texts), q_prev, vectors(q_prev))
    models[FOLLOWS] = fit_linear(["no", "yes"], ["yes" if y else "no" for y in q_label], *fx)
    return models


def field_readings(models: dict[str, Linear], exs: list[Example], vectors, columns: np.ndarray) -> dict[str, np.ndarray]:
    """Each field's probabilities for each example, read as at answer time (a turn after the first weighted by
    the follow-up classifier's own probability)."""
    texts = [e.question for e in exs]
    previous = [e.previous for e in exs]
    x_vec, p_vec = vectors(texts), vectors([p or " " for p in previous])
    follows = np.zeros(len(exs), np.float32)
    turns = [i for i, e in enumerate(exs) if e.previous]
    if turns:
        fx = follow_inputs(columns, [texts[i] for i in turns], x_vec[turns], [previous[i] for i in turns], p_vec[turns])
        follows[turns] = models[FOLLOWS].proba(*fx)[:, 1]
    x = question_inputs(columns, texts, x_vec, previous, p_vec, follows)
    return {name: models[name].proba(*x) for name in (*FIELDS, *AGAINST)} | {FOLLOWS: follows}


# --- the memory, the ranker and the silence model -------------------------------------------------------------------

def build_memory(exs: list[Example], vectors: np.ndarray, grams, writers: np.ndarray, cands: Candidates,
                 measures: list[str]) -> F.Memory:
    labels, quiet = {}, {}
    for m in measures:
        refs = cands.refs[m]
        matrix = np.zeros((len(exs), len(refs)), np.float16)
        said = np.full(len(exs), np.nan, np.float16)
        for i, e in enumerate(exs):
            if not labelled(e.item, m):
                continue
            said[i] = silent(e.item, m)
            if said[i] < 0.5:
                for rank, r in enumerate(e.item.refs.get(m, ())):
                    if r in refs:
                        matrix[i, refs.index(r)] = 1.0 if rank == 0 else 0.5
        labels[m], quiet[m] = matrix, said
    return F.Memory(vectors.astype(np.float32), grams, writers, labels, quiet, {m: cands.refs[m] for m in measures})


def fit_classifiers(exs: list[Example], batch: Batch, cands: Candidates, measures: list[str]) -> dict:
    """The provision classifier fitted on every training writer (None) and, for the training rows' features,
    once without each writer."""
    def label(item, m):
        if silent(item, m) >= 0.5:
            return F.SILENT
        return item.refs[m][0] if item.refs.get(m) and item.refs[m][0] in cands.refs[m] else None

    pairs = {m: [(i, label(e.item, m)) for i, e in enumerate(exs) if labelled(e.item, m) and label(e.item, m)]
             for m in measures}
    from joblib import Parallel, delayed

    def without(w):
        return {m: [(i, r) for i, r in rows if batch.exclude[i] != w] for m, rows in pairs.items()}

    held = [int(w) for w in np.unique(batch.exclude)]  # in processes: liblinear's random state is one per process
    fitted = Parallel(n_jobs=JOBS)(
        delayed(F.ProvisionClassifier.fit)(batch.grams, batch.vectors, rows) for rows in [pairs, *map(without, held)])
    return dict(zip([None, *held], fitted))


def ranker_rows(ranker: Ranker, exs: list[Example], batch: Batch) -> dict[str, dict]:
    """Per measure, the features of the examples labelled for it, which candidates are right (1 the deciding
    provision, 0.5 others that settle it) and whether the measure is silent."""
    shared = ranker.prepare(batch)
    out = {}
    for m in ranker.cands.measures:
        rows = [i for i, e in enumerate(exs) if m in e.item.refs and labelled(e.item, m)]
        if not rows:
            continue
        feats = ranker.features(batch, shared, m, rows)
        refs = ranker.cands.refs[m]
        target = np.zeros((len(rows), len(refs)), np.float32)
        for k, i in enumerate(rows):
            for rank, r in enumerate(exs[i].item.refs[m]):
                if r in refs:
                    target[k, refs.index(r)] = 1.0 if rank == 0 else 0.5
        feats["target"] = target
        feats["silent"] = np.array([silent(exs[i].item, m) for i in rows], np.float32)
        out[m] = feats
    return out


def standardised_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray | None, c: float):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=3000, tol=1e-6)
    model.fit((x - mean) / scale, y, sample_weight=w)
    return (model.coef_[0].astype(np.float32), np.float32(model.intercept_[0]), mean.astype(np.float32),
            scale.astype(np.float32))


def fit_ranker(rows: dict[str, dict], kind: str):
    """A pointwise logistic regression over (question, provision) pairs of the examples whose measure settles
    them, the deciding provision weighted above the others."""
    xs, ys, ws = [], [], []
    for feats in rows.values():
        if feats[kind] is None:
            continue
        speaks = feats["silent"] < 0.5
        x, t = feats[kind][speaks], feats["target"][speaks]
        xs.append(x.reshape(-1, x.shape[-1]))
        ys.append((t > 0).reshape(-1).astype(int))
        ws.append(np.where(t > 0, 2.0 * t, 1.0).reshape(-1))
    return standardised_fit(np.concatenate(xs), np.concatenate(ys), np.concatenate(ws), C_RANKER)


def fit_silence(ranker: Ranker, rows: dict[str, dict], kind: str, batch: Batch):
    xs, ys = [], []
    for feats in rows.values():
        if feats[kind] is None:
            continue
        view = dict(feats, seen=feats["seen"] if kind == "seen" else None)
        logits = apply_linear(ranker.rankers[kind], feats[kind])
        xs.append(ranker.silence_inputs(view, logits, batch))
        ys.append(feats["silent"] > 0.5)
    return standardised_fit(np.concatenate(xs), np.concatenate(ys).astype(int), None, C_SILENCE)


# --- where it lives, and what it depends on -----------------------------------------------------------------------

def dependency_hash(index, measures: list[str], bank: Path = BANK) -> str:
    """What a reader depends on: this code's version, the encoder, the bank, the names training masks, and the
    provisions of the measures it was trained on, with the texts the index embeds for those provisions (its
    features are scores over them; article views, which article search reads, are not)."""
    from corpus.provisions import provisions

    names = measure_names(measures)
    digest = hashlib.sha256(f"{VERSION}\0{index.built.manifest.get('model')}\0{bank_hash(bank)}\0"
                            f"{names.pattern if names else ''}\0".encode())
    for p in provisions().all:
        if p.ref.measure in measures:
            digest.update(f"{p.ref}\0{p.text}\0{p.modality}\0{p.subject}\0".encode())
    for view in index.built.views:
        if view.kind == PROVISION and view.ref.split(":")[0] in measures:
            digest.update(f"{view.kind}\0{view.ref}\0{view.text}\0".encode())
    return digest.hexdigest()


def batch_for(exs: list[Example], vectors, dense, columns: np.ndarray, readings: dict[str, np.ndarray],
              exclude: np.ndarray | None = None) -> Batch:
    """The ranker's batch: the reading's `vectors` of each topic, and the index's (`dense`) for its provisions."""
    topics = [e.topic for e in exs]
    return readings_batch(readings, topics, vectors(topics), dense(topics), sparse(topics, columns),
                          [number_unit(e.item) for e in exs], exclude)


def vectors_cache(index) -> Path | None:
    """Where the bank's vectors are kept between trainings: beside the index (they depend on its encoder)."""
    return index.built.folder / "bank-vectors.npz" if index.built.folder else None


def train(index, folder: Path, bank: Path = BANK, progress: bool = True) -> Path:
    """Fit the reader on the bank's train part and save it into `folder`."""
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    exs = training_examples(bank)
    items = [e.item for e in exs]
    say(f"training on {len(items)} questions by {len({i.writer for i in items})} writers")
    adapters, before = None, index.queries.adapters
    if index.queries.embedding.adaptable:
        adapters = fit_adapters([e.question for e in exs], items, SEED, say=say)
        say(f"encoder fitted in {time.perf_counter() - started:.0f} s")
    index.queries.adapt(adapters)
    try:
        fit_and_save(index, folder, bank, exs, adapters, progress)
    finally:  # the index's encoder goes back to the adapters of the reader answering with it
        index.queries.adapt(before)
    say(f"trained in {time.perf_counter() - started:.0f} s; saved to {folder}")
    return folder


def fit_and_save(index, folder: Path, bank: Path, exs: list[Example], adapters, progress: bool) -> None:
    """Steps 1 to 5, with the index's encoder given the `adapters` fitted in step 0."""
    items = [e.item for e in exs]
    vectors, dense = Vectors(index, vectors_cache(index), adapters), Vectors(index, vectors_cache(index))
    vectors([e.question for e in exs] + [e.previous for e in exs if e.previous] + [e.topic for e in exs] + [" "],
            progress)
    columns = vocabulary([e.question for e in exs] + [e.previous for e in exs if e.previous])
    models = fit_fields(exs, vectors, columns)
    readings = field_readings(models, exs, vectors, columns)
    cands = Candidates(index)
    labelled = labelled_measures(items)
    measures = [m for m in cands.measures if m in labelled]
    writers = sorted({e.item.writer for e in exs})
    exclude = np.array([writers.index(e.item.writer) for e in exs])
    batch = batch_for(exs, vectors, dense, columns, readings, exclude)
    memory = build_memory(exs, batch.vectors, batch.grams, exclude, cands, measures)
    classifiers = fit_classifiers(exs, batch, cands, measures)
    ranker = Ranker(cands, memory, classifiers)
    rows = ranker_rows(ranker, exs, batch)
    ranker.rankers = {kind: fit_ranker(rows, kind) for kind in KINDS}
    ranker.silence = {kind: fit_silence(ranker, rows, kind, batch) for kind in KINDS}
    save(folder, models, columns, memory, classifiers[None], exs, ranker, measures, adapters,
         dependency_hash(index, measures, bank))


def save(folder: Path, models, columns, memory: F.Memory, classifier: F.ProvisionClassifier, exs, ranker: Ranker,
         measures: list[str], adapters: dict[str, np.ndarray] | None, depends: str) -> None:
    verdicts = np.array([VERDICT_CODES.index(e.item.combined_verdict) if e.item.yesno else -1 for e in exs], np.int8)
    scale = np.abs(memory.vectors).max(axis=1) / 127.0  # the situations' vectors in 8 bits, a scale per row
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    arrays = {"columns": columns, "memory.vectors": np.round(memory.vectors / scale[:, None]).astype(np.int8),
              "memory.vectors_scale": scale, "memory.writers": memory.writers, "memory.verdicts": verdicts}
    arrays |= {f"{ENCODER}{name}": value for name, value in (adapters or {}).items()}
    for name in RECALLED:  # each situation's label of the field, by its index among the classes (-1: none)
        arrays[f"memory.fields.{name}"] = np.array([CLASSES[name].index(label) if label in CLASSES[name] else -1
                                                    for label in (field_label(e.item, name) for e in exs)], np.int8)
    for m in measures:
        arrays[f"memory.labels.{m}"] = memory.labels[m].astype(np.float16)
        arrays[f"memory.silent.{m}"] = memory.silent[m].astype(np.float16)
    for name, model in models.items():
        arrays |= model.to_arrays(name)
    for m, (_, _, bias, _) in classifier.weights.items():
        arrays |= Rows.from_dense(classifier.coef(m)).saved(f"classifier.{m}.coef_") | {f"classifier.{m}.bias": bias}
    for part, fitted in (("ranker", ranker.rankers), ("silence", ranker.silence)):
        for kind, params in fitted.items():
            arrays |= {f"{part}.{kind}.{name}": value for name, value in zip(("w", "b", "mean", "scale"), params)}
    manifest = {"version": VERSION, "depends": depends, "measures": measures,
                "candidates": {m: ranker.cands.refs[m] for m in measures},
                "memory_ids": [e.item.id for e in exs],
                "classifier_classes": {m: classes for m, (_, _, _, classes) in classifier.weights.items()},
                "classes": {name: model.classes for name, model in models.items()},
                "features": {"seen": feature_names(True), "unseen": feature_names(False)}}
    staging = folder / "reader.tmp.npz"
    np.savez_compressed(staging, **arrays)
    (folder / "calibration.json").unlink(missing_ok=True)  # fitted for the reader replaced here (eval calibrate)
    staging.replace(folder / "reader.npz")
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


# --- how well it reads ----------------------------------------------------------------------------------------------

def assess(index, folder: Path, items: list[BankItem]) -> dict:
    """The saved reader's own accuracy on items of another part: each field, the follow-up decision, the
    deciding provision per measure (top 1 and top 3, item and article), and silence."""
    reader = Reader.load(folder).attach(index)
    exs = examples(items, reader.names)
    vectors, dense = Vectors(index, vectors_cache(index), reader.adapters), Vectors(index, vectors_cache(index))
    readings = field_readings(reader.classifiers, exs, vectors, reader.columns)
    near, sims = reader.memory.neighbours(vectors([e.topic for e in exs]))
    report = {}
    for name in FIELDS:  # as answering reads them: RECALLED fields mixed with the nearest situations' vote
        rows = [i for i, e in enumerate(exs) if field_label(e.item, name) is not None]
        right = [CLASSES[name][int(reader.recalled(name, readings[name][i], near[i], sims[i]).argmax())]
                 == field_label(exs[i].item, name) for i in rows]
        report[name] = round(float(np.mean(right)), 3) if rows else None
    for name in AGAINST:
        kind = name.split("_")[1]
        rows = [i for i, e in enumerate(exs) if against(e.item, kind) is not None]
        right = [(readings[name][i, 1] > 0.5) == (against(exs[i].item, kind) == "yes") for i in rows]
        report[name] = round(float(np.mean(right)), 3) if rows else None
    turns = [i for i, e in enumerate(exs) if e.previous]
    if turns:
        report[FOLLOWS] = round(float(np.mean([(readings[FOLLOWS][i] > 0.5) == exs[i].item.follows_up
                                               for i in turns])), 3)
    batch = batch_for(exs, vectors, dense, reader.columns, readings)
    rows = ranker_rows(reader.ranker, exs, batch)
    for kind in KINDS:
        top1 = top3 = article1 = n = quiet_right = quiet_n = 0
        for m, feats in rows.items():
            view = dict(feats, seen=feats["seen"] if kind == "seen" else None)
            probs, quiet = reader.ranker.outputs(view, batch)
            refs = reader.ranker.cands.refs[m]
            quiet_right += int(((quiet > 0.5) == (feats["silent"] > 0.5)).sum())
            quiet_n += len(quiet)
            for k in np.flatnonzero(feats["silent"] < 0.5):
                right = np.flatnonzero(feats["target"][k] == 1.0)
                if not len(right):
                    continue
                best = np.argsort(-probs[k])
                n += 1
                top1 += int(best[0] in right)
                top3 += int(bool(set(best[:3]) & set(right)))
                article1 += int(refs[best[0]].split("(")[0].split(".")[0] == refs[right[0]].split("(")[0].split(".")[0])
        report[f"provision_top1_{kind}"] = round(top1 / max(n, 1), 3)
        report[f"article_top1_{kind}"] = round(article1 / max(n, 1), 3)
        report[f"provision_top3_{kind}"] = round(top3 / max(n, 1), 3)
        report[f"silence_{kind}"] = round(quiet_right / max(quiet_n, 1), 3)
    report["n"] = len(items)
    return report


__all__ = ["VERSION", "assess", "dependency_hash", "examples", "train"]
