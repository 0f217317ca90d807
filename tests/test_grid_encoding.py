"""Tests of spectral_lib.networks.grid_encoding against independent references.

The references: scipy's ``RegularGridInterpolator`` (linear) on each level's vertex values,
a plain loop over the corners of the cell, the vertex values themselves, autograd's
gradient support, and closed forms of the resolutions and parameter counts.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.interpolate import RegularGridInterpolator

from spectral_lib import networks
from spectral_lib.networks.grid_encoding import MultiresolutionGrid


def _random_grid(dim, levels, features, n_min, n_max, seed):
    enc = MultiresolutionGrid(dim, levels, features, n_min, n_max, init_scale=1.0, seed=seed)
    return enc.double()


@settings(deadline=None, max_examples=25)
@given(levels=st.integers(1, 4), features=st.integers(1, 3), n_min=st.integers(1, 5),
       growth=st.integers(0, 12), seed=st.integers(0, 1000))
def test_2d_encoding_is_bilinear_interpolation_of_each_level(levels, features, n_min, growth, seed):
    enc = _random_grid(2, levels, features, n_min, n_min + growth, seed)
    x = np.random.default_rng(seed).uniform(0, 1, (40, 2))
    x[:4] = [[0, 0], [1, 1], [0, 1], [1, 0.3]]  # the borders, x = 1 included
    got = enc(torch.from_numpy(x)).detach().numpy()
    for lv, n in enumerate(enc.resolutions):
        values = enc.level_table(lv).detach().numpy().reshape(n + 1, n + 1, features)
        axis = np.arange(n + 1) / n
        ref = RegularGridInterpolator((axis, axis), values, method="linear")(x)
        np.testing.assert_allclose(got[:, lv * features:(lv + 1) * features], ref, rtol=1e-10, atol=1e-12)


@settings(deadline=None, max_examples=15)
@given(dim=st.integers(1, 3), seed=st.integers(0, 1000))
def test_d_linear_interpolation_matches_a_plain_corner_loop(dim, seed):
    enc = _random_grid(dim, 3, 2, 2, 7, seed)
    x = np.random.default_rng(seed).uniform(0, 1, (12, dim))
    got = enc(torch.from_numpy(x)).detach().numpy()
    for p in range(x.shape[0]):
        for lv, n in enumerate(enc.resolutions):
            values = enc.level_table(lv).detach().numpy().reshape((n + 1,) * dim + (2,))
            ref = np.zeros(2)
            for corner in np.ndindex(*(2,) * dim):
                k, w = [], 1.0
                for a in range(dim):
                    i = min(int(np.floor(x[p, a] * n)), n - 1)
                    t = x[p, a] * n - i
                    k.append(i + corner[a])
                    w *= t if corner[a] else 1 - t
                ref += w * values[tuple(k)]
            np.testing.assert_allclose(got[p, 2 * lv:2 * lv + 2], ref, rtol=1e-10, atol=1e-12)


def test_at_a_vertex_the_feature_is_the_vertex_value():
    enc = _random_grid(2, 3, 2, 2, 8, seed=3)
    for lv, n in enumerate(enc.resolutions):
        values = enc.level_table(lv).detach().numpy().reshape(n + 1, n + 1, 2)
        for i, j in [(0, 0), (n, n), (1, n - 1), (n // 2, 0)]:
            got = enc(torch.tensor([[i / n, j / n]], dtype=torch.float64)).detach().numpy()[0]
            np.testing.assert_allclose(got[2 * lv:2 * lv + 2], values[i, j], rtol=0, atol=1e-12)


def test_gradients_reach_only_the_four_vertices_around_the_point_on_each_level():
    enc = _random_grid(2, 4, 2, 3, 17, seed=5)
    x = torch.tensor([[0.37, 0.81]], dtype=torch.float64)
    enc(x).sum().backward()
    g = enc.table.grad.abs().sum(dim=1).numpy()
    for lv, n in enumerate(enc.resolutions):
        rows = g[enc.offsets[lv]:enc.offsets[lv] + (n + 1) ** 2].reshape(n + 1, n + 1)
        i, j = (int(np.floor(v * n)) for v in (0.37, 0.81))
        expected = {(i, j), (i + 1, j), (i, j + 1), (i + 1, j + 1)}
        assert set(zip(*np.nonzero(rows), strict=True)) == expected
        # d(feature)/d(vertex) is the bilinear weight; the four weights sum to one per feature
        assert rows.sum() == pytest.approx(2.0, rel=1e-12)


def test_the_network_trains_in_the_engine_like_separate_adam_runs():
    from spectral_lib import training

    x = torch.from_numpy(np.random.default_rng(0).uniform(0, 1, (30, 2)))
    y = torch.sin(6 * x[:, :1]) * torch.cos(4 * x[:, 1:])
    nets = [networks.grid_mlp(2, [8], levels=3, features=2, base_resolution=2, max_resolution=8, seed=s)
            for s in range(2)]
    hist = training.train_full_batch(nets, x, y, steps=25, lr=1e-2, record_every=25, progress=False,
                                     device="cpu", dtype=torch.float64)
    assert hist.backend == "vmap"
    _, ref_loss = training.train_separately(nets, x, y, steps=25, lr=1e-2, dtype=torch.float64)
    np.testing.assert_allclose(hist.loss, ref_loss[[0, -1]], rtol=1e-9)


def test_determinism_with_the_seed_and_resolutions():
    a, b, c = (MultiresolutionGrid(2, 4, 2, 4, 32, seed=s) for s in (1, 1, 2))
    assert torch.equal(a.table, b.table) and not torch.equal(a.table, c.table)
    assert float(a.table.detach().abs().max()) <= networks.grid_encoding.INIT_SCALE
    n = networks.level_resolutions(8, 16, 512)
    b_ = np.exp((np.log(512) - np.log(16)) / 7)
    assert n == tuple(int(np.floor(16 * b_**lv + 1e-6)) for lv in range(8)) and n[-1] == 512
    net = networks.grid_mlp(2, [64, 64], levels=8, features=2, base_resolution=4, max_resolution=64, seed=0)
    total = sum(p.numel() for p in net.parameters())
    assert total == networks.grid_parameter_count(2, 8, 2, 4, 64) + 17 * 64 + 65 * 64 + 65
    x = torch.from_numpy(np.random.default_rng(1).uniform(0, 1, (6, 2))).float()
    assert torch.equal(net(x), networks.grid_mlp(2, [64, 64], levels=8, features=2, base_resolution=4,
                                                 max_resolution=64, seed=0)(x))


def test_inputs_are_validated():
    enc = MultiresolutionGrid(2, 2, 2, 2, 4)
    with pytest.raises(ValueError):
        enc(torch.tensor([[0.5, 1.5]]))
    with pytest.raises(ValueError):
        enc(torch.tensor([[0.5, float("nan")]]))
    with pytest.raises(ValueError):
        enc(torch.rand(3, 3))
    with pytest.raises(TypeError):
        enc(np.zeros((3, 2)))
    with pytest.raises(TypeError):
        enc(torch.zeros(3, 2, dtype=torch.long))
    for bad in [dict(levels=0), dict(features=0), dict(base_resolution=5), dict(dim=5)]:
        kw = dict(dim=2, levels=2, features=2, base_resolution=2, max_resolution=4) | bad
        with pytest.raises(ValueError):
            MultiresolutionGrid(**kw)
    with pytest.raises(ValueError):
        MultiresolutionGrid(2, 2, 2, 2, 4, init_scale=-1.0)
    with pytest.raises(ValueError):
        enc.level_table(2)


def test_reused_lookups_follow_in_place_changes_of_the_input():
    enc = _random_grid(2, 3, 2, 2, 8, seed=4)
    x = torch.from_numpy(np.random.default_rng(2).uniform(0, 1, (9, 2)))
    first = enc(x).detach().clone()
    x[0] = torch.tensor([0.9, 0.05], dtype=torch.float64)
    fresh = enc(x.clone()).detach()
    np.testing.assert_array_equal(enc(x).detach().numpy(), fresh.numpy())
    assert not torch.equal(first[0], fresh[0])


def test_radial_band_errors_against_a_plain_loop_over_frequencies():
    from spectral_lib.experiments.multiresolution import radial_band_errors

    gen = np.random.default_rng(0)
    n = 12
    y, p = gen.normal(size=(n, n)), gen.normal(size=(2, n, n))
    edges = [0.5, 2.0, 4.5, 9.0]
    Y, R = np.fft.fft2(y), np.fft.fft2(y - p)
    ref = np.zeros((2, 3))
    for b in range(3):
        num, den = np.zeros(2), 0.0
        for i in range(n):
            for j in range(n):
                mi, mj = (i if i <= n // 2 else i - n), (j if j <= n // 2 else j - n)
                if edges[b] <= np.hypot(mi, mj) < edges[b + 1]:
                    num += np.abs(R[:, i, j]) ** 2
                    den += np.abs(Y[i, j]) ** 2
        ref[:, b] = num / den
    np.testing.assert_allclose(radial_band_errors(y, p, edges), ref, rtol=1e-12)
    # predicting zero misses everything; the exact image nothing
    np.testing.assert_allclose(radial_band_errors(y, np.zeros((n, n)), edges), 1.0)
    np.testing.assert_allclose(radial_band_errors(y, y, edges), 0.0, atol=1e-25)
    with pytest.raises(ValueError):
        radial_band_errors(y, p, [2.0, 1.0])
    with pytest.raises(ValueError):
        radial_band_errors(y, p[:, :5], edges)
