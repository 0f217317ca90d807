"""Two-class digit sets for Rahaman et al.'s Exp3, Exp4 and Exp8: scikit-learn's digits, or MNIST from disk.

The official code (``ICML_MNISTLabelNoise.ipynb``) takes two MNIST classes (3 and 8), scales the
pixels to [0, 1], flattens them, labels the first class ``-1`` and the second ``+1`` and, without
shuffling, keeps the first 80 % as training set and the last 20 % as validation set
(:func:`two_class_split`, returning a :class:`TwoClassSplit`). The book runs offline, so its
default data set is the 8×8 digits that ship inside scikit-learn (:func:`load_digits_pair`;
all of them, scaled to [0, 1], from :func:`load_digits_unit`); a reader with MNIST arrays on
disk passes them in with :func:`load_mnist_pair` (the ``paper`` profile). :func:`load_pair`
loads whichever a config names.

``CONVENTIONS`` names the two conventions of the radial label noise,
:func:`spectral_lib.datasets.radial_noise` (the official code's and the paper's Eq. 10).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spectral_lib import paths


def load_digits_unit() -> np.ndarray:
    """scikit-learn's bundled 8×8 digits as ``(1797, 64)`` float64 pixels in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ImportError
        If scikit-learn is not installed.

    Examples
    --------
    >>> load_digits_unit().shape
    (1797, 64)
    """
    return load_digits_labelled()[0]


def load_digits_labelled() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as pixels in ``[0, 1]`` (as :func:`load_digits_unit`) and labels.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Pixels ``(1797, 64)`` float64 and labels ``(1797,)`` int64 in ``0..9``.

    Raises
    ------
    ImportError
        As :func:`load_digits_unit`.

    Examples
    --------
    >>> x, y = load_digits_labelled()
    >>> x.shape, sorted(set(y.tolist())) == list(range(10))
    ((1797, 64), True)
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float64) / 16.0, d.target.astype(np.int64)


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
    classes, val_fraction, n_max
        As in :func:`load_digits_pair`.

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
    root = paths.book_root()
    return root / p if root is not None else p
