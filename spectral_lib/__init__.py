"""spectral_lib: the helper library of the *Spectral Bias* book.

Data flows one way: ``nets`` (ReLU networks) -> ``pwl`` (their exact piecewise-linear
structure) -> ``fourier`` (exact and discrete spectra) -> the chapters.  ``train`` trains
batched ensembles of networks, ``configs`` holds each experiment's sizes under the
``book`` and ``paper`` profiles (see ``profiles``), and ``book`` holds the helpers every
chapter calls (seeding, glue, the "Claims checked" table).

Submodules are imported on demand: ``from spectral_lib import nets, pwl, fourier``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
