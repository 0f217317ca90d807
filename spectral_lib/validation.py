"""Input validation shared by every module of the library.

Each public function of ``spectral_lib`` validates its arguments at the boundary and
raises a clear ``TypeError`` or ``ValueError``; the checks it needs live here, once, in
the manner of :mod:`sklearn.utils.validation`. Each function returns the validated value
in a canonical type (``int``, ``float``, a float64 array), so callers use what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def _int_at_least(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        kind = "positive" if low == 1 else "non-negative"
        raise ValueError(f"{name} must be a {kind} integer, got {value!r}")
    return int(value)


def check_positive_int(name: str, value) -> int:
    """Return ``value`` as an ``int`` if it is an integer ``>= 1``.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : object
        The value to check.

    Returns
    -------
    int
        The value.

    Raises
    ------
    ValueError
        If ``value`` is not an integer (``bool`` excluded) or is below 1.

    Examples
    --------
    >>> check_positive_int("width", 64)
    64
    """
    return _int_at_least(name, value, 1)


def check_nonnegative_int(name: str, value) -> int:
    """As :func:`check_positive_int`, but zero is accepted: ``value`` as an ``int`` if ``>= 0``.

    Parameters
    ----------
    name, value : str, object
        As in :func:`check_positive_int`.

    Returns
    -------
    int
        ``value``, a non-negative Python ``int``.

    Raises
    ------
    ValueError
        As :func:`check_positive_int`, for a negative rather than a non-positive ``value``.

    Examples
    --------
    >>> check_nonnegative_int("L", 0)
    0
    """
    return _int_at_least(name, value, 0)


def check_seed(value, name: str = "seed") -> int:
    """Return a random seed as an ``int``: a non-negative integer.

    Parameters
    ----------
    value : object
        The seed.
    name : str, default "seed"
        The argument's name, for the error message.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    ValueError
        If ``value`` is not a non-negative integer.

    Examples
    --------
    >>> check_seed(3)
    3
    """
    return check_nonnegative_int(name, value)


def check_seeds(seeds: Iterable) -> list[int]:
    """Return a non-empty sequence of seeds as a list of ``int``.

    Parameters
    ----------
    seeds : iterable of int
        Non-negative integers.

    Returns
    -------
    list of int
        The seeds, in order.

    Raises
    ------
    ValueError
        If a seed is not a non-negative integer, or there is none.

    Examples
    --------
    >>> check_seeds((0, 1, 2))
    [0, 1, 2]
    """
    out = [check_seed(s, "seeds") for s in seeds]
    if not out:
        raise ValueError("seeds must not be empty")
    return out


def check_widths(hidden, *, min_layers: int = 0) -> list[int]:
    """Return a network's hidden-layer widths as a list of ``int``.

    Parameters
    ----------
    hidden : sequence of int
        One width per hidden layer.
    min_layers : int, default 0
        The least number of hidden layers the network needs.

    Returns
    -------
    list of int
        The widths, in order.

    Raises
    ------
    TypeError
        If ``hidden`` is a single integer (a width where a list of widths belongs).
    ValueError
        If a width is not a positive integer, or there are fewer than ``min_layers``.

    Examples
    --------
    >>> check_widths((64, 64), min_layers=1)
    [64, 64]
    """
    if isinstance(hidden, (int, np.integer)):
        raise TypeError(f"hidden must be a sequence of widths, e.g. [{hidden}] * 3, not an int")
    widths = [check_positive_int("hidden width", h) for h in hidden]
    if len(widths) < min_layers:
        raise ValueError(f"hidden must hold at least {min_layers} width(s), got {widths}")
    return widths


def _finite_real(name: str, value, *, zero_ok: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    if not np.isfinite(v) or v < 0 or (v == 0 and not zero_ok):
        sign = "non-negative" if zero_ok else "positive"
        raise ValueError(f"{name} must be finite and {sign}, got {value!r}")
    return v


def check_positive_float(name: str, value) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number ``> 0``.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : int or float
        A real number, Python's or NumPy's (``bool`` excluded).

    Returns
    -------
    float
        ``value`` converted to a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is not finite or not positive.

    Examples
    --------
    >>> check_positive_float("lr", 1e-3)
    0.001
    """
    return _finite_real(name, value, zero_ok=False)


def check_nonnegative_float(name: str, value) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number ``>= 0``.

    Zero is accepted; otherwise this is :func:`check_positive_float`, with the same
    arguments and errors.

    Parameters
    ----------
    name : str
    value : object

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`check_positive_float`, but the ``ValueError`` is for a negative value.

    Examples
    --------
    >>> check_nonnegative_float("k", 0)
    0.0
    """
    return _finite_real(name, value, zero_ok=True)


def check_interval(interval, name: str = "interval") -> tuple[float, float]:
    """Return a finite interval ``(a, b)`` with ``a < b`` as two floats.

    Parameters
    ----------
    interval : pair of float
        The endpoints.
    name : str, default "interval"
        The argument's name, for the error message.

    Returns
    -------
    tuple of float
        ``(a, b)``.

    Raises
    ------
    ValueError
        If ``interval`` is not a pair of numbers, or not finite with ``a < b``.

    Examples
    --------
    >>> check_interval((0, 1))
    (0.0, 1.0)
    """
    try:
        a, b = (float(v) for v in interval)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a pair of numbers (a, b), got {interval!r}") from err
    if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
        raise ValueError(f"{name} must be finite with a < b, got {interval!r}")
    return a, b


def as_finite_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a float64 array after checking it is real, finite and of ``ndim``.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : array_like
        Real numbers.
    ndim : int, optional
        The required number of dimensions.

    Returns
    -------
    numpy.ndarray
        A float64 copy.

    Raises
    ------
    TypeError
        If the values are not real numbers.
    ValueError
        If the array has the wrong number of dimensions or holds NaN or infinities.

    Examples
    --------
    >>> as_finite_array("x", [1, 2], ndim=1)
    array([1., 2.])
    """
    arr = np.asarray(value)
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def check_frequencies(freqs, n_points: int | None = None) -> np.ndarray:
    """Return integer frequencies (cycles per unit interval) as an ``int`` array.

    Parameters
    ----------
    freqs : sequence of int
        Positive integers.
    n_points : int, optional
        If given, every frequency must lie below the Nyquist bin ``n_points // 2`` of a
        grid of that many points.

    Returns
    -------
    numpy.ndarray of int
        The frequencies.

    Raises
    ------
    TypeError
        If ``freqs`` is not numeric.
    ValueError
        If it is empty, not 1-D, holds non-integers or values below 1, or reaches the
        Nyquist bin.

    Examples
    --------
    >>> check_frequencies([5, 10], n_points=200)
    array([ 5, 10])
    """
    k = as_finite_array("freqs", freqs, ndim=1)
    if k.size == 0 or not np.all(np.round(k) == k) or np.any(k < 1):
        raise ValueError(f"freqs must be a non-empty sequence of positive integers, got {freqs!r}")
    if n_points is not None and np.any(k >= n_points // 2):
        raise ValueError(f"freqs must be below N/2 = {n_points // 2} to be read without aliasing")
    return k.astype(int)


def as_matrix(x, name: str = "inputs", *, allow_1d: bool = False) -> np.ndarray:
    """Return inputs of shape ``(n, d)``, ``n >= 1``, as a finite float64 array.

    Parameters
    ----------
    x : array_like or torch.Tensor, shape (n, d)
        The inputs.
    name : str, default "inputs"
        The argument's name, for the error message.
    allow_1d : bool, default False
        Whether an input of shape ``(n,)`` is accepted, as ``n`` points of dimension 1.

    Returns
    -------
    numpy.ndarray, shape (n, d)
        A float64 array.

    Raises
    ------
    TypeError
        If the values are not numeric.
    ValueError
        If the shape is not ``(n, d)`` with ``n >= 1`` or a value is not finite.

    Examples
    --------
    >>> as_matrix([[0, 1]]).shape
    (1, 2)
    >>> as_matrix([0, 1, 2], allow_1d=True).shape
    (3, 1)
    """
    arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x)
    if allow_1d and arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] < 1:
        shape = "(n, d) (or (n,) for 1-D)" if allow_1d else "(n, d) with n >= 1"
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    return arr


def check_pairs(pairs, n: int) -> np.ndarray:
    """Return index pairs of shape ``(n_pairs, 2)`` into ``range(n)`` as int64.

    Parameters
    ----------
    pairs : array_like of int, shape (n_pairs, 2)
        Index pairs.
    n : int
        The number of indexed items.

    Returns
    -------
    numpy.ndarray of int64, shape (n_pairs, 2)
        The pairs.

    Raises
    ------
    TypeError
        If the pairs are not integers.
    ValueError
        If the shape is wrong or an index lies outside ``0 .. n - 1``.

    Examples
    --------
    >>> check_pairs([[0, 1]], 2)
    array([[0, 1]])
    """
    q = np.asarray(pairs)
    if q.ndim != 2 or q.shape[1] != 2 or q.shape[0] == 0:
        raise ValueError(f"pairs must have shape (n_pairs, 2) with n_pairs >= 1, got {q.shape}")
    if not np.issubdtype(q.dtype, np.integer):
        raise TypeError(f"pairs must hold integer indices, got dtype {q.dtype}")
    if q.min() < 0 or q.max() >= n:
        raise ValueError(f"pair indices must lie in 0..{n - 1}")
    return q.astype(np.int64)
