"""Evaluating trained classifiers: accuracy, probability maps off the data, and nearest-neighbour baselines.
"""

from __future__ import annotations

import numpy as np
import torch

from spectral_lib import datasets, validation


def _plane_grid(extent: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be positive and finite, got {extent!r}")
    n = validation.check_positive_int("n", n)
    if n < 4:
        raise ValueError("the map needs at least 4 points per side")
    ticks = -extent + 2 * extent * np.arange(n) / n  # periodic grid of [-extent, extent)
    gx, gy = np.meshgrid(ticks, ticks, indexing="xy")
    return ticks, np.stack([gx.ravel(), gy.ravel()], axis=-1)


def probability_map(model: torch.nn.Module, *, extent: float = 1.6, n: int = 128) -> np.ndarray:
    """``sigmoid(f(x))`` of a classifier on the ``n × n`` grid of ``[−extent, extent)²``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(M, 2)`` inputs to ``(M, 1)`` logits.
    extent : float, default 1.6
        Half-width of the square (the paper's Fig. 7 uses 1.6).
    n : int, default 128
        Points per side (``x_j = −extent + 2·extent·j/n``).

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Probabilities; row ``i`` is the ``i``-th value of the second coordinate.

    Raises
    ------
    ValueError
        On invalid ``extent``/``n``, or a non-finite model output.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> probability_map(networks.relu_mlp(2, [8], seed=0), n=8).shape
    (8, 8)
    """
    _, pts = _plane_grid(extent, n)
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    device = param.device if param is not None else torch.device("cpu")
    with torch.no_grad():
        logits = model(torch.tensor(pts, dtype=dtype, device=device)).reshape(-1).double().cpu().numpy()
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model produced non-finite logits")
    return (1.0 / (1.0 + np.exp(-logits))).reshape(n, n)


def knn_probability_map(x, labels, n_neighbors: int, *, extent: float = 1.6, n: int = 128) -> np.ndarray:
    """Class-1 probability of a K-nearest-neighbour classifier on the grid of :func:`probability_map`.

    Parameters
    ----------
    x : array_like, shape (N, 2)
        Training inputs.
    labels : array_like, shape (N,)
        0/1 labels.
    n_neighbors : int
        ``K``, at most ``N``.
    extent, n :
        As :func:`probability_map`.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The fraction of the ``K`` nearest training points labelled 1 (uniform weights).

    Raises
    ------
    ValueError
        If ``x`` is not ``(N, d)`` with ``N`` labels, a label is not 0 or 1, ``K`` exceeds
        ``N``, or ``extent``/``n`` is invalid.

    Examples
    --------
    >>> d = datasets.classification_data(4, 3, 100, seed=0)
    >>> knn_probability_map(d.x, d.y, 5, n=8).shape
    (8, 8)
    """
    from sklearn.neighbors import KNeighborsClassifier

    x, labels = _check_labelled(x, labels)
    K = validation.check_positive_int("n_neighbors", n_neighbors)
    if K > len(x):
        raise ValueError(f"n_neighbors={K} exceeds the number of points {len(x)}")
    _, pts = _plane_grid(extent, n)
    clf = KNeighborsClassifier(n_neighbors=K).fit(x, labels.astype(int))
    proba = clf.predict_proba(pts)
    col = list(clf.classes_).index(1) if 1 in clf.classes_ else None
    p1 = proba[:, col] if col is not None else np.zeros(len(pts))
    return p1.reshape(n, n)


def _check_labelled(x, labels) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64).ravel()
    if x.ndim != 2 or x.shape[0] != labels.size or x.shape[0] < 1:
        raise ValueError("x must be (N, d) and labels (N,)")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    if not np.all(np.isin(labels, (0.0, 1.0))):
        raise ValueError("labels must be 0 or 1")
    return x, labels


def knn_accuracy(x_train, y_train, x_test, y_test, n_neighbors: int) -> float:
    """Accuracy of a K-nearest-neighbour classifier (uniform weights) on held-out points.

    Parameters
    ----------
    x_train, y_train : array_like
        Training inputs ``(N, d)`` and 0/1 labels ``(N,)``.
    x_test, y_test : array_like
        Test inputs ``(M, d)`` and 0/1 labels ``(M,)``.
    n_neighbors : int
        ``K``.

    Returns
    -------
    float
        Fraction of test points classified correctly.

    Raises
    ------
    ValueError
        If a set is not ``(N, d)`` inputs with ``N`` labels in {0, 1}, or ``K`` is not in
        ``1..N`` of the training set.

    Examples
    --------
    >>> tr = datasets.classification_data(0, 3, 200, seed=0)
    >>> te = datasets.classification_data(0, 3, 200, seed=0, offset=0.5)
    >>> knn_accuracy(tr.x, tr.y, te.x, te.y, 5) > 0.9
    True
    """
    from sklearn.neighbors import KNeighborsClassifier

    x_train, y_train = _check_labelled(x_train, y_train)
    x_test, y_test = _check_labelled(x_test, y_test)
    K = validation.check_positive_int("n_neighbors", n_neighbors)
    if K > len(x_train):
        raise ValueError(f"n_neighbors={K} exceeds the number of training points {len(x_train)}")
    clf = KNeighborsClassifier(n_neighbors=K).fit(x_train, y_train.astype(int))
    return float(np.mean(clf.predict(x_test) == y_test.astype(int)))


def classifier_accuracy(model: torch.nn.Module, data: datasets.ManifoldData) -> float:
    """Accuracy of a logit classifier (``f(x) > 0`` predicts 1) on a labelled data set.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(N, 2)`` to ``(N, 1)`` logits.
    data : ManifoldData
        Inputs and 0/1 labels.

    Returns
    -------
    float
        Fraction of the points classified correctly.

    Raises
    ------
    ValueError
        If the labels are not 0/1 or the logits are not finite.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> data = datasets.classification_data(0, 3, 50, 0)
    >>> 0.0 <= classifier_accuracy(networks.relu_mlp(2, [4], seed=0), data) <= 1.0
    True
    """
    x, labels = _check_labelled(data.x, data.y)
    param = next(model.parameters())
    with torch.no_grad():
        logits = model(torch.tensor(x, dtype=param.dtype, device=param.device)).reshape(-1).cpu().numpy()
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model produced non-finite logits")
    return float(np.mean((logits > 0) == (labels > 0.5)))
