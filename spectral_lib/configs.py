"""Every experiment's config, by name, under the ``book`` and ``paper`` profiles.

Each experiment module (one per chapter, ``spectral_lib.experiments.<chapter>``, e.g.
:mod:`spectral_lib.experiments.learning_order`) owns its frozen config dataclass and its
two presets in ``PRESETS``; this module is a thin registry over all of them, for chapters
that ask by name::

    cfg = configs.get("exp1")            # preset of the active profile (SPECTRAL_PROFILE)
    cfg = configs.get("exp1", "paper")   # a given profile

Chapters never hard-code sizes.
"""

from __future__ import annotations

from typing import Any

from spectral_lib.experiments import ALL
from spectral_lib.runs import presets

_EXTRA = presets.Presets("spectral_lib.configs")


def _owner(name: str):
    for module in ALL:
        if name in module.PRESETS.names():
            return module.PRESETS
    if name in _EXTRA.names():
        return _EXTRA
    raise KeyError(f"no config named {name!r}; known: {names()}")


def register(name: str, *, book: Any, paper: Any) -> None:
    """Register the presets of an experiment that lives outside the library.

    Parameters
    ----------
    name : str
        Experiment key; must not be taken by an experiment module.
    book, paper : dataclass instance
        As in :meth:`spectral_lib.runs.presets.Presets.add`.

    Returns
    -------
    None
        The presets are kept in this module's own registry.

    Raises
    ------
    ValueError
        If the name is taken, or as :meth:`~spectral_lib.runs.presets.Presets.add`.

    Examples
    --------
    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True)
    ... class Demo:
    ...     steps: int
    >>> register("demo-doc", book=Demo(10), paper=Demo(1000))
    >>> get("demo-doc", "paper").steps
    1000
    """
    if name in names():
        raise ValueError(f"config {name!r} is already registered")
    _EXTRA.add(name, book=book, paper=paper)


def get(name: str, profile: str | None = None) -> Any:
    """Return the preset of experiment ``name`` for ``profile`` (default: the active one).

    This is :meth:`spectral_lib.runs.presets.Presets.get` on the registry that holds
    ``name``, whichever experiment module (or :func:`register`) it comes from.

    Parameters
    ----------
    name : str
        A registered experiment key (see :func:`names`).
    profile : {"book", "paper"}, optional
        As in :meth:`~spectral_lib.runs.presets.Presets.get`.

    Returns
    -------
    dataclass instance

    Raises
    ------
    KeyError, ValueError
        For an unregistered ``name`` or an unknown ``profile``.

    Examples
    --------
    >>> get("exp1", "paper").steps
    80000
    """
    return _owner(name).get(name, profile)


def names() -> list[str]:
    """Sorted names of all registered experiments.

    Returns
    -------
    list of str
        The registered keys.

    Examples
    --------
    >>> "exp1" in names()
    True
    """
    out = [n for module in ALL for n in module.PRESETS.names()]
    return sorted(out + _EXTRA.names())
