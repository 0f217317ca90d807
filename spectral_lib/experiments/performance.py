"""The chapter *Performance: training many small networks at once*: its config (:class:`PerformanceConfig`).

The chapter checks the batched training engine (:mod:`spectral_lib.training`) against
per-model training and shows the benchmark results; this module only holds its config and
presets.
"""

from __future__ import annotations

import dataclasses

from spectral_lib.runs import presets

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class PerformanceConfig:
    """Sizes of the performance chapter's live checks of :mod:`spectral_lib.training`.

    ``n_models`` networks ``1 → hidden → 1`` are trained on ``n_points`` grid points of a
    sum of sinusoids at ``freqs`` for ``steps`` full-batch Adam steps at ``lr`` (float64;
    ``float32_steps`` in float32), by the engine and one by one, against ``n_controls``
    rounding-only controls (row orders). The perturbation sweep evaluates
    ``n_deltas`` sizes up to ``delta_max`` with ``n_samples`` directions each. The paper
    preset uses the paper's network (``[256] * 5``, Adam 3e-4) and 10 models.
    """

    n_models: int = 3
    hidden: tuple[int, ...] = (32,) * 3
    n_points: int = 200
    freqs: tuple[int, ...] = (5, 10, 20)
    steps: int = 500
    # Float32 round-off is amplified by training: after 500 steps row-order controls alone
    # end 0.5-23 % away from the reference (one network at seed offset 2), and no control can
    # tell batching from chaos there; after 100 steps they stay at 1e-7-1e-4.
    float32_steps: int = 100
    n_controls: int = 3
    lr: float = 1e-3
    n_deltas: int = 6
    n_samples: int = 8
    delta_max: float = 2.0
    seed: int = 0


PRESETS.add("performance", book=PerformanceConfig(), paper_changes={
    "n_models": 10, "hidden": (256,) * 5, "lr": 3e-4, "n_deltas": 100, "n_samples": 100, "delta_max": 5.0,
})
