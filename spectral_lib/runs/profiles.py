"""Compute profiles: ``book`` (sized for a 2-core CPU) and ``paper`` (the original sizes).

The profile is read from the environment variable ``SPECTRAL_PROFILE``; chapters never
hard-code sizes, they ask :mod:`spectral_lib.configs` for the experiment's config under the
current profile.
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
