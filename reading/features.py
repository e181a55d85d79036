"""Features of a (question, provision) pair for the provision ranker, and of a (question, measure) pair for the
silence model, shared by training and answering.

What says that a provision is the one a question is about:
- the encoder: how close the question is to the provision's text, with its lead and alone (and how far above the rest);
- BM25 over the provisions' words, and the IDF-weighted share of the question's words the provision holds;
- the bank's nearest situations (`Memory`): how many of the questions most like this one were labelled with the
  provision; and, for a measure no situation was labelled in, the labels of other measures' provisions that say
  the same thing (`transfer`);
- structure: the provision's modality and subject against what the question asks of whom (the field readings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from corpus.provisions import MODALITIES, Provision
from reading.rows import Rows

SIDES = ("auxiliary", "agency", "officer", "candidate", "government", "public")
# whose conduct a provision rules on, in the reading's terms
SUBJECT_SIDE = {"auxiliary": "auxiliary", "agency": "agency", "employer": "agency", "officer": "officer",
                "government": "government", "department": "government", "candidate": "candidate"}
KINDS = ("article", "paragraph", "item", "subitem")
NEIGHBOURS = 20
TEMPERATURE = 0.02  # softmax over neighbour similarities: e5's cosines are compressed into a narrow band
TRANSFER_TEMPERATURE = 0.02


def static_features(p: Provision) -> np.ndarray:
    """What a provision is, independent of any question: its modality, whom it binds, its kind, a catch-all,
    limits by number, an exception."""
    side = SUBJECT_SIDE.get(p.subject)
    return np.array([*(float(p.modality == m) for m in MODALITIES), *(float(side == s) for s in SIDES),
                     *(float(p.kind == k) for k in KINDS), float(p.catch_all), float(bool(p.thresholds)),
                     float(bool(p.exceptions)), float(bool(p.sanctioned_by))], dtype=np.float32)


STATIC_NAMES = ([f"modality={m}" for m in MODALITIES] + [f"binds={s}" for s in SIDES] + [f"kind={k}" for k in KINDS]
                + ["catch_all", "thresholds", "exception", "sanctioned"])


@dataclass(frozen=True)
class Fields:
    """The field readings a ranker feature may use: probabilities of whose conduct, how, in which form."""

    side: dict[str, float]
    form: dict[str, float]
    against: float  # P(the question goes against what a provision requires, permits or states)
    modal: dict[str, float]
    manner: dict[str, float]
    number_unit: str | None


UNITS = ("age", "day", "education")


def flags(p: Provision) -> np.ndarray:
    """What of a provision the interactions weigh: whom it binds, and whether it is a condition or bar of hire, a
    sanction, a list's lead or paragraph, about acting alone, with an officer, a duty, a statement, a duty or
    right, and which units it limits."""
    side = SUBJECT_SIDE.get(p.subject)
    m = p.modality
    return np.array([*(float(side == s) for s in SIDES), float(m in ("condition", "bar")), float(m == "sanction"),
                     float(p.kind != "item"), float(m in ("may_alone", "must_not_alone")), float(m == "with_officer"),
                     float(m == "must"), float(m in ("statement", "definition")), float(m in ("must", "right")),
                     *(float(any(t.unit == u for t in p.thresholds)) for u in UNITS)], dtype=np.float32)


def interactions(table: np.ndarray, fields: list[Fields]) -> np.ndarray:
    """rows × P × 11: each candidate's `flags` (P × 17) against each question's field readings."""
    side = np.array([[f.side.get(s, 0.0) for s in SIDES] for f in fields], np.float32)
    form = np.array([[f.form.get("consequence", 0.0), f.form.get("list", 0.0)] for f in fields], np.float32)
    manner = np.array([[f.manner.get("alone", 0.0), f.manner.get("with_officer", 0.0)] for f in fields], np.float32)
    modal = np.array([[f.modal.get("must", 0.0), f.modal.get("status", 0.0)] for f in fields], np.float32)
    omits = np.array([f.against for f in fields], np.float32)
    unit = np.array([[float(f.number_unit == u) for u in UNITS] for f in fields], np.float32)
    n = len(SIDES)
    col = lambda k: table[None, :, n + k]  # noqa: E731  a flag after the sides, broadcast over rows
    return np.stack([
        side @ table[:, :n].T,
        side[:, SIDES.index("candidate"), None] * col(0),
        form[:, 0, None] * col(1),
        (1.0 - form[:, 0, None]) * col(1),
        form[:, 1, None] * col(2),
        manner[:, 0, None] * col(3),
        manner[:, 1, None] * col(4),
        modal[:, 0, None] * col(5),
        modal[:, 1, None] * col(6),
        omits[:, None] * col(7),
        unit @ table[:, n + 8:].T,
    ], axis=-1).astype(np.float32)


INTERACTION_NAMES = ["side_match", "candidate*hire", "consequence*sanction", "other*sanction", "list*not_item",
                     "alone*alone", "with*with", "must*must", "status*statement", "omits*duty", "number_unit"]


class Memory:
    """The bank's training situations: their vectors, hashed n-grams, writers and labels, for votes of the
    nearest situations and for each provision's prototype (the mean of the situations labelled with it).

    `labels[m]` is a matrix (situations × the measure's candidate provisions): 1 for the deciding provision, 0.5
    for others that settle it; `silent[m]` is 1 where the measure does not settle the situation, 0 where it does,
    NaN where the writer did not label that measure. In training, `exclude` leaves a question's own writer out
    of everything it is compared with: a writer's own questions would vote for themselves."""

    def __init__(self, vectors: np.ndarray, grams: Rows | None, writers: np.ndarray, labels: dict[str, np.ndarray],
                 silent: dict[str, np.ndarray], candidates: dict[str, list[str]], grams_t: Rows | None = None,
                 whole: dict | None = None) -> None:
        """`grams` (situations × n-grams) is needed in training only; answering reads them by column (`grams_t`)
        and each provision's prototypes (`whole`), both derived from `grams` when not given."""
        self.vectors, self.grams, self.writers = vectors, grams, writers
        self.labels, self.silent, self.candidates = labels, silent, candidates
        self._grams_t = grams_t if grams_t is not None else grams.transposed()
        self._sums: dict = {}
        self._by_writer: dict = {}
        self._whole: dict = dict(whole or {})

    def state(self) -> dict[str, np.ndarray]:
        """What answering reads of the memory (reading.model.answer_state)."""
        t = self._grams_t
        out = {"memory.vectors": self.vectors, "memory.grams_t.data": t.data, "memory.grams_t.indices": t.indices,
               "memory.grams_t.indptr": t.indptr, "memory.grams_t.shape": np.array(t.shape)}
        for m in self.labels:
            out[f"memory.whole.{m}.dense"], out[f"memory.whole.{m}.grams"] = self._prototype_matrices(m)
        return out

    @classmethod
    def from_state(cls, state, measures: list[str], candidates: dict[str, list[str]]) -> Memory:
        grams_t = Rows.from_arrays(state["memory.grams_t.data"], state["memory.grams_t.indices"],
                                   state["memory.grams_t.indptr"], state["memory.grams_t.shape"])
        return cls(state["memory.vectors"], None, state["memory.writers"],
                   {m: state[f"memory.labels.{m}"] for m in measures}, {m: state[f"memory.silent.{m}"] for m in measures},
                   candidates, grams_t, {m: (state[f"memory.whole.{m}.dense"], state[f"memory.whole.{m}.grams"])
                                         for m in measures})

    def neighbours(self, vectors: np.ndarray, exclude: np.ndarray | None = None, k: int = NEIGHBOURS,
                   grams=None):
        """For each query row, its k nearest situations (indices, similarities): by the encoder, or (with
        `grams`) by hashed n-grams."""
        sims = vectors @ self.vectors.T if grams is None else grams.dot_rows(self._grams_t)
        if exclude is not None:
            sims[exclude[:, None] == self.writers[None, :]] = -np.inf
        k = min(k, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top_sims = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_sims, axis=1)
        return np.take_along_axis(top, order, axis=1), np.take_along_axis(top_sims, order, axis=1)

    def votes(self, measure: str, index: np.ndarray, sims: np.ndarray, temperature: float = TEMPERATURE):
        """Per query row and candidate provision: the similarity-weighted share of the neighbours labelled with
        it, and the similarity of the closest such neighbour; per row, the weighted share of neighbours in which
        the measure is silent. Neighbours that did not label the measure do not vote on it."""
        labels, silent = self.labels[measure][index].astype(np.float32), self.silent[measure][index]
        known = ~np.isnan(silent)
        finite = np.isfinite(sims)
        weights = np.where(known & finite, np.exp((np.where(finite, sims, 0.0) - np.where(finite, sims, -1e9)[:, :1])
                                                  / temperature), 0.0)
        total = weights.sum(axis=1, keepdims=True)
        weights = weights / np.where(total > 0, total, 1.0)
        vote = np.einsum("rk,rkp->rp", weights, labels)
        held = np.where(labels > 0, np.where(finite, sims, -1.0)[:, :, None], -1.0).max(axis=1)
        silent_vote = (weights * np.nan_to_num(silent)).sum(axis=1)
        return vote.astype(np.float32), np.maximum(held, 0.0).astype(np.float32), silent_vote.astype(np.float32)

    def _labelled(self, measure: str) -> np.ndarray:
        """situations × candidates: 1 where the situation is labelled with the candidate."""
        return (np.nan_to_num(self.labels[measure].astype(np.float32)) > 0).astype(np.float32)

    def _label_sums(self, measure: str) -> tuple[np.ndarray, np.ndarray]:
        """Per candidate, the sum of the vectors and of the n-grams (dense, n-grams × candidates) of the situations
        labelled with it."""
        if measure not in self._sums:
            labelled = self._labelled(measure)
            self._sums[measure] = (labelled.T @ self.vectors, self.grams.transposed_dot(labelled))
        return self._sums[measure]

    def _writer_sums(self, measure: str) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The same sums per writer (training: a question's prototypes leave its own writer out)."""
        if measure not in self._by_writer:
            labelled, sums = self._labelled(measure), {}
            for w in np.unique(self.writers):
                rows = self.writers == w
                sums[int(w)] = (labelled[rows].T @ self.vectors[rows], self.grams[rows].transposed_dot(labelled[rows]))
            self._by_writer[measure] = sums
        return self._by_writer[measure]

    def _prototype_matrices(self, measure: str) -> tuple[np.ndarray, np.ndarray]:
        """Each provision's prototype over every writer, unit length: by vector (dim × candidates) and by n-grams
        (n-grams × candidates)."""
        if measure not in self._whole:
            d, g = self._label_sums(measure)
            d_norm, g_norm = np.linalg.norm(d, axis=1), np.linalg.norm(g, axis=0)
            self._whole[measure] = ((d / np.where(d_norm > 0, d_norm, 1.0)[:, None]).T.astype(np.float32),
                                    (g / np.where(g_norm > 0, g_norm, 1.0)).astype(np.float32))
        return self._whole[measure]

    def prototypes(self, measure: str, vectors: np.ndarray, grams, exclude: np.ndarray | None = None):
        """rows × candidates: each question's cosine to each provision's prototype, by the encoder and by n-grams
        (0 for a provision no situation was labelled with)."""
        if exclude is None:  # answering: every writer's prototypes, normalised once
            d_t, g_t = self._prototype_matrices(measure)
            return (vectors @ d_t).astype(np.float32), grams.dot(g_t)
        (dense_sum, gram_sum), per_writer = self._label_sums(measure), self._writer_sums(measure)
        rows = vectors.shape[0]
        out_dense = np.zeros((rows, dense_sum.shape[0]), np.float32)
        out_grams = np.zeros((rows, dense_sum.shape[0]), np.float32)
        for w in np.unique(exclude):
            idx = np.flatnonzero(exclude == w)
            d, g = dense_sum, gram_sum
            if int(w) in per_writer:
                d, g = d - per_writer[int(w)][0], g - per_writer[int(w)][1]
            d_norm, g_norm = np.linalg.norm(d, axis=1), np.linalg.norm(g, axis=0)
            out_dense[idx] = (vectors[idx] @ d.T) / np.where(d_norm > 0, d_norm, 1.0)
            out_grams[idx] = grams[idx].dot(g) / np.where(g_norm > 0, g_norm, 1.0)
        return out_dense, out_grams


SILENT = "__silent__"  # the provision classifier's class for a question the measure does not settle


class ProvisionClassifier:
    """Per measure, a linear classifier from a question (its n-grams and vector) to the provision that decides
    it, or to SILENT when the measure does not settle it, fitted on the bank: a discriminative view beside the
    neighbours' votes. `scores` gives every candidate's decision value (a candidate no situation was labelled with
    gets the lowest); `silence` how far SILENT leads the best provision."""

    DENSE_WEIGHT = 2.0

    def __init__(self, weights: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]]) -> None:
        # measure -> (n-gram weights: n-grams × classes, vector weights: dim × classes (DENSE_WEIGHT applied),
        # intercepts, class refs)
        self.weights = weights

    @classmethod
    def from_coef(cls, weights: dict[str, tuple[np.ndarray, np.ndarray, list[str]]], n_grams: int) -> ProvisionClassifier:
        """From scikit-learn's layout: coef (classes × (n-grams + vector)), intercept, classes."""
        return cls({m: (np.ascontiguousarray(coef[:, :n_grams].T, dtype=np.float32),
                        np.ascontiguousarray(coef[:, n_grams:].T * cls.DENSE_WEIGHT, dtype=np.float32),
                        np.asarray(bias, np.float32), classes) for m, (coef, bias, classes) in weights.items()})

    def coef(self, measure: str) -> np.ndarray:
        """scikit-learn's layout again (classes × (n-grams + vector)), as the reader is saved."""
        gram_w, vector_w, _, _ = self.weights[measure]
        return np.hstack([gram_w.T, vector_w.T / self.DENSE_WEIGHT])

    def state(self) -> dict[str, np.ndarray]:
        return {f"classifier.{m}.{part}": value for m, (gram_w, vector_w, bias, _) in self.weights.items()
                for part, value in (("gram_w", gram_w), ("vector_w", vector_w), ("bias", bias))}

    @classmethod
    def from_state(cls, state, classes: dict[str, list[str]]) -> ProvisionClassifier:
        return cls({m: (state[f"classifier.{m}.gram_w"], state[f"classifier.{m}.vector_w"], state[f"classifier.{m}.bias"],
                        refs) for m, refs in classes.items()})

    @classmethod
    def fit(cls, grams, vectors: np.ndarray, labels: dict[str, list[tuple[int, str]]], c: float = 1.0):
        """`labels[m]`: (row, deciding provision) for the rows whose measure m settles them."""
        from scipy.sparse import csr_matrix, hstack
        from sklearn.svm import LinearSVC

        x = hstack([grams.scipy(), csr_matrix(vectors * cls.DENSE_WEIGHT)], format="csr")
        out = {}
        for m, pairs in labels.items():
            rows = [r for r, _ in pairs]
            y = [ref for _, ref in pairs]
            if len(set(y)) < 2:
                continue
            model = LinearSVC(C=c, max_iter=5000, random_state=0).fit(x[rows], y)
            coef = model.coef_ if len(model.classes_) > 2 else np.vstack([-model.coef_, model.coef_])
            bias = model.intercept_ if len(model.classes_) > 2 else np.array([-model.intercept_[0], model.intercept_[0]])
            out[m] = (coef.astype(np.float32), bias.astype(np.float32), [str(k) for k in model.classes_])
        return cls.from_coef(out, grams.shape[1])

    def values(self, measure: str, grams, vectors: np.ndarray) -> np.ndarray:
        gram_w, vector_w, bias, _ = self.weights[measure]
        return grams.dot(gram_w) + vectors @ vector_w + bias

    def scores(self, measure: str, candidates: list[str], grams, vectors: np.ndarray) -> np.ndarray | None:
        if measure not in self.weights:
            return None
        values = self.values(measure, grams, vectors)
        out = np.full((vectors.shape[0], len(candidates)), values.min() - 1.0, np.float32)
        position = {r: i for i, r in enumerate(candidates)}
        for k, ref in enumerate(self.weights[measure][3]):
            if ref in position:
                out[:, position[ref]] = values[:, k]
        return out

    def silence(self, measure: str, grams, vectors: np.ndarray) -> np.ndarray:
        """rows: SILENT's decision value less the best provision's (0 when the measure has no such class)."""
        classes = self.weights[measure][3] if measure in self.weights else []
        if SILENT not in classes:
            return np.zeros(vectors.shape[0], np.float32)
        values = self.values(measure, grams, vectors)
        k = classes.index(SILENT)
        return (values[:, k] - np.delete(values, k, axis=1).max(axis=1)).astype(np.float32)


def transfer_matrix(vectors: dict[str, np.ndarray], source: str, target: str) -> np.ndarray:
    """How a label on each provision of `source` carries over to the provisions of `target`: a softmax over the
    target's provisions of their similarity to the source provision (source × target)."""
    sims = vectors[source] @ vectors[target].T
    weights = np.exp((sims - sims.max(axis=1, keepdims=True)) / TRANSFER_TEMPERATURE)
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 / (1 + rank) of each score within its row (the best is 1)."""
    position = np.argsort(np.argsort(-scores, axis=-1, kind="stable"), axis=-1, kind="stable")
    return (1.0 / (1.0 + position)).astype(np.float32)


def zscores(scores: np.ndarray) -> np.ndarray:
    mean, spread = scores.mean(axis=-1, keepdims=True), scores.std(axis=-1, keepdims=True)
    return ((scores - mean) / np.where(spread > 1e-9, spread, 1.0)).astype(np.float32)


def normalised(scores: np.ndarray) -> np.ndarray:
    top = scores.max(axis=-1, keepdims=True)
    return (scores / np.where(top > 0, top, 1.0)).astype(np.float32)


QUESTION_NAMES = ["dense", "dense_z", "dense_rank", "bm25", "bm25_rank", "overlap", "named"]
MEMORY_NAMES = ["vote", "vote_rank", "held", "held_z", "gram_vote", "gram_held", "proto", "proto_z", "proto_rank",
                "gram_proto", "gram_proto_rank", "classifier", "classifier_z", "classifier_rank"]
GRAM_TEMPERATURE = 0.05
TRANSFER_NAMES = ["transfer", "transfer_rank"]


def question_block(dense: np.ndarray, bm25: np.ndarray, overlap: np.ndarray, named: np.ndarray) -> np.ndarray:
    """rows × P × 7: the encoder's and BM25's view of each candidate within the measure, the share of the
    question's words it holds, and whether the question names it (第十条第（六）项, Article 10(6))."""
    return np.stack([dense, zscores(dense), ranks(dense), normalised(bm25), ranks(bm25 + 1e-6 * dense), overlap,
                     named], axis=-1)


ZH_MENTION = re.compile(r"第\s*(?P<article>[一二三四五六七八九十百零〇两\d]+)\s*条(?:\s*第\s*(?P<paragraph>[一二三四五六七八九十\d]+)\s*款)?"
                        r"(?:\s*第?\s*[（(]?\s*(?P<item>[一二三四五六七八九十\d]+)\s*[）)]?\s*项)?")
EN_MENTION = re.compile(r"\b(?:article|art\.?)\s*(?P<article>\d{1,3})(?:\s*[.(]\s*(?P<item>\d{1,2})\s*\)?)?"
                        r"(?:[,\s]+(?:item|point|paragraph|para\.?|clause)\s*(?P<item2>\d{1,2}))?", re.IGNORECASE)


def mentions(text: str) -> list[tuple[int, int | None, int | None]]:
    """The articles a question names, with the item or paragraph it names: (article, item, paragraph)."""
    from corpus.numerals import parse_number

    found = []
    for m in ZH_MENTION.finditer(text):
        number = parse_number(m.group("article"))
        if number:
            item = parse_number(m.group("item")) if m.group("item") else None
            paragraph = parse_number(m.group("paragraph")) if m.group("paragraph") else None
            found.append((int(number), int(item) if item else None, int(paragraph) if paragraph else None))
    for m in EN_MENTION.finditer(text):
        item = m.group("item") or m.group("item2")
        found.append((int(m.group("article")), int(item) if item else None, None))
    return found


def named(ref, said: list[tuple[int, int | None, int | None]]) -> float:
    """1 when the question names this provision, 0.6 when it names its article only, 0.3 when it names its article
    and another item or paragraph of it."""
    best = 0.0
    for article, item, paragraph in said:
        if article != ref.article:
            continue
        finer = item if item is not None else paragraph
        mine = ref.item if item is not None else ref.paragraph if paragraph is not None else None
        best = max(best, 0.6 if finer is None else 1.0 if finer == mine else 0.3)
    return best


def memory_block(vote: np.ndarray, held: np.ndarray, gram_vote: np.ndarray, gram_held: np.ndarray,
                 proto: np.ndarray, gram_proto: np.ndarray, classifier: np.ndarray) -> np.ndarray:
    return np.stack([vote, ranks(vote + 1e-6 * held), held, zscores(held), gram_vote, gram_held, proto,
                     zscores(proto), ranks(proto), gram_proto, ranks(gram_proto), classifier, zscores(classifier),
                     ranks(classifier)], axis=-1)


def transfer_block(transfer: np.ndarray) -> np.ndarray:
    return np.stack([transfer, ranks(transfer)], axis=-1)


__all__ = ["Fields", "INTERACTION_NAMES", "MEMORY_NAMES", "Memory", "QUESTION_NAMES", "SIDES", "STATIC_NAMES",
           "SUBJECT_SIDE", "TRANSFER_NAMES", "interactions", "memory_block", "question_block", "static_features",
           "transfer_block", "transfer_matrix"]
