"""Activation regions along the data, and what they do to training (Lazzari & Liu).

A ReLU network cuts its input space into activation regions; on each region it is affine
(see :mod:`spectral_lib.pwl`). Lazzari & Liu measure how the training data sit in those
regions and relate it to how fast each frequency is learned. This module holds their
measurements, vectorised (one batched pass per checkpoint, no per-sample loop):

* :func:`activation_patterns` -- the on/off bit ``1[z_i(x) > 0]`` of every hidden unit, for a
  batch in one pass (optionally split by layer); :func:`count_patterns` -- the number of
  distinct patterns over a set of inputs (a lower bound on the regions the data visit);
* :func:`hamming` / :func:`layer_hamming` -- Hamming distances between the patterns of
  index pairs; pairs are drawn by :func:`local_pairs_1d`, :func:`global_pairs_1d`,
  :func:`local_pairs_2d`, :func:`global_pairs_2d` and :func:`random_pairs`, as in the
  official scripts;
* :func:`per_sample_gradients` and :func:`gradient_cosines` -- gradient confusion, the
  cosine between the parameter gradients of two samples' losses (``torch.func``'s
  ``vmap(grad)``);
* :func:`dead_units` -- units that are off on every input;
* :func:`curve_crossings` -- the number of region boundaries an input curve crosses, e.g.
  the positional-encoding curve ``t -> gamma(t)``;
* :func:`residual_ratios` -- the per-frequency fit measure ``|r^_k| / |y^_k|``.

The experiment runners :func:`run_lazzari_1d` and :func:`run_lazzari_image` train through
:mod:`spectral_lib.train` and return everything the chapter *Why high frequencies converge
slowly* plots and asserts, for the configs ``lazzari_1d`` and ``lazzari_image``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from . import encodings, fourier, images, nets, train

__all__ = [
    "activation_patterns",
    "count_patterns",
    "curve_crossings",
    "dead_units",
    "global_pairs_1d",
    "global_pairs_2d",
    "gradient_cosines",
    "hamming",
    "hidden_sizes",
    "layer_hamming",
    "local_pairs_1d",
    "local_pairs_2d",
    "per_sample_gradients",
    "random_pairs",
    "residual_ratios",
    "RegionStatsRecorder",
    "PSNRRecorder",
    "Lazzari1DResult",
    "LazzariImageResult",
    "run_lazzari_1d",
    "run_lazzari_image",
    "input_label",
    "init_statistics",
    "crossings_vs_arc_length",
]

_CHUNK = 16384  # points per forward chunk when computing patterns


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


def _pos_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"seed must be a non-negative integer, got {value!r}")
    return int(value)


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


def _check_pairs(pairs, n: int) -> np.ndarray:
    q = np.asarray(pairs)
    if q.ndim != 2 or q.shape[1] != 2 or q.shape[0] == 0:
        raise ValueError(f"pairs must have shape (n_pairs, 2) with n_pairs >= 1, got {q.shape}")
    if not np.issubdtype(q.dtype, np.integer):
        raise TypeError(f"pairs must hold integer indices, got dtype {q.dtype}")
    if q.min() < 0 or q.max() >= n:
        raise ValueError(f"pair indices must lie in 0..{n - 1}")
    return q.astype(np.int64)


# ---------------------------------------------------------------------------------------
# Activation patterns
# ---------------------------------------------------------------------------------------


def hidden_sizes(net: nn.Module) -> list[int]:
    """Widths of the hidden layers of a Linear/ReLU network.

    Parameters
    ----------
    net : torch.nn.Sequential
        As built by :func:`spectral_lib.nets.relu_mlp`.

    Returns
    -------
    list of int
        One width per hidden layer.

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential (from
        :func:`spectral_lib.nets.affine_layers`).
    ValueError
        If a weight or bias is NaN or infinite.

    Examples
    --------
    >>> hidden_sizes(nets.relu_mlp(2, [8, 4], seed=0))
    [8, 4]
    """
    return [W.shape[0] for W, _ in nets.affine_layers(net)[:-1]]


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
        :func:`spectral_lib.pwl.activation_patterns`).

    Raises
    ------
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``x`` is not numeric.
    ValueError
        If ``x`` has the wrong shape or holds NaN/inf.

    Examples
    --------
    >>> activation_patterns(nets.relu_mlp(1, [3, 5], seed=0), np.zeros(4)).shape
    (4, 8)
    """
    layers = nets.affine_layers(net)
    arr = _as_points(x, layers[0][0].shape[1])
    per_layer: list[list[np.ndarray]] = [[] for _ in layers[:-1]]
    for start in range(0, arr.shape[0], _CHUNK):
        h = arr[start : start + _CHUNK]
        for i, (W, b) in enumerate(layers[:-1]):
            z = h @ W.T + b
            on = z > 0
            per_layer[i].append(on)
            h = np.where(on, z, 0.0)
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
    q = _check_pairs(pairs, p.shape[0])
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
    >>> layer_hamming(nets.relu_mlp(1, [4, 4], seed=0), np.linspace(0, 1, 5), [[0, 4]]).shape
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
    TypeError
        If ``net`` is not a Linear/ReLU Sequential or ``x`` is not numeric
        (from :func:`activation_patterns`).
    ValueError
        If ``x`` has the wrong shape or holds NaN/inf.

    Examples
    --------
    >>> dead_units(nets.relu_mlp(1, [16], seed=0), np.linspace(0, 1, 50)) <= 16
    True
    """
    counts = np.array([int(np.sum(~p.any(axis=0))) for p in activation_patterns(net, x, by_layer=True)])
    return counts if by_layer else int(counts.sum())


# ---------------------------------------------------------------------------------------
# Pair sampling (the official scripts' local and global pairs)
# ---------------------------------------------------------------------------------------


def _distinct_pairs(rng: np.random.Generator, lo: np.ndarray, width: int, count: int) -> np.ndarray:
    """``count`` pairs (i, j), i != j, uniform in ``[lo, lo + width)`` for each ``lo``."""
    i = rng.integers(0, width, size=(lo.size, count))
    j = rng.integers(0, width - 1, size=(lo.size, count))
    j = j + (j >= i)  # uniform over the width - 1 other indices
    return np.stack([(lo[:, None] + i).ravel(), (lo[:, None] + j).ravel()], axis=1)


def local_pairs_1d(n: int, window: int, n_windows: int, pairs_per_window: int, seed: int) -> np.ndarray:
    """Random pairs of nearby samples: ``n_windows`` windows of ``window`` consecutive samples.

    As ``1d_signal_hamming.py`` (25 windows of 50 samples of 2048), with the windows evenly
    spaced over the signal and ``i != j`` (the script also drew ``i == j``, which adds zeros).

    Parameters
    ----------
    n : int
        Number of samples.
    window : int
        Window length in samples (>= 2, <= n).
    n_windows, pairs_per_window : int
        Number of windows and of pairs drawn in each.
    seed : int
        Seed of a private generator.

    Returns
    -------
    numpy.ndarray of int, shape (n_windows * pairs_per_window, 2)
        Index pairs.

    Raises
    ------
    ValueError
        If a size is invalid.

    Examples
    --------
    >>> p = local_pairs_1d(100, 10, 3, 4, seed=0)
    >>> p.shape, bool(np.all(np.abs(p[:, 0] - p[:, 1]) < 10))
    ((12, 2), True)
    """
    n, window = _pos_int("n", n), _pos_int("window", window)
    n_windows, per = _pos_int("n_windows", n_windows), _pos_int("pairs_per_window", pairs_per_window)
    if not 2 <= window <= n:
        raise ValueError(f"window must lie in 2..n={n}, got {window}")
    starts = np.round(np.linspace(0, n - window, n_windows)).astype(np.int64)
    return _distinct_pairs(np.random.default_rng(_seed(seed)), starts, window, per)


def global_pairs_1d(n: int, n_pairs: int, seed: int, first=(0.0, 800 / 2048), second=(1200 / 2048, 1.0)):
    """Random pairs of distant samples, one from each of two disjoint stretches.

    As ``1d_signal_hamming.py``: ``x1`` from indices ``[0, 800)`` and ``x2`` from
    ``[1200, 2048)`` of 2048, given here as fractions of ``n``.

    Parameters
    ----------
    n : int
        Number of samples.
    n_pairs : int
        Number of pairs.
    seed : int
        Seed of a private generator.
    first, second : (float, float)
        Fractions ``[lo, hi)`` of the index range for the two points (``first`` before
        ``second``, not overlapping).

    Returns
    -------
    numpy.ndarray of int, shape (n_pairs, 2)
        Index pairs.

    Raises
    ------
    ValueError
        If the stretches are empty, overlap or leave ``[0, 1]``.

    Examples
    --------
    >>> p = global_pairs_1d(2048, 5, seed=0)
    >>> bool(np.all(p[:, 0] < 800) and np.all(p[:, 1] >= 1200))
    True
    """
    n, n_pairs = _pos_int("n", n), _pos_int("n_pairs", n_pairs)
    (a0, a1), (b0, b1) = (float(v) for v in first), (float(v) for v in second)
    if not (0.0 <= a0 < a1 <= b0 < b1 <= 1.0):
        raise ValueError(f"need 0 <= first < second <= 1 as disjoint stretches, got {first}, {second}")
    lo1, hi1 = int(round(a0 * n)), int(round(a1 * n))
    lo2, hi2 = int(round(b0 * n)), int(round(b1 * n))
    if hi1 <= lo1 or hi2 <= lo2:
        raise ValueError("a stretch holds no sample; use more samples or wider stretches")
    rng = np.random.default_rng(_seed(seed))
    return np.stack([rng.integers(lo1, hi1, n_pairs), rng.integers(lo2, hi2, n_pairs)], axis=1)


def local_pairs_2d(size: int, patch: int, n_patches: int, pairs_per_patch: int, seed: int) -> np.ndarray:
    """Random pixel pairs inside random ``patch x patch`` squares of a ``size x size`` image.

    As ``hamming_image.py`` (100 patches, 500 pairs each); indices are row-major into the
    flattened image (the order of :func:`spectral_lib.images.coordinate_grid`).

    Parameters
    ----------
    size : int
        Image side.
    patch : int
        Patch side in pixels (2..size).
    n_patches, pairs_per_patch : int
        Number of patches and of distinct-pixel pairs per patch.
    seed : int
        Seed of a private generator.

    Returns
    -------
    numpy.ndarray of int, shape (n_patches * pairs_per_patch, 2)
        Flat pixel-index pairs.

    Raises
    ------
    ValueError
        If a size is invalid.

    Examples
    --------
    >>> p = local_pairs_2d(16, 4, 2, 3, seed=0)
    >>> r, c = np.divmod(p, 16)
    >>> bool(np.all(np.abs(r[:, 0] - r[:, 1]) < 4) and np.all(np.abs(c[:, 0] - c[:, 1]) < 4))
    True
    """
    size, patch = _pos_int("size", size), _pos_int("patch", patch)
    n_patches, per = _pos_int("n_patches", n_patches), _pos_int("pairs_per_patch", pairs_per_patch)
    if not 2 <= patch <= size:
        raise ValueError(f"patch must lie in 2..size={size}, got {patch}")
    rng = np.random.default_rng(_seed(seed))
    corner = rng.integers(0, size - patch + 1, size=(n_patches, 2))
    local = _distinct_pairs(rng, np.zeros(n_patches, dtype=np.int64), patch * patch, per)
    r, c = np.divmod(local, patch)  # (P, 2) rows/cols inside the patch
    owner = np.repeat(np.arange(n_patches), per)
    rows = corner[owner, 0][:, None] + r
    cols = corner[owner, 1][:, None] + c
    return rows * size + cols


def global_pairs_2d(size: int, n_pairs: int, seed: int, corner: float = 225 / 512) -> np.ndarray:
    """Random pixel pairs from opposite corner squares of a ``size x size`` image.

    As ``hamming_image.py``: one pixel in a corner square of side ``corner * size`` and the
    other in the diagonally opposite one (either diagonal, at random).

    Parameters
    ----------
    size : int
        Image side.
    n_pairs : int
        Number of pairs.
    seed : int
        Seed of a private generator.
    corner : float, default 225/512
        Side of the corner squares as a fraction of ``size`` (in ``(0, 0.5]``).

    Returns
    -------
    numpy.ndarray of int, shape (n_pairs, 2)
        Flat pixel-index pairs.

    Raises
    ------
    ValueError
        If ``corner`` is outside ``(0, 0.5]`` or gives an empty square.

    Examples
    --------
    >>> global_pairs_2d(64, 3, seed=0).shape
    (3, 2)
    """
    size, n_pairs = _pos_int("size", size), _pos_int("n_pairs", n_pairs)
    if not 0.0 < float(corner) <= 0.5:
        raise ValueError(f"corner must lie in (0, 0.5], got {corner!r}")
    side = int(np.floor(corner * size))
    if side < 1:
        raise ValueError("the corner squares hold no pixel; use a larger image or corner")
    rng = np.random.default_rng(_seed(seed))
    r1, c1 = rng.integers(0, side, n_pairs), rng.integers(0, side, n_pairs)
    r2, c2 = size - 1 - rng.integers(0, side, n_pairs), size - 1 - rng.integers(0, side, n_pairs)
    anti = rng.random(n_pairs) < 0.5  # the other diagonal: mirror the columns
    c1, c2 = np.where(anti, size - 1 - c1, c1), np.where(anti, size - 1 - c2, c2)
    return np.stack([r1 * size + c1, r2 * size + c2], axis=1)


def random_pairs(n: int, n_pairs: int, seed: int) -> np.ndarray:
    """Uniformly random pairs of distinct indices in ``0..n-1``.

    Parameters
    ----------
    n : int
        Number of points (>= 2).
    n_pairs : int
        Number of pairs.
    seed : int
        Seed of a private generator.

    Returns
    -------
    numpy.ndarray of int, shape (n_pairs, 2)
        Index pairs with ``i != j``.

    Raises
    ------
    ValueError
        If ``n`` or ``n_pairs`` is not a positive integer, ``n < 2``, or ``seed`` is not a
        non-negative integer.

    Examples
    --------
    >>> p = random_pairs(10, 100, seed=0)
    >>> bool(np.all(p[:, 0] != p[:, 1]))
    True
    """
    n, n_pairs = _pos_int("n", n), _pos_int("n_pairs", n_pairs)
    if n < 2:
        raise ValueError("random_pairs needs n >= 2")
    return _distinct_pairs(np.random.default_rng(_seed(seed)), np.zeros(1, dtype=np.int64), n, n_pairs)


# ---------------------------------------------------------------------------------------
# Gradient confusion
# ---------------------------------------------------------------------------------------


def per_sample_gradients(net: nn.Module, x, y, *, blocks: bool = False):
    """Gradient of each sample's squared error w.r.t. all parameters, via ``vmap(grad)``.

    The per-sample loss is ``mean_c (f_c(x_i) - y_ic)^2`` (the official scripts' MSE on one
    sample).

    Parameters
    ----------
    net : torch.nn.Module
        Any network mapping ``(n, in_dim)`` to ``(n, out)``.
    x : array_like or torch.Tensor, shape (n, in_dim)
        Inputs.
    y : array_like or torch.Tensor, shape (n, out) or (n,)
        Targets.
    blocks : bool, default False
        Return one ``(n, size)`` tensor per parameter instead of their concatenation
        (saves the copy when only dot products are needed).

    Returns
    -------
    torch.Tensor, shape (n, n_params), or list of torch.Tensor
        One flattened gradient per sample (parameters in ``named_parameters`` order), in
        the network's dtype; with ``blocks=True`` the per-parameter pieces of it.

    Raises
    ------
    ValueError
        If shapes disagree or an input holds NaN/inf.

    Examples
    --------
    >>> g = per_sample_gradients(nets.relu_mlp(1, [4], seed=0), np.zeros((3, 1)), np.ones(3))
    >>> tuple(g.shape)
    (3, 13)
    """
    from torch.func import functional_call, grad, vmap

    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    params = {k: v.detach() for k, v in net.named_parameters()}
    if not params:
        raise ValueError("the network has no parameters")
    ref = next(iter(params.values()))
    xt = torch.as_tensor(x.detach() if hasattr(x, "detach") else np.asarray(x, dtype=np.float64))
    yt = torch.as_tensor(y.detach() if hasattr(y, "detach") else np.asarray(y, dtype=np.float64))
    xt = xt.to(dtype=ref.dtype, device=ref.device)
    yt = yt.to(dtype=ref.dtype, device=ref.device)
    if xt.dim() != 2 or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (n, in_dim), got {tuple(xt.shape)}")
    if yt.dim() == 1:
        yt = yt[:, None]
    if yt.dim() != 2 or yt.shape[0] != xt.shape[0]:
        raise ValueError(f"y must have shape (n, out) or (n,) with n = {xt.shape[0]}, got {tuple(yt.shape)}")
    if not (torch.isfinite(xt).all() and torch.isfinite(yt).all()):
        raise ValueError("x or y contains NaN or infinite values")

    def loss(p, xi, yi):
        out = functional_call(net, p, (xi[None],))[0]
        return ((out - yi) ** 2).mean()

    g = vmap(grad(loss), in_dims=(None, 0, 0))(params, xt, yt)
    if blocks:
        return [g[k].reshape(xt.shape[0], -1) for k in params]
    return torch.cat([g[k].reshape(xt.shape[0], -1) for k in params], dim=1)


def gradient_cosines(net: nn.Module, x, y, pairs, *, chunk: int = 128) -> np.ndarray:
    """Cosine similarity of the per-sample gradients of index pairs (gradient confusion).

    Values near ``-1`` mean the two samples pull the parameters in opposite directions
    (confusion, Sankararaman et al. 2020); the official scripts plot their density.

    Parameters
    ----------
    net : torch.nn.Module
        The network.
    x, y : array_like
        Inputs ``(n, in_dim)`` and targets ``(n, out)`` or ``(n,)``.
    pairs : array_like of int, shape (n_pairs, 2)
        Indices into ``x``.
    chunk : int, default 128
        Pairs per batch (memory: ``2 * chunk * n_params`` floats).

    Returns
    -------
    numpy.ndarray, shape (n_pairs,)
        Cosines in ``[-1, 1]`` (float64).

    Raises
    ------
    ValueError
        If a sample's gradient is exactly zero (its cosine is undefined), or inputs are
        invalid.

    Examples
    --------
    >>> net = nets.relu_mlp(1, [8], seed=0)
    >>> c = gradient_cosines(net, np.linspace(0, 1, 4)[:, None], np.ones(4), [[0, 0], [0, 3]])
    >>> round(float(c[0]), 6)
    1.0
    """
    xa = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float64)
    ya = np.asarray(y.detach().cpu().numpy() if hasattr(y, "detach") else y, dtype=np.float64)
    if xa.ndim != 2 or ya.shape[:1] != xa.shape[:1]:
        raise ValueError(f"x must be (n, in_dim) and y (n, ...) with the same n, got {xa.shape}, {ya.shape}")
    q = _check_pairs(pairs, xa.shape[0])
    chunk = _pos_int("chunk", chunk)
    out = np.empty(q.shape[0])
    for s in range(0, q.shape[0], chunk):
        blk = q[s : s + chunk]
        idx = np.concatenate([blk[:, 0], blk[:, 1]])
        m = blk.shape[0]
        # dot products block by block (no concatenated copy); accumulated in float64
        sq = torch.zeros(idx.size, dtype=torch.float64)
        dot = torch.zeros(m, dtype=torch.float64)
        for g in per_sample_gradients(net, xa[idx], ya[idx], blocks=True):
            sq += torch.einsum("ij,ij->i", g, g).to(torch.float64)
            dot += torch.einsum("ij,ij->i", g[:m], g[m:]).to(torch.float64)
        norms = torch.sqrt(sq)
        if bool((norms == 0).any()):
            bad = int(idx[int(torch.nonzero(norms == 0)[0, 0])])
            raise ValueError(f"sample {bad} has a zero gradient; its cosine is undefined")
        cos = dot / (norms[:m] * norms[m:])
        out[s : s + blk.shape[0]] = cos.clamp(-1.0, 1.0).cpu().numpy()
    return out


# ---------------------------------------------------------------------------------------
# Region crossings along a curve
# ---------------------------------------------------------------------------------------


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
    agrees with the exact pieces of :func:`spectral_lib.pwl.pieces_1d` (tested).

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
    >>> net = nets.relu_mlp(1, [8, 8], seed=0)
    >>> from spectral_lib import pwl
    >>> exact = pwl.pieces_1d(net, (-2.0, 2.0)).n_pieces - 1
    >>> curve_crossings(net, lambda t: t[:, None], (-2.0, 2.0)) == exact
    True
    """
    a, b = images._check_interval(interval)
    n_grid = _pos_int("n_grid", n_grid)
    max_depth = _pos_int("max_depth", max_depth)
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    d = nets.affine_layers(net)[0][0].shape[1]

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


# ---------------------------------------------------------------------------------------
# Fit per frequency
# ---------------------------------------------------------------------------------------


def residual_ratios(prediction, target, freqs) -> np.ndarray:
    """Per-frequency residual ratio ``|r^[k]| / |y^[k]|`` with ``r = y - f``.

    Uses the book's discrete spectrum (:func:`spectral_lib.fourier.dft_amplitudes`) on the
    grid of [0, 1): 0 means component ``k`` is fitted exactly, 1 that it is not learned at
    all (or learned with the wrong phase).

    Parameters
    ----------
    prediction : array_like, shape (..., N)
        Network outputs on the grid (leading axes: e.g. seeds).
    target : array_like, shape (N,)
        The target on the same grid.
    freqs : array_like of int, shape (m,)
        Integer frequencies in ``1..N//2 - 1`` where the target's spectrum is non-zero.

    Returns
    -------
    numpy.ndarray, shape (..., m)
        The ratios.

    Raises
    ------
    ValueError
        If shapes disagree, a frequency is out of range, or the target has no energy at one.

    Examples
    --------
    >>> x = np.arange(64) / 64
    >>> y = np.sin(2 * np.pi * 3 * x) + np.sin(2 * np.pi * 9 * x)
    >>> np.round(residual_ratios(np.sin(2 * np.pi * 3 * x), y, [3, 9]), 12)
    array([0., 1.])
    """
    pred = fourier._as_samples(prediction).astype(np.float64)
    tgt = fourier._as_samples(target).astype(np.float64)
    if tgt.ndim != 1 or pred.shape[-1] != tgt.shape[0]:
        raise ValueError(f"target must be (N,) and prediction (..., N); got {tgt.shape}, {pred.shape}")
    k = np.asarray(freqs)
    n_bins = tgt.shape[0] // 2
    if k.ndim != 1 or k.size == 0 or not np.all(np.equal(np.round(k), k)) or k.min() < 1 or k.max() >= n_bins:
        raise ValueError(f"freqs must be integers in 1..{n_bins - 1}, got {freqs!r}")
    k = k.astype(int)
    spec = fourier.dft_amplitudes(tgt)
    ty = spec[k]
    if np.any(ty <= 1e-12 * max(float(spec.max()), np.finfo(float).tiny)):
        raise ValueError("the target has no energy at some requested frequency")
    return fourier.dft_amplitudes(tgt - pred)[..., k] / ty


# ---------------------------------------------------------------------------------------
# Recorders for the training engine
# ---------------------------------------------------------------------------------------


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.isidentifier() or name in ("models", "steps", "loss"):
        raise ValueError(f"recorder name must be an identifier other than models/steps/loss, got {name!r}")
    return name


class RegionStatsRecorder(train.Recorder):
    """Record activation-region statistics of every model at each checkpoint.

    Columns (in this order): the mean Hamming distance over each named pair set, the number
    of distinct patterns over ``x``, the number of dead units, and (if ``layer_pairs`` is
    given) the mean Hamming distance of ``layer_pairs`` in each hidden layer.

    Parameters
    ----------
    x : array_like, shape (n, in_dim) or (K, n, in_dim)
        Points, shared or one set per model (as passed to ``train_full_batch``).
    pair_sets : dict of str to array_like
        Named index-pair sets, e.g. ``{"local": ..., "global": ...}``.
    layer_pairs : array_like, optional
        Pairs for the layer-wise Hamming distance.
    name : str, default "region_stats"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, n_columns)``; ``columns`` names them.

    Examples
    --------
    >>> rec = RegionStatsRecorder(np.zeros((4, 1)), {"local": [[0, 1]]})
    >>> rec.columns
    ['local', 'n_patterns', 'dead']
    """

    def __init__(self, x, pair_sets: dict, layer_pairs=None, name: str = "region_stats"):
        self.name = _check_name(name)
        arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim not in (2, 3):
            raise ValueError(f"x must have shape (n, d) or (K, n, d), got {arr.shape}")
        self.x = arr
        n = arr.shape[-2]
        if not isinstance(pair_sets, dict):
            raise TypeError("pair_sets must be a dict of name -> pairs")
        self.pair_sets = {str(k): _check_pairs(v, n) for k, v in pair_sets.items()}
        self.layer_pairs = None if layer_pairs is None else _check_pairs(layer_pairs, n)
        self.columns = [*self.pair_sets, "n_patterns", "dead"]
        self._n_layers = None

    def __call__(self, state) -> np.ndarray:
        rows = []
        for k, model in enumerate(state.models()):
            xk = self.x[k] if self.x.ndim == 3 else self.x
            by_layer = activation_patterns(model, xk, by_layer=True)
            p = np.concatenate(by_layer, axis=1)
            row = [hamming(p, q).mean() for q in self.pair_sets.values()]
            row += [count_patterns(p), int(np.sum(~p.any(axis=0)))]
            if self.layer_pairs is not None:
                row += [hamming(pl, self.layer_pairs).mean() for pl in by_layer]
                if self._n_layers is None:
                    self._n_layers = len(by_layer)
                    self.columns += [f"layer{i + 1}" for i in range(len(by_layer))]
            rows.append(row)
        return np.asarray(rows, dtype=np.float64)


class PSNRRecorder(train.Recorder):
    """Record each model's PSNR on the training targets (images in [0, 1]).

    Parameters
    ----------
    target : array_like, shape (n, channels)
        The training targets, in the order of the training inputs.
    name : str, default "psnr"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K)`` in dB.

    Examples
    --------
    >>> PSNRRecorder(np.zeros((4, 3))).name
    'psnr'
    """

    def __init__(self, target, name: str = "psnr"):
        self.name = _check_name(name)
        self.target = np.asarray(target, dtype=np.float64)
        if self.target.ndim != 2:
            raise ValueError(f"target must have shape (n, channels), got {self.target.shape}")

    def __call__(self, state) -> np.ndarray:
        out = state.outputs.detach().cpu().numpy().astype(np.float64)
        return np.atleast_1d(images.psnr(out, self.target))


# ---------------------------------------------------------------------------------------
# Experiment runners
# ---------------------------------------------------------------------------------------


def input_label(kind: tuple) -> str:
    """Readable label of an input type ``("coords", (a, b))`` or ``("pe", n_octaves)``.

    Parameters
    ----------
    kind : tuple
        ``("coords", (a, b))`` for raw coordinates on ``[a, b]``, or ``("pe", L)`` for the
        positional encoding with ``L`` octaves.

    Returns
    -------
    str
        E.g. ``"coords [-1, 1]"`` or ``"PE L=4"``.

    Raises
    ------
    ValueError
        If ``kind`` is neither form.

    Examples
    --------
    >>> input_label(("coords", (-1.0, 1.0))), input_label(("pe", 7))
    ('coords [-1, 1]', 'PE L=7')
    """
    if isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "coords":
        a, b = images._check_interval(kind[1])
        return f"coords [{a:g}, {b:g}]"
    if isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "pe":
        return f"PE L={encodings._check_octaves(kind[1])}"
    raise ValueError(f"input kind must be ('coords', (a, b)) or ('pe', L), got {kind!r}")


def _encode(kind: tuple, u: np.ndarray) -> np.ndarray:
    """Inputs of one type for unit coordinates ``u`` in [0, 1] of shape (n, d)."""
    if kind[0] == "coords":
        a, b = images._check_interval(kind[1])
        return a + (b - a) * u
    return encodings.positional_encoding(u, kind[1])


def _kinds(intervals, octaves) -> list[tuple]:
    return [("coords", tuple(float(v) for v in iv)) for iv in intervals] + [("pe", int(L)) for L in octaves]


def _train_groups(kinds, u, y, hidden, seeds, *, steps, lr, record_every, make_recorders, progress):
    """Train every input kind for every seed; raw coordinates share one stacked ensemble."""
    out = {}
    coords = [k for k in kinds if k[0] == "coords"]
    groups = ([coords] if coords else []) + [[k] for k in kinds if k[0] == "pe"]
    for group in groups:
        xs = np.stack([_encode(k, u) for k in group for _ in seeds])
        d = xs.shape[-1]
        models = [nets.relu_mlp(d, list(hidden), y.shape[-1], seed=int(s)) for _ in group for s in seeds]
        x_in = xs if len(group) > 1 else xs[0]
        hist = train.train_full_batch(
            models, x_in, y, steps=steps, lr=lr, record_every=record_every,
            recorders=make_recorders(x_in), progress=progress,
        )
        for g, k in enumerate(group):
            sl = slice(g * len(seeds), (g + 1) * len(seeds))
            out[k] = (hist, sl, xs[g * len(seeds)], models[sl])
    return out


@dataclass
class Lazzari1DResult:
    """Everything the 1-D experiment measures (see :func:`run_lazzari_1d`).

    Dictionaries are keyed by input label (:func:`input_label`); arrays have a seeds axis.
    """

    labels: list[str]
    t: np.ndarray
    target: np.ndarray
    freqs: np.ndarray
    steps: np.ndarray
    loss: dict = field(default_factory=dict)  # (n_rec, S)
    predictions: dict = field(default_factory=dict)  # (S, N), final
    residual_ratios: dict = field(default_factory=dict)  # (S, n_freqs), final
    hamming_local: dict = field(default_factory=dict)  # (n_rec, S)
    hamming_global: dict = field(default_factory=dict)  # (n_rec, S)
    n_patterns: dict = field(default_factory=dict)  # (n_rec, S)
    cos_local: dict = field(default_factory=dict)  # (S, n_pairs), final
    cos_global: dict = field(default_factory=dict)  # (S, n_pairs), final
    n_units: int = 0


def _result_to_arrays(res) -> dict[str, np.ndarray]:
    """Flatten a result dataclass into named arrays (dict fields by label index)."""
    out: dict[str, np.ndarray] = {"labels": np.array(res.labels, dtype=str)}
    for f in dataclasses.fields(res):
        value = getattr(res, f.name)
        if f.name == "labels":
            continue
        if isinstance(value, dict):
            for lab, arr in value.items():
                out[f"{f.name}.{res.labels.index(lab)}"] = np.asarray(arr)
        else:
            out[f.name] = np.asarray(value)
    return out


def _arrays_to_result(cls, arrays: dict):
    """Inverse of :func:`_result_to_arrays`."""
    labels = [str(v) for v in arrays["labels"]]
    kwargs: dict = {"labels": labels}
    for f in dataclasses.fields(cls):
        if f.name == "labels":
            continue
        if f.name in arrays:
            arr = arrays[f.name]
            kwargs[f.name] = arr.item() if arr.ndim == 0 else arr
        else:
            kwargs[f.name] = {
                lab: arrays[f"{f.name}.{i}"] for i, lab in enumerate(labels) if f"{f.name}.{i}" in arrays
            }
    return cls(**kwargs)


def _cached(name: str, cls, cfg, compute, use_cache: bool):
    if not use_cache:
        return compute()
    from . import cache

    return _arrays_to_result(cls, cache.cached(name, cfg, lambda: _result_to_arrays(compute())))


def run_lazzari_1d(cfg, *, progress: bool = False, use_cache: bool = True) -> Lazzari1DResult:
    """Lazzari & Liu's 1-D experiment: fit, Hamming distances and gradient confusion.

    The target ``sum_k sin(2 pi k t + phi_k)`` (``k`` in ``cfg.freqs``, phases drawn once
    from ``cfg.phase_seed`` and shared by all runs, as in the scripts) on ``cfg.n_points``
    samples of [0, 1) is fitted full batch with Adam by ``relu_mlp(d, cfg.hidden)`` for each
    input type (raw coordinates on each of ``cfg.intervals``, the same targets; positional
    encodings with each of ``cfg.octaves``) and each seed of ``cfg.seeds``. Every
    ``cfg.record_every`` steps the local and global Hamming distances are recorded; at
    the end, the residual ratios and the gradient cosines of local and global pairs.

    Parameters
    ----------
    cfg : LazzariOneD
        ``configs.get("lazzari_1d")``.
    progress : bool, default False
        Show training progress bars.
    use_cache : bool, default True
        Serve the result from :mod:`spectral_lib.cache` when the config and the library
        sources are unchanged (``SPECTRAL_NO_CACHE=1`` turns the cache off).

    Returns
    -------
    Lazzari1DResult
        The measurements.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`~spectral_lib.configs.LazzariOneD`.
    ValueError
        If a field of ``cfg`` is invalid (sizes, seeds, intervals, octaves).

    Examples
    --------
    >>> from spectral_lib import configs
    >>> res = run_lazzari_1d(configs.get("lazzari_1d"))  # doctest: +SKIP
    """
    from .configs import LazzariOneD

    if not isinstance(cfg, LazzariOneD):
        raise TypeError(f"cfg must be a LazzariOneD config, got {type(cfg).__name__}")
    return _cached("lazzari_1d", Lazzari1DResult, cfg, lambda: _compute_1d(cfg, progress), use_cache)


def _compute_1d(cfg, progress: bool) -> Lazzari1DResult:
    from . import targets

    n = _pos_int("n_points", cfg.n_points)
    seeds = [_seed(s) for s in cfg.seeds]
    freqs = np.asarray(cfg.freqs, dtype=int)
    t = np.arange(n) / n
    phases = targets.random_phases(freqs.size, cfg.phase_seed)
    y = targets.sinusoid_mixture(t, freqs, 1.0, phases)[:, None]
    kinds = _kinds(cfg.intervals, cfg.octaves)
    window = max(2, int(round(cfg.local_window * n)))
    pairs_h = {
        "local": local_pairs_1d(n, window, cfg.n_windows, cfg.hamming_pairs_per_window, cfg.pair_seed),
        "global": global_pairs_1d(n, cfg.hamming_global_pairs, cfg.pair_seed + 1, cfg.global_first,
                                  cfg.global_second),
    }
    pairs_c = {
        "local": local_pairs_1d(n, window, cfg.n_windows, cfg.confusion_pairs_per_window, cfg.pair_seed + 2),
        "global": global_pairs_1d(n, cfg.confusion_global_pairs, cfg.pair_seed + 3, cfg.global_first,
                                  cfg.global_second),
    }
    runs = _train_groups(
        kinds, t[:, None], y, cfg.hidden, seeds, steps=cfg.steps, lr=cfg.lr, record_every=cfg.record_every,
        make_recorders=lambda x_in: [RegionStatsRecorder(x_in, pairs_h)], progress=progress,
    )
    res = Lazzari1DResult(labels=[input_label(k) for k in kinds], t=t, target=y[:, 0], freqs=freqs,
                          steps=next(iter(runs.values()))[0].steps, n_units=int(sum(cfg.hidden)))
    for k in kinds:
        hist, sl, x_k, _ = runs[k]
        lab = input_label(k)
        stats = hist.region_stats[:, sl]
        res.loss[lab] = hist.loss[:, sl]
        res.hamming_local[lab] = stats[..., 0]
        res.hamming_global[lab] = stats[..., 1]
        res.n_patterns[lab] = stats[..., 2]
        trained = hist.models[sl]
        with torch.no_grad():
            pred = np.stack([m(torch.as_tensor(x_k, dtype=torch.float32))[:, 0].numpy() for m in trained])
        res.predictions[lab] = pred.astype(np.float64)
        res.residual_ratios[lab] = residual_ratios(pred, y[:, 0], freqs)
        res.cos_local[lab] = np.stack([gradient_cosines(m, x_k, y, pairs_c["local"]) for m in trained])
        res.cos_global[lab] = np.stack([gradient_cosines(m, x_k, y, pairs_c["global"]) for m in trained])
    return res


@dataclass
class LazzariImageResult:
    """Everything the image experiment measures (see :func:`run_lazzari_image`).

    Dictionaries are keyed by input label; arrays have an axis over the runs
    (``images x seeds``).
    """

    labels: list[str]
    image: np.ndarray
    steps: np.ndarray
    psnr: dict = field(default_factory=dict)  # (n_rec, R)
    hamming_local: dict = field(default_factory=dict)  # (n_rec, R)
    hamming_global: dict = field(default_factory=dict)  # (n_rec, R)
    n_patterns: dict = field(default_factory=dict)  # (n_rec, R)
    dead: dict = field(default_factory=dict)  # (n_rec, R)
    layer_hamming: dict = field(default_factory=dict)  # (n_rec, R, n_layers)
    norm_product: dict = field(default_factory=dict)  # (n_rec, R)
    predictions: dict = field(default_factory=dict)  # (R, S, S, C) final, first image
    n_pixels: int = 0
    n_units: int = 0


def run_lazzari_image(cfg, *, progress: bool = False, use_cache: bool = True) -> LazzariImageResult:
    """Lazzari & Liu's image experiment: a coordinate MLP fitting a natural image.

    For each image of ``cfg.images`` (``images.load_image(name, cfg.size)``) and each seed,
    ``relu_mlp(d, cfg.hidden, 3)`` is trained full batch with Adam on every input type
    (raw coordinates on each of ``cfg.intervals``, positional encodings of the ``[0, 1]``
    grid with each of ``cfg.octaves``), recording every ``cfg.record_every`` steps the
    PSNR, the distinct patterns over all pixels, local/global Hamming distances, dead
    units, the layer-wise Hamming distance of random pairs and the product of the layers'
    spectral norms.

    Parameters
    ----------
    cfg : LazzariImage
        ``configs.get("lazzari_image")``.
    progress : bool, default False
        Show training progress bars.
    use_cache : bool, default True
        Serve the result from :mod:`spectral_lib.cache` when the config and the library
        sources are unchanged.

    Returns
    -------
    LazzariImageResult
        The measurements.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`~spectral_lib.configs.LazzariImage`.
    ValueError
        If a field of ``cfg`` is invalid (sizes, seeds, intervals, octaves, images).

    Examples
    --------
    >>> from spectral_lib import configs
    >>> res = run_lazzari_image(configs.get("lazzari_image"))  # doctest: +SKIP
    """
    from .configs import LazzariImage

    if not isinstance(cfg, LazzariImage):
        raise TypeError(f"cfg must be a LazzariImage config, got {type(cfg).__name__}")
    return _cached("lazzari_image", LazzariImageResult, cfg, lambda: _compute_image(cfg, progress), use_cache)


def _compute_image(cfg, progress: bool) -> LazzariImageResult:
    size = _pos_int("size", cfg.size)
    seeds = [_seed(s) for s in cfg.seeds]
    kinds = _kinds(cfg.intervals, cfg.octaves)
    n = size * size
    u = images.coordinate_grid(size, 2, (0.0, 1.0), endpoint=cfg.endpoint)
    patch = max(2, int(round(cfg.local_patch * size)))
    pairs = {
        "local": local_pairs_2d(size, patch, cfg.n_patches, cfg.pairs_per_patch, cfg.pair_seed),
        "global": global_pairs_2d(size, cfg.global_pairs, cfg.pair_seed + 1, cfg.global_corner),
    }
    layer_pairs = random_pairs(n, cfg.layer_pairs, cfg.pair_seed + 2)
    first = images.load_image(cfg.images[0], size)
    res = LazzariImageResult(labels=[input_label(k) for k in kinds], image=first, steps=np.zeros(0, int),
                             n_pixels=n, n_units=int(sum(cfg.hidden)))
    collected: dict[str, dict[str, list]] = {}
    for name in cfg.images:
        img = images.load_image(name, size)
        y = img.reshape(n, -1)

        def recorders(x_in, y=y):
            return [
                RegionStatsRecorder(x_in, pairs, layer_pairs=layer_pairs),
                PSNRRecorder(y),
                train.SpectralNormRecorder(),
            ]

        runs = _train_groups(kinds, u, y, cfg.hidden, seeds, steps=cfg.steps, lr=cfg.lr,
                             record_every=cfg.record_every, make_recorders=recorders, progress=progress)
        for k in kinds:
            hist, sl, x_k, _ = runs[k]
            lab = input_label(k)
            st = hist.region_stats[:, sl]
            keys = ("psnr", "hl", "hg", "np", "dead", "lh", "norm")
            c = collected.setdefault(lab, {key: [] for key in keys})
            c["psnr"].append(hist.psnr[:, sl])
            c["hl"].append(st[..., 0])
            c["hg"].append(st[..., 1])
            c["np"].append(st[..., 2])
            c["dead"].append(st[..., 3])
            c["lh"].append(st[..., 4:])
            c["norm"].append(np.prod(hist.spectral_norms[:, sl], axis=-1))
            res.steps = hist.steps
            if name == cfg.images[0]:
                with torch.no_grad():
                    xt = torch.as_tensor(x_k, dtype=torch.float32)
                    res.predictions[lab] = np.stack(
                        [m(xt).numpy().reshape(size, size, -1) for m in hist.models[sl]]
                    ).astype(np.float64)
    for lab, c in collected.items():
        res.psnr[lab] = np.concatenate(c["psnr"], axis=1)
        res.hamming_local[lab] = np.concatenate(c["hl"], axis=1)
        res.hamming_global[lab] = np.concatenate(c["hg"], axis=1)
        res.n_patterns[lab] = np.concatenate(c["np"], axis=1)
        res.dead[lab] = np.concatenate(c["dead"], axis=1)
        res.layer_hamming[lab] = np.concatenate(c["lh"], axis=1)
        res.norm_product[lab] = np.concatenate(c["norm"], axis=1)
    return res


def init_statistics(kinds: Sequence[tuple], u, hidden: Sequence[int], seeds: Sequence[int], out_dim: int = 1):
    """Dead units and distinct patterns of freshly initialised networks, per input type.

    Parameters
    ----------
    kinds : sequence of tuple
        Input types (see :func:`input_label`).
    u : array_like, shape (n, d)
        Unit coordinates in [0, 1] (mapped to each interval, or encoded).
    hidden : sequence of int
        Hidden widths.
    seeds : sequence of int
        Initialisation seeds.
    out_dim : int, default 1
        Output dimension of the networks.

    Returns
    -------
    dict
        ``{"dead": {label: (S,)}, "n_patterns": {label: (S,)}}``.

    Raises
    ------
    ValueError
        If ``u`` is not 2-D, a kind is neither ``('coords', (a, b))`` nor ``('pe', L)``
        (see :func:`input_label`), a hidden width or ``out_dim`` is not a positive integer,
        or a seed is not a non-negative integer.

    Examples
    --------
    >>> s = init_statistics([("coords", (0.0, 1.0))], np.linspace(0, 1, 32)[:, None], [8, 8], [0, 1])
    >>> s["dead"]["coords [0, 1]"].shape
    (2,)
    """
    ua = np.asarray(u, dtype=np.float64)
    if ua.ndim != 2:
        raise ValueError(f"u must have shape (n, d), got {ua.shape}")
    out: dict[str, dict[str, np.ndarray]] = {"dead": {}, "n_patterns": {}}
    for k in kinds:
        input_label(k)  # validates the kind
        x = _encode(k, ua)
        dead, npat = [], []
        for s in seeds:
            p = activation_patterns(nets.relu_mlp(x.shape[1], list(hidden), out_dim, seed=_seed(s)), x)
            dead.append(int(np.sum(~p.any(axis=0))))
            npat.append(count_patterns(p))
        out["dead"][input_label(k)] = np.array(dead)
        out["n_patterns"][input_label(k)] = np.array(npat)
    return out


def crossings_vs_arc_length(kinds: Sequence[tuple], hidden: Sequence[int], seeds: Sequence[int], *,
                            n_grid: int = 2**14):
    """Region boundaries crossed at initialisation by each 1-D input curve, with its arc length.

    The curve of an input type is ``t -> input(t)`` for ``t`` in [0, 1]: the segment
    ``[a, b]`` for raw coordinates (arc length ``b - a``), the encoding curve for PE (arc
    length :func:`spectral_lib.encodings.positional_encoding_speed`).

    Parameters
    ----------
    kinds : sequence of tuple
        Input types (see :func:`input_label`); 1-D coordinates.
    hidden : sequence of int
        Hidden widths of ``relu_mlp(d, hidden)``.
    seeds : sequence of int
        Initialisation seeds.
    n_grid : int, default 2**14
        Initial grid of :func:`curve_crossings`.

    Returns
    -------
    dict
        ``labels`` (list), ``arc_length`` (n_kinds,), ``in_dim`` (n_kinds,) and
        ``crossings`` (n_kinds, S).

    Raises
    ------
    ValueError
        If a kind is neither ``('coords', (a, b))`` nor ``('pe', L)`` (see
        :func:`input_label`), a hidden width is not a positive integer, a seed is not a
        non-negative integer, or ``n_grid`` is invalid (see :func:`curve_crossings`).

    Examples
    --------
    >>> r = crossings_vs_arc_length([("coords", (0.0, 1.0)), ("pe", 2)], [8], [0])
    >>> r["crossings"].shape, float(r["arc_length"][0])
    ((2, 1), 1.0)
    """
    labels, arcs, dims, cross = [], [], [], []
    for k in kinds:
        labels.append(input_label(k))
        if k[0] == "coords":
            a, b = images._check_interval(k[1])
            arcs.append(b - a)
            dims.append(1)
        else:
            arcs.append(encodings.positional_encoding_speed(k[1]))
            dims.append(encodings.encoded_dim(1, k[1]))
        row = []
        for s in seeds:
            net = nets.relu_mlp(dims[-1], list(hidden), 1, seed=_seed(s))
            row.append(curve_crossings(net, lambda t, k=k: _encode(k, t[:, None]), (0.0, 1.0), n_grid=n_grid))
        cross.append(row)
    return {"labels": labels, "arc_length": np.array(arcs), "in_dim": np.array(dims),
            "crossings": np.array(cross, dtype=np.int64)}
