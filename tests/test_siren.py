"""Tests of spectral_lib.siren (against plain per-layer formulas) and spectral_lib.remedies."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets, networks, spectra, training
from spectral_lib.experiments import remedies


@settings(deadline=None, max_examples=20)
@given(in_dim=st.integers(1, 3), width=st.integers(1, 12), depth=st.integers(1, 3), seed=st.integers(0, 500))
def test_siren_forward_matches_manual_formula_and_init_bounds(in_dim, width, depth, seed):
    net = networks.siren(in_dim, [width] * depth, 2, seed=seed)
    x = torch.tensor(np.random.default_rng(seed).uniform(-1, 1, (7, in_dim)), dtype=torch.float32)
    h = x.double()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for i, lin in enumerate(linears):
        W, b = lin.weight.detach().double(), lin.bias.detach().double()
        n = lin.in_features
        bound = 1.0 / n if i == 0 else np.sqrt(6.0 / n) / 30.0
        assert float(W.abs().max()) <= bound + 1e-7
        assert float(b.abs().max()) <= 1 / np.sqrt(n) + 1e-7
        h = h @ W.T + b
        if i < len(linears) - 1:
            h = torch.sin(30.0 * h)
    np.testing.assert_allclose(net(x).detach().double().numpy(), h.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_siren_is_deterministic_and_validates():
    x = torch.rand(5, 2)
    assert torch.equal(networks.siren(2, [8], seed=1)(x), networks.siren(2, [8], seed=1)(x))
    with pytest.raises(ValueError):
        networks.siren(2, [], 1)
    with pytest.raises(TypeError):
        networks.siren(2, 8, 1)
    with pytest.raises(ValueError):
        networks.Sine(0.0)
    with pytest.raises(ValueError):
        networks.siren(2, [8], seed=-1)


def test_hidden_layer_statistics_are_depth_independent():
    net = networks.siren(1, [256] * 4, 1, seed=0)
    x = np.random.default_rng(0).uniform(-1, 1, (20_000, 1)).astype(np.float32)
    st_ = networks.layer_statistics(net, x)
    pred = np.sqrt(1 + 30.0**2 / (3 * 256))
    for d in st_[1:]:
        assert abs(d["pre_std"] / pred - 1) < 0.15
        assert abs(d["post_std"] - 2**-0.5) < 0.05


def test_siren_trains_batched_like_per_model_loop():
    x = torch.linspace(-1, 1, 32)[:, None]
    y = torch.sin(8 * x)
    models = [networks.siren(1, [16], 1, seed=s) for s in range(2)]
    batched = training.train_full_batch(models, x, y, steps=20, lr=1e-3, record_every=20, progress=False)
    assert batched.backend == "vmap"
    for k in range(len(models)):
        ref = networks.siren(1, [16], 1, seed=k)
        opt = torch.optim.Adam(ref.parameters(), lr=1e-3)
        for _ in range(20):
            opt.zero_grad()
            ((ref(x) - y) ** 2).mean().backward()
            opt.step()
        with torch.no_grad():
            np.testing.assert_allclose(batched.models[k](x).numpy(), ref(x).numpy(), atol=1e-5)


def test_parse_and_encode():
    assert networks.parse_method("gauss:2.5") == ("gauss", 2.5)
    for bad in ("gauss:-1", "gauss:x", "relu", 3):
        with pytest.raises(ValueError):
            networks.parse_method(bad)
    x = np.random.default_rng(0).uniform(0, 1, (5, 2))
    np.testing.assert_allclose(networks.encode("siren", x, octaves=2, n_features=4, seed=0), 2 * x - 1)
    assert networks.encode("posenc", x, octaves=3, n_features=4, seed=0).shape == (5, 12)
    assert networks.encode("gauss:1", x, octaves=3, n_features=4, seed=0).shape == (5, 8)


@settings(deadline=None, max_examples=20)
@given(cut=st.integers(1, 31), k=st.integers(1, 31), seed=st.integers(0, 100))
def test_high_frequency_fraction_of_a_pure_tone_plus_ramp(cut, k, seed):
    t = np.arange(65) / 64
    slope = np.random.default_rng(seed).uniform(-3, 3)
    f = np.sin(2 * np.pi * k * t) + slope * t  # the ramp is removed exactly
    expected = 1.0 if k >= cut else 0.0
    assert abs(spectra.high_frequency_fraction(f, cut) - expected) < 1e-9


def test_signal_is_band_limited():
    x, y = datasets.signal_1d(256, 20, 3)
    from spectral_lib import spectra

    spec = spectra.dft_amplitudes(y)
    assert spec[21:].max() < 1e-12 and spec[20] > 1e-4


def test_paper_config_code_path_runs_two_steps():
    from dataclasses import replace

    cfg = replace(configs.get("remedies", "paper"), steps=2, image_size=33, target_params=300, seeds=(0,),
                  n_features=8, ntk_points=16, ntk_sigmas=(1.0, 4.0), shift_points=8, shift_widths=(8,),
                  init_hidden=(8,), n_dense_init=64, hf_cutoff=4, siren_probe_points=10)
    res = remedies.run_remedies(cfg, use_cache=False)
    n_trials = len(remedies.trials(cfg)["none"])
    assert res.psnr.shape == (4, n_trials, 1, 3) and np.all(np.isfinite(res.psnr[..., 1:]))
    assert res.recon.shape == (4, 1, 33, 33) and res.recon.min() >= 0 and res.recon.max() <= 1
