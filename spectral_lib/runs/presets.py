"""The ``book`` and ``paper`` presets of an experiment's config.

Every experiment module keeps its configs in one :class:`Presets` registry: for each
experiment name a preset sized for a 2-core CPU (``book``) and one with the original
hyperparameters (``paper``), given whole or as the fields in which it differs from the book
preset. :mod:`spectral_lib.configs` gathers the registries of all experiment modules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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

    def add(
        self, name: str, *, book: Any, paper: Any = None, paper_changes: Mapping[str, Any] | None = None
    ) -> None:
        """Register the two presets of experiment ``name``.

        The paper preset is given either whole (``paper``) or as the fields in which it
        differs from the book preset (``paper_changes``, applied with
        :func:`dataclasses.replace`).

        Parameters
        ----------
        name : str
            Experiment key, e.g. ``"exp1"``.
        book : dataclass instance
            The book preset (a frozen dataclass).
        paper : dataclass instance, optional
            The paper preset, of the type of ``book``.
        paper_changes : dict of str to object, optional
            The paper preset as changes to ``book``: field name to its paper value.
            Exactly one of ``paper`` and ``paper_changes`` must be given.

        Returns
        -------
        None
            Nothing; the presets are stored.

        Raises
        ------
        ValueError
            If the name is empty or taken, the presets are not instances of one dataclass,
            not exactly one of ``paper`` and ``paper_changes`` is given, or ``paper_changes``
            is not a mapping or names a field that ``book`` lacks.

        Examples
        --------
        >>> @dataclasses.dataclass(frozen=True)
        ... class Demo:
        ...     steps: int
        ...     lr: float = 1e-3
        >>> p = Presets("demo")
        >>> p.add("demo", book=Demo(1), paper=Demo(2))
        >>> p.add("demo2", book=Demo(1), paper_changes={"steps": 1000})
        >>> p.get("demo2", "paper")
        Demo(steps=1000, lr=0.001)
        >>> p.add("demo3", book=Demo(1), paper_changes={"epochs": 5})
        Traceback (most recent call last):
            ...
        ValueError: paper_changes of 'demo3' name fields that Demo lacks: ['epochs']
        """
        if not isinstance(name, str) or not name:
            raise ValueError("config name must be a non-empty string")
        if name in self._presets:
            raise ValueError(f"config {name!r} is already registered in {self.owner}")
        if (paper is None) == (paper_changes is None):
            raise ValueError(f"give exactly one of paper and paper_changes for config {name!r}")
        if paper_changes is not None:
            if not (dataclasses.is_dataclass(book) and not isinstance(book, type)):
                raise ValueError("book and paper presets must be instances of one dataclass")
            if not isinstance(paper_changes, Mapping):
                raise ValueError(f"paper_changes must map field names to values, got {paper_changes!r}")
            fields = {f.name for f in dataclasses.fields(book)}
            unknown = sorted(set(paper_changes) - fields)
            if unknown:
                raise ValueError(
                    f"paper_changes of {name!r} name fields that {type(book).__name__} lacks: {unknown}"
                )
            paper = dataclasses.replace(book, **paper_changes)
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

    def config(self, name: str | None = None, profile: str | None = None) -> Any:
        """The preset of ``name`` (default: the first registered) for ``profile``.

        Every experiment module exposes this as its ``config()``: :meth:`get` with the
        module's first experiment as the default name.

        Parameters
        ----------
        name, profile
            As in :meth:`get`; ``name`` may be omitted.

        Returns
        -------
        dataclass instance
            The preset, as :meth:`get` returns it.

        Raises
        ------
        KeyError
            If the module registers no config, or not ``name``.
        ValueError
            As in :meth:`get`.

        Examples
        --------
        >>> Demo = dataclasses.make_dataclass("Demo", [("steps", int)], frozen=True)
        >>> p = Presets("demo")
        >>> p.add("first", book=Demo(1), paper=Demo(2))
        >>> p.config(profile="paper").steps
        2
        """
        if name is None:
            if not self._presets:
                raise KeyError(f"{self.owner} registers no config")
            name = next(iter(self._presets))
        return self.get(name, profile)

    def names(self) -> list[str]:
        """Sorted names of the registered experiments.

        Returns
        -------
        list of str
            The keys.

        Examples
        --------
        >>> Presets("demo").names()
        []
        """
        return sorted(self._presets)
