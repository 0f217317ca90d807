"""The chapter *Multiresolution grid encodings*: a trainable grid against frequency encodings.

Four coordinate networks fit a natural grayscale image from every ``factor``-th pixel in
each direction (Tancik et al.'s 2-D task), and are scored on the other pixels:

- ``"none"``: raw coordinates into a ReLU MLP;
- ``"posenc"``: the positional encoding with ``L`` octaves into a ReLU MLP;
- ``"gauss"``: Gaussian Fourier features of scale ``σ`` into a ReLU MLP;
- ``"grid"``: the dense multiresolution grid encoding of Müller et al. (2022)
  (:class:`spectral_lib.networks.MultiresolutionGrid`, ``L`` levels of ``F`` features from
  resolution ``N_min`` to ``N_max``) into their small ReLU MLP (:func:`spectral_lib.networks.grid_mlp`).

**The split** (:func:`task`): the training pixels are the coarse grid
``image[::factor, ::factor]``; the other pixels are split at random into validation and
test pixels. **Every method gets the same number of trials** (:func:`trials`), each a
learning rate and the method's own knob (raw coordinates: learning rates only); the MLPs
of the three frequency methods get the hidden width that gives them about as many
parameters as the largest grid (:func:`target_params`). For each method and seed, the trial *and
the recorded step* of best validation PSNR are chosen (early stopping on validation,
the same rule for all); only their test PSNR is reported, next to bilinear and
cubic-spline interpolation of the training pixels. Predictions are clipped to ``[0, 1]``
before any PSNR.

Every ``record_every`` steps the predictions on all pixels give three PSNR curves (train,
validation, test) and the **error spectrum**: the share of the image's energy in each
radial frequency band that the prediction misses (:func:`radial_band_errors`), i.e. which
frequencies each method has learned at that step.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from spectral_lib import datasets, networks, seeding, training, validation
from spectral_lib.networks import coordinate
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config

#: The methods of the comparison, in table order.
METHODS: tuple[str, ...] = ("none", "posenc", "gauss", "grid")
#: Their names in the chapter.
LABELS: dict[str, str] = {"none": "raw coordinates", "posenc": "positional encoding",
                          "gauss": "Gaussian features", "grid": "multiresolution grid"}
#: The knob each method is tuned over besides the learning rate.
KNOBS: dict[str, str] = {"none": "—", "posenc": "octaves L", "gauss": "σ", "grid": "N_max"}
#: The interpolations of the training pixels, with their spline order.
INTERPOLATIONS: tuple[tuple[str, int], ...] = (("bilinear", 1), ("cubic spline", 3))


@dataclasses.dataclass(frozen=True)
class MultiresolutionConfig:
    """A multiresolution grid encoding against frequency encodings on an image, step by step.

    The task: ``image`` (a name of ``spectral_lib.datasets.IMAGES``, in grayscale) at
    ``image_size`` squared pixels; the networks see every ``factor``-th pixel in each direction, a
    random ``val_fraction`` of the others (``split_seed``) is the validation set, the rest
    the test set. ``steps`` full-batch Adam steps, predictions recorded every
    ``record_every`` steps, one model per seed of ``seeds``. The MLPs of ``"none"``,
    ``"posenc"`` and ``"gauss"`` have ``depth`` hidden layers of the width that gives about
    ``target_params`` parameters (``None``: the largest grid trial's count); Gaussian
    features have ``n_features`` frequencies. The grid: ``grid_levels`` levels of
    ``grid_features`` features from ``grid_base_resolution`` to each of
    ``grid_max_resolutions``, then an MLP of ``grid_hidden``. Trials (:func:`trials`):
    ``lrs_raw`` for raw coordinates; ``lrs`` crossed with ``octaves`` and ``sigmas``;
    ``grid_lrs`` crossed with ``grid_max_resolutions``. The error spectrum is measured in
    the radial bands between consecutive ``band_edges`` (cycles per image side).
    Paper preset: Tancik et al.'s 2-D sizes (a 513² image, 4 x 256 ReLU MLPs, m = 256,
    2000 steps) and Müller et al.'s grid (16 levels of 2 features from 16, two hidden layers
    of 64), with five seeds.
    """

    image: str = "china"
    image_size: int = 65
    factor: int = 2
    val_fraction: float = 0.5
    split_seed: int = 0
    depth: int = 3
    target_params: int | None = None
    n_features: int = 32
    steps: int = 400
    record_every: int = 10
    seeds: tuple[int, ...] = (0, 1, 2)
    lrs_raw: tuple[float, ...] = (1e-3, 3e-3, 1e-2, 3e-2)
    lrs: tuple[float, ...] = (1e-3, 3e-3)
    octaves: tuple[int, ...] = (4, 5)
    sigmas: tuple[float, ...] = (2.0, 4.0)
    grid_lrs: tuple[float, ...] = (3e-3, 1e-2)
    grid_max_resolutions: tuple[int, ...] = (16, 32)
    grid_levels: int = 8
    grid_features: int = 2
    grid_base_resolution: int = 2
    grid_hidden: tuple[int, ...] = (64, 64)
    band_edges: tuple[int, ...] = (1, 4, 8, 16, 32)


PRESETS.add(
    "multiresolution",
    book=MultiresolutionConfig(),
    paper_changes={
        "image_size": 513, "depth": 4, "target_params": 4 * 256 * 256, "n_features": 256, "steps": 2000,
        "record_every": 20, "seeds": (0, 1, 2, 3, 4), "octaves": (6, 8), "sigmas": (4.0, 10.0),
        "grid_levels": 16, "grid_base_resolution": 16, "grid_max_resolutions": (128, 256),
        "band_edges": (1, 8, 32, 64, 128, 256),
    },
)

#: The guards' thresholds of the chapter's claims, fixed before the runs.
THRESHOLDS = {
    "beat_margin_db": Threshold(
        0.0, "Tancik et al. (2020), Table 1: 'beats' is a positive gap in held-out PSNR (theirs: 5.6 dB for "
        "the positional encoding and 6.3 dB for Gaussian features over raw coordinates)"),
    "band_missed": Threshold(
        0.5, "a band counts as learned once the prediction misses less than half of the image's energy in "
        "it (relative error 0.5; this book's choice, fixed before the runs)"),
    "fit_level_db": Threshold(
        30.0, "the fitting level for the speed comparison: 30 dB on the training pixels, an RMS error of "
        "3% of the grey range (this book's choice, fixed before the runs)"),
    "heldout_gap_db": Threshold(
        1.0, "the held-out level for the speed comparison: within 1 dB of the best interpolation's test "
        "PSNR (this book's choice, fixed before the runs)"),
    "over_interp_db": Threshold(
        0.0, "a learned method 'beats' interpolation of the same pixels when its held-out PSNR is higher "
        "(a positive gap)"),
}


def task(cfg) -> dict:
    """The image and its split: training pixels on the coarse grid, the rest split into validation and test.

    Parameters
    ----------
    cfg : MultiresolutionConfig
        Uses ``image``, ``image_size``, ``factor``, ``val_fraction`` and ``split_seed``.

    Returns
    -------
    dict
        ``image`` (S, S); ``split`` (S, S) int (0 train, 1 validation, 2 test); ``coords``
        (S*S, 2) pixel positions in ``[0, 1)``, row-major.

    Raises
    ------
    ValueError
        If ``image_size - 1`` is not a multiple of ``factor`` (the coarse grid must reach
        both edges, so that no method extrapolates), ``val_fraction`` is not in (0, 1) or
        the image is unknown.

    Examples
    --------
    >>> t = task(dataclasses.replace(MultiresolutionConfig(), image_size=17))
    >>> t["image"].shape, int((t["split"] == 0).sum()), int((t["split"] == 1).sum())
    ((17, 17), 81, 104)
    """
    S = validation.check_positive_int("image_size", cfg.image_size)
    f = validation.check_positive_int("factor", cfg.factor)
    if (S - 1) % f:
        raise ValueError(f"image_size - 1 must be a multiple of factor = {f}, got {S}")
    if not 0 < cfg.val_fraction < 1:
        raise ValueError(f"val_fraction must lie in (0, 1), got {cfg.val_fraction!r}")
    img = datasets.load_image(cfg.image, S, grayscale=True)[..., 0]
    split = np.full((S, S), 2, dtype=np.int64)
    split[::f, ::f] = 0
    rest = np.flatnonzero(split.ravel() == 2)
    val = seeding.rng(cfg.split_seed).choice(rest, int(round(cfg.val_fraction * rest.size)), replace=False)
    split.ravel()[val] = 1
    return {"image": img, "split": split, "coords": datasets.coordinate_grid(S).reshape(-1, 2)}


def radial_band_errors(target, predictions, edges) -> np.ndarray:
    """Share of the target's energy in each radial frequency band that the predictions miss.

    For the 2-D DFTs ``Y`` of ``target`` and ``R`` of ``target - prediction`` on the
    ``N x N`` grid, the band ``[lo, hi)`` of radii ``|m|`` (cycles per side, ``m`` the
    integer frequency pair) has the error ``Σ_band |R_m|² / Σ_band |Y_m|²``: 0 when the
    band is reproduced exactly, 1 when the prediction has none of it (or all of it wrong
    by as much).

    Parameters
    ----------
    target : array_like, shape (N, N)
        The image.
    predictions : array_like, shape (..., N, N)
        Predictions of it.
    edges : sequence of float
        Increasing band edges, ``0 <= edges[0]``.

    Returns
    -------
    numpy.ndarray, shape (..., len(edges) - 1)

    Raises
    ------
    ValueError
        If the shapes disagree, an input is not finite, the edges are not increasing or a
        band holds no frequency or no energy of the target.

    Examples
    --------
    >>> g = np.arange(16) / 16
    >>> X, Y = np.meshgrid(g, g, indexing="ij")
    >>> img = np.cos(2 * np.pi * 2 * X) + np.cos(2 * np.pi * 6 * Y)
    >>> radial_band_errors(img, np.cos(2 * np.pi * 2 * X), [1, 4, 8]).round(6)
    array([0., 1.])
    """
    y = validation.as_finite_array("target", target, ndim=2)
    p = validation.as_finite_array("predictions", predictions)
    if y.shape[0] != y.shape[1] or p.ndim < 2 or p.shape[-2:] != y.shape:
        raise ValueError(f"target must be N x N and predictions (..., N, N), got {y.shape} and {p.shape}")
    e = validation.as_finite_array("edges", edges, ndim=1)
    if e.size < 2 or np.any(np.diff(e) <= 0) or e[0] < 0:
        raise ValueError(f"edges must be non-negative and strictly increasing, got {e.tolist()}")
    n = y.shape[0]
    m = np.fft.fftfreq(n, d=1.0 / n)
    r = np.hypot(m[:, None], m[None, :])
    band = np.digitize(r, e) - 1  # band index of each frequency; -1 below, len(e) - 1 above
    Y2 = np.abs(np.fft.fft2(y)) ** 2
    R2 = np.abs(np.fft.fft2(y - p)) ** 2
    out = np.empty(p.shape[:-2] + (e.size - 1,))
    for b in range(e.size - 1):
        sel = band == b
        energy = Y2[sel].sum()
        if not sel.any() or energy <= 0:
            raise ValueError(f"band [{e[b]:g}, {e[b + 1]:g}) holds no frequency or no energy of the target")
        out[..., b] = R2[..., sel].sum(axis=-1) / energy
    return out


def trials(cfg) -> dict[str, list[tuple[float, float]]]:
    """The trials ``(knob, lr)`` of raw coordinates, the two frequency encodings and the grid.

    ``lrs_raw`` for raw coordinates, ``lrs`` crossed with ``octaves`` and ``sigmas``,
    ``grid_lrs`` with ``grid_max_resolutions``, as :func:`spectral_lib.training.method_trials`
    lists them.

    Parameters
    ----------
    cfg : MultiresolutionConfig

    Returns
    -------
    dict of str to list of (float, float)
        Keys ``none``, ``posenc``, ``gauss`` and ``grid``.

    Raises
    ------
    ValueError
        If the grid gets another number of trials than the encodings or raw coordinates.

    Examples
    --------
    >>> {m: len(t) for m, t in trials(MultiresolutionConfig()).items()}
    {'none': 4, 'posenc': 4, 'gauss': 4, 'grid': 4}
    """
    grids = {"posenc": (cfg.octaves, cfg.lrs), "gauss": (cfg.sigmas, cfg.lrs),
             "grid": (cfg.grid_max_resolutions, cfg.grid_lrs)}
    return training.method_trials(cfg.lrs_raw, grids)


def grid_params(cfg, max_resolution: int) -> int:
    """Parameters of the grid network with finest resolution ``max_resolution``: table plus MLP.

    Parameters
    ----------
    cfg : MultiresolutionConfig
        Its ``grid_levels``, ``grid_features``, ``grid_base_resolution`` and ``grid_hidden``.
    max_resolution : int
        The finest level's resolution ``N_max``.

    Returns
    -------
    int
        The table's features plus the weights and biases of the MLP on them.

    Raises
    ------
    ValueError
        As :func:`spectral_lib.networks.grid_parameter_count`.

    Examples
    --------
    >>> grid_params(MultiresolutionConfig(), 32)
    9293
    """
    table = networks.grid_parameter_count(2, cfg.grid_levels, cfg.grid_features, cfg.grid_base_resolution,
                                          max_resolution)
    return table + coordinate.param_count(cfg.grid_levels * cfg.grid_features, list(cfg.grid_hidden), 1)


def target_params(cfg) -> int:
    """The MLPs' parameter budget: ``cfg.target_params``, or the largest grid trial's count.

    Parameters
    ----------
    cfg : MultiresolutionConfig
        Its ``target_params``, or (``None``) the grid fields that :func:`grid_params` reads.

    Returns
    -------
    int
        Parameters each frequency-encoded MLP is sized to.

    Raises
    ------
    ValueError
        If ``target_params`` is given and not a positive integer.

    Examples
    --------
    >>> target_params(MultiresolutionConfig())
    9293
    """
    if cfg.target_params is not None:
        return validation.check_positive_int("target_params", cfg.target_params)
    return max(grid_params(cfg, n) for n in cfg.grid_max_resolutions)


def _inputs(method: str, knob: float, coords, cfg, seed: int) -> np.ndarray:
    if method == "posenc":
        return networks.encode("posenc", coords, octaves=int(knob), n_features=cfg.n_features, seed=seed)
    if method == "gauss":
        return networks.encode(f"gauss:{knob:g}", coords, octaves=1, n_features=cfg.n_features, seed=seed)
    return np.asarray(coords, dtype=np.float64)


def _nets(method: str, knob: float, in_dim: int, cfg, seeds: list[int]) -> list[torch.nn.Module]:
    if method == "grid":
        return [networks.grid_mlp(2, list(cfg.grid_hidden), 1, levels=cfg.grid_levels,
                                  features=cfg.grid_features, base_resolution=cfg.grid_base_resolution,
                                  max_resolution=int(knob), seed=s) for s in seeds]
    width = coordinate.matched_width(in_dim, cfg.depth, target_params(cfg))
    return [networks.relu_mlp(in_dim, [width] * cfg.depth, 1, seed=s) for s in seeds]


def train_trial(cfg, method: str, knob: float, lr: float, data: dict, seeds: list[int]) -> dict:
    """Train one trial for every seed together and score every recorded step.

    Parameters
    ----------
    cfg : MultiresolutionConfig
    method : str
        One of :data:`METHODS`.
    knob : float
        The trial's octaves, ``σ`` or ``N_max`` (ignored for ``"none"``).
    lr : float
        Adam's learning rate.
    data : dict
        :func:`task`.
    seeds : list of int

    Returns
    -------
    dict
        ``steps`` (R,); ``psnr`` (S, R, 3) train / validation / test PSNR; ``bands``
        (S, R, n_bands) :func:`radial_band_errors`; ``preds`` (S, R, N, N) float32 clipped
        predictions; ``params`` and ``macs`` (multiply-adds per point of one forward pass).

    Raises
    ------
    ValueError
        If ``method`` is unknown or the training diverges.

    Examples
    --------
    >>> cfg = dataclasses.replace(MultiresolutionConfig(), image_size=17, steps=4, record_every=2,
    ...                           grid_levels=2, band_edges=(1, 4, 8))
    >>> out = train_trial(cfg, "grid", 8.0, 1e-2, task(cfg), [0])
    >>> out["steps"].tolist(), out["psnr"].shape, out["bands"].shape
    ([0, 2, 4], (1, 3, 3), (1, 3, 2))
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    coords, split, img = data["coords"], data["split"].ravel(), data["image"]
    n = img.shape[0]
    xs = np.stack([_inputs(method, knob, coords, cfg, s) for s in seeds]).astype(np.float32)
    nets = _nets(method, knob, xs.shape[-1], cfg, seeds)
    tr = split == 0
    shared = method != "gauss"  # only Gaussian frequencies differ from seed to seed
    x_train = torch.from_numpy(xs[0][tr] if shared else xs[:, tr])
    x_eval = torch.from_numpy(xs[0] if shared else xs)
    y = torch.tensor(img.ravel()[tr, None], dtype=torch.float32)
    hist = training.train_full_batch(
        nets, x_train, y, steps=cfg.steps, lr=lr, record_every=cfg.record_every, progress=False, device="cpu",
        recorders=[training.PredictionRecorder(x_eval)], backend="loop" if method == "grid" else "auto")
    preds = np.clip(np.moveaxis(hist.predictions, 1, 0), 0.0, 1.0)  # (S, R, P)
    parts = [split == i for i in range(3)]
    psnr = np.stack([datasets.psnr(preds[..., q], img.ravel()[q]) for q in parts], axis=-1)
    bands = radial_band_errors(img, preds.reshape(*preds.shape[:2], n, n), cfg.band_edges)
    lin = [m for m in nets[0].modules() if isinstance(m, torch.nn.Linear)]
    macs = sum(m.in_features * m.out_features for m in lin)
    if method == "grid":
        macs += cfg.grid_levels * cfg.grid_features * 4  # four corners per level and feature
    return {"steps": hist.steps, "psnr": psnr, "bands": bands, "preds": preds.reshape(*preds.shape[:2], n, n),
            "params": sum(p.numel() for p in nets[0].parameters()), "macs": macs}


def comparison(cfg) -> dict:
    """Every method's trials, the choice on validation (trial and step), and the interpolations.

    Parameters
    ----------
    cfg : MultiresolutionConfig

    Returns
    -------
    dict
        ``image``, ``split``; ``steps`` (R,); ``psnr`` (4, T, S, R, 3) and ``bands``
        (4, T, S, R, n_bands) per method, trial, seed and recorded step; ``knob``, ``lr``,
        ``params``, ``macs`` (4, T); ``chosen`` (4, S, 2): the trial and record index of best
        validation PSNR; ``recon`` (4, S, N, N) at the chosen point; ``final`` (4, S, N, N)
        the chosen trial after the last step; ``interp`` (2, N, N) and ``interp_psnr``
        (2, 3) for :data:`INTERPOLATIONS`.

    Raises
    ------
    ValueError
        If a seed is invalid, the image cannot be loaded, or the grid and the encodings get
        different numbers of trials.

    Examples
    --------
    >>> cfg = dataclasses.replace(MultiresolutionConfig(), image_size=17, steps=2, record_every=1, seeds=(0,),
    ...     target_params=200, grid_max_resolutions=(4, 8), grid_levels=2, band_edges=(1, 4, 8))
    >>> comparison(cfg)["chosen"].shape
    (4, 1, 2)
    """
    seeds = validation.check_seeds(cfg.seeds)
    data = task(cfg)
    img, split = data["image"], data["split"]
    tri = trials(cfg)
    out = {k: [] for k in ("psnr", "bands", "knob", "lr", "params", "macs")}
    best = []
    for m in METHODS:
        rows = {k: [] for k in out}
        preds = []
        for k, lr in tri[m]:
            r = train_trial(cfg, m, k, lr, data, seeds)
            for key in ("psnr", "bands", "params", "macs"):
                rows[key].append(r[key])
            rows["knob"].append(k)
            rows["lr"].append(lr)
            preds.append(r["preds"])
            steps = r["steps"]
        for key in out:
            out[key].append(np.asarray(rows[key]))
        val = np.asarray(rows["psnr"])[..., 1]  # (T, S, R)
        pick = []
        for si in range(len(seeds)):
            t, ri = np.unravel_index(np.argmax(val[:, si]), val[:, si].shape)
            pick.append((int(t), int(ri), preds[t][si, ri], preds[t][si, -1]))
        best.append(pick)
        del preds
    chosen = np.array([[(t, ri) for t, ri, _, _ in row] for row in best])
    recon = np.stack([[p for _, _, p, _ in row] for row in best])
    final = np.stack([[f for _, _, _, f in row] for row in best])
    interp, interp_psnr = datasets.subsample_interpolations(img, split, cfg.factor,
                                                            [order for _, order in INTERPOLATIONS])
    return {"image": img, "split": split, "steps": steps, **{k: np.stack(v) for k, v in out.items()},
            "chosen": chosen, "recon": recon, "final": final, "interp": interp, "interp_psnr": interp_psnr,
            "interp_bands": radial_band_errors(img, interp, cfg.band_edges)}


@dataclasses.dataclass(frozen=True)
class MultiresolutionResult:
    """What the chapter measures (:func:`comparison`; method axes in :data:`METHODS` order).

    Attributes
    ----------
    config : MultiresolutionConfig
    image, split, steps, psnr, bands, knob, lr, params, macs, chosen, recon, final, interp, interp_psnr,
    interp_bands : numpy.ndarray
        See :func:`comparison`.
    """

    config: MultiresolutionConfig
    image: np.ndarray
    split: np.ndarray
    steps: np.ndarray
    psnr: np.ndarray
    bands: np.ndarray
    knob: np.ndarray
    lr: np.ndarray
    params: np.ndarray
    macs: np.ndarray
    chosen: np.ndarray
    recon: np.ndarray
    final: np.ndarray
    interp: np.ndarray
    interp_psnr: np.ndarray
    interp_bands: np.ndarray


def run_multiresolution(cfg: MultiresolutionConfig, *, device=None, use_cache: bool = True,
                        progress: bool = False) -> MultiresolutionResult:
    """The chapter's comparison for ``cfg``, through the results cache.

    Parameters
    ----------
    cfg : MultiresolutionConfig
        The image and its split, the parameter budget, and every method's trials.
    device, use_cache, progress
        As for this module's ``run``; the networks train on the CPU only; ``progress`` has no
        effect.

    Returns
    -------
    MultiresolutionResult
        The split image, every trial's PSNR and band errors per step, the choices and the interpolations.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`MultiresolutionConfig`.

    Examples
    --------
    >>> cfg = dataclasses.replace(MultiresolutionConfig(), image_size=17, steps=2, record_every=1, seeds=(0,),
    ...     target_params=200, grid_max_resolutions=(4, 8), grid_levels=2, band_edges=(1, 4, 8))
    >>> run_multiresolution(cfg, use_cache=False).psnr.shape
    (4, 4, 1, 3, 3)
    """
    results.check_type(cfg, (MultiresolutionConfig,), __name__)

    build = results.result_builder(MultiresolutionResult)
    return results.cached_run("multiresolution", cfg, lambda: comparison(cfg), build, use_cache=use_cache,
                              device="cpu")


run = results.runner(
    __name__, {MultiresolutionConfig: run_multiresolution}, returns="MultiresolutionResult", cpu_only=True,
    what="Through the results cache: every method's trials on the image, PSNR and error spectrum at every "
         "recorded step, the choice on validation and the interpolations (:func:`run_multiresolution`).",
)
