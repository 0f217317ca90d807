"""One module per chapter: its config, its ``book`` and ``paper`` presets and its runners.

Each module owns the frozen config dataclass(es) of its chapter, a ``PRESETS`` registry
(:class:`spectral_lib.runs.presets.Presets`) with a ``book`` and a ``paper`` preset per
experiment name, and ``config(name, profile)``; ``ALL`` lists the modules, over which
:func:`spectral_lib.configs.get` is the registry by name. A chapter reads::

    from spectral_lib.experiments import learning_order as exp

    cfg = exp.config("exp1")
    res = exp.run_exp1(cfg)

Modules and their chapters:

* ``learning_order`` -- *Spectral bias in training* (Rahaman et al.'s Exp1);
* ``robustness`` -- *Robustness of frequencies to parameter perturbation* (Exp2);
* ``real_data`` -- *Spectral bias on real data* (Exp3, Exp4);
* ``manifolds`` -- *Not all manifolds are equal* (Exp5);
* ``manifolds_classification`` -- *Manifolds: classification, nearest neighbours and
  autoencoders* (Exp6, App. E.2, Exp8);
* ``architecture`` -- *Depth, width and weight clipping* (Exp7);
* ``connected`` -- *It's all connected: paths that keep a classifier's decision* (Exp9);
* ``training_dynamics`` -- *Why high frequencies converge slowly* (Lazzari & Liu);
* ``image_dynamics`` -- *Coordinate networks on images* (Lazzari & Liu's image measurements);
* ``ntk`` -- *The neural tangent kernel view*;
* ``kernel_theory`` -- *The infinite-width kernel of ReLU networks*;
* ``remedies`` -- *Overcoming spectral bias*;
* ``beyond_relu`` -- *Spectral bias beyond ReLU* (activations, the frequency principle, lazy training);
* ``pinns`` -- *Physics-informed networks: spectral bias in a differential equation*;
* ``audio`` -- *Audio: spectral bias you can hear*;
* ``multiresolution`` -- *Multiresolution grid encodings*;
* ``super_resolution`` -- *Super-resolution: the blur of spectral bias*;
* ``cpwl``, ``fourier_spectrum``, ``decay_bounds``, ``toolkit``, ``performance`` -- the
  chapters *ReLU networks are piecewise linear*, *The Fourier spectrum of a ReLU network*,
  *Decay bounds against trained networks*, *The spectral_lib toolkit* and *Performance:
  training many small networks at once* (configs only).
"""

from . import (
    architecture,
    audio,
    beyond_relu,
    connected,
    cpwl,
    decay_bounds,
    fourier_spectrum,
    image_dynamics,
    kernel_theory,
    learning_order,
    manifolds,
    manifolds_classification,
    multiresolution,
    ntk,
    performance,
    pinns,
    real_data,
    remedies,
    robustness,
    super_resolution,
    toolkit,
    training_dynamics,
)

__all__ = [
    "ALL",
    "architecture",
    "audio",
    "beyond_relu",
    "connected",
    "cpwl",
    "decay_bounds",
    "fourier_spectrum",
    "image_dynamics",
    "kernel_theory",
    "learning_order",
    "manifolds",
    "manifolds_classification",
    "multiresolution",
    "ntk",
    "performance",
    "pinns",
    "real_data",
    "remedies",
    "robustness",
    "super_resolution",
    "toolkit",
    "training_dynamics",
]

# The chapter modules, in the order of ``__all__``.
ALL = tuple(globals()[name] for name in __all__ if name != "ALL")
