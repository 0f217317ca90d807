"""spectral_lib: the helper library of the *Spectral Bias* book.

The package is layered; a module imports only from the layers below it (and from its own
subpackage):

* foundations: ``paths`` (the book root), ``devices`` (CPU or CUDA), ``validation``
  (argument checks), ``seeding`` (random generators, shifted by the seed offset
  ``SPECTRAL_SEED``) and ``stats`` (statistics over runs);
* concepts, which know nothing of chapters or configs: ``encodings``, ``networks``,
  ``geometry``, ``datasets``, ``cpwl`` (the exact piecewise-linear structure of ReLU
  networks), ``spectra`` (exact and discrete spectra), ``symbolic`` (sympy derivations),
  ``kernels`` and ``training``;
* ``runs``: compute profiles, presets and the results cache;
* ``experiments``: one module per chapter, with its config, its ``book`` and ``paper``
  presets and its runners;
* ``configs`` (every experiment's config by name) and ``book`` (what a chapter calls:
  setup, glue, the claims table, the execution report).

Subpackages are imported on demand: ``from spectral_lib import networks, cpwl, spectra``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
