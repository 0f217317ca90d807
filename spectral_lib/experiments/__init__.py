"""One module per chapter: its config, its ``book`` and ``paper`` presets and its runners.

A chapter reads::

    from spectral_lib.experiments import learning_order as exp

    cfg = exp.config("exp1")
    res = exp.run_exp1(cfg)
"""

from . import (
    architecture,
    cpwl,
    decay_bounds,
    fourier_spectrum,
    learning_order,
    manifolds,
    manifolds_classification,
    ntk,
    performance,
    real_data,
    remedies,
    robustness,
    toolkit,
    training_dynamics,
)

ALL = (architecture, cpwl, decay_bounds, fourier_spectrum, learning_order, manifolds, manifolds_classification, ntk, performance, real_data, remedies, robustness, toolkit, training_dynamics)

__all__ = ["ALL", "architecture", "cpwl", "decay_bounds", "fourier_spectrum", "learning_order", "manifolds", "manifolds_classification", "ntk", "performance", "real_data", "remedies", "robustness", "toolkit", "training_dynamics"]
