"""Running an experiment through the results cache, and the checks every runner shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from spectral_lib import devices

from . import cache


def check_config(cfg, fields: Sequence[str], kind: str) -> None:
    """Check that ``cfg`` has the fields an experiment's runner reads.

    Parameters
    ----------
    cfg : object
        The config, usually a frozen dataclass from an experiment module's ``config()``.
    fields : sequence of str
        The attribute names the runner needs.
    kind : str
        The experiment's name, for the error message.

    Returns
    -------
    None
        Nothing; the check raises or passes.

    Raises
    ------
    TypeError
        If an attribute is missing.

    Examples
    --------
    >>> import types
    >>> check_config(types.SimpleNamespace(steps=1), ("steps",), "demo")
    """
    missing = [f for f in fields if not hasattr(cfg, f)]
    if missing:
        raise TypeError(f"expected an {kind} config (its experiment module's config()), missing {missing}")


def cached_run(name: str, cfg, compute: Callable[[], Mapping], build: Callable, *, use_cache: bool = True,
               device=None):
    """Build a result from the arrays ``compute`` returns, or from the results cache.

    The cache (:mod:`spectral_lib.runs.cache`) keys the entry by ``name``, the config, the
    library version and a hash of the library's sources, so a changed config or code
    recomputes.

    Parameters
    ----------
    name : str
        What is computed (part of the cache key).
    cfg : dataclass instance
        The config (part of the cache key, and passed to ``build``).
    compute : callable
        Called with no argument on a miss; returns a mapping of names to arrays.
    build : callable
        ``build(cfg, arrays)`` turns the arrays into the result.
    use_cache : bool, default True
        ``False`` always computes and stores nothing.
    device : str or torch.device, optional
        The device the computation runs on (resolved as :func:`spectral_lib.devices.default_device`
        does); part of the key, so a GPU result is never served to a CPU run.

    Returns
    -------
    object
        What ``build`` returns.

    Raises
    ------
    TypeError
        If ``compute`` returns something the cache cannot store.

    Examples
    --------
    >>> import numpy as np
    >>> cached_run("demo", {"n": 2}, lambda: {"x": np.arange(2)}, lambda c, a: a["x"].sum(),
    ...            use_cache=False)
    np.int64(1)
    """
    if not use_cache:
        return build(cfg, compute())
    where = devices.default_device(device)
    return build(cfg, cache.cached(name, cfg, compute, extra={"device": where.type}))


def check_type(cfg, types: tuple, runner: str) -> None:
    """Check that ``cfg`` is a config of one of ``types`` before an experiment module runs it.

    Parameters
    ----------
    cfg : object
        The config.
    types : tuple of type
        The config classes the runner accepts.
    runner : str
        The experiment module, for the error message.

    Returns
    -------
    None
        Nothing; the check raises or passes.

    Raises
    ------
    TypeError
        If ``cfg`` is of none of the types.

    Examples
    --------
    >>> check_type(1.0, (float,), "demo")
    """
    if not isinstance(cfg, types):
        names = " or ".join(t.__name__ for t in types)
        raise TypeError(f"{runner}.run takes a {names} (from its config()), got {type(cfg).__name__}")
