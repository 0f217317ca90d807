"""The spectrum of a function composed with the flower curve, and its Jacobi–Anger closed form.

For data on a curve ``γ``, the Fourier transform of ``f∘γ`` is ``∫ f~(k) P_γ(l, k) dk`` with
``P_γ(l, k) = ∫_0^1 exp(i(k·γ(z) − l z)) dz``. :func:`composition_kernel` computes
``P_γ(2πn, k)`` with the periodic trapezoidal rule; on the circle (``L = 0``) it reduces to
the Jacobi–Anger form ``i^n e^{-inα} J_n(k)`` (:func:`jacobi_anger`), checked against a
sympy series (:func:`jacobi_anger_series_residual`).
"""

from __future__ import annotations

import numpy as np

from spectral_lib import geometry, validation


def composition_kernel(L: int, n_max: int, k, alpha, *, n_grid: int | None = None) -> np.ndarray:
    """``P_γ(2πn, k) = ∫_0^1 exp(i(k·γ_L(z) − 2πnz)) dz`` for ``n = 0..n_max``.

    The integrand is smooth and 1-periodic in ``z``, so the trapezoidal rule on ``n_grid``
    equispaced points is exact up to aliasing of frequencies beyond ``n_grid``; it is one
    FFT per wave vector.  The default grid resolves the phase ``k·γ`` with a wide margin.

    Parameters
    ----------
    L : int
        Petal count of the curve.
    n_max : int
        Largest latent frequency ``n`` returned (``>= 0``).
    k : array_like, shape (m,)
        Input-space angular wavenumbers ``|k| >= 0``.
    alpha : array_like, shape (m,)
        Directions of the wave vectors, ``k = |k| (cos α, sin α)``.
    n_grid : int, optional
        Number of quadrature nodes (default: enough for ``n_max`` and the phase's bandwidth).

    Returns
    -------
    numpy.ndarray, complex, shape (m, n_max + 1)
        ``P_γ(2πn, k_j)``.

    Raises
    ------
    ValueError
        On invalid ``L``, ``n_max``, mismatched or non-finite ``k``/``alpha``, or an
        ``n_grid`` too small for ``n_max``.

    Examples
    --------
    >>> from scipy.special import jv
    >>> P = composition_kernel(0, 3, [2.0], [0.0])
    >>> bool(np.allclose(P[0], [(1j) ** n * jv(n, 2.0) for n in range(4)]))
    True
    """
    L = validation.check_nonnegative_int("L (number of petals)", L)
    n_max = validation.check_nonnegative_int("n_max", n_max)
    kk = np.atleast_1d(np.asarray(k, dtype=np.float64))
    aa = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if kk.ndim != 1 or kk.shape != aa.shape:
        raise ValueError("k and alpha must be 1-D arrays of the same length")
    if not (np.all(np.isfinite(kk)) and np.all(np.isfinite(aa))) or np.any(kk < 0):
        raise ValueError("k must be finite and non-negative, alpha finite")
    if n_grid is None:
        band = float(kk.max(initial=0.0)) * geometry.max_speed(L) / (2 * np.pi)
        n_grid = int(2 ** np.ceil(np.log2(2 * (n_max + band) + 64 + 4 * L)))
    n_grid = validation.check_positive_int("n_grid", n_grid)
    if n_grid <= 2 * n_max:
        raise ValueError(f"n_grid={n_grid} must exceed 2*n_max={2 * n_max}")
    z = np.arange(n_grid) / n_grid
    g = geometry.flower_curve(z, L)
    phase = kk[:, None] * (np.cos(aa)[:, None] * g[None, :, 0] + np.sin(aa)[:, None] * g[None, :, 1])
    spec = np.fft.fft(np.exp(1j * phase), axis=-1) / n_grid
    return spec[:, : n_max + 1]


def jacobi_anger(n, k, alpha=0.0) -> np.ndarray:
    """Closed form of ``P_γ(2πn, k)`` on the unit circle: ``i^n e^{−inα} J_n(|k|)``.

    From the Jacobi–Anger expansion ``e^{ik cos φ} = Σ_m i^m J_m(k) e^{imφ}`` with
    ``φ = 2πz − α``: only ``m = n`` survives the integral against ``e^{−2πinz}``.

    Parameters
    ----------
    n : array_like of int
        Latent frequencies.
    k : array_like
        Input wavenumbers ``|k|``.
    alpha : array_like, default 0
        Directions of the wave vectors.

    Returns
    -------
    numpy.ndarray, complex
        Broadcast of the inputs.

    Raises
    ------
    ValueError
        If ``n`` is not integer or inputs are not finite.

    Examples
    --------
    >>> complex(jacobi_anger(0, 0.0))
    (1+0j)
    """
    from scipy.special import jv

    n = np.asarray(n)
    if not np.all(np.isfinite(n)) or not np.all(np.equal(np.round(n), n)):
        raise ValueError("n must be integer")
    k = np.asarray(k, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    if not (np.all(np.isfinite(k)) and np.all(np.isfinite(alpha))):
        raise ValueError("k and alpha must be finite")
    n = n.astype(int)
    return (1j) ** n * np.exp(-1j * n * alpha) * jv(n, k)


def jacobi_anger_series_residual(n: int, order: int):
    """Check Jacobi–Anger symbolically: Taylor coefficients in ``k`` of both sides agree.

    Expands ``exp(ik cos θ)`` to ``order`` in ``k``, writes ``cos θ = (w + 1/w)/2`` with
    ``w = e^{iθ}``, takes the average ``(1/2π) ∫_0^{2π} (·) e^{−inθ} dθ`` as the constant
    term of the Laurent polynomial in ``w``, and subtracts the Taylor polynomial of
    ``i^n J_n(k)`` (sympy's ``besselj`` series).

    Parameters
    ----------
    n : int
        Latent frequency, ``n >= 0``.
    order : int
        Highest power of ``k`` kept, ``order >= n``.

    Returns
    -------
    sympy.Expr
        The residual polynomial in ``k``; it is ``0`` when the expansion holds.

    Raises
    ------
    ValueError
        If ``n`` or ``order`` is invalid.

    Examples
    --------
    >>> jacobi_anger_series_residual(2, 6)
    0
    """
    import sympy as sp

    n = validation.check_nonnegative_int("n", n)
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < n:
        raise ValueError(f"order must be an integer >= n, got {order!r}")
    k = sp.Symbol("k", real=True)
    w = sp.Symbol("w", nonzero=True)  # w = e^{iθ}, so cos θ = (w + 1/w)/2
    # (1/2π) ∫_0^{2π} w^j dθ = δ_{j0}: the θ-average of a Laurent polynomial in w is its
    # constant term.
    series = sum((sp.I * k * (w + 1 / w) / 2) ** m / sp.factorial(m) for m in range(int(order) + 1))
    laurent = sp.expand(series * w ** (-int(n)))
    lhs = sum(
        term for term in sp.Add.make_args(laurent) if not term.has(w)
    )
    rhs = sp.series(sp.I ** int(n) * sp.besselj(int(n), k), k, 0, int(order) + 1).removeO()
    return sp.simplify(sp.expand(lhs - rhs))


def kernel_profile(L: int, nu: int, k, *, n_alpha: int = 32) -> np.ndarray:
    """``max_α |P_γ(2πν, |k|(cos α, sin α))|``: how much input wavenumber ``|k|`` feeds latent ``ν``.

    Parameters
    ----------
    L : int
        Petal count.
    nu : int
        Latent frequency (cycles over ``z ∈ [0, 1]``), ``>= 1``.
    k : array_like, shape (m,)
        Input angular wavenumbers ``>= 0``.
    n_alpha : int, default 32
        Number of equispaced directions ``α`` in ``[0, 2π)``.

    Returns
    -------
    numpy.ndarray, shape (m,)

    Raises
    ------
    ValueError
        If ``nu`` or ``n_alpha`` is not a positive integer, ``k`` is not 1-D, or
        :func:`composition_kernel` rejects ``L`` or ``k`` (a negative or non-finite value).

    Examples
    --------
    >>> from scipy.special import jv
    >>> bool(np.isclose(kernel_profile(0, 3, [2.0])[0], abs(jv(3, 2.0))))
    True
    """
    nu = validation.check_positive_int("nu", nu)
    n_alpha = validation.check_positive_int("n_alpha", n_alpha)
    kk = np.atleast_1d(np.asarray(k, dtype=np.float64))
    if kk.ndim != 1:
        raise ValueError("k must be 1-D")
    alpha = 2 * np.pi * np.arange(n_alpha) / n_alpha
    out = np.empty(kk.size)
    for j, kj in enumerate(kk):
        P = composition_kernel(L, nu, np.full(n_alpha, kj), alpha)
        out[j] = np.abs(P[:, nu]).max()
    return out
