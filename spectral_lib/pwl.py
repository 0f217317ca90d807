"""Exact piecewise-linear structure of ReLU networks: pieces in 1-D, polygons in 2-D.

A ReLU network is continuous and piecewise linear (CPWL). This module computes its pieces
exactly (up to float64 round-off, no grid) by pushing the domain through the network layer
by layer and splitting wherever a pre-activation changes sign.

Conventions:

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

from . import nets

__all__ = [
    "Pieces1D",
    "pieces_1d",
    "line_pieces",
    "Partition2D",
    "partition_2d",
    "count_regions_2d",
    "lipschitz",
    "activation_patterns",
    "count_regions_1d",
]


# --------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------


def _layers(net: nn.Module, in_dim: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    layers = nets.affine_layers(net)
    if in_dim is not None and layers[0][0].shape[1] != in_dim:
        raise ValueError(
            f"the network takes {layers[0][0].shape[1]}-D input; this function needs in_dim == {in_dim}"
        )
    if layers[-1][0].shape[0] != 1:
        raise ValueError(f"the network has {layers[-1][0].shape[0]} outputs; exact pieces need out_dim == 1")
    return layers


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


def _box(box) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (x0, x1), (y0, y1) = box
        x0, x1, y0, y1 = float(x0), float(x1), float(y0), float(y1)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"box must be ((x0, x1), (y0, y1)) of real numbers, got {box!r}") from exc
    if not all(np.isfinite(v) for v in (x0, x1, y0, y1)):
        raise ValueError(f"box corners must be finite, got {box!r}")
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"box is degenerate or reversed (need x0 < x1 and y0 < y1), got {box!r}")
    return (x0, x1), (y0, y1)


def _positive(name: str, value) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v


# --------------------------------------------------------------------------------------
# 1-D
# --------------------------------------------------------------------------------------


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
    >>> net = nets.relu_mlp(1, [8, 8], seed=0)
    >>> p = pieces_1d(net, (-1.0, 1.0))
    >>> bool(p.knots[0] == -1.0 and p.knots[-1] == 1.0 and p.slopes.size == p.knots.size - 1)
    True
    """
    layers = _layers(net, 1)
    tol = _positive("tol", tol)
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
    >>> net = nets.relu_mlp(2, [8], seed=0)
    >>> p = line_pieces(net, [-1.0, 0.0], [1.0, 0.0])
    >>> p.interval
    (0.0, 1.0)
    """
    layers = _layers(net, None)
    tol = _positive("tol", tol)
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
    >>> count_regions_1d(nets.relu_mlp(1, [4], seed=0), (-10.0, 10.0)) >= 1
    True
    """
    p = pieces_1d(net, interval)
    return p.merged().n_pieces if linear else p.n_pieces


def activation_patterns(net: nn.Module, x) -> np.ndarray:
    """Activation pattern (pre-activation ``> 0``) of every hidden neuron at each point.

    One batched float64 pass through the network.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network.
    x : array_like or torch.Tensor, shape (n, in_dim)
        Points.

    Returns
    -------
    numpy.ndarray of bool, shape (n, n_hidden)
        Hidden layers concatenated in order (the same layout as ``Pieces1D.patterns``).

    Raises
    ------
    ValueError
        If ``x`` has the wrong shape or is not finite.

    Examples
    --------
    >>> activation_patterns(nets.relu_mlp(2, [3, 5], seed=0), np.zeros((4, 2))).shape
    (4, 8)
    """
    layers = nets.affine_layers(net)
    arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float64)
    d = layers[0][0].shape[1]
    if arr.ndim != 2 or arr.shape[1] != d:
        raise ValueError(f"x must have shape (n, {d}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("x contains NaN or infinite values")
    h = arr
    pats = []
    for W, b in layers[:-1]:
        z = h @ W.T + b
        act = z > 0
        pats.append(act)
        h = z * act
    if not pats:
        return np.zeros((arr.shape[0], 0), dtype=bool)
    return np.concatenate(pats, axis=1)


# --------------------------------------------------------------------------------------
# 2-D
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partition2D:
    """The exact linear regions of a scalar CPWL function on a box in the plane.

    Parameters
    ----------
    box : ((float, float), (float, float))
        ``((x0, x1), (y0, y1))``.
    polygons : list of numpy.ndarray, each of shape (m_i, 2)
        Convex polygons, vertices counter-clockwise, tiling the box.
    grads : numpy.ndarray, shape (R, 2)
        ``f(x) = grads[r] @ x + offsets[r]`` on polygon ``r``.
    offsets : numpy.ndarray, shape (R,)
        The offsets of ``f`` on each polygon.
    patterns : numpy.ndarray of bool, shape (R, n_hidden)
        Activation pattern of each region (hidden layers concatenated in order).
    """

    box: tuple
    polygons: list
    grads: np.ndarray
    offsets: np.ndarray
    patterns: np.ndarray

    @property
    def n_regions(self) -> int:
        """Number of regions (polygons)."""
        return len(self.polygons)

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every polygon's edges, in counter-clockwise order.

        Returns
        -------
        start, end : numpy.ndarray, shape (E, 2)
            End points of each edge.
        region : numpy.ndarray of int, shape (E,)
            The polygon the edge belongs to (an interior boundary appears once per side).
        on_box : numpy.ndarray of bool, shape (E,)
            Whether the edge lies on a side of the box (both ends on the same side, to
            ``1e-12`` of the box diameter).
        """
        counts = np.array([len(p) for p in self.polygons])
        start = np.concatenate(self.polygons)
        end = np.concatenate([np.roll(p, -1, axis=0) for p in self.polygons])
        region = np.repeat(np.arange(len(self.polygons)), counts)
        (x0, x1), (y0, y1) = self.box
        eps = 1e-12 * np.hypot(x1 - x0, y1 - y0)
        on_box = np.zeros(start.shape[0], dtype=bool)
        for axis, value in ((0, x0), (0, x1), (1, y0), (1, y1)):
            on_box |= (np.abs(start[:, axis] - value) <= eps) & (np.abs(end[:, axis] - value) <= eps)
        return start, end, region, on_box

    def areas(self) -> np.ndarray:
        """Area of each polygon (shoelace formula)."""
        out = np.empty(len(self.polygons))
        for i, p in enumerate(self.polygons):
            x, y = p[:, 0], p[:, 1]
            out[i] = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
        return out


def _split_polygons(V, n, d, tol_d):
    """Split padded convex polygons by the zero line of the affine values ``d`` at their vertices.

    ``V`` (P, M, 2), ``n`` (P,) vertex counts, ``d`` (P, M) signed values, ``tol_d`` (P,).
    Returns ``(V2, n2, parent)`` for the cut polygons only (two children each: the positive
    side first, then the negative side), plus the boolean mask of cut polygons.
    """
    P, M, _ = V.shape
    idx = np.arange(M)
    valid = idx[None, :] < n[:, None]
    pos = (d > tol_d[:, None]) & valid
    neg = (d < -tol_d[:, None]) & valid
    cut = pos.any(axis=1) & neg.any(axis=1)
    if not cut.any():
        return None, None, None, cut
    Vc, dc, nc = V[cut], d[cut], n[cut]
    posc, negc, validc = pos[cut], neg[cut], valid[cut]
    nxt = (idx[None, :] + 1) % nc[:, None]  # next vertex index, wrapping at each row's count
    Vn = np.take_along_axis(Vc, nxt[:, :, None], axis=1)
    dn = np.take_along_axis(dc, nxt, axis=1)
    pn, nn_ = np.take_along_axis(posc, nxt, axis=1), np.take_along_axis(negc, nxt, axis=1)
    cross = validc & ((posc & nn_) | (negc & pn))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(cross, dc / np.where(cross, dc - dn, 1.0), 0.0)
    X = Vc + t[:, :, None] * (Vn - Vc)
    cand = np.stack([Vc, X], axis=2).reshape(Vc.shape[0], 2 * M, 2)  # v_0, x_0, v_1, x_1, ...
    children, counts = [], []
    for keep_v in (validc & ~negc, validc & ~posc):  # positive child, negative child
        flags = np.stack([keep_v, cross], axis=2).reshape(Vc.shape[0], 2 * M)
        order = np.argsort(~flags, axis=1, kind="stable")
        children.append(np.take_along_axis(cand, order[:, :, None], axis=1))
        counts.append(flags.sum(axis=1))
    m2 = int(max(counts[0].max(), counts[1].max()))
    V2 = np.concatenate([children[0][:, :m2], children[1][:, :m2]])
    n2 = np.concatenate(counts)
    parent = np.flatnonzero(cut)
    return V2, n2, np.concatenate([parent, parent]), cut


def _pad(V, M):
    if V.shape[1] >= M:
        return V
    return np.concatenate([V, np.zeros((V.shape[0], M - V.shape[1], 2))], axis=1)


def partition_2d(net: nn.Module, box=((0.0, 1.0), (0.0, 1.0)), *, tol: float = 1e-10) -> Partition2D:
    """Exact linear regions of a scalar ReLU network on a box in the plane.

    The box is split by each neuron's bent hyperplane, layer by layer: within a region of
    the previous layers, every neuron of the next layer is affine, so its zero set is a
    line and each convex polygon is cut into two convex polygons. All polygons are cut by
    one neuron at a time in a single vectorised pass (padded vertex arrays), so the cost is
    ``O(n_neurons * n_polygons)`` numpy work, not a Python loop over polygons.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with ``in_dim == 2`` and ``out_dim == 1``.
    box : ((float, float), (float, float)), default ((0, 1), (0, 1))
        ``((x0, x1), (y0, y1))`` with ``x0 < x1`` and ``y0 < y1``.
    tol : float, default 1e-10
        A vertex closer than ``tol * diameter(box)`` to a cutting line lies on it: no
        polygon thinner than that is created, and nearly parallel cuts stay well defined.

    Returns
    -------
    Partition2D
        Convex counter-clockwise ``polygons`` tiling the box, ``grads``, ``offsets`` and
        ``patterns``. Regions are activation regions: neighbours with the same affine map
        are not merged.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``box`` is malformed.
    ValueError
        If the network is not 2-D in and 1-D out, has NaN/inf weights, or the box is
        degenerate, reversed or not finite.

    Examples
    --------
    >>> part = partition_2d(nets.relu_mlp(2, [8, 8], seed=0), ((-1, 1), (-1, 1)))
    >>> bool(np.isclose(part.areas().sum(), 4.0))
    True
    """
    layers = _layers(net, 2)
    (x0, x1), (y0, y1) = _box(box)
    tol = _positive("tol", tol)
    tol_x = tol * float(np.hypot(x1 - x0, y1 - y0))
    V = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], dtype=np.float64)
    n = np.array([4])
    Hg = np.eye(2)[None, :, :]  # (P, width, 2): gradients of the current layer's inputs
    Ho = np.zeros((1, 2))  # (P, width): their offsets; the input layer is the identity map
    pats = np.zeros((1, 0), dtype=bool)
    for W, b in layers[:-1]:
        Gz = np.einsum("ij,pjk->pik", W, Hg)  # pre-activation gradients (P, n_l, 2)
        Oz = Ho @ W.T + b
        gnorm = np.linalg.norm(Gz, axis=2)  # (P, n_l)
        for j in range(W.shape[0]):
            d = np.einsum("pmk,pk->pm", V, Gz[:, j, :]) + Oz[:, j, None]
            V2, n2, parent, cut = _split_polygons(V, n, d, tol_x * gnorm[:, j])
            if V2 is None:
                continue
            keep = ~cut
            M = max(V.shape[1], V2.shape[1])
            V = np.concatenate([_pad(V[keep], M), _pad(V2, M)])
            n = np.concatenate([n[keep], n2])
            src = np.concatenate([np.flatnonzero(keep), parent])
            Gz, Oz, gnorm, pats = Gz[src], Oz[src], gnorm[src], pats[src]
        valid = np.arange(V.shape[1])[None, :] < n[:, None]
        centre = (V * valid[:, :, None]).sum(axis=1) / n[:, None]
        active = np.einsum("pjk,pk->pj", Gz, centre) + Oz > 0
        pats = np.concatenate([pats, active], axis=1)
        Hg = Gz * active[:, :, None]
        Ho = Oz * active
    W, b = layers[-1]
    grads = np.einsum("j,pjk->pk", W[0], Hg)
    offsets = Ho @ W[0] + b[0]
    polygons = [V[i, : n[i]].copy() for i in range(V.shape[0])]
    return Partition2D(((x0, x1), (y0, y1)), polygons, grads, offsets, pats)


def count_regions_2d(net: nn.Module, box=((0.0, 1.0), (0.0, 1.0))) -> int:
    """Number of activation regions of a 2-D network inside a box.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network, 2-D input, 1-D output.
    box : ((float, float), (float, float))
        As in :func:`partition_2d`.

    Returns
    -------
    int
        ``partition_2d(net, box).n_regions``.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``box`` is malformed
        (from :func:`partition_2d`).
    ValueError
        If the network is not 2-D in and 1-D out, has NaN/inf weights, or the box is
        invalid.

    Examples
    --------
    >>> count_regions_2d(nets.relu_mlp(2, [1], seed=0), ((-100, 100), (-100, 100)))
    2
    """
    return partition_2d(net, box).n_regions


# --------------------------------------------------------------------------------------
# Lipschitz constant
# --------------------------------------------------------------------------------------


def lipschitz(pieces) -> float:
    """Exact Lipschitz constant of a CPWL function on its domain.

    Parameters
    ----------
    pieces : Pieces1D or Partition2D
        From :func:`pieces_1d`, :func:`line_pieces` or :func:`partition_2d`.

    Returns
    -------
    float
        ``max |slope|`` (1-D) or ``max ||grad||_2`` (2-D). On a convex domain the maximum
        gradient norm over the regions is the Lipschitz constant (Euclidean norms).

    Raises
    ------
    TypeError
        If ``pieces`` is neither.

    Examples
    --------
    >>> p = pieces_1d(nets.relu_mlp(1, [8], seed=0), (-2.0, 2.0))
    >>> lipschitz(p) <= nets.lipschitz_upper_bound(nets.relu_mlp(1, [8], seed=0)) + 1e-12
    True
    """
    if isinstance(pieces, Pieces1D):
        return float(np.max(np.abs(pieces.slopes)))
    if isinstance(pieces, Partition2D):
        return float(np.max(np.linalg.norm(pieces.grads, axis=1)))
    raise TypeError(f"expected Pieces1D or Partition2D, got {type(pieces).__name__}")
