"""The seed offset ``SPECTRAL_SEED``: identity at 0, disjoint seeds elsewhere, every draw through it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from spectral_lib import book, datasets, networks, seeding

ROOT = Path(__file__).resolve().parents[1]


def test_offset_zero_is_the_identity_and_matches_plain_generators():
    assert seeding.resolve(7, offset=0) == 7
    a = seeding.rng(7, offset=0).standard_normal(5)
    b = np.random.default_rng(7).standard_normal(5)
    np.testing.assert_array_equal(a, b)
    ta = torch.rand(4, generator=seeding.torch_generator(7, offset=0))
    tb = torch.rand(4, generator=torch.Generator().manual_seed(7))
    torch.testing.assert_close(ta, tb, rtol=0, atol=0)


@given(st.integers(0, seeding.SPAN - 1), st.integers(0, seeding.SPAN - 1),
       st.integers(0, seeding.MAX_OFFSET - 1), st.integers(0, seeding.MAX_OFFSET - 1))
def test_different_offsets_give_disjoint_seeds(s1, s2, o1, o2):
    if o1 != o2:
        assert seeding.resolve(s1, offset=o1) != seeding.resolve(s2, offset=o2)
    assert seeding.resolve(s1, offset=o1) < 2**32


@pytest.mark.parametrize("text, expected", [("", 0), ("0", 0), (" 3 ", 3)])
def test_seed_offset_reads_the_environment(monkeypatch, text, expected):
    monkeypatch.setenv(seeding.ENV_VAR, text)
    assert seeding.seed_offset() == expected


@pytest.mark.parametrize("text", ["one", "-1", "1.5", str(seeding.MAX_OFFSET)])
def test_invalid_offsets_raise(monkeypatch, text):
    monkeypatch.setenv(seeding.ENV_VAR, text)
    with pytest.raises(ValueError, match="SPECTRAL_SEED"):
        seeding.seed_offset()


@pytest.mark.parametrize("bad", [-1, 1.0, True, "0", None])
def test_invalid_seeds_raise(bad):
    with pytest.raises(ValueError):
        seeding.resolve(bad, offset=0)


def test_large_seeds_need_offset_zero():
    assert seeding.resolve(seeding.SPAN, offset=0) == seeding.SPAN
    with pytest.raises(ValueError, match="below"):
        seeding.resolve(seeding.SPAN, offset=1)


def test_the_offset_reaches_networks_data_and_the_global_generators(monkeypatch):
    """The same call at two offsets draws other numbers; at one offset, the same numbers."""

    def draw():
        net = networks.relu_mlp(1, [8], seed=0)
        book.seed_everything(0)
        return (net[0].weight.detach().numpy().copy(), datasets.random_phases(3, seed=0),
                torch.rand(3).numpy(), np.random.rand(3))  # noqa: NPY002 - the legacy global draw

    monkeypatch.setenv(seeding.ENV_VAR, "0")
    at0, again0 = draw(), draw()
    monkeypatch.setenv(seeding.ENV_VAR, "1")
    at1 = draw()
    for a, b, c in zip(at0, again0, at1, strict=True):
        np.testing.assert_array_equal(a, b)
        assert not np.allclose(a, c)


def test_the_offset_is_part_of_the_results_cache_key(monkeypatch):
    from spectral_lib.runs import cache

    monkeypatch.setenv(seeding.ENV_VAR, "0")
    k0 = cache.entry_key("demo", {"a": 1})
    monkeypatch.setenv(seeding.ENV_VAR, "1")
    assert cache.entry_key("demo", {"a": 1}) != k0


# Generators made anywhere but in ``seeding`` would escape the offset.
_DIRECT = re.compile(r"default_rng\(|manual_seed\(|torch\.Generator\(|RandomState\(")


def _offenders(path: Path) -> list[str]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.strip()
        if code.startswith((">>>", "...", "#")) or "``" in code:
            continue
        if _DIRECT.search(code):
            out.append(f"{path.relative_to(ROOT)}:{n}: {code}")
    return out


def test_every_random_generator_of_the_library_and_chapters_comes_from_seeding():
    # ``book.seed_everything`` seeds the global generators with ``seeding.resolve`` (tested above).
    own = {ROOT / "spectral_lib" / "seeding.py", ROOT / "spectral_lib" / "book" / "chapter.py"}
    files = [p for p in (ROOT / "spectral_lib").rglob("*.py") if p not in own]
    files += sorted((ROOT / "chapters").glob("*.md"))
    offenders = [o for p in files for o in _offenders(p)]
    # Draws that only pick colours for a figure need no offset.
    offenders = [o for o in offenders if "plt.cm." not in o]
    assert not offenders, "\n".join(offenders)
