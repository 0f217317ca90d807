"""The results cache: keys, invalidation, atomic writes, safe loading, location."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import book, networks, training
from spectral_lib.runs import cache, results


@dataclasses.dataclass(frozen=True)
class Cfg:
    hidden: tuple = (8, 8)
    lr: float = 1e-3
    steps: int = 10


@dataclasses.dataclass(frozen=True)
class OtherCfg:
    hidden: tuple = (8, 8)
    lr: float = 1e-3
    steps: int = 10


def test_cached_computes_once_and_reloads_identical_results(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"a": np.arange(5.0), "b": np.float32(2.5), "s": np.array("text")}

    first = cache.cached("demo", Cfg(), compute, root=tmp_path)
    second = cache.cached("demo", Cfg(), compute, root=tmp_path)
    assert len(calls) == 1
    assert set(first) == set(second) == {"a", "b", "s"}
    for k in first:
        assert np.array_equal(first[k], second[k]) and first[k].dtype == second[k].dtype
    assert str(second["s"]) == "text"


def test_key_depends_on_name_config_type_values_and_extra():
    base = cache.entry_key("exp", Cfg())
    assert base == cache.entry_key("exp", Cfg(hidden=(8, 8)))
    assert base == cache.entry_key("exp", Cfg(hidden=[8, 8]))  # tuples and lists alike
    assert base != cache.entry_key("exp2", Cfg())
    assert base != cache.entry_key("exp", Cfg(lr=1e-3 + 1e-15))  # exact float repr
    assert base != cache.entry_key("exp", Cfg(steps=11))
    assert base != cache.entry_key("exp", OtherCfg())  # same values, other experiment type
    assert base != cache.entry_key("exp", Cfg(), extra={"seeds": [0, 1]})


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=5),
                       st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                                 st.lists(st.integers(), max_size=3)), max_size=4))
def test_canonical_json_ignores_insertion_order(d):
    rev = dict(reversed(list(d.items())))
    assert cache.canonical_json(d) == cache.canonical_json(rev)
    assert cache.entry_key("h", d) == cache.entry_key("h", rev)


def test_source_change_invalidates(tmp_path, monkeypatch):
    cache.save("demo", Cfg(), {"x": np.ones(2)}, root=tmp_path)
    assert cache.load("demo", Cfg(), root=tmp_path) is not None
    monkeypatch.setattr(cache, "source_hash", lambda: "0" * 64)
    assert cache.load("demo", Cfg(), root=tmp_path) is None


def test_source_hash_covers_every_module(tmp_path):
    """Copy the package, edit a module deep in a subpackage: the hash computed by the copy changes."""
    pkg = Path(cache.__file__).resolve().parents[1]
    code = "import spectral_lib.runs.cache as c; print(c.source_hash())"
    dst = tmp_path / "spectral_lib"
    shutil.copytree(pkg, dst, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = lambda: subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,  # noqa: E731
                                 capture_output=True, text=True, check=True).stdout.strip()
    before = run()
    assert before == cache.source_hash()
    edited = dst / "spectra" / "exact_1d.py"
    edited.write_text(edited.read_text() + "\n# changed\n")
    assert run() != before
    (dst / "spectra" / "new_module.py").write_text("# a new module\n")
    assert run() not in (before, cache.source_hash())


def test_corrupt_or_foreign_entries_are_recomputed(tmp_path):
    path = cache.save("demo", Cfg(), {"x": np.ones(2)}, root=tmp_path)
    path.write_bytes(b"not a zip file")
    assert cache.load("demo", Cfg(), root=tmp_path) is None
    out = cache.cached("demo", Cfg(), lambda: {"x": np.zeros(2)}, root=tmp_path)
    assert np.array_equal(out["x"], np.zeros(2))
    # An entry whose stored key does not match (e.g. a hash collision or a renamed file).
    other = cache.save("demo", Cfg(steps=99), {"x": np.ones(3)}, root=tmp_path)
    other.replace(path)
    assert cache.load("demo", Cfg(), root=tmp_path) is None


def test_loading_never_unpickles(tmp_path):
    path = cache.save("demo", Cfg(), {"x": np.ones(2)}, root=tmp_path)
    with zipfile.ZipFile(path, "a") as z:  # smuggle in an object array (needs pickle)
        import io

        buf = io.BytesIO()
        np.save(buf, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
        z.writestr("obj.npy", buf.getvalue())
    assert cache.load("demo", Cfg(), root=tmp_path) is None
    with pytest.raises(TypeError, match="pickle"):
        cache.save("demo", Cfg(), {"o": np.array([{}], dtype=object)}, root=tmp_path)


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError, match="disk full"):
        cache.save("demo", Cfg(), {"x": np.ones(2)}, root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_trained_models_round_trip_exactly(tmp_path):
    x = torch.linspace(0, 1, 20)[:, None]
    models = [networks.relu_mlp(1, [8, 8], seed=s) for s in range(3)]
    hist = training.train_full_batch(models, x, torch.sin(5 * x), steps=5, lr=1e-2, progress=False)

    def compute():
        return {"loss": hist.loss, **cache.models_to_arrays(hist.models)}

    res = cache.cached("train-demo", Cfg(), compute, root=tmp_path)
    back = cache.arrays_to_models(res, lambda: networks.relu_mlp(1, [8, 8]))
    assert len(back) == 3
    for a, b in zip(back, hist.models, strict=True):
        for p, q in zip(a.parameters(), b.parameters(), strict=True):
            assert torch.equal(p, q)
    with pytest.raises(ValueError, match="does not fit"):
        cache.arrays_to_models(res, lambda: networks.relu_mlp(1, [4, 8]))
    with pytest.raises(ValueError, match="float64"):
        cache.arrays_to_models(res, lambda: networks.relu_mlp(1, [8, 8], dtype=torch.float64))
    with pytest.raises(ValueError, match="no models"):
        cache.arrays_to_models(res, lambda: networks.relu_mlp(1, [8, 8]), prefix="other")


def test_cache_location(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "c"))
    assert cache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv(cache.ENV_DIR)
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    monkeypatch.chdir(book / "chapters")
    assert cache.cache_dir() == book.resolve() / ".cache" / "spectral_lib"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "spectral_lib"


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_OFF, "1")
    calls = []
    for _ in range(2):
        cache.cached("demo", Cfg(), lambda: calls.append(1) or {"x": np.ones(1)}, root=tmp_path)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "config", "error"),
    [
        ("a/b", Cfg(), ValueError),
        ("", Cfg(), ValueError),
        ("ok", {"f": float("nan")}, ValueError),
        ("ok", {"f": lambda: 0}, TypeError),
        ("ok", {1: 2}, TypeError),
    ],
)
def test_invalid_keys(tmp_path, name, config, error):
    with pytest.raises(error):
        cache.cached(name, config, lambda: {"x": np.ones(1)}, root=tmp_path)


def test_invalid_results(tmp_path):
    with pytest.raises(TypeError, match="mapping"):
        cache.cached("demo", Cfg(), lambda: [1, 2], root=tmp_path)
    with pytest.raises(ValueError, match="names"):
        cache.save("demo", Cfg(), {"__meta__": np.ones(1)}, root=tmp_path)
    with pytest.raises(TypeError, match="callable"):
        cache.cached("demo", Cfg(), 3, root=tmp_path)


def test_key_covers_numeric_package_versions_and_device(monkeypatch, tmp_path):
    """A result depends on the numerics packages and on the device: both enter the key."""
    base = cache.entry_key("exp", Cfg())
    real = cache.package_versions()
    assert set(real) == {"torch", "numpy", "scipy", "scikit-learn", "matplotlib", "sympy"}
    for name in real:
        monkeypatch.setattr(cache, "package_versions", lambda n=name: {**real, n: "0.0-other"})
        assert cache.entry_key("exp", Cfg()) != base, name
    monkeypatch.setattr(cache, "package_versions", lambda: real)
    assert cache.entry_key("exp", Cfg()) == base
    calls = []

    def compute():
        calls.append(1)
        return {"x": np.ones(2)}

    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    build = lambda c, a: a["x"]  # noqa: E731
    results.cached_run("demo", Cfg(), compute, build, device="cpu")
    results.cached_run("demo", Cfg(), compute, build, device="cpu")
    assert len(calls) == 1
    results.cached_run("demo", Cfg(), compute, build, device="meta")  # another device: recomputed
    assert len(calls) == 2


def test_deterministic_mode_sets_the_cublas_workspace(monkeypatch):
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    book.seed_everything(0)
    assert torch.are_deterministic_algorithms_enabled()
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] in (":4096:8", ":16:8")
