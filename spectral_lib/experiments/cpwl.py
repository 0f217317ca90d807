"""The chapter *ReLU networks are piecewise linear*: its config (:class:`CPWLConfig`).

The chapter computes with :mod:`spectral_lib.cpwl` directly; this module only holds its
config and presets.
"""

from __future__ import annotations

import dataclasses

from spectral_lib.runs import presets
from spectral_lib.runs.thresholds import Threshold

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class CPWLConfig:
    """"ReLU networks are piecewise linear": pictures, region counts, the Lipschitz chain.

    ``example_hidden`` is the network drawn in 1-D and 2-D (the 2-D one on
    ``[-box, box]^2``, at init and after ``train_steps`` Adam steps at ``train_lr`` on a
    ``train_points``-per-side grid). Region counts on the whole real line: ``depths``
    (hidden layers) at width ``count_width`` and ``widths`` at depth ``count_depth``, for
    ``n_seeds`` seeds each; in 2-D (exact partition of the box) ``depths_2d`` at width
    ``width_2d``. ``lipschitz_archs`` are the hidden widths of the nets on which
    Proposition 3's chain is evaluated (``n_seeds`` seeds each).
    """

    example_hidden: tuple[int, ...]
    depths: tuple[int, ...]
    count_width: int
    widths: tuple[int, ...]
    count_depth: int
    depths_2d: tuple[int, ...]
    width_2d: int
    n_seeds: int
    box: float
    train_steps: int
    train_lr: float
    train_points: int
    lipschitz_archs: tuple[tuple[int, ...], ...]


PRESETS.add(
    "cpwl",
    book=CPWLConfig(
        example_hidden=(16, 16, 16), depths=(1, 2, 3, 4, 6, 8), count_width=32, widths=(8, 16, 32, 64, 128),
        count_depth=3, depths_2d=(1, 2, 3, 4), width_2d=16, n_seeds=3, box=1.0, train_steps=1500,
        train_lr=3e-3, train_points=40,
        lipschitz_archs=((16,), (32, 32), (16,) * 4, (64,) * 3, (32,) * 6),
    ),
    # Sweeps up to the paper's network (1 -> 256 x 5 -> 1) and its Adam lr. The drawn example
    # is also partitioned in 2-D, where 256 x 5 would give ~10^6 regions: 64 x 5 there.
    paper_changes={
        "example_hidden": (64,) * 5, "depths": (1, 2, 3, 4, 5, 6, 8), "count_width": 256,
        "widths": (16, 32, 64, 128, 256), "count_depth": 5, "depths_2d": (1, 2, 3, 4, 5), "width_2d": 64,
        "n_seeds": 10, "train_steps": 10_000, "train_lr": 3e-4, "train_points": 100,
        "lipschitz_archs": ((256,), (256,) * 3, (256,) * 5, (128,) * 5, (64,) * 8),
    },
)

#: The guards' thresholds, fixed before the results (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS = {
    "ratio_lo": Threshold(0.5, (
        "Hanin & Rolnick (2019), main result: pieces along a line ≈ a constant of order one times "
        "the number of neurons (exactly one kink per neuron, ratio 1, for one hidden layer on the "
        "whole line); the band's lower end 0.5 is a factor-of-order-one choice, not derived from "
        "their constant")),
    "ratio_hi": Threshold(1.5, (
        "Hanin & Rolnick (2019), main result: as for ratio_lo, the band's upper end 1.5 is a "
        "factor-of-order-one choice around 1, not derived from their constant")),
    "gap_min": Threshold(1e3, (
        "Prop. region bounds: 'far below' the worst case Π(d_l + 1) read as at least three orders "
        "of magnitude at the deepest net (a reading of 'far', not a derived value)")),
    "chain_slack": Threshold(1e-09, (
        "Rahaman et al. Prop. 3: each step is an inequality (ratio ≥ 1); 1e-9 relative slack "
        "absorbs the float64 round-off of the spectral norms and exact slopes")),
}
