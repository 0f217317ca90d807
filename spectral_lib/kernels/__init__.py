"""Kernels: the RBF eigenbasis, the empirical neural tangent kernel, linearised gradient descent.

* ``spectral_lib.kernels.rbf`` -- RBF Gram matrices and their eigenbases as a "Fourier
  basis" on real data (Rahaman et al.'s Exp4);
* ``spectral_lib.kernels.ntk`` -- the empirical NTK, its eigendecomposition and Fourier-mode
  eigenvalues, points on the circle;
* ``spectral_lib.kernels.linearised`` -- linearised (kernel-regime) gradient descent.
"""

from .rbf import (
    median_distance,
    rbf_gram,
    eigenbasis,
    project,
    high_frequency_noise,
    binned_abs,
    dominant_frequency,
    rbf_eigenbasis_1d,
    dominant_frequencies,
    scaled_sigma,
    top_error,
    noise_fit,
)
from .ntk import (
    jacobian,
    empirical_ntk,
    eigh_descending,
    mode_eigenvalues,
    circle_points,
    block_density_angles,
    deep_ntk_spectrum,
)
from .linearised import (
    gd_rate,
    linearised_residuals,
    frequency_amplitudes,
)

__all__ = [
    "median_distance",
    "rbf_gram",
    "eigenbasis",
    "project",
    "high_frequency_noise",
    "binned_abs",
    "dominant_frequency",
    "rbf_eigenbasis_1d",
    "dominant_frequencies",
    "scaled_sigma",
    "top_error",
    "noise_fit",
    "jacobian",
    "empirical_ntk",
    "eigh_descending",
    "mode_eigenvalues",
    "circle_points",
    "block_density_angles",
    "deep_ntk_spectrum",
    "gd_rate",
    "linearised_residuals",
    "frequency_amplitudes",
]
