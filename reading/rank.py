"""The ranker's inputs, from the index: every candidate provision of every measure scored by the encoder, BM25 and
word overlap for a question, and the features of each (question, provision) pair.

A candidate is a provision a question lands on (`Provisions.leaves`): an item, or a paragraph or article without
items. The same code serves training (many questions at once) and answering (one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corpus import Ref
from corpus.provisions import provisions
from index.nodes import PROVISION
from reading import features as F

CJK = re.compile(r"[\u4e00-\u9fff]")
GENERIC_IDF = 1.8  # a token in a fifth of the provisions or more says nothing about which one is meant


def candidates(measure: str) -> list[str]:
    return [str(p.ref) for p in provisions().leaves(measure)]


@dataclass
class Scores:
    """One question's scores for the candidates of each measure."""

    dense: dict[str, np.ndarray]
    bm25: dict[str, np.ndarray]
    overlap: dict[str, np.ndarray]
    named: dict[str, np.ndarray]


class Candidates:
    """The corpus' candidates per measure, with what is fixed about them: static features and the vectors that
    carry a label from one measure's provision to another's that says the same thing."""

    def __init__(self, index) -> None:
        from corpus import load

        self.index = index
        self.measures = list(load().measures)
        self.refs = {m: candidates(m) for m in self.measures}
        self.parsed = {m: [Ref.parse(r) for r in refs] for m, refs in self.refs.items()}
        table = provisions()
        self.static = {m: np.stack([F.static_features(table.get(r)) for r in refs]) for m, refs in self.refs.items()}
        self.flags = {m: np.stack([F.flags(table.get(r)) for r in refs]) for m, refs in self.refs.items()}
        self._transfer: dict[tuple[str, str], np.ndarray] = {}
        self.own_terms = {m: [index.provision_bm25.own_terms.get(r, frozenset()) for r in refs]
                          for m, refs in self.refs.items()}
        self._holders: dict[tuple[str, str], np.ndarray] = {}

    @cached_property
    def views(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per measure, the vectors of its candidates' views (a provision is embedded with its lead and, an
        item, alone) and, for each view, the candidate it belongs to."""
        stored = self.index.built.vectors.matrix
        out = {}
        for m, refs in self.refs.items():
            position = {r: i for i, r in enumerate(refs)}
            rows = sorted(((position[v.ref], i) for i, v in enumerate(self.index.views)
                           if v.kind == PROVISION and v.ref in position))
            owner = np.array([c for c, _ in rows])
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            out[m] = (stored[[i for _, i in rows]].astype(np.float32), starts)
        return out

    @cached_property
    def vectors(self) -> dict[str, np.ndarray]:
        """Each candidate's vector for its own words (an item without its lead), as the index embedded them."""
        own = {str(p.ref): p.text for p in provisions().all}
        stored = self.index.built.vectors.matrix
        out = {}
        for m, refs in self.refs.items():
            first, found = {}, {}
            for i, view in enumerate(self.index.views):
                if view.kind == PROVISION and view.ref in own:
                    first.setdefault(view.ref, i)
                    if view.text == own[view.ref]:
                        found.setdefault(view.ref, i)
            out[m] = stored[[found.get(r, first[r]) for r in refs]].astype(np.float32)
        return out

    def dense(self, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """rows × candidates: each candidate's best view's similarity to each query vector."""
        return {m: np.maximum.reduceat(vectors @ views.T, starts, axis=1).astype(np.float32)
                for m, (views, starts) in self.views.items()}

    def holders(self, measure: str, token: str) -> np.ndarray:
        """Which candidates' own text holds a token (1.0 or 0.0 each), looked up once per token."""
        key = (measure, token)
        if key not in self._holders:
            self._holders[key] = np.array([token in held for held in self.own_terms[measure]], np.float32)
        return self._holders[key]

    def transfer(self, source: str, target: str) -> np.ndarray:
        if (source, target) not in self._transfer:
            self._transfer[source, target] = F.transfer_matrix(self.vectors, source, target)
        return self._transfer[source, target]

    def scores(self, text: str, vector: np.ndarray) -> Scores:
        """The encoder's, BM25's and word overlap's view of every candidate, for one question's text and vector
        (English questions are matched as they are: measured on the calibration part, adding the lexicon's Chinese
        terms to them first made no difference to the ranking)."""
        index = self.index
        expanded = index.expand(text)
        dense = self.dense(vector[None, :])
        bm25 = dict(index.provision_bm25.rank(expanded))
        idf = index.provision_bm25.idf
        words = {t: idf[t] for t in index.provision_bm25.tokenize(expanded) if idf.get(t, 0.0) >= GENERIC_IDF}
        total = sum(words.values()) or 1.0
        out = Scores({}, {}, {}, {})
        said = F.mentions(text)
        for m, refs in self.refs.items():
            out.named[m] = np.array([F.named(r, said) for r in self.parsed[m]], np.float32) if said else \
                np.zeros(len(refs), np.float32)
            out.dense[m] = dense[m][0]
            out.bm25[m] = np.array([bm25.get(r, 0.0) for r in refs], np.float32)
            held = sum((w * self.holders(m, t) for t, w in words.items()), np.zeros(len(refs), np.float32))
            out.overlap[m] = (held / total).astype(np.float32)
        return out


def pair_features(static: np.ndarray, inter: np.ndarray, dense: np.ndarray, bm25: np.ndarray,
                  overlap: np.ndarray, named: np.ndarray, transfer: np.ndarray, memory: tuple | None) -> np.ndarray:
    """rows × P × features for one measure: what the question's text, the bank's situations (when the measure has
    labelled situations: `memory`, the arguments of features.memory_block), other measures' labels carried over,
    and structure say of each candidate."""
    rows, count = dense.shape
    blocks = [F.question_block(dense, bm25, overlap, named), F.transfer_block(transfer)]
    if memory is not None:
        blocks.append(F.memory_block(*memory))
    blocks += [np.broadcast_to(static[None, :, :], (rows, count, static.shape[1])), inter]
    return np.concatenate(blocks, axis=-1).astype(np.float32)


def feature_names(seen: bool) -> list[str]:
    return (F.QUESTION_NAMES + F.TRANSFER_NAMES + (F.MEMORY_NAMES if seen else []) + F.STATIC_NAMES
            + F.INTERACTION_NAMES)


SILENCE_NAMES = (["top_p", "margin", "top_logit", "top_dense", "top_dense_z", "top_bm25", "top_overlap",
                  "neighbour_sim", "neighbours_silent", "neighbours_out", "gram_neighbours_silent", "modal_must",
                  "modal_status"] + [f"top:{n}" for n in F.STATIC_NAMES] + ["must*permission"])


@dataclass
class Batch:
    """Questions as the ranker sees them: each topic (a follow-up with the turn it leans on), its vector as the
    reading reads it and as the index does (`dense`: what it is compared with the provisions' views by), its
    n-grams, its field readings; in training, each row's writer (`exclude`)."""

    topics: list[str]
    vectors: np.ndarray
    dense: np.ndarray
    grams: object  # CSR rows over the training vocabulary
    fields: list[F.Fields]
    modal: np.ndarray  # rows × (must, status)
    exclude: np.ndarray | None = None


def apply_linear(params, x: np.ndarray) -> np.ndarray:
    w, b, mean, scale = params
    return ((x - mean) / scale) @ w + b


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class Ranker:
    """The (question, provision) features of a batch of questions, measure by measure, and, once fitted, the
    ranker's and the silence model's outputs. `classifiers` maps None to the provision classifier fitted on every
    training writer, and in training each writer to the one fitted without that writer."""

    def __init__(self, cands: Candidates, memory: F.Memory | None, classifiers: dict,
                 rankers: dict | None = None, silence: dict | None = None) -> None:
        self.cands, self.memory, self.classifiers = cands, memory, classifiers
        self.measures = list(memory.labels) if memory is not None else []
        self.rankers, self.silence = rankers, silence

    def prepare(self, batch: Batch) -> dict:
        """What every measure's features share: the neighbours by vector and by n-grams, their votes, and each
        question's scores for every candidate."""
        m = self.memory
        nb_index, nb_sims = m.neighbours(batch.vectors, batch.exclude)
        gram_index, gram_sims = m.neighbours(None, batch.exclude, grams=batch.grams)
        return {"nb_index": nb_index, "nb_sims": nb_sims,
                "votes": {k: m.votes(k, nb_index, nb_sims) for k in self.measures},
                "gram_votes": {k: m.votes(k, gram_index, gram_sims, F.GRAM_TEMPERATURE) for k in self.measures},
                "out_vote": self.out_votes(nb_index, nb_sims),
                "scores": [self.cands.scores(t, v) for t, v in zip(batch.topics, batch.dense)]}

    def features(self, batch: Batch, shared: dict, measure: str, rows: list[int]) -> dict:
        """The rows' candidate features for one measure: `seen` (with the bank's votes on this measure, when it
        has labelled situations) and `unseen` (what other measures' labels carry over), with the silence model's
        inputs."""
        scores = shared["scores"]
        stack = lambda name: np.stack([getattr(scores[i], name)[measure] for i in rows])  # noqa: E731
        inter = F.interactions(self.cands.flags[measure], [batch.fields[i] for i in rows])
        args = (self.cands.static[measure], inter, stack("dense"), stack("bm25"), stack("overlap"), stack("named"),
                self.transfer(measure, shared["votes"], rows))
        out = {"unseen": pair_features(*args, None), "seen": None, "rows": rows, "measure": measure,
               "silent_vote": np.zeros(len(rows), np.float32), "gram_silent_vote": np.zeros(len(rows), np.float32),
               "out_vote": shared["out_vote"][rows], "neighbour_sim": shared["nb_sims"][rows, 0]}
        if measure in shared["votes"]:
            vote, held, silent = shared["votes"][measure]
            gram_vote, gram_held, _ = shared["gram_votes"][measure]
            exclude = None if batch.exclude is None else batch.exclude[rows]
            proto, gram_proto = self.memory.prototypes(measure, batch.vectors[rows], batch.grams[rows], exclude)
            classifier = self.classifier_scores(measure, batch, rows)
            out["seen"] = pair_features(*args, (vote[rows], held[rows], gram_vote[rows], gram_held[rows], proto,
                                                gram_proto, classifier))
            out["silent_vote"] = silent[rows]
            out["gram_silent_vote"] = shared["gram_votes"][measure][2][rows]
            out["classifier_silent"] = self.classifier_silence(measure, batch, rows)
        return out

    @staticmethod
    def kind(features: dict) -> str:
        return "seen" if features["seen"] is not None else "unseen"

    def silence_inputs(self, features: dict, logits: np.ndarray, batch: Batch) -> np.ndarray:
        rows = features["rows"]
        seen = self.kind(features) == "seen"
        votes = (features["silent_vote"], features["gram_silent_vote"]) if seen else (features["out_vote"],) * 2
        return silence_features(logits, features["seen" if seen else "unseen"], features["neighbour_sim"], *votes,
                                features["out_vote"], batch.modal[rows], self.cands.static[features["measure"]],
                                features.get("classifier_silent") if seen else None)

    def outputs(self, features: dict, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Per row, each candidate's probability of being the provision that decides (given that the measure
        speaks), and the probability that the measure is silent."""
        kind = self.kind(features)
        logits = apply_linear(self.rankers[kind], features[kind])
        silent = sigmoid(apply_linear(self.silence[kind], self.silence_inputs(features, logits, batch)))
        return softmax(logits), silent

    def classifier_silence(self, measure: str, batch: Batch, rows: list[int]) -> np.ndarray:
        """How far the provision classifier puts the measure's silence above its best provision (in training, the
        classifier fitted without the row's writer)."""
        if batch.exclude is None:
            return self.classifiers[None].silence(measure, batch.grams[rows], batch.vectors[rows])
        out = np.zeros(len(rows), np.float32)
        rows = np.array(rows)
        for w in np.unique(batch.exclude[rows]):
            mine = np.flatnonzero(batch.exclude[rows] == w)
            out[mine] = self.classifiers[int(w)].silence(measure, batch.grams[rows[mine]], batch.vectors[rows[mine]])
        return out

    def classifier_scores(self, measure: str, batch: Batch, rows: list[int]) -> np.ndarray:
        """The provision classifier's scores; in training, from the classifier fitted without the row's writer."""
        refs = self.cands.refs[measure]
        if batch.exclude is None:
            return self.classifiers[None].scores(measure, refs, batch.grams[rows], batch.vectors[rows])
        out = np.zeros((len(rows), len(refs)), np.float32)
        rows = np.array(rows)
        for w in np.unique(batch.exclude[rows]):
            mine = np.flatnonzero(batch.exclude[rows] == w)
            out[mine] = self.classifiers[int(w)].scores(measure, refs, batch.grams[rows[mine]],
                                                        batch.vectors[rows[mine]])
        return out

    def out_votes(self, nb_index: np.ndarray, nb_sims: np.ndarray) -> np.ndarray:
        """The weighted share of the neighbours that no measure settles (near or outside the measures)."""
        silent = np.stack([np.nan_to_num(self.memory.silent[m].astype(np.float32), nan=1.0)
                           for m in self.measures]).min(axis=0)
        finite = np.isfinite(nb_sims)
        weights = np.where(finite, np.exp((np.where(finite, nb_sims, 0.0) - nb_sims[:, :1]) / F.TEMPERATURE), 0.0)
        weights /= weights.sum(axis=1, keepdims=True)
        return (weights * silent[nb_index]).sum(axis=1).astype(np.float32)

    def transfer(self, measure: str, votes: dict, rows: list[int]) -> np.ndarray:
        """What other measures' labels on the neighbours say of this measure's candidates."""
        sources = [m for m in self.measures if m != measure]
        if not sources:
            return np.zeros((len(rows), len(self.cands.refs[measure])), np.float32)
        carried = [votes[s][0][rows] @ self.cands.transfer(s, measure) for s in sources]
        return np.mean(carried, axis=0).astype(np.float32)


def silence_features(logits: np.ndarray, pair: np.ndarray, neighbour_sim: np.ndarray, silent_vote: np.ndarray,
                     gram_silent_vote: np.ndarray, out_vote: np.ndarray, modal: np.ndarray, static: np.ndarray,
                     classifier_silent: np.ndarray | None) -> np.ndarray:
    """rows × features: how sure the ranker is of its best candidate in this measure, how close the nearest
    situations are (by vector and by n-grams) and whether this measure settled them, whether a "must" or "is it"
    is asked, what the best candidate is (its static features: a "must" question met by a permission is not
    settled by it) and, for a measure with labelled situations, what they say of it. (The scope classifier's
    reading is left out: measured on the calibration part, it made silence worse.)"""
    probs = softmax(logits)
    order = np.argsort(-logits, axis=1)
    best, second = order[:, 0], order[:, 1] if logits.shape[1] > 1 else order[:, 0]
    rows = np.arange(len(logits))
    top = pair[rows, best]
    kind = static[best]
    permission = kind[:, [F.STATIC_NAMES.index("modality=may_alone"), F.STATIC_NAMES.index("modality=may")]].sum(axis=1)
    memory = [] if classifier_silent is None else [top[:, MEMORY_START:MEMORY_START + len(F.MEMORY_NAMES)],
                                                   classifier_silent]
    return np.column_stack([probs[rows, best], probs[rows, best] - probs[rows, second], logits[rows, best],
                            top[:, 0], top[:, 1], top[:, 3], top[:, 5], neighbour_sim, silent_vote, out_vote,
                            gram_silent_vote, modal, kind, modal[:, 0] * permission, *memory]).astype(np.float32)


MEMORY_START = len(F.QUESTION_NAMES) + len(F.TRANSFER_NAMES)  # where a seen pair's memory features start


def softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


__all__ = ["Batch", "Candidates", "Ranker", "SILENCE_NAMES", "Scores", "apply_linear", "candidates",
           "feature_names", "pair_features", "sigmoid", "silence_features", "softmax"]
