"""sympy transforms of polygons and of CPWL functions in two dimensions (Rahaman et al., Lemmas 1 and 2).

:func:`polygon_transform` is Lemma 2 (Diaz, Le & Robins' recursion over faces: polygon →
edges → vertices, by the divergence theorem), built on the edge transforms of
:func:`segment_transform`; :func:`polygon_transform_direct` integrates the same indicator
over a fan of triangles, an independent derivation; :func:`linear_polygon_transform_direct`
does the same for an affine function on a polygon; :func:`lemma1_transform` is Lemma 1
with a selectable sign, and :func:`hat_function_2d` a compactly supported CPWL pyramid to
apply it to; :func:`polygon_transform_along` restricts a transform to a ray ``k = κ u``
and handles the edges orthogonal to ``u`` exactly.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.integrals.manualintegrate import manualintegrate

from .one_d import I, k_symbols_2d, kappa_symbol


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
    vertices, k
        As in :func:`linear_polygon_transform_direct` (``g = 0``, ``o = 1`` here).

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
        The transform on the ray, through the divergence theorem, as an expression in ``kappa``
        (:func:`kappa_symbol`).

    Raises
    ------
    ValueError
        If ``direction`` is zero.

    Examples
    --------
    >>> from spectral_lib.symbolic import decay_order
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


def linear_polygon_transform_ray(vertices, direction, grad=(0, 0), offset=1) -> sp.Expr:
    """``∫_P (g·x + o) e^{-iκ u·x} dx`` along the ray ``k = κ u``, integrated directly by sympy.

    The wavevector is fixed to the ray *before* integrating, so no edge needs special
    treatment: sympy (``manualintegrate``) integrates each fan triangle ``(v0, v_i, v_{i+1})`` in its affine
    coordinates, and where ``u`` is orthogonal to an edge the exponent simply does not
    depend on that coordinate. Independent of :func:`polygon_transform_along`, which applies
    the divergence theorem and treats the orthogonal edges as a special case.

    Parameters
    ----------
    vertices : sequence of (x, y)
        A strictly convex polygon, counter-clockwise.
    direction : pair of numbers
        A non-zero direction ``u`` (exact rationals).
    grad : pair of numbers, default (0, 0)
        ``g``.
    offset : number, default 1
        ``o``; the defaults give the indicator ``1_P``.

    Returns
    -------
    sympy.Expr
        The integral, summed over the fan triangles, in ``kappa`` (:func:`kappa_symbol`).

    Raises
    ------
    ValueError, TypeError
        As :func:`polygon_transform`, or if ``direction`` is zero.

    Examples
    --------
    >>> from spectral_lib.symbolic import decay_order
    >>> sq = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> [decay_order(linear_polygon_transform_ray(sq, u)) for u in ((1, 0), (1, 2))]
    [-1, -2]
    """
    pts = _as_vertices(vertices)
    u = [sp.nsimplify(c, rational=True) for c in _finite_pair("direction", direction)]
    if u[0] == 0 and u[1] == 0:
        raise ValueError(f"direction must be a non-zero 2-vector, got {direction!r}")
    g = [sp.nsimplify(c, rational=True) for c in _finite_pair("grad", grad)]
    o = sp.nsimplify(offset, rational=True)
    kappa = kappa_symbol()
    s, t = sp.symbols("s t", real=True)
    v0 = pts[0]
    total = sp.Integer(0)
    for i in range(1, len(pts) - 1):
        e1 = (pts[i][0] - v0[0], pts[i][1] - v0[1])
        e2 = (pts[i + 1][0] - v0[0], pts[i + 1][1] - v0[1])
        det = sp.Abs(e1[0] * e2[1] - e1[1] * e2[0])
        x = (v0[0] + s * e1[0] + t * e2[0], v0[1] + s * e1[1] + t * e2[1])
        integrand = (g[0] * x[0] + g[1] * x[1] + o) * sp.exp(-I * kappa * (u[0] * x[0] + u[1] * x[1]))
        # Rule-based antiderivatives (deterministic; sympy's general integrate may try randomised
        # heuristics whose run time varies between processes).
        F = manualintegrate(sp.expand(integrand), t)
        G = manualintegrate(sp.expand(F.subs(t, 1 - s) - F.subs(t, 0)), s)
        total += det * (G.subs(s, 1) - G.subs(s, 0))
    return sp.expand(total)
