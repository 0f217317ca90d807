"""Tests of spectral_lib.encodings against plain per-element references."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import encodings


def _pe_reference(x: np.ndarray, n_octaves: int) -> np.ndarray:
    """Per-point Python loop, in the documented order (octave, coordinate, sin/cos)."""
    rows = []
    for point in x:
        row = []
        for level in range(n_octaves):
            for p in point:
                row += [math.sin(2**level * math.pi * p), math.cos(2**level * math.pi * p)]
        rows.append(row)
    return np.array(rows)


@settings(deadline=None, max_examples=50)
@given(
    n=st.integers(1, 20),
    d=st.integers(1, 3),
    n_octaves=st.integers(1, 8),
    seed=st.integers(0, 2**16),
)
def test_positional_encoding_matches_loop(n, d, n_octaves, seed):
    x = np.random.default_rng(seed).uniform(-3, 3, size=(n, d))
    got = encodings.positional_encoding(x, n_octaves)
    assert got.shape == (n, encodings.encoded_dim(d, n_octaves))
    np.testing.assert_allclose(got, _pe_reference(x, n_octaves), atol=1e-9)


def test_positional_encoding_1d_input_and_torch():
    x = np.linspace(0, 1, 7)
    np.testing.assert_allclose(
        encodings.positional_encoding(x, 3), encodings.positional_encoding(x[:, None], 3)
    )
    xt = torch.linspace(0, 1, 7, dtype=torch.float32)
    out = encodings.positional_encoding(xt, 3)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32 and out.shape == (7, 6)
    np.testing.assert_allclose(out.numpy(), _pe_reference(x[:, None], 3), atol=1e-6)


def test_two_meanings_of_L():
    # 1-D scripts: "L=3" is l = 0..3 (8 dims), "L=6" is l = 0..6 (14 dims)
    assert encodings.encoded_dim(1, 4) == 8 and encodings.encoded_dim(1, 7) == 14
    # image scripts: L octaves on (x, y) give 4L dims
    assert encodings.encoded_dim(2, 8) == 32


@settings(deadline=None, max_examples=8)
@given(n_octaves=st.integers(1, 8))
def test_speed_matches_dense_polyline_length(n_octaves):
    t = np.linspace(0.0, 1.0, 200_001)
    curve = encodings.positional_encoding(t, n_octaves)
    length = np.linalg.norm(np.diff(curve, axis=0), axis=1).sum()
    assert length == pytest.approx(encodings.positional_encoding_speed(n_octaves), rel=1e-6)


@pytest.mark.parametrize(
    "x, n, err",
    [
        (np.zeros((2, 1)), 0, ValueError),
        (np.zeros((2, 1)), 1.5, ValueError),
        (np.zeros((2, 1, 1)), 2, ValueError),
        (np.zeros((0, 1)), 2, ValueError),
        (np.array([np.nan]), 2, ValueError),
        (np.array(["a"]), 2, TypeError),
        (torch.zeros(2, dtype=torch.complex64), 2, TypeError),
    ],
)
def test_positional_encoding_rejects_bad_input(x, n, err):
    with pytest.raises(err):
        encodings.positional_encoding(x, n)


# --- fourier_features ---


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 10), d=st.integers(1, 3), m=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_fourier_features_match_loop_and_are_stationary(n, d, m, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, d))
    B = encodings.gaussian_frequencies(d, m, 3.0, seed=seed)
    a = rng.uniform(0.5, 2, size=m)
    got = encodings.fourier_features(x, B, a)
    ref = np.array([[a[j] * math.cos(2 * math.pi * float(B[j] @ p)) for j in range(m)]
                    + [a[j] * math.sin(2 * math.pi * float(B[j] @ p)) for j in range(m)] for p in x])
    np.testing.assert_allclose(got, ref, atol=1e-9)
    # gamma(v) . gamma(v') = sum_j a_j^2 cos(2 pi b_j.(v - v'))
    gram = got @ got.T
    diff = x[:, None, :] - x[None, :, :]
    np.testing.assert_allclose(gram, (a**2 * np.cos(2 * np.pi * diff @ B.T)).sum(-1), atol=1e-9)


def test_fourier_features_torch_and_validation():
    B = encodings.gaussian_frequencies(2, 5, 1.0, seed=0)
    xt = torch.rand(4, 2, dtype=torch.float32)
    out = encodings.fourier_features(xt, B)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32 and out.shape == (4, 10)
    np.testing.assert_allclose(out.numpy(), encodings.fourier_features(xt.double().numpy(), B), atol=1e-5)
    samples = encodings.gaussian_frequencies(1, 20_000, 4.0, seed=1)
    assert abs(samples.std() - 4.0) < 0.1
    with pytest.raises(ValueError):
        encodings.fourier_features(np.zeros((3, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError):
        encodings.gaussian_frequencies(2, 5, 0.0)
    with pytest.raises(ValueError):
        encodings.fourier_features(np.array([[np.nan, 0.0]]), B)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3), st.integers(0, 10_000))
def test_repeat_encoding_has_the_encoding_layout_without_its_frequencies(L, d, seed):
    # Lazzari & Liu's restricted encoding (repeat_xy): every column of the L-octave encoding holds
    # the coordinate it encodes, mapped to [-1, 1]; a plain loop over the encoding's columns
    u = np.random.default_rng(seed).uniform(0, 1, (7, d))
    got = encodings.encode_inputs(("repeat", L), u)
    pe = encodings.positional_encoding(u, L)
    assert got.shape == pe.shape == (7, 2 * d * L)
    for col in range(got.shape[1]):
        j = (col // 2) % d                      # column 2 (l d + j) + {0, 1} encodes coordinate j
        np.testing.assert_array_equal(got[:, col], 2 * u[:, j] - 1)
    assert encodings.input_label(("repeat", L)) == f"repeat L={L}"


def test_repeat_encoding_rejects_bad_kinds_and_inputs():
    with pytest.raises(ValueError):
        encodings.encode_inputs(("repeat", 0), np.zeros((2, 2)))
    with pytest.raises(ValueError):
        encodings.encode_inputs(("repeat", 2), np.full((2, 2), np.nan))
