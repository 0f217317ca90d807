"""The chapter *Super-resolution: the blur of spectral bias*: a natural image at 4× its resolution.

**The task.** A grayscale natural image at ``factor · low_size`` squared pixels is the truth; its
exact area average at ``low_size`` squared pixels (:func:`spectral_lib.datasets.low_resolution_pair`)
is all that any method sees. A coordinate network is trained on the low-resolution pixels at
their centres and evaluated at the centres of the high-resolution pixels
(:func:`spectral_lib.datasets.pixel_centres`); nearest, bilinear and cubic-spline
interpolation of the same pixels (:func:`spectral_lib.datasets.interpolate`,
``align="centres"``) are the baselines. The methods of
:func:`spectral_lib.training.fit_coordinate_networks`: raw coordinates, the positional
encoding, Gaussian Fourier features and SIREN, each at the hidden width that gives about
``target_params`` parameters.

**Tuning never sees the truth.** A random ``val_fraction`` of the low-resolution pixels is
held out (``split_seed``); every method gets the same number of trials (:func:`.remedies.trials`: its
knob crossed with the learning rates; raw coordinates as many learning rates), trained on
the other low-resolution pixels; for each seed the trial of best validation PSNR is chosen
and **retrained on every low-resolution pixel**, and only that refit is scored on the
high-resolution image. Predictions are clipped to ``[0, 1]`` before any PSNR.

**The spectrum of the error.** :func:`radial_power` splits the mean squared error of a
reconstruction over the radial frequencies of the high-resolution grid (Parseval: the bins
sum to the MSE); divided by the image's own power per radius it is the share of the image
lost at each frequency, and :func:`resolved_frequency` reads off where that share first
reaches one half.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from spectral_lib import datasets, seeding, training, validation
from spectral_lib.networks import coordinate
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

from .remedies import TuningProtocol, trials

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config

#: The networks of the comparison, in table order (the first is the plain network).
METHODS: tuple[str, ...] = ("none", "posenc", "gauss", "siren")
#: The interpolations of the low-resolution pixels, with their spline order.
INTERPOLATIONS: tuple[tuple[str, int], ...] = (("nearest", 0), ("bilinear", 1), ("cubic spline", 3))
#: The knob each method is tuned over besides the learning rate.
KNOBS: dict[str, str] = {"none": "—", "posenc": "octaves L", "gauss": "σ", "siren": "ω₀"}


@dataclasses.dataclass(frozen=True)
class SuperResolutionConfig(TuningProtocol):
    """A natural image super-resolved ``factor`` times by coordinate networks and by interpolation.

    The image ``image`` (a name of ``spectral_lib.datasets.IMAGES``) in grayscale at
    ``factor · low_size`` squared pixels and its area average at ``low_size`` squared; ``val_fraction``
    of the low-resolution pixels held out for tuning (``split_seed``). Networks:
    ``depth`` hidden layers of about ``target_params`` parameters, ``steps`` full-batch
    Adam steps, one network per seed of ``seeds``, ``n_features`` Gaussian frequencies.
    Trials (:func:`.remedies.trials`): ``lrs_raw`` for raw coordinates, ``lrs`` crossed with
    ``octaves``, ``sigmas`` and ``omegas`` for the others. Paper preset: the sizes of
    Tancik et al.'s 2-D image notebook (4 × 256 ReLU, m = 256, 2000 steps) on a 128² image
    super-resolved to 512², five seeds.
    """

    image: str = "china"
    low_size: int = 32
    factor: int = 4
    lrs_raw: tuple[float, ...] = (2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1)
    lrs: tuple[float, ...] = (3e-4, 1e-3, 3e-3)
    octaves: tuple[int, ...] = (3, 4, 5)
    sigmas: tuple[float, ...] = (1.0, 2.0, 4.0)
    omegas: tuple[float, ...] = (5.0, 10.0, 20.0)


PRESETS.add(
    "super_resolution",
    book=SuperResolutionConfig(),
    paper_changes={
        "low_size": 128, "depth": 4, "target_params": 4 * 256 * 256, "n_features": 256, "steps": 2000,
        "seeds": (0, 1, 2, 3, 4), "octaves": (6, 7, 8), "sigmas": (8.0, 16.0, 32.0),
    },
)

#: The guards' thresholds of the chapter's claims, fixed before the runs (PSNR in dB).
THRESHOLDS = {
    "raw_below_cubic_db": Threshold(
        0.0, "the plain network 'loses' to the cubic spline: a positive gap of test PSNR, cubic − raw "
        "(this book's comparison; Tancik et al. (2020), Table 1 report raw coordinates 5–6 dB below the "
        "encodings, not against interpolation)"),
    "half_power": Threshold(
        0.5, "the half-power (−3 dB) point: a frequency is resolved while less than half of the image's "
        "power at it is lost to the error (the usual resolution criterion of a linear filter)"),
    "remedy_gain_db": Threshold(
        0.0, "Tancik et al. (2020), Table 1 and Sitzmann et al. (2020), Fig. 1: each encoding beats raw "
        "coordinates on held-out pixels, a positive gap (theirs: 5.6 dB posenc, 6.3 dB Gaussian)"),
    "beats_cubic_db": Threshold(
        0.0, "'beats the cubic spline': a positive gap of test PSNR between the network chosen on "
        "validation pixels and the cubic spline"),
}


def task(cfg: SuperResolutionConfig) -> dict:
    """The image pair, the low-resolution split and the pixel centres.

    Parameters
    ----------
    cfg : SuperResolutionConfig
        Uses ``image, low_size, factor, val_fraction, split_seed``.

    Returns
    -------
    dict
        ``high`` (F, F) and ``low`` (n, n) images (``F = factor n``); ``split`` (n, n): 0 for
        the tuning fits' training pixels, 1 for the validation pixels; ``x_low`` (n², 2) and
        ``x_high`` (F², 2) pixel centres in row-major order.

    Raises
    ------
    ValueError
        If the image is unknown, a size is invalid or ``val_fraction`` is not in (0, 1).

    Examples
    --------
    >>> t = task(dataclasses.replace(SuperResolutionConfig(), low_size=8))
    >>> t["high"].shape, t["low"].shape, int(t["split"].sum())
    ((32, 32), (8, 8), 13)
    """
    results.check_type(cfg, (SuperResolutionConfig,), __name__)
    frac = validation.check_positive_float("val_fraction", cfg.val_fraction)
    if frac >= 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {frac}")
    high, low = datasets.low_resolution_pair(cfg.image, cfg.low_size, cfg.factor)
    n = low.shape[0]
    split = np.zeros(n * n, dtype=np.int64)
    split[seeding.rng(cfg.split_seed).choice(n * n, int(round(frac * n * n)), replace=False)] = 1
    return {"high": high, "low": low, "split": split.reshape(n, n),
            "x_low": datasets.pixel_centres(n), "x_high": datasets.pixel_centres(high.shape[0])}


def radial_power(y) -> np.ndarray:
    """The mean square of an ``N x N`` array split over the radii ``round(|m|)`` of its DFT frequencies.

    Bin ``r`` holds ``Σ |FFT2(y)_m|² / N⁴`` over the frequencies ``m`` (in cycles per side,
    ``m ∈ [-N/2, N/2)²``) with ``round(|m|) = r``, for ``r = 0 .. round(N/√2)``, so that the
    bins sum to ``mean(y²)`` (Parseval). Applied to an error, bin ``r`` is the part of the
    MSE at radial frequency ``r``.

    Parameters
    ----------
    y : array_like, shape (..., N, N)
        Finite real samples, ``N >= 2``.

    Returns
    -------
    numpy.ndarray, shape (..., round(N/√2) + 1)

    Raises
    ------
    ValueError
        If the last two axes are not equal or ``y`` holds NaN/inf.

    Examples
    --------
    >>> g = np.arange(16) / 16
    >>> p = radial_power(np.cos(2 * np.pi * 3 * g)[:, None] * np.ones(16))
    >>> int(np.argmax(p)), round(float(p.sum()), 12)
    (3, 0.5)
    """
    a = np.asarray(y, dtype=np.float64)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.shape[-1] < 2:
        raise ValueError(f"y must end in two equal axes of length >= 2, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("y contains NaN or infinite values")
    n = a.shape[-1]
    power = np.abs(np.fft.fft2(a)) ** 2 / n**4
    m = np.fft.fftfreq(n, d=1.0 / n)
    r = np.rint(np.hypot(m[:, None], m[None, :])).astype(int).ravel()
    flat = power.reshape(-1, n * n)
    out = np.stack([np.bincount(r, weights=row, minlength=r.max() + 1) for row in flat])
    return out.reshape(*a.shape[:-2], r.max() + 1)


def resolved_frequency(lost, *, level: float = 0.5, smooth: int = 3, first_radius: int = 0) -> np.ndarray:
    """The first radius at which the share of the image lost at radius ``r`` reaches ``level``.

    ``lost`` is averaged over a moving window of ``smooth`` radii first (a single noisy
    radius does not end the resolved band).

    Parameters
    ----------
    lost : array_like, shape (..., R)
        Error power over image power per radius (:func:`radial_power`), from radius
        ``first_radius``.
    level : float, default 0.5
        The share that counts as lost.
    smooth : int, default 3
        Width of the moving average, in radii (odd).
    first_radius : int, default 0
        The radius of ``lost[..., 0]`` (1 for :meth:`SuperResolutionResult.lost`).

    Returns
    -------
    numpy.ndarray, shape (...)
        The radius (float); ``first_radius + R`` where the share never reaches ``level``.

    Raises
    ------
    ValueError
        If ``lost`` is not finite or ``smooth`` is not a positive odd integer.

    Examples
    --------
    >>> resolved_frequency(np.array([0.0, 0.1, 0.2, 0.6, 0.9, 1.0, 1.0]), smooth=1)
    array(3.)
    """
    a = validation.as_finite_array("lost", lost)
    smooth = validation.check_positive_int("smooth", smooth)
    if smooth % 2 == 0:
        raise ValueError(f"smooth must be odd, got {smooth}")
    level = validation.check_positive_float("level", level)
    first_radius = validation.check_nonnegative_int("first_radius", first_radius)
    kernel = np.ones(smooth) / smooth
    flat = a.reshape(-1, a.shape[-1])
    sm = np.stack([np.convolve(np.pad(row, smooth // 2, mode="edge"), kernel, mode="valid") for row in flat])
    above = sm >= level
    first = np.where(above.any(axis=1), above.argmax(axis=1), a.shape[-1]).astype(np.float64)
    return (first + first_radius).reshape(a.shape[:-1])


def _fit(cfg, method: str, knob: float, lr: float, x_tr, y_tr, x_ev, seeds) -> np.ndarray:
    return training.fit_coordinate_networks(method, [knob], lr, x_tr, y_tr, x_ev, depth=cfg.depth,
                                            target_params=cfg.target_params, n_features=cfg.n_features,
                                            steps=cfg.steps, seeds=seeds)[0]


def _compute(cfg: SuperResolutionConfig) -> dict:
    seeds = validation.check_seeds(cfg.seeds)
    t = task(cfg)
    high, low, split = t["high"], t["low"].ravel(), t["split"].ravel()
    F = high.shape[0]
    tr, va = split == 0, split == 1
    tri = trials(cfg)
    T, M, S = len(tri["none"]), len(METHODS), len(seeds)
    tune = np.zeros((M, T, S, 2))
    knob, lr_, width, params = (np.zeros((M, T)) for _ in range(4))
    for mi, m in enumerate(METHODS):
        groups: dict = {}
        for ti, (k, lr) in enumerate(tri[m]):
            groups.setdefault((lr,) if m == "gauss" else (lr, k), []).append(ti)  # σs share one architecture
        for key, ts in groups.items():
            p = training.fit_coordinate_networks(
                m, [tri[m][ti][0] for ti in ts], key[0], t["x_low"][tr], low[tr], t["x_low"], depth=cfg.depth,
                target_params=cfg.target_params, n_features=cfg.n_features, steps=cfg.steps, seeds=seeds)
            for j, ti in enumerate(ts):
                for si in range(S):
                    ok = bool(np.all(np.isfinite(p[j, si])))  # a diverged trial scores -inf
                    tune[mi, ti, si] = [datasets.psnr(p[j, si][q], low[q]) if ok else -np.inf
                                        for q in (tr, va)]
        for ti, (k, lr) in enumerate(tri[m]):
            in_dim = training.coordinate_inputs(m, k, t["x_low"][:1], cfg.n_features, seeds[0]).shape[1]
            w = coordinate.matched_width(in_dim, cfg.depth, cfg.target_params)
            knob[mi, ti], lr_[mi, ti], width[mi, ti] = k, lr, w
            params[mi, ti] = coordinate.param_count(in_dim, [w] * cfg.depth, 1)
    chosen = np.argmax(tune[..., 1], axis=1)  # (M, S)
    recon = np.zeros((M, S, F, F), dtype=np.float32)
    refit_train = np.zeros((M, S))
    x_eval = np.concatenate([t["x_high"], t["x_low"]])
    for mi, m in enumerate(METHODS):
        for ti in sorted(set(chosen[mi].tolist())):
            ss = [si for si in range(S) if chosen[mi, si] == ti]
            p = _fit(cfg, m, tri[m][ti][0], tri[m][ti][1], t["x_low"], low, x_eval, [seeds[si] for si in ss])
            if not np.all(np.isfinite(p)):
                raise ValueError(f"the refit of {m} at trial {tri[m][ti]} diverged")
            for j, si in enumerate(ss):
                recon[mi, si] = p[j, : F * F].reshape(F, F)
                refit_train[mi, si] = datasets.psnr(p[j, F * F:], low)
    test = np.array([[datasets.psnr(recon[mi, si].astype(np.float64), high) for si in range(S)]
                     for mi in range(M)])
    interp = np.stack([datasets.interpolate(t["low"], cfg.factor, order, align="centres")
                       for _, order in INTERPOLATIONS])
    return {
        "high": high, "low": t["low"], "split": t["split"], "tune": tune, "chosen": chosen, "knob": knob,
        "lr": lr_, "width": width, "params": params, "recon": recon, "refit_train": refit_train, "test": test,
        "interp": interp, "interp_psnr": np.array([datasets.psnr(r, high) for r in interp]),
        "error_power": radial_power(recon.astype(np.float64) - high),
        "interp_error_power": radial_power(interp - high),
        "image_power": radial_power(high - high.mean()),
    }


@dataclasses.dataclass(frozen=True)
class SuperResolutionResult:
    """What the chapter measures: methods in :data:`METHODS` order, interpolations in :data:`INTERPOLATIONS`.

    Attributes
    ----------
    config : SuperResolutionConfig
    high, low, split : numpy.ndarray
        The task (:func:`task`).
    tune : numpy.ndarray, shape (M, T, S, 2)
        Train and validation PSNR of every trial's fit on the low-resolution training pixels.
    chosen : numpy.ndarray, shape (M, S)
        The trial of best validation PSNR.
    knob, lr, width, params : numpy.ndarray, shape (M, T)
        Every trial's knob (NaN for raw coordinates), learning rate, width and parameter count.
    recon : numpy.ndarray, shape (M, S, F, F)
        The refits' predictions at the high-resolution pixel centres (clipped, float32).
    refit_train : numpy.ndarray, shape (M, S)
        The refits' PSNR on the low-resolution pixels they were trained on.
    test : numpy.ndarray, shape (M, S)
        The refits' PSNR against the high-resolution image.
    interp, interp_psnr : numpy.ndarray
        The interpolations (3, F, F) and their PSNR (3,).
    error_power, interp_error_power : numpy.ndarray
        :func:`radial_power` of the errors, (M, S, R) and (3, R).
    image_power : numpy.ndarray, shape (R,)
        :func:`radial_power` of the image minus its mean.
    """

    config: SuperResolutionConfig
    high: np.ndarray
    low: np.ndarray
    split: np.ndarray
    tune: np.ndarray
    chosen: np.ndarray
    knob: np.ndarray
    lr: np.ndarray
    width: np.ndarray
    params: np.ndarray
    recon: np.ndarray
    refit_train: np.ndarray
    test: np.ndarray
    interp: np.ndarray
    interp_psnr: np.ndarray
    error_power: np.ndarray
    interp_error_power: np.ndarray
    image_power: np.ndarray

    def lost(self, power) -> np.ndarray:
        """Error power over image power per radius, from radius 1 (the image's mean is not counted).

        Parameters
        ----------
        power : array_like, shape (..., R)
            :func:`radial_power` of an error.

        Returns
        -------
        numpy.ndarray, shape (..., R - 1)

        Raises
        ------
        ValueError
            If ``power`` does not have ``R`` radii.

        Examples
        --------
        >>> res = run(config("super_resolution"))  # doctest: +SKIP
        >>> res.lost(res.interp_error_power).shape  # doctest: +SKIP
        (3, 90)
        """
        p = np.asarray(power, dtype=np.float64)
        if p.shape[-1] != self.image_power.shape[-1]:
            raise ValueError(f"power must have {self.image_power.shape[-1]} radii, got {p.shape[-1]}")
        return p[..., 1:] / self.image_power[1:]


def run_super_resolution(cfg: SuperResolutionConfig, *, device=None, use_cache: bool = True,
                         progress: bool = False) -> SuperResolutionResult:
    """Tune, refit and score every method of :data:`METHODS` and the interpolations, through the cache.

    Parameters
    ----------
    cfg : SuperResolutionConfig
        The low-resolution image and the factor, the parameter budget and every method's trials.
    device, use_cache, progress
        As for this module's ``run``; the networks train on the CPU only; ``progress`` has no
        effect.

    Returns
    -------
    SuperResolutionResult
        The low- and high-resolution images, the tuning trials, the refits and the interpolations.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`SuperResolutionConfig`.
    ValueError
        If a field is invalid or a refit diverges.

    Examples
    --------
    >>> cfg = dataclasses.replace(SuperResolutionConfig(), low_size=8, steps=2, seeds=(0,), target_params=100,
    ...                           lrs_raw=(1e-3,), lrs=(1e-3,), octaves=(2,), sigmas=(1.0,), omegas=(10.0,))
    >>> res = run_super_resolution(cfg, use_cache=False)
    >>> res.test.shape, res.recon.shape, res.error_power.shape
    ((4, 1), (4, 1, 32, 32), (4, 1, 24))
    """
    results.check_type(cfg, (SuperResolutionConfig,), __name__)

    build = results.result_builder(SuperResolutionResult)
    return results.cached_run("super_resolution", cfg, lambda: _compute(cfg), build, use_cache=use_cache,
                              device="cpu")


run = results.runner(
    __name__, {SuperResolutionConfig: run_super_resolution}, returns="SuperResolutionResult", cpu_only=True,
    what="Through the results cache: the tuning trials, the refits at high resolution, the interpolations "
         "and the radial spectra of the errors (:func:`run_super_resolution`).",
)
