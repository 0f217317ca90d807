"""Tests of spectral_lib.ntk against independent references (plain autograd loops, dense
matrix powers, closed forms)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, kernels, networks, seeding, spectra, stats, training
from spectral_lib.experiments import ntk


def _loop_jacobian(model, x):
    """Reference: one backward pass per sample, trainable parameters only."""
    rows = []
    params = [p for p in model.parameters() if p.requires_grad]
    for i in range(x.shape[0]):
        out = model(x[i : i + 1]).sum()
        grads = torch.autograd.grad(out, params)
        rows.append(torch.cat([g.reshape(-1) for g in grads]).double())
    return torch.stack(rows).numpy()


@settings(deadline=None, max_examples=15)
@given(n=st.integers(2, 12), width=st.integers(1, 10), seed=st.integers(0, 1000))
def test_jacobian_and_ntk_match_per_sample_loop(n, width, seed):
    net = networks.relu_mlp(2, [width, width], 1, seed=seed)
    x = torch.tensor(np.random.default_rng(seed).uniform(-1, 1, (n, 2)), dtype=torch.float32)
    J = _loop_jacobian(net, x)
    np.testing.assert_allclose(kernels.jacobian(net, x), J, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(kernels.empirical_ntk(net, x, chunk_size=3), J @ J.T, rtol=1e-5, atol=1e-5)


def test_frozen_readout_counts_only_hidden_layer():
    net = networks.TwoLayerReLU(7, seed=1)
    x = torch.randn(5, 2)
    J = kernels.jacobian(net, x)
    assert J.shape == (5, 7 * 2 + 7)
    np.testing.assert_allclose(J, _loop_jacobian(net, x), rtol=1e-5, atol=1e-6)
    # d f / d b_r = s_r / sqrt(m) * 1[w_r.x + b_r > 0]
    pre = (x @ net.hidden.weight.T + net.hidden.bias).detach().numpy()
    s = np.where(np.arange(7) % 2 == 0, 1.0, -1.0) / np.sqrt(7)
    np.testing.assert_allclose(J[:, 14:], (pre > 0) * s, atol=1e-7)


def test_ntk_rejects_bad_input():
    net = networks.relu_mlp(1, [4], 2, seed=0)
    with pytest.raises(ValueError, match="scalar output"):
        kernels.empirical_ntk(net, torch.zeros(3, 1))
    with pytest.raises(TypeError):
        kernels.empirical_ntk("net", torch.zeros(3, 1))
    with pytest.raises(ValueError, match="NaN"):
        kernels.empirical_ntk(networks.relu_mlp(1, [4], seed=0), torch.tensor([[np.nan]]))
    with pytest.raises(TypeError):
        kernels.empirical_ntk(networks.relu_mlp(1, [4], seed=0), torch.zeros(3, 1, dtype=torch.int64))


def test_linearised_residuals_match_matrix_power():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    K = A @ A.T
    r0 = rng.standard_normal(6)
    lr = 0.4 * 6 / (2 * np.linalg.eigvalsh(K)[-1])
    steps = [0, 1, 5, 17]
    M = np.eye(6) - 2 * lr / 6 * K
    ref = np.stack([np.linalg.matrix_power(M, t) @ r0 for t in steps])
    np.testing.assert_allclose(kernels.linearised_residuals(K, r0, lr, steps), ref, atol=1e-12)
    with pytest.raises(ValueError, match="unstable"):
        kernels.linearised_residuals(K, r0, 10 * lr, steps)
    with pytest.raises(ValueError, match="symmetric"):
        kernels.linearised_residuals(A, r0, lr, steps)


def test_one_gd_step_matches_kernel_prediction():
    """The engine's first SGD step changes the outputs by -2 lr K r / N (float64)."""
    theta, x = kernels.circle_points(32, dtype=torch.float64)
    net = networks.TwoLayerReLU(64, seed=0, dtype=torch.float64)
    K = kernels.empirical_ntk(net, x)
    y = np.sin(3 * theta)
    hist = training.train_full_batch([net], x, torch.tensor(y), steps=1, lr=1e-3, optimizer="sgd",
                                  record_every=1, recorders=[training.PredictionRecorder()], progress=False)
    f0, f1 = hist.predictions[0, 0], hist.predictions[1, 0]
    pred = -2 * 1e-3 / 32 * K @ (f0 - y)
    np.testing.assert_allclose(f1 - f0, pred, rtol=1e-4, atol=1e-10)


def test_rotation_invariant_kernel_modes():
    theta, _ = kernels.circle_points(16)
    d = theta[:, None] - theta[None, :]
    K = 3 + 2 * np.cos(d) + 0.5 * np.cos(3 * d)
    w, V = kernels.eigh_descending(K)
    np.testing.assert_allclose(kernels.mode_eigenvalues(K, [0, 1, 3, 2]), [48, 16, 4, 0], atol=1e-10)
    assert list(spectra.dominant_dft_frequencies(V[:, :5])) == [0, 1, 1, 3, 3]
    assert np.all(np.diff(w) <= 1e-12)


@settings(deadline=None, max_examples=30)
@given(p=st.floats(-4, 4), c=st.floats(0.1, 10), n=st.integers(2, 20))
def test_fit_power_law_recovers_exact_power(p, c, n):
    x = np.arange(1, n + 1, dtype=float)
    got_p, got_c = spectra.fit_power_law(x, c * x**p)
    assert abs(got_p - p) < 1e-8 and abs(got_c / c - 1) < 1e-8


def test_steps_to_threshold_geometric_decay():
    steps = np.arange(0, 101, 10)
    ratios = np.stack([0.9**steps, 0.97**steps], axis=1)
    fall = dict(direction="fall", interpolate="log", never=np.nan)
    got = stats.steps_to_threshold(steps, ratios, 0.5, **fall)
    np.testing.assert_allclose(got, np.log(0.5) / np.log([0.9, 0.97]), rtol=1e-12)
    assert np.isnan(stats.steps_to_threshold(steps, np.ones(11), 0.5, **fall))
    # recorded (not interpolated) steps: the first record at or below the threshold
    np.testing.assert_array_equal(stats.steps_to_threshold(steps, ratios, 0.5, direction="fall"), [10, 30])
    with pytest.raises(ValueError, match="direction"):
        stats.steps_to_threshold(steps, ratios, 0.5, direction="down")
    with pytest.raises(ValueError, match="positive"):
        stats.steps_to_threshold(steps, ratios - 1, 0.5, direction="fall", interpolate="log")


def test_block_density_counts_and_order():
    th = kernels.block_density_angles(70, [1, 2, 4])
    assert th.size == 70 and np.all(np.diff(th) > 0) and 0 <= th[0] and th[-1] < 2 * np.pi
    counts = np.bincount((th // (2 * np.pi / 3)).astype(int), minlength=3)
    assert counts.tolist() == [10, 20, 40]
    with pytest.raises(ValueError):
        kernels.block_density_angles(10, [1, -1])


def test_two_layer_is_deterministic_and_validates():
    a, b = networks.TwoLayerReLU(8, seed=3), networks.TwoLayerReLU(8, seed=3)
    x = torch.randn(4, 2)
    assert torch.equal(a(x), b(x))
    with pytest.raises(ValueError):
        networks.TwoLayerReLU(0)
    with pytest.raises(ValueError):
        networks.TwoLayerReLU(4, seed=-1)


def test_paper_configs_build_and_run_a_few_steps():
    for name in ("ntk", "basri"):
        cfg = configs.get(name, "paper")
        theta, x = kernels.circle_points(cfg.n_points, dtype=torch.float64)
        net = networks.TwoLayerReLU(cfg.width, seed=0, dtype=torch.float64)
        hist = training.train_full_batch([net], x, torch.tensor(np.sin(theta)), steps=2, lr=1e-3,
                                      optimizer="sgd", record_every=1, progress=False)
        assert np.all(np.isfinite(hist.loss))
    cfg = configs.get("ntk", "paper")
    out = kernels.deep_ntk_spectrum(cfg.deep_hidden, 32, [1, 2], seed=0)
    assert out["eigvecs"].shape == (32, 32)


def test_basri_runner_small_config_matches_kernel():
    from dataclasses import replace

    cfg = replace(configs.get("basri", "book"), n_points=32, width=200, freqs=(2, 4), steps=400,
                  record_every=2)
    out = ntk.basri_experiment(cfg, [0])
    assert out["measured"].shape == (1, 2)
    assert np.all(np.isfinite(out["measured"]))
    np.testing.assert_allclose(out["measured"], out["predicted"], rtol=0.15)
    assert out["measured"][0, 1] > out["measured"][0, 0]


def _tiny_configs():
    from dataclasses import replace

    ncfg = replace(configs.get("ntk", "book"), n_points=16, width=32, freqs=(1, 2), steps=20, record_every=10,
                   n_seeds=1, sweep_widths=(16,))
    bcfg = replace(configs.get("basri", "book"), n_points=30, width=32, freqs=(1, 2), steps=20, n_seeds=1,
                   density_steps=20)
    ccfg = replace(configs.get("ntk_confusion", "book"), n_points=64, hidden=(8, 8), steps=10, n_seeds=1,
                   n_windows=2, window=4)
    return ncfg, bcfg, ccfg


def test_run_results_are_frozen_and_identical_with_and_without_cache(tmp_path, monkeypatch):
    import dataclasses

    from spectral_lib.runs import cache

    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    for cfg in _tiny_configs():
        fresh = ntk.run(cfg, use_cache=False)
        stored = ntk.run(cfg)        # computes and stores
        loaded = ntk.run(cfg)        # served from the cache
        assert list(tmp_path.rglob("*")), "nothing was stored"
        with pytest.raises(dataclasses.FrozenInstanceError):
            fresh.lr = 0.0
        for f in dataclasses.fields(fresh):
            a, b, c = (getattr(r, f.name) for r in (fresh, stored, loaded))
            if f.name == "config":
                assert a == b == c == cfg
            else:
                np.testing.assert_array_equal(a, b, err_msg=f.name)
                np.testing.assert_array_equal(a, c, err_msg=f.name)
                assert np.asarray(a).dtype == np.asarray(c).dtype, f.name
    with pytest.raises(TypeError):
        ntk.run("not a config")


def test_linearised_result_kernel_drift_and_width_sweep():
    """At step 0 the kernel has not moved; the sweep holds every width, the main width's runs reused."""
    ncfg = _tiny_configs()[0]
    res = ntk.run(ncfg, use_cache=False)
    n_a, s, t, m = res.measured.shape
    assert res.kernel_change.shape == (n_a, s, t) and res.mode_drift.shape == (n_a, s, t, m)
    np.testing.assert_allclose(res.kernel_change[:, :, 0], 0, atol=1e-12)
    np.testing.assert_allclose(res.mode_drift[:, :, 0], 1, atol=1e-12)
    assert res.sweep_widths.tolist() == [16, 32]
    np.testing.assert_array_equal(res.sweep_measured[1], res.measured[-1])
    np.testing.assert_allclose(res.sweep_kernel_change[1], res.kernel_change[-1, :, -1])
    # the kernel's drift, recomputed independently from a plain loop's trained net
    theta, x = kernels.circle_points(ncfg.n_points, dtype=torch.float64)
    net = networks.TwoLayerReLU(ncfg.width, seed=0, dtype=torch.float64)
    K0 = kernels.empirical_ntk(net, x)
    phases = seeding.rng(0).uniform(0, 2 * np.pi, len(ncfg.freqs))
    mix = sum(np.sin(k * theta + p) for k, p in zip(ncfg.freqs, phases, strict=True))
    with torch.no_grad():
        y = torch.tensor(net(x)[:, 0].numpy() + ncfg.amplitudes[-1] * mix)
    opt = torch.optim.SGD(net.parameters(), lr=res.lr)
    for _ in range(ncfg.steps):
        opt.zero_grad()
        ((net(x)[:, 0] - y) ** 2).mean().backward()
        opt.step()
    KT = kernels.empirical_ntk(net, x)
    np.testing.assert_allclose(res.sweep_kernel_change[1, 0], np.linalg.norm(KT - K0) / np.linalg.norm(K0),
                               rtol=1e-6)


def test_fit_frequencies_follow_the_aliasing_bound():
    from dataclasses import replace

    cfg = configs.get("ntk", "book")
    assert ntk.fit_frequencies(cfg).tolist() == list(range(2, cfg.n_points // 8 + 1))
    with pytest.raises(ValueError):
        ntk.fit_frequencies(replace(cfg, n_points=8, fit_min_freq=2))


def test_confusion_identity_on_a_trained_net_and_signs():
    ccfg = _tiny_configs()[2]
    res = ntk.run(ccfg, use_cache=False)
    assert res.identity_error.max() < 1e-10
    assert res.kinds.tolist() == ["coordinates", "PE"]
    # |cos| is the normalised kernel; the sign is the residuals' agreement
    np.testing.assert_allclose(np.abs(res.local_cos), np.abs(res.local_kernel), atol=1e-10)
    agree = np.where(res.local_same_sign, 1.0, -1.0)
    np.testing.assert_array_equal(np.sign(res.local_cos), np.sign(res.local_kernel) * agree)
    assert np.all((res.top_share > 0) & (res.top_share <= 1 + 1e-12))
