"""The confidence threshold: chosen on out-of-fold confidences so that the answers that would commit are
confidently wrong on at most `target` of all yes/no questions, and on at most `per_writer` of each writer's."""
import numpy as np

from eval.calibrate import fit, threshold


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
    pooled = fit(evidence, right, list(writers), totals, target=0.01, per_writer=1.0)
    guarded = fit(evidence, right, list(writers), totals, target=0.01, per_writer=0.02)
    assert guarded["threshold"] > pooled["threshold"]
    assert guarded["fitted_on"]["committed"] < pooled["fitted_on"]["committed"]
    assert pooled["fitted_on"]["confidently_wrong"] <= 0.01 and guarded["fitted_on"]["confidently_wrong"] <= 0.01
