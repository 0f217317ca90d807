"""Compute profiles: ``book`` (sized for a 2-core CPU) and ``paper`` (the original sizes).

The profile is read from the environment variable ``SPECTRAL_PROFILE``; chapters never
hard-code sizes, they ask :mod:`spectral_lib.configs` for the experiment's config under the
current profile.
"""

from __future__ import annotations

import os

import torch

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


def default_device(device: str | torch.device | None = None) -> torch.device:
    """Resolve a torch device: the given one, else CUDA when available, else CPU.

    Parameters
    ----------
    device : str or torch.device or None
        An explicit device, or ``None`` to pick automatically.

    Returns
    -------
    torch.device
        The device to use.

    Raises
    ------
    TypeError
        If ``device`` is neither a string, an int, a :class:`torch.device` nor ``None``.
    RuntimeError
        If ``device`` names no torch device, or an accelerator index when none is
        available.

    Examples
    --------
    >>> default_device("cpu")
    device(type='cpu')
    """
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
