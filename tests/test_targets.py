"""Tests of spectral_lib.targets against independent references (loops, direct DFT sums, scipy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from spectral_lib import targets


def direct_dft_magnitude(y: np.ndarray, m: int) -> float:
    """|(1/N) Σ_n y_n exp(-2πi m n / N)| by a plain sum (no FFT)."""
    n = np.arange(y.size)
    return abs(np.sum(y * np.exp(-2j * np.pi * m * n / y.size))) / y.size


# --------------------------------------------------------------------------- targets


def test_unit_grid_excludes_endpoint():
    x = targets.unit_grid(200)
    assert x.shape == (200,) and x[0] == 0.0 and x[-1] == pytest.approx(199 / 200)
    assert np.allclose(np.diff(x), 1 / 200)


@pytest.mark.parametrize("bad", [0, 1, -3, 2.5, True, "200"])
def test_unit_grid_rejects_bad_sizes(bad):
    with pytest.raises(ValueError):
        targets.unit_grid(bad)


def test_amplitude_profiles():
    assert np.array_equal(targets.amplitude_profile("equal", 10), np.ones(10))
    inc = targets.amplitude_profile("increasing", 10)
    assert np.allclose(inc, [0.1 * i for i in range(1, 11)])
    assert inc[-1] / inc[0] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="setting"):
        targets.amplitude_profile("rising", 10)


@settings(max_examples=40, deadline=None)
@given(
    freqs=st.lists(st.floats(0.5, 30.0), min_size=1, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_sinusoid_mixture_matches_componentwise_loop(freqs, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 2, size=17)
    amps = rng.normal(size=len(freqs))
    phases = rng.uniform(0, 2 * np.pi, size=len(freqs))
    expected = np.zeros_like(x)
    for k, a, p in zip(freqs, amps, phases, strict=True):
        expected += [a * math.sin(2 * math.pi * k * xi + p) for xi in x]
    assert np.allclose(targets.sinusoid_mixture(x, freqs, amps, phases), expected, atol=1e-10)


def test_sinusoid_mixture_batches_over_leading_axes():
    x = targets.unit_grid(50)
    phases = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    batch = targets.sinusoid_mixture(x, [1, 3], [1.0, 0.5], phases)
    assert batch.shape == (3, 50)
    for i in range(3):
        assert np.allclose(batch[i], targets.sinusoid_mixture(x, [1, 3], [1.0, 0.5], phases[i]))


def test_sinusoid_mixture_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        targets.sinusoid_mixture([0.0, np.nan], [1], [1.0], [0.0])


@pytest.mark.parametrize("setting", targets.SETTINGS)
def test_exp1_targets_put_each_component_on_its_bin(setting):
    freqs = np.arange(5, 55, 5)
    t = targets.exp1_targets(freqs, setting, seeds=[0, 1, 2])
    assert t["y"].shape == (3, 200) and t["phases"].shape == (3, 10)
    for y in t["y"]:
        for k, a in zip(freqs, t["amplitudes"], strict=True):
            assert direct_dft_magnitude(y, k) == pytest.approx(a / 2, abs=1e-12)
        off = [direct_dft_magnitude(y, m) for m in range(1, 100) if m not in set(freqs)]
        assert max(off) < 1e-12


def test_exp1_phases_are_per_seed_and_reproducible():
    a = targets.exp1_targets([5, 10], "equal", seeds=[0, 1])
    b = targets.exp1_targets([5, 10], "equal", seeds=[1])
    assert np.array_equal(a["phases"][1], b["phases"][0])
    assert not np.allclose(a["phases"][0], a["phases"][1])
    assert np.all((a["phases"] >= 0) & (a["phases"] < 2 * np.pi))


@pytest.mark.parametrize("freqs", [[0, 5], [100], [5.5], []])
def test_exp1_targets_reject_bad_frequencies(freqs):
    with pytest.raises(ValueError):
        targets.exp1_targets(freqs, "equal", seeds=[0])


def test_exp1_targets_reject_bad_seeds():
    with pytest.raises(ValueError):
        targets.exp1_targets([5], "equal", seeds=[])
    with pytest.raises(ValueError):
        targets.exp1_targets([5], "equal", seeds=[-1])


def test_delta_target_has_flat_spectrum():
    y = targets.delta_target(200, at=0.5)
    assert y.sum() == 1.0 and y[100] == 1.0
    mags = [direct_dft_magnitude(y, m) for m in range(100)]
    assert np.allclose(mags, 1 / 200, atol=1e-15)


@pytest.mark.parametrize("at", [0.503, 1.0, -0.5])
def test_delta_target_rejects_off_grid(at):
    with pytest.raises(ValueError):
        targets.delta_target(200, at=at)


# --------------------------------------------------------------------------- summaries


def first_crossing_loop(steps, series, thr):
    for s, v in zip(steps, series, strict=True):
        if v >= thr:
            return float(s)
    return math.inf


@settings(max_examples=60, deadline=None)
@given(
    n_rec=st.integers(1, 12),
    n_series=st.integers(1, 4),
    thr=st.floats(-1, 2),
    seed=st.integers(0, 2**16),
)
def test_steps_to_threshold_matches_loop(n_rec, n_series, thr, seed):
    rng = np.random.default_rng(seed)
    steps = np.cumsum(rng.integers(1, 50, size=n_rec))
    values = rng.uniform(0, 1.5, size=(n_rec, n_series))
    got = targets.steps_to_threshold(steps, values, thr)
    expected = [first_crossing_loop(steps, values[:, j], thr) for j in range(n_series)]
    assert got.shape == (n_series,)
    assert np.array_equal(got, expected)


def test_steps_to_threshold_validates():
    with pytest.raises(ValueError, match="increasing"):
        targets.steps_to_threshold([0, 0], [0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match="shape"):
        targets.steps_to_threshold([0, 1, 2], [0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match="NaN"):
        targets.steps_to_threshold([0, 1], [0.1, np.nan], 0.5)


@settings(max_examples=60, deadline=None)
@given(
    a=st.lists(st.integers(-5, 5), min_size=3, max_size=12),
    seed=st.integers(0, 2**16),
)
def test_spearman_matches_scipy(a, seed):
    rng = np.random.default_rng(seed)
    b = rng.integers(-3, 4, size=len(a)).astype(float)
    if len(set(a)) < 2 or len(set(b)) < 2:
        with pytest.raises(ValueError, match="constant"):
            targets.spearman_rho(a, b)
        return
    assert targets.spearman_rho(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)


def test_spearman_ranks_inf_last_and_tied():
    k = [5, 10, 15, 20, 25]
    steps = [100, 300, 200, np.inf, np.inf]
    big = [100, 300, 200, 1e9, 1e9]
    assert targets.spearman_rho(k, steps) == pytest.approx(stats.spearmanr(k, big).statistic)
    assert targets.spearman_rho(k, [1, 2, 3, 4, np.inf]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="NaN"):
        targets.spearman_rho(k, [1, 2, np.nan, 4, 5])


def test_retained_amplitude_matches_direct_sums():
    rng = np.random.default_rng(0)
    x = targets.unit_grid(64)
    ref = np.sin(2 * np.pi * 3 * x) + 0.3 * np.cos(2 * np.pi * 7 * x)
    pert = ref + 0.2 * rng.normal(size=(2, 5, 64))
    got = targets.retained_amplitude(pert, ref, [3, 7])
    assert got.shape == (2, 2)
    for d in range(2):
        for j, k in enumerate([3, 7]):
            mean_mag = np.mean([direct_dft_magnitude(pert[d, s], k) for s in range(5)])
            assert got[d, j] == pytest.approx(mean_mag / direct_dft_magnitude(ref, k), rel=1e-10)


def test_retained_amplitude_is_one_without_perturbation_and_validates():
    x = targets.unit_grid(32)
    ref = np.sin(2 * np.pi * 2 * x)
    assert targets.retained_amplitude(np.stack([ref, ref]), ref, [2]) == pytest.approx([1.0])
    with pytest.raises(ValueError, match="zero amplitude"):
        targets.retained_amplitude(np.stack([ref]), ref, [5])
    with pytest.raises(ValueError, match="shape"):
        targets.retained_amplitude(ref, ref, [2])
