"""Error per frequency band, and a frequency-weighted loss on the spectrum of the residual.

For a target ``y`` and a fit ``ŷ`` sampled at ``rate`` Hz on ``N`` points, with ``Y_k`` and
``R_k`` the real DFTs (:func:`numpy.fft.rfft`) of ``y`` and of the residual ``r = y - ŷ`` at
the frequencies ``f_k = k · rate / N``, the **band error** of a band ``[lo, hi)`` is

.. math::

    e_{[lo, hi)} = \\frac{\\sum_{lo \\le f_k < hi} |R_k|^2}{\\sum_{lo \\le f_k < hi} |Y_k|^2},

the share of the target's energy in the band that the fit misses (0: exact; 1: as bad as
predicting zero there). :func:`band_errors` computes it for consecutive bands given by their
edges; :func:`band_energy` the energies themselves.

The **frequency-weighted loss** :func:`weighted_spectral_loss` is
``Σ_k c_k w_k |R_k|^2 / N^2`` with ``c_k = 2`` for the bins that stand for a pair of
conjugate frequencies and ``c_k = 1`` for ``k = 0`` (and ``k = N/2`` when ``N`` is even):
with all weights ``w_k = 1`` it is the mean squared error (Parseval). Weights that grow with
frequency, ``w_k = 1 + (f_k / f_{ref})^p`` (:func:`frequency_weights`), make the gradient
on a residual of frequency ``f`` larger by ``w(f)``; ``p = 2`` is, up to the discretisation
of the derivative, the mean squared error plus ``f_{ref}^{-2}/(2π)^2`` times the mean
squared error of the derivative (a Sobolev loss).
"""

from __future__ import annotations

import numpy as np
import torch

from spectral_lib import validation


def _check_edges(edges, rate: float) -> np.ndarray:
    e = validation.as_finite_array("edges", edges, ndim=1)
    if e.size < 2:
        raise ValueError("edges must hold at least two values (one band)")
    if np.any(np.diff(e) <= 0) or e[0] < 0:
        raise ValueError(f"edges must be non-negative and strictly increasing, got {e.tolist()}")
    if e[-1] > rate / 2:
        raise ValueError(f"the last edge {e[-1]:g} Hz lies above the Nyquist frequency {rate / 2:g} Hz")
    return e


def _as_signals(name: str, x) -> np.ndarray:
    a = validation.as_finite_array(name, x)
    if a.ndim not in (1, 2) or a.shape[-1] < 2:
        raise ValueError(f"{name} must have shape (N,) or (S, N) with N >= 2, got {a.shape}")
    return a


def band_energy(signal, rate: float, edges) -> np.ndarray:
    """Energy ``Σ_{lo ≤ f_k < hi} |X_k|^2`` of ``signal`` in each band ``[edges[i], edges[i+1])``.

    The last band also holds its upper edge (``f_k = edges[-1]``).

    Parameters
    ----------
    signal : array_like, shape (N,) or (S, N)
        Samples (one signal per row).
    rate : float
        Sampling rate in Hz.
    edges : array_like, shape (B + 1,)
        Band edges in Hz, strictly increasing, from ``>= 0`` to at most ``rate / 2``.

    Returns
    -------
    numpy.ndarray, shape (B,) or (S, B)
        The energies (of the one-sided DFT, :func:`numpy.fft.rfft`).

    Raises
    ------
    ValueError
        If ``signal`` is not finite or too short, ``rate`` is not positive, or the edges are
        invalid.

    Examples
    --------
    >>> x = np.sin(2 * np.pi * 10 * np.arange(100) / 100)
    >>> band_energy(x, 100, [0, 5, 20]).round(6)
    array([   0., 2500.])
    """
    x = _as_signals("signal", signal)
    rate = validation.check_positive_float("rate", rate)
    e = _check_edges(edges, rate)
    n = x.shape[-1]
    f = np.arange(n // 2 + 1) * rate / n  # k·rate/N, exact at the Nyquist bin rate/2
    power = np.abs(np.fft.rfft(x, axis=-1)) ** 2
    idx = np.searchsorted(e, f, side="right") - 1
    idx[np.isclose(f, e[-1], rtol=1e-12, atol=0.0)] = e.size - 2  # the upper edge belongs to the last band
    out = np.zeros(x.shape[:-1] + (e.size - 1,))
    for b in range(e.size - 1):
        out[..., b] = power[..., idx == b].sum(axis=-1)
    return out


def band_errors(target, prediction, rate: float, edges) -> np.ndarray:
    """Band errors ``e_b = E_b(target - prediction) / E_b(target)`` (see the module docstring).

    Parameters
    ----------
    target : array_like, shape (N,)
        The target signal.
    prediction : array_like, shape (N,) or (S, N)
        One fit, or one per row.
    rate : float
        Sampling rate in Hz.
    edges : array_like, shape (B + 1,)
        Band edges in Hz, as for :func:`band_energy`.

    Returns
    -------
    numpy.ndarray, shape (B,) or (S, B)
        The band errors.

    Raises
    ------
    ValueError
        If the shapes disagree, a value is not finite, the edges are invalid, or the target
        has no energy in some band (at most ``1e-20`` of its total: round-off).

    Examples
    --------
    >>> n = np.arange(100) / 100
    >>> y = np.sin(2 * np.pi * 3 * n) + np.sin(2 * np.pi * 30 * n)
    >>> band_errors(y, np.sin(2 * np.pi * 3 * n), 100, [0, 10, 50]).round(6)
    array([0., 1.])
    """
    y = _as_signals("target", target)
    p = _as_signals("prediction", prediction)
    if y.ndim != 1 or p.shape[-1] != y.shape[0]:
        raise ValueError(f"target must be (N,) and prediction (N,) or (S, N), got {y.shape} and {p.shape}")
    ey = band_energy(y, rate, edges)
    if np.any(ey <= 1e-20 * np.sum(np.abs(np.fft.rfft(y)) ** 2)):  # nothing there but round-off
        raise ValueError("the target has no energy in some band (at most round-off)")
    return band_energy(y - p, rate, edges) / ey


def frequency_weights(n: int, rate: float, f_ref: float, power: float = 2.0) -> np.ndarray:
    """Weights ``w_k = 1 + (f_k / f_ref)^power`` of the bins of :func:`numpy.fft.rfft` on ``n`` samples.

    Parameters
    ----------
    n : int
        Number of samples (``n >= 2``).
    rate : float
        Sampling rate in Hz (``f_k = k · rate / n``).
    f_ref : float
        Frequency in Hz at which the weight is 2.
    power : float, default 2.0
        Growth exponent (``0`` gives all weights 2, a rescaled mean squared error).

    Returns
    -------
    numpy.ndarray, shape (n // 2 + 1,)

    Raises
    ------
    ValueError
        If ``n < 2`` or a parameter is not finite and positive (``power`` non-negative).

    Examples
    --------
    >>> frequency_weights(8, 8.0, 2.0)
    array([1.  , 1.25, 2.  , 3.25, 5.  ])
    """
    n = validation.check_positive_int("n", n)
    if n < 2:
        raise ValueError("n must be at least 2")
    rate = validation.check_positive_float("rate", rate)
    f_ref = validation.check_positive_float("f_ref", f_ref)
    power = validation.check_nonnegative_float("power", power)
    return 1.0 + (np.arange(n // 2 + 1) * rate / n / f_ref) ** power


def weighted_spectral_loss(residual: torch.Tensor, weights) -> torch.Tensor:
    """``Σ_k c_k w_k |R_k|^2 / N^2``, the frequency-weighted loss of a residual (module docstring).

    With all weights 1 it equals ``mean(residual**2)`` (Parseval).

    Parameters
    ----------
    residual : torch.Tensor, shape (..., N)
        Residuals along the last axis (differentiable).
    weights : array_like or torch.Tensor, shape (N // 2 + 1,)
        Non-negative weight of each :func:`torch.fft.rfft` bin.

    Returns
    -------
    torch.Tensor, shape (...)
        The loss of each residual.

    Raises
    ------
    TypeError
        If ``residual`` is not a floating tensor.
    ValueError
        If ``weights`` has the wrong length or holds negative or non-finite values.

    Examples
    --------
    >>> r = torch.tensor([1.0, -2.0, 0.5, 3.0])
    >>> bool(torch.isclose(weighted_spectral_loss(r, np.ones(3)), (r**2).mean()))
    True
    """
    if not isinstance(residual, torch.Tensor) or not residual.is_floating_point():
        raise TypeError("residual must be a floating-point torch tensor")
    n = residual.shape[-1]
    w = torch.as_tensor(weights, dtype=residual.dtype, device=residual.device)
    if w.ndim != 1 or w.shape[0] != n // 2 + 1:
        raise ValueError(f"weights must have shape ({n // 2 + 1},) for N = {n}, got {tuple(w.shape)}")
    if not bool(torch.isfinite(w).all()) or bool((w < 0).any()):
        raise ValueError("weights must be finite and non-negative")
    c = torch.full_like(w, 2.0)
    c[0] = 1.0
    if n % 2 == 0:
        c[-1] = 1.0
    power = torch.fft.rfft(residual, dim=-1).abs() ** 2
    return (power * (c * w)).sum(dim=-1) / n**2
