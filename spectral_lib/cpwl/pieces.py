"""The exact pieces of a ReLU network in one dimension: on an interval, or along a segment.

A ReLU network is continuous and piecewise linear (CPWL). :func:`pieces_1d` computes the
pieces of a network with scalar input and output exactly (up to float64 round-off, no
grid) by pushing the interval through the network layer by layer and splitting wherever a
pre-activation changes sign; it returns a :class:`Pieces1D` (knots, slopes, intercepts,
activation patterns). :func:`line_pieces` does the same along a segment of a network with
any input dimension, :func:`count_regions_1d` counts the pieces, and :func:`scalar_layers`
checks and reads the affine layers all of them start from. The 2-D counterpart,
:func:`partition_2d`, lives in ``spectral_lib.cpwl.partition`` and follows the same
conventions:

* **Activation regions, not merged.** A piece (1-D) or polygon (2-D) is a maximal connected
  set on which every hidden neuron keeps one activation state. Two adjacent pieces with the
  same slope (e.g. a neuron that flips while every path from it is dead downstream) are
  *not* merged: ``knots`` contains every point where some neuron changes state. Use
  :meth:`Pieces1D.merged` for the linear pieces of ``f`` itself (kinks with a non-zero slope
  jump only).  Zero slope jumps contribute nothing to the Fourier formulas, so the exact
  transforms are the same either way.
* **Activation state.** A neuron is active where its pre-activation is ``> 0``, evaluated at
  an interior point of the piece (a neuron identically zero on a piece counts as inactive).
* **Tolerances.** In 1-D a new knot closer than ``tol * max(1, |x|)`` (default ``1e-12``) to
  an existing knot or to another new knot is dropped; in 2-D a vertex closer than
  ``tol * diameter(box)`` (default ``1e-10``) to a cutting line counts as lying on it, so no
  sliver thinner than that is created and nearly parallel cuts never divide by ~0. The error
  this causes in ``f`` is at most ``slope jump * tol`` — far below float32 resolution of the
  network itself.
* Everything is float64, whatever the network's dtype.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from spectral_lib import networks, validation


def _interval(interval) -> tuple[float, float]:
    try:
        a, b = interval
        a, b = float(a), float(b)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"interval must be a pair (a, b) of real numbers or None, got {interval!r}") from exc
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"interval endpoints must be finite, got {interval!r}")
    if not a < b:
        raise ValueError(f"interval must satisfy a < b (non-empty, not reversed), got {interval!r}")
    return a, b




@dataclass(frozen=True)
class Pieces1D:
    """The exact pieces of a scalar CPWL function on an interval.

    Parameters
    ----------
    knots : numpy.ndarray, shape (m + 1,)
        Ascending; ``knots[0] = a``, ``knots[-1] = b``; interior knots are the kinks.
    slopes, intercepts : numpy.ndarray, shape (m,)
        ``f(x) = slopes[i] * x + intercepts[i]`` on ``[knots[i], knots[i+1]]``.
    patterns : numpy.ndarray of bool, shape (m, n_hidden) or None
        Activation pattern of each piece (hidden layers concatenated in order); ``None``
        after :meth:`merged`.
    """

    knots: np.ndarray
    slopes: np.ndarray
    intercepts: np.ndarray
    patterns: np.ndarray | None = None

    @property
    def interval(self) -> tuple[float, float]:
        """The domain ``(a, b)``."""
        return float(self.knots[0]), float(self.knots[-1])

    @property
    def n_pieces(self) -> int:
        """Number of pieces."""
        return int(self.slopes.size)

    @property
    def kinks(self) -> np.ndarray:
        """Interior knots ``knots[1:-1]``."""
        return self.knots[1:-1]

    @property
    def slope_jumps(self) -> np.ndarray:
        """``Δs_j = slopes[j+1] - slopes[j]`` at each interior knot."""
        return np.diff(self.slopes)

    def __call__(self, x) -> np.ndarray:
        """Evaluate the pieces at points ``x`` inside the interval (float64)."""
        x = np.asarray(x, dtype=np.float64)
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinite values")
        a, b = self.interval
        if np.any(x < a) or np.any(x > b):
            raise ValueError(f"x must lie in the interval [{a}, {b}]")
        i = np.clip(np.searchsorted(self.knots, x, side="right") - 1, 0, self.n_pieces - 1)
        return self.slopes[i] * x + self.intercepts[i]

    def merged(self, rtol: float = 0.0) -> Pieces1D:
        """Merge adjacent pieces whose slopes agree (the linear pieces of ``f`` itself).

        Parameters
        ----------
        rtol : float, default 0.0
            Slopes ``s, t`` are equal when ``|s - t| <= rtol * max(|s|, |t|)``; the default
            merges exact ties only (e.g. a flip that every downstream path ignores).

        Returns
        -------
        Pieces1D
            Same function, with ``patterns=None``.
        """
        if not (np.isfinite(rtol) and rtol >= 0):
            raise ValueError(f"rtol must be a non-negative finite number, got {rtol!r}")
        s = self.slopes
        same = np.abs(np.diff(s)) <= rtol * np.maximum(np.abs(s[:-1]), np.abs(s[1:]))
        keep = np.concatenate([[True], ~same])  # first piece of each run
        starts = np.flatnonzero(keep)
        knots = np.concatenate([self.knots[starts], self.knots[-1:]])
        return Pieces1D(knots, s[starts].copy(), self.intercepts[starts].copy(), None)


def _push_1d(layers, knots: np.ndarray, tol: float):
    """Push pieces ``knots`` (may start/end at ±inf) through the network exactly."""
    m = knots.size - 1
    width0 = layers[0][0].shape[1]
    S = np.ones((m, width0))  # slope of the current layer's input on each piece (in_dim == 1)
    C = np.zeros((m, width0))
    pats = []
    for W, b in layers[:-1]:
        Sz = S @ W.T  # pre-activation slopes (m, n)
        Cz = C @ W.T + b
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = -Cz / Sz
        lo, hi = knots[:-1, None], knots[1:, None]
        with np.errstate(invalid="ignore"):  # inf - inf at an unbounded end: use the end itself
            lo_in = np.where(np.isfinite(lo), lo + tol * np.maximum(1.0, np.abs(lo)), lo)
            hi_in = np.where(np.isfinite(hi), hi - tol * np.maximum(1.0, np.abs(hi)), hi)
        inside = (Sz != 0) & np.isfinite(roots) & (roots > lo_in) & (roots < hi_in)
        new = np.unique(roots[inside])
        old_knots = knots
        if new.size:
            if new.size > 1:  # drop new knots within tol of the previous new knot
                keep = np.concatenate([[True], np.diff(new) > tol * np.maximum(1.0, np.abs(new[1:]))])
                new = new[keep]
            knots = np.sort(np.concatenate([knots, new]))
        # parent piece of every (possibly new) piece, via an interior point of it
        mid = _interior_points(knots)
        parent = np.clip(np.searchsorted(old_knots, mid, side="right") - 1, 0, old_knots.size - 2)
        Sz, Cz = Sz[parent], Cz[parent]
        if pats:
            pats = [p[parent] for p in pats]
        active = (Sz * mid[:, None] + Cz) > 0
        pats.append(active)
        S = Sz * active
        C = Cz * active
    W, b = layers[-1]
    slopes = (S @ W.T)[:, 0]
    intercepts = (C @ W.T + b)[:, 0]
    patterns = np.concatenate(pats, axis=1) if pats else np.zeros((knots.size - 1, 0), dtype=bool)
    return knots, slopes, intercepts, patterns


def _interior_points(knots: np.ndarray) -> np.ndarray:
    lo, hi = knots[:-1], knots[1:]
    with np.errstate(invalid="ignore"):
        mid = 0.5 * (lo + hi)
    both_inf = ~np.isfinite(lo) & ~np.isfinite(hi)
    mid = np.where(~np.isfinite(lo) & np.isfinite(hi), hi - 1.0, mid)
    mid = np.where(np.isfinite(lo) & ~np.isfinite(hi), lo + 1.0, mid)
    return np.where(both_inf, 0.0, mid)


def pieces_1d(net: nn.Module, interval=(0.0, 1.0), *, tol: float = 1e-12) -> Pieces1D:
    """Exact pieces of a scalar ReLU network on an interval (or the whole line).

    The interval is pushed through the network layer by layer; a piece is split wherever a
    pre-activation changes sign inside it. Exact up to float64 round-off; no grid.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with ``in_dim == 1`` and ``out_dim == 1``.
    interval : (float, float) or None, default (0.0, 1.0)
        ``(a, b)`` with ``a < b``. ``None`` finds every kink on the real line (there are
        finitely many) and returns them on the interval ``[min kink - 1, max kink + 1]``
        (``[-1, 1]`` if the network has no kink).
    tol : float, default 1e-12
        Relative knot-merging tolerance (see the module docstring).

    Returns
    -------
    Pieces1D
        ``knots`` (first ``a``, last ``b``), ``slopes``, ``intercepts`` and activation
        ``patterns``. Adjacent pieces with equal slope are **not** merged (see
        :meth:`Pieces1D.merged`).

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``interval`` is not a pair.
    ValueError
        If the network is not 1-D in and out, has NaN/inf weights, or the interval is
        empty, reversed or not finite.

    Examples
    --------
    >>> net = networks.relu_mlp(1, [8, 8], seed=0)
    >>> p = pieces_1d(net, (-1.0, 1.0))
    >>> bool(p.knots[0] == -1.0 and p.knots[-1] == 1.0 and p.slopes.size == p.knots.size - 1)
    True
    """
    layers = scalar_layers(net, 1)
    tol = validation.check_positive_float("tol", tol)
    if interval is None:
        knots, *_ = _push_1d(layers, np.array([-np.inf, np.inf]), tol)
        kinks = knots[1:-1]
        a, b = (float(kinks[0]) - 1.0, float(kinks[-1]) + 1.0) if kinks.size else (-1.0, 1.0)
        start = np.concatenate([[a], kinks, [b]])
    else:
        a, b = _interval(interval)
        start = np.array([a, b])
    knots, slopes, intercepts, patterns = _push_1d(layers, start, tol)
    return Pieces1D(knots, slopes, intercepts, patterns)


def line_pieces(net: nn.Module, start, end, *, tol: float = 1e-12) -> Pieces1D:
    """Exact pieces of a network restricted to a segment, ``t -> net(start + t (end - start))``.

    Works for any input dimension: the segment is folded into the first layer, which makes
    a 1-D network on ``t`` in ``[0, 1]``. Its knots are the parameters ``t`` where the path
    crosses from one activation region into another (the region crossings along a path),
    and its ``patterns`` are the regions visited, in order.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with ``out_dim == 1``.
    start, end : array_like, shape (in_dim,)
        Distinct finite end points of the segment.
    tol : float, default 1e-12
        Relative knot-merging tolerance in ``t``.

    Returns
    -------
    Pieces1D
        On ``[0, 1]`` in the path parameter ``t``; slopes are directional derivatives
        times ``|end - start|``.

    Raises
    ------
    ValueError
        If the points have the wrong shape, are not finite, or coincide.

    Examples
    --------
    >>> net = networks.relu_mlp(2, [8], seed=0)
    >>> p = line_pieces(net, [-1.0, 0.0], [1.0, 0.0])
    >>> p.interval
    (0.0, 1.0)
    """
    layers = scalar_layers(net, None)
    tol = validation.check_positive_float("tol", tol)
    d = layers[0][0].shape[1]
    x0 = np.asarray(start, dtype=np.float64)
    x1 = np.asarray(end, dtype=np.float64)
    if x0.shape != (d,) or x1.shape != (d,):
        raise ValueError(f"start and end must have shape ({d},), got {x0.shape} and {x1.shape}")
    if not (np.all(np.isfinite(x0)) and np.all(np.isfinite(x1))):
        raise ValueError("start and end must be finite")
    if np.array_equal(x0, x1):
        raise ValueError("start and end coincide: the segment is empty")
    W0, b0 = layers[0]
    folded = [((W0 @ (x1 - x0))[:, None], W0 @ x0 + b0), *layers[1:]]
    knots, slopes, intercepts, patterns = _push_1d(folded, np.array([0.0, 1.0]), tol)
    return Pieces1D(knots, slopes, intercepts, patterns)


def count_regions_1d(net: nn.Module, interval=(0.0, 1.0), *, linear: bool = False) -> int:
    """Number of activation regions (or linear pieces) of a 1-D network on an interval.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network, 1-D input and output.
    interval : (float, float) or None, default (0.0, 1.0)
        As in :func:`pieces_1d`.
    linear : bool, default False
        If True, count the linear pieces of ``f`` (equal-slope neighbours merged).

    Returns
    -------
    int
        The count.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``interval`` is not a pair
        (from :func:`pieces_1d`).
    ValueError
        If the network is not 1-D in and out, has NaN/inf weights, or the interval is
        invalid.

    Examples
    --------
    >>> count_regions_1d(networks.relu_mlp(1, [4], seed=0), (-10.0, 10.0)) >= 1
    True
    """
    p = pieces_1d(net, interval)
    return p.merged().n_pieces if linear else p.n_pieces


def scalar_layers(net: nn.Module, in_dim: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The affine layers of a scalar-output ReLU network, checked for the exact computations.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with ``out_dim == 1``.
    in_dim : int or None
        The input dimension the caller needs (1 for :func:`pieces_1d`, 2 for
        :func:`partition_2d`), or ``None`` for any.

    Returns
    -------
    list of (W, b)
        As :func:`spectral_lib.networks.affine_layers`: float64 ``W`` of shape
        ``(out, in)`` and ``b`` of shape ``(out,)``.

    Raises
    ------
    TypeError
        If ``net`` is not a Sequential of alternating Linear and ReLU layers ending with a
        Linear layer.
    ValueError
        If a weight or bias is NaN or infinite, the input dimension is not ``in_dim``, or
        the network has more than one output.

    Examples
    --------
    >>> [W.shape for W, b in scalar_layers(networks.relu_mlp(2, [8], seed=0), 2)]
    [(8, 2), (1, 8)]
    """
    layers = networks.affine_layers(net)
    if in_dim is not None and layers[0][0].shape[1] != in_dim:
        raise ValueError(
            f"the network takes {layers[0][0].shape[1]}-D input; this function needs in_dim == {in_dim}"
        )
    if layers[-1][0].shape[0] != 1:
        raise ValueError(f"the network has {layers[-1][0].shape[0]} outputs; exact pieces need out_dim == 1")
    return layers
