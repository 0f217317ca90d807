"""Polygon geometry for the 2-D transforms: edge normals, the direction farthest from them, chords.
"""

from __future__ import annotations

import numpy as np


def edge_normal_angles(polygons) -> np.ndarray:
    """Angles in ``[0, π)`` of the normals of all edges of a list of polygons.

    Parameters
    ----------
    polygons : sequence of array_like, each of shape (m_i, 2)
        Polygons as vertex arrays (e.g. ``cpwl.partition_2d(...).polygons``).

    Returns
    -------
    numpy.ndarray
        Sorted normal angles modulo ``π`` (a normal and its opposite are one direction).

    Raises
    ------
    ValueError
        If a polygon is not an ``(m, 2)`` array with ``m >= 3`` finite vertices.

    Examples
    --------
    >>> np.degrees(edge_normal_angles([np.array([[0, 0], [1, 0], [1, 1], [0, 1]])]))
    array([ 0.,  0., 90., 90.])
    """
    out = []
    for P in polygons:
        P = np.asarray(P, dtype=np.float64)
        if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] < 3 or not np.all(np.isfinite(P)):
            raise ValueError("each polygon must be a finite (m, 2) vertex array with m >= 3")
        d = np.roll(P, -1, axis=0) - P
        keep = np.hypot(d[:, 0], d[:, 1]) > 0
        out.append((np.arctan2(d[keep, 1], d[keep, 0]) + np.pi / 2) % np.pi)
    if not out:
        raise ValueError("no polygons given")
    return np.sort(np.concatenate(out))


def farthest_direction(polygons) -> tuple[np.ndarray, float]:
    """The unit direction farthest in angle from every edge normal: the most generic ``k̂``.

    Along an edge's normal the transform of a CPWL function decays one power slower
    (Theorem 1); a direction at angle ``ε`` from a normal behaves like the normal until
    ``k ~ 1/(ε |E|)``. The centre of the widest gap between normal angles maximises the
    smallest ``ε``, so the asymptotic rate shows at the smallest ``k``.

    Parameters
    ----------
    polygons : sequence of array_like
        As in :func:`edge_normal_angles`.

    Returns
    -------
    direction : numpy.ndarray, shape (2,)
        A unit vector.
    margin : float
        Its angle (radians) to the nearest edge normal.

    Raises
    ------
    ValueError
        If a polygon is not an ``(m, 2)`` array with ``m >= 3`` finite vertices (from
        :func:`edge_normal_angles`).

    Examples
    --------
    >>> u, eps = farthest_direction([np.array([[0, 0], [1, 0], [1, 1], [0, 1]])])
    >>> round(float(np.degrees(eps)), 6)
    45.0
    """
    a = edge_normal_angles(polygons)
    ext = np.concatenate([a, [a[0] + np.pi]])
    gaps = np.diff(ext)
    g = int(np.argmax(gaps))
    ang = 0.5 * (ext[g] + ext[g + 1])
    return np.array([np.cos(ang), np.sin(ang)]), float(gaps[g] / 2)


def line_chord(w, b, box) -> float:
    """Length of the chord that the line ``w·x + b = 0`` cuts from a box (0 if it misses).

    A first-layer neuron's zero set is such a line; inside the box it is one straight facet
    of the network's partition (cut into edges by the other neurons), so the neuron with
    the longest chord marks a long facet, along whose normal Theorem 1's ``k^{-2}`` shows.

    Parameters
    ----------
    w : array_like, shape (2,)
        Non-zero normal of the line.
    b : float
        Offset.
    box : ((float, float), (float, float))
        ``((x0, x1), (y0, y1))``.

    Returns
    -------
    float
        The chord length.

    Raises
    ------
    ValueError
        If ``w`` is zero or not finite, or the box is degenerate.

    Examples
    --------
    >>> round(line_chord([1.0, 1.0], -1.0, ((0, 1), (0, 1))), 6)
    1.414214
    >>> line_chord([1.0, 0.0], 5.0, ((0, 1), (0, 1)))
    0.0
    """
    w = np.asarray(w, dtype=np.float64)
    (x0, x1), (y0, y1) = ((float(box[0][0]), float(box[0][1])), (float(box[1][0]), float(box[1][1])))
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.any(w != 0) or not np.isfinite(b):
        raise ValueError(f"w must be a finite non-zero 2-vector and b finite, got {w!r}, {b!r}")
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"degenerate box {box!r}")
    pts = []
    for x in (x0, x1):
        if w[1] != 0:
            y = -(b + w[0] * x) / w[1]
            if y0 <= y <= y1:
                pts.append((x, y))
    for y in (y0, y1):
        if w[0] != 0:
            x = -(b + w[1] * y) / w[0]
            if x0 <= x <= x1:
                pts.append((x, y))
    if len(pts) < 2:
        return 0.0
    return float(max(np.hypot(p[0] - q[0], p[1] - q[1]) for p in pts for q in pts))
