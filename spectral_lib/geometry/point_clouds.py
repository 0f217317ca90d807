"""Geometry of point clouds: nearest-neighbour distances.
"""

from __future__ import annotations

import numpy as np


def nearest_neighbour_distances(points) -> np.ndarray:
    """Distance from every point to its nearest other point.

    Parameters
    ----------
    points : array_like, shape (N, d)
        ``N >= 2`` finite points.

    Returns
    -------
    numpy.ndarray, shape (N,)
        Euclidean distances, in the points' order.

    Raises
    ------
    ValueError
        If ``points`` is not a finite ``(N, d)`` array with ``N >= 2``.

    Examples
    --------
    >>> nearest_neighbour_distances([[0.0], [1.0], [3.0]])
    array([1., 1., 2.])
    """
    from scipy.spatial.distance import cdist

    p = np.asarray(points, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] < 2 or not np.all(np.isfinite(p)):
        raise ValueError("points must be a finite (N, d) array with N >= 2")
    d = cdist(p, p)
    np.fill_diagonal(d, np.inf)
    return d.min(axis=1)
