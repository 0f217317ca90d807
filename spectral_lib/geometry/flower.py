"""The flower curve of Rahaman et al.'s manifold experiments, and its geometry.

Rahaman et al. (Sec. 4, App. C.7) place the data on a manifold ``M = γ([0, 1])`` and fit a
target given in the latent coordinate ``z``; their curve is the "flower"

``γ_L(z) = (1 + ½ sin 2πLz)(cos 2πz, sin 2πz)``,

a circle (``L = 0``) whose radius oscillates ``L`` times per turn. This module holds

* the curve and its derivative: :func:`flower_curve`, :func:`flower_velocity`,
  :func:`flower_speed`, and :func:`speed_squared_symbolic` (the squared speed derived with
  sympy);
* its length: :func:`arc_length` (adaptive quadrature), :func:`max_speed` (closed form) and
  :func:`length_bounds` (closed-form bounds), gathered per ``L`` by :func:`geometry_table`
  with the input-space frequency that a latent frequency becomes;
* :func:`latent_grid`, the grid ``z_n = n/N`` of the official code.

Latent frequencies are in cycles per unit latent interval. The data sets on the curve are
in ``spectral_lib.datasets.manifold`` and the spectrum of a function composed with it in
``spectral_lib.spectra.jacobi_anger``; the chapters *Not all manifolds are equal* and
*Manifolds: classification, nearest neighbours and autoencoders* use them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spectral_lib import validation


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
    L = validation.check_nonnegative_int("L (number of petals)", L)
    z = validation.as_finite_array("z", z)
    r = 1.0 + 0.5 * np.sin(2 * np.pi * L * z)
    return np.stack([r * np.cos(2 * np.pi * z), r * np.sin(2 * np.pi * z)], axis=-1)


def flower_velocity(z, L: int) -> np.ndarray:
    """The velocity ``γ_L'(z)`` in closed form.

    With ``r(z) = 1 + ½ sin 2πLz`` and ``u(z) = (cos 2πz, sin 2πz)``,
    ``γ' = r' u + 2π r u⊥`` where ``r' = πL cos 2πLz`` and ``u⊥ = (−sin 2πz, cos 2πz)``.

    Parameters
    ----------
    z, L
        As in :func:`flower_curve`.

    Returns
    -------
    numpy.ndarray, shape ``z.shape + (2,)``
        ``dγ/dz``, float64.

    Raises
    ------
    ValueError
        As :func:`flower_curve`.

    Examples
    --------
    >>> flower_velocity([0.0], 0).round(12)
    array([[0.        , 6.28318531]])
    """
    L = validation.check_nonnegative_int("L (number of petals)", L)
    z = validation.as_finite_array("z", z)
    r = 1.0 + 0.5 * np.sin(2 * np.pi * L * z)
    dr = np.pi * L * np.cos(2 * np.pi * L * z)
    c, s = np.cos(2 * np.pi * z), np.sin(2 * np.pi * z)
    return np.stack([dr * c - 2 * np.pi * r * s, dr * s + 2 * np.pi * r * c], axis=-1)


def flower_speed(z, L: int) -> np.ndarray:
    """The speed ``|γ_L'(z)| = π sqrt(L² cos²θ + (2 + sin θ)²)`` with ``θ = 2πLz``.

    It is the norm of :func:`flower_velocity`, in a form with no square of a sum.

    Parameters
    ----------
    z : array_like
    L : int
        The latent coordinates and the number of petals, as in :func:`flower_curve`.

    Returns
    -------
    numpy.ndarray, shape ``z.shape``
        The speed, float64.

    Raises
    ------
    ValueError
        On the arguments :func:`flower_curve` rejects.

    Examples
    --------
    >>> float(flower_speed(0.3, 0)) == 2 * np.pi
    True
    """
    L = validation.check_nonnegative_int("L (number of petals)", L)
    theta = 2 * np.pi * L * validation.as_finite_array("z", z)
    return np.pi * np.sqrt((L * np.cos(theta)) ** 2 + (2 + np.sin(theta)) ** 2)


def speed_squared_symbolic():
    """Derive ``|γ_L'(z)|²`` with sympy from the definition of the curve.

    Returns
    -------
    (expr, z, L) : (sympy.Expr, sympy.Symbol, sympy.Symbol)
        The simplified squared speed and the symbols it is written in.  It equals
        ``π² (L² cos²(2πLz) + (2 + sin 2πLz)²)``.

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

    L = validation.check_nonnegative_int("L (number of petals)", L)
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
        As in :func:`arc_length`.

    Returns
    -------
    float
        ``max_z |γ_L'(z)|``.

    Raises
    ------
    ValueError
        If ``L`` is not a valid number of petals.

    Examples
    --------
    >>> round(max_speed(1) / np.pi, 12)
    3.0
    """
    L = validation.check_nonnegative_int("L (number of petals)", L)
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
        The number of petals (a non-negative integer, else ``ValueError``).

    Returns
    -------
    (lower, upper) : tuple of float
        The two bounds (both ``2π`` for the circle).

    Raises
    ------
    ValueError
        For an invalid ``L``, as :func:`arc_length`.

    Examples
    --------
    >>> lo, hi = length_bounds(4)
    >>> lo <= arc_length(4) <= hi
    True
    """
    L = validation.check_nonnegative_int("L (number of petals)", L)
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
    Ls = [validation.check_nonnegative_int("L (number of petals)", L) for L in Ls]
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
    n_points = validation.check_positive_int("n_points", n_points)
    if n_points < 2:
        raise ValueError("n_points must be at least 2")
    return np.arange(n_points) / n_points
