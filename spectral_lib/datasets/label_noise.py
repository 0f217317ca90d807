"""Label noise of a chosen frequency on real data (Rahaman et al.'s Exp3 and Exp4).

The noise is the radial wave ``ψ_k(x) = sin(2π k ‖x‖)`` of the official code
(:func:`radial_noise`; the paper's Eq. 10 prints ``sin(k ‖x‖)``, available with
``convention="paper"``), optionally standardised to zero mean and unit variance over the
training inputs (:func:`standardised_radial_noise`), or uniform white noise
(:func:`uniform_noise`); :func:`scaled_to_rms` sets a noise's energy, :func:`dip_summary`
summarises the validation curves, and :func:`cross_validation_splits` re-splits a data set into
shuffled folds (to validate a baseline across splits).
"""

from __future__ import annotations

import numpy as np

from spectral_lib import seeding, validation

from .digits import CONVENTIONS, TwoClassSplit


def _check_k(k, name: str = "k") -> float:
    if isinstance(k, bool) or not isinstance(k, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {k!r}")
    if not np.isfinite(k) or k < 0:
        raise ValueError(f"{name} must be finite and non-negative, got {k!r}")
    return float(k)


def radial_noise(x, k: float, *, convention: str = "code") -> np.ndarray:
    """Radial-wave label noise ``ψ_k(x)`` of Rahaman et al.'s Exp3.

    ``convention="code"`` gives ``sin(2π k ‖x‖)`` (the official ``get_radial_noise``: ``k`` in
    cycles per unit of ``‖x‖``); ``convention="paper"`` gives ``sin(k ‖x‖)`` (Eq. 10, angular).

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs.
    k : float
        Non-negative frequency.
    convention : {"code", "paper"}, default "code"
        See above.

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``ψ_k`` at every input, in [-1, 1].

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D array, ``k`` is negative or not finite, or the
        convention is unknown.

    Examples
    --------
    >>> x = np.array([[0.25, 0.0], [0.0, 0.5]])
    >>> np.round(radial_noise(x, 1.0), 12).tolist()
    [1.0, 0.0]
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    arr = validation.as_matrix(x)
    kk = _check_k(k)
    r = np.linalg.norm(arr, axis=1)
    return np.sin((2 * np.pi * kk if convention == "code" else kk) * r)


def standardised_radial_noise(x_train, k: float, *, x=None, convention: str = "code") -> np.ndarray:
    """``(ψ_k − m) / s``: the radial wave with zero mean and unit variance over the training inputs.

    ``m`` and ``s`` are the mean and the (population) standard deviation of
    :func:`radial_noise` over ``x_train``. On data whose norms span a narrow range a slow wave
    is nearly constant there (an offset of all labels); standardised, it varies across the data
    at every ``k``.

    Parameters
    ----------
    x_train : array_like, shape (n, d)
        The inputs over which mean and variance are taken.
    k : float
        Non-negative frequency, as in :func:`radial_noise`.
    x : array_like, shape (m, d), optional
        Where the standardised wave is evaluated (default: ``x_train``).
    convention : {"code", "paper"}, default "code"
        See :func:`radial_noise`.

    Returns
    -------
    numpy.ndarray
        The standardised wave at ``x`` (or ``x_train``).

    Raises
    ------
    ValueError
        For invalid inputs, or if ``ψ_k`` is constant over ``x_train`` (standard deviation
        below ``1e-12``, e.g. ``k = 0``).

    Examples
    --------
    >>> xt = np.array([[0.1], [0.2], [0.3], [0.4]])
    >>> z = standardised_radial_noise(xt, 1.0)
    >>> round(float(z.mean()), 12) == 0.0, round(float(z.std()), 12)
    (True, 1.0)
    """
    psi = radial_noise(x_train, k, convention=convention)
    m, s = float(psi.mean()), float(psi.std())
    if s < 1e-12:
        raise ValueError(f"psi_k is constant over x_train (std {s:.3g}, k = {k!r}): cannot standardise it")
    at = psi if x is None else radial_noise(x, k, convention=convention)
    return (at - m) / s


def scaled_to_rms(noise, rms: float) -> np.ndarray:
    """``noise`` scaled to root mean square ``rms`` (energy matching of two noises).

    Parameters
    ----------
    noise : array_like, shape (n,)
        Finite values, not all zero.
    rms : float
        The target root mean square (non-negative).

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``noise · rms / sqrt(mean(noise²))``.

    Raises
    ------
    TypeError
        If ``rms`` is not a real number.
    ValueError
        If ``noise`` is not a finite non-empty 1-D array, is all zero, or ``rms`` is negative
        or not finite.

    Examples
    --------
    >>> scaled_to_rms(np.array([3.0, -3.0]), 0.5).tolist()
    [0.5, -0.5]
    """
    z = np.asarray(noise, dtype=np.float64)
    if z.ndim != 1 or z.size == 0 or not np.all(np.isfinite(z)):
        raise ValueError(f"noise must be a finite non-empty 1-D array, got shape {z.shape}")
    target = _check_k(rms, "rms")
    current = float(np.sqrt(np.mean(z**2)))
    if current == 0.0:
        raise ValueError("noise is all zero: it has no RMS to scale")
    return z * (target / current)


def dip_summary(curves, steps) -> dict:
    """Summarise validation curves of several seeds: best value, where, final value, rise.

    Parameters
    ----------
    curves : array_like, shape (n_rec, R)
        Validation loss of ``R`` seeds at the recorded steps.
    steps : array_like, shape (n_rec,)
        The recorded steps.

    Returns
    -------
    dict
        ``best`` (mean over seeds of each seed's minimum), ``best_sd`` (their standard
        deviation), ``best_step`` (median step of the seeds' minima), ``final`` (mean last
        value), ``initial`` (mean first value) and ``rise`` (``final / best``: 1 means no dip).

    Raises
    ------
    ValueError
        If ``curves`` is not ``(n_rec, R)`` with ``steps`` of shape ``(n_rec,)``, or a loss
        is not finite and positive.

    Examples
    --------
    >>> d = dip_summary(np.array([[1.0, 1.0], [0.2, 0.4], [0.6, 0.6]]), [0, 10, 20])
    >>> round(d["best"], 3), d["best_step"], round(d["rise"], 3)
    (0.3, 10.0, 2.0)
    """
    c = np.asarray(curves, dtype=np.float64)
    s = np.asarray(steps)
    if c.ndim != 2 or s.shape != (c.shape[0],) or c.shape[0] < 1:
        raise ValueError(f"curves must be (n_rec, R) with steps of shape (n_rec,), got {c.shape}, {s.shape}")
    if not np.all(np.isfinite(c)) or np.any(c <= 0):
        raise ValueError("curves must be finite and positive")
    mins = c.min(axis=0)
    best = float(mins.mean())
    final = float(c[-1].mean())
    return {
        "best": best,
        "best_sd": float(mins.std()),
        "best_step": float(np.median(s[np.argmin(c, axis=0)])),
        "final": final,
        "initial": float(c[0].mean()),
        "rise": final / best,
    }


def radial_cycles(x, k: float, *, quantiles=(0.0, 1.0), convention: str = "code") -> float:
    """How many cycles the radial wave ``ψ_k`` makes across the data's range of ``‖x‖``.

    ``k · (r_hi − r_lo)`` for the code's convention (``k (r_hi − r_lo) / 2π`` for the paper's),
    where ``r_lo, r_hi`` are the given quantiles of ``‖x‖``. Well under one cycle means the
    noise is a smooth shift over the data ("low frequency"); many cycles mean it oscillates
    between neighbouring samples ("high frequency").

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs.
    k : float
        Frequency as in :func:`radial_noise`.
    quantiles : pair of float, default (0, 1)
        The range of ``‖x‖`` used (the full range by default).
    convention : {"code", "paper"}, default "code"
        See :func:`radial_noise`.

    Returns
    -------
    float
        The number of cycles.

    Raises
    ------
    ValueError
        For invalid inputs, ``k`` or quantiles.

    Examples
    --------
    >>> radial_cycles(np.array([[1.0], [3.0]]), 0.5)
    1.0
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    q_lo, q_hi = (float(q) for q in quantiles)
    if not (0.0 <= q_lo < q_hi <= 1.0):
        raise ValueError(f"quantiles must satisfy 0 <= lo < hi <= 1, got {quantiles!r}")
    r = np.linalg.norm(validation.as_matrix(x), axis=1)
    lo, hi = np.quantile(r, [q_lo, q_hi])
    kk = _check_k(k)
    cycles = kk * (hi - lo)
    return float(cycles if convention == "code" else cycles / (2 * np.pi))


def uniform_noise(n: int, seed: int, *, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """I.i.d. uniform label noise (the code's ``'white'`` noise of Exp4, ``U(−1, 1)``).

    Parameters
    ----------
    n : int
        Number of samples (positive).
    seed : int
        Seed of a private NumPy generator.
    low, high : float, default -1, 1
        The interval (``low < high``).

    Returns
    -------
    numpy.ndarray, shape (n,)
        The noise.

    Raises
    ------
    ValueError
        If ``n`` or ``seed`` is invalid or ``low >= high``.

    Examples
    --------
    >>> z = uniform_noise(1000, seed=0)
    >>> bool(z.min() >= -1 and z.max() < 1)
    True
    """
    n = validation.check_positive_int("n", n)
    seed = validation.check_seed(seed)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"need finite low < high, got {low!r}, {high!r}")
    return seeding.rng(seed).uniform(low, high, size=int(n))


def label_noise_settings(
    k_low: float, k_high: float, k_values, betas, beta_panels
) -> list[tuple[float, float]]:
    """The (k, β) settings of the paper's Fig. 4, the clean baseline ``(0, 0)`` first.

    Panels: ``k_low`` and ``k_high`` with every β in ``betas``; every k in ``k_values`` with
    every β in ``beta_panels``. Duplicates are kept once, in first-seen order.

    Parameters
    ----------
    k_low, k_high : float
        The low and high noise frequencies of the β panels.
    k_values : sequence of float
        The frequencies of the k panels.
    betas : sequence of float
        Noise amplitudes of the β panels.
    beta_panels : sequence of float
        The fixed amplitudes of the k panels.

    Returns
    -------
    list of (float, float)
        ``(k, β)`` pairs; ``(0.0, 0.0)`` is the clean baseline.

    Raises
    ------
    ValueError
        If a frequency or amplitude is negative or not finite, or a list is empty.

    Examples
    --------
    >>> label_noise_settings(0.1, 1.0, [0.1, 1.0], [0.5, 1.0], [1.0])
    [(0.0, 0.0), (0.1, 0.5), (0.1, 1.0), (1.0, 0.5), (1.0, 1.0)]
    """
    if not list(k_values) or not list(betas) or not list(beta_panels):
        raise ValueError("k_values, betas and beta_panels must be non-empty")
    for value in (k_low, k_high, *k_values):
        _check_k(value)
    for value in (*betas, *beta_panels):
        _check_k(value, "beta")
    out: list[tuple[float, float]] = [(0.0, 0.0)]
    pairs = [(float(k), float(b)) for k in (k_low, k_high) for b in betas]
    pairs += [(float(k), float(b)) for b in beta_panels for k in k_values]
    for p in pairs:
        if p not in out:
            out.append(p)
    return out


def cross_validation_splits(split: TwoClassSplit, n_folds: int, seed: int) -> list[TwoClassSplit]:
    """The pooled training and validation samples of ``split``, shuffled and cut into ``n_folds`` folds.

    All samples of ``split`` (training first, then validation) are permuted by
    :func:`spectral_lib.seeding.rng` ``(seed)`` and cut into ``n_folds`` near-equal parts
    (``numpy.array_split``); split ``i`` validates on part ``i`` and trains on the others, in
    the permuted order. On data stored in blocks (scikit-learn's digits come writer by writer) a
    split in dataset order validates on other writers than it trains on; shuffled folds do not.

    Parameters
    ----------
    split : TwoClassSplit
        The data (e.g. :func:`spectral_lib.datasets.load_pair`).
    n_folds : int
        Number of folds, at least 2 and at most the number of samples.
    seed : int
        Seed of the permutation (through :mod:`spectral_lib.seeding`, so the seed offset applies).

    Returns
    -------
    list of TwoClassSplit
        ``n_folds`` splits whose validation sets partition the samples.

    Raises
    ------
    ValueError
        If ``n_folds`` or ``seed`` is invalid.

    Examples
    --------
    >>> from spectral_lib.datasets import load_digits_pair
    >>> folds = cross_validation_splits(load_digits_pair(), 5, seed=0)
    >>> [f.n_val for f in folds], folds[0].n_train
    ([72, 72, 71, 71, 71], 285)
    """
    if not isinstance(split, TwoClassSplit):
        raise TypeError(f"split must be a TwoClassSplit, got {type(split).__name__}")
    x = np.concatenate([split.x_train, split.x_val])
    y = np.concatenate([split.y_train, split.y_val])
    if isinstance(n_folds, bool) or not isinstance(n_folds, (int, np.integer)) or not 2 <= n_folds <= len(y):
        raise ValueError(f"n_folds must be an integer in [2, {len(y)}], got {n_folds!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    order = seeding.rng(int(seed)).permutation(len(y))
    parts = np.array_split(order, int(n_folds))
    out = []
    for i, val in enumerate(parts):
        train = np.concatenate([p for j, p in enumerate(parts) if j != i])
        out.append(TwoClassSplit(x_train=x[train], y_train=y[train], x_val=x[val], y_val=y[val],
                                 classes=split.classes, source=split.source))
    return out
