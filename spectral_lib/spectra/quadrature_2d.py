"""Independent quadratures of a 2-D network's windowed transform, and the total variation of its Hessian.

:func:`ft_2d_quadrature` integrates ``f(x) e^{-ik·x}`` over the box by Gauss–Legendre
rules on a fan of triangles of each region, with ``f`` evaluated by a plain float64
forward pass of the weights (no affine maps of the partition, no Green's identity);
:func:`boundary_terms_2d_quadrature` integrates Green's boundary integrand over the box's
sides the same way, with the network's gradient from the forward pass. Their difference is
an independent value of :func:`spectral_lib.spectra.kink_transform_2d`.
:func:`hessian_variation_2d` is ``Σ_E |[∂_n f]_E| |E|``, the total variation of the
Hessian measure inside the box, which bounds ``k^2 |kink_transform_2d|``.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import cpwl

from .numerics import as_wavenumbers


def _forward(part_net, x):
    """``f(x)`` and ``∇f(x)`` by a float64 forward pass (masks from the pre-activations)."""
    layers = cpwl.scalar_layers(part_net, 2)
    h = np.asarray(x, dtype=np.float64)
    G0, G1 = np.zeros_like(h), np.zeros_like(h)  # d h / d x1, d h / d x2, each (P, width)
    G0[:, 0], G1[:, 1] = 1.0, 1.0
    for W, b in layers[:-1]:
        z = h @ W.T + b
        mask = z > 0
        h = np.where(mask, z, 0.0)
        G0, G1 = (G0 @ W.T) * mask, (G1 @ W.T) * mask
    W, b = layers[-1]
    return h @ W[0] + b[0], np.stack([G0 @ W[0], G1 @ W[0]], axis=1)


def _gauss(n):
    from scipy.special import roots_legendre

    u, w = roots_legendre(n)
    return (u + 1) / 2, w / 2


def _points_for(phase: float) -> int:
    """Gauss points for ``e^{iθu}`` on ``[0, 1]`` with ``θ = phase``: the rule's error
    ``~ (θ/2)^{2m} / (2m)!`` is below 1e-13 for ``m >= θ/2 + 12`` (capped at 200)."""
    return int(min(200, np.ceil(0.5 * phase) + 12))


def _check(part, n):
    if not isinstance(part, cpwl.Partition2D):
        raise TypeError(f"expected a cpwl.Partition2D (from cpwl.partition_2d), got {type(part).__name__}")
    if not (isinstance(n, (int, np.integer)) and 2 <= n <= 200):
        raise ValueError(f"n must be an integer in [2, 200], got {n!r}")


def _sum_phases(pts, vals, kk):
    """``Σ_p vals[p] e^{-ik·pts[p]}`` for each row of ``kk`` (K, 2), in blocks of points."""
    out = np.zeros(kk.shape[0], dtype=np.complex128)
    step = max(1, (1 << 21) // max(1, kk.shape[0]))
    for i in range(0, pts.shape[0], step):
        out += np.exp(-1j * (kk @ pts[i : i + step].T)) @ vals[i : i + step]
    return out


def ft_2d_quadrature(net, part, k, *, n: int = 40) -> np.ndarray:
    """``∫_box f(x) e^{-ik·x} dx`` by Gauss–Legendre quadrature on the regions' triangles.

    Each region is fanned into triangles from its centroid (``f`` is affine on each, so
    the integrand is smooth there); the Duffy map of the unit square onto a triangle makes
    an ``n x n`` product rule exact for polynomials of degree ``2n - 2``. ``f`` comes from
    a float64 forward pass of ``net``'s weights, not from the partition's affine maps.

    Parameters
    ----------
    net : torch.nn.Sequential
        The Linear/ReLU network (2-D in, 1-D out) whose partition ``part`` is.
    part : cpwl.Partition2D
        Its regions on the box (only their polygons are used, as integration cells).
    k : array_like of float, shape (..., 2)
        Wave vectors.
    n : int, default 40
        The least number of Gauss points per direction on each triangle; a region of
        diameter ``D`` gets at least ``max|k| D / 2 + 12`` (at most 200), which keeps the
        rule accurate to round-off.

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``net`` not a Linear/ReLU Sequential.
    ValueError
        If ``n`` is not in ``[2, 200]`` or ``k`` is malformed.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks, spectra
    >>> net = networks.relu_mlp(2, [6, 6], seed=0)
    >>> part = cpwl.partition_2d(net, ((-1, 1), (-1, 1)))
    >>> k = np.array([[3.0, -2.0], [10.0, 4.0]])
    >>> bool(np.allclose(ft_2d_quadrature(net, part, k, n=20), spectra.ft_2d(part, k), rtol=1e-9, atol=0))
    True
    """
    _check(part, n)
    kk = as_wavenumbers(k, 2)
    flat = kk.reshape(-1, 2)
    kmax = float(np.max(np.linalg.norm(flat, axis=1))) if flat.size else 0.0
    rules = {}
    out = np.zeros(flat.shape[0], dtype=np.complex128)
    pts, wts, held = [], [], 0
    for j, p in enumerate(part.polygons):
        diam = float(np.max(np.linalg.norm(p[:, None, :] - p[None, :, :], axis=2)))
        m = max(n, _points_for(kmax * diam))
        if m not in rules:
            u, w = _gauss(m)
            S_, T_ = np.meshgrid(u, u, indexing="ij")
            rules[m] = ((np.outer(w, w) * S_).ravel(), S_.ravel()[:, None], T_.ravel()[:, None])
        WW, S, T = rules[m]
        c = p.mean(axis=0)
        a = p - c
        b = np.roll(p, -1, axis=0) - c
        cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
        for i in range(len(p)):
            pts.append(c + S * ((1 - T) * a[i] + T * b[i]))
            wts.append(WW * cross[i])
        held += len(p) * WW.size
        if held >= 1 << 17 or j == len(part.polygons) - 1:  # evaluate in blocks of points
            P, Wt = np.concatenate(pts), np.concatenate(wts)
            f, _ = _forward(net, P)
            out += _sum_phases(P, Wt * f, flat)
            pts, wts, held = [], [], 0
    return out.reshape(kk.shape[:-1])


def boundary_terms_2d_quadrature(net, part, k, *, n: int = 40) -> np.ndarray:
    """``|k|^{-2} ∮_∂box (i (k·n) f + ∇f·n) e^{-ik·x} ds`` by Gauss–Legendre quadrature.

    Each side of the box is split where the partition's regions meet it (``f`` is affine
    between those points) and integrated with an ``n``-point rule; ``f`` and ``∇f`` come
    from a float64 forward pass of ``net``'s weights. Independent of
    :func:`spectral_lib.spectra.boundary_terms_2d`, which uses the regions' affine maps.

    Parameters
    ----------
    net, part, n
        As in :func:`ft_2d_quadrature`.
    k : array_like of float, shape (..., 2)
        Nonzero wave vectors.

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``

    Raises
    ------
    TypeError, ValueError
        As :func:`ft_2d_quadrature`; ``ValueError`` also if some ``k`` is zero.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks, spectra
    >>> net = networks.relu_mlp(2, [6, 6], seed=0)
    >>> part = cpwl.partition_2d(net, ((-1, 1), (-1, 1)))
    >>> k = np.array([[3.0, -2.0]])
    >>> bool(np.allclose(boundary_terms_2d_quadrature(net, part, k), spectra.boundary_terms_2d(part, k)))
    True
    """
    _check(part, n)
    kk = as_wavenumbers(k, 2).reshape(-1, 2)
    k2 = np.sum(kk**2, axis=1)
    if np.any(k2 == 0):
        raise ValueError("k must be nonzero for the boundary terms")
    (x0, x1), (y0, y1) = part.box
    verts = np.concatenate(part.polygons)
    kmax = float(np.max(np.sqrt(k2)))
    out = np.zeros(kk.shape[0], dtype=np.complex128)
    sides = (((x0, y0), (x1, y0), (0.0, -1.0)), ((x1, y0), (x1, y1), (1.0, 0.0)),
             ((x1, y1), (x0, y1), (0.0, 1.0)), ((x0, y1), (x0, y0), (-1.0, 0.0)))
    eps = 1e-12 * np.hypot(x1 - x0, y1 - y0)
    for start, end, normal in sides:
        start, end, normal = np.array(start), np.array(end), np.array(normal)
        axis = 0 if normal[0] == 0 else 1  # the coordinate that varies along the side
        fixed = 1 - axis
        on = np.abs(verts[:, fixed] - start[fixed]) <= eps
        cuts = (verts[on, axis] - start[axis]) / (end[axis] - start[axis])
        t = np.unique(np.concatenate([[0.0, 1.0], cuts]))
        t = t[(t >= 0) & (t <= 1)]
        length = float(np.linalg.norm(end - start))
        for t0, t1 in zip(t[:-1], t[1:], strict=True):
            if t1 - t0 <= 1e-15:
                continue
            u, w = _gauss(max(n, _points_for(kmax * (t1 - t0) * length)))
            s = t0 + (t1 - t0) * u
            pts = start + s[:, None] * (end - start)
            f, g = _forward(net, pts)
            wts = w * (t1 - t0) * length
            kn = kk @ normal
            phase = np.exp(-1j * (kk @ pts.T))
            out += (1j * kn[:, None] * f[None, :] + (g @ normal)[None, :]) * phase @ wts
    return (out / k2).reshape(as_wavenumbers(k, 2).shape[:-1])


def hessian_variation_2d(part) -> float:
    """``Σ_E |[∂_n f]_E| |E|`` over the interior edges of a partition: the Hessian's total variation.

    The two polygons on either side of an interior edge are matched by the edge's
    midpoint (to ``1e-9`` of the box diameter); the jump is ``(g_P - g_Q)·n_P``. By the edge
    formula (the Hessian of ``f`` is this measure),
    ``k^2 |kink_transform_2d(part, k)| <= hessian_variation_2d(part)``
    for every ``k``, and ``hessian_variation_2d <= L_f Σ_P (interior perimeter of P)``.

    Parameters
    ----------
    part : cpwl.Partition2D

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D``.
    ValueError
        If an interior edge has no matching edge on the other side (a vertex of one
        polygon inside an edge of its neighbour).

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> net = networks.relu_mlp(2, [1], seed=0)   # relu(w·x + b) times a: jump |a||w|
    >>> (W1, b1), (W2, _) = networks.affine_layers(net)
    >>> part = cpwl.partition_2d(net, ((-100, 100), (-100, 100)))
    >>> v = hessian_variation_2d(part)
    >>> chord = v / (abs(W2[0, 0]) * np.linalg.norm(W1[0]))
    >>> bool(100 < chord < 300)
    True
    """
    _check(part, 2)
    a, b, owner, side = part.edges()
    (x0, x1), (y0, y1) = part.box
    diam = float(np.hypot(x1 - x0, y1 - y0))
    inner = ~side
    a, b, owner = a[inner], b[inner], owner[inner]
    length = np.linalg.norm(b - a, axis=1)
    keep = length > 1e-14 * diam
    a, b, owner, length = a[keep], b[keep], owner[keep], length[keep]
    t = (b - a) / length[:, None]
    n = np.stack([t[:, 1], -t[:, 0]], axis=1)
    gn = np.einsum("ek,ek->e", part.grads[owner], n)
    keys = np.round(0.5 * (a + b) / (1e-9 * diam)).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    if np.any(counts != 2):
        raise ValueError(f"{int(np.sum(counts != 2))} interior edges are not shared by exactly two polygons")
    jump = np.zeros(counts.size)
    np.add.at(jump, inverse.reshape(-1), gn)  # g_P·n_P + g_Q·n_Q = (g_P - g_Q)·n_P
    lengths = np.zeros(counts.size)
    np.add.at(lengths, inverse.reshape(-1), 0.5 * length)
    return float(np.sum(np.abs(jump) * lengths))
