"""Tests of the standardised radial label noise, energy matching and the Exp3/Exp4 wiring."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets
from spectral_lib.experiments import real_data


def _direct(x_train, k, x=None, convention="code"):
    """The standardised wave computed directly, sample by sample, with the statistics module."""
    import statistics

    def psi(row):
        r = sum(v * v for v in row) ** 0.5
        return np.sin((2 * np.pi * k if convention == "code" else k) * r)

    train = [psi(row) for row in np.asarray(x_train).tolist()]
    m, s = statistics.fmean(train), statistics.pstdev(train)
    at = train if x is None else [psi(row) for row in np.asarray(x).tolist()]
    return np.array([(v - m) / s for v in at])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.05, 20.0), st.sampled_from(["code", "paper"]))
def test_standardised_radial_noise_zero_mean_unit_variance_and_direct(seed, k, convention):
    x = np.random.default_rng(seed).uniform(0.0, 3.0, size=(40, 3))
    psi = datasets.radial_noise(x, k, convention=convention)
    if psi.std() < 1e-6:
        return
    z = datasets.standardised_radial_noise(x, k, convention=convention)
    assert abs(z.mean()) < 1e-9 and abs(z.std() - 1.0) < 1e-9
    np.testing.assert_allclose(z, _direct(x, k, convention=convention), rtol=1e-9, atol=1e-9)


def test_standardised_radial_noise_on_other_inputs_uses_training_statistics():
    rng = np.random.default_rng(1)
    xt, xo = rng.normal(size=(30, 4)), rng.normal(size=(7, 4))
    z = datasets.standardised_radial_noise(xt, 0.7, x=xo)
    np.testing.assert_allclose(z, _direct(xt, 0.7, x=xo), rtol=1e-10, atol=1e-12)
    # An affine image of the raw wave: the ordering of the values is kept.
    raw = datasets.radial_noise(xo, 0.7)
    assert np.array_equal(np.argsort(z), np.argsort(raw))


def test_standardised_low_wave_on_digits_varies_instead_of_shifting():
    s = datasets.load_digits_pair()
    raw = datasets.radial_noise(s.x_train, 0.2)
    assert raw.std() < 0.2 and raw.mean() < -0.5          # nearly a constant offset
    z = datasets.standardised_radial_noise(s.x_train, 0.2)
    assert abs(z.mean()) < 1e-12 and z.std() == pytest.approx(1.0)


def test_standardised_radial_noise_rejects_constant_and_bad_input():
    x = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="constant"):
        datasets.standardised_radial_noise(x, 0.0)
    with pytest.raises(ValueError, match="constant"):
        datasets.standardised_radial_noise(np.ones((5, 2)), 1.0)     # every norm equal
    with pytest.raises(ValueError):
        datasets.standardised_radial_noise(x, -1.0)
    with pytest.raises(ValueError):
        datasets.standardised_radial_noise(x, 1.0, convention="other")
    with pytest.raises(ValueError):
        datasets.standardised_radial_noise(np.full((3, 2), np.nan), 1.0)


def test_scaled_to_rms_by_hand_and_rejects():
    z = np.array([1.0, -2.0, 2.0, 0.0])                                # RMS 1.5
    out = datasets.scaled_to_rms(z, 0.3)
    np.testing.assert_allclose(out, z * 0.2)
    assert np.sqrt(np.mean(out**2)) == pytest.approx(0.3)
    for bad in (np.zeros(3), np.array([]), np.array([[1.0]]), np.array([np.inf, 1.0])):
        with pytest.raises(ValueError):
            datasets.scaled_to_rms(bad, 1.0)
    with pytest.raises(ValueError):
        datasets.scaled_to_rms(z, -1.0)


def test_run_label_noise_standardise_option_builds_the_right_labels():
    """One plain network trained on the standardised labels equals the ensemble's member."""
    s = datasets.load_digits_pair()
    kw = dict(hidden=[8], lr=1e-3, steps=6, record_every=3, n_seeds=1)
    std = real_data.run_label_noise(s, [(0.0, 0.0), (0.2, 1.0)], **kw)
    raw = real_data.run_label_noise(s, [(0.0, 0.0), (0.2, 1.0)], standardise=False, **kw)
    np.testing.assert_array_equal(std.val(0.0, 0.0), raw.val(0.0, 0.0))   # β = 0: no noise either way
    y_std = s.y_train + datasets.standardised_radial_noise(s.x_train, 0.2)
    y_raw = s.y_train + datasets.radial_noise(s.x_train, 0.2)
    direct = real_data.train_label_sets(s.x_train, np.stack([y_std, y_raw]), x_eval=s.x_val, y_eval=s.y_val,
                                        keep_predictions=False, **kw)
    np.testing.assert_allclose(std.val(0.2, 1.0), direct.eval_loss[:, 0], rtol=1e-10)
    np.testing.assert_allclose(raw.val(0.2, 1.0), direct.eval_loss[:, 1], rtol=1e-10)
    assert configs.get("exp3").standardise and configs.get("exp3", "paper").standardise


def test_exp4_noises_are_energy_matched():
    import dataclasses

    cfg = dataclasses.replace(configs.get("exp4"), steps=1, n_seeds=1, hidden=(4,))
    res = real_data.run(cfg, use_cache=False)
    rms = {n: np.sqrt(np.mean(z**2)) for n, z in res.noises.items()}
    for n in ("hfn, paper σ", "hfn, median σ"):
        assert rms[n] == pytest.approx(rms["white"])
    raw = real_data.run(dataclasses.replace(cfg, match_rms=False), use_cache=False)
    np.testing.assert_array_equal(raw.noises["white"], res.noises["white"])
    for n in ("hfn, paper σ", "hfn, median σ"):
        ratio = res.noises[n] / raw.noises[n]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-10)         # a pure rescaling of the code's noise
