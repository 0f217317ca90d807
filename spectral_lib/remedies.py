"""Remedies for spectral bias: input encodings and SIREN on a 1-D signal and a natural image.

The chapter *Overcoming spectral bias* compares four ways of feeding coordinates to an
MLP, as Tancik et al. (2020) did on their image tasks:

- ``"none"``: raw coordinates in ``[0, 1)`` into a ReLU MLP;
- ``"posenc"``: the NeRF-style positional encoding with octaves
  (:func:`spectral_lib.encodings.positional_encoding`) into a ReLU MLP;
- ``"gauss:<σ>"``: Gaussian Fourier features ``b_j ~ N(0, σ²)``
  (:func:`spectral_lib.encodings.fourier_features`) into a ReLU MLP;
- ``"siren"``: a SIREN (:func:`spectral_lib.siren.siren`) on coordinates mapped to ``[-1, 1)``.

Held-out evaluation follows Tancik et al.: train on every other sample (every other pixel
in both directions for images), test on the samples in between. All models of one method
(one per seed, each with its own random frequencies) train together through
:func:`spectral_lib.train.train_full_batch` with Adam.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from . import encodings, fourier, images, nets
from . import siren as _siren


def _check_seeds(seeds) -> list[int]:
    out = []
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"seeds must be non-negative integers, got {s!r}")
        out.append(int(s))
    if not out:
        raise ValueError("seeds must not be empty")
    return out


def parse_method(method: str) -> tuple[str, float | None]:
    """Split a method name into its kind and its scale ``σ`` (Gaussian features only).

    Parameters
    ----------
    method : str
        ``"none"``, ``"posenc"``, ``"siren"`` or ``"gauss:<sigma>"``.

    Returns
    -------
    (str, float or None)

    Raises
    ------
    ValueError
        If the name is not one of these or ``σ`` is not a positive number.

    Examples
    --------
    >>> parse_method("gauss:10")
    ('gauss', 10.0)
    """
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    if method in ("none", "posenc", "siren"):
        return method, None
    if method.startswith("gauss:"):
        try:
            sigma = float(method.split(":", 1)[1])
        except ValueError as err:
            raise ValueError(f"bad Gaussian scale in {method!r}") from err
        if not np.isfinite(sigma) or sigma <= 0:
            raise ValueError(f"the Gaussian scale must be positive, got {method!r}")
        return "gauss", sigma
    raise ValueError(f"unknown method {method!r}; use none, posenc, siren or gauss:<sigma>")


def encode(method: str, x, *, octaves: int, n_features: int, seed: int) -> np.ndarray:
    """The network input of ``method`` for coordinates ``x`` in ``[0, 1)^d``.

    Parameters
    ----------
    method : str
        See :func:`parse_method`.
    x : array_like, shape (n, d)
        Coordinates in ``[0, 1)``.
    octaves : int
        Octaves of the positional encoding.
    n_features : int
        Number of Gaussian frequencies ``m`` (the encoding has ``2m`` dimensions).
    seed : int
        Seed of the Gaussian frequencies.

    Returns
    -------
    numpy.ndarray, shape (n, input_dim)

    Raises
    ------
    ValueError
        If ``method`` or ``x`` is invalid.

    Examples
    --------
    >>> encode("gauss:3", np.zeros((4, 2)), octaves=2, n_features=8, seed=0).shape
    (4, 16)
    """
    kind, sigma = parse_method(method)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0 or not np.all(np.isfinite(x)):
        raise ValueError("x must be a finite (n, d) array")
    if kind == "none":
        return x
    if kind == "siren":
        return 2.0 * x - 1.0
    if kind == "posenc":
        return encodings.positional_encoding(x, octaves)
    B = encodings.gaussian_frequencies(x.shape[1], n_features, sigma, seed=seed)
    return encodings.fourier_features(x, B)


def build(method: str, in_dim: int, hidden: Sequence[int], out_dim: int, seed: int) -> torch.nn.Module:
    """The network of ``method``: a SIREN for ``"siren"``, else a ReLU MLP.

    Parameters
    ----------
    method : str
        See :func:`parse_method`.
    in_dim, out_dim : int
        Input (encoded) and output dimensions.
    hidden : sequence of int
        Hidden widths.
    seed : int
        Initialisation seed.

    Returns
    -------
    torch.nn.Sequential

    Raises
    ------
    ValueError
        If an argument is invalid.

    Examples
    --------
    >>> type(build("siren", 2, [8], 1, 0)[1]).__name__
    'Sine'
    """
    kind, _ = parse_method(method)
    if kind == "siren":
        return _siren.siren(in_dim, list(hidden), out_dim, seed=seed)
    return nets.relu_mlp(in_dim, list(hidden), out_dim, seed=seed)


def _lr(cfg, method: str) -> float:
    kind, _ = parse_method(method)
    return {"none": cfg.lr_raw, "siren": cfg.lr_siren}.get(kind, cfg.lr)


def _fit(cfg, method: str, x_tr, y_tr, x_eval: dict, seeds: list[int], octaves: int) -> dict:
    """Train one model per seed on (x_tr, y_tr); return final predictions (S, n, out) on each x_eval."""
    from . import train

    def enc(xx, s):
        return encode(method, xx, octaves=octaves, n_features=cfg.n_features, seed=s)

    xin = np.stack([enc(x_tr, s) for s in seeds])
    models = [build(method, xin.shape[-1], cfg.hidden, y_tr.shape[1], s) for s in seeds]
    recs = [
        train.PredictionRecorder(torch.tensor(np.stack([enc(xe, s) for s in seeds]), dtype=torch.float32),
                                 name=f"eval_{k}")
        for k, xe in x_eval.items()
    ]
    hist = train.train_full_batch(
        models, torch.tensor(xin, dtype=torch.float32), torch.tensor(y_tr, dtype=torch.float32),
        steps=cfg.steps, lr=_lr(cfg, method), record_every=cfg.steps, recorders=recs,
    )
    out = {}
    for k in x_eval:
        p = hist[f"eval_{k}"][-1]
        out[k] = p if p.ndim == 3 else p[..., None]
    return out


def signal_1d(n: int, band: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random 1-D signal with power-law amplitudes ``1/f`` for ``f = 1..band``, scaled to ``[0, 1]``.

    Parameters
    ----------
    n : int
        Number of samples on ``arange(n) / n``.
    band : int
        Highest frequency (cycles per unit), ``band < n / 2``.
    seed : int
        Seed of the phases.

    Returns
    -------
    x : numpy.ndarray, shape (n,)
    y : numpy.ndarray, shape (n,)
        Values in ``[0, 1]`` (min 0, max 1).

    Raises
    ------
    ValueError
        If ``band`` is not in ``1 .. n/2 - 1`` or ``seed`` is negative.

    Examples
    --------
    >>> x, y = signal_1d(64, 8, 0)
    >>> float(y.min()), float(y.max())
    (0.0, 1.0)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 4:
        raise ValueError(f"n must be an integer >= 4, got {n!r}")
    if isinstance(band, bool) or not isinstance(band, (int, np.integer)) or not 1 <= band < n / 2:
        raise ValueError(f"band must be an integer in 1..{n // 2 - 1}, got {band!r}")
    (seed,) = _check_seeds([seed])
    x = np.arange(n) / n
    f = np.arange(1, band + 1)
    phi = np.random.default_rng(seed).uniform(0, 2 * np.pi, band)
    y = (np.cos(2 * np.pi * f[:, None] * x[None, :] + phi[:, None]) / f[:, None]).sum(axis=0)
    return x, (y - y.min()) / (y.max() - y.min())


def signal_experiment(cfg, methods: Sequence[str]) -> dict:
    """PSNR of each method on the 1-D signal: train on even samples, test on odd ones.

    Parameters
    ----------
    cfg : RemediesConfig
    methods : sequence of str

    Returns
    -------
    dict
        ``x, y`` (the signal), and per method a dict with ``train`` and ``test`` PSNR
        arrays of shape (S,) and ``dense`` predictions (S, n) on the whole grid.

    Raises
    ------
    ValueError
        If a method is unknown.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> out = signal_experiment(configs.get("remedies", "book"), ["none"])  # doctest: +SKIP
    """
    seeds = _check_seeds(cfg.seeds)
    x, y = signal_1d(cfg.n_1d, cfg.band_1d, cfg.signal_seed)
    X = x[:, None]
    out: dict = {"x": x, "y": y}
    for m in methods:
        pred = _fit(cfg, m, X[::2], y[::2, None], {"train": X[::2], "test": X[1::2], "dense": X},
                    seeds, cfg.octaves_1d)
        out[m] = {
            "train": np.array([float(images.psnr(p[:, 0], y[::2])) for p in pred["train"]]),
            "test": np.array([float(images.psnr(p[:, 0], y[1::2])) for p in pred["test"]]),
            "dense": pred["dense"][:, :, 0],
        }
    return out


def image_experiment(cfg, methods: Sequence[str]) -> dict:
    """PSNR of each method on a natural image: train on every other pixel, test on the offset ones.

    The image is ``images.load_image(cfg.image, cfg.image_size)``; training pixels are
    ``[::2, ::2]`` and test pixels ``[1::2, 1::2]``, as in Tancik et al.'s notebook.

    Parameters
    ----------
    cfg : RemediesConfig
    methods : sequence of str

    Returns
    -------
    dict
        ``image`` (S, S, C), and per method a dict with ``train`` and ``test`` PSNR arrays
        of shape (n_seeds,) and ``full`` (S, S, C): the first seed's prediction on every
        pixel.

    Raises
    ------
    ValueError
        If a method is unknown.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> out = image_experiment(configs.get("remedies", "book"), ["none"])  # doctest: +SKIP
    """
    seeds = _check_seeds(cfg.seeds)
    img = images.load_image(cfg.image, cfg.image_size)
    S, C = img.shape[0], img.shape[2]
    grid = images.coordinate_grid(S).reshape(S, S, 2)
    x_tr, y_tr = grid[::2, ::2].reshape(-1, 2), img[::2, ::2].reshape(-1, C)
    x_te, y_te = grid[1::2, 1::2].reshape(-1, 2), img[1::2, 1::2].reshape(-1, C)
    out: dict = {"image": img}
    for m in methods:
        pred = _fit(cfg, m, x_tr, y_tr, {"train": x_tr, "test": x_te, "full": grid.reshape(-1, 2)},
                    seeds, cfg.octaves_image)
        out[m] = {
            "train": np.array([float(images.psnr(p, y_tr)) for p in pred["train"]]),
            "test": np.array([float(images.psnr(p, y_te)) for p in pred["test"]]),
            "full": np.clip(pred["full"][0].reshape(S, S, C), 0.0, 1.0),
        }
    return out


def high_frequency_fraction(samples, cutoff: int) -> np.ndarray:
    """Share of a function's spectral energy at frequencies ``>= cutoff`` (seam removed).

    The samples are taken on ``arange(n + 1) / n`` (both ends of ``[0, 1]``). The linear
    ramp ``(f(1) - f(0)) x`` is subtracted first, so the periodic extension has no jump at
    the seam (a jump alone would put a ``1/m`` tail into every spectrum, see the notation
    chapter); then the one-sided DFT energy ``|F[m]|²`` of the first ``n`` samples is
    summed over ``m >= cutoff`` and divided by the sum over ``m >= 1``.

    Parameters
    ----------
    samples : array_like, shape (..., n + 1)
    cutoff : int
        Frequency in cycles per unit, ``1 <= cutoff < n / 2``.

    Returns
    -------
    numpy.ndarray, shape (...)

    Raises
    ------
    ValueError
        If the cutoff is out of range or the function is affine (no energy at ``m >= 1``).

    Examples
    --------
    >>> t = np.arange(65) / 64
    >>> float(high_frequency_fraction(np.sin(2 * np.pi * 20 * t), 10).round(12))
    1.0
    """
    f = np.asarray(samples, dtype=np.float64)
    if f.ndim == 0 or f.shape[-1] < 5 or not np.all(np.isfinite(f)):
        raise ValueError("samples must be finite with at least 5 values on the last axis")
    n = f.shape[-1] - 1
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, np.integer)) or not 1 <= cutoff < n // 2:
        raise ValueError(f"cutoff must be an integer in 1..{n // 2 - 1}, got {cutoff!r}")
    x = np.arange(n) / n
    g = f[..., :-1] - (f[..., -1:] - f[..., :1]) * x
    energy = fourier.dft_amplitudes(g) ** 2
    total = energy[..., 1:].sum(axis=-1)
    if np.any(total <= 0):
        raise ValueError("the function has no energy at frequencies >= 1")
    return energy[..., cutoff:].sum(axis=-1) / total


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
        Per method an array (S,) of :func:`high_frequency_fraction` at ``cfg.hf_cutoff``.

    Raises
    ------
    ValueError
        If a method is unknown.

    Examples
    --------
    >>> from spectral_lib import configs
    >>> sorted(init_high_frequency(configs.get("remedies", "book"), ["none"]))
    ['none']
    """
    seeds = _check_seeds(cfg.seeds)
    xe = (np.arange(cfg.n_dense_init + 1) / cfg.n_dense_init)[:, None]
    out = {}
    for m in methods:
        vals = []
        for s in seeds:
            xin = encode(m, xe, octaves=cfg.octaves_1d, n_features=cfg.n_features, seed=s)
            net = build(m, xin.shape[1], cfg.hidden, 1, s)
            with torch.no_grad():
                f = net(torch.tensor(xin, dtype=torch.float32)).double().numpy()[:, 0]
            vals.append(high_frequency_fraction(f, cfg.hf_cutoff))
        out[m] = np.array(vals)
    return out


# Test PSNR (dB, mean ± std over images) that Tancik et al.'s official 2-D notebook reports
# for its "natural" DIV2K task (512² images, every other pixel for training); source: the
# Lazzari reproduction notes, §5.1. "basic" is γ(v) = [cos 2πv, sin 2πv].
TANCIK_NATURAL_TEST_PSNR: dict[str, tuple[float, float]] = {
    "none": (19.32, 2.48),
    "basic": (21.72, 2.72),
    "posenc": (24.95, 3.72),
    "gauss": (25.57, 4.19),
}
