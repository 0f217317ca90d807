"""The chapter *The infinite-width kernel of ReLU networks*: the closed-form NTK against finite nets.

The closed form is ``spectral_lib.kernels.arccos`` (arc-cosine kernels, the NTK recursion
of Jacot et al. and Arora et al., Funk–Hecke eigenvalues). The finite networks whose
empirical NTK tends to it are :class:`NTKReLU` (NTK parametrisation, He scaling, all
weights and biases ``N(0, 1)``). Four experiments, each a frozen config with a ``book`` and
a ``paper`` preset and a frozen result:

* :class:`ClosedFormConfig` -> :class:`ClosedFormResult` -- the arc-cosine kernels against
  Monte Carlo, the eigenvalues on the circle (quadrature against the Gram matrix), on the
  interval ``[-1, 1]`` (Gram matrix) and across depths;
* :class:`WidthConfig` -> :class:`WidthResult` -- the empirical NTK's error over widths, depths, seeds;
* :class:`SphereConfig` -> :class:`SphereResult` -- the NTK on ``S²``: Gram eigenvalues and
  eigenvectors on Fibonacci points against spherical harmonics and Funk–Hecke, and the time
  to fit a single harmonic ``Y_ℓ`` by gradient descent against ``1/μ_ℓ``;
* :class:`ParityConfig` -> :class:`ParityResult` -- two-layer nets, no bias / bias, on ``cos kθ``.
"""

from __future__ import annotations

import dataclasses
from functools import partial

import numpy as np
import torch
from scipy import special
from torch import nn

from spectral_lib import kernels, seeding, spectra, stats, training, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


class NTKReLU(nn.Module):
    """A ReLU network in the NTK parametrisation whose NTK tends to :func:`kernels.relu_ntk`.

    ``f^{(1)} = W_1 x + β b_1``, ``f^{(h+1)} = √(2/m) W_{h+1} relu(f^{(h)}) + β b_{h+1}``,
    ``f = f^{(L+1)}``, with every weight and bias ``N(0, 1)`` and trained; ``β = 0`` has no
    bias parameters at all.

    Parameters
    ----------
    in_dim : int
        Input dimension ``d``.
    width : int
        Hidden width ``m``.
    depth : int, default 1
        Hidden layers ``L``.
    bias : float, default 0.0
        Bias scale ``β >= 0``.
    seed : int, default 0
        Seed of the initialisation (through :func:`spectral_lib.seeding.torch_generator`).
    dtype : torch.dtype, default torch.float64

    Raises
    ------
    ValueError
        If a size, ``bias`` or ``seed`` is invalid.

    Examples
    --------
    >>> net = NTKReLU(2, 8, depth=2, bias=1.0, seed=0)
    >>> net(torch.zeros(3, 2, dtype=torch.float64)).shape, len(list(net.parameters()))
    (torch.Size([3, 1]), 6)
    """

    def __init__(self, in_dim: int, width: int, depth: int = 1, *, bias: float = 0.0, seed: int = 0,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        self.in_dim = validation.check_positive_int("in_dim", in_dim)
        self.width = validation.check_positive_int("width", width)
        self.depth = validation.check_positive_int("depth", depth)
        self.bias = validation.check_nonnegative_float("bias", bias)
        gen = seeding.torch_generator(validation.check_seed(seed))
        dims = [self.in_dim] + [self.width] * self.depth + [1]
        for i in range(len(dims) - 1):
            w = torch.randn(dims[i + 1], dims[i], generator=gen, dtype=torch.float64)
            self.register_parameter(f"w{i}", nn.Parameter(w.to(dtype)))
            if self.bias > 0:
                b = torch.randn(dims[i + 1], generator=gen, dtype=torch.float64)
                self.register_parameter(f"b{i}", nn.Parameter(b.to(dtype)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for i in range(self.depth + 1):
            if i > 0:
                h = np.sqrt(2.0 / self.width) * torch.relu(h)
            h = h @ getattr(self, f"w{i}").T
            if self.bias > 0:
                h = h + self.bias * getattr(self, f"b{i}")
        return h

    def ntk(self, x: torch.Tensor) -> np.ndarray:
        """The empirical NTK ``∇_θ f(x)·∇_θ f(y)`` on the rows of ``x``, from forward and backward vectors.

        Layer ``i`` (input ``a_i``: ``x``, then ``√(2/m) relu(f^{(i)})``; back-propagated vector
        ``δ_i = ∂f/∂f^{(i+1)}``) contributes ``(δ_i(x)·δ_i(y)) (a_i(x)·a_i(y) + β²)``: the same
        matrix as :func:`spectral_lib.kernels.empirical_ntk` (tested) in ``O(N m² + N² m)``.

        Examples
        --------
        >>> net, x = NTKReLU(2, 16, depth=2, bias=1.0, seed=0), torch.rand(5, 2, dtype=torch.float64)
        >>> bool(np.allclose(net.ntk(x), kernels.empirical_ntk(net, x)))
        True
        """
        with torch.no_grad():
            h, ins, masks = x.to(self.w0.dtype), [], []
            for i in range(self.depth + 1):
                masks.append(h > 0)
                h = np.sqrt(2.0 / self.width) * torch.relu(h) if i > 0 else h
                ins.append(h)
                h = h @ getattr(self, f"w{i}").T + (self.bias * getattr(self, f"b{i}") if self.bias else 0)
            delta, K = torch.ones_like(h), torch.zeros(h.shape[0], h.shape[0], dtype=h.dtype)
            for i in range(self.depth, -1, -1):
                K += (delta @ delta.T) * (ins[i] @ ins[i].T + self.bias ** 2)
                if i > 0:
                    delta = np.sqrt(2.0 / self.width) * (masks[i] * (delta @ getattr(self, f"w{i}")))
        return K.double().numpy()

    def extra_repr(self) -> str:
        return f"in_dim={self.in_dim}, width={self.width}, depth={self.depth}, bias={self.bias}"


def _train_gd(models, x, targets, lr: float, steps: int, record_every: int):
    """Full-batch float64 gradient descent; the residuals ``(T, K, N)`` and the recorded steps."""
    hist = training.train_full_batch(
        models, x, torch.tensor(targets), steps=steps, lr=lr, optimizer="sgd", record_every=record_every,
        recorders=[training.PredictionRecorder()], dtype=torch.float64, progress=False)
    return hist.steps, hist.predictions - targets[None]


def _outputs(net: nn.Module, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        return net(x).double().numpy()[:, 0]


# ---------------------------------------------------------------- closed form: MC, circle, interval, depth

@dataclasses.dataclass(frozen=True)
class ClosedFormConfig:
    """The closed form against Monte Carlo, and its eigenvalues on the circle, the interval, across depths.

    ``mc_samples`` Gaussian weights estimate ``2E[step·step]`` and ``2E[relu·relu]`` at the
    cosines ``mc_cosines``. On the circle the two-layer NTK with bias ``bias`` has
    eigenvalues ``λ_k`` (``k = 0 .. max_freq``) by quadrature, checked against the
    Fourier-mode Rayleigh quotients of its Gram matrix on ``n_circle`` points for
    ``k <= check_freq``; ``fit_freqs`` is the range of the ``k^-2`` fit. On ``[-1, 1]`` the
    Gram matrix on ``n_interval`` grid points gives eigenvalues, fitted over the indices
    ``interval_fit``. ``depths`` are the depths of the depth sweep, fitted over
    ``depth_fit`` (all ``k`` with bias; even and odd ``k`` apart without).
    """

    mc_samples: int = 400_000
    mc_cosines: tuple[float, ...] = (-0.9, -0.5, 0.0, 0.5, 0.9)
    bias: float = 1.0
    max_freq: int = 256
    n_circle: int = 1024
    check_freq: int = 32
    fit_freqs: tuple[int, int] = (16, 64)
    n_interval: int = 512
    interval_fit: tuple[int, int] = (8, 64)
    depths: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    depth_fit: tuple[int, int] = (32, 128)
    n_nodes: int = 4096


PRESETS.add("kt_closed_form", book=ClosedFormConfig(),
            paper_changes={"mc_samples": 4_000_000, "n_circle": 2048, "n_interval": 1024})


@dataclasses.dataclass(frozen=True)
class ClosedFormResult:
    """:func:`closed_form_experiment`'s arrays (see :class:`ClosedFormConfig`).

    Attributes
    ----------
    config : ClosedFormConfig
    mc_cosines : numpy.ndarray, (C,)
    mc_estimate, mc_stderr, mc_closed : numpy.ndarray, (2, C)
        Monte Carlo estimates of ``κ_0, κ_1``, their standard errors and the closed form.
    freqs : numpy.ndarray, (K,)
        ``0 .. max_freq``.
    circle : numpy.ndarray, (2, K)
        Two-layer NTK eigenvalues on the circle without / with bias (quadrature).
    circle_gram : numpy.ndarray, (check_freq + 1,)
        With bias: Rayleigh quotients of the Gram matrix on ``n_circle`` points, over ``n_circle``.
    interval : numpy.ndarray, (n_interval,)
        With bias: Gram eigenvalues on the grid of ``[-1, 1]`` over ``n_interval``, decreasing.
    depth : numpy.ndarray, (2, n_depths, K)
        NTK eigenvalues on the circle per depth, without / with bias.
    """

    config: object
    mc_cosines: np.ndarray
    mc_estimate: np.ndarray
    mc_stderr: np.ndarray
    mc_closed: np.ndarray
    freqs: np.ndarray
    circle: np.ndarray
    circle_gram: np.ndarray
    interval: np.ndarray
    depth: np.ndarray


def closed_form_experiment(cfg: ClosedFormConfig, seed: int = 0) -> dict:
    """Monte Carlo of the arc-cosine kernels and the closed-form spectra of :class:`ClosedFormConfig`.

    Parameters
    ----------
    cfg : ClosedFormConfig
    seed : int, default 0
        Seed of the Monte Carlo weights.

    Returns
    -------
    dict
        The fields of :class:`ClosedFormResult` (without ``config``).

    Raises
    ------
    ValueError
        If a size or a cosine is invalid.

    Examples
    --------
    >>> cfg = dataclasses.replace(ClosedFormConfig(), mc_samples=1000, max_freq=16, n_circle=64, check_freq=8,
    ...                           n_interval=32, depths=(1, 2), n_nodes=64)
    >>> closed_form_experiment(cfg)["depth"].shape
    (2, 2, 17)
    """
    n = validation.check_positive_int("mc_samples", cfg.mc_samples)
    t = np.clip(validation.as_finite_array("mc_cosines", cfg.mc_cosines, ndim=1), -1, 1)
    w = seeding.rng(seed).standard_normal((n, 2))
    est, err = np.empty((2, t.size)), np.empty((2, t.size))
    for j, tj in enumerate(t):
        u, v = w[:, 0], w @ np.array([tj, np.sqrt(1 - tj * tj)])
        for order, s in enumerate((2.0 * (u > 0) * (v > 0), 2.0 * np.maximum(u, 0) * np.maximum(v, 0))):
            est[order, j], err[order, j] = s.mean(), s.std(ddof=1) / np.sqrt(n)
    closed = np.stack([kernels.arccos_kernel(t, 0), kernels.arccos_kernel(t, 1)])
    k = np.arange(cfg.max_freq + 1)
    zonal = partial(kernels.zonal_eigenvalues, degrees=k, dim=2, n_nodes=cfg.n_nodes)
    circle = np.stack([zonal(partial(kernels.relu_kernel_zonal, depth=1, bias=b)) for b in (0.0, cfg.bias)])
    _, xc = kernels.circle_points(cfg.n_circle, dtype=torch.float64)
    gram = kernels.relu_ntk(xc.numpy(), depth=1, bias=cfg.bias)
    circle_gram = kernels.mode_eigenvalues(gram, np.arange(cfg.check_freq + 1)) / cfg.n_circle
    grid = np.linspace(-1.0, 1.0, validation.check_positive_int("n_interval", cfg.n_interval))
    interval = np.linalg.eigvalsh(kernels.relu_ntk(grid, depth=1, bias=cfg.bias))[::-1] / grid.size
    depth = np.stack([[zonal(partial(kernels.relu_kernel_zonal, depth=L, bias=b)) for L in cfg.depths]
                      for b in (0.0, cfg.bias)])
    return {"mc_cosines": t, "mc_estimate": est, "mc_stderr": err, "mc_closed": closed, "freqs": k,
            "circle": circle, "circle_gram": circle_gram, "interval": interval, "depth": depth}


# ---------------------------------------------------------------- width: empirical NTK -> closed form

@dataclasses.dataclass(frozen=True)
class WidthConfig:
    """Relative Frobenius error of the empirical NTK of :class:`NTKReLU` nets against the closed form.

    On ``n_points`` equally spaced points of the circle, for each seed, each width of
    ``widths`` and each bias of ``biases``, ``n_nets`` two-layer nets (one hidden layer) give
    ``sqrt(mean ‖K_emp - K_∞‖²_F) / ‖K_∞‖_F``; the same for ``deep_nets`` nets of each depth
    of ``deep_depths`` over ``deep_widths`` (kernel by :meth:`NTKReLU.ntk`; paper: more seeds, widths).
    """

    n_points: int = 32
    widths: tuple[int, ...] = (64, 128, 256, 512, 1024, 2048, 4096)
    biases: tuple[float, ...] = (0.0, 1.0)
    n_nets: int = 8
    n_seeds: int = 3
    deep_depths: tuple[int, ...] = (2, 3)
    deep_widths: tuple[int, ...] = (32, 64, 128, 256, 512, 1024)
    deep_nets: int = 32


PRESETS.add("kt_width", book=WidthConfig(),
            paper_changes={"widths": (64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384), "n_seeds": 5,
                           "deep_widths": (32, 64, 128, 256, 512, 1024, 2048, 4096)})


@dataclasses.dataclass(frozen=True)
class WidthResult:
    """:func:`width_experiment`'s result.

    Attributes
    ----------
    config : WidthConfig
    widths, deep_widths : numpy.ndarray, (W,) and (W_deep,)
    errors, deep_errors : numpy.ndarray, (S, n_biases, W) and (n_depths, S, n_biases, W_deep)
        Relative Frobenius errors of the two-layer and the deep nets.
    slopes, deep_slopes : numpy.ndarray, (S, n_biases) and (n_depths, S, n_biases)
        Fitted log-log exponent of the error against the width, per (depth,) seed and bias.
    """

    config: object
    widths: np.ndarray
    errors: np.ndarray
    slopes: np.ndarray
    deep_widths: np.ndarray
    deep_errors: np.ndarray
    deep_slopes: np.ndarray


def width_experiment(cfg: WidthConfig) -> dict:
    """The relative error of the empirical NTK over widths (see :class:`WidthConfig`).

    Net ``r`` of width index ``i`` and seed ``s`` is ``NTKReLU(2, m, L, seed=10000 s + 100 i + r)``.

    Parameters
    ----------
    cfg : WidthConfig

    Returns
    -------
    dict
        The fields of :class:`WidthResult` (without ``config``).

    Raises
    ------
    ValueError
        If a size is invalid or there are more than 10 seeds, 100 widths or 100 nets.

    Examples
    --------
    >>> cfg = WidthConfig(n_points=8, widths=(16, 64), n_nets=2, n_seeds=1, deep_widths=(8, 16), deep_nets=2)
    >>> out = width_experiment(cfg)
    >>> out["errors"].shape, out["deep_errors"].shape
    ((1, 2, 2), (2, 1, 2, 2))
    """
    n_seeds = validation.check_positive_int("n_seeds", cfg.n_seeds)
    n_nets = validation.check_positive_int("n_nets", cfg.n_nets)
    deep_nets = validation.check_positive_int("deep_nets", cfg.deep_nets)
    depths = [validation.check_positive_int("deep_depth", d) for d in cfg.deep_depths]
    _, x = kernels.circle_points(cfg.n_points, dtype=torch.float64)

    def sweep(widths, depth, n_nets, ntk):
        widths = np.array([validation.check_positive_int("width", m) for m in widths])
        if n_seeds > 10 or n_nets > 100 or widths.size > 100 or widths.size < 2:
            raise ValueError("at most 10 seeds, 100 nets per width and 2..100 widths")
        errors = np.empty((n_seeds, len(cfg.biases), widths.size))
        for j, b in enumerate(cfg.biases):
            k_inf = kernels.relu_ntk(x.numpy(), depth=depth, bias=b)
            for s in range(n_seeds):
                for i, m in enumerate(widths):
                    nets = [NTKReLU(2, int(m), depth, bias=b, seed=10000 * s + 100 * i + r)
                            for r in range(n_nets)]
                    sq = [np.sum((ntk(net) - k_inf) ** 2) for net in nets]
                    errors[s, j, i] = np.sqrt(np.mean(sq)) / np.linalg.norm(k_inf)
        slopes = np.array([[spectra.fit_power_law(widths, e)[0] for e in per_seed] for per_seed in errors])
        return widths, errors, slopes

    widths, errors, slopes = sweep(cfg.widths, 1, n_nets, lambda net: kernels.empirical_ntk(net, x))
    deep = [sweep(cfg.deep_widths, d, deep_nets, lambda net: net.ntk(x)) for d in depths]
    return {"widths": widths, "errors": errors, "slopes": slopes, "deep_widths": deep[0][0],
            "deep_errors": np.stack([d[1] for d in deep]), "deep_slopes": np.stack([d[2] for d in deep])}


# ---------------------------------------------------------------- the sphere S²

@dataclasses.dataclass(frozen=True)
class SphereConfig:
    """The two-layer NTK with bias ``bias`` on ``S²``, and gradient descent on single harmonics.

    Gram matrix on ``n_points`` Fibonacci points: eigenvalues and eigenvectors for degrees
    ``0 .. max_degree`` against Funk–Hecke (degrees up to ``max_fh_degree``, fitted over
    ``fit_degrees``). Training: ``NTKReLU(3, width, bias=bias)`` on ``n_train`` Fibonacci
    points learns ``f_0 + amplitude · Y_ℓ`` (``Y_ℓ ∝ P_ℓ(z)``) for each ``ℓ`` of
    ``train_degrees`` by gradient descent at ``2η μ_max = rate0``, for ``steps_factor`` times
    the kernel's predicted time to ``1/e`` of the largest degree; ``n_seeds`` seeds.
    """

    bias: float = 1.0
    n_points: int = 1200
    max_degree: int = 8
    max_fh_degree: int = 64
    fit_degrees: tuple[int, int] = (16, 64)
    n_train: int = 150
    width: int = 2000
    train_degrees: tuple[int, ...] = (1, 2, 3)
    amplitude: float = 0.01
    rate0: float = 1.5
    steps_factor: float = 1.5
    record_every: int = 5
    n_seeds: int = 3


PRESETS.add("kt_sphere", book=SphereConfig(),
            paper_changes={"n_points": 2500, "n_train": 600, "width": 8000,
                           "train_degrees": (1, 2, 3, 4, 5, 6),
                           "n_seeds": 5})


@dataclasses.dataclass(frozen=True)
class SphereResult:
    """:func:`sphere_experiment`'s result.

    Attributes
    ----------
    config : SphereConfig
    degrees : numpy.ndarray, (max_fh_degree + 1,)
    funk_hecke : numpy.ndarray, (2, max_fh_degree + 1)
        ``μ_ℓ`` without / with bias.
    gram_eigvals : numpy.ndarray, ((max_degree + 1)²,)
        With bias: the leading Gram eigenvalues over ``n_points``, decreasing.
    energy : numpy.ndarray, ((max_degree + 1)²,)
        Each leading eigenvector's energy in the degree-``ℓ`` harmonics, ``ℓ`` its block.
    train_degrees : numpy.ndarray, (M,)
    measured, predicted : numpy.ndarray, (S, M)
        Steps to ``1/e`` of the residual's component on ``Y_ℓ`` (``nan``: not reached).
    lr : float
    """

    config: object
    degrees: np.ndarray
    funk_hecke: np.ndarray
    gram_eigvals: np.ndarray
    energy: np.ndarray
    train_degrees: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    lr: float


def real_harmonics(x, degree: int) -> np.ndarray:
    """The ``2ℓ + 1`` real spherical harmonics of degree ``ℓ`` at unit vectors of ``ℝ³``.

    Parameters
    ----------
    x : array_like, shape (N, 3)
        Unit vectors.
    degree : int
        ``ℓ >= 0``.

    Returns
    -------
    numpy.ndarray, shape (N, 2ℓ + 1)
        Orthonormal for the surface measure of ``S²`` (``√2 Re Y_ℓ^m``, ``Y_ℓ^0``, ``√2 Im Y_ℓ^m``).

    Raises
    ------
    ValueError
        If ``x`` is not ``(N, 3)`` unit vectors or ``degree < 0``.

    Examples
    --------
    >>> Y = real_harmonics(np.array([[0.0, 0.0, 1.0]]), 1)  # only m = 0 is non-zero at the pole
    >>> bool(np.allclose(Y, [[0, np.sqrt(3 / (4 * np.pi)), 0]]))
    True
    """
    x = validation.as_matrix(x, "x")
    if x.shape[1] != 3 or not np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-9):
        raise ValueError("x must be unit vectors of R^3, shape (N, 3)")
    ell = validation.check_nonnegative_int("degree", degree)
    polar = np.arccos(np.clip(x[:, 2], -1, 1))
    azim = np.mod(np.arctan2(x[:, 1], x[:, 0]), 2 * np.pi)
    cols = []
    for m in range(-ell, ell + 1):
        y = special.sph_harm_y(ell, abs(m), polar, azim)
        cols.append(np.sqrt(2) * y.imag if m < 0 else (y.real if m == 0 else np.sqrt(2) * y.real))
    return np.stack(cols, axis=1)


def sphere_experiment(cfg: SphereConfig, seeds) -> dict:
    """The NTK on ``S²`` and the time to fit single harmonics (see :class:`SphereConfig`).

    Parameters
    ----------
    cfg : SphereConfig
    seeds : sequence of int
        Network seeds.

    Returns
    -------
    dict
        The fields of :class:`SphereResult` (without ``config``).

    Raises
    ------
    ValueError
        If the seeds or a size are invalid, or ``max_degree`` needs more eigenvectors than points.

    Examples
    --------
    >>> cfg = dataclasses.replace(SphereConfig(), n_points=60, max_degree=2, max_fh_degree=8,
    ...                           fit_degrees=(4, 8), n_train=40, width=32, train_degrees=(1, 2))
    >>> sphere_experiment(cfg, [0])["measured"].shape
    (1, 2)
    """
    seeds = validation.check_seeds(seeds)
    ells = np.arange(validation.check_positive_int("max_fh_degree", cfg.max_fh_degree) + 1)
    fh = np.stack([kernels.zonal_eigenvalues(partial(kernels.relu_kernel_zonal, depth=1, bias=b), ells, dim=3)
                   for b in (0.0, cfg.bias)])
    x = kernels.fibonacci_sphere(cfg.n_points)
    n_top = (validation.check_positive_int("max_degree", cfg.max_degree) + 1) ** 2
    if n_top > x.shape[0]:
        raise ValueError("max_degree needs (max_degree + 1)² <= n_points")
    w, v = np.linalg.eigh(kernels.relu_ntk(x, depth=1, bias=cfg.bias))
    w, v = w[::-1][:n_top] / x.shape[0], v[:, ::-1][:, :n_top]
    energy = np.empty(n_top)
    for ell in range(cfg.max_degree + 1):
        q, _ = np.linalg.qr(real_harmonics(x, ell))
        block = slice(ell * ell, (ell + 1) ** 2)
        energy[block] = np.sum((q.T @ v[:, block]) ** 2, axis=0)
    # training on single harmonics Y_ℓ ∝ P_ℓ(z)
    degrees = np.array([validation.check_nonnegative_int("degree", d) for d in cfg.train_degrees])
    if degrees.max() > ells.max():
        raise ValueError("train_degrees must not exceed max_fh_degree")
    xt = kernels.fibonacci_sphere(cfg.n_train)
    xt_torch = torch.tensor(xt)
    lr = float(cfg.rate0) / (2.0 * fh[1].max())
    mu = fh[1][degrees]
    predicted_one = np.log(np.exp(-1.0)) / np.log(kernels.gd_rate(mu, lr, 1))
    steps = int(np.ceil(cfg.steps_factor * predicted_one.max()))
    models, targets, modes = [], [], []
    for s in seeds:
        net = NTKReLU(3, cfg.width, bias=cfg.bias, seed=s)
        f0 = _outputs(net, xt_torch)
        for d in degrees:
            y = special.eval_legendre(d, xt[:, 2])
            y = y / np.sqrt(np.mean(y * y))
            models.append(NTKReLU(3, cfg.width, bias=cfg.bias, seed=s))
            targets.append(f0 + cfg.amplitude * y)
            modes.append(y)
    rec, resid = _train_gd(models, xt_torch, np.stack(targets), lr, steps, cfg.record_every)
    measured = np.empty((len(seeds), degrees.size))
    for i in range(len(seeds)):
        for j in range(degrees.size):
            idx = i * degrees.size + j
            c = np.abs(resid[:, idx] @ modes[idx])
            measured[i, j] = stats.steps_to_threshold(rec, c / c[0], np.exp(-1.0), direction="fall",
                                                      interpolate="log", never=np.nan)
    return {"degrees": ells, "funk_hecke": fh, "gram_eigvals": w, "energy": energy, "train_degrees": degrees,
            "measured": measured, "predicted": np.tile(predicted_one, (len(seeds), 1)), "lr": lr}


# ---------------------------------------------------------------- parity on the circle

@dataclasses.dataclass(frozen=True)
class ParityConfig:
    """Two-layer :class:`NTKReLU` nets without and with bias trained on ``cos kθ`` on the circle.

    ``n_points`` (even) equally spaced angles; width ``width``; for each bias of ``biases``,
    each ``k`` of ``freqs`` and each seed, gradient descent (float64) on
    ``f_0 + amplitude · cos kθ`` at ``2η λ_max = rate0`` (``λ_max`` the largest closed-form
    eigenvalue of that bias), for ``steps_factor`` times the closed form's predicted time
    to ``1/e`` of the slowest mode with a positive eigenvalue.
    """

    n_points: int = 64
    width: int = 512
    biases: tuple[float, ...] = (0.0, 1.0)
    freqs: tuple[int, ...] = (2, 3)
    amplitude: float = 0.05
    rate0: float = 1.0
    steps_factor: float = 3.0
    record_every: int = 5
    n_seeds: int = 3
    n_nodes: int = 2048


PRESETS.add("kt_parity", book=ParityConfig(), paper_changes={"width": 4096, "n_points": 128, "n_seeds": 5})


@dataclasses.dataclass(frozen=True)
class ParityResult:
    """:func:`parity_experiment`'s result.

    Attributes
    ----------
    config : ParityConfig
    freqs : numpy.ndarray, (M,)
    eigenvalues : numpy.ndarray, (n_biases, M)
        Closed-form ``λ_k`` of each bias.
    steps : numpy.ndarray, (T,)
    residual : numpy.ndarray, (n_biases, S, T, M)
        Residual amplitude at ``k`` over its initial value.
    lr : numpy.ndarray, (n_biases,)
    """

    config: object
    freqs: np.ndarray
    eigenvalues: np.ndarray
    steps: np.ndarray
    residual: np.ndarray
    lr: np.ndarray


def parity_experiment(cfg: ParityConfig, seeds) -> dict:
    """Train two-layer nets without and with bias on ``cos kθ`` (see :class:`ParityConfig`).

    Parameters
    ----------
    cfg : ParityConfig
    seeds : sequence of int

    Returns
    -------
    dict
        The fields of :class:`ParityResult` (without ``config``).

    Raises
    ------
    ValueError
        If the seeds or sizes are invalid, or ``n_points`` is odd.

    Examples
    --------
    >>> cfg = dataclasses.replace(ParityConfig(), n_points=16, width=16, steps_factor=0.5)
    >>> parity_experiment(cfg, [0])["residual"].shape[:2]
    (2, 1)
    """
    seeds = validation.check_seeds(seeds)
    n = validation.check_positive_int("n_points", cfg.n_points)
    if n % 2:
        raise ValueError("n_points must be even (the parity argument needs θ + π on the grid)")
    freqs = validation.check_frequencies(cfg.freqs, n)
    theta, x = kernels.circle_points(n, dtype=torch.float64)
    all_k = np.arange(n // 2)
    lam = np.stack([kernels.zonal_eigenvalues(partial(kernels.relu_kernel_zonal, depth=1, bias=b), all_k,
                                              dim=2, n_nodes=cfg.n_nodes) for b in cfg.biases])
    lrs = float(cfg.rate0) / (2.0 * lam.max(axis=1))
    lam_k = lam[:, freqs]
    positive = lam_k > 1e-8 * lam.max(axis=1, keepdims=True)
    slow = max(np.log(np.exp(-1.0)) / np.log(kernels.gd_rate(lam_k[j][positive[j]], lrs[j], 1)).max()
               for j in range(len(cfg.biases)) if positive[j].any())
    steps = int(np.ceil(cfg.steps_factor * slow))
    out = []
    for j, b in enumerate(cfg.biases):
        models, targets = [], []
        for s in seeds:
            f0 = _outputs(NTKReLU(2, cfg.width, bias=b, seed=s), x)
            for k in freqs:
                models.append(NTKReLU(2, cfg.width, bias=b, seed=s))
                targets.append(f0 + cfg.amplitude * np.cos(k * theta))
        rec, resid = _train_gd(models, x, np.stack(targets), float(lrs[j]), steps, cfg.record_every)
        amp = np.stack([kernels.frequency_amplitudes(resid[:, i], [k])[:, 0]
                        for i, k in enumerate(np.tile(freqs, len(seeds)))], axis=1)  # (T, S*M)
        amp = (amp / amp[:1]).reshape(rec.size, len(seeds), freqs.size)
        out.append(np.moveaxis(amp, 1, 0))
    return {"freqs": freqs, "eigenvalues": lam_k, "steps": rec, "residual": np.stack(out), "lr": lrs}


#: Thresholds of the chapter's guards, fixed before the runs.
THRESHOLDS = {
    "mc_z": Threshold(5.0, "central limit theorem: a Monte Carlo mean is within 5 standard errors of its "
                           "expectation but with probability ~6e-7"),
    "width_slope_tol": Threshold(
        0.15, "theory: with one hidden layer each entry of the empirical NTK is a mean of m i.i.d. terms, so "
              "the RMS error is exactly C m^-1/2; 0.15 on an exponent fitted over six octaves, 8 nets per "
              "width, is this book's tolerance"),
    "deep_slope_tol": Threshold(
        0.15, "theory: at fixed depth each layer's empirical covariance is a mean over m units, so the "
              "empirical NTK fluctuates by O(m^-1/2) (Hanin & Nica (2020) compute its variance, ∝ L/m) and "
              "its mean's O(1/m) offset is of lower order; 0.15 on the seeds' 95% interval of an exponent "
              "fitted over five octaves is this book's tolerance, as for one hidden layer"),
    "gram_tol": Threshold(0.01, "aliasing on N points adds Σ_j λ_{jN±k} ≈ (π²/3)(k/N)² λ_k relative, "
                                "< 0.4 % for k <= 32, N = 1024"),
    "decay_tol": Threshold(0.1, "Basri et al. (2019), Bietti & Mairal (2019): μ_k ∝ k^-d asymptotically; "
                                "0.1 on an exponent fitted over two octaves is this book's tolerance"),
    "interval_tol": Threshold(0.3, "theory: on [-1, 1] the NTK's |x - y| singularity (from κ_0) is that of "
                                   "the Laplace kernel, eigenvalues ∝ n^-2; 0.3 is this book's tolerance for "
                                   "a fit over three octaves of a finite grid"),
    "zero_tol": Threshold(1e-10, "theory: exactly zero; 1e-10 of λ_0 is round-off of the quadrature"),
    "positive_min": Threshold(1e-6, "with bias λ_k > 0 for all k (Basri et al. 2019); 1e-6 of λ_0 is "
                                    "10^4 times the round-off allowance"),
    "energy_min": Threshold(0.99, "Funk–Hecke: exactly 1 for exact quadrature; 0.99 allows the quasi-uniform "
                                  "points' quadrature error"),
    "fh_gram_tol": Threshold(0.05, "this book's tolerance for a Gram matrix on quasi-uniform points "
                                   "standing for the integral operator"),
    "time_ratio_tol": Threshold(0.2, "Cao et al. (2021): the convergence along degree ℓ is governed by "
                                     "μ_ℓ; 20 % allows a finite width's O(m^-1/2) kernel and the points' "
                                     "quadrature"),
    "stuck_tol": Threshold(1e-8, "theory: a bias-free two-layer ReLU net has no odd harmonic ≥ 3 on an even "
                                 "grid, so the residual there never changes; 1e-8 is round-off"),
    "fall_max": Threshold(0.36787944117144233, "the kernel predicts e^-3 after 3 predicted 1/e times; "
                                               "the guard asks for 1/e, i.e. that the residual falls"),
}


def _cached(name, build_cls, compute):
    return lambda cfg, device, use_cache, progress: results.cached_run(
        name, cfg, lambda: compute(cfg), lambda c, a: build_cls(config=c, **{k: a[k] for k in a}),
        use_cache=use_cache, device=device)


run = results.runner(
    __name__,
    {ClosedFormConfig: _cached("kt_closed_form", ClosedFormResult, closed_form_experiment),
     WidthConfig: _cached("kt_width", WidthResult, width_experiment),
     SphereConfig: _cached("kt_sphere", SphereResult, lambda c: sphere_experiment(c, range(c.n_seeds))),
     ParityConfig: _cached("kt_parity", ParityResult, lambda c: parity_experiment(c, range(c.n_seeds)))},
    returns="ClosedFormResult, WidthResult, SphereResult or ParityResult", cpu_only=True,
    what="The closed form (:func:`closed_form_experiment`), the width sweep (:func:`width_experiment`), the "
         "sphere (:func:`sphere_experiment`) or parity (:func:`parity_experiment`), on seeds "
         "``0 .. cfg.n_seeds - 1``.")
