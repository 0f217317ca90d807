"""sympy derivations of the Fourier transform of piecewise-linear functions in one dimension.

The theory chapters derive Rahaman et al.'s Fourier results step by step with sympy and
then turn the closed forms into vectorised numpy functions.  Convention (as in the whole
book): ``f~(k) = ∫ f(x) exp(-i k·x) dx`` with angular wavenumber ``k``.

Symbols
    :func:`k_symbol`, :func:`k_symbols_2d` and :func:`kappa_symbol` build the wavenumber
    symbols every derivation uses (fresh symbols with fixed names, ``k``, ``k1``, ``k2``,
    ``kappa``, so expressions from different calls combine); ``I`` is sympy's imaginary
    unit.

Derivations
    :func:`piece_transform` (a linear piece on an interval), :func:`hinge_transform`
    (the ramp ``max(0, x - t)`` on an interval), :func:`integration_by_parts_1d` (the
    general identity for a function with ``f''`` a sum of deltas) and
    :func:`cpwl_transform_1d` (the general continuous piecewise-linear function with
    ``n`` kinks, a :class:`CPWL1D`: the sum of its pieces' transforms equals kink terms plus
    boundary terms), :func:`integration_by_parts_residual_1d` (the identity checked by
    differentiation) and :func:`whole_line_transform_1d` (a network on the whole line, a
    :class:`WholeLine1D`: ``f''`` by sympy from the hinge form, its transform, and the
    Abel-regularised transform of ``f`` itself). :func:`transform_1d` evaluates the closed forms numerically
    (lambdified once). :func:`lemma1_transform_1d` is Rahaman et al.'s Lemma 1 in one
    dimension with a selectable sign, tried on the tent :func:`tent_1d`, to exhibit the
    paper's sign slip.

The two-dimensional derivations (Lemma 2 and Lemma 1 on polygons) are in
``spectral_lib.symbolic.two_d``; reading decay orders off the expressions and lambdifying
them is ``spectral_lib.symbolic.asymptotics``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

I = sp.I


def k_symbol() -> sp.Symbol:
    """The 1-D angular wavenumber ``k`` (a positive real sympy symbol).

    Returns
    -------
    sympy.Symbol
        ``k`` with ``positive=True``; the formulas below hold for ``k != 0``.

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

    Examples
    --------
    >>> kappa_symbol().name
    'kappa'
    """
    return sp.Symbol("kappa", positive=True)


def piece_transform() -> sp.Expr:
    """Transform of one linear piece: ``∫_u^v (s x + c) e^{-ikx} dx``, derived by sympy.

    Returns
    -------
    sympy.Expr
        A closed form in the real symbols ``u, v, s, c`` and the positive symbol ``k``.

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


def integration_by_parts_residual_1d() -> sp.Expr:
    """Check the identity of :func:`integration_by_parts_1d` for an abstract smooth ``f``.

    With sympy's ``E`` and ``E_2``, the identity ``∫ f e^{-ikx} = [fE] - [f'E_2] + ∫ f'' E_2``
    holds on every interval iff ``d/dx (f E - f' E_2) = f e^{-ikx} - f'' E_2``; sympy
    differentiates the left side for an undefined function ``f`` and subtracts the right.

    Returns
    -------
    sympy.Expr
        The simplified difference (``0``).

    Examples
    --------
    >>> integration_by_parts_residual_1d()
    0
    """
    x = sp.Symbol("x", real=True)
    k = k_symbol()
    f = sp.Function("f")(x)
    _, E2 = integration_by_parts_1d()
    E = sp.integrate(sp.exp(-I * k * x), x)
    lhs = sp.diff(f * E - sp.diff(f, x) * E2, x)
    rhs = f * sp.exp(-I * k * x) - sp.diff(f, x, 2) * E2
    return sp.simplify(lhs - rhs)


@dataclass(frozen=True)
class WholeLine1D:
    """A ReLU network on the whole line, ``f = c + s_0 x + Σ_j Δs_j max(0, x - x_j)``, symbolically.

    Attributes
    ----------
    f : sympy.Expr
        The hinge form.
    f2 : sympy.Expr
        ``f''`` computed by sympy (a sum of ``DiracDelta``).
    ft_f2 : sympy.Expr
        ``∫ f''(x) e^{-ikx} dx`` over the line, by sympy.
    abel : sympy.Expr
        ``lim_{ε→0+}`` of the transform of ``f`` with each term damped (``c`` and ``s_0 x`` by
        ``e^{-ε|x|}``, each hinge by ``e^{-ε(x - x_j)}`` on its support), by sympy: the
        transform of ``f`` in ``S'`` at ``k ≠ 0``.
    """

    f: sp.Expr
    f2: sp.Expr
    ft_f2: sp.Expr
    abel: sp.Expr

    def derivative_rule_residual(self) -> sp.Expr:
        """``k² abel + ft_f2``, simplified: ``0`` when ``FT(f'') = (ik)² f~`` holds."""
        return sp.simplify(sp.expand(k_symbol() ** 2 * self.abel + self.ft_f2))


def whole_line_transform_1d(n_kinks: int) -> WholeLine1D:
    """Derive the transform of a whole-line ReLU network with ``n_kinks`` kinks two ways.

    (1) sympy differentiates the hinge form twice and integrates ``f'' e^{-ikx}`` over the
    line; (2) sympy integrates each term of ``f`` against ``e^{-ikx}`` with an Abel damping
    factor and lets the damping go to zero (each damped term converges to the undamped one
    in ``S'``). :meth:`WholeLine1D.derivative_rule_residual` compares them.

    Parameters
    ----------
    n_kinks : int
        ``1 <= n_kinks <= 8``.

    Returns
    -------
    WholeLine1D
        The expressions, in the symbols ``c, s_0, Delta_j, x_j`` and ``k``.

    Raises
    ------
    ValueError
        If ``n_kinks`` is not an integer in ``1..8``.

    Examples
    --------
    >>> w = whole_line_transform_1d(1)
    >>> w.abel
    -Delta_1*exp(-I*k*x_1)/k**2
    >>> w.derivative_rule_residual()
    0
    """
    if isinstance(n_kinks, bool) or not isinstance(n_kinks, (int, np.integer)) or not 1 <= n_kinks <= 8:
        raise ValueError(f"n_kinks must be an integer in 1..8, got {n_kinks!r}")
    n = int(n_kinks)
    x, y = sp.symbols("x y", real=True)
    k = k_symbol()
    eps = sp.Symbol("epsilon", positive=True)
    c, s0 = sp.symbols("c s_0", real=True)
    knots = sp.symbols(f"x_1:{n + 1}", real=True)
    jumps = sp.symbols(f"Delta_1:{n + 1}", real=True)
    f = c + s0 * x + sum(d * sp.Max(0, x - xj) for d, xj in zip(jumps, knots, strict=True))
    f2 = sp.diff(f, x, 2)
    ft_f2 = sp.expand(sp.integrate(f2 * sp.exp(-I * k * x), (x, -sp.oo, sp.oo)))

    def halves(g):  # ∫_ℝ g(x) e^{-ε|x|} e^{-ikx} dx, split at 0
        right = sp.integrate(g * sp.exp(-(eps + I * k) * x), (x, 0, sp.oo), conds="none")
        left = sp.integrate(g * sp.exp((eps - I * k) * x), (x, -sp.oo, 0), conds="none")
        return right + left

    hinge = sp.integrate(y * sp.exp(-eps * y - I * k * y), (y, 0, sp.oo), conds="none")  # x = x_j + y
    damped = c * halves(sp.Integer(1)) + s0 * halves(x) + sum(
        d * sp.exp(-I * k * xj) * hinge for d, xj in zip(jumps, knots, strict=True))
    abel = sp.expand(sp.limit(sp.simplify(damped), eps, 0, "+"))
    return WholeLine1D(f, f2, ft_f2, abel)


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
    # f in hinge form; sympy differentiates it twice (Max -> Heaviside -> DiracDelta).
    f_hinge = fa + slopes[0] * (x - a) + sum(
        (slopes[j] - slopes[j - 1]) * sp.Max(0, x - knots[j - 1]) for j in range(1, n + 1))
    f2 = sp.diff(f_hinge, x, 2)
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
    :func:`spectral_lib.cpwl.pieces_1d`); the function is assumed continuous at the inner knots.

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
