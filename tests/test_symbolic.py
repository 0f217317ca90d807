"""spectral_lib.symbolic against independent references: scipy quadrature, sympy evalf."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from spectral_lib import geometry, spectra, symbolic

I = sp.I


def quad_complex(f, a, b, points=None, limit=400):
    """∫_a^b f(x) dx for complex f, by scipy.quad on real and imaginary parts."""
    re = integrate.quad(lambda x: f(x).real, a, b, points=points, limit=limit, epsabs=1e-12, epsrel=1e-11)[0]
    im = integrate.quad(lambda x: f(x).imag, a, b, points=points, limit=limit, epsabs=1e-12, epsrel=1e-11)[0]
    return re + 1j * im


def quad_triangle(g, tri, k):
    """∫_T g(x, y) e^{-ik·x} over a triangle, by scipy.dblquad on the reference triangle."""
    v0, v1, v2 = (np.asarray(p, dtype=float) for p in tri)
    e1, e2 = v1 - v0, v2 - v0
    det = abs(e1[0] * e2[1] - e1[1] * e2[0])

    def h(t, s, part):
        p = v0 + s * e1 + t * e2
        val = g(p[0], p[1]) * np.exp(-1j * (k[0] * p[0] + k[1] * p[1]))
        return val.real if part == 0 else val.imag

    opts = dict(epsabs=1e-12, epsrel=1e-11)
    re = integrate.dblquad(lambda t, s: h(t, s, 0), 0, 1, 0, lambda s: 1 - s, **opts)[0]
    im = integrate.dblquad(lambda t, s: h(t, s, 1), 0, 1, 0, lambda s: 1 - s, **opts)[0]
    return det * (re + 1j * im)


def fan(vertices):
    return [(vertices[0], vertices[i], vertices[i + 1]) for i in range(1, len(vertices) - 1)]


def random_cpwl(rng, n_pieces, a=-0.7, b=1.3):
    inner = np.sort(rng.uniform(a, b, size=n_pieces - 1))
    knots = np.concatenate([[a], inner, [b]])
    slopes = rng.normal(size=n_pieces) * 3
    intercepts = [rng.normal()]
    for j in range(1, n_pieces):
        intercepts.append(intercepts[-1] + (slopes[j - 1] - slopes[j]) * knots[j])
    return knots, slopes, np.array(intercepts)


def evaluate(knots, slopes, intercepts, x):
    i = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, len(slopes) - 1)
    return slopes[i] * x + intercepts[i]


# ---------------------------------------------------------------------------------- 1-D


@settings(max_examples=25, deadline=None)
@given(
    u=st.floats(-3, 3),
    width=st.floats(0.05, 4),
    s=st.floats(-5, 5),
    c=st.floats(-5, 5),
    k=st.floats(0.05, 60),
)
def test_piece_transform_matches_quadrature(u, width, s, c, k):
    F = symbolic.lambdify_k(
        symbolic.piece_transform().subs(
            dict(zip(sp.symbols("u v s c", real=True), (u, u + width, s, c), strict=True))
        )
    )
    ref = quad_complex(lambda x: (s * x + c) * np.exp(-1j * k * x), u, u + width)
    assert abs(F(k) - ref) <= 1e-8 * max(1.0, abs(ref))


def test_hinge_transform_matches_quadrature():
    t, b = sp.symbols("t b", real=True)
    F = symbolic.lambdify_k(symbolic.hinge_transform().subs({t: 0.3, b: 1.0}))
    for k in (0.5, 3.0, 40.0):
        ref = quad_complex(lambda x, k=k: max(0.0, x - 0.3) * np.exp(-1j * k * x), -0.2, 1.0, points=[0.3])
        assert abs(F(k) - ref) <= 1e-9


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_cpwl_pieces_equal_kinks_plus_boundary_symbolically(n):
    d = symbolic.cpwl_transform_1d(n)
    assert d.residual() == 0
    assert len(d.knots) == n and len(d.slopes) == n + 1


def test_cpwl_closed_form_is_not_trivially_equal_when_a_term_is_dropped():
    d = symbolic.cpwl_transform_1d(2)
    assert sp.simplify(sp.expand(d.pieces_sum - d.boundary_part)) != 0
    assert sp.simplify(sp.expand(d.pieces_sum - d.kink_part)) != 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), n_pieces=st.integers(1, 7))
def test_transform_1d_against_quadrature(seed, n_pieces):
    rng = np.random.default_rng(seed)
    knots, slopes, intercepts = random_cpwl(rng, n_pieces)
    ks = np.array([0.3, 2.0, 17.0, 55.0])
    windowed = symbolic.transform_1d(knots, slopes, intercepts, ks)
    pieces = symbolic.transform_1d(knots, slopes, intercepts, ks, "pieces")
    for k, w, p in zip(ks, windowed, pieces, strict=True):
        ref = quad_complex(
            lambda x, k=k: evaluate(knots, slopes, intercepts, x) * np.exp(-1j * k * x),
            knots[0],
            knots[-1],
            points=knots[1:-1] if n_pieces > 1 else None,
        )
        scale = max(1.0, abs(ref))
        assert abs(w - ref) <= 1e-7 * scale
        assert abs(p - ref) <= 1e-7 * scale


def test_kink_part_is_the_whole_transform_for_compact_support():
    # f = 0 outside [0, 2]: tent-like CPWL with three kinks; boundary terms vanish on a wider window.
    knots = np.array([-1.0, 0.0, 0.5, 2.0, 3.0])
    slopes = np.array([0.0, 2.0, -2 / 3, 0.0])
    intercepts = np.array([0.0, 0.0, 1 + 1 / 3, 0.0])
    ks = np.array([0.7, 5.0, 31.0])
    kinks = symbolic.transform_1d(knots, slopes, intercepts, ks, "kinks")
    bnd = symbolic.transform_1d(knots, slopes, intercepts, ks, "boundary")
    assert np.max(np.abs(bnd)) <= 1e-15
    for k, g in zip(ks, kinks, strict=True):
        ref = quad_complex(
            lambda x, k=k: evaluate(knots, slopes, intercepts, x) * np.exp(-1j * k * x), 0, 2, points=[0.5]
        )
        assert abs(g - ref) <= 1e-9


def test_lemma1_sign_in_one_dimension():
    k = symbolic.k_symbol()
    iv, sl = symbolic.tent_1d()
    direct = sp.integrate((1 + sp.Symbol("x", real=True)) * sp.exp(-I * k * sp.Symbol("x", real=True)),
                          (sp.Symbol("x", real=True), -1, 0))
    direct += sp.integrate((1 - sp.Symbol("x", real=True)) * sp.exp(-I * k * sp.Symbol("x", real=True)),
                           (sp.Symbol("x", real=True), 0, 1))
    assert sp.simplify(symbolic.lemma1_transform_1d(iv, sl, -1) - direct) == 0
    assert sp.simplify(symbolic.lemma1_transform_1d(iv, sl, +1) + direct) == 0
    assert sp.simplify(direct) != 0


# ---------------------------------------------------------------------------------- 2-D

TRIANGLE = [(0, 0), (1, 0), (sp.Rational(1, 3), 1)]
PENTAGON = [(0, 0), (2, 0), (sp.Rational(5, 2), 1), (1, 2), (sp.Rational(-1, 2), 1)]


@pytest.mark.parametrize("poly", [TRIANGLE, PENTAGON])
def test_lemma2_equals_direct_integration_and_quadrature(poly):
    k1, k2 = symbolic.k_symbols_2d()
    lemma2 = symbolic.lambdify_k(symbolic.polygon_transform(poly), dim=2)
    direct = symbolic.lambdify_k(symbolic.polygon_transform_direct(poly), dim=2)
    verts = [(float(p[0]), float(p[1])) for p in poly]
    for k in [(1.3, -0.4), (7.1, 2.9), (-15.5, 11.2)]:
        ref = sum(quad_triangle(lambda x, y: 1.0, tri, k) for tri in fan(verts))
        assert abs(lemma2(np.array(k)) - ref) <= 1e-8
        assert abs(direct(np.array(k)) - ref) <= 1e-8


def test_lemma1_sign_in_two_dimensions():
    k1, k2 = symbolic.k_symbols_2d()
    pieces = symbolic.hat_function_2d(TRIANGLE)
    correct = symbolic.lambdify_k(symbolic.lemma1_transform(pieces, -1), dim=2)
    paper = symbolic.lambdify_k(symbolic.lemma1_transform(pieces, +1), dim=2)
    for k in [(2.1, 0.7), (-6.0, 9.5)]:
        ref = 0j
        for tri, g, o in pieces:
            gx, gy, oo = float(g[0]), float(g[1]), float(o)
            verts = [(float(p[0]), float(p[1])) for p in tri]
            ref += quad_triangle(lambda x, y, gx=gx, gy=gy, oo=oo: gx * x + gy * y + oo, verts, k)
        assert abs(ref) > 1e-3
        assert abs(correct(np.array(k)) - ref) <= 1e-8
        assert abs(paper(np.array(k)) + ref) <= 1e-8


def test_hat_function_is_continuous_and_vanishes_on_the_boundary():
    pieces = symbolic.hat_function_2d(PENTAGON)
    for tri, g, o in pieces:
        apex, u, v = tri
        assert g[0] * apex[0] + g[1] * apex[1] + o == 1
        assert g[0] * u[0] + g[1] * u[1] + o == 0
        assert g[0] * v[0] + g[1] * v[1] + o == 0


def test_decay_orders_of_lemma2_and_theorem1_along_directions():
    tri = TRIANGLE
    # The edge (0,0)-(1,0) has normal (0,1): decay k^-1 for the indicator, k^-2 with Lemma 1's 1/k.
    assert symbolic.decay_order(symbolic.polygon_transform_along(tri, (0, 1))) == -1
    assert symbolic.decay_order(symbolic.polygon_transform_along(tri, (0, 1), grad=(1, 2))) == -2
    # A generic direction: k^-2 and k^-3.
    assert symbolic.decay_order(symbolic.polygon_transform_along(tri, (3, 7))) == -2
    assert symbolic.decay_order(symbolic.polygon_transform_along(tri, (3, 7), grad=(1, 2))) == -3


def test_transform_along_a_generic_direction_equals_the_generic_formula():
    kap = symbolic.kappa_symbol()
    k1, k2 = symbolic.k_symbols_2d()
    along = symbolic.polygon_transform_along(PENTAGON, (3, 7))
    generic = symbolic.polygon_transform(PENTAGON).subs({k1: 3 * kap, k2: 7 * kap})
    for val in (0.9, 4.3, 21.0):
        assert abs(complex(sp.N((along - generic).subs(kap, val), 30))) <= 1e-20


def test_transform_along_an_edge_normal_matches_quadrature():
    F = symbolic.lambdify_k(symbolic.polygon_transform_along(TRIANGLE, (0, 1)))
    verts = [(float(p[0]), float(p[1])) for p in TRIANGLE]
    for kap in (3.0, 25.0):
        ref = quad_triangle(lambda x, y: 1.0, verts, (0.0, kap))
        assert abs(F(kap) - ref) <= 1e-8


def test_integration_by_parts_identity_holds_for_an_abstract_function():
    assert symbolic.integration_by_parts_residual_1d() == 0


def test_whole_line_transform_from_second_derivative_and_abel_limit():
    w = symbolic.whole_line_transform_1d(2)
    k = symbolic.k_symbol()
    xs = sp.symbols("x_1:3", real=True)
    ds = sp.symbols("Delta_1:3", real=True)
    x = sp.Symbol("x", real=True)
    assert sp.simplify(w.f2 - ds[0] * sp.DiracDelta(x - xs[0]) - ds[1] * sp.DiracDelta(x - xs[1])) == 0
    expected = -(ds[0] * sp.exp(-I * k * xs[0]) + ds[1] * sp.exp(-I * k * xs[1])) / k**2
    assert sp.simplify(w.abel - expected) == 0
    assert w.derivative_rule_residual() == 0
    with pytest.raises(ValueError):
        symbolic.whole_line_transform_1d(0)


def test_ray_integration_matches_the_special_case_and_quadrature():
    kap = symbolic.kappa_symbol()
    for direction in ((0, 1), (3, 2), (3, 7)):
        direct = symbolic.linear_polygon_transform_ray(TRIANGLE, direction)
        along = symbolic.polygon_transform_along(TRIANGLE, direction)
        for val in (1.7, 12.0):
            assert abs(complex(sp.N((direct - along).subs(kap, val), 30))) <= 1e-20
    verts = [(float(p[0]), float(p[1])) for p in TRIANGLE]
    F = symbolic.lambdify_k(symbolic.linear_polygon_transform_ray(TRIANGLE, (0, 1), grad=(1, -2), offset=3))
    for val in (3.0, 25.0):
        ref = quad_triangle(lambda x, y: x - 2 * y + 3, verts, (0.0, val))
        assert abs(F(val) - ref) <= 1e-8
    with pytest.raises(ValueError):
        symbolic.linear_polygon_transform_ray(TRIANGLE, (0, 0))


def test_decay_order_detects_cancellation():
    kap = symbolic.kappa_symbol()
    expr = sp.exp(I * kap) / kap - sp.exp(I * kap) / kap + 2 * sp.cos(kap) / kap**2
    assert symbolic.decay_order(expr) == -2
    with pytest.raises(ValueError):
        symbolic.decay_order(sp.exp(I * kap) - sp.exp(I * kap))
    with pytest.raises(ValueError):
        symbolic.decay_order(sp.log(kap))


# ------------------------------------------------------------------------------ validation


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        symbolic.cpwl_transform_1d(-1)
    with pytest.raises(ValueError):
        symbolic.cpwl_transform_1d(2.5)
    with pytest.raises(ValueError):
        symbolic.transform_1d([0, 1], [1.0], [0.0], [0.0])
    with pytest.raises(ValueError):
        symbolic.transform_1d([0, 1], [1.0, 2.0], [0.0], [1.0])
    with pytest.raises(ValueError):
        symbolic.transform_1d([1, 0], [1.0], [0.0], [1.0])
    with pytest.raises(ValueError):
        symbolic.transform_1d([0, 1], [np.nan], [0.0], [1.0])
    with pytest.raises(ValueError):
        symbolic.transform_1d([0, 1], [1.0], [0.0], [1.0], part="all")
    with pytest.raises(ValueError):
        symbolic.polygon_transform([(0, 0), (0, 1), (1, 0)])  # clockwise
    with pytest.raises(ValueError):
        symbolic.polygon_transform([(0, 0), (1, 0)])
    with pytest.raises(ValueError):
        symbolic.polygon_transform([(0, 0), (1, 0), (2, 0), (0, 1)])  # collinear
    with pytest.raises(TypeError):
        symbolic.polygon_transform([(0, 0), (1, 0), "x"])
    with pytest.raises(ValueError):
        symbolic.hat_function_2d(TRIANGLE, apex=(5, 5))
    with pytest.raises(ValueError):
        symbolic.lemma1_transform(symbolic.hat_function_2d(TRIANGLE), sign=0)
    with pytest.raises(ValueError):
        symbolic.polygon_transform_along(TRIANGLE, (0, 0))
    with pytest.raises(ValueError):
        symbolic.lambdify_k(sp.Symbol("q") * symbolic.k_symbol())
    with pytest.raises(ValueError):
        symbolic.lambdify_k(symbolic.k_symbol())(np.array([np.inf]))
    with pytest.raises(ValueError):
        symbolic.lambdify_k(symbolic.k_symbols_2d()[0], dim=2)(np.ones(3))


# ------------------------------------------------------------------ numerical companions


@settings(max_examples=20, deadline=None)
@given(p=st.floats(-4, -0.5), amp=st.floats(0.1, 10), phase=st.floats(0, 6.28))
def test_decay_exponent_recovers_a_power_law(p, amp, phase):
    k = np.geomspace(10, 1000, 4000)
    values = amp * np.exp(-1j * (k * 0.37 + phase)) * k**p
    assert abs(spectra.envelope_decay_exponent(k, values) - p) <= 1e-2


def test_rms_envelope_matches_direct_window_means():
    rng = np.random.default_rng(1)
    k = np.sort(rng.uniform(1, 100, 3000))
    v = rng.normal(size=3000) + 1j * rng.normal(size=3000)
    centres, rms = spectra.rms_envelope(k, v, k_range=(2, 90), n_windows=3)
    edges = np.geomspace(2, 90, 4)
    for i in range(3):
        sel = (k >= edges[i]) & (k <= edges[i + 1])
        assert abs(rms[i] - np.sqrt(np.mean(np.abs(v[sel]) ** 2))) <= 1e-12
        assert abs(centres[i] - np.sqrt(edges[i] * edges[i + 1])) <= 1e-12


def test_decay_exponent_of_a_network_transform_is_minus_two():
    from spectral_lib import cpwl, networks, spectra

    p = cpwl.pieces_1d(networks.relu_mlp(1, [16, 16], seed=3), None).merged()
    k = 2 * np.pi * np.geomspace(5, 500, 20_000)
    assert abs(spectra.envelope_decay_exponent(k, spectra.kink_transform_1d(p, k)) + 2) <= 0.15


def test_farthest_direction_is_farthest_from_every_normal():
    rng = np.random.default_rng(2)
    polys = []
    for _ in range(5):
        c = rng.normal(size=2)
        ang = np.sort(rng.uniform(0, 2 * np.pi, 5))
        polys.append(c + np.stack([np.cos(ang), np.sin(ang)], axis=1))
    u, margin = geometry.farthest_direction(polys)
    normals = geometry.edge_normal_angles(polys)
    ang_u = np.arctan2(u[1], u[0]) % np.pi
    dist = np.abs((normals - ang_u + np.pi / 2) % np.pi - np.pi / 2)
    assert abs(dist.min() - margin) <= 1e-12
    # No other direction on a fine grid has a larger margin.
    grid = np.linspace(0, np.pi, 20_000, endpoint=False)
    best = np.max(np.min(np.abs((normals[None, :] - grid[:, None] + np.pi / 2) % np.pi - np.pi / 2), axis=1))
    assert margin >= best - 1e-3


def test_numerical_companions_validate_input():
    k = np.geomspace(1, 10, 100)
    with pytest.raises(ValueError):
        spectra.rms_envelope(k, np.ones(99))
    with pytest.raises(ValueError):
        spectra.rms_envelope(-k, np.ones(100))
    with pytest.raises(ValueError):
        spectra.rms_envelope(k, np.full(100, np.nan))
    with pytest.raises(ValueError):
        spectra.rms_envelope(k, np.ones(100), n_windows=50)
    with pytest.raises(ValueError):
        spectra.rms_envelope(k, np.ones(100), k_range=(5, 2))
    with pytest.raises(ValueError):
        spectra.envelope_decay_exponent(k, np.zeros(100))
    with pytest.raises(ValueError):
        geometry.edge_normal_angles([np.zeros((2, 2))])
    with pytest.raises(ValueError):
        geometry.edge_normal_angles([])


# ------------------------------------------------------------------ the theory chapters' configs


@pytest.mark.parametrize("profile", ["book", "paper"])
def test_theory_configs_drive_the_chapter_pipeline(profile):
    """Each profile's preset builds its networks; the paper sizes run a couple of training steps."""
    import dataclasses

    from spectral_lib import configs, cpwl, datasets, networks, spectra, training

    cp = configs.get("cpwl", profile)
    fs = configs.get("fourier_spectrum", profile)
    db = configs.get("decay_bounds", profile)
    assert fs.m_min < fs.m_max and fs.kappa_min < fs.kappa_max
    if profile == "paper":
        assert db.hidden == (256,) * 5 and db.lr == 3e-4 and db.steps == 80_000 and db.n_runs == 10
        assert cp.count_width == 256 and (256,) * 5 in cp.lipschitz_archs and (256,) * 5 in fs.hidden_1d
    k = 2 * np.pi * np.geomspace(fs.m_min, fs.m_max, 2000)
    net = networks.relu_mlp(1, list(fs.hidden_1d[-1]), seed=0)
    p = cpwl.pieces_1d(net, None).merged()
    assert np.all(np.abs(spectra.kink_transform_1d(p, k)) * k**2 <= np.abs(p.slope_jumps).sum() + 1e-9)
    tg = datasets.exp1_targets(db.freqs, db.setting, seeds=[0], n_points=db.n_points)
    short = dataclasses.replace(db, steps=2, record_every=1)
    hist = training.train_full_batch([networks.relu_mlp(1, list(short.hidden), seed=0)], tg["x"], tg["y"][0],
                                  steps=short.steps, lr=short.lr, record_every=short.record_every,
                                  progress=False, recorders=[training.SpectralNormRecorder()])
    assert hist.spectral_norms.shape == (3, 1, len(short.hidden) + 1)
    assert np.all(np.isfinite(hist.loss))


@pytest.mark.parametrize("u, v, k", [
    ((0, 0, 0), (1, 0), None),
    (("a", 0), (1, 0), None),
    ((0, float("nan")), (1, 0), None),
    ((0, 0), (1, 0), (1, 2, 3)),
])
def test_segment_transform_rejects_bad_input(u, v, k):
    with pytest.raises(ValueError):
        symbolic.segment_transform(u, v, k)
