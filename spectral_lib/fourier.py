"""Fourier spectra of ReLU networks: exact transforms of CPWL functions and discrete spectra.

Convention (fixed once for the whole book): ``f~(k) = ∫ f(x) exp(-i k·x) dx`` with angular
wavenumber ``k``.  For a function sampled on the grid ``x_n = n/N`` (n = 0..N-1) of [0, 1),
the discrete spectrum is Rahaman et al.'s ``|FFT(y)| / N`` on the first ``N/2`` bins, where
bin ``m`` is the frequency ``m`` in cycles per unit interval (angular ``k = 2πm``).
"""

from __future__ import annotations

import numpy as np


def _as_samples(y) -> np.ndarray:
    arr = np.asarray(y.detach().cpu().numpy() if hasattr(y, "detach") else y)
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError("samples must be an array whose last axis holds at least 2 grid values")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"samples must be numeric, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("samples contain NaN or infinite values")
    return arr


def dft_amplitudes(y) -> np.ndarray:
    """One-sided DFT magnitudes ``|FFT(y)| / N`` on bins ``0 .. N//2 - 1``.

    This is the official code's spectrum: for ``N`` samples on ``arange(0, 1, 1/N)``, bin
    ``m`` is the integer frequency ``m`` (cycles per unit interval), and a sinusoid
    ``A sin(2π m x + φ)`` with integer ``m`` reads ``A/2`` in bin ``m`` with no leakage.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.

    Returns
    -------
    numpy.ndarray, shape (..., N // 2)
        Magnitudes, float64.

    Raises
    ------
    ValueError
        If ``y`` has fewer than 2 samples on its last axis or contains NaN/inf.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> a = dft_amplitudes(3 * np.sin(2 * np.pi * 5 * x))
    >>> round(float(a[5]), 12)
    1.5
    """
    arr = _as_samples(y).astype(np.float64 if not np.iscomplexobj(y) else np.complex128)
    n = arr.shape[-1]
    return np.abs(np.fft.fft(arr, axis=-1) / n)[..., : n // 2]


def normalised_amplitudes(y, freqs, amplitudes=1.0) -> np.ndarray:
    """Rahaman et al.'s normalised amplitude ``2 |F[k_i]| / A_i`` at target frequencies.

    A perfectly fitted component ``A_i sin(2π k_i x + φ_i)`` reads exactly 1.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.
    freqs : array_like of int, shape (m,)
        Target frequencies in cycles per unit interval, each in ``1 .. N//2 - 1``.
    amplitudes : float or array_like, shape (m,), default 1.0
        The target amplitudes ``A_i`` (non-zero).

    Returns
    -------
    numpy.ndarray, shape (..., m)
        ``2 |F[k_i]| / A_i``.

    Raises
    ------
    ValueError
        If a frequency is not an integer in range, or an amplitude is zero or non-finite.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> y = np.sin(2 * np.pi * 5 * x) + 0.5 * np.sin(2 * np.pi * 10 * x + 1.0)
    >>> np.round(normalised_amplitudes(y, [5, 10], [1.0, 0.5]), 12)
    array([1., 1.])
    """
    spec = dft_amplitudes(y)
    n_bins = spec.shape[-1]
    k = np.asarray(freqs)
    if k.ndim != 1 or k.size == 0:
        raise ValueError("freqs must be a non-empty 1-D sequence of integer frequencies")
    if not np.all(np.isfinite(k)) or not np.all(np.equal(np.round(k), k)):
        raise ValueError(f"freqs must be integers (cycles per unit interval), got {freqs!r}")
    k = k.astype(int)
    if np.any(k < 1) or np.any(k >= n_bins):
        raise ValueError(f"freqs must lie in 1..{n_bins - 1} for {2 * n_bins} samples, got {freqs!r}")
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), k.shape)
    if not np.all(np.isfinite(amps)) or np.any(amps == 0):
        raise ValueError("amplitudes must be finite and non-zero")
    return 2.0 * spec[..., k] / amps
