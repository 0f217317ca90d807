"""Zero crossings of random linear functionals of an input curve: the Kac–Rice formula.

A first-layer unit of a network evaluated along an input curve ``t -> phi(t)`` is the
random function ``z(t) = w . phi(t) + c``; its zeros are the region boundaries of that
unit met by the curve. For Gaussian ``w ~ N(0, s^2 I)`` and ``c ~ N(0, r s^2)`` the
expected number of zeros on ``[a, b]`` is the Kac–Rice integral (Kac 1943, Rice 1945)

    E N = (1 / pi) * integral_a^b sqrt(v0 v2 - v1^2) / v0 dt,

with ``v0 = |phi|^2 + r``, ``v1 = phi . phi'`` and ``v2 = |phi'|^2`` (the variance of ``z``,
the covariance of ``z`` and ``z'``, and the variance of ``z'``, over ``s^2``). It does not
depend on the weight scale ``s``. For the positional encoding with ``L`` octaves ``phi`` has
constant norm ``sqrt(L)`` and constant speed ``pi sqrt((4^L - 1) / 3)``, so with ``r = 1``
(PyTorch's default: weights and bias share the bound ``1/sqrt(fan_in)``) the rate is
``sqrt((4^L - 1) / (3 (L + 1)))`` zeros per unit of ``t``.

* :func:`kac_rice_zeros` -- the integral for a curve given as a callable;
* :func:`first_layer_crossings` -- the boundaries of the first layer alone that a curve
  crosses, counted by :func:`spectral_lib.cpwl.curve_crossings`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from spectral_lib import networks, validation

from .crossings import curve_crossings


def kac_rice_zeros(
    curve: Callable[[np.ndarray], np.ndarray],
    interval=(0.0, 1.0),
    *,
    bias_ratio: float = 1.0,
    n_grid: int = 2**14,
    step: float = 1e-6,
) -> float:
    """Expected number of zeros of ``w . curve(t) + c`` on ``interval`` for Gaussian ``w, c``.

    Parameters
    ----------
    curve : callable
        Maps parameters ``t`` of shape ``(m,)`` to points of shape ``(m, d)``; smooth.
    interval : (float, float), default (0, 1)
        Parameter range ``[a, b]``.
    bias_ratio : float, default 1
        ``Var c / Var w_i`` (0 for a unit without bias).
    n_grid : int, default 2**14
        Intervals of the trapezoidal rule for the integral over ``t``.
    step : float, default 1e-6
        Step of the central difference that gives ``curve'(t)``, relative to ``b - a``.

    Returns
    -------
    float
        The expected number of zeros (for one unit).

    Raises
    ------
    ValueError
        If the interval, ``n_grid``, ``step`` or ``bias_ratio`` is invalid, or ``curve``
        returns the wrong shape or non-finite values.

    Examples
    --------
    The positional encoding with ``L`` octaves: ``sqrt((4^L - 1) / (3 (L + 1)))`` per unit.

    >>> from spectral_lib import encodings
    >>> L = 3
    >>> n = kac_rice_zeros(lambda t: encodings.positional_encoding(t, L))
    >>> bool(abs(n - np.sqrt((4**L - 1) / (3 * (L + 1)))) < 1e-6)
    True

    A line ``w t + c`` through ``t = 0`` with ``c`` of the same variance as ``w`` has a zero in
    ``[0, 1]`` when ``-c / w`` falls there, with probability ``arctan(1) / pi = 1/4``:

    >>> round(kac_rice_zeros(lambda t: t[:, None]), 6)
    0.25
    """
    a, b = validation.check_interval(interval)
    n_grid = validation.check_positive_int("n_grid", n_grid)
    step = validation.check_positive_float("step", step)
    bias_ratio = validation.check_nonnegative_float("bias_ratio", bias_ratio)
    t = np.linspace(a, b, n_grid + 1)
    h = step * (b - a)

    def points(s: np.ndarray) -> np.ndarray:
        p = np.asarray(curve(s), dtype=np.float64)
        if p.ndim != 2 or p.shape[0] != s.size:
            raise ValueError(f"curve must map (m,) parameters to (m, d) points, got {p.shape}")
        if not np.all(np.isfinite(p)):
            raise ValueError("curve returned non-finite values")
        return p

    phi = points(t)
    dphi = (points(t + h) - points(t - h)) / (2 * h)
    v0 = np.einsum("ij,ij->i", phi, phi) + bias_ratio
    v1 = np.einsum("ij,ij->i", phi, dphi)
    v2 = np.einsum("ij,ij->i", dphi, dphi)
    if np.any(v0 <= 0):
        raise ValueError("the unit is identically zero somewhere on the curve (curve(t) = 0, no bias)")
    density = np.sqrt(np.clip(v0 * v2 - v1**2, 0.0, None)) / (np.pi * v0)
    return float(np.trapezoid(density, t))


def first_layer_crossings(
    net: nn.Module, curve: Callable[[np.ndarray], np.ndarray], interval=(0.0, 1.0), *, n_grid: int = 2**14
) -> int:
    """Boundaries of the first hidden layer of ``net`` crossed by the curve.

    Counts the zeros along the curve of every unit of the first layer, by
    :func:`spectral_lib.cpwl.curve_crossings` on the network cut after that layer.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network (e.g. :func:`spectral_lib.networks.relu_mlp`).
    curve : callable
        Maps parameters ``t`` of shape ``(m,)`` to inputs of shape ``(m, in_dim)``.
    interval : (float, float), default (0, 1)
        Parameter range.
    n_grid : int, default 2**14
        Initial grid of :func:`~spectral_lib.cpwl.curve_crossings`.

    Returns
    -------
    int
        The number of first-layer zeros crossed.

    Raises
    ------
    ValueError
        If ``net`` has no hidden layer, or as :func:`~spectral_lib.cpwl.curve_crossings`.

    Examples
    --------
    One-hidden-layer nets on a line: every unit's breakpoint ``-b_i / w_i`` in the interval
    is one crossing.

    >>> net = networks.relu_mlp(1, [16], seed=0)
    >>> (W, b), _ = networks.affine_layers(net)
    >>> x = -b / W[:, 0]
    >>> first_layer_crossings(net, lambda t: t[:, None], (-3.0, 3.0)) == int(np.sum(np.abs(x) < 3))
    True
    """
    layers = networks.affine_layers(net)
    if len(layers) < 2:
        raise ValueError("net must have at least one hidden layer")
    W, b = layers[0]
    # skip_init: no draw from torch's global generator (the cut net is filled explicitly)
    first = nn.utils.skip_init(nn.Linear, W.shape[1], W.shape[0], dtype=torch.float64)
    head = nn.utils.skip_init(nn.Linear, W.shape[0], 1, dtype=torch.float64)
    with torch.no_grad():
        first.weight.copy_(torch.as_tensor(W, dtype=torch.float64))
        first.bias.copy_(torch.as_tensor(b, dtype=torch.float64))
        head.weight.fill_(1.0)
        head.bias.zero_()
    cut = nn.Sequential(first, nn.ReLU(), head)
    return curve_crossings(cut, curve, interval, n_grid=n_grid)
