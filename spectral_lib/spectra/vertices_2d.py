"""The kink transform of a 2-D CPWL function along a generic direction, as a sum over edge endpoints.

Along a direction ``û`` orthogonal to no edge, each edge integral of
:func:`spectral_lib.spectra.kink_transform_2d` is the difference of its endpoints' phases
divided by ``-iκ û·t`` (``t`` the edge's unit tangent), so

``kink_transform_2d(part, κ û) = κ^{-3} Σ_v A_v(û) e^{-iκ û·p_v}``

exactly, a sum over the distinct edge endpoints ``p_v``. :func:`vertex_terms_2d` returns
the points and the coefficients ``A_v``, split into *interior vertices* (where facets
meet or bend, inside the box) and *box points* (where the box cuts a facet);
:func:`kink_transform_2d_parts` evaluates the two parts separately. The box part belongs
to the window, not to the network: a network with one hidden layer has all of its
generic-direction kink transform there (its facets are whole lines, whose sub-edges'
endpoint terms cancel at every interior crossing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spectral_lib import cpwl

from .numerics import CHUNK, as_wavenumbers

_ORTHOGONAL = 1e-9  # |û·t| below which an edge counts as orthogonal to û (no endpoint split)
_MERGE = 1e-9  # endpoints closer than this times the box diameter are one point


@dataclass(frozen=True)
class VertexTerms:
    """The endpoint expansion of a 2-D kink transform along one direction.

    ``kink_transform_2d(part, κ direction) = κ^{-3} Σ_v coeffs[v] e^{-iκ direction·points[v]}``
    ``+ κ^{-2} Σ_e line_weights[e] e^{-iκ line_offsets[e]}`` (the last sum empty unless
    ``direction`` is normal to an edge).

    Parameters
    ----------
    direction : numpy.ndarray, shape (2,)
        The unit direction ``û``.
    points : numpy.ndarray, shape (V, 2)
        The distinct edge endpoints (merged to ``1e-9`` of the box diameter).
    coeffs : numpy.ndarray of complex128, shape (V,)
        ``A_v = Σ_{e ∋ v} ± (g·n)_e / (i û·t_e)`` over the interior edges ending at ``v``
        (``+`` at an edge's start, ``-`` at its end, each polygon's own outward normal
        derivative), independent of ``κ``.
    abs_sums : numpy.ndarray, shape (V,)
        ``Σ_{e ∋ v} |(g·n)_e / (û·t_e)|``, the size of the terms before they cancel.
    on_box : numpy.ndarray of bool, shape (V,)
        Whether the point lies on the box's boundary.
    min_cos : float
        ``min_e |û·t_e|`` over the interior edges that are not orthogonal to ``û``: the sine
        of the angle between ``û`` and the nearest of their normals.
    line_offsets, line_weights : numpy.ndarray, shape (L,)
        The interior edges orthogonal to ``û`` (``|û·t| < 1e-9``, those along whose normal
        ``û`` points): ``û·m_e`` and ``(g·n)_e |e|``. They add
        ``κ^{-2} Σ_e line_weights[e] e^{-iκ line_offsets[e]}`` to the transform, which
        does not decay faster than ``κ^{-2}``; both are empty for a generic direction.
    """

    direction: np.ndarray
    points: np.ndarray
    coeffs: np.ndarray
    abs_sums: np.ndarray
    on_box: np.ndarray
    min_cos: float
    line_offsets: np.ndarray
    line_weights: np.ndarray

    def norms(self) -> tuple[float, float]:
        """``(‖A_interior‖₂, ‖A_box‖₂)``: the l2 norms of the two parts' coefficients."""
        interior = float(np.linalg.norm(self.coeffs[~self.on_box]))
        return (interior, float(np.linalg.norm(self.coeffs[self.on_box])))


def vertex_terms_2d(part, direction) -> VertexTerms:
    """The coefficients of a 2-D kink transform's endpoint expansion along a generic direction.

    For an interior edge ``e`` of polygon ``P`` from ``a`` to ``b`` (unit tangent ``t``,
    outward normal ``n``, ``|e|``), ``∫_e e^{-ik·x} ds = (e^{-ik·a} - e^{-ik·b}) / (i k·t)``
    when ``k·t ≠ 0``; with ``k = κ û`` the kink transform
    ``|k|^{-2} Σ_P Σ_e (g_P·n_e) ∫_e e^{-ik·x} ds`` becomes ``κ^{-3} Σ_v A_v e^{-iκ û·p_v}``.
    Endpoints that coincide (to ``1e-9`` of the box diameter) are merged and their terms
    summed. An edge orthogonal to ``û`` (``|û·t| < 1e-9``; its ``κ|û·h| < 5e-6 |e|`` for
    ``κ <= 5000``, so ``sinc`` is 1 to ``1e-11``) keeps its whole integral
    ``|e| e^{-iκ û·m}`` (``line_offsets``, ``line_weights``).

    Parameters
    ----------
    part : cpwl.Partition2D
        Regions of ``f`` on the box.
    direction : array_like of float, shape (2,)
        Nonzero; normalised here.

    Returns
    -------
    VertexTerms

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``direction`` is not real.
    ValueError
        If ``direction`` is not a finite nonzero 2-vector.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> part = cpwl.partition_2d(networks.relu_mlp(2, [8], seed=0), ((-1, 1), (-1, 1)))
    >>> vt = vertex_terms_2d(part, [np.cos(0.3), np.sin(0.3)])
    >>> interior, box = vt.norms()
    >>> bool(interior < 1e-9 * box)  # one hidden layer: nothing at the interior crossings
    True
    """
    if not isinstance(part, cpwl.Partition2D):
        raise TypeError(f"expected a cpwl.Partition2D (from cpwl.partition_2d), got {type(part).__name__}")
    u = as_wavenumbers(direction, 2)
    if u.shape != (2,):
        raise ValueError(f"direction must have shape (2,), got {u.shape}")
    norm = float(np.linalg.norm(u))
    if norm == 0.0:
        raise ValueError("direction must be nonzero")
    u = u / norm
    a, b, owner, side = part.edges()
    (x0, x1), (y0, y1) = part.box
    diam = float(np.hypot(x1 - x0, y1 - y0))
    inner = ~side
    a, b, g = a[inner], b[inner], part.grads[owner[inner]]
    length = np.linalg.norm(b - a, axis=1)
    keep = length > 1e-14 * diam  # a degenerate edge carries no measure
    a, b, g, length = a[keep], b[keep], g[keep], length[keep]
    t = (b - a) / length[:, None]
    n = np.stack([t[:, 1], -t[:, 0]], axis=1)  # outward for counter-clockwise polygons
    ut = t @ u
    gn = np.einsum("ek,ek->e", g, n)
    flat = np.abs(ut) < _ORTHOGONAL
    line_offsets = 0.5 * (a[flat] + b[flat]) @ u
    line_weights = gn[flat] * length[flat]
    a, b, gn, ut = a[~flat], b[~flat], gn[~flat], ut[~flat]
    min_cos = float(np.min(np.abs(ut))) if ut.size else 1.0
    w = gn / ut  # (g·n)/(û·t)
    pts = np.concatenate([a, b])
    terms = np.concatenate([w, -w]) / 1j
    keys = np.round(pts / (_MERGE * diam)).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    coeffs = np.zeros(first.size, dtype=np.complex128)
    np.add.at(coeffs, inverse, terms)
    abs_sums = np.bincount(inverse, weights=np.abs(terms), minlength=first.size)
    points = pts[first]
    eps = 1e-12 * diam
    on_box = ((np.abs(points[:, 0] - x0) <= eps) | (np.abs(points[:, 0] - x1) <= eps)
              | (np.abs(points[:, 1] - y0) <= eps) | (np.abs(points[:, 1] - y1) <= eps))
    return VertexTerms(u, points, coeffs, abs_sums, on_box, min_cos, line_offsets, line_weights)


def kink_transform_2d_parts(part, kappa, direction) -> tuple[np.ndarray, np.ndarray]:
    """The kink transform along a generic direction, split into its interior and box parts.

    ``interior + box = kink_transform_2d(part, kappa[:, None] * û)``: ``interior`` sums the
    endpoint terms at vertices inside the box (:func:`vertex_terms_2d`), ``box`` those at
    the points where the box cuts a facet. Both are ``κ^{-3}`` times a trigonometric sum;
    when ``û`` is normal to some edges, their whole integrals (``κ^{-2}`` times a
    trigonometric sum, a facet of the network) are added to ``interior``.

    Parameters
    ----------
    part : cpwl.Partition2D
        Regions of ``f`` on the box.
    kappa : array_like of float
        Nonzero magnitudes ``κ`` (any shape).
    direction : array_like of float, shape (2,)
        As in :func:`vertex_terms_2d`.

    Returns
    -------
    interior, box : numpy.ndarray of complex128, shape ``kappa.shape``

    Raises
    ------
    TypeError, ValueError
        As :func:`vertex_terms_2d`; ``ValueError`` also if ``kappa`` holds 0, NaN or inf.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks, spectra
    >>> part = cpwl.partition_2d(networks.relu_mlp(2, [8, 8], seed=0), ((-1, 1), (-1, 1)))
    >>> u = np.array([np.cos(0.3), np.sin(0.3)])
    >>> inner, box = kink_transform_2d_parts(part, [40.0, 90.0], u)
    >>> total = spectra.kink_transform_2d(part, np.array([[40.0], [90.0]]) * u)
    >>> bool(np.allclose(inner + box, total, rtol=1e-8, atol=0))
    True
    """
    vt = vertex_terms_2d(part, direction)
    kk = as_wavenumbers(kappa, 1)
    if np.any(kk == 0):
        raise ValueError("kappa must be nonzero")
    flat = kk.reshape(-1)
    proj = vt.points @ vt.direction
    out = []
    for mask in (~vt.on_box, vt.on_box):
        p, c = proj[mask], vt.coeffs[mask]
        res = np.zeros(flat.size, dtype=np.complex128)
        step = max(1, CHUNK // max(1, p.size))
        for i in range(0, flat.size, step):
            kc = flat[i : i + step]
            res[i : i + step] = np.exp(-1j * np.outer(kc, p)) @ c / kc**3
        out.append(res)
    if vt.line_weights.size:
        step = max(1, CHUNK // vt.line_weights.size)
        for i in range(0, flat.size, step):
            kc = flat[i : i + step]
            out[0][i : i + step] += np.exp(-1j * np.outer(kc, vt.line_offsets)) @ vt.line_weights / kc**2
    return out[0].reshape(kk.shape), out[1].reshape(kk.shape)

