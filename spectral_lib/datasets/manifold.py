"""Data on the flower manifold for Rahaman et al.'s Exp5 (regression) and Exp6 (classification).

Targets are given in the latent coordinate ``z ∈ [0, 1)`` (frequencies in cycles per unit
latent interval) and the inputs are the curve's points ``γ_L(z)``; datasets for several
models are stacked along a leading model axis for batched training. The flat manifold of
Exp8 (a linear embedding of a cube) is here as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from spectral_lib import geometry, seeding, validation


def sinusoid_target(z, freqs, phases, amplitudes=1.0) -> np.ndarray:
    """The latent target ``λ(z) = Σ_i A_i sin(2π k_i z + φ_i)``.

    Parameters
    ----------
    z : array_like, shape (N,)
        Latent coordinates.
    freqs : array_like of int, shape (m,)
        Frequencies ``k_i`` (cycles per unit latent interval).
    phases : array_like, shape (m,)
        Phases ``φ_i``.
    amplitudes : float or array_like, shape (m,), default 1.0
        Amplitudes ``A_i``.

    Returns
    -------
    numpy.ndarray, shape (N,)
        ``λ`` at each ``z``, float64.

    Raises
    ------
    ValueError
        On mismatched shapes or non-finite inputs.

    Examples
    --------
    >>> sinusoid_target([0.25], [1], [0.0]).round(12)
    array([1.])
    """
    z = validation.as_finite_array("z", z)
    k = validation.check_frequencies(freqs)
    ph = np.asarray(phases, dtype=np.float64)
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), k.shape)
    if ph.shape != k.shape:
        raise ValueError(f"phases must have the shape of freqs {k.shape}, got {ph.shape}")
    if not (np.all(np.isfinite(ph)) and np.all(np.isfinite(amps))):
        raise ValueError("phases and amplitudes must be finite")
    return (amps[:, None] * np.sin(2 * np.pi * k[:, None] * z[None, :] + ph[:, None])).sum(axis=0)


@dataclass(frozen=True)
class ManifoldData:
    """One data set on the flower curve ``γ_L``.

    Attributes
    ----------
    L : int
        Petal count.
    seed : int
        Seed of the phases.
    z : numpy.ndarray, shape (N,)
        Latent coordinates.
    x : numpy.ndarray, shape (N, 2)
        Inputs ``γ_L(z)``.
    y : numpy.ndarray, shape (N,)
        Targets (real values for regression, 0/1 labels for classification).
    phases : numpy.ndarray
        The phases of the latent sinusoids.
    """

    L: int
    seed: int
    z: np.ndarray
    x: np.ndarray
    y: np.ndarray
    phases: np.ndarray


def regression_data(L: int, freqs, n_points: int, seed: int) -> ManifoldData:
    """Exp5's data: ``λ(z) = Σ_i sin(2π k_i z + φ_i)`` on ``γ_L``, ``φ_i ~ U(0, 2π)``.

    The latent grid is fixed (as in the official code); the phases are drawn from
    ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    L : int
        Petal count.
    freqs : array_like of int
        Latent frequencies (all ``< n_points / 2``).
    n_points : int
        Number of samples ``N``.
    seed : int
        Seed of the phases.

    Returns
    -------
    ManifoldData

    Raises
    ------
    ValueError
        On invalid arguments, or a frequency at or above the Nyquist bin ``N/2``.

    Examples
    --------
    >>> d = regression_data(4, [20, 40], 200, seed=0)
    >>> d.x.shape, d.y.shape
    ((200, 2), (200,))
    """
    k = validation.check_frequencies(freqs)
    z = geometry.latent_grid(n_points)
    if np.any(k >= n_points // 2):
        raise ValueError(f"freqs must be below n_points/2 = {n_points // 2}, got {freqs!r}")
    seed = validation.check_seed(seed)
    phases = seeding.rng(seed).uniform(0.0, 2 * np.pi, size=k.size)
    L = validation.check_nonnegative_int("L (number of petals)", L)
    return ManifoldData(L=L, seed=seed, z=z, x=geometry.flower_curve(z, L), y=sinusoid_target(z, k, phases),
                        phases=phases)


def classification_data(L: int, freq: int, n_points: int, seed: int, *, threshold: float = 0.0,
                        offset: float = 0.0) -> ManifoldData:
    """Exp6's data: labels ``1[sin(2π k z + φ) > threshold]`` on ``γ_L``, ``φ ~ U(0, 2π)``.

    The official code thresholds at 0 (balanced classes); the paper's text says 0.5.

    Parameters
    ----------
    L : int
        Petal count.
    freq : int
        The latent frequency ``k`` (``< n_points / 2``).
    n_points : int
        Number of samples.
    seed : int
        Seed of the phase.
    threshold : float, default 0.0
        Threshold in ``(-1, 1)``.
    offset : float, default 0.0
        Shift of the grid in units of its spacing, in ``[0, 1)``: ``z_n = (n + offset)/N``.
        ``offset = 0.5`` gives held-out points halfway between the training points.

    Returns
    -------
    ManifoldData
        ``y`` holds 0/1 labels as float64.

    Raises
    ------
    ValueError
        If ``freq`` is not a positive integer below ``n_points / 2``, ``threshold`` is not
        in ``(-1, 1)`` or ``offset`` not in ``[0, 1)``, or ``L``, ``n_points`` or ``seed``
        is invalid.

    Examples
    --------
    >>> d = classification_data(20, 150, 1000, seed=0)
    >>> sorted(set(d.y.tolist()))
    [0.0, 1.0]
    """
    k = int(validation.check_frequencies([freq])[0])
    if k >= n_points // 2:
        raise ValueError(f"freq must be below n_points/2 = {n_points // 2}, got {freq!r}")
    if not (np.isfinite(threshold) and -1 < threshold < 1):
        raise ValueError(f"threshold must lie in (-1, 1), got {threshold!r}")
    if not (np.isfinite(offset) and 0 <= offset < 1):
        raise ValueError(f"offset must lie in [0, 1), got {offset!r}")
    seed = validation.check_seed(seed)
    z = geometry.latent_grid(n_points) + offset / n_points
    phase = seeding.rng(seed).uniform(0.0, 2 * np.pi, size=1)
    y = (sinusoid_target(z, [k], phase) > threshold).astype(np.float64)
    L = validation.check_nonnegative_int("L (number of petals)", L)
    return ManifoldData(L=L, seed=seed, z=z, x=geometry.flower_curve(z, L), y=y, phases=phase)


def stack_datasets(datasets: Sequence[ManifoldData]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack data sets of equal size for a batched ensemble: ``x (K, N, d)``, ``y (K, N, 1)``.

    Parameters
    ----------
    datasets : sequence of ManifoldData
        One per model; all with the same number of points.

    Returns
    -------
    (x, y) : tuple of torch.Tensor
        float32 tensors with a leading model axis.

    Raises
    ------
    ValueError
        If the sequence is empty or sizes differ.

    Examples
    --------
    >>> x, y = stack_datasets([regression_data(L, [5], 50, 0) for L in (0, 4)])
    >>> tuple(x.shape), tuple(y.shape)
    ((2, 50, 2), (2, 50, 1))
    """
    datasets = list(datasets)
    if not datasets:
        raise ValueError("need at least one data set")
    if len({d.x.shape for d in datasets}) != 1:
        raise ValueError("all data sets must have the same shape to be stacked")
    x = torch.tensor(np.stack([d.x for d in datasets]), dtype=torch.float32)
    y = torch.tensor(np.stack([d.y for d in datasets])[..., None], dtype=torch.float32)
    return x, y


def flat_manifold_points(n_points: int, dim: int, ambient: int, seed: int, *,
                         scale: float = 1.0) -> np.ndarray:
    """Rahaman et al.'s flat manifold: the first ``dim`` coordinates ``~ U[0, scale]``, the rest 0.

    Parameters
    ----------
    n_points, dim, ambient : int
        Number of points, manifold and ambient dimensions (``dim <= ambient``).
    seed : int
        Seed of the uniform draws.
    scale : float, default 1.0
        Side of the cube (positive).

    Returns
    -------
    numpy.ndarray, shape (n_points, ambient)

    Raises
    ------
    ValueError
        On invalid sizes or scale.

    Examples
    --------
    >>> flat_manifold_points(5, 2, 4, seed=0)[:, 2:].max()
    np.float64(0.0)
    """
    n_points = validation.check_positive_int("n_points", n_points)
    dim = validation.check_positive_int("dim", dim)
    ambient = validation.check_positive_int("ambient", ambient)
    if dim > ambient:
        raise ValueError(f"dim={dim} exceeds ambient={ambient}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be positive and finite, got {scale!r}")
    pts = np.zeros((n_points, ambient))
    pts[:, :dim] = scale * seeding.rng(seed).uniform(size=(n_points, dim))
    return pts
