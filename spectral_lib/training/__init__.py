"""Training: the batched full-batch engine, recorders, the plain reference loop, perturbation sweeps.

* ``spectral_lib.training.engine`` -- :func:`train_full_batch`, ``K`` models trained as one
  batched ensemble, and its :class:`History`;
* ``spectral_lib.training.batching`` -- how the ``K`` models are batched
  (:func:`backend_for`); ``spectral_lib.training.options`` -- the checked options;
* ``spectral_lib.training.recorders`` -- what a run records at its checkpoints
  (:class:`Recorder` and its subclasses);
* ``spectral_lib.training.reference`` -- :func:`train_separately`, the plain per-model loop
  the engine is checked against;
* ``spectral_lib.training.perturb`` -- :func:`perturbed_predictions` at ``θ* + δ u``;
* ``spectral_lib.training.gradients`` -- per-sample gradients and gradient confusion;
* ``spectral_lib.training.evaluate`` -- accuracies and probability maps of classifiers, and
  nearest-neighbour baselines;
* ``spectral_lib.training.coordinate_fit`` -- coordinate networks (raw, positional encoding,
  Gaussian features, SIREN) fitted to pixels, several knobs and seeds at once;
* ``spectral_lib.training.autoencoder`` -- the denoising autoencoder of Exp8;
* ``spectral_lib.training.paths`` -- decision-preserving paths in input space (the string
  method), their lengths and class margins, targeted examples (Exp9);
* ``spectral_lib.training.pinn`` -- physics-informed networks for ``-u'' = f``, their residual
  NTK and the finite-difference baseline (used as ``training.pinn.<name>``).
"""

from . import pinn
from .autoencoder import (
    dae_manifold_points,
    train_dae,
)
from .batching import (
    backend_for,
)
from .coordinate_fit import (
    COORDINATE_METHODS,
    coordinate_inputs,
    coordinate_network,
    fit_coordinate_networks,
    method_trials,
)
from .engine import (
    History,
    train_full_batch,
)
from .evaluate import (
    classifier_accuracy,
    knn_accuracy,
    knn_probability_map,
    probability_map,
)
from .gradients import (
    gradient_cosines,
    per_sample_gradients,
)
from .paths import (
    class_margins,
    polyline_length,
    string_paths,
    targeted_examples,
)
from .perturb import (
    perturbed_predictions,
)
from .recorders import (
    AmplitudeRecorder,
    CallbackRecorder,
    PredictionRecorder,
    PSNRRecorder,
    Recorder,
    RegionRecorder,
    RegionStatsRecorder,
    SpectralNormRecorder,
    TrainState,
)
from .reference import (
    max_relative_difference,
    train_separately,
)

__all__ = [
    "History",
    "train_full_batch",
    "TrainState",
    "Recorder",
    "PredictionRecorder",
    "AmplitudeRecorder",
    "SpectralNormRecorder",
    "CallbackRecorder",
    "RegionRecorder",
    "RegionStatsRecorder",
    "PSNRRecorder",
    "train_separately",
    "max_relative_difference",
    "perturbed_predictions",
    "per_sample_gradients",
    "gradient_cosines",
    "probability_map",
    "knn_probability_map",
    "knn_accuracy",
    "classifier_accuracy",
    "train_dae",
    "dae_manifold_points",
    "backend_for",
    "string_paths",
    "polyline_length",
    "class_margins",
    "targeted_examples",
    "pinn",
    "COORDINATE_METHODS",
    "coordinate_inputs",
    "coordinate_network",
    "fit_coordinate_networks",
    "method_trials",
]
