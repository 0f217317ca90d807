"""The chapter *The spectral_lib toolkit*: the sizes of its worked examples (:class:`ToolkitConfig`).

The chapter calls the library directly; this module only holds its config and presets.
"""

from __future__ import annotations

import dataclasses

from spectral_lib.runs import presets

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class ToolkitConfig:
    """Sizes of the toolkit chapter's examples.

    ``hidden_1d`` is the 1-D network whose pieces and transforms are shown (the paper's
    ``1 → 256^5 → 1``), on ``interval``; ``n_dense`` random points check the pieces;
    ``fft_sizes`` are the sample counts of the DFT compared with the exact transform at the
    integer frequencies ``1 .. m_max``; ``k_decay`` = (log10 k_min, log10 k_max, count) for
    the decay fits, on transforms by a composite ``quad_nodes``-point Gauss–Legendre rule on
    ``quad_panels`` panels of ``interval`` (plus the kinks). ``hidden_2d`` is the partition
    shown on ``box``, checked on a ``n_grid`` x ``n_grid`` grid; ``hidden_aniso`` is the
    one-hidden-layer net of the 2-D anisotropy example. The toolkit has no counterpart in the
    paper: both presets agree.
    """

    hidden_1d: tuple[int, ...] = (256,) * 5
    interval: tuple[float, float] = (0.0, 1.0)
    n_dense: int = 10_000
    fft_sizes: tuple[int, ...] = (256, 512, 1024, 2048, 4096, 8192)
    m_max: int = 50
    k_decay: tuple[float, float, int] = (1.0, 4.0, 2000)
    quad_panels: int = 2000
    quad_nodes: int = 16
    hidden_2d: tuple[int, ...] = (32, 32)
    box: tuple[tuple[float, float], tuple[float, float]] = ((-1.0, 1.0), (-1.0, 1.0))
    n_grid: int = 600
    hidden_aniso: tuple[int, ...] = (8,)
    k_decay_2d: tuple[float, float, int] = (2.0, 4.0, 300)
    seed: int = 0


PRESETS.add("toolkit", book=ToolkitConfig(), paper=ToolkitConfig())
