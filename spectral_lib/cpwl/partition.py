"""The exact activation regions of a ReLU network with two-dimensional input.

:func:`partition_2d` cuts a box into the convex polygons on which the network is affine,
layer by layer (each hidden unit's zero line splits the polygons it crosses), and returns a
:class:`Partition2D` holding every polygon's vertices and the affine map on it;
:func:`count_regions_2d` counts the polygons. Regions are activation regions, not merged,
and a vertex closer than ``tol * diameter(box)`` to a cutting line counts as lying on it,
as described in ``spectral_lib.cpwl.pieces``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from spectral_lib import validation

from .pieces import scalar_layers


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
    >>> from spectral_lib import networks
    >>> part = partition_2d(networks.relu_mlp(2, [8, 8], seed=0), ((-1, 1), (-1, 1)))
    >>> bool(np.isclose(part.areas().sum(), 4.0))
    True
    """
    layers = scalar_layers(net, 2)
    (x0, x1), (y0, y1) = _box(box)
    tol = validation.check_positive_float("tol", tol)
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
    >>> from spectral_lib import networks
    >>> count_regions_2d(networks.relu_mlp(2, [1], seed=0), ((-100, 100), (-100, 100)))
    2
    """
    return partition_2d(net, box).n_regions
