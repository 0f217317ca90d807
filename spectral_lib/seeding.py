"""Random generators from seeds, shifted by the book's seed offset ``SPECTRAL_SEED``.

Every random draw of the library and of the chapters -- initialisations, phases, data
splits, perturbation directions, pair samples -- starts from a generator made here, from a
small non-negative seed. The environment variable ``SPECTRAL_SEED`` (``ENV_VAR``, default
0) selects a *seed offset* ``o``: seed ``s`` becomes :func:`resolve` ``(s) = s + o * SPAN``.
Offset 0 is the identity; two offsets give disjoint sets of seeds for every ``s < SPAN``,
so the same chapter run at offsets 0 and 1 checks each claim on two independent sets of
runs. The same seed and offset always give the same numbers.

Examples
--------
>>> resolve(3, offset=0), resolve(3, offset=1) == 3 + SPAN
(3, True)
>>> float(rng(0, offset=0).uniform()) == float(rng(0, offset=0).uniform())
True
"""

from __future__ import annotations

import os

import numpy as np
import torch

from spectral_lib import validation

ENV_VAR = "SPECTRAL_SEED"
#: Seeds below ``SPAN`` map to disjoint sets at different offsets.
SPAN: int = 2**20
#: Offsets are ``0 <= o < MAX_OFFSET`` (so resolved seeds stay below 2**32, as NumPy's
#: legacy generator needs).
MAX_OFFSET: int = 2**12


def seed_offset() -> int:
    """The active seed offset, from the environment variable ``SPECTRAL_SEED``.

    Returns
    -------
    int
        ``0`` when the variable is unset or empty, else its value.

    Raises
    ------
    ValueError
        If ``SPECTRAL_SEED`` is not an integer in ``[0, MAX_OFFSET)``.

    Examples
    --------
    >>> 0 <= seed_offset() < MAX_OFFSET
    True
    """
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return 0
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{ENV_VAR}={text!r} is not an integer") from None
    if not 0 <= value < MAX_OFFSET:
        raise ValueError(f"{ENV_VAR}={value} must lie in [0, {MAX_OFFSET})")
    return value


def resolve(seed, *, offset: int | None = None) -> int:
    """The seed actually used for ``seed`` at a seed offset: ``seed + offset * SPAN``.

    Parameters
    ----------
    seed : int
        A non-negative integer below ``SPAN`` (any non-negative integer at offset 0).
    offset : int, optional
        The offset; :func:`seed_offset` when omitted.

    Returns
    -------
    int
        The shifted seed (``seed`` itself at offset 0).

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer, is ``>= SPAN`` at a non-zero offset, or
        ``offset`` is outside ``[0, MAX_OFFSET)``.

    Examples
    --------
    >>> resolve(5, offset=2) - 2 * SPAN
    5
    """
    seed = validation.check_seed(seed)
    offset = seed_offset() if offset is None else validation.check_nonnegative_int("offset", offset)
    if offset >= MAX_OFFSET:
        raise ValueError(f"offset must lie in [0, {MAX_OFFSET}), got {offset}")
    if offset == 0:
        return seed
    if seed >= SPAN:
        raise ValueError(f"seed {seed} must be below {SPAN} at a non-zero seed offset")
    return seed + offset * SPAN


def rng(seed, *, offset: int | None = None) -> np.random.Generator:
    """A NumPy generator, ``numpy.random.default_rng(resolve(seed))``.

    Parameters
    ----------
    seed : int
        See :func:`resolve`.
    offset : int, optional
        See :func:`resolve`.

    Returns
    -------
    numpy.random.Generator
        A fresh generator.

    Raises
    ------
    ValueError
        As :func:`resolve`.

    Examples
    --------
    >>> int(rng(0, offset=0).integers(10)) == int(np.random.default_rng(0).integers(10))
    True
    """
    return np.random.default_rng(resolve(seed, offset=offset))


def torch_generator(seed, *, offset: int | None = None) -> torch.Generator:
    """A CPU torch generator seeded with ``resolve(seed)``, the torch twin of :func:`rng`.

    Parameters
    ----------
    seed, offset
        As :func:`rng`.

    Returns
    -------
    torch.Generator
        A fresh generator.

    Raises
    ------
    ValueError
        As :func:`rng`.

    Examples
    --------
    >>> torch_generator(0, offset=0).initial_seed()
    0
    """
    return torch.Generator().manual_seed(resolve(seed, offset=offset))
