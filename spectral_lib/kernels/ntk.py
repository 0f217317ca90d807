"""The neural tangent kernel view of spectral bias.

For a network ``f(x; θ)`` with scalar output, the **empirical neural tangent kernel** on
points ``x_1..x_N`` is the Gram matrix of its parameter gradients,

.. math::

    K_{ij} = \\nabla_\\theta f(x_i; \\theta) \\cdot \\nabla_\\theta f(x_j; \\theta).

Near a wide network's initialisation, full-batch gradient descent with learning rate
``η`` on the mean squared error ``(1/N) Σ_i (f(x_i) - y_i)^2`` moves the residual
``r = f - y`` on the training points linearly,

.. math::

    r_{t+1} = \\Big(I - \\frac{2η}{N} K\\Big) r_t ,

so the component of ``r`` along the eigenvector ``v_n`` of ``K`` (eigenvalue ``λ_n``) decays
like ``(1 - 2ηλ_n/N)^t ≈ e^{-2ηλ_n t/N}``. On points spread uniformly over the circle the
eigenvectors are close to Fourier modes, ordered by frequency, and the eigenvalues fall
off with frequency: that is spectral bias in the kernel regime.

This module computes the empirical NTK (:func:`jacobian`, per-sample Jacobians with
``torch.func``, batched with ``vmap``; :func:`empirical_ntk`), its eigendecomposition in
decreasing order (:func:`eigh_descending`) and its Rayleigh quotients on the Fourier modes
of given frequencies (:func:`mode_eigenvalues`), and the per-sample gradient cosines of the
squared loss that it determines (:func:`normalised_kernel`, :func:`gradient_cosines_from_ntk`:
"gradient confusion" is the normalised kernel times the residuals' signs). :func:`circle_points` and
:func:`block_density_angles` place the points on the circle, uniformly or with a
piecewise-constant density, and :func:`deep_ntk_spectrum` puts it together for a deep ReLU
network. The linearised dynamics are in ``spectral_lib.kernels.linearised``; the chapter
*The neural tangent kernel view* builds its experiments on them (the linearised prediction
against real training, Basri et al.'s time to learn frequency ``k``, a non-uniform density).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import networks, spectra, validation


def _as_points(x) -> torch.Tensor:
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor or numpy array, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"x must be floating point, got dtype {x.dtype}")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1:
        raise ValueError(f"x must have shape (N,) or (N, d) with N >= 1, got {tuple(x.shape)}")
    if not bool(torch.isfinite(x).all()):
        raise ValueError("x contains NaN or infinite values")
    return x


def _as_kernel(K) -> np.ndarray:
    K = np.asarray(K.detach().cpu().numpy() if isinstance(K, torch.Tensor) else K, dtype=np.float64)
    if K.ndim != 2 or K.shape[0] != K.shape[1] or K.shape[0] < 1:
        raise ValueError(f"K must be a square matrix, got shape {K.shape}")
    if not np.all(np.isfinite(K)):
        raise ValueError("K contains NaN or infinite values")
    scale = max(float(np.max(np.abs(K))), 1e-300)
    if np.max(np.abs(K - K.T)) > 1e-6 * scale:
        raise ValueError("K must be symmetric")
    return 0.5 * (K + K.T)


def jacobian(model: nn.Module, x, *, chunk_size: int | None = None) -> np.ndarray:
    """Per-sample parameter Jacobian ``J[i] = ∇_θ f(x_i)`` of a scalar-output network.

    Only parameters with ``requires_grad=True`` count (frozen layers are constants). The
    Jacobian is computed with :func:`torch.func.jacrev` vectorised over the samples with
    :func:`torch.func.vmap`.

    Parameters
    ----------
    model : torch.nn.Module
        A network mapping ``(N, d)`` inputs to ``(N, 1)`` outputs.
    x : torch.Tensor or numpy.ndarray, shape (N,) or (N, d)
        The points.
    chunk_size : int, optional
        Number of samples per vectorised chunk (bounds memory); all at once by default.

    Returns
    -------
    numpy.ndarray, shape (N, P)
        float64; columns follow ``model.named_parameters()`` order, each tensor flattened.

    Raises
    ------
    TypeError
        If ``model`` is not a module or ``x`` is not a floating-point array.
    ValueError
        If the output is not scalar, ``x`` is malformed, the model has no trainable
        parameter, or the Jacobian is not finite.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> jacobian(networks.relu_mlp(1, [3], seed=0), torch.zeros(4, 1)).shape
    (4, 10)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    x = _as_points(x)
    if chunk_size is not None:
        chunk_size = validation.check_positive_int("chunk_size", chunk_size)
    from torch.func import functional_call, jacrev, vmap

    params = {k: v.detach() for k, v in model.named_parameters() if v.requires_grad}
    if not params:
        raise ValueError("the model has no trainable parameter")
    frozen = {k: v.detach() for k, v in model.named_parameters() if not v.requires_grad}
    x = x.to(next(iter(params.values())).dtype)
    with torch.no_grad():
        out = model(x[:1])
    if out.numel() != 1:
        raise ValueError(f"the network must have a scalar output, got output shape {tuple(out.shape)}")

    def f(p, xi):
        return functional_call(model, {**p, **frozen}, (xi[None],)).reshape(())

    jac = vmap(jacrev(f), in_dims=(None, 0), chunk_size=chunk_size)(params, x)
    n = x.shape[0]
    J = torch.cat([jac[k].reshape(n, -1) for k in params], dim=1).double().numpy()
    if not np.all(np.isfinite(J)):
        raise ValueError("the Jacobian contains NaN or infinite values")
    return J


def empirical_ntk(model: nn.Module, x, *, chunk_size: int | None = None) -> np.ndarray:
    """Empirical neural tangent kernel ``K = J Jᵀ`` of a scalar-output network.

    Parameters
    ----------
    model : torch.nn.Module
        A network mapping ``(N, d)`` inputs to ``(N, 1)`` outputs; only trainable
        parameters count.
    x : torch.Tensor or numpy.ndarray, shape (N,) or (N, d)
        The points.
    chunk_size : int, optional
        Samples per vectorised chunk of the Jacobian (see :func:`jacobian`).

    Returns
    -------
    numpy.ndarray, shape (N, N)
        Symmetric positive semi-definite, float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`jacobian`.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> K = empirical_ntk(networks.relu_mlp(1, [8], seed=0), torch.linspace(0, 1, 5)[:, None])
    >>> K.shape, bool(np.allclose(K, K.T))
    ((5, 5), True)
    """
    J = jacobian(model, x, chunk_size=chunk_size)
    return J @ J.T


def eigh_descending(K) -> tuple[np.ndarray, np.ndarray]:
    """Eigendecomposition of a symmetric kernel matrix, eigenvalues in decreasing order.

    Parameters
    ----------
    K : array_like, shape (N, N)
        A symmetric matrix.

    Returns
    -------
    eigvals : numpy.ndarray, shape (N,)
        Decreasing.
    eigvecs : numpy.ndarray, shape (N, N)
        Orthonormal columns; column ``n`` belongs to ``eigvals[n]``. Each column's sign is
        fixed so that its largest-magnitude entry is positive (deterministic output).

    Raises
    ------
    ValueError
        If ``K`` is not square, not symmetric or not finite.

    Examples
    --------
    >>> w, V = eigh_descending(np.diag([1.0, 3.0, 2.0]))
    >>> w
    array([3., 2., 1.])
    """
    K = _as_kernel(K)
    w, V = np.linalg.eigh(K)
    w, V = w[::-1].copy(), V[:, ::-1].copy()
    idx = np.argmax(np.abs(V), axis=0)
    V *= np.sign(V[idx, np.arange(V.shape[1])])
    return w, V


def mode_eigenvalues(K, freqs) -> np.ndarray:
    """Rayleigh quotients of the kernel on the Fourier modes of each frequency.

    For points equally spaced on one period (the circle), the value for frequency ``k`` is
    the mean of ``uᵀKu`` over the unit vectors ``u ∝ cos(2πkn/N)`` and ``u ∝ sin(2πkn/N)``
    (``cos`` only for ``k = 0``). For a rotation-invariant kernel these are exactly its
    eigenvalues; for an empirical NTK they are the kernel's "rate" for frequency ``k``.

    Parameters
    ----------
    K : array_like, shape (N, N)
        Symmetric kernel matrix on ``N`` equally spaced points of the period.
    freqs : sequence of int
        Frequencies ``0 <= k < N/2``.

    Returns
    -------
    numpy.ndarray, shape (len(freqs),)

    Raises
    ------
    ValueError
        If ``K`` is not a symmetric finite matrix or a frequency is out of range.

    Examples
    --------
    >>> t = 2 * np.pi * np.arange(8) / 8
    >>> K = 1 + 0.5 * np.cos(t[:, None] - t[None, :])   # eigenvalues 8 (k=0) and 2 (k=1)
    >>> mode_eigenvalues(K, [0, 1]).round(12)
    array([8., 2.])
    """
    K = _as_kernel(K)
    n = K.shape[0]
    k = np.asarray(freqs)
    if k.ndim != 1 or k.size == 0 or not np.all(np.equal(np.round(k), k)):
        raise ValueError(f"freqs must be a non-empty sequence of integers, got {freqs!r}")
    k = k.astype(int)
    if np.any(k < 0) or np.any(2 * k >= n):
        raise ValueError(f"freqs must lie in 0..{(n - 1) // 2} for N = {n}, got {freqs!r}")
    t = 2 * np.pi * np.arange(n) / n
    out = np.empty(k.size)
    for i, kk in enumerate(k):
        c = np.cos(kk * t)
        vals = [c @ K @ c / (c @ c)]
        if kk > 0:
            s = np.sin(kk * t)
            vals.append(s @ K @ s / (s @ s))
        out[i] = np.mean(vals)
    return out


def circle_points(n: int, *, dtype: torch.dtype = torch.float32) -> tuple[np.ndarray, torch.Tensor]:
    """``n`` equally spaced points ``(cos θ, sin θ)`` of the unit circle, ``θ_j = 2πj/n``.

    Parameters
    ----------
    n : int
        Number of points (>= 2).
    dtype : torch.dtype, default torch.float32

    Returns
    -------
    theta : numpy.ndarray, shape (n,)
        The angles.
    x : torch.Tensor, shape (n, 2)
        The points.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 2.

    Examples
    --------
    >>> theta, x = circle_points(4)
    >>> x.shape
    torch.Size([4, 2])
    """
    n = validation.check_positive_int("n", n)
    if n < 2:
        raise ValueError("n must be at least 2")
    theta = 2 * np.pi * np.arange(n) / n
    x = torch.tensor(np.stack([np.cos(theta), np.sin(theta)], axis=1), dtype=dtype)
    return theta, x


def block_density_angles(n: int, weights: Sequence[float]) -> np.ndarray:
    """Angles in ``[0, 2π)`` with a piecewise-constant density over equal arcs.

    The circle is cut into ``len(weights)`` equal arcs; arc ``b`` receives a number of
    equally spaced points proportional to ``weights[b]`` (rounded so the total is ``n``),
    so the local density is proportional to ``weights[b]``.

    Parameters
    ----------
    n : int
        Total number of points.
    weights : sequence of float
        Positive relative densities of the arcs.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Increasing angles.

    Raises
    ------
    ValueError
        If ``weights`` is empty or not positive, or an arc would get no point.

    Examples
    --------
    >>> th = block_density_angles(7, [1, 2, 4])
    >>> [int(((th >= 2 * np.pi * b / 3) & (th < 2 * np.pi * (b + 1) / 3)).sum()) for b in range(3)]
    [1, 2, 4]
    """
    n = validation.check_positive_int("n", n)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"weights must be a non-empty sequence of positive numbers, got {weights!r}")
    counts = np.floor(n * w / w.sum()).astype(int)
    counts[np.argsort(-(n * w / w.sum() - counts))[: n - counts.sum()]] += 1
    if np.any(counts < 1):
        raise ValueError("every arc must receive at least one point; increase n")
    arc = 2 * np.pi / w.size
    return np.concatenate(
        [arc * b + arc * (np.arange(c) + 0.5) / c for b, c in enumerate(counts)]
    )


def deep_ntk_spectrum(hidden: Sequence[int], n_points: int, freqs: Sequence[int], seed: int) -> dict:
    """Empirical NTK of ``networks.relu_mlp(2, hidden, 1)`` on equally spaced points of the circle.

    Parameters
    ----------
    hidden : sequence of int
        Hidden widths of the ReLU network (PyTorch's default initialisation).
    n_points : int
        Points on the circle.
    freqs : sequence of int
        Frequencies at which to report the Fourier-mode Rayleigh quotients.
    seed : int
        Network seed.

    Returns
    -------
    dict
        ``theta`` (N,), ``eigvals`` (N,) decreasing, ``eigvecs`` (N, N),
        ``dominant`` (N,) dominant DFT frequency of each eigenvector, ``mode_eigvals``
        (len(freqs),).

    Raises
    ------
    ValueError
        If ``n_points < 2``, a frequency is not an integer in ``0..(n_points - 1) // 2``,
        ``seed`` is negative, or a width in ``hidden`` is invalid.

    Examples
    --------
    >>> out = deep_ntk_spectrum([16], 16, [1, 2], seed=0)
    >>> out["eigvecs"].shape
    (16, 16)
    """
    theta, x = circle_points(n_points)
    net = networks.relu_mlp(2, list(hidden), 1, seed=validation.check_seed(seed))
    K = empirical_ntk(net, x)
    w, V = eigh_descending(K)
    return {"theta": theta, "eigvals": w, "eigvecs": V, "dominant": spectra.dominant_dft_frequencies(V),
            "mode_eigvals": mode_eigenvalues(K, freqs)}


def normalised_kernel(K) -> np.ndarray:
    """The cosine matrix ``K_ij / sqrt(K_ii K_jj)`` of a Gram matrix (the angles between the gradients).

    Parameters
    ----------
    K : array_like, shape (N, N)
        A symmetric positive semi-definite matrix with a positive diagonal (an empirical NTK).

    Returns
    -------
    numpy.ndarray, shape (N, N)
        Symmetric, ones on the diagonal, entries in ``[-1, 1]``.

    Raises
    ------
    ValueError
        If ``K`` is not square, symmetric and finite, or a diagonal entry is not positive.

    Examples
    --------
    >>> normalised_kernel(np.array([[4.0, 2.0], [2.0, 1.0]]))
    array([[1., 1.],
           [1., 1.]])
    """
    K = _as_kernel(K)
    d = np.diag(K)
    if np.any(d <= 0):
        raise ValueError("the kernel's diagonal must be positive (every gradient non-zero)")
    s = np.sqrt(d)
    return np.clip(K / s[:, None] / s[None, :], -1.0, 1.0)


def gradient_cosines_from_ntk(K, residuals) -> np.ndarray:
    """Cosines between the per-sample gradients of the squared loss, from the empirical NTK.

    For a scalar-output network and the per-sample loss ``ℓ_i = r_i² / 2`` with residual
    ``r_i = f(x_i) - y_i``, ``∇_θ ℓ_i = r_i ∇_θ f(x_i)``, so

    .. math::

        \\cos(\\nabla ℓ_i, \\nabla ℓ_j) = \\operatorname{sign}(r_i r_j)\\,
        \\frac{K_{ij}}{\\sqrt{K_{ii} K_{jj}}}

    exactly: the gradient cosines ("gradient confusion") are the normalised empirical NTK
    (:func:`normalised_kernel`) times the signs of the residuals. Any loss ``ℓ(f(x_i), y_i)``
    whose derivative in ``f`` has the sign of ``r_i`` gives the same cosines.

    Parameters
    ----------
    K : array_like, shape (N, N)
        The empirical NTK on the points (:func:`empirical_ntk`), positive diagonal.
    residuals : array_like, shape (N,)
        ``f(x_i) - y_i``, all non-zero (a zero residual has a zero gradient and no angle).

    Returns
    -------
    numpy.ndarray, shape (N, N)
        The cosines (ones on the diagonal).

    Raises
    ------
    ValueError
        If ``K`` is not a valid kernel matrix with positive diagonal, or ``residuals`` is not
        a finite non-zero vector of matching length.

    Examples
    --------
    >>> K = np.array([[1.0, 0.5], [0.5, 4.0]])
    >>> gradient_cosines_from_ntk(K, [0.3, -2.0])
    array([[ 1.  , -0.25],
           [-0.25,  1.  ]])
    """
    C = normalised_kernel(K)
    r = np.asarray(residuals, dtype=np.float64)
    if r.shape != (C.shape[0],) or not np.all(np.isfinite(r)):
        raise ValueError(f"residuals must be a finite vector of length {C.shape[0]}, got shape {r.shape}")
    if np.any(r == 0):
        raise ValueError("every residual must be non-zero (a zero residual has a zero gradient)")
    s = np.sign(r)
    return C * s[:, None] * s[None, :]
