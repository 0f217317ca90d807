"""Real data for the book: two-class digit sets and radial-wave label noise (Rahaman et al. Exp3/Exp4).

The official code (``ICML_MNISTLabelNoise.ipynb``) takes two MNIST classes (3 and 8), scales the
pixels to [0, 1], flattens them, labels the first class ``-1`` and the second ``+1`` and, without
shuffling, keeps the first 80 % as training set and the last 20 % as validation set. The book
runs offline, so its default data set is the 8×8 digits that ship inside scikit-learn
(:func:`load_digits_pair`); a reader with MNIST arrays on disk passes them in with
:func:`load_mnist_pair` (the ``paper`` profile).

Label noise of a chosen frequency is the radial wave ``ψ_k(x) = sin(2π k ‖x‖)`` of the code
(:func:`radial_noise`; the paper's Eq. 10 prints ``sin(k ‖x‖)``, available with
``convention="paper"``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .train import Recorder

CONVENTIONS: tuple[str, ...] = ("code", "paper")


@dataclass(frozen=True)
class TwoClassSplit:
    """A two-class data set split in dataset order.

    Attributes
    ----------
    x_train, x_val : numpy.ndarray, shape (n, d)
        Inputs (float64), pixels scaled to [0, 1].
    y_train, y_val : numpy.ndarray, shape (n,)
        Labels: ``-1`` for ``classes[0]``, ``+1`` for ``classes[1]``.
    classes : tuple of int
        The two original class labels.
    source : str
        ``"digits"`` or ``"mnist"``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: tuple[int, int]
    source: str

    @property
    def n_train(self) -> int:
        """Number of training samples."""
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        """Number of validation samples."""
        return int(self.x_val.shape[0])

    @property
    def dim(self) -> int:
        """Input dimension."""
        return int(self.x_train.shape[1])


def _check_classes(classes) -> tuple[int, int]:
    try:
        a, b = classes
    except (TypeError, ValueError):
        raise ValueError(f"classes must be a pair of two class labels, got {classes!r}") from None
    for c in (a, b):
        if isinstance(c, bool) or not isinstance(c, (int, np.integer)):
            raise TypeError(f"class labels must be integers, got {c!r}")
    if a == b:
        raise ValueError(f"the two classes must differ, got {classes!r}")
    return int(a), int(b)


def two_class_split(
    x,
    labels,
    classes=(3, 8),
    *,
    val_fraction: float = 0.2,
    n_max: int | None = None,
    source: str = "array",
) -> TwoClassSplit:
    """Select two classes, label them ±1 and split in dataset order, as the official code does.

    Parameters
    ----------
    x : array_like, shape (n, ...)
        Inputs; trailing axes are flattened. They are used as given (scale them first).
    labels : array_like of int, shape (n,)
        Class labels.
    classes : pair of int, default (3, 8)
        ``classes[0]`` becomes ``-1``, ``classes[1]`` becomes ``+1``.
    val_fraction : float, default 0.2
        Fraction kept, from the end, for validation. ``0`` means no validation set: the
        validation arrays are then the training arrays (the code's ``VAL_SPLIT = 1.0`` of Exp4).
    n_max : int, optional
        Keep only the first ``n_max`` samples of the two classes (in dataset order) before
        splitting (Exp4 uses the first 2,000).
    source : str, default "array"
        A name recorded in the result.

    Returns
    -------
    TwoClassSplit
        The split, inputs as float64.

    Raises
    ------
    ValueError
        If shapes disagree, inputs are not finite, a class is absent, ``val_fraction`` is not
        in ``[0, 1)``, ``n_max`` is not positive, or a split would be empty.
    TypeError
        If class labels are not integers.

    Examples
    --------
    >>> x = np.arange(10.0)[:, None]
    >>> s = two_class_split(x, [3, 8, 1, 3, 8, 3, 8, 8, 3, 1], val_fraction=0.25)
    >>> s.y_train.tolist(), s.y_val.tolist()
    ([-1.0, 1.0, -1.0, 1.0, -1.0, 1.0], [1.0, -1.0])
    """
    a, b = _check_classes(classes)
    x = np.asarray(x)
    labels = np.asarray(labels)
    if x.ndim < 2:
        raise ValueError(f"x must have shape (n, d) or (n, h, w), got {x.shape}")
    if labels.ndim != 1 or labels.shape[0] != x.shape[0]:
        raise ValueError(f"labels must have shape ({x.shape[0]},), got {labels.shape}")
    if not np.issubdtype(x.dtype, np.number):
        raise TypeError(f"x must be numeric, got dtype {x.dtype}")
    if isinstance(val_fraction, bool) or not (0.0 <= float(val_fraction) < 1.0):
        raise ValueError(f"val_fraction must lie in [0, 1), got {val_fraction!r}")
    x = x.reshape(x.shape[0], -1).astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    keep = np.flatnonzero((labels == a) | (labels == b))
    for c in (a, b):
        if not np.any(labels == c):
            raise ValueError(f"class {c} does not occur in the labels")
    if n_max is not None:
        if isinstance(n_max, bool) or not isinstance(n_max, (int, np.integer)) or n_max < 2:
            raise ValueError(f"n_max must be an integer >= 2 or None, got {n_max!r}")
        keep = keep[: int(n_max)]
    xs = x[keep]
    ys = np.where(labels[keep] == a, -1.0, 1.0)
    n = xs.shape[0]
    if val_fraction == 0:
        return TwoClassSplit(xs, ys, xs, ys, (a, b), source)
    n_train = int(np.floor((1.0 - float(val_fraction)) * n))
    if n_train < 1 or n_train >= n:
        raise ValueError(f"val_fraction={val_fraction} leaves an empty split of {n} samples")
    return TwoClassSplit(xs[:n_train], ys[:n_train], xs[n_train:], ys[n_train:], (a, b), source)


def load_digits_pair(classes=(3, 8), *, val_fraction: float = 0.2, n_max: int | None = None) -> TwoClassSplit:
    """Two classes of scikit-learn's bundled 8×8 digits, pixels scaled to [0, 1], labels ±1.

    The digits ship inside scikit-learn (no download). Pixels are integers 0..16, divided by
    16 (the code divides MNIST's 0..255 by 255). Order and split follow the official code:
    dataset order, the first ``1 - val_fraction`` for training.

    Parameters
    ----------
    classes : pair of int, default (3, 8)
        Digits to keep; ``classes[0]`` is labelled ``-1``.
    val_fraction : float, default 0.2
        See :func:`two_class_split`.
    n_max : int, optional
        See :func:`two_class_split`.

    Returns
    -------
    TwoClassSplit
        Inputs of dimension 64.

    Raises
    ------
    ValueError
        If a class is not a digit 0..9 or the split is invalid.

    Examples
    --------
    >>> s = load_digits_pair((3, 8))
    >>> s.dim, s.n_train + s.n_val
    (64, 357)
    """
    a, b = _check_classes(classes)
    if not (0 <= a <= 9 and 0 <= b <= 9):
        raise ValueError(f"digit classes must lie in 0..9, got {classes!r}")
    from sklearn.datasets import load_digits

    d = load_digits()
    return two_class_split(
        d.data / 16.0, d.target, (a, b), val_fraction=val_fraction, n_max=n_max, source="digits"
    )


def load_mnist_pair(
    path: str | os.PathLike,
    classes=(3, 8),
    *,
    val_fraction: float = 0.2,
    n_max: int | None = None,
) -> TwoClassSplit:
    """Two MNIST classes from arrays on disk, as the official code prepares them.

    The book never downloads. Save MNIST's training set once as an ``.npz`` file holding
    ``x_train`` (uint8, shape (60000, 28, 28)) and ``y_train`` (as Keras' ``mnist.npz`` does),
    or ``x`` and ``y``. Pixels are divided by 255 when the array is an integer type.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.
    classes : pair of int, default (3, 8)
        The two digits; ``classes[0]`` is labelled ``-1``.
    val_fraction : float, default 0.2
        See :func:`two_class_split`.
    n_max : int, optional
        See :func:`two_class_split`.

    Returns
    -------
    TwoClassSplit
        Inputs flattened (784 for MNIST).

    Raises
    ------
    FileNotFoundError
        If the file does not exist (the message says how to provide it).
    ValueError
        If the file lacks the arrays or they are malformed.

    Examples
    --------
    >>> load_mnist_pair("/nonexistent/mnist.npz")
    Traceback (most recent call last):
    ...
    FileNotFoundError: MNIST arrays not found at /nonexistent/mnist.npz. ...
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(
            f"MNIST arrays not found at {p}. The book does not download data: save MNIST's "
            "training set as an .npz with arrays 'x_train' (60000x28x28 uint8) and 'y_train', "
            "and point the config's mnist_path (or SPECTRAL_MNIST) at it."
        )
    with np.load(p, allow_pickle=False) as f:
        keys = set(f.files)
        for kx, ky in (("x_train", "y_train"), ("x", "y")):
            if kx in keys and ky in keys:
                x, y = f[kx], f[ky]
                break
        else:
            raise ValueError(
                f"{p} must hold arrays 'x_train' and 'y_train' (or 'x' and 'y'); found {sorted(keys)}"
            )
    x = np.asarray(x)
    if np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float64) / 255.0
    return two_class_split(x, np.asarray(y).astype(np.int64), classes, val_fraction=val_fraction,
                           n_max=n_max, source="mnist")


def load_pair(source: str, classes=(3, 8), *, val_fraction: float = 0.2, n_max: int | None = None,
              mnist_path: str | os.PathLike | None = None) -> TwoClassSplit:
    """Load the two-class data set a config names: ``"digits"`` or ``"mnist"``.

    Parameters
    ----------
    source : {"digits", "mnist"}
        Which data set.
    classes, val_fraction, n_max
        See :func:`two_class_split`.
    mnist_path : str or os.PathLike, optional
        The MNIST ``.npz`` (for ``source="mnist"``); a relative path is taken from the book
        root. The environment variable ``SPECTRAL_MNIST``, when set, takes precedence.

    Returns
    -------
    TwoClassSplit
        The split.

    Raises
    ------
    ValueError
        If ``source`` is unknown, or ``mnist`` is asked for without a path.
    FileNotFoundError
        If the MNIST file is missing.

    Examples
    --------
    >>> load_pair("digits").source
    'digits'
    """
    if source == "digits":
        return load_digits_pair(classes, val_fraction=val_fraction, n_max=n_max)
    if source == "mnist":
        path = os.environ.get("SPECTRAL_MNIST") or mnist_path
        if path is None:
            raise ValueError("source='mnist' needs mnist_path (or the SPECTRAL_MNIST environment variable)")
        return load_mnist_pair(_resolve(path), classes, val_fraction=val_fraction, n_max=n_max)
    raise ValueError(f"unknown data source {source!r}; choose 'digits' or 'mnist'")


def _resolve(path: str | os.PathLike) -> Path:
    """A relative path is taken from the book root (the first parent of the cwd with ``_toc.yml``)."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    here = Path.cwd().resolve()
    for base in (here, *here.parents):
        if (base / "_toc.yml").is_file():
            return base / p
    return p


def _as_inputs(x) -> np.ndarray:
    arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x)
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise ValueError(f"inputs must have shape (n, d) with n >= 1, got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"inputs must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("inputs contain NaN or infinite values")
    return arr


def _check_k(k, name: str = "k") -> float:
    if isinstance(k, bool) or not isinstance(k, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {k!r}")
    if not np.isfinite(k) or k < 0:
        raise ValueError(f"{name} must be finite and non-negative, got {k!r}")
    return float(k)


def radial_noise(x, k: float, *, convention: str = "code") -> np.ndarray:
    """Radial-wave label noise ``ψ_k(x)`` of Rahaman et al.'s Exp3.

    ``convention="code"`` gives ``sin(2π k ‖x‖)`` (the official ``get_radial_noise``: ``k`` in
    cycles per unit of ``‖x‖``); ``convention="paper"`` gives ``sin(k ‖x‖)`` (Eq. 10, angular).

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs.
    k : float
        Non-negative frequency.
    convention : {"code", "paper"}, default "code"
        See above.

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``ψ_k`` at every input, in [-1, 1].

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D array, ``k`` is negative or not finite, or the
        convention is unknown.

    Examples
    --------
    >>> x = np.array([[0.25, 0.0], [0.0, 0.5]])
    >>> np.round(radial_noise(x, 1.0), 12).tolist()
    [1.0, 0.0]
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    arr = _as_inputs(x)
    kk = _check_k(k)
    r = np.linalg.norm(arr, axis=1)
    return np.sin((2 * np.pi * kk if convention == "code" else kk) * r)


def radial_cycles(x, k: float, *, quantiles=(0.0, 1.0), convention: str = "code") -> float:
    """How many cycles the radial wave ``ψ_k`` makes across the data's range of ``‖x‖``.

    ``k · (r_hi − r_lo)`` for the code's convention (``k (r_hi − r_lo) / 2π`` for the paper's),
    where ``r_lo, r_hi`` are the given quantiles of ``‖x‖``. Well under one cycle means the
    noise is a smooth shift over the data ("low frequency"); many cycles mean it oscillates
    between neighbouring samples ("high frequency").

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs.
    k : float
        Frequency as in :func:`radial_noise`.
    quantiles : pair of float, default (0, 1)
        The range of ``‖x‖`` used (the full range by default).
    convention : {"code", "paper"}, default "code"
        See :func:`radial_noise`.

    Returns
    -------
    float
        The number of cycles.

    Raises
    ------
    ValueError
        For invalid inputs, ``k`` or quantiles.

    Examples
    --------
    >>> radial_cycles(np.array([[1.0], [3.0]]), 0.5)
    1.0
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    q_lo, q_hi = (float(q) for q in quantiles)
    if not (0.0 <= q_lo < q_hi <= 1.0):
        raise ValueError(f"quantiles must satisfy 0 <= lo < hi <= 1, got {quantiles!r}")
    r = np.linalg.norm(_as_inputs(x), axis=1)
    lo, hi = np.quantile(r, [q_lo, q_hi])
    kk = _check_k(k)
    cycles = kk * (hi - lo)
    return float(cycles if convention == "code" else cycles / (2 * np.pi))


def uniform_noise(n: int, seed: int, *, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """I.i.d. uniform label noise (the code's ``'white'`` noise of Exp4, ``U(−1, 1)``).

    Parameters
    ----------
    n : int
        Number of samples (positive).
    seed : int
        Seed of a private NumPy generator.
    low, high : float, default -1, 1
        The interval (``low < high``).

    Returns
    -------
    numpy.ndarray, shape (n,)
        The noise.

    Raises
    ------
    ValueError
        If ``n`` or ``seed`` is invalid or ``low >= high``.

    Examples
    --------
    >>> z = uniform_noise(1000, seed=0)
    >>> bool(z.min() >= -1 and z.max() < 1)
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"need finite low < high, got {low!r}, {high!r}")
    return np.random.default_rng(int(seed)).uniform(low, high, size=int(n))


# ---------------------------------------------------------------------------------------
# Training on several label sets at once (Exp3, Exp4)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelSetRun:
    """Networks trained on several label sets of one input set, several seeds each.

    Attributes
    ----------
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps (before that step's update; the last one is after the final update).
    train_loss : numpy.ndarray, shape (n_rec, S, R)
        Mean squared error on each network's own (noisy) training labels.
    predictions : numpy.ndarray, shape (n_rec, S, R, M), or None
        Predictions on the evaluation inputs (None when they were not kept).
    eval_loss : numpy.ndarray, shape (n_rec, S, R), or None
        Mean squared error on the evaluation inputs against ``y_eval``, when given.
    """

    steps: np.ndarray
    train_loss: np.ndarray
    predictions: np.ndarray | None
    eval_loss: np.ndarray | None = None

    def mse(self, y_ref) -> np.ndarray:
        """Mean squared error of the recorded predictions against ``y_ref``: ``(n_rec, S, R)``.

        Parameters
        ----------
        y_ref : array_like, shape (M,)
            Reference labels at the evaluation inputs (e.g. the clean validation labels).

        Returns
        -------
        numpy.ndarray, shape (n_rec, S, R)
            The loss curves.

        Raises
        ------
        ValueError
            If ``y_ref`` does not match the evaluation set or is not finite, or the
            predictions were not kept.
        """
        if self.predictions is None:
            raise ValueError("the predictions were not kept (train_label_sets(keep_predictions=False))")
        ref = np.asarray(y_ref, dtype=np.float64)
        if ref.shape != self.predictions.shape[-1:]:
            raise ValueError(f"y_ref must have shape {self.predictions.shape[-1:]}, got {ref.shape}")
        if not np.all(np.isfinite(ref)):
            raise ValueError("y_ref contains NaN or infinite values")
        return ((self.predictions - ref) ** 2).mean(axis=-1)


def train_label_sets(
    x,
    targets,
    *,
    hidden,
    lr: float,
    steps: int,
    record_every: int,
    n_seeds: int,
    x_eval=None,
    y_eval=None,
    keep_predictions: bool = True,
    device=None,
    cache_name: str | None = None,
) -> LabelSetRun:
    """Train ``relu_mlp(d, hidden, 1)`` on each of ``S`` label sets with ``n_seeds`` seeds, in one batch.

    All ``S × n_seeds`` networks form one ensemble for :func:`spectral_lib.train.train_full_batch`
    (full-batch Adam on the mean squared error, shared inputs, one label vector per network).
    Network ``(s, r)`` is initialised with seed ``r``, so every label set starts from the same
    ``n_seeds`` initialisations (paired comparisons).

    Parameters
    ----------
    x : array_like, shape (N, d)
        Training inputs.
    targets : array_like, shape (S, N)
        One label vector per setting.
    hidden : sequence of int
        Hidden widths.
    lr : float
        Adam learning rate.
    steps : int
        Full-batch steps.
    record_every : int
        Record predictions every this many steps.
    n_seeds : int
        Initialisations per label set (seeds ``0 .. n_seeds-1``).
    x_eval : array_like, shape (M, d), optional
        Where predictions are recorded; default: the training inputs.
    y_eval : array_like, shape (M,), optional
        Labels at the evaluation inputs: the mean squared error against them is recorded
        (``eval_loss``) at every recorded step.
    keep_predictions : bool, default True
        Keep the predictions (``False`` saves memory for long runs that only need
        ``eval_loss``).
    device : str or torch.device, optional
        Passed to the engine.
    cache_name : str, optional
        If given, the result is stored in (and served from) :mod:`spectral_lib.cache` under
        this name, keyed by a SHA-256 digest of all inputs and labels and by every
        hyperparameter (and, through the cache, by the library's source).

    Returns
    -------
    LabelSetRun
        Steps, training losses and predictions, with axes ``(n_rec, S, R, ...)``.

    Raises
    ------
    ValueError
        If shapes disagree, ``n_seeds < 1``, or nothing would be recorded.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(20, 3))
    >>> run = train_label_sets(x, np.stack([x[:, 0], -x[:, 0]]), hidden=[8], lr=1e-2, steps=4,
    ...                        record_every=2, n_seeds=2)
    >>> run.predictions.shape, run.train_loss.shape
    ((3, 2, 2, 20), (3, 2, 2))
    """
    from . import nets, train

    xs = _as_inputs(x)
    Y = np.asarray(targets, dtype=np.float64)
    if Y.ndim != 2 or Y.shape[1] != xs.shape[0]:
        raise ValueError(f"targets must have shape (S, {xs.shape[0]}), got {Y.shape}")
    if not np.all(np.isfinite(Y)):
        raise ValueError("targets contain NaN or infinite values")
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, (int, np.integer)) or n_seeds < 1:
        raise ValueError(f"n_seeds must be a positive integer, got {n_seeds!r}")
    S, R = Y.shape[0], int(n_seeds)
    xe = xs if x_eval is None else _as_inputs(x_eval)
    if cache_name is not None:
        from . import cache

        key = {
            "data": _digest(xs, Y, xe, None if y_eval is None else np.asarray(y_eval, dtype=np.float64)),
            "eval_on_train": x_eval is None, "hidden": [int(h) for h in hidden], "lr": float(lr),
            "steps": int(steps), "record_every": int(record_every), "n_seeds": R,
            "keep_predictions": bool(keep_predictions),
        }

        def compute() -> dict:
            run = train_label_sets(xs, Y, hidden=hidden, lr=lr, steps=steps, record_every=record_every,
                                   n_seeds=R, x_eval=x_eval, y_eval=y_eval,
                                   keep_predictions=keep_predictions, device=device)
            out = {"steps": run.steps, "train_loss": run.train_loss}
            if run.predictions is not None:
                out["predictions"] = run.predictions
            if run.eval_loss is not None:
                out["eval_loss"] = run.eval_loss
            return out

        arrays = cache.cached(cache_name, key, compute)
        return LabelSetRun(steps=arrays["steps"], train_loss=arrays["train_loss"],
                           predictions=arrays.get("predictions"), eval_loss=arrays.get("eval_loss"))
    recorders: list = []
    if keep_predictions:
        recorders.append(train.PredictionRecorder(None if x_eval is None else xe))
    if y_eval is not None:
        ye = np.asarray(y_eval, dtype=np.float64)
        if ye.shape != (xe.shape[0],) or not np.all(np.isfinite(ye)):
            raise ValueError(f"y_eval must be finite with shape ({xe.shape[0]},), got {ye.shape}")
        recorders.append(_EvalLossRecorder(xe, ye))
    elif not keep_predictions:
        raise ValueError("keep_predictions=False needs y_eval, or nothing but the training loss is recorded")
    models = [nets.relu_mlp(xs.shape[1], list(hidden), 1, seed=r) for _ in range(S) for r in range(R)]
    yk = np.repeat(Y, R, axis=0)
    hist = train.train_full_batch(models, xs, yk, steps=steps, lr=lr, record_every=record_every,
                                  recorders=recorders, device=device, progress=False)
    n_rec = hist.steps.shape[0]
    preds = (np.asarray(hist.predictions, dtype=np.float64).reshape(n_rec, S, R, -1)
             if keep_predictions else None)
    ev = np.asarray(hist.eval_loss).reshape(n_rec, S, R) if y_eval is not None else None
    return LabelSetRun(steps=hist.steps, train_loss=hist.loss.reshape(n_rec, S, R), predictions=preds,
                       eval_loss=ev)


def _digest(*arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        if a is None:
            h.update(b"none")
            continue
        arr = np.ascontiguousarray(a, dtype=np.float64)
        h.update(str(arr.shape).encode())
        h.update(arr.tobytes())
    return h.hexdigest()


class _EvalLossRecorder(Recorder):
    """Record each model's mean squared error on an evaluation set (no predictions kept)."""

    name = "eval_loss"

    def __init__(self, x_eval: np.ndarray, y_eval: np.ndarray):
        self.x = torch.from_numpy(x_eval)
        self.y = torch.from_numpy(y_eval)

    def __call__(self, state) -> np.ndarray:
        out = state.predict(self.x)[..., 0].to(torch.float64)
        return ((out - self.y.to(out.device)) ** 2).mean(dim=-1).cpu().numpy()


def dip_summary(curves, steps) -> dict:
    """Summarise validation curves of several seeds: best value, where, final value, rise.

    Parameters
    ----------
    curves : array_like, shape (n_rec, R)
        Validation loss of ``R`` seeds at the recorded steps.
    steps : array_like, shape (n_rec,)
        The recorded steps.

    Returns
    -------
    dict
        ``best`` (mean over seeds of each seed's minimum), ``best_sd`` (their standard
        deviation), ``best_step`` (median step of the seeds' minima), ``final`` (mean last
        value), ``initial`` (mean first value) and ``rise`` (``final / best``: 1 means no dip).

    Raises
    ------
    ValueError
        If the shapes disagree or values are not finite and positive.

    Examples
    --------
    >>> d = dip_summary(np.array([[1.0, 1.0], [0.2, 0.4], [0.6, 0.6]]), [0, 10, 20])
    >>> round(d["best"], 3), d["best_step"], round(d["rise"], 3)
    (0.3, 10.0, 2.0)
    """
    c = np.asarray(curves, dtype=np.float64)
    s = np.asarray(steps)
    if c.ndim != 2 or s.shape != (c.shape[0],) or c.shape[0] < 1:
        raise ValueError(f"curves must be (n_rec, R) with steps of shape (n_rec,), got {c.shape}, {s.shape}")
    if not np.all(np.isfinite(c)) or np.any(c <= 0):
        raise ValueError("curves must be finite and positive")
    mins = c.min(axis=0)
    best = float(mins.mean())
    final = float(c[-1].mean())
    return {
        "best": best,
        "best_sd": float(mins.std()),
        "best_step": float(np.median(s[np.argmin(c, axis=0)])),
        "final": final,
        "initial": float(c[0].mean()),
        "rise": final / best,
    }


def label_noise_settings(
    k_low: float, k_high: float, k_values, betas, beta_panels
) -> list[tuple[float, float]]:
    """The (k, β) settings of the paper's Fig. 4, the clean baseline ``(0, 0)`` first.

    Panels: ``k_low`` and ``k_high`` with every β in ``betas``; every k in ``k_values`` with
    every β in ``beta_panels``. Duplicates are kept once, in first-seen order.

    Parameters
    ----------
    k_low, k_high : float
        The low and high noise frequencies of the β panels.
    k_values : sequence of float
        The frequencies of the k panels.
    betas : sequence of float
        Noise amplitudes of the β panels.
    beta_panels : sequence of float
        The fixed amplitudes of the k panels.

    Returns
    -------
    list of (float, float)
        ``(k, β)`` pairs; ``(0.0, 0.0)`` is the clean baseline.

    Raises
    ------
    ValueError
        If a frequency or amplitude is negative or not finite, or a list is empty.

    Examples
    --------
    >>> label_noise_settings(0.1, 1.0, [0.1, 1.0], [0.5, 1.0], [1.0])
    [(0.0, 0.0), (0.1, 0.5), (0.1, 1.0), (1.0, 0.5), (1.0, 1.0)]
    """
    if not list(k_values) or not list(betas) or not list(beta_panels):
        raise ValueError("k_values, betas and beta_panels must be non-empty")
    for value in (k_low, k_high, *k_values):
        _check_k(value)
    for value in (*betas, *beta_panels):
        _check_k(value, "beta")
    out: list[tuple[float, float]] = [(0.0, 0.0)]
    pairs = [(float(k), float(b)) for k in (k_low, k_high) for b in betas]
    pairs += [(float(k), float(b)) for b in beta_panels for k in k_values]
    for p in pairs:
        if p not in out:
            out.append(p)
    return out


@dataclass(frozen=True)
class LabelNoiseResult:
    """Exp3: validation curves for each (k, β) setting and seed.

    Attributes
    ----------
    settings : list of (float, float)
        The ``(k, β)`` pairs; ``(0, 0)`` is the clean baseline.
    steps : numpy.ndarray, shape (n_rec,)
        Recorded steps.
    val_loss : numpy.ndarray, shape (n_rec, S, R)
        Validation MSE against the clean labels.
    train_loss : numpy.ndarray, shape (n_rec, S, R)
        Training MSE against the noisy labels.
    """

    settings: list
    steps: np.ndarray
    val_loss: np.ndarray
    train_loss: np.ndarray

    def index(self, k: float, beta: float) -> int:
        """Position of setting ``(k, β)``; raises ``KeyError`` if it was not run."""
        key = (float(k), float(beta))
        if key not in self.settings:
            raise KeyError(f"setting (k={k}, beta={beta}) was not run; settings: {self.settings}")
        return self.settings.index(key)

    def val(self, k: float, beta: float) -> np.ndarray:
        """Validation curves ``(n_rec, R)`` of setting ``(k, β)``."""
        return self.val_loss[:, self.index(k, beta)]

    def summary(self, k: float, beta: float) -> dict:
        """:func:`dip_summary` of setting ``(k, β)``."""
        return dip_summary(self.val(k, beta), self.steps)


def run_label_noise(split: TwoClassSplit, settings, *, hidden, lr: float, steps: int, record_every: int,
                    n_seeds: int, convention: str = "code", device=None,
                    cache_name: str | None = None) -> LabelNoiseResult:
    """Rahaman et al.'s Exp3: train on ``τ0 + β ψ_k`` (training labels only), validate on clean labels.

    Parameters
    ----------
    split : TwoClassSplit
        The data (:func:`load_pair`).
    settings : sequence of (float, float)
        ``(k, β)`` pairs (:func:`label_noise_settings`).
    hidden, lr, steps, record_every, n_seeds, device, cache_name
        See :func:`train_label_sets`.
    convention : {"code", "paper"}, default "code"
        Of :func:`radial_noise`.

    Returns
    -------
    LabelNoiseResult
        Validation and training curves.

    Raises
    ------
    ValueError
        If ``settings`` is empty or holds invalid values.

    Examples
    --------
    >>> s = load_digits_pair()
    >>> r = run_label_noise(s, [(0.0, 0.0), (5.0, 1.0)], hidden=[8], lr=1e-3, steps=2,
    ...                     record_every=1, n_seeds=1)
    >>> r.val_loss.shape
    (3, 2, 1)
    """
    pairs = [(_check_k(k), _check_k(b, "beta")) for k, b in settings]
    if not pairs:
        raise ValueError("settings must hold at least one (k, beta) pair")
    Y = np.stack(
        [split.y_train + b * radial_noise(split.x_train, k, convention=convention) for k, b in pairs]
    )
    run = train_label_sets(split.x_train, Y, hidden=hidden, lr=lr, steps=steps, record_every=record_every,
                           n_seeds=n_seeds, x_eval=split.x_val, y_eval=split.y_val, keep_predictions=False,
                           device=device, cache_name=cache_name)
    return LabelNoiseResult(settings=pairs, steps=run.steps, val_loss=run.eval_loss,
                            train_loss=run.train_loss)
