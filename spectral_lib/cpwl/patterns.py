"""Activation patterns of a ReLU network along the data, and distances between them (Lazzari & Liu).

A ReLU network cuts its input space into activation regions; on each region it is affine
(see :mod:`spectral_lib.cpwl`). Lazzari & Liu measure how the training data sit in those
regions. This module computes the patterns, vectorised (one batched pass per set of
inputs, in chunks of ``CHUNK`` points, no per-sample loop):

* :func:`hidden_sizes` -- the widths of the hidden layers;
* :func:`activation_patterns` -- the on/off bit ``1[z_i(x) > 0]`` of every hidden unit, for a
  batch in one pass (optionally split by layer); :func:`count_patterns` -- the number of
  distinct patterns over a set of inputs (a lower bound on the regions the data visit);
* :func:`hamming` / :func:`layer_hamming` -- Hamming distances between the patterns of
  index pairs (all layers together, or layer by layer), for pairs drawn by
  ``spectral_lib.cpwl.pairs``;
* :func:`dead_units` -- the number of units that are off on every input;
* :func:`boundary_distances` -- each point's distance to the nearest unit's boundary
  (exact for the first layer, a proxy for deeper ones);
* :func:`first_layer_inradius` -- the radius of the largest ball inside a point's
  first-layer cell (cut to a box), by a linear programme in the centre ``c`` and radius
  ``r``: maximise ``r`` subject to ``s_i (w_i . c + b_i) >= r ||w_i||`` and the box, with
  ``s_i`` the point's signs (the official ``inspheres.py``, solved there with cvxpy, here with
  SciPy's HiGHS).

The region boundaries a curve crosses are counted by :func:`spectral_lib.cpwl.curve_crossings`
and gradient confusion is :func:`spectral_lib.training.gradient_cosines`; the chapter *Why
high frequencies converge slowly* makes these measurements along training.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize
from torch import nn

from spectral_lib import networks, validation

CHUNK = 16384  # points per forward chunk when computing patterns


def _as_points(x, d: int) -> np.ndarray:
    arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"x must be real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if arr.ndim == 1 and d == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != d or arr.shape[0] == 0:
        raise ValueError(f"x must have shape (n, {d}) with n >= 1, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("x contains NaN or infinite values")
    return arr


def _check_patterns(patterns) -> np.ndarray:
    p = np.asarray(patterns)
    if p.ndim != 2 or p.dtype != np.bool_:
        raise TypeError(f"patterns must be a boolean array of shape (n, n_units), got {p.dtype} {p.shape}")
    return p


def hidden_sizes(net: nn.Module) -> list[int]:
    """Widths of the hidden layers of a Linear/ReLU network.

    Parameters
    ----------
    net : torch.nn.Sequential
        As built by :func:`spectral_lib.networks.relu_mlp`.

    Returns
    -------
    list of int
        One width per hidden layer.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential (from
        :func:`spectral_lib.networks.affine_layers`).
    ValueError
        If a weight or bias is NaN or infinite.

    Examples
    --------
    >>> hidden_sizes(networks.relu_mlp(2, [8, 4], seed=0))
    [8, 4]
    """
    return [W.shape[0] for W, _ in networks.affine_layers(net)[:-1]]


def _chunked_preactivations(hidden, arr: np.ndarray):
    """Yield ``(rows, [z_1, ..., z_L])``: the hidden layers' pre-activations, ``CHUNK`` points at a time."""
    for start in range(0, arr.shape[0], CHUNK):
        h = arr[start : start + CHUNK]
        zs = []
        for W, b in hidden:
            z = h @ W.T + b
            zs.append(z)
            h = np.where(z > 0, z, 0.0)
        yield slice(start, start + CHUNK), zs


def activation_patterns(net: nn.Module, x, *, by_layer: bool = False):
    """Activation pattern ``1[z_i(x) > 0]`` of every hidden unit at every point, in one pass.

    The official scripts set the positive post-ReLU outputs to one; that is the same bit.
    Computed in float64, in chunks of points (one batched matrix product per layer and
    chunk).

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network.
    x : array_like or torch.Tensor, shape (n, in_dim) (or (n,) when ``in_dim == 1``)
        Points.
    by_layer : bool, default False
        Return one array per hidden layer instead of their concatenation.

    Returns
    -------
    numpy.ndarray of bool, shape (n, n_units), or list of (n, width) arrays
        Hidden layers concatenated in order (the layout of
        :func:`spectral_lib.cpwl.activation_patterns`).

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``x`` is not numeric.
    ValueError
        If ``x`` has the wrong shape or holds NaN/inf.

    Examples
    --------
    >>> activation_patterns(networks.relu_mlp(1, [3, 5], seed=0), np.zeros(4)).shape
    (4, 8)
    """
    layers = networks.affine_layers(net)
    arr = _as_points(x, layers[0][0].shape[1])
    per_layer: list[list[np.ndarray]] = [[] for _ in layers[:-1]]
    for _, zs in _chunked_preactivations(layers[:-1], arr):
        for i, z in enumerate(zs):
            per_layer[i].append(z > 0)
    if not per_layer:
        out = [np.zeros((arr.shape[0], 0), dtype=bool)]
    else:
        out = [np.concatenate(p, axis=0) for p in per_layer]
    if by_layer:
        return out
    return np.concatenate(out, axis=1)


def count_patterns(patterns) -> int:
    """Number of distinct activation patterns (rows) in a pattern array.

    Lazzari & Liu's "number of activation regions": the regions the data visit, a lower
    bound on the regions of the domain, never more than the number of points.

    Parameters
    ----------
    patterns : numpy.ndarray of bool, shape (n, n_units)
        From :func:`activation_patterns`.

    Returns
    -------
    int
        The number of distinct rows.

    Raises
    ------
    TypeError
        If ``patterns`` is not a 2-D boolean array.

    Examples
    --------
    >>> count_patterns(np.array([[True, False], [True, False], [False, False]]))
    2
    """
    p = _check_patterns(patterns)
    if p.shape[0] == 0:
        return 0
    return int(np.unique(np.packbits(p, axis=1), axis=0).shape[0])


def hamming(patterns, pairs) -> np.ndarray:
    """Hamming distance ``sum_i |A_i(x) - A_i(x')|`` between the patterns of index pairs.

    Parameters
    ----------
    patterns : numpy.ndarray of bool, shape (n, n_units)
        From :func:`activation_patterns`.
    pairs : array_like of int, shape (n_pairs, 2)
        Row indices into ``patterns``.

    Returns
    -------
    numpy.ndarray of int, shape (n_pairs,)
        Number of units whose on/off state differs.

    Raises
    ------
    TypeError, ValueError
        If ``patterns`` is not boolean 2-D or a pair index is out of range.

    Examples
    --------
    >>> p = np.array([[True, True, False], [False, True, True]])
    >>> hamming(p, [[0, 1], [1, 1]])
    array([2, 0])
    """
    p = _check_patterns(patterns)
    q = validation.check_pairs(pairs, p.shape[0])
    out = np.empty(q.shape[0], dtype=np.int64)
    step = max(1, 2**24 // max(p.shape[1], 1))
    for s in range(0, q.shape[0], step):
        blk = q[s : s + step]
        out[s : s + step] = np.count_nonzero(p[blk[:, 0]] != p[blk[:, 1]], axis=1)
    return out


def layer_hamming(net: nn.Module, x, pairs) -> np.ndarray:
    """Hamming distance of index pairs computed separately in every hidden layer.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network.
    x : array_like, shape (n, in_dim)
        Points.
    pairs : array_like of int, shape (n_pairs, 2)
        Indices into ``x``.

    Returns
    -------
    numpy.ndarray of int, shape (n_layers, n_pairs)
        Row ``l`` counts the units of hidden layer ``l`` that differ.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``x`` is not numeric
        (from :func:`activation_patterns`).
    ValueError
        If ``x`` has the wrong shape or holds NaN/inf, or a pair index is out of range
        (from :func:`hamming`).

    Examples
    --------
    >>> layer_hamming(networks.relu_mlp(1, [4, 4], seed=0), np.linspace(0, 1, 5), [[0, 4]]).shape
    (2, 1)
    """
    return np.stack([hamming(p, pairs) for p in activation_patterns(net, x, by_layer=True)])


def dead_units(net: nn.Module, x, *, by_layer: bool = False):
    """Number of hidden units that are off (``z <= 0``) on every point of ``x``.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network.
    x : array_like, shape (n, in_dim)
        Points (e.g. all training inputs).
    by_layer : bool, default False
        Return the count of each hidden layer.

    Returns
    -------
    int or numpy.ndarray of int, shape (n_layers,)
        The count.

    Raises
    ------
    TypeError, ValueError
        As :func:`activation_patterns`, for a ``net`` or ``x`` it rejects.

    Examples
    --------
    >>> dead_units(networks.relu_mlp(1, [16], seed=0), np.linspace(0, 1, 50)) <= 16
    True
    """
    counts = np.array([int(np.sum(~p.any(axis=0))) for p in activation_patterns(net, x, by_layer=True)])
    return counts if by_layer else int(counts.sum())


def boundary_distances(net: nn.Module, x, *, first_layer: bool = False) -> np.ndarray:
    """Lazzari & Liu's distance of each point to the nearest unit's boundary, ``min_i |z_i(x)| / ||w_i||``.

    ``z_i`` is the pre-activation of hidden unit ``i`` and ``w_i`` its row of the layer's
    weight matrix, as in the official ``region_narrowness.py``. For the first layer
    ``|z_i| / ||w_i||`` is the exact Euclidean distance from ``x`` to unit ``i``'s hyperplane;
    for a deeper layer it is the distance in that layer's own input space (the previous
    layer's outputs), a proxy. A unit whose weight row is zero has no boundary and is skipped.

    Parameters
    ----------
    net, x
        The network and the points, as for :func:`activation_patterns`.
    first_layer : bool, default False
        Only the first hidden layer's units (the exact distance to the nearest of its
        hyperplanes).

    Returns
    -------
    numpy.ndarray of float64, shape (n,)
        The distance at each point (``inf`` if no unit has a boundary).

    Raises
    ------
    TypeError, ValueError
        If :func:`activation_patterns` would reject ``net`` or ``x``.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(2.0), net[0].bias.fill_(-1.0)   # the kink at x = 0.5
    >>> boundary_distances(net, [0.0, 0.4, 0.75]).round(6).tolist()
    [0.5, 0.1, 0.25]
    """
    layers = networks.affine_layers(net)
    hidden = layers[:-1][:1] if first_layer else layers[:-1]
    arr = _as_points(x, layers[0][0].shape[1])
    out = np.full(arr.shape[0], np.inf)
    norms = [np.linalg.norm(W, axis=1) for W, _ in hidden]
    for rows, zs in _chunked_preactivations(hidden, arr):
        best = out[rows]
        for z, nrm in zip(zs, norms, strict=True):
            live = nrm > 0
            if live.any():
                best = np.minimum(best, np.min(np.abs(z[:, live]) / nrm[live], axis=1))
        out[rows] = best
    return out


def first_layer_inradius(net: nn.Module, x, *, box=(-1.0, 1.0)) -> np.ndarray:
    """Inradius of the first-layer activation region of each point, inside a box.

    Parameters
    ----------
    net : torch.nn.Sequential
        Linear/ReLU network with at least one hidden layer.
    x : array_like, shape (n, in_dim) (or (n,) when ``in_dim == 1``)
        Points inside ``box``.
    box : (float, float), default (-1.0, 1.0)
        The box ``[lo, hi]^in_dim`` the regions are cut to.

    Returns
    -------
    numpy.ndarray of float64, shape (n,)
        The radius of the largest ball inside each point's region and the box. A point
        on a hyperplane takes the side ``w . x + b > 0`` as off (the ReLU's zero).

    Raises
    ------
    TypeError, ValueError
        As :func:`spectral_lib.cpwl.activation_patterns` for ``net`` and ``x``;
        ``ValueError`` too if the network has no hidden layer, ``box`` is not ``lo < hi``,
        a point lies outside the box, or a linear programme fails.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(1.0), net[0].bias.fill_(-0.5)   # the kink at x = 0.5
    >>> first_layer_inradius(net, [0.0, 0.9]).round(6).tolist()   # cells [-1, 0.5] and [0.5, 1]
    [0.75, 0.25]
    """
    layers = networks.affine_layers(net)
    if len(layers) < 2:
        raise ValueError("the network has no hidden layer")
    W, b = layers[0]
    d = W.shape[1]
    pts = _as_points(x, d)
    lo, hi = validation.check_interval(box, "box")
    if np.any(pts < lo) or np.any(pts > hi):
        raise ValueError(f"every point must lie inside the box [{lo:g}, {hi:g}]^{d}")
    norms = np.linalg.norm(W, axis=1)
    live = norms > 0
    W, b, norms = W[live], b[live], norms[live]
    # box rows: c_j + r <= hi and -c_j + r <= -lo
    eye = np.eye(d)
    A_box = np.block([[eye, np.ones((d, 1))], [-eye, np.ones((d, 1))]])
    b_box = np.concatenate([np.full(d, hi), np.full(d, -lo)])
    cost = np.zeros(d + 1)
    cost[-1] = -1.0
    out = np.empty(pts.shape[0])
    for n, p in enumerate(pts):
        s = np.where(p @ W.T + b > 0, 1.0, -1.0)
        # s_i (w_i . c + b_i) >= r ||w_i||  <=>  -s_i w_i . c + ||w_i|| r <= s_i b_i
        A = np.vstack([np.hstack([-s[:, None] * W, norms[:, None]]), A_box])
        rhs = np.concatenate([s * b, b_box])
        bounds = [(lo, hi)] * d + [(0.0, None)]
        sol = optimize.linprog(cost, A_ub=A, b_ub=rhs, bounds=bounds, method="highs")
        if sol.status != 0:
            raise ValueError(f"the linear programme of point {n} failed: {sol.message}")
        out[n] = sol.x[-1]
    return out
