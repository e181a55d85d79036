"""The learned reading at answer time: what a question asks, of whom, in which form, whether it leans on the
turn before, whether the measures settle it, and which provisions it is about, each with a probability.

`Reader` holds what training fitted (reading.train): linear classifiers over the question's hashed n-grams and
its sentence vector, the bank's training situations as a nearest-neighbour memory, a provision classifier, and a
linear ranker and silence model over (question, provision) features. At answer time it is numpy: the encoder
runs once per text (shared with retrieval), then a few sparse and dense products (reading.rows, in numpy).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reading import features as F
from reading.bank import FORMS, MANNERS, MODALS, SCOPES, SIDES
from reading.rank import Batch, Candidates, Ranker
from reading.rows import Rows, hstack
from reading.situations import topics
from reading.text import masked, measure_names, sparse

# The field classifiers, in the order they are fitted and read; each predicts one label of the bank's schema.
FIELDS = ("form", "scope", "side", "modal", "manner")
# Whether the question goes against what a provision says (reading.train.against): omits a duty, lacks a condition,
# withholds a right, asserts the opposite of a statement (positive: what a provision requires, permits or states);
# asks whether one may refrain from what is prohibited, or denies the prohibition (negative: 不得, bars to hire).
AGAINST = ("against_positive", "against_negative")
NEGATIVE = frozenset({"must_not", "bar"})  # provisions whose content is what must not be done, or who must not be hired
FOLLOWS = "follows_up"
ENCODER = "encoder."  # the reader's arrays that are the encoder's adapters (reading.encoder), by encoder_graph's names
CLASSES = {"form": FORMS, "scope": SCOPES, "side": (*SIDES, "none"), "modal": MODALS, "manner": MANNERS,
           "against_positive": ("no", "yes"), "against_negative": ("no", "yes")}
TOP = 6  # provisions kept per measure in a Reading
# Fields read also by the nearest training situations' labels: the classifier's probabilities and the situations'
# vote (their similarities softened by RECALL_TEMPERATURE) are mixed, the vote weighing RECALL_WEIGHT. Chosen on
# the calibration part (docs/evaluation.md): each field read right about half a point more often; form, modal and
# manner gained nothing.
RECALLED = ("scope", "side")
RECALL_WEIGHT = 0.3
RECALL_TEMPERATURE = 0.01
VERDICT_CODES = ("yes", "no", "conditional", "not_addressed")  # the memory's combined verdicts, by index
# A follow-up's provisions: the ranker's probabilities for it read in context (the turn it leans on, then it) and
# for its own words alone, mixed with this weight on its own words. In context, a follow-up that tells a new act
# ("and can I delete them later?", "那商贩可以去哪里投诉") stayed on the earlier turn's article. Chosen on the
# conversations of the calibration part and of f34-f42 (483 later turns): primary cited 0.867 read in context
# alone, 0.905 mixed at 0.5 (the last turns 0.853 and 0.888; yes/no leaning right 0.815 and 0.854). A first trial,
# mixing each reading's six likeliest, gave 0.890, 0.892, 0.903 and 0.836 at 0.3, 0.4, 0.5 and 0.7.
OWN_WORDS = 0.5
VECTOR_WEIGHT = 1.0  # the sentence vector's scale beside the n-grams (each part has unit length)


@dataclass(frozen=True)
class Dist:
    """A probability per label, best first."""

    pairs: tuple[tuple[str, float], ...]

    @property
    def top(self) -> str:
        return self.pairs[0][0]

    @property
    def confidence(self) -> float:
        return self.pairs[0][1]

    def p(self, label: str) -> float:
        return next((v for k, v in self.pairs if k == label), 0.0)

    def as_dict(self) -> dict[str, float]:
        return dict(self.pairs)

    @classmethod
    def of(cls, labels, probs) -> Dist:
        return cls(tuple(sorted(zip(labels, map(float, probs)), key=lambda kv: -kv[1])))


@dataclass(frozen=True)
class Reading:
    """The learned reading of one question (a follow-up read with the turn it leans on)."""

    follows_up: float
    form: Dist
    scope: Dist
    side: Dist
    modal: Dist
    manner: Dist
    against: dict[str, float] = field(default_factory=dict)  # positive / negative: P(the question goes against it)
    topic: str = ""  # what the provisions were ranked for: the question, or the turn it leans on and the question
    provisions: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)  # per measure, P(p | speaks)
    silent: dict[str, float] = field(default_factory=dict)  # per measure, P(the measure does not settle it)
    neighbours: tuple[tuple[str, float], ...] = ()  # the nearest training situations (bank id, similarity)
    # what the nearest training situations' writers answered (similarity-weighted share of each verdict, among
    # the yes/no ones): evidence for how sure a verdict is, never the verdict itself
    verdicts: dict[str, float] = field(default_factory=dict)
    def against_for(self, modality: str) -> float:
        """P(the question goes against a provision of this modality): the reading of its kind (a prohibition or
        bar is read apart from what a provision requires, permits or states)."""
        return self.against.get(group(modality), 0.0)

    @property
    def out_of_scope(self) -> float:
        """P(the question is outside what the measures speak to: another place, other personnel, off-topic…)."""
        return 1.0 - self.scope.p("in") - self.scope.p("near")

    def fields(self, number_unit: str | None = None) -> F.Fields:
        return F.Fields(self.side.as_dict(), self.form.as_dict(), self.against.get("positive", 0.0),
                        self.modal.as_dict(), self.manner.as_dict(), number_unit)


class Linear:
    """A fitted linear classifier over [hashed n-grams | dense features]: softmax (or sigmoid for two classes)
    of W·x + b. The n-gram weights are kept dense by column (columns × classes): a question's few columns are
    gathered from them."""

    def __init__(self, classes: list[str], gram_w: np.ndarray | None, dense_w: np.ndarray, bias: np.ndarray) -> None:
        self.classes, self.gram_w, self.dense_w, self.bias = classes, gram_w, dense_w, bias

    def proba(self, sparse_x: Rows, dense_x: np.ndarray) -> np.ndarray:
        logits = sparse_x.dot(self.gram_w) if self.gram_w is not None else 0.0
        logits = logits + dense_x @ self.dense_w.T + self.bias
        if len(self.classes) == 2:
            positive = 1.0 / (1.0 + np.exp(-logits[:, -1]))
            return np.stack([1.0 - positive, positive], axis=1)
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def to_arrays(self, name: str) -> dict:
        """As saved with the reader: the n-gram weights as sparse rows per class (most are zero; Rows.saved)."""
        out = {f"{name}.dense_w": self.dense_w, f"{name}.bias": self.bias}
        if self.gram_w is not None:
            out |= Rows.from_dense(self.gram_w.T).saved(f"{name}.sw_")
        return out

    @classmethod
    def from_arrays(cls, name: str, classes: list[str], arrays) -> Linear:
        gram_w = None
        if f"{name}.sw_data" in arrays:
            gram_w = np.ascontiguousarray(Rows.from_saved(arrays, f"{name}.sw_").dense().T)
        return cls(classes, gram_w, arrays[f"{name}.dense_w"], arrays[f"{name}.bias"])

    def state(self, name: str) -> dict:
        """As answering reads it (the reader's state, reading.model.answer_state)."""
        return {f"{name}.dense_w": self.dense_w, f"{name}.bias": self.bias} | (
            {f"{name}.gram_w": self.gram_w} if self.gram_w is not None else {})

    @classmethod
    def from_state(cls, name: str, classes: list[str], state) -> Linear:
        return cls(classes, state.get(f"{name}.gram_w"), state[f"{name}.dense_w"], state[f"{name}.bias"])


def group(modality: str) -> str:
    """Which against reading a provision of this modality takes: negative for what must not be done or who must
    not be hired, positive for what is required, permitted or stated."""
    return "negative" if modality in NEGATIVE else "positive"


def question_inputs(columns: np.ndarray, texts: list[str], vectors: np.ndarray, previous: list[str] | None = None,
                    previous_vectors: np.ndarray | None = None, weights: np.ndarray | None = None):
    """The field classifiers' input for each question: its n-grams and vector, beside the turn it may lean on,
    weighted by how likely it leans on it (0 for a question asked alone)."""
    n = len(texts)
    weights = np.zeros(n, np.float32) if weights is None else weights.astype(np.float32)
    previous = previous or [""] * n
    previous_vectors = np.zeros_like(vectors) if previous_vectors is None else previous_vectors
    sparse_x = hstack(sparse(texts, columns), sparse(previous, columns).scaled(weights))
    dense_x = np.hstack([vectors * VECTOR_WEIGHT, previous_vectors * weights[:, None] * VECTOR_WEIGHT,
                         weights[:, None]]).astype(np.float32)
    return sparse_x, dense_x


def follow_inputs(columns: np.ndarray, texts: list[str], vectors: np.ndarray, previous: list[str],
                  previous_vectors: np.ndarray):
    """The follow-up classifier's input: the question, the turn before, and how alike they are."""
    similarity = (vectors * previous_vectors).sum(axis=1, keepdims=True)
    lengths = np.array([[min(len(t), 80) / 80.0] for t in texts], np.float32)
    return (hstack(sparse(texts, columns), sparse(previous, columns)),
            np.hstack([vectors, previous_vectors, similarity, lengths]).astype(np.float32))


def readings_batch(fields: dict[str, np.ndarray], topics: list[str], vectors: np.ndarray, dense: np.ndarray, grams,
                   units: list[str | None], exclude: np.ndarray | None = None) -> Batch:
    """The ranker's batch from the field classifiers' probabilities (rows × classes per field), the reading's
    vectors of the topics and the index's (`dense`)."""
    def column(name, label):
        return fields[name][:, CLASSES[name].index(label)]

    rows = [F.Fields(dict(zip(CLASSES["side"], fields["side"][i])), dict(zip(CLASSES["form"], fields["form"][i])),
                     float(column("against_positive", "yes")[i]), dict(zip(CLASSES["modal"], fields["modal"][i])),
                     dict(zip(CLASSES["manner"], fields["manner"][i])), units[i]) for i in range(len(topics))]
    return Batch(topics, vectors, dense, grams, rows,
                 np.column_stack([column("modal", "must"), column("modal", "status")]).astype(np.float32), exclude)


class Reader:
    """The fitted reading; `attach(index)` once, then `read()` each question."""

    def __init__(self, folder: Path, manifest: dict, state) -> None:
        """`state`: what answering reads (answer_state), in memory or memory-mapped from its cache."""
        self.folder, self.manifest = folder, manifest
        self.columns = state["columns"]
        self.classifiers = {name: Linear.from_state(name, manifest["classes"][name], state)
                            for name in (*FIELDS, *AGAINST, FOLLOWS)}
        self.memory_ids = manifest["memory_ids"]
        self.memory_verdicts = state["memory.verdicts"]
        self.memory_fields = {name: state[f"memory.fields.{name}"] for name in RECALLED}
        self.memory = F.Memory.from_state(state, manifest["measures"], manifest["candidates"])
        self.classifier = F.ProvisionClassifier.from_state(state, manifest["classifier_classes"])
        self.adapters = {k[len(ENCODER):]: np.asarray(v) for k, v in state.items() if k.startswith(ENCODER)} or None
        self.rankers = {k: tuple(state[f"ranker.{k}.{p}"] for p in ("w", "b", "mean", "scale")) for k in ("seen", "unseen")}
        self.silence = {k: tuple(state[f"silence.{k}.{p}"] for p in ("w", "b", "mean", "scale")) for k in ("seen", "unseen")}
        self.index = self.ranker = self.names = None

    @classmethod
    def load(cls, folder: Path, cache: Path | None = None) -> Reader:
        """The reader saved in `folder`; with a `cache` folder, its state is read from there memory-mapped (written
        there first when missing or of another reader), so a new process neither decompresses nor derives it."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        key = f"state v{STATE_VERSION} of {manifest['depends']}"
        state = read_state(cache, key) if cache is not None else None
        if state is None:
            with np.load(folder / "reader.npz") as arrays:
                state = answer_state(manifest, dict(arrays))
            if cache is not None:
                write_state(cache, key, state)
        return cls(folder, manifest, state)

    def attach(self, index) -> Reader:
        """Score the corpus' candidates with this index (its encoder, BM25, provision vectors), and give its encoder
        the reader's adapters (reading.encoder), which the reading's question vectors go through."""
        if not index.queries.adapt(self.adapters):
            raise ValueError(f"the reader in {self.folder} was fitted with an adapted encoder, which the index's "
                             f"encoder ({index.built.manifest.get('model')}) cannot take: train a reader for it "
                             "(python -m reading train)")
        self.index, self.names = index, measure_names(places=True)
        self.ranker = Ranker(Candidates(index), self.memory, {None: self.classifier}, self.rankers, self.silence)
        return self

    def vector(self, text: str) -> np.ndarray:
        """The text's vector as the reading reads it: through the adapted encoder, when the reader has adapters."""
        return self.index.queries.tuned(text)[0]

    # --- the fields -----------------------------------------------------------------------------------------
    def follows(self, text: str, previous: str) -> float:
        x = follow_inputs(self.columns, [text], self.vector(text)[None, :], [previous], self.vector(previous)[None, :])
        return float(self.classifiers[FOLLOWS].proba(*x)[0, 1])

    def field_probs(self, text: str, previous: str = "", follows: float = 0.0) -> dict[str, np.ndarray]:
        previous_vector = self.vector(previous)[None, :] if previous else None
        x = question_inputs(self.columns, [text], self.vector(text)[None, :], [previous], previous_vector,
                            np.array([follows]))
        return {name: self.classifiers[name].proba(*x) for name in (*FIELDS, *AGAINST)}

    def recalled(self, name: str, probs: np.ndarray, near: np.ndarray, near_sims: np.ndarray) -> np.ndarray:
        """A field's probabilities, mixed (for RECALLED fields) with the vote of the nearest training situations
        labelled for it (`near`, likeliest first, with their similarities)."""
        codes = self.memory_fields.get(name)
        vote = None if codes is None else neighbour_vote(codes[near], near_sims, len(probs), RECALL_TEMPERATURE)
        return probs if vote is None else (1.0 - RECALL_WEIGHT) * probs + RECALL_WEIGHT * vote

    # --- the whole reading ------------------------------------------------------------------------------------
    def read(self, text: str, previous_topic: str | None = None, number_unit: str | None = None,
             follows: bool | None = None) -> Reading:
        """Read a question, after `previous_topic` (the turn before, as it was searched) when there is one.
        `follows` forces the follow-up decision (None: the follow-up classifier decides)."""
        seen, before = masked(text, self.names), masked(previous_topic, self.names)  # names masked (text.masked)
        p_follow = self.follows(seen, before) if previous_topic else 0.0
        leaning = p_follow > 0.5 if follows is None else follows
        probs = self.field_probs(seen, before or "", p_follow if previous_topic else 0.0)
        topic = f"{previous_topic} {text}" if previous_topic and leaning else text
        ranked = [masked(t, self.names) for t in dict.fromkeys((topic, text))]  # a follow-up: in context, then alone
        batch = readings_batch({name: np.repeat(p, len(ranked), axis=0) for name, p in probs.items()}, ranked,
                               np.stack([self.vector(t) for t in ranked]),
                               np.stack([self.index.queries.vector(t)[0] for t in ranked]), sparse(ranked, self.columns),
                               [number_unit] * len(ranked))
        shared = self.ranker.prepare(batch)
        provisions, silent = {}, {}
        for m in self.ranker.cands.measures:
            feats = self.ranker.features(batch, shared, m, list(range(len(ranked))))
            p, quiet = self.ranker.outputs(feats, batch)
            mixed = p[0] if len(p) == 1 else (1.0 - OWN_WORDS) * p[0] + OWN_WORDS * p[1]
            order = np.argsort(-mixed)[:TOP]
            refs = self.ranker.cands.refs[m]
            provisions[m] = tuple((refs[i], float(mixed[i])) for i in order)
            silent[m] = float(quiet[0])
        near, sims = shared["nb_index"][0], shared["nb_sims"][0]  # the nearest situations, as the ranker found them
        shares = neighbour_vote(self.memory_verdicts[near], sims, len(VERDICT_CODES), F.TEMPERATURE)
        verdicts = {v: 0.0 if shares is None else float(shares[k]) for k, v in enumerate(VERDICT_CODES)}
        dists = {name: Dist.of(CLASSES[name], self.recalled(name, probs[name][0], near, sims)) for name in FIELDS}
        against = {name.split("_")[1]: float(probs[name][0, 1]) for name in AGAINST}
        return Reading(p_follow, topic=topic, provisions=provisions, silent=silent, against=against, verdicts=verdicts,
                       neighbours=tuple((self.memory_ids[i], float(sim)) for i, sim in zip(near[:5], sims[:5])),
                       **dists)


def neighbour_vote(codes: np.ndarray, sims: np.ndarray, n: int, temperature: float) -> np.ndarray | None:
    """Of the nearest situations (their codes, -1 for none, and similarities, likeliest first), the
    similarity-weighted share of each of the `n` codes among those that have one; None when none has."""
    known = codes >= 0
    if not known.any():
        return None
    weights = np.exp((sims[known] - sims[0]) / temperature)
    return np.bincount(codes[known], weights=weights, minlength=n) / weights.sum()


def answer_state(manifest: dict, arrays) -> dict[str, np.ndarray]:
    """What answering reads, derived from the arrays training saved (compact: float16, the situations' vectors in
    8 bits, sparse weights) and the bank (the situations' n-grams, from their texts): float32, the classifiers'
    n-gram weights dense by column, the situations' n-grams by column and each provision's prototype."""
    state = {k: v for k, v in arrays.items() if k == "columns" or k.startswith(
        ("ranker.", "silence.", "memory.labels.", "memory.silent.", "memory.verdicts", "memory.writers",
         "memory.fields.", ENCODER))}
    for name in (*FIELDS, *AGAINST, FOLLOWS):
        state |= Linear.from_arrays(name, manifest["classes"][name], arrays).state(name)
    grams = sparse(topics(manifest["memory_ids"]), arrays["columns"])  # rebuilt from the bank's texts
    vectors = arrays["memory.vectors"].astype(np.float32) * arrays["memory.vectors_scale"][:, None]
    memory = F.Memory(vectors, grams, arrays["memory.writers"],
                      {m: arrays[f"memory.labels.{m}"] for m in manifest["measures"]},
                      {m: arrays[f"memory.silent.{m}"] for m in manifest["measures"]}, manifest["candidates"])
    state |= memory.state()
    classifier = F.ProvisionClassifier.from_coef({
        m: (Rows.from_saved(arrays, f"classifier.{m}.coef_").dense(), arrays[f"classifier.{m}.bias"], classes)
        for m, classes in manifest["classifier_classes"].items()}, len(arrays["columns"]))
    return state | classifier.state()


STATE_KEY = "key"  # the file in a state cache naming the reader it was derived from (its manifest's `depends`)
STATE_VERSION = 2  # bump when answer_state derives differently: a cached state of another version is derived again


def read_state(folder: Path, key: str) -> dict[str, np.ndarray] | None:
    """The cached state of the reader `key`, memory-mapped; None when missing, of another reader or damaged."""
    try:
        if (folder / STATE_KEY).read_text(encoding="utf-8") != key:
            return None
        return {path.stem: np.load(path, mmap_mode="r", allow_pickle=False) for path in folder.glob("*.npy")}
    except (OSError, ValueError):
        return None


def write_state(folder: Path, key: str, state: dict[str, np.ndarray]) -> None:
    """Write the state beside the index, its key last; a folder that cannot be written only costs the next
    process the derivation."""
    import shutil
    import tempfile

    staging = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        for name, value in state.items():
            np.save(staging / f"{name}.npy", np.ascontiguousarray(value), allow_pickle=False)
        (staging / STATE_KEY).write_text(key, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.replace(folder)
        staging = None
    except OSError:
        pass
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


__all__ = ["AGAINST", "CLASSES", "ENCODER", "Dist", "FIELDS", "FOLLOWS", "Linear", "Reader", "Reading", "answer_state",
           "follow_inputs", "group", "question_inputs", "read_state", "readings_batch", "write_state"]
