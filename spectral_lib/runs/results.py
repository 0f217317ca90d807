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
        When ``cfg`` has every one of ``fields``.

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


def result_builder(cls, *, unwrap_scalars: bool = False) -> Callable:
    """The ``build(cfg, arrays)`` of :func:`cached_run` for a result dataclass ``cls``.

    ``cls`` takes the config as ``config`` and one field per cached array.

    Parameters
    ----------
    cls : type
        The result dataclass.
    unwrap_scalars : bool, default False
        Hand 0-d arrays to ``cls`` as Python scalars (``ndarray.item``).

    Returns
    -------
    callable
        ``build(cfg, arrays) -> cls(config=cfg, **arrays)``.

    Raises
    ------
    TypeError
        If ``cls`` is not a class.

    Examples
    --------
    >>> import dataclasses
    >>> import numpy as np
    >>> @dataclasses.dataclass
    ... class Demo:
    ...     config: dict
    ...     n: int
    >>> result_builder(Demo, unwrap_scalars=True)({"k": 1}, {"n": np.array(3)})
    Demo(config={'k': 1}, n=3)
    """
    if not isinstance(cls, type):
        raise TypeError(f"cls must be a class, got {cls!r}")

    def build(cfg, arrays):
        if unwrap_scalars:
            arrays = {k: (v.item() if getattr(v, "ndim", None) == 0 else v) for k, v in arrays.items()}
        return cls(config=cfg, **arrays)

    return build


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
        When ``cfg`` is an instance of one of ``types``.

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


_RUN_DOC = """Run this chapter's experiment for ``cfg`` (dispatched on the config's type).

{what}

Parameters
----------
cfg : {types}
    From the module's ``config()``.
device : str or torch.device, optional
    {device}
use_cache : bool, default True
    {cache}
progress : bool, optional
    Show a text progress bar (default: no).
**extra
    {extra}

Returns
-------
{returns}
    The experiment's result.

Raises
------
TypeError
    If ``cfg`` is none of {types}.
ValueError
    If the experiment cannot run on ``device``.

Examples
--------
>>> run("not a config")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
TypeError: ...
"""


def runner(module: str, dispatch: dict, *, returns: str, what: str = "", cached: bool = True,
           cpu_only: bool = False, extra: str = "No further arguments.") -> Callable:
    """Build an experiment module's ``run(cfg, *, device=None, use_cache=True, progress=None)``.

    Every experiment module offers the same entry point; this builds it from a table of
    the module's runners by config type, with a docstring that states what applies.

    Parameters
    ----------
    module : str
        The experiment module (``__name__``).
    dispatch : dict
        Config class -> ``f(cfg, device=..., use_cache=..., progress=..., **extra)``.
    returns : str
        The result type(s), for the docstring.
    what : str, optional
        A sentence on what runs, for the docstring.
    cached : bool, default True
        Whether ``use_cache`` serves results from the results cache (else it is accepted for
        the uniform signature and has no effect).
    cpu_only : bool, default False
        Refuse any device other than the CPU.
    extra : str, optional
        Documentation of the module's extra keyword arguments.

    Returns
    -------
    callable
        ``run``.

    Raises
    ------
    ValueError
        If ``dispatch`` is empty.

    Examples
    --------
    >>> run = runner("demo", {float: lambda cfg, **kw: 2 * cfg}, returns="float")
    >>> run(1.5)
    3.0
    """
    if not dispatch:
        raise ValueError("dispatch must name at least one config type")
    types = tuple(dispatch)
    names = " or ".join(t.__name__ for t in types)

    def run(cfg, *, device=None, use_cache: bool = True, progress: bool | None = None, **kw):
        check_type(cfg, types, module)
        if cpu_only and device is not None and str(device) != "cpu":
            raise ValueError(f"{module}.run trains on the CPU, got device={device!r}")
        fn = next(f for t, f in dispatch.items() if isinstance(cfg, t))
        return fn(cfg, device=device, use_cache=use_cache, progress=bool(progress), **kw)

    run.__module__ = module
    run.__qualname__ = run.__name__ = "run"
    run.__doc__ = _RUN_DOC.format(
        what=what or "See the module's runners.", types=names, returns=returns, extra=extra,
        device="The CPU only." if cpu_only else "Default :func:`spectral_lib.devices.default_device`.",
        cache="Serve and store the result through the results cache." if cached
        else "These results are not stored in the results cache; accepted for a uniform signature.",
    )
    return run
