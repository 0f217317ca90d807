"""The closed-form ReLU NTK (kernels.arccos) against Monte Carlo, wide networks and exact identities."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import kernels, seeding
from spectral_lib.experiments import kernel_theory as kt


@pytest.mark.parametrize("t", [-0.95, -0.3, 0.0, 0.4, 0.99])
def test_arccos_kernels_match_monte_carlo(t):
    w = seeding.rng(7).standard_normal((400_000, 2))
    u, v = w[:, 0], w @ np.array([t, np.sqrt(1 - t * t)])
    for order, samples in enumerate((2.0 * (u > 0) * (v > 0), 2.0 * np.maximum(u, 0) * np.maximum(v, 0))):
        se = samples.std(ddof=1) / np.sqrt(samples.size)
        assert abs(samples.mean() - kernels.arccos_kernel(t, order)) <= 5 * se


def test_nngp_matches_monte_carlo_of_a_two_layer_network_with_bias():
    # Σ_2(x, y) = E[2 relu(wᵀx + βb) relu(wᵀy + βb)] + β², w, b ~ N(0, 1)
    x, y, beta = np.array([0.3, -1.2]), np.array([1.1, 0.4]), 0.7
    g = seeding.rng(3).standard_normal((400_000, 3))
    u, v = g[:, :2] @ x + beta * g[:, 2], g[:, :2] @ y + beta * g[:, 2]
    samples = 2 * np.maximum(u, 0) * np.maximum(v, 0) + beta**2
    se = samples.std(ddof=1) / np.sqrt(samples.size)
    assert abs(samples.mean() - kernels.relu_nngp(x[None], y[None], bias=beta)[0, 0]) <= 5 * se


@pytest.mark.parametrize("bias", [0.0, 1.0])
def test_closed_form_is_the_limit_of_a_wide_two_layer_net(bias):
    _, x = kernels.circle_points(6, dtype=torch.float64)
    K_inf = kernels.relu_ntk(x.numpy(), depth=1, bias=bias)
    K = kernels.empirical_ntk(kt.NTKReLU(2, 40_000, 1, bias=bias, seed=0), x)
    assert np.linalg.norm(K - K_inf) / np.linalg.norm(K_inf) < 0.03


def test_closed_form_is_the_limit_of_a_wide_deep_net():
    x = np.array([[0.6, 0.8], [-1.0, 0.0], [0.3, -0.2], [1.5, 0.5]])
    K_inf = kernels.relu_ntk(x, depth=2, bias=0.5)
    nets = [kt.NTKReLU(2, m, 2, bias=0.5, seed=1) for m in (64, 1024)]
    errs = [np.linalg.norm(kernels.empirical_ntk(net, torch.tensor(x)) - K_inf) for net in nets]
    assert errs[1] / np.linalg.norm(K_inf) < 0.15
    assert errs[1] < errs[0]


points = st.lists(st.lists(st.floats(-3, 3), min_size=3, max_size=3), min_size=2, max_size=8)


@settings(max_examples=30, deadline=None)
@given(points, st.integers(1, 5), st.floats(0.1, 2.0))
def test_kernels_are_symmetric_and_positive_semidefinite(pts, depth, bias):
    x = np.asarray(pts)
    for fn in (kernels.relu_ntk, kernels.relu_nngp):
        K = fn(x, depth=depth, bias=bias)
        assert np.allclose(K, K.T, rtol=0, atol=1e-12 * np.abs(K).max())
        assert np.linalg.eigvalsh(K).min() >= -1e-9 * np.abs(K).max()
        assert np.allclose(fn(x[:1], x, depth=depth, bias=bias), K[:1])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 2 * np.pi), min_size=2, max_size=6), st.integers(1, 4), st.floats(0, 2))
def test_zonal_form_equals_the_gram_matrix_on_unit_vectors(angles, depth, bias):
    a = np.asarray(angles)
    x = np.stack([np.cos(a), np.sin(a) * 0.6, np.sin(a) * 0.8], axis=1)
    K = kernels.relu_ntk(x, depth=depth, bias=bias)
    G = kernels.relu_kernel_zonal(np.clip(x @ x.T, -1, 1), depth=depth, bias=bias)
    assert np.allclose(K, G, atol=1e-10)


def test_zonal_eigenvalues_of_polynomials_are_exact():
    # S²: t² = 1/3 + (2/3) P_2(t), and E_y[P_2(xᵀy) Y_2(y)] = Y_2(x)/5
    assert np.allclose(kernels.zonal_eigenvalues(np.square, [0, 1, 2, 3], dim=3), [1 / 3, 0, 2 / 15, 0])
    # circle: cos²θ = 1/2 + cos(2θ)/2, the operator (1/2π)∫ takes cos 2θ to cos(2θ)/4
    assert np.allclose(kernels.zonal_eigenvalues(np.square, [0, 1, 2], dim=2), [1 / 2, 0, 1 / 4])


@pytest.mark.parametrize("dim", [2, 3, 4, 6])
def test_funk_hecke_sum_rule(dim):
    # g(1) = K(x, x) = Σ_ℓ N(d, ℓ) μ_ℓ (the addition theorem), for a smooth g
    ell = np.arange(40)
    mu = kernels.zonal_eigenvalues(np.exp, ell, dim=dim, n_nodes=200)
    counts = np.array([kernels.harmonic_multiplicity(dim, int(l)) for l in ell])
    assert np.isclose(np.sum(counts * mu), np.e, rtol=1e-10)


def test_harmonic_multiplicity_known_values():
    assert [kernels.harmonic_multiplicity(2, l) for l in range(4)] == [1, 2, 2, 2]
    assert [kernels.harmonic_multiplicity(4, l) for l in range(4)] == [1, 4, 9, 16]


def test_two_layer_kernel_has_no_odd_harmonics_without_bias():
    ell = np.arange(3, 40, 2)
    g = kernels.relu_kernel_zonal
    for dim in (2, 3):
        mu0 = kernels.zonal_eigenvalues(g, [0], dim=dim)[0]
        assert np.abs(kernels.zonal_eigenvalues(g, ell, dim=dim)).max() < 1e-10 * mu0
        assert kernels.zonal_eigenvalues(lambda t: g(t, bias=1.0), ell, dim=dim).min() > 1e-6 * mu0


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 1000), st.integers(1, 64))
def test_bias_free_network_outputs_have_no_odd_frequency_above_one(seed, width):
    theta, x = kernels.circle_points(32, dtype=torch.float64)
    with torch.no_grad():
        f = kt.NTKReLU(2, width, seed=seed)(x).numpy()[:, 0]
    amp = kernels.frequency_amplitudes(f, [3, 5, 7])
    assert np.all(amp <= 1e-12 * max(np.abs(f).max(), 1e-300))


def test_fibonacci_points_and_real_harmonics_are_orthonormal():
    x = kernels.fibonacci_sphere(2000)
    assert np.allclose(np.linalg.norm(x, axis=1), 1)
    Y = np.concatenate([kt.real_harmonics(x, l) for l in range(4)], axis=1)
    assert np.allclose(4 * np.pi / len(x) * Y.T @ Y, np.eye(16), atol=5e-3)


def test_ntk_network_parameters():
    assert [n for n, _ in kt.NTKReLU(2, 4, 2).named_parameters()] == ["w0", "w1", "w2"]
    assert len(list(kt.NTKReLU(2, 4, 2, bias=1.0).parameters())) == 6


@pytest.mark.parametrize(
    "call",
    [
        lambda: kernels.arccos_kernel(1.5, 0),
        lambda: kernels.arccos_kernel(0.5, 2),
        lambda: kernels.arccos_kernel([np.nan], 1),
        lambda: kernels.relu_ntk(np.ones((2, 2)), depth=0),
        lambda: kernels.relu_ntk(np.ones((2, 2)), bias=-1.0),
        lambda: kernels.relu_ntk(np.zeros((2, 2))),
        lambda: kernels.relu_ntk(np.ones((2, 2)), np.ones((2, 3))),
        lambda: kernels.relu_kernel_zonal(0.3, kind="gp"),
        lambda: kernels.zonal_eigenvalues(np.exp, [0, 5], dim=3, n_nodes=5),
        lambda: kernels.zonal_eigenvalues(np.exp, [-1], dim=3),
        lambda: kernels.zonal_eigenvalues(np.exp, [1], dim=1),
        lambda: kernels.zonal_eigenvalues(lambda t: t[:1], [1], dim=3),
        lambda: kernels.harmonic_multiplicity(1, 2),
        lambda: kernels.fibonacci_sphere(0),
        lambda: kt.NTKReLU(2, 0),
        lambda: kt.real_harmonics(np.ones((3, 3)), 1),
    ],
)
def test_validation_errors(call):
    with pytest.raises(ValueError):
        call()


def test_zonal_eigenvalues_needs_a_callable():
    with pytest.raises(TypeError):
        kernels.zonal_eigenvalues(3.0, [1], dim=3)


@settings(deadline=None, max_examples=12)
@given(depth=st.integers(1, 4), width=st.integers(1, 12), bias=st.sampled_from([0.0, 0.5, 1.0]),
       seed=st.integers(0, 50))
def test_layerwise_ntk_equals_the_autograd_jacobian(depth, width, bias, seed):
    net = kt.NTKReLU(3, width, depth, bias=bias, seed=seed)
    x = torch.as_tensor(seeding.rng(seed).normal(size=(6, 3)))
    rows = []
    for i in range(x.shape[0]):                      # a plain per-point backward loop
        net.zero_grad()
        net(x[i:i + 1]).sum().backward()
        rows.append(torch.cat([p.grad.flatten() for p in net.parameters()]))
    J = torch.stack(rows).numpy()
    K = net.ntk(x)
    np.testing.assert_allclose(K, J @ J.T, rtol=1e-11, atol=1e-12 * np.abs(K).max())
    np.testing.assert_allclose(K, kernels.empirical_ntk(net, x), rtol=1e-11, atol=1e-12 * np.abs(K).max())
