"""Discrete spectra of sampled functions: DFT amplitudes, normalised amplitudes and radial spectra.

Convention: samples ``y_n = f(n/N)`` on the grid of ``[0, 1)``; frequencies are integers
``m`` in cycles per unit interval (``sin 2π m x`` has frequency ``m``), so a component
``A sin(2π m x + φ)`` has amplitude ``A`` in :func:`dft_amplitudes`. Radial spectra average
the 2-D spectrum over annuli (:func:`radial_spectrum`) or integrate it over circles of an
angular wavenumber (:func:`radial_integral_spectrum`, Rahaman et al.'s ``ζ(k)``).

The measures the chapters read off these spectra are here too: the normalised amplitudes
``2|F[k_i]|/A_i`` (:func:`normalised_amplitudes`, and :func:`latent_amplitudes` on the
latent grid of a manifold), the dominant frequency of vectors
(:func:`dominant_dft_frequencies`), the centroid of a radial spectrum
(:func:`spectral_centroid`), Lazzari & Liu's per-frequency residual ratio
(:func:`residual_ratios`), Exp2's retained amplitude (:func:`retained_amplitude`) and the
high-frequency share of a function's energy (:func:`high_frequency_fraction`).
"""

from __future__ import annotations

import numpy as np

from spectral_lib import validation


def _as_samples(y) -> np.ndarray:
    arr = np.asarray(y.detach().cpu().numpy() if hasattr(y, "detach") else y)
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError("samples must be an array whose last axis holds at least 2 grid values")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"samples must be numeric, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("samples contain NaN or infinite values")
    return arr


def dft_amplitudes(y) -> np.ndarray:
    """One-sided DFT magnitudes ``|FFT(y)| / N`` on bins ``0 .. N//2 - 1``.

    This is the official code's spectrum: for ``N`` samples on ``arange(0, 1, 1/N)``, bin
    ``m`` is the integer frequency ``m`` (cycles per unit interval), and a sinusoid
    ``A sin(2π m x + φ)`` with integer ``m`` reads ``A/2`` in bin ``m`` with no leakage.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.

    Returns
    -------
    numpy.ndarray, shape (..., N // 2)
        Magnitudes, float64.

    Raises
    ------
    ValueError
        If ``y`` has fewer than 2 samples on its last axis or contains NaN/inf.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> a = dft_amplitudes(3 * np.sin(2 * np.pi * 5 * x))
    >>> round(float(a[5]), 12)
    1.5
    """
    arr = _as_samples(y).astype(np.float64 if not np.iscomplexobj(y) else np.complex128)
    n = arr.shape[-1]
    return np.abs(np.fft.fft(arr, axis=-1) / n)[..., : n // 2]


def normalised_amplitudes(y, freqs, amplitudes=1.0) -> np.ndarray:
    """Rahaman et al.'s normalised amplitude ``2 |F[k_i]| / A_i`` at target frequencies.

    A perfectly fitted component ``A_i sin(2π k_i x + φ_i)`` reads exactly 1.

    Parameters
    ----------
    y : array_like, shape (..., N)
        Samples on the uniform grid of [0, 1) (endpoint excluded), last axis.
    freqs : array_like of int, shape (m,)
        Target frequencies in cycles per unit interval, each in ``1 .. N//2 - 1``.
    amplitudes : float or array_like, shape (m,), default 1.0
        The target amplitudes ``A_i`` (non-zero).

    Returns
    -------
    numpy.ndarray, shape (..., m)
        ``2 |F[k_i]| / A_i``.

    Raises
    ------
    ValueError
        If a frequency is not an integer in range, or an amplitude is zero or non-finite.

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> y = np.sin(2 * np.pi * 5 * x) + 0.5 * np.sin(2 * np.pi * 10 * x + 1.0)
    >>> np.round(normalised_amplitudes(y, [5, 10], [1.0, 0.5]), 12)
    array([1., 1.])
    """
    spec = dft_amplitudes(y)
    n_bins = spec.shape[-1]
    k = np.asarray(freqs)
    if k.ndim != 1 or k.size == 0:
        raise ValueError("freqs must be a non-empty 1-D sequence of integer frequencies")
    if not np.all(np.isfinite(k)) or not np.all(np.equal(np.round(k), k)):
        raise ValueError(f"freqs must be integers (cycles per unit interval), got {freqs!r}")
    k = k.astype(int)
    if np.any(k < 1) or np.any(k >= n_bins):
        raise ValueError(f"freqs must lie in 1..{n_bins - 1} for {2 * n_bins} samples, got {freqs!r}")
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), k.shape)
    if not np.all(np.isfinite(amps)) or np.any(amps == 0):
        raise ValueError("amplitudes must be finite and non-zero")
    return 2.0 * spec[..., k] / amps


def radial_spectrum(y) -> tuple[np.ndarray, np.ndarray]:
    """Radially averaged amplitude spectrum of samples on the ``N x N`` grid of ``[0, 1)^2``.

    The 2-D analogue of :func:`dft_amplitudes`: ``|FFT2(y)| / N^2`` (so a component
    ``A sin(2π m·x + φ)`` with integer ``m`` puts ``A/2`` in each of the bins ``±m``),
    averaged over the annuli ``round(|m|) = r`` for ``r = 0 .. N//2 - 1`` (frequencies in
    cycles per unit length; the corners beyond ``N/2`` are left out).

    Parameters
    ----------
    y : array_like, shape (..., N, N)
        Samples ``y[..., i, j] = f(i/N, j/N)``, ``N >= 4``.

    Returns
    -------
    freqs : numpy.ndarray of int, shape (N // 2,)
        ``r = 0 .. N//2 - 1``.
    amplitudes : numpy.ndarray, shape (..., N // 2)
        Mean of ``|FFT2| / N^2`` over each annulus.

    Raises
    ------
    ValueError
        If the last two axes are not equal and at least 4 long, or ``y`` has NaN/inf.
    TypeError
        If ``y`` is not numeric.

    Examples
    --------
    >>> g = np.arange(64) / 64
    >>> X, Y = np.meshgrid(g, g, indexing="ij")
    >>> r, a = radial_spectrum(np.cos(2 * np.pi * (3 * X + 4 * Y)))
    >>> int(r[np.argmax(a[1:]) + 1])
    5
    """
    arr = _as_samples(y)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] < 4:
        raise ValueError(f"y must end in two equal axes of length >= 4 (an N x N grid), got {arr.shape}")
    n = arr.shape[-1]
    amp = np.abs(np.fft.fft2(arr.astype(np.float64 if not np.iscomplexobj(arr) else np.complex128))) / n**2
    m = np.fft.fftfreq(n, d=1.0 / n)
    r = np.rint(np.hypot(m[:, None], m[None, :])).astype(int)
    n_bins = n // 2
    inside = r < n_bins
    counts = np.bincount(r[inside], minlength=n_bins)
    flat = amp.reshape(-1, n * n)[:, inside.ravel()]
    sums = np.stack([np.bincount(r[inside], weights=row, minlength=n_bins) for row in flat])
    return np.arange(n_bins), (sums / counts).reshape(*arr.shape[:-2], n_bins)


def dominant_dft_frequencies(vectors) -> np.ndarray:
    """Dominant DFT frequency of each column, sampled on a uniform periodic grid.

    The frequency of column ``n`` is the bin ``m`` (cycles per period) of the largest
    one-sided DFT magnitude :func:`spectral_lib.spectra.dft_amplitudes`, bins
    ``0 .. N//2 - 1``.

    Parameters
    ----------
    vectors : array_like, shape (N, n_vectors)
        Columns sampled at ``N`` equally spaced points of one period.

    Returns
    -------
    numpy.ndarray of int, shape (n_vectors,)

    Raises
    ------
    ValueError
        If ``vectors`` is not 2-D with at least 2 rows, or not finite.

    Examples
    --------
    >>> t = np.arange(16) / 16
    >>> dominant_dft_frequencies(np.stack([np.ones(16), np.cos(2 * np.pi * 3 * t)], axis=1))
    array([0, 3])
    """
    V = np.asarray(vectors, dtype=np.float64)
    if V.ndim != 2 or V.shape[0] < 2:
        raise ValueError(f"vectors must be a 2-D array (N, n_vectors) with N >= 2, got shape {V.shape}")
    return np.argmax(dft_amplitudes(V.T), axis=1)


def latent_amplitudes(predictions, freqs, amplitudes=1.0) -> np.ndarray:
    """Normalised amplitudes ``2|F[k_i]|/A_i`` of ``f∘γ`` sampled on the latent grid.

    Parameters
    ----------
    predictions : array_like, shape (..., N)
        ``f(γ(z_n))`` on the latent grid ``z_n = n/N`` (last axis).
    freqs : array_like of int
        Target frequencies.
    amplitudes : float or array_like, default 1.0
        Target amplitudes.

    Returns
    -------
    numpy.ndarray, shape (..., m)

    Raises
    ------
    ValueError
        As :func:`spectral_lib.spectra.normalised_amplitudes`.

    Examples
    --------
    >>> z = np.arange(100) / 100  # the latent grid z_n = n/N
    >>> latent_amplitudes(np.sin(2 * np.pi * 7 * z), [7]).round(12)
    array([1.])
    """

    return normalised_amplitudes(predictions, freqs, amplitudes)


def radial_integral_spectrum(
    image, extent: float, *, n_bins: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Radial spectrum ``ζ(k) = k ∫_0^{2π} |f~(k, φ)| dφ`` of a map sampled on a square grid.

    Rahaman et al. (App. E.2) define ``ζ(k) = d/dk ∫_0^k dk' k' ∫ dφ |f~(k', φ)|``, i.e. the
    integral of ``|f~|`` over the circle of radius ``k``.  The map (mean removed) is
    transformed with a 2-D FFT scaled by the pixel area (``f~ ≈ h² Σ f e^{−ik·x}``),
    and ``|f~|`` is summed over annuli of width ``Δk = 2π / (2·extent)`` (one frequency
    step), divided by ``Δk``.

    Parameters
    ----------
    image : array_like, shape (n, n)
        The map on the grid of ``[−extent, extent)²`` (as :func:`spectral_lib.training.probability_map`).
    extent : float
        Half-width of the square.
    n_bins : int, optional
        Number of annuli (default ``n // 2``, up to the Nyquist wavenumber).

    Returns
    -------
    (k, zeta) : tuple of numpy.ndarray, shape (n_bins,)
        Annulus centres (angular wavenumber) and ``ζ``.

    Raises
    ------
    ValueError
        If the image is not square, too small, or not finite.

    Examples
    --------
    >>> k, zeta = radial_integral_spectrum(np.ones((16, 16)), 1.0)
    >>> float(np.abs(zeta).max())
    0.0
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim != 2 or img.shape[0] != img.shape[1] or img.shape[0] < 4:
        raise ValueError("image must be a square 2-D array with at least 4 points per side")
    if not np.all(np.isfinite(img)):
        raise ValueError("image contains NaN or infinite values")
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be positive and finite, got {extent!r}")
    n = img.shape[0]
    h = 2 * extent / n
    n_bins = n // 2 if n_bins is None else validation.check_positive_int("n_bins", n_bins)
    mag = np.abs(np.fft.fft2(img - img.mean())) * h * h
    freqs = 2 * np.pi * np.fft.fftfreq(n, d=h)
    kx, ky = np.meshgrid(freqs, freqs, indexing="xy")
    kr = np.hypot(kx, ky)
    dk = 2 * np.pi / (2 * extent)
    edges = dk * (np.arange(n_bins + 1) + 0.5)
    idx = np.digitize(kr.ravel(), edges) - 1
    keep = (idx >= 0) & (idx < n_bins)
    zeta = np.bincount(idx[keep], weights=mag.ravel()[keep], minlength=n_bins) / dk
    return 0.5 * (edges[1:] + edges[:-1]), zeta


def spectral_centroid(k, zeta) -> float:
    """Mean wavenumber of a radial spectrum, ``Σ k ζ(k) / Σ ζ(k)``: lower means smoother.

    Parameters
    ----------
    k, zeta : array_like, shape (m,)
        Wavenumbers and a non-negative spectrum, not all zero.

    Returns
    -------
    float
        The centroid, in the units of ``k``.

    Raises
    ------
    ValueError
        On mismatched shapes, negative or all-zero spectra.

    Examples
    --------
    >>> spectral_centroid([1.0, 3.0], [1.0, 1.0])
    2.0
    """
    k = np.asarray(k, dtype=np.float64)
    zeta = np.asarray(zeta, dtype=np.float64)
    if k.shape != zeta.shape or k.ndim != 1 or k.size == 0:
        raise ValueError("k and zeta must be 1-D arrays of the same length")
    if not (np.all(np.isfinite(k)) and np.all(np.isfinite(zeta))) or np.any(zeta < 0):
        raise ValueError("k and zeta must be finite and zeta non-negative")
    total = zeta.sum()
    if total <= 0:
        raise ValueError("the spectrum is identically zero")
    return float((k * zeta).sum() / total)


def residual_ratios(prediction, target, freqs) -> np.ndarray:
    """Per-frequency residual ratio ``|r^[k]| / |y^[k]|`` with ``r = y - f``.

    Uses the book's discrete spectrum (:func:`spectral_lib.spectra.dft_amplitudes`) on the
    grid of [0, 1): 0 means component ``k`` is fitted exactly, 1 that it is not learned at
    all (or learned with the wrong phase).

    Parameters
    ----------
    prediction : array_like, shape (..., N)
        Network outputs on the grid (leading axes: e.g. seeds).
    target : array_like, shape (N,)
        The target on the same grid.
    freqs : array_like of int, shape (m,)
        Integer frequencies in ``1..N//2 - 1`` where the target's spectrum is non-zero.

    Returns
    -------
    numpy.ndarray, shape (..., m)
        The ratios.

    Raises
    ------
    ValueError
        If shapes disagree, a frequency is out of range, or the target has no energy at one.

    Examples
    --------
    >>> x = np.arange(64) / 64
    >>> y = np.sin(2 * np.pi * 3 * x) + np.sin(2 * np.pi * 9 * x)
    >>> np.round(residual_ratios(np.sin(2 * np.pi * 3 * x), y, [3, 9]), 12)
    array([0., 1.])
    """
    pred = _as_samples(prediction).astype(np.float64)
    tgt = _as_samples(target).astype(np.float64)
    if tgt.ndim != 1 or pred.shape[-1] != tgt.shape[0]:
        raise ValueError(f"target must be (N,) and prediction (..., N); got {tgt.shape}, {pred.shape}")
    k = np.asarray(freqs)
    n_bins = tgt.shape[0] // 2
    if k.ndim != 1 or k.size == 0 or not np.all(np.equal(np.round(k), k)) or k.min() < 1 or k.max() >= n_bins:
        raise ValueError(f"freqs must be integers in 1..{n_bins - 1}, got {freqs!r}")
    k = k.astype(int)
    spec = dft_amplitudes(tgt)
    ty = spec[k]
    if np.any(ty <= 1e-12 * max(float(spec.max()), np.finfo(float).tiny)):
        raise ValueError("the target has no energy at some requested frequency")
    return dft_amplitudes(tgt - pred)[..., k] / ty


def _perturbed_reference(perturbed, reference, freqs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The checked arguments of :func:`retained_amplitude` and :func:`coherent_fraction`."""
    p = validation.as_finite_array("perturbed", perturbed)
    r = validation.as_finite_array("reference", reference, ndim=1)
    if p.ndim < 2 or p.shape[-1] != r.size:
        raise ValueError(f"perturbed must have shape (..., n_samples, {r.size}), got {p.shape}")
    k = validation.check_frequencies(freqs, r.size)
    return p, r, k


def retained_amplitude(perturbed, reference, freqs) -> np.ndarray:
    """Exp2's retained amplitude: mean over samples of ``|F[k]|``, over the model's own ``|F[k]|``.

    This is what the official notebook computes (the mean of the magnitudes, normalised by
    the trained model's spectrum, not by the target amplitude); the paper's text writes the
    magnitude of the mean.

    Parameters
    ----------
    perturbed : array_like, shape (..., n_samples, N)
        Predictions of perturbed models on the grid of [0, 1).
    reference : array_like, shape (N,)
        Predictions of the unperturbed model on the same grid.
    freqs : sequence of int
        Frequencies to read, in ``1..N/2-1``.

    Returns
    -------
    numpy.ndarray, shape (..., m)
        Retained fraction at each frequency (1 at δ = 0).

    Raises
    ------
    ValueError
        If the grids differ, a value is not finite, or the model's own amplitude at a
        requested frequency is zero to round-off (below ``1e-12·max|reference|``).

    Examples
    --------
    >>> x = np.arange(200) / 200
    >>> ref = np.sin(2 * np.pi * 5 * x)
    >>> retained_amplitude(np.stack([0.5 * ref, 1.5 * ref]), ref, [5])
    array([1.])
    """
    p, r, k = _perturbed_reference(perturbed, reference, freqs)
    own = dft_amplitudes(r)[k]
    if np.any(own <= 1e-12 * max(float(np.max(np.abs(r))), np.finfo(float).tiny)):
        raise ValueError("the reference model has (numerically) zero amplitude at a requested frequency")
    return dft_amplitudes(p)[..., k].mean(axis=-2) / own


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
    energy = dft_amplitudes(g) ** 2
    total = energy[..., 1:].sum(axis=-1)
    if np.any(total <= 0):
        raise ValueError("the function has no energy at frequencies >= 1")
    return energy[..., cutoff:].sum(axis=-1) / total


def coherent_fraction(perturbed, reference, freqs) -> np.ndarray:
    """Mean coherent part of perturbed spectra, ``E Re[F_θ(k) conj(F*(k))] / |F*(k)|²``.

    The component of each perturbed network's DFT coefficient along the reference's own
    coefficient, averaged over the samples. Unlike the mean magnitude
    (:func:`retained_amplitude`), which a perturbation's own energy lifts to a floor, noise
    with a random phase averages out of it: it is 1 when the component survives, 0 when it
    is destroyed.

    Parameters
    ----------
    perturbed : array_like, shape (..., n_samples, N)
        Perturbed predictions on the grid.
    reference : array_like, shape (N,)
        The unperturbed prediction.
    freqs : sequence of int
        Integer frequencies below ``N/2``.

    Returns
    -------
    numpy.ndarray, shape (..., len(freqs))
        The coherent fraction of each frequency.

    Raises
    ------
    ValueError
        If the shapes disagree, a value is not finite, or the reference has no amplitude
        at a requested frequency.

    Examples
    --------
    >>> x = np.arange(64) / 64
    >>> ref = np.sin(2 * np.pi * 5 * x)
    >>> coherent_fraction(np.stack([0.5 * ref, 1.5 * ref, np.cos(2 * np.pi * 5 * x)]), ref, [5])
    array([0.66666667])
    """
    p, r, k = _perturbed_reference(perturbed, reference, freqs)
    fr = np.fft.rfft(r)[k]
    if np.any(np.abs(fr) <= 1e-12 * r.size * max(float(np.max(np.abs(r))), np.finfo(float).tiny)):
        raise ValueError("the reference model has (numerically) zero amplitude at a requested frequency")
    fp = np.fft.rfft(p, axis=-1)[..., k]
    return (fp * np.conj(fr)).real.mean(axis=-2) / np.abs(fr) ** 2
