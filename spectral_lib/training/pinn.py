"""Physics-informed networks for the 1-D Poisson problem ``-u'' = f`` on ``[0, 1]``, and their NTK.

A physics-informed network (PINN) is trained on the *residual* of a differential equation at
collocation points, not on values of the solution. For ``-u'' = f`` with Dirichlet data
``u(0) = g_0``, ``u(1) = g_1`` the loss of a network ``u_θ`` is

.. math::

    L(θ) = \\frac{λ_r}{N_r} \\sum_i \\big(-u_θ''(x_i) - f(x_i)\\big)^2
         + \\frac{λ_b}{2} \\big((u_θ(0) - g_0)^2 + (u_θ(1) - g_1)^2\\big).

The networks (:class:`PinnNet`) are ``tanh`` MLPs on three kinds of input: the coordinate
itself (``"plain"``), Gaussian Fourier features ``[cos 2πbx, sin 2πbx]`` drawn at one or
more scales ``σ`` (``"fourier"``, Wang, Wang & Perdikaris 2021; the frequencies come from
:func:`spectral_lib.encodings.gaussian_frequencies`), or a sum of subnetworks whose inputs
are scaled by ``a_1, a_2, ...`` (``"mscale"``, Liu, Cai & Xu's MscaleDNN). :func:`derivatives`
propagates ``(u, u', u'')`` through the layers in closed form (a second-order forward
Taylor pass, batched over seeds by leading axes); :func:`train_pinn` trains several seeds
at once with Adam, with fixed weights or Wang, Yu & Perdikaris's NTK-based adaptive weights
(:func:`ntk_weights`).

The NTK of the residual operator (Wang, Yu & Perdikaris 2022) is
``K_rr = J_r J_rᵀ`` with ``J_r[i] = ∇_θ(-u_θ''(x_i))``, beside ``K_uu = J_u J_uᵀ`` of the
values; :func:`residual_jacobian` computes ``J_r`` with ``torch.func`` (the second
derivative by nested ``jvp`` in ``x``, the parameter Jacobian by ``jacrev``, vectorised over
the points by ``vmap``), independently of the Taylor pass used in training.

:func:`poisson_fd` is the exact (non-learned) baseline: the second-order finite-difference
solve on the interior grid :func:`interior_grid`; :func:`sine_coefficients` gives the
coefficients ``b_k`` of ``Σ_k b_k sin(kπx)`` of grid values (a type-I DST), in which the
error of every solver is measured frequency by frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft
import scipy.linalg
import torch

from spectral_lib import encodings, seeding, validation

KINDS: tuple[str, ...] = ("plain", "fourier", "mscale")
WEIGHTINGS: tuple[str, ...] = ("fixed", "ntk")


@dataclass(frozen=True)
class PinnNet:
    """Architecture of a PINN: a ``tanh`` MLP on the coordinate, Fourier features or scaled copies.

    Parameters
    ----------
    kind : {"plain", "fourier", "mscale"}
        ``"plain"``: the MLP on ``x``. ``"fourier"``: the MLP on
        ``[cos 2πBx, sin 2πBx]`` with ``n_features`` frequencies ``b ~ N(0, σ²)`` for each
        ``σ`` in ``sigmas`` (concatenated into one embedding). ``"mscale"``: one MLP of the
        given widths per scale ``a`` in ``scales``, on the input ``a x``; their outputs add up.
    hidden : tuple of int
        Hidden widths (of each subnetwork for ``"mscale"``).
    sigmas : tuple of float, optional
        Fourier feature scales (``"fourier"`` only).
    n_features : int, optional
        Frequencies per scale (``"fourier"`` only).
    scales : tuple of float, optional
        Input scales of the subnetworks (``"mscale"`` only).

    Raises
    ------
    ValueError
        If ``kind`` is unknown or the fields do not fit it.

    Examples
    --------
    >>> PinnNet("fourier", (32, 32), sigmas=(1.0, 10.0), n_features=16).in_dim
    64
    """

    kind: str
    hidden: tuple[int, ...]
    sigmas: tuple[float, ...] = ()
    n_features: int = 0
    scales: tuple[float, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if isinstance(self.hidden, (int, np.integer)) or len(self.hidden) == 0:
            raise ValueError(f"hidden must be a non-empty sequence of widths, got {self.hidden!r}")
        object.__setattr__(self, "hidden", tuple(validation.check_positive_int("hidden width", h)
                                                 for h in self.hidden))
        if self.kind == "fourier":
            if not self.sigmas:
                raise ValueError("a fourier PinnNet needs at least one sigma")
            object.__setattr__(self, "sigmas", tuple(validation.check_positive_float("sigma", s)
                                                     for s in self.sigmas))
            validation.check_positive_int("n_features", self.n_features)
        elif self.sigmas or self.n_features:
            raise ValueError(f"sigmas and n_features are for kind 'fourier', not {self.kind!r}")
        if self.kind == "mscale":
            if not self.scales:
                raise ValueError("an mscale PinnNet needs at least one scale")
            object.__setattr__(self, "scales", tuple(validation.check_positive_float("scale", a)
                                                     for a in self.scales))
        elif self.scales:
            raise ValueError(f"scales are for kind 'mscale', not {self.kind!r}")

    @property
    def in_dim(self) -> int:
        """Width of the MLP's input: 1, or ``2 n_features len(sigmas)`` for Fourier features."""
        return 2 * self.n_features * len(self.sigmas) if self.kind == "fourier" else 1

    @property
    def n_sub(self) -> int:
        """Number of subnetworks (``len(scales)`` for ``"mscale"``, else 1)."""
        return len(self.scales) if self.kind == "mscale" else 1


def init_pinn(net: PinnNet, seed: int, *, dtype: torch.dtype = torch.float32):
    """Initial parameters (Glorot-normal weights, zero biases) and Fourier frequencies of one PINN.

    Parameters
    ----------
    net : PinnNet
        The architecture.
    seed : int
        Seed of the weights and of the frequencies (through :mod:`spectral_lib.seeding`).
    dtype : torch.dtype, default torch.float32
        Parameter dtype.

    Returns
    -------
    params : tuple of torch.Tensor
        ``(W_0, b_0, ..., W_L, b_L)``, ``W_l`` of shape ``(in, out)`` (with a leading
        subnetwork axis for ``"mscale"``); leaf tensors without ``requires_grad``.
    freqs : torch.Tensor, shape (m,)
        The Fourier frequencies (cycles per unit), empty unless ``kind == "fourier"``.

    Raises
    ------
    TypeError
        If ``net`` is not a :class:`PinnNet`.
    ValueError
        If ``seed`` is invalid.

    Examples
    --------
    >>> params, freqs = init_pinn(PinnNet("plain", (8,)), seed=0)
    >>> [tuple(p.shape) for p in params], tuple(freqs.shape)
    ([(1, 8), (8,), (8, 1), (1,)], (0,))
    """
    if not isinstance(net, PinnNet):
        raise TypeError(f"net must be a PinnNet, got {type(net).__name__}")
    gen = seeding.torch_generator(validation.check_seed(seed))
    dims = [net.in_dim, *net.hidden, 1]
    lead = (net.n_sub,) if net.kind == "mscale" else ()
    params = []
    for a, b in zip(dims[:-1], dims[1:], strict=True):
        std = float(np.sqrt(2.0 / (a + b)))
        params.append(torch.randn(*lead, a, b, generator=gen, dtype=torch.float64).to(dtype) * std)
        params.append(torch.zeros(*lead, b, dtype=dtype))
    if net.kind == "fourier":
        m = net.n_features
        b = encodings.gaussian_frequencies(1, m * len(net.sigmas), 1.0, seed=seed)[:, 0]
        b = b * np.repeat(np.asarray(net.sigmas), m)
        freqs = torch.as_tensor(b, dtype=dtype)
    else:
        freqs = torch.zeros(0, dtype=dtype)
    return tuple(params), freqs


def _inputs(net: PinnNet, freqs: torch.Tensor, x: torch.Tensor):
    """The MLP's input and its first two x-derivatives, shapes ``(..., N, in)`` (or ``(..., G, N, 1)``)."""
    if net.kind == "plain":
        h = x[:, None]
        return h, torch.ones_like(h), torch.zeros_like(h)
    if net.kind == "mscale":
        a = torch.as_tensor(net.scales, dtype=x.dtype, device=x.device)[:, None, None]
        h = a * x[None, :, None]
        return h, a.expand_as(h), torch.zeros_like(h)
    w = 2 * torch.pi * freqs[..., None, :]
    phase = w * x[:, None]
    c, s = torch.cos(phase), torch.sin(phase)
    return (torch.cat((c, s), -1), torch.cat((-w * s, w * c), -1), torch.cat((-w * w * c, -w * w * s), -1))


def _mlp(params, h, dh=None, d2h=None):
    """``tanh`` MLP on ``h`` with forward-mode first and second derivatives (when ``dh`` is given)."""
    n_layers = len(params) // 2
    for layer in range(n_layers):
        W, b = params[2 * layer], params[2 * layer + 1]
        h = h @ W + b[..., None, :]
        if dh is not None:
            dh, d2h = dh @ W, d2h @ W
        if layer < n_layers - 1:
            h = torch.tanh(h)
            if dh is not None:
                s = 1 - h * h
                dh, d2h = s * dh, s * d2h - 2 * h * s * dh * dh
    return h[..., 0], (None if dh is None else dh[..., 0]), (None if d2h is None else d2h[..., 0])


def _check_x(x, dtype) -> torch.Tensor:
    t = torch.as_tensor(x, dtype=dtype)
    if t.ndim != 1 or t.shape[0] == 0:
        raise ValueError(f"x must be a non-empty 1-D array of points, got shape {tuple(t.shape)}")
    if not bool(torch.isfinite(t).all()):
        raise ValueError("x contains NaN or infinite values")
    return t


def derivatives(net: PinnNet, params, freqs, x):
    """``u_θ(x)``, ``u_θ'(x)`` and ``u_θ''(x)`` in one forward pass (closed-form Taylor propagation).

    Parameters may carry leading batch axes (one per seed, as :func:`train_pinn` stacks
    them); ``freqs`` then has the same leading axes.

    Parameters
    ----------
    net : PinnNet
        The architecture.
    params : sequence of torch.Tensor
        From :func:`init_pinn` (or stacked copies).
    freqs : torch.Tensor, shape (..., m)
        Fourier frequencies (ignored unless ``kind == "fourier"``).
    x : array_like or torch.Tensor, shape (N,)
        Points.

    Returns
    -------
    tuple of torch.Tensor
        ``(u, u_x, u_xx)``, each of shape ``(..., N)``.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 1-D array or the parameters do not fit ``net``.

    Examples
    --------
    >>> params, freqs = init_pinn(PinnNet("plain", (8,)), seed=0)
    >>> [tuple(t.shape) for t in derivatives(PinnNet("plain", (8,)), params, freqs, [0.0, 0.5])]
    [(2,), (2,), (2,)]
    """
    if len(params) != 2 * (len(net.hidden) + 1):
        raise ValueError(f"{len(params)} parameter tensors do not fit {len(net.hidden)} hidden layers")
    xt = _check_x(x, params[0].dtype)
    u, ux, uxx = _mlp(params, *_inputs(net, freqs, xt))
    if net.kind == "mscale":
        u, ux, uxx = u.sum(-2), ux.sum(-2), uxx.sum(-2)
    return u, ux, uxx


def _value(net: PinnNet, params, freqs, x: torch.Tensor) -> torch.Tensor:
    """``u_θ`` only, by a plain forward pass (no Taylor terms), at points ``x`` of shape ``(N,)``."""
    h = _inputs(net, freqs, x)[0]
    u = _mlp(params, h)[0]
    return u.sum(-2) if net.kind == "mscale" else u


def _flat_jacobian(fn, params, x: torch.Tensor) -> np.ndarray:
    """``J[i] = ∇_θ fn(θ, x_i)`` as one float64 matrix ``(N, P)``, vectorised over points."""
    jac = torch.func.vmap(torch.func.jacrev(fn), in_dims=(None, 0))(tuple(params), x)
    return torch.cat([j.reshape(x.shape[0], -1) for j in jac], dim=1).detach().to(torch.float64).numpy()


def residual_jacobian(net: PinnNet, params, freqs, x) -> np.ndarray:
    """Jacobian of the residual operator, ``J_r[i] = ∇_θ(-u_θ''(x_i))``, with ``torch.func``.

    The second derivative in ``x`` is taken by two nested :func:`torch.func.jvp` calls on
    the network's plain forward pass, the parameter gradient by :func:`torch.func.jacrev`,
    vectorised over the points by :func:`torch.func.vmap`; none of it uses the Taylor
    propagation of :func:`derivatives`.

    Parameters
    ----------
    net : PinnNet
        The architecture.
    params : sequence of torch.Tensor
        One model's parameters (no leading seed axis).
    freqs : torch.Tensor, shape (m,)
        Its Fourier frequencies.
    x : array_like, shape (N,)
        Collocation points.

    Returns
    -------
    numpy.ndarray, shape (N, P)
        Float64; columns in the order of ``params``, each flattened.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 1-D array.

    Examples
    --------
    >>> net = PinnNet("plain", (4,))
    >>> params, freqs = init_pinn(net, seed=0)
    >>> residual_jacobian(net, params, freqs, [0.25, 0.5]).shape
    (2, 13)
    """
    xt = _check_x(x, params[0].dtype)

    def uxx(p, xi):
        def u(z):
            return _value(net, p, freqs, z.reshape(1))[0]

        def ux(z):
            return torch.func.jvp(u, (z,), (torch.ones_like(z),))[1]

        return -torch.func.jvp(ux, (xi,), (torch.ones_like(xi),))[1]

    return _flat_jacobian(uxx, params, xt)


def value_jacobian(net: PinnNet, params, freqs, x) -> np.ndarray:
    """Jacobian of the values, ``J_u[i] = ∇_θ u_θ(x_i)`` (the ordinary NTK's factor).

    Parameters
    ----------
    net, params, freqs, x
        As :func:`residual_jacobian`.

    Returns
    -------
    numpy.ndarray, shape (N, P)
        Float64, the columns ordered as :func:`residual_jacobian`'s.

    Raises
    ------
    ValueError
        As :func:`residual_jacobian`.

    Examples
    --------
    >>> net = PinnNet("plain", (4,))
    >>> params, freqs = init_pinn(net, seed=0)
    >>> value_jacobian(net, params, freqs, [0.0, 1.0]).shape
    (2, 13)
    """
    xt = _check_x(x, params[0].dtype)
    return _flat_jacobian(lambda p, xi: _value(net, p, freqs, xi.reshape(1))[0], params, xt)


def pinn_ntk(net: PinnNet, params, freqs, x_res, x_bnd=(0.0, 1.0)) -> dict:
    """The PINN's NTK blocks: ``K_rr = J_r J_rᵀ``, ``K_uu = J_u J_uᵀ`` and ``K_ur = J_u J_rᵀ``.

    Parameters
    ----------
    net, params, freqs
        As :func:`residual_jacobian`.
    x_res : array_like, shape (N_r,)
        Collocation points of the residual.
    x_bnd : array_like, shape (N_b,), default (0, 1)
        Points where the values enter the loss (the boundary).

    Returns
    -------
    dict
        ``K_rr`` (N_r, N_r), ``K_uu`` (N_b, N_b), ``K_ur`` (N_b, N_r), float64.

    Raises
    ------
    ValueError
        If a point set is not a finite 1-D array.

    Examples
    --------
    >>> net = PinnNet("plain", (4,))
    >>> params, freqs = init_pinn(net, seed=0)
    >>> K = pinn_ntk(net, params, freqs, [0.25, 0.5, 0.75])
    >>> K["K_rr"].shape, K["K_uu"].shape
    ((3, 3), (2, 2))
    """
    Jr = residual_jacobian(net, params, freqs, x_res)
    Ju = value_jacobian(net, params, freqs, x_bnd)
    return {"K_rr": Jr @ Jr.T, "K_uu": Ju @ Ju.T, "K_ur": Ju @ Jr.T}


def ntk_weights(net: PinnNet, params, freqs, x_res, x_bnd=(0.0, 1.0)) -> tuple[float, float]:
    """Wang, Yu & Perdikaris's NTK-based loss weights ``(λ_r, λ_b)`` for the current parameters.

    With the mean-squared losses of the module docstring, gradient flow moves the residual
    block at rates set by ``K_rr / N_r`` and the boundary block by ``K_uu / N_b``; with
    ``m_r = tr(K_rr)/N_r`` and ``m_b = tr(K_uu)/N_b`` the weights
    ``λ_r = (m_r + m_b)/m_r`` and ``λ_b = (m_r + m_b)/m_b`` give both blocks the same mean
    rate (their Algorithm 1, with the traces per point).

    Parameters
    ----------
    net, params, freqs, x_res, x_bnd
        As :func:`pinn_ntk`.

    Returns
    -------
    tuple of float
        ``(λ_r, λ_b)``.

    Raises
    ------
    ValueError
        If a point set is not a finite 1-D array, or an NTK trace is not positive.

    Examples
    --------
    >>> net = PinnNet("plain", (4,))
    >>> params, freqs = init_pinn(net, seed=0)
    >>> lam_r, lam_b = ntk_weights(net, params, freqs, [0.25, 0.5, 0.75])
    >>> bool(lam_r >= 1.0 and lam_b >= 1.0)
    True
    """
    m_r = float(np.mean(np.sum(residual_jacobian(net, params, freqs, x_res) ** 2, axis=1)))
    m_b = float(np.mean(np.sum(value_jacobian(net, params, freqs, x_bnd) ** 2, axis=1)))
    if not (m_r > 0 and m_b > 0):
        raise ValueError(f"the NTK traces must be positive, got {m_r}, {m_b}")
    return (m_r + m_b) / m_r, (m_r + m_b) / m_b


def interior_grid(n: int) -> np.ndarray:
    """The ``n`` interior points ``x_j = j/(n+1)``, ``j = 1..n``, of a uniform grid of ``[0, 1]``.

    Parameters
    ----------
    n : int
        Number of interior points.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Increasing, without the end points 0 and 1 (where the boundary terms act).

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer (``n = 0`` leaves no interior point).

    Examples
    --------
    >>> interior_grid(3)
    array([0.25, 0.5 , 0.75])
    """
    n = validation.check_positive_int("n", n)
    return np.arange(1, n + 1) / (n + 1)


def poisson_fd(f, n: int, boundary: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """Second-order finite-difference solution of ``-u'' = f`` on ``[0, 1]`` with Dirichlet data.

    Solves ``(-u_{j-1} + 2u_j - u_{j+1}) / h² = f(x_j)`` on :func:`interior_grid` ``(n)``,
    ``h = 1/(n+1)``, ``u_0 = g_0``, ``u_{n+1} = g_1``, as a tridiagonal system
    (:func:`scipy.linalg.solve_banded`). The error is ``O(h²)`` for smooth ``u``.

    Parameters
    ----------
    f : callable or array_like
        ``f(x)`` for an array ``x``, or its values on the interior grid ``(n,)``.
    n : int
        Number of interior points.
    boundary : pair of float, default (0, 0)
        ``(u(0), u(1))``.

    Returns
    -------
    x : numpy.ndarray, shape (n,)
        The interior grid.
    u : numpy.ndarray, shape (n,)
        The discrete solution there.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``f``'s values have the wrong shape or are not finite.

    Examples
    --------
    >>> x, u = poisson_fd(lambda x: np.pi**2 * np.sin(np.pi * x), 99)
    >>> bool(np.max(np.abs(u - np.sin(np.pi * x))) < 1e-3)
    True
    """
    x = interior_grid(n)
    fv = validation.as_finite_array("f", f(x) if callable(f) else f, ndim=1)
    if fv.shape != (n,):
        raise ValueError(f"f must give {n} values on the interior grid, got shape {fv.shape}")
    g0, g1 = (validation.as_finite_array("boundary", boundary, ndim=1).tolist() + [None])[:2]
    if g1 is None:
        raise ValueError(f"boundary must be a pair (u(0), u(1)), got {boundary!r}")
    h = 1.0 / (n + 1)
    rhs = h * h * fv
    rhs[0] += g0
    rhs[-1] += g1
    bands = np.vstack([np.full(n, -1.0), np.full(n, 2.0), np.full(n, -1.0)])
    return x, scipy.linalg.solve_banded((1, 1), bands, rhs)


def sine_coefficients(values) -> np.ndarray:
    """Coefficients ``b_k`` of ``v(x_j) = Σ_{k=1}^n b_k sin(kπx_j)`` on :func:`interior_grid` ``(n)``.

    The discrete sine transform of type I, ``b = DST-I(v) / (n + 1)``; entry ``k - 1`` is
    the coefficient of ``sin(kπx)``, exactly for any ``k ≤ n``.

    Parameters
    ----------
    values : array_like, shape (..., n)
        Values on the interior grid (last axis).

    Returns
    -------
    numpy.ndarray, shape (..., n)

    Raises
    ------
    ValueError
        If ``values`` is empty or not finite.

    Examples
    --------
    >>> x = interior_grid(63)
    >>> sine_coefficients(2 * np.sin(3 * np.pi * x))[2].round(12)
    np.float64(2.0)
    """
    v = validation.as_finite_array("values", values)
    if v.ndim == 0 or v.shape[-1] == 0:
        raise ValueError("values must have a non-empty last axis")
    return scipy.fft.dst(v, type=1, axis=-1) / (v.shape[-1] + 1)


@dataclass(frozen=True)
class PinnHistory:
    """What :func:`train_pinn` recorded, one entry per seed along axis 1 (axis 0 for ``params``).

    Attributes
    ----------
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps (values before that step's update; the last is after the final one).
    u : numpy.ndarray, shape (n_rec, S, n_eval)
        ``u_θ`` on the evaluation points.
    loss_r, loss_b : numpy.ndarray, shape (n_rec, S)
        Unweighted mean residual and boundary losses.
    weights : numpy.ndarray, shape (n_rec, S, 2)
        ``(λ_r, λ_b)`` in force at each recorded step.
    params : tuple of numpy.ndarray
        Trained parameters, each ``(S, ...)``.
    freqs : numpy.ndarray, shape (S, m)
        Each seed's Fourier frequencies.
    """

    steps: np.ndarray
    u: np.ndarray
    loss_r: np.ndarray
    loss_b: np.ndarray
    weights: np.ndarray
    params: tuple
    freqs: np.ndarray


def train_pinn(net: PinnNet, f, x_res, seeds, *, steps: int, lr: float, record_every: int, x_eval,
               boundary: tuple[float, float] = (0.0, 0.0), weighting: str = "fixed", lam_b: float = 1.0,
               update_every: int = 100, dtype: torch.dtype = torch.float32) -> PinnHistory:
    """Train one PINN per seed on ``-u'' = f`` with Adam, all seeds in one batched pass.

    Seed ``s``'s parameters and frequencies are :func:`init_pinn` ``(net, s)``; the seeds'
    parameters are stacked along a leading axis and one Adam updates them (Adam acts element
    by element, so this is one run per seed on its own loss).

    Parameters
    ----------
    net : PinnNet
        The architecture.
    f : callable or array_like
        The source: ``f(x)`` or its values at ``x_res``.
    x_res : array_like, shape (N_r,)
        Collocation points (fixed during training).
    seeds : sequence of int
        One run per seed.
    steps, lr, record_every : int, float, int
        Adam steps, learning rate and recording interval.
    x_eval : array_like, shape (n_eval,)
        Where ``u_θ`` is recorded.
    boundary : pair of float, default (0, 0)
        ``(u(0), u(1))``.
    weighting : {"fixed", "ntk"}, default "fixed"
        ``"fixed"``: ``λ_r = 1``, ``λ_b = lam_b``. ``"ntk"``: :func:`ntk_weights`, recomputed
        for each seed every ``update_every`` steps.
    lam_b : float, default 1.0
        Boundary weight of ``"fixed"``.
    update_every : int, default 100
        Interval of the NTK weight updates.
    dtype : torch.dtype, default torch.float32

    Returns
    -------
    PinnHistory

    Raises
    ------
    ValueError
        For invalid sizes, points, seeds or weighting.

    Examples
    --------
    >>> x = interior_grid(15)
    >>> h = train_pinn(PinnNet("plain", (8,)), lambda x: np.pi**2 * np.sin(np.pi * x), x, [0, 1],
    ...                steps=10, lr=1e-2, record_every=5, x_eval=x)
    >>> h.u.shape, h.steps.tolist()
    ((3, 2, 15), [0, 5, 10])
    """
    if not isinstance(net, PinnNet):
        raise TypeError(f"net must be a PinnNet, got {type(net).__name__}")
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
    steps = validation.check_positive_int("steps", steps)
    record_every = validation.check_positive_int("record_every", record_every)
    update_every = validation.check_positive_int("update_every", update_every)
    lr = validation.check_positive_float("lr", lr)
    lam_b = validation.check_positive_float("lam_b", lam_b)
    seeds = validation.check_seeds(seeds)
    xr64 = validation.as_finite_array("x_res", x_res, ndim=1)
    xr = _check_x(xr64, dtype)
    xe = _check_x(validation.as_finite_array("x_eval", x_eval, ndim=1), dtype)
    fv = validation.as_finite_array("f", f(xr64) if callable(f) else f, ndim=1)
    if fv.shape != tuple(xr.shape):
        raise ValueError(f"f must give one value per collocation point, got shape {fv.shape}")
    g = torch.as_tensor(validation.as_finite_array("boundary", boundary, ndim=1), dtype=dtype)
    if g.shape != (2,):
        raise ValueError(f"boundary must be a pair (u(0), u(1)), got {boundary!r}")
    ft = torch.as_tensor(fv, dtype=dtype)
    xb = torch.tensor([0.0, 1.0], dtype=dtype)
    inits = [init_pinn(net, s, dtype=dtype) for s in seeds]
    params = [torch.stack([p[i] for p, _ in inits]).requires_grad_() for i in range(len(inits[0][0]))]
    freqs = torch.stack([fr for _, fr in inits])
    opt = torch.optim.Adam(params, lr=lr)
    weights = torch.tensor([[1.0, lam_b]] * len(seeds), dtype=dtype)
    rec_steps, rec_u, rec_r, rec_b, rec_w = [], [], [], [], []
    for step in range(steps + 1):
        if weighting == "ntk" and step % update_every == 0 and step < steps:
            with torch.no_grad():
                weights = torch.tensor([ntk_weights(net, [p[i].detach() for p in params], freqs[i], xr, xb)
                                        for i in range(len(seeds))], dtype=dtype)
        _, _, uxx = derivatives(net, params, freqs, xr)
        ub = _value(net, params, freqs, xb)
        loss_r = ((-uxx - ft) ** 2).mean(-1)
        loss_b = ((ub - g) ** 2).mean(-1)
        if step % record_every == 0 or step == steps:
            with torch.no_grad():
                rec_steps.append(step)
                rec_u.append(_value(net, params, freqs, xe).double().numpy())
                rec_r.append(loss_r.double().numpy())
                rec_b.append(loss_b.double().numpy())
                rec_w.append(weights.double().numpy())
        if step == steps:
            break
        opt.zero_grad()
        (weights[:, 0] * loss_r + weights[:, 1] * loss_b).sum().backward()
        opt.step()
    if not np.all(np.isfinite(rec_u[-1])):
        raise ValueError("training diverged (non-finite predictions); lower the learning rate")
    return PinnHistory(
        steps=np.asarray(rec_steps), u=np.stack(rec_u), loss_r=np.stack(rec_r), loss_b=np.stack(rec_b),
        weights=np.stack(rec_w), params=tuple(p.detach().double().numpy() for p in params),
        freqs=freqs.double().numpy(),
    )
