"""The chapter *The Fourier spectrum of a ReLU network*: its config (:class:`FourierSpectrumConfig`).

The chapter computes exact transforms with :mod:`spectral_lib.spectra` directly; this
module only holds its config and presets.
"""

from __future__ import annotations

import dataclasses

from spectral_lib.runs import presets

PRESETS = presets.Presets(__name__)


#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class FourierSpectrumConfig:
    """"The Fourier spectrum of a ReLU network": exact transforms of random nets.

    1-D: nets with hidden widths ``hidden_1d`` (``n_seeds`` seeds each); the envelope of
    ``|f~(k)|`` is fitted on ``n_k`` wavenumbers ``k = 2πm``, ``m`` in ``[m_min, m_max]``
    (cycles per unit length), with
    ``n_windows`` log-spaced windows. 2-D: a net ``hidden_2d`` on ``[-box, box]^2``, its
    kink transform along ``n_directions`` directions for ``kappa`` in
    ``[kappa_min, kappa_max]`` (``n_kappa`` values), for ``n_seeds_2d`` random nets (the
    decay rates are asserted on every one of them). ``n_samples``: the sampled grid of
    [0, 1) whose DFT is compared with the exact transform.
    """

    hidden_1d: tuple[tuple[int, ...], ...]
    n_seeds: int
    m_min: float
    m_max: float
    n_k: int
    n_windows: int
    hidden_2d: tuple[int, ...]
    box: float
    n_directions: int
    kappa_min: float
    kappa_max: float
    n_kappa: int
    n_samples: int
    n_seeds_2d: int = 8


PRESETS.add(
    "fourier_spectrum",
    book=FourierSpectrumConfig(
        hidden_1d=((16,), (32, 32), (64,) * 3, (32,) * 5), n_seeds=4, m_min=5.0,
        m_max=500.0, n_k=20_000, n_windows=10, hidden_2d=(16, 16), box=1.0,
        n_directions=180, kappa_min=50.0, kappa_max=5000.0, n_kappa=400, n_samples=200,
    ),
    # The paper's network (1 -> 256 x 5 -> 1) among the 1-D sizes; N = 200 samples as in Exp1.
    # 2-D: exact partitions of 256 x 5 would hold ~10^6 regions; 64 x 3 keeps them exact.
    paper_changes={
        "hidden_1d": ((16,), (64,) * 3, (256,) * 5), "n_seeds": 10, "n_k": 50_000, "hidden_2d": (64,) * 3,
        "n_directions": 360, "n_seeds_2d": 10,
    },
)
