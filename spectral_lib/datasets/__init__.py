"""Datasets: synthetic targets and grids, the digits (and MNIST from disk), images, label noise, data on manifolds.
"""

from .digits import (
    CONVENTIONS,
    TwoClassSplit,
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
    psnr,
    resize_area,
)
from .label_noise import (
    label_noise_settings,
    radial_cycles,
    radial_noise,
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
    "SETTINGS",
    "unit_grid",
    "amplitude_profile",
    "random_phases",
    "sinusoid_mixture",
    "exp1_targets",
    "delta_target",
    "signal_1d",
    "load_digits_unit",
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
    "IMAGES",
    "area_weights",
    "resize_area",
    "load_image",
    "coordinate_grid",
    "image_samples",
    "psnr",
    "sinusoid_target",
    "ManifoldData",
    "regression_data",
    "classification_data",
    "stack_datasets",
    "flat_manifold_points",
]
