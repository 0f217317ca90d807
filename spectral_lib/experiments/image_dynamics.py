"""Lazzari & Liu's measurements on natural images (chapter *Coordinate networks on images*).

A coordinate MLP fits packaged natural images from raw coordinates and from positional
encodings (:func:`run_lazzari_image`, config :class:`LazzariImage`, result
:class:`LazzariImageResult`); at every checkpoint the PSNR, the activation patterns of the
pixels, their Hamming distances, dead units, the layer-wise Hamming distance, the product of
the layers' spectral norms and the pixels' distance to the nearest boundary are recorded, and
the encodings' first-layer inradius before and after training.
The input kinds and the batched training are those of
:mod:`spectral_lib.experiments.training_dynamics`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import torch

from spectral_lib import cpwl, datasets, seeding, training, validation
from spectral_lib.experiments import training_dynamics
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: the label of an input kind, as the chapter's tables and figures print it
input_label = training_dynamics.input_label

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class LazzariImage:
    """The image experiment (``act_regions_image.py``, ``hamming_image.py``, ...).

    A coordinate MLP ``relu_mlp(d, hidden, 3)`` fits each of ``images`` (packaged natural images,
    ``datasets.load_image(name, size)``, or ``"noise"``, the random image
    ``datasets.noise_image(size, seed=0)``) full batch with Adam for ``steps`` steps, for each
    seed and input type: raw coordinates on each of ``intervals``, positional encodings of the
    [0, 1] grid with each of ``octaves`` and restricted encodings (the coordinates repeated in
    the encoding's layout, ``("repeat", L)``) with each of ``repeats``. ``endpoint=True`` is the
    scripts' ``linspace(0, 1, W)`` grid. Local pairs: ``n_patches`` random squares of side
    ``local_patch`` (fraction of the image) with ``pairs_per_patch`` pairs each; global pairs
    from opposite corner squares of side ``global_corner``; ``layer_pairs`` random pairs for the
    layer-wise Hamming distance; ``inradius_points`` random points of ``[-1, 1]^{4L}`` (off the
    encoding's curve, as in ``inspheres.py``) at which each encoding's first-layer cells are
    measured before and after training; ``confusion_pairs`` of the local and of the global pairs
    whose gradient cosines are measured after training, for raw coordinates on the first
    interval and the encoding with the most octaves; ``init_seeds`` are the initialisations for
    the at-init dead-unit counts.
    """

    hidden: tuple[int, ...]
    size: int
    steps: int
    lr: float
    images: tuple[str, ...]
    seeds: tuple[int, ...]
    record_every: int
    intervals: tuple[tuple[float, float], ...] = ((0.0, 1.0), (-1.0, 1.0), (-2.0, 2.0), (-3.0, 3.0))
    octaves: tuple[int, ...] = (1, 2, 4)
    repeats: tuple[int, ...] = ()
    endpoint: bool = True
    local_patch: float = 50 / 512
    n_patches: int = 100
    pairs_per_patch: int = 20
    global_corner: float = 225 / 512
    global_pairs: int = 2000
    layer_pairs: int = 2000
    inradius_points: int = 100
    confusion_pairs: int = 300
    init_seeds: tuple[int, ...] = tuple(range(10))
    pair_seed: int = 0


PRESETS.add(
    "lazzari_image",
    # 64 x 64 pixels, a few hundred full-batch Adam steps, 4 x 64 (not 4 x 512); two images and
    # three seeds (six runs per input type, about 15 CPU s each), so that every claim rests on six
    # runs rather than one; 200 pairs of each kind for the gradient cosines and 50 points for the
    # inradius keep the chapter within its CPU budget.
    book=LazzariImage(
        hidden=(64,) * 4,
        size=64,
        steps=300,
        lr=1e-3,
        images=("grace_hopper", "china"),
        seeds=(0, 1, 2),
        record_every=25,
        confusion_pairs=200,
        inradius_points=50,
    ),
    # The official image scripts: 512 x 512 images, 4 x 512, Adam 1e-3, 1000 epochs of batch
    # 8192 (32 000 updates; the engine trains full batch, so the paper profile makes 32 000
    # full-batch updates), all packaged images (the book runs offline, without the scripts'
    # DIV2K arrays), PE L in {1, 2, 4, 8, 16},
    # 100 patches x 500 local pairs, 50 000 global and layer pairs, a record every 50 epochs.
    paper_changes={
        "hidden": (512,) * 4,
        "size": 512,
        "steps": 32_000,
        "images": ("grace_hopper", "china", "flower"),
        "seeds": (0,),  # the scripts train each image once
        "record_every": 1600,
        "octaves": (1, 2, 4, 8, 16),
        "pairs_per_patch": 500,
        "global_pairs": 50_000,
        "layer_pairs": 50_000,
        "confusion_pairs": 50_000,  # gradient_confusion_image.py: 100 x 500 local, 50 000 global pairs
        "inradius_points": 1000,  # inspheres.py
    },
)

PRESETS.add(
    "lazzari_noise",
    # The random-image runs of the paper's appendix (gradient_confusion_noise.py, with the
    # repeat_xy encoding of nerf2D.py): a 64 x 64 random image, 2 x 128, Adam 1e-3, raw coordinates
    # on [-1, 1], PE and the restricted encoding with L = 5; the book trains 300 full-batch steps
    # from 3 seeds (the script: 5000 epochs of batch 256).
    book=LazzariImage(
        hidden=(128, 128),
        size=64,
        steps=300,
        lr=1e-3,
        images=("noise",),
        seeds=(0, 1, 2),
        record_every=50,
        intervals=((-1.0, 1.0),),
        octaves=(5,),
        repeats=(5,),
        inradius_points=20,
        confusion_pairs=50,
    ),
    # 5000 epochs of 16 mini-batches (4096 pixels, batch 256) as full-batch updates
    paper_changes={"steps": 80_000, "record_every": 4000, "seeds": (0, 1, 2, 3, 4)},
)

#: The guards' thresholds of the chapter's claims, fixed before the runs.
THRESHOLDS = {
    "img_local_pe_over_c01": Threshold(
        3.0, "Lazzari & Liu (2023), hamming_image figures: local ≈ 280–385 (PE) against 10–85 "
        "(coordinates) of 2048; 3 is below the smallest ratio of those ranges, 280/85 ≈ 3.3"),
    "img_layer1_pe_over_c01": Threshold(
        2.0, "Lazzari & Liu (2023), hamming_layers figure: layer 1 ≈ 217–240 (PE L=8) against 68–110"
        " (coordinates) of 512; 2 is about the smallest ratio of those ranges, 217/110 ≈ 2.0"),
    "img_dip": Threshold(
        0.9, "Lazzari & Liu (2023), hamming_images global figures: after its peak the encodings' global "
        "Hamming falls by 10% (L=4, 595 -> 535) to 28% (L=16, 580 -> 420); a dip is the end below 0.9 x "
        "the peak, the smallest of those falls"),
    "img_confused_cos": Threshold(
        -0.5, "as the 1-D chapter's confused_cos: Sankararaman et al. (2020) call a negative gradient "
        "cosine confusion; -0.5 is halfway between orthogonal and opposite"),
    "img_pe_share_removed": Threshold(
        0.0, "Lazzari & Liu (2023), confusion_images local figures (epoch 1000): PE L=4/8/16 'sharply "
        "concentrated around 0'; at full strength no local pair of any run below the confusion cut"),
    "img_tail_cos": Threshold(
        -0.9, "Lazzari & Liu (2023), confusion_images local figures: the coordinates' 'tail at -1'; read "
        "as cosines in the last 5% of the range, below -0.9"),
    "img_global_centre": Threshold(
        0.1, "Lazzari & Liu (2023), confusion_images global figures (epoch 1000): every input type centred"
        " at 0, coordinates as a spike, PE spread over about ±0.3; centred read as a mean within ±0.1, a "
        "third of that spread"),
}


@dataclass
class LazzariImageResult:
    """Everything the image experiment measures (see :func:`run_lazzari_image`).

    Dictionaries are keyed by input label; arrays have an axis over the runs
    (``images x seeds``).
    """

    labels: list[str]
    image: np.ndarray
    steps: np.ndarray
    psnr: dict = field(default_factory=dict)  # (n_rec, R)
    hamming_local: dict = field(default_factory=dict)  # (n_rec, R)
    hamming_global: dict = field(default_factory=dict)  # (n_rec, R)
    n_patterns: dict = field(default_factory=dict)  # (n_rec, R)
    dead: dict = field(default_factory=dict)  # (n_rec, R)
    layer_hamming: dict = field(default_factory=dict)  # (n_rec, R, n_layers)
    norm_product: dict = field(default_factory=dict)  # (n_rec, R)
    boundary_distance: dict = field(default_factory=dict)  # (n_rec, R): pixel mean of cpwl.boundary_distances
    inradius_init: dict = field(default_factory=dict)  # (R, P): cpwl.first_layer_inradius, encodings only
    inradius: dict = field(default_factory=dict)  # (R, P), after training
    cos_local: dict = field(default_factory=dict)  # (R, Q): training.gradient_cosines after training
    cos_global: dict = field(default_factory=dict)  # (R, Q), first coordinates and the last encoding only
    predictions: dict = field(default_factory=dict)  # (R, S, S, C) final, first image
    n_pixels: int = 0
    n_units: int = 0


def _image(name: str, size: int) -> np.ndarray:
    return datasets.noise_image(size, seed=0) if name == "noise" else datasets.load_image(name, size)


def run_lazzari_image(cfg, *, progress: bool = False, use_cache: bool = True) -> LazzariImageResult:
    """Lazzari & Liu's image experiment: a coordinate MLP fitting a natural image.

    For each image of ``cfg.images`` (``datasets.load_image(name, cfg.size)``) and each seed,
    ``relu_mlp(d, cfg.hidden, 3)`` is trained full batch with Adam on every input type (raw
    coordinates on each of ``cfg.intervals``, positional encodings of the ``[0, 1]`` grid with
    each of ``cfg.octaves``, restricted encodings with each of ``cfg.repeats``), recording every
    ``cfg.record_every`` steps the PSNR, the distinct patterns over all pixels, local/global
    Hamming distances, dead units, the layer-wise Hamming distance of random pairs, the product
    of the layers' spectral norms and the pixels' mean distance to the nearest boundary
    (:func:`spectral_lib.cpwl.boundary_distances`); for the encodings, the first-layer inradius
    at ``cfg.inradius_points`` random points before and after training
    (:func:`spectral_lib.cpwl.first_layer_inradius`); after training, the gradient cosines of
    local and global pixel pairs (:func:`spectral_lib.training.gradient_cosines`) for raw
    coordinates on the first interval and the encoding with the most octaves.

    Parameters
    ----------
    cfg : LazzariImage
        ``PRESETS.get("lazzari_image")``.
    progress, use_cache
        As for this module's ``run``; ``progress``: show training progress bars.

    Returns
    -------
    LazzariImageResult
        The measurements.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`LazzariImage`.
    ValueError
        If a field of ``cfg`` is invalid (sizes, seeds, intervals, octaves, images).

    Examples
    --------
    >>> res = run_lazzari_image(PRESETS.get("lazzari_image"))  # doctest: +SKIP
    """

    if not isinstance(cfg, LazzariImage):
        raise TypeError(f"cfg must be a LazzariImage config, got {type(cfg).__name__}")
    return training_dynamics.cached_result(
        "lazzari_image", LazzariImageResult, cfg, lambda: _compute_image(cfg, progress), use_cache
    )


def _compute_image(cfg, progress: bool) -> LazzariImageResult:
    size = validation.check_positive_int("size", cfg.size)
    validation.check_positive_int("inradius_points", cfg.inradius_points)
    n_conf = validation.check_positive_int("confusion_pairs", cfg.confusion_pairs)
    seeds = [validation.check_seed(s) for s in cfg.seeds]
    kinds = training_dynamics.input_kinds(cfg.intervals, cfg.octaves, cfg.repeats)
    conf_kinds = [kinds[0]] + [k for k in kinds if k[0] == "pe"][-1:]
    n = size * size
    u = datasets.coordinate_grid(size, 2, (0.0, 1.0), endpoint=cfg.endpoint)
    patch = max(2, int(round(cfg.local_patch * size)))
    pairs = {
        "local": cpwl.local_pairs_2d(size, patch, cfg.n_patches, cfg.pairs_per_patch, cfg.pair_seed),
        "global": cpwl.global_pairs_2d(size, cfg.global_pairs, cfg.pair_seed + 1, cfg.global_corner),
    }
    layer_pairs = cpwl.random_pairs(n, cfg.layer_pairs, cfg.pair_seed + 2)
    first = _image(cfg.images[0], size)
    res = LazzariImageResult(
        labels=[input_label(k) for k in kinds],
        image=first,
        steps=np.zeros(0, int),
        n_pixels=n,
        n_units=int(sum(cfg.hidden)),
    )
    collected: dict[str, dict[str, list]] = {}
    for name in cfg.images:
        img = _image(name, size)
        y = img.reshape(n, -1)

        def recorders(x_in, y=y):
            return [
                training.RegionStatsRecorder(x_in, pairs, layer_pairs=layer_pairs),
                training.PSNRRecorder(y),
                training.SpectralNormRecorder(),
                training.CallbackRecorder("boundary_distance", lambda ms, x=x_in: [
                    float(np.mean(cpwl.boundary_distances(m, x[j] if np.ndim(x) == 3 else x)))
                    for j, m in enumerate(ms)]),
            ]

        runs = training_dynamics.train_input_kinds(
            kinds,
            u,
            y,
            cfg.hidden,
            seeds,
            steps=cfg.steps,
            lr=cfg.lr,
            record_every=cfg.record_every,
            make_recorders=recorders,
            progress=progress,
        )
        for k in kinds:
            hist, sl, x_k, init_models = runs[k]
            lab = input_label(k)
            st = hist.region_stats[:, sl]
            keys = ("psnr", "hl", "hg", "np", "dead", "lh", "norm", "bd", "r0", "r1", "cl", "cg")
            c = collected.setdefault(lab, {key: [] for key in keys})
            c["psnr"].append(hist.psnr[:, sl])
            c["hl"].append(st[..., 0])
            c["hg"].append(st[..., 1])
            c["np"].append(st[..., 2])
            c["dead"].append(st[..., 3])
            c["lh"].append(st[..., 4:])
            c["norm"].append(np.prod(hist.spectral_norms[:, sl], axis=-1))
            c["bd"].append(hist.boundary_distance[:, sl])
            if k[0] == "pe":
                pts = seeding.rng(cfg.pair_seed + 3).uniform(-1.0, 1.0, (cfg.inradius_points, x_k.shape[-1]))
                c["r0"].append(np.stack([cpwl.first_layer_inradius(m, pts) for m in init_models]))
                c["r1"].append(np.stack([cpwl.first_layer_inradius(m, pts) for m in hist.models[sl]]))
            if k in conf_kinds:
                for key, which in (("cl", "local"), ("cg", "global")):
                    sub = pairs[which][:: max(1, len(pairs[which]) // n_conf)][:n_conf]  # spread over patches
                    c[key].append(np.stack([training.gradient_cosines(m, x_k, y, sub)
                                            for m in hist.models[sl]]))
            res.steps = hist.steps
            if name == cfg.images[0]:
                with torch.no_grad():
                    xt = torch.as_tensor(x_k, dtype=torch.float32)
                    res.predictions[lab] = np.stack(
                        [m(xt).numpy().reshape(size, size, -1) for m in hist.models[sl]]
                    ).astype(np.float64)
    for lab, c in collected.items():
        res.psnr[lab] = np.concatenate(c["psnr"], axis=1)
        res.hamming_local[lab] = np.concatenate(c["hl"], axis=1)
        res.hamming_global[lab] = np.concatenate(c["hg"], axis=1)
        res.n_patterns[lab] = np.concatenate(c["np"], axis=1)
        res.dead[lab] = np.concatenate(c["dead"], axis=1)
        res.layer_hamming[lab] = np.concatenate(c["lh"], axis=1)
        res.norm_product[lab] = np.concatenate(c["norm"], axis=1)
        res.boundary_distance[lab] = np.concatenate(c["bd"], axis=1)
        if c["r0"]:
            res.inradius_init[lab] = np.concatenate(c["r0"], axis=0)
            res.inradius[lab] = np.concatenate(c["r1"], axis=0)
        if c["cl"]:
            res.cos_local[lab] = np.concatenate(c["cl"], axis=0)
            res.cos_global[lab] = np.concatenate(c["cg"], axis=0)
    return res


run = results.runner(
    __name__,
    {LazzariImage: lambda cfg, device, use_cache, progress: run_lazzari_image(
        cfg, progress=progress, use_cache=use_cache)},
    returns="LazzariImageResult", cpu_only=True, what="The image experiment (:func:`run_lazzari_image`).")
