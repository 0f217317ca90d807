"""Natural images for coordinate networks: loading, exact area resizing, coordinate grids, PSNR.

Nothing is downloaded: the images named in ``IMAGES`` ship with installed packages,

- ``"grace_hopper"``: matplotlib's sample data ``grace_hopper.jpg`` (600 x 512 RGB);
- ``"china"`` and ``"flower"``: scikit-learn's sample images (427 x 640 RGB).

:func:`load_image` crops the central square and resizes it to ``size x size`` by exact
area averaging (:func:`resize_area`, with the weights of :func:`area_weights`: each output
pixel is the mean of the input area it covers, with fractional weights at the borders), a
deterministic linear map that needs no interpolation library. Values are floats in
[0, 1], RGB or luma.

:func:`noise_image` is the random image of Lazzari & Liu's early experiments (uniform
integer intensities). A coordinate network maps a pixel's position to its colour.
:func:`coordinate_grid` gives
the positions in the same row-major order as ``image.reshape(-1, channels)``, and
:func:`image_samples` returns both arrays at once; :func:`psnr` scores a reconstruction.
"""

from __future__ import annotations

import numpy as np

from spectral_lib import seeding, validation

IMAGES: tuple[str, ...] = ("grace_hopper", "china", "flower")


# ITU-R BT.601 luma weights, used for grayscale conversion.
_LUMA = np.array([0.299, 0.587, 0.114])


def _raw_image(name: str) -> np.ndarray:
    """The packaged image as uint8 of shape (H, W, 3)."""
    if name == "grace_hopper":
        import matplotlib.cbook as cbook
        import matplotlib.image as mimage

        with cbook.get_sample_data("grace_hopper.jpg") as fh:
            img = mimage.imread(fh, format="jpg")
    else:
        from sklearn.datasets import load_sample_image

        img = load_sample_image(f"{name}.jpg")
    img = np.asarray(img)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=-1)
    return img[..., :3]


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """Matrix of exact area-averaging weights that resizes an axis of ``n_in`` pixels to ``n_out``.

    Output pixel ``i`` covers the interval ``[i s, (i + 1) s)`` of input pixels, with
    ``s = n_in / n_out``; its value is the average of the input over that interval, input
    pixel ``j`` being constant on ``[j, j + 1)``. Each row sums to one.

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)
        Non-negative weights, rows summing to 1.

    Raises
    ------
    ValueError
        If a length is not a positive integer.

    Examples
    --------
    >>> area_weights(4, 2)
    array([[0.5, 0.5, 0. , 0. ],
           [0. , 0. , 0.5, 0.5]])
    """
    n_in = validation.check_positive_int("n_in", n_in)
    n_out = validation.check_positive_int("n_out", n_out)
    scale = n_in / n_out
    lo = np.arange(n_out)[:, None] * scale
    hi = lo + scale
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
    return overlap / scale


def resize_area(image, size: int) -> np.ndarray:
    """Resize an image to ``size x size`` by exact area averaging.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        A finite numeric image.
    size : int
        Output side length.

    Returns
    -------
    numpy.ndarray, shape (size, size) or (size, size, C)
        float64. The mean over the image is preserved exactly (up to rounding) when the
        aspect ratio is unchanged.

    Raises
    ------
    ValueError
        If ``image`` is not 2-D or 3-D, is empty, holds NaN/inf, or ``size`` is invalid.

    Examples
    --------
    >>> resize_area(np.arange(16.0).reshape(4, 4), 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim not in (2, 3) or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("image contains NaN or infinite values")
    size = validation.check_positive_int("size", size)
    rows = area_weights(arr.shape[0], size)
    cols = area_weights(arr.shape[1], size)
    out = np.tensordot(rows, arr, axes=(1, 0))  # (size, W, ...): two separable passes
    out = np.tensordot(cols, out, axes=(1, 1))  # (size_cols, size_rows, ...)
    return np.swapaxes(out, 0, 1)


def load_image(name: str = "grace_hopper", size: int = 64, *, grayscale: bool = False) -> np.ndarray:
    """Load a natural image shipped with an installed package, square-cropped and resized.

    Parameters
    ----------
    name : {"grace_hopper", "china", "flower"}, default "grace_hopper"
        ``grace_hopper`` is matplotlib's sample image; ``china`` and ``flower`` are
        scikit-learn's.
    size : int, default 64
        Side length of the output. The central square of the image (side ``min(H, W)``)
        is cropped, then resized by :func:`resize_area`.
    grayscale : bool, default False
        If True, return luma (ITU-R BT.601 weights) with a single channel.

    Returns
    -------
    numpy.ndarray, shape (size, size, C)
        float64 values in [0, 1]; ``C = 3`` (RGB) or ``1`` (grayscale).

    Raises
    ------
    ValueError
        If ``name`` is unknown or ``size`` is not a positive integer, or larger than the
        crop (upsampling would invent detail).

    Examples
    --------
    >>> img = load_image("grace_hopper", 32)
    >>> img.shape, bool(img.min() >= 0.0 and img.max() <= 1.0)
    ((32, 32, 3), True)
    """
    if name not in IMAGES:
        raise ValueError(f"unknown image {name!r}; choose one of {IMAGES}")
    size = validation.check_positive_int("size", size)
    raw = _raw_image(name)
    h, w = raw.shape[:2]
    side = min(h, w)
    if size > side:
        raise ValueError(f"size {size} exceeds the image's square crop of {side} pixels")
    top, left = (h - side) // 2, (w - side) // 2
    crop = raw[top : top + side, left : left + side].astype(np.float64) / 255.0
    out = resize_area(crop, size)
    if grayscale:
        out = (out @ _LUMA)[..., None]
    return np.clip(out, 0.0, 1.0)


def coordinate_grid(size: int, dim: int = 2, interval=(0.0, 1.0), *, endpoint: bool = False) -> np.ndarray:
    """Coordinates of a regular ``size**dim`` grid on ``interval**dim``, row-major.

    Parameters
    ----------
    size : int
        Points per axis.
    dim : int, default 2
        Number of coordinates (1 for signals, 2 for images).
    interval : (float, float), default (0, 1)
        The interval ``[a, b]`` of every axis.
    endpoint : bool, default False
        ``False``: ``a + (b - a) n / size`` for ``n < size`` (the DFT grid of the book,
        ``b`` excluded); ``True``: ``linspace(a, b, size)`` (the grid of Lazzari & Liu's
        image scripts).

    Returns
    -------
    numpy.ndarray, shape (size**dim, dim)
        float64. Row ``r`` is the position of the ``r``-th pixel of
        ``image.reshape(-1, C)``: column 0 is the row index's coordinate, column 1 the
        column index's (``indexing="ij"``).

    Raises
    ------
    ValueError
        If ``size``/``dim`` are not positive integers or ``interval`` is not ``a < b``.

    Examples
    --------
    >>> coordinate_grid(2, 2)
    array([[0. , 0. ],
           [0. , 0.5],
           [0.5, 0. ],
           [0.5, 0.5]])
    """
    size = validation.check_positive_int("size", size)
    dim = validation.check_positive_int("dim", dim)
    a, b = validation.check_interval(interval)
    if endpoint:
        if size < 2:
            raise ValueError("endpoint=True needs at least 2 points per axis")
        axis = np.linspace(a, b, size)
    else:
        axis = a + (b - a) * np.arange(size) / size
    mesh = np.meshgrid(*([axis] * dim), indexing="ij")
    return np.stack([m.reshape(-1) for m in mesh], axis=-1)


def image_samples(image, interval=(0.0, 1.0), *, endpoint: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Turn a square image into coordinate-network training data.

    Parameters
    ----------
    image : array_like, shape (S, S, C)
        A square image.
    interval : (float, float), default (0, 1)
        Coordinate interval, see :func:`coordinate_grid`.
    endpoint : bool, default False
        See :func:`coordinate_grid`.

    Returns
    -------
    x : numpy.ndarray, shape (S*S, 2)
        Pixel positions.
    y : numpy.ndarray, shape (S*S, C)
        Pixel values, in the same order.

    Raises
    ------
    ValueError
        If ``image`` is not a square ``(S, S, C)`` array.

    Examples
    --------
    >>> x, y = image_samples(np.zeros((4, 4, 3)))
    >>> x.shape, y.shape
    ((16, 2), (16, 3))
    """
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim != 3 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1:
        raise ValueError(f"image must be a square (S, S, C) array, got shape {arr.shape}")
    size = arr.shape[0]
    return coordinate_grid(size, 2, interval, endpoint=endpoint), arr.reshape(size * size, -1)


def psnr(prediction, target, data_range: float = 1.0):
    """Peak signal-to-noise ratio ``10 log10(data_range**2 / MSE)`` in decibels.

    The MSE is taken over all axes of ``target``; ``prediction`` may carry extra leading
    axes (e.g. an ensemble), giving one PSNR per leading index.

    Parameters
    ----------
    prediction : array_like or torch.Tensor, shape (..., target.shape)
        Predicted values.
    target : array_like or torch.Tensor
        Reference values.
    data_range : float, default 1.0
        The peak value (1 for images in [0, 1]).

    Returns
    -------
    float or numpy.ndarray
        PSNR in dB; ``inf`` where the prediction equals the target exactly.

    Raises
    ------
    ValueError
        If the shapes do not match, an input holds NaN/inf, or ``data_range`` is not positive.

    Examples
    --------
    >>> round(psnr(np.full(4, 0.1), np.zeros(4)), 6)
    20.0
    """

    def _np(a):
        return np.asarray(a.detach().cpu().numpy() if hasattr(a, "detach") else a, dtype=np.float64)

    pred, tgt = _np(prediction), _np(target)
    if not (np.isfinite(data_range) and data_range > 0):
        raise ValueError(f"data_range must be a positive finite number, got {data_range!r}")
    if tgt.size == 0 or pred.ndim < tgt.ndim or pred.shape[pred.ndim - tgt.ndim :] != tgt.shape:
        raise ValueError(f"prediction shape {pred.shape} must end with the target shape {tgt.shape}")
    if not (np.all(np.isfinite(pred)) and np.all(np.isfinite(tgt))):
        raise ValueError("prediction or target contains NaN or infinite values")
    axes = tuple(range(pred.ndim - tgt.ndim, pred.ndim))
    mse = np.mean((pred - tgt) ** 2, axis=axes)
    with np.errstate(divide="ignore"):
        out = 10.0 * np.log10(data_range**2 / mse)
    return float(out) if np.ndim(out) == 0 else out


def noise_image(size: int = 64, *, channels: int = 3, seed=0) -> np.ndarray:
    """A random image: independent integer intensities ``0..254`` per pixel and channel, over 255.

    The target of Lazzari & Liu's random-image scripts (``np.random.randint(0, 255)``, scaled
    to ``[0, 1)``): a signal with no spatial structure, whose every pixel has to be fitted on
    its own.

    Parameters
    ----------
    size : int, default 64
        Side in pixels.
    channels : int, default 3
        Colour channels.
    seed : int, default 0
        Seed (resolved by :func:`spectral_lib.seeding.resolve`).

    Returns
    -------
    numpy.ndarray of float64, shape (size, size, channels)
        Values in ``[0, 254 / 255]``.

    Raises
    ------
    ValueError
        If ``size`` or ``channels`` is not a positive integer, or ``seed`` is invalid.

    Examples
    --------
    >>> img = noise_image(8, seed=0)
    >>> img.shape, bool(img.min() >= 0 and img.max() <= 254 / 255)
    ((8, 8, 3), True)
    """
    size = validation.check_positive_int("size", size)
    channels = validation.check_positive_int("channels", channels)
    return seeding.rng(seed).integers(0, 255, (size, size, channels)).astype(np.float64) / 255.0
