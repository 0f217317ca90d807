"""Lazzari & Liu's measurements (chapter *Why high frequencies converge slowly*).

Networks with raw or positionally encoded inputs are trained on a 1-D signal
(:func:`run_lazzari_1d`, config :class:`LazzariOneD`, result :class:`Lazzari1DResult`; the
images are :mod:`spectral_lib.experiments.image_dynamics`), and classify scikit-learn's
digits (:func:`run_lazzari_digits`, :class:`LazzariDigits`, :class:`LazzariDigitsResult`);
at every checkpoint the activation patterns of the data, their Hamming distances, the
gradient confusion of pairs, dead units and the per-frequency residual are recorded
(freshly initialised networks: :func:`spectral_lib.cpwl.init_statistics` and
:func:`spectral_lib.cpwl.crossings_vs_arc_length`); :func:`input_label` names an input
type; :func:`input_kinds`, :func:`train_input_kinds` and :func:`cached_result` are shared with
the image measurements.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import torch

from spectral_lib import cpwl, datasets, encodings, networks, spectra, training, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: the label of an input kind, as the chapter's tables and figures print it
input_label = encodings.input_label


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


def input_kinds(intervals, octaves, repeats=()) -> list[tuple]:
    """The input kinds of a run: raw coordinates on each interval, then each encoding.

    Parameters
    ----------
    intervals : sequence of (float, float)
        Coordinate intervals.
    octaves : sequence of int
        Octave counts of the positional encodings.
    repeats : sequence of int, optional
        ``L`` of the restricted encodings (the coordinates repeated in the layout of ``L``
        octaves), after the positional encodings.

    Returns
    -------
    list of tuple
        ``("coords", (lo, hi))``, ``("pe", L)`` and ``("repeat", L)`` kinds
        (:func:`spectral_lib.encodings.encode_inputs`).

    Raises
    ------
    ValueError, TypeError
        If an interval is not a pair of numbers or an octave count is not an integer.

    Examples
    --------
    >>> input_kinds([(0, 1)], [4])
    [('coords', (0.0, 1.0)), ('pe', 4)]
    """
    return ([("coords", tuple(float(v) for v in iv)) for iv in intervals] + [("pe", int(L)) for L in octaves]
            + [("repeat", int(L)) for L in repeats])


def train_input_kinds(kinds, u, y, hidden, seeds, *, steps, lr, record_every, make_recorders, progress):
    """Train ``relu_mlp(d, hidden, out)`` on every input kind for every seed, full batch.

    Raw coordinates share one stacked ensemble (one input per model); each other kind is its
    own ensemble over the seeds (:func:`spectral_lib.training.train_full_batch`).

    Parameters
    ----------
    kinds : list of tuple
        From :func:`input_kinds`.
    u : numpy.ndarray, shape (n, d0)
        The points in ``[0, 1]^d0`` before encoding.
    y : numpy.ndarray, shape (n, out)
        Targets.
    hidden : sequence of int
        Hidden widths.
    seeds : sequence of int
        Initialisation seeds.
    steps, lr, record_every, progress
        As in :func:`spectral_lib.training.train_full_batch`.
    make_recorders : callable
        ``make_recorders(x_in)`` returns the recorders for an ensemble whose inputs are
        ``x_in`` (``(n, d)`` for one encoding, ``(K, n, d)`` for stacked coordinates).

    Returns
    -------
    dict
        ``kind -> (history, slice of the kind's models in the history, encoded inputs,
        the kind's initial models)``.

    Raises
    ------
    ValueError, TypeError
        As :func:`spectral_lib.training.train_full_batch` and
        :func:`spectral_lib.encodings.encode_inputs`.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.linspace(0, 1, 8)[:, None]
    >>> out = train_input_kinds([("pe", 1)], u, np.sin(6 * u), [4], [0], steps=2, lr=1e-3,
    ...                         record_every=1, make_recorders=lambda x: [], progress=False)
    >>> out[("pe", 1)][0].loss.shape
    (3, 1)
    """
    out = {}
    coords = [k for k in kinds if k[0] == "coords"]
    groups = ([coords] if coords else []) + [[k] for k in kinds if k[0] != "coords"]
    for group in groups:
        xs = np.stack([encodings.encode_inputs(k, u) for k in group for _ in seeds])
        d = xs.shape[-1]
        models = [networks.relu_mlp(d, list(hidden), y.shape[-1], seed=int(s)) for _ in group for s in seeds]
        x_in = xs if len(group) > 1 else xs[0]
        hist = training.train_full_batch(
            models, x_in, y, steps=steps, lr=lr, record_every=record_every,
            recorders=make_recorders(x_in), progress=progress,
        )
        for g, k in enumerate(group):
            sl = slice(g * len(seeds), (g + 1) * len(seeds))
            out[k] = (hist, sl, xs[g * len(seeds)], models[sl])
    return out


@dataclass
class Lazzari1DResult:
    """Everything the 1-D experiment measures (see :func:`run_lazzari_1d`).

    Dictionaries are keyed by input label (:func:`input_label`); arrays have a seeds axis.
    """

    labels: list[str]
    t: np.ndarray
    target: np.ndarray
    freqs: np.ndarray
    steps: np.ndarray
    loss: dict = field(default_factory=dict)  # (n_rec, S)
    predictions: dict = field(default_factory=dict)  # (S, N), final
    residual_ratios: dict = field(default_factory=dict)  # (S, n_freqs), final
    hamming_local: dict = field(default_factory=dict)  # (n_rec, S)
    hamming_global: dict = field(default_factory=dict)  # (n_rec, S)
    n_patterns: dict = field(default_factory=dict)  # (n_rec, S)
    cos_local: dict = field(default_factory=dict)  # (S, n_pairs), final
    cos_global: dict = field(default_factory=dict)  # (S, n_pairs), final
    n_units: int = 0


def _result_to_arrays(res) -> dict[str, np.ndarray]:
    """Flatten a result dataclass into named arrays (dict fields by label index)."""
    out: dict[str, np.ndarray] = {"labels": np.array(res.labels, dtype=str)}
    for f in dataclasses.fields(res):
        value = getattr(res, f.name)
        if f.name == "labels":
            continue
        if isinstance(value, dict):
            for lab, arr in value.items():
                out[f"{f.name}.{res.labels.index(lab)}"] = np.asarray(arr)
        else:
            out[f.name] = np.asarray(value)
    return out


def _arrays_to_result(cls, arrays: dict):
    """Inverse of :func:`_result_to_arrays`."""
    labels = [str(v) for v in arrays["labels"]]
    kwargs: dict = {"labels": labels}
    for f in dataclasses.fields(cls):
        if f.name == "labels":
            continue
        if f.name in arrays:
            arr = arrays[f.name]
            kwargs[f.name] = arr.item() if arr.ndim == 0 else arr
        else:
            kwargs[f.name] = {
                lab: arrays[f"{f.name}.{i}"] for i, lab in enumerate(labels) if f"{f.name}.{i}" in arrays
            }
    return cls(**kwargs)


def cached_result(name: str, cls, cfg, compute, use_cache: bool):
    """A result dataclass of this chapter's kind (dict fields keyed by input label), cached.

    Parameters
    ----------
    name : str
        Name of the run in the results cache (:func:`spectral_lib.runs.results.cached_run`).
    cls : type
        The result dataclass (with a ``labels`` field).
    cfg : dataclass
        The config (part of the cache key).
    compute : callable
        ``compute()`` returns the result when it is not cached.
    use_cache : bool
        Read and write the cache; ``False`` calls ``compute()``.

    Returns
    -------
    cls
        The result.

    Raises
    ------
    ValueError
        As :func:`spectral_lib.runs.results.cached_run`.

    Examples
    --------
    >>> cached_result("demo", Lazzari1DResult, None, lambda: "computed", use_cache=False)
    'computed'
    """
    if not use_cache:
        return compute()
    return results.cached_run(name, cfg, lambda: _result_to_arrays(compute()),
                              lambda _, arrays: _arrays_to_result(cls, arrays))


def run_lazzari_1d(cfg, *, progress: bool = False, use_cache: bool = True) -> Lazzari1DResult:
    """Lazzari & Liu's 1-D experiment: fit, Hamming distances and gradient confusion.

    The target ``sum_k sin(2 pi k t + phi_k)`` (``k`` in ``cfg.freqs``, phases drawn once
    from ``cfg.phase_seed`` and shared by all runs, as in the scripts) on ``cfg.n_points``
    samples of [0, 1) is fitted full batch with Adam by ``relu_mlp(d, cfg.hidden)`` for each
    input type (raw coordinates on each of ``cfg.intervals``, the same targets; positional
    encodings with each of ``cfg.octaves``) and each seed of ``cfg.seeds``. Every
    ``cfg.record_every`` steps the local and global Hamming distances are recorded; at
    the end, the residual ratios and the gradient cosines of local and global pairs.

    Parameters
    ----------
    cfg : LazzariOneD
        ``PRESETS.get("lazzari_1d")``.
    progress, use_cache
        As for this module's ``run``; ``progress``: show training progress bars.

    Returns
    -------
    Lazzari1DResult
        The measurements.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`LazzariOneD`.
    ValueError
        If a field of ``cfg`` is invalid (sizes, seeds, intervals, octaves).

    Examples
    --------
    >>> res = run_lazzari_1d(PRESETS.get("lazzari_1d"))  # doctest: +SKIP
    """

    if not isinstance(cfg, LazzariOneD):
        raise TypeError(f"cfg must be a LazzariOneD config, got {type(cfg).__name__}")
    return cached_result("lazzari_1d", Lazzari1DResult, cfg, lambda: _compute_1d(cfg, progress), use_cache)


def _compute_1d(cfg, progress: bool) -> Lazzari1DResult:

    n = validation.check_positive_int("n_points", cfg.n_points)
    seeds = [validation.check_seed(s) for s in cfg.seeds]
    freqs = np.asarray(cfg.freqs, dtype=int)
    t = np.arange(n) / n
    phases = datasets.random_phases(freqs.size, cfg.phase_seed)
    y = datasets.sinusoid_mixture(t, freqs, 1.0, phases)[:, None]
    kinds = input_kinds(cfg.intervals, cfg.octaves)
    window = max(2, int(round(cfg.local_window * n)))
    pairs_h = {
        "local": cpwl.local_pairs_1d(n, window, cfg.n_windows, cfg.hamming_pairs_per_window, cfg.pair_seed),
        "global": cpwl.global_pairs_1d(n, cfg.hamming_global_pairs, cfg.pair_seed + 1, cfg.global_first,
                                  cfg.global_second),
    }
    pairs_c = {
        "local": cpwl.local_pairs_1d(
            n, window, cfg.n_windows, cfg.confusion_pairs_per_window, cfg.pair_seed + 2
        ),
        "global": cpwl.global_pairs_1d(
            n, cfg.confusion_global_pairs, cfg.pair_seed + 3, cfg.global_first, cfg.global_second
        ),
    }
    runs = train_input_kinds(
        kinds,
        t[:, None],
        y,
        cfg.hidden,
        seeds,
        steps=cfg.steps,
        lr=cfg.lr,
        record_every=cfg.record_every,
        make_recorders=lambda x_in: [training.RegionStatsRecorder(x_in, pairs_h)],
        progress=progress,
    )
    res = Lazzari1DResult(
        labels=[input_label(k) for k in kinds],
        t=t,
        target=y[:, 0],
        freqs=freqs,
        steps=next(iter(runs.values()))[0].steps,
        n_units=int(sum(cfg.hidden)),
    )
    for k in kinds:
        hist, sl, x_k, _ = runs[k]
        lab = input_label(k)
        stats = hist.region_stats[:, sl]
        res.loss[lab] = hist.loss[:, sl]
        res.hamming_local[lab] = stats[..., 0]
        res.hamming_global[lab] = stats[..., 1]
        res.n_patterns[lab] = stats[..., 2]
        trained = hist.models[sl]
        with torch.no_grad():
            pred = np.stack([m(torch.as_tensor(x_k, dtype=torch.float32))[:, 0].numpy() for m in trained])
        res.predictions[lab] = pred.astype(np.float64)
        res.residual_ratios[lab] = spectra.residual_ratios(pred, y[:, 0], freqs)
        res.cos_local[lab] = np.stack(
            [training.gradient_cosines(m, x_k, y, pairs_c["local"]) for m in trained]
        )
        res.cos_global[lab] = np.stack(
            [training.gradient_cosines(m, x_k, y, pairs_c["global"]) for m in trained]
        )
    return res


@dataclasses.dataclass(frozen=True)
class LazzariOneD:
    """The 1-D experiment (``1d_signal_{vis,hamming,confusion}.py``).

    Target ``sum_k sin(2 pi k t + phi_k)``, ``k`` in ``freqs``, on ``n_points`` samples of
    [0, 1), phases from ``phase_seed`` shared by all runs. Inputs: raw coordinates on each
    of ``intervals`` and positional encodings with each of ``octaves`` (number of octaves:
    the scripts' "L=3" and "L=6" are 4 and 7). Local pairs: ``n_windows`` windows of
    ``local_window`` (fraction of the signal; 50/2048 in the scripts); global pairs: one
    point in ``global_first``, the other in ``global_second`` (fractions of the signal).
    ``init_seeds`` are the extra initialisations for the at-init statistics (dead units,
    crossings), ``dead_intervals`` the coordinate intervals of the dead-unit comparison,
    ``crossing_octaves`` the encodings of the crossings-vs-arc-length comparison,
    ``crossing_grid`` the initial grid of :func:`spectral_lib.cpwl.curve_crossings` and
    ``kac_rice_seeds`` the initialisations whose first layers are compared with the
    Kac–Rice rate.
    """

    hidden: tuple[int, ...]
    steps: int
    lr: float
    seeds: tuple[int, ...]
    record_every: int
    n_points: int = 2048
    freqs: tuple[int, ...] = tuple(range(5, 75, 5))
    phase_seed: int = 0
    intervals: tuple[tuple[float, float], ...] = ((0.0, 1.0), (-1.0, 1.0))
    octaves: tuple[int, ...] = (4, 7)
    local_window: float = 50 / 2048
    n_windows: int = 25
    hamming_pairs_per_window: int = 250
    hamming_global_pairs: int = 5000
    confusion_pairs_per_window: int = 100
    confusion_global_pairs: int = 5000
    global_first: tuple[float, float] = (0.0, 800 / 2048)
    global_second: tuple[float, float] = (1200 / 2048, 1.0)
    pair_seed: int = 0
    init_seeds: tuple[int, ...] = tuple(range(10))
    dead_intervals: tuple[tuple[float, float], ...] = ((0.0, 1.0), (-1.0, 1.0), (-2.0, 2.0), (-3.0, 3.0))
    crossing_octaves: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    crossing_seeds: tuple[int, ...] = (0, 1, 2)
    crossing_grid: int = 2**14
    kac_rice_seeds: tuple[int, ...] = tuple(range(40))


PRESETS.add(
    "lazzari_1d",
    # The full 1-D setup and the scripts' 5 runs (fewer seeds cannot bound the [0,1]
    # global-confusion share, which varies from 0 to about 0.4 between networks); Hamming
    # pairs as in the scripts, 12 + 12 confusion pairs per window / 300 global.
    book=LazzariOneD(
        hidden=(128,) * 4,
        steps=500,
        lr=1e-3,
        seeds=(0, 1, 2, 3, 4),
        record_every=25,
        confusion_pairs_per_window=12,
        confusion_global_pairs=300,
    ),
    # The official 1-D scripts: 4 x 128, full-batch Adam 1e-3, 500 epochs (= steps), 5 runs,
    # Hamming every 25.
    paper_changes={
        "confusion_pairs_per_window": 100,
        "confusion_global_pairs": 5000,
        "init_seeds": tuple(range(20)),
        "crossing_seeds": (0, 1, 2, 3, 4),
        "crossing_grid": 2**16,
        "kac_rice_seeds": tuple(range(100)),
    },
)

#: The guards' thresholds of the 1-D claims, fixed before the runs (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS_1D = {
    "kac_rice_rel": Threshold(
        0.05, "the Gaussian Kac–Rice rate sqrt((4^L − 1)/(3(L + 1))) per first-layer unit; 5 % "
        "allows for PyTorch's uniform (not Gaussian) weights once the pre-activation sums at "
        "least 2L + 1 = 5 terms (L ≥ 2)"),
    "fit_low_k_max": Threshold(
        0.5, "Lazzari & Liu (2023), 1d_signal_vis: the lowest component is fitted; 'fitted' read as "
        "at least half of its amplitude removed"),
    "fit_high_k_min": Threshold(
        0.7, "Lazzari & Liu (2023), abstract: high frequencies obstructed entirely; 'not learned' "
        "read as a residual amplitude of at least 0.7 ≈ 1/√2, at most half of the component's "
        "energy removed"),
    "fit_pe_max": Threshold(
        0.1, "Lazzari & Liu (2023), 1d_signal_vis: PE l ≤ 6 fits all 14 components; 'fitted' read as"
        " a residual amplitude of at most 0.1, 99 % of the energy removed"),
    "local_coords_over_pe7": Threshold(
        0.1, "Lazzari & Liu (2023), 1d_hamming figures: coordinates ≈ 1–2 against 55–65 units for "
        "L=7, a factor above 25; read as at least one order of magnitude"),
    "global_over_local": Threshold(
        1.5, "Lazzari & Liu (2023), 1d_hamming figures: global/local factors from ≈ 2 (L=7) to ≈ 50 "
        "(coordinates); 'much larger' read as 1.5, below the smallest factor of the figures"),
    "confused_cos": Threshold(
        -0.5, "Sankararaman et al. (2020): confusion is a negative gradient cosine; −0.5 is halfway "
        "between orthogonal (0) and opposite (−1), the coordinates' mode in Lazzari & Liu's "
        "1d_confusion figure"),
    "pe7_share_over_coords": Threshold(
        0.5, "Lazzari & Liu (2023), 1d_confusion figure: with L=7 the −1 mode shrinks to a small "
        "bump; 'removes' read as at most half of the coordinates' share"),
    "pe7_share_max": Threshold(
        0.25, "this book's bound, not derived from a figure: at most a quarter of the local pairs "
        "confused (the figure shows a small bump near −0.5)"),
    "pe7_share_removed": Threshold(
        0.0, "Lazzari & Liu (2023), abstract and 1d_confusion: PE with l ≤ 6 removes the −1 mode; at"
        " full strength no local pair of any seed below the confusion cut (the numpy "
        "re-implementation: 0.00)"),
    "global_share_none": Threshold(
        0.0, "Lazzari & Liu (2023), appendix and 1d_confusion global figure: global cosines centred "
        "on 0 with no mass near −1; at full strength no global pair of any seed below the confusion cut"),
    "pe4_share_over_c01": Threshold(
        0.5, "Lazzari & Liu (2023), 1d_confusion figure: L=4 'similar but broader' than the "
        "coordinates; 'similar' read as at least half of the [0,1] share"),
}


@dataclass(frozen=True)
class LazzariDigits:
    """Lazzari & Liu's real-data measurement (``hamming_real_data_mlp.py``,
    ``confusion_real_data_mlp.py``) on scikit-learn's 8×8 digits.

    ``relu_mlp(64, hidden, 10)`` is trained full batch with Adam on the squared error to the
    one-hot labels of all 1797 digits, once per seed of ``seeds``. ``n_anchors`` anchors are
    joined to their ``k`` nearest digits of another class and to their ``k`` farthest digits
    (:func:`spectral_lib.cpwl.class_pairs`, seed ``pair_seed``); the mean Hamming distance of
    both pair sets is recorded every ``record_every`` steps, the gradient cosines at the end.
    """

    hidden: tuple[int, ...] = (128,) * 4
    steps: int = 150
    lr: float = 1e-3
    seeds: tuple[int, ...] = (0, 1, 2)
    record_every: int = 10
    n_anchors: int = 300
    k: int = 5
    pair_seed: int = 0


PRESETS.add(
    "lazzari_digits",
    # The 1-D experiment's 4 x 128 network, full batch: 150 steps fit the 1797 digits to
    # about 99.8 % training accuracy (the official confusion script trains 25 epochs, not to
    # the end).
    book=LazzariDigits(),
    # The official scripts: MLP 4 x 512, Adam 1e-3 with batch 512 for 100 epochs (25 for the
    # confusion), 2500 anchors with 25 other-class neighbours / 25 farthest points (MNIST).
    paper_changes={"hidden": (512,) * 4, "steps": 1000, "record_every": 25, "n_anchors": 1797, "k": 25},
)


@dataclass
class LazzariDigitsResult:
    """What :func:`run_lazzari_digits` measures; ``S`` seeds, ``P = n_anchors * k`` pairs per set."""

    config: LazzariDigits
    steps: np.ndarray            # (n_rec,)
    loss: np.ndarray             # (n_rec, S)
    hamming_near: np.ndarray     # (n_rec, S): other-class nearest neighbours
    hamming_far: np.ndarray      # (n_rec, S): farthest points
    cos_near: np.ndarray         # (S, P), at the end
    cos_far: np.ndarray          # (S, P), at the end
    accuracy: np.ndarray         # (S,): training accuracy at the end
    n_units: int


def run_lazzari_digits(cfg, *, progress: bool = False, use_cache: bool = True) -> LazzariDigitsResult:
    """Hamming distances and gradient confusion of other-class neighbours and distant digits.

    Parameters
    ----------
    cfg : LazzariDigits
        ``PRESETS.get("lazzari_digits")``.
    progress, use_cache
        As for this module's ``run``; ``progress``: show the training progress bar.

    Returns
    -------
    LazzariDigitsResult
        The pairs' Hamming distances and gradient cosines, per seed.

    Raises
    ------
    TypeError
        If ``cfg`` is not a :class:`LazzariDigits`.
    ValueError
        If a field of ``cfg`` is invalid.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("lazzari_digits"), hidden=(8,), steps=2, record_every=1,
    ...                           seeds=(0,), n_anchors=3, k=2)
    >>> res = run_lazzari_digits(cfg, use_cache=False)
    >>> res.hamming_near.shape, res.cos_far.shape
    ((3, 1), (1, 6))
    """
    if not isinstance(cfg, LazzariDigits):
        raise TypeError(f"cfg must be a LazzariDigits config, got {type(cfg).__name__}")

    def compute() -> dict:
        seeds = [validation.check_seed(s) for s in cfg.seeds]
        x, labels = datasets.load_digits_labelled()
        y = np.eye(10)[labels]
        near, far = cpwl.class_pairs(x, labels, cfg.n_anchors, cfg.k, cfg.pair_seed)
        models = [networks.relu_mlp(x.shape[1], list(cfg.hidden), 10, seed=s) for s in seeds]
        hist = training.train_full_batch(
            models, x, y, steps=cfg.steps, lr=cfg.lr, record_every=cfg.record_every,
            recorders=[training.RegionStatsRecorder(x, {"near": near, "far": far})], progress=progress)
        with torch.no_grad():
            pred = [m(torch.as_tensor(x, dtype=torch.float32)).argmax(1).numpy() for m in hist.models]
        return {
            "steps": hist.steps, "loss": hist.loss,
            "hamming_near": hist.region_stats[..., 0], "hamming_far": hist.region_stats[..., 1],
            "cos_near": np.stack([training.gradient_cosines(m, x, y, near) for m in hist.models]),
            "cos_far": np.stack([training.gradient_cosines(m, x, y, far) for m in hist.models]),
            "accuracy": np.array([np.mean(p == labels) for p in pred]),
            "n_units": np.array(int(sum(cfg.hidden))),
        }

    def build(c, arrays):
        fields = {k: (int(v) if k == "n_units" else v) for k, v in arrays.items()}
        return LazzariDigitsResult(config=c, **fields)

    if not use_cache:
        return build(cfg, compute())
    return results.cached_run("lazzari_digits", cfg, compute, build)


#: Every threshold of the chapter's claims.
THRESHOLDS = dict(THRESHOLDS_1D)


run = results.runner(
    __name__,
    {LazzariOneD: lambda cfg, device, use_cache, progress: run_lazzari_1d(
        cfg, progress=progress, use_cache=use_cache),
     LazzariDigits: lambda cfg, device, use_cache, progress: run_lazzari_digits(
         cfg, progress=progress, use_cache=use_cache)},
    returns="Lazzari1DResult or LazzariDigitsResult", cpu_only=True,
    what="The 1-D signal (:func:`run_lazzari_1d`) or the digits (:func:`run_lazzari_digits`).")
