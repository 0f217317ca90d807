"""Reading asymptotics off sympy expressions, and turning them into numpy functions.

:func:`decay_order` gives the power of ``κ`` that dominates an expression as ``κ → ∞``;
:func:`lambdify_k` turns an expression in ``k`` (or ``k1, k2``) into a broadcasting numpy
function.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from .one_d import k_symbol, k_symbols_2d, kappa_symbol


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
    >>> decay_order(sp.exp(sp.I * kap) / kap**2 + 3 / kap**3)
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
    >>> F = lambdify_k(sp.exp(-sp.I * k_symbol()) / k_symbol()**2)
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
