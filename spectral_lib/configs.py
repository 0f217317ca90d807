"""Each experiment's sizes and hyperparameters under the ``book`` and ``paper`` profiles.

One frozen dataclass per experiment, registered with a ``book`` preset (sized for a 2-core
CPU, keeping the effect) and a ``paper`` preset (the original hyperparameters; see
``shared/papers`` of the project for their sources). Chapters call::

    cfg = configs.get("exp1")            # preset of the active profile (SPECTRAL_PROFILE)
    cfg = configs.get("exp1", "paper")   # a given profile

and never hard-code sizes.  Sections below are grouped by experiment; each starts with a
comment naming the chapter that uses it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .profiles import PROFILES, current_profile

_REGISTRY: dict[str, dict[str, Any]] = {}


def register(name: str, *, book: Any, paper: Any) -> None:
    """Register an experiment's two presets.

    Parameters
    ----------
    name : str
        Experiment key, e.g. ``"exp1"``.
    book, paper : dataclass instance
        Presets of one frozen dataclass type.

    Raises
    ------
    ValueError
        If the name is taken or the presets are not instances of one dataclass.

    Examples
    --------
    >>> @dataclasses.dataclass(frozen=True)
    ... class Demo:
    ...     steps: int
    >>> register("demo-doc", book=Demo(10), paper=Demo(1000))
    >>> get("demo-doc", "paper").steps
    1000
    """
    if not isinstance(name, str) or not name:
        raise ValueError("config name must be a non-empty string")
    if name in _REGISTRY:
        raise ValueError(f"config {name!r} is already registered")
    if not (dataclasses.is_dataclass(book) and type(book) is type(paper)):
        raise ValueError("book and paper presets must be instances of one dataclass")
    _REGISTRY[name] = {"book": book, "paper": paper}


def get(name: str, profile: str | None = None) -> Any:
    """Return the preset of experiment ``name`` for ``profile`` (default: the active one).

    Parameters
    ----------
    name : str
        A registered experiment key (see :func:`names`).
    profile : {"book", "paper"}, optional
        Defaults to :func:`spectral_lib.profiles.current_profile`.

    Returns
    -------
    dataclass instance
        The frozen config.

    Raises
    ------
    KeyError
        If ``name`` is not registered.
    ValueError
        If ``profile`` is unknown.

    Examples
    --------
    >>> get("demo-doc", "book").steps
    10
    """
    profile = current_profile() if profile is None else profile
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {PROFILES}")
    if name not in _REGISTRY:
        raise KeyError(f"no config named {name!r}; known: {sorted(_REGISTRY)}")
    return _REGISTRY[name][profile]


def names() -> list[str]:
    """Sorted names of all registered experiments.

    Returns
    -------
    list of str
        The registered keys.

    Examples
    --------
    >>> isinstance(names(), list)
    True
    """
    return sorted(_REGISTRY)


# ---------------------------------------------------------------------------------------
# Experiment configs. Each helper section: one frozen dataclass + one register() call.
# ---------------------------------------------------------------------------------------
