"""The infinite-width kernels of ReLU networks in closed form, and their spectra on spheres.

Cho & Saul's **arc-cosine kernels** of degree 0 and 1 are, for ``ρ = cos φ`` the cosine of
the angle between two inputs,

.. math::

    κ_0(ρ) = \\frac{π - \\arccos ρ}{π}, \\qquad
    κ_1(ρ) = \\frac{\\sqrt{1 - ρ^2} + (π - \\arccos ρ)\\,ρ}{π},

so that for ``w ~ N(0, I)``, ``2 E[step(wᵀx) step(wᵀy)] = κ_0(ρ)`` and
``2 E[relu(wᵀx) relu(wᵀy)] = ‖x‖‖y‖ κ_1(ρ)`` (:func:`arccos_kernel`).

They give the neural tangent kernel (Jacot et al., 2018; Arora et al., 2019) of a ReLU
network with ``L`` hidden layers of width ``m`` in the **NTK parametrisation** with He
scaling, all weights and biases ``N(0, 1)`` and trained,

.. math::

    f^{(1)} = W^{(1)} x + β b^{(1)}, \\qquad
    f^{(h+1)} = \\sqrt{2/m}\\, W^{(h+1)} \\mathrm{relu}(f^{(h)}) + β b^{(h+1)}, \\qquad
    f(x) = f^{(L+1)}(x),

as ``m → ∞``, by the recursion (with ``ρ_h = Σ_h(x, y)/\\sqrt{Σ_h(x, x) Σ_h(y, y)}``)

.. math::

    Σ_1 = xᵀy + β^2, \\quad
    Σ_{h+1} = \\sqrt{Σ_h(x,x) Σ_h(y,y)}\\, κ_1(ρ_h) + β^2, \\quad
    Θ_1 = Σ_1, \\quad Θ_{h+1} = Θ_h\\, κ_0(ρ_h) + Σ_{h+1};

``Σ_{L+1}`` is the output's covariance (the NNGP kernel, :func:`relu_nngp`) and
``Θ_{L+1}`` the NTK (:func:`relu_ntk`). ``β = 0`` is the network without biases. On unit
vectors the kernels depend on ``t = xᵀy`` only (:func:`relu_kernel_zonal`), and by the
Funk–Hecke theorem their eigenfunctions on the sphere ``S^{d-1}`` are the spherical
harmonics, degree ``ℓ`` having the eigenvalue :func:`zonal_eigenvalues` with multiplicity
:func:`harmonic_multiplicity`. :func:`fibonacci_sphere` gives quasi-uniform points on
``S²`` for Gram matrices.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
from scipy import special

from spectral_lib import validation


def _check_bias(bias) -> float:
    return validation.check_nonnegative_float("bias", bias)


def _cosines(t, name: str = "t") -> np.ndarray:
    t = validation.as_finite_array(name, t)
    if np.any(np.abs(t) > 1 + 1e-9):
        raise ValueError(f"{name} must lie in [-1, 1] (cosines of angles)")
    return np.clip(t, -1.0, 1.0)


@lru_cache(maxsize=8)
def _theta_rule(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on ``[0, π]`` (cached: read-only arrays)."""
    u, w = special.roots_legendre(n_nodes)
    theta, w = 0.5 * np.pi * (u + 1.0), 0.5 * np.pi * w
    theta.setflags(write=False)
    w.setflags(write=False)
    return theta, w


def arccos_kernel(t, order: int) -> np.ndarray:
    """Cho & Saul's arc-cosine kernel of degree 0 or 1, normalised so that ``κ_n(1) = 1``.

    Parameters
    ----------
    t : array_like
        Cosines ``ρ`` of angles between inputs, in ``[-1, 1]``.
    order : {0, 1}
        ``κ_0(ρ) = (π - arccos ρ)/π`` (``2 E[step(u) step(v)]``) or
        ``κ_1(ρ) = (√(1-ρ²) + (π - arccos ρ) ρ)/π`` (``2 E[relu(u) relu(v)]`` for unit
        variances and correlation ``ρ``).

    Returns
    -------
    numpy.ndarray
        Same shape as ``t``, float64.

    Raises
    ------
    ValueError
        If ``t`` is not finite or leaves ``[-1, 1]``, or ``order`` is not 0 or 1.

    Examples
    --------
    >>> arccos_kernel([1.0, 0.0, -1.0], 0)
    array([1. , 0.5, 0. ])
    >>> bool(np.isclose(arccos_kernel(0.0, 1), 1 / np.pi))
    True
    """
    t = _cosines(t)
    if isinstance(order, bool) or order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order!r}")
    phi = np.arccos(t)
    if order == 0:
        return (np.pi - phi) / np.pi
    return (np.sqrt(np.clip(1.0 - t * t, 0.0, None)) + (np.pi - phi) * t) / np.pi


def _recursion(sxx, syy, sxy, depth: int, bias: float) -> tuple[np.ndarray, np.ndarray]:
    """NNGP ``Σ_{L+1}`` and NTK ``Θ_{L+1}`` from the first layer's covariances."""
    b2 = bias * bias
    sigma = sxy + b2
    sxx, syy = sxx + b2, syy + b2
    if np.any(sxx <= 0) or np.any(syy <= 0):
        raise ValueError("an input is zero and bias is 0: its angle to other inputs is undefined")
    theta = sigma.copy()
    for _ in range(depth):
        norm = np.sqrt(sxx * syy)
        rho = np.clip(sigma / norm, -1.0, 1.0)
        sigma = norm * arccos_kernel(rho, 1) + b2
        theta = theta * arccos_kernel(rho, 0) + sigma
        sxx, syy = sxx + b2, syy + b2  # κ_1(1) = 1
    return sigma, theta


def _pair(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = validation.as_matrix(x, "x", allow_1d=True)
    y = x if y is None else validation.as_matrix(y, "y", allow_1d=True)
    if y.shape[1] != x.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {x.shape[1]} and {y.shape[1]}")
    return x, y


def _gram(x, y, depth, bias, which: int) -> np.ndarray:
    depth = validation.check_positive_int("depth", depth)
    bias = _check_bias(bias)
    x, y = _pair(x, y)
    sxx = np.sum(x * x, axis=1)[:, None]
    syy = np.sum(y * y, axis=1)[None, :]
    return _recursion(sxx, syy, x @ y.T, depth, bias)[which]


def relu_ntk(x, y=None, *, depth: int = 1, bias: float = 0.0) -> np.ndarray:
    """Infinite-width NTK ``Θ_{L+1}(x_i, y_j)`` of a ReLU network (NTK parametrisation, He scaling).

    The network is the one in the module's docstring: ``depth`` hidden ReLU layers, weights
    and biases ``N(0, 1)``, hidden layers scaled by ``√(2/m)``, biases by ``bias``, all
    trained; the empirical NTK ``∇_θ f(x)·∇_θ f(y)`` of such a network of width ``m``
    tends to this kernel as ``m → ∞``.

    Parameters
    ----------
    x : array_like, shape (N, d) or (N,)
        Inputs (a 1-D array is ``N`` inputs of dimension 1).
    y : array_like, shape (M, d) or (M,), optional
        Second set of inputs (default ``x``).
    depth : int, default 1
        Number of hidden layers ``L >= 1`` (1 is the two-layer network).
    bias : float, default 0.0
        Bias scale ``β >= 0``; ``0`` is the network without biases.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        ``Θ_{L+1}(x_i, y_j)``.

    Raises
    ------
    ValueError
        If the inputs are not finite, of different dimensions, or zero while ``bias == 0``;
        if ``depth`` is not a positive integer or ``bias`` is negative.

    Examples
    --------
    >>> K = relu_ntk(np.array([[1.0, 0.0], [0.0, 1.0]]), depth=1)
    >>> bool(np.allclose(K, [[2, 1 / np.pi], [1 / np.pi, 2]]))  # Θ = κ_1(ρ) + ρ κ_0(ρ)
    True
    """
    return _gram(x, y, depth, bias, 1)


def relu_nngp(x, y=None, *, depth: int = 1, bias: float = 0.0) -> np.ndarray:
    """Infinite-width output covariance ``Σ_{L+1}(x_i, y_j)`` (NNGP kernel) of the same network.

    Parameters
    ----------
    x, y, depth, bias
        As in :func:`relu_ntk`.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        ``Σ_{L+1}(x_i, y_j)``.

    Raises
    ------
    ValueError
        As :func:`relu_ntk`.

    Examples
    --------
    >>> K = relu_nngp(np.array([[1.0, 0.0], [-1.0, 0.0]]), bias=1.0)  # Σ_1 = [[2, 0], [0, 2]]
    >>> bool(np.allclose(K, [[3, 1 + 2 / np.pi], [1 + 2 / np.pi, 3]]))  # 2 κ_1(ρ) + β², ρ = 1 or 0
    True
    """
    return _gram(x, y, depth, bias, 0)


def relu_kernel_zonal(t, *, depth: int = 1, bias: float = 0.0, kind: str = "ntk") -> np.ndarray:
    """The NTK (or NNGP kernel) on unit vectors as a function of their cosine ``t = xᵀy``.

    On the unit sphere every layer's variance is the same at every input,
    ``Σ_h(x, x) = 1 + h β²``, so the kernels of :func:`relu_ntk` and :func:`relu_nngp` are
    zonal: ``K(x, y) = g(xᵀy)``.

    Parameters
    ----------
    t : array_like
        Cosines in ``[-1, 1]``.
    depth, bias
        As in :func:`relu_ntk`.
    kind : {"ntk", "nngp"}, default "ntk"

    Returns
    -------
    numpy.ndarray
        ``g(t)``, same shape as ``t``.

    Raises
    ------
    ValueError
        If ``t`` leaves ``[-1, 1]``, ``kind`` is unknown, or ``depth``/``bias`` is invalid.

    Examples
    --------
    >>> relu_kernel_zonal([1.0, -1.0], depth=1).round(12)  # κ_1 + t κ_0
    array([2., 0.])
    """
    if kind not in ("ntk", "nngp"):
        raise ValueError(f"kind must be 'ntk' or 'nngp', got {kind!r}")
    depth = validation.check_positive_int("depth", depth)
    bias = _check_bias(bias)
    t = _cosines(t)
    one = np.ones_like(t)
    return _recursion(one, one, t, depth, bias)[0 if kind == "nngp" else 1]


def harmonic_multiplicity(dim: int, degree: int) -> int:
    """Dimension of the space of spherical harmonics of degree ``ℓ`` on ``S^{d-1} ⊂ ℝ^d``.

    Parameters
    ----------
    dim : int
        Ambient dimension ``d >= 2``.
    degree : int
        ``ℓ >= 0``.

    Returns
    -------
    int
        ``1`` for ``ℓ = 0``; ``2`` on the circle; ``2ℓ + 1`` on ``S²``; in general
        ``(2ℓ + d - 2)/ℓ · C(ℓ + d - 3, ℓ - 1)``.

    Raises
    ------
    ValueError
        If ``dim < 2`` or ``degree < 0``.

    Examples
    --------
    >>> [harmonic_multiplicity(3, l) for l in range(4)]
    [1, 3, 5, 7]
    """
    d = validation.check_positive_int("dim", dim)
    if d < 2:
        raise ValueError(f"dim must be at least 2, got {dim}")
    ell = validation.check_nonnegative_int("degree", degree)
    if ell == 0:
        return 1
    return int(round((2 * ell + d - 2) / ell * special.comb(ell + d - 3, ell - 1, exact=True)))


def zonal_eigenvalues(g: Callable, degrees, *, dim: int, n_nodes: int = 2048) -> np.ndarray:
    """Funk–Hecke eigenvalues of a zonal kernel ``K(x, y) = g(xᵀy)`` on ``S^{d-1}``.

    For the uniform probability measure on the sphere, the integral operator of ``K`` acts
    on the spherical harmonics of degree ``ℓ`` as multiplication by

    .. math::

        μ_ℓ = c_d \\int_0^π g(\\cos θ)\\, P_ℓ^{(d)}(\\cos θ)\\, \\sin^{d-2} θ \\, dθ ,
        \\qquad c_d = \\frac{Γ(d/2)}{\\sqrt{π}\\, Γ((d-1)/2)},

    with ``P_ℓ^{(d)}`` the Legendre (Gegenbauer) polynomial of dimension ``d`` normalised
    to ``P_ℓ^{(d)}(1) = 1`` (``cos ℓθ`` on the circle, ``P_ℓ`` on ``S²``). The integral is
    computed by Gauss–Legendre quadrature in ``θ``: the ReLU kernels are analytic in ``θ``
    on the closed interval ``[0, π]`` (their kinks sit at its ends), so the rule converges
    fast once ``n_nodes`` exceeds the largest degree.

    Parameters
    ----------
    g : callable
        Vectorised ``g(t)`` for ``t`` in ``[-1, 1]``.
    degrees : sequence of int
        Degrees ``ℓ >= 0``.
    dim : int
        Ambient dimension ``d >= 2``.
    n_nodes : int, default 2048
        Quadrature nodes; must exceed ``max(degrees)``.

    Returns
    -------
    numpy.ndarray, shape (len(degrees),)
        ``μ_ℓ``; the Gram matrix ``K(x_i, x_j)`` on ``N`` uniform points has eigenvalues
        close to ``N μ_ℓ``, each with multiplicity :func:`harmonic_multiplicity`.

    Raises
    ------
    TypeError
        If ``g`` is not callable.
    ValueError
        If a degree is negative or not an integer, ``dim < 2``, ``n_nodes <= max(degrees)``,
        or ``g`` returns values that are not finite or of the wrong shape.

    Examples
    --------
    >>> mu = zonal_eigenvalues(lambda t: t, [0, 1, 2], dim=3)  # g(t) = t: degree 1 only, 1/3
    >>> bool(np.allclose(mu, [0, 1 / 3, 0]))
    True
    """
    if not callable(g):
        raise TypeError(f"g must be callable, got {type(g).__name__}")
    d = validation.check_positive_int("dim", dim)
    if d < 2:
        raise ValueError(f"dim must be at least 2, got {dim}")
    ell = np.asarray(degrees)
    if ell.ndim != 1 or ell.size == 0 or not np.all(np.equal(np.round(ell), ell)) or np.any(ell < 0):
        raise ValueError(f"degrees must be a non-empty sequence of non-negative integers, got {degrees!r}")
    ell = ell.astype(int)
    n_nodes = validation.check_positive_int("n_nodes", n_nodes)
    if n_nodes <= ell.max():
        raise ValueError(f"n_nodes = {n_nodes} must exceed the largest degree {ell.max()}")
    theta, w = _theta_rule(n_nodes)
    t = np.cos(theta)
    vals = np.asarray(g(t), dtype=np.float64)
    if vals.shape != t.shape or not np.all(np.isfinite(vals)):
        raise ValueError("g must return finite values of the shape of its argument")
    c = special.gamma(d / 2) / (np.sqrt(np.pi) * special.gamma((d - 1) / 2))
    weight = w * np.sin(theta) ** (d - 2) * vals
    if d == 2:
        poly = np.cos(ell[:, None] * theta[None, :])
    elif d == 3:
        poly = special.eval_legendre(ell[:, None], t[None, :])
    else:
        a = (d - 2) / 2
        at_one = special.eval_gegenbauer(ell, a, 1.0)[:, None]
        poly = special.eval_gegenbauer(ell[:, None], a, t[None, :]) / at_one
    return c * poly @ weight


def fibonacci_sphere(n: int) -> np.ndarray:
    """``n`` quasi-uniform points on the unit sphere ``S² ⊂ ℝ³`` (the Fibonacci lattice).

    Point ``i`` has height ``z_i = 1 - (2i + 1)/n`` and longitude ``i`` times the golden
    angle ``π(3 - √5)``: equal-area bands, deterministic.

    Parameters
    ----------
    n : int
        Number of points (>= 1).

    Returns
    -------
    numpy.ndarray, shape (n, 3)
        Unit vectors.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer.

    Examples
    --------
    >>> x = fibonacci_sphere(100)
    >>> x.shape, bool(np.allclose(np.linalg.norm(x, axis=1), 1)), bool(abs(x[:, 2].mean()) < 1e-12)
    ((100, 3), True, True)
    """
    n = validation.check_positive_int("n", n)
    i = np.arange(n)
    z = 1.0 - (2 * i + 1) / n
    r = np.sqrt(np.clip(1.0 - z * z, 0.0, None))
    phi = np.pi * (3.0 - np.sqrt(5.0)) * i
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)
