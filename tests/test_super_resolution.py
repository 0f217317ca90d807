"""Tests of the super-resolution pieces against plain references.

Interpolation at pixel centres, the area-averaged image pair, the radial error spectrum
(Parseval), the resolved frequency, the coordinate-network fits against a plain torch loop,
the task's split and the trials.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import datasets, training
from spectral_lib.experiments import super_resolution as sr


def _bilinear_centres_reference(a, factor):
    n = a.shape[0]
    out = np.zeros((factor * n, factor * n))
    for i in range(factor * n):
        for j in range(factor * n):
            u = min(max((i + 0.5) / factor - 0.5, 0.0), n - 1.0)
            v = min(max((j + 0.5) / factor - 0.5, 0.0), n - 1.0)
            i0, j0 = min(int(u), n - 2), min(int(v), n - 2)
            du, dv = u - i0, v - j0
            out[i, j] = ((1 - du) * (1 - dv) * a[i0, j0] + du * (1 - dv) * a[i0 + 1, j0]
                         + (1 - du) * dv * a[i0, j0 + 1] + du * dv * a[i0 + 1, j0 + 1])
    return out


@settings(deadline=None, max_examples=20)
@given(n=st.integers(2, 6), factor=st.integers(1, 4), seed=st.integers(0, 1000))
def test_centre_interpolation_matches_plain_formulas(n, factor, seed):
    a = np.random.default_rng(seed).uniform(0, 1, (n, n))
    bil = datasets.interpolate(a, factor, 1, align="centres")
    np.testing.assert_allclose(bil, _bilinear_centres_reference(a, factor), atol=1e-12)
    if factor % 2 == 0:  # nearest neighbour at the centres replicates each coarse pixel into its block
        np.testing.assert_array_equal(datasets.interpolate(a, factor, 0, align="centres"),
                                      np.kron(a, np.ones((factor, factor))))
    for order in (0, 1, 3):
        rec = datasets.interpolate(a, factor, order, align="centres")
        assert rec.shape == (factor * n, factor * n) and rec.min() >= 0 and rec.max() <= 1
        if factor == 1:
            np.testing.assert_allclose(rec, a, atol=1e-9)


def test_interpolation_reproduces_a_ramp_inside_the_grid():
    n, f = 6, 4
    i = np.arange(n)
    a = 0.1 + 0.05 * i[:, None] + 0.08 * i[None, :]
    pos = (np.arange(f * n) + 0.5) / f - 0.5
    inside = (pos >= 0) & (pos <= n - 1)
    truth = 0.1 + 0.05 * pos[:, None] + 0.08 * pos[None, :]
    rec = datasets.interpolate(a, f, 1, align="centres")  # the cubic spline's edge condition bends a ramp
    np.testing.assert_allclose(rec[np.ix_(inside, inside)], truth[np.ix_(inside, inside)], atol=1e-12)


def test_interpolation_validates():
    with pytest.raises(ValueError):
        datasets.interpolate(np.zeros((2, 2)), 2, 1, align="edges")
    with pytest.raises(ValueError):
        datasets.interpolate(np.zeros((2, 3)), 2, 1, align="centres")
    with pytest.raises(ValueError):
        datasets.interpolate(np.full((2, 2), np.nan), 2, 1)


def test_pair_is_an_exact_block_average_and_centres_match_the_grid():
    high, low = datasets.low_resolution_pair("flower", 6, 4)
    assert high.shape == (24, 24) and low.shape == (6, 6)
    np.testing.assert_allclose(low, high.reshape(6, 4, 6, 4).mean(axis=(1, 3)), atol=1e-12)
    np.testing.assert_allclose(datasets.pixel_centres(5), datasets.coordinate_grid(5) + 0.1, atol=1e-15)
    with pytest.raises(ValueError):
        datasets.low_resolution_pair("flower", 3, 4)
    with pytest.raises(ValueError):
        datasets.low_resolution_pair("flower", 8, 1)


@settings(deadline=None, max_examples=25)
@given(n=st.integers(2, 20), seed=st.integers(0, 10_000))
def test_radial_power_sums_to_the_mean_square(n, seed):
    y = np.random.default_rng(seed).normal(size=(2, n, n))
    p = sr.radial_power(y)
    np.testing.assert_allclose(p.sum(axis=-1), (y**2).mean(axis=(-2, -1)), rtol=1e-10)
    assert np.all(p >= 0)


def test_radial_power_puts_a_plane_wave_at_its_radius():
    g = np.arange(32) / 32
    X, Y = np.meshgrid(g, g, indexing="ij")
    p = sr.radial_power(0.3 * np.cos(2 * np.pi * (3 * X + 4 * Y)))
    assert int(np.argmax(p)) == 5
    np.testing.assert_allclose(p[5], 0.3**2 / 2, rtol=1e-12)
    with pytest.raises(ValueError):
        sr.radial_power(np.zeros((3, 4)))


def test_resolved_frequency():
    lost = np.array([[0.0, 0.1, 0.6, 0.1, 0.7, 0.9], [0.0, 0.0, 0.1, 0.1, 0.2, 0.3]])
    np.testing.assert_array_equal(sr.resolved_frequency(lost, smooth=1), [2.0, 6.0])
    # the moving average ignores a single bump: (0.1 + 0.6 + 0.1) / 3 < 0.5
    np.testing.assert_array_equal(sr.resolved_frequency(lost, smooth=3), [4.0, 6.0])
    with pytest.raises(ValueError):
        sr.resolved_frequency(lost, smooth=2)
    with pytest.raises(ValueError):
        sr.resolved_frequency(np.array([np.nan, 1.0]))


def _plain_fit(method, knob, lr, x_tr, y_tr, x_ev, depth, width, n_features, steps, seed):
    xin = torch.tensor(training.coordinate_inputs(method, knob, x_tr, n_features, seed), dtype=torch.float32)
    xev = torch.tensor(training.coordinate_inputs(method, knob, x_ev, n_features, seed), dtype=torch.float32)
    net = training.coordinate_network(method, knob, xin.shape[1], width, depth, seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    y = torch.tensor(y_tr[:, None], dtype=torch.float32)
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(xin), y).backward()
        opt.step()
    with torch.no_grad():
        return np.clip(net(xev).double().numpy()[:, 0], 0, 1)


@pytest.mark.parametrize("method,knob", [("none", float("nan")), ("gauss", 3.0), ("siren", 10.0)])
def test_fits_match_a_plain_torch_loop(method, knob):
    from spectral_lib.networks import coordinate

    rng = np.random.default_rng(0)
    x_tr, x_ev = rng.uniform(0, 1, (40, 2)), rng.uniform(0, 1, (15, 2))
    y_tr = rng.uniform(0, 1, 40)
    kw = dict(depth=2, target_params=300, n_features=8, steps=25)
    got = training.fit_coordinate_networks(method, [knob], 3e-3, x_tr, y_tr, x_ev, seeds=[0, 1], **kw)
    in_dim = training.coordinate_inputs(method, knob, x_tr[:1], 8, 0).shape[1]
    width = coordinate.matched_width(in_dim, 2, 300)
    for j, s in enumerate((0, 1)):
        ref = _plain_fit(method, knob, 3e-3, x_tr, y_tr, x_ev, 2, width, 8, 25, s)
        np.testing.assert_allclose(got[0, j], ref, atol=2e-5)


def test_fits_validate():
    x = np.zeros((4, 2))
    kw = dict(depth=1, target_params=50, n_features=4, steps=2, seeds=[0])
    with pytest.raises(ValueError):
        training.fit_coordinate_networks("posenc", [2, 3], 1e-3, x, np.zeros(4), x, **kw)  # two input dims
    with pytest.raises(ValueError):
        training.fit_coordinate_networks("none", [0.0], 1e-3, x, np.zeros(3), x, **kw)
    with pytest.raises(ValueError):
        training.coordinate_inputs("fourier", 1.0, x, 4, 0)


def test_task_split_and_trials():
    cfg = dataclasses.replace(sr.SuperResolutionConfig(), low_size=10, val_fraction=0.3)
    t = sr.task(cfg)
    assert t["split"].shape == (10, 10) and int(t["split"].sum()) == 30
    assert np.array_equal(sr.task(cfg)["split"], t["split"])  # deterministic
    np.testing.assert_allclose(t["x_high"][0], [1 / 80, 1 / 80])
    with pytest.raises(ValueError):
        sr.task(dataclasses.replace(cfg, val_fraction=1.0))
    tri = sr.trials(sr.SuperResolutionConfig())
    assert {len(v) for v in tri.values()} == {9}
    with pytest.raises(ValueError):
        sr.trials(dataclasses.replace(cfg, lrs_raw=(1e-3,)))
    assert sr.config("super_resolution", "paper").low_size > cfg.low_size


def test_method_trials_cross_knobs_with_learning_rates():
    import itertools

    grids = {"posenc": ([4, 8], [1e-3, 1e-2]), "grid": ([16, 32, 64, 128], [1e-2])}
    got = training.method_trials([1e-4, 1e-3, 1e-2, 1e-1], grids)
    assert list(got) == ["none", "posenc", "grid"]
    assert all(np.isnan(k) for k, _ in got["none"])
    assert [lr for _, lr in got["none"]] == [1e-4, 1e-3, 1e-2, 1e-1]
    for m, (knobs, lrs) in grids.items():
        assert got[m] == [(float(k), float(lr)) for k, lr in itertools.product(knobs, lrs)]
    with pytest.raises(ValueError, match="same number"):
        training.method_trials([1e-3], {"posenc": ([], [1e-3])})
