"""Tests of spectral_lib.kernels: RBF Gram matrices, eigenbases, projections, noise, 1-D modes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets, kernels, networks, seeding
from spectral_lib.experiments import real_data

point_sets = st.integers(2, 9).flatmap(
    lambda n: st.integers(1, 4).flatmap(
        lambda d: st.lists(st.lists(st.floats(-2, 2), min_size=d, max_size=d), min_size=n, max_size=n)
    )
)


@settings(max_examples=40, deadline=None)
@given(point_sets, st.floats(0.1, 3.0))
def test_rbf_gram_matches_double_loop(xs, sigma):
    x = np.array(xs)
    K = kernels.rbf_gram(x, sigma)
    for i, a in enumerate(xs):
        for j, b in enumerate(xs):
            d2 = sum((u - v) ** 2 for u, v in zip(a, b, strict=True))
            assert K[i, j] == pytest.approx(math.exp(-d2 / (2 * sigma**2)), abs=1e-12)
    np.testing.assert_array_equal(K, K.T)
    np.testing.assert_array_equal(np.diag(K), 1.0)
    K2 = kernels.rbf_gram(x, sigma, y=x[:1])
    np.testing.assert_allclose(K2[:, 0], K[:, 0], atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(point_sets)
def test_median_distance_matches_pairs(xs):
    x = np.array(xs)
    pairs = [math.dist(xs[i], xs[j]) for i in range(len(xs)) for j in range(i + 1, len(xs))]
    assert kernels.median_distance(x) == pytest.approx(float(np.median(pairs)), abs=1e-12)


def test_rbf_gram_rejects_bad_input():
    with pytest.raises(ValueError):
        kernels.rbf_gram(np.zeros((3, 2)), 0.0)
    with pytest.raises(TypeError):
        kernels.rbf_gram(np.zeros((3, 2)), "1")
    with pytest.raises(ValueError):
        kernels.rbf_gram(np.zeros((3, 2)), 1.0, y=np.zeros((2, 3)))
    with pytest.raises(ValueError):
        kernels.rbf_gram(np.array([[np.inf, 0.0]]), 1.0)
    with pytest.raises(ValueError):
        kernels.median_distance(np.zeros((1, 2)))


@settings(max_examples=30, deadline=None)
@given(point_sets, st.floats(0.2, 2.0))
def test_eigenbasis_reconstructs_and_is_sorted(xs, sigma):
    K = kernels.rbf_gram(np.array(xs), sigma)
    lam, V = kernels.eigenbasis(K)
    assert np.all(np.diff(lam) <= 1e-12)
    np.testing.assert_allclose(V.T @ V, np.eye(len(xs)), atol=1e-10)
    np.testing.assert_allclose(V @ np.diag(lam) @ V.T, K, atol=1e-10)
    idx = np.argmax(np.abs(V), axis=0)
    assert np.all(V[idx, np.arange(V.shape[1])] > 0)


def test_eigenbasis_rejects_bad_input():
    with pytest.raises(ValueError):
        kernels.eigenbasis(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError):
        kernels.eigenbasis(np.ones((2, 3)))
    with pytest.raises(ValueError):
        kernels.eigenbasis(np.array([[np.nan, 0.0], [0.0, 1.0]]))


def _random_orthonormal(n, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 12), st.integers(0, 10_000), st.floats(0.0, 4.0))
def test_high_frequency_noise_has_the_stated_coefficients(n, seed, gamma):
    V = _random_orthonormal(n, seed)
    psi = kernels.high_frequency_noise(V, gamma)
    coeffs = kernels.project(psi, V)
    ref = [(i / (n - 1)) ** gamma for i in range(n)]
    np.testing.assert_allclose(coeffs, ref, atol=1e-10)


def test_project_matches_dot_products_and_validates():
    V = _random_orthonormal(6, 1)
    f = np.random.default_rng(2).normal(size=(3, 2, 6))
    c = kernels.project(f, V)
    for a in range(3):
        for b in range(2):
            for j in range(6):
                assert c[a, b, j] == pytest.approx(float(np.dot(V[:, j], f[a, b])), abs=1e-12)
    with pytest.raises(ValueError):
        kernels.project(np.zeros(5), V)
    with pytest.raises(ValueError):
        kernels.high_frequency_noise(V, gamma=-1.0)


def test_binned_abs_by_hand():
    c = np.array([[1.0, -3.0, 2.0, -2.0, 5.0]])
    np.testing.assert_allclose(kernels.binned_abs(c, 2), [[2.0, 3.5]])
    np.testing.assert_allclose(kernels.binned_abs(c, 5), np.abs(c))
    with pytest.raises(ValueError):
        kernels.binned_abs(c, 6)


@settings(max_examples=40, deadline=None)
@given(st.integers(16, 128), st.data())
def test_dominant_frequency_of_sinusoids(n, draw):
    c = draw.draw(st.integers(1, n // 2 - 1))
    phase = draw.draw(st.floats(0, 2 * math.pi))
    t = np.arange(n) / n
    y = np.cos(2 * np.pi * c * t + phase)
    # Without padding an integer frequency falls on its bin; with padding the mirror lobe at
    # -c may shift the peak by a fraction of a cycle.
    assert kernels.dominant_frequency(y, pad=1) == c
    assert abs(kernels.dominant_frequency(y) - c) <= 0.25
    assert kernels.dominant_frequency(np.ones(n)) == 0.0


def test_dominant_frequency_validates():
    with pytest.raises(ValueError):
        kernels.dominant_frequency(np.zeros((2, 2)))
    with pytest.raises(ValueError):
        kernels.dominant_frequency(np.ones(4), pad=0)


def test_rbf_eigenvectors_on_an_interval_rise_in_frequency():
    cfg = configs.get("exp4", "book")
    t, lam, V = kernels.rbf_eigenbasis_1d(cfg.n_1d, cfg.sigma_1d)
    assert t[0] == 0.0 and t[-1] == 1.0 and V.shape == (cfg.n_1d, cfg.n_1d)
    good = lam > 1e-8 * lam[0]
    f = kernels.dominant_frequencies(V[:, good])
    assert good.sum() >= 20
    assert np.all(np.diff(f) >= 0) and f[-1] > 10 * f[1] > 0
    # Independent reference: the n-th mode is close to cos(pi n t) (n/2 cycles over [0, 1]),
    # up to boundary effects of the finite interval.
    for n in range(1, 6):
        ref = np.cos(np.pi * n * t)
        assert abs(np.dot(V[:, n], ref / np.linalg.norm(ref))) > 0.8


def test_scaled_sigma_top_error_and_noise_fit():
    x = np.array([[0.0], [2.0]])
    assert kernels.scaled_sigma(1.25, x) == 1.25
    assert kernels.scaled_sigma(1.25, x, reference_distance=10.0) == pytest.approx(0.25)
    c0 = np.array([3.0, 4.0, 0.0, 1.0])
    assert kernels.top_error(c0, c0, 2) == 0.0
    assert kernels.top_error(c0 + [3.0, 4.0, 9.0, 9.0], c0, 2) == pytest.approx(1.0)
    cn = np.array([0.5, -1.0, 2.0, 3.0])
    for a in (0.0, 0.3, 1.0):
        assert kernels.noise_fit(c0 + a * cn, c0, cn, 2) == pytest.approx(a)
    with pytest.raises(ValueError):
        kernels.top_error(c0, np.zeros(4), 2)
    with pytest.raises(ValueError):
        kernels.noise_fit(c0, c0, np.zeros(4), 2)
    with pytest.raises(ValueError):
        kernels.noise_fit(c0, c0, cn, 5)


def test_paper_profile_kernel_path_on_mnist_shaped_inputs():
    """The paper preset: σ = 1.25 unscaled, the first 2000 samples; Gram via cdist stays N x N."""
    cfg = configs.get("exp4", "paper")
    assert cfg.sigma == 1.25 and cfg.sigma_reference_distance is None and cfg.n_max == 2000
    x = np.random.default_rng(0).integers(0, 256, size=(300, 784)) / 255.0
    assert kernels.scaled_sigma(cfg.sigma, x, cfg.sigma_reference_distance) == 1.25
    K = kernels.rbf_gram(x, cfg.sigma)
    assert K.shape == (300, 300)
    lam, V = kernels.eigenbasis(K)
    psi = kernels.high_frequency_noise(V, cfg.gamma)
    split = datasets.two_class_split(x, np.tile([3, 8], 150), cfg.classes, val_fraction=0.0, n_max=cfg.n_max)
    run = real_data.train_label_sets(split.x_train, np.stack([split.y_train + psi]), hidden=cfg.hidden,
                                lr=cfg.lr, steps=2, record_every=cfg.record_every, n_seeds=cfg.n_seeds)
    assert run.predictions.shape == (3, 1, 1, 300)
    assert kernels.project(run.predictions, V).shape == (3, 1, 1, 300)


def _direct_loss_gradient_cosines(net, x, y):
    """Reference: one backward pass of ℓ_i = (f(x_i) - y_i)² / 2 per sample, then their cosines."""
    params = [p for p in net.parameters() if p.requires_grad]
    rows = []
    for i in range(x.shape[0]):
        loss = 0.5 * (net(x[i : i + 1]).reshape(()) - y[i]) ** 2
        rows.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, params)]))
    G = torch.stack(rows).numpy()
    G = G / np.linalg.norm(G, axis=1, keepdims=True)
    return G @ G.T


@settings(deadline=None, max_examples=20)
@given(n=st.integers(2, 10), d=st.integers(1, 3), width=st.integers(2, 12), depth=st.integers(1, 3),
       seed=st.integers(0, 10_000))
def test_gradient_cosines_from_ntk_match_direct_per_sample_gradients(n, d, width, depth, seed):
    net = networks.relu_mlp(d, [width] * depth, 1, seed=seed, dtype=torch.float64)
    rng = seeding.rng(seed)
    x = torch.tensor(rng.uniform(-1, 1, (n, d)))
    y = torch.tensor(rng.normal(size=n))
    with torch.no_grad():
        r = (net(x)[:, 0] - y).numpy()
    K = kernels.empirical_ntk(net, x)
    if np.min(np.diag(K)) < 1e-12 or np.min(np.abs(r)) < 1e-9:  # a dead input or an exact fit: no angle
        return
    got = kernels.gradient_cosines_from_ntk(K, r)
    np.testing.assert_allclose(got, _direct_loss_gradient_cosines(net, x, y), atol=1e-10)
    np.testing.assert_allclose(np.abs(got), np.abs(kernels.normalised_kernel(K)), atol=0)
    np.testing.assert_allclose(np.diag(got), 1.0)


def test_gradient_cosines_reject_bad_input():
    K = np.array([[1.0, 0.2], [0.2, 1.0]])
    with pytest.raises(ValueError, match="non-zero"):
        kernels.gradient_cosines_from_ntk(K, [1.0, 0.0])
    with pytest.raises(ValueError, match="length"):
        kernels.gradient_cosines_from_ntk(K, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="positive"):
        kernels.normalised_kernel(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="symmetric"):
        kernels.normalised_kernel(np.array([[1.0, 0.5], [0.0, 1.0]]))
