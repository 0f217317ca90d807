"""Data on manifolds: the flower curve, its geometry, and Rahaman et al.'s Exp5, Exp6, Exp8.

Rahaman et al. (§4, App. C.7) place the data on a manifold ``M = γ([0, 1])`` and fit a
target ``λ(z)`` given in the latent coordinate ``z``.  The mean squared error on the
manifold equals the error of ``f∘γ`` against ``λ`` in latent space, and the Fourier
transform of the composition is

``(f∘γ)~(l) = ∫ f~(k) P_γ(l, k) dk``,  ``P_γ(l, k) = ∫_0^1 exp(i(k·γ(z) − l z)) dz``.

The module collects

* the flower curve ``γ_L(z) = (1 + ½ sin 2πLz)(cos 2πz, sin 2πz)`` with its velocity,
  speed (closed form and sympy derivation), arc length (quadrature) and maximum speed
  (closed form), and closed-form bounds on the length;
* the kernel ``P_γ(2πn, k)`` computed by the (spectrally accurate) periodic trapezoidal
  rule, and the Jacobi–Anger closed form ``i^n e^{-inα} J_n(k)`` it reduces to on the
  circle (``L = 0``), with a sympy series check;
* the data sets of Exp5 (regression of a sum of sinusoids on ``γ_L``) and Exp6
  (classification of a binarised sinusoid), built for batched training (leading model
  axis), and their runners through :func:`spectral_lib.train.train_full_batch`;
* decision maps off the manifold, K-nearest-neighbour probability maps and their
  radial spectra (App. E.2);
* the curved (denoising-autoencoder) and flat manifolds of Exp8 on scikit-learn's digits.

Frequencies ``k_i`` of latent targets are in cycles per unit latent interval; ``n`` in
``P_γ(2πn, ·)`` is such a frequency, and the input wavenumber ``k`` is angular (the book's
convention, ``f~(k) = ∫ f(x) e^{-ik·x} dx``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

__all__ = [
    "flower_curve",
    "flower_velocity",
    "flower_speed",
    "speed_squared_symbolic",
    "arc_length",
    "max_speed",
    "length_bounds",
    "geometry_table",
    "composition_kernel",
    "jacobi_anger",
    "jacobi_anger_series_residual",
    "latent_grid",
    "sinusoid_target",
    "regression_data",
    "classification_data",
    "stack_datasets",
    "latent_amplitudes",
    "rank_correlation",
    "probability_map",
    "knn_probability_map",
    "knn_accuracy",
    "radial_spectrum",
    "kernel_profile",
    "run_exp5",
    "run_exp6",
    "run_knn",
    "classifier_accuracy",
    "load_digits_unit",
    "train_dae",
    "dae_manifold_points",
    "flat_manifold_points",
    "nearest_neighbour_distances",
    "run_exp8",
    "spectral_centroid",
]


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


def _check_petals(L) -> int:
    if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 0:
        raise ValueError(f"L (number of petals) must be a non-negative integer, got {L!r}")
    return int(L)


def _check_pos_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _as_latent(z) -> np.ndarray:
    arr = np.asarray(z, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("z contains NaN or infinite values")
    return arr


def _check_freqs(freqs) -> np.ndarray:
    k = np.asarray(freqs)
    if k.ndim != 1 or k.size == 0:
        raise ValueError("freqs must be a non-empty 1-D sequence of integer frequencies")
    if not np.issubdtype(k.dtype, np.number) or not np.all(np.isfinite(k)):
        raise ValueError(f"freqs must be finite integers, got {freqs!r}")
    if not np.all(np.equal(np.round(k), k)) or np.any(k < 1):
        raise ValueError(f"freqs must be positive integers (cycles per unit interval), got {freqs!r}")
    return k.astype(int)


# ---------------------------------------------------------------------------------------
# The flower curve and its geometry
# ---------------------------------------------------------------------------------------


def flower_curve(z, L: int) -> np.ndarray:
    """The flower curve ``γ_L(z) = (1 + ½ sin 2πLz)(cos 2πz, sin 2πz)``.

    Parameters
    ----------
    z : array_like
        Latent coordinates (the curve has period 1 in ``z``).
    L : int
        Number of petals, ``L >= 0`` (``L = 0`` is the unit circle).

    Returns
    -------
    numpy.ndarray, shape ``z.shape + (2,)``
        Points in the plane, float64.

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer or ``z`` is not finite.

    Examples
    --------
    >>> flower_curve([0.0, 0.25], 0).round(12)
    array([[1., 0.],
           [0., 1.]])
    """
    L = _check_petals(L)
    z = _as_latent(z)
    r = 1.0 + 0.5 * np.sin(2 * np.pi * L * z)
    return np.stack([r * np.cos(2 * np.pi * z), r * np.sin(2 * np.pi * z)], axis=-1)


def flower_velocity(z, L: int) -> np.ndarray:
    """The velocity ``γ_L'(z)`` in closed form.

    With ``r(z) = 1 + ½ sin 2πLz`` and ``u(z) = (cos 2πz, sin 2πz)``,
    ``γ' = r' u + 2π r u⊥`` where ``r' = πL cos 2πLz`` and ``u⊥ = (−sin 2πz, cos 2πz)``.

    Parameters
    ----------
    z : array_like
        Latent coordinates.
    L : int
        Number of petals, ``L >= 0``.

    Returns
    -------
    numpy.ndarray, shape ``z.shape + (2,)``
        ``dγ/dz``, float64.

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer or ``z`` is not finite.

    Examples
    --------
    >>> flower_velocity([0.0], 0).round(12)
    array([[0.        , 6.28318531]])
    """
    L = _check_petals(L)
    z = _as_latent(z)
    r = 1.0 + 0.5 * np.sin(2 * np.pi * L * z)
    dr = np.pi * L * np.cos(2 * np.pi * L * z)
    c, s = np.cos(2 * np.pi * z), np.sin(2 * np.pi * z)
    return np.stack([dr * c - 2 * np.pi * r * s, dr * s + 2 * np.pi * r * c], axis=-1)


def flower_speed(z, L: int) -> np.ndarray:
    """The speed ``|γ_L'(z)| = π sqrt(L² cos²θ + (2 + sin θ)²)`` with ``θ = 2πLz``.

    Parameters
    ----------
    z : array_like
        Latent coordinates.
    L : int
        Number of petals, ``L >= 0``.

    Returns
    -------
    numpy.ndarray, shape ``z.shape``
        The speed, float64.

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer or ``z`` is not finite.

    Examples
    --------
    >>> float(flower_speed(0.3, 0)) == 2 * np.pi
    True
    """
    L = _check_petals(L)
    theta = 2 * np.pi * L * _as_latent(z)
    return np.pi * np.sqrt((L * np.cos(theta)) ** 2 + (2 + np.sin(theta)) ** 2)


def speed_squared_symbolic():
    """Derive ``|γ_L'(z)|²`` with sympy from the definition of the curve.

    Returns
    -------
    (expr, z, L) : (sympy.Expr, sympy.Symbol, sympy.Symbol)
        The simplified squared speed and the symbols it is written in.  It equals
        ``π² (L² cos²(2πLz) + (2 + sin 2πLz)²)``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> import sympy
    >>> expr, z, L = speed_squared_symbolic()
    >>> expr
    pi**2*(L**2*cos(2*pi*L*z)**2 + sin(2*pi*L*z)**2 + 4*sin(2*pi*L*z) + 4)
    """
    import sympy as sp

    z, L = sp.symbols("z L", real=True)
    r = 1 + sp.sin(2 * sp.pi * L * z) / 2
    gamma = sp.Matrix([r * sp.cos(2 * sp.pi * z), r * sp.sin(2 * sp.pi * z)])
    velocity = gamma.diff(z)
    # |γ'|² is a polynomial in cos 2πz, sin 2πz; sin² + cos² = 1 removes the angle 2πz.
    squared = sp.expand(velocity.dot(velocity))
    squared = sp.expand(squared.subs(sp.sin(2 * sp.pi * z) ** 2, 1 - sp.cos(2 * sp.pi * z) ** 2))
    return sp.factor(squared), z, L


def arc_length(L: int) -> float:
    """Length of ``γ_L`` over one period, ``∫_0^1 |γ_L'(z)| dz``, by adaptive quadrature.

    For ``L >= 1`` the integrand has period ``1/L``, so the length is ``L`` times the
    integral over one period (computed with :func:`scipy.integrate.quad` to 1e-12).

    Parameters
    ----------
    L : int
        Number of petals, ``L >= 0``.

    Returns
    -------
    float
        The arc length (``2π`` for the circle).

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer.

    Examples
    --------
    >>> round(arc_length(0), 12) == round(2 * np.pi, 12)
    True
    """
    from scipy.integrate import quad

    L = _check_petals(L)
    if L == 0:
        return float(2 * np.pi)
    val, _ = quad(lambda t: float(flower_speed(t, L)), 0.0, 1.0 / L, epsabs=1e-13, epsrel=1e-12, limit=200)
    return float(L * val)


def max_speed(L: int) -> float:
    """Maximum speed of ``γ_L`` in closed form.

    With ``s = sin 2πLz``, ``|γ'|²/π² = L² + 4 + 4s + (1 − L²) s²``, maximised over
    ``s ∈ [−1, 1]``: ``2π`` for ``L = 0``, ``3π`` for ``L = 1`` and
    ``π sqrt(L² + 4 + 4/(L² − 1))`` (at ``s = 2/(L² − 1)``) for ``L >= 2``.

    Parameters
    ----------
    L : int
        Number of petals, ``L >= 0``.

    Returns
    -------
    float
        ``max_z |γ_L'(z)|``.

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer.

    Examples
    --------
    >>> round(max_speed(1) / np.pi, 12)
    3.0
    """
    L = _check_petals(L)
    if L == 0:
        return float(2 * np.pi)
    if L == 1:
        return float(3 * np.pi)
    return float(np.pi * np.sqrt(L**2 + 4 + 4 / (L**2 - 1)))


def length_bounds(L: int) -> tuple[float, float]:
    """Closed-form bounds ``sqrt((2L)² + (2π)²) <= length(γ_L) <= 2L + 2π``.

    Write ``γ' = r' u + 2π r u⊥`` with orthonormal ``u, u⊥``. Then
    ``|γ'| <= |r'| + 2π r`` (upper bound), and Minkowski's inequality
    ``∫ sqrt(a² + b²) >= sqrt((∫a)² + (∫b)²)`` with ``a = |r'|``, ``b = 2πr`` gives the
    lower bound; ``∫_0^1 |r'| = 2L`` (total variation of ``r``) and ``∫_0^1 r = 1``.

    Parameters
    ----------
    L : int
        Number of petals, ``L >= 0``.

    Returns
    -------
    (lower, upper) : tuple of float
        The two bounds (both ``2π`` for the circle).

    Raises
    ------
    ValueError
        If ``L`` is not a non-negative integer.

    Examples
    --------
    >>> lo, hi = length_bounds(4)
    >>> lo <= arc_length(4) <= hi
    True
    """
    L = _check_petals(L)
    return float(np.hypot(2 * L, 2 * np.pi)), float(2 * L + 2 * np.pi)


def geometry_table(Ls: Sequence[int], nus: Sequence[float] = (20, 200)) -> dict[str, np.ndarray]:
    """Arc length, maximum speed and input-space frequency of latent frequencies per ``L``.

    A latent frequency ``ν`` (cycles over ``z ∈ [0, 1]``) spread uniformly along the curve
    has ``ν / length(γ_L)`` cycles per unit length in input space; the stationary-phase
    bound ``|l| <= |k| max|γ'|`` says an input wavenumber ``k >= 2πν / max|γ'|`` is needed.

    Parameters
    ----------
    Ls : sequence of int
        Petal counts.
    nus : sequence of float, default (20, 200)
        Latent frequencies (positive).

    Returns
    -------
    dict
        ``"L"``, ``"length"``, ``"max_speed"``, ``"lower"``, ``"upper"`` (length bounds), each
        of shape ``(len(Ls),)``, and ``"cycles_per_length"`` of shape ``(len(Ls), len(nus))``
        together with ``"nu"``.

    Raises
    ------
    ValueError
        If ``Ls`` or ``nus`` is empty or holds invalid values.

    Examples
    --------
    >>> t = geometry_table([0, 16], [200])
    >>> t["cycles_per_length"].round(1)
    array([[31.8],
           [ 6. ]])
    """
    Ls = [_check_petals(L) for L in Ls]
    nu = np.asarray(nus, dtype=np.float64)
    if not Ls or nu.ndim != 1 or nu.size == 0 or not np.all(np.isfinite(nu)) or np.any(nu <= 0):
        raise ValueError("Ls and nus must be non-empty; nus must be positive and finite")
    length = np.array([arc_length(L) for L in Ls])
    bounds = np.array([length_bounds(L) for L in Ls])
    return {
        "L": np.array(Ls),
        "length": length,
        "max_speed": np.array([max_speed(L) for L in Ls]),
        "lower": bounds[:, 0],
        "upper": bounds[:, 1],
        "nu": nu,
        "cycles_per_length": nu[None, :] / length[:, None],
    }


# ---------------------------------------------------------------------------------------
# The composition kernel P_γ and Jacobi–Anger
# ---------------------------------------------------------------------------------------


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
    L = _check_petals(L)
    if isinstance(n_max, bool) or not isinstance(n_max, (int, np.integer)) or n_max < 0:
        raise ValueError(f"n_max must be a non-negative integer, got {n_max!r}")
    kk = np.atleast_1d(np.asarray(k, dtype=np.float64))
    aa = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if kk.ndim != 1 or kk.shape != aa.shape:
        raise ValueError("k and alpha must be 1-D arrays of the same length")
    if not (np.all(np.isfinite(kk)) and np.all(np.isfinite(aa))) or np.any(kk < 0):
        raise ValueError("k must be finite and non-negative, alpha finite")
    if n_grid is None:
        band = float(kk.max(initial=0.0)) * max_speed(L) / (2 * np.pi)
        n_grid = int(2 ** np.ceil(np.log2(2 * (n_max + band) + 64 + 4 * L)))
    n_grid = _check_pos_int("n_grid", n_grid)
    if n_grid <= 2 * n_max:
        raise ValueError(f"n_grid={n_grid} must exceed 2*n_max={2 * n_max}")
    z = np.arange(n_grid) / n_grid
    g = flower_curve(z, L)
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

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
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


# ---------------------------------------------------------------------------------------
# Data sets of Exp5 and Exp6
# ---------------------------------------------------------------------------------------


def latent_grid(n_points: int) -> np.ndarray:
    """The latent grid ``z_n = n / N``, ``n = 0..N−1`` (the official code's ``arange(0,1,1/N)``).

    Parameters
    ----------
    n_points : int
        ``N >= 2``.

    Returns
    -------
    numpy.ndarray, shape (N,)
        float64.

    Raises
    ------
    ValueError
        If ``n_points < 2``.

    Examples
    --------
    >>> latent_grid(4)
    array([0.  , 0.25, 0.5 , 0.75])
    """
    n_points = _check_pos_int("n_points", n_points)
    if n_points < 2:
        raise ValueError("n_points must be at least 2")
    return np.arange(n_points) / n_points


def sinusoid_target(z, freqs, phases, amplitudes=1.0) -> np.ndarray:
    """The latent target ``λ(z) = Σ_i A_i sin(2π k_i z + φ_i)``.

    Parameters
    ----------
    z : array_like, shape (N,)
        Latent coordinates.
    freqs : array_like of int, shape (m,)
        Frequencies ``k_i`` (cycles per unit latent interval).
    phases : array_like, shape (m,)
        Phases ``φ_i``.
    amplitudes : float or array_like, shape (m,), default 1.0
        Amplitudes ``A_i``.

    Returns
    -------
    numpy.ndarray, shape (N,)
        float64.

    Raises
    ------
    ValueError
        On mismatched shapes or non-finite inputs.

    Examples
    --------
    >>> sinusoid_target([0.25], [1], [0.0]).round(12)
    array([1.])
    """
    z = _as_latent(z)
    k = _check_freqs(freqs)
    ph = np.asarray(phases, dtype=np.float64)
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), k.shape)
    if ph.shape != k.shape:
        raise ValueError(f"phases must have the shape of freqs {k.shape}, got {ph.shape}")
    if not (np.all(np.isfinite(ph)) and np.all(np.isfinite(amps))):
        raise ValueError("phases and amplitudes must be finite")
    return (amps[:, None] * np.sin(2 * np.pi * k[:, None] * z[None, :] + ph[:, None])).sum(axis=0)


@dataclass(frozen=True)
class ManifoldData:
    """One data set on the flower curve ``γ_L``.

    Attributes
    ----------
    L : int
        Petal count.
    seed : int
        Seed of the phases.
    z : numpy.ndarray, shape (N,)
        Latent coordinates.
    x : numpy.ndarray, shape (N, 2)
        Inputs ``γ_L(z)``.
    y : numpy.ndarray, shape (N,)
        Targets (real values for regression, 0/1 labels for classification).
    phases : numpy.ndarray
        The phases of the latent sinusoids.
    """

    L: int
    seed: int
    z: np.ndarray
    x: np.ndarray
    y: np.ndarray
    phases: np.ndarray


def regression_data(L: int, freqs, n_points: int, seed: int) -> ManifoldData:
    """Exp5's data: ``λ(z) = Σ_i sin(2π k_i z + φ_i)`` on ``γ_L``, ``φ_i ~ U(0, 2π)``.

    The latent grid is fixed (as in the official code); the phases are drawn from
    ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    L : int
        Petal count.
    freqs : array_like of int
        Latent frequencies (all ``< n_points / 2``).
    n_points : int
        Number of samples ``N``.
    seed : int
        Seed of the phases.

    Returns
    -------
    ManifoldData

    Raises
    ------
    ValueError
        On invalid arguments, or a frequency at or above the Nyquist bin ``N/2``.

    Examples
    --------
    >>> d = regression_data(4, [20, 40], 200, seed=0)
    >>> d.x.shape, d.y.shape
    ((200, 2), (200,))
    """
    k = _check_freqs(freqs)
    z = latent_grid(n_points)
    if np.any(k >= n_points // 2):
        raise ValueError(f"freqs must be below n_points/2 = {n_points // 2}, got {freqs!r}")
    seed = _check_seed(seed)
    phases = np.random.default_rng(seed).uniform(0.0, 2 * np.pi, size=k.size)
    return ManifoldData(L=_check_petals(L), seed=seed, z=z, x=flower_curve(z, L),
                        y=sinusoid_target(z, k, phases), phases=phases)


def classification_data(L: int, freq: int, n_points: int, seed: int, *, threshold: float = 0.0,
                        offset: float = 0.0) -> ManifoldData:
    """Exp6's data: labels ``1[sin(2π k z + φ) > threshold]`` on ``γ_L``, ``φ ~ U(0, 2π)``.

    The official code thresholds at 0 (balanced classes); the paper's text says 0.5.

    Parameters
    ----------
    L : int
        Petal count.
    freq : int
        The latent frequency ``k`` (``< n_points / 2``).
    n_points : int
        Number of samples.
    seed : int
        Seed of the phase.
    threshold : float, default 0.0
        Threshold in ``(-1, 1)``.
    offset : float, default 0.0
        Shift of the grid in units of its spacing, in ``[0, 1)``: ``z_n = (n + offset)/N``.
        ``offset = 0.5`` gives held-out points halfway between the training points.

    Returns
    -------
    ManifoldData
        ``y`` holds 0/1 labels as float64.

    Raises
    ------
    ValueError
        On invalid arguments.

    Examples
    --------
    >>> d = classification_data(20, 150, 1000, seed=0)
    >>> sorted(set(d.y.tolist()))
    [0.0, 1.0]
    """
    k = int(_check_freqs([freq])[0])
    if k >= n_points // 2:
        raise ValueError(f"freq must be below n_points/2 = {n_points // 2}, got {freq!r}")
    if not (np.isfinite(threshold) and -1 < threshold < 1):
        raise ValueError(f"threshold must lie in (-1, 1), got {threshold!r}")
    if not (np.isfinite(offset) and 0 <= offset < 1):
        raise ValueError(f"offset must lie in [0, 1), got {offset!r}")
    seed = _check_seed(seed)
    z = latent_grid(n_points) + offset / n_points
    phase = np.random.default_rng(seed).uniform(0.0, 2 * np.pi, size=1)
    y = (sinusoid_target(z, [k], phase) > threshold).astype(np.float64)
    return ManifoldData(L=_check_petals(L), seed=seed, z=z, x=flower_curve(z, L), y=y, phases=phase)


def stack_datasets(datasets: Sequence[ManifoldData]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack data sets of equal size for a batched ensemble: ``x (K, N, d)``, ``y (K, N, 1)``.

    Parameters
    ----------
    datasets : sequence of ManifoldData
        One per model; all with the same number of points.

    Returns
    -------
    (x, y) : tuple of torch.Tensor
        float32 tensors with a leading model axis.

    Raises
    ------
    ValueError
        If the sequence is empty or sizes differ.

    Examples
    --------
    >>> x, y = stack_datasets([regression_data(L, [5], 50, 0) for L in (0, 4)])
    >>> tuple(x.shape), tuple(y.shape)
    ((2, 50, 2), (2, 50, 1))
    """
    datasets = list(datasets)
    if not datasets:
        raise ValueError("need at least one data set")
    if len({d.x.shape for d in datasets}) != 1:
        raise ValueError("all data sets must have the same shape to be stacked")
    x = torch.tensor(np.stack([d.x for d in datasets]), dtype=torch.float32)
    y = torch.tensor(np.stack([d.y for d in datasets])[..., None], dtype=torch.float32)
    return x, y


# ---------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------


def latent_amplitudes(predictions, freqs, amplitudes=1.0) -> np.ndarray:
    """Normalised amplitudes ``2|F[k_i]|/A_i`` of ``f∘γ`` sampled on the latent grid.

    Parameters
    ----------
    predictions : array_like, shape (..., N)
        ``f(γ(z_n))`` on the latent grid ``z_n = n/N`` (last axis).
    freqs : array_like of int
        Target frequencies.
    amplitudes : float or array_like, default 1.0
        Target amplitudes.

    Returns
    -------
    numpy.ndarray, shape (..., m)

    Raises
    ------
    ValueError
        As :func:`spectral_lib.fourier.normalised_amplitudes`.

    Examples
    --------
    >>> z = latent_grid(100)
    >>> latent_amplitudes(np.sin(2 * np.pi * 7 * z), [7]).round(12)
    array([1.])
    """
    from .fourier import normalised_amplitudes

    return normalised_amplitudes(predictions, freqs, amplitudes)


def rank_correlation(a, b) -> float:
    """Spearman's rank correlation of two equally long samples (ties get average ranks).

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Finite values, ``n >= 2``; neither constant.

    Returns
    -------
    float
        In ``[-1, 1]``.

    Raises
    ------
    ValueError
        On mismatched shapes, fewer than two values, non-finite or constant input.

    Examples
    --------
    >>> rank_correlation([0, 4, 10, 16], [3.1, 2.5, 1.2, 0.7])
    -1.0
    """
    from scipy.stats import rankdata

    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape or a.size < 2:
        raise ValueError("a and b must have the same length, at least 2")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite")
    ra, rb = rankdata(a), rankdata(b)
    if np.ptp(ra) == 0 or np.ptp(rb) == 0:
        raise ValueError("rank correlation is undefined for a constant sample")
    return float(np.corrcoef(ra, rb)[0, 1])


# ---------------------------------------------------------------------------------------
# Maps off the manifold, KNN, radial spectra (Fig. 7 and App. E.2)
# ---------------------------------------------------------------------------------------


def _plane_grid(extent: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be positive and finite, got {extent!r}")
    n = _check_pos_int("n", n)
    if n < 4:
        raise ValueError("the map needs at least 4 points per side")
    ticks = -extent + 2 * extent * np.arange(n) / n  # periodic grid of [-extent, extent)
    gx, gy = np.meshgrid(ticks, ticks, indexing="xy")
    return ticks, np.stack([gx.ravel(), gy.ravel()], axis=-1)


def probability_map(model: torch.nn.Module, *, extent: float = 1.6, n: int = 128) -> np.ndarray:
    """``sigmoid(f(x))`` of a classifier on the ``n × n`` grid of ``[−extent, extent)²``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(M, 2)`` inputs to ``(M, 1)`` logits.
    extent : float, default 1.6
        Half-width of the square (the paper's Fig. 7 uses 1.6).
    n : int, default 128
        Points per side (``x_j = −extent + 2·extent·j/n``).

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Probabilities; row ``i`` is the ``i``-th value of the second coordinate.

    Raises
    ------
    ValueError
        On invalid ``extent``/``n``, or a non-finite model output.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> probability_map(nets.relu_mlp(2, [8], seed=0), n=8).shape
    (8, 8)
    """
    _, pts = _plane_grid(extent, n)
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    device = param.device if param is not None else torch.device("cpu")
    with torch.no_grad():
        logits = model(torch.tensor(pts, dtype=dtype, device=device)).reshape(-1).double().cpu().numpy()
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model produced non-finite logits")
    return (1.0 / (1.0 + np.exp(-logits))).reshape(n, n)


def knn_probability_map(x, labels, n_neighbors: int, *, extent: float = 1.6, n: int = 128) -> np.ndarray:
    """Class-1 probability of a K-nearest-neighbour classifier on the grid of :func:`probability_map`.

    Parameters
    ----------
    x : array_like, shape (N, 2)
        Training inputs.
    labels : array_like, shape (N,)
        0/1 labels.
    n_neighbors : int
        ``K``, at most ``N``.
    extent, n :
        As :func:`probability_map`.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The fraction of the ``K`` nearest training points labelled 1 (uniform weights).

    Raises
    ------
    ValueError
        On invalid shapes, labels or ``K``.

    Examples
    --------
    >>> d = classification_data(4, 3, 100, seed=0)
    >>> knn_probability_map(d.x, d.y, 5, n=8).shape
    (8, 8)
    """
    from sklearn.neighbors import KNeighborsClassifier

    x, labels = _check_labelled(x, labels)
    K = _check_pos_int("n_neighbors", n_neighbors)
    if K > len(x):
        raise ValueError(f"n_neighbors={K} exceeds the number of points {len(x)}")
    _, pts = _plane_grid(extent, n)
    clf = KNeighborsClassifier(n_neighbors=K).fit(x, labels.astype(int))
    proba = clf.predict_proba(pts)
    col = list(clf.classes_).index(1) if 1 in clf.classes_ else None
    p1 = proba[:, col] if col is not None else np.zeros(len(pts))
    return p1.reshape(n, n)


def _check_labelled(x, labels) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64).ravel()
    if x.ndim != 2 or x.shape[0] != labels.size or x.shape[0] < 1:
        raise ValueError("x must be (N, d) and labels (N,)")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    if not np.all(np.isin(labels, (0.0, 1.0))):
        raise ValueError("labels must be 0 or 1")
    return x, labels


def knn_accuracy(x_train, y_train, x_test, y_test, n_neighbors: int) -> float:
    """Accuracy of a K-nearest-neighbour classifier (uniform weights) on held-out points.

    Parameters
    ----------
    x_train, y_train : array_like
        Training inputs ``(N, d)`` and 0/1 labels ``(N,)``.
    x_test, y_test : array_like
        Test inputs ``(M, d)`` and 0/1 labels ``(M,)``.
    n_neighbors : int
        ``K``.

    Returns
    -------
    float
        Fraction of test points classified correctly.

    Raises
    ------
    ValueError
        On invalid shapes, labels or ``K``.

    Examples
    --------
    >>> tr = classification_data(0, 3, 200, seed=0)
    >>> te = classification_data(0, 3, 200, seed=0, offset=0.5)
    >>> knn_accuracy(tr.x, tr.y, te.x, te.y, 5) > 0.9
    True
    """
    from sklearn.neighbors import KNeighborsClassifier

    x_train, y_train = _check_labelled(x_train, y_train)
    x_test, y_test = _check_labelled(x_test, y_test)
    K = _check_pos_int("n_neighbors", n_neighbors)
    if K > len(x_train):
        raise ValueError(f"n_neighbors={K} exceeds the number of training points {len(x_train)}")
    clf = KNeighborsClassifier(n_neighbors=K).fit(x_train, y_train.astype(int))
    return float(np.mean(clf.predict(x_test) == y_test.astype(int)))


def radial_spectrum(image, extent: float, *, n_bins: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Radial spectrum ``ζ(k) = k ∫_0^{2π} |f~(k, φ)| dφ`` of a map sampled on a square grid.

    Rahaman et al. (App. E.2) define ``ζ(k) = d/dk ∫_0^k dk' k' ∫ dφ |f~(k', φ)|``, i.e. the
    integral of ``|f~|`` over the circle of radius ``k``.  The map (mean removed) is
    transformed with a 2-D FFT scaled by the pixel area (``f~ ≈ h² Σ f e^{−ik·x}``),
    and ``|f~|`` is summed over annuli of width ``Δk = 2π / (2·extent)`` (one frequency
    step), divided by ``Δk``.

    Parameters
    ----------
    image : array_like, shape (n, n)
        The map on the grid of ``[−extent, extent)²`` (as :func:`probability_map`).
    extent : float
        Half-width of the square.
    n_bins : int, optional
        Number of annuli (default ``n // 2``, up to the Nyquist wavenumber).

    Returns
    -------
    (k, zeta) : tuple of numpy.ndarray, shape (n_bins,)
        Annulus centres (angular wavenumber) and ``ζ``.

    Raises
    ------
    ValueError
        If the image is not square, too small, or not finite.

    Examples
    --------
    >>> k, zeta = radial_spectrum(np.ones((16, 16)), 1.0)
    >>> float(np.abs(zeta).max())
    0.0
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim != 2 or img.shape[0] != img.shape[1] or img.shape[0] < 4:
        raise ValueError("image must be a square 2-D array with at least 4 points per side")
    if not np.all(np.isfinite(img)):
        raise ValueError("image contains NaN or infinite values")
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be positive and finite, got {extent!r}")
    n = img.shape[0]
    h = 2 * extent / n
    n_bins = n // 2 if n_bins is None else _check_pos_int("n_bins", n_bins)
    mag = np.abs(np.fft.fft2(img - img.mean())) * h * h
    freqs = 2 * np.pi * np.fft.fftfreq(n, d=h)
    kx, ky = np.meshgrid(freqs, freqs, indexing="xy")
    kr = np.hypot(kx, ky)
    dk = 2 * np.pi / (2 * extent)
    edges = dk * (np.arange(n_bins + 1) + 0.5)
    idx = np.digitize(kr.ravel(), edges) - 1
    keep = (idx >= 0) & (idx < n_bins)
    zeta = np.bincount(idx[keep], weights=mag.ravel()[keep], minlength=n_bins) / dk
    return 0.5 * (edges[1:] + edges[:-1]), zeta


def spectral_centroid(k, zeta) -> float:
    """Mean wavenumber of a radial spectrum, ``Σ k ζ(k) / Σ ζ(k)``: lower means smoother.

    Parameters
    ----------
    k, zeta : array_like, shape (m,)
        Wavenumbers and a non-negative spectrum, not all zero.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On mismatched shapes, negative or all-zero spectra.

    Examples
    --------
    >>> spectral_centroid([1.0, 3.0], [1.0, 1.0])
    2.0
    """
    k = np.asarray(k, dtype=np.float64)
    zeta = np.asarray(zeta, dtype=np.float64)
    if k.shape != zeta.shape or k.ndim != 1 or k.size == 0:
        raise ValueError("k and zeta must be 1-D arrays of the same length")
    if not (np.all(np.isfinite(k)) and np.all(np.isfinite(zeta))) or np.any(zeta < 0):
        raise ValueError("k and zeta must be finite and zeta non-negative")
    total = zeta.sum()
    if total <= 0:
        raise ValueError("the spectrum is identically zero")
    return float((k * zeta).sum() / total)


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
        On invalid arguments.

    Examples
    --------
    >>> from scipy.special import jv
    >>> bool(np.isclose(kernel_profile(0, 3, [2.0])[0], abs(jv(3, 2.0))))
    True
    """
    nu = _check_pos_int("nu", nu)
    n_alpha = _check_pos_int("n_alpha", n_alpha)
    kk = np.atleast_1d(np.asarray(k, dtype=np.float64))
    if kk.ndim != 1:
        raise ValueError("k must be 1-D")
    alpha = 2 * np.pi * np.arange(n_alpha) / n_alpha
    out = np.empty(kk.size)
    for j, kj in enumerate(kk):
        P = composition_kernel(L, nu, np.full(n_alpha, kj), alpha)
        out[j] = np.abs(P[:, nu]).max()
    return out


# ---------------------------------------------------------------------------------------
# Experiment runners (Exp5, Exp6, App. E.2)
# ---------------------------------------------------------------------------------------


def _check_config(cfg, fields: Sequence[str], what: str) -> None:
    missing = [f for f in fields if not hasattr(cfg, f)]
    if missing:
        raise TypeError(f"{what} config lacks fields {missing}; use spectral_lib.configs.get(...)")


@dataclass
class Exp5Result:
    """Exp5's records: one model per ``(L, run)``.

    Attributes
    ----------
    petals, runs : numpy.ndarray, shape (K,)
        ``L`` and run index of each model (the run seeds phases and initialisation).
    freqs : numpy.ndarray, shape (m,)
        Latent frequencies of the target.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps.
    loss : numpy.ndarray, shape (n_rec, K)
        Training MSE.
    amplitudes : numpy.ndarray, shape (n_rec, K, m)
        Normalised amplitudes ``2|F[k_i]|`` of ``f∘γ_L`` on the latent grid.
    """

    petals: np.ndarray
    runs: np.ndarray
    freqs: np.ndarray
    steps: np.ndarray
    loss: np.ndarray
    amplitudes: np.ndarray

    def top_half(self) -> np.ndarray:
        """Mean normalised amplitude of the upper half of the frequencies, ``(n_rec, K)``."""
        return self.amplitudes[..., self.freqs.size // 2 :].mean(axis=-1)


def run_exp5(cfg, *, progress: bool = False, device=None) -> Exp5Result:
    """Train Exp5: every ``(L, run)`` as one batched ensemble, each model with its own data.

    Model ``(L, r)`` fits ``Σ_i sin(2π k_i z + φ_i)`` (phases seeded by ``r``) on
    ``γ_L``, from a :func:`spectral_lib.nets.relu_mlp` initialised with seed ``r``, by
    full-batch Adam on the MSE.

    Parameters
    ----------
    cfg : Exp5Config
        From ``configs.get("exp5")``: ``hidden``, ``lr``, ``steps``, ``n_runs``,
        ``record_every``, ``petals``, ``freqs``, ``n_points``.
    progress : bool, default False
        Show the engine's progress bar.
    device : str or torch.device, optional
        Training device.

    Returns
    -------
    Exp5Result

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> cfg = dataclasses.replace(configs.get("exp5", "book"), steps=2, n_runs=1, hidden=(8,),
    ...                           petals=(0, 4), record_every=1)
    >>> run_exp5(cfg).amplitudes.shape
    (3, 2, 10)
    """
    from . import nets, train

    _check_config(cfg, ("hidden", "lr", "steps", "n_runs", "record_every", "petals", "freqs", "n_points"),
                  "Exp5")
    freqs = _check_freqs(cfg.freqs)
    pairs = [(int(L), r) for L in cfg.petals for r in range(int(cfg.n_runs))]
    data = [regression_data(L, freqs, cfg.n_points, seed=r) for L, r in pairs]
    x, y = stack_datasets(data)
    models = [nets.relu_mlp(2, list(cfg.hidden), 1, seed=r) for _, r in pairs]
    hist = train.train_full_batch(
        models, x, y, steps=cfg.steps, lr=cfg.lr, loss="mse", record_every=cfg.record_every,
        recorders=[train.AmplitudeRecorder(freqs=freqs)], progress=progress, device=device,
    )
    return Exp5Result(
        petals=np.array([p[0] for p in pairs]), runs=np.array([p[1] for p in pairs]), freqs=freqs,
        steps=hist.steps, loss=hist.loss, amplitudes=hist.amplitudes,
    )


@dataclass
class Exp6Result:
    """Exp6's grid of classifiers and the two initialisations of Fig. 7.

    Attributes
    ----------
    freqs, petals : numpy.ndarray
        Grid axes (rows: frequency ``k``; columns: ``L``).
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps.
    loss : numpy.ndarray, shape (n_rec, n_k, n_L)
        Training BCE of the grid models.
    accuracy : numpy.ndarray, shape (n_rec, n_k, n_L)
        Training accuracy (``logit > 0``) of the grid models.
    test_accuracy : numpy.ndarray, shape (n_k, n_L)
        Final accuracy on held-out points halfway between the training points.
    models : dict
        ``(k, L) -> trained model`` of the grid.
    data : dict
        ``(k, L) -> (train ManifoldData, test ManifoldData)``.
    fig7 : tuple
        ``(k, L)`` of Fig. 7.
    fig7_models : list of torch.nn.Module
        Trained models from different initialisations on the Fig. 7 data.
    fig7_accuracy : numpy.ndarray
        Their final training accuracies.
    """

    freqs: np.ndarray
    petals: np.ndarray
    steps: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    test_accuracy: np.ndarray
    models: dict
    data: dict
    fig7: tuple
    fig7_models: list
    fig7_accuracy: np.ndarray


def run_exp6(cfg, *, progress: bool = False, device=None) -> Exp6Result:
    """Train Exp6: the ``k × L`` grid and Fig. 7's extra initialisations as one ensemble.

    Grid model ``(k, L)`` classifies ``1[sin(2πkz + φ) > cfg.threshold]`` on ``γ_L``
    (phase seeded by ``cfg.data_seed``) from a network initialised with ``cfg.init_seed``;
    Fig. 7's ``(k, L) = cfg.fig7`` is trained from ``cfg.n_inits`` initialisations
    (``init_seed, init_seed + 1, ...``), reusing the grid's run when it is in the grid.

    Parameters
    ----------
    cfg : Exp6Config
        From ``configs.get("exp6")``.
    progress : bool, default False
        Show the engine's progress bar.
    device : str or torch.device, optional
        Training device.

    Returns
    -------
    Exp6Result

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> cfg = dataclasses.replace(configs.get("exp6", "book"), steps=2, hidden=(8,), freqs=(50, 150),
    ...                           petals=(0, 20), record_every=1)
    >>> run_exp6(cfg).accuracy.shape
    (3, 2, 2)
    """
    from . import nets, train

    _check_config(cfg, ("hidden", "lr", "steps", "record_every", "freqs", "petals", "n_points", "threshold",
                        "data_seed", "init_seed", "fig7", "n_inits"), "Exp6")
    ks = [int(k) for k in _check_freqs(cfg.freqs)]
    Ls = [_check_petals(L) for L in cfg.petals]
    n_inits = _check_pos_int("n_inits", cfg.n_inits)
    fk, fL = int(cfg.fig7[0]), _check_petals(cfg.fig7[1])
    members = [(k, L, int(cfg.init_seed)) for k in ks for L in Ls]
    fig7_members = [(fk, fL, int(cfg.init_seed) + i) for i in range(n_inits)]
    extra = [mbr for mbr in fig7_members if mbr not in members]
    all_members = members + extra
    train_sets = {(k, L): classification_data(L, k, cfg.n_points, cfg.data_seed, threshold=cfg.threshold)
                  for k, L, _ in all_members}
    test_sets = {(k, L): classification_data(L, k, cfg.n_points, cfg.data_seed, threshold=cfg.threshold,
                                             offset=0.5) for k, L, _ in all_members}
    x, y = stack_datasets([train_sets[(k, L)] for k, L, _ in all_members])
    models = [nets.relu_mlp(2, list(cfg.hidden), 1, seed=s) for _, _, s in all_members]
    hist = train.train_full_batch(
        models, x, y, steps=cfg.steps, lr=cfg.lr, loss="bce", record_every=cfg.record_every,
        recorders=[train.PredictionRecorder()], progress=progress, device=device,
    )
    labels = y[..., 0].numpy()
    acc_all = ((hist.predictions > 0) == (labels[None] > 0.5)).mean(axis=-1)
    n_grid = len(members)
    shape = (len(ks), len(Ls))
    trained = hist.models
    test_acc = np.empty(n_grid)
    for i, (k, L, _) in enumerate(members):
        test_acc[i] = classifier_accuracy(trained[i], test_sets[(k, L)])
    index = {mbr: i for i, mbr in enumerate(all_members)}
    fig7_idx = [index[mbr] for mbr in fig7_members]
    return Exp6Result(
        freqs=np.array(ks), petals=np.array(Ls), steps=hist.steps,
        loss=hist.loss[:, :n_grid].reshape(-1, *shape), accuracy=acc_all[:, :n_grid].reshape(-1, *shape),
        test_accuracy=test_acc.reshape(shape),
        models={(k, L): trained[i] for i, (k, L, _) in enumerate(members)},
        data={key: (train_sets[key], test_sets[key]) for key in train_sets},
        fig7=(fk, fL), fig7_models=[trained[i] for i in fig7_idx], fig7_accuracy=acc_all[-1, fig7_idx],
    )


def classifier_accuracy(model: torch.nn.Module, data: ManifoldData) -> float:
    """Accuracy of a logit classifier (``f(x) > 0`` predicts 1) on a labelled data set.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(N, 2)`` to ``(N, 1)`` logits.
    data : ManifoldData
        Inputs and 0/1 labels.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the labels are not 0/1 or the logits are not finite.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> 0.0 <= classifier_accuracy(nets.relu_mlp(2, [4], seed=0), classification_data(0, 3, 50, 0)) <= 1.0
    True
    """
    x, labels = _check_labelled(data.x, data.y)
    param = next(model.parameters())
    with torch.no_grad():
        logits = model(torch.tensor(x, dtype=param.dtype, device=param.device)).reshape(-1).cpu().numpy()
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model produced non-finite logits")
    return float(np.mean((logits > 0) == (labels > 0.5)))


@dataclass
class KNNResult:
    """App. E.2: KNN classifiers against the network on Exp6's data.

    Attributes
    ----------
    neighbors : numpy.ndarray, shape (n_K,)
        The ``K`` of each KNN.
    petals : numpy.ndarray, shape (n_L,)
        Petal counts of the accuracy comparison.
    freq : int
        The latent frequency ``k``.
    knn_test_accuracy : numpy.ndarray, shape (n_K, n_L)
        KNN accuracy on held-out points.
    dnn_test_accuracy : numpy.ndarray, shape (n_L,)
        The network's accuracy on the same points.
    map_L : int
        ``L`` of the probability maps.
    wavenumbers : numpy.ndarray, shape (n_bins,)
        Radial wavenumbers of the spectra.
    dnn_map, knn_maps : numpy.ndarray
        Probability maps, ``(n, n)`` and ``(n_K, n, n)``.
    dnn_spectrum, knn_spectra : numpy.ndarray
        Radial spectra ``ζ``, ``(n_bins,)`` and ``(n_K, n_bins)``.
    dnn_centroid, knn_centroids : float, numpy.ndarray
        Spectral centroids (mean wavenumber, lower is smoother).
    """

    neighbors: np.ndarray
    petals: np.ndarray
    freq: int
    knn_test_accuracy: np.ndarray
    dnn_test_accuracy: np.ndarray
    map_L: int
    wavenumbers: np.ndarray
    dnn_map: np.ndarray
    knn_maps: np.ndarray
    dnn_spectrum: np.ndarray
    knn_spectra: np.ndarray
    dnn_centroid: float
    knn_centroids: np.ndarray


def run_knn(cfg, exp6: Exp6Result) -> KNNResult:
    """Compare KNN classifiers with Exp6's networks (Rahaman et al., App. E.2).

    KNN (``K`` in ``cfg.neighbors``) is fitted on the same training points as the network
    at frequency ``cfg.freq`` for every ``L`` in ``cfg.petals``; both are scored on the
    held-out points halfway between training points.  On ``L = cfg.map_L`` the
    probability maps on ``[−extent, extent)²`` and their radial spectra are compared.

    Parameters
    ----------
    cfg : KNNConfig
        From ``configs.get("knn")``.
    exp6 : Exp6Result
        Must contain ``(cfg.freq, L)`` for every ``L`` in ``cfg.petals`` and ``cfg.map_L``.

    Returns
    -------
    KNNResult

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.
    ValueError
        If Exp6's grid lacks a needed ``(k, L)``.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> e6 = run_exp6(dataclasses.replace(configs.get("exp6", "book"), steps=1, hidden=(8,),
    ...                                   freqs=(150,), petals=(0, 20), record_every=1))
    >>> r = run_knn(dataclasses.replace(configs.get("knn", "book"), petals=(0, 20), map_size=16), e6)
    >>> r.knn_test_accuracy.shape
    (4, 2)
    """
    _check_config(cfg, ("freq", "petals", "neighbors", "map_L", "extent", "map_size"), "KNN")
    k = int(_check_freqs([cfg.freq])[0])
    Ls = [_check_petals(L) for L in cfg.petals]
    Ks = [_check_pos_int("neighbors", K) for K in cfg.neighbors]
    for L in [*Ls, cfg.map_L]:
        if (k, L) not in exp6.models:
            raise ValueError(f"Exp6's grid lacks (k, L) = ({k}, {L}); add it to the exp6 config")
    knn_acc = np.empty((len(Ks), len(Ls)))
    dnn_acc = np.empty(len(Ls))
    for j, L in enumerate(Ls):
        tr, te = exp6.data[(k, L)]
        dnn_acc[j] = classifier_accuracy(exp6.models[(k, L)], te)
        for i, K in enumerate(Ks):
            knn_acc[i, j] = knn_accuracy(tr.x, tr.y, te.x, te.y, K)
    tr, _ = exp6.data[(k, cfg.map_L)]
    dnn_map = probability_map(exp6.models[(k, cfg.map_L)], extent=cfg.extent, n=cfg.map_size)
    knn_maps = np.stack([knn_probability_map(tr.x, tr.y, K, extent=cfg.extent, n=cfg.map_size) for K in Ks])
    kr, dnn_spec = radial_spectrum(dnn_map, cfg.extent)
    knn_specs = np.stack([radial_spectrum(mp, cfg.extent)[1] for mp in knn_maps])
    return KNNResult(
        neighbors=np.array(Ks), petals=np.array(Ls), freq=k, knn_test_accuracy=knn_acc,
        dnn_test_accuracy=dnn_acc, map_L=int(cfg.map_L), wavenumbers=kr, dnn_map=dnn_map, knn_maps=knn_maps,
        dnn_spectrum=dnn_spec, knn_spectra=knn_specs, dnn_centroid=spectral_centroid(kr, dnn_spec),
        knn_centroids=np.array([spectral_centroid(kr, s) for s in knn_specs]),
    )


# ---------------------------------------------------------------------------------------
# Exp8: curved (denoising-autoencoder) vs flat manifolds on scikit-learn's digits
# ---------------------------------------------------------------------------------------


def load_digits_unit() -> np.ndarray:
    """scikit-learn's bundled 8×8 digits as ``(1797, 64)`` float64 pixels in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ImportError
        If scikit-learn is not installed.

    Examples
    --------
    >>> load_digits_unit().shape
    (1797, 64)
    """
    from sklearn.datasets import load_digits

    return load_digits().data.astype(np.float64) / 16.0


def train_dae(images, *, latent_dim: int, hidden: int, steps: int, lr: float, noise: float,
              n_copies: int, seed: int, device=None) -> torch.nn.Sequential:
    """Train a denoising autoencoder ``d → hidden → latent_dim → hidden → d`` (ReLU) on images.

    The training set holds ``n_copies`` noisy versions ``x + noise·ε`` (``ε ~ N(0, 1)``,
    seeded) of every image, each with the clean image as its target; training is full
    batch through :func:`spectral_lib.train.train_full_batch` (MSE, Adam).  The decoder
    (the layers after the latent ReLU) maps the ``latent_dim``-dimensional code space onto
    a curved, piecewise-linear manifold of dimension at most ``latent_dim`` in ``R^d``.

    Parameters
    ----------
    images : array_like, shape (N, d)
        Clean inputs.
    latent_dim, hidden : int
        Code and hidden widths.
    steps : int
        Training steps.
    lr : float
        Adam learning rate.
    noise : float
        Standard deviation of the corruption (``>= 0``).
    n_copies : int
        Noisy copies per image.
    seed : int
        Seeds the corruption and the initialisation.
    device : str or torch.device, optional
        Training device.

    Returns
    -------
    torch.nn.Sequential
        The trained autoencoder (``Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear``).

    Raises
    ------
    ValueError
        On invalid arguments.

    Examples
    --------
    >>> dae = train_dae(load_digits_unit()[:50], latent_dim=4, hidden=16, steps=2, lr=1e-3, noise=0.2,
    ...                 n_copies=1, seed=0)
    >>> len(dae)
    7
    """
    from . import nets, train

    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or not np.all(np.isfinite(x)):
        raise ValueError("images must be a finite (N, d) array with N >= 2")
    latent_dim = _check_pos_int("latent_dim", latent_dim)
    hidden = _check_pos_int("hidden", hidden)
    n_copies = _check_pos_int("n_copies", n_copies)
    seed = _check_seed(seed)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be finite and >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    clean = np.tile(x, (n_copies, 1))
    noisy = clean + noise * rng.standard_normal(clean.shape)
    net = nets.relu_mlp(x.shape[1], [hidden, latent_dim, hidden], x.shape[1], seed=seed)
    hist = train.train_full_batch(
        [net], torch.tensor(noisy, dtype=torch.float32), torch.tensor(clean, dtype=torch.float32),
        steps=steps, lr=lr, loss="mse", record_every=max(1, steps), progress=False, device=device,
    )
    return hist.models[0]


def dae_manifold_points(dae: torch.nn.Sequential, images) -> np.ndarray:
    """Reconstructions ``decoder(encoder(x))``: points on the DAE's manifold.

    Parameters
    ----------
    dae : torch.nn.Sequential
        As returned by :func:`train_dae`.
    images : array_like, shape (N, d)
        Inputs.

    Returns
    -------
    numpy.ndarray, shape (N, d)
        float64.

    Raises
    ------
    ValueError
        If the output is not finite.

    Examples
    --------
    >>> imgs = load_digits_unit()[:20]
    >>> dae = train_dae(imgs, latent_dim=4, hidden=16, steps=1, lr=1e-3, noise=0.2, n_copies=1, seed=0)
    >>> dae_manifold_points(dae, imgs).shape
    (20, 64)
    """
    x = np.asarray(images, dtype=np.float64)
    param = next(dae.parameters())
    with torch.no_grad():
        out = dae(torch.tensor(x, dtype=param.dtype, device=param.device)).double().cpu().numpy()
    if not np.all(np.isfinite(out)):
        raise ValueError("the autoencoder produced non-finite outputs")
    return out


def flat_manifold_points(n_points: int, dim: int, ambient: int, seed: int, *,
                         scale: float = 1.0) -> np.ndarray:
    """Rahaman et al.'s flat manifold: the first ``dim`` coordinates ``~ U[0, scale]``, the rest 0.

    Parameters
    ----------
    n_points, dim, ambient : int
        Number of points, manifold and ambient dimensions (``dim <= ambient``).
    seed : int
        Seed of the uniform draws.
    scale : float, default 1.0
        Side of the cube (positive).

    Returns
    -------
    numpy.ndarray, shape (n_points, ambient)

    Raises
    ------
    ValueError
        On invalid sizes or scale.

    Examples
    --------
    >>> flat_manifold_points(5, 2, 4, seed=0)[:, 2:].max()
    np.float64(0.0)
    """
    n_points = _check_pos_int("n_points", n_points)
    dim = _check_pos_int("dim", dim)
    ambient = _check_pos_int("ambient", ambient)
    if dim > ambient:
        raise ValueError(f"dim={dim} exceeds ambient={ambient}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be positive and finite, got {scale!r}")
    pts = np.zeros((n_points, ambient))
    pts[:, :dim] = scale * np.random.default_rng(_check_seed(seed)).uniform(size=(n_points, dim))
    return pts


def nearest_neighbour_distances(points) -> np.ndarray:
    """Distance from every point to its nearest other point.

    Parameters
    ----------
    points : array_like, shape (N, d)
        ``N >= 2`` finite points.

    Returns
    -------
    numpy.ndarray, shape (N,)

    Raises
    ------
    ValueError
        On invalid input.

    Examples
    --------
    >>> nearest_neighbour_distances([[0.0], [1.0], [3.0]])
    array([1., 1., 2.])
    """
    from scipy.spatial.distance import cdist

    p = np.asarray(points, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] < 2 or not np.all(np.isfinite(p)):
        raise ValueError("points must be a finite (N, d) array with N >= 2")
    d = cdist(p, p)
    np.fill_diagonal(d, np.inf)
    return d.min(axis=1)


@dataclass
class Exp8Result:
    """Exp8: white noise fitted on a curved (DAE) and on flat manifolds.

    Attributes
    ----------
    names : tuple of str
        Manifolds: ``"dae"`` (curved), ``"flat"`` (unit cube, the paper's construction) and
        ``"flat_matched"`` (cube rescaled to the DAE points' median nearest-neighbour distance).
    runs : int
        Runs per manifold.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps.
    loss : numpy.ndarray, shape (n_rec, n_manifolds, runs)
        Training MSE divided by the variance of the white-noise targets (1 = no fit).
    dae_error : float
        The DAE's mean squared reconstruction error per pixel on the clean digits.
    nn_distances : dict
        Nearest-neighbour distance of every point, per manifold.
    latent_dim : int
        Manifold dimension.
    """

    names: tuple
    runs: int
    steps: np.ndarray
    loss: np.ndarray
    dae_error: float
    nn_distances: dict
    latent_dim: int

    def final_loss(self) -> dict:
        """Relative training loss at the last step, ``name -> (runs,)``."""
        return {name: self.loss[-1, i] for i, name in enumerate(self.names)}


def run_exp8(cfg, *, progress: bool = False, device=None) -> Exp8Result:
    """Fit white noise ``U[0, 1]`` on the DAE manifold and on flat manifolds with identical nets.

    One DAE (latent ``cfg.latent_dim``) is trained on the digits; ``cfg.n_points`` digits
    (a seeded subset) are mapped to their reconstructions (curved manifold).  The flat
    manifolds have the same number of points and dimension in the same ambient space.
    Every ``(manifold, run)`` pair draws its own targets and initialisation (seed ``run``)
    and trains in one batched ensemble.

    Parameters
    ----------
    cfg : Exp8Config
        From ``configs.get("exp8")``.
    progress : bool, default False
        Show the engine's progress bar.
    device : str or torch.device, optional
        Training device.

    Returns
    -------
    Exp8Result

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> cfg = dataclasses.replace(configs.get("exp8", "book"), dae_steps=2, steps=2, n_points=40,
    ...                           hidden=(8,), record_every=1, n_runs=1)
    >>> run_exp8(cfg).loss.shape
    (3, 3, 1)
    """
    from . import nets, train

    _check_config(cfg, ("latent_dim", "dae_hidden", "dae_steps", "dae_lr", "dae_noise", "dae_copies",
                        "n_points", "hidden", "lr", "steps", "n_runs", "record_every", "seed"), "Exp8")
    images = load_digits_unit()
    n_points = _check_pos_int("n_points", cfg.n_points)
    if n_points > len(images):
        raise ValueError(f"n_points={n_points} exceeds the {len(images)} digits")
    dae = train_dae(images, latent_dim=cfg.latent_dim, hidden=cfg.dae_hidden, steps=cfg.dae_steps,
                    lr=cfg.dae_lr, noise=cfg.dae_noise, n_copies=cfg.dae_copies, seed=cfg.seed, device=device)
    dae_error = float(np.mean((dae_manifold_points(dae, images) - images) ** 2))
    subset = np.random.default_rng(cfg.seed).choice(len(images), size=n_points, replace=False)
    curved = dae_manifold_points(dae, images[subset])
    flat = flat_manifold_points(n_points, cfg.latent_dim, images.shape[1], seed=cfg.seed)
    nn_curved = nearest_neighbour_distances(curved)
    nn_flat = nearest_neighbour_distances(flat)
    matched = flat * (np.median(nn_curved) / np.median(nn_flat))
    manifolds = {"dae": curved, "flat": flat, "flat_matched": matched}
    names = tuple(manifolds)
    runs = _check_pos_int("n_runs", cfg.n_runs)
    xs, ys, models = [], [], []
    for name in names:
        for r in range(runs):
            xs.append(manifolds[name])
            ys.append(np.random.default_rng(1000 + r).uniform(size=n_points))
            models.append(nets.relu_mlp(images.shape[1], list(cfg.hidden), 1, seed=r))
    x = torch.tensor(np.stack(xs), dtype=torch.float32)
    y = torch.tensor(np.stack(ys)[..., None], dtype=torch.float32)
    hist = train.train_full_batch(models, x, y, steps=cfg.steps, lr=cfg.lr, loss="mse",
                                  record_every=cfg.record_every, progress=progress, device=device)
    variance = np.stack(ys).var(axis=1)
    rel = hist.loss / variance[None, :]
    return Exp8Result(
        names=names, runs=runs, steps=hist.steps, loss=rel.reshape(len(hist.steps), len(names), runs),
        dae_error=dae_error,
        nn_distances={"dae": nn_curved, "flat": nn_flat,
                      "flat_matched": nearest_neighbour_distances(matched)},
        latent_dim=int(cfg.latent_dim),
    )
