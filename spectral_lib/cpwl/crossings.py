"""How many activation-region boundaries a curve in input space crosses.

:func:`curve_crossings` samples a curve densely, computes the activation pattern of every
hidden unit along it and counts the pattern changes between consecutive samples (each
change is one crossed boundary, refined where consecutive patterns differ in several bits).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from torch import nn

from spectral_lib import networks, validation

from .patterns import activation_patterns


def curve_crossings(
    net: nn.Module,
    curve: Callable[[np.ndarray], np.ndarray],
    interval=(0.0, 1.0),
    *,
    n_grid: int = 2**14,
    max_depth: int = 40,
    tol: float = 1e-12,
    return_locations: bool = False,
):
    """Number of activation-region boundaries crossed by an input curve ``t -> curve(t)``.

    Method: sample the curve on a uniform grid of ``n_grid + 1`` parameters, compute all
    patterns in one pass, and bisect every grid interval whose end patterns differ in two
    or more units until each interval holds at most one flip (or is shorter than
    ``tol * (b - a)``). The count is the sum over the final intervals of the Hamming
    distance between their end patterns: each unit that changes state is one boundary
    crossed. A unit that leaves and re-enters its state between two grid points whose
    patterns agree is not seen, so the count is a lower bound that converges as the grid is
    refined (check by doubling ``n_grid``). For a straight line through a 1-D input it
    agrees with the exact pieces of :func:`spectral_lib.cpwl.pieces_1d` (tested).

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network.
    curve : callable
        Maps parameters ``t`` of shape ``(m,)`` to inputs of shape ``(m, in_dim)``, e.g.
        ``lambda t: encodings.positional_encoding(t, 7)``.
    interval : (float, float), default (0, 1)
        Parameter range ``[a, b]``.
    n_grid : int, default 2**14
        Initial number of grid intervals.
    max_depth : int, default 40
        Maximal number of bisection rounds.
    tol : float, default 1e-12
        Intervals shorter than ``tol * (b - a)`` are not bisected further.
    return_locations : bool, default False
        Also return the parameter of every crossing (midpoint of its final interval).

    Returns
    -------
    int, or (int, numpy.ndarray)
        The number of crossings (and their parameters, ascending, with multiplicity).

    Raises
    ------
    ValueError
        If the interval or grid is invalid or ``curve`` returns the wrong shape.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> net = networks.relu_mlp(1, [8, 8], seed=0)
    >>> exact = cpwl.pieces_1d(net, (-2.0, 2.0)).n_pieces - 1
    >>> curve_crossings(net, lambda t: t[:, None], (-2.0, 2.0)) == exact
    True
    """
    a, b = validation.check_interval(interval)
    n_grid = validation.check_positive_int("n_grid", n_grid)
    max_depth = validation.check_positive_int("max_depth", max_depth)
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    d = networks.affine_layers(net)[0][0].shape[1]

    def pats(t: np.ndarray) -> np.ndarray:
        pts = np.asarray(curve(t), dtype=np.float64)
        if pts.ndim == 1 and d == 1:
            pts = pts[:, None]
        if pts.shape != (t.size, d):
            raise ValueError(f"curve must map (m,) parameters to (m, {d}) inputs, got {pts.shape}")
        return activation_patterns(net, pts)

    t = np.linspace(a, b, n_grid + 1)
    P = pats(t)
    min_len = tol * (b - a)
    for _ in range(max_depth):
        h = np.count_nonzero(P[1:] != P[:-1], axis=1)
        refine = np.flatnonzero((h >= 2) & (np.diff(t) > min_len))
        if refine.size == 0:
            break
        mids = 0.5 * (t[refine] + t[refine + 1])
        Pm = pats(mids)
        t = np.insert(t, refine + 1, mids)
        P = np.insert(P, refine + 1, Pm, axis=0)
    h = np.count_nonzero(P[1:] != P[:-1], axis=1)
    count = int(h.sum())
    if return_locations:
        return count, np.repeat(0.5 * (t[:-1] + t[1:]), h)
    return count
