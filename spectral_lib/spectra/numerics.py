"""Numerical building blocks of the exact transforms: validated wavenumbers, ``sinc`` and ``g3``, block sizes.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 21  # entries of a (frequencies x pieces/edges) block held at once


def as_wavenumbers(k, dim: int) -> np.ndarray:
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


def sinc(z: np.ndarray) -> np.ndarray:
    """sin(z)/z with the value 1 at z = 0."""
    return np.sinc(z / np.pi)


def nonzero_k(kk: np.ndarray, name: str) -> np.ndarray:
    k2 = kk**2 if kk.ndim == 0 or name == "1d" else np.sum(kk**2, axis=-1)
    if np.any(k2 == 0):
        raise ValueError("k = 0 is not allowed: the kink transform is defined for k != 0")
    return k2


def g3(z: np.ndarray) -> np.ndarray:
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
