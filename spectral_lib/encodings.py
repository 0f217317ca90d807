"""Input encodings for coordinate networks: positional encoding and Gaussian Fourier features.

:func:`positional_encoding` is the NeRF-style encoding of Lazzari & Liu's scripts,

.. math::

    \\gamma_L(p) = \\big(\\sin(2^l \\pi p), \\cos(2^l \\pi p)\\big)_{l = 0, \\dots, L - 1}

applied to every coordinate ``p`` of the input, with ``L = n_octaves``. For a ``d``-dimensional
input the encoding has ``2 d L`` dimensions, ordered octave by octave, and within one
octave coordinate by coordinate, ``sin`` before ``cos`` (for images:
``sin x, cos x, sin y, cos y`` for each ``l``, as in the image scripts).

**The two meanings of "L" in the original scripts.** In the image scripts ``L`` is the
number of octaves (``l = 0..L-1``, dimension ``4L``), as here. In the 1-D scripts the
encodings are written out by hand with ``l = 0..3`` and ``l = 0..6`` and labelled
"L=3" and "L=6": there "L" is the *largest exponent*, so "L=3" is ``n_octaves=4``
(8 dimensions) and "L=6" is ``n_octaves=7`` (14 dimensions).

:func:`encoded_dim` gives the encoded dimension and :func:`positional_encoding_speed` the
constant speed of the 1-D encoding curve ``p -> gamma_L(p)`` (its arc length per unit of
input). :func:`fourier_features` is Tancik et al.'s (2020) mapping
``[a_j cos(2π b_jᵀv), a_j sin(2π b_jᵀv)]``, with Gaussian frequencies ``b_j ~ N(0, σ² I)``
from :func:`gaussian_frequencies`.
"""

from __future__ import annotations

import numpy as np
import torch

from spectral_lib import seeding, validation


def _coordinates(x) -> tuple[torch.Tensor, bool]:
    """``x`` as a finite 2-D tensor ``(n, d)`` (a 1-D input as ``d = 1``), and whether it was one.

    A tensor keeps its floating dtype and device (an integer tensor takes the default dtype);
    anything else becomes a float64 tensor sharing its memory where it can.
    """
    is_tensor = isinstance(x, torch.Tensor)
    if is_tensor:
        if not (x.is_floating_point() or x.dtype in (torch.int32, torch.int64)):
            raise TypeError(f"x must be a real tensor, got dtype {x.dtype}")
        t = x if x.is_floating_point() else x.to(torch.get_default_dtype())
    else:
        arr = np.asarray(x)
        if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
            raise TypeError(f"x must be real numbers, got dtype {arr.dtype}")
        t = torch.from_numpy(arr.astype(np.float64, copy=False))
    if t.ndim == 1:
        t = t[:, None]
    if t.ndim != 2 or t.shape[0] == 0 or t.shape[1] == 0:
        raise ValueError(f"x must have shape (n,) or (n, d) with n, d >= 1, got {tuple(t.shape)}")
    if not bool(torch.isfinite(t).all()):
        raise ValueError("x contains NaN or infinite values")
    return t, is_tensor


def encoded_dim(in_dim: int, n_octaves: int) -> int:
    """Dimension ``2 * in_dim * n_octaves`` of :func:`positional_encoding`'s output.

    Parameters
    ----------
    in_dim : int
        Number of input coordinates.
    n_octaves : int
        Number of octaves ``L``.

    Returns
    -------
    int
        The encoded dimension.

    Raises
    ------
    ValueError
        If ``in_dim`` or ``n_octaves`` is not a positive integer.

    Examples
    --------
    >>> encoded_dim(1, 7), encoded_dim(2, 4)
    (14, 16)
    """
    in_dim = validation.check_positive_int("in_dim", in_dim)
    return 2 * in_dim * validation.check_positive_int("n_octaves", n_octaves)


def positional_encoding(x, n_octaves: int):
    """NeRF-style positional encoding ``[sin(2^l pi x), cos(2^l pi x)]`` for ``l < n_octaves``.

    Parameters
    ----------
    x : array_like or torch.Tensor, shape (n,) or (n, d)
        Coordinates; a 1-D input is read as ``n`` points with ``d = 1``.
    n_octaves : int
        Number of octaves ``L`` (frequencies ``2^0 pi, ..., 2^(L-1) pi``). Lazzari & Liu's
        1-D "L=3" and "L=6" are ``n_octaves = 4`` and ``7``; their image "L" is
        ``n_octaves`` itself (see the module docstring).

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, 2 * d * n_octaves)
        Same kind (and, for tensors, dtype and device) as ``x``. Column
        ``2 (l d + j)`` is ``sin(2^l pi x_j)`` and column ``2 (l d + j) + 1`` is
        ``cos(2^l pi x_j)``.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D or 2-D, is empty, or holds NaN/inf, or ``n_octaves`` is not a
        positive integer.
    TypeError
        If ``x`` is not numeric.

    Examples
    --------
    >>> positional_encoding(np.array([0.5]), 2).round(12)
    array([[ 1.,  0.,  0., -1.]])
    """
    n_octaves = validation.check_positive_int('n_octaves', n_octaves)
    t, is_tensor = _coordinates(x)
    freqs = torch.pi * 2.0 ** torch.arange(n_octaves, dtype=t.dtype, device=t.device)
    phase = t[:, None, :] * freqs[None, :, None]  # (n, L, d)
    out = torch.stack((torch.sin(phase), torch.cos(phase)), dim=-1).reshape(t.shape[0], -1)
    return out if is_tensor else out.numpy()


def positional_encoding_speed(n_octaves: int) -> float:
    """Speed ``|d gamma / dp|`` of the 1-D encoding curve, a constant: ``pi sqrt((4^L - 1) / 3)``.

    The derivative of ``(sin(2^l pi p), cos(2^l pi p))`` has norm ``2^l pi``, so the curve
    ``p -> gamma_L(p)`` in ``R^{2L}`` moves at speed ``pi sqrt(sum_l 4^l)``. An interval of
    length ``b - a`` therefore maps to a curve of arc length ``(b - a)`` times this speed.
    (The sum of the per-octave circle lengths, ``pi (2^L - 1)`` per unit, is a different,
    larger number; it is not the arc length of the joint curve.)

    Parameters
    ----------
    n_octaves : int
        Number of octaves ``L``.

    Returns
    -------
    float
        The speed.

    Raises
    ------
    ValueError
        If ``n_octaves`` is not a positive integer.

    Examples
    --------
    >>> round(positional_encoding_speed(1) / np.pi, 12)
    1.0
    """
    n_octaves = validation.check_positive_int('n_octaves', n_octaves)
    return float(np.pi * np.sqrt((4.0**n_octaves - 1.0) / 3.0))


def gaussian_frequencies(in_dim: int, n_features: int, sigma: float, *, seed: int = 0) -> np.ndarray:
    """Random frequencies ``b_j ~ N(0, sigma² I)`` for :func:`fourier_features` (Tancik et al.).

    Parameters
    ----------
    in_dim : int
        Input dimension ``d``.
    n_features : int
        Number ``m`` of frequencies.
    sigma : float
        Standard deviation (cycles per unit of input); positive.
    seed : int, default 0
        Seed of a private NumPy generator.

    Returns
    -------
    numpy.ndarray, shape (n_features, in_dim)

    Raises
    ------
    ValueError
        If a size is not a positive integer, ``sigma`` is not positive and finite or
        ``seed`` is negative.

    Examples
    --------
    >>> gaussian_frequencies(2, 4, 10.0, seed=0).shape
    (4, 2)
    """
    in_dim = validation.check_positive_int("in_dim", in_dim)
    n_features = validation.check_positive_int("n_features", n_features)
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)):
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    if not np.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be positive and finite, got {sigma!r}")
    seed = validation.check_seed(seed)
    return float(sigma) * seeding.rng(seed).standard_normal((n_features, in_dim))


def fourier_features(x, B, a=None):
    """Tancik et al.'s Fourier feature mapping ``γ(v) = [a_j cos(2π b_jᵀv), a_j sin(2π b_jᵀv)]``.

    With ``B`` from :func:`gaussian_frequencies` this is the "Gaussian" mapping; with
    ``B = diag``-like rows ``2^l e_i`` and ``a = 1`` it is a positional encoding. The
    inner product of two encodings, ``Σ_j a_j² cos(2π b_jᵀ(v - v'))``, depends on ``v - v'``
    only: the mapping makes any kernel of ``γ(v)ᵀγ(v')`` stationary.

    Parameters
    ----------
    x : array_like or torch.Tensor, shape (n,) or (n, d)
        Inputs; a 1-D input is read as ``n`` points with ``d = 1``.
    B : array_like, shape (m, d)
        Frequencies ``b_j`` (cycles per unit of input).
    a : array_like, shape (m,), optional
        Amplitudes ``a_j``; all ones by default.

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, 2m)
        Same kind as ``x`` (tensors keep dtype and device). Columns ``0..m-1`` are the
        cosines, ``m..2m-1`` the sines.

    Raises
    ------
    ValueError
        If shapes disagree or a value is NaN/inf.
    TypeError
        If ``x`` is not real-valued.

    Examples
    --------
    >>> fourier_features(np.array([0.25]), np.array([[1.0]])).round(12)
    array([[0., 1.]])
    """
    t, is_tensor = _coordinates(x)
    Bn = np.asarray(B, dtype=np.float64)
    if Bn.ndim != 2 or Bn.shape[1] != t.shape[1] or Bn.shape[0] == 0:
        raise ValueError(f"B must have shape (m, {t.shape[1]}), got {Bn.shape}")
    an = np.ones(Bn.shape[0]) if a is None else np.asarray(a, dtype=np.float64)
    if an.shape != (Bn.shape[0],):
        raise ValueError(f"a must have shape ({Bn.shape[0]},), got {an.shape}")
    if not (np.all(np.isfinite(Bn)) and np.all(np.isfinite(an))):
        raise ValueError("B and a must be finite")
    Bt = torch.as_tensor(Bn, dtype=t.dtype, device=t.device)
    at = torch.as_tensor(an, dtype=t.dtype, device=t.device)
    phase = 2 * torch.pi * t @ Bt.T
    out = torch.cat((at * torch.cos(phase), at * torch.sin(phase)), dim=1)
    return out if is_tensor else out.numpy()


def input_label(kind: tuple) -> str:
    """Readable label of an input type ``("coords", (a, b))``, ``("pe", L)`` or ``("repeat", L)``.

    Parameters
    ----------
    kind : tuple
        ``("coords", (a, b))`` for raw coordinates on ``[a, b]``, ``("pe", L)`` for the
        positional encoding with ``L`` octaves, or ``("repeat", L)`` for the coordinates on
        ``[-1, 1]`` repeated in place of every one of the encoding's ``2 d L`` columns (the
        scripts' ``repeat_xy``, Lazzari & Liu's restricted encoding: the dimension of the
        encoding without its frequencies).

    Returns
    -------
    str
        E.g. ``"coords [-1, 1]"``, ``"PE L=4"`` or ``"repeat L=5"``.

    Raises
    ------
    ValueError
        If ``kind`` is neither form.

    Examples
    --------
    >>> input_label(("coords", (-1.0, 1.0))), input_label(("pe", 7)), input_label(("repeat", 5))
    ('coords [-1, 1]', 'PE L=7', 'repeat L=5')
    """
    if isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "coords":
        a, b = validation.check_interval(kind[1])
        return f"coords [{a:g}, {b:g}]"
    if isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "pe":
        return f"PE L={validation.check_positive_int('n_octaves', kind[1])}"
    if isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "repeat":
        return f"repeat L={validation.check_positive_int('n_repeats', kind[1])}"
    raise ValueError(f"input kind must be ('coords', (a, b)), ('pe', L) or ('repeat', L), got {kind!r}")


def encode_inputs(kind: tuple, u) -> np.ndarray:
    """Inputs of one kind (see :func:`input_label`) for unit coordinates ``u`` in ``[0, 1]``.

    Parameters
    ----------
    kind : tuple
        ``("coords", (a, b))``: the coordinates mapped affinely to ``[a, b]``; ``("pe", L)``:
        their :func:`positional_encoding` with ``L`` octaves; ``("repeat", L)``: the
        coordinates mapped to ``[-1, 1]``, each column of the encoding with ``L`` octaves
        replaced by the coordinate it encodes.
    u : array_like, shape (n, d)
        Unit coordinates.

    Returns
    -------
    numpy.ndarray
        The network's inputs, shape ``(n, d)`` or ``(n, 2 d L)``.

    Raises
    ------
    ValueError
        For a ``kind`` that :func:`input_label` rejects.

    Examples
    --------
    >>> encode_inputs(("coords", (-1.0, 1.0)), np.array([[0.0], [1.0]]))[:, 0]
    array([-1.,  1.])
    >>> encode_inputs(("repeat", 2), np.array([[0.25, 1.0]]))
    array([[-0.5, -0.5,  1. ,  1. , -0.5, -0.5,  1. ,  1. ]])
    """
    input_label(kind)
    if kind[0] == "coords":
        a, b = validation.check_interval(kind[1])
        return a + (b - a) * np.asarray(u)
    if kind[0] == "repeat":
        t, _ = _coordinates(u)
        x = 2.0 * t.detach().cpu().numpy().astype(np.float64) - 1.0          # (n, d) on [-1, 1]
        return np.tile(np.repeat(x, 2, axis=1), (1, kind[1]))
    return positional_encoding(u, kind[1])
