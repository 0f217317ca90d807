"""Compute profiles: ``book`` (sized for a 2-core CPU) and ``paper`` (the original sizes).

``PROFILES`` names them; :func:`current_profile` reads the active one from the environment
variable ``SPECTRAL_PROFILE`` (``ENV_VAR``), ``book`` when it is unset. Every experiment
module keeps one preset per profile (:class:`spectral_lib.runs.presets.Presets`), and its
``config()``, like the registry :func:`spectral_lib.configs.get`, returns the preset of the
active profile: chapters never hard-code sizes.
"""

from __future__ import annotations

import os

PROFILES: tuple[str, ...] = ("book", "paper")


ENV_VAR = "SPECTRAL_PROFILE"


def current_profile() -> str:
    """Return the active profile name.

    Returns
    -------
    str
        ``"book"`` (the default) or ``"paper"``, from the environment variable
        ``SPECTRAL_PROFILE``.

    Raises
    ------
    ValueError
        If ``SPECTRAL_PROFILE`` is set to anything else.

    Examples
    --------
    >>> current_profile() in PROFILES
    True
    """
    name = os.environ.get(ENV_VAR, "book").strip().lower() or "book"
    if name not in PROFILES:
        raise ValueError(f"{ENV_VAR}={name!r} is not a known profile; choose one of {PROFILES}")
    return name
