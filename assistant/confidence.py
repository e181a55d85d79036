"""How sure an answer is. A verdict follows symbolically from the provision and what is asked; the learned reading
gives each a probability. Every reading the question may have (each measure's likelier provisions, or its
silence; the likelier answers to does / omits, may / must / is, alone / with an officer) is run through the
provision model, and the verdicts are weighed by the readings' probabilities: the answer leans to the heaviest,
and how heavy it is, mapped through a calibration fitted on the bank's calibration part (eval/calibrate.py), is
its confidence. Below the calibrated threshold the answer does not commit: it says "需要核实 / check this" and
shows the closest provisions with what each rules.

    judged = weigh(index, q, decision)
    judged.leaning, judged.confidence, judged.committed, judged.alternatives
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from itertools import product
from pathlib import Path

import numpy as np

from assistant.query import ALONE, UNSPECIFIED, WITH_OFFICER, Query
from assistant.types import CONDITIONAL, NO, NOT_ADDRESSED, YES

STRICTNESS = {NO: 0, CONDITIONAL: 1, YES: 2}
VARIANT_MIN = 0.05  # a reading of a field at least this likely is weighed
PROVISION_MASS = 0.98  # a measure's provisions are weighed until they hold this much of its probability…
MAX_PROVISIONS = 4  # …or this many
DEFAULT_THRESHOLD = 0.9  # without a calibration file: commit only when this sure (uncalibrated)
CALIBRATION = "calibration.json"


@dataclass(frozen=True)
class Reading:
    """What a variant reads the question as asking: for it or against the provision, may / must / is, alone / with
    an officer."""

    against: bool
    modal: str
    manner: str


@dataclass(frozen=True)
class Alternative:
    """One way the question may be read, and what the provision model rules for it."""

    verdict: str
    probability: float
    findings: tuple  # per measure, the Finding this reading gives
    asked: tuple = ()  # per measure, the Reading of what is asked that gives it (None for a silent measure)


@dataclass(frozen=True)
class Judged:
    """The weighed verdict: what it leans to, how sure (raw and calibrated), whether the answer commits, the
    readings behind it, likeliest first, and the verdict to show (the likeliest reading's findings)."""

    leaning: str
    raw: float
    confidence: float
    committed: bool
    alternatives: tuple[Alternative, ...]
    distribution: dict[str, float]
    shown: object  # assistant.verdict.Verdict
    evidence: np.ndarray  # what the confidence is computed from (EVIDENCE)


def options(pairs, least: float = VARIANT_MIN) -> list[tuple]:
    """A field's values worth weighing (its top two, the second when at least `least`), renormalised."""
    kept = [(label, p) for label, p in pairs[:2] if p >= least] or [pairs[0]]
    total = sum(p for _, p in kept)
    return [(label, p / total) for label, p in kept]


def variants(q: Query) -> list[tuple[Query, float, str, str]]:
    """The readings of what is asked worth weighing, with their probabilities: may / must / is, and alone / with an
    officer (whether the question goes against a provision is weighed per provision: `sides`)."""
    out = []
    for (modal, a), (manner, b) in product(options(q.reading.modal.pairs), options(q.reading.manner.pairs)):
        variant = replace(q, must=modal == "must", asks_status=modal == "status",
                          modality={"alone": ALONE, "with_officer": WITH_OFFICER}.get(manner, UNSPECIFIED))
        out.append((variant, a * b, modal, manner))
    return out


def sides(q: Query, p) -> list[tuple[bool, float]]:
    """For or against a provision, as likely as the reading says of this kind of provision."""
    chance = q.reading.against_for(p.modality)
    return options(sorted(((True, chance), (False, 1.0 - chance)), key=lambda kv: -kv[1]))


def measure_outcomes(index, q: Query, key: str, variants_: list) -> dict[str, tuple[float, object, Reading | None]]:
    """One measure's verdicts over the readings: verdict -> (probability, the likeliest Finding that gives it, the
    reading of what is asked behind it)."""
    from assistant.verdict import Finding, Nearby, ranking, settle

    ranked = ranking(q, key)
    nearest = tuple(Nearby(str(p.ref), w) for p, w in ranked[:3])
    quiet = q.reading.silent.get(key, 1.0)
    silence = Finding(key, NOT_ADDRESSED, nearest=nearest, context=ranked[0][0] if ranked else None)
    out: dict[str, list] = {NOT_ADDRESSED: [quiet, silence, quiet, None]}  # verdict -> [total, finding, its weight, reading]
    kept, mass = [], 0.0
    for p, w in ranked:
        kept.append((p, w))
        mass += w
        if mass >= PROVISION_MASS or len(kept) >= MAX_PROVISIONS:
            break
    for p, w in kept:
        for (variant, rho, modal, manner), (opposed, alpha) in product(variants_, sides(q, p)):
            f = settle(index, replace(variant, against=opposed, against_ban=opposed), key, p, nearest)
            asked = Reading(opposed, modal, manner)
            weight = (1.0 - quiet) * (w / mass) * rho * alpha
            entry = out.setdefault(f.verdict, [0.0, f, -1.0, asked])
            entry[0] += weight
            if weight > entry[2]:
                entry[1], entry[2], entry[3] = f, weight, asked
    return {verdict: (total, f, asked) for verdict, (total, f, _, asked) in out.items()}


def combined(verdicts: tuple[str, ...]) -> str:
    """The verdict a user gets from each measure's: the strictest of those that speak; not addressed when none."""
    spoken = [v for v in verdicts if v != NOT_ADDRESSED]
    return min(spoken, key=STRICTNESS.get) if spoken else NOT_ADDRESSED


def alternatives(index, q: Query, keys: list[str]) -> list[Alternative]:
    """Every combination of the measures' verdicts, with its probability (the measures read independently),
    merged by the verdict a user gets; likeliest first."""
    variants_ = variants(q)
    per = [measure_outcomes(index, q, key, variants_) for key in keys]
    merged: dict[str, list] = {}  # verdict -> [total, best weight, findings, readings]
    for combo in product(*(list(o.items()) for o in per)):
        verdict = combined(tuple(v for v, _ in combo))
        weight = float(np.prod([p for _, (p, _, _) in combo]))
        entry = merged.setdefault(verdict, [0.0, -1.0, (), ()])
        entry[0] += weight
        if weight > entry[1]:
            entry[1:] = [weight, tuple(f for _, (_, f, _) in combo), tuple(r for _, (_, _, r) in combo)]
    ranked = sorted(merged.items(), key=lambda kv: -kv[1][0])
    return [Alternative(v, total, findings, asked) for v, (total, _, findings, asked) in ranked]


EVIDENCE = ("raw", "margin", "neighbours_agree", "neighbour_similarity", "silence_doubt", "provision_doubt",
            "against_doubt", "modal_doubt", "manner_doubt", "follows_up")


def evidence(q: Query, found: list[Alternative], keys: list[str]) -> np.ndarray:
    """What says how far to trust the verdict leaned to: its weighed probability and its lead over the next; whether
    the nearest training situations' writers answered the same; how close they are; and how unsure each reading
    behind it is (a measure's silence, its provision, for or against, may / must / is, alone / with an officer); and
    how likely the question leans on the turn before (a follow-up is read with it: one more thing to misread)."""
    r = q.reading
    raw = found[0].probability
    second = found[1].probability if len(found) > 1 else 0.0
    silence = max((min(r.silent.get(k, 1.0), 1.0 - r.silent.get(k, 1.0)) for k in keys), default=0.0)
    provision = max((1.0 - r.provisions[k][0][1] for k in keys if r.provisions.get(k) and r.silent.get(k, 1.0) < 0.5),
                    default=0.0)
    against = max(min(p, 1.0 - p) for p in r.against.values()) if r.against else 0.0
    return np.array([raw, raw - second, r.verdicts.get(found[0].verdict, 0.0),
                     r.neighbours[0][1] if r.neighbours else 0.0, silence, provision, against,
                     1.0 - r.modal.confidence, 1.0 - r.manner.confidence, r.follows_up], np.float64)


# which way each piece of evidence moves the chance that the verdict leaned to is right (EVIDENCE, in order): the
# calibration's trees are held to it, so that more agreement or less doubt never lowers a confidence
TRUSTS = (1, 1, 1, 1, -1, -1, -1, -1, -1, -1)


@dataclass(frozen=True)
class Forest:
    """Boosted regression trees over the evidence, as eval/calibrate.py fits them: the log-odds of being right are
    the baseline plus one leaf's value per tree. Arrays are trees × nodes; a row goes left where its feature is at
    most the node's threshold; a leaf points to itself, so every row walks `depth` steps."""

    baseline: float
    depth: int
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    FIELDS = {"feature": int, "threshold": np.float64, "left": int, "right": int, "value": np.float64}

    @classmethod
    def of(cls, table: dict) -> Forest:
        """The forest a calibration table holds (ValueError, KeyError or TypeError when it holds none that fits)."""
        trees = table["trees"]
        arrays = [np.array(trees[name], kind) for name, kind in cls.FIELDS.items()]
        if arrays[0].ndim != 2 or any(a.shape != arrays[0].shape for a in arrays):
            raise ValueError("trees of unequal shapes")
        feature, _, left, right, _ = arrays
        nodes = feature.shape[1]
        if feature.min(initial=0) < 0 or feature.max(initial=0) >= len(EVIDENCE) or not (
                (0 <= left).all() and (left < nodes).all() and (0 <= right).all() and (right < nodes).all()):
            raise ValueError("a node out of range")
        return cls(float(table["baseline"]), int(trees["depth"]), *arrays)

    def table(self) -> dict:
        return {"baseline": self.baseline,
                "trees": {"depth": self.depth} | {name: getattr(self, name).tolist() for name in self.FIELDS}}

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The chance of being right for each row of evidence (rows × EVIDENCE)."""
        rows, trees = np.arange(len(x))[:, None], np.arange(self.feature.shape[0])[None, :]
        node = np.zeros((len(x), self.feature.shape[0]), int)
        for _ in range(self.depth):
            goes_left = x[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            node = np.where(goes_left, self.left[trees, node], self.right[trees, node])
        return 1.0 / (1.0 + np.exp(-(self.baseline + self.value[trees, node].sum(axis=1))))


@cache
def calibration(folder: str) -> dict:
    """The calibration fitted for the reader in `folder` (eval/calibrate.py): per route, the forest that maps the
    evidence to the chance of being right, and the threshold to commit at. Empty when none was fitted for this
    reader and this evidence (one fitted for another reader, its `reader` not the manifest's `depends`, or over
    other features than EVIDENCE, would misstate every confidence), or when the file holds no forest that fits."""
    try:
        fitted = json.loads((Path(folder) / CALIBRATION).read_text(encoding="utf-8"))
        depends = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("depends")
        if not isinstance(fitted, dict) or fitted.get("reader") != depends:
            return {}
        tables = {kind: table for kind, table in fitted.items() if isinstance(table, dict)}
        if any(table.get("features") != list(EVIDENCE) for table in tables.values()):
            return {}
        return {"reader": depends} | {kind: table | {"forest": Forest.of(table), "threshold": float(table["threshold"])}
                                      for kind, table in tables.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def calibrated(kind: str, features: np.ndarray, folder: str) -> float:
    """The chance that the answer is right, by the calibration's forest for `kind` over the evidence; without a
    calibration, the raw weighed probability."""
    table = calibration(folder).get(kind)
    if not table:
        return float(features[0])
    return float(table["forest"].predict(features[None, :])[0])


def threshold(folder: str) -> float:
    return float(calibration(folder).get("verdict", {}).get("threshold", DEFAULT_THRESHOLD))


UNCALIBRATED = False  # eval.calibrate sets it while it collects the raw confidences


def weigh(index, q: Query, decision) -> Judged:
    """The verdict weighed over the question's readings; the answer shows the verdict leaned to, with the findings of
    its likeliest reading, and commits to it when the calibrated confidence reaches the threshold."""
    from assistant.resources import reader
    from assistant.verdict import Verdict

    keys = [f.measure for f in decision.findings]
    found = alternatives(index, q, keys)
    folder = str(reader().folder)
    leaning, raw = found[0].verdict, found[0].probability
    features = evidence(q, found, keys)
    confidence = raw if UNCALIBRATED else calibrated("verdict", features, folder)
    findings = sorted(found[0].findings, key=lambda f: (f.provision is None, STRICTNESS.get(f.verdict, 3)))
    shown = Verdict(q, leaning, tuple(findings), decision.also if leaning == NOT_ADDRESSED else ())
    committed = not UNCALIBRATED and confidence >= threshold(folder)
    return Judged(leaning, raw, confidence, committed, tuple(found), {a.verdict: a.probability for a in found}, shown,
                  features)


__all__ = ["Alternative", "Forest", "Judged", "alternatives", "calibrated", "calibration", "threshold", "variants", "weigh"]
