"""Exact Fourier transforms against numerical quadrature and independent boundary terms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import integrate

from spectral_lib import fourier, nets, pwl


def numpy_forward(net):
    """Plain float64 forward pass from the weights (independent of pwl)."""
    layers = nets.affine_layers(net)

    def f(x):
        h = np.asarray(x, dtype=np.float64).reshape(-1, layers[0][0].shape[1])
        for W, b in layers[:-1]:
            h = np.maximum(h @ W.T + b, 0.0)
        W, b = layers[-1]
        return (h @ W.T + b)[:, 0]

    return f


def quad_ft_1d(net, breaks, k):
    """∫ f(x) e^{-ikx} dx by scipy's QAWO quadrature, split at the given break points."""
    f = numpy_forward(net)

    def g(x):
        return float(f(np.array([x]))[0])

    re = im = 0.0
    warnings.simplefilter("ignore", integrate.IntegrationWarning)  # exact to round-off already
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        if k == 0:
            re += integrate.quad(g, lo, hi, epsabs=0, epsrel=1e-12)[0]
        else:
            re += integrate.quad(g, lo, hi, weight="cos", wvar=k, epsabs=0, epsrel=1e-12)[0]
            im -= integrate.quad(g, lo, hi, weight="sin", wvar=k, epsabs=0, epsrel=1e-12)[0]
    return re + 1j * im


K_SPREAD = np.array([0.0, 1e-7, 1e-3, 0.37, 2.0, -5.5, 31.4, 250.0, -1e3, 1e4])


@pytest.mark.parametrize("hidden,seed", [([8], 0), ([16, 16], 1), ([32, 32, 32], 2)])
def test_ft_1d_against_quadrature(hidden, seed):
    net = nets.relu_mlp(1, hidden, seed=seed)
    p = pwl.pieces_1d(net, (-1.0, 2.0))
    F = fourier.ft_1d(p, K_SPREAD)
    assert F.shape == K_SPREAD.shape and F.dtype == np.complex128
    for k, Fk in zip(K_SPREAD, F, strict=True):
        ref = quad_ft_1d(net, p.knots, k)
        assert abs(Fk - ref) <= 1e-8 * abs(ref), (k, Fk, ref)


def test_ft_1d_shapes_and_k0():
    net = nets.relu_mlp(1, [8, 8], seed=0)
    p = pwl.pieces_1d(net, (0.0, 1.0))
    k = np.linspace(-20, 20, 12).reshape(3, 4)
    assert fourier.ft_1d(p, k).shape == (3, 4)
    assert fourier.ft_1d(p, 0.0).shape == ()
    # k = 0: the integral of f (trapezoid on the knots is exact for a CPWL function)
    ref = np.trapezoid(p(p.knots), p.knots)
    assert abs(fourier.ft_1d(p, 0.0) - ref) <= 1e-13 * max(1.0, abs(ref))
    # continuity at k -> 0 (the series and the closed form agree)
    assert abs(fourier.ft_1d(p, 1e-9) - fourier.ft_1d(p, 0.0)) <= 1e-8 * abs(ref)
    # Hermitian symmetry of a real function
    np.testing.assert_allclose(fourier.ft_1d(p, -k), np.conj(fourier.ft_1d(p, k)), rtol=1e-13)


def independent_boundary_terms(net, a, b, k):
    """[e^{-ikx}(i f/k + f'/k^2)]_a^b with f and f' from torch (autograd, one-sided)."""
    net64 = nets.relu_mlp(1, [m.out_features for m in list(net)[:-1:2]], seed=0)
    net64.load_state_dict(net.state_dict())
    net64 = net64.double()
    out = []
    for x, side in ((a, +1), (b, -1)):
        # evaluate the derivative just inside the window (f' is one-sided at the ends)
        xi = torch.tensor([[x + side * 1e-9 * max(1, abs(x))]], dtype=torch.float64, requires_grad=True)
        y = net64(xi)
        (g,) = torch.autograd.grad(y.sum(), xi)
        with torch.no_grad():
            fx = float(net64(torch.tensor([[x]], dtype=torch.float64)))
        out.append(np.exp(-1j * k * x) * (1j * fx / k + float(g) / k**2))
    return out[1] - out[0]


@pytest.mark.parametrize("hidden,seed", [([16], 3), ([24, 24, 24], 4)])
def test_windowed_is_kink_part_plus_boundary_terms(hidden, seed):
    net = nets.relu_mlp(1, hidden, seed=seed)
    a, b = -0.7, 1.3
    p = pwl.pieces_1d(net, (a, b))
    k = np.array([1e-3, 0.5, 3.0, -17.0, 120.0, 5e3])
    B = independent_boundary_terms(net, a, b, k)
    F = np.array([quad_ft_1d(net, p.knots, kk) for kk in k])
    G = fourier.kink_transform_1d(p, k)
    # the kink part from the quadrature minus independent boundary terms
    np.testing.assert_allclose(G, F - B, rtol=1e-7, atol=1e-9 * np.abs(B).max())
    # the library's closed-form boundary terms agree with the independent ones
    np.testing.assert_allclose(fourier.boundary_terms_1d(p, k), B, rtol=1e-7)


def test_kink_transform_on_the_line():
    """interval=None: the kinks' transform is the net's distributional transform (k != 0).

    Reference: the windowed transform on growing windows [a - L, b + L] minus the boundary
    terms of the (linear) tails is independent of L and equals the kink part.
    """
    net = nets.relu_mlp(1, [16, 16], seed=6)
    p = pwl.pieces_1d(net, None)
    a, b = p.interval
    k = np.array([0.3, 2.0, 9.0])
    G = fourier.kink_transform_1d(p, k)
    for L in (0.0, 10.0):
        q = pwl.pieces_1d(net, (a - L, b + L))
        F = np.array([quad_ft_1d(net, q.knots, kk) for kk in k])
        B = independent_boundary_terms(net, a - L, b + L, k)
        np.testing.assert_allclose(F - B, G, rtol=1e-7)
    # a single ReLU: f = relu(x), f'' = δ, so the transform is -1/k^2
    one = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))
    with torch.no_grad():
        one[0].weight.fill_(1.0), one[0].bias.fill_(0.0), one[2].weight.fill_(1.0), one[2].bias.fill_(0.0)
    np.testing.assert_allclose(fourier.kink_transform_1d(pwl.pieces_1d(one, None), k), -1 / k**2, rtol=1e-15)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widths=st.lists(st.integers(1, 16), min_size=1, max_size=3),
    seed=st.integers(0, 10_000),
    a=st.floats(-5, 5),
    length=st.floats(0.1, 5),
    k=st.floats(-300, 300),
)
def test_ft_1d_property(widths, seed, a, length, k):
    net = nets.relu_mlp(1, widths, seed=seed)
    p = pwl.pieces_1d(net, (a, a + length))
    ref = quad_ft_1d(net, p.knots, k)
    scale = np.trapezoid(np.abs(p(p.knots)), p.knots) + 1e-300
    assert abs(fourier.ft_1d(p, k) - ref) <= 1e-8 * max(abs(ref), 1e-6 * scale)


def test_bad_inputs_raise():
    p = pwl.pieces_1d(nets.relu_mlp(1, [4], seed=0), (0, 1))
    with pytest.raises(ValueError):
        fourier.ft_1d(p, [1.0, np.nan])
    with pytest.raises(ValueError):
        fourier.ft_1d(p, np.inf)
    with pytest.raises(TypeError):
        fourier.ft_1d(p, [1j])
    with pytest.raises(TypeError):
        fourier.ft_1d(np.ones(3), [1.0])
    with pytest.raises(ValueError):
        fourier.kink_transform_1d(p, [0.0, 1.0])
    with pytest.raises(ValueError):
        fourier.boundary_terms_1d(p, 0.0)
    with pytest.raises(ValueError):
        fourier.kink_transform_1d(p, [np.nan])
