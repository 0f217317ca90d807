"""Coordinate networks: an input encoding (none, positional, Gaussian Fourier features) or SIREN.

A method is named by a string: ``"none"`` (raw coordinates), ``"posenc"`` (positional
encoding with octaves), ``"gauss:<σ>"`` (Gaussian Fourier features of scale ``σ``) or
``"siren"``. :func:`parse_method` reads the name, :func:`encode` encodes coordinates and
:func:`build` makes the network that takes the encoded input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import encodings

from .mlp import relu_mlp
from .siren import OMEGA_0, siren


def parse_method(method: str) -> tuple[str, float | None]:
    """Split a method name into its kind and its scale ``σ`` (Gaussian features only).

    Parameters
    ----------
    method : str
        ``"none"``, ``"posenc"``, ``"siren"`` or ``"gauss:<sigma>"``.

    Returns
    -------
    (str, float or None)

    Raises
    ------
    ValueError
        If the name is not one of these or ``σ`` is not a positive number.

    Examples
    --------
    >>> parse_method("gauss:10")
    ('gauss', 10.0)
    """
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    if method in ("none", "posenc", "siren"):
        return method, None
    if method.startswith("gauss:"):
        try:
            sigma = float(method.split(":", 1)[1])
        except ValueError as err:
            raise ValueError(f"bad Gaussian scale in {method!r}") from err
        if not np.isfinite(sigma) or sigma <= 0:
            raise ValueError(f"the Gaussian scale must be positive, got {method!r}")
        return "gauss", sigma
    raise ValueError(f"unknown method {method!r}; use none, posenc, siren or gauss:<sigma>")


def encode(method: str, x, *, octaves: int, n_features: int, seed: int) -> np.ndarray:
    """The network input of ``method`` for coordinates ``x`` in ``[0, 1)^d``.

    Parameters
    ----------
    method : str
        See :func:`parse_method`.
    x : array_like, shape (n, d)
        Coordinates in ``[0, 1)``.
    octaves : int
        Octaves of the positional encoding.
    n_features : int
        Number of Gaussian frequencies ``m`` (the encoding has ``2m`` dimensions).
    seed : int
        Seed of the Gaussian frequencies.

    Returns
    -------
    numpy.ndarray, shape (n, input_dim)

    Raises
    ------
    ValueError
        If ``method`` or ``x`` is invalid.

    Examples
    --------
    >>> encode("gauss:3", np.zeros((4, 2)), octaves=2, n_features=8, seed=0).shape
    (4, 16)
    """
    kind, sigma = parse_method(method)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0 or not np.all(np.isfinite(x)):
        raise ValueError("x must be a finite (n, d) array")
    if kind == "none":
        return x
    if kind == "siren":
        return 2.0 * x - 1.0
    if kind == "posenc":
        return encodings.positional_encoding(x, octaves)
    B = encodings.gaussian_frequencies(x.shape[1], n_features, sigma, seed=seed)
    return encodings.fourier_features(x, B)


def build(method: str, in_dim: int, hidden: Sequence[int], out_dim: int, seed: int, *,
          omega0: float = OMEGA_0) -> torch.nn.Module:
    """The network of ``method``: a SIREN for ``"siren"``, else a ReLU MLP.

    Parameters
    ----------
    method : str
        See :func:`parse_method`.
    in_dim, out_dim : int
        Input (encoded) and output dimensions.
    hidden : sequence of int
        Hidden widths.
    seed : int
        Initialisation seed.
    omega0 : float, default 30
        The SIREN's frequency factor ``ω₀`` (ignored by the ReLU MLP).

    Returns
    -------
    torch.nn.Sequential
        Linear layers with ReLU or sine activations between them, one output layer.

    Raises
    ------
    ValueError
        If ``method`` is unknown (see :func:`parse_method`), or a size or the seed is invalid.

    Examples
    --------
    >>> type(build("siren", 2, [8], 1, 0)[1]).__name__
    'Sine'
    """
    kind, _ = parse_method(method)
    if kind == "siren":
        return siren(in_dim, list(hidden), out_dim, omega0=omega0, seed=seed)
    return relu_mlp(in_dim, list(hidden), out_dim, seed=seed)


def param_count(in_dim: int, hidden: Sequence[int], out_dim: int = 1) -> int:
    """Number of weights and biases of an MLP (ReLU or SIREN) with these layer widths.

    Parameters
    ----------
    in_dim, out_dim : int
        Input (encoded) and output dimensions.
    hidden : sequence of int
        Hidden widths.

    Returns
    -------
    int
        ``Σ (n_in + 1) n_out`` over the linear layers.

    Raises
    ------
    ValueError
        If a width is not a positive integer.

    Examples
    --------
    >>> param_count(2, [8, 8], 1), sum(p.numel() for p in build("none", 2, [8, 8], 1, 0).parameters())
    (105, 105)
    """
    dims = [in_dim, *hidden, out_dim]
    for v in dims:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"layer widths must be positive integers, got {dims}")
    return int(sum((a + 1) * b for a, b in zip(dims[:-1], dims[1:], strict=True)))


def matched_width(in_dim: int, depth: int, target: int, out_dim: int = 1) -> int:
    """The hidden width whose ``depth`` x ``h`` MLP on ``in_dim`` inputs has closest to ``target`` parameters.

    Used to give every method of a comparison the same parameter budget: an encoding
    with a wide input spends parameters in its first layer, so its hidden layers are
    narrower.

    Parameters
    ----------
    in_dim : int
        Input (encoded) dimension.
    depth : int
        Number of hidden layers, all of width ``h``.
    target : int
        The parameter budget.
    out_dim : int, default 1

    Returns
    -------
    int
        The width (at least 1) minimising ``|param_count(in_dim, [h] * depth, out_dim) - target|``.

    Raises
    ------
    ValueError
        If an argument is not a positive integer.

    Examples
    --------
    >>> h = matched_width(64, 3, 6000)
    >>> h, param_count(64, [h] * 3)
    (40, 5921)
    """
    for name, v in (("in_dim", in_dim), ("depth", depth), ("target", target), ("out_dim", out_dim)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    best, h = 1, 1
    while True:
        if abs(param_count(in_dim, [h] * depth, out_dim) - target) < \
                abs(param_count(in_dim, [best] * depth, out_dim) - target):
            best = h
        if param_count(in_dim, [h] * depth, out_dim) > target:
            return best
        h += 1
