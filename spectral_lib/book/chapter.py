"""What a chapter's first cell calls: setup and seeding, and glue for the prose.

A chapter starts with one hidden setup cell::

    from spectral_lib import book
    profile = book.setup(seed=0)

:func:`setup` sets torch's threads from ``OMP_NUM_THREADS``, seeds Python, NumPy and torch
and makes torch deterministic (:func:`seed_everything`), shows figures inline with the
book's matplotlib defaults and returns the active profile. :func:`glue` hands a computed
value to the prose (``{glue:text}`key```), so no number is typed by hand. The closing
"Claims checked" table is :class:`spectral_lib.book.Claims`.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from spectral_lib import seeding
from spectral_lib.runs import profiles


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global generators and make torch deterministic.

    The generators are seeded with :func:`spectral_lib.seeding.resolve` ``(seed)``: the seed
    shifted by the book's seed offset ``SPECTRAL_SEED``, like every seed of the library.

    Parameters
    ----------
    seed : int
        A non-negative integer (below :data:`spectral_lib.seeding.SPAN` at a non-zero offset).

    Returns
    -------
    None
        Nothing; the effect is the side effect described above.

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer, or ``SPECTRAL_SEED`` is invalid.

    Examples
    --------
    >>> seed_everything(0)
    """
    seed = seeding.resolve(seed)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - seeds legacy global draws in reader code
    torch.manual_seed(seed)
    # Deterministic cuBLAS needs a fixed workspace, set before the first CUDA matrix product
    # (without it, deterministic mode raises on the GPU); harmless on the CPU.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True)


def setup(seed: int = 0) -> str:
    """Prepare a chapter: threads, seeds, deterministic torch and figure defaults.

    Respects ``OMP_NUM_THREADS`` for torch's intra-op threads (the book runs one thread per
    chapter: on a 2-core machine two threads become several times slower when the other
    core is busy).

    Parameters
    ----------
    seed : int, default 0
        Seed for :func:`seed_everything`.

    Returns
    -------
    str
        The active profile, ``"book"`` or ``"paper"``.

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer (from :func:`seed_everything`).

    Examples
    --------
    >>> setup(0) in ("book", "paper")
    True
    """
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads and threads.isdigit() and int(threads) > 0:
        torch.set_num_threads(int(threads))
    seed_everything(seed)
    import matplotlib as mpl

    _inline_figures()

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return profiles.current_profile()


def _inline_figures() -> None:
    """In a Jupyter kernel, show figures inline whatever ``MPLBACKEND`` says.

    A non-interactive backend inherited from the environment (``MPLBACKEND=agg``) would
    otherwise leave every figure cell of a chapter empty in the built book.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the book's environment
        return
    shell = get_ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        shell.run_line_magic("matplotlib", "inline")


def glue(name: str, value, fmt: str | None = None):
    """Glue a value for use in the prose with ``{glue:text}`name``` (myst-nb), silently.

    Parameters
    ----------
    name : str
        The glue key; unique within the chapter.
    value : object
        The value. Numbers are glued as Python scalars so the prose may format them
        (``{glue:text}`name:.3f```).
    fmt : str, optional
        If given, the value is formatted with ``format(value, fmt)`` and glued as text.

    Returns
    -------
    object
        The value that was glued (formatted string when ``fmt`` is given).

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string, or ``fmt`` is not a valid format for ``value``.
    TypeError
        If ``fmt`` is not a string or ``value`` does not support formatting with it.

    Examples
    --------
    >>> glue("answer", 42)
    42
    """
    if not isinstance(name, str) or not name:
        raise ValueError("glue name must be a non-empty string")
    if isinstance(value, np.generic):
        value = value.item()
    if fmt is not None:
        value = format(value, fmt)
    from myst_nb import glue as _glue

    _glue(name, value, display=False)
    return value
