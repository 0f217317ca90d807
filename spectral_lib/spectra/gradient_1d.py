"""The exact parameter gradient of a 1-D ReLU network's Fourier transform (Rahaman et al., Prop. 1).

On the real line a scalar ReLU network ``f`` with kinks ``x_j`` and slope jumps ``Δs_j`` has
the transform ``f~(k) = -k^{-2} Σ_j Δs_j e^{-ik x_j}`` (``k != 0``). Both ``x_j`` and ``Δs_j``
are smooth functions of the parameters ``θ`` as long as the activation pattern of every
piece is kept, so

    ∂f~(k)/∂θ = -k^{-2} Σ_j (∂Δs_j/∂θ - i k Δs_j ∂x_j/∂θ) e^{-ik x_j}.

The second term carries one power of ``k`` more than ``f~`` itself: the gradient decays like
``k^{-1}`` where the transform decays like ``k^{-2}`` (Prop. 1), because moving a kink moves
the phase of every frequency in proportion to ``k``. :func:`kink_derivatives` returns
``x_j``, ``Δs_j`` and their gradients (by automatic differentiation of the pre-activation
that vanishes at ``x_j`` -- ``∂x_j/∂θ = -(∂z_u/∂θ) / (∂z_u/∂x)`` -- and of the slopes of the
two adjacent pieces); :func:`transform_gradient_1d` assembles the sum.
:func:`transform_gradient_autograd` is an independent route to the same numbers: it rebuilds
the exact transform as a differentiable function of ``θ`` and lets autograd differentiate it.
:func:`transform_gradient_rounding` is the yardstick for comparing the two: how far the formula
moves when every parameter moves by its last bit, which is how far the problem amplifies
round-off.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from spectral_lib import cpwl, seeding

from .numerics import as_wavenumbers, nonzero_k


@dataclass(frozen=True)
class KinkDerivatives:
    """Kinks of a 1-D ReLU network on the real line and their parameter gradients.

    Attributes
    ----------
    x : numpy.ndarray, shape (J,)
        Kink positions ``x_j``.
    jumps : numpy.ndarray, shape (J,)
        Slope jumps ``Δs_j``.
    dx : numpy.ndarray, shape (J, P)
        ``∂x_j/∂θ`` over the ``P`` parameters (in ``net.parameters()`` order, flattened).
    djumps : numpy.ndarray, shape (J, P)
        ``∂Δs_j/∂θ``.
    """

    x: np.ndarray
    jumps: np.ndarray
    dx: np.ndarray
    djumps: np.ndarray


def _forward(net: nn.Sequential, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The output and every hidden pre-activation (layers in order) at inputs ``x`` of shape (n, 1)."""
    pre, h = [], x
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for i, lin in enumerate(linears):
        h = lin(h)
        if i < len(linears) - 1:
            pre.append(h)
            h = torch.relu(h)
    return h[:, 0], pre


def _grads(values: torch.Tensor, params: list[torch.Tensor]) -> np.ndarray:
    """Jacobian ``(len(values), P)`` of a vector of scalars with respect to ``params``."""
    rows = []
    for v in values:
        g = torch.autograd.grad(v, params, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([(gi if gi is not None else torch.zeros_like(p)).reshape(-1)
                               for gi, p in zip(g, params, strict=True)]))
    if not rows:
        return np.zeros((0, sum(p.numel() for p in params)))
    return torch.stack(rows).detach().numpy()


def _kinks(net: nn.Module) -> tuple[cpwl.Pieces1D, np.ndarray]:
    """The pieces of ``net`` on the real line and, for each kink, the one unit that flips there."""
    cpwl.scalar_layers(net, 1)  # validates the architecture and the dimensions
    p = cpwl.pieces_1d(net, None)
    if p.patterns is None or p.patterns.shape[0] != p.kinks.size + 1:
        raise ValueError("the pieces carry no activation patterns")
    flips = p.patterns[1:] != p.patterns[:-1]
    if np.any(flips.sum(axis=1) != 1):
        raise ValueError("several units change sign at one kink; the kink gradients are not defined")
    return p, np.argmax(flips, axis=1)


def _kink_preactivation(model: nn.Sequential, kinks: np.ndarray, unit: np.ndarray):
    """Inputs ``x_j`` (a leaf tensor) and the pre-activation of the unit that vanishes at each."""
    xt = torch.tensor(kinks[:, None], dtype=torch.float64, requires_grad=True)
    _, pre = _forward(model, xt)
    return xt, torch.cat(pre, dim=1)[torch.arange(kinks.size), torch.as_tensor(unit)]


def _piece_slopes(model: nn.Sequential, knots: np.ndarray) -> torch.Tensor:
    """The slope of each piece, differentiable in the parameters, at a point inside it.

    The end pieces are unbounded: their points lie one unit beyond the outer kinks.
    """
    mids = 0.5 * (knots[:-1] + knots[1:])
    many = knots.size > 2
    mids[0], mids[-1] = knots[1] - 1.0 if many else -1.0, knots[-2] + 1.0 if many else 1.0
    xm = torch.tensor(mids[:, None], dtype=torch.float64, requires_grad=True)
    out, _ = _forward(model, xm)
    (slopes,) = torch.autograd.grad(out.sum(), xm, create_graph=True)
    return slopes[:, 0]


def _wavenumbers_1d(k) -> tuple[np.ndarray, np.ndarray]:
    """Checked 1-D angular wavenumbers ``k`` (no zeros) and ``k**2``."""
    kk = as_wavenumbers(k, 1)
    if kk.ndim != 1:
        raise ValueError(f"k must be one-dimensional, got shape {kk.shape}")
    return kk, nonzero_k(kk, "1d")


def kink_derivatives(net: nn.Module) -> KinkDerivatives:
    """Kink positions and slope jumps of a scalar 1-D ReLU network, with their parameter gradients.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with one input and one output (any float dtype; computed in
        float64 on a copy).

    Returns
    -------
    KinkDerivatives
        ``x``, ``jumps``, ``dx`` and ``djumps`` for every kink on the real line where one
        unit changes sign (kinks where several units flip at once, a measure-zero event,
        raise).

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU ``nn.Sequential``.
    ValueError
        If the network is not 1-D in and out, or two units flip at the same kink.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> d = kink_derivatives(networks.relu_mlp(1, [6], seed=0))
    >>> d.dx.shape[0] == d.x.size, d.dx.shape[1]
    (True, 19)
    """
    p, unit = _kinks(net)
    x = p.kinks
    model = _as_float64(net)
    params = list(model.parameters())
    # Pre-activation of the unit that vanishes at each kink, and its slope in x there.
    xt, z = _kink_preactivation(model, x, unit)
    (dz_dx,) = torch.autograd.grad(z.sum(), xt, retain_graph=True, create_graph=False)
    dx = -_grads(z, params) / dz_dx.detach().numpy()
    slopes = _piece_slopes(model, p.knots)
    ds = _grads(slopes, params)
    s = slopes.detach().numpy()
    return KinkDerivatives(x=x.copy(), jumps=np.diff(s), dx=dx, djumps=np.diff(ds, axis=0))


def _as_float64(net: nn.Module) -> nn.Sequential:
    model = copy.deepcopy(net).to(torch.float64)
    for q in model.parameters():
        q.requires_grad_(True)
    return model


def transform_gradient_1d(net: nn.Module, k) -> np.ndarray:
    """``∂f~(k)/∂θ`` of a 1-D ReLU network's transform on the real line, exactly (Prop. 1).

    ``-k^{-2} Σ_j (∂Δs_j/∂θ - i k Δs_j ∂x_j/∂θ) e^{-ik x_j}`` from :func:`kink_derivatives`.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with one input and one output.
    k : array_like of float, shape (n,), no zeros
        Angular wavenumbers.

    Returns
    -------
    numpy.ndarray of complex128, shape (P, n)
        The gradient over the ``P`` parameters (``net.parameters()`` order, flattened) at
        each ``k``.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU ``nn.Sequential`` or ``k`` is not real.
    ValueError
        If ``k`` is not one-dimensional, holds NaN, inf or zero, or several units flip at one kink.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> G = transform_gradient_1d(networks.relu_mlp(1, [6], seed=0), [10.0, 100.0])
    >>> G.shape
    (19, 2)
    """
    kk, k2 = _wavenumbers_1d(k)
    d = kink_derivatives(net)
    phase = np.exp(-1j * np.outer(d.x, kk))                       # (J, n)
    term = d.djumps.T @ phase - 1j * (d.dx * d.jumps[:, None]).T @ (phase * kk)   # (P, n)
    return -term / k2


def transform_gradient_autograd(net: nn.Module, k) -> np.ndarray:
    """``∂f~(k)/∂θ`` by automatic differentiation of the exact transform rebuilt from ``θ``.

    The kinks enter as ``x_j(θ) = x_j - z_u(x_j; θ) / z_u'(x_j; θ)`` (equal to ``x_j`` at the
    network's parameters, with the implicit-function derivative) and the jumps as differences
    of the slopes of adjacent pieces; autograd then differentiates
    ``-k^{-2} Σ_j Δs_j(θ) e^{-ik x_j(θ)}``, real and imaginary parts, one wavenumber at a
    time. No part of Prop. 1's formula is used: it is the reference for
    :func:`transform_gradient_1d`.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with one input and one output.
    k : array_like of float, shape (n,), no zeros
        Angular wavenumbers (a few: the cost is two backward passes per wavenumber).

    Returns
    -------
    numpy.ndarray of complex128, shape (P, n)
        The gradient, as :func:`transform_gradient_1d` returns it.

    Raises
    ------
    TypeError, ValueError
        As :func:`transform_gradient_1d`.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> net = networks.relu_mlp(1, [6], seed=0)
    >>> bool(np.allclose(transform_gradient_autograd(net, [5.0]), transform_gradient_1d(net, [5.0])))
    True
    """
    kk, _ = _wavenumbers_1d(k)
    p, unit = _kinks(net)
    model = _as_float64(net)
    params = list(model.parameters())
    x0, z = _kink_preactivation(model, p.kinks, unit)
    (dz,) = torch.autograd.grad(z.sum(), x0, create_graph=True)
    x = x0.detach()[:, 0] - z / dz[:, 0]
    s = _piece_slopes(model, p.knots)
    ds = s[1:] - s[:-1]
    kt = torch.as_tensor(kk)
    F = -(ds[:, None] * torch.exp(-1j * kt[None, :] * x[:, None])).sum(0) / kt**2
    re = _grads(F.real, params)
    im = _grads(F.imag, params)
    return (re + 1j * im).T


def transform_gradient_rounding(net: nn.Module, k, *, seed=0) -> float:
    """How far :func:`transform_gradient_1d` moves when every parameter moves by its last bit.

    Every parameter of a float64 copy of ``net`` is multiplied by ``1 + u 2^{-52}``,
    ``u ~ U(-1, 1)`` drawn from ``seeding.torch_generator(seed)``, and the returned number is
    ``max |G(θ') - G(θ)| / max |G(θ)|`` over parameters and wavenumbers. A kink where a unit's
    pre-activation is nearly flat has a large ``∂x_j/∂θ`` that carries the round-off of
    everything it is computed from; this control measures that amplification, so that two
    independent computations of the gradient can be compared at a tolerance set by the network
    rather than by a fixed number.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with one input and one output (not modified).
    k : array_like of float, shape (n,), no zeros
        Angular wavenumbers.
    seed : int, optional
        Seed of the perturbation (resolved by :func:`spectral_lib.seeding.resolve`).

    Returns
    -------
    float
        The relative change (``>= 0``).

    Raises
    ------
    TypeError, ValueError
        As :func:`transform_gradient_1d`; ``ValueError`` too if the gradient is zero at every
        ``k`` (no kink), where a relative change is undefined.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> r = transform_gradient_rounding(networks.relu_mlp(1, [6], seed=0), [10.0, 100.0])
    >>> 0 <= r < 1e-12
    True
    """
    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    exact = _as_float64(net)
    nudged = copy.deepcopy(exact)
    gen = seeding.torch_generator(seed)
    with torch.no_grad():
        for p in nudged.parameters():
            p.mul_(1 + 2.0 ** -52 * (2 * torch.rand(p.shape, generator=gen, dtype=torch.float64) - 1))
    g0, g1 = transform_gradient_1d(exact, k), transform_gradient_1d(nudged, k)
    scale = float(np.max(np.abs(g0)))
    if not scale > 0:
        raise ValueError("the gradient is zero at every k (a network without kinks): no relative change")
    return float(np.max(np.abs(g1 - g0)) / scale)
