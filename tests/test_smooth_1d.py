"""Windowed transforms of smooth-activation networks against scipy's QAWO quadrature."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate

from spectral_lib import cpwl, networks, spectra


def qawo(net, activation, k):
    layers = networks.affine_layers(net)
    act = spectra.ACTIVATIONS[activation]

    def g(x):
        h = np.array([[x]])
        for W, b in layers[:-1]:
            h = act(h @ W.T + b)
        W, b = layers[-1]
        return float((h @ W.T + b)[0, 0] * spectra.bump(x))

    breaks = cpwl.pieces_1d(net, (-1.0, 1.0)).knots if activation == "relu" else [-1.0, 1.0]
    re = im = 0.0
    warnings.simplefilter("ignore", integrate.IntegrationWarning)
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        re += integrate.quad(g, lo, hi, weight="cos", wvar=k, epsabs=1e-15, epsrel=1e-12, limit=200)[0]
        im -= integrate.quad(g, lo, hi, weight="sin", wvar=k, epsabs=1e-15, epsrel=1e-12, limit=200)[0]
    return re + 1j * im


@pytest.mark.parametrize("activation", ["relu", "tanh", "softplus", "gelu"])
def test_against_qawo(activation):
    net = networks.relu_mlp(1, [6, 6], seed=2)
    for k in (3.0, 40.0):
        ref = qawo(net, activation, k)
        got = spectra.windowed_transform_1d(net, [k], activation=activation, n=800)[0]
        assert abs(got - ref) <= 1e-8 * abs(ref)


def test_bump_envelope_matches_the_bump():
    """The bump alone: its transform's RMS over a window follows k^{-3/4} e^{-√k} to a constant."""
    k = np.linspace(200, 260, 400)
    u, w = np.polynomial.legendre.leggauss(3000)
    F = np.exp(-1j * np.outer(k, u)) @ (w * spectra.bump(u))
    ratio = np.sqrt(np.mean(np.abs(F) ** 2)) / np.sqrt(np.mean(spectra.bump_envelope(k) ** 2))
    k2 = np.linspace(400, 460, 400)
    F2 = np.exp(-1j * np.outer(k2, u)) @ (w * spectra.bump(u))
    ratio2 = np.sqrt(np.mean(np.abs(F2) ** 2)) / np.sqrt(np.mean(spectra.bump_envelope(k2) ** 2))
    assert 0.8 < ratio / ratio2 < 1.25


def test_bad_inputs():
    net = networks.relu_mlp(1, [3], seed=0)
    with pytest.raises(ValueError):
        spectra.windowed_transform_1d(net, [1.0], activation="sigmoid")
    with pytest.raises(ValueError):
        spectra.windowed_transform_1d(net, [np.nan])
    with pytest.raises(ValueError):
        spectra.bump_envelope([0.0])
