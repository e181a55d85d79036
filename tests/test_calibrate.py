"""The confidence threshold: chosen on out-of-fold confidences so that the answers that would commit are
confidently wrong on at most `target` of all yes/no questions, and on at most `per_writer` of each writer's."""
import json

import numpy as np
import pytest

from assistant import confidence
from assistant.confidence import EVIDENCE, TRUSTS, Forest
from eval.calibrate import TREES, fit, fit_model, threshold


def evidence_sample(n=1500, seed=0):
    """Evidence rows and whether each verdict was right, the chance rising with the first feature and falling with
    the fifth, as the real evidence does."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (n, len(EVIDENCE)))
    right = (rng.uniform(0, 1, n) < 0.2 + 0.7 * x[:, 0] - 0.2 * x[:, 4] + 0.2).astype(float)
    return x, right


def test_the_forest_read_out_predicts_as_the_fitted_trees():
    """The trees are read out of scikit-learn into arrays the assistant walks without it: same chances, and the same
    again after the JSON that carries them."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, right = evidence_sample()
    fitted = HistGradientBoostingClassifier(monotonic_cst=list(TRUSTS), random_state=0, **TREES).fit(x, right)
    forest = fit_model(x, right, TRUSTS)
    probe = np.random.default_rng(1).uniform(0, 1, (400, len(EVIDENCE)))
    assert forest.predict(probe) == pytest.approx(fitted.predict_proba(probe)[:, 1], abs=1e-12)
    again = Forest.of(json.loads(json.dumps(forest.table())))
    assert again.predict(probe) == pytest.approx(forest.predict(probe), abs=1e-12)
    assert forest.feature.shape[0] == TREES["max_iter"] and forest.depth <= TREES["max_depth"]


def test_more_trust_never_lowers_the_confidence():
    """Each piece of evidence moves the confidence one way only (TRUSTS): more agreement or less doubt, never less
    sure."""
    x, right = evidence_sample()
    forest = fit_model(x, right, TRUSTS)
    probe = np.random.default_rng(2).uniform(0, 1, (300, len(EVIDENCE)))
    for k, way in enumerate(TRUSTS):
        moved = probe.copy()
        moved[:, k] = np.clip(moved[:, k] + 0.3 * way, 0, 1)
        assert (forest.predict(moved) >= forest.predict(probe) - 1e-12).all(), EVIDENCE[k]


@pytest.mark.parametrize("trees", [None, {"depth": 1}, {"depth": 1, "feature": [[0, 0]], "threshold": [[0.5]],
                                                      "left": [[1, 1]], "right": [[1, 1]], "value": [[0, 0]]},
                                   {"depth": 1, "feature": [[99, 0, 0]], "threshold": [[0.5, 0, 0]],
                                    "left": [[1, 1, 2]], "right": [[2, 1, 2]], "value": [[0, 1, -1]]}])
def test_a_calibration_without_a_forest_that_fits_is_not_applied(tmp_path, trees):
    """A damaged calibration file (no trees, arrays of unequal shapes, a feature or node out of range) leaves the
    answers uncalibrated, with the default threshold, rather than failing every verdict."""
    (tmp_path / "manifest.json").write_text(json.dumps({"depends": "r"}), encoding="utf-8")
    table = {"features": list(EVIDENCE), "threshold": 0.5, "baseline": 0.0} | ({"trees": trees} if trees else {})
    (tmp_path / confidence.CALIBRATION).write_text(json.dumps({"reader": "r", "verdict": table}), encoding="utf-8")
    confidence.calibration.cache_clear()
    try:
        assert confidence.calibration(str(tmp_path)) == {}
        assert confidence.threshold(str(tmp_path)) == confidence.DEFAULT_THRESHOLD
        assert confidence.calibrated("verdict", np.full(len(EVIDENCE), 0.7), str(tmp_path)) == 0.7
    finally:
        confidence.calibration.cache_clear()


def test_the_threshold_is_the_lowest_confidence_within_the_target():
    confidence = np.array([0.99, 0.98, 0.97, 0.96, 0.95, 0.90])
    right = np.array([1, 1, 0, 1, 0, 1], float)
    assert threshold(confidence, right, 100, 0.01) == 0.96  # one wrong of 100 at 0.96; two at 0.95
    assert threshold(confidence, right, 100, 0.02) == 0.90
    assert threshold(confidence, right, 10, 0.0) == 0.98


def test_one_writer_above_its_share_raises_the_threshold():
    """Pooled, eight writers' errors stay within 1%; one writer's fall at high confidence, over 2% of its questions:
    the threshold rises above them."""
    rng = np.random.default_rng(0)
    writers = np.repeat([f"w{k}" for k in range(8)], 200)
    evidence = rng.uniform(0, 1, (len(writers), 1))
    right = (evidence[:, 0] > 0.3).astype(float)  # wrong only at low evidence...
    worst = np.flatnonzero((writers == "w0") & (evidence[:, 0] > 0.85))[:8]
    right[worst] = 0.0  # ...except 8 of w0's 200 (4%), at high evidence
    totals = {w: 200 for w in sorted(set(writers))}
    pooled = fit(evidence, right, list(writers), totals, target=0.01, per_writer=1.0, trusts=(1,))
    guarded = fit(evidence, right, list(writers), totals, target=0.01, per_writer=0.02, trusts=(1,))
    assert guarded["threshold"] > pooled["threshold"]
    assert guarded["fitted_on"]["committed"] < pooled["fitted_on"]["committed"]
    assert pooled["fitted_on"]["confidently_wrong"] <= 0.01 and guarded["fitted_on"]["confidently_wrong"] <= 0.01
