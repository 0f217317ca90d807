"""Datasets: synthetic targets, digits and MNIST, natural images, label noise, data on manifolds.

* ``spectral_lib.datasets.audio`` -- a synthetic audio clip (chord, chirp, transient) and
  its WAV bytes;
* ``spectral_lib.datasets.synthetic`` -- the unit grid, Exp1's sinusoid mixtures, the
  sampled δ, a multi-scale signal;
* ``spectral_lib.datasets.digits`` -- two-class splits of scikit-learn's digits or of MNIST
  arrays on disk;
* ``spectral_lib.datasets.label_noise`` -- radial-wave and uniform label noise (Exp3, Exp4);
* ``spectral_lib.datasets.images`` -- packaged natural images, exact area resizing,
  coordinate grids, PSNR;
* ``spectral_lib.datasets.resolution`` -- an image at low and high resolution (area
  averaging), pixel centres, spline interpolation of the low-resolution pixels;
* ``spectral_lib.datasets.manifold`` -- regression and classification data on the flower
  curve (Exp5, Exp6) and flat manifolds (Exp8), stacked for batched training.
"""

from .audio import (
    audio_clip,
    to_wav_bytes,
)
from .digits import (
    CONVENTIONS,
    TwoClassSplit,
    load_digits_labelled,
    load_digits_pair,
    load_digits_unit,
    load_mnist_pair,
    load_pair,
    two_class_split,
)
from .images import (
    IMAGES,
    area_weights,
    coordinate_grid,
    image_samples,
    load_image,
    noise_image,
    psnr,
    resize_area,
)
from .label_noise import (
    dip_summary,
    label_noise_settings,
    radial_cycles,
    radial_noise,
    scaled_to_rms,
    standardised_radial_noise,
    uniform_noise,
)
from .manifold import (
    ManifoldData,
    classification_data,
    flat_manifold_points,
    regression_data,
    sinusoid_target,
    stack_datasets,
)
from .resolution import (
    ALIGNMENTS,
    interpolate,
    low_resolution_pair,
    pixel_centres,
    subsample_interpolations,
)
from .synthetic import (
    SETTINGS,
    amplitude_profile,
    delta_target,
    exp1_targets,
    random_phases,
    signal_1d,
    sinusoid_mixture,
    unit_grid,
)

__all__ = [
    "audio_clip",
    "to_wav_bytes",
    "SETTINGS",
    "unit_grid",
    "amplitude_profile",
    "random_phases",
    "sinusoid_mixture",
    "exp1_targets",
    "delta_target",
    "signal_1d",
    "load_digits_unit",
    "load_digits_labelled",
    "CONVENTIONS",
    "TwoClassSplit",
    "two_class_split",
    "load_digits_pair",
    "load_mnist_pair",
    "load_pair",
    "radial_noise",
    "radial_cycles",
    "uniform_noise",
    "label_noise_settings",
    "standardised_radial_noise",
    "scaled_to_rms",
    "dip_summary",
    "IMAGES",
    "area_weights",
    "resize_area",
    "load_image",
    "noise_image",
    "coordinate_grid",
    "image_samples",
    "psnr",
    "ALIGNMENTS",
    "interpolate",
    "low_resolution_pair",
    "subsample_interpolations",
    "pixel_centres",
    "sinusoid_target",
    "ManifoldData",
    "regression_data",
    "classification_data",
    "stack_datasets",
    "flat_manifold_points",
]
