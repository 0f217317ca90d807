"""The exact Fourier transform of a continuous piecewise-linear function on an interval.

Convention (fixed once for the whole book): ``f~(k) = ∫ f(x) exp(-i k·x) dx`` with angular
wavenumber ``k``; on an interval ``[a, b]`` the transform is windowed,
``∫_a^b f(x) e^{-ikx} dx``.

:func:`ft_1d` sums the closed-form transforms of the pieces of a
:class:`spectral_lib.cpwl.Pieces1D` (from :func:`spectral_lib.cpwl.pieces_1d`). Two
integrations by parts split it into the part carried by the kinks,
:func:`kink_transform_1d` (``-k^{-2} Σ_j Δs_j e^{-ik x_j}``, which decays like ``k^{-2}``),
and the part carried by the interval's end points, :func:`boundary_terms_1d` (which decays
only like ``k^{-1}``). The discrete spectra of sampled functions are in
``spectral_lib.spectra.dft``; the 2-D transform is in ``spectral_lib.spectra.exact_2d``.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import cpwl

from .numerics import CHUNK, as_wavenumbers, g3, nonzero_k, sinc


def _check_pieces(p):
    if not isinstance(p, cpwl.Pieces1D):
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
    p : cpwl.Pieces1D
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
    >>> from spectral_lib import cpwl, networks
    >>> p = cpwl.pieces_1d(networks.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> bool(np.isclose(ft_1d(p, 0.0).real, np.trapezoid(p(np.linspace(0, 1, 100001)),
    ...                                                   np.linspace(0, 1, 100001))))
    True
    """
    p = _check_pieces(p)
    kk = as_wavenumbers(k, 1)
    flat = kk.ravel()
    m = 0.5 * (p.knots[:-1] + p.knots[1:])
    h = 0.5 * (p.knots[1:] - p.knots[:-1])
    s, c = p.slopes, p.intercepts
    out = np.empty(flat.size, dtype=np.complex128)
    step = max(1, CHUNK // max(1, m.size))
    for i in range(0, flat.size, step):
        kc = flat[i : i + step, None]
        z = kc * h
        terms = np.exp(-1j * kc * m) * (2 * h * (s * m + c) * sinc(z) - 2j * s * kc * h**3 * g3(z))
        out[i : i + step] = terms.sum(axis=1)
    return out.reshape(kk.shape)


def kink_transform_1d(p, k) -> np.ndarray:
    """The kinks' part of the transform: ``-k^{-2} Σ_j Δs_j e^{-ik x_j}`` over interior kinks.

    ``f'' = Σ_j Δs_j δ(x - x_j)``, so this is the transform of ``f''`` divided by ``-k^2``.
    With ``p = pieces_1d(net, interval=None)`` it is exactly the network's distributional
    Fourier transform on the whole line for ``k != 0``. On a window ``[a, b]``,
    ``ft_1d = kink_transform_1d + boundary_terms_1d``.

    Parameters
    ----------
    p : cpwl.Pieces1D
        Pieces of ``f``.
    k : array_like of float, any shape, no zeros

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``
        The kinks' part at each wavenumber.

    Raises
    ------
    TypeError
        If ``p`` is not a ``Pieces1D`` or ``k`` is not real.
    ValueError
        If ``k`` has NaN, inf or a zero.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> p = cpwl.pieces_1d(networks.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> F = ft_1d(p, [3.0, 40.0])
    >>> bool(np.allclose(F, kink_transform_1d(p, [3.0, 40.0]) + boundary_terms_1d(p, [3.0, 40.0])))
    True
    """
    p = _check_pieces(p)
    kk = as_wavenumbers(k, 1)
    k2 = nonzero_k(kk, "1d")
    flat, k2f = kk.ravel(), np.ravel(k2)
    xj, ds = p.kinks, p.slope_jumps
    out = np.zeros(flat.size, dtype=np.complex128)
    if xj.size:
        step = max(1, CHUNK // xj.size)
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
    p, k
        As in :func:`kink_transform_1d`.

    Returns
    -------
    numpy.ndarray of complex128, shape of ``k``
        The window ends' part at each wavenumber.

    Raises
    ------
    TypeError, ValueError
        As :func:`kink_transform_1d`.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> p = cpwl.pieces_1d(networks.relu_mlp(1, [8], seed=0), (0.0, 1.0))
    >>> boundary_terms_1d(p, [1.0, 2.0]).shape
    (2,)
    """
    p = _check_pieces(p)
    kk = as_wavenumbers(k, 1)
    nonzero_k(kk, "1d")
    a, b = p.interval
    fa = p.slopes[0] * a + p.intercepts[0]
    fb = p.slopes[-1] * b + p.intercepts[-1]

    def term(x, f, df):
        return np.exp(-1j * kk * x) * (1j * f / kk + df / kk**2)

    return term(b, fb, p.slopes[-1]) - term(a, fa, p.slopes[0])
