"""Synthetic one-dimensional targets: sinusoid mixtures, the sampled δ, a multi-scale signal.

Targets live on the grid ``x_n = n/N`` (``n = 0..N-1``) of [0, 1), the grid on which
:func:`spectral_lib.spectra.normalised_amplitudes` reads integer frequencies without
leakage:

* Rahaman et al.'s Exp1/Exp2: the sinusoid mixture ``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)``
  with phases ``φ_i ~ U(0, 2π)`` drawn afresh for every run (seed), and amplitudes either
  all equal (setting ``"equal"``) or rising, ``A_i = 0.1·i`` (setting ``"increasing"``);
* Exp7: the sampled δ, a single 1 at ``x = 0.5`` and 0 elsewhere, whose spectrum is flat;
* :func:`signal_1d`: a random signal with power-law amplitudes `1/f` up to a band, for quick fits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spectral_lib import seeding, validation

SETTINGS: tuple[str, ...] = ("equal", "increasing")


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
    n = validation.check_positive_int("n_points", n_points)
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
    n = validation.check_positive_int("n_freqs", n_freqs)
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
    n = validation.check_positive_int("n_freqs", n_freqs)
    return seeding.rng(seed).uniform(0.0, 2 * np.pi, size=n)


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
        If an input holds NaN or infinity, or the shapes of the inputs do not broadcast
        together.

    Examples
    --------
    >>> sinusoid_mixture([0.25], [1], [2.0], [0.0])
    array([2.])
    """
    x = validation.as_finite_array("x", x, ndim=1)
    k = validation.as_finite_array("freqs", freqs, ndim=1)
    a = validation.as_finite_array("amplitudes", amplitudes)
    p = validation.as_finite_array("phases", phases)
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
    k = validation.check_frequencies(freqs, len(x))
    seeds = [validation.check_seed(s) for s in seeds]
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




def signal_1d(n: int, band: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random 1-D signal with power-law amplitudes ``1/f`` for ``f = 1..band``, scaled to ``[0, 1]``.

    Parameters
    ----------
    n : int
        Number of samples on ``arange(n) / n``.
    band : int
        Highest frequency (cycles per unit), ``band < n / 2``.
    seed : int
        Seed of the phases.

    Returns
    -------
    x : numpy.ndarray, shape (n,)
    y : numpy.ndarray, shape (n,)
        Values in ``[0, 1]`` (min 0, max 1).

    Raises
    ------
    ValueError
        If ``band`` is not in ``1 .. n/2 - 1`` or ``seed`` is negative.

    Examples
    --------
    >>> x, y = signal_1d(64, 8, 0)
    >>> float(y.min()), float(y.max())
    (0.0, 1.0)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 4:
        raise ValueError(f"n must be an integer >= 4, got {n!r}")
    if isinstance(band, bool) or not isinstance(band, (int, np.integer)) or not 1 <= band < n / 2:
        raise ValueError(f"band must be an integer in 1..{n // 2 - 1}, got {band!r}")
    (seed,) = validation.check_seeds([seed])
    x = np.arange(n) / n
    f = np.arange(1, band + 1)
    phi = seeding.rng(seed).uniform(0, 2 * np.pi, band)
    y = (np.cos(2 * np.pi * f[:, None] * x[None, :] + phi[:, None]) / f[:, None]).sum(axis=0)
    return x, (y - y.min()) / (y.max() - y.min())
