"""The chapter *Audio: spectral bias you can hear*: a clip fitted as a 1-D implicit representation.

A synthetic clip (:func:`spectral_lib.datasets.audio_clip`: a chord, a logarithmic chirp and a
transient) sampled at ``rate`` Hz is fitted as a function ``t -> amplitude`` of the normalised
time ``x = n / N`` in ``[0, 1)`` by four networks of the same hidden widths, one per seed,
each trained alone with full-batch Adam for the same number of steps on the **even** samples:

- ``"relu"``: a ReLU MLP on raw ``x`` (mean squared error);
- ``"relu-weighted"``: the same network and seeds, trained on the frequency-weighted loss
  :func:`spectral_lib.spectra.weighted_spectral_loss` with the weights
  :func:`spectral_lib.spectra.frequency_weights` ``1 + (f / f_ref)^p``;
- ``"ff"`` and ``"ff-wide"``: a ReLU MLP on Gaussian Fourier features of ``x`` (Tancik et
  al. 2020), of scale ``σ = ff_sigma_hz · duration`` and ``ff_wide_sigma_hz · duration``
  cycles per unit of ``x`` (the scales given in Hz);
- ``"siren"``: a SIREN (Sitzmann et al. 2020) on ``2x - 1``.

Every fit is evaluated on the whole grid, so the odd samples are held out; the baselines
without learning reconstruct the same odd samples from the same even ones by linear and by
cubic-spline interpolation. :func:`run_audio` returns an :class:`AudioResult` with the
predictions on the whole grid over training, the training loss, the parameter counts and the
number of linear pieces of the ReLU networks; its methods give the band errors
(:func:`spectral_lib.spectra.band_errors`) of every fit and baseline.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
from scipy.interpolate import CubicSpline

from spectral_lib import cpwl, datasets, networks, spectra, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config

#: The fitted methods, in the order of the tables.
METHODS: tuple[str, ...] = ("relu", "relu-weighted", "ff", "ff-wide", "siren")
#: The interpolation baselines (no learning).
BASELINES: tuple[str, ...] = ("linear", "cubic")


@dataclasses.dataclass(frozen=True)
class AudioConfig:
    """A synthetic clip fitted by ReLU, Fourier-feature and SIREN networks (and a weighted loss).

    The clip: ``rate`` Hz for ``duration`` s, the chord ``chord`` (Hz, amplitude
    ``chord_amplitude`` each), a logarithmic chirp ``chirp = (f0, f1)`` (amplitude
    ``chirp_amplitude``), a Gaussian burst of carrier ``burst_frequency`` Hz at
    ``burst_time`` (a fraction of the duration), width ``burst_width`` s and peak
    ``burst_amplitude``; its phases from ``signal_seed``. Every component lies below
    ``rate / 4``, the Nyquist frequency of the even samples the networks see.
    Networks: hidden widths ``hidden``, ``steps`` Adam steps at ``lr_relu`` (both ReLU arms),
    ``lr_ff`` (both Fourier-feature arms) and ``lr_siren``; ``n_features`` Gaussian
    frequencies of scale ``ff_sigma_hz`` Hz, a third of ``rate / 4`` so that fewer than 0.3% of
    them lie above the Nyquist frequency of the even samples (where the even samples cannot
    tell a tone from its alias), and of the wider scale ``ff_wide_sigma_hz``; the weighted
    loss ``1 + (f / weight_f_ref)^weight_power``; one model per seed of ``seeds``.
    Predictions on the whole grid are recorded every ``record_every`` steps.
    Band errors are read in the bands between consecutive ``edges`` (Hz, up to ``rate / 4``);
    the bands whose lower edge is at least ``high_from_hz`` are "the high bands".
    ``nperseg`` is the spectrograms' window length.
    Paper preset: one second at 16 kHz, 3 × 256 networks, 256 features, 5000 steps, five
    seeds (the sizes of Sitzmann et al.'s audio fits are not matched: theirs is a 5 × 256
    SIREN with a first-layer ω0 of 3000 on a few seconds of music).
    """

    rate: int = 8000
    duration: float = 0.25
    chord: tuple[float, ...] = (55.0, 138.59, 329.63, 659.26)
    chord_amplitude: float = 0.25
    chirp: tuple[float, float] = (30.0, 1800.0)
    chirp_amplitude: float = 0.3
    burst_frequency: float = 1400.0
    burst_time: float = 0.6
    burst_width: float = 0.002
    burst_amplitude: float = 0.8
    signal_seed: int = 0
    hidden: tuple[int, ...] = (64, 64, 64)
    steps: int = 2000
    record_every: int = 250
    lr_relu: float = 1e-2
    lr_ff: float = 1e-3
    lr_siren: float = 1e-4
    n_features: int = 64
    ff_sigma_hz: float = 2000.0 / 3
    ff_wide_sigma_hz: float = 1200.0
    weight_f_ref: float = 125.0
    weight_power: float = 2.0
    seeds: tuple[int, ...] = (0, 1, 2)
    edges: tuple[float, ...] = (0.0, 125.0, 250.0, 500.0, 1000.0, 2000.0)
    high_from_hz: float = 1000.0
    nperseg: int = 128


PRESETS.add(
    "audio",
    book=AudioConfig(),
    paper_changes={
        "rate": 16_000, "duration": 1.0, "chirp": (30.0, 3600.0), "burst_frequency": 2800.0,
        "hidden": (256, 256, 256), "steps": 5000, "record_every": 500, "n_features": 256,
        "ff_sigma_hz": 4000.0 / 3, "ff_wide_sigma_hz": 2400.0, "seeds": (0, 1, 2, 3, 4),
        "edges": (0.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0), "high_from_hz": 2000.0, "nperseg": 256,
    },
)

#: The guards' thresholds of the chapter's claims, fixed before the runs.
THRESHOLDS = {
    "saturated": Threshold(
        0.95, "a band whose error is at least 0.95 is missed whole (less than 5% of its energy recovered); "
        "between two such bands the order is noise, so 'rises with frequency' asks e_(b+1) > e_b unless both "
        "are missed (this book's choice)"),
    "missed": Threshold(
        0.5, "'misses the high bands': the residual holds more than half of every high band's energy "
        "(this book's choice)"),
    "fit": Threshold(
        0.05, "'fits' a band: less than 5% of its energy left in the residual on the training samples "
        "(this book's choice, the complement of 'saturated')"),
    "remedy_gain": Threshold(
        0.1, "a remedy 'recovers' a high band when it lowers that band's error by at least 0.1, a tenth of "
        "the band's energy (this book's choice; Jiang et al. (2021) and Czarnecki et al. (2017) give no "
        "band-error figure for 1-D signals)"),
}


def _method_network(cfg: AudioConfig, method: str) -> str:
    if method == "ff":
        return f"gauss:{cfg.ff_sigma_hz * cfg.duration:g}"
    if method == "ff-wide":
        return f"gauss:{cfg.ff_wide_sigma_hz * cfg.duration:g}"
    return {"relu": "none", "relu-weighted": "none", "siren": "siren"}[method]


def _lr(cfg: AudioConfig, method: str) -> float:
    return {"ff": cfg.lr_ff, "ff-wide": cfg.lr_ff, "siren": cfg.lr_siren}.get(method, cfg.lr_relu)


def grid(cfg: AudioConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The clip of ``cfg``: times ``t`` (s), the network coordinate ``x = n / N`` and the samples.

    Parameters
    ----------
    cfg : AudioConfig
        The clip's fields.

    Returns
    -------
    t, x, s : numpy.ndarray, shape (N,)

    Raises
    ------
    TypeError
        If ``cfg`` is not an :class:`AudioConfig`.
    ValueError
        If a component lies at or above ``rate / 4`` or a field is invalid.

    Examples
    --------
    >>> t, x, s = grid(AudioConfig())
    >>> s.shape, float(x[1])
    ((2000,), 0.0005)
    """
    results.check_type(cfg, (AudioConfig,), __name__)
    top = max(max(cfg.chord), max(cfg.chirp), cfg.burst_frequency)
    if top >= cfg.rate / 4:
        raise ValueError(f"the clip's components must lie below rate / 4 = {cfg.rate / 4:g} Hz "
                         f"(the Nyquist frequency of the even samples), got {top:g} Hz")
    t, s = datasets.audio_clip(
        cfg.rate, cfg.duration, chord=cfg.chord, chord_amplitude=cfg.chord_amplitude, chirp=cfg.chirp,
        chirp_amplitude=cfg.chirp_amplitude, burst_frequency=cfg.burst_frequency, burst_time=cfg.burst_time,
        burst_width=cfg.burst_width, burst_amplitude=cfg.burst_amplitude, seed=cfg.signal_seed)
    return t, np.arange(t.size) / t.size, s


def interpolation_baselines(t, s) -> dict[str, np.ndarray]:
    """Reconstruct the odd samples of ``s`` from the even ones, without learning.

    Parameters
    ----------
    t, s : array_like, shape (N,)
        Times and samples (``N >= 4``).

    Returns
    -------
    dict
        ``"linear"`` (:func:`numpy.interp`) and ``"cubic"`` (a not-a-knot
        :class:`scipy.interpolate.CubicSpline` through the even samples), each ``(N,)``,
        equal to ``s`` on the even samples. For even ``N`` the last sample lies beyond the last
        even one: linear interpolation holds the last even value there, the spline extrapolates.

    Raises
    ------
    ValueError
        If the arrays are not finite 1-D arrays of one length ``N >= 4``.

    Examples
    --------
    >>> t = np.arange(8) / 8.0
    >>> interpolation_baselines(t, 2 * t)["linear"].round(3).tolist()[:4]
    [0.0, 0.25, 0.5, 0.75]
    """
    t = validation.as_finite_array("t", t, ndim=1)
    s = validation.as_finite_array("s", s, ndim=1)
    if t.shape != s.shape or t.size < 4:
        raise ValueError(f"t and s must have one length N >= 4, got {t.shape} and {s.shape}")
    out = {}
    lin = s.copy()
    lin[1::2] = np.interp(t[1::2], t[::2], s[::2])
    out["linear"] = lin
    out["cubic"] = CubicSpline(t[::2], s[::2])(t)
    return out


def _train(cfg: AudioConfig, method: str, x_in: np.ndarray, y: np.ndarray, seed: int) -> dict:
    """Train one network of ``method`` on the even samples; predictions on the whole grid over training."""
    net = networks.build(_method_network(cfg, method), x_in.shape[1], cfg.hidden, 1, seed)
    X_all = torch.tensor(x_in, dtype=torch.float32)
    X, Y = X_all[::2], torch.tensor(y[::2], dtype=torch.float32)
    weights = None
    if method == "relu-weighted":
        weights = spectra.frequency_weights(Y.shape[0], cfg.rate / 2, cfg.weight_f_ref, cfg.weight_power)
    opt = torch.optim.Adam(net.parameters(), lr=_lr(cfg, method))
    preds, mse, pieces = [], [], []
    marks = set(range(0, cfg.steps, cfg.record_every)) | {cfg.steps}
    for step in range(cfg.steps + 1):
        if step in marks:
            with torch.no_grad():
                preds.append(net(X_all)[:, 0].double().numpy())
            if method.startswith("relu") and step in (0, cfg.steps):
                pieces.append(cpwl.count_regions_1d(net, (0.0, 1.0), linear=True))
        if step == cfg.steps:
            break
        opt.zero_grad()
        r = net(X)[:, 0] - Y
        loss = (r**2).mean() if weights is None else spectra.weighted_spectral_loss(r, weights)
        loss.backward()
        opt.step()
        if not torch.isfinite(loss):
            raise ValueError(f"{method} (seed {seed}) diverged at step {step}")
        if step in marks:
            mse.append(float((r.detach() ** 2).mean()))
    with torch.no_grad():
        mse.append(float(((net(X)[:, 0] - Y) ** 2).mean()))
    return {"predictions": np.stack(preds), "mse": np.array(mse), "pieces": np.array(pieces),
            "n_params": sum(p.numel() for p in net.parameters())}


def _compute(cfg: AudioConfig) -> dict:
    seeds = validation.check_seeds(cfg.seeds)
    validation.check_positive_int("steps", cfg.steps)
    validation.check_positive_int("record_every", cfg.record_every)
    t, x, s = grid(cfg)
    edges = np.asarray(cfg.edges, dtype=np.float64)
    if edges[-1] > cfg.rate / 4:
        raise ValueError(f"the last band edge must be at most rate / 4 = {cfg.rate / 4:g} Hz")
    spectra.band_energy(s, cfg.rate, edges)  # validates the edges
    arrays = {"t": t, "x": x, "signal": s,
              "steps": np.array(sorted(set(range(0, cfg.steps, cfg.record_every)) | {cfg.steps}))}
    for name, rec in interpolation_baselines(t, s).items():
        arrays[f"baseline/{name}"] = rec
    for m in METHODS:
        runs = []
        for seed in seeds:
            x_in = networks.encode(_method_network(cfg, m), x[:, None], octaves=1, n_features=cfg.n_features,
                                   seed=seed)
            runs.append(_train(cfg, m, x_in, s, seed))
        arrays[f"{m}/predictions"] = np.stack([r["predictions"] for r in runs], axis=1)  # (n_rec, S, N)
        arrays[f"{m}/mse"] = np.stack([r["mse"] for r in runs], axis=1)
        arrays[f"{m}/n_params"] = np.array(runs[0]["n_params"])
        if m.startswith("relu"):
            arrays[f"{m}/pieces"] = np.stack([r["pieces"] for r in runs], axis=1)  # (2, S): init, trained
    return arrays


@dataclasses.dataclass(frozen=True)
class AudioResult:
    """The fits of the clip.

    Attributes
    ----------
    config : AudioConfig
        The config that produced it.
    t, x, signal : numpy.ndarray, shape (N,)
        Times (s), network coordinates and the clip.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps (predictions at step ``k`` before that step's update; the last after
        training).
    predictions : dict of str to numpy.ndarray
        Per method of ``METHODS``, the predictions on the whole grid, ``(n_rec, S, N)``.
    mse : dict of str to numpy.ndarray
        Per method, the mean squared error on the training samples at the recorded steps,
        ``(n_rec, S)`` (for the weighted arm too, whose loss differs).
    n_params : dict of str to int
        Trainable parameters of each method's network.
    pieces : dict of str to numpy.ndarray
        For the two ReLU arms, the linear pieces on ``[0, 1]`` at initialisation and after
        training, ``(2, S)``.
    baselines : dict of str to numpy.ndarray
        :func:`interpolation_baselines` of the clip.
    """

    config: AudioConfig
    t: np.ndarray
    x: np.ndarray
    signal: np.ndarray
    steps: np.ndarray
    predictions: dict
    mse: dict
    n_params: dict
    pieces: dict
    baselines: dict

    def final(self, method: str) -> np.ndarray:
        """The trained predictions of ``method`` on the whole grid, ``(S, N)``."""
        if method not in self.predictions:
            raise ValueError(f"method must be one of {list(self.predictions)}, got {method!r}")
        return self.predictions[method][-1]

    def band_errors(self, method: str, *, on: str = "all") -> np.ndarray:
        """Band errors of ``method`` (a method or a baseline) in the config's bands.

        Parameters
        ----------
        method : str
            One of ``METHODS`` or ``BASELINES``.
        on : {"all", "train"}, default "all"
            ``"all"``: the whole grid at ``rate`` (the odd samples held out); ``"train"``:
            the even samples at ``rate / 2``.

        Returns
        -------
        numpy.ndarray, shape (S, B) for a method, (B,) for a baseline.
        """
        if on not in ("all", "train"):
            raise ValueError(f"on must be 'all' or 'train', got {on!r}")
        pred = self.baselines[method] if method in self.baselines else self.final(method)
        if on == "all":
            return spectra.band_errors(self.signal, pred, self.config.rate, self.config.edges)
        return spectra.band_errors(self.signal[::2], pred[..., ::2], self.config.rate / 2, self.config.edges)

    def band_errors_over_training(self, method: str) -> np.ndarray:
        """Band errors on the whole grid at every recorded step, ``(n_rec, S, B)``."""
        if method not in self.predictions:
            raise ValueError(f"method must be one of {list(self.predictions)}, got {method!r}")
        return np.stack([spectra.band_errors(self.signal, p, self.config.rate, self.config.edges)
                         for p in self.predictions[method]])

    def high_bands(self) -> np.ndarray:
        """Indices of the bands whose lower edge is at least ``high_from_hz``."""
        return np.flatnonzero(np.asarray(self.config.edges[:-1]) >= self.config.high_from_hz)


def _from_arrays(cfg: AudioConfig, a: dict) -> AudioResult:
    return AudioResult(
        config=cfg, t=a["t"], x=a["x"], signal=a["signal"], steps=a["steps"],
        predictions={m: a[f"{m}/predictions"] for m in METHODS},
        mse={m: a[f"{m}/mse"] for m in METHODS},
        n_params={m: int(a[f"{m}/n_params"]) for m in METHODS},
        pieces={m: a[f"{m}/pieces"] for m in METHODS if f"{m}/pieces" in a},
        baselines={b: a[f"baseline/{b}"] for b in BASELINES},
    )


def run_audio(cfg: AudioConfig, *, device=None, use_cache: bool = True,
              progress: bool = False) -> AudioResult:
    """Fit the clip of ``cfg`` with every method of ``METHODS``, one network per seed.

    Parameters
    ----------
    cfg : AudioConfig
        The clip (its chord, chirp and burst), the networks, their learning rates and the seeds.
    device, use_cache, progress
        As for this module's ``run``; the networks train on the CPU only; ``progress`` has no
        effect.

    Returns
    -------
    AudioResult
        The clip, and every method's reconstruction and band errors per seed and record.

    Raises
    ------
    TypeError
        If ``cfg`` is not an :class:`AudioConfig`.
    ValueError
        If a field is invalid (a size, seed or learning rate) or a network's loss diverges.

    Examples
    --------
    >>> cfg = dataclasses.replace(AudioConfig(), hidden=(8,), steps=4, record_every=2, seeds=(0,))
    >>> res = run_audio(cfg, use_cache=False)
    >>> res.predictions["siren"].shape, res.band_errors("cubic").shape
    ((3, 1, 2000), (5,))
    """
    results.check_type(cfg, (AudioConfig,), __name__)
    if device is not None and str(device) != "cpu":
        raise ValueError(f"{__name__} trains on the CPU, got device={device!r}")
    return results.cached_run("audio", cfg, lambda: _compute(cfg), _from_arrays, use_cache=use_cache,
                              device="cpu")


run = results.runner(
    __name__, {AudioConfig: run_audio}, returns="AudioResult", cpu_only=True,
    what="The fits of the clip (:func:`run_audio`).")
