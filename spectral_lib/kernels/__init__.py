"""Kernels: the RBF eigenbasis, the empirical neural tangent kernel, linearised gradient descent.

* ``spectral_lib.kernels.rbf`` -- RBF Gram matrices and their eigenbases as a "Fourier
  basis" on real data (Rahaman et al.'s Exp4);
* ``spectral_lib.kernels.ntk`` -- the empirical NTK, its eigendecomposition and Fourier-mode
  eigenvalues, the gradient cosines it determines, points on the circle;
* ``spectral_lib.kernels.linearised`` -- linearised (kernel-regime) gradient descent;
* ``spectral_lib.kernels.arccos`` -- the closed-form (infinite-width) NTK of ReLU networks,
  arc-cosine kernels, Funk–Hecke eigenvalues on spheres.
"""

from .arccos import (
    arccos_kernel,
    fibonacci_sphere,
    harmonic_multiplicity,
    relu_kernel_zonal,
    relu_nngp,
    relu_ntk,
    zonal_eigenvalues,
)
from .linearised import (
    frequency_amplitudes,
    gd_rate,
    linearised_residuals,
)
from .ntk import (
    block_density_angles,
    circle_points,
    deep_ntk_spectrum,
    eigh_descending,
    empirical_ntk,
    gradient_cosines_from_ntk,
    jacobian,
    mode_eigenvalues,
    normalised_kernel,
)
from .rbf import (
    binned_abs,
    dominant_frequencies,
    dominant_frequency,
    eigenbasis,
    high_frequency_noise,
    median_distance,
    noise_fit,
    project,
    rbf_eigenbasis_1d,
    rbf_gram,
    scaled_sigma,
    top_error,
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
    "normalised_kernel",
    "gradient_cosines_from_ntk",
    "circle_points",
    "block_density_angles",
    "deep_ntk_spectrum",
    "gd_rate",
    "linearised_residuals",
    "frequency_amplitudes",
    "arccos_kernel",
    "relu_ntk",
    "relu_nngp",
    "relu_kernel_zonal",
    "zonal_eigenvalues",
    "harmonic_multiplicity",
    "fibonacci_sphere",
]
