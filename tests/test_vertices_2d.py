"""The 2-D kink transform's endpoint expansion against the edge (sinc) form and a ridge closed form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spectral_lib import cpwl, networks, seeding, spectra

BOX = ((-1.0, 1.0), (-1.0, 1.0))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(widths=st.lists(st.integers(1, 10), min_size=1, max_size=3), seed=st.integers(0, 10_000),
       angle=st.floats(0.0, np.pi), kappa=st.floats(1.0, 3000.0))
def test_parts_reconstruct_the_edge_form(widths, seed, angle, kappa):
    part = cpwl.partition_2d(networks.relu_mlp(2, widths, seed=seed), BOX)
    u = np.array([np.cos(angle), np.sin(angle)])
    vt = spectra.vertex_terms_2d(part, u)
    if vt.min_cos < 1e-6:  # nearly orthogonal to an edge: both forms lose digits
        return
    inner, box = spectra.kink_transform_2d_parts(part, [kappa], u)
    total = spectra.kink_transform_2d(part, np.array([kappa * u]))
    scale = np.sum(vt.abs_sums) / kappa**3
    assert abs(inner[0] + box[0] - total[0]) <= 1e-9 * scale + 1e-300


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_hidden_layer_has_no_interior_part(seed):
    part = cpwl.partition_2d(networks.relu_mlp(2, [12], seed=seed), BOX)
    angle = seeding.rng(seed).uniform(0, np.pi)
    vt = spectra.vertex_terms_2d(part, [np.cos(angle), np.sin(angle)])
    interior, box = vt.norms()
    assert box > 0 and interior <= 1e-10 * box


def test_single_ridge_against_its_chord():
    """f = relu(w·x + b): Δf is |w| δ on the line's chord, whose transform has a closed form."""
    net = networks.relu_mlp(2, [1], seed=3)
    (W1, b1), (W2, b2) = networks.affine_layers(net)
    w, b, a = W1[0], b1[0], W2[0, 0]
    part = cpwl.partition_2d(net, BOX)
    # the chord of {w·x + b = 0} in the box, by brute force on its parametrisation
    n = w / np.linalg.norm(w)
    t = np.array([-n[1], n[0]])
    x0 = -b / np.linalg.norm(w) * n
    s = np.linspace(-3, 3, 2_000_001)
    inside = np.all(np.abs(x0[None] + s[:, None] * t[None]) <= 1, axis=1)
    if not inside.any():
        pytest.skip("the line misses the box")
    s0, s1 = s[inside][0], s[inside][-1]
    u = np.array([np.cos(0.4), np.sin(0.4)])
    kappa = np.array([37.0, 211.0])
    inner, box = spectra.kink_transform_2d_parts(part, kappa, u)
    ut = u @ t
    # -|k|^-2 a|w| ∫_chord e^{-ik·x} ds, ∫ = (e^{-ik·p0} - e^{-ik·p1}) / (i k·t), p = x0 + s t
    p0, p1 = x0 + s0 * t, x0 + s1 * t
    phase0, phase1 = np.exp(-1j * kappa * (u @ p0)), np.exp(-1j * kappa * (u @ p1))
    expect = -a * np.linalg.norm(w) / kappa**2 * (phase0 - phase1) / (
        1j * kappa * ut)
    assert np.max(np.abs(inner)) <= 1e-12 * np.max(np.abs(box))
    assert np.allclose(box, expect, rtol=1e-4, atol=0)  # the brute-force chord ends are good to 3e-6


def test_normal_direction_keeps_the_line():
    net = networks.relu_mlp(2, [6, 6], seed=4)
    part = cpwl.partition_2d(net, BOX)
    w1 = networks.affine_layers(net)[0][0][0]
    u = w1 / np.linalg.norm(w1)
    vt = spectra.vertex_terms_2d(part, u)
    assert vt.line_weights.size >= 1
    kappa = np.array([50.0, 500.0, 3000.0])
    inner, box = spectra.kink_transform_2d_parts(part, kappa, u)
    total = spectra.kink_transform_2d(part, kappa[:, None] * u)
    assert np.allclose(inner + box, total, rtol=1e-8, atol=0)


def test_bad_inputs():
    part = cpwl.partition_2d(networks.relu_mlp(2, [3], seed=0), BOX)
    with pytest.raises(TypeError):
        spectra.vertex_terms_2d("not a partition", [1.0, 0.0])
    with pytest.raises(ValueError):
        spectra.vertex_terms_2d(part, [0.0, 0.0])
    with pytest.raises(ValueError):
        spectra.vertex_terms_2d(part, [1.0, 0.0, 0.0])
    with pytest.raises(ValueError):
        spectra.kink_transform_2d_parts(part, [0.0, 1.0], [1.0, 0.0])
