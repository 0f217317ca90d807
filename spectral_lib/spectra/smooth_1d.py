"""Transforms of 1-D networks with smooth activations, through a smooth compactly supported window.

A network with an analytic activation (tanh, softplus, GELU) is analytic, so its product
with the C^∞ bump :func:`bump` (support ``[-1, 1]``) is C^∞ with compact support and its
transform decays faster than any power of ``k``: like the bump's own,
``~ k^{-3/4} e^{-√k}`` (:func:`bump_envelope`, by a saddle point at the ends of the
support). The same window on a ReLU network keeps its kinks: ``k^2 F(k) = -Σ_j Δs_j w(x_j)
e^{-ikx_j} + O(1/k)``. :func:`windowed_transform_1d` computes ``F`` by Gauss–Legendre
quadrature, with the network's weights and any of :data:`ACTIVATIONS`; no box is involved,
so there are no boundary terms.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from spectral_lib import cpwl, validation

from .numerics import as_wavenumbers

#: The activations, as numpy functions of the pre-activation.
ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "softplus": lambda z: np.logaddexp(0.0, z),
    "gelu": lambda z: 0.5 * z * (1.0 + special.erf(z / np.sqrt(2.0))),
}


def bump(x) -> np.ndarray:
    """The C^∞ bump ``w(x) = exp(1 - 1/(1 - x^2))`` on ``(-1, 1)``, 0 outside; ``w(0) = 1``.

    Parameters
    ----------
    x : array_like of float

    Returns
    -------
    numpy.ndarray of float64, shape of ``x``
        ``w(x)``, in ``[0, 1]``.

    Raises
    ------
    ValueError
        If ``x`` cannot be converted to floats.

    Examples
    --------
    >>> bump([0.0, 1.0, 2.0])
    array([1., 0., 0.])
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    inside = np.abs(x) < 1
    out[inside] = np.exp(1.0 - 1.0 / (1.0 - x[inside] ** 2))
    return out


def bump_envelope(k) -> np.ndarray:
    """``k^{-3/4} e^{-√k}``: the decay of the bump's transform (saddle points at ``x = ±1``).

    Near ``x = 1``, ``-1/(1 - x^2) - ikx`` has a saddle at ``1 - x ≈ e^{iπ/4}/√(2k)`` with
    real part ``-√k``, and the Gaussian width there gives ``k^{-3/4}``. The local decay
    exponent is ``-3/4 - √k/2``: steeper than any fixed power as ``k`` grows.

    Parameters
    ----------
    k : array_like of float, positive

    Returns
    -------
    numpy.ndarray of float64, shape of ``k``
        ``k^{-3/4} e^{-√k}``, without a constant factor.

    Raises
    ------
    ValueError
        If some ``k <= 0``.

    Examples
    --------
    >>> round(float(bump_envelope(4.0)), 6)
    0.047848
    """
    kk = as_wavenumbers(k, 1)
    if np.any(kk <= 0):
        raise ValueError("k must be positive")
    return kk**-0.75 * np.exp(-np.sqrt(kk))


def _forward(layers, act, x):
    h = x[:, None]
    for W, b in layers[:-1]:
        h = act(h @ W.T + b)
    W, b = layers[-1]
    return (h @ W.T + b)[:, 0]


def windowed_transform_1d(net, k, *, activation: str = "relu", n: int = 2000) -> np.ndarray:
    """``∫ f_σ(x) w(x) e^{-ikx} dx`` for the network ``f_σ`` with ``net``'s weights and activation ``σ``.

    ``w`` is :func:`bump`. The integral is a Gauss–Legendre sum with ``n`` nodes on
    ``[-1, 1]``, split at the kinks of ``f`` in ``(-1, 1)`` when ``activation == "relu"``
    (``n`` nodes on each piece), so the integrand is smooth on every interval.

    Parameters
    ----------
    net : torch.nn.Sequential
        A Linear/ReLU network with 1-D input and output; only its weights are used.
    k : array_like of float
        Angular wavenumbers (any shape).
    activation : {"relu", "tanh", "softplus", "gelu"}, default "relu"
    n : int, default 2000
        Gauss nodes per interval (at least 2).

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape``

    Raises
    ------
    ValueError
        If ``activation`` is unknown, ``n < 2`` or ``k`` is not finite.
    TypeError
        If ``net`` is not a Linear/ReLU Sequential with 1-D input.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> net = networks.relu_mlp(1, [8], seed=0)
    >>> F = windowed_transform_1d(net, [10.0, 40.0], activation="tanh")
    >>> bool(abs(F[1]) < abs(F[0]))
    True
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    n = validation.check_positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    kk = as_wavenumbers(k, 1)
    layers = cpwl.scalar_layers(net, 1)
    breaks = np.array([-1.0, 1.0])
    if activation == "relu":
        breaks = cpwl.pieces_1d(net, (-1.0, 1.0)).knots
    u, w = special.roots_legendre(n)
    flat = kk.reshape(-1)
    out = np.zeros(flat.size, dtype=np.complex128)
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        x = lo + (hi - lo) * (u + 1) / 2
        vals = w * (hi - lo) / 2 * _forward(layers, ACTIVATIONS[activation], x) * bump(x)
        out += np.exp(-1j * np.outer(flat, x)) @ vals
    return out.reshape(kk.shape)
