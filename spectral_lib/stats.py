"""Statistics over runs: one rank correlation, the time a curve takes to cross a threshold, intervals.

Every statistic the chapters guard is computed here once:

* :func:`rank_correlation` -- Spearman's rank correlation with average ranks for ties;
  ``+inf`` (a threshold never reached) ranks above every finite value;
* :func:`steps_to_threshold` -- the first recorded step at which a curve crosses a threshold,
  in an explicit direction (``"rise"`` to reach it from below, ``"fall"`` to reach it from
  above), optionally interpolated;
* :func:`mean_time_to_threshold` -- the mean of those steps over several thresholds;
* :func:`bootstrap_interval` -- a percentile bootstrap interval of a statistic over seeds.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import validation


def steps_to_fall(steps, ratios, threshold: float) -> np.ndarray:
    """First time each ratio curve falls to ``threshold``, interpolated log-linearly.

    Parameters
    ----------
    steps : array_like, shape (T,)
        Increasing step counts of the records.
    ratios : array_like, shape (T,) or (T, M)
        Positive ratios (e.g. residual amplitude over its initial value), one column per
        curve.
    threshold : float
        Level in ``(0, 1)``.

    Returns
    -------
    numpy.ndarray, shape (M,)
        The interpolated crossing step of each curve; ``nan`` where a curve never reaches
        the threshold within the records (reported, never silently replaced).

    Raises
    ------
    ValueError
        If shapes disagree, ``steps`` is not increasing, ratios are not positive, or
        ``threshold`` is outside ``(0, 1)``.

    Examples
    --------
    >>> steps_to_threshold([0, 10, 20], [1.0, 0.2, 0.05], 0.1)
    array([15.])
    """
    s = np.asarray(steps, dtype=np.float64)
    r = np.asarray(ratios, dtype=np.float64)
    if r.ndim == 1:
        r = r[:, None]
    if s.ndim != 1 or r.ndim != 2 or r.shape[0] != s.size or s.size < 2:
        raise ValueError("steps must be 1-D with one entry per row of ratios (at least 2)")
    if np.any(np.diff(s) <= 0):
        raise ValueError("steps must be increasing")
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ValueError("ratios must be finite and positive")
    thr = float(threshold)
    if not 0 < thr < 1:
        raise ValueError(f"threshold must lie in (0, 1), got {threshold!r}")
    out = np.full(r.shape[1], np.nan)
    lr_, lt = np.log(r), np.log(thr)
    for j in range(r.shape[1]):
        below = np.nonzero(r[:, j] <= thr)[0]
        if below.size == 0:
            continue
        i = below[0]
        if i == 0:
            out[j] = s[0]
            continue
        a, b = lr_[i - 1, j], lr_[i, j]
        out[j] = s[i - 1] + (s[i] - s[i - 1]) * (a - lt) / (a - b)
    return out


def rank_correlation(a, b) -> float:
    """Spearman's rank correlation of two equally long samples (ties get average ranks).

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Finite values, ``n >= 2``; neither constant.

    Returns
    -------
    float
        In ``[-1, 1]``.

    Raises
    ------
    ValueError
        On mismatched shapes, fewer than two values, non-finite or constant input.

    Examples
    --------
    >>> rank_correlation([0, 4, 10, 16], [3.1, 2.5, 1.2, 0.7])
    -1.0
    """
    from scipy.stats import rankdata

    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape or a.size < 2:
        raise ValueError("a and b must have the same length, at least 2")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite")
    ra, rb = rankdata(a), rankdata(b)
    if np.ptp(ra) == 0 or np.ptp(rb) == 0:
        raise ValueError("rank correlation is undefined for a constant sample")
    return float(np.corrcoef(ra, rb)[0, 1])


def steps_to_threshold(steps, values, threshold: float) -> np.ndarray:
    """First recorded step at which each series reaches ``threshold`` (``inf`` if never).

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Recorded values (e.g. normalised amplitudes, ``(n_rec, n_seeds, n_freqs)``).
    threshold : float
        Level to reach (``values >= threshold``).

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        The first step with ``values >= threshold``, as float; ``numpy.inf`` where the
        threshold is never reached within the record (a right-censored time, not a NaN).

    Raises
    ------
    ValueError
        If the shapes disagree, steps are not strictly increasing, or an input is not finite.

    Examples
    --------
    >>> steps_to_threshold([0, 100, 200], [[0.1, 0.0], [0.95, 0.2], [0.99, 0.3]], 0.9)
    array([100.,  inf])
    """
    s = validation.as_finite_array("steps", steps, ndim=1)
    v = validation.as_finite_array("values", values)
    thr = float(threshold)
    if not np.isfinite(thr):
        raise ValueError("threshold must be finite")
    if v.ndim == 0 or v.shape[0] != s.size or s.size == 0:
        raise ValueError(f"values must have shape ({s.size}, ...), got {v.shape}")
    if np.any(np.diff(s) <= 0):
        raise ValueError("steps must be strictly increasing")
    hit = v >= thr
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), s[first], np.inf)


def mean_time_to_threshold(steps, values, thresholds=None) -> np.ndarray:
    """Steps-to-threshold averaged over thresholds, each censored at the last recorded step.

    ``τ̄ = mean_u min(τ_u, T)`` over thresholds ``u`` (default 0.05, 0.10, ..., 1.00), where
    ``τ_u`` is :func:`steps_to_threshold` and ``T = steps[-1]``. Unlike a single threshold it
    keeps ordering frequencies that none of the runs brought to that threshold: a component
    stuck at 0.6 counts as learned later than one stuck at 0.8.

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Recorded values, e.g. normalised amplitudes.
    thresholds : array_like, optional
        Finite thresholds (default ``0.05 .. 1.0`` in steps of 0.05).

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        ``τ̄`` as float, in ``[steps[0], steps[-1]]``.

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
    u = np.arange(1, 21) * 0.05 if thresholds is None else validation.as_finite_array("thresholds", thresholds, ndim=1)
    if u.size == 0:
        raise ValueError("thresholds must not be empty")
    s = validation.as_finite_array("steps", steps, ndim=1)
    horizon = s[-1] if s.size else 0.0
    times = [np.minimum(steps_to_threshold(s, values, float(t)), horizon) for t in u]
    return np.mean(times, axis=0)


def spearman_rho(a, b) -> float:
    """Spearman's rank correlation, with ties given their average rank.

    ``inf`` entries are allowed and rank above every finite value (a threshold never reached
    counts as the latest), and tie with each other.

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Paired observations, ``n ≥ 2``; no NaN.

    Returns
    -------
    float
        The Pearson correlation of the ranks, in [-1, 1].

    Raises
    ------
    ValueError
        If the lengths differ, ``n < 2``, an entry is NaN, or a series is constant (its
        rank correlation is undefined).

    Examples
    --------
    >>> spearman_rho([1, 2, 3, 4], [10, 20, np.inf, np.inf])
    0.9486832980505138
    """
    from scipy.stats import rankdata

    xa = np.asarray(a, dtype=np.float64)
    xb = np.asarray(b, dtype=np.float64)
    if xa.ndim != 1 or xa.shape != xb.shape or xa.size < 2:
        raise ValueError("a and b must be 1-D of equal length ≥ 2")
    if np.any(np.isnan(xa)) or np.any(np.isnan(xb)):
        raise ValueError("a and b must not contain NaN")
    ra, rb = rankdata(xa), rankdata(xb)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt(np.sum(ra**2) * np.sum(rb**2))
    if den == 0:
        raise ValueError("Spearman's rho is undefined for a constant series")
    return float(np.sum(ra * rb) / den)
