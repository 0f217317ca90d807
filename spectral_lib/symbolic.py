"""Symbolic (sympy) derivations of the Fourier transform of piecewise-linear functions.

The theory chapters derive Rahaman et al.'s Fourier results step by step with sympy and
then turn the closed forms into vectorised numpy functions.  Convention (as in the whole
book): ``f~(k) = ∫ f(x) exp(-i k·x) dx`` with angular wavenumber ``k``.

One dimension
    :func:`piece_transform` (a linear piece on an interval), :func:`hinge_transform`
    (the ramp ``max(0, x - t)`` on an interval), :func:`integration_by_parts_1d` (the
    general identity for a function with ``f''`` a sum of deltas) and
    :func:`cpwl_transform_1d` (the general continuous piecewise-linear function with
    ``n`` kinks: the sum of its pieces' transforms equals kink terms plus boundary terms).
    :func:`transform_1d` evaluates the closed forms numerically (lambdified once).

Two dimensions
    :func:`polygon_transform` is Lemma 2 of Rahaman et al. (Diaz, Le & Robins' recursion
    over faces: polygon -> edges -> vertices, via the divergence theorem), and
    :func:`polygon_transform_direct` integrates the same indicator directly over a fan of
    triangles, an independent derivation.  :func:`linear_polygon_transform_direct` does the
    same for an affine function on a polygon, and :func:`lemma1_transform` is Lemma 1
    (the transform of a CPWL function from its gradients and its regions' indicator
    transforms) with a selectable sign, to exhibit the paper's sign slip.
    :func:`polygon_transform_along` restricts a transform to a ray ``k = κ·u`` and handles
    edges parallel to ``k``'s normal exactly; :func:`decay_order` reads off the power of
    ``κ`` that dominates as ``κ -> ∞``.

Helpers
    :func:`lambdify_k` turns an expression in ``k`` (or ``k1, k2``) into a broadcasting
    numpy function. :func:`rms_envelope` and :func:`decay_exponent` measure the decay rate
    of an oscillating transform numerically (RMS in log-spaced windows, then a log-log fit),
    to compare with the exponents derived here.

All functions are pure: they build fresh sympy symbols with fixed names (``k``, ``k1``,
``k2``, ``kappa``, ...), so expressions from different calls combine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = [
    "k_symbol",
    "k_symbols_2d",
    "kappa_symbol",
    "piece_transform",
    "hinge_transform",
    "integration_by_parts_1d",
    "CPWL1D",
    "cpwl_transform_1d",
    "transform_1d",
    "tent_1d",
    "lemma1_transform_1d",
    "segment_transform",
    "polygon_transform",
    "polygon_transform_direct",
    "linear_polygon_transform_direct",
    "hat_function_2d",
    "lemma1_transform",
    "polygon_transform_along",
    "decay_order",
    "lambdify_k",
    "rms_envelope",
    "decay_exponent",
    "edge_normal_angles",
    "farthest_direction",
    "line_chord",
]

I = sp.I


# --------------------------------------------------------------------------------------
# Symbols
# --------------------------------------------------------------------------------------


def k_symbol() -> sp.Symbol:
    """The 1-D angular wavenumber ``k`` (a positive real sympy symbol).

    Returns
    -------
    sympy.Symbol
        ``k`` with ``positive=True``; the formulas below hold for ``k != 0``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> k_symbol().is_positive
    True
    """
    return sp.Symbol("k", positive=True)


def k_symbols_2d() -> tuple[sp.Symbol, sp.Symbol]:
    """The 2-D wavevector components ``(k1, k2)`` (real sympy symbols).

    Returns
    -------
    tuple of sympy.Symbol
        ``(k1, k2)``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> [s.name for s in k_symbols_2d()]
    ['k1', 'k2']
    """
    return sp.Symbol("k1", real=True), sp.Symbol("k2", real=True)


def kappa_symbol() -> sp.Symbol:
    """The radial wavenumber ``kappa`` along a fixed direction (positive real).

    Returns
    -------
    sympy.Symbol
        ``kappa`` with ``positive=True``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> kappa_symbol().name
    'kappa'
    """
    return sp.Symbol("kappa", positive=True)


# --------------------------------------------------------------------------------------
# One dimension
# --------------------------------------------------------------------------------------


def piece_transform() -> sp.Expr:
    """Transform of one linear piece: ``∫_u^v (s x + c) e^{-ikx} dx``, derived by sympy.

    Returns
    -------
    sympy.Expr
        A closed form in the real symbols ``u, v, s, c`` and the positive symbol ``k``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> e = piece_transform()
    >>> u, v, s, c = sp.symbols("u v s c", real=True)
    >>> sp.simplify(e.subs({u: 0, v: 1, s: 0, c: 1}) - (1 - sp.exp(-I * k_symbol())) / (I * k_symbol()))
    0
    """
    x = sp.Symbol("x", real=True)
    u, v, s, c = sp.symbols("u v s c", real=True)
    k = k_symbol()
    return sp.integrate((s * x + c) * sp.exp(-I * k * x), (x, u, v))


def hinge_transform() -> sp.Expr:
    """Transform of the hinge ``max(0, x - t)`` restricted to ``[a, b]`` with ``a <= t <= b``.

    The hinge vanishes on ``[a, t]``, so the integral is the piece transform on ``[t, b]``
    with slope 1 and intercept ``-t``.

    Returns
    -------
    sympy.Expr
        A closed form in the real symbols ``t, b`` and ``k``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> t, b = sp.symbols("t b", real=True)
    >>> k = k_symbol()
    >>> h = hinge_transform()
    >>> sp.simplify(h - (I * (b - t) / k * sp.exp(-I * k * b)
    ...                  + (sp.exp(-I * k * b) - sp.exp(-I * k * t)) / k**2))
    0
    """
    t, b = sp.symbols("t b", real=True)
    u, v, s, c = sp.symbols("u v s c", real=True)
    return sp.expand(piece_transform().subs({u: t, v: b, s: 1, c: -t}))


def integration_by_parts_1d() -> tuple[sp.Expr, sp.Expr]:
    """Integrate ``∫_a^b f(x) e^{-ikx} dx`` by parts twice, for an abstract ``f``.

    With ``E(x) = i e^{-ikx}/k`` (an antiderivative of ``e^{-ikx}``) and
    ``E_2(x) = -e^{-ikx}/k²`` (one of ``E``), both computed by sympy,

    ``∫_a^b f e^{-ikx} = [f E]_a^b - [f' E_2]_a^b + ∫_a^b f'' E_2 dx``.

    Returns
    -------
    boundary : sympy.Expr
        ``[f E]_a^b - [f' E_2]_a^b`` in terms of ``f(a), f(b)`` and the one-sided slopes,
        written with the symbols ``fa, fb, sa, sb`` (``sa = f'(a+)``, ``sb = f'(b-)``).
    kernel : sympy.Expr
        ``E_2(x)``, the factor multiplying ``f''`` under the remaining integral.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> boundary, kernel = integration_by_parts_1d()
    >>> sp.simplify(kernel + sp.exp(-I * k_symbol() * sp.Symbol("x", real=True)) / k_symbol()**2)
    0
    """
    x = sp.Symbol("x", real=True)
    a, b = sp.symbols("a b", real=True)
    k = k_symbol()
    fa, fb, sa, sb = sp.symbols("fa fb sa sb", real=True)
    E = sp.integrate(sp.exp(-I * k * x), x)
    E2 = sp.integrate(E, x)
    boundary = (fb * E.subs(x, b) - fa * E.subs(x, a)) - (sb * E2.subs(x, b) - sa * E2.subs(x, a))
    return sp.expand(boundary), E2


@dataclass(frozen=True)
class CPWL1D:
    """A continuous piecewise-linear function on ``[a, b]`` with ``n`` kinks, symbolically.

    Attributes
    ----------
    a, b : sympy.Symbol
        The interval's ends.
    knots : tuple of sympy.Symbol
        The kinks ``x_1 < ... < x_n`` inside ``(a, b)``.
    slopes : tuple of sympy.Symbol
        ``s_0, ..., s_n``: the slope on each of the ``n + 1`` pieces.
    fa : sympy.Symbol
        The value ``f(a)``; intercepts follow from continuity.
    pieces_sum : sympy.Expr
        ``Σ_j ∫_{x_j}^{x_{j+1}} (s_j x + c_j) e^{-ikx} dx``, piece by piece.
    kink_part : sympy.Expr
        ``-(1/k²) Σ_j Δs_j e^{-ikx_j}`` with ``Δs_j = s_j - s_{j-1}``, from ``f''`` as a sum of
        deltas.
    boundary_part : sympy.Expr
        ``(i/k)[f(b)e^{-ikb} - f(a)e^{-ika}] + (1/k²)[s_n e^{-ikb} - s_0 e^{-ika}]``.
    """

    a: sp.Symbol
    b: sp.Symbol
    knots: tuple
    slopes: tuple
    fa: sp.Symbol
    pieces_sum: sp.Expr
    kink_part: sp.Expr
    boundary_part: sp.Expr

    @property
    def closed_form(self) -> sp.Expr:
        """``kink_part + boundary_part``."""
        return self.kink_part + self.boundary_part

    def residual(self) -> sp.Expr:
        """``pieces_sum - closed_form``, expanded and simplified (``0`` when they agree)."""
        return sp.simplify(sp.expand(self.pieces_sum - self.closed_form))


def cpwl_transform_1d(n_kinks: int) -> CPWL1D:
    """Derive the windowed transform of a 1-D CPWL function with ``n_kinks`` kinks.

    The function has value ``fa`` at ``a`` and slope ``s_j`` on ``[x_j, x_{j+1}]``
    (``x_0 = a``, ``x_{n+1} = b``); its intercepts follow from continuity. Two derivations
    are returned side by side: the sum of :func:`piece_transform` over the pieces, and
    :func:`integration_by_parts_1d` with ``f'' = Σ_j Δs_j δ(x - x_j)`` (the delta integrals
    done by sympy). :meth:`CPWL1D.residual` checks that they agree.

    Parameters
    ----------
    n_kinks : int
        Number of kinks, ``0 <= n_kinks <= 8`` (the expressions grow quickly).

    Returns
    -------
    CPWL1D
        Symbols and the expressions of both derivations.

    Raises
    ------
    ValueError
        If ``n_kinks`` is not an integer in ``0..8``.

    Examples
    --------
    >>> cpwl_transform_1d(1).residual()
    0
    """
    if isinstance(n_kinks, bool) or not isinstance(n_kinks, (int, np.integer)) or not 0 <= n_kinks <= 8:
        raise ValueError(f"n_kinks must be an integer in 0..8, got {n_kinks!r}")
    n = int(n_kinks)
    x = sp.Symbol("x", real=True)
    a, b = sp.symbols("a b", real=True)
    knots = tuple(sp.Symbol(f"x_{j}", real=True) for j in range(1, n + 1))
    slopes = tuple(sp.Symbol(f"s_{j}", real=True) for j in range(n + 1))
    fa = sp.Symbol("fa", real=True)
    ends = (a, *knots, b)
    # Continuity fixes the intercepts: c_0 = fa - s_0 a, c_j = c_{j-1} + (s_{j-1} - s_j) x_j.
    intercepts = [fa - slopes[0] * a]
    for j in range(1, n + 1):
        intercepts.append(intercepts[-1] + (slopes[j - 1] - slopes[j]) * knots[j - 1])
    u, v, s, c = sp.symbols("u v s c", real=True)
    piece = piece_transform()
    pieces_sum = sum(
        piece.subs({u: ends[j], v: ends[j + 1], s: slopes[j], c: intercepts[j]}, simultaneous=True)
        for j in range(n + 1)
    )
    boundary, kernel = integration_by_parts_1d()
    fb = slopes[-1] * b + intercepts[-1]
    fa_s, fb_s, sa_s, sb_s = sp.symbols("fa fb sa sb", real=True)
    boundary = boundary.subs({fa_s: fa, fb_s: fb, sa_s: slopes[0], sb_s: slopes[-1]}, simultaneous=True)
    f2 = sum((slopes[j] - slopes[j - 1]) * sp.DiracDelta(x - knots[j - 1]) for j in range(1, n + 1))
    # The deltas sit strictly inside (a, b), so integrating over the whole line is the same.
    kink = sp.integrate(sp.expand(f2 * kernel), (x, -sp.oo, sp.oo)) if n else sp.Integer(0)
    return CPWL1D(a, b, knots, slopes, fa, pieces_sum, sp.expand(kink), sp.expand(boundary))


@lru_cache(maxsize=1)
def _lambdified_1d() -> tuple[Callable, Callable, Callable]:
    """Numpy versions of the per-piece, per-kink and boundary terms (derived once)."""
    k = k_symbol()
    u, v, s, c = sp.symbols("u v s c", real=True)
    piece = sp.lambdify((u, v, s, c, k), piece_transform(), "numpy")
    one = cpwl_transform_1d(1)
    xj, ds = sp.Symbol("x_j", real=True), sp.Symbol("ds", real=True)
    kink_term = one.kink_part.subs({one.slopes[1]: ds + one.slopes[0]}).subs(one.knots[0], xj)
    kink = sp.lambdify((xj, ds, k), sp.simplify(kink_term), "numpy")
    boundary, _ = integration_by_parts_1d()
    a, b = sp.symbols("a b", real=True)
    fa, fb, sa, sb = sp.symbols("fa fb sa sb", real=True)
    bnd = sp.lambdify((a, b, fa, fb, sa, sb, k), boundary, "numpy")
    return piece, kink, bnd


def _check_pieces(knots, slopes, intercepts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    knots = np.asarray(knots, dtype=np.float64)
    slopes = np.asarray(slopes, dtype=np.float64)
    intercepts = np.asarray(intercepts, dtype=np.float64)
    if knots.ndim != 1 or knots.size < 2:
        raise ValueError("knots must be a 1-D array with at least the two interval ends")
    if slopes.shape != (knots.size - 1,) or intercepts.shape != slopes.shape:
        raise ValueError(
            f"need one slope and one intercept per piece: {knots.size - 1} pieces, got "
            f"{slopes.shape} slopes and {intercepts.shape} intercepts"
        )
    for name, arr in (("knots", knots), ("slopes", slopes), ("intercepts", intercepts)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contain NaN or infinite values")
    if np.any(np.diff(knots) < 0) or knots[-1] <= knots[0]:
        raise ValueError("knots must be non-decreasing and span a non-empty interval")
    return knots, slopes, intercepts


def transform_1d(knots, slopes, intercepts, k, part: str = "windowed") -> np.ndarray:
    """Evaluate the lambdified closed forms of :func:`cpwl_transform_1d` numerically.

    ``f(x) = slopes[i] * x + intercepts[i]`` on ``[knots[i], knots[i+1]]`` (the layout of
    ``pwl.pieces_1d``); the function is assumed continuous at the inner knots.

    Parameters
    ----------
    knots : array_like, shape (n + 1,)
        Non-decreasing, first and last the interval's ends ``a < b``.
    slopes, intercepts : array_like, shape (n,)
        One per piece.
    k : array_like of float
        Non-zero angular wavenumbers, any shape.
    part : {"windowed", "pieces", "kinks", "boundary"}, default "windowed"
        ``"pieces"``: the sum of the pieces' transforms; ``"kinks"``:
        ``-(1/k²) Σ Δs_j e^{-ikx_j}`` over the inner knots; ``"boundary"``: the boundary
        terms; ``"windowed"``: kinks + boundary (equal to ``"pieces"``).

    Returns
    -------
    numpy.ndarray of complex
        Same shape as ``k``.

    Raises
    ------
    ValueError
        On inconsistent shapes, non-finite input, a zero ``k`` or an unknown ``part``.

    Examples
    --------
    >>> F = transform_1d([0.0, 0.5, 1.0], [1.0, -1.0], [0.0, 1.0], [2.0, 7.0], "pieces")
    >>> G = transform_1d([0.0, 0.5, 1.0], [1.0, -1.0], [0.0, 1.0], [2.0, 7.0], "windowed")
    >>> bool(np.allclose(F, G))
    True
    """
    if part not in ("windowed", "pieces", "kinks", "boundary"):
        raise ValueError(f"part must be 'windowed', 'pieces', 'kinks' or 'boundary', got {part!r}")
    knots, slopes, intercepts = _check_pieces(knots, slopes, intercepts)
    k = np.asarray(k, dtype=np.float64)
    if not np.all(np.isfinite(k)) or np.any(k == 0):
        raise ValueError("k must be finite and non-zero")
    piece, kink, bnd = _lambdified_1d()
    if part == "pieces":
        kk = k[..., None]
        return np.sum(piece(knots[:-1], knots[1:], slopes, intercepts, kk), axis=-1)
    out = np.zeros(k.shape, dtype=np.complex128)
    if part in ("windowed", "kinks") and slopes.size > 1:
        out = out + np.sum(kink(knots[1:-1], np.diff(slopes), k[..., None]), axis=-1)
    if part in ("windowed", "boundary"):
        a, b = knots[0], knots[-1]
        fa = slopes[0] * a + intercepts[0]
        fb = slopes[-1] * b + intercepts[-1]
        out = out + bnd(a, b, fa, fb, slopes[0], slopes[-1], k)
    return out


def tent_1d() -> tuple[list[tuple[sp.Expr, sp.Expr]], list[sp.Expr]]:
    """The tent ``max(0, 1 - |x|)`` as a CPWL function with compact support.

    Returns
    -------
    intervals : list of (sympy.Expr, sympy.Expr)
        The two regions ``[-1, 0]`` and ``[0, 1]``.
    slopes : list of sympy.Expr
        Its slope on each: ``1`` and ``-1``.

    Raises
    ------
    None
        Takes no input and raises no exception of its own.

    Examples
    --------
    >>> tent_1d()[1]
    [1, -1]
    """
    return [(sp.Integer(-1), sp.Integer(0)), (sp.Integer(0), sp.Integer(1))], [sp.Integer(1), sp.Integer(-1)]


def lemma1_transform_1d(intervals, slopes, sign: int = -1) -> sp.Expr:
    """Lemma 1 in one dimension: ``sign · i Σ_ε (s_ε k / k²) 1~_{P_ε}(k)``.

    ``1~_{[u,v]}(k) = ∫_u^v e^{-ikx} dx`` is computed by sympy. With this book's convention
    ``sign = -1`` is correct; Rahaman et al. print ``sign = +1``.

    Parameters
    ----------
    intervals : sequence of (u, v)
        The regions of a compactly supported CPWL function (sympy numbers or symbols).
    slopes : sequence
        The slope on each region.
    sign : {-1, +1}, default -1
        The sign in front of ``i``.

    Returns
    -------
    sympy.Expr
        An expression in ``k``.

    Raises
    ------
    ValueError
        If ``sign`` is not ±1 or the lengths differ.

    Examples
    --------
    >>> iv, sl = tent_1d()
    >>> k = k_symbol()
    >>> sp.simplify(lemma1_transform_1d(iv, sl) - (2 - 2 * sp.cos(k)) / k**2)
    0
    """
    if sign not in (-1, 1):
        raise ValueError(f"sign must be -1 or +1, got {sign!r}")
    if len(intervals) != len(slopes):
        raise ValueError("need one slope per interval")
    x = sp.Symbol("x", real=True)
    k = k_symbol()
    total = sp.Integer(0)
    for (u, v), s in zip(intervals, slopes, strict=True):
        ind = sp.integrate(sp.exp(-I * k * x), (x, u, v))
        total += s * k / k**2 * ind
    return sp.expand(sign * I * total)


# --------------------------------------------------------------------------------------
# Two dimensions: polygons (Lemma 2), affine functions on polygons (Lemma 1)
# --------------------------------------------------------------------------------------


def _as_vertices(vertices) -> list[tuple[sp.Expr, sp.Expr]]:
    try:
        pts = [(sp.nsimplify(p[0], rational=True), sp.nsimplify(p[1], rational=True)) for p in vertices]
    except (TypeError, IndexError, sp.SympifyError) as err:
        raise TypeError("vertices must be a sequence of (x, y) number pairs") from err
    if len(pts) < 3:
        raise ValueError(f"a polygon needs at least 3 vertices, got {len(pts)}")
    for p in pts:
        if not all(q.is_real and q.is_finite for q in p):
            raise ValueError(f"vertices must be finite real numbers, got {p}")
    m = len(pts)
    area2 = sum(pts[i][0] * pts[(i + 1) % m][1] - pts[(i + 1) % m][0] * pts[i][1] for i in range(m))
    if area2 <= 0:
        raise ValueError("vertices must be listed counter-clockwise and enclose a positive area")
    for i in range(len(pts)):
        p0, p1, p2 = pts[i], pts[(i + 1) % len(pts)], pts[(i + 2) % len(pts)]
        cross = (p1[0] - p0[0]) * (p2[1] - p1[1]) - (p1[1] - p0[1]) * (p2[0] - p1[0])
        if cross <= 0:
            raise ValueError("the polygon must be strictly convex (no repeated or collinear vertices)")
    return pts


def _finite_pair(name: str, p) -> tuple:
    """``p`` as a pair of finite real numbers (ValueError otherwise)."""
    try:
        pair = tuple(p)
        ok = len(pair) == 2 and all(
            not isinstance(c, (bool, str)) and np.isfinite(float(c)) for c in pair
        )
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{name} must be a pair of finite real numbers, got {p!r}")
    return pair


def segment_transform(u, v, k=None) -> sp.Expr:
    """``∫_E e^{-ik·x} ds`` over the segment ``E`` from ``u`` to ``v`` (arc length ``ds``).

    Derived by sympy on the parametrisation ``x = u + t (v - u)``; the closed form assumes
    ``k·(v - u) != 0`` (for ``k`` orthogonal to the segment the value is ``|E| e^{-ik·u}``,
    see :func:`polygon_transform_along`).

    Parameters
    ----------
    u, v : pair of numbers
        The end points (converted to exact rationals).
    k : pair of sympy expressions, optional
        The wavevector; defaults to the symbols ``(k1, k2)``.

    Returns
    -------
    sympy.Expr
        ``i |E| (e^{-ik·v} - e^{-ik·u}) / (k·(v - u))``.

    Raises
    ------
    ValueError
        If ``u`` or ``v`` is not a pair of finite real numbers, ``k`` is not a pair, or the
        segment has zero length.

    Examples
    --------
    >>> k1, k2 = k_symbols_2d()
    >>> sp.simplify(segment_transform((0, 0), (1, 0)) - I * (sp.exp(-I * k1) - 1) / k1)
    0
    """
    if k is None:
        k1, k2 = k_symbols_2d()
    else:
        try:
            k1, k2 = k
        except (TypeError, ValueError) as err:
            raise ValueError(f"k must be a pair, got {k!r}") from err
    u = [sp.nsimplify(c, rational=True) for c in _finite_pair("u", u)]
    v = [sp.nsimplify(c, rational=True) for c in _finite_pair("v", v)]
    d = (v[0] - u[0], v[1] - u[1])
    length = sp.sqrt(d[0] ** 2 + d[1] ** 2)
    if length == 0:
        raise ValueError("the segment has zero length")
    t = sp.Symbol("t", real=True)
    beta = sp.Symbol("beta", real=True, nonzero=True)  # beta = k·(v - u), generic
    integral = sp.integrate(sp.exp(-I * beta * t), (t, 0, 1), conds="none")
    phase_u = sp.exp(-I * (k1 * u[0] + k2 * u[1]))
    return sp.expand(length * phase_u * integral.subs(beta, k1 * d[0] + k2 * d[1]))


def polygon_transform(vertices, k=None) -> sp.Expr:
    """Lemma 2 for a convex polygon: ``1~_P(k)`` by the divergence theorem (generic ``k``).

    ``e^{-ik·x} = ∇·(i k e^{-ik·x} / |k|²)``, so ``1~_P(k) = i Σ_E (k·n_E / |k|²) ∫_E e^{-ik·x} ds``
    over the edges ``E`` with outward unit normals ``n_E``, and each edge integral is
    :func:`segment_transform`, itself the recursion one level down (edge -> its two
    vertices). This is Diaz, Le & Robins' formula used by Rahaman et al. for Lemma 2.

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    k : pair of sympy expressions, optional
        The wavevector; defaults to ``(k1, k2)``.

    Returns
    -------
    sympy.Expr
        A closed form valid where ``k`` is not orthogonal to any edge.

    Raises
    ------
    ValueError, TypeError
        On fewer than three vertices, a clockwise or non-convex polygon, non-numbers.

    Examples
    --------
    >>> k1, k2 = k_symbols_2d()
    >>> e = polygon_transform([(0, 0), (1, 0), (1, 1), (0, 1)])
    >>> sp.simplify(e - (1 - sp.exp(-I * k1)) * (1 - sp.exp(-I * k2)) / (-k1 * k2))
    0
    """
    pts = _as_vertices(vertices)
    k1, k2 = k_symbols_2d() if k is None else k
    total = sp.Integer(0)
    for i in range(len(pts)):
        u, v = pts[i], pts[(i + 1) % len(pts)]
        d = (v[0] - u[0], v[1] - u[1])
        length = sp.sqrt(d[0] ** 2 + d[1] ** 2)
        n = (d[1] / length, -d[0] / length)  # outward for a counter-clockwise polygon
        total += I * (k1 * n[0] + k2 * n[1]) / (k1**2 + k2**2) * segment_transform(u, v, (k1, k2))
    return sp.expand(total)


@lru_cache(maxsize=1)
def _reference_triangle() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``∫∫_{s,t>=0, s+t<=1} {1, s, t} e^{-i(αs + βt)} dt ds`` for generic α, β (sympy)."""
    s, t = sp.symbols("s t", real=True)
    al, be = sp.symbols("alpha beta", real=True, nonzero=True)
    out = []
    for w in (sp.Integer(1), s, t):
        inner = sp.integrate(w * sp.exp(-I * be * t), (t, 0, 1 - s), conds="none")
        out.append(sp.integrate(sp.expand(sp.exp(-I * al * s) * inner), (s, 0, 1), conds="none"))
    return tuple(out)


def linear_polygon_transform_direct(vertices, grad=(0, 0), offset=1, k=None) -> sp.Expr:
    """``∫_P (g·x + o) e^{-ik·x} dx`` by direct integration over a fan of triangles.

    Each triangle ``(v0, v_i, v_{i+1})`` is mapped to the reference triangle and integrated
    by sympy (no divergence theorem): an independent route to the same closed forms.

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    grad : pair of numbers, default (0, 0)
        ``g``.
    offset : number, default 1
        ``o``. The defaults give the indicator ``1_P``.
    k : pair of sympy expressions, optional
        The wavevector; defaults to ``(k1, k2)``.

    Returns
    -------
    sympy.Expr
        Valid for generic ``k`` (not orthogonal to the fan's edges).

    Raises
    ------
    ValueError, TypeError
        As :func:`polygon_transform`.

    Examples
    --------
    >>> k1, k2 = k_symbols_2d()
    >>> sq = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> sp.simplify(linear_polygon_transform_direct(sq) - polygon_transform(sq))
    0
    """
    pts = _as_vertices(vertices)
    k1, k2 = k_symbols_2d() if k is None else k
    g = [sp.nsimplify(c, rational=True) for c in grad]
    o = sp.nsimplify(offset, rational=True)
    I0, Is, It = _reference_triangle()
    al, be = sp.symbols("alpha beta", real=True, nonzero=True)
    total = sp.Integer(0)
    v0 = pts[0]
    for i in range(1, len(pts) - 1):
        e1 = (pts[i][0] - v0[0], pts[i][1] - v0[1])
        e2 = (pts[i + 1][0] - v0[0], pts[i + 1][1] - v0[1])
        det = e1[0] * e2[1] - e1[1] * e2[0]
        sub = {al: k1 * e1[0] + k2 * e1[1], be: k1 * e2[0] + k2 * e2[1]}
        lin0 = g[0] * v0[0] + g[1] * v0[1] + o
        body = lin0 * I0 + (g[0] * e1[0] + g[1] * e1[1]) * Is + (g[0] * e2[0] + g[1] * e2[1]) * It
        total += sp.Abs(det) * sp.exp(-I * (k1 * v0[0] + k2 * v0[1])) * body.subs(sub, simultaneous=True)
    return sp.expand(total)


def polygon_transform_direct(vertices, k=None) -> sp.Expr:
    """``1~_P(k)`` by direct integration (see :func:`linear_polygon_transform_direct`).

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    k : pair of sympy expressions, optional
        The wavevector; defaults to ``(k1, k2)``.

    Returns
    -------
    sympy.Expr
        The transform of the indicator, generic ``k``.

    Raises
    ------
    ValueError, TypeError
        As :func:`linear_polygon_transform_direct`: if ``vertices`` is not a valid convex
        polygon or ``k`` is not a pair.

    Examples
    --------
    >>> k1, k2 = k_symbols_2d()
    >>> tri = [(0, 0), (1, 0), (0, 1)]
    >>> v = complex(polygon_transform_direct(tri).subs({k1: 1.3, k2: -0.4}).evalf())
    >>> w = complex(polygon_transform(tri).subs({k1: 1.3, k2: -0.4}).evalf())
    >>> abs(v - w) < 1e-12
    True
    """
    return linear_polygon_transform_direct(vertices, (0, 0), 1, k)


def hat_function_2d(vertices, apex=None) -> list[tuple[list, tuple, sp.Expr]]:
    """A compactly supported CPWL "pyramid": 1 at ``apex``, 0 on the polygon's boundary.

    The polygon is split into the triangles ``(apex, v_i, v_{i+1})``; on each the function
    is affine. This is the simplest CPWL function with compact support in 2-D, on which
    Lemma 1 holds without boundary terms.

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    apex : (x, y), optional
        A point strictly inside; defaults to the vertices' mean.

    Returns
    -------
    list of (triangle, grad, offset)
        ``triangle``: its three vertices (counter-clockwise); ``f(x) = grad·x + offset`` there.

    Raises
    ------
    ValueError
        If ``apex`` is not strictly inside the polygon.

    Examples
    --------
    >>> pieces = hat_function_2d([(0, 0), (1, 0), (0, 1)])
    >>> len(pieces)
    3
    """
    pts = _as_vertices(vertices)
    if apex is None:
        c = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    else:
        c = (sp.nsimplify(apex[0], rational=True), sp.nsimplify(apex[1], rational=True))
    out = []
    for i in range(len(pts)):
        u, v = pts[i], pts[(i + 1) % len(pts)]
        cross = (u[0] - c[0]) * (v[1] - c[1]) - (u[1] - c[1]) * (v[0] - c[0])
        if cross <= 0:
            raise ValueError("apex must lie strictly inside the polygon")
        # Solve g·u + o = 0, g·v + o = 0, g·c + o = 1.
        gx, gy, o = sp.symbols("gx gy o")
        sol = sp.solve(
            [gx * u[0] + gy * u[1] + o, gx * v[0] + gy * v[1] + o, gx * c[0] + gy * c[1] + o - 1], [gx, gy, o]
        )
        out.append(([c, u, v], (sol[gx], sol[gy]), sol[o]))
    return out


def lemma1_transform(pieces, sign: int = -1, k=None) -> sp.Expr:
    """Lemma 1: ``f~(k) = sign · i Σ_ε (W_ε·k / |k|²) 1~_{P_ε}(k)`` for a compactly supported CPWL ``f``.

    The region transforms come from :func:`polygon_transform` (Lemma 2). With the book's
    convention, ``∫ ∂_j f e^{-ik·x} = i k_j f~``, so ``sign = -1`` is right; Rahaman et al.
    print ``+i`` (their proof uses ``FT(∇f) = -ik f~``).

    Parameters
    ----------
    pieces : list of (polygon, grad, offset)
        As returned by :func:`hat_function_2d`.
    sign : {-1, +1}, default -1
        The sign in front of ``i``.
    k : pair of sympy expressions, optional
        The wavevector; defaults to ``(k1, k2)``.

    Returns
    -------
    sympy.Expr
        The transform, generic ``k``.

    Raises
    ------
    ValueError
        If ``sign`` is not ±1.

    Examples
    --------
    >>> k1, k2 = k_symbols_2d()
    >>> pcs = hat_function_2d([(0, 0), (1, 0), (0, 1)])
    >>> direct = sum(linear_polygon_transform_direct(p, g, o) for p, g, o in pcs)
    >>> at = {k1: 2.1, k2: 0.7}
    >>> abs(complex(lemma1_transform(pcs).subs(at).evalf()) - complex(direct.subs(at).evalf())) < 1e-12
    True
    """
    if sign not in (-1, 1):
        raise ValueError(f"sign must be -1 or +1, got {sign!r}")
    k1, k2 = k_symbols_2d() if k is None else k
    total = sp.Integer(0)
    for poly, grad, _ in pieces:
        total += (grad[0] * k1 + grad[1] * k2) / (k1**2 + k2**2) * polygon_transform(poly, (k1, k2))
    return sp.expand(sign * I * total)


def polygon_transform_along(vertices, direction, grad=None) -> sp.Expr:
    """``1~_P(κ u)`` (or Lemma 1's term ``-i (g·k/|k|²) 1~_P(k)``) along a fixed direction ``u``.

    Unlike :func:`polygon_transform`, edges orthogonal to ``u`` are handled exactly: their
    integral is ``|E| e^{-ik·x_E}`` (the recursion stops at the edge, as in Diaz et al.'s
    theorem), which is what slows the decay along an edge's normal.

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    direction : pair of numbers
        A non-zero direction ``u`` (exact rationals; need not be unit: ``k = κ u``).
    grad : pair of numbers, optional
        If given, return Lemma 1's contribution of an affine piece with this gradient,
        ``-i (g·k / |k|²) 1~_P(k)``, instead of the bare indicator transform.

    Returns
    -------
    sympy.Expr
        An expression in ``kappa`` (:func:`kappa_symbol`).

    Raises
    ------
    ValueError
        If ``direction`` is zero.

    Examples
    --------
    >>> sq = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> decay_order(polygon_transform_along(sq, (1, 0)))
    -1
    >>> decay_order(polygon_transform_along(sq, (1, 1)))
    -2
    """
    pts = _as_vertices(vertices)
    u = [sp.nsimplify(c, rational=True) for c in direction]
    if len(u) != 2 or (u[0] == 0 and u[1] == 0):
        raise ValueError(f"direction must be a non-zero 2-vector, got {direction!r}")
    kappa = kappa_symbol()
    k = (kappa * u[0], kappa * u[1])
    total = sp.Integer(0)
    for i in range(len(pts)):
        a, b = pts[i], pts[(i + 1) % len(pts)]
        d = (b[0] - a[0], b[1] - a[1])
        length = sp.sqrt(d[0] ** 2 + d[1] ** 2)
        n = (d[1] / length, -d[0] / length)
        if sp.simplify(u[0] * d[0] + u[1] * d[1]) == 0:
            edge = length * sp.exp(-I * (k[0] * a[0] + k[1] * a[1]))
        else:
            edge = segment_transform(a, b, k)
        total += I * (k[0] * n[0] + k[1] * n[1]) / (k[0] ** 2 + k[1] ** 2) * edge
    if grad is not None:
        g = [sp.nsimplify(c, rational=True) for c in grad]
        total = -I * (g[0] * k[0] + g[1] * k[1]) / (k[0] ** 2 + k[1] ** 2) * total
    return sp.expand(sp.simplify(total))


def decay_order(expr, kappa=None) -> int:
    """The power ``p`` with ``expr = O(κ^p)`` and not ``o(κ^p)`` as ``κ -> ∞``.

    ``expr`` must be a sum of terms ``c · κ^n · e^{iκφ}`` (what the transforms above give
    along a ray). Terms are grouped by ``n``; a group counts only if its coefficient, a
    trigonometric polynomial in ``κ``, is not identically zero (checked exactly at several
    values of κ).

    Parameters
    ----------
    expr : sympy.Expr
        The expression.
    kappa : sympy.Symbol, optional
        Defaults to :func:`kappa_symbol`.

    Returns
    -------
    int
        The leading power.

    Raises
    ------
    ValueError
        If the expression is identically zero or not of the stated form.

    Examples
    --------
    >>> kap = kappa_symbol()
    >>> decay_order(sp.exp(I * kap) / kap**2 + 3 / kap**3)
    -2
    """
    kappa = kappa_symbol() if kappa is None else kappa
    groups: dict[int, sp.Expr] = {}
    expr = sp.sympify(expr).rewrite(sp.exp)
    for term in sp.Add.make_args(sp.expand(sp.powsimp(sp.expand(expr)))):
        power = 0
        coeff = sp.Integer(1)
        for f in sp.Mul.make_args(term):
            if f == kappa:
                power += 1
            elif isinstance(f, sp.Pow) and f.base == kappa and f.exp.is_Integer:
                power += int(f.exp)
            elif isinstance(f, sp.exp) or not f.has(kappa):
                coeff *= f
            else:
                raise ValueError(f"term {term} is not of the form c·κ^n·exp(iκφ)")
        groups[power] = groups.get(power, sp.Integer(0)) + coeff
    probes = [sp.Rational(7, 3), sp.Rational(19, 7), sp.Rational(41, 11), sp.Rational(5, 13)]
    for power in sorted(groups, reverse=True):
        c = groups[power]
        if any(abs(complex(sp.N(c.subs(kappa, p), 30))) > 1e-20 for p in probes):
            return power
    raise ValueError("the expression is identically zero")


def lambdify_k(expr, *, dim: int = 1) -> Callable[..., np.ndarray]:
    """Turn an expression in ``k`` or ``kappa`` (``dim=1``) or ``k1, k2`` (``dim=2``) into numpy.

    Parameters
    ----------
    expr : sympy.Expr
        The expression; its only free symbols must be the wavenumbers.
    dim : {1, 2}, default 1
        ``1``: ``F(k)``; ``2``: ``F(k)`` with ``k`` of shape ``(..., 2)``.

    Returns
    -------
    callable
        ``F(k) -> complex ndarray`` broadcasting over ``k``.

    Raises
    ------
    ValueError
        If ``expr`` has other free symbols, or ``dim`` is not 1 or 2.

    Examples
    --------
    >>> F = lambdify_k(sp.exp(-I * k_symbol()) / k_symbol()**2)
    >>> F(np.array([1.0, 2.0])).shape
    (2,)
    """
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 or 2, got {dim!r}")
    if dim == 1:
        args = (kappa_symbol(),) if kappa_symbol() in sp.sympify(expr).free_symbols else (k_symbol(),)
    else:
        args = k_symbols_2d()
    extra = sp.sympify(expr).free_symbols - set(args)
    if extra:
        raise ValueError(f"expression has free symbols besides the wavenumbers: {sorted(map(str, extra))}")
    fn = sp.lambdify(args, expr, "numpy")

    def F(k) -> np.ndarray:
        kk = np.asarray(k, dtype=np.float64)
        if not np.all(np.isfinite(kk)):
            raise ValueError("k must be finite")
        if dim == 1:
            return np.broadcast_to(np.asarray(fn(kk), dtype=np.complex128), kk.shape).copy()
        if kk.shape[-1] != 2:
            raise ValueError(f"2-D wavevectors need a last axis of size 2, got shape {kk.shape}")
        vals = np.asarray(fn(kk[..., 0], kk[..., 1]), dtype=np.complex128)
        return np.broadcast_to(vals, kk.shape[:-1]).copy()

    return F


# --------------------------------------------------------------------------------------
# Numerical companions: measuring a decay exponent
# --------------------------------------------------------------------------------------


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


def decay_exponent(k, values, *, k_range=None, n_windows: int = 10) -> float:
    """Slope ``p`` of a least-squares fit ``log rms ≈ p log k + c`` of :func:`rms_envelope`.

    The fit itself is :func:`spectral_lib.fourier.decay_exponent` (which reports ``-p``)
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
    >>> round(decay_exponent(k, (2 + np.cos(k)) / k**3), 1)
    -3.0
    """
    from .fourier import decay_exponent as _power_law_fit

    centres, rms = rms_envelope(k, values, k_range=k_range, n_windows=n_windows)
    if np.any(rms <= 0):
        raise ValueError("the envelope vanishes in some window; no power law to fit")
    return -_power_law_fit(centres, rms).exponent


def edge_normal_angles(polygons) -> np.ndarray:
    """Angles in ``[0, π)`` of the normals of all edges of a list of polygons.

    Parameters
    ----------
    polygons : sequence of array_like, each of shape (m_i, 2)
        Polygons as vertex arrays (e.g. ``pwl.partition_2d(...).polygons``).

    Returns
    -------
    numpy.ndarray
        Sorted normal angles modulo ``π`` (a normal and its opposite are one direction).

    Raises
    ------
    ValueError
        If a polygon is not an ``(m, 2)`` array with ``m >= 3`` finite vertices.

    Examples
    --------
    >>> np.degrees(edge_normal_angles([np.array([[0, 0], [1, 0], [1, 1], [0, 1]])]))
    array([ 0.,  0., 90., 90.])
    """
    out = []
    for P in polygons:
        P = np.asarray(P, dtype=np.float64)
        if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] < 3 or not np.all(np.isfinite(P)):
            raise ValueError("each polygon must be a finite (m, 2) vertex array with m >= 3")
        d = np.roll(P, -1, axis=0) - P
        keep = np.hypot(d[:, 0], d[:, 1]) > 0
        out.append((np.arctan2(d[keep, 1], d[keep, 0]) + np.pi / 2) % np.pi)
    if not out:
        raise ValueError("no polygons given")
    return np.sort(np.concatenate(out))


def farthest_direction(polygons) -> tuple[np.ndarray, float]:
    """The unit direction farthest in angle from every edge normal: the most generic ``k̂``.

    Along an edge's normal the transform of a CPWL function decays one power slower
    (Theorem 1); a direction at angle ``ε`` from a normal behaves like the normal until
    ``k ~ 1/(ε |E|)``. The centre of the widest gap between normal angles maximises the
    smallest ``ε``, so the asymptotic rate shows at the smallest ``k``.

    Parameters
    ----------
    polygons : sequence of array_like
        As in :func:`edge_normal_angles`.

    Returns
    -------
    direction : numpy.ndarray, shape (2,)
        A unit vector.
    margin : float
        Its angle (radians) to the nearest edge normal.

    Raises
    ------
    ValueError
        If a polygon is not an ``(m, 2)`` array with ``m >= 3`` finite vertices (from
        :func:`edge_normal_angles`).

    Examples
    --------
    >>> u, eps = farthest_direction([np.array([[0, 0], [1, 0], [1, 1], [0, 1]])])
    >>> round(float(np.degrees(eps)), 6)
    45.0
    """
    a = edge_normal_angles(polygons)
    ext = np.concatenate([a, [a[0] + np.pi]])
    gaps = np.diff(ext)
    g = int(np.argmax(gaps))
    ang = 0.5 * (ext[g] + ext[g + 1])
    return np.array([np.cos(ang), np.sin(ang)]), float(gaps[g] / 2)


def line_chord(w, b, box) -> float:
    """Length of the chord that the line ``w·x + b = 0`` cuts from a box (0 if it misses).

    A first-layer neuron's zero set is such a line; inside the box it is one straight facet
    of the network's partition (cut into edges by the other neurons), so the neuron with
    the longest chord marks a long facet, along whose normal Theorem 1's ``k^{-2}`` shows.

    Parameters
    ----------
    w : array_like, shape (2,)
        Non-zero normal of the line.
    b : float
        Offset.
    box : ((float, float), (float, float))
        ``((x0, x1), (y0, y1))``.

    Returns
    -------
    float
        The chord length.

    Raises
    ------
    ValueError
        If ``w`` is zero or not finite, or the box is degenerate.

    Examples
    --------
    >>> round(line_chord([1.0, 1.0], -1.0, ((0, 1), (0, 1))), 6)
    1.414214
    >>> line_chord([1.0, 0.0], 5.0, ((0, 1), (0, 1)))
    0.0
    """
    w = np.asarray(w, dtype=np.float64)
    (x0, x1), (y0, y1) = ((float(box[0][0]), float(box[0][1])), (float(box[1][0]), float(box[1][1])))
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.any(w != 0) or not np.isfinite(b):
        raise ValueError(f"w must be a finite non-zero 2-vector and b finite, got {w!r}, {b!r}")
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"degenerate box {box!r}")
    pts = []
    for x in (x0, x1):
        if w[1] != 0:
            y = -(b + w[0] * x) / w[1]
            if y0 <= y <= y1:
                pts.append((x, y))
    for y in (y0, y1):
        if w[0] != 0:
            x = -(b + w[1] * y) / w[0]
            if x0 <= x <= x1:
                pts.append((x, y))
    if len(pts) < 2:
        return 0.0
    return float(max(np.hypot(p[0] - q[0], p[1] - q[1]) for p in pts for q in pts))
