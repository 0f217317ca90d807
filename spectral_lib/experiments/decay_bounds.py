"""The chapter *Decay bounds against trained networks*: its config (:class:`DecayBoundsConfig`).

The chapter trains through :mod:`spectral_lib.training` and evaluates the bounds with
:mod:`spectral_lib.cpwl` and :mod:`spectral_lib.spectra` directly; this module only holds
its config and presets.
"""

from __future__ import annotations

import dataclasses

from spectral_lib.runs import presets
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class DecayBoundsConfig:
    """"Decay bounds against trained networks": the theory's bounds along training.

    1-D: ``n_runs`` nets ``1 -> hidden -> 1`` trained with Adam (``lr``, ``steps``, full
    batch) on Exp1's target (``freqs``, amplitude ``setting``, ``n_points`` grid), with the
    exact pieces, Lipschitz constant, spectral norms and exact spectrum recorded every
    ``record_every`` steps on ``n_k`` wavenumbers ``k = 2πm``, ``m`` in ``[m_min, m_max]``
    (cycles per unit length). 2-D: nets
    ``hidden_2d`` trained (``lr_2d``, ``steps_2d``) on the plane wave
    ``sin(2π freq_2d (x cos a + y sin a))`` with ``a = angle_2d`` degrees, sampled on a
    ``points_2d``-per-side grid of ``[0, 1]^2``; the uniform 2-D bound is checked at
    ``n_quad_k`` wave vectors up to ``k_quad_max`` with ``quad_n``-point Gauss rules.
    """

    hidden: tuple[int, ...]
    lr: float
    steps: int
    record_every: int
    n_runs: int
    freqs: tuple[int, ...]
    setting: str
    n_points: int
    m_min: float
    m_max: float
    n_k: int
    hidden_2d: tuple[int, ...]
    lr_2d: float
    steps_2d: int
    points_2d: int
    freq_2d: float
    angle_2d: float
    n_runs_2d: int
    n_quad_k: int = 8
    k_quad_max: float = 30.0
    quad_n: int = 12


PRESETS.add(
    "decay_bounds",
    book=DecayBoundsConfig(
        hidden=(64,) * 5, lr=1e-3, steps=6000, record_every=500, n_runs=3,
        freqs=(5, 10, 15, 20, 25, 30, 35, 40, 45, 50), setting="equal", n_points=200,
        m_min=5.0, m_max=5000.0, n_k=20_000,
        hidden_2d=(32, 32, 32), lr_2d=3e-3, steps_2d=1500, points_2d=40, freq_2d=2.0, angle_2d=30.0,
        n_runs_2d=2,
    ),
    # Exp1 as in the paper: 1 -> 256 x 5 -> 1, Adam 3e-4 (official code), 80k steps, 10 runs.
    # The 2-D part has no counterpart in the paper; 64 x 4 keeps its exact partitions tractable.
    paper_changes={
        "hidden": (256,) * 5, "lr": 3e-4, "steps": 80_000, "record_every": 1000, "n_runs": 10, "n_k": 50_000,
        "hidden_2d": (64,) * 4, "lr_2d": 1e-3, "steps_2d": 10_000, "points_2d": 100, "n_runs_2d": 3,
    },
)

#: The guards' thresholds, fixed before the results (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS = {
    "growth_min": Threshold(10.0, (
        "Rahaman et al. §3, Fig. 1: the layers' norms grow over training; 'grow' read as at least "
        "one order of magnitude in Π_k‖W^(k)‖₂ over the run (a reading, not a value taken from the "
        "figure, whose norms are mis-scaled)")),
    "late_growth_min": Threshold(1.0, (
        "Rahaman et al. §3: the norms grow while the higher frequencies are fit, so Π_k‖W^(k)‖₂ at "
        "the end exceeds its value at mid-run (ratio > 1)")),
    "rho_min": Threshold(0.8, (
        "Rahaman et al. §3: norms grow as the higher frequencies are fit; Pearson r > 0.8 between "
        "log Π_k‖W^(k)‖₂ and the upper-half amplitude over the record read as 'together' (a "
        "criterion, not derived)")),
    "quad_tol": Threshold(1e-8, (
        "Gauss rules with quad_n points on cells with |k|·diam ≲ quad_n/2 integrate to ~1e-12; 1e-8 relative "
        "leaves room for the cancellation in ft − boundary")),
    "peak_dev_max": Threshold(10.0, (
        "this book's criterion for 'concentrates along the wave vector': the strongest direction "
        "within 10° of it (1/18 of the half-circle of directions); not derived from a theorem")),
    "aniso_ratio_min": Threshold(3.0, (
        "this book's criterion for 'concentrates': along the wave vector at least 3× the median "
        "over directions; not derived from a theorem")),
}
