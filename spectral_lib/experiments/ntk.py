"""The chapter *The neural tangent kernel view*: linearised prediction, Basri et al.'s times, confusion.

``run(cfg)`` runs, through the results cache, :func:`linearised_experiment` (the empirical
NTK's linearised prediction against training of a wide two-layer net, the kernel's drift, a
width sweep) for an :class:`NTKConfig`; :func:`basri_experiment` (Basri et al.'s (2019) time
to learn frequency ``k``) and :func:`density_experiment` (faster where the data are dense,
Basri et al. 2020) for a :class:`BasriConfig`; :func:`confusion_experiment` (gradient
confusion as the signed normalised empirical NTK) for a :class:`ConfusionConfig`. The kernel
tools are in :mod:`spectral_lib.kernels`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import datasets, encodings, kernels, networks, seeding, stats, training, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


def _init_outputs(net: nn.Module, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        return net(x).detach().double().numpy()[:, 0]


def _lazy_setup(cfg, seeds: Sequence[int], x: torch.Tensor):
    """Seeds checked, the two-layer nets at initialisation, their NTKs and one lr: ``2ηλ_max/N = rate0``."""
    seeds = [validation.check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    nets = [networks.TwoLayerReLU(cfg.width, seed=s, dtype=torch.float64) for s in seeds]
    grams = [kernels.empirical_ntk(net, x) for net in nets]
    lam_max = max(float(np.linalg.eigvalsh(K)[-1]) for K in grams)
    return seeds, nets, grams, float(cfg.rate0) * cfg.n_points / (2.0 * lam_max)


def _train_gd(width: int, owners: Sequence[int], x: torch.Tensor, targets, lr: float, steps: int,
              record_every: int, recorders=()):
    """Full-batch GD (float64) of fresh two-layer nets, one per target: history, residuals (T, K, N)."""
    targets = np.asarray(targets)
    models = [networks.TwoLayerReLU(width, seed=s, dtype=torch.float64) for s in owners]
    hist = training.train_full_batch(models, x, torch.tensor(targets), steps=steps, lr=lr, optimizer="sgd",
                                     record_every=record_every, dtype=torch.float64,
                                     recorders=[training.PredictionRecorder(), *recorders])
    return hist, hist.predictions - targets[None]


def _kernel_drift(grams: Sequence[np.ndarray], x: torch.Tensor, freqs: np.ndarray):
    """Recorder of ``‖ΔK‖_F/‖K_0‖_F``, ``λ_k(K_t)/λ_k(K_0)``, ``‖ΔK u_k‖/λ_k(K_0)``; model i on grams[i]."""
    base = [kernels.mode_eigenvalues(K, freqs) for K in grams]
    t = 2 * np.pi * np.arange(x.shape[0]) / x.shape[0]
    cos, sin = (f(freqs[None, :] * t[:, None]) * np.sqrt(2 / t.size) for f in (np.cos, np.sin))  # unit modes

    def fn(models):
        out = []
        for K0, lam0, net in zip(grams, base, models, strict=True):
            dK = kernels.empirical_ntk(net, x) - K0
            rq = kernels.mode_eigenvalues(K0 + dK, freqs) / lam0
            act = 0.5 * (np.linalg.norm(dK @ cos, axis=0) + np.linalg.norm(dK @ sin, axis=0)) / lam0
            out.append([np.linalg.norm(dK) / np.linalg.norm(K0), *rq, *act])
        return np.asarray(out)

    return training.CallbackRecorder("drift", fn)


def _mixture_runs(cfg, width: int, amps: np.ndarray, seeds: Sequence[int], drift: bool) -> dict:
    """Train width-``width`` nets on ``f_0 + A·mixture`` for each ``A`` and seed, and linearised."""
    theta, x = kernels.circle_points(cfg.n_points, dtype=torch.float64)
    freqs = np.asarray(cfg.freqs, dtype=int)
    seeds, nets, grams, lr = _lazy_setup(dataclasses.replace(cfg, width=width), seeds, x)
    owners, targets, r0s, model_grams = [], [], [], []
    for a in amps:
        for i, (s, net) in enumerate(zip(seeds, nets, strict=True)):
            phases = seeding.rng(s).uniform(0, 2 * np.pi, freqs.size)
            mix = (np.sin(freqs[:, None] * theta[None, :] + phases[:, None])).sum(axis=0)
            owners.append(s)
            targets.append(_init_outputs(net, x) + a * mix)
            r0s.append(-a * mix)
            model_grams.append(grams[i])
    hist, resid = _train_gd(width, owners, x, np.stack(targets), lr, cfg.steps, cfg.record_every,
                            [_kernel_drift(model_grams, x, freqs)] if drift else [])  # resid: (T, n_A*S, N)
    meas = kernels.frequency_amplitudes(np.moveaxis(resid, 1, 0), freqs)  # (n_A*S, T, M)
    pred = np.stack([kernels.frequency_amplitudes(kernels.linearised_residuals(K, r0, lr, hist.steps), freqs)
                     for K, r0 in zip(model_grams, r0s, strict=True)])
    shape = (amps.size, len(seeds), hist.steps.size, freqs.size)
    lam = np.stack([kernels.mode_eigenvalues(K, freqs) for K in grams])
    final = [kernels.empirical_ntk(m, x) for m in hist.models]
    out = {"steps": hist.steps, "lr": lr, "measured": (meas / meas[:, :1]).reshape(shape),
           "predicted": (pred / pred[:, :1]).reshape(shape), "mode_eigvals": lam,
           "lam_max": np.array([np.linalg.eigvalsh(K)[-1] for K in grams]),
           "final_kernel_change": np.array([np.linalg.norm(K - K0) / np.linalg.norm(K0) for K, K0
                                            in zip(final, model_grams, strict=True)]).reshape(shape[:2])}
    if drift:
        out["drift"] = np.moveaxis(hist.drift.reshape(hist.steps.size, *shape[:2], -1), 0, 2)  # n_A, S, T, ·
    return out


def linearised_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Linearised NTK prediction against training of a two-layer ReLU network on the circle.

    For each seed and each amplitude ``A`` of ``cfg.amplitudes``, the network
    (:class:`~spectral_lib.networks.TwoLayerReLU`) is trained by
    full-batch gradient descent (float64) on the target ``f_0(θ) + A Σ_k sin(kθ + φ_k)``
    (the initial output ``f_0`` is added so the initial residual is exactly the mixture),
    and the residual amplitude at each frequency ``k`` of ``cfg.freqs`` is compared with
    the linearised dynamics ``r_t = (I - 2ηK/N)^t r_0`` of the empirical NTK at
    initialisation. The empirical NTK ``K_t`` is recomputed at every record. The largest
    amplitude is also trained at each width of ``cfg.sweep_widths`` (the width sweep).

    Parameters
    ----------
    cfg : NTKConfig
        ``n_points, width, freqs, amplitudes, rate0, steps, record_every, sweep_widths``.
    seeds : sequence of int
        Seeds of the networks and the phases.

    Returns
    -------
    dict
        The fields of :class:`LinearisedResult` but ``config``.

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid, ``cfg.n_points < 2``, or a frequency of ``cfg.freqs``
        is not in ``1..n_points/2 - 1``.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("ntk", "book"), n_points=16, width=32, freqs=(1, 2),
    ...                           steps=10, record_every=5, sweep_widths=(16,))
    >>> linearised_experiment(cfg, [0])["measured"].shape  # (n_A, S, T, M)
    (2, 1, 3, 2)
    """
    amps = np.asarray(cfg.amplitudes, dtype=np.float64)
    main = _mixture_runs(cfg, cfg.width, amps, seeds, drift=True)
    out = {"steps": main["steps"], "freqs": np.asarray(cfg.freqs, dtype=int), "amplitudes": amps,
           "lr": main["lr"], "measured": main["measured"], "predicted": main["predicted"],
           "mode_rates": 2 * main["lr"] * main["mode_eigvals"] / cfg.n_points,
           "mode_eigvals": main["mode_eigvals"], "lam_max": main["lam_max"],
           "kernel_change": main["drift"][..., 0], "mode_drift": main["drift"][..., 1:1 + len(cfg.freqs)],
           "mode_action": main["drift"][..., 1 + len(cfg.freqs):]}
    widths = sorted({int(m) for m in cfg.sweep_widths} | {int(cfg.width)})
    last = {k: (v[-1:] if k in ("measured", "predicted") else v) for k, v in main.items()}
    last["final_kernel_change"] = main["drift"][-1:, :, -1, 0]
    sweep = [last if m == cfg.width else _mixture_runs(cfg, m, amps[-1:], seeds, drift=False) for m in widths]
    out["sweep_widths"] = np.asarray(widths, dtype=int)
    for key in ("measured", "predicted", "final_kernel_change"):
        out[f"sweep_{key.replace('final_', '')}"] = np.stack([r[key][0] for r in sweep])
    out["sweep_mode_eigvals"] = np.stack([r["mode_eigvals"] for r in sweep])
    out["sweep_lam_max"] = np.stack([r["lam_max"] for r in sweep])
    return out


def basri_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Basri et al.'s time to learn frequency ``k`` on the circle, measured and predicted.

    For each seed, one :class:`~spectral_lib.networks.TwoLayerReLU` per frequency ``k`` of
    ``cfg.freqs`` is trained by full-batch gradient descent (float64, all in one batched call) on
    ``f_0(θ) + A sin(kθ)`` at ``cfg.n_points`` equally spaced angles, for ``A = cfg.amplitude``
    and ``A = cfg.large_amplitude``. The time to learn
    ``k`` is the step at which the residual amplitude at ``k`` falls to ``cfg.threshold``
    times its initial value; the kernel predicts ``log(threshold) / log(1 - 2ηλ_k/N)``
    with the Fourier-mode Rayleigh quotient ``λ_k`` of the empirical NTK.

    Parameters
    ----------
    cfg : BasriConfig
        ``n_points, width, freqs, amplitude, threshold, rate0, steps, record_every``.
    seeds : sequence of int

    Returns
    -------
    dict
        ``freqs`` (M,), ``lr``, ``measured`` and ``predicted`` (S, M) steps (``nan`` where
        the threshold was not reached within ``cfg.steps``), ``measured_large`` (S, M) the
        same at ``cfg.large_amplitude`` (the kernel's prediction does not depend on the
        amplitude), ``eigenvalues`` (S, M).

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid, a frequency of ``cfg.freqs`` is out of range, or
        ``cfg.threshold`` is not positive.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("basri", "book"), n_points=16, width=32, freqs=(1, 2), steps=10)
    >>> basri_experiment(cfg, [0, 1])["predicted"].shape  # (S, M)
    (2, 2)
    """

    theta, x = kernels.circle_points(cfg.n_points, dtype=torch.float64)
    freqs = np.asarray(cfg.freqs, dtype=int)
    seeds, nets, grams, lr = _lazy_setup(cfg, seeds, x)
    amps = (cfg.amplitude, cfg.large_amplitude)
    owners, targets = [], []
    for a in amps:
        for s, net in zip(seeds, nets, strict=True):
            f0 = _init_outputs(net, x)
            for k in freqs:
                owners.append(s)
                targets.append(f0 + a * np.sin(k * theta))
    hist, resid = _train_gd(cfg.width, owners, x, targets, lr, cfg.steps, cfg.record_every)  # (T, 2*S*M, N)
    measured = np.empty((len(amps), len(seeds), freqs.size))
    for a in range(len(amps)):
        for i in range(len(seeds)):
            for j, k in enumerate(freqs):
                amp = kernels.frequency_amplitudes(resid[:, (a * len(seeds) + i) * freqs.size + j], [k])[:, 0]
                measured[a, i, j] = stats.steps_to_threshold(
                    hist.steps, amp / amp[0], cfg.threshold, direction="fall", interpolate="log", never=np.nan
                )
    eig = np.stack([kernels.mode_eigenvalues(K, freqs) for K in grams])
    predicted = np.log(cfg.threshold) / np.log(kernels.gd_rate(eig, lr, cfg.n_points))
    return {"freqs": freqs, "lr": lr, "measured": measured[0], "measured_large": measured[1],
            "predicted": predicted, "eigenvalues": eig}


def density_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Basri et al. (2020): with a non-uniform density, frequency ``k`` is learnt faster where data are dense.

    ``cfg.n_points`` angles are spread over three (or ``len(cfg.density_weights)``) equal
    arcs with densities in the ratio ``cfg.density_weights``; a
    :class:`~spectral_lib.networks.TwoLayerReLU` is trained on ``f_0 + A sin(k θ)`` with
    ``k = cfg.density_freq``. The time for the residual RMS on each arc to fall to
    ``cfg.threshold`` of its initial value is measured, and also computed from the
    linearised dynamics of the empirical NTK.

    Parameters
    ----------
    cfg : BasriConfig
    seeds : sequence of int

    Returns
    -------
    dict
        ``weights``, ``counts`` (B,) points per arc, ``measured``, ``linearised`` (S, B) steps.

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid, or ``cfg.density_weights`` is empty or not positive, or
        an arc would get no point.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("basri", "book"), n_points=30, width=32, density_steps=10)
    >>> density_experiment(cfg, [0])["counts"]  # points per arc, densities 1 : 2 : 4
    array([ 4,  9, 17])
    """

    w = np.asarray(cfg.density_weights, dtype=np.float64)
    theta = kernels.block_density_angles(cfg.n_points, w)
    x = torch.tensor(np.stack([np.cos(theta), np.sin(theta)], axis=1))
    block = np.minimum((theta // (2 * np.pi / w.size)).astype(int), w.size - 1)
    seeds, nets, grams, lr = _lazy_setup(cfg, seeds, x)
    mode = cfg.amplitude * np.sin(cfg.density_freq * theta)
    targets = np.stack([_init_outputs(net, x) + mode for net in nets])
    hist, resid = _train_gd(cfg.width, seeds, x, targets, lr, cfg.density_steps, cfg.record_every)

    def block_times(r: np.ndarray) -> np.ndarray:
        rms = np.stack([np.sqrt((r[:, block == b] ** 2).mean(axis=1)) for b in range(w.size)], axis=1)
        return stats.steps_to_threshold(
            hist.steps, rms / rms[0], cfg.threshold, direction="fall", interpolate="log", never=np.nan
        )

    measured = np.stack([block_times(resid[:, i]) for i in range(len(seeds))])
    linear = np.stack([block_times(kernels.linearised_residuals(K, -mode, lr, hist.steps)) for K in grams])
    return {
        "weights": w,
        "counts": np.bincount(block, minlength=w.size),
        "measured": measured,
        "linearised": linear,
        "lr": lr,
    }


@dataclasses.dataclass(frozen=True)
class NTKConfig:
    """The NTK chapter's spectrum of a deep ReLU net and its linearised-dynamics check.

    ``deep_hidden`` is the ReLU net (PyTorch default init) whose empirical NTK on
    ``n_points`` equally spaced points of the circle is eigendecomposed, for ``n_seeds``
    seeds; the eigenvalue power law is fitted over every frequency from ``fit_min_freq`` to
    ``THRESHOLDS["eig_fit_max_fraction"]`` times ``n_points`` (:func:`fit_frequencies`), and
    ``n_ordered`` the number of frequencies (0 .. n_ordered) whose eigenvector pairs must
    come in order. The linearised check trains a two-layer ReLU net of ``width`` (Basri et
    al.'s, hidden layer trained) on ``f_0 + A Σ_k sin(kθ + φ_k)`` for ``k`` in ``freqs`` and
    each ``A`` in ``amplitudes``, by gradient descent at ``2ηλ_max/N = rate0`` for ``steps``,
    and at the largest ``A`` also for each width of ``sweep_widths``.
    Paper preset: a larger setting; no paper states sizes for this experiment on the circle.
    """

    n_points: int = 128
    deep_hidden: tuple[int, ...] = (256, 256, 256)
    n_seeds: int = 3
    fit_min_freq: int = 2
    n_ordered: int = 6
    width: int = 1000
    freqs: tuple[int, ...] = (1, 2, 4, 8, 16)
    amplitudes: tuple[float, ...] = (0.002, 1.0)
    rate0: float = 1.0
    steps: int = 3000
    record_every: int = 25
    sweep_widths: tuple[int, ...] = (250, 2000)


PRESETS.add("ntk", book=NTKConfig(), paper_changes={
    "n_points": 256, "deep_hidden": (256,) * 5, "n_seeds": 5, "width": 4096, "steps": 6000,
    "sweep_widths": (1024, 16384),
})

#: The guards' thresholds of the :class:`NTKConfig` claims, fixed before the runs.
THRESHOLDS_NTK = {
    "eig_fit_max_fraction": Threshold(
        1 / 8, "aliasing on N equally spaced points: the sampled eigenvalue at k is Σ_j λ_{k+jN}; for "
        "λ ∝ k^-2 the images add (k/(N−k))² + (k/(N+k))² ≈ 3 % at k = N/8 and bias the local slope by "
        "about 4(k/N)² ≈ 0.06 there; the lower end k = 2 is this book's choice (the k^-d law is "
        "asymptotic, no paper bounds its onset)"),
    "eig_exponent_tol": Threshold(
        0.4, "Bietti & Bach (2021), Geifman et al. (2020): eigenvalues of a deep ReLU NTK on the "
        "sphere S^{d-1} ∝ k^-d asymptotically (d = 2 on the circle); the tolerance on an exponent "
        "fitted over a finite range is this book's choice, not derived from a figure or a bound"),
    "lin_dev_large_min": Threshold(
        0.2, "this book's choice (Lazzari & Liu give no number): a deviation of 0.2 in a relative "
        "residual amplitude, about 7 times the 0.03 that the kernel-regime check allows"),
    "lin_dev_small_max": Threshold(
        0.03, "this book's choice: a relative residual amplitude followed to 3 %, the kernel-regime "
        "tolerance of the small-amplitude check"),
    "lazy_rank_min": Threshold(
        0.8, "this book's choice: the kernel regime of mode k is set by (A/√m)/(λ_k/λ_max) (a kernel "
        "change of relative size A/√m, against the mode's share of λ_max); a Spearman rank correlation "
        "of at least 0.8 between that ratio and the mode's deviation, over widths and frequencies"),
}


def fit_frequencies(cfg) -> np.ndarray:
    """The frequencies of the eigenvalue power-law fit: ``cfg.fit_min_freq .. ⌊N/8⌋`` (see THRESHOLDS).

    Parameters
    ----------
    cfg : NTKConfig

    Returns
    -------
    numpy.ndarray
        Every integer frequency of the range.

    Raises
    ------
    ValueError
        If the range is empty.

    Examples
    --------
    >>> fit_frequencies(PRESETS.get("ntk", "book"))[[0, -1]]
    array([ 2, 16])
    """
    top = int(cfg.n_points * THRESHOLDS_NTK["eig_fit_max_fraction"].value)
    if top < cfg.fit_min_freq:
        raise ValueError(f"no frequency between {cfg.fit_min_freq} and N/8 = {top}")
    return np.arange(cfg.fit_min_freq, top + 1)


@dataclasses.dataclass(frozen=True)
class BasriConfig:
    """Basri et al.'s time-to-learn-frequency-k measurement on the circle.

    A two-layer ReLU net with bias of ``width`` units (hidden layer trained, N(0, 1) init)
    on ``n_points`` equally spaced angles learns ``f_0 + amplitude * sin(kθ)`` for each
    ``k`` in ``freqs`` by full-batch gradient descent at ``2ηλ_max/N = rate0`` for at most
    ``steps`` steps; "learnt" means the residual at ``k`` fell to ``threshold`` of its
    initial value, also at ``large_amplitude``. The exponent is fitted over ``k >= fit_min_freq``
    (``k²`` is asymptotic). The density check puts ``n_points`` angles on equal arcs with densities
    ``density_weights`` and learns ``k = density_freq`` for ``density_steps``. Paper preset: larger.
    """

    n_points: int = 128
    width: int = 500
    freqs: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 11, 16)
    fit_min_freq: int = 4
    amplitude: float = 0.002
    large_amplitude: float = 1.0
    threshold: float = 0.36787944117144233  # 1/e
    rate0: float = 1.0
    steps: int = 2000
    record_every: int = 5
    n_seeds: int = 2
    density_weights: tuple[float, ...] = (1.0, 2.0, 4.0)
    density_freq: int = 8
    density_steps: int = 1500


PRESETS.add("basri", book=BasriConfig(), paper_changes={"n_points": 256, "width": 2000, "n_seeds": 5})

#: The guards' thresholds of the :class:`BasriConfig` claims, fixed before the runs.
THRESHOLDS_BASRI = {
    "time_exponent_tol": Threshold(
        0.4, "Basri et al. (2019): time ∝ k² asymptotically; the tolerance on an exponent fitted "
        "over a finite range is this book's choice, not derived from a figure or a bound"),
    "density_rel_tol": Threshold(
        0.3, "Basri et al. (2020): time O(k^d / p(x)), a bound with no stated constant; 30 % on the "
        "speed-up ratios is this book's choice"),
}


@dataclasses.dataclass(frozen=True)
class LinearisedResult:
    """The linearised prediction against training (:func:`linearised_experiment`), from ``run(NTKConfig)``.

    Attributes
    ----------
    config : NTKConfig
    steps, freqs, amplitudes : numpy.ndarray, (T,), (M,) and (n_A,)
    lr : float
    measured, predicted : numpy.ndarray, (n_A, S, T, M)
        Residual amplitude at each frequency over its initial value, trained and linearised.
    mode_rates, mode_eigvals, lam_max : numpy.ndarray, (S, M), (S, M) and (S,)
        ``2ηλ_k/N``, ``λ_k`` and ``λ_max`` of the kernel at initialisation.
    kernel_change : numpy.ndarray, (n_A, S, T)
        ``‖K_t − K_0‖_F / ‖K_0‖_F``.
    mode_drift : numpy.ndarray, (n_A, S, T, M)
        ``λ_k(K_t) / λ_k(K_0)``, each mode's Rayleigh quotient over its initial value.
    mode_action : numpy.ndarray, (n_A, S, T, M)
        ``‖(K_t − K_0) u_k‖ / λ_k(K_0)`` for the unit Fourier modes ``u_k`` (mean of cos and sin).
    sweep_widths : numpy.ndarray, (W,)
        ``config.sweep_widths`` and ``config.width``, increasing; the ``sweep_`` fields are per width.
    sweep_measured, sweep_predicted : numpy.ndarray, (W, S, T, M)
    sweep_kernel_change, sweep_lam_max, sweep_mode_eigvals : numpy.ndarray, (W, S), (W, S), (W, S, M)
    """

    config: NTKConfig
    steps: np.ndarray
    freqs: np.ndarray
    amplitudes: np.ndarray
    lr: float
    measured: np.ndarray
    predicted: np.ndarray
    mode_rates: np.ndarray
    mode_eigvals: np.ndarray
    lam_max: np.ndarray
    kernel_change: np.ndarray
    mode_drift: np.ndarray
    mode_action: np.ndarray
    sweep_widths: np.ndarray
    sweep_measured: np.ndarray
    sweep_predicted: np.ndarray
    sweep_kernel_change: np.ndarray
    sweep_mode_eigvals: np.ndarray
    sweep_lam_max: np.ndarray


@dataclasses.dataclass(frozen=True)
class BasriResult:
    """Basri et al.'s times (:func:`basri_experiment`) and the density check, from ``run(BasriConfig)``.

    Attributes
    ----------
    config : BasriConfig
    freqs, lr : numpy.ndarray, (M,), and float
    measured, predicted : numpy.ndarray, (S, M)
        Steps to learn each frequency, trained and predicted by the kernel.
    measured_large : numpy.ndarray, (S, M)
        Trained at ``config.large_amplitude``.
    eigenvalues : numpy.ndarray, (S, M)
    density_weights, density_counts : numpy.ndarray, (B,)
        The arcs' densities and their numbers of points (:func:`density_experiment`).
    density_measured, density_linearised : numpy.ndarray, (S, B)
        Steps to learn on each arc, trained and linearised.
    """

    config: BasriConfig
    freqs: np.ndarray
    lr: float
    measured: np.ndarray
    measured_large: np.ndarray
    predicted: np.ndarray
    eigenvalues: np.ndarray
    density_weights: np.ndarray
    density_counts: np.ndarray
    density_measured: np.ndarray
    density_linearised: np.ndarray


@dataclasses.dataclass(frozen=True)
class ConfusionConfig:
    """Gradient confusion read through the empirical NTK, on Lazzari & Liu's 1-D signal.

    ``relu_mlp(d, hidden)`` is fitted by full-batch Adam (``lr``, ``steps``) to
    ``Σ_k sin(2πkt + φ_k)`` (``k`` in ``freqs``, phases from ``phase_seed``) on ``n_points``
    samples of [0, 1), with raw coordinates and with a positional encoding of ``octaves``
    octaves, for ``n_seeds`` seeds, and probed on ``n_windows`` windows of ``window`` consecutive
    samples (local pairs: within a window; global: across). Paper preset: the scripts' sizes.
    """

    n_points: int = 512
    freqs: tuple[int, ...] = tuple(range(5, 75, 5))
    phase_seed: int = 0
    hidden: tuple[int, ...] = (128,) * 4
    octaves: int = 7
    lr: float = 1e-3
    steps: int = 300
    n_seeds: int = 2
    n_windows: int = 8
    window: int = 12


PRESETS.add("ntk_confusion", book=ConfusionConfig(), paper_changes={
    "n_points": 2048, "steps": 500, "n_seeds": 5, "n_windows": 25, "window": 50})


@dataclasses.dataclass(frozen=True)
class ConfusionResult:
    """Per-sample gradient cosines against the signed normalised NTK (:func:`confusion_experiment`).

    Attributes
    ----------
    config : ConfusionConfig
    kinds : numpy.ndarray of str, (2,)
        ``"coordinates"`` and ``"PE"``.
    identity_error : numpy.ndarray, (2, S)
        ``max |cos_direct − sign(r_i r_j) K_ij / √(K_ii K_jj)|`` over all probe pairs.
    local_cos, local_kernel : numpy.ndarray, (2, S, P_local)
        Gradient cosines (direct) and normalised kernel ``K_ij / √(K_ii K_jj)`` of local pairs.
    global_cos : numpy.ndarray, (2, S, P_global)
        The cosines of global pairs.
    local_same_sign : numpy.ndarray of bool, (2, S, P_local)
        Whether the two residuals of a local pair have the same sign.
    top_share : numpy.ndarray, (2, S)
        Largest eigenvalue of the normalised kernel over its trace, mean over windows.
    """

    config: ConfusionConfig
    kinds: np.ndarray
    identity_error: np.ndarray
    local_cos: np.ndarray
    local_kernel: np.ndarray
    global_cos: np.ndarray
    local_same_sign: np.ndarray
    top_share: np.ndarray


def _direct_cosines(net: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Residuals and the cosines of the per-sample gradients of ``(f − y)²/2``, one backward pass each."""
    params = [p for p in net.parameters() if p.requires_grad]
    rows, res = [], []
    for i in range(x.shape[0]):
        r = net(x[i : i + 1]).reshape(()) - y[i]
        rows.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(0.5 * r**2, params)]))
        res.append(float(r.detach()))
    G = torch.stack(rows).numpy()
    G = G / np.linalg.norm(G, axis=1, keepdims=True)
    return np.asarray(res), G @ G.T


def confusion_experiment(cfg, seeds: Sequence[int]) -> dict:
    """Gradient confusion of trained coordinate networks against the signed normalised empirical NTK.

    For raw coordinates and for the positional encoding, ``relu_mlp`` nets are trained as
    :class:`ConfusionConfig` says; each trained net, in float64, is probed on the windows'
    samples twice, independently: the per-sample gradients of ``ℓ_i = r_i²/2`` by one autograd
    backward pass per sample, and :func:`spectral_lib.kernels.gradient_cosines_from_ntk` of
    :func:`spectral_lib.kernels.empirical_ntk` and the residuals.

    Parameters
    ----------
    cfg : ConfusionConfig
    seeds : sequence of int

    Returns
    -------
    dict
        The fields of :class:`ConfusionResult` but ``config``.

    Raises
    ------
    ValueError
        If ``seeds`` is empty or invalid, or the windows do not fit in ``cfg.n_points``.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("ntk_confusion", "book"), n_points=64, hidden=(8,), steps=5,
    ...                           n_windows=2, window=4)
    >>> float(confusion_experiment(cfg, [0])["identity_error"].max()) < 1e-9
    True
    """
    seeds = [validation.check_seed(s) for s in seeds]
    n = validation.check_positive_int("n_points", cfg.n_points)
    if not seeds or cfg.n_windows * cfg.window > n:
        raise ValueError("seeds must not be empty and the windows must fit in n_points")
    t = np.arange(n) / n
    y = datasets.sinusoid_mixture(t, cfg.freqs, 1.0, datasets.random_phases(len(cfg.freqs), cfg.phase_seed))
    starts = np.linspace(0, n - cfg.window, cfg.n_windows).astype(int)
    probe = (starts[:, None] + np.arange(cfg.window)).ravel()
    win = np.repeat(np.arange(cfg.n_windows), cfg.window)
    iu = np.triu_indices(probe.size, 1)
    local = win[iu[0]] == win[iu[1]]
    keys = ("identity_error", "local_cos", "local_kernel", "global_cos", "local_same_sign", "top_share")
    out: dict = {k: [] for k in keys}
    for kind in (("coords", (0.0, 1.0)), ("pe", cfg.octaves)):
        u = encodings.encode_inputs(kind, t[:, None])
        models = [networks.relu_mlp(u.shape[1], list(cfg.hidden), 1, seed=s) for s in seeds]
        hist = training.train_full_batch(models, torch.tensor(u, dtype=torch.float32),
                                         torch.tensor(y[:, None], dtype=torch.float32), steps=cfg.steps,
                                         lr=cfg.lr, record_every=cfg.steps)
        rows = {k: [] for k in keys}
        for m in hist.models:
            net = copy.deepcopy(m).double()
            xp, yp = torch.tensor(u[probe], dtype=torch.float64), torch.tensor(y[probe], dtype=torch.float64)
            r, cos = _direct_cosines(net, xp, yp)
            K = kernels.empirical_ntk(net, xp)
            C = kernels.normalised_kernel(K)
            rows["identity_error"].append(np.abs(cos - kernels.gradient_cosines_from_ntk(K, r)).max())
            same = (np.sign(r)[:, None] == np.sign(r)[None, :])[iu]
            rows["local_cos"].append(cos[iu][local])
            rows["local_kernel"].append(C[iu][local])
            rows["global_cos"].append(cos[iu][~local])
            rows["local_same_sign"].append(same[local])
            blocks = [C[np.ix_(win == b, win == b)] for b in range(cfg.n_windows)]
            rows["top_share"].append(np.mean([np.linalg.eigvalsh(B)[-1] / np.trace(B) for B in blocks]))
        for k in keys:
            out[k].append(np.stack(rows[k]))
    return {"kinds": np.array(["coordinates", "PE"]), **{k: np.stack(v) for k, v in out.items()}}


#: The guards' thresholds of the :class:`ConfusionConfig` rows, fixed before the runs.
THRESHOLDS_CONFUSION = {
    "identity_tol": Threshold(
        1e-6, "float64 round-off: both sides are exact (the identity cos = sign(r_i r_j) K_ij/√(K_ii K_jj)), "
        "computed independently in float64; 1e-6 leaves ten orders of magnitude over the round-off"),
    "aligned_cos": Threshold(
        0.9, "this book's choice: a cosine above 0.9 (under 26°) counts as parallel gradients"),
    "bimodal_share": Threshold(
        0.5, "this book's choice: bimodal at ±1 means over half of the local pairs have |cos| > aligned_cos"),
}

#: Every threshold of the chapter's claims (:data:`THRESHOLDS_NTK`, :data:`THRESHOLDS_BASRI`,
#: :data:`THRESHOLDS_CONFUSION`).
THRESHOLDS = {**THRESHOLDS_NTK, **THRESHOLDS_BASRI, **THRESHOLDS_CONFUSION}


def _to_arrays(d: dict) -> dict:
    return {k: np.asarray(v) for k, v in d.items()}


def _run_linearised(cfg, device, use_cache, progress) -> LinearisedResult:
    results.check_config(cfg, ("n_points", "width", "freqs", "amplitudes", "steps", "n_seeds"), "NTK")
    return results.cached_run(
        "ntk_linearised", cfg,
        lambda: _to_arrays(linearised_experiment(cfg, list(range(cfg.n_seeds)))),
        results.result_builder(LinearisedResult, unwrap_scalars=True), use_cache=use_cache, device="cpu")


def _run_confusion(cfg, device, use_cache, progress) -> ConfusionResult:
    results.check_config(cfg, ("n_points", "hidden", "octaves", "steps", "n_seeds", "window"), "confusion")
    return results.cached_run(
        "ntk_confusion", cfg, lambda: _to_arrays(confusion_experiment(cfg, list(range(cfg.n_seeds)))),
        results.result_builder(ConfusionResult, unwrap_scalars=True), use_cache=use_cache, device="cpu")


def _run_basri(cfg, device, use_cache, progress) -> BasriResult:
    results.check_config(cfg, ("n_points", "width", "freqs", "amplitude", "threshold", "n_seeds"), "Basri")

    def compute():
        seeds = list(range(cfg.n_seeds))
        times = basri_experiment(cfg, seeds)
        dens = {f"density_{k}": v for k, v in density_experiment(cfg, seeds).items() if k != "lr"}
        return _to_arrays({**times, **dens})

    build = results.result_builder(BasriResult, unwrap_scalars=True)
    return results.cached_run("ntk_basri", cfg, compute, build, use_cache=use_cache, device="cpu")


run = results.runner(
    __name__, {NTKConfig: _run_linearised, BasriConfig: _run_basri, ConfusionConfig: _run_confusion},
    returns="LinearisedResult, BasriResult or ConfusionResult", cpu_only=True,
    what="On seeds ``0 .. cfg.n_seeds - 1``, through the results cache: the linearised prediction "
         "against training (:func:`linearised_experiment`, a :class:`LinearisedResult`) or Basri et al.'s "
         "times and the density check (:func:`basri_experiment`, :func:`density_experiment`, a "
         ":class:`BasriResult`), or gradient confusion against the normalised NTK "
         "(:func:`confusion_experiment`, a :class:`ConfusionResult`).")
