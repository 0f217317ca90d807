"""Linearised (kernel-regime) gradient descent on the mean squared error.

With kernel ``K`` on ``N`` points and learning rate ``η``, the residual evolves as
``r_{t+1} = (I − 2ηK/N) r_t``: :func:`gd_rate` gives each mode's contraction,
:func:`linearised_residuals` the residual over steps and :func:`frequency_amplitudes` its
amplitude at given frequencies.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import spectra, validation

from .ntk import eigh_descending


def gd_rate(eigvals, lr: float, n_points: int) -> np.ndarray:
    """Per-step contraction ``1 - 2 η λ / N`` of a mode under GD on the mean squared error.

    Parameters
    ----------
    eigvals : array_like
        Kernel eigenvalues ``λ``.
    lr : float
        Learning rate ``η`` of plain gradient descent.
    n_points : int
        Number ``N`` of training points (the loss is a mean over them).

    Returns
    -------
    numpy.ndarray
        The factors, same shape as ``eigvals``.

    Raises
    ------
    ValueError
        If ``lr`` or ``n_points`` is not positive or an eigenvalue is not finite.

    Examples
    --------
    >>> gd_rate([100.0, 0.0], 0.5, 100)
    array([0., 1.])
    """
    lam = np.asarray(eigvals, dtype=np.float64)
    if not np.all(np.isfinite(lam)):
        raise ValueError("eigenvalues must be finite")
    lr = validation.check_positive_float("lr", lr)
    n_points = validation.check_positive_int("n_points", n_points)
    return 1.0 - 2.0 * lr * lam / n_points


def linearised_residuals(K, r0, lr: float, steps) -> np.ndarray:
    """Residuals of the linearised network under full-batch GD on the mean squared error.

    ``r_t = (I - 2ηK/N)^t r_0``, evaluated exactly through the eigendecomposition of ``K``.

    Parameters
    ----------
    K : array_like, shape (N, N)
        The (empirical) NTK at initialisation.
    r0 : array_like, shape (N,)
        Initial residual ``f_0(x) - y``.
    lr : float
        Learning rate ``η``.
    steps : sequence of int
        Non-negative step counts ``t``.

    Returns
    -------
    numpy.ndarray, shape (len(steps), N)

    Raises
    ------
    ValueError
        If shapes disagree, ``steps`` has a negative or non-integer entry, or the step is
        unstable (``2ηλ_max/N >= 2``: the linear model diverges).

    Examples
    --------
    >>> linearised_residuals(np.eye(2) * 2, [1.0, -1.0], lr=0.25, steps=[0, 1, 2])
    array([[ 1.  , -1.  ],
           [ 0.5 , -0.5 ],
           [ 0.25, -0.25]])
    """
    w, V = eigh_descending(K)
    r0 = np.asarray(r0, dtype=np.float64)
    if r0.shape != (w.size,) or not np.all(np.isfinite(r0)):
        raise ValueError(f"r0 must be a finite vector of length {w.size}")
    t = np.asarray(steps)
    if t.ndim != 1 or not np.all(np.equal(np.round(t), t)) or np.any(t < 0):
        raise ValueError("steps must be a 1-D sequence of non-negative integers")
    rate = gd_rate(w, lr, w.size)
    if np.any(rate <= -1):
        raise ValueError("unstable step: 2*lr*lambda_max/N >= 2, the linearised dynamics diverge")
    coef = V.T @ r0
    return (rate[None, :] ** t[:, None].astype(np.float64) * coef[None, :]) @ V.T


def frequency_amplitudes(residuals, freqs) -> np.ndarray:
    """Amplitude ``2|F[k]|`` of each row at integer frequencies (one-sided DFT).

    Parameters
    ----------
    residuals : array_like, shape (..., N)
        Samples on ``N`` equally spaced points of one period.
    freqs : sequence of int
        Frequencies ``1 <= k < N/2``.

    Returns
    -------
    numpy.ndarray, shape (..., len(freqs))

    Raises
    ------
    ValueError
        If the residuals are not finite samples or a frequency is not in ``1..N/2 - 1``
        (from :func:`spectral_lib.spectra.normalised_amplitudes`).

    Examples
    --------
    >>> t = np.arange(32) / 32
    >>> frequency_amplitudes(3 * np.sin(2 * np.pi * 4 * t), [4]).round(12)
    array([3.])
    """
    return spectra.normalised_amplitudes(residuals, freqs, 1.0)
