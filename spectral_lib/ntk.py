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

This module computes the empirical NTK (per-sample Jacobians with :mod:`torch.func`,
batched with ``vmap``), its eigendecomposition, the dominant DFT frequency of eigenvectors,
a power-law fit of eigenvalues, the linearised dynamics' per-mode prediction, and runs
the experiments of the chapter *The neural tangent kernel view*: the linearised
prediction against real training of a wide network, and Basri et al.'s measurement of the
time to learn frequency ``k`` for a two-layer ReLU network on the circle.

Training goes through :func:`spectral_lib.train.train_full_batch` with plain gradient
descent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from . import fourier

# ---------------------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------------------


def _check_pos_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_pos_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and positive, got {value!r}")
    return float(value)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


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


# ---------------------------------------------------------------------------------------
# the empirical NTK
# ---------------------------------------------------------------------------------------


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
    >>> from spectral_lib import nets
    >>> jacobian(nets.relu_mlp(1, [3], seed=0), torch.zeros(4, 1)).shape
    (4, 10)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    x = _as_points(x)
    if chunk_size is not None:
        chunk_size = _check_pos_int("chunk_size", chunk_size)
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
    >>> from spectral_lib import nets
    >>> K = empirical_ntk(nets.relu_mlp(1, [8], seed=0), torch.linspace(0, 1, 5)[:, None])
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


def dominant_frequencies(vectors) -> np.ndarray:
    """Dominant DFT frequency of each column, sampled on a uniform periodic grid.

    The frequency of column ``n`` is the bin ``m`` (cycles per period) of the largest
    one-sided DFT magnitude :func:`spectral_lib.fourier.dft_amplitudes`, bins
    ``0 .. N//2 - 1``.

    Parameters
    ----------
    vectors : array_like, shape (N, n_vectors)
        Columns sampled at ``N`` equally spaced points of one period.

    Returns
    -------
    numpy.ndarray of int, shape (n_vectors,)

    Raises
    ------
    ValueError
        If ``vectors`` is not 2-D with at least 2 rows, or not finite.

    Examples
    --------
    >>> t = np.arange(16) / 16
    >>> dominant_frequencies(np.stack([np.ones(16), np.cos(2 * np.pi * 3 * t)], axis=1))
    array([0, 3])
    """
    V = np.asarray(vectors, dtype=np.float64)
    if V.ndim != 2 or V.shape[0] < 2:
        raise ValueError(f"vectors must be a 2-D array (N, n_vectors) with N >= 2, got shape {V.shape}")
    return np.argmax(fourier.dft_amplitudes(V.T), axis=1)


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


def fit_power_law(x, y) -> tuple[float, float]:
    """Least-squares fit of ``y ≈ c x^p`` in log-log coordinates.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Positive values, ``n >= 2``, ``x`` not all equal.

    Returns
    -------
    exponent : float
        ``p``.
    prefactor : float
        ``c``.

    Raises
    ------
    ValueError
        If the arrays differ in shape, have fewer than 2 entries, are not positive and
        finite, or ``x`` is constant.

    Examples
    --------
    >>> p, c = fit_power_law([1, 2, 4], [3.0, 0.75, 0.1875])
    >>> round(p, 12), round(c, 12)
    (-2.0, 3.0)
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError("x and y must be 1-D arrays of one length >= 2")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and np.all(x > 0) and np.all(y > 0)):
        raise ValueError("x and y must be finite and positive for a power-law fit")
    lx = np.log(x)
    if np.ptp(lx) == 0:
        raise ValueError("x must not be constant")
    p, logc = np.polyfit(lx, np.log(y), 1)
    return float(p), float(np.exp(logc))


# ---------------------------------------------------------------------------------------
# points, networks
# ---------------------------------------------------------------------------------------


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
    n = _check_pos_int("n", n)
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
    n = _check_pos_int("n", n)
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


class TwoLayerReLU(nn.Module):
    """Basri et al.'s two-layer ReLU network with bias and a fixed read-out.

    ``f(x) = (1/√m) Σ_r s_r ReLU(w_rᵀx + b_r)`` with alternating signs
    ``s_r = +1, -1, +1, ...``. Only the hidden layer (``hidden.weight``, ``hidden.bias``) is
    a parameter, as in Basri et al. (2019), who train the first layer and keep the output
    weights fixed. The signs depend on ``m`` only, so models of one width differ only in
    their parameters and train together on :func:`spectral_lib.train.train_full_batch`'s
    batched ``"vmap"`` path. (With PyTorch's usual parametrisation a trained output layer
    of width ``m`` would add a kernel ``m`` times larger with a faster-decaying ``k^-4``
    spectrum and hide the hidden layer's ``k^-2``.)

    Parameters
    ----------
    width : int
        Number of hidden units ``m``.
    in_dim : int, default 2
        Input dimension.
    seed : int, default 0
        Seed of a private generator for ``w_r, b_r ~ N(0, 1)`` (standard normal, so the
        kernel is rotation invariant in expectation).
    dtype : torch.dtype, default torch.float32

    Raises
    ------
    ValueError
        If ``width``, ``in_dim`` or ``seed`` is invalid.

    Examples
    --------
    >>> net = TwoLayerReLU(16, seed=0)
    >>> net(torch.zeros(3, 2)).shape, [n for n, _ in net.named_parameters()]
    (torch.Size([3, 1]), ['hidden.weight', 'hidden.bias'])
    """

    def __init__(self, width: int, *, in_dim: int = 2, seed: int = 0, dtype: torch.dtype = torch.float32):
        super().__init__()
        self.width = _check_pos_int("width", width)
        self.in_dim = _check_pos_int("in_dim", in_dim)
        gen = torch.Generator().manual_seed(_check_seed(seed))
        self.hidden = nn.Linear(self.in_dim, self.width, dtype=dtype)
        with torch.no_grad():
            self.hidden.weight.copy_(torch.randn(self.width, self.in_dim, generator=gen, dtype=torch.float64))
            self.hidden.bias.copy_(torch.randn(self.width, generator=gen, dtype=torch.float64))

    def readout(self, dtype: torch.dtype, device) -> torch.Tensor:
        """The fixed output weights ``s_r/√m``, shape ``(m, 1)``."""
        s = 1.0 - 2.0 * (torch.arange(self.width, device=device) % 2)
        return (s / np.sqrt(self.width)).to(dtype)[:, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.hidden(x))
        return h @ self.readout(h.dtype, h.device)

    def extra_repr(self) -> str:
        return f"width={self.width}, in_dim={self.in_dim}, readout=fixed alternating signs"


# ---------------------------------------------------------------------------------------
# linearised dynamics
# ---------------------------------------------------------------------------------------


def gd_rate(eigvals, lr: float, n_points: int) -> np.ndarray:
    """Per-step contraction ``1 - 2 η λ / N`` of a mode under GD on the mean squared error.

    Parameters
    ----------
    eigvals : array_like
        Kernel eigenvalues ``λ``.
    lr : float
        Learning rate ``η`` of plain gradient descent.
    n_points : int
        Number ``N`` of training points (the loss is a mean over them).

    Returns
    -------
    numpy.ndarray
        The factors, same shape as ``eigvals``.

    Raises
    ------
    ValueError
        If ``lr`` or ``n_points`` is not positive or an eigenvalue is not finite.

    Examples
    --------
    >>> gd_rate([100.0, 0.0], 0.5, 100)
    array([0., 1.])
    """
    lam = np.asarray(eigvals, dtype=np.float64)
    if not np.all(np.isfinite(lam)):
        raise ValueError("eigenvalues must be finite")
    return 1.0 - 2.0 * _check_pos_float("lr", lr) * lam / _check_pos_int("n_points", n_points)


def linearised_residuals(K, r0, lr: float, steps) -> np.ndarray:
    """Residuals of the linearised network under full-batch GD on the mean squared error.

    ``r_t = (I - 2ηK/N)^t r_0``, evaluated exactly through the eigendecomposition of ``K``.

    Parameters
    ----------
    K : array_like, shape (N, N)
        The (empirical) NTK at initialisation.
    r0 : array_like, shape (N,)
        Initial residual ``f_0(x) - y``.
    lr : float
        Learning rate ``η``.
    steps : sequence of int
        Non-negative step counts ``t``.

    Returns
    -------
    numpy.ndarray, shape (len(steps), N)

    Raises
    ------
    ValueError
        If shapes disagree, ``steps`` has a negative or non-integer entry, or the step is
        unstable (``2ηλ_max/N >= 2``: the linear model diverges).

    Examples
    --------
    >>> linearised_residuals(np.eye(2) * 2, [1.0, -1.0], lr=0.25, steps=[0, 1, 2])
    array([[ 1.  , -1.  ],
           [ 0.5 , -0.5 ],
           [ 0.25, -0.25]])
    """
    w, V = eigh_descending(K)
    r0 = np.asarray(r0, dtype=np.float64)
    if r0.shape != (w.size,) or not np.all(np.isfinite(r0)):
        raise ValueError(f"r0 must be a finite vector of length {w.size}")
    t = np.asarray(steps)
    if t.ndim != 1 or not np.all(np.equal(np.round(t), t)) or np.any(t < 0):
        raise ValueError("steps must be a 1-D sequence of non-negative integers")
    rate = gd_rate(w, lr, w.size)
    if np.any(rate <= -1):
        raise ValueError("unstable step: 2*lr*lambda_max/N >= 2, the linearised dynamics diverge")
    coef = V.T @ r0
    return (rate[None, :] ** t[:, None].astype(np.float64) * coef[None, :]) @ V.T


def frequency_amplitudes(residuals, freqs) -> np.ndarray:
    """Amplitude ``2|F[k]|`` of each row at integer frequencies (one-sided DFT).

    Parameters
    ----------
    residuals : array_like, shape (..., N)
        Samples on ``N`` equally spaced points of one period.
    freqs : sequence of int
        Frequencies ``1 <= k < N/2``.

    Returns
    -------
    numpy.ndarray, shape (..., len(freqs))

    Raises
    ------
    ValueError
        As :func:`spectral_lib.fourier.normalised_amplitudes`.

    Examples
    --------
    >>> t = np.arange(32) / 32
    >>> frequency_amplitudes(3 * np.sin(2 * np.pi * 4 * t), [4]).round(12)
    array([3.])
    """
    return fourier.normalised_amplitudes(residuals, freqs, 1.0)


def steps_to_threshold(steps, ratios, threshold: float) -> np.ndarray:
    """First time each ratio curve falls to ``threshold``, interpolated log-linearly.

    Parameters
    ----------
    steps : array_like, shape (T,)
        Increasing step counts of the records.
    ratios : array_like, shape (T,) or (T, M)
        Positive ratios (e.g. residual amplitude over its initial value), one column per
        curve.
    threshold : float
        Level in ``(0, 1)``.

    Returns
    -------
    numpy.ndarray, shape (M,)
        The interpolated crossing step of each curve; ``nan`` where a curve never reaches
        the threshold within the records (reported, never silently replaced).

    Raises
    ------
    ValueError
        If shapes disagree, ``steps`` is not increasing, ratios are not positive, or
        ``threshold`` is outside ``(0, 1)``.

    Examples
    --------
    >>> steps_to_threshold([0, 10, 20], [1.0, 0.2, 0.05], 0.1)
    array([15.])
    """
    s = np.asarray(steps, dtype=np.float64)
    r = np.asarray(ratios, dtype=np.float64)
    if r.ndim == 1:
        r = r[:, None]
    if s.ndim != 1 or r.ndim != 2 or r.shape[0] != s.size or s.size < 2:
        raise ValueError("steps must be 1-D with one entry per row of ratios (at least 2)")
    if np.any(np.diff(s) <= 0):
        raise ValueError("steps must be increasing")
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ValueError("ratios must be finite and positive")
    thr = float(threshold)
    if not 0 < thr < 1:
        raise ValueError(f"threshold must lie in (0, 1), got {threshold!r}")
    out = np.full(r.shape[1], np.nan)
    lr_, lt = np.log(r), np.log(thr)
    for j in range(r.shape[1]):
        below = np.nonzero(r[:, j] <= thr)[0]
        if below.size == 0:
            continue
        i = below[0]
        if i == 0:
            out[j] = s[0]
            continue
        a, b = lr_[i - 1, j], lr_[i, j]
        out[j] = s[i - 1] + (s[i] - s[i - 1]) * (a - lt) / (a - b)
    return out


def _lazy_lr(kernels, rate0: float, n: int) -> float:
    """One learning rate for all models: ``2 η λ_max / N = rate0`` for the largest kernel."""
    lam_max = max(float(np.linalg.eigvalsh(K)[-1]) for K in kernels)
    return float(rate0) * n / (2.0 * lam_max)


def _init_outputs(net: nn.Module, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        return net(x).detach().double().numpy()[:, 0]


def linearised_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Linearised NTK prediction against training of :class:`TwoLayerReLU` on the circle.

    For each seed and each amplitude ``A`` of ``cfg.amplitudes``, the network is trained by
    full-batch gradient descent (float64) on the target ``f_0(θ) + A Σ_k sin(kθ + φ_k)``
    (the initial output ``f_0`` is added so the initial residual is exactly the mixture),
    and the residual amplitude at each frequency ``k`` of ``cfg.freqs`` is compared with
    the linearised dynamics ``r_t = (I - 2ηK/N)^t r_0`` of the empirical NTK at
    initialisation.

    Parameters
    ----------
    cfg : NTKConfig
        ``n_points, width, freqs, amplitudes, rate0, steps, record_every``.
    seeds : sequence of int
        Seeds of the networks and the phases.

    Returns
    -------
    dict
        ``steps`` (T,), ``freqs`` (M,), ``amplitudes`` (n_A,), ``lr``;
        ``measured`` and ``predicted`` (n_A, S, T, M): residual amplitude at each
        frequency over its initial value; ``mode_rates`` (S, M): ``2ηλ_k/N`` with the
        kernel's Fourier-mode Rayleigh quotients ``λ_k``.

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> out = linearised_experiment(configs.get("ntk", "book"), [0])  # doctest: +SKIP
    """
    from . import train

    seeds = [_check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    theta, x = circle_points(cfg.n_points, dtype=torch.float64)
    freqs = np.asarray(cfg.freqs, dtype=int)
    amps = np.asarray(cfg.amplitudes, dtype=np.float64)
    nets = [TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64) for s in seeds]
    kernels = [empirical_ntk(net, x) for net in nets]
    lr = _lazy_lr(kernels, cfg.rate0, cfg.n_points)
    models, targets, r0s = [], [], []
    for a in amps:
        for s, net in zip(seeds, nets, strict=True):
            phases = np.random.default_rng(s).uniform(0, 2 * np.pi, freqs.size)
            mix = (np.sin(freqs[:, None] * theta[None, :] + phases[:, None])).sum(axis=0)
            f0 = _init_outputs(net, x)
            models.append(TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64))
            targets.append(f0 + a * mix)
            r0s.append(-a * mix)
    hist = train.train_full_batch(
        models, x, torch.tensor(np.stack(targets)), steps=cfg.steps, lr=lr, optimizer="sgd",
        record_every=cfg.record_every, recorders=[train.PredictionRecorder()], dtype=torch.float64,
    )
    resid = hist.predictions - np.stack(targets)[None]  # (T, n_A*S, N)
    meas = frequency_amplitudes(np.moveaxis(resid, 1, 0), freqs)  # (n_A*S, T, M)
    pred = np.stack(
        [
            frequency_amplitudes(linearised_residuals(kernels[i % len(seeds)], r0, lr, hist.steps), freqs)
            for i, r0 in enumerate(r0s)
        ]
    )
    shape = (amps.size, len(seeds), hist.steps.size, freqs.size)
    meas = (meas / meas[:, :1]).reshape(shape)
    pred = (pred / pred[:, :1]).reshape(shape)
    rates = np.stack([2 * lr * mode_eigenvalues(K, freqs) / cfg.n_points for K in kernels])
    return {"steps": hist.steps, "freqs": freqs, "amplitudes": amps, "lr": lr,
            "measured": meas, "predicted": pred, "mode_rates": rates}


def basri_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Basri et al.'s time to learn frequency ``k`` on the circle, measured and predicted.

    For each seed, one :class:`TwoLayerReLU` per frequency ``k`` of ``cfg.freqs`` is
    trained by full-batch gradient descent (float64, all in one batched call) on
    ``f_0(θ) + A sin(kθ)`` at ``cfg.n_points`` equally spaced angles. The time to learn
    ``k`` is the step at which the residual amplitude at ``k`` falls to ``cfg.threshold``
    times its initial value; the kernel predicts ``log(threshold) / log(1 - 2ηλ_k/N)``
    with the Fourier-mode Rayleigh quotient ``λ_k`` of the empirical NTK.

    Parameters
    ----------
    cfg : BasriConfig
        ``n_points, width, freqs, amplitude, threshold, rate0, steps, record_every``.
    seeds : sequence of int
        Network seeds.

    Returns
    -------
    dict
        ``freqs`` (M,), ``lr``, ``measured`` and ``predicted`` (S, M) steps (``nan`` where
        the threshold was not reached within ``cfg.steps``), ``eigenvalues`` (S, M).

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> out = basri_experiment(configs.get("basri", "book"), [0])  # doctest: +SKIP
    """
    from . import train

    seeds = [_check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    theta, x = circle_points(cfg.n_points, dtype=torch.float64)
    freqs = np.asarray(cfg.freqs, dtype=int)
    nets = [TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64) for s in seeds]
    kernels = [empirical_ntk(net, x) for net in nets]
    lr = _lazy_lr(kernels, cfg.rate0, cfg.n_points)
    models, targets = [], []
    for s, net in zip(seeds, nets, strict=True):
        f0 = _init_outputs(net, x)
        for k in freqs:
            models.append(TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64))
            targets.append(f0 + cfg.amplitude * np.sin(k * theta))
    hist = train.train_full_batch(
        models, x, torch.tensor(np.stack(targets)), steps=cfg.steps, lr=lr, optimizer="sgd",
        record_every=cfg.record_every, recorders=[train.PredictionRecorder()], dtype=torch.float64,
    )
    resid = hist.predictions - np.stack(targets)[None]  # (T, S*M, N)
    measured = np.empty((len(seeds), freqs.size))
    for i in range(len(seeds)):
        for j, k in enumerate(freqs):
            amp = frequency_amplitudes(resid[:, i * freqs.size + j], [k])[:, 0]
            measured[i, j] = steps_to_threshold(hist.steps, amp / amp[0], cfg.threshold)[0]
    eig = np.stack([mode_eigenvalues(K, freqs) for K in kernels])
    predicted = np.log(cfg.threshold) / np.log(gd_rate(eig, lr, cfg.n_points))
    return {"freqs": freqs, "lr": lr, "measured": measured, "predicted": predicted, "eigenvalues": eig}


def density_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Basri et al. (2020): with a non-uniform density, frequency ``k`` is learnt faster where data are dense.

    ``cfg.n_points`` angles are spread over three (or ``len(cfg.density_weights)``) equal
    arcs with densities in the ratio ``cfg.density_weights``; a :class:`TwoLayerReLU` is
    trained on ``f_0 + A sin(k θ)`` with ``k = cfg.density_freq``. The time for the residual
    RMS on each arc to fall to ``cfg.threshold`` of its initial value is measured, and also
    computed from the linearised dynamics of the empirical NTK.

    Parameters
    ----------
    cfg : BasriConfig
    seeds : sequence of int

    Returns
    -------
    dict
        ``weights`` (B,), ``counts`` (B,) points per arc, ``measured`` and ``linearised``
        (S, B) steps.

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> out = density_experiment(configs.get("basri", "book"), [0])  # doctest: +SKIP
    """
    from . import train

    seeds = [_check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    w = np.asarray(cfg.density_weights, dtype=np.float64)
    theta = block_density_angles(cfg.n_points, w)
    x = torch.tensor(np.stack([np.cos(theta), np.sin(theta)], axis=1))
    block = np.minimum((theta // (2 * np.pi / w.size)).astype(int), w.size - 1)
    nets = [TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64) for s in seeds]
    kernels = [empirical_ntk(net, x) for net in nets]
    lr = _lazy_lr(kernels, cfg.rate0, cfg.n_points)
    mode = cfg.amplitude * np.sin(cfg.density_freq * theta)
    targets = np.stack([_init_outputs(net, x) + mode for net in nets])
    models = [TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64) for s in seeds]
    hist = train.train_full_batch(
        models, x, torch.tensor(targets), steps=cfg.density_steps, lr=lr, optimizer="sgd",
        record_every=cfg.record_every, recorders=[train.PredictionRecorder()], dtype=torch.float64,
    )

    def block_times(r: np.ndarray) -> np.ndarray:
        rms = np.stack([np.sqrt((r[:, block == b] ** 2).mean(axis=1)) for b in range(w.size)], axis=1)
        return steps_to_threshold(hist.steps, rms / rms[0], cfg.threshold)

    measured = np.stack([block_times(hist.predictions[:, i] - targets[i]) for i in range(len(seeds))])
    linear = np.stack([block_times(linearised_residuals(K, -mode, lr, hist.steps)) for K in kernels])
    return {"weights": w, "counts": np.bincount(block, minlength=w.size), "measured": measured,
            "linearised": linear, "lr": lr}


def deep_ntk_spectrum(hidden: Sequence[int], n_points: int, freqs: Sequence[int], seed: int) -> dict:
    """Empirical NTK of ``nets.relu_mlp(2, hidden, 1)`` on equally spaced points of the circle.

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
        If an argument is invalid.

    Examples
    --------
    >>> out = deep_ntk_spectrum([16], 16, [1, 2], seed=0)
    >>> out["eigvecs"].shape
    (16, 16)
    """
    from . import nets as _nets

    theta, x = circle_points(n_points)
    net = _nets.relu_mlp(2, list(hidden), 1, seed=_check_seed(seed))
    K = empirical_ntk(net, x)
    w, V = eigh_descending(K)
    return {"theta": theta, "eigvals": w, "eigvecs": V, "dominant": dominant_frequencies(V),
            "mode_eigvals": mode_eigenvalues(K, freqs)}
