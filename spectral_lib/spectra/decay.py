"""Decay rates of spectra: power-law fits ``|f~(k)| ≈ C k^{-α}`` and RMS envelopes.

:func:`decay_exponent` fits ``log|f~|`` against ``log k`` by least squares and returns a
:class:`DecayFit`; :func:`rms_envelope` averages an oscillating transform over log-spaced
windows first, and :func:`envelope_decay_exponent` fits that envelope.
:func:`fit_power_law` fits ``y ≈ c x^p`` and returns ``(p, c)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DecayFit:
    """A power-law fit ``amplitude ≈ prefactor * k^(-exponent)`` on ``[k_min, k_max]``.

    Parameters
    ----------
    exponent : float
        The decay exponent ``α`` (positive for a decaying spectrum).
    prefactor : float
        ``C``.
    k_min, k_max : float
        The fitted range (inclusive).
    n_points : int
        Number of points in the range.
    residual : float
        Root-mean-square residual of the fit in ``log`` amplitude (natural log).
    """

    exponent: float
    prefactor: float
    k_min: float
    k_max: float
    n_points: int
    residual: float

    def __call__(self, k) -> np.ndarray:
        """The fitted power law at ``k``."""
        return self.prefactor * np.asarray(k, dtype=np.float64) ** (-self.exponent)


def decay_exponent(k, amplitude, k_range=None) -> DecayFit:
    """Least-squares fit of ``log|amplitude| = log C - α log k`` over a stated range of ``k``.

    Parameters
    ----------
    k : array_like of float, shape (n,)
        Positive frequencies (any units; the exponent does not depend on them).
    amplitude : array_like, shape (n,)
        Spectrum magnitudes (complex values are replaced by their modulus).
    k_range : (float, float), optional
        Inclusive ``(k_min, k_max)``; default: all points.

    Returns
    -------
    DecayFit
        ``exponent`` α, ``prefactor`` C, the range, the number of points and the rms log
        residual.

    Raises
    ------
    ValueError
        If shapes differ, values are not finite, a ``k`` in range is not positive, an
        amplitude in range is zero (its log is undefined), the range is empty or reversed,
        or fewer than 2 distinct ``k`` fall in it.

    Examples
    --------
    >>> k = np.arange(1.0, 100.0)
    >>> round(decay_exponent(k, 3 * k**-2.0, (10, 90)).exponent, 12)
    2.0
    """
    kk = np.asarray(k, dtype=np.float64)
    amp = np.abs(np.asarray(amplitude))
    if kk.ndim != 1 or amp.shape != kk.shape:
        raise ValueError(f"k and amplitude must be 1-D of equal length, got {kk.shape} and {amp.shape}")
    if not (np.all(np.isfinite(kk)) and np.all(np.isfinite(amp))):
        raise ValueError("k and amplitude must be finite")
    if k_range is None:
        lo, hi = float(np.min(kk)), float(np.max(kk))
    else:
        lo, hi = (float(v) for v in k_range)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"k_range must be a finite (k_min, k_max) with k_min < k_max, got {k_range!r}")
    sel = (kk >= lo) & (kk <= hi)
    if np.any(kk[sel] <= 0):
        raise ValueError("frequencies in the fitted range must be positive")
    if np.any(amp[sel] == 0):
        raise ValueError("an amplitude in the fitted range is zero; its logarithm is undefined")
    if np.unique(kk[sel]).size < 2:
        raise ValueError(f"fewer than 2 distinct frequencies in the range [{lo}, {hi}]")
    x, yv = np.log(kk[sel]), np.log(amp[sel])
    A = np.stack([np.ones_like(x), -x], axis=1)
    (logc, alpha), *_ = np.linalg.lstsq(A, yv, rcond=None)
    res = float(np.sqrt(np.mean((A @ np.array([logc, alpha]) - yv) ** 2)))
    return DecayFit(float(alpha), float(np.exp(logc)), lo, hi, int(sel.sum()), res)


def rms_envelope(k, values, *, k_range=None, n_windows: int = 10, min_points: int = 8):
    """RMS of ``|values|`` in log-spaced windows of ``k``: the envelope of an oscillating transform.

    A transform such as ``-(1/k²) Σ_j Δs_j e^{-ikx_j}`` oscillates; its mean square over a
    window ``[k_a, k_b]`` tends to ``Σ_j Δs_j² / k⁴`` once the window is wide compared with
    the inverse kink spacings, so the RMS envelope carries the power law without the
    oscillation.

    Parameters
    ----------
    k : array_like, shape (n,)
        Positive wavenumbers.
    values : array_like, shape (n,)
        Complex or real values at ``k``.
    k_range : (float, float), optional
        ``[k_lo, k_hi]`` split into the windows; default ``[min k, max k]``.
    n_windows : int, default 10
        Number of log-spaced windows (``>= 2``).
    min_points : int, default 8
        Every window must hold at least this many samples.

    Returns
    -------
    centres : numpy.ndarray, shape (n_windows,)
        Geometric centres of the windows.
    rms : numpy.ndarray, shape (n_windows,)
        ``sqrt(mean |values|²)`` in each window.

    Raises
    ------
    ValueError
        On shape mismatch, non-finite or non-positive ``k``, non-finite values, a bad
        range, or a window with fewer than ``min_points`` samples.

    Examples
    --------
    >>> k = np.geomspace(1, 100, 2000)
    >>> c, r = rms_envelope(k, np.exp(-1j * k) / k**2, n_windows=4)
    >>> bool(np.allclose(r * c**2, (r * c**2)[0], rtol=1e-2))
    True
    """
    k = np.asarray(k, dtype=np.float64)
    vals = np.asarray(values)
    if k.ndim != 1 or vals.shape != k.shape:
        raise ValueError(f"k and values must be 1-D of one shape, got {k.shape} and {vals.shape}")
    if not np.all(np.isfinite(k)) or np.any(k <= 0):
        raise ValueError("k must be finite and positive")
    if not np.all(np.isfinite(vals)):
        raise ValueError("values contain NaN or infinite entries")
    if isinstance(n_windows, bool) or not isinstance(n_windows, (int, np.integer)) or n_windows < 2:
        raise ValueError(f"n_windows must be an integer >= 2, got {n_windows!r}")
    lo, hi = (float(k.min()), float(k.max())) if k_range is None else map(float, k_range)
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
        raise ValueError(f"k_range must satisfy 0 < lo < hi, got {k_range!r}")
    edges = np.geomspace(lo, hi, int(n_windows) + 1)
    centres = np.sqrt(edges[:-1] * edges[1:])
    rms = np.empty(int(n_windows))
    for i in range(int(n_windows)):
        inside = (k >= edges[i]) & (k <= edges[i + 1])
        if inside.sum() < min_points:
            raise ValueError(
                f"window [{edges[i]:.4g}, {edges[i + 1]:.4g}] holds {int(inside.sum())} samples; "
                f"need >= {min_points} (sample k more densely)"
            )
        rms[i] = np.sqrt(np.mean(np.abs(vals[inside]) ** 2))
    return centres, rms


def envelope_decay_exponent(k, values, *, k_range=None, n_windows: int = 10) -> float:
    """Slope ``p`` of a least-squares fit ``log rms ≈ p log k + c`` of :func:`rms_envelope`.

    The fit itself is :func:`spectral_lib.spectra.decay_exponent` (which reports ``-p``)
    applied to the envelope instead of the raw, oscillating magnitudes, whose zeros would
    drag a pointwise log-log fit down.

    Parameters
    ----------
    k, values, k_range, n_windows
        As in :func:`rms_envelope`.

    Returns
    -------
    float
        The fitted exponent (e.g. ``-2`` for a 1-D ReLU network's transform).

    Raises
    ------
    ValueError
        As :func:`rms_envelope`, or if an envelope value is zero (no logarithm).

    Examples
    --------
    >>> k = np.geomspace(10, 1000, 5000)
    >>> round(envelope_decay_exponent(k, (2 + np.cos(k)) / k**3), 1)
    -3.0
    """

    centres, rms = rms_envelope(k, values, k_range=k_range, n_windows=n_windows)
    if np.any(rms <= 0):
        raise ValueError("the envelope vanishes in some window; no power law to fit")
    return -decay_exponent(centres, rms).exponent


def fit_power_law(x, y) -> tuple[float, float]:
    """Least-squares fit of ``y ≈ c x^p`` in log-log coordinates.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Positive values, ``n >= 2``, ``x`` not all equal.

    Returns
    -------
    exponent : float
        ``p``.
    prefactor : float
        ``c``.

    Raises
    ------
    ValueError
        If the arrays differ in shape, have fewer than 2 entries, are not positive and
        finite, or ``x`` is constant.

    Examples
    --------
    >>> p, c = fit_power_law([1, 2, 4], [3.0, 0.75, 0.1875])
    >>> round(p, 12), round(c, 12)
    (-2.0, 3.0)
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError("x and y must be 1-D arrays of one length >= 2")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and np.all(x > 0) and np.all(y > 0)):
        raise ValueError("x and y must be finite and positive for a power-law fit")
    lx = np.log(x)
    if np.ptp(lx) == 0:
        raise ValueError("x must not be constant")
    p, logc = np.polyfit(lx, np.log(y), 1)
    return float(p), float(np.exp(logc))
