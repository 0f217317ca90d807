"""Numerical building blocks of the exact transforms: validated wavenumbers, ``sinc`` and ``g3``, block sizes.

:func:`as_wavenumbers` checks and converts the wavenumbers of a transform and
:func:`nonzero_k` refuses ``k = 0`` where a transform has no value there; :func:`sinc` and
:func:`g3` give the zeroth and first moments of a segment (``∫_{-1}^{1} e^{-izu} du = 2 sinc z``,
``∫_{-1}^{1} u e^{-izu} du = -2iz g3(z)``), stable near 0; ``CHUNK`` bounds
the entries of a (frequencies x pieces) block held in memory at once.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 21  # entries of a (frequencies x pieces/edges) block held at once


def as_wavenumbers(k, dim: int) -> np.ndarray:
    """Validate the wavenumbers of an exact transform and return them as a float64 array.

    Parameters
    ----------
    k : array_like or torch.Tensor
        Angular wavenumbers: any shape ``(...)`` in 1-D; shape ``(..., 2)`` in 2-D (the last
        axis holds ``(k1, k2)``). Integer or floating dtype.
    dim : {1, 2}
        Dimension of the transform.

    Returns
    -------
    numpy.ndarray
        ``k`` as float64, same shape (a tensor is detached and copied to the CPU).

    Raises
    ------
    TypeError
        If ``k`` is complex, boolean or not numeric.
    ValueError
        If ``k`` holds NaN or infinite values, or, for ``dim == 2``, its last axis is not
        of length 2.

    Examples
    --------
    >>> as_wavenumbers([1, 2], 1)
    array([1., 2.])
    >>> as_wavenumbers([[0, 1]], 2).shape
    (1, 2)
    """
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


def sinc(z: np.ndarray) -> np.ndarray:
    """The unnormalised sinc, ``sin(z) / z``, with the value 1 at ``z = 0``.

    Parameters
    ----------
    z : numpy.ndarray
        Real arguments, any shape.

    Returns
    -------
    numpy.ndarray
        ``sin(z) / z`` elementwise (``numpy.sinc(z / pi)``).

    Raises
    ------
    None
        No check of its own: NaN propagates as in numpy.

    Examples
    --------
    >>> sinc(np.array([0.0, np.pi])).round(12)
    array([1., 0.])
    """
    return np.sinc(z / np.pi)


def nonzero_k(kk: np.ndarray, name: str) -> np.ndarray:
    """``|k|²`` of validated wavenumbers, refusing ``k = 0`` (where the kink transform has no value).

    Parameters
    ----------
    kk : numpy.ndarray
        Wavenumbers from :func:`as_wavenumbers`: shape ``(...)`` in 1-D, ``(..., 2)`` in 2-D.
    name : {"1d", "2d"}
        Which transform asks: ``"1d"`` squares ``kk`` elementwise, anything else sums the
        squares over the last axis (a 0-d ``kk`` is squared in either case).

    Returns
    -------
    numpy.ndarray
        ``k²`` (1-D, same shape as ``kk``) or ``k1² + k2²`` (2-D, shape ``kk.shape[:-1]``).

    Raises
    ------
    ValueError
        If some ``|k|`` is zero.

    Examples
    --------
    >>> nonzero_k(np.array([1.0, -2.0]), "1d")
    array([1., 4.])
    >>> nonzero_k(np.array([[3.0, 4.0]]), "2d")
    array([25.])
    """
    k2 = kk**2 if kk.ndim == 0 or name == "1d" else np.sum(kk**2, axis=-1)
    if np.any(k2 == 0):
        raise ValueError("k = 0 is not allowed: the kink transform is defined for k != 0")
    return k2


def g3(z: np.ndarray) -> np.ndarray:
    """``(sin z - z cos z) / z**3``, with its Taylor series near 0 (value 1/3 at ``z = 0``).

    It is the first moment of a segment in the exact transforms:
    ``∫_{-1}^{1} u e^{-i z u} du = -2 i z g3(z)``. For ``|z| < 0.1`` the closed form would
    cancel catastrophically, so the series (terms to ``z**10``, error below ``1e-21``) is
    used there.

    Parameters
    ----------
    z : array_like
        Real arguments, any shape.

    Returns
    -------
    numpy.ndarray
        ``g3(z)`` as float64, same shape.

    Raises
    ------
    None
        As :func:`sinc`, no check of its own.

    Examples
    --------
    >>> float(g3(np.array([0.0]))[0])
    0.3333333333333333
    >>> z = np.array([0.05, 2.0])
    >>> bool(np.allclose(g3(z), (np.sin(z) - z * np.cos(z)) / z**3, rtol=1e-10))
    True
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
