"""Chapter *Spectral bias beyond ReLU*: activations, the frequency principle, lazy and rich training.

Three experiments, each with its frozen config and result:

* :class:`ActivationsConfig` / :func:`run_activations` -- Rahaman et al.'s Exp1 target
  (:func:`spectral_lib.datasets.exp1_targets`) fitted by the same MLP with ReLU, tanh,
  GELU, sine and hat activations (:func:`spectral_lib.networks.activation_mlp`), recording
  the normalised amplitude and the relative error of every frequency; beside it the
  empirical NTK of every net at initialisation, per Fourier mode, and the NTK of a
  Π-net (:class:`spectral_lib.networks.PiNet`) against a ReLU net on the circle;
* :class:`FilterConfig` / :func:`run_filter` -- Xu et al.'s filtering method on
  scikit-learn's digits: a Gaussian low-pass split of the one-hot labels into a low and a
  high part, each part's relative error over training;
* :class:`LazyConfig` / :func:`run_lazy` -- Chizat, Oyallon & Bach's output scale ``α``:
  ``f_α = α (f(x; θ) − f(x; θ₀))`` trained by gradient descent on the loss divided by
  ``α²``; the relative change of the NTK and the per-frequency learning times against the
  linearised (kernel) prediction.

All nets of one experiment train together: their parameters are stacked along a leading
model axis and one ``torch.optim`` optimiser updates them (Adam and SGD act element-wise,
so this is one optimiser per model), as :func:`spectral_lib.training.train_full_batch`
does; the engine is not used because its batched path does not cover mixed activations.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch
from torch import nn

from spectral_lib import datasets, kernels, networks, seeding, spectra, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


# ----------------------------------------------------------------------------------------------
# stacked training of K models of one shape (networks.stack_mlps, networks.stack_pinets)


def _load_mlp(net: nn.Sequential, params: list[torch.Tensor], k: int) -> nn.Sequential:
    import copy

    net = copy.deepcopy(net)
    lins = [m for m in net if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for i, lin in enumerate(lins):
            lin.weight.copy_(params[2 * i][k])
            lin.bias.copy_(params[2 * i + 1][k])
    return net


def _fit(forward, params, y: torch.Tensor, *, steps: int, lr: float, record_every: int,
         optimizer: str = "adam"):
    """Full-batch training of stacked models on y (K, N); returns steps, outputs (n_rec, K, N), loss."""
    opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(params, lr=lr)
    rec, outs, losses = [], [], []
    for t in range(steps + 1):
        out = forward(params)
        per_model = ((out - y) ** 2).flatten(1).mean(dim=1)
        if t % record_every == 0 or t == steps:
            lv = per_model.detach().numpy().astype(np.float64)
            if not np.all(np.isfinite(lv)):
                raise ValueError(f"training diverged at step {t} (try a smaller lr)")
            rec.append(t)
            outs.append(out.detach().numpy().astype(np.float64))
            losses.append(lv)
        if t == steps:
            break
        opt.zero_grad(set_to_none=True)
        per_model.sum().backward()
        opt.step()
    return np.asarray(rec), np.stack(outs), np.stack(losses)


# ----------------------------------------------------------------------------------------------
# 1. activations


@dataclasses.dataclass(frozen=True)
class ActivationsConfig:
    """Exp1 (equal amplitudes) fitted by one MLP shape with several activations.

    ``nets`` are ``(label, activation, first_scale)`` triples (see
    :func:`spectral_lib.networks.activation_mlp`); every label trains ``n_runs`` seeds
    (seed ``s`` draws the phases and the initial weights, shared by all activations). The
    NTK of every net is computed at initialisation on the grid; ``pinet_degree`` and
    ``pinet_width`` size the Π-net whose NTK on the circle (inputs ``(cos 2πx, sin 2πx)``)
    is compared with that of a ReLU MLP of shape ``hidden`` on the same inputs. On the same
    circle inputs a Π-net of degree ``train_degree`` (at least the highest frequency, so
    every component of the target is a polynomial it can represent) and width
    ``train_width`` and a ReLU MLP of shape ``hidden`` are trained on the Exp1 target as the
    other nets are (Adam, ``lr``, ``steps``; seed ``s`` as above).
    """

    hidden: tuple[int, ...]
    lr: float
    steps: int
    n_runs: int
    record_every: int
    nets: tuple[tuple[str, str, float], ...] = (
        ("ReLU", "relu", 1.0), ("tanh", "tanh", 1.0), ("GELU", "gelu", 1.0), ("sin", "sine", 1.0),
        ("sin, ω₀ = 30", "sine", 30.0), ("hat", "hat", 1.0), ("hat, ×30", "hat", 30.0),
    )
    freqs: tuple[int, ...] = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
    n_points: int = 200
    pinet_degree: int = 8
    pinet_width: int = 64
    ntk_freqs: tuple[int, ...] = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
    train_degree: int = 52
    train_width: int = 16


@dataclass(frozen=True)
class ActivationsResult:
    """The activation experiment.

    Attributes
    ----------
    config : ActivationsConfig
    steps : numpy.ndarray, shape (n_rec,)
    x, freqs, target_amplitudes : numpy.ndarray
        Grid (N,), frequencies (m,), ``A_i`` (m,).
    targets : numpy.ndarray, shape (S, N)
    labels : tuple of str
        The nets' labels, in ``config.nets`` order.
    amplitudes, errors : dict of str to numpy.ndarray
        Per label: normalised amplitudes ``2|F[k_i]|/A_i`` and relative errors
        ``|F[y - f](k_i)| / |F[y](k_i)|``, both ``(n_rec, S, m)``.
    loss : dict of str to numpy.ndarray, (n_rec, S)
    ntk_modes : dict of str to numpy.ndarray, (S, len(ntk_freqs))
        Rayleigh quotients of the NTK at initialisation on the Fourier modes of the grid.
    circle_modes : dict of str to numpy.ndarray, (S, len(circle_freqs))
        ``"Π-net"`` and ``"ReLU"`` NTK mode eigenvalues on the circle inputs.
    circle_freqs : numpy.ndarray
    circle_amplitudes, circle_ntk : dict of str to numpy.ndarray
        ``"Π-net"`` (degree ``train_degree``) and ``"ReLU"`` trained on the circle inputs:
        normalised amplitudes ``(n_rec, S, m)`` and NTK mode eigenvalues at initialisation at
        ``freqs``, ``(S, m)``.
    """

    config: object
    steps: np.ndarray
    x: np.ndarray
    freqs: np.ndarray
    target_amplitudes: np.ndarray
    targets: np.ndarray
    labels: tuple
    amplitudes: dict
    errors: dict
    loss: dict
    ntk_modes: dict
    circle_modes: dict
    circle_freqs: np.ndarray
    circle_amplitudes: dict
    circle_ntk: dict


def run_activations(cfg: ActivationsConfig, *, progress: bool = False, use_cache: bool = True,
                    device=None) -> ActivationsResult:
    """Train the activation experiment and compute the NTKs at initialisation.

    Parameters
    ----------
    cfg : ActivationsConfig
        The target's frequencies, the nets ``(label, activation, first-layer scale)``, the Π-net
        and the NTK's grids.
    progress, use_cache, device
        As for this module's ``run``; ``progress`` has no effect; the networks train on the CPU
        only.

    Returns
    -------
    ActivationsResult
        Each activation's recorded amplitudes and its NTK eigenvalues at initialisation.

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.
    ValueError
        On invalid sizes, an unknown activation or a diverging run.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("activations", "book"), hidden=(8,), steps=4, n_runs=2,
    ...                           record_every=2, nets=(("ReLU", "relu", 1.0),), pinet_degree=2,
    ...                           pinet_width=4, n_points=32, freqs=(2, 4), ntk_freqs=(2, 4), train_degree=4,
    ...                           train_width=4)
    >>> res = run_activations(cfg, use_cache=False)
    >>> res.amplitudes["ReLU"].shape, res.ntk_modes["ReLU"].shape, res.circle_amplitudes["Π-net"].shape
    ((3, 2, 2), (2, 2), (3, 2, 2))
    """
    results.check_config(cfg, ("hidden", "lr", "steps", "n_runs", "nets", "freqs", "pinet_degree"),
                         "activations")
    return results.cached_run("beyond_relu-activations", cfg, lambda: _compute_activations(cfg),
                              _activations_from_arrays, use_cache=use_cache, device="cpu")


def _compute_activations(cfg) -> dict:
    n_runs = validation.check_positive_int("n_runs", cfg.n_runs)
    labels = [lab for lab, _, _ in cfg.nets]
    if len(set(labels)) != len(labels) or not labels:
        raise ValueError("nets must have distinct labels")
    seeds = list(range(n_runs))
    tg = datasets.exp1_targets(cfg.freqs, "equal", seeds, cfg.n_points)
    x = torch.as_tensor(tg["x"], dtype=torch.float32)[:, None]
    models = [networks.activation_mlp(1, list(cfg.hidden), activation=a, seed=s, first_scale=sc)
              for _, a, sc in cfg.nets for s in seeds]
    acts = [networks.make_activation(a) for _, a, _ in cfg.nets]
    params = networks.stack_mlps(models)
    y = torch.as_tensor(np.tile(tg["y"], (len(labels), 1)), dtype=torch.float32)
    steps, outs, loss = _fit(lambda p: networks.stacked_mlp_forward(p, x, acts, n_runs)[..., 0], params, y,
                             steps=cfg.steps, lr=cfg.lr, record_every=cfg.record_every)
    arrays = {"steps": steps, "x": tg["x"], "freqs": tg["freqs"], "target_amplitudes": tg["amplitudes"],
              "targets": tg["y"]}
    for j, lab in enumerate(labels):
        sl = slice(j * n_runs, (j + 1) * n_runs)
        pred = outs[:, sl]
        arrays[f"amp/{lab}"] = spectra.normalised_amplitudes(pred, tg["freqs"], tg["amplitudes"])
        arrays[f"err/{lab}"] = np.stack([[spectra.residual_ratios(pred[t, s], tg["y"][s], tg["freqs"])
                                          for s in range(n_runs)] for t in range(len(steps))])
        arrays[f"loss/{lab}"] = loss[:, sl]
        arrays[f"ntk/{lab}"] = np.stack([
            kernels.mode_eigenvalues(kernels.empirical_ntk(models[j * n_runs + s], x), cfg.ntk_freqs)
            for s in range(n_runs)])
    # the Π-net against a ReLU MLP, both on the circle z = (cos 2πx, sin 2πx)
    z = torch.cat([torch.cos(2 * np.pi * x), torch.sin(2 * np.pi * x)], dim=1)
    circle_freqs = np.arange(1, min(3 * cfg.pinet_degree, (cfg.n_points - 1) // 2) + 1)
    arrays["circle_freqs"] = circle_freqs
    for lab, make in (("Π-net", lambda s: networks.PiNet(2, cfg.pinet_width, cfg.pinet_degree, seed=s)),
                      ("ReLU", lambda s: networks.relu_mlp(2, list(cfg.hidden), seed=s))):
        arrays[f"circle/{lab}"] = np.stack([
            kernels.mode_eigenvalues(kernels.empirical_ntk(make(s), z), circle_freqs) for s in seeds])
    # the Π-net of degree >= max k and a ReLU MLP trained on the Exp1 target on the circle inputs
    degree = validation.check_positive_int("train_degree", cfg.train_degree)
    if degree < max(cfg.freqs):
        raise ValueError(f"train_degree must be at least the highest frequency {max(cfg.freqs)}, got "
                         f"{degree}")
    pis = [networks.PiNet(2, cfg.train_width, degree, seed=s) for s in seeds]
    relus = [networks.relu_mlp(2, list(cfg.hidden), seed=s) for s in seeds]
    y = torch.as_tensor(tg["y"], dtype=torch.float32)
    relu_fwd = partial(networks.stacked_mlp_forward, x=z, acts=[nn.ReLU()], group=n_runs)
    for lab, nets, fwd in (("Π-net", pis, lambda p: networks.stacked_pinet_forward(p, z)[..., 0]),
                           ("ReLU", relus, lambda p: relu_fwd(p)[..., 0])):
        params = networks.stack_pinets(nets) if lab == "Π-net" else networks.stack_mlps(nets)
        _, outs, _ = _fit(fwd, params, y, steps=cfg.steps, lr=cfg.lr, record_every=cfg.record_every)
        arrays[f"zamp/{lab}"] = spectra.normalised_amplitudes(outs, tg["freqs"], tg["amplitudes"])
        arrays[f"zntk/{lab}"] = np.stack([kernels.mode_eigenvalues(kernels.empirical_ntk(n, z), cfg.freqs)
                                          for n in nets])
    return arrays


def _per(arrays: dict, prefix: str) -> dict:
    return {k.split("/", 1)[1]: v for k, v in arrays.items() if k.startswith(prefix + "/")}


def _activations_from_arrays(cfg, arrays: dict) -> ActivationsResult:
    return ActivationsResult(
        config=cfg, steps=arrays["steps"], x=arrays["x"], freqs=arrays["freqs"],
        target_amplitudes=arrays["target_amplitudes"], targets=arrays["targets"],
        labels=tuple(lab for lab, _, _ in cfg.nets), amplitudes=_per(arrays, "amp"),
        errors=_per(arrays, "err"),
        loss=_per(arrays, "loss"), ntk_modes=_per(arrays, "ntk"), circle_modes=_per(arrays, "circle"),
        circle_freqs=arrays["circle_freqs"], circle_amplitudes=_per(arrays, "zamp"),
        circle_ntk=_per(arrays, "zntk"),
    )


PRESETS.add(
    "activations",
    # Two hidden layers of 64, Adam 3e-3, 2,500 steps: the seven nets x 3 seeds train as one
    # ensemble of 21 models within the chapter's budget.
    book=ActivationsConfig(hidden=(64, 64), lr=3e-3, steps=2_500, n_runs=3, record_every=50),
    # Rahaman et al.'s Exp1 sizes (256 x 5 hidden layers, Adam 3e-4, 80k steps, 10 runs).
    paper_changes={"hidden": (256,) * 5, "lr": 3e-4, "steps": 80_000, "n_runs": 10, "record_every": 200},
)


# ----------------------------------------------------------------------------------------------
# 2. the filtering method on the digits


@dataclasses.dataclass(frozen=True)
class FilterConfig:
    """Xu et al.'s filtering method: Gaussian low-pass split of one-hot digit labels.

    Run ``s`` draws ``n_samples`` of scikit-learn's 1,797 digits (seed ``s``) and a net
    ``activation_mlp(64, hidden, 10, activation=activation, seed=s)``, trained full batch
    by Adam on the MSE to the one-hot labels. The low part of a function ``g`` on the
    samples is its Nadaraya–Watson smoothing ``g_low = G g / G 1`` with
    ``G_ij = exp(−‖x_i − x_j‖² / (2δ²))`` and ``δ = delta_scale`` times the median
    distance between the samples; the high part is ``g − g_low``.
    """

    hidden: tuple[int, ...]
    lr: float
    steps: int
    n_runs: int
    record_every: int
    n_samples: int = 500
    delta_scale: float = 0.5
    activations: tuple[str, ...] = ("relu", "tanh")


@dataclass(frozen=True)
class FilterResult:
    """The filtering experiment.

    Attributes
    ----------
    config : FilterConfig
    steps : numpy.ndarray, shape (n_rec,)
    low_error, high_error : dict of str to numpy.ndarray
        Per activation: ``‖y_low − h_low‖ / ‖y_low‖`` and the same for the high parts,
        ``(n_rec, S)``.
    low_fraction : numpy.ndarray, shape (S,)
        ``‖y_low‖² / (‖y_low‖² + ‖y_high‖²)`` of each run's labels.
    delta : numpy.ndarray, shape (S,)
        The filter width of each run.
    """

    config: object
    steps: np.ndarray
    low_error: dict
    high_error: dict
    low_fraction: np.ndarray
    delta: np.ndarray


def low_pass(values, gram) -> np.ndarray:
    """Nadaraya–Watson smoothing ``G v / G 1`` of values on the samples of a Gram matrix.

    Parameters
    ----------
    values : array_like, shape (..., n, c)
        Values on the ``n`` samples (leading axes: e.g. records and runs).
    gram : array_like, shape (n, n)
        Non-negative kernel matrix ``G`` with positive row sums.

    Returns
    -------
    numpy.ndarray, shape (..., n, c)

    Raises
    ------
    ValueError
        If the shapes disagree or a row of ``G`` sums to zero.

    Examples
    --------
    >>> low_pass(np.array([[1.0], [3.0]]), np.ones((2, 2)))
    array([[2.],
           [2.]])
    """
    G = validation.as_finite_array("gram", gram, ndim=2)
    v = validation.as_finite_array("values", values)
    if G.shape[0] != G.shape[1] or v.ndim < 2 or v.shape[-2] != G.shape[0]:
        raise ValueError(f"values (..., {G.shape[0]}, c) and a square gram are needed, got {v.shape}, "
                         f"{G.shape}")
    rows = G.sum(axis=1)
    if np.any(rows <= 0):
        raise ValueError("every row of the Gram matrix must have a positive sum")
    return np.einsum("ij,...jc->...ic", G / rows[:, None], v)


def run_filter(cfg: FilterConfig, *, progress: bool = False, use_cache: bool = True,
               device=None) -> FilterResult:
    """Train the digits nets and measure the low and high parts' relative errors over training.

    Parameters
    ----------
    cfg : FilterConfig
        The digits sample, the perturbation's scale and the activations compared.
    progress, use_cache, device
        As for this module's ``run``; ``progress`` has no effect; the networks train on the CPU
        only.

    Returns
    -------
    FilterResult
        The low and high parts' relative errors over training, per seed.

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.
    ValueError
        On invalid sizes or a diverging run.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("filter", "book"), hidden=(8,), steps=4, n_runs=2,
    ...                           record_every=2, n_samples=40, activations=("relu",))
    >>> run_filter(cfg, use_cache=False).low_error["relu"].shape
    (3, 2)
    """
    results.check_config(cfg, ("hidden", "lr", "steps", "n_runs", "n_samples", "delta_scale", "activations"),
                         "filter")
    return results.cached_run("beyond_relu-filter", cfg, lambda: _compute_filter(cfg), _filter_from_arrays,
                              use_cache=use_cache, device="cpu")


def _compute_filter(cfg) -> dict:
    n_runs = validation.check_positive_int("n_runs", cfg.n_runs)
    n = validation.check_positive_int("n_samples", cfg.n_samples)
    scale = validation.check_positive_float("delta_scale", cfg.delta_scale)
    from sklearn.datasets import load_digits

    pixels = datasets.load_digits_unit()
    labels = load_digits().target
    if n > len(pixels):
        raise ValueError(f"n_samples must be at most {len(pixels)}, got {n}")
    acts_names = tuple(cfg.activations)
    low_err = {a: [] for a in acts_names}
    high_err = {a: [] for a in acts_names}
    fractions, deltas, steps = [], [], None
    for s in range(n_runs):
        idx = seeding.rng(s).choice(len(pixels), size=n, replace=False)
        xs, ys = pixels[idx], np.eye(10)[labels[idx]]
        delta = scale * kernels.median_distance(xs)
        G = kernels.rbf_gram(xs, delta)
        y_low = low_pass(ys, G)
        y_high = ys - y_low
        fractions.append(np.sum(y_low**2) / (np.sum(y_low**2) + np.sum(y_high**2)))
        deltas.append(delta)
        models = [networks.activation_mlp(64, list(cfg.hidden), 10, activation=a, seed=s) for a in acts_names]
        acts = [networks.make_activation(a) for a in acts_names]
        params = networks.stack_mlps(models)
        xt = torch.as_tensor(xs, dtype=torch.float32)
        yt = torch.as_tensor(ys, dtype=torch.float32).expand(len(models), n, 10)
        fwd = partial(networks.stacked_mlp_forward, x=xt, acts=acts, group=1)
        steps, outs, _ = _fit(fwd, params, yt, steps=cfg.steps, lr=cfg.lr, record_every=cfg.record_every)
        h_low = low_pass(outs, G)                          # (n_rec, K, n, 10)
        h_high = outs - h_low
        for j, a in enumerate(acts_names):
            low_err[a].append(np.linalg.norm((h_low[:, j] - y_low).reshape(len(steps), -1), axis=1)
                              / np.linalg.norm(y_low))
            high_err[a].append(np.linalg.norm((h_high[:, j] - y_high).reshape(len(steps), -1), axis=1)
                               / np.linalg.norm(y_high))
    arrays = {"steps": steps, "low_fraction": np.asarray(fractions), "delta": np.asarray(deltas)}
    for a in acts_names:
        arrays[f"low/{a}"] = np.stack(low_err[a], axis=1)
        arrays[f"high/{a}"] = np.stack(high_err[a], axis=1)
    return arrays


def _filter_from_arrays(cfg, arrays: dict) -> FilterResult:
    return FilterResult(config=cfg, steps=arrays["steps"], low_error=_per(arrays, "low"),
                        high_error=_per(arrays, "high"), low_fraction=arrays["low_fraction"],
                        delta=arrays["delta"])


PRESETS.add(
    "filter",
    book=FilterConfig(hidden=(128,), lr=1e-3, steps=600, n_runs=3, record_every=10),
    # Xu et al. (2020) filter MNIST/CIFAR10 with wider nets; the digits stand in offline.
    paper_changes={"hidden": (400, 400), "steps": 3_000, "n_runs": 10, "n_samples": 1_797},
)


# ----------------------------------------------------------------------------------------------
# 3. lazy and rich training


@dataclasses.dataclass(frozen=True)
class LazyConfig:
    """Chizat et al.'s output scale: ``f_α = α (f(x; θ) − f(x; θ₀))``, loss ``(1/α²) MSE(f_α, y)``.

    A ReLU net ``relu_mlp(1, hidden, seed=s)`` is trained by full-batch gradient descent
    (SGD, learning rate ``lr``) on ``y = Σ_i sin(2π k_i x + φ_i)`` on ``n_points`` grid
    points (phases of seed ``s``), at every scale in ``alphas``. Gradient descent on
    ``(1/α²) MSE(f_α, y)`` is gradient descent on ``MSE(f, f₀ + y/α)``, which is how it runs.
    """

    hidden: tuple[int, ...]
    lr: float
    steps: int
    n_runs: int
    record_every: int
    alphas: tuple[float, ...] = (0.25, 1.0, 4.0, 16.0, 64.0)
    freqs: tuple[int, ...] = (1, 2, 3, 4)
    n_points: int = 64


@dataclass(frozen=True)
class LazyResult:
    """The α sweep.

    Attributes
    ----------
    config : LazyConfig
    steps : numpy.ndarray, shape (n_rec,)
    alphas, freqs : numpy.ndarray
    amplitudes : numpy.ndarray, shape (n_alpha, n_rec, S, m)
        Normalised amplitudes of ``f_α`` at the target's frequencies.
    linear_amplitudes : numpy.ndarray, shape (n_rec, S, m)
        The same for the linearised model (the NTK at initialisation), which does not depend on α.
    kernel_change : numpy.ndarray, shape (n_alpha, S)
        ``‖K_T − K_0‖_F / ‖K_0‖_F`` of the NTK of ``f`` (that of ``f_α`` is ``α²`` times it).
    param_change : numpy.ndarray, shape (n_alpha, S)
        ``‖θ_T − θ_0‖ / ‖θ_0‖``.
    loss : numpy.ndarray, shape (n_alpha, n_rec, S)
        ``(1/α²) MSE(f_α, y)``.
    """

    config: object
    steps: np.ndarray
    alphas: np.ndarray
    freqs: np.ndarray
    amplitudes: np.ndarray
    linear_amplitudes: np.ndarray
    kernel_change: np.ndarray
    param_change: np.ndarray
    loss: np.ndarray


def run_lazy(cfg: LazyConfig, *, progress: bool = False, use_cache: bool = True, device=None) -> LazyResult:
    """Train the α sweep; measure the kernel's change and the per-frequency fit against the kernel prediction.

    Parameters
    ----------
    cfg : LazyConfig
        The output scales α, the target's frequencies and the network.
    progress, use_cache, device
        As for this module's ``run``; ``progress`` has no effect; the networks train on the CPU
        only.

    Returns
    -------
    LazyResult
        Each scale α's distance from initialisation and its recorded amplitudes.

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field.
    ValueError
        On invalid sizes, a non-positive α, or a diverging run.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("lazy", "book"), hidden=(8,), steps=4, n_runs=2, record_every=2,
    ...                           alphas=(1.0, 4.0), n_points=16, freqs=(1, 2))
    >>> run_lazy(cfg, use_cache=False).kernel_change.shape
    (2, 2)
    """
    results.check_config(cfg, ("hidden", "lr", "steps", "n_runs", "alphas", "freqs", "n_points"), "lazy")
    return results.cached_run("beyond_relu-lazy", cfg, lambda: _compute_lazy(cfg), _lazy_from_arrays,
                              use_cache=use_cache, device="cpu")


def _compute_lazy(cfg) -> dict:
    n_runs = validation.check_positive_int("n_runs", cfg.n_runs)
    alphas = np.asarray([validation.check_positive_float("alpha", a) for a in cfg.alphas])
    if alphas.size == 0:
        raise ValueError("alphas must not be empty")
    x_np = datasets.unit_grid(cfg.n_points)
    k = validation.check_frequencies(cfg.freqs, len(x_np))
    ones = np.ones(k.size)
    y_np = np.stack([datasets.sinusoid_mixture(x_np, k, ones, datasets.random_phases(k.size, s))
                     for s in range(n_runs)])
    x = torch.as_tensor(x_np, dtype=torch.float32)[:, None]
    init = [networks.relu_mlp(1, list(cfg.hidden), seed=s) for s in range(n_runs)]
    models = [init[s] for _ in alphas for s in range(n_runs)]           # alpha-major
    params = networks.stack_mlps(models)
    with torch.no_grad():
        f0 = networks.stacked_mlp_forward(params, x, [nn.ReLU()], len(models))[..., 0]
    a_rep = torch.as_tensor(np.repeat(alphas, n_runs), dtype=torch.float32)[:, None]
    y_rep = torch.as_tensor(np.tile(y_np, (alphas.size, 1)), dtype=torch.float32)
    theta0 = torch.cat([p.detach().flatten(1) for p in params], dim=1)
    fwd = partial(networks.stacked_mlp_forward, x=x, acts=[nn.ReLU()], group=len(models))
    steps, outs, loss = _fit(lambda p: fwd(p)[..., 0], params, f0 + y_rep / a_rep, steps=cfg.steps, lr=cfg.lr,
                             record_every=cfg.record_every, optimizer="sgd")
    f_alpha = np.repeat(alphas, n_runs)[None, :, None] * (outs - f0.numpy()[None].astype(np.float64))
    amps = spectra.normalised_amplitudes(f_alpha, k, ones).reshape(len(steps), alphas.size, n_runs, k.size)
    theta = torch.cat([p.detach().flatten(1) for p in params], dim=1)
    dtheta = (torch.linalg.norm((theta - theta0).double(), dim=1) / torch.linalg.norm(theta0.double(), dim=1))
    K0 = [kernels.empirical_ntk(init[s], x) for s in range(n_runs)]
    kchange = np.empty((alphas.size, n_runs))
    for i in range(alphas.size):
        for s in range(n_runs):
            KT = kernels.empirical_ntk(_load_mlp(init[s], params, i * n_runs + s), x)
            kchange[i, s] = np.linalg.norm(KT - K0[s]) / np.linalg.norm(K0[s])
    lin = np.stack([y_np[s] + kernels.linearised_residuals(K0[s], -y_np[s], cfg.lr, steps)
                    for s in range(n_runs)], axis=1)                      # (n_rec, S, N)
    return {"steps": steps, "alphas": alphas, "freqs": k, "amplitudes": np.moveaxis(amps, 1, 0),
            "linear_amplitudes": spectra.normalised_amplitudes(lin, k, ones), "kernel_change": kchange,
            "param_change": dtheta.numpy().reshape(alphas.size, n_runs),
            "loss": np.moveaxis(loss.reshape(len(steps), alphas.size, n_runs), 1, 0)}


def _lazy_from_arrays(cfg, arrays: dict) -> LazyResult:
    return LazyResult(config=cfg, **{f.name: arrays[f.name] for f in dataclasses.fields(LazyResult)
                                     if f.name != "config"})


PRESETS.add(
    "lazy",
    book=LazyConfig(hidden=(256,), lr=0.015, steps=3_000, n_runs=3, record_every=25),
    paper_changes={"hidden": (1024,), "steps": 20_000, "n_runs": 10},
)


#: The guards' thresholds of the chapter (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS = {
    "order_sign": Threshold(
        0.0,
        "sign of Spearman's rho(k, learning time): rho > 0 means higher frequencies are learned later (a "
        "positive association, weaker than the strict order rho = 1 of Rahaman et al. Fig. 1)",
    ),
    "strict_order": Threshold(
        0.9,
        "the learning-order chapter's test of Rahaman et al. Fig. 1 (strict order, a few neighbour swaps "
        "tolerated)",
    ),
    "ntk_null": Threshold(
        1e-6,
        "theory: a degree-N polynomial net's NTK on the circle has no Fourier mode above N; 1e-6 of the "
        "k = 1 eigenvalue is far above float32 round-off in the Jacobian (relative 1e-7, squared)",
    ),
    "fit_level": Threshold(
        0.9,
        "a frequency counts as learned when its normalised amplitude reaches 0.9 (90% of the target's), "
        "the level at which Rahaman et al. Fig. 1 reads the learning order",
    ),
    "high_band": Threshold(
        30,
        "Choraria et al. (2022): 'the higher frequencies' read as the upper half of Exp1's frequencies "
        "5..50, i.e. k >= 30, fixed before the run",
    ),
    "converged": Threshold(
        0.1,
        "a part counts as converged when its relative error is at most 0.1 (90% fitted); Xu et al. (2020) "
        "show the curves and state no level",
    ),
    "param_slope": Threshold(
        -0.9,
        "Chizat et al. (2019): in the lazy regime the parameters move O(1/alpha), a log-log "
        "slope of -1 in alpha; -0.9 allows finite-alpha corrections",
    ),
    "lazy_tolerance": Threshold(
        0.1,
        "Chizat et al. (2019): the lazy model follows its linearisation up to O(1/alpha); at the largest "
        "alpha a 10% relative gap in the per-frequency learning times is the tolerance",
    ),
}


def mean_time(steps, amplitudes) -> np.ndarray:
    """Per-run, per-frequency mean time to threshold (:func:`spectral_lib.stats.mean_time_to_threshold`).

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
    amplitudes : array_like, shape (n_rec, S, m)
        Rising curves (normalised amplitudes, or ``1 −`` relative errors).

    Returns
    -------
    numpy.ndarray, shape (S, m)

    Raises
    ------
    ValueError
        As :func:`spectral_lib.stats.mean_time_to_threshold`.

    Examples
    --------
    >>> mean_time([0, 10, 20], np.array([[[0.0]], [[0.5]], [[1.0]]])).shape
    (1, 1)
    """
    from spectral_lib import stats

    return stats.mean_time_to_threshold(steps, amplitudes)


run = results.runner(
    __name__, {
        ActivationsConfig: lambda cfg, device, use_cache, progress: run_activations(
            cfg, progress=progress, use_cache=use_cache, device=device),
        FilterConfig: lambda cfg, device, use_cache, progress: run_filter(
            cfg, progress=progress, use_cache=use_cache, device=device),
        LazyConfig: lambda cfg, device, use_cache, progress: run_lazy(
            cfg, progress=progress, use_cache=use_cache, device=device),
    },
    returns="ActivationsResult, FilterResult or LazyResult", cpu_only=True,
    what="The activation sweep (:func:`run_activations`), the filtering method (:func:`run_filter`) or the "
         "α sweep (:func:`run_lazy`).")
