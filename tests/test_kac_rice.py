"""Kac–Rice expectation of zeros along a curve, against Monte Carlo counts and closed forms."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import cpwl, encodings, networks, seeding


def _mc_zeros(phi: np.ndarray, bias_ratio: float, n_units: int, seed: int) -> float:
    """Mean number of sign changes of Gaussian w . phi(t) + c on a fine grid (independent)."""
    rng = seeding.rng(seed)
    W = rng.normal(size=(phi.shape[1], n_units))
    c = rng.normal(scale=np.sqrt(bias_ratio), size=n_units)
    z = phi @ W + c
    return float(np.mean(np.count_nonzero(np.sign(z[1:]) != np.sign(z[:-1]), axis=0)))


@pytest.mark.parametrize("L", [1, 2, 4])
def test_matches_monte_carlo_on_the_encoding_curve(L):
    t = np.linspace(0.0, 1.0, 2**12 + 1)
    mc = _mc_zeros(encodings.positional_encoding(t, L), 1.0, 20000, seed=L)
    kr = cpwl.kac_rice_zeros(lambda s: encodings.positional_encoding(s, L))
    # Monte Carlo standard error: the count per unit has standard deviation below sqrt(kr) + 1
    assert abs(mc - kr) <= 4 * (np.sqrt(kr) + 1) / np.sqrt(20000)


@settings(max_examples=15, deadline=None)
@given(
    freqs=st.lists(st.floats(0.5, 12.0), min_size=1, max_size=4),
    bias_ratio=st.floats(0.0, 3.0),
)
def test_matches_monte_carlo_on_random_trigonometric_curves(freqs, bias_ratio):
    w = np.array(freqs)

    def curve(s):
        return np.concatenate([np.sin(np.outer(s, w)), np.cos(np.outer(s, w)), s[:, None]], axis=1)

    t = np.linspace(0.0, 1.0, 2**12 + 1)
    mc = _mc_zeros(curve(t), bias_ratio, 20000, seed=1)
    kr = cpwl.kac_rice_zeros(curve, bias_ratio=bias_ratio)
    assert abs(mc - kr) <= 4 * (np.sqrt(kr) + 1) / np.sqrt(20000)


def test_stationary_closed_form_and_scale_free():
    L = 5
    rate = np.sqrt((4**L - 1) / (3 * (L + 1)))
    assert cpwl.kac_rice_zeros(lambda s: encodings.positional_encoding(s, L)) == pytest.approx(rate, rel=1e-7)
    # scaling the curve is scaling the weights: the count does not change when the bias scales too
    a = cpwl.kac_rice_zeros(lambda s: 3.0 * encodings.positional_encoding(s, L), bias_ratio=9.0)
    assert a == pytest.approx(rate, rel=1e-7)


def test_first_layer_crossings_counts_sign_changes():
    L = 3
    net = networks.relu_mlp(2 * L, [32, 32], seed=4)
    (W, b), *_ = networks.affine_layers(net)
    t = np.linspace(0.0, 1.0, 2**16 + 1)
    z = encodings.positional_encoding(t, L) @ W.T.astype(np.float64) + b
    direct = int(np.count_nonzero(np.sign(z[1:]) != np.sign(z[:-1])))
    assert cpwl.first_layer_crossings(net, lambda s: encodings.positional_encoding(s[:, None], L)) == direct


def test_validation():
    with pytest.raises(ValueError, match="interval"):
        cpwl.kac_rice_zeros(lambda s: s[:, None], (1.0, 0.0))
    with pytest.raises(ValueError, match="bias_ratio"):
        cpwl.kac_rice_zeros(lambda s: s[:, None], bias_ratio=-1.0)
    with pytest.raises(ValueError, match="parameters to"):
        cpwl.kac_rice_zeros(lambda s: s)
    with pytest.raises(ValueError, match="non-finite"):
        cpwl.kac_rice_zeros(lambda s: np.full((s.size, 1), np.nan))
    with pytest.raises(ValueError, match="identically zero"):
        cpwl.kac_rice_zeros(lambda s: s[:, None], (-1.0, 1.0), bias_ratio=0.0)
    with pytest.raises(ValueError, match="hidden layer"):
        cpwl.first_layer_crossings(torch.nn.Sequential(torch.nn.Linear(1, 1)), lambda s: s[:, None])
