"""One-dimensional targets of Rahaman et al.'s Exp1, Exp2 and Exp7, and their summaries.

Targets live on the grid ``x_n = n/N`` (``n = 0..N-1``) of [0, 1), the grid on which
:func:`spectral_lib.fourier.normalised_amplitudes` reads integer frequencies without
leakage:

* Exp1/Exp2: the sinusoid mixture ``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)`` with phases
  ``φ_i ~ U(0, 2π)`` drawn afresh for every run (seed), and amplitudes either all equal
  (setting ``"equal"``) or rising, ``A_i = 0.1·i`` (setting ``"increasing"``);
* Exp7: the sampled δ, a single 1 at ``x = 0.5`` and 0 elsewhere, whose spectrum is flat.

Summaries used by the chapters: the first recorded step at which a normalised amplitude
reaches a threshold (:func:`steps_to_threshold`), Spearman's rank correlation that treats
"never reached" as the latest rank (:func:`spearman_rho`), and the retained amplitude of a
perturbed model (:func:`retained_amplitude`). The experiment runners (:func:`run_exp1`,
:func:`run_exp2`, :func:`run_exp7`) train through :mod:`spectral_lib.train` and store
their results in the results cache, so a chapter is a handful of short calls::

    from spectral_lib import configs, targets
    res = targets.run_exp1(configs.get("exp1"))
    res.amplitudes["equal"].shape        # (n_records, n_seeds, n_freqs)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

SETTINGS: tuple[str, ...] = ("equal", "increasing")


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"seeds must be non-negative integers, got {value!r}")
    return int(value)


def _finite_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    arr = np.asarray(value)
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _frequencies(freqs, n_points: int | None = None) -> np.ndarray:
    k = _finite_array("freqs", freqs, ndim=1)
    if k.size == 0 or not np.all(np.round(k) == k) or np.any(k < 1):
        raise ValueError(f"freqs must be a non-empty sequence of positive integers, got {freqs!r}")
    if n_points is not None and np.any(k >= n_points // 2):
        raise ValueError(f"freqs must be below N/2 = {n_points // 2} to be read without aliasing")
    return k.astype(int)


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


def unit_grid(n_points: int = 200) -> np.ndarray:
    """The sampling grid ``x_n = n / N``, ``n = 0..N-1``, of [0, 1) (endpoint excluded).

    Parameters
    ----------
    n_points : int, default 200
        ``N``, at least 2.

    Returns
    -------
    numpy.ndarray, shape (N,)
        float64 grid.

    Raises
    ------
    ValueError
        If ``n_points`` is not an integer ≥ 2.

    Examples
    --------
    >>> unit_grid(4)
    array([0.  , 0.25, 0.5 , 0.75])
    """
    n = _positive_int("n_points", n_points)
    if n < 2:
        raise ValueError("n_points must be at least 2")
    return np.arange(n, dtype=np.float64) / n


def amplitude_profile(setting: str, n_freqs: int) -> np.ndarray:
    """Exp1's amplitudes: all ones (``"equal"``) or ``A_i = 0.1·i`` (``"increasing"``).

    Parameters
    ----------
    setting : {"equal", "increasing"}
        Rahaman et al.'s setting (a) or (b).
    n_freqs : int
        Number of components.

    Returns
    -------
    numpy.ndarray, shape (n_freqs,)
        The amplitudes ``A_i``.

    Raises
    ------
    ValueError
        If ``setting`` is unknown or ``n_freqs`` is not a positive integer.

    Examples
    --------
    >>> amplitude_profile("increasing", 3)
    array([0.1, 0.2, 0.3])
    """
    n = _positive_int("n_freqs", n_freqs)
    if setting == "equal":
        return np.ones(n)
    if setting == "increasing":
        return 0.1 * np.arange(1, n + 1, dtype=np.float64)
    raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")


def random_phases(n_freqs: int, seed: int) -> np.ndarray:
    """Phases ``φ_i ~ U(0, 2π)``, one per component, from a private generator.

    Parameters
    ----------
    n_freqs : int
        Number of components.
    seed : int
        Non-negative seed; a run's phases are a function of its seed only.

    Returns
    -------
    numpy.ndarray, shape (n_freqs,)
        Phases in [0, 2π).

    Raises
    ------
    ValueError
        If ``n_freqs`` is not positive or ``seed`` is negative.

    Examples
    --------
    >>> p = random_phases(10, seed=0)
    >>> bool(np.all((p >= 0) & (p < 2 * np.pi)))
    True
    """
    n = _positive_int("n_freqs", n_freqs)
    return np.random.default_rng(_seed(seed)).uniform(0.0, 2 * np.pi, size=n)


def sinusoid_mixture(x, freqs, amplitudes, phases) -> np.ndarray:
    """``λ(x) = Σ_i A_i sin(2π k_i x + φ_i)``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Points.
    freqs : array_like, shape (m,)
        Frequencies ``k_i`` in cycles per unit interval (any real values here).
    amplitudes, phases : array_like, broadcastable to (..., m)
        ``A_i`` and ``φ_i``; leading axes give several targets at once.

    Returns
    -------
    numpy.ndarray, shape (..., N)
        The target(s) at ``x``.

    Raises
    ------
    ValueError
        If an input is not finite or the shapes do not broadcast.

    Examples
    --------
    >>> sinusoid_mixture([0.25], [1], [2.0], [0.0])
    array([2.])
    """
    x = _finite_array("x", x, ndim=1)
    k = _finite_array("freqs", freqs, ndim=1)
    a = _finite_array("amplitudes", amplitudes)
    p = _finite_array("phases", phases)
    try:
        a, p = np.broadcast_arrays(a, p)
        a = np.broadcast_to(a, a.shape[:-1] + k.shape) if a.ndim else np.broadcast_to(a, k.shape)
        p = np.broadcast_to(p, a.shape)
    except ValueError as err:
        raise ValueError(f"amplitudes and phases must broadcast to (..., {k.size}): {err}") from None
    arg = 2 * np.pi * k[:, None] * x[None, :] + p[..., None]
    return np.sum(a[..., None] * np.sin(arg), axis=-2)


def exp1_targets(freqs, setting: str, seeds: Sequence[int], n_points: int = 200) -> dict:
    """Exp1's targets for one amplitude setting, one per seed (phases drawn per seed).

    Parameters
    ----------
    freqs : sequence of int
        The frequencies ``k_i`` (Rahaman et al.: 5, 10, ..., 50), below ``N/2``.
    setting : {"equal", "increasing"}
        Amplitude setting, see :func:`amplitude_profile`.
    seeds : sequence of int
        One run per seed; run ``s`` has phases ``random_phases(m, seed=s)``.
    n_points : int, default 200
        Grid size ``N``.

    Returns
    -------
    dict
        ``x`` (N,), ``y`` (S, N), ``freqs`` (m,), ``amplitudes`` (m,), ``phases`` (S, m).

    Raises
    ------
    ValueError
        On an unknown setting, invalid frequencies or seeds, or an empty seed list.

    Examples
    --------
    >>> t = exp1_targets([5, 10], "equal", seeds=[0, 1])
    >>> t["y"].shape
    (2, 200)
    """
    x = unit_grid(n_points)
    k = _frequencies(freqs, len(x))
    seeds = [_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    amps = amplitude_profile(setting, k.size)
    phases = np.stack([random_phases(k.size, s) for s in seeds])
    y = sinusoid_mixture(x, k, amps, phases)
    return {"x": x, "y": y, "freqs": k, "amplitudes": amps, "phases": phases}


def delta_target(n_points: int = 200, at: float = 0.5) -> np.ndarray:
    """The sampled δ of Exp7: 1 at the grid point ``x = at`` and 0 elsewhere.

    Its discrete spectrum ``|FFT(y)|/N`` is flat, ``1/N`` in every bin.

    Parameters
    ----------
    n_points : int, default 200
        Grid size ``N``.
    at : float, default 0.5
        Location; must be a grid point ``n/N`` of [0, 1).

    Returns
    -------
    numpy.ndarray, shape (N,)
        The samples.

    Raises
    ------
    ValueError
        If ``at`` is not a grid point of [0, 1).

    Examples
    --------
    >>> y = delta_target(200)
    >>> float(y.sum()), int(np.argmax(y))
    (1.0, 100)
    """
    x = unit_grid(n_points)
    at = float(at)
    idx = int(round(at * len(x)))
    if not (0.0 <= at < 1.0) or not np.isclose(idx / len(x), at, rtol=0, atol=1e-12):
        raise ValueError(f"at={at!r} must be a grid point n/{len(x)} of [0, 1)")
    y = np.zeros_like(x)
    y[idx] = 1.0
    return y


# ---------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------


def steps_to_threshold(steps, values, threshold: float) -> np.ndarray:
    """First recorded step at which each series reaches ``threshold`` (``inf`` if never).

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Recorded values (e.g. normalised amplitudes, ``(n_rec, n_seeds, n_freqs)``).
    threshold : float
        Level to reach (``values >= threshold``).

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        The first step with ``values >= threshold``, as float; ``numpy.inf`` where the
        threshold is never reached within the record (a right-censored time, not a NaN).

    Raises
    ------
    ValueError
        If the shapes disagree, steps are not strictly increasing, or an input is not finite.

    Examples
    --------
    >>> steps_to_threshold([0, 100, 200], [[0.1, 0.0], [0.95, 0.2], [0.99, 0.3]], 0.9)
    array([100.,  inf])
    """
    s = _finite_array("steps", steps, ndim=1)
    v = _finite_array("values", values)
    thr = float(threshold)
    if not np.isfinite(thr):
        raise ValueError("threshold must be finite")
    if v.ndim == 0 or v.shape[0] != s.size or s.size == 0:
        raise ValueError(f"values must have shape ({s.size}, ...), got {v.shape}")
    if np.any(np.diff(s) <= 0):
        raise ValueError("steps must be strictly increasing")
    hit = v >= thr
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), s[first], np.inf)


def mean_time_to_threshold(steps, values, thresholds=None) -> np.ndarray:
    """Steps-to-threshold averaged over thresholds, each censored at the last recorded step.

    ``τ̄ = mean_u min(τ_u, T)`` over thresholds ``u`` (default 0.05, 0.10, ..., 1.00), where
    ``τ_u`` is :func:`steps_to_threshold` and ``T = steps[-1]``. Unlike a single threshold it
    keeps ordering frequencies that none of the runs brought to that threshold: a component
    stuck at 0.6 counts as learned later than one stuck at 0.8.

    Parameters
    ----------
    steps : array_like, shape (n_rec,)
        Strictly increasing recorded steps.
    values : array_like, shape (n_rec, ...)
        Recorded values, e.g. normalised amplitudes.
    thresholds : array_like, optional
        Finite thresholds (default ``0.05 .. 1.0`` in steps of 0.05).

    Returns
    -------
    numpy.ndarray, shape values.shape[1:]
        ``τ̄`` as float, in ``[steps[0], steps[-1]]``.

    Raises
    ------
    ValueError
        As :func:`steps_to_threshold`, or if ``thresholds`` is empty or not finite.

    Examples
    --------
    >>> mean_time_to_threshold([0, 10, 20], [[0.0], [0.5], [1.0]], thresholds=[0.5, 1.0])
    array([15.])
    >>> mean_time_to_threshold([0, 10, 20], [[0.0], [0.5], [0.6]], thresholds=[0.5, 1.0])
    array([15.])
    """
    u = np.arange(1, 21) * 0.05 if thresholds is None else _finite_array("thresholds", thresholds, ndim=1)
    if u.size == 0:
        raise ValueError("thresholds must not be empty")
    s = _finite_array("steps", steps, ndim=1)
    horizon = s[-1] if s.size else 0.0
    times = [np.minimum(steps_to_threshold(s, values, float(t)), horizon) for t in u]
    return np.mean(times, axis=0)


def spearman_rho(a, b) -> float:
    """Spearman's rank correlation, with ties given their average rank.

    ``inf`` entries are allowed and rank above every finite value (a threshold never reached
    counts as the latest), and tie with each other.

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Paired observations, ``n ≥ 2``; no NaN.

    Returns
    -------
    float
        The Pearson correlation of the ranks, in [-1, 1].

    Raises
    ------
    ValueError
        If the lengths differ, ``n < 2``, an entry is NaN, or a series is constant (its
        rank correlation is undefined).

    Examples
    --------
    >>> spearman_rho([1, 2, 3, 4], [10, 20, np.inf, np.inf])
    0.9486832980505138
    """
    from scipy.stats import rankdata

    xa = np.asarray(a, dtype=np.float64)
    xb = np.asarray(b, dtype=np.float64)
    if xa.ndim != 1 or xa.shape != xb.shape or xa.size < 2:
        raise ValueError("a and b must be 1-D of equal length ≥ 2")
    if np.any(np.isnan(xa)) or np.any(np.isnan(xb)):
        raise ValueError("a and b must not contain NaN")
    ra, rb = rankdata(xa), rankdata(xb)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt(np.sum(ra**2) * np.sum(rb**2))
    if den == 0:
        raise ValueError("Spearman's rho is undefined for a constant series")
    return float(np.sum(ra * rb) / den)


def retained_amplitude(perturbed, reference, freqs) -> np.ndarray:
    """Exp2's retained amplitude: mean over samples of ``|F[k]|``, over the model's own ``|F[k]|``.

    This is what the official notebook computes (the mean of the magnitudes, normalised by
    the trained model's spectrum, not by the target amplitude); the paper's text writes the
    magnitude of the mean.

    Parameters
    ----------
    perturbed : array_like, shape (..., n_samples, N)
        Predictions of perturbed models on the grid of [0, 1).
    reference : array_like, shape (N,)
        Predictions of the unperturbed model on the same grid.
    freqs : sequence of int
        Frequencies to read, in ``1..N/2-1``.

    Returns
    -------
    numpy.ndarray, shape (..., m)
        Retained fraction at each frequency (1 at δ = 0).

    Raises
    ------
    ValueError
        If the grids differ, a value is not finite, or the model's own amplitude at a
        requested frequency is zero to round-off (below ``1e-12·max|reference|``).

    Examples
    --------
    >>> x = unit_grid(200)
    >>> ref = np.sin(2 * np.pi * 5 * x)
    >>> retained_amplitude(np.stack([0.5 * ref, 1.5 * ref]), ref, [5])
    array([1.])
    """
    from .fourier import dft_amplitudes

    p = _finite_array("perturbed", perturbed)
    r = _finite_array("reference", reference, ndim=1)
    if p.ndim < 2 or p.shape[-1] != r.size:
        raise ValueError(f"perturbed must have shape (..., n_samples, {r.size}), got {p.shape}")
    k = _frequencies(freqs, r.size)
    own = dft_amplitudes(r)[k]
    if np.any(own <= 1e-12 * max(float(np.max(np.abs(r))), np.finfo(float).tiny)):
        raise ValueError("the reference model has (numerically) zero amplitude at a requested frequency")
    return dft_amplitudes(p)[..., k].mean(axis=-2) / own


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


# Values read off the official notebooks' figures (approximate; rahaman2019 notes §2):
# steps for the normalised amplitude to reach ~0.9 (60k steps, 20 runs, w = 256, lr 3e-4),
# and Exp2's retained amplitude at δ = 5 (≈ 0.27‖θ*‖).
NOTEBOOK_STEPS_TO_09: dict[str, dict[int, str]] = {
    "equal": {5: "< 1k", 10: "~7k", 15: "~15k", 20: "~20–25k", 25: "~30k", 30: "~35–40k",
              35: "not reached", 40: "not reached", 45: "not reached", 50: "not reached"},
    "increasing": {5: "—", 10: "~4k", 15: "~10k", 20: "~18k", 25: "~30k", 30: "~40k",
                   35: "—", 40: "—", 45: "~60k (0.85–0.9)", 50: "~60k (0.85–0.9)"},
}
NOTEBOOK_RETAINED_AT_MAX: dict[int, str] = {
    5: "≈ 1", 10: "≈ 1", 15: "≈ 0.75", 20: "≈ 0.55", 25: "≈ 0.4", 30: "≈ 0.3", 35: "≈ 0.25",
    40: "≈ 0.15–0.2", 45: "≈ 0.15–0.2", 50: "≈ 0.15–0.2",
}


# ---------------------------------------------------------------------------------------
# Experiment runners
# ---------------------------------------------------------------------------------------


def _models_from_params(hidden: Sequence[int], flat: np.ndarray) -> list:
    """Rebuild ``relu_mlp(1, hidden)`` models from rows of flattened parameters."""
    import torch

    from .nets import relu_mlp

    models = []
    for row in np.atleast_2d(flat):
        net = relu_mlp(1, list(hidden))
        sizes = [p.numel() for p in net.parameters()]
        if sum(sizes) != row.size:
            raise ValueError(f"{row.size} stored parameters do not fit a 1 -> {list(hidden)} -> 1 network")
        with torch.no_grad():
            for p, chunk in zip(net.parameters(), np.split(row, np.cumsum(sizes)[:-1]), strict=True):
                p.copy_(torch.as_tensor(chunk.reshape(p.shape), dtype=p.dtype))
        models.append(net)
    return models


def _flat_params(models) -> np.ndarray:
    return np.stack(
        [np.concatenate([p.detach().cpu().double().numpy().ravel() for p in m.parameters()]) for m in models]
    )


def _check_config(cfg, fields: Sequence[str], kind: str) -> None:
    missing = [f for f in fields if not hasattr(cfg, f)]
    if missing:
        raise TypeError(f"expected an {kind} config (configs.get({kind.lower()!r})), missing {missing}")


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
        return steps_to_threshold(self.steps, values, threshold)

    def mean_time(self, setting: str) -> np.ndarray:
        """:func:`mean_time_to_threshold` of the run-averaged amplitudes, shape ``(m,)``."""
        return mean_time_to_threshold(self.steps, self.mean_amplitudes(setting))

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
    (:func:`spectral_lib.train.train_full_batch`), recording the predictions on the grid
    and the layers' spectral norms every ``cfg.record_every`` steps.

    Parameters
    ----------
    cfg : Exp1Config
        ``configs.get("exp1")`` (or another profile's preset).
    progress : bool, default True
        Progress bar while training (silent under ``TQDM_DISABLE=1``).
    use_cache : bool, default True
        Load the result from / store it in the results cache, keyed by ``cfg``.
    device : str or torch.device, optional
        Training device (default: CUDA if available, else CPU).

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
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> cfg = dataclasses.replace(configs.get("exp1", "book"), hidden=(8,), steps=20, n_runs=1,
    ...                           record_every=10, snapshots=(0,))
    >>> res = run_exp1(cfg, progress=False, use_cache=False)
    >>> res.amplitudes["equal"].shape
    (3, 1, 10)
    """
    _check_config(cfg, ("hidden", "lr", "steps", "n_runs", "record_every", "freqs", "n_points", "settings"),
                  "Exp1")
    return _cached("exp1", cfg, lambda: _compute_exp1(cfg, progress, device), use_cache, _exp1_from_arrays)


def _compute_exp1(cfg, progress, device) -> dict:
    import torch

    from .fourier import normalised_amplitudes
    from .nets import relu_mlp
    from .train import PredictionRecorder, SpectralNormRecorder, train_full_batch

    settings = tuple(cfg.settings)
    if not settings or len(set(settings)) != len(settings):
        raise ValueError(f"settings must be distinct names from {SETTINGS}, got {settings!r}")
    n_runs = _positive_int("n_runs", cfg.n_runs)
    seeds = list(range(n_runs))
    tg = {s: exp1_targets(cfg.freqs, s, seeds, cfg.n_points) for s in settings}
    x = tg[settings[0]]["x"]
    y = np.concatenate([tg[s]["y"] for s in settings])
    models = [relu_mlp(1, list(cfg.hidden), seed=seed) for _ in settings for seed in seeds]
    hist = train_full_batch(
        models,
        torch.as_tensor(x, dtype=torch.float32)[:, None],
        torch.as_tensor(y, dtype=torch.float32),
        steps=cfg.steps,
        lr=cfg.lr,
        record_every=cfg.record_every,
        recorders=[PredictionRecorder(), SpectralNormRecorder()],
        device=device,
        progress=progress,
    )
    flat = _flat_params(hist.models)
    first = tg[settings[0]]
    arrays = {"steps": hist.steps, "x": x, "freqs": first["freqs"], "phases": first["phases"]}
    for j, s in enumerate(settings):
        sl = slice(j * n_runs, (j + 1) * n_runs)
        preds = hist.predictions[:, sl].astype(np.float64)
        arrays[f"{s}/target_amplitudes"] = tg[s]["amplitudes"]
        arrays[f"{s}/targets"] = tg[s]["y"]
        arrays[f"{s}/predictions"] = preds
        arrays[f"{s}/amplitudes"] = normalised_amplitudes(preds, tg[s]["freqs"], tg[s]["amplitudes"])
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


@dataclass(frozen=True)
class Exp2Result:
    """Exp2's perturbation sweep of the trained equal-amplitude models.

    Attributes
    ----------
    config : Exp2Config
        The config that produced it.
    freqs : numpy.ndarray, shape (m,)
        Frequencies read.
    theta_norms : numpy.ndarray, shape (M,)
        ``‖θ*‖`` (all weights and biases) of each of the ``M`` trained models.
    init_norms : numpy.ndarray, shape (M,)
        ``‖θ_init‖`` of the same models at initialisation (the scale of relative δ).
    deltas : numpy.ndarray, shape (M, n_deltas)
        Perturbation sizes δ used for each model (absolute).
    retained : numpy.ndarray, shape (M, n_deltas, m)
        Retained amplitude (see :func:`retained_amplitude`) per model, δ and frequency.
    own_amplitudes : numpy.ndarray, shape (M, m)
        Each trained model's own normalised amplitude ``2|F[k_i]|/A_i`` (the denominators).
    """

    config: object
    freqs: np.ndarray
    theta_norms: np.ndarray
    init_norms: np.ndarray
    deltas: np.ndarray
    retained: np.ndarray
    own_amplitudes: np.ndarray

    @property
    def relative_deltas(self) -> np.ndarray:
        """δ / ‖θ_init‖, shape ``(M, n_deltas)``."""
        return self.deltas / self.init_norms[:, None]

    def mean_retained(self) -> np.ndarray:
        """Retained amplitude averaged over the models, ``(n_deltas, m)`` (as the official code)."""
        return self.retained.mean(axis=0)


def run_exp2(cfg, *, exp1: Exp1Result | None = None, progress: bool = True, use_cache: bool = True,
             device=None) -> Exp2Result:
    """Perturb Exp1's trained equal-amplitude models and measure the retained amplitudes.

    Model ``i`` (trained parameters ``θ*``) is evaluated at ``θ* + δ·u`` for ``cfg.n_samples``
    directions ``u`` uniform on the unit sphere of all parameters, at ``cfg.n_deltas``
    values of δ evenly spaced in ``[0, δ_max]``, where ``δ_max = cfg.delta_max`` or, when
    ``cfg.delta_relative``, ``cfg.delta_max·‖θ_init‖`` with ``θ_init`` the model's own
    initialisation (the paper's δ = 5 is 0.27‖θ_init‖: a perturbation of each parameter by
    about 0.27 times the initial weight scale, whatever the width)
    (:func:`spectral_lib.train.perturbed_predictions`, directions seeded by ``i``).

    Parameters
    ----------
    cfg : Exp2Config
        ``configs.get("exp2")``.
    exp1 : Exp1Result, optional
        The trained models; default ``run_exp1(cfg.train)`` (served by the results cache
        when the Exp1 chapter ran with the same config).
    progress, use_cache, device
        As in :func:`run_exp1`.

    Returns
    -------
    Exp2Result
        The sweep.

    Raises
    ------
    TypeError
        If ``cfg`` is not an Exp2 config.
    ValueError
        If ``exp1`` was trained with another config than ``cfg.train`` or has no
        ``"equal"`` setting.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> c1 = dataclasses.replace(configs.get("exp1", "book"), hidden=(8,), steps=10, n_runs=1,
    ...                          snapshots=(0,), settings=("equal",))
    >>> cfg = dataclasses.replace(configs.get("exp2", "book"), train=c1, n_deltas=3, n_samples=2)
    >>> run_exp2(cfg, progress=False, use_cache=False).retained.shape
    (1, 3, 10)
    """
    _check_config(cfg, ("train", "n_deltas", "n_samples", "delta_max", "delta_relative"), "Exp2")
    if exp1 is not None and exp1.config != cfg.train:
        raise ValueError("exp1 was trained with a different config than cfg.train")

    def compute() -> dict:
        res1 = exp1 if exp1 is not None else run_exp1(cfg.train, progress=progress, use_cache=use_cache,
                                                      device=device)
        return _compute_exp2(cfg, res1, device)

    return _cached("exp2", cfg, compute, use_cache, _exp2_from_arrays)


def _compute_exp2(cfg, res1: Exp1Result, device) -> dict:
    import torch

    from .fourier import normalised_amplitudes
    from .train import perturbed_predictions

    if "equal" not in res1.params:
        raise ValueError("Exp2 perturbs the equal-amplitude models; cfg.train.settings lacks 'equal'")
    n_deltas = _positive_int("n_deltas", cfg.n_deltas)
    n_samples = _positive_int("n_samples", cfg.n_samples)
    delta_max = float(cfg.delta_max)
    if not np.isfinite(delta_max) or delta_max <= 0:
        raise ValueError(f"delta_max must be positive and finite, got {cfg.delta_max!r}")
    x = res1.x
    xt = torch.as_tensor(x, dtype=torch.float32)[:, None]
    from .nets import relu_mlp

    norms, init_norms, deltas, retained, own = [], [], [], [], []
    for i, (model, flat) in enumerate(zip(res1.models("equal"), res1.params["equal"], strict=True)):
        norm = float(np.linalg.norm(flat))
        init = float(np.linalg.norm(_flat_params([relu_mlp(1, list(res1.config.hidden), seed=i)])))
        d = np.linspace(0.0, delta_max * (init if cfg.delta_relative else 1.0), n_deltas)
        with torch.no_grad():
            ref = model(xt)[:, 0].double().numpy()
        preds = perturbed_predictions(model, x, d, n_samples, seed=i, device=device)
        norms.append(norm)
        init_norms.append(init)
        deltas.append(d)
        retained.append(retained_amplitude(preds, ref, res1.freqs))
        own.append(normalised_amplitudes(ref, res1.freqs, res1.target_amplitudes["equal"]))
    return {
        "freqs": res1.freqs,
        "theta_norms": np.array(norms),
        "init_norms": np.array(init_norms),
        "deltas": np.stack(deltas),
        "retained": np.stack(retained),
        "own_amplitudes": np.stack(own),
    }


def _exp2_from_arrays(cfg, arrays: dict) -> Exp2Result:
    return Exp2Result(config=cfg, **{k: arrays[k] for k in
                                    ("freqs", "theta_norms", "init_norms", "deltas", "retained",
                                     "own_amplitudes")})


def exp7_settings(cfg) -> list[tuple[str, int, int, float]]:
    """The Exp7 ablation grid as ``(group, depth, width, clip)`` rows.

    ``group`` is ``"depth"`` (depths at ``cfg.depth_width``), ``"width"`` (widths at
    ``cfg.width_depth``) or ``"clip"`` (clips at ``cfg.clip_depth``, ``cfg.clip_width``);
    depth counts Linear layers (a depth-``D`` net has ``D - 1`` hidden layers).

    Parameters
    ----------
    cfg : Exp7Config
        ``configs.get("exp7")``.

    Returns
    -------
    list of tuple
        One row per trained configuration, in the order depth, width, clip.

    Raises
    ------
    TypeError
        If ``cfg`` is not an Exp7 config.
    ValueError
        If a depth is below 2, a width below 1 or a clip not positive.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> exp7_settings(configs.get("exp7", "paper"))[0]
    ('depth', 3, 16, 10.0)
    """
    _check_config(cfg, ("depths", "depth_width", "widths", "width_depth", "clips", "clip_depth",
                        "clip_width", "ablation_clip"), "Exp7")
    rows = [("depth", int(d), int(cfg.depth_width), float(cfg.ablation_clip)) for d in cfg.depths]
    rows += [("width", int(cfg.width_depth), int(w), float(cfg.ablation_clip)) for w in cfg.widths]
    rows += [("clip", int(cfg.clip_depth), int(cfg.clip_width), float(c)) for c in cfg.clips]
    for _, depth, width, clip in rows:
        if depth < 2 or width < 1 or not (np.isfinite(clip) and clip > 0):
            raise ValueError(f"invalid Exp7 setting depth={depth}, width={width}, clip={clip}")
    return rows


@dataclass(frozen=True)
class Exp7Result:
    """Exp7's fits of the sampled δ, one row per ablation setting.

    Attributes
    ----------
    config : Exp7Config
        The config that produced it.
    settings : list of (group, depth, width, clip)
        The rows, as :func:`exp7_settings` lists them.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps.
    loss : numpy.ndarray, shape (n_settings, n_rec, n_runs)
        Training MSE.
    predictions : numpy.ndarray, shape (n_settings, n_runs, N)
        The fitted functions on the grid after training.
    spectra : numpy.ndarray, shape (n_settings, n_runs, N // 2)
        Their discrete spectra ``|FFT|/N``; the δ target's is ``1/N`` in every bin.
    """

    config: object
    settings: list
    steps: np.ndarray
    loss: np.ndarray
    predictions: np.ndarray
    spectra: np.ndarray

    def index(self, group: str, value: float) -> int:
        """Row of the setting of ``group`` (``"depth"``, ``"width"``, ``"clip"``) with that value."""
        col = {"depth": 1, "width": 2, "clip": 3}
        if group not in col:
            raise ValueError(f"group must be one of {sorted(col)}, got {group!r}")
        for i, row in enumerate(self.settings):
            if row[0] == group and np.isclose(row[col[group]], value):
                return i
        raise ValueError(f"no {group} setting with value {value!r}")

    def band_fraction(self, lo: int, hi: int) -> np.ndarray:
        """Mean ``|F[m]|`` over bins ``lo <= m < hi``, relative to the δ's ``1/N``.

        Returns an array ``(n_settings, n_runs)``: 1 means the band of the target is fully
        fitted, 0 that none of it is.
        """
        n_bins = self.spectra.shape[-1]
        ints = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (lo, hi))
        if not (ints and 0 <= lo < hi <= n_bins):
            raise ValueError(f"need integers 0 <= lo < hi <= {n_bins}, got lo={lo!r}, hi={hi!r}")
        return self.spectra[..., lo:hi].mean(axis=-1) * self.predictions.shape[-1]


def run_exp7(cfg, *, progress: bool = True, use_cache: bool = True, device=None) -> Exp7Result:
    """Fit the sampled δ with every network of the Exp7 ablation grid.

    Each distinct ``(depth, width, clip)`` of :func:`exp7_settings` trains ``cfg.n_runs``
    networks ``relu_mlp(1, [width] * (depth - 1), seed=s)`` by full-batch Adam on the MSE
    with every parameter clamped to ``[-clip, clip]`` after each step
    (:func:`spectral_lib.train.train_full_batch`). All settings of one architecture (the
    clip ablation's clips) train as one batched ensemble, each model with its own clip.

    Parameters
    ----------
    cfg : Exp7Config
        ``configs.get("exp7")``.
    progress, use_cache, device
        As in :func:`run_exp1`.

    Returns
    -------
    Exp7Result
        Loss curves, fitted functions and their spectra.

    Raises
    ------
    TypeError
        If ``cfg`` is not an Exp7 config.
    ValueError
        If the config holds invalid values.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> import dataclasses
    >>> cfg = dataclasses.replace(configs.get("exp7", "book"), steps=5, n_runs=1, depths=(3,),
    ...                           widths=(8,), clips=(0.1,), record_every=5)
    >>> run_exp7(cfg, progress=False, use_cache=False).spectra.shape
    (3, 1, 100)
    """
    rows = exp7_settings(cfg)
    return _cached("exp7", cfg, lambda: _compute_exp7(cfg, rows, progress, device), use_cache,
                   lambda c, a: Exp7Result(config=c, settings=rows, **a))


def _compute_exp7(cfg, rows, progress, device) -> dict:
    import torch

    from .fourier import dft_amplitudes
    from .nets import relu_mlp
    from .train import train_full_batch

    n_runs = _positive_int("n_runs", cfg.n_runs)
    x = unit_grid(cfg.n_points)
    y = delta_target(cfg.n_points, cfg.delta_at)
    xt = torch.as_tensor(x, dtype=torch.float32)[:, None]
    yt = torch.as_tensor(y, dtype=torch.float32)[:, None]
    # One ensemble per architecture: settings that differ only in the clip (the clip
    # ablation) train together, each model clamped to its own bound.
    clips_of: dict = {}
    for _, depth, width, clip in rows:
        clips_of.setdefault((depth, width), [])
        if clip not in clips_of[(depth, width)]:
            clips_of[(depth, width)].append(clip)
    done: dict = {}
    for (depth, width), clips in clips_of.items():
        models = [relu_mlp(1, [width] * (depth - 1), seed=s) for _ in clips for s in range(n_runs)]
        bounds = [c for c in clips for _ in range(n_runs)]
        hist = train_full_batch(models, xt, yt, steps=cfg.steps, lr=cfg.lr, clip=bounds,
                                record_every=cfg.record_every, device=device, progress=progress)
        with torch.no_grad():
            preds = np.stack([m.to("cpu")(xt)[:, 0].double().numpy() for m in hist.models])
        for j, clip in enumerate(clips):
            runs = slice(j * n_runs, (j + 1) * n_runs)
            done[(depth, width, clip)] = (hist.steps, hist.loss[:, runs], preds[runs])
    keys = [(d, w, c) for _, d, w, c in rows]
    preds = np.stack([done[k][2] for k in keys])
    return {
        "steps": done[keys[0]][0],
        "loss": np.stack([done[k][1] for k in keys]),
        "predictions": preds,
        "spectra": dft_amplitudes(preds),
    }


def _cached(name: str, cfg, compute: Callable[[], dict], use_cache: bool, build: Callable):
    """Build a result from arrays computed by ``compute`` or served by the results cache.

    The cache (:mod:`spectral_lib.cache`) keys the entry by ``name``, the config, the library
    version and a hash of the library's sources, so a changed config or code recomputes.
    """
    if not use_cache:
        return build(cfg, compute())
    from .cache import cached

    return build(cfg, cached(name, cfg, compute))
