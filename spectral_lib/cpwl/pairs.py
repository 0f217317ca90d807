"""Pairs of sample indices, as Lazzari & Liu draw them for Hamming distances and gradient confusion.

Local pairs are neighbours within a window of a 1-D grid (:func:`local_pairs_1d`) or a
patch of a 2-D image (:func:`local_pairs_2d`); global pairs join distant samples, one from
each of two disjoint stretches of the grid (:func:`global_pairs_1d`) or from diagonally
opposite corners of the image (:func:`global_pairs_2d`), as in the official scripts;
:func:`random_pairs` draws distinct pairs from ``range(n)``; on labelled data,
:func:`class_pairs` joins random anchors to their nearest other-class neighbours and to
their farthest points. All draws are seeded.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import seeding, validation


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
        If a size or count is not a positive integer, ``window`` is not in ``2..n`` or
        ``seed`` is negative.

    Examples
    --------
    >>> p = local_pairs_1d(100, 10, 3, 4, seed=0)
    >>> p.shape, bool(np.all(np.abs(p[:, 0] - p[:, 1]) < 10))
    ((12, 2), True)
    """
    n, window = validation.check_positive_int("n", n), validation.check_positive_int("window", window)
    n_windows = validation.check_positive_int("n_windows", n_windows)
    per = validation.check_positive_int("pairs_per_window", pairs_per_window)
    if not 2 <= window <= n:
        raise ValueError(f"window must lie in 2..n={n}, got {window}")
    starts = np.round(np.linspace(0, n - window, n_windows)).astype(np.int64)
    return _distinct_pairs(seeding.rng(seed), starts, window, per)


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
    n, n_pairs = validation.check_positive_int("n", n), validation.check_positive_int("n_pairs", n_pairs)
    (a0, a1), (b0, b1) = (float(v) for v in first), (float(v) for v in second)
    if not (0.0 <= a0 < a1 <= b0 < b1 <= 1.0):
        raise ValueError(f"need 0 <= first < second <= 1 as disjoint stretches, got {first}, {second}")
    lo1, hi1 = int(round(a0 * n)), int(round(a1 * n))
    lo2, hi2 = int(round(b0 * n)), int(round(b1 * n))
    if hi1 <= lo1 or hi2 <= lo2:
        raise ValueError("a stretch holds no sample; use more samples or wider stretches")
    rng = seeding.rng(seed)
    return np.stack([rng.integers(lo1, hi1, n_pairs), rng.integers(lo2, hi2, n_pairs)], axis=1)


def local_pairs_2d(size: int, patch: int, n_patches: int, pairs_per_patch: int, seed: int) -> np.ndarray:
    """Random pixel pairs inside random ``patch x patch`` squares of a ``size x size`` image.

    As ``hamming_image.py`` (100 patches, 500 pairs each); indices are row-major into the
    flattened image (the order of :func:`spectral_lib.datasets.coordinate_grid`).

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
        If the patch does not fit the image (``2 <= patch <= size``), a size or count is
        not a positive integer, or ``seed`` is negative.

    Examples
    --------
    >>> p = local_pairs_2d(16, 4, 2, 3, seed=0)
    >>> r, c = np.divmod(p, 16)
    >>> bool(np.all(np.abs(r[:, 0] - r[:, 1]) < 4) and np.all(np.abs(c[:, 0] - c[:, 1]) < 4))
    True
    """
    size, patch = validation.check_positive_int("size", size), validation.check_positive_int("patch", patch)
    n_patches = validation.check_positive_int("n_patches", n_patches)
    per = validation.check_positive_int("pairs_per_patch", pairs_per_patch)
    if not 2 <= patch <= size:
        raise ValueError(f"patch must lie in 2..size={size}, got {patch}")
    rng = seeding.rng(seed)
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
    size = validation.check_positive_int("size", size)
    n_pairs = validation.check_positive_int("n_pairs", n_pairs)
    if not 0.0 < float(corner) <= 0.5:
        raise ValueError(f"corner must lie in (0, 0.5], got {corner!r}")
    side = int(np.floor(corner * size))
    if side < 1:
        raise ValueError("the corner squares hold no pixel; use a larger image or corner")
    rng = seeding.rng(seed)
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
    n, n_pairs = validation.check_positive_int("n", n), validation.check_positive_int("n_pairs", n_pairs)
    if n < 2:
        raise ValueError("random_pairs needs n >= 2")
    rng = seeding.rng(seed)
    return _distinct_pairs(rng, np.zeros(1, dtype=np.int64), n, n_pairs)


def class_pairs(x, labels, n_anchors: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Nearest other-class neighbours and farthest points of random anchors (Lazzari & Liu's real data).

    For each of ``n_anchors`` distinct anchors drawn at random, the ``k`` nearest points
    (Euclidean) that carry **another label**, and the ``k`` farthest points of all: the
    pairs on which the official ``hamming_real_data`` and ``confusion_real_data`` scripts
    compare neighbours with distant points.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Finite points.
    labels : array_like of int, shape (n,)
        Class labels, at least two classes.
    n_anchors : int
        Number of anchors (at most ``n``).
    k : int
        Pairs per anchor; at most the size of the smallest "other classes" set and below ``n``.
    seed : int
        Seed of a private generator (the anchors).

    Returns
    -------
    near, far : numpy.ndarray of int, shape (n_anchors * k, 2)
        ``(anchor, neighbour)`` and ``(anchor, farthest point)`` index pairs, anchor by anchor,
        nearest (farthest) first.

    Raises
    ------
    ValueError
        If shapes disagree, a value is not finite, there is only one class, or ``n_anchors``
        or ``k`` is out of range.

    Examples
    --------
    >>> x = np.array([[0.0], [0.1], [1.0], [1.1]])
    >>> near, far = class_pairs(x, [0, 0, 1, 1], n_anchors=4, k=1, seed=0)
    >>> sorted(map(tuple, near.tolist()))
    [(0, 2), (1, 2), (2, 1), (3, 1)]
    >>> sorted(map(tuple, far.tolist()))
    [(0, 3), (1, 3), (2, 0), (3, 0)]
    """
    pts = np.asarray(x, dtype=np.float64)
    lab = np.asarray(labels)
    if pts.ndim != 2 or pts.shape[0] < 2 or not np.all(np.isfinite(pts)):
        raise ValueError(f"x must be a finite (n, d) array with n >= 2, got shape {pts.shape}")
    if lab.shape != (pts.shape[0],) or not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"labels must be integers of shape ({pts.shape[0]},), got {lab.dtype} {lab.shape}")
    classes, counts = np.unique(lab, return_counts=True)
    if classes.size < 2:
        raise ValueError("labels must hold at least two classes")
    n = pts.shape[0]
    n_anchors = validation.check_positive_int("n_anchors", n_anchors)
    k = validation.check_positive_int("k", k)
    if n_anchors > n:
        raise ValueError(f"n_anchors must be at most the number of points {n}, got {n_anchors}")
    if k > n - counts.max() or k >= n:
        limit = min(n - counts.max(), n - 1)
        raise ValueError(f"k must be at most {limit} (the smallest other-class set), got {k}")
    anchors = seeding.rng(seed).choice(n, size=n_anchors, replace=False)
    d2 = ((pts[anchors, None, :] - pts[None, :, :]) ** 2).sum(axis=-1)        # (n_anchors, n)
    other = lab[None, :] != lab[anchors, None]
    near = np.argsort(np.where(other, d2, np.inf), axis=1, kind="stable")[:, :k]
    far = np.argsort(-d2, axis=1, kind="stable")[:, :k]
    rows = np.repeat(anchors, k)
    return np.stack([rows, near.ravel()], axis=1), np.stack([rows, far.ravel()], axis=1)
