"""Running experiments: compute profiles, presets, the results cache.

* :mod:`spectral_lib.runs.profiles` -- ``book`` or ``paper``, from ``SPECTRAL_PROFILE``;
* :mod:`spectral_lib.runs.presets` -- the ``book`` and ``paper`` presets of an experiment
  module's configs;
* :mod:`spectral_lib.runs.cache` -- the on-disk cache of computed arrays and trained models;
* :mod:`spectral_lib.runs.results` -- running an experiment through the cache, and the
  config check every runner shares;
* :mod:`spectral_lib.runs.thresholds` -- :class:`~spectral_lib.runs.thresholds.Threshold`,
  a guard's threshold with the figure or theory it comes from (each experiment module's
  ``THRESHOLDS``).
"""
