"""Tests of spectral_lib.manifolds against independent references (dense sampling,
finite differences, direct quadrature, scipy's Bessel functions, plain per-model loops)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import jv

from spectral_lib import datasets, geometry, spectra, stats, training
from spectral_lib.experiments import manifolds, manifolds_classification

petals = st.integers(min_value=0, max_value=24)


# --- geometry ------------------------------------------------------------------------


@given(L=petals, z=st.floats(min_value=-2.0, max_value=2.0, allow_nan=False))
@settings(max_examples=60, deadline=None)
def test_velocity_matches_central_difference(L, z):
    h = 1e-6
    fd = (geometry.flower_curve(z + h, L) - geometry.flower_curve(z - h, L)) / (2 * h)
    np.testing.assert_allclose(geometry.flower_velocity(z, L), fd, atol=1e-6 * (1 + L))
    assert np.isclose(geometry.flower_speed(z, L), np.linalg.norm(geometry.flower_velocity(z, L)), rtol=1e-12)


def test_speed_formula_matches_sympy_derivation():
    expr, zs, Ls = geometry.speed_squared_symbolic()
    f = sp.lambdify((zs, Ls), expr, "numpy")
    z = np.linspace(0, 1, 37)
    for L in range(25):
        np.testing.assert_allclose(np.sqrt(f(z, L)), geometry.flower_speed(z, L), rtol=1e-12)


@pytest.mark.parametrize("L", [0, 1, 2, 3, 4, 10, 16, 20])
def test_arc_length_matches_polyline(L):
    z = np.arange(200_001) / 200_000
    pts = geometry.flower_curve(z, L)
    poly = np.linalg.norm(np.diff(pts, axis=0), axis=1).sum()
    assert abs(geometry.arc_length(L) - poly) < 2e-6 * geometry.arc_length(L)
    lo, hi = geometry.length_bounds(L)
    assert lo - 1e-12 <= geometry.arc_length(L) <= hi + 1e-12


@pytest.mark.parametrize("L", [0, 1, 2, 3, 5, 10, 16, 20])
def test_max_speed_matches_dense_sampling(L):
    z = np.arange(200_001) / 200_000
    dense = geometry.flower_speed(z, L).max()
    assert dense <= geometry.max_speed(L) * (1 + 1e-12)
    assert dense >= geometry.max_speed(L) * (1 - 1e-7)


def test_geometry_table_matches_reference_values():
    # Independently computed reference values (rounded to the digits given).
    t = geometry.geometry_table([0, 2, 4, 10, 16, 20], [200])
    np.testing.assert_allclose(t["length"], [6.28, 7.70, 10.64, 21.5, 33.1, 40.9], atol=0.051)
    np.testing.assert_allclose(t["max_speed"], [6.3, 9.6, 14.1, 32.0, 50.7, 63.1], atol=0.051)
    np.testing.assert_allclose(t["cycles_per_length"][:, 0], [31.8, 26.0, 18.8, 9.3, 6.0, 4.9], atol=0.051)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_invalid_petals(bad):
    with pytest.raises(ValueError):
        geometry.flower_curve([0.0], bad)


def test_nonfinite_latent_rejected():
    with pytest.raises(ValueError):
        geometry.flower_curve([np.nan], 2)


# --- composition kernel and Jacobi–Anger ----------------------------------------------


@given(k=st.floats(min_value=0.0, max_value=60.0), alpha=st.floats(min_value=-4.0, max_value=4.0))
@settings(max_examples=30, deadline=None)
def test_circle_kernel_is_jacobi_anger(k, alpha):
    n = np.arange(41)
    P = spectra.composition_kernel(0, 40, [k], [alpha])[0]
    np.testing.assert_allclose(P, (1j) ** n * np.exp(-1j * n * alpha) * jv(n, k), atol=1e-12)
    np.testing.assert_allclose(spectra.jacobi_anger(n, k, alpha), P, atol=1e-12)


@pytest.mark.parametrize("L", [3, 10])
def test_kernel_matches_direct_quadrature(L):
    from scipy.integrate import quad

    k, alpha, n = 7.5, 0.4, 5

    def part(fun):
        def g(z):
            x = geometry.flower_curve(z, L)
            return fun(k * (np.cos(alpha) * x[0] + np.sin(alpha) * x[1]) - 2 * np.pi * n * z)

        return quad(g, 0, 1, limit=400, epsabs=1e-12)[0]

    ref = part(np.cos) + 1j * part(np.sin)
    P = spectra.composition_kernel(L, 8, [k], [alpha])[0, n]
    assert abs(P - ref) < 1e-9


def test_kernel_is_small_without_stationary_point():
    # |l| <= |k| max|γ'| is necessary for a stationary point; at half that wavenumber P is
    # orders of magnitude below its size past the threshold.
    n_max = 120
    alpha = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    for L in (0, 4, 16):
        k_star = 2 * np.pi * n_max / geometry.max_speed(L)
        below = np.abs(spectra.composition_kernel(L, n_max, np.full(16, 0.5 * k_star), alpha)[:, n_max]).max()
        above = np.abs(spectra.composition_kernel(L, n_max, np.full(16, 1.2 * k_star), alpha)[:, n_max]).max()
        assert below < 1e-2 * above


@pytest.mark.parametrize("n,order", [(0, 6), (1, 7), (3, 9)])
def test_jacobi_anger_series(n, order):
    assert spectra.jacobi_anger_series_residual(n, order) == 0


def test_jacobi_anger_series_detects_wrong_order():
    with pytest.raises(ValueError):
        spectra.jacobi_anger_series_residual(4, 2)


def test_kernel_validation():
    with pytest.raises(ValueError):
        spectra.composition_kernel(0, 5, [1.0, 2.0], [0.0])
    with pytest.raises(ValueError):
        spectra.composition_kernel(0, 5, [-1.0], [0.0])
    with pytest.raises(ValueError):
        spectra.composition_kernel(0, 10, [1.0], [0.0], n_grid=16)


# --- data -----------------------------------------------------------------------------


def test_regression_data_spectrum_is_exact():
    freqs = np.arange(20, 201, 20)
    d = datasets.regression_data(10, freqs, 1000, seed=3)
    np.testing.assert_allclose(spectra.latent_amplitudes(d.y, freqs), 1.0, atol=1e-10)
    np.testing.assert_allclose(d.x, geometry.flower_curve(d.z, 10))
    d2 = datasets.regression_data(10, freqs, 1000, seed=3)
    np.testing.assert_array_equal(d.y, d2.y)
    assert not np.allclose(datasets.regression_data(10, freqs, 1000, seed=4).y, d.y)


def test_regression_data_rejects_nyquist():
    with pytest.raises(ValueError):
        datasets.regression_data(0, [50], 100, seed=0)


@given(k=st.integers(1, 99), L=petals, seed=st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_classification_labels_are_balanced(k, L, seed):
    d = datasets.classification_data(L, k, 200, seed)
    z = geometry.latent_grid(200)
    ref = np.sin(2 * np.pi * k * z + d.phases[0]) > 0
    np.testing.assert_array_equal(d.y, ref.astype(float))
    # threshold 0 splits every full period in half
    assert abs(d.y.mean() - 0.5) <= k / 200 + 1e-12 or abs(d.y.mean() - 0.5) <= 0.02


def test_stack_datasets_shapes_and_checks():
    ds = [datasets.regression_data(L, [5], 64, 0) for L in (0, 3, 7)]
    x, y = datasets.stack_datasets(ds)
    assert x.shape == (3, 64, 2) and y.shape == (3, 64, 1) and x.dtype == torch.float32
    with pytest.raises(ValueError):
        datasets.stack_datasets([ds[0], datasets.regression_data(0, [5], 32, 0)])
    with pytest.raises(ValueError):
        datasets.stack_datasets([])


def test_rank_correlation_matches_scipy():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.integers(0, 5, 12)
        b = rng.normal(size=12)
        assert np.isclose(stats.rank_correlation(a, b), spearmanr(a, b).statistic)
    with pytest.raises(ValueError):
        stats.rank_correlation([1, 1, 1], [1, 2, 3])


# --- maps, KNN and radial spectra -------------------------------------------------------


def test_probability_map_matches_pointwise_evaluation():
    from spectral_lib import networks

    net = networks.relu_mlp(2, [16, 16], seed=1)
    pm = training.probability_map(net, extent=1.5, n=10)
    x = -1.5 + 3.0 * np.arange(10) / 10
    i, j = 3, 7  # row i is the second coordinate
    with torch.no_grad():
        logit = net(torch.tensor([[x[j], x[i]]], dtype=torch.float32)).item()
    assert np.isclose(pm[i, j], 1 / (1 + np.exp(-logit)), rtol=1e-6)


def test_knn_map_and_accuracy_match_brute_force():
    d = datasets.classification_data(4, 3, 60, seed=1)
    K = 5
    pm = training.knn_probability_map(d.x, d.y, K, extent=1.6, n=8)
    ticks = -1.6 + 3.2 * np.arange(8) / 8
    for i, j in [(0, 0), (2, 5), (7, 3)]:
        p = np.array([ticks[j], ticks[i]])
        nearest = np.argsort(np.linalg.norm(d.x - p, axis=1))[:K]
        assert np.isclose(pm[i, j], d.y[nearest].mean())
    te = datasets.classification_data(4, 3, 60, seed=1, offset=0.5)
    pred = [d.y[np.argsort(np.linalg.norm(d.x - p, axis=1))[:K]].mean() > 0.5 for p in te.x]
    assert np.isclose(training.knn_accuracy(d.x, d.y, te.x, te.y, K), np.mean(np.array(pred) == te.y))


def test_radial_spectrum_of_plane_wave():
    # cos(k0 x) on a periodic grid: |f~| has two peaks of area·(1/2) at ±k0 → one annulus.
    n, extent = 64, 2.0
    ticks = -extent + 2 * extent * np.arange(n) / n
    k0 = 2 * np.pi * 5 / (2 * extent)
    img = np.cos(k0 * ticks)[None, :] * np.ones((n, 1))
    k, zeta = spectra.radial_integral_spectrum(img, extent)
    dk = 2 * np.pi / (2 * extent)
    peak = int(np.argmax(zeta))
    assert np.isclose(k[peak], k0)
    assert np.isclose(zeta[peak] * dk, 2 * 0.5 * (2 * extent) ** 2)
    assert np.allclose(np.delete(zeta, peak), 0, atol=1e-9)


def test_radial_spectrum_parseval_like_total():
    # Summing ζ Δk over all annuli (plus the corners beyond the last one) gives Σ|f~|.
    rng = np.random.default_rng(0)
    img = rng.normal(size=(32, 32))
    k, zeta = spectra.radial_integral_spectrum(img, 1.0, n_bins=40)
    dk = 2 * np.pi / 2.0
    h = 2.0 / 32
    total = np.abs(np.fft.fft2(img - img.mean())).sum() * h * h
    assert np.isclose((zeta * dk).sum(), total)


def test_spectral_centroid_and_validation():
    assert spectra.spectral_centroid([1.0, 2.0, 3.0], [0.0, 1.0, 0.0]) == 2.0
    with pytest.raises(ValueError):
        spectra.spectral_centroid([1.0], [0.0])
    with pytest.raises(ValueError):
        spectra.radial_integral_spectrum(np.ones((4, 5)), 1.0)


# --- runners ----------------------------------------------------------------------------


def _loop_reference(data, hidden, seed, steps, lr, loss):
    """Plain single-model torch loop (the engine's independent reference)."""
    from spectral_lib import networks

    net = networks.relu_mlp(2, list(hidden), 1, seed=seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    x = torch.tensor(data.x, dtype=torch.float32)
    y = torch.tensor(data.y, dtype=torch.float32)[:, None]
    for _ in range(steps):
        out = net(x)
        if loss == "mse":
            value = ((out - y) ** 2).mean()
        else:
            value = torch.nn.functional.binary_cross_entropy_with_logits(out, y)
        opt.zero_grad()
        value.backward()
        opt.step()
    with torch.no_grad():
        return net(x)[:, 0].numpy()


def test_run_exp5_matches_per_model_loop():
    import dataclasses

    from spectral_lib import configs

    cfg = dataclasses.replace(configs.get("exp5", "book"), hidden=(16, 16), steps=30, n_runs=2,
                              petals=(0, 10), record_every=10, n_points=200, freqs=(5, 20, 40), lift=None)
    res = manifolds.run_exp5(cfg, use_cache=False)
    assert res.amplitudes.shape == (4, 4, 3) and res.loss.shape == (4, 4)
    assert res.petals.tolist() == [0, 0, 10, 10] and res.runs.tolist() == [0, 1, 0, 1]
    for i, (L, r) in enumerate(zip(res.petals, res.runs, strict=True)):
        data = datasets.regression_data(int(L), cfg.freqs, cfg.n_points, int(r))
        pred = _loop_reference(data, cfg.hidden, int(r), cfg.steps, cfg.lr, "mse")
        np.testing.assert_allclose(res.amplitudes[-1, i], spectra.latent_amplitudes(pred, cfg.freqs),
                                   atol=1e-4)
    assert res.top_half().shape == (4, 4)


def test_run_exp5_lifted_control_matches_per_model_loop():
    import dataclasses

    from spectral_lib import configs

    cfg = dataclasses.replace(configs.get("exp5", "book"), hidden=(16, 16), steps=30, n_runs=2,
                              petals=(0, 16), record_every=10, n_points=200, freqs=(5, 20, 40), lift=(10, 16))
    res = manifolds.run_exp5(cfg, use_cache=False)
    assert res.petals.tolist() == [0, 0, 16, 16, 10, 10] and res.lifted.tolist() == [False] * 4 + [True] * 2
    assert res.height == pytest.approx(manifolds.lift_height(10, geometry.arc_length(16)))
    plain = manifolds.run_exp5(dataclasses.replace(cfg, lift=None), use_cache=False)
    # On the flowers the 3-input networks are the 2-input ones: same training, same amplitudes.
    np.testing.assert_allclose(res.amplitudes[:, :4], plain.amplitudes, atol=1e-5)
    for i in (4, 5):
        r = int(res.runs[i])
        data = datasets.regression_data(10, cfg.freqs, cfg.n_points, r)
        net = manifolds.lifted_input_mlp(cfg.hidden, seed=r)
        opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
        x = torch.tensor(manifolds.lifted_flower(data.z, 10, res.height), dtype=torch.float32)
        y = torch.tensor(data.y, dtype=torch.float32)[:, None]
        for _ in range(cfg.steps):
            value = ((net(x) - y) ** 2).mean()
            opt.zero_grad()
            value.backward()
            opt.step()
        with torch.no_grad():
            pred = net(x)[:, 0].numpy()
        ref = spectra.latent_amplitudes(pred, cfg.freqs)
        np.testing.assert_allclose(res.amplitudes[-1, i], ref, atol=1e-4)


@pytest.mark.parametrize("L", [2, 10, 16])
def test_lifted_flower_length_matches_quadrature_of_its_speed(L):
    from scipy.integrate import quad

    target = geometry.arc_length(L) * 1.4
    h = manifolds.lift_height(L, target)

    def speed(t):
        planar = float(geometry.flower_speed(t, L))
        return np.hypot(planar, 2 * np.pi * L * h * np.sin(2 * np.pi * L * t))

    length = L * quad(speed, 0.0, 1.0 / L, epsabs=1e-12, epsrel=1e-12, limit=200)[0]
    assert length == pytest.approx(target, rel=1e-6)
    z = np.linspace(0.0, 1.0, 97)
    pts = manifolds.lifted_flower(z, L, h)
    np.testing.assert_array_equal(pts[:, :2], geometry.flower_curve(z, L))
    np.testing.assert_allclose(pts[:, 2], h * np.cos(2 * np.pi * L * z))
    with pytest.raises(ValueError):
        manifolds.lift_height(L, geometry.arc_length(L) * 0.9)
    with pytest.raises(ValueError):
        manifolds.lifted_flower(z, L, -0.1)


def test_curve_separation_matches_brute_force_and_projection_bound():
    z = geometry.latent_grid(120)
    for pts in (geometry.flower_curve(z, 7), manifolds.lifted_flower(z, 7, 0.4)):
        seg = [np.linalg.norm(pts[(i + 1) % 120] - pts[i]) for i in range(120)]
        pos = np.concatenate([[0.0], np.cumsum(seg)[:-1]])
        total = sum(seg)
        ref = []
        for i in range(120):
            ds = [np.linalg.norm(pts[i] - pts[j]) for j in range(120)
                  if min(abs(pos[i] - pos[j]), total - abs(pos[i] - pos[j])) >= 1.0]
            ref.append(min(ds))
        np.testing.assert_allclose(manifolds.curve_separation(pts, 1.0), ref)
    # A constant third coordinate changes neither distances nor arc lengths.
    circle = geometry.flower_curve(z, 0)
    np.testing.assert_allclose(manifolds.curve_separation(np.c_[circle, np.ones(120)], 2.0),
                               manifolds.curve_separation(circle, 2.0))
    with pytest.raises(ValueError):
        manifolds.curve_separation(circle, 100.0)
    with pytest.raises(ValueError):
        manifolds.curve_separation(circle[:2])


def test_lifted_input_mlp_is_the_planar_net_on_the_plane():
    from spectral_lib import networks

    net = manifolds.lifted_input_mlp([12, 12], seed=3)
    ref = networks.relu_mlp(2, [12, 12], 1, seed=3)
    x = torch.tensor(np.random.default_rng(0).normal(size=(40, 2)), dtype=torch.float32)
    torch.testing.assert_close(net(torch.cat([x, torch.zeros(40, 1)], 1)), ref(x), rtol=0, atol=0)
    col = net[0].weight[:, 2].detach().numpy()
    assert np.all(np.abs(col) <= 1 / np.sqrt(2)) and np.abs(col).max() > 1 / np.sqrt(3)


def test_run_exp6_matches_per_model_loop_and_knn():
    import dataclasses

    from spectral_lib import configs

    cfg = dataclasses.replace(configs.get("exp6", "book"), hidden=(16, 16), steps=20, record_every=10,
                              freqs=(5, 15), petals=(0, 6), fig7=(5, 6), n_points=100)
    res = manifolds_classification.run_exp6(cfg)
    assert res.accuracy.shape == (3, 2, 2) and res.test_accuracy.shape == (2, 2)
    # Fig. 7 reuses the grid's model for init 0 and adds init 1.
    assert len(res.fig7_models) == 2
    for (k, L), model in res.models.items():
        tr, _ = res.data[(k, L)]
        pred = _loop_reference(tr, cfg.hidden, cfg.init_seed, cfg.steps, cfg.lr, "bce")
        acc = np.mean((pred > 0) == (tr.y > 0.5))
        i, j = list(res.freqs).index(k), list(res.petals).index(L)
        assert abs(res.accuracy[-1, i, j] - acc) <= 2 / cfg.n_points  # round-off may flip a point
        assert res.accuracy[-1, i, j] == training.classifier_accuracy(model, tr)
    kcfg = dataclasses.replace(configs.get("knn", "book"), freq=15, petals=(0, 6), map_L=6, map_size=16,
                               neighbors=(3, 5))
    kn = manifolds_classification.run_knn(kcfg, res)
    assert kn.knn_test_accuracy.shape == (2, 2) and kn.knn_maps.shape == (2, 16, 16)
    assert np.all(kn.knn_centroids > 0)
    with pytest.raises(ValueError):
        manifolds_classification.run_knn(dataclasses.replace(kcfg, freq=25), res)


@pytest.mark.parametrize("name", ["exp5", "exp6", "knn", "exp8"])
def test_paper_configs_hold_the_paper_sizes(name):
    from spectral_lib import configs

    cfg = configs.get(name, "paper")
    if name == "exp5":
        assert cfg.hidden == (256,) * 5 and cfg.lr == 3e-4 and cfg.steps == 50_000 and cfg.n_runs == 10
        assert cfg.petals == (0, 4, 10, 16) and cfg.freqs == tuple(range(20, 201, 20))
        assert cfg.n_points == 1000
    elif name == "exp6":
        assert cfg.freqs == tuple(range(50, 401, 50)) and cfg.petals == tuple(range(0, 21, 2))
        assert cfg.fig7 == (200, 20) and cfg.hidden == (256,) * 5 and cfg.threshold == 0.0
    elif name == "knn":
        assert cfg.freq == 150 and cfg.map_L == 20 and cfg.neighbors == (5, 10, 15, 20)
    else:
        assert cfg.n_runs == 10 and cfg.hidden == (256,) * 5


def test_paper_profile_code_path_runs_a_few_steps():
    import dataclasses

    from spectral_lib import configs

    cfg5 = dataclasses.replace(configs.get("exp5", "paper"), steps=2, n_runs=1, petals=(16,), record_every=1)
    res5 = manifolds.run_exp5(cfg5)
    assert res5.amplitudes.shape == (3, 2, 10) and res5.lifted.tolist() == [False, True]
    cfg6 = dataclasses.replace(configs.get("exp6", "paper"), steps=1, freqs=(150, 200), petals=(20,),
                               record_every=1)
    res6 = manifolds_classification.run_exp6(cfg6)
    assert res6.accuracy.shape == (2, 2, 1) and res6.fig7 == (200, 20)
    knn_cfg = dataclasses.replace(configs.get("knn", "paper"), petals=(20,), map_size=32)
    kn = manifolds_classification.run_knn(knn_cfg, res6)
    assert kn.dnn_map.shape == (32, 32)
    cfg8 = dataclasses.replace(configs.get("exp8", "paper"), dae_steps=1, steps=1, n_runs=1, n_points=60,
                               record_every=1)
    res8 = manifolds_classification.run_exp8(cfg8)
    assert res8.loss.shape == (2, 3, 1) and res8.latent_dim == 16


def test_exp8_pieces():
    imgs = datasets.load_digits_unit()
    assert imgs.min() >= 0 and imgs.max() <= 1
    dae = training.train_dae(imgs[:100], latent_dim=4, hidden=16, steps=5, lr=1e-3, noise=0.1, n_copies=2,
                             seed=0)
    pts = training.dae_manifold_points(dae, imgs[:10])
    with torch.no_grad():
        ref = dae(torch.tensor(imgs[:10], dtype=torch.float32)).numpy()
    np.testing.assert_allclose(pts, ref, rtol=1e-6)
    flat = datasets.flat_manifold_points(50, 3, 10, seed=0, scale=2.0)
    assert flat.shape == (50, 10) and np.all(flat[:, 3:] == 0) and flat[:, :3].max() <= 2.0
    p = np.random.default_rng(0).normal(size=(30, 4))
    nn = geometry.nearest_neighbour_distances(p)
    brute = [min(np.linalg.norm(p[i] - p[j]) for j in range(30) if j != i) for i in range(30)]
    np.testing.assert_allclose(nn, brute)
    with pytest.raises(ValueError):
        datasets.flat_manifold_points(5, 4, 3, seed=0)
