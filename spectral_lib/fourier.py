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


# --------------------------------------------------------------------------------------
# Exact transforms of CPWL functions
# --------------------------------------------------------------------------------------

_CHUNK = 1 << 21  # entries of a (frequencies x pieces/edges) block held at once


def _as_k(k, dim: int) -> np.ndarray:
    """Validate frequencies: real, finite; shape (...) in 1-D, (..., 2) in 2-D."""
    if hasattr(k, "detach"):
        k = k.detach().cpu().numpy()
    arr = np.asarray(k)
    if np.iscomplexobj(arr):
        raise TypeError("k must be real (angular wavenumbers), got a complex array")
    real = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    if arr.dtype == bool or not real:
        raise TypeError(f"k must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("k contains NaN or infinite values")
    if dim == 2 and (arr.ndim == 0 or arr.shape[-1] != 2):
        raise ValueError(f"k must have shape (..., 2) for a 2-D transform, got {arr.shape}")
    return arr


def _sinc(z: np.ndarray) -> np.ndarray:
    """sin(z)/z with the value 1 at z = 0."""
    return np.sinc(z / np.pi)


def _g3(z: np.ndarray) -> np.ndarray:
    """(sin z - z cos z) / z**3, with its Taylor series near 0 (value 1/3 at z = 0).

    ``∫_{-1}^{1} u e^{-i z u} du = -2 i z g3(z)``.
    """
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    small = np.abs(z) < 0.1
    zs = z[small] ** 2
    # sum_{n>=1} (-1)^(n+1) 2n z^(2n-2) / (2n+1)!, terms to z^10: error < 1e-21
    tail = zs * (1 / 3991680 - zs / 518918400)
    out[small] = 1 / 3 + zs * (-1 / 30 + zs * (1 / 840 + zs * (-1 / 45360 + tail)))
    zl = z[~small]
    out[~small] = (np.sin(zl) - zl * np.cos(zl)) / zl**3
    return out


def _check_pieces(p):
    from .pwl import Pieces1D

    if not isinstance(p, Pieces1D):
        raise TypeError(f"expected a pwl.Pieces1D (from pwl.pieces_1d), got {type(p).__name__}")
    return p


def ft_1d(p, k) -> np.ndarray:
    """Exact windowed Fourier transform ``∫_a^b f(x) e^{-ikx} dx`` of a CPWL function.

    Each piece contributes a closed form. Written about the piece's midpoint ``m`` with
    half-width ``h``, ``∫ (s x + c) e^{-ikx} dx = e^{-ikm} [2h (s m + c) sinc(kh)
    - 2i s k h^3 g(kh)]`` with ``g(z) = (sin z - z cos z)/z^3``; both are evaluated stably
    for small ``kh`` (series), so ``k = 0`` gives the plain integral without a special case.

    Parameters
    ----------
    p : pwl.Pieces1D
        Pieces of ``f`` on ``[a, b]``.
    k : array_like of float, any shape
        Angular wavenumbers (``k = 0`` allowed).

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError
        If ``p`` is not a ``Pieces1D`` or ``k`` is not real.
    ValueError
        If ``k`` has NaN or inf.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> bool(np.isclose(ft_1d(p, 0.0).real, np.trapezoid(p(np.linspace(0, 1, 100001)),
    ...                                                   np.linspace(0, 1, 100001))))
    True
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    flat = kk.ravel()
    m = 0.5 * (p.knots[:-1] + p.knots[1:])
    h = 0.5 * (p.knots[1:] - p.knots[:-1])
    s, c = p.slopes, p.intercepts
    out = np.empty(flat.size, dtype=np.complex128)
    step = max(1, _CHUNK // max(1, m.size))
    for i in range(0, flat.size, step):
        kc = flat[i : i + step, None]
        z = kc * h
        terms = np.exp(-1j * kc * m) * (2 * h * (s * m + c) * _sinc(z) - 2j * s * kc * h**3 * _g3(z))
        out[i : i + step] = terms.sum(axis=1)
    return out.reshape(kk.shape)


def _nonzero_k(kk: np.ndarray, name: str) -> np.ndarray:
    k2 = kk**2 if kk.ndim == 0 or name == "1d" else np.sum(kk**2, axis=-1)
    if np.any(k2 == 0):
        raise ValueError("k = 0 is not allowed: the kink transform is defined for k != 0")
    return k2


def kink_transform_1d(p, k) -> np.ndarray:
    """The kinks' part of the transform: ``-k^{-2} Σ_j Δs_j e^{-ik x_j}`` over interior kinks.

    ``f'' = Σ_j Δs_j δ(x - x_j)``, so this is the transform of ``f''`` divided by ``-k^2``.
    With ``p = pieces_1d(net, interval=None)`` it is exactly the network's distributional
    Fourier transform on the whole line for ``k != 0``. On a window ``[a, b]``,
    ``ft_1d = kink_transform_1d + boundary_terms_1d``.

    Parameters
    ----------
    p : pwl.Pieces1D
        Pieces of ``f``.
    k : array_like of float, any shape, no zeros

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError
        If ``p`` is not a ``Pieces1D`` or ``k`` is not real.
    ValueError
        If ``k`` has NaN, inf or a zero.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> F = ft_1d(p, [3.0, 40.0])
    >>> bool(np.allclose(F, kink_transform_1d(p, [3.0, 40.0]) + boundary_terms_1d(p, [3.0, 40.0])))
    True
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    k2 = _nonzero_k(kk, "1d")
    flat, k2f = kk.ravel(), np.ravel(k2)
    xj, ds = p.kinks, p.slope_jumps
    out = np.zeros(flat.size, dtype=np.complex128)
    if xj.size:
        step = max(1, _CHUNK // xj.size)
        for i in range(0, flat.size, step):
            kc = flat[i : i + step, None]
            out[i : i + step] = (ds * np.exp(-1j * kc * xj)).sum(axis=1)
    return (-out / k2f).reshape(kk.shape)


def boundary_terms_1d(p, k) -> np.ndarray:
    """Boundary terms of the windowed transform: ``[e^{-ikx} (i f(x)/k + f'(x)/k^2)]_a^b``.

    Two integrations by parts give ``∫_a^b f e^{-ikx} dx = boundary_terms_1d +
    kink_transform_1d`` for ``k != 0``: the jump of ``f`` at the window's ends (``1/k``)
    and of ``f'`` (``1/k^2``), the reason a windowed transform decays only like ``1/k``.

    Parameters
    ----------
    p : pwl.Pieces1D
    k : array_like of float, any shape, no zeros

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError, ValueError
        As :func:`kink_transform_1d`.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> boundary_terms_1d(p, [1.0, 2.0]).shape
    (2,)
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    _nonzero_k(kk, "1d")
    a, b = p.interval
    fa = p.slopes[0] * a + p.intercepts[0]
    fb = p.slopes[-1] * b + p.intercepts[-1]

    def term(x, f, df):
        return np.exp(-1j * kk * x) * (1j * f / kk + df / kk**2)

    return term(b, fb, p.slopes[-1]) - term(a, fa, p.slopes[0])
