"""Exact Fourier transforms against numerical quadrature and independent boundary terms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import integrate

from spectral_lib import cpwl, networks, spectra


def numpy_forward(net):
    """Plain float64 forward pass from the weights (independent of pwl)."""
    layers = networks.affine_layers(net)

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
    net = networks.relu_mlp(1, hidden, seed=seed)
    p = cpwl.pieces_1d(net, (-1.0, 2.0))
    F = spectra.ft_1d(p, K_SPREAD)
    assert F.shape == K_SPREAD.shape and F.dtype == np.complex128
    for k, Fk in zip(K_SPREAD, F, strict=True):
        ref = quad_ft_1d(net, p.knots, k)
        assert abs(Fk - ref) <= 1e-8 * abs(ref), (k, Fk, ref)


def test_ft_1d_shapes_and_k0():
    net = networks.relu_mlp(1, [8, 8], seed=0)
    p = cpwl.pieces_1d(net, (0.0, 1.0))
    k = np.linspace(-20, 20, 12).reshape(3, 4)
    assert spectra.ft_1d(p, k).shape == (3, 4)
    assert spectra.ft_1d(p, 0.0).shape == ()
    # k = 0: the integral of f (trapezoid on the knots is exact for a CPWL function)
    ref = np.trapezoid(p(p.knots), p.knots)
    assert abs(spectra.ft_1d(p, 0.0) - ref) <= 1e-13 * max(1.0, abs(ref))
    # continuity at k -> 0 (the series and the closed form agree)
    assert abs(spectra.ft_1d(p, 1e-9) - spectra.ft_1d(p, 0.0)) <= 1e-8 * abs(ref)
    # Hermitian symmetry of a real function
    np.testing.assert_allclose(spectra.ft_1d(p, -k), np.conj(spectra.ft_1d(p, k)), rtol=1e-13)


def independent_boundary_terms(net, a, b, k):
    """[e^{-ikx}(i f/k + f'/k^2)]_a^b with f and f' from torch (autograd, one-sided)."""
    net64 = networks.relu_mlp(1, [m.out_features for m in list(net)[:-1:2]], seed=0)
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
    net = networks.relu_mlp(1, hidden, seed=seed)
    a, b = -0.7, 1.3
    p = cpwl.pieces_1d(net, (a, b))
    k = np.array([1e-3, 0.5, 3.0, -17.0, 120.0, 5e3])
    B = independent_boundary_terms(net, a, b, k)
    F = np.array([quad_ft_1d(net, p.knots, kk) for kk in k])
    G = spectra.kink_transform_1d(p, k)
    # the kink part from the quadrature minus independent boundary terms
    np.testing.assert_allclose(G, F - B, rtol=1e-7, atol=1e-9 * np.abs(B).max())
    # the library's closed-form boundary terms agree with the independent ones
    np.testing.assert_allclose(spectra.boundary_terms_1d(p, k), B, rtol=1e-7)


def test_kink_transform_on_the_line():
    """interval=None: the kinks' transform is the net's distributional transform (k != 0).

    Reference: the windowed transform on growing windows [a - L, b + L] minus the boundary
    terms of the (linear) tails is independent of L and equals the kink part.
    """
    net = networks.relu_mlp(1, [16, 16], seed=6)
    p = cpwl.pieces_1d(net, None)
    a, b = p.interval
    k = np.array([0.3, 2.0, 9.0])
    G = spectra.kink_transform_1d(p, k)
    for L in (0.0, 10.0):
        q = cpwl.pieces_1d(net, (a - L, b + L))
        F = np.array([quad_ft_1d(net, q.knots, kk) for kk in k])
        B = independent_boundary_terms(net, a - L, b + L, k)
        np.testing.assert_allclose(F - B, G, rtol=1e-7)
    # a single ReLU: f = relu(x), f'' = δ, so the transform is -1/k^2
    one = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))
    with torch.no_grad():
        one[0].weight.fill_(1.0), one[0].bias.fill_(0.0), one[2].weight.fill_(1.0), one[2].bias.fill_(0.0)
    np.testing.assert_allclose(spectra.kink_transform_1d(cpwl.pieces_1d(one, None), k), -1 / k**2, rtol=1e-15)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widths=st.lists(st.integers(1, 16), min_size=1, max_size=3),
    seed=st.integers(0, 10_000),
    a=st.floats(-5, 5),
    length=st.floats(0.1, 5),
    k=st.floats(-300, 300),
)
def test_ft_1d_property(widths, seed, a, length, k):
    net = networks.relu_mlp(1, widths, seed=seed)
    p = cpwl.pieces_1d(net, (a, a + length))
    ref = quad_ft_1d(net, p.knots, k)
    scale = np.trapezoid(np.abs(p(p.knots)), p.knots) + 1e-300
    assert abs(spectra.ft_1d(p, k) - ref) <= 1e-8 * max(abs(ref), 1e-6 * scale)


def test_bad_inputs_raise():
    p = cpwl.pieces_1d(networks.relu_mlp(1, [4], seed=0), (0, 1))
    with pytest.raises(ValueError):
        spectra.ft_1d(p, [1.0, np.nan])
    with pytest.raises(ValueError):
        spectra.ft_1d(p, np.inf)
    with pytest.raises(TypeError):
        spectra.ft_1d(p, [1j])
    with pytest.raises(TypeError):
        spectra.ft_1d(np.ones(3), [1.0])
    with pytest.raises(ValueError):
        spectra.kink_transform_1d(p, [0.0, 1.0])
    with pytest.raises(ValueError):
        spectra.boundary_terms_1d(p, 0.0)
    with pytest.raises(ValueError):
        spectra.kink_transform_1d(p, [np.nan])


# --------------------------------------------------------------------------------------
# 2-D
# --------------------------------------------------------------------------------------


def gauss_ft_2d(net, part, ks, n):
    """∫_box net(x) e^{-ik·x} dx by Gauss-Legendre quadrature on each triangle of each region.

    Split at the region edges (so the integrand is smooth on each triangle); the Duffy map
    of the square onto a triangle makes an n x n rule exact for polynomials of degree 2n-2.
    The integrand is the network itself (torch, float64), not the partition's affine maps.
    """
    from scipy.special import roots_legendre

    u, w = roots_legendre(n)
    u, w = (u + 1) / 2, w / 2
    S, T = np.meshgrid(u, u, indexing="ij")
    WW = np.outer(w, w)
    pts, wts = [], []
    for p in part.polygons:
        c = p.mean(axis=0)
        for i in range(len(p)):
            a, b = p[i] - c, p[(i + 1) % len(p)] - c
            cr = a[0] * b[1] - a[1] * b[0]
            P = c + S[..., None] * ((1 - T)[..., None] * a + T[..., None] * b)
            pts.append(P.reshape(-1, 2))
            wts.append((WW * S * cr).ravel())
    pts, wts = np.concatenate(pts), np.concatenate(wts)
    net64 = networks.relu_mlp(2, [m.out_features for m in list(net)[:-1:2]], seed=0)
    net64.load_state_dict(net.state_dict())
    with torch.no_grad():
        f = net64.double()(torch.as_tensor(pts)).numpy()[:, 0]
    return np.array([np.sum(wts * f * np.exp(-1j * (pts @ k))) for k in ks])


def edge_normal_k(part, scale):
    """A wave vector perpendicular to an interior edge of the partition (k ⟂ edge)."""
    p = max(part.polygons, key=len)
    e = p[1] - p[0]
    return scale * np.array([-e[1], e[0]]) / np.linalg.norm(e)


@pytest.mark.parametrize("hidden,seed", [([8], 0), ([16, 16], 1), ([12, 12, 12], 2)])
def test_ft_2d_against_quadrature(hidden, seed):
    net = networks.relu_mlp(2, hidden, seed=seed)
    part = cpwl.partition_2d(net, ((-1.0, 1.0), (-0.5, 1.0)))
    ks = [[0, 0], [1e-7, 0], [0, -1e-3], [0.3, 0.2], [3, -2], [10, 0], [0, 10], [-25, 7], [40, 30]]
    ks = np.array(ks, dtype=float)
    ks = np.concatenate([ks, [edge_normal_k(part, 13.0), edge_normal_k(part, 1e-2)]])
    F = spectra.ft_2d(part, ks)
    ref = gauss_ft_2d(net, part, ks, n=40)
    rel = np.abs(F - ref) / np.abs(ref)
    assert np.all(rel <= 1e-8), rel


def test_ft_2d_shapes_k0_symmetry():
    net = networks.relu_mlp(2, [8, 8], seed=3)
    part = cpwl.partition_2d(net, ((0, 1), (0, 2)))
    k = np.random.default_rng(0).normal(size=(3, 4, 2)) * 5
    F = spectra.ft_2d(part, k)
    assert F.shape == (3, 4) and F.dtype == np.complex128
    assert spectra.ft_2d(part, [0.0, 0.0]).shape == ()
    np.testing.assert_allclose(spectra.ft_2d(part, -k), np.conj(F), rtol=1e-12)
    # k = 0: sum of area * f(centroid) (exact for affine f)
    cent = []
    for p in part.polygons:
        x, y = p[:, 0], p[:, 1]
        cr = x * np.roll(y, -1) - np.roll(x, -1) * y
        A = cr.sum() / 2
        cx, cy = ((x + np.roll(x, -1)) * cr).sum(), ((y + np.roll(y, -1)) * cr).sum()
        cent.append([cx / (6 * A), cy / (6 * A)])
    ref = np.sum(part.areas() * (np.einsum("rk,rk->r", part.grads, np.array(cent)) + part.offsets))
    assert abs(spectra.ft_2d(part, [0.0, 0.0]) - ref) <= 1e-13 * abs(ref)
    # no jump where a polygon switches between its Taylor series and its edge sum
    ks = np.array([[t, 0.0] for t in np.logspace(-3, 2, 400)])
    Fk = spectra.ft_2d(part, ks)
    ref_q = gauss_ft_2d(net, part, ks[::40], n=40)
    np.testing.assert_allclose(Fk[::40], ref_q, rtol=1e-9)
    # |dF/dk1| <= ∫ |x1| |f| dx <= max|x1| max|f| area: a jump at the switch would break it
    smooth = np.abs(np.diff(Fk)) / np.abs(np.diff(ks[:, 0]))
    regions = zip(part.polygons, part.grads, part.offsets, strict=True)
    fmax = max(np.max(np.abs(p @ g + o)) for p, g, o in regions)
    assert np.all(np.isfinite(smooth)) and smooth.max() <= 1.0 * fmax * 2.0  # max|x1| = 1, area = 2


def independent_boundary_terms_2d(net, box, ks):
    """|k|^-2 ∮ (i (k·n) f + ∇f·n) e^{-ik·x} ds from 1-D machinery along each side plus autograd."""
    (x0, x1), (y0, y1) = box
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    net64 = networks.relu_mlp(2, [m.out_features for m in list(net)[:-1:2]], seed=0)
    net64.load_state_dict(net.state_dict())
    net64 = net64.double()
    total = np.zeros(len(ks), dtype=complex)
    for i in range(4):
        s, e = corners[i], corners[(i + 1) % 4]
        d = e - s
        L = np.linalg.norm(d)
        n = np.array([d[1], -d[0]]) / L
        line = cpwl.line_pieces(net, s, e)  # f along the side, in t ∈ [0, 1]
        mids = s + 0.5 * (line.knots[:-1] + line.knots[1:])[:, None] * d
        xt = torch.as_tensor(mids, dtype=torch.float64).requires_grad_(True)
        (grad,) = torch.autograd.grad(net64(xt).sum(), xt)
        dn = grad.numpy() @ n  # normal derivative, constant on each piece along the side
        const = cpwl.Pieces1D(line.knots, np.zeros_like(dn), dn)
        omega = ks @ d  # e^{-ik·x} = e^{-ik·s} e^{-i (k·d) t}
        phase = np.exp(-1j * (ks @ s)) * L
        total += phase * (1j * (ks @ n) * spectra.ft_1d(line, omega) + spectra.ft_1d(const, omega))
    return total / np.sum(ks**2, axis=1)


@pytest.mark.parametrize("hidden,seed", [([8], 5), ([16, 16], 6)])
def test_ft_2d_is_kink_part_plus_boundary_terms(hidden, seed):
    net = networks.relu_mlp(2, hidden, seed=seed)
    box = ((-0.5, 1.0), (0.0, 2.0))
    part = cpwl.partition_2d(net, box)
    ks = np.array([[0.5, 0.1], [3, -2], [0, 11], [-17, 0], [30, 40], [200, -50]], dtype=float)
    B = independent_boundary_terms_2d(net, box, ks)
    np.testing.assert_allclose(spectra.boundary_terms_2d(part, ks), B, rtol=1e-9)
    F = gauss_ft_2d(net, part, ks[:5], n=40)
    np.testing.assert_allclose(spectra.kink_transform_2d(part, ks[:5]), F - B[:5], rtol=1e-8)
    lhs = spectra.ft_2d(part, ks)
    np.testing.assert_allclose(lhs, spectra.kink_transform_2d(part, ks) + B, rtol=1e-9)


def test_kink_transform_2d_single_neuron():
    """f = relu(w·x + b): Δf = |w| δ on the line, so G = -|w| |k|^-2 ∫_{line ∩ box} e^{-ik·x} ds."""
    net = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[3.0, 4.0]]))
        net[0].bias.copy_(torch.tensor([-2.0]))
        net[2].weight.fill_(1.0)
        net[2].bias.fill_(0.0)
    part = cpwl.partition_2d(net, ((0, 1), (0, 1)))
    # the line 3x + 4y = 2 meets the box at (0, 1/2) and (2/3, 0)
    p, q = np.array([0.0, 0.5]), np.array([2 / 3, 0.0])
    ks = np.array([[1.0, 2.0], [4.0, -3.0], [-20.0, 9.0]])  # (4, -3) runs along the line
    L = np.linalg.norm(q - p)

    def seg(k):
        w = k @ (q - p)
        return L * np.exp(-1j * (k @ p)) * (1 if w == 0 else (1 - np.exp(-1j * w)) / (1j * w))

    ref = np.array([-5.0 * seg(k) / (k @ k) for k in ks])
    np.testing.assert_allclose(spectra.kink_transform_2d(part, ks), ref, rtol=1e-13)


def test_ft_2d_bad_inputs_raise():
    part = cpwl.partition_2d(networks.relu_mlp(2, [4], seed=0), ((0, 1), (0, 1)))
    with pytest.raises(ValueError):
        spectra.ft_2d(part, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        spectra.ft_2d(part, 1.0)
    with pytest.raises(ValueError):
        spectra.ft_2d(part, [[np.nan, 1.0]])
    with pytest.raises(TypeError):
        spectra.ft_2d(part, [[1j, 1.0]])
    with pytest.raises(TypeError):
        spectra.ft_2d(cpwl.pieces_1d(networks.relu_mlp(1, [4], seed=0), (0, 1)), [[1.0, 1.0]])
    with pytest.raises(ValueError):
        spectra.kink_transform_2d(part, [[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError):
        spectra.boundary_terms_2d(part, [0.0, 0.0])
    with pytest.raises(ValueError):
        spectra.kink_transform_2d(part, [[np.inf, 0.0]])


# --------------------------------------------------------------------------------------
# Sampled spectra
# --------------------------------------------------------------------------------------


def test_radial_spectrum_against_brute_force():
    n = 32
    g = np.arange(n) / n
    X, Y = np.meshgrid(g, g, indexing="ij")
    rng = np.random.default_rng(0)
    y = 2.0 * np.sin(2 * np.pi * (3 * X + 4 * Y) + 0.3) + rng.normal(size=(n, n)) * 0.1
    r, amp = spectra.radial_spectrum(y)
    # brute force: the DFT as a double sum, annuli by explicit loops
    ref_sum = np.zeros(n // 2)
    ref_cnt = np.zeros(n // 2)
    for m1 in range(n):
        for m2 in range(n):
            s1, s2 = (m1 if m1 < n / 2 else m1 - n), (m2 if m2 < n / 2 else m2 - n)
            rr = int(round(np.hypot(s1, s2)))
            if rr < n // 2:
                F = np.sum(y * np.exp(-2j * np.pi * (m1 * X + m2 * Y))) / n**2
                ref_sum[rr] += abs(F)
                ref_cnt[rr] += 1
    np.testing.assert_array_equal(r, np.arange(n // 2))
    np.testing.assert_allclose(amp, ref_sum / ref_cnt, rtol=1e-10)
    assert np.argmax(amp[1:]) + 1 == 5
    # batched: leading axes are kept
    r2, amp2 = spectra.radial_spectrum(np.stack([y, 2 * y]))
    np.testing.assert_allclose(amp2[1], 2 * amp, rtol=1e-12)


def test_decay_exponent():
    k = np.logspace(0, 3, 50)
    fit = spectra.decay_exponent(k, 0.7 * k**-3.0 * (1 + 0j), (5, 500))
    assert abs(fit.exponent - 3.0) <= 1e-12 and abs(fit.prefactor - 0.7) <= 1e-12 and fit.residual <= 1e-12
    assert fit.n_points == np.count_nonzero((k >= 5) & (k <= 500))
    np.testing.assert_allclose(fit(k), 0.7 * k**-3.0, rtol=1e-10)
    # the kinks' transform of a single ReLU decays exactly like k^-2
    one = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))
    p = cpwl.pieces_1d(one, None)
    assert abs(spectra.decay_exponent(k, spectra.kink_transform_1d(p, k)).exponent - 2.0) <= 1e-12
    for bad in (
        lambda: spectra.decay_exponent(k, k[:-1]),
        lambda: spectra.decay_exponent(k, np.where(k > 10, 0.0, 1.0), (1, 100)),
        lambda: spectra.decay_exponent(k, k, (100, 10)),
        lambda: spectra.decay_exponent(k, k, (1.5, 1.6)),
        lambda: spectra.decay_exponent(-k, k, None),
        lambda: spectra.decay_exponent(k, k * np.nan),
    ):
        with pytest.raises(ValueError):
            bad()


def test_radial_spectrum_bad_inputs():
    with pytest.raises(ValueError):
        spectra.radial_spectrum(np.ones((8, 6)))
    with pytest.raises(ValueError):
        spectra.radial_spectrum(np.ones(8))
    with pytest.raises(ValueError):
        spectra.radial_spectrum(np.full((8, 8), np.nan))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widths=st.lists(st.integers(1, 8), min_size=1, max_size=2),
    seed=st.integers(0, 10_000),
    x0=st.floats(-2, 2),
    y0=st.floats(-2, 2),
    wx=st.floats(0.2, 2),
    wy=st.floats(0.2, 2),
    k=st.tuples(st.floats(-20, 20), st.floats(-20, 20)),
)
def test_ft_2d_property(widths, seed, x0, y0, wx, wy, k):
    net = networks.relu_mlp(2, widths, seed=seed)
    part = cpwl.partition_2d(net, ((x0, x0 + wx), (y0, y0 + wy)))
    kk = np.array([k, [0.0, 0.0]])
    ref = gauss_ft_2d(net, part, kk, n=30)
    F = spectra.ft_2d(part, kk)
    scale = abs(ref[1]) + np.sum(np.abs(part.areas())) * 1e-3  # ∫ f, guarded against f ≈ 0
    assert np.all(np.abs(F - ref) <= 1e-8 * np.maximum(np.abs(ref), 1e-4 * scale))
