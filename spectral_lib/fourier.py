"""Fourier spectra of ReLU networks: exact transforms of CPWL functions and discrete spectra.

Convention (fixed once for the whole book): ``f~(k) = ∫ f(x) exp(-i k·x) dx`` with angular
wavenumber ``k``.  For a function sampled on the grid ``x_n = n/N`` (n = 0..N-1) of [0, 1),
the discrete spectrum is Rahaman et al.'s ``|FFT(y)| / N`` on the first ``N/2`` bins, where
bin ``m`` is the frequency ``m`` in cycles per unit interval (angular ``k = 2πm``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _as_samples(y) -> np.ndarray:
    arr = np.asarray(y.detach().cpu().numpy() if hasattr(y, "detach") else y)
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError("samples must be an array whose last axis holds at least 2 grid values")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"samples must be numeric, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("samples contain NaN or infinite values")
    return arr


def dft_amplitudes(y) -> np.ndarray:
    """One-sided DFT magnitudes ``|FFT(y)| / N`` on bins ``0 .. N//2 - 1``.

    This is the official code's spectrum: for ``N`` samples on ``arange(0, 1, 1/N)``, bin
    ``m`` is the integer frequency ``m`` (cycles per unit interval), and a sinusoid
    ``A sin(2π m x + φ)`` with integer ``m`` reads ``A/2`` in bin ``m`` with no leakage.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.

    Returns
    -------
    numpy.ndarray, shape (..., N // 2)
        Magnitudes, float64.

    Raises
    ------
    ValueError
        If ``y`` has fewer than 2 samples on its last axis or contains NaN/inf.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> a = dft_amplitudes(3 * np.sin(2 * np.pi * 5 * x))
    >>> round(float(a[5]), 12)
    1.5
    """
    arr = _as_samples(y).astype(np.float64 if not np.iscomplexobj(y) else np.complex128)
    n = arr.shape[-1]
    return np.abs(np.fft.fft(arr, axis=-1) / n)[..., : n // 2]


def normalised_amplitudes(y, freqs, amplitudes=1.0) -> np.ndarray:
    """Rahaman et al.'s normalised amplitude ``2 |F[k_i]| / A_i`` at target frequencies.

    A perfectly fitted component ``A_i sin(2π k_i x + φ_i)`` reads exactly 1.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.
    freqs : array_like of int, shape (m,)
        Target frequencies in cycles per unit interval, each in ``1 .. N//2 - 1``.
    amplitudes : float or array_like, shape (m,), default 1.0
        The target amplitudes ``A_i`` (non-zero).

    Returns
    -------
    numpy.ndarray, shape (..., m)
        ``2 |F[k_i]| / A_i``.

    Raises
    ------
    ValueError
        If a frequency is not an integer in range, or an amplitude is zero or non-finite.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> y = np.sin(2 * np.pi * 5 * x) + 0.5 * np.sin(2 * np.pi * 10 * x + 1.0)
    >>> np.round(normalised_amplitudes(y, [5, 10], [1.0, 0.5]), 12)
    array([1., 1.])
    """
    spec = dft_amplitudes(y)
    n_bins = spec.shape[-1]
    k = np.asarray(freqs)
    if k.ndim != 1 or k.size == 0:
        raise ValueError("freqs must be a non-empty 1-D sequence of integer frequencies")
    if not np.all(np.isfinite(k)) or not np.all(np.equal(np.round(k), k)):
        raise ValueError(f"freqs must be integers (cycles per unit interval), got {freqs!r}")
    k = k.astype(int)
    if np.any(k < 1) or np.any(k >= n_bins):
        raise ValueError(f"freqs must lie in 1..{n_bins - 1} for {2 * n_bins} samples, got {freqs!r}")
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), k.shape)
    if not np.all(np.isfinite(amps)) or np.any(amps == 0):
        raise ValueError("amplitudes must be finite and non-zero")
    return 2.0 * spec[..., k] / amps


# --------------------------------------------------------------------------------------
# Exact transforms of CPWL functions
# --------------------------------------------------------------------------------------

_CHUNK = 1 << 21  # entries of a (frequencies x pieces/edges) block held at once


def _as_k(k, dim: int) -> np.ndarray:
    """Validate frequencies: real, finite; shape (...) in 1-D, (..., 2) in 2-D."""
    if hasattr(k, "detach"):
        k = k.detach().cpu().numpy()
    arr = np.asarray(k)
    if np.iscomplexobj(arr):
        raise TypeError("k must be real (angular wavenumbers), got a complex array")
    real = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    if arr.dtype == bool or not real:
        raise TypeError(f"k must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("k contains NaN or infinite values")
    if dim == 2 and (arr.ndim == 0 or arr.shape[-1] != 2):
        raise ValueError(f"k must have shape (..., 2) for a 2-D transform, got {arr.shape}")
    return arr


def _sinc(z: np.ndarray) -> np.ndarray:
    """sin(z)/z with the value 1 at z = 0."""
    return np.sinc(z / np.pi)


def _g3(z: np.ndarray) -> np.ndarray:
    """(sin z - z cos z) / z**3, with its Taylor series near 0 (value 1/3 at z = 0).

    ``∫_{-1}^{1} u e^{-i z u} du = -2 i z g3(z)``.
    """
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    small = np.abs(z) < 0.1
    zs = z[small] ** 2
    # sum_{n>=1} (-1)^(n+1) 2n z^(2n-2) / (2n+1)!, terms to z^10: error < 1e-21
    tail = zs * (1 / 3991680 - zs / 518918400)
    out[small] = 1 / 3 + zs * (-1 / 30 + zs * (1 / 840 + zs * (-1 / 45360 + tail)))
    zl = z[~small]
    out[~small] = (np.sin(zl) - zl * np.cos(zl)) / zl**3
    return out


def _check_pieces(p):
    from .pwl import Pieces1D

    if not isinstance(p, Pieces1D):
        raise TypeError(f"expected a pwl.Pieces1D (from pwl.pieces_1d), got {type(p).__name__}")
    return p


def ft_1d(p, k) -> np.ndarray:
    """Exact windowed Fourier transform ``∫_a^b f(x) e^{-ikx} dx`` of a CPWL function.

    Each piece contributes a closed form. Written about the piece's midpoint ``m`` with
    half-width ``h``, ``∫ (s x + c) e^{-ikx} dx = e^{-ikm} [2h (s m + c) sinc(kh)
    - 2i s k h^3 g(kh)]`` with ``g(z) = (sin z - z cos z)/z^3``; both are evaluated stably
    for small ``kh`` (series), so ``k = 0`` gives the plain integral without a special case.

    Parameters
    ----------
    p : pwl.Pieces1D
        Pieces of ``f`` on ``[a, b]``.
    k : array_like of float, any shape
        Angular wavenumbers (``k = 0`` allowed).

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError
        If ``p`` is not a ``Pieces1D`` or ``k`` is not real.
    ValueError
        If ``k`` has NaN or inf.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> bool(np.isclose(ft_1d(p, 0.0).real, np.trapezoid(p(np.linspace(0, 1, 100001)),
    ...                                                   np.linspace(0, 1, 100001))))
    True
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    flat = kk.ravel()
    m = 0.5 * (p.knots[:-1] + p.knots[1:])
    h = 0.5 * (p.knots[1:] - p.knots[:-1])
    s, c = p.slopes, p.intercepts
    out = np.empty(flat.size, dtype=np.complex128)
    step = max(1, _CHUNK // max(1, m.size))
    for i in range(0, flat.size, step):
        kc = flat[i : i + step, None]
        z = kc * h
        terms = np.exp(-1j * kc * m) * (2 * h * (s * m + c) * _sinc(z) - 2j * s * kc * h**3 * _g3(z))
        out[i : i + step] = terms.sum(axis=1)
    return out.reshape(kk.shape)


def _nonzero_k(kk: np.ndarray, name: str) -> np.ndarray:
    k2 = kk**2 if kk.ndim == 0 or name == "1d" else np.sum(kk**2, axis=-1)
    if np.any(k2 == 0):
        raise ValueError("k = 0 is not allowed: the kink transform is defined for k != 0")
    return k2


def kink_transform_1d(p, k) -> np.ndarray:
    """The kinks' part of the transform: ``-k^{-2} Σ_j Δs_j e^{-ik x_j}`` over interior kinks.

    ``f'' = Σ_j Δs_j δ(x - x_j)``, so this is the transform of ``f''`` divided by ``-k^2``.
    With ``p = pieces_1d(net, interval=None)`` it is exactly the network's distributional
    Fourier transform on the whole line for ``k != 0``. On a window ``[a, b]``,
    ``ft_1d = kink_transform_1d + boundary_terms_1d``.

    Parameters
    ----------
    p : pwl.Pieces1D
        Pieces of ``f``.
    k : array_like of float, any shape, no zeros

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError
        If ``p`` is not a ``Pieces1D`` or ``k`` is not real.
    ValueError
        If ``k`` has NaN, inf or a zero.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> F = ft_1d(p, [3.0, 40.0])
    >>> bool(np.allclose(F, kink_transform_1d(p, [3.0, 40.0]) + boundary_terms_1d(p, [3.0, 40.0])))
    True
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    k2 = _nonzero_k(kk, "1d")
    flat, k2f = kk.ravel(), np.ravel(k2)
    xj, ds = p.kinks, p.slope_jumps
    out = np.zeros(flat.size, dtype=np.complex128)
    if xj.size:
        step = max(1, _CHUNK // xj.size)
        for i in range(0, flat.size, step):
            kc = flat[i : i + step, None]
            out[i : i + step] = (ds * np.exp(-1j * kc * xj)).sum(axis=1)
    return (-out / k2f).reshape(kk.shape)


def boundary_terms_1d(p, k) -> np.ndarray:
    """Boundary terms of the windowed transform: ``[e^{-ikx} (i f(x)/k + f'(x)/k^2)]_a^b``.

    Two integrations by parts give ``∫_a^b f e^{-ikx} dx = boundary_terms_1d +
    kink_transform_1d`` for ``k != 0``: the jump of ``f`` at the window's ends (``1/k``)
    and of ``f'`` (``1/k^2``), the reason a windowed transform decays only like ``1/k``.

    Parameters
    ----------
    p : pwl.Pieces1D
    k : array_like of float, any shape, no zeros

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``

    Raises
    ------
    TypeError, ValueError
        As :func:`kink_transform_1d`.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> p = pwl.pieces_1d(nets.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> boundary_terms_1d(p, [1.0, 2.0]).shape
    (2,)
    """
    p = _check_pieces(p)
    kk = _as_k(k, 1)
    _nonzero_k(kk, "1d")
    a, b = p.interval
    fa = p.slopes[0] * a + p.intercepts[0]
    fb = p.slopes[-1] * b + p.intercepts[-1]

    def term(x, f, df):
        return np.exp(-1j * kk * x) * (1j * f / kk + df / kk**2)

    return term(b, fb, p.slopes[-1]) - term(a, fa, p.slopes[0])


# --------------------------------------------------------------------------------------
# 2-D: polygons reduced to edge integrals
# --------------------------------------------------------------------------------------

_TAYLOR_RADIUS = 0.25  # |k| * (box half-diagonal) below which the Taylor series is used
_TAYLOR_ORDER = 12  # remainder <= 0.25**13 / 13! < 3e-18 relative


def _check_partition(part):
    from .pwl import Partition2D

    if not isinstance(part, Partition2D):
        raise TypeError(f"expected a pwl.Partition2D (from pwl.partition_2d), got {type(part).__name__}")
    return part


def _edge_integral(k, m, h, phi_m, dphi_h):
    """``∫_e φ(x) e^{-ik·x} ds / |e|`` for affine φ on the edge ``m + u h``, ``u ∈ [-1, 1]``.

    ``= e^{-ik·m} [φ(m) sinc(κ) - i (∇φ·h) κ g3(κ)]`` with ``κ = k·h``; exact for every
    ``κ`` including 0 (k ⟂ the edge). Shapes: k (K, 2); m, h (E, 2); phi_m, dphi_h (K, E) or (E,).
    """
    kappa = k @ h.T
    return np.exp(-1j * (k @ m.T)) * (phi_m * _sinc(kappa) - 1j * dphi_h * kappa * _g3(kappa))


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
    part : pwl.Partition2D
        Regions of ``f`` on the box.
    k : array_like of float, shape (..., 2)
        Wave vectors (``k = 0`` and ``k`` perpendicular to an edge allowed).

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``k`` is not real.
    ValueError
        If ``k`` does not end in an axis of length 2 or has NaN/inf.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> part = pwl.partition_2d(nets.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> F = ft_2d(part, [[0.0, 0.0], [3.0, 0.0]])
    >>> F.shape
    (2,)
    """
    part = _check_partition(part)
    kk = _as_k(k, 2)
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
        step = max(1, _CHUNK // max(1, ed.m_in.shape[0]))
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
    part : pwl.Partition2D
    k : array_like of float, shape (..., 2), no zero vector

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``

    Raises
    ------
    TypeError
        If ``part`` is not a ``Partition2D`` or ``k`` is not real.
    ValueError
        If ``k`` is malformed, non-finite or contains ``k = 0``.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> part = pwl.partition_2d(nets.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> k = np.array([[5.0, 1.0], [0.0, 9.0]])
    >>> bool(np.allclose(ft_2d(part, k), kink_transform_2d(part, k) + boundary_terms_2d(part, k)))
    True
    """
    part = _check_partition(part)
    kk = _as_k(k, 2)
    _nonzero_k(kk, "2d")
    flat = kk.reshape(-1, 2)
    ed = _EdgeData(part)
    out = np.empty(flat.shape[0], dtype=np.complex128)
    step = max(1, _CHUNK // max(1, ed.m_in.shape[0]))
    for i in range(0, flat.shape[0], step):
        kc = flat[i : i + step]
        out[i : i + step] = ed.kinks(kc) / np.sum(kc**2, axis=1)
    return out.reshape(kk.shape[:-1])


def boundary_terms_2d(part, k) -> np.ndarray:
    """Boundary terms of the windowed transform: ``|k|^{-2} ∮_∂box (i (k·n) f + ∇f·n) e^{-ik·x} ds``.

    Green's second identity with ``Δ e^{-ik·x} = -|k|^2 e^{-ik·x}`` splits the windowed
    transform into the kinks' part and this integral over the box's sides (outward normal
    ``n``), with ``f`` and ``∇f`` taken from the regions touching the sides.

    Parameters
    ----------
    part : pwl.Partition2D
    k : array_like of float, shape (..., 2), no zero vector

    Returns
    -------
    numpy.ndarray of complex128, shape ``k.shape[:-1]``

    Raises
    ------
    TypeError, ValueError
        As :func:`kink_transform_2d`.

    Examples
    --------
    >>> from spectral_lib import nets, pwl
    >>> part = pwl.partition_2d(nets.relu_mlp(2, [8], seed=0), ((0, 1), (0, 1)))
    >>> boundary_terms_2d(part, [[1.0, 2.0]]).shape
    (1,)
    """
    part = _check_partition(part)
    kk = _as_k(k, 2)
    _nonzero_k(kk, "2d")
    flat = kk.reshape(-1, 2)
    ed = _EdgeData(part)
    out = np.empty(flat.shape[0], dtype=np.complex128)
    step = max(1, _CHUNK // max(1, ed.m_side.shape[0]))
    for i in range(0, flat.shape[0], step):
        kc = flat[i : i + step]
        out[i : i + step] = ed.sides(kc) / np.sum(kc**2, axis=1)
    return out.reshape(kk.shape[:-1])


# --------------------------------------------------------------------------------------
# Spectra of sampled functions: radial average and decay exponent
# --------------------------------------------------------------------------------------


def radial_spectrum(y) -> tuple[np.ndarray, np.ndarray]:
    """Radially averaged amplitude spectrum of samples on the ``N x N`` grid of ``[0, 1)^2``.

    The 2-D analogue of :func:`dft_amplitudes`: ``|FFT2(y)| / N^2`` (so a component
    ``A sin(2π m·x + φ)`` with integer ``m`` puts ``A/2`` in each of the bins ``±m``),
    averaged over the annuli ``round(|m|) = r`` for ``r = 0 .. N//2 - 1`` (frequencies in
    cycles per unit length; the corners beyond ``N/2`` are left out).

    Parameters
    ----------
    y : array_like, shape (..., N, N)
        Samples ``y[..., i, j] = f(i/N, j/N)``, ``N >= 4``.

    Returns
    -------
    freqs : numpy.ndarray of int, shape (N // 2,)
        ``r = 0 .. N//2 - 1``.
    amplitudes : numpy.ndarray, shape (..., N // 2)
        Mean of ``|FFT2| / N^2`` over each annulus.

    Raises
    ------
    ValueError
        If the last two axes are not equal and at least 4 long, or ``y`` has NaN/inf.
    TypeError
        If ``y`` is not numeric.

    Examples
    --------
    >>> g = np.arange(64) / 64
    >>> X, Y = np.meshgrid(g, g, indexing="ij")
    >>> r, a = radial_spectrum(np.cos(2 * np.pi * (3 * X + 4 * Y)))
    >>> int(r[np.argmax(a[1:]) + 1])
    5
    """
    arr = _as_samples(y)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] < 4:
        raise ValueError(f"y must end in two equal axes of length >= 4 (an N x N grid), got {arr.shape}")
    n = arr.shape[-1]
    amp = np.abs(np.fft.fft2(arr.astype(np.float64 if not np.iscomplexobj(arr) else np.complex128))) / n**2
    m = np.fft.fftfreq(n, d=1.0 / n)
    r = np.rint(np.hypot(m[:, None], m[None, :])).astype(int)
    n_bins = n // 2
    inside = r < n_bins
    counts = np.bincount(r[inside], minlength=n_bins)
    flat = amp.reshape(-1, n * n)[:, inside.ravel()]
    sums = np.stack([np.bincount(r[inside], weights=row, minlength=n_bins) for row in flat])
    return np.arange(n_bins), (sums / counts).reshape(*arr.shape[:-2], n_bins)


@dataclass(frozen=True)
class DecayFit:
    """A power-law fit ``amplitude ≈ prefactor * k^(-exponent)`` on ``[k_min, k_max]``.

    Parameters
    ----------
    exponent : float
        The decay exponent ``α`` (positive for a decaying spectrum).
    prefactor : float
        ``C``.
    k_min, k_max : float
        The fitted range (inclusive).
    n_points : int
        Number of points in the range.
    residual : float
        Root-mean-square residual of the fit in ``log`` amplitude (natural log).
    """

    exponent: float
    prefactor: float
    k_min: float
    k_max: float
    n_points: int
    residual: float

    def __call__(self, k) -> np.ndarray:
        """The fitted power law at ``k``."""
        return self.prefactor * np.asarray(k, dtype=np.float64) ** (-self.exponent)


def decay_exponent(k, amplitude, k_range=None) -> DecayFit:
    """Least-squares fit of ``log|amplitude| = log C - α log k`` over a stated range of ``k``.

    Parameters
    ----------
    k : array_like of float, shape (n,)
        Positive frequencies (any units; the exponent does not depend on them).
    amplitude : array_like, shape (n,)
        Spectrum magnitudes (complex values are replaced by their modulus).
    k_range : (float, float), optional
        Inclusive ``(k_min, k_max)``; default: all points.

    Returns
    -------
    DecayFit
        ``exponent`` α, ``prefactor`` C, the range, the number of points and the rms log
        residual.

    Raises
    ------
    ValueError
        If shapes differ, values are not finite, a ``k`` in range is not positive, an
        amplitude in range is zero (its log is undefined), the range is empty or reversed,
        or fewer than 2 distinct ``k`` fall in it.

    Examples
    --------
    >>> k = np.arange(1.0, 100.0)
    >>> round(decay_exponent(k, 3 * k**-2.0, (10, 90)).exponent, 12)
    2.0
    """
    kk = np.asarray(k, dtype=np.float64)
    amp = np.abs(np.asarray(amplitude))
    if kk.ndim != 1 or amp.shape != kk.shape:
        raise ValueError(f"k and amplitude must be 1-D of equal length, got {kk.shape} and {amp.shape}")
    if not (np.all(np.isfinite(kk)) and np.all(np.isfinite(amp))):
        raise ValueError("k and amplitude must be finite")
    if k_range is None:
        lo, hi = float(np.min(kk)), float(np.max(kk))
    else:
        lo, hi = (float(v) for v in k_range)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"k_range must be a finite (k_min, k_max) with k_min < k_max, got {k_range!r}")
    sel = (kk >= lo) & (kk <= hi)
    if np.any(kk[sel] <= 0):
        raise ValueError("frequencies in the fitted range must be positive")
    if np.any(amp[sel] == 0):
        raise ValueError("an amplitude in the fitted range is zero; its logarithm is undefined")
    if np.unique(kk[sel]).size < 2:
        raise ValueError(f"fewer than 2 distinct frequencies in the range [{lo}, {hi}]")
    x, yv = np.log(kk[sel]), np.log(amp[sel])
    A = np.stack([np.ones_like(x), -x], axis=1)
    (logc, alpha), *_ = np.linalg.lstsq(A, yv, rcond=None)
    res = float(np.sqrt(np.mean((A @ np.array([logc, alpha]) - yv) ** 2)))
    return DecayFit(float(alpha), float(np.exp(logc)), lo, hi, int(sel.sum()), res)
