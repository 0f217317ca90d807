"""Rahaman et al.'s Exp1 (chapter *Spectral bias in training*): which frequencies a ReLU network fits first.

A deep ReLU network is trained full batch on ``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)`` with
equal or rising amplitudes ``A_i``, for several phase draws (:class:`Exp1Config`);
:func:`run_exp1` records the normalised amplitude of every ``k_i`` in the network's DFT
over training, with the spectral norm of every layer, and returns an :class:`Exp1Result`.
:func:`format_steps` writes steps-to-threshold for the tables; ``NOTEBOOK_STEPS_TO_09``
holds the steps read off the official notebook's heatmaps (:func:`notebook_step_range` reads
them as numbers); :func:`ordered_where_reached` tests the order of first passages run by run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spectral_lib import datasets, networks, spectra, stats, training, validation
from spectral_lib.networks.mlp import flat_parameters
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


def format_steps(per_run, horizon: int) -> str:
    """Summarise per-run steps-to-threshold as text: ``"mean ± sd"`` or a censored form.

    Parameters
    ----------
    per_run : array_like, shape (S,)
        Steps per run; ``inf`` where the threshold was not reached.
    horizon : int
        The last recorded step (shown as ``"> horizon"`` when no run reached it).

    Returns
    -------
    str
        ``"1,200 ± 300"`` when every run reached it; ``"> 10,000"`` when none did;
        ``"≥ 4,000 (2/3 runs)"`` (the latest of the runs that did) otherwise.

    Raises
    ------
    ValueError
        If ``per_run`` is empty or holds NaN.

    Examples
    --------
    >>> format_steps([100, 300], 1000)
    '200 ± 141'
    >>> format_steps([np.inf, np.inf], 1000)
    '> 1,000'
    """
    v = np.asarray(per_run, dtype=np.float64)
    if v.ndim != 1 or v.size == 0 or np.any(np.isnan(v)):
        raise ValueError("per_run must be a non-empty 1-D array without NaN")
    hit = np.isfinite(v)
    if hit.all():
        sd = float(np.std(v, ddof=1)) if v.size > 1 else 0.0
        return f"{np.mean(v):,.0f} ± {sd:,.0f}"
    if not hit.any():
        return f"> {int(horizon):,}"
    return f"≥ {np.max(v[hit]):,.0f} ({int(hit.sum())}/{v.size} runs)"


def _models_from_params(hidden: Sequence[int], flat: np.ndarray) -> list:
    """Rebuild ``relu_mlp(1, hidden)`` models from rows of flattened parameters."""
    import torch


    models = []
    for row in np.atleast_2d(flat):
        net = networks.relu_mlp(1, list(hidden))
        sizes = [p.numel() for p in net.parameters()]
        if sum(sizes) != row.size:
            raise ValueError(f"{row.size} stored parameters do not fit a 1 -> {list(hidden)} -> 1 network")
        with torch.no_grad():
            for p, chunk in zip(net.parameters(), np.split(row, np.cumsum(sizes)[:-1]), strict=True):
                p.copy_(torch.as_tensor(chunk.reshape(p.shape), dtype=p.dtype))
        models.append(net)
    return models






@dataclass(frozen=True)
class Exp1Result:
    """Exp1's recorded training, per amplitude setting.

    Attributes
    ----------
    config : Exp1Config
        The config that produced it.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps (values at step ``t`` are from the forward pass before update ``t``).
    x, freqs, phases : numpy.ndarray
        Grid ``(N,)``, frequencies ``(m,)`` and the runs' phases ``(S, m)`` (run ``s`` uses
        phase seed ``s`` and initialisation seed ``s`` in every setting).
    target_amplitudes, targets : dict of str to numpy.ndarray
        ``A_i`` ``(m,)`` and the targets ``(S, N)`` per setting.
    predictions, amplitudes, loss, spectral_norms : dict of str to numpy.ndarray
        Per setting: predictions on the grid ``(n_rec, S, N)``, normalised amplitudes
        ``2|F[k_i]|/A_i`` ``(n_rec, S, m)``, MSE ``(n_rec, S)`` and per-layer largest
        singular values ``(n_rec, S, n_layers)``.
    params : dict of str to numpy.ndarray
        The trained parameters, flattened, ``(S, P)``; see :meth:`models`.
    """

    config: object
    steps: np.ndarray
    x: np.ndarray
    freqs: np.ndarray
    phases: np.ndarray
    target_amplitudes: dict
    targets: dict
    predictions: dict
    amplitudes: dict
    loss: dict
    spectral_norms: dict
    params: dict

    def models(self, setting: str) -> list:
        """The trained networks of one setting (new ``torch.nn.Sequential`` objects)."""
        self._check_setting(setting)
        return _models_from_params(self.config.hidden, self.params[setting])

    def mean_amplitudes(self, setting: str) -> np.ndarray:
        """Normalised amplitudes averaged over runs, ``(n_rec, m)``.

        The magnitudes are averaged, then normalised, as in the official notebook; with a
        common ``A_i`` this equals the mean of the normalised amplitudes.
        """
        self._check_setting(setting)
        return self.amplitudes[setting].mean(axis=1)

    def steps_to(self, setting: str, threshold: float, *, per_run: bool = False) -> np.ndarray:
        """First recorded step at which the amplitude reaches ``threshold`` (``inf``: never).

        Parameters
        ----------
        setting : str
            ``"equal"`` or ``"increasing"``.
        threshold : float
            Level of the normalised amplitude.
        per_run : bool, default False
            ``False``: on the run-averaged amplitudes, shape ``(m,)``; ``True``: for each
            run, shape ``(S, m)``.

        Returns
        -------
        numpy.ndarray
            Steps as float, ``numpy.inf`` where never reached.
        """
        values = self.amplitudes[setting] if per_run else self.mean_amplitudes(setting)
        return stats.steps_to_threshold(self.steps, values, threshold, direction="rise")

    def mean_time(self, setting: str) -> np.ndarray:
        """:func:`spectral_lib.stats.mean_time_to_threshold` of the run-averaged amplitudes, ``(m,)``."""
        return stats.mean_time_to_threshold(self.steps, self.mean_amplitudes(setting))

    def snapshot(self, setting: str, step: int) -> tuple[int, np.ndarray]:
        """The recorded step nearest to ``step`` and the predictions there, ``(S, N)``."""
        self._check_setting(setting)
        i = int(np.argmin(np.abs(self.steps - int(step))))
        return int(self.steps[i]), self.predictions[setting][i]

    def _check_setting(self, setting: str) -> None:
        if setting not in self.predictions:
            raise ValueError(f"setting must be one of {sorted(self.predictions)}, got {setting!r}")


def run_exp1(cfg, *, progress: bool = True, use_cache: bool = True, device=None) -> Exp1Result:
    """Train Exp1: every run of every amplitude setting as one batched ensemble.

    For each setting in ``cfg.settings`` and run ``s < cfg.n_runs``, a network
    ``relu_mlp(1, cfg.hidden, seed=s)`` is fitted to ``exp1_targets(cfg.freqs, setting,
    seeds=range(cfg.n_runs))[s]`` by full-batch Adam on the MSE
    (:func:`spectral_lib.training.train_full_batch`), recording the predictions on the grid
    and the layers' spectral norms every ``cfg.record_every`` steps.

    Parameters
    ----------
    cfg : Exp1Config
        ``PRESETS.get("exp1")`` (or another profile's preset).
    progress, use_cache, device
        As for this module's ``run``; ``progress``: progress bar while training (silent under
        ``TQDM_DISABLE=1``).

    Returns
    -------
    Exp1Result
        The recorded training.

    Raises
    ------
    TypeError
        If ``cfg`` is not an Exp1 config.
    ValueError
        If the config holds invalid values (frequencies, settings, sizes).

    Examples
    --------
    >>> import dataclasses
    >>> cfg = dataclasses.replace(PRESETS.get("exp1", "book"), hidden=(8,), steps=20, n_runs=1,
    ...                           record_every=10, snapshots=(0,))
    >>> res = run_exp1(cfg, progress=False, use_cache=False)
    >>> res.amplitudes["equal"].shape
    (3, 1, 10)
    """
    results.check_config(
        cfg, ("hidden", "lr", "steps", "n_runs", "record_every", "freqs", "n_points", "settings"), "Exp1"
    )
    return results.cached_run(
        "exp1",
        cfg,
        lambda: _compute_exp1(cfg, progress, device),
        _exp1_from_arrays,
        use_cache=use_cache,
        device=device,
    )


def _compute_exp1(cfg, progress, device) -> dict:
    import torch

    settings = tuple(cfg.settings)
    if not settings or len(set(settings)) != len(settings):
        raise ValueError(f"settings must be distinct names from {datasets.SETTINGS}, got {settings!r}")
    n_runs = validation.check_positive_int("n_runs", cfg.n_runs)
    seeds = list(range(n_runs))
    tg = {s: datasets.exp1_targets(cfg.freqs, s, seeds, cfg.n_points) for s in settings}
    x = tg[settings[0]]["x"]
    y = np.concatenate([tg[s]["y"] for s in settings])
    models = [networks.relu_mlp(1, list(cfg.hidden), seed=seed) for _ in settings for seed in seeds]
    hist = training.train_full_batch(
        models,
        torch.as_tensor(x, dtype=torch.float32)[:, None],
        torch.as_tensor(y, dtype=torch.float32),
        steps=cfg.steps,
        lr=cfg.lr,
        record_every=cfg.record_every,
        recorders=[training.PredictionRecorder(), training.SpectralNormRecorder()],
        device=device,
        progress=progress,
    )
    flat = flat_parameters(hist.models)
    first = tg[settings[0]]
    arrays = {"steps": hist.steps, "x": x, "freqs": first["freqs"], "phases": first["phases"]}
    for j, s in enumerate(settings):
        sl = slice(j * n_runs, (j + 1) * n_runs)
        preds = hist.predictions[:, sl].astype(np.float64)
        arrays[f"{s}/target_amplitudes"] = tg[s]["amplitudes"]
        arrays[f"{s}/targets"] = tg[s]["y"]
        arrays[f"{s}/predictions"] = preds
        arrays[f"{s}/amplitudes"] = spectra.normalised_amplitudes(preds, tg[s]["freqs"], tg[s]["amplitudes"])
        arrays[f"{s}/loss"] = hist.loss[:, sl]
        arrays[f"{s}/spectral_norms"] = hist.spectral_norms[:, sl]
        arrays[f"{s}/params"] = flat[sl]
    return arrays


def _per_setting(arrays: dict, field_name: str) -> dict:
    return {k.split("/")[0]: v for k, v in arrays.items() if k.endswith("/" + field_name)}


def _exp1_from_arrays(cfg, arrays: dict) -> Exp1Result:
    return Exp1Result(
        config=cfg,
        steps=arrays["steps"],
        x=arrays["x"],
        freqs=arrays["freqs"],
        phases=arrays["phases"],
        target_amplitudes=_per_setting(arrays, "target_amplitudes"),
        targets=_per_setting(arrays, "targets"),
        predictions=_per_setting(arrays, "predictions"),
        amplitudes=_per_setting(arrays, "amplitudes"),
        loss=_per_setting(arrays, "loss"),
        spectral_norms=_per_setting(arrays, "spectral_norms"),
        params=_per_setting(arrays, "params"),
    )


@dataclasses.dataclass(frozen=True)
class Exp1Config:
    """Exp1 (lower frequencies are learned first): sinusoid mixture, full-batch Adam on MSE.

    ``hidden`` are the hidden widths (``[256]*5`` is the paper's "6-layer, 256-wide" net);
    ``n_runs`` seeds per amplitude setting (each seed draws the phases and the
    initialisation); predictions and amplitudes are recorded every ``record_every`` steps
    (before that step's update); ``snapshots`` are the iterations of the paper's Fig. 2.
    """

    hidden: tuple[int, ...]
    lr: float
    steps: int
    n_runs: int
    record_every: int
    snapshots: tuple[int, ...]
    freqs: tuple[int, ...] = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
    n_points: int = 200
    settings: tuple[str, ...] = ("equal", "increasing")
    thresholds: tuple[float, ...] = (0.5, 0.9)


PRESETS.add(
    "exp1",
    # Width 128 and Adam 1e-3 keep the frequency ordering at a fraction of the cost; both
    # settings x 5 seeds train as one batched ensemble of 10 models (5 seeds: with 3 the
    # bootstrap interval of rho over runs is too wide to hold at every seed offset).
    book=Exp1Config(
        hidden=(128,) * 5, lr=1e-3, steps=8_000, n_runs=5, record_every=100, snapshots=(100, 1000, 3000, 8000)
    ),
    # Paper: 80k steps, 10 runs (the official notebook: 60k, 20 runs), Adam 3e-4 (code).
    paper_changes={
        "hidden": (256,) * 5, "lr": 3e-4, "steps": 80_000, "n_runs": 10,
        "snapshots": (100, 1000, 10_000, 79_900),
    },
)

#: The guards' thresholds of the learning-order chapter (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS = {
    "order_rho": Threshold(
        0.9,
        "Rahaman et al. Fig. 1: learning time increases with k, a strict order (Spearman rho = 1); "
        "rho >= 0.9, i.e. sum of squared rank differences <= 16 over ten frequencies, tolerates a few"
        " swaps of neighbours -- a tolerance the paper does not state",
    ),
    "norm_growth": Threshold(
        1.0,
        "Rahaman et al. Fig. 1 (right): the spectral norms increase over training; a final/initial "
        "ratio above 1 is an increase",
    ),
}


# Values read off the heatmaps of the official notebook ICML_SpectralBias.ipynb (approximate):
# steps for the normalised amplitude to reach ~0.9 (60k steps, 20 runs, w = 256, lr 3e-4).
NOTEBOOK_STEPS_TO_09: dict[str, dict[int, str]] = {
    "equal": {
        5: "< 1k",
        10: "~7k",
        15: "~15k",
        20: "~20–25k",
        25: "~30k",
        30: "~35–40k",
        35: "not reached",
        40: "not reached",
        45: "not reached",
        50: "not reached",
    },
    "increasing": {
        5: "—",
        10: "~4k",
        15: "~10k",
        20: "~18k",
        25: "~30k",
        30: "~40k",
        35: "—",
        40: "—",
        45: "~60k (0.85–0.9)",
        50: "~60k (0.85–0.9)",
    },
}



def notebook_step_range(text: str) -> tuple[float, float] | None:
    """The step range of one :data:`NOTEBOOK_STEPS_TO_09` read-off, or ``None`` when not reached.

    ``"~7k"`` is (7000, 7000), ``"~20–25k"`` (20000, 25000), ``"< 1k"`` (0, 1000); a
    parenthesised remark is ignored; ``"not reached"`` and ``"—"`` give ``None``.

    Parameters
    ----------
    text : str
        One entry of :data:`NOTEBOOK_STEPS_TO_09`.

    Returns
    -------
    tuple of float or None
        The lowest and highest step the read-off allows.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``text`` is not of one of these forms.

    Examples
    --------
    >>> notebook_step_range("~20–25k"), notebook_step_range("< 1k"), notebook_step_range("—")
    ((20000.0, 25000.0), (0.0, 1000.0), None)
    >>> notebook_step_range("~60k (0.85–0.9)")
    (60000.0, 60000.0)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    core = text.split("(")[0].strip()
    if core in ("not reached", "—", ""):
        return None
    upper_only = core.startswith("<")
    core = core.lstrip("<~ ").rstrip()
    if not core.endswith("k"):
        raise ValueError(f"cannot read a step range from {text!r}")
    try:
        values = [float(v) * 1000 for v in core[:-1].split("–")]
    except ValueError:
        raise ValueError(f"cannot read a step range from {text!r}") from None
    if upper_only:
        return (0.0, values[-1])
    return (values[0], values[-1])


def ordered_where_reached(times) -> np.ndarray:
    """Per run: do the frequencies reach a level in order of k, counting a level never reached as last?

    Run ``r`` is in order when ``times[r, i] <= times[r, j]`` for every ``i < j``, with
    ``inf`` (never reached within the horizon) later than any step: a higher frequency that
    is still censored is consistent with the order, a lower one that is censored while a
    higher one is reached is not.

    Parameters
    ----------
    times : array_like, shape (runs, m)
        First recorded step at which each of ``m`` frequencies (in increasing order of k)
        reaches the level, ``inf`` if never.

    Returns
    -------
    numpy.ndarray of bool, shape (runs,)

    Raises
    ------
    ValueError
        If ``times`` is not 2-D or holds NaN.

    Examples
    --------
    >>> ordered_where_reached([[1, 3, np.inf], [2, 1, 5], [np.inf, 4, np.inf]]).tolist()
    [True, False, False]
    """
    t = np.asarray(times, dtype=float)
    if t.ndim != 2 or np.isnan(t).any():
        raise ValueError(f"times must be a 2-D array without NaN, got shape {t.shape}")
    later = np.maximum.accumulate(t, axis=1)
    return np.all(t >= later, axis=1)

run = results.runner(__name__, {Exp1Config: run_exp1}, returns="Exp1Result", what="Exp1 (:func:`run_exp1`).")
