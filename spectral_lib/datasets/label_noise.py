"""Label noise of a chosen frequency on real data (Rahaman et al.'s Exp3 and Exp4).

The noise is the radial wave ``ψ_k(x) = sin(2π k ‖x‖)`` of the official code
(:func:`radial_noise`; the paper's Eq. 10 prints ``sin(k ‖x‖)``, available with
``convention="paper"``), or uniform white noise (:func:`uniform_noise`).
"""

from __future__ import annotations

import numpy as np

from spectral_lib import seeding, validation

from .digits import CONVENTIONS


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
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
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
