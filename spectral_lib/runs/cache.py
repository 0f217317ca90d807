"""A small on-disk cache of computed results (arrays and trained weights), keyed safely.

Experiments reuse expensive results through it (Exp2 perturbs the models Exp1 trained; a
chapter executed twice trains once); :func:`spectral_lib.runs.results.cached_run` is the
usual way in. An entry is keyed (:func:`entry_key`) by

* a name (what was computed, e.g. ``"exp1-train"``),
* the experiment's config (a dataclass, turned into :func:`canonical_json`: sorted keys,
  tuples as lists, exact float repr, the dataclass's type name),
* optional extra parameters (seeds, the device, ...),
* the library version **and** :func:`source_hash`, a hash of every ``.py`` file of the
  package, subpackages included, so any change of the code invalidates what it computed
  before,
* the versions of the packages that supply data or numerics to the results
  (:func:`package_versions` of ``NUMERIC_PACKAGES``: torch, numpy, scipy, scikit-learn,
  matplotlib, sympy),
* the seed offset (:func:`spectral_lib.seeding.seed_offset`, ``SPECTRAL_SEED``): every
  seed a computation draws is shifted by it, so results at another offset are other runs.

Entries are ``.npz`` files written atomically (:func:`save`: a temporary file in the same
folder, then ``os.replace``) and read with ``allow_pickle=False`` (:func:`load`): loading
never runs arbitrary code. A missing, unreadable or mismatching entry is recomputed, so a
run from an empty cache gives the same results. :func:`models_to_arrays` and
:func:`arrays_to_models` store trained networks as arrays.

Location (:func:`cache_dir`): ``$SPECTRAL_CACHE_DIR`` if set, else
``<book root>/.cache/spectral_lib`` (the book root is the first parent of the working
directory holding ``_toc.yml``), else ``~/.cache/spectral_lib``.  ``SPECTRAL_NO_CACHE=1``
turns the cache off (always compute, never write).

Usage::

    from spectral_lib import networks, training
    from spectral_lib.experiments import learning_order
    from spectral_lib.runs import cache

    cfg = learning_order.config("exp1")

    def compute():
        hist = training.train_full_batch(...)
        return {"loss": hist.loss, "amplitudes": hist.amplitudes,
                **cache.models_to_arrays(hist.models)}

    res = cache.cached("exp1-train", cfg, compute, extra={"seeds": [0, 1, 2]})
    models = cache.arrays_to_models(res, lambda: networks.relu_mlp(1, cfg.hidden))
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
import torch
from torch import nn

from spectral_lib import __version__, paths, seeding

ENV_DIR = "SPECTRAL_CACHE_DIR"


ENV_OFF = "SPECTRAL_NO_CACHE"


_META = "__meta__"


_MODEL_SEP = "::"


def _to_jsonable(obj, path: str = "config"):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {
            f.name: _to_jsonable(getattr(obj, f.name), f"{path}.{f.name}") for f in dataclasses.fields(obj)
        }
        return {"__dataclass__": f"{type(obj).__module__}.{type(obj).__qualname__}", **fields}
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"{path}: mapping keys must be strings, got {k!r}")
            out[k] = _to_jsonable(v, f"{path}.{k}")
        return out
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        if not math.isfinite(float(obj)):
            raise ValueError(f"{path}: non-finite float {obj!r} cannot be a cache key")
        return float(obj)
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, np.ndarray):
        return _to_jsonable(obj.tolist(), path)
    if isinstance(obj, torch.dtype):
        return str(obj)
    if isinstance(obj, (list, tuple)):
        return [_to_jsonable(v, f"{path}[{i}]") for i, v in enumerate(obj)]
    raise TypeError(f"{path}: cannot use a {type(obj).__name__} in a cache key")


def canonical_json(obj) -> str:
    """Canonical JSON of a config: dataclasses (with their type name), dicts, lists, scalars.

    Parameters
    ----------
    obj : dataclass instance, mapping, sequence or scalar
        The config (nested freely).

    Returns
    -------
    str
        JSON with sorted keys and no whitespace; tuples become lists.

    Raises
    ------
    TypeError
        If something in ``obj`` has no canonical JSON form (e.g. a function, a tensor).
    ValueError
        If it holds a NaN or infinite float.

    Examples
    --------
    >>> canonical_json({"b": (1, 2), "a": 0.1})
    '{"a":0.1,"b":[1,2]}'
    """
    return json.dumps(_to_jsonable(obj), sort_keys=True, separators=(",", ":"), allow_nan=False)


def source_hash() -> str:
    """SHA-256 of the library's source: every ``.py`` file of the package, recursively.

    Each file's path relative to the package and its contents enter the hash, so moving,
    adding or editing any module of any subpackage changes it.

    Returns
    -------
    str
        Hex digest; changes whenever any module of the library changes.

    Raises
    ------
    OSError
        If a source file of the library cannot be read.

    Examples
    --------
    >>> len(source_hash())
    64
    """
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


#: Packages that supply data or numerics to the results; their versions enter every key.
NUMERIC_PACKAGES: tuple[str, ...] = ("torch", "numpy", "scipy", "scikit-learn", "matplotlib", "sympy")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that supply data or numerics to cached results.

    Returns
    -------
    dict of str to str
        Package name to version (``"missing"`` where a package is not installed).

    Raises
    ------
    None
        A missing package is reported in the result, not raised.

    Examples
    --------
    >>> sorted(package_versions()) == sorted(NUMERIC_PACKAGES)
    True
    """
    out = {}
    for name in NUMERIC_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def _key_material(name: str, config, extra) -> dict:

    if not isinstance(name, str) or not name or any(c in name for c in "/\\:") or name.startswith("."):
        raise ValueError(f"name must be a non-empty string without path separators, got {name!r}")
    return {
        "name": name,
        "config": json.loads(canonical_json(config)),
        "extra": json.loads(canonical_json(extra)) if extra is not None else None,
        "version": __version__,
        "source": source_hash(),
        "versions": package_versions(),
        "seed_offset": seeding.seed_offset(),
    }


def entry_key(name: str, config, extra=None) -> str:
    """The key (hex digest) of a cache entry.

    Parameters
    ----------
    name : str
        What was computed (no path separators).
    config : dataclass instance or JSON-like
        The config the result depends on.
    extra : JSON-like, optional
        Further parameters (seeds, ...).

    Returns
    -------
    str
        32 hex digits: SHA-256 of the canonical JSON of name, config, extra, library
        version, source hash, torch and numpy versions.

    Raises
    ------
    ValueError, TypeError
        If the name is invalid or the config has no canonical JSON form.

    Examples
    --------
    >>> entry_key("demo", {"steps": 10}) == entry_key("demo", {"steps": 10})
    True
    >>> entry_key("demo", {"steps": 10}) == entry_key("demo", {"steps": 11})
    False
    """
    material = _key_material(name, config, extra)
    return hashlib.sha256(canonical_json(material).encode()).hexdigest()[:32]




def cache_dir() -> Path:
    """The cache folder (not created here).

    Returns
    -------
    pathlib.Path
        ``$SPECTRAL_CACHE_DIR``, else ``<book root>/.cache/spectral_lib``, else
        ``~/.cache/spectral_lib``.

    Raises
    ------
    RuntimeError
        If neither ``$SPECTRAL_CACHE_DIR`` nor the book root is available and the home
        directory cannot be determined.

    Examples
    --------
    >>> cache_dir().name in ("spectral_lib",) or "SPECTRAL_CACHE_DIR" in os.environ
    True
    """
    env = os.environ.get(ENV_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    root = paths.book_root()
    if root is not None:
        return root / ".cache" / "spectral_lib"
    return Path.home() / ".cache" / "spectral_lib"


def _disabled() -> bool:
    return os.environ.get(ENV_OFF, "").strip().lower() not in ("", "0", "false", "no")


def _path(name: str, key: str, root: Path | None) -> Path:
    return (Path(root) if root is not None else cache_dir()) / f"{name}-{key}.npz"


def _check_arrays(arrays) -> dict[str, np.ndarray]:
    if not isinstance(arrays, Mapping):
        raise TypeError(f"results must be a mapping of names to arrays, got {type(arrays).__name__}")
    out = {}
    for k, v in arrays.items():
        if not isinstance(k, str) or not k or k == _META:
            raise ValueError(f"result names must be non-empty strings other than {_META!r}, got {k!r}")
        if isinstance(v, torch.Tensor):
            v = v.detach().cpu().numpy()
        arr = np.asarray(v)
        if arr.dtype == object:
            raise TypeError(f"result {k!r} is not a numeric/string array (object arrays would need pickle)")
        out[k] = arr
    return out


def save(name: str, config, arrays: Mapping, *, extra=None, root=None) -> Path:
    """Write an entry atomically.

    Parameters
    ----------
    name : str
        What was computed.
    config : dataclass instance or JSON-like
        The config it depends on.
    arrays : mapping of str to array_like
        The results (numeric or string arrays, scalars, CPU/GPU tensors).
    extra : JSON-like, optional
        Further key parameters.
    root : path, optional
        Cache folder (default :func:`cache_dir`).

    Returns
    -------
    pathlib.Path
        The entry's file.

    Raises
    ------
    TypeError, ValueError
        If the results or the key are invalid.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = save("demo", {"n": 1}, {"x": [1.0, 2.0]}, root=d)
    >>> load("demo", {"n": 1}, root=d)["x"]
    array([1., 2.])
    """
    material = _key_material(name, config, extra)
    key = hashlib.sha256(canonical_json(material).encode()).hexdigest()[:32]
    data = _check_arrays(arrays)
    path = _path(name, key, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".npz.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **{_META: np.array(canonical_json(material))}, **data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def load(name: str, config, *, extra=None, root=None) -> dict[str, np.ndarray] | None:
    """Read an entry, or ``None`` if it is missing, unreadable or belongs to another key.

    Parameters
    ----------
    name, config, extra, root
        As in :func:`save`.

    Returns
    -------
    dict of str to numpy.ndarray, or None
        The stored results.

    Raises
    ------
    ValueError, TypeError
        If the key is invalid.

    Examples
    --------
    >>> import tempfile
    >>> load("never-written", {"n": 1}, root=tempfile.mkdtemp()) is None
    True
    """
    material = _key_material(name, config, extra)
    key = hashlib.sha256(canonical_json(material).encode()).hexdigest()[:32]
    path = _path(name, key, root)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            if _META not in npz.files or str(npz[_META]) != canonical_json(material):
                return None
            return {k: npz[k] for k in npz.files if k != _META}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return None


def cached(
    name: str, config, compute: Callable[[], Mapping], *, extra=None, root=None
) -> dict[str, np.ndarray]:
    """Load an entry, or compute, store and return it.

    Parameters
    ----------
    name, config
        The entry's key, as in :func:`save`.
    compute : callable
        Called with no argument on a miss; returns a mapping of names to arrays.
    extra, root
        As in :func:`save` (``extra`` holds e.g. the seeds).

    Returns
    -------
    dict of str to numpy.ndarray
        The results, as stored (the same arrays whether computed now or loaded).

    Raises
    ------
    TypeError
        If ``compute`` is not callable or returns something that cannot be stored.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> cached("demo", {"n": 2}, lambda: {"y": np.arange(3)}, root=d)["y"]
    array([0, 1, 2])
    """
    if not callable(compute):
        raise TypeError("compute must be callable")
    _key_material(name, config, extra)  # validate the key before any work
    if not _disabled():
        hit = load(name, config, extra=extra, root=root)
        if hit is not None:
            return hit
    data = _check_arrays(compute())
    if _disabled():
        return data
    path = save(name, config, data, extra=extra, root=root)
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files if k != _META}


def models_to_arrays(models: Sequence[nn.Module], prefix: str = "model") -> dict[str, np.ndarray]:
    """Flatten the parameters and buffers of K models into arrays for :func:`save`.

    Parameters
    ----------
    models : sequence of torch.nn.Module
        Models of one architecture.
    prefix : str, default "model"
        Key prefix; keys read ``<prefix>::<k>::<state-dict name>``.

    Returns
    -------
    dict of str to numpy.ndarray
        The state dicts (exact values, original dtypes).

    Raises
    ------
    TypeError, ValueError
        If ``models`` is not a non-empty sequence of modules, or the prefix is invalid.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> sorted(models_to_arrays([networks.relu_mlp(1, [2], seed=0)]))[:2]
    ['model::0::0.bias', 'model::0::0.weight']
    """
    if isinstance(models, nn.Module) or not isinstance(models, Sequence) or not models:
        raise TypeError("models must be a non-empty sequence of torch.nn.Module")
    if not isinstance(prefix, str) or not prefix or _MODEL_SEP in prefix:
        raise ValueError(f"prefix must be a non-empty string without {_MODEL_SEP!r}")
    out = {}
    for k, m in enumerate(models):
        if not isinstance(m, nn.Module):
            raise TypeError(f"models[{k}] is a {type(m).__name__}, not a torch.nn.Module")
        for name, t in m.state_dict().items():
            out[f"{prefix}{_MODEL_SEP}{k}{_MODEL_SEP}{name}"] = t.detach().cpu().numpy().copy()
    return out


def arrays_to_models(
    arrays: Mapping[str, np.ndarray], build: Callable[[], nn.Module], prefix: str = "model"
) -> list[nn.Module]:
    """Rebuild the models stored by :func:`models_to_arrays`.

    Parameters
    ----------
    arrays : mapping of str to numpy.ndarray
        E.g. the result of :func:`cached` or :func:`load`.
    build : callable
        Returns a fresh module of the stored architecture (its values are overwritten).
    prefix : str, default "model"
        The prefix used when storing.

    Returns
    -------
    list of torch.nn.Module
        The K models, in stored order, with exactly the stored parameters.

    Raises
    ------
    ValueError
        If no model is stored under ``prefix`` or the stored state does not fit ``build()``.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> net = networks.relu_mlp(1, [2], seed=0)
    >>> back = arrays_to_models(models_to_arrays([net]), lambda: networks.relu_mlp(1, [2]))
    >>> bool(torch.equal(back[0][0].weight, net[0].weight))
    True
    """
    if not callable(build):
        raise TypeError("build must be callable")
    states: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in arrays.items():
        parts = key.split(_MODEL_SEP)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit():
            states.setdefault(int(parts[1]), {})[parts[2]] = torch.from_numpy(np.array(value))
    if not states:
        raise ValueError(f"no models stored under prefix {prefix!r}")
    if sorted(states) != list(range(len(states))):
        raise ValueError(f"stored model indices are not contiguous: {sorted(states)}")
    models = []
    for k in range(len(states)):
        m = build()
        if not isinstance(m, nn.Module):
            raise TypeError("build() must return a torch.nn.Module")
        own = m.state_dict()
        for name, t in states[k].items():
            if name in own and own[name].dtype != t.dtype:
                raise ValueError(f"stored model {k}: {name} is {t.dtype}, build() makes {own[name].dtype}")
        try:
            m.load_state_dict(states[k], strict=True)
        except RuntimeError as err:
            raise ValueError(f"stored model {k} does not fit the architecture from build(): {err}") from err
        models.append(m)
    return models
