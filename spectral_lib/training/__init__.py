"""Training: the batched full-batch engine, recorders, the plain reference loop, perturbation sweeps.
"""

from .autoencoder import (
    dae_manifold_points,
    train_dae,
)
from .batching import (
    backend_for,
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
]
