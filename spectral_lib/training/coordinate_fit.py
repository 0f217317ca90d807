"""Coordinate networks fitted to pixels: one encoding, several knobs and seeds, trained together.

The methods of a comparison of coordinate encodings (Tancik et al. 2020), with their knob:

- ``"none"``: raw coordinates into a ReLU MLP (no knob);
- ``"posenc"``: the positional encoding with ``L = knob`` octaves into a ReLU MLP;
- ``"gauss"``: Gaussian Fourier features of scale ``σ = knob`` into a ReLU MLP;
- ``"siren"``: a SIREN of frequency factor ``ω₀ = knob`` on coordinates mapped to ``[-1, 1)``.

:func:`method_trials` lists a comparison's trials (knob, learning rate) with the same number
per method, :func:`coordinate_inputs` encodes coordinates, :func:`coordinate_network` builds
the network and :func:`fit_coordinate_networks` trains one network per (knob, seed) with full-batch Adam
(:func:`spectral_lib.training.train_full_batch`), with the hidden width that gives about a
target number of parameters, and predicts at other coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import networks, validation
from spectral_lib.networks import coordinate

from .engine import train_full_batch

#: The encodings of :func:`coordinate_inputs`.
COORDINATE_METHODS: tuple[str, ...] = ("none", "posenc", "gauss", "siren")


def method_trials(lrs_raw: Sequence[float], grids: dict) -> dict[str, list[tuple[float, float]]]:
    """Every method's trials, ``(knob, lr)`` pairs, with the same number for each method.

    A fair comparison gives each method as many tries: raw coordinates (``"none"``, no knob)
    try ``len(lrs_raw)`` learning rates, every other method its knobs crossed with its
    learning rates.

    Parameters
    ----------
    lrs_raw : sequence of float
        The learning rates of raw coordinates; their knob is NaN.
    grids : dict of str to (sequence of float, sequence of float)
        Method name to its ``(knobs, lrs)``, crossed knob-major.

    Returns
    -------
    dict of str to list of (float, float)
        ``"none"`` first, then the methods of ``grids`` in their order.

    Raises
    ------
    ValueError
        If the methods do not get the same number of trials, or a method has none.

    Examples
    --------
    >>> method_trials([1e-3, 1e-2], {"posenc": ([4, 8], [1e-3])})
    {'none': [(nan, 0.001), (nan, 0.01)], 'posenc': [(4.0, 0.001), (8.0, 0.001)]}
    >>> method_trials([1e-3], {"gauss": ([1, 2], [1e-3])})
    Traceback (most recent call last):
    ...
    ValueError: every method needs the same number of trials, got {'none': 1, 'gauss': 2}
    """
    out = {"none": [(float("nan"), float(lr)) for lr in lrs_raw]}
    for m, (knobs, lrs) in grids.items():
        out[m] = [(float(k), float(lr)) for k in knobs for lr in lrs]
    counts = {m: len(v) for m, v in out.items()}
    if len(set(counts.values())) != 1 or 0 in counts.values():
        raise ValueError(f"every method needs the same number of trials, got {counts}")
    return out


def coordinate_inputs(method: str, knob: float, coords, n_features: int, seed: int) -> np.ndarray:
    """The network input of ``method`` with its knob for coordinates in ``[0, 1)^d``.

    Parameters
    ----------
    method : {"none", "posenc", "gauss", "siren"}
        The encoding.
    knob : float
        The octaves ``L`` (``"posenc"``) or the scale ``σ`` (``"gauss"``); ignored otherwise.
    coords : array_like, shape (n, d)
        Coordinates.
    n_features : int
        Number of Gaussian frequencies.
    seed : int
        Seed of the Gaussian frequencies.

    Returns
    -------
    numpy.ndarray, shape (n, input_dim)
        float64.

    Raises
    ------
    ValueError
        If ``method`` is unknown or an argument is invalid.

    Examples
    --------
    >>> coordinate_inputs("gauss", 4.0, np.zeros((3, 2)), 8, 0).shape
    (3, 16)
    """
    if method not in COORDINATE_METHODS:
        raise ValueError(f"method must be one of {COORDINATE_METHODS}, got {method!r}")
    if method == "posenc":
        return networks.encode("posenc", coords, octaves=int(knob), n_features=n_features, seed=seed)
    if method == "gauss":
        return networks.encode(f"gauss:{knob:g}", coords, octaves=1, n_features=n_features, seed=seed)
    return networks.encode(method, coords, octaves=1, n_features=n_features, seed=seed)


def coordinate_network(method: str, knob: float, in_dim: int, width: int, depth: int,
                       seed: int) -> torch.nn.Module:
    """The network of ``method``: a SIREN of ``ω₀ = knob`` for ``"siren"``, else a ReLU MLP; one output.

    Parameters
    ----------
    method : {"none", "posenc", "gauss", "siren"}
        The encoding.
    knob : float
        ``ω₀`` for ``"siren"``; ignored otherwise.
    in_dim, width, depth : int
        Input dimension, hidden width and number of hidden layers.
    seed : int
        Initialisation seed.

    Returns
    -------
    torch.nn.Sequential
        :func:`spectral_lib.networks.build` of ``depth`` layers of ``width`` units.

    Raises
    ------
    ValueError
        If ``method`` is unknown or a size is invalid.

    Examples
    --------
    >>> sum(p.numel() for p in coordinate_network("none", 0.0, 2, 8, 2, 0).parameters())
    105
    """
    if method not in COORDINATE_METHODS:
        raise ValueError(f"method must be one of {COORDINATE_METHODS}, got {method!r}")
    hidden = [validation.check_positive_int("width", width)] * validation.check_positive_int("depth", depth)
    if method == "siren":
        return coordinate.build("siren", in_dim, hidden, 1, seed, omega0=float(knob))
    return coordinate.build("none", in_dim, hidden, 1, seed)


def fit_coordinate_networks(method: str, knobs: Sequence[float], lr: float, x_train, y_train, x_eval, *,
                            depth: int, target_params: int, n_features: int, steps: int,
                            seeds: Sequence[int]) -> np.ndarray:
    """Train one network per (knob, seed) of one encoding on ``(x_train, y_train)``; predict at ``x_eval``.

    Every network has ``depth`` hidden layers of the width that gives about
    ``target_params`` parameters for its input dimension
    (``spectral_lib.networks.coordinate.matched_width``). All of them train together with
    full-batch Adam for ``steps`` steps at ``lr`` on the squared error; if that diverges
    they are trained one by one, and a diverged network predicts NaN.

    Parameters
    ----------
    method : {"none", "posenc", "gauss", "siren"}
        The encoding (:func:`coordinate_inputs`). The knobs must share one input dimension
        (any σ of Gaussian features, one ``L`` of the positional encoding).
    knobs : sequence of float
        The knobs of the networks.
    lr : float
        Adam's learning rate.
    x_train : array_like, shape (n, d)
        Training coordinates in ``[0, 1)``.
    y_train : array_like, shape (n,)
        Training targets.
    x_eval : array_like, shape (m, d)
        Where to predict.
    depth, target_params, n_features, steps : int
        Hidden layers, the parameter budget, Gaussian frequencies and training steps.
    seeds : sequence of int
        One network per seed (initialisation and Gaussian frequencies).

    Returns
    -------
    numpy.ndarray, shape (len(knobs), len(seeds), m)
        Predictions clipped to ``[0, 1]`` (NaN for a diverged network).

    Raises
    ------
    ValueError
        If the knobs give different input dimensions, the targets do not match the
        coordinates, or an argument is invalid.

    Examples
    --------
    >>> x = np.linspace(0, 0.9, 10)[:, None]
    >>> fit_coordinate_networks("none", [0.0], 1e-2, x, x[:, 0], x, depth=1, target_params=40,
    ...                         n_features=4, steps=3, seeds=[0, 1]).shape
    (1, 2, 10)
    """
    seeds = validation.check_seeds(seeds)
    steps = validation.check_positive_int("steps", steps)
    y = np.asarray(y_train, dtype=np.float64)
    if y.ndim != 1 or y.shape[0] != np.shape(x_train)[0] or not np.all(np.isfinite(y)):
        raise ValueError(f"y_train must be a finite (n,) array matching x_train, got shape {y.shape}")
    if len(knobs) == 0:
        raise ValueError("knobs must not be empty")
    enc = [[(coordinate_inputs(method, k, x_train, n_features, s),
             coordinate_inputs(method, k, x_eval, n_features, s)) for s in seeds] for k in knobs]
    dims = {a.shape[1] for row in enc for a, _ in row}
    if len(dims) != 1:
        raise ValueError(f"the knobs {list(knobs)} give different input dimensions {sorted(dims)}")
    in_dim = dims.pop()
    width = coordinate.matched_width(in_dim, depth, target_params)
    models = [coordinate_network(method, k, in_dim, width, depth, s) for k in knobs for s in seeds]
    x_tr = np.stack([a for row in enc for a, _ in row]).astype(np.float32)
    x_ev = np.stack([b for row in enc for _, b in row]).astype(np.float32)
    target = torch.tensor(y[:, None], dtype=torch.float32)

    def fit(ms, xt, xe):
        hist = train_full_batch(ms, torch.from_numpy(xt), target, steps=steps, lr=lr, record_every=steps,
                                progress=False, device="cpu")
        with torch.no_grad():
            return [m(torch.from_numpy(x)).double().numpy()[:, 0]
                    for m, x in zip(hist.models, xe, strict=True)]

    try:
        pred = fit(models, x_tr, x_ev)
    except ValueError:  # a diverging model: train one by one, a diverged one predicts NaN
        pred = []
        for m, xt, xe in zip(models, x_tr, x_ev, strict=True):
            try:
                pred += fit([m], xt[None], xe[None])
            except ValueError:
                pred.append(np.full(xe.shape[0], np.nan))
    return np.clip(np.stack(pred), 0.0, 1.0).reshape(len(knobs), len(seeds), -1)
