"""Low- and high-resolution versions of one image, and interpolation of the low-resolution pixels.

Two ways of making a coarse image of a fine one, each with the interpolation that matches it
(:func:`interpolate`, spline interpolation by ``scipy.ndimage.map_coordinates``):

- **point samples on a grid through the corners** (``align="corners"``): the coarse pixels
  are ``image[::factor, ::factor]`` of an image of side ``factor (n - 1) + 1``; coarse
  pixel ``i`` sits on fine pixel ``factor i``;
- **area averages** (``align="centres"``, :func:`low_resolution_pair`): the coarse image is
  the exact area average of the fine one (:func:`spectral_lib.datasets.resize_area`), of
  side ``n`` against ``factor n``; every pixel is its value at its centre, coarse pixel
  ``i`` at ``(i + 1/2) / n`` and fine pixel ``j`` at ``(j + 1/2) / (factor n)`` of
  ``[0, 1)`` (:func:`pixel_centres`).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from spectral_lib import validation

from .images import load_image, psnr, resize_area

#: The pixel alignments of :func:`interpolate`.
ALIGNMENTS: tuple[str, ...] = ("corners", "centres")


def interpolate(samples, factor: int, order: int, *, align: str = "corners") -> np.ndarray:
    """Spline interpolation of order ``order`` of a coarse square image at ``factor`` times its resolution.

    Parameters
    ----------
    samples : array_like, shape (n, n)
        The coarse pixels: ``image[::factor, ::factor]`` for ``align="corners"``, the area
        average of the fine image for ``align="centres"``.
    factor : int
        The resolution factor.
    order : {0, 1, 3}
        0 nearest neighbour, 1 bilinear, 3 cubic spline (``scipy.ndimage.map_coordinates``,
        values beyond the edge pixels held constant).
    align : {"corners", "centres"}, default "corners"
        ``"corners"``: output of side ``factor (n - 1) + 1`` whose pixel ``factor i`` is
        coarse pixel ``i``; ``"centres"``: output of side ``factor n``, fine pixel ``j`` at
        coarse position ``(j + 1/2) / factor - 1/2`` (pixel centres aligned).

    Returns
    -------
    numpy.ndarray
        The interpolated image, clipped to [0, 1]; with ``"corners"`` equal to ``samples``
        on the coarse grid.

    Raises
    ------
    ValueError
        If ``samples`` is not a finite square 2-D array, ``order`` is not 0, 1 or 3, or
        ``align`` is unknown.

    Examples
    --------
    >>> interpolate(np.array([[0.0, 1.0], [0.0, 1.0]]), 2, 1)[0]
    array([0. , 0.5, 1. ])
    >>> interpolate(np.array([[0.0, 1.0], [0.0, 1.0]]), 2, 1, align="centres")[0]
    array([0.  , 0.25, 0.75, 1.  ])
    """
    a = np.asarray(samples, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or not np.all(np.isfinite(a)):
        raise ValueError("samples must be a finite square 2-D array")
    factor = validation.check_positive_int("factor", factor)
    if order not in (0, 1, 3):
        raise ValueError(f"order must be 0, 1 or 3, got {order!r}")
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {ALIGNMENTS}, got {align!r}")
    if align == "corners":
        pos = np.arange(factor * (a.shape[0] - 1) + 1) / factor
    else:
        pos = (np.arange(factor * a.shape[0]) + 0.5) / factor - 0.5
    ii, jj = np.meshgrid(pos, pos, indexing="ij")
    return np.clip(ndimage.map_coordinates(a, [ii, jj], order=order, mode="nearest"), 0.0, 1.0)


def subsample_interpolations(image, split, factor: int, orders) -> tuple[np.ndarray, np.ndarray]:
    """Every ``factor``-th pixel of ``image`` interpolated back to full size, scored on each split part.

    The baseline of the coordinate-network comparisons: the networks see the pixels
    ``image[::factor, ::factor]``, and a spline of each order in ``orders`` through the same
    pixels (:func:`interpolate`, ``align="corners"``) is scored like them.

    Parameters
    ----------
    image : array_like, shape (n, n)
        The full-resolution image, ``n = factor (m - 1) + 1`` for ``m`` samples a side.
    split : array_like of int, shape (n, n)
        0 for the pixels the networks see, 1 validation, 2 test.
    factor : int
        The resolution factor.
    orders : sequence of {0, 1, 3}
        The spline orders.

    Returns
    -------
    interpolations : numpy.ndarray, shape (len(orders), n, n)
    psnr : numpy.ndarray, shape (len(orders), 3)
        PSNR on the seen, validation and test pixels.

    Raises
    ------
    ValueError
        If ``image`` is not square, ``split`` is not of its shape, ``factor`` does not fit
        the image's side, or an order is not 0, 1 or 3.

    Examples
    --------
    >>> img = np.add.outer(np.arange(5.0), np.arange(5.0)) / 8
    >>> split = np.full((5, 5), 2); split[::2, ::2] = 0; split[1::2, ::2] = 1
    >>> interp, score = subsample_interpolations(img, split, 2, [1])
    >>> bool(np.allclose(interp[0], img)), score.shape
    (True, (1, 3))
    """
    img = np.asarray(image)
    part = np.asarray(split)
    if img.ndim != 2 or img.shape[0] != img.shape[1]:
        raise ValueError(f"image must be a square 2-D array, got shape {img.shape}")
    if part.shape != img.shape:
        raise ValueError(f"split must have the image's shape {img.shape}, got {part.shape}")
    f = validation.check_positive_int("factor", factor)
    if (img.shape[0] - 1) % f:
        raise ValueError(f"an image of side {img.shape[0]} is not {f} (m - 1) + 1 pixels for m samples")
    samples = img[::f, ::f]
    interp = np.stack([interpolate(samples, f, order) for order in orders])
    parts = [part.ravel() == i for i in range(3)]
    scores = np.array([[psnr(r.ravel()[q], img.ravel()[q]) for q in parts] for r in interp])
    return interp, scores


def pixel_centres(size: int) -> np.ndarray:
    """The centres ``((i + 1/2) / size, (j + 1/2) / size)`` of the pixels of a square image, row-major.

    Parameters
    ----------
    size : int
        Pixels per side.

    Returns
    -------
    numpy.ndarray, shape (size**2, 2)
        Row ``i size + j`` is pixel ``(i, j)``, the order of ``image.reshape(-1)``.

    Raises
    ------
    ValueError
        If ``size`` is not a positive integer.

    Examples
    --------
    >>> pixel_centres(2)
    array([[0.25, 0.25],
           [0.25, 0.75],
           [0.75, 0.25],
           [0.75, 0.75]])
    """
    size = validation.check_positive_int("size", size)
    axis = (np.arange(size) + 0.5) / size
    ii, jj = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([ii.ravel(), jj.ravel()], axis=-1)


def low_resolution_pair(name: str, low_size: int, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """A grayscale packaged image of side ``factor * low_size`` and its area average of side ``low_size``.

    Parameters
    ----------
    name : str
        One of ``spectral_lib.datasets.IMAGES``.
    low_size : int
        Side of the low-resolution image (at least 4).
    factor : int
        Resolution factor (at least 2).

    Returns
    -------
    high : numpy.ndarray, shape (factor low_size, factor low_size)
        :func:`spectral_lib.datasets.load_image` in grayscale.
    low : numpy.ndarray, shape (low_size, low_size)
        ``resize_area(high, low_size)``: each pixel the mean of the ``factor x factor``
        block of ``high`` it covers.

    Raises
    ------
    ValueError
        If the image is unknown or a size is too small or too large for the image.

    Examples
    --------
    >>> high, low = low_resolution_pair("china", 8, 4)
    >>> high.shape, low.shape, bool(np.isclose(low[0, 0], high[:4, :4].mean()))
    ((32, 32), (8, 8), True)
    """
    low_size = validation.check_positive_int("low_size", low_size)
    factor = validation.check_positive_int("factor", factor)
    if low_size < 4 or factor < 2:
        raise ValueError(f"low_size must be >= 4 and factor >= 2, got {low_size} and {factor}")
    high = load_image(name, factor * low_size, grayscale=True)[..., 0]
    return high, resize_area(high, low_size)
