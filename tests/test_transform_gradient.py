"""Prop. 1 of Rahaman et al.: the exact gradient of the transform against finite differences of it."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spectral_lib import cpwl, networks, spectra
from spectral_lib.spectra import gradient_1d


def _shifted(net, v, eps):
    m = copy.deepcopy(net).to(torch.float64)
    offset = 0
    with torch.no_grad():
        for p in m.parameters():
            p.add_(eps * torch.as_tensor(v[offset:offset + p.numel()]).reshape(p.shape))
            offset += p.numel()
    return m


def _transform(net, k):
    return spectra.kink_transform_1d(cpwl.pieces_1d(net, None), k)


def _directional_fd(net, v, k, eps=1e-6):
    """Richardson-extrapolated central difference of the exact transform along v (error O(eps^4))."""
    def central(h):
        return (_transform(_shifted(net, v, h), k) - _transform(_shifted(net, v, -h), k)) / (2 * h)
    return (4 * central(eps / 2) - central(eps)) / 3


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([(8,), (6, 6), (5, 5, 5)]), st.integers(0, 10_000))
def test_gradient_matches_finite_differences_of_the_exact_transform(hidden, seed):
    """Central differences of the exact transform (recomputed from scratch), well-conditioned nets.

    A kink far from the origin (x_j = -b/w with a small w) moves fast with θ: the difference
    step must keep k·δx_j well below one radian, and round-off then limits the reference; the
    test keeps nets whose kinks lie in [-5, 5] (autograd covers the others, below).
    """
    # the first seed from ``seed`` on whose net has every kink in [-5, 5] (a search, not a
    # filter: most draws of the deeper nets have a far kink, too many for hypothesis to discard)
    for s in range(seed, seed + 1000):
        net = networks.relu_mlp(1, list(hidden), seed=s, dtype=torch.float64)
        if np.all(np.abs(cpwl.pieces_1d(net, None).kinks) <= 5.0):
            break
    assume(np.all(np.abs(cpwl.pieces_1d(net, None).kinks) <= 5.0))
    k = np.array([0.7, 3.0, 11.0, 40.0])
    G = spectra.transform_gradient_1d(net, k)
    rng = np.random.default_rng(seed)
    for _ in range(2):
        v = rng.standard_normal(G.shape[0])
        want = _directional_fd(net, v, k)
        got = v @ G
        # relative to the largest value; a network with no live kink has a zero gradient
        scale = max(np.max(np.abs(want)), 1e-12)
        assert np.max(np.abs(got - want)) <= 1e-8 * scale, (hidden, seed, got, want)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([(8,), (6, 6), (5, 5, 5), (16, 16)]), st.integers(0, 10_000))
def test_gradient_matches_autograd_of_the_exact_transform(hidden, seed):
    """The formula against autograd, on nets whose kinks lie in [-50, 50].

    A far kink x_j = -b/w (small w) is ill-conditioned in both computations: its phase k·x_j
    and its derivatives (∂x_j/∂w = -x_j/w) amplify float64 round-off by |x_j|·k and more, so
    two exact formulas part at 1e-8 relative for |x_j| ~ 1e4–1e6. The first seed from ``seed``
    on whose net has no such kink is used (a search, not a filter).
    """
    for s in range(seed, seed + 1000):
        net = networks.relu_mlp(1, list(hidden), seed=s, dtype=torch.float64)
        if np.all(np.abs(cpwl.pieces_1d(net, None).kinks) <= 50.0):
            break
    assume(np.all(np.abs(cpwl.pieces_1d(net, None).kinks) <= 50.0))
    k = np.array([0.7, 3.0, 11.0, 40.0, 300.0])
    G = spectra.transform_gradient_1d(net, k)
    A = spectra.transform_gradient_autograd(net, k)
    assert np.max(np.abs(G - A)) <= 1e-10 * np.max(np.abs(A))


def test_kink_derivatives_match_a_one_layer_closed_form():
    # f(x) = sum_u a_u relu(w_u x + b_u) + c: x_u = -b_u / w_u, Δs_u = a_u |w_u|.
    net = networks.relu_mlp(1, [5], seed=3, dtype=torch.float64)
    w, b = net[0].weight.detach().numpy()[:, 0], net[0].bias.detach().numpy()
    a = net[2].weight.detach().numpy()[0]
    d = gradient_1d.kink_derivatives(net)
    order = np.argsort(-b / w)
    np.testing.assert_allclose(d.x, (-b / w)[order], rtol=1e-12)
    np.testing.assert_allclose(d.jumps, (a * np.abs(w))[order], rtol=1e-12)
    # ∂x_u/∂b_u = -1/w_u, in the bias block of the parameters (weights 5, biases 5, ...).
    for j, u in enumerate(order):
        assert d.dx[j, 5 + u] == pytest.approx(-1.0 / w[u], rel=1e-12)


def test_the_gradient_decays_one_power_slower_than_the_transform():
    net = networks.relu_mlp(1, [16, 16], seed=0, dtype=torch.float64)
    k = np.geomspace(50.0, 5000.0, 400)
    G = spectra.transform_gradient_1d(net, k)
    d = gradient_1d.kink_derivatives(net)
    # k ‖∂f~/∂θ‖ <= Σ_j (‖∂Δs_j‖/k + |Δs_j| ‖∂x_j‖): bounded, one power of k above k² |f~|.
    bound = (np.sum(np.linalg.norm(d.djumps, axis=1)) / k
             + np.sum(np.abs(d.jumps) * np.linalg.norm(d.dx, axis=1)))
    assert np.all(k * np.linalg.norm(G, axis=0) <= bound * (1 + 1e-12))


@pytest.mark.parametrize("bad", [[0.0, 1.0], [[1.0, 2.0]], [np.nan]])
def test_invalid_wavenumbers_raise(bad):
    with pytest.raises(ValueError):
        spectra.transform_gradient_1d(networks.relu_mlp(1, [4], seed=0), bad)


def test_non_networks_raise():
    with pytest.raises(TypeError):
        spectra.transform_gradient_1d("net", [1.0])



@settings(max_examples=10, deadline=None)
@given(st.sampled_from([(8,), (6, 6)]), st.integers(0, 10_000))
def test_rounding_control_is_deterministic_and_bounds_the_two_routes_gap(hidden, seed):
    net = networks.relu_mlp(1, list(hidden), seed=seed)
    k = np.array([3.0, 30.0, 300.0])
    a, b = (spectra.transform_gradient_rounding(net, k, seed=seed) for _ in range(2))
    assert a == b
    assert np.isfinite(a) and a >= 0
    assert all(p.dtype == torch.float32 for p in net.parameters())   # the net is left as it was
    # The formula and autograd differ by about as much as round-off moves either. One control
    # is one random draw of that amplification: the gap has reached 13 controls on small nets
    # (seed 159 of (6, 6)), so the test allows 100 (or a few hundred ulps below that).
    G, R = spectra.transform_gradient_1d(net, k), spectra.transform_gradient_autograd(net, k)
    gap = float(np.max(np.abs(G - R)) / np.max(np.abs(R)))
    assert gap <= max(100 * a, 1e-13)


def test_rounding_control_rejects_non_networks():
    with pytest.raises(TypeError):
        spectra.transform_gradient_rounding("net", [1.0])
