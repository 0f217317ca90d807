"""Spectra: exact Fourier transforms of CPWL functions, DFT amplitudes, radial spectra, decay fits.

* ``spectral_lib.spectra.exact_1d`` and ``spectral_lib.spectra.exact_2d`` -- the exact
  transform of a CPWL function on an interval or a box, split into kink and boundary terms;
* ``spectral_lib.spectra.dft`` -- discrete spectra of sampled functions: DFT amplitudes,
  normalised amplitudes, radial spectra and the measures built on them;
* ``spectral_lib.spectra.vertices_2d`` -- the 2-D kink transform along a direction as a
  sum over edge endpoints, split into interior vertices and box points;
* ``spectral_lib.spectra.bands`` -- the error per frequency band and a frequency-weighted loss;
* ``spectral_lib.spectra.quadrature_2d`` -- independent Gauss quadratures of a 2-D
  network's windowed transform and boundary terms, and the Hessian's total variation;
* ``spectral_lib.spectra.smooth_1d`` -- transforms of 1-D networks with smooth
  activations through a smooth compactly supported window;
* ``spectral_lib.spectra.decay`` -- power-law fits of decay rates and RMS envelopes;
* ``spectral_lib.spectra.gradient_1d`` -- the exact parameter gradient of a 1-D network's
  transform (Rahaman et al.'s Prop. 1);
* ``spectral_lib.spectra.jacobi_anger`` -- the spectrum of a function composed with the
  flower curve, and its Jacobi–Anger closed form on the circle;
* ``spectral_lib.spectra.numerics`` -- the numerical building blocks of the exact
  transforms.
"""

from .bands import band_energy, band_errors, frequency_weights, weighted_spectral_loss
from .decay import (
    DecayFit,
    decay_exponent,
    envelope_decay_exponent,
    fit_power_law,
    rms_envelope,
)
from .dft import (
    coherent_fraction,
    dft_amplitudes,
    dominant_dft_frequencies,
    high_frequency_fraction,
    latent_amplitudes,
    normalised_amplitudes,
    radial_integral_spectrum,
    radial_spectrum,
    residual_ratios,
    retained_amplitude,
    spectral_centroid,
)
from .exact_1d import (
    boundary_terms_1d,
    ft_1d,
    kink_transform_1d,
)
from .exact_2d import (
    boundary_terms_2d,
    ft_2d,
    kink_transform_2d,
)
from .gradient_1d import (
    KinkDerivatives,
    kink_derivatives,
    transform_gradient_1d,
    transform_gradient_autograd,
    transform_gradient_rounding,
)
from .jacobi_anger import (
    composition_kernel,
    jacobi_anger,
    jacobi_anger_series_residual,
    kernel_profile,
)
from .quadrature_2d import (
    boundary_terms_2d_quadrature,
    ft_2d_quadrature,
    hessian_variation_2d,
)
from .smooth_1d import (
    ACTIVATIONS,
    bump,
    bump_envelope,
    windowed_transform_1d,
)
from .vertices_2d import (
    VertexTerms,
    kink_transform_2d_parts,
    vertex_terms_2d,
)

__all__ = [
    "band_energy", "band_errors", "frequency_weights", "weighted_spectral_loss",
    "KinkDerivatives",
    "kink_derivatives",
    "transform_gradient_1d",
    "transform_gradient_autograd",
    "transform_gradient_rounding",
    "dft_amplitudes",
    "normalised_amplitudes",
    "radial_spectrum",
    "dominant_dft_frequencies",
    "latent_amplitudes",
    "radial_integral_spectrum",
    "spectral_centroid",
    "residual_ratios",
    "retained_amplitude",
    "high_frequency_fraction",
    "coherent_fraction",
    "ft_1d",
    "kink_transform_1d",
    "boundary_terms_1d",
    "ft_2d",
    "kink_transform_2d",
    "boundary_terms_2d",
    "VertexTerms",
    "vertex_terms_2d",
    "kink_transform_2d_parts",
    "ft_2d_quadrature",
    "boundary_terms_2d_quadrature",
    "hessian_variation_2d",
    "ACTIVATIONS",
    "bump",
    "bump_envelope",
    "windowed_transform_1d",
    "DecayFit",
    "decay_exponent",
    "rms_envelope",
    "envelope_decay_exponent",
    "fit_power_law",
    "composition_kernel",
    "jacobi_anger",
    "jacobi_anger_series_residual",
    "kernel_profile",
]
