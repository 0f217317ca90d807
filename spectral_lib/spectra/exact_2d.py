"""The exact Fourier transform of a continuous piecewise-linear function on a box in 2-D.

``f~(k) = ∫_box f(x) e^{-ik·x} dx`` is a sum over the polygons of a
:class:`spectral_lib.cpwl.Partition2D`; by Green's identity each polygon reduces to its
edges, in closed form (with the case ``k ⟂`` edge), and for small ``|k|`` an order-12
Taylor series with exact polygon moments is used. :func:`kink_transform_2d` and
:func:`boundary_terms_2d` split the transform into the part carried by the kinks between
regions and the part carried by the box's boundary.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import cpwl

from .numerics import CHUNK, as_wavenumbers, g3, nonzero_k, sinc

_TAYLOR_RADIUS = 0.25  # |k| * (box half-diagonal) below which the Taylor series is used


_TAYLOR_ORDER = 12  # remainder <= 0.25**13 / 13! < 3e-18 relative


def _check_partition(part):

    if not isinstance(part, cpwl.Partition2D):
        raise TypeError(f"expected a pwl.Partition2D (from pwl.partition_2d), got {type(part).__name__}")
    return part


def _edge_integral(k, m, h, phi_m, dphi_h):
    """``∫_e φ(x) e^{-ik·x} ds / |e|`` for affine φ on the edge ``m + u h``, ``u ∈ [-1, 1]``.

    ``= e^{-ik·m} [φ(m) sinc(κ) - i (∇φ·h) κ g3(κ)]`` with ``κ = k·h``; exact for every
    ``κ`` including 0 (k ⟂ the edge). Shapes: k (K, 2); m, h (E, 2); phi_m, dphi_h (K, E) or (E,).
    """
    kappa = k @ h.T
    return np.exp(-1j * (k @ m.T)) * (phi_m * sinc(kappa) - 1j * dphi_h * kappa * g3(kappa))


def _moments(verts_list, centres, grads, offsets, order):
    """``μ[r, a, b] = ∫_{P_r} f(x) y1^a y2^b dy``, ``y = x - centre_r``, for a + b <= order.

    Exact: each polygon is fanned into signed triangles (centre, v_i, v_{i+1}) (valid for any
    centre, inside the polygon or not); on a triangle ``y = s v_i + t v_{i+1}`` and
    ``∫∫ s^p t^q ds dt = p! q! / (p + q + 2)!``.
    """
    from math import comb, factorial

    D = order + 1  # raw moments up to degree D are needed for f = f(c) + g·y
    counts = np.array([len(p) for p in verts_list])
    owner = np.repeat(np.arange(len(verts_list)), counts)
    a = np.concatenate(verts_list) - centres[owner]
    b = np.concatenate([np.roll(p, -1, axis=0) for p in verts_list]) - centres[owner]
    jac = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    raw = np.zeros((len(verts_list), D + 1, D + 1))
    pa = [a[:, 0] ** i for i in range(D + 1)], [a[:, 1] ** i for i in range(D + 1)]
    pb = [b[:, 0] ** i for i in range(D + 1)], [b[:, 1] ** i for i in range(D + 1)]
    for p in range(D + 1):
        for q in range(D + 1 - p):
            acc = np.zeros(a.shape[0])
            for i in range(p + 1):
                for j in range(q + 1):
                    w = comb(p, i) * comb(q, j) * factorial(i + j) * factorial(p + q - i - j)
                    acc += w * pa[0][i] * pb[0][p - i] * pa[1][j] * pb[1][q - j]
            tot = np.bincount(owner, weights=jac * acc, minlength=len(verts_list))
            raw[:, p, q] = tot / factorial(p + q + 2)
    fc = np.einsum("rk,rk->r", grads, centres) + offsets
    mu = fc[:, None, None] * raw[:, : order + 1, : order + 1]
    mu += grads[:, 0, None, None] * raw[:, 1 : order + 2, : order + 1]
    mu += grads[:, 1, None, None] * raw[:, : order + 1, 1 : order + 2]
    tri = np.add.outer(np.arange(order + 1), np.arange(order + 1)) <= order
    return mu * tri


def _taylor(k, centre, mu):
    """``e^{-ik·c} Σ_{a,b} (-ik1)^a/a! (-ik2)^b/b! μ[a, b]``: k (n, 2), centre (2,), mu (N+1, N+1)."""
    from math import factorial

    N = mu.shape[0] - 1
    fact = np.array([float(factorial(i)) for i in range(N + 1)])
    u = (-1j * k[:, 0, None]) ** np.arange(N + 1) / fact
    v = (-1j * k[:, 1, None]) ** np.arange(N + 1) / fact
    return np.exp(-1j * (k @ centre)) * np.einsum("na,ab,nb->n", u, mu, v)


class _EdgeData:
    """Edge arrays of a partition, split into interior edges and box-side edges."""

    def __init__(self, part):
        a, b, owner, side = part.edges()
        g, o = part.grads[owner], part.offsets[owner]
        m, h = 0.5 * (a + b), 0.5 * (b - a)
        nu = np.stack([h[:, 1], -h[:, 0]], axis=1)  # outward normal * |e| / 2 (counter-clockwise)
        inner = ~side
        self.m_in, self.h_in = m[inner], h[inner]
        self.gn_in = 2 * np.einsum("ek,ek->e", g[inner], nu[inner])  # (g·n) |e|
        ms, hs, gs = m[side], h[side], g[side]
        self.m_side, self.h_side = ms, hs
        self.L_side = 2 * np.linalg.norm(hs, axis=1)
        self.n_side = nu[side] * (2 / self.L_side)[:, None]  # unit outward normals
        self.f_side = np.einsum("ek,ek->e", gs, ms) + o[side]
        self.gn_side = np.einsum("ek,ek->e", gs, self.n_side)
        self.gh_side = np.einsum("ek,ek->e", gs, hs)

    def kinks(self, kc: np.ndarray) -> np.ndarray:
        """``Σ_e (g·n)|e| e^{-ik·m} sinc(k·h)`` over interior edges, for k (Kc, 2)."""
        if self.m_in.shape[0] == 0:
            return np.zeros(kc.shape[0], dtype=np.complex128)
        phase = kc @ self.m_in.T
        kappa = kc @ self.h_in.T
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(kappa == 0, 1.0, np.sin(kappa) / kappa) * self.gn_in
        return (np.cos(phase) * w).sum(axis=1) - 1j * (np.sin(phase) * w).sum(axis=1)

    def sides(self, kc: np.ndarray) -> np.ndarray:
        """``∮_∂box (i (k·n) f + ∇f·n) e^{-ik·x} ds`` for k (Kc, 2)."""
        k_n = kc @ self.n_side.T
        phi_m = 1j * k_n * self.f_side + self.gn_side
        dphi_h = 1j * k_n * self.gh_side
        return (self.L_side * _edge_integral(kc, self.m_side, self.h_side, phi_m, dphi_h)).sum(axis=1)


def _edge_part(part, k, which: str) -> np.ndarray:
    """``_EdgeData.kinks`` (``which="kinks"``) or ``.sides`` over ``|k|^2``, chunked over ``k != 0``."""
    part = _check_partition(part)
    kk = as_wavenumbers(k, 2)
    nonzero_k(kk, "2d")
    flat = kk.reshape(-1, 2)
    ed = _EdgeData(part)
    terms, n_edges = (ed.kinks, ed.m_in.shape[0]) if which == "kinks" else (ed.sides, ed.m_side.shape[0])
    out = np.empty(flat.shape[0], dtype=np.complex128)
    step = max(1, CHUNK // max(1, n_edges))
    for i in range(0, flat.shape[0], step):
        kc = flat[i : i + step]
        out[i : i + step] = terms(kc) / np.sum(kc**2, axis=1)
    return out.reshape(kk.shape[:-1])


def ft_2d(part, k) -> np.ndarray:
    """Exact windowed transform ``∫_box f(x) e^{-ik·x} dx`` of a CPWL function in the plane.

    For ``k != 0`` Green's second identity with ``Δ e^{-ik·x} = -|k|^2 e^{-ik·x}`` reduces
    the area integral to edge integrals (see :func:`kink_transform_2d` and
    :func:`boundary_terms_2d`): ``ft_2d = kink_transform_2d + boundary_terms_2d``. Each
    edge integral of an affine function times ``e^{-ik·x}`` has a closed form in
    ``sinc(k·h)`` and ``g3(k·h)`` (``h`` the edge's half-vector), exact when ``k`` is
    perpendicular to the edge. For ``|k| · R < 0.25`` (``R`` the box's half-diagonal,
    including ``k = 0``), where the two parts would cancel, the transform is its Taylor
    series about the box centre to order 12, built from exact polygon moments (remainder
    below ``0.25**13 / 13! < 3e-18`` times ``∫|f|``).

    Parameters
    ----------
    part : cpwl.Partition2D
        Regions of ``f`` on the box.
    k : array_like of float, shape (..., 2)
        Wave vectors (``k = 0`` and ``k`` perpendicular to an edge allowed).

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``
        ``∫_box f(x) e^{-ik·x} dx`` at each wave vector.

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``k`` is not real.
    ValueError
        If ``k`` does not end in an axis of length 2 or has NaN/inf.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> part = cpwl.partition_2d(networks.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> F = ft_2d(part, [[0.0, 0.0], [3.0, 0.0]])
    >>> F.shape
    (2,)
    """
    part = _check_partition(part)
    kk = as_wavenumbers(k, 2)
    flat = kk.reshape(-1, 2)
    (x0, x1), (y0, y1) = part.box
    centre = np.array([0.5 * (x0 + x1), 0.5 * (y0 + y1)])
    radius = 0.5 * np.hypot(x1 - x0, y1 - y0)
    knorm = np.linalg.norm(flat, axis=1)
    small = knorm * radius < _TAYLOR_RADIUS
    out = np.empty(flat.shape[0], dtype=np.complex128)
    if small.any():
        centres = np.repeat(centre[None], part.n_regions, axis=0)  # fan from the box centre
        mu = _moments(part.polygons, centres, part.grads, part.offsets, _TAYLOR_ORDER).sum(axis=0)
        out[small] = _taylor(flat[small], centre, mu)
    big = np.flatnonzero(~small)
    if big.size:
        ed = _EdgeData(part)
        step = max(1, CHUNK // max(1, ed.m_in.shape[0]))
        for i in range(0, big.size, step):
            rows = big[i : i + step]
            kc = flat[rows]
            out[rows] = (ed.kinks(kc) + ed.sides(kc)) / np.sum(kc**2, axis=1)
    return out.reshape(kk.shape[:-1])


def kink_transform_2d(part, k) -> np.ndarray:
    """The bent hyperplanes' part: ``-|k|^{-2} Σ_e [∇f·n]_e ∫_e e^{-ik·x} ds`` inside the box.

    ``Δf`` of a CPWL function is a measure on the region boundaries, with density the jump
    of the normal derivative ``[∇f·n]``; this is its transform divided by ``-|k|^2``.
    Computed as ``|k|^{-2} Σ_P Σ_{e ⊂ ∂P, e ⊄ ∂box} (g_P·n_e) ∫_e e^{-ik·x} ds``, each region
    contributing its own outward normal derivative, which sums to the jumps without having
    to match neighbouring edges. On the box, ``ft_2d = kink_transform_2d + boundary_terms_2d``.

    Parameters
    ----------
    part : cpwl.Partition2D
    k : array_like of float, shape (..., 2), no zero vector

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``
        The kinks' part at each wave vector.

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``k`` is not real.
    ValueError
        If ``k`` is malformed, non-finite or contains ``k = 0``.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> part = cpwl.partition_2d(networks.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> k = np.array([[5.0, 1.0], [0.0, 9.0]])
    >>> bool(np.allclose(ft_2d(part, k), kink_transform_2d(part, k) + boundary_terms_2d(part, k)))
    True
    """
    return _edge_part(part, k, "kinks")


def boundary_terms_2d(part, k) -> np.ndarray:
    """Boundary terms of the windowed transform: ``|k|^{-2} ∮_∂box (i (k·n) f + ∇f·n) e^{-ik·x} ds``.

    Green's second identity with ``Δ e^{-ik·x} = -|k|^2 e^{-ik·x}`` splits the windowed
    transform into the kinks' part and this integral over the box's sides (outward normal
    ``n``), with ``f`` and ``∇f`` taken from the regions touching the sides.

    Parameters
    ----------
    part, k
        As in :func:`kink_transform_2d`.

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``
        The integral over the box's sides, for each ``k``.

    Raises
    ------
    TypeError, ValueError
        As :func:`kink_transform_2d`.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> part = cpwl.partition_2d(networks.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> boundary_terms_2d(part, [[1.0, 2.0]]).shape
    (1,)
    """
    return _edge_part(part, k, "sides")
