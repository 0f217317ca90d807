"""Statistics over runs: one rank correlation, one time-to-threshold, bootstrap intervals.

Every statistic the chapters guard is computed here once:

* :func:`rank_correlation` -- Spearman's rank correlation with average ranks for ties;
  ``+inf`` (a threshold never reached within the record) ranks above every finite value;
* :func:`steps_to_threshold` -- the first recorded step at which a curve crosses a
  threshold, in an explicit direction (``"rise"``: reach it from below, ``"fall"``: reach it
  from above), at the recorded step or interpolated log-linearly between records;
* :func:`mean_time_to_threshold` -- the mean of those steps over a ladder of thresholds;
* :func:`bootstrap_interval` -- a percentile bootstrap interval of a statistic over seeds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import rankdata

from spectral_lib import seeding, validation

DIRECTIONS: tuple[str, ...] = ("rise", "fall")
INTERPOLATIONS: tuple[str | None, ...] = (None, "log")


def rank_correlation(a, b) -> float:
    """Spearman's rank correlation of two equally long samples, ties given their average rank.

    ``+inf`` entries are allowed and rank above every finite value (a threshold never reached
    counts as the latest) and tie with each other.

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Values, ``n >= 2``; no NaN, no ``-inf``; neither constant.

    Returns
    -------
    float
        In ``[-1, 1]``.

    Raises
    ------
    ValueError
        If the lengths differ, ``n < 2``, an entry is NaN or ``-inf``, or a sample is
        constant (its rank correlation is undefined).

    Examples
    --------
    >>> rank_correlation([0, 4, 10, 16], [3.1, 2.5, 1.2, 0.7])
    -1.0
    >>> rank_correlation([1, 2, 3, 4], [10, 20, np.inf, np.inf])
    0.9486832980505138
    """
    xa = np.asarray(a, dtype=np.float64)
    xb = np.asarray(b, dtype=np.float64)
    if xa.ndim != 1 or xa.shape != xb.shape or xa.size < 2:
        raise ValueError("a and b must be 1-D of equal length ≥ 2")
    for x in (xa, xb):
        if np.any(np.isnan(x)) or np.any(x == -np.inf):
            raise ValueError("a and b must not contain NaN or -inf")
    ra, rb = rankdata(xa), rankdata(xb)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt(np.sum(ra**2) * np.sum(rb**2))
    if den == 0:
        raise ValueError("the rank correlation is undefined for a constant sample")
    return float(np.sum(ra * rb) / den)


def steps_to_threshold(steps, values, threshold: float, *, direction: str, interpolate: str | None = None,
                       never: float = np.inf) -> np.ndarray:
    """First step at which each recorded curve crosses ``threshold``.

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Recorded values, one curve per trailing index (e.g. normalised amplitudes of shape
        ``(n_rec, n_seeds, n_freqs)``, or residual ratios of shape ``(n_rec, n_modes)``).
    threshold : float
        The level.
    direction : {"rise", "fall"}
        ``"rise"``: the first step with ``values >= threshold`` (a curve that grows, such as a
        fitted amplitude); ``"fall"``: the first with ``values <= threshold`` (a curve that
        decays, such as a residual).
    interpolate : {None, "log"}, default None
        ``None`` returns the recorded step; ``"log"`` interpolates ``log(values)`` linearly
        between the last record before the crossing and the first at or past it (values
        must then be positive).
    never : float, default inf
        Returned for curves that never cross within the record: ``inf`` (a right-censored
        time) or ``nan``.

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        The crossing step of each curve, as float.

    Raises
    ------
    ValueError
        If the shapes disagree, steps are not strictly increasing, an input is not finite,
        ``direction`` or ``interpolate`` is unknown, or ``interpolate="log"`` meets a
        non-positive value or threshold.

    Examples
    --------
    >>> steps_to_threshold([0, 100, 200], [[0.1, 0.0], [0.95, 0.2], [0.99, 0.3]], 0.9, direction="rise")
    array([100.,  inf])
    >>> steps_to_threshold([0, 10, 20], [1.0, 0.2, 0.05], 0.1, direction="fall", interpolate="log")
    array(15.)
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if interpolate not in INTERPOLATIONS:
        raise ValueError(f"interpolate must be one of {INTERPOLATIONS}, got {interpolate!r}")
    s = validation.as_finite_array("steps", steps, ndim=1)
    v = validation.as_finite_array("values", values)
    thr = float(threshold)
    if not np.isfinite(thr):
        raise ValueError("threshold must be finite")
    if v.ndim == 0 or v.shape[0] != s.size or s.size == 0:
        raise ValueError(f"values must have shape ({s.size}, ...), got {v.shape}")
    if np.any(np.diff(s) <= 0):
        raise ValueError("steps must be strictly increasing")
    hit = v >= thr if direction == "rise" else v <= thr
    reached = hit.any(axis=0)
    first = np.argmax(hit, axis=0)
    out = np.where(reached, s[first], float(never))
    if interpolate == "log":
        if np.any(v <= 0) or thr <= 0:
            raise ValueError("log interpolation needs positive values and threshold")
        lv, lt = np.log(v), np.log(thr)
        prev = np.maximum(first - 1, 0)
        a = np.take_along_axis(lv, prev[None], axis=0)[0]
        b = np.take_along_axis(lv, first[None], axis=0)[0]
        inner = reached & (first > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(inner, (a - lt) / (a - b), 0.0)
        out = np.where(inner, s[prev] + (s[first] - s[prev]) * frac, out)
    return out


def mean_time_to_threshold(steps, values, thresholds=None) -> np.ndarray:
    """Mean over a ladder of thresholds of the step at which each curve first reaches it.

    A curve that never reaches a threshold contributes the last recorded step (the record's
    horizon), so the mean is finite and a lower bound on the true mean time.

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Rising curves (e.g. normalised amplitudes).
    thresholds : array_like, optional
        The ladder; default ``0.05, 0.10, ..., 1.00``.

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        The mean time of each curve.

    Raises
    ------
    ValueError
        As :func:`steps_to_threshold`, or if ``thresholds`` is empty or not finite.

    Examples
    --------
    >>> mean_time_to_threshold([0, 10, 20], [[0.0], [0.5], [1.0]], thresholds=[0.5, 1.0])
    array([15.])
    >>> mean_time_to_threshold([0, 10, 20], [[0.0], [0.5], [0.6]], thresholds=[0.5, 1.0])
    array([15.])
    """
    if thresholds is None:
        u = np.arange(1, 21) * 0.05
    else:
        u = validation.as_finite_array("thresholds", thresholds, ndim=1)
    if u.size == 0:
        raise ValueError("thresholds must not be empty")
    s = validation.as_finite_array("steps", steps, ndim=1)
    horizon = s[-1] if s.size else 0.0
    times = [np.minimum(steps_to_threshold(s, values, float(t), direction="rise"), horizon) for t in u]
    return np.mean(times, axis=0)


def bootstrap_interval(samples, statistic: Callable = np.mean, *, level: float = 0.95, n_boot: int = 10_000,
                       seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over independent runs (seeds).

    Resamples the runs with replacement ``n_boot`` times and returns the ``(1 - level)/2``
    and ``(1 + level)/2`` quantiles of the statistic over the resamples.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, ...)
        One entry (or one row) per run; ``n >= 2``.
    statistic : callable, default numpy.mean
        Called as ``statistic(resample, axis=0)`` on each resample (runs along axis 0).
    level : float, default 0.95
        Coverage, in ``(0, 1)``.
    n_boot : int, default 10000
        Number of resamples.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    tuple of float
        ``(low, high)``; for multi-dimensional samples, arrays of the trailing shape.

    Raises
    ------
    ValueError
        If there are fewer than two runs, a value is not finite, or ``level`` lies
        outside ``(0, 1)``.

    Examples
    --------
    >>> lo, hi = bootstrap_interval([1.0, 2.0, 3.0, 4.0])
    >>> bool(lo < 2.5 < hi)
    True
    """
    x = validation.as_finite_array("samples", samples)
    if x.ndim == 0 or x.shape[0] < 2:
        raise ValueError("samples must hold at least two runs")
    if not 0 < float(level) < 1:
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    n_boot = validation.check_positive_int("n_boot", n_boot)
    rng = seeding.rng(seed)
    idx = rng.integers(0, x.shape[0], size=(n_boot, x.shape[0]))
    stats = np.stack([statistic(x[i], axis=0) for i in idx])
    lo, hi = np.quantile(stats, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return (float(lo), float(hi)) if np.ndim(lo) == 0 else (lo, hi)


def interval_above(differences, threshold: float = 0.0, *, level: float = 0.95) -> np.ndarray:
    """Whether the interval over runs of the mean of ``differences`` lies above ``threshold``, per element.

    The test of an ordering that a paper states for a mean over its runs (images, seeds):
    the lower end of the percentile-bootstrap interval (:func:`bootstrap_interval`) of the mean
    over the runs of the paired differences, against ``threshold``.

    Parameters
    ----------
    differences : array_like, shape (..., n_runs)
        Paired differences, the runs along the last axis (``n_runs >= 2``).
    threshold : float, default 0.0
        The value the interval must clear.
    level : float, default 0.95
        The interval's coverage.

    Returns
    -------
    numpy.ndarray of bool, shape (...)

    Raises
    ------
    ValueError
        As :func:`bootstrap_interval` (fewer than two runs, a non-finite value, a bad ``level``).

    Examples
    --------
    >>> interval_above([[1.0, 2.0, 1.5], [1.0, -2.0, 0.5]]).tolist()
    [True, False]
    """
    d = np.moveaxis(np.asarray(differences, dtype=float), -1, 0)
    low = bootstrap_interval(d, level=level)[0]
    return np.asarray(low) > threshold


def runs_all_above(differences, threshold: float = 0.0) -> int:
    """On how many runs every element of ``differences`` lies above ``threshold``.

    Parameters
    ----------
    differences : array_like, shape (..., n_runs)
        Paired differences, the runs along the last axis.
    threshold : float, default 0.0

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``differences`` is a scalar or holds NaN.

    Examples
    --------
    >>> runs_all_above([[1.0, 2.0, -1.0], [1.0, 0.5, 3.0]])
    2
    """
    d = validation.as_finite_array("differences", differences)
    if d.ndim == 0:
        raise ValueError("differences must have a runs axis")
    return int(np.sum(np.all(d.reshape(-1, d.shape[-1]) > threshold, axis=0)))

