"""The ``book`` and ``paper`` presets of an experiment's config.

Every experiment module keeps its configs in one :class:`Presets` registry: for each
experiment name a preset sized for a 2-core CPU (``book``) and one with the original
hyperparameters (``paper``). :mod:`spectral_lib.configs` gathers the registries of all
experiment modules.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .profiles import PROFILES, current_profile


class Presets:
    """The presets of one experiment module, keyed by experiment name.

    Parameters
    ----------
    owner : str
        The module that owns them (for error messages).

    Examples
    --------
    >>> @dataclasses.dataclass(frozen=True)
    ... class Demo:
    ...     steps: int
    >>> p = Presets("demo")
    >>> p.add("demo", book=Demo(10), paper=Demo(1000))
    >>> p.get("demo", "paper").steps
    1000
    """

    def __init__(self, owner: str):
        self.owner = owner
        self._presets: dict[str, dict[str, Any]] = {}

    def add(self, name: str, *, book: Any, paper: Any) -> None:
        """Register the two presets of experiment ``name``.

        Parameters
        ----------
        name : str
            Experiment key, e.g. ``"exp1"``.
        book, paper : dataclass instance
            Presets of one frozen dataclass type.

        Returns
        -------
        None
            Nothing; the presets are stored.

        Raises
        ------
        ValueError
            If the name is empty or taken, or the presets are not instances of one dataclass.

        Examples
        --------
        >>> @dataclasses.dataclass(frozen=True)
        ... class Demo:
        ...     steps: int
        >>> Presets("demo").add("demo", book=Demo(1), paper=Demo(2))
        """
        if not isinstance(name, str) or not name:
            raise ValueError("config name must be a non-empty string")
        if name in self._presets:
            raise ValueError(f"config {name!r} is already registered in {self.owner}")
        if not (dataclasses.is_dataclass(book) and type(book) is type(paper)):
            raise ValueError("book and paper presets must be instances of one dataclass")
        self._presets[name] = {"book": book, "paper": paper}

    def get(self, name: str, profile: str | None = None) -> Any:
        """Return the preset of ``name`` for ``profile`` (default: the active profile).

        Parameters
        ----------
        name : str
            A registered experiment key.
        profile : {"book", "paper"}, optional
            Defaults to :func:`spectral_lib.runs.profiles.current_profile`.

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
        >>> Demo = dataclasses.make_dataclass("Demo", ["steps"], frozen=True)
        >>> p = Presets("demo")
        >>> p.add("demo", book=Demo(1), paper=Demo(2))
        >>> p.get("demo", "book").steps
        1
        >>> p.get("demo", "draft")
        Traceback (most recent call last):
            ...
        ValueError: unknown profile 'draft'; choose one of ('book', 'paper')
        """
        profile = current_profile() if profile is None else profile
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {PROFILES}")
        if name not in self._presets:
            raise KeyError(f"no config named {name!r} in {self.owner}; known: {sorted(self._presets)}")
        return self._presets[name][profile]

    def names(self) -> list[str]:
        """Sorted names of the registered experiments.

        Returns
        -------
        list of str
            The keys.

        Raises
        ------
        None
            Takes no input and raises no exception of its own.

        Examples
        --------
        >>> Presets("demo").names()
        []
        """
        return sorted(self._presets)
