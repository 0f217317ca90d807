"""Kernel eigenbases as a "Fourier basis" on real data (Rahaman et al. Exp4).

The eigenvectors ``v_n`` of the Gram matrix ``K_ij = exp(−‖x_i − x_j‖² / (2σ²))`` of an RBF
kernel on the training inputs (:func:`rbf_gram`), sorted by decreasing eigenvalue
(:func:`eigenbasis`), behave like Fourier modes of rising frequency (on uniform points of an
interval they *are* cosine-like modes, see :func:`rbf_eigenbasis_1d`,
:func:`dominant_frequency` and :func:`dominant_frequencies`). The "spectrum" of a function
``f`` on the data is its vector of projections ``f̃[n] = v_n · (f(x_1), …, f(x_N))``
(:func:`project`; Braun et al. 2006).

Around them: the paper's "high-frequency noise" ``Σ_n (n/N)^γ v_n``
(:func:`high_frequency_noise`, Eq. 11); the notebook's binned coefficient plots
(:func:`binned_abs`); the error on the top eigen-coefficients (:func:`top_error`) and the
share of the noise fitted on the bottom ones (:func:`noise_fit`); and bandwidths, the
median pairwise distance (:func:`median_distance`) and a bandwidth carried over to another
data set (:func:`scaled_sigma`). The chapter *Spectral bias on real data* runs Exp4 with
them.

Distances are computed with ``scipy.spatial.distance.cdist``/``pdist``, never by a
broadcast of ``N × N × d`` (the official notebook's broadcast needs 12.5 GB at N = 2000, d = 784).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist, pdist

from spectral_lib import validation


def _check_sigma(sigma) -> float:
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)):
        raise TypeError(f"sigma must be a positive number, got {sigma!r}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be finite and positive, got {sigma!r}")
    return float(sigma)


def median_distance(x) -> float:
    """Median Euclidean distance over all pairs ``i < j`` of inputs.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, ``n >= 2``.

    Returns
    -------
    float
        The median pairwise distance (a common bandwidth choice for RBF kernels).

    Raises
    ------
    ValueError
        If ``x`` has NaN or infinite values, or fewer than two points.

    Examples
    --------
    >>> median_distance(np.array([[0.0], [1.0], [3.0]]))
    2.0
    """
    arr = validation.as_matrix(x, "x", allow_1d=True)
    if arr.shape[0] < 2:
        raise ValueError("median_distance needs at least two inputs")
    return float(np.median(pdist(arr)))


def rbf_gram(x, sigma: float, y=None) -> np.ndarray:
    """Gram matrix of the Gaussian (RBF) kernel, ``exp(−‖x_i − y_j‖² / (2σ²))``.

    This is the official code's kernel (the paper's Eq. 16 prints ``exp(‖x−y‖/σ²)``, a typo).
    Squared distances come from ``scipy.spatial.distance.cdist`` in float64.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs (``(n,)`` is read as 1-D inputs).
    sigma : float
        Bandwidth, positive.
    y : array_like, shape (m, d), optional
        Second set of inputs; defaults to ``x`` (symmetric Gram matrix).

    Returns
    -------
    numpy.ndarray, shape (n, m)
        The kernel matrix, float64.

    Raises
    ------
    ValueError
        If inputs are not finite 2-D arrays of equal dimension or ``sigma`` is not positive.
    TypeError
        If ``sigma`` is not a number.

    Examples
    --------
    >>> K = rbf_gram(np.array([[0.0], [1.0]]), sigma=1.0)
    >>> np.round(K, 4).tolist()
    [[1.0, 0.6065], [0.6065, 1.0]]
    """
    s = _check_sigma(sigma)
    a = validation.as_matrix(x, "x", allow_1d=True)
    b = a if y is None else validation.as_matrix(y, "y", allow_1d=True)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {a.shape[1]} and {b.shape[1]}")
    d2 = cdist(a, b, "sqeuclidean")
    K = np.exp(-d2 / (2.0 * s * s))
    if y is None:
        K = 0.5 * (K + K.T)  # exact symmetry for eigh
        np.fill_diagonal(K, 1.0)
    return K


def eigenbasis(K) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors of a symmetric matrix, sorted by decreasing eigenvalue.

    Signs are fixed deterministically: each eigenvector's entry of largest magnitude is positive.

    Parameters
    ----------
    K : array_like, shape (n, n)
        A symmetric matrix (a Gram matrix).

    Returns
    -------
    eigenvalues : numpy.ndarray, shape (n,)
        Decreasing.
    V : numpy.ndarray, shape (n, n)
        Orthonormal eigenvectors as columns: ``V[:, j]`` belongs to ``eigenvalues[j]``.

    Raises
    ------
    ValueError
        If ``K`` is not a finite square symmetric matrix.

    Examples
    --------
    >>> lam, V = eigenbasis(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> lam.round(12).tolist()
    [3.0, 1.0]
    """
    A = np.asarray(K, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise ValueError(f"K must be a square matrix, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("K contains NaN or infinite values")
    scale = max(1.0, float(np.max(np.abs(A))))
    if not np.allclose(A, A.T, rtol=0, atol=1e-10 * scale):
        raise ValueError("K must be symmetric")
    lam, V = np.linalg.eigh(0.5 * (A + A.T))
    order = np.argsort(lam)[::-1]
    lam, V = lam[order], V[:, order]
    idx = np.argmax(np.abs(V), axis=0)
    signs = np.sign(V[idx, np.arange(V.shape[1])])
    signs[signs == 0] = 1.0
    return lam, V * signs


def project(f, V) -> np.ndarray:
    """Coefficients of functions on the data in an eigenbasis: ``f̃[n] = v_n · f``.

    Parameters
    ----------
    f : array_like, shape (..., n)
        Function values at the ``n`` inputs (any leading axes: seeds, recorded steps).
    V : array_like, shape (n, m)
        Basis vectors as columns (from :func:`eigenbasis`).

    Returns
    -------
    numpy.ndarray, shape (..., m)
        The coefficients.

    Raises
    ------
    ValueError
        If the sizes disagree or values are not finite.

    Examples
    --------
    >>> project(np.array([1.0, 2.0]), np.eye(2)).tolist()
    [1.0, 2.0]
    """
    arr = np.asarray(f.detach().cpu().numpy() if hasattr(f, "detach") else f, dtype=np.float64)
    B = np.asarray(V, dtype=np.float64)
    if B.ndim != 2:
        raise ValueError(f"V must be a matrix with basis vectors as columns, got shape {B.shape}")
    if arr.ndim < 1 or arr.shape[-1] != B.shape[0]:
        raise ValueError(f"f's last axis ({arr.shape[-1:]} ) must match V's rows ({B.shape[0]})")
    if not (np.all(np.isfinite(arr)) and np.all(np.isfinite(B))):
        raise ValueError("f or V contains NaN or infinite values")
    return arr @ B


def high_frequency_noise(V, gamma: float = 2.0) -> np.ndarray:
    """The paper's "high-frequency noise" ``ψ = Σ_n (n/N)^γ v_n`` (Eq. 11).

    As in the official code, the weights are ``linspace(0, 1, N) ** γ`` over the eigenvectors in
    order of decreasing eigenvalue: the top eigenvector gets weight 0, the last weight 1.

    Parameters
    ----------
    V : array_like, shape (N, N)
        Eigenvectors as columns, sorted by decreasing eigenvalue.
    gamma : float, default 2.0
        Non-negative exponent.

    Returns
    -------
    numpy.ndarray, shape (N,)
        The noise at the ``N`` inputs; its coefficients in ``V`` are ``(n/(N−1))^γ``.

    Raises
    ------
    ValueError
        If ``V`` is not a finite square matrix or ``gamma`` is negative.

    Examples
    --------
    >>> high_frequency_noise(np.eye(3), gamma=1.0).tolist()
    [0.0, 0.5, 1.0]
    """
    B = np.asarray(V, dtype=np.float64)
    if B.ndim != 2 or B.shape[0] != B.shape[1] or B.shape[0] < 2:
        raise ValueError(f"V must be a square matrix of size >= 2, got shape {B.shape}")
    if not np.all(np.isfinite(B)):
        raise ValueError("V contains NaN or infinite values")
    if isinstance(gamma, bool) or not np.isfinite(gamma) or gamma < 0:
        raise ValueError(f"gamma must be a non-negative number, got {gamma!r}")
    w = np.linspace(0.0, 1.0, B.shape[1]) ** float(gamma)
    return B @ w


def binned_abs(coeffs, n_bins: int) -> np.ndarray:
    """Mean ``|coefficient|`` in consecutive bins of the eigen-index (the notebook's plots).

    Parameters
    ----------
    coeffs : array_like, shape (..., m)
        Coefficients along the last axis.
    n_bins : int
        Number of bins, ``1 <= n_bins <= m``; bins are as equal as possible
        (``numpy.array_split``).

    Returns
    -------
    numpy.ndarray, shape (..., n_bins)
        Mean absolute coefficient per bin.

    Raises
    ------
    ValueError
        If ``n_bins`` is out of range or values are not finite.

    Examples
    --------
    >>> binned_abs(np.array([1.0, -3.0, 2.0, 2.0]), 2).tolist()
    [2.0, 2.0]
    """
    arr = np.abs(np.asarray(coeffs, dtype=np.float64))
    if arr.ndim < 1:
        raise ValueError("coeffs must have at least one axis")
    m = arr.shape[-1]
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or not (1 <= n_bins <= m):
        raise ValueError(f"n_bins must be an integer in 1..{m}, got {n_bins!r}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("coeffs contain NaN or infinite values")
    return np.stack([b.mean(axis=-1) for b in np.array_split(arr, int(n_bins), axis=-1)], axis=-1)


def dominant_frequency(v, *, pad: int = 16) -> float:
    """Frequency of the largest DFT peak of a sampled vector, in cycles per record.

    The vector is used as given (a constant has frequency 0), zero-padded to ``pad × n``
    samples so the peak is located to ``1/pad`` of a cycle, and the frequency is returned in
    cycles over the ``n`` samples (a cosine with ``c`` cycles across the record reads ≈ ``c``).

    Parameters
    ----------
    v : array_like, shape (n,)
        Samples, ``n >= 2``.
    pad : int, default 16
        Zero-padding factor (``>= 1``).

    Returns
    -------
    float
        The dominant frequency in cycles per record, in ``[0, n/2]``.

    Raises
    ------
    ValueError
        If ``v`` is not a finite 1-D array of at least two samples, or ``pad < 1``.

    Examples
    --------
    >>> n = np.arange(64)
    >>> dominant_frequency(np.cos(2 * np.pi * 5 * n / 64))
    5.0
    """
    arr = np.asarray(v, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"v must be a 1-D array of at least 2 samples, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("v contains NaN or infinite values")
    pad = validation.check_positive_int("pad", pad)
    n = arr.size
    spec = np.abs(np.fft.rfft(arr, n=int(pad) * n))
    return float(np.argmax(spec) / pad)


def rbf_eigenbasis_1d(n: int = 50, sigma: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RBF-kernel eigenbasis on ``n`` uniform points of [0, 1] (the paper's Fig. 6 / Fig. 12).

    Parameters
    ----------
    n : int, default 50
        Number of points ``linspace(0, 1, n)`` (``n >= 2``).
    sigma : float, default 0.05
        Kernel bandwidth.

    Returns
    -------
    t : numpy.ndarray, shape (n,)
        The points.
    eigenvalues : numpy.ndarray, shape (n,)
        Decreasing.
    V : numpy.ndarray, shape (n, n)
        Eigenvectors as columns.

    Raises
    ------
    ValueError
        If ``n < 2`` or ``sigma`` is not positive.

    Examples
    --------
    >>> t, lam, V = rbf_eigenbasis_1d(20, 0.1)
    >>> V.shape, bool(lam[0] >= lam[-1])
    ((20, 20), True)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    t = np.linspace(0.0, 1.0, int(n))
    lam, V = eigenbasis(rbf_gram(t, sigma))
    return t, lam, V


def dominant_frequencies(V, *, pad: int = 16) -> np.ndarray:
    """:func:`dominant_frequency` of every column of ``V``.

    Parameters
    ----------
    V : array_like, shape (n, m)
        Vectors as columns.
    pad : int, default 16
        Zero-padding factor.

    Returns
    -------
    numpy.ndarray, shape (m,)
        Dominant frequency of each column, in cycles per record.

    Raises
    ------
    ValueError
        If ``V`` is not a finite matrix.

    Examples
    --------
    >>> t, lam, V = rbf_eigenbasis_1d(50, 0.05)
    >>> dominant_frequencies(V[:, :3]).tolist()
    [0.0, 0.8125, 1.3125]
    """
    B = np.asarray(V, dtype=np.float64)
    if B.ndim != 2:
        raise ValueError(f"V must be a matrix, got shape {B.shape}")
    return np.array([dominant_frequency(B[:, j], pad=pad) for j in range(B.shape[1])])


def scaled_sigma(sigma: float, x, reference_distance: float | None = None) -> float:
    """A bandwidth transferred to another data set by the ratio of median pairwise distances.

    ``sigma × median_distance(x) / reference_distance``; with ``reference_distance=None`` the
    bandwidth is returned unchanged. The book uses it to carry the paper's σ = 1.25 (chosen
    for MNIST, whose typical pairwise distance is about 10) over to the 8×8 digits.

    Parameters
    ----------
    sigma : float
        The bandwidth on the reference data set.
    x : array_like, shape (n, d)
        The new inputs.
    reference_distance : float, optional
        The median pairwise distance of the reference data set.

    Returns
    -------
    float
        The transferred bandwidth.

    Raises
    ------
    ValueError
        If ``sigma`` or ``reference_distance`` is not positive.

    Examples
    --------
    >>> scaled_sigma(1.25, np.array([[0.0], [2.0]]), reference_distance=10.0)
    0.25
    """
    s = _check_sigma(sigma)
    if reference_distance is None:
        return s
    ref = _check_sigma(reference_distance)
    return s * median_distance(x) / ref


def top_error(coeffs, c_ref, n_top: int) -> np.ndarray:
    """Relative error on the top ``n_top`` eigen-coefficients: ``‖c[:n] − c_ref[:n]‖ / ‖c_ref[:n]‖``.

    Parameters
    ----------
    coeffs : array_like, shape (..., m)
        Coefficients of predictions (:func:`project`).
    c_ref : array_like, shape (m,)
        Coefficients of the reference (e.g. the clean labels).
    n_top : int
        How many leading (largest-eigenvalue) coefficients, ``1 <= n_top <= m``.

    Returns
    -------
    numpy.ndarray, shape (...)
        The relative error.

    Raises
    ------
    ValueError
        If shapes disagree, ``n_top`` is out of range or the reference is zero there.

    Examples
    --------
    >>> top_error(np.array([1.0, 1.0, 5.0]), np.array([1.0, 0.0, 0.0]), 2).item()
    1.0
    """
    c = np.asarray(coeffs, dtype=np.float64)
    r = np.asarray(c_ref, dtype=np.float64)
    if r.ndim != 1 or c.shape[-1:] != r.shape:
        raise ValueError(f"coeffs (..., m) and c_ref (m,) must agree, got {c.shape} and {r.shape}")
    if isinstance(n_top, bool) or not isinstance(n_top, (int, np.integer)) or not (1 <= n_top <= r.size):
        raise ValueError(f"n_top must be an integer in 1..{r.size}, got {n_top!r}")
    norm = np.linalg.norm(r[:n_top])
    if norm == 0:
        raise ValueError("the reference has no weight on the top coefficients")
    return np.linalg.norm(c[..., :n_top] - r[:n_top], axis=-1) / norm


def noise_fit(coeffs, c_clean, c_noise, n_bottom: int) -> np.ndarray:
    """How much of the noise the predictions carry on the bottom ``n_bottom`` eigenvectors.

    ``⟨c − c_clean, c_noise⟩ / ‖c_noise‖²`` over the last ``n_bottom`` coefficients: 0 when the
    prediction has none of the noise there, 1 when it has fitted it exactly.

    Parameters
    ----------
    coeffs : array_like, shape (..., m)
        Coefficients of the predictions.
    c_clean, c_noise : array_like, shape (m,)
        Coefficients of the clean labels and of the noise.
    n_bottom : int
        How many trailing (smallest-eigenvalue) coefficients.

    Returns
    -------
    numpy.ndarray, shape (...)
        The fitted fraction.

    Raises
    ------
    ValueError
        If the three shapes disagree, ``n_bottom`` is not in ``1..m``, or ``c_noise`` has no
        weight on the bottom ``n_bottom`` coefficients.

    Examples
    --------
    >>> noise_fit(np.array([0.0, 0.5, 1.0]), np.zeros(3), np.array([0.0, 1.0, 2.0]), 2).item()
    0.5
    """
    c = np.asarray(coeffs, dtype=np.float64)
    c0 = np.asarray(c_clean, dtype=np.float64)
    cn = np.asarray(c_noise, dtype=np.float64)
    if c0.ndim != 1 or c0.shape != cn.shape or c.shape[-1:] != c0.shape:
        raise ValueError(f"shapes disagree: coeffs {c.shape}, c_clean {c0.shape}, c_noise {cn.shape}")
    ok = not isinstance(n_bottom, bool) and isinstance(n_bottom, (int, np.integer))
    if not ok or not 1 <= n_bottom <= c0.size:
        raise ValueError(f"n_bottom must be an integer in 1..{c0.size}, got {n_bottom!r}")
    tail = slice(c0.size - int(n_bottom), c0.size)
    denom = float(np.sum(cn[tail] ** 2))
    if denom == 0:
        raise ValueError("the noise has no weight on the bottom coefficients")
    return ((c[..., tail] - c0[tail]) * cn[tail]).sum(axis=-1) / denom
