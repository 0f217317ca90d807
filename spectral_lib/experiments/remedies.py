"""The chapter *Overcoming spectral bias*: input encodings and SIREN on a 1-D signal and a natural image.

The chapter compares four ways of feeding coordinates to an MLP, as Tancik et al. (2020)
did on their image tasks (the method names are read by
:func:`spectral_lib.networks.parse_method`):

- ``"none"``: raw coordinates in ``[0, 1)`` into a ReLU MLP;
- ``"posenc"``: the NeRF-style positional encoding with octaves
  (:func:`spectral_lib.encodings.positional_encoding`) into a ReLU MLP;
- ``"gauss:<σ>"``: Gaussian Fourier features ``b_j ~ N(0, σ²)``
  (:func:`spectral_lib.encodings.fourier_features`) into a ReLU MLP;
- ``"siren"``: a SIREN (:func:`spectral_lib.networks.siren`) on coordinates mapped to ``[-1, 1)``.

Held-out evaluation follows Tancik et al.: train on every other sample (every other pixel
in both directions for images), test on the samples in between. All models of one method
(one per seed, each with its own random frequencies) train together through
:func:`spectral_lib.training.train_full_batch` with Adam.

:func:`signal_experiment` and :func:`image_experiment` return the train and test PSNR of
each method, :func:`init_high_frequency` the high-frequency share of each method's networks
at initialisation; :class:`RemediesConfig` holds the sizes, and
``TANCIK_NATURAL_TEST_PSNR`` the test PSNR of Tancik et al.'s official notebook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import datasets, networks, spectra, training, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


def _lr(cfg, method: str) -> float:
    kind, _ = networks.parse_method(method)
    return {"none": cfg.lr_raw, "siren": cfg.lr_siren}.get(kind, cfg.lr)


def _fit(cfg, method: str, x_tr, y_tr, x_eval: dict, seeds: list[int], octaves: int) -> dict:
    """Train one model per seed on (x_tr, y_tr); return final predictions (S, n, out) on each x_eval."""

    def enc(xx, s):
        return networks.encode(method, xx, octaves=octaves, n_features=cfg.n_features, seed=s)

    xin = np.stack([enc(x_tr, s) for s in seeds])
    models = [networks.build(method, xin.shape[-1], cfg.hidden, y_tr.shape[1], s) for s in seeds]
    recs = [
        training.PredictionRecorder(torch.tensor(np.stack([enc(xe, s) for s in seeds]), dtype=torch.float32),
                                 name=f"eval_{k}")
        for k, xe in x_eval.items()
    ]
    hist = training.train_full_batch(
        models, torch.tensor(xin, dtype=torch.float32), torch.tensor(y_tr, dtype=torch.float32),
        steps=cfg.steps, lr=_lr(cfg, method), record_every=cfg.steps, recorders=recs,
    )
    out = {}
    for k in x_eval:
        p = hist[f"eval_{k}"][-1]
        out[k] = p if p.ndim == 3 else p[..., None]
    return out


def _psnr(predictions, target) -> np.ndarray:
    """PSNR of each seed's predictions against ``target``, ``(S,)``."""
    return np.array([float(datasets.psnr(p, target)) for p in predictions])


def _per_method(cfg, methods: Sequence[str], x_tr, y_tr, x_eval: dict, seeds: list[int], octaves: int,
                summary) -> dict:
    """``summary(predictions)`` of :func:`_fit` on ``(x_tr, y_tr)``, for each method."""
    return {m: summary(_fit(cfg, m, x_tr, y_tr, x_eval, seeds, octaves)) for m in methods}


def signal_experiment(cfg, methods: Sequence[str]) -> dict:
    """PSNR of each method on the 1-D signal: train on even samples, test on odd ones.

    Parameters
    ----------
    cfg : RemediesConfig
        Uses the signal's ``n_1d, band_1d, signal_seed``, ``octaves_1d`` and the training
        fields (``hidden, n_features, steps, seeds`` and the learning rates).
    methods : sequence of str
        Method names, e.g. ``"none"``, ``"posenc"``, ``"gauss:16"``, ``"siren"``.

    Returns
    -------
    dict
        ``x, y`` (the signal), and per method a dict with ``train`` and ``test`` PSNR
        arrays of shape (S,) and ``dense`` predictions (S, n) on the whole grid.

    Raises
    ------
    ValueError
        If a method is unknown, a seed is invalid or ``cfg.band_1d`` does not fit ``cfg.n_1d``.

    Examples
    --------
    >>> out = signal_experiment(PRESETS.get("remedies", "book"), ["none"])  # doctest: +SKIP
    """
    seeds = validation.check_seeds(cfg.seeds)
    x, y = datasets.signal_1d(cfg.n_1d, cfg.band_1d, cfg.signal_seed)
    X = x[:, None]

    def summary(pred: dict) -> dict:
        return {
            "train": _psnr(pred["train"][:, :, 0], y[::2]),
            "test": _psnr(pred["test"][:, :, 0], y[1::2]),
            "dense": pred["dense"][:, :, 0],
        }

    eval_sets = {"train": X[::2], "test": X[1::2], "dense": X}
    fits = _per_method(cfg, methods, X[::2], y[::2, None], eval_sets, seeds, cfg.octaves_1d, summary)
    return {"x": x, "y": y, **fits}


def image_experiment(cfg, methods: Sequence[str]) -> dict:
    """PSNR of each method on a natural image: train on every other pixel, test on the offset ones.

    The image is ``datasets.load_image(cfg.image, cfg.image_size)``; training pixels are
    ``[::2, ::2]`` and test pixels ``[1::2, 1::2]``, as in Tancik et al.'s notebook.

    Parameters
    ----------
    cfg : RemediesConfig
        Uses ``image, image_size, octaves_image`` and the training fields, as
        :func:`signal_experiment`.
    methods : sequence of str
        Method names, as for :func:`signal_experiment`.

    Returns
    -------
    dict
        ``image`` (S, S, C), and per method a dict with ``train`` and ``test`` PSNR arrays
        of shape (n_seeds,) and ``full`` (S, S, C): the first seed's prediction on every
        pixel.

    Raises
    ------
    ValueError
        If a method is unknown, a seed is invalid, or ``cfg.image`` is unknown or smaller than
        ``cfg.image_size``.

    Examples
    --------
    >>> out = image_experiment(PRESETS.get("remedies", "book"), ["none"])  # doctest: +SKIP
    """
    seeds = validation.check_seeds(cfg.seeds)
    img = datasets.load_image(cfg.image, cfg.image_size)
    S, C = img.shape[0], img.shape[2]
    grid = datasets.coordinate_grid(S).reshape(S, S, 2)
    x_tr, y_tr = grid[::2, ::2].reshape(-1, 2), img[::2, ::2].reshape(-1, C)
    x_te, y_te = grid[1::2, 1::2].reshape(-1, 2), img[1::2, 1::2].reshape(-1, C)

    def summary(pred: dict) -> dict:
        return {
            "train": _psnr(pred["train"], y_tr),
            "test": _psnr(pred["test"], y_te),
            "full": np.clip(pred["full"][0].reshape(S, S, C), 0.0, 1.0),
        }

    eval_sets = {"train": x_tr, "test": x_te, "full": grid.reshape(-1, 2)}
    fits = _per_method(cfg, methods, x_tr, y_tr, eval_sets, seeds, cfg.octaves_image, summary)
    return {"image": img, **fits}


def init_high_frequency(cfg, methods: Sequence[str]) -> dict:
    """High-frequency energy share of each method's networks at initialisation, on ``[0, 1]``.

    Parameters
    ----------
    cfg : RemediesConfig
        Uses ``hidden, n_features, octaves_1d, seeds, n_dense_init, hf_cutoff``.
    methods : sequence of str

    Returns
    -------
    dict
        Per method an array (S,) of :func:`spectral_lib.spectra.high_frequency_fraction` at
        ``cfg.hf_cutoff``.

    Raises
    ------
    ValueError
        If a method is unknown.

    Examples
    --------
    >>> sorted(init_high_frequency(PRESETS.get("remedies", "book"), ["none"]))
    ['none']
    """
    seeds = validation.check_seeds(cfg.seeds)
    xe = (np.arange(cfg.n_dense_init + 1) / cfg.n_dense_init)[:, None]
    out = {}
    for m in methods:
        vals = []
        for s in seeds:
            xin = networks.encode(m, xe, octaves=cfg.octaves_1d, n_features=cfg.n_features, seed=s)
            net = networks.build(m, xin.shape[1], cfg.hidden, 1, s)
            with torch.no_grad():
                f = net(torch.tensor(xin, dtype=torch.float32)).double().numpy()[:, 0]
            vals.append(spectra.high_frequency_fraction(f, cfg.hf_cutoff))
        out[m] = np.array(vals)
    return out


# Test PSNR (dB, mean ± std over images) in the saved output of Tancik et al.'s official
# notebook 2d_image_regression.ipynb (tancik/fourier-feature-networks) for its "natural"
# DIV2K task (512² images, every other pixel for training). "basic" is γ(v) = [cos 2πv, sin 2πv].
TANCIK_NATURAL_TEST_PSNR: dict[str, tuple[float, float]] = {
    "none": (19.32, 2.48),
    "basic": (21.72, 2.72),
    "posenc": (24.95, 3.72),
    "gauss": (25.57, 4.19),
}


@dataclasses.dataclass(frozen=True)
class RemediesConfig:
    """Remedies for spectral bias on a 1-D signal and a natural image (Tancik et al. 2020).

    Every method trains ``len(seeds)`` models (ReLU MLP of ``hidden``, or a SIREN of the
    same widths) with Adam for ``steps`` full-batch steps, at ``lr`` (encodings),
    ``lr_raw`` (raw coordinates; Tancik et al. use 1e-2 there) and ``lr_siren`` (Sitzmann
    et al.'s 1e-4). Gaussian features: ``n_features`` frequencies ``b ~ N(0, σ²)`` for each
    ``σ`` of ``sigmas_1d`` / ``sigmas_image``, ``sigma_1d`` / ``sigma_image`` being the one
    in the comparison table; positional encoding: ``octaves_1d`` / ``octaves_image``
    octaves (top octave at half the training grid's Nyquist frequency). 1-D signal:
    ``n_1d`` samples of [0, 1) with ``1/f`` amplitudes up to ``band_1d``; image:
    ``image`` at ``image_size``² pixels. Train on every other sample, test on the others.
    ``hf_cutoff`` and ``n_dense_init`` define the high-frequency share at initialisation;
    ``siren_probe_hidden`` and ``siren_probe_points`` the SIREN layer-statistics probe
    (Sitzmann et al.'s check: 5 layers of 256), ``n_stationary`` the points of the
    stationarity check.
    Paper preset: Tancik et al.'s 2-D notebook (4 x 256 ReLU, m = 256, σ = 10, Adam 1e-3 and
    1e-2 for raw coordinates, 2000 steps, 512² images), with five seeds (the book's choice).
    """

    hidden: tuple[int, ...] = (64, 64)
    n_features: int = 32
    steps: int = 500
    lr: float = 1e-3
    lr_raw: float = 1e-2
    lr_siren: float = 1e-4
    seeds: tuple[int, ...] = (0, 1, 2)
    n_1d: int = 512
    band_1d: int = 64
    signal_seed: int = 0
    sigmas_1d: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0, 256.0)
    sigma_1d: float = 16.0
    octaves_1d: int = 8
    image: str = "grace_hopper"
    image_size: int = 64
    sigmas_image: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 30.0)
    sigma_image: float = 3.0
    octaves_image: int = 5
    hf_cutoff: int = 16
    n_dense_init: int = 1024
    siren_probe_hidden: tuple[int, ...] = (256,) * 5
    siren_probe_points: int = 20_000
    n_stationary: int = 50


PRESETS.add(
    "remedies",
    book=RemediesConfig(),
    paper_changes={
        "hidden": (256,) * 4, "n_features": 256, "steps": 2000, "seeds": (0, 1, 2, 3, 4), "image_size": 512,
        "sigmas_image": (1.0, 3.0, 10.0, 30.0, 100.0), "sigma_image": 10.0, "octaves_image": 8,
        "n_1d": 2048, "band_1d": 256, "sigmas_1d": (1.0, 8.0, 64.0, 256.0, 1024.0), "sigma_1d": 64.0,
        "octaves_1d": 10,
    },
)

#: The guards' thresholds of the chapter's claims, fixed before the runs (in dB of held-out PSNR).
THRESHOLDS = {
    "sweep_1d_margin_db": Threshold(
        1.0, "Tancik et al. (2020) §6 give no number for the interior optimum of σ; 1 dB is this "
        "book's choice"),
    "beat_margin_db": Threshold(
        0.0, "Tancik et al. (2020), Table 1: 'beats' is a positive gap (theirs: 5.6 dB for posenc "
        "and 6.3 dB for Gaussian features over raw coordinates)"),
    "sweep_img_margin_db": Threshold(
        0.5, "Tancik et al. (2020) §6 give no number for the interior optimum of σ; 0.5 dB is this "
        "book's choice"),
}


def methods(cfg: RemediesConfig) -> dict[str, list[str]]:
    """The methods each part of the chapter compares, named for :func:`spectral_lib.networks.parse_method`.

    Parameters
    ----------
    cfg : RemediesConfig
        The sizes (its ``sigma_1d``, ``sigmas_1d`` and ``sigmas_image`` name the Gaussian features).

    Returns
    -------
    dict
        ``"table"``: the four methods of the comparison table; ``"init"``: those measured at
        initialisation (with the smallest 1-D scale as well); ``"signal"`` and ``"image"``: raw
        coordinates, positional encoding, SIREN and every Gaussian scale of the 1-D signal or
        the image.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`RemediesConfig`.

    Examples
    --------
    >>> methods(RemediesConfig())["table"]
    ['none', 'posenc', 'gauss:16', 'siren']
    """
    results.check_type(cfg, (RemediesConfig,), __name__)
    table = ["none", "posenc", f"gauss:{cfg.sigma_1d:g}", "siren"]
    return {
        "table": table,
        "init": ["none", f"gauss:{cfg.sigmas_1d[0]:g}", *table[1:]],
        "signal": ["none", "posenc", "siren"] + [f"gauss:{s:g}" for s in cfg.sigmas_1d],
        "image": ["none", "posenc", "siren"] + [f"gauss:{s:g}" for s in cfg.sigmas_image],
    }


@dataclasses.dataclass(frozen=True)
class RemediesResult:
    """What the chapter measures, for the methods of :func:`methods`.

    Attributes
    ----------
    methods : dict
        :func:`methods` of the config.
    init : dict
        :func:`init_high_frequency` of ``methods["init"]``.
    signal : dict
        :func:`signal_experiment` of ``methods["signal"]``.
    image : dict
        :func:`image_experiment` of ``methods["image"]``.
    """

    methods: dict
    init: dict
    signal: dict
    image: dict


def run_remedies(cfg: RemediesConfig, *, device=None, use_cache: bool = True,
                 progress: bool = False) -> RemediesResult:
    """Every measurement of the chapter for ``cfg``: initial spectra, the 1-D signal and the image.

    Parameters
    ----------
    cfg : RemediesConfig
        From :func:`config`.
    device : None or "cpu", optional
        The models train on the CPU.
    use_cache : bool, default True
        Accepted for the uniform ``run`` signature (these results are not cached).
    progress : bool, default False
        Accepted for the uniform ``run`` signature.

    Returns
    -------
    RemediesResult
        The three measurements.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`RemediesConfig`.

    Examples
    --------
    >>> cfg = dataclasses.replace(RemediesConfig(), steps=2, seeds=(0,), hidden=(8,), n_1d=64, band_1d=8,
    ...                           image_size=16, siren_probe_points=100, n_dense_init=128, hf_cutoff=4)
    >>> sorted(vars(run_remedies(cfg)))
    ['image', 'init', 'methods', 'signal']
    """
    m = methods(cfg)
    return RemediesResult(methods=m, init=init_high_frequency(cfg, m["init"]),
                          signal=signal_experiment(cfg, m["signal"]), image=image_experiment(cfg, m["image"]))


run = results.runner(
    __name__, {RemediesConfig: run_remedies}, returns="RemediesResult", cached=False, cpu_only=True,
    what="The high-frequency share at initialisation, and the train and test PSNR of every method on the "
         "1-D signal and the image (:func:`run_remedies`).",
)
