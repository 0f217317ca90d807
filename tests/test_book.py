"""Tests of the chapter helpers (book), the profiles and the config registry."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from spectral_lib import book, configs, devices
from spectral_lib.runs import profiles


def test_seed_everything_makes_draws_reproducible():
    book.seed_everything(3)
    a = (np.random.rand(4), torch.rand(4))  # noqa: NPY002 - legacy global draws are what is seeded
    book.seed_everything(3)
    b = (np.random.rand(4), torch.rand(4))  # noqa: NPY002
    np.testing.assert_array_equal(a[0], b[0])
    assert torch.equal(a[1], b[1])


@pytest.mark.parametrize("bad", [-1, 1.5, "0", None, True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises(ValueError):
        book.seed_everything(bad)


def test_profile_from_environment(monkeypatch):
    monkeypatch.delenv(profiles.ENV_VAR, raising=False)
    assert profiles.current_profile() == "book"
    monkeypatch.setenv(profiles.ENV_VAR, "PAPER")
    assert profiles.current_profile() == "paper"
    monkeypatch.setenv(profiles.ENV_VAR, "gpu-please")
    with pytest.raises(ValueError, match="not a known profile"):
        profiles.current_profile()


def test_default_device_is_cpu_without_cuda():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert devices.default_device().type == expected
    assert devices.default_device("cpu").type == "cpu"


def test_claims_table_and_saved_json(tmp_path):
    c = book.Claims("demo")
    c.add("a | b holds", source="s", paper="1", book="1.0", guard="x <= 1", ok=True)
    c.add("fails", source="s", paper="2", book="3", guard="y == 2", ok=np.bool_(False))
    c.add("weaker", source="Rahaman et al. §3", paper="3", book="3", guard="z", ok=True, weaker="a subset")
    c.add("identity", source="this book", paper="-", book="0", guard="e == 0", ok=True, kind="check",
          interval=(0.0, 1e-12))
    md = c.markdown()
    assert "a \\| b holds" in md and "**Checks**" in md
    assert "✅" not in md and "❌" not in md  # no emoji font needed
    claims_part, checks_part = md.split("**Checks**")
    assert "identity" in checks_part and "identity" not in claims_part
    assert [r.status for r in c.rows] == ["reproduced", "not reproduced", "weakened", "passed"]
    assert "claim-weakened" in c.html() and "<caption>Checks" in c.html()
    path = c.save(tmp_path)
    data = json.loads(path.read_text())
    assert data["chapter"] == "demo" and [r["ok"] for r in data["rows"]] == [True, False, True, True]
    assert {"profile", "seed_offset", "library_version", "library_source"} <= set(data)
    assert [r["kind"] for r in data["rows"]] == ["claim", "claim", "claim", "check"]
    assert data["rows"][3]["interval"] == [0.0, 1e-12]
    s = book.summary(tmp_path / "_build" / "claims")
    assert s["counts"] == {"other works": {"reproduced": 1, "weakened": 0, "not reproduced": 1},
                           "Rahaman et al. (2019)": {"reproduced": 0, "weakened": 1, "not reproduced": 0}}
    assert s["checks"] == {"passed": 1, "failed": 0}
    assert sum(sum(v.values()) for v in s["counts"].values()) == 3
    assert {row[3] for row in s["open"]} == {"fails", "weaker"}


def test_claims_validate_rows():
    c = book.Claims("demo")
    with pytest.raises(TypeError):
        c.add("x", source="s", paper="1", book="1", guard="g", ok=1)
    with pytest.raises(ValueError):
        c.add("", source="s", paper="1", book="1", guard="g", ok=True)
    with pytest.raises(ValueError):
        c.add("x", source="s", paper="1", book="1", guard="g", ok=True, kind="proof")
    with pytest.raises(ValueError):
        c.add("x", source="s", paper="1", book="1", guard="g", ok=True, kind="check", weaker="less")
    with pytest.raises(ValueError):
        c.add("x", source="s", paper="1", book="1", guard="g", ok=True, interval=(2.0, 1.0))


def test_glue_rejects_empty_name():
    with pytest.raises(ValueError):
        book.glue("", 1.0)


def test_config_registry_round_trip():
    @dataclasses.dataclass(frozen=True)
    class Cfg:
        steps: int

    configs.register("test-registry", book=Cfg(1), paper=Cfg(100))
    assert configs.get("test-registry", "book").steps == 1
    assert configs.get("test-registry", "paper").steps == 100
    assert "test-registry" in configs.names()
    with pytest.raises(ValueError):
        configs.register("test-registry", book=Cfg(1), paper=Cfg(2))
    with pytest.raises(KeyError):
        configs.get("no-such-experiment")
    with pytest.raises(ValueError):
        configs.get("test-registry", "laptop")


def test_every_registered_config_has_both_presets_of_one_type():
    for name in configs.names():
        b, p = configs.get(name, "book"), configs.get(name, "paper")
        assert type(b) is type(p) and dataclasses.is_dataclass(b), name
