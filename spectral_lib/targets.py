"""One-dimensional targets of Rahaman et al.'s Exp1, Exp2 and Exp7, and their summaries.

Targets live on the grid ``x_n = n/N`` (``n = 0..N-1``) of [0, 1), the grid on which
:func:`spectral_lib.fourier.normalised_amplitudes` reads integer frequencies without
leakage:

* Exp1/Exp2: the sinusoid mixture ``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)`` with phases
  ``φ_i ~ U(0, 2π)`` drawn afresh for every run (seed), and amplitudes either all equal
  (setting ``"equal"``) or rising, ``A_i = 0.1·i`` (setting ``"increasing"``);
* Exp7: the sampled δ, a single 1 at ``x = 0.5`` and 0 elsewhere, whose spectrum is flat.

Summaries used by the chapters: the first recorded step at which a normalised amplitude
reaches a threshold (:func:`steps_to_threshold`), Spearman's rank correlation that treats
"never reached" as the latest rank (:func:`spearman_rho`), and the retained amplitude of a
perturbed model (:func:`retained_amplitude`). The experiment runners (:func:`run_exp1`,
:func:`run_exp2`, :func:`run_exp7`) train through :mod:`spectral_lib.train` and store
their results in the results cache, so a chapter is a handful of short calls::

    from spectral_lib import configs, targets
    res = targets.run_exp1(configs.get("exp1"))
    res.amplitudes["equal"].shape        # (n_records, n_seeds, n_freqs)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SETTINGS: tuple[str, ...] = ("equal", "increasing")


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"seeds must be non-negative integers, got {value!r}")
    return int(value)


def _finite_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    arr = np.asarray(value)
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _frequencies(freqs, n_points: int | None = None) -> np.ndarray:
    k = _finite_array("freqs", freqs, ndim=1)
    if k.size == 0 or not np.all(np.round(k) == k) or np.any(k < 1):
        raise ValueError(f"freqs must be a non-empty sequence of positive integers, got {freqs!r}")
    if n_points is not None and np.any(k >= n_points // 2):
        raise ValueError(f"freqs must be below N/2 = {n_points // 2} to be read without aliasing")
    return k.astype(int)


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


def unit_grid(n_points: int = 200) -> np.ndarray:
    """The sampling grid ``x_n = n / N``, ``n = 0..N-1``, of [0, 1) (endpoint excluded).

    Parameters
    ----------
    n_points : int, default 200
        ``N``, at least 2.

    Returns
    -------
    numpy.ndarray, shape (N,)
        float64 grid.

    Raises
    ------
    ValueError
        If ``n_points`` is not an integer ≥ 2.

    Examples
    --------
    >>> unit_grid(4)
    array([0.  , 0.25, 0.5 , 0.75])
    """
    n = _positive_int("n_points", n_points)
    if n < 2:
        raise ValueError("n_points must be at least 2")
    return np.arange(n, dtype=np.float64) / n


def amplitude_profile(setting: str, n_freqs: int) -> np.ndarray:
    """Exp1's amplitudes: all ones (``"equal"``) or ``A_i = 0.1·i`` (``"increasing"``).

    Parameters
    ----------
    setting : {"equal", "increasing"}
        Rahaman et al.'s setting (a) or (b).
    n_freqs : int
        Number of components.

    Returns
    -------
    numpy.ndarray, shape (n_freqs,)
        The amplitudes ``A_i``.

    Raises
    ------
    ValueError
        If ``setting`` is unknown or ``n_freqs`` is not a positive integer.

    Examples
    --------
    >>> amplitude_profile("increasing", 3)
    array([0.1, 0.2, 0.3])
    """
    n = _positive_int("n_freqs", n_freqs)
    if setting == "equal":
        return np.ones(n)
    if setting == "increasing":
        return 0.1 * np.arange(1, n + 1, dtype=np.float64)
    raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")


def random_phases(n_freqs: int, seed: int) -> np.ndarray:
    """Phases ``φ_i ~ U(0, 2π)``, one per component, from a private generator.

    Parameters
    ----------
    n_freqs : int
        Number of components.
    seed : int
        Non-negative seed; a run's phases are a function of its seed only.

    Returns
    -------
    numpy.ndarray, shape (n_freqs,)
        Phases in [0, 2π).

    Raises
    ------
    ValueError
        If ``n_freqs`` is not positive or ``seed`` is negative.

    Examples
    --------
    >>> p = random_phases(10, seed=0)
    >>> bool(np.all((p >= 0) & (p < 2 * np.pi)))
    True
    """
    n = _positive_int("n_freqs", n_freqs)
    return np.random.default_rng(_seed(seed)).uniform(0.0, 2 * np.pi, size=n)


def sinusoid_mixture(x, freqs, amplitudes, phases) -> np.ndarray:
    """``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Points.
    freqs : array_like, shape (m,)
        Frequencies ``k_i`` in cycles per unit interval (any real values here).
    amplitudes, phases : array_like, broadcastable to (..., m)
        ``A_i`` and ``φ_i``; leading axes give several targets at once.

    Returns
    -------
    numpy.ndarray, shape (..., N)
        The target(s) at ``x``.

    Raises
    ------
    ValueError
        If an input is not finite or the shapes do not broadcast.

    Examples
    --------
    >>> sinusoid_mixture([0.25], [1], [2.0], [0.0])
    array([2.])
    """
    x = _finite_array("x", x, ndim=1)
    k = _finite_array("freqs", freqs, ndim=1)
    a = _finite_array("amplitudes", amplitudes)
    p = _finite_array("phases", phases)
    try:
        a, p = np.broadcast_arrays(a, p)
        a = np.broadcast_to(a, a.shape[:-1] + k.shape) if a.ndim else np.broadcast_to(a, k.shape)
        p = np.broadcast_to(p, a.shape)
    except ValueError as err:
        raise ValueError(f"amplitudes and phases must broadcast to (..., {k.size}): {err}") from None
    arg = 2 * np.pi * k[:, None] * x[None, :] + p[..., None]
    return np.sum(a[..., None] * np.sin(arg), axis=-2)


def exp1_targets(freqs, setting: str, seeds: Sequence[int], n_points: int = 200) -> dict:
    """Exp1's targets for one amplitude setting, one per seed (phases drawn per seed).

    Parameters
    ----------
    freqs : sequence of int
        The frequencies ``k_i`` (Rahaman et al.: 5, 10, ..., 50), below ``N/2``.
    setting : {"equal", "increasing"}
        Amplitude setting, see :func:`amplitude_profile`.
    seeds : sequence of int
        One run per seed; run ``s`` has phases ``random_phases(m, seed=s)``.
    n_points : int, default 200
        Grid size ``N``.

    Returns
    -------
    dict
        ``x`` (N,), ``y`` (S, N), ``freqs`` (m,), ``amplitudes`` (m,), ``phases`` (S, m).

    Raises
    ------
    ValueError
        On an unknown setting, invalid frequencies or seeds, or an empty seed list.

    Examples
    --------
    >>> t = exp1_targets([5, 10], "equal", seeds=[0, 1])
    >>> t["y"].shape
    (2, 200)
    """
    x = unit_grid(n_points)
    k = _frequencies(freqs, len(x))
    seeds = [_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    amps = amplitude_profile(setting, k.size)
    phases = np.stack([random_phases(k.size, s) for s in seeds])
    y = sinusoid_mixture(x, k, amps, phases)
    return {"x": x, "y": y, "freqs": k, "amplitudes": amps, "phases": phases}


def delta_target(n_points: int = 200, at: float = 0.5) -> np.ndarray:
    """The sampled δ of Exp7: 1 at the grid point ``x = at`` and 0 elsewhere.

    Its discrete spectrum ``|FFT(y)|/N`` is flat, ``1/N`` in every bin.

    Parameters
    ----------
    n_points : int, default 200
        Grid size ``N``.
    at : float, default 0.5
        Location; must be a grid point ``n/N`` of [0, 1).

    Returns
    -------
    numpy.ndarray, shape (N,)
        The samples.

    Raises
    ------
    ValueError
        If ``at`` is not a grid point of [0, 1).

    Examples
    --------
    >>> y = delta_target(200)
    >>> float(y.sum()), int(np.argmax(y))
    (1.0, 100)
    """
    x = unit_grid(n_points)
    at = float(at)
    idx = int(round(at * len(x)))
    if not (0.0 <= at < 1.0) or not np.isclose(idx / len(x), at, rtol=0, atol=1e-12):
        raise ValueError(f"at={at!r} must be a grid point n/{len(x)} of [0, 1)")
    y = np.zeros_like(x)
    y[idx] = 1.0
    return y


# ---------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------


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
    s = _finite_array("steps", steps, ndim=1)
    v = _finite_array("values", values)
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


def retained_amplitude(perturbed, reference, freqs) -> np.ndarray:
    """Exp2's retained amplitude: mean over samples of ``|F[k]|``, over the model's own ``|F[k]|``.

    This is what the official notebook computes (the mean of the magnitudes, normalised by
    the trained model's spectrum, not by the target amplitude); the paper's text writes the
    magnitude of the mean.

    Parameters
    ----------
    perturbed : array_like, shape (..., n_samples, N)
        Predictions of perturbed models on the grid of [0, 1).
    reference : array_like, shape (N,)
        Predictions of the unperturbed model on the same grid.
    freqs : sequence of int
        Frequencies to read, in ``1..N/2-1``.

    Returns
    -------
    numpy.ndarray, shape (..., m)
        Retained fraction at each frequency (1 at δ = 0).

    Raises
    ------
    ValueError
        If the grids differ, a value is not finite, or the model's own amplitude at a
        requested frequency is zero to round-off (below ``1e-12·max|reference|``).

    Examples
    --------
    >>> x = unit_grid(200)
    >>> ref = np.sin(2 * np.pi * 5 * x)
    >>> retained_amplitude(np.stack([0.5 * ref, 1.5 * ref]), ref, [5])
    array([1.])
    """
    from .fourier import dft_amplitudes

    p = _finite_array("perturbed", perturbed)
    r = _finite_array("reference", reference, ndim=1)
    if p.ndim < 2 or p.shape[-1] != r.size:
        raise ValueError(f"perturbed must have shape (..., n_samples, {r.size}), got {p.shape}")
    k = _frequencies(freqs, r.size)
    own = dft_amplitudes(r)[k]
    if np.any(own <= 1e-12 * max(float(np.max(np.abs(r))), np.finfo(float).tiny)):
        raise ValueError("the reference model has (numerically) zero amplitude at a requested frequency")
    return dft_amplitudes(p)[..., k].mean(axis=-2) / own
