"""Tests of spectral_lib.targets against independent references (loops, direct DFT sums, scipy)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from spectral_lib import configs, datasets, networks, spectra, stats
from spectral_lib.experiments import architecture, learning_order, robustness


def direct_dft_magnitude(y: np.ndarray, m: int) -> float:
    """|(1/N) Σ_n y_n exp(-2πi m n / N)| by a plain sum (no FFT)."""
    n = np.arange(y.size)
    return abs(np.sum(y * np.exp(-2j * np.pi * m * n / y.size))) / y.size


# --------------------------------------------------------------------------- targets


def test_unit_grid_excludes_endpoint():
    x = datasets.unit_grid(200)
    assert x.shape == (200,) and x[0] == 0.0 and x[-1] == pytest.approx(199 / 200)
    assert np.allclose(np.diff(x), 1 / 200)


@pytest.mark.parametrize("bad", [0, 1, -3, 2.5, True, "200"])
def test_unit_grid_rejects_bad_sizes(bad):
    with pytest.raises(ValueError):
        datasets.unit_grid(bad)


def test_amplitude_profiles():
    assert np.array_equal(datasets.amplitude_profile("equal", 10), np.ones(10))
    inc = datasets.amplitude_profile("increasing", 10)
    assert np.allclose(inc, [0.1 * i for i in range(1, 11)])
    assert inc[-1] / inc[0] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="setting"):
        datasets.amplitude_profile("rising", 10)


@settings(max_examples=40, deadline=None)
@given(
    freqs=st.lists(st.floats(0.5, 30.0), min_size=1, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_sinusoid_mixture_matches_componentwise_loop(freqs, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 2, size=17)
    amps = rng.normal(size=len(freqs))
    phases = rng.uniform(0, 2 * np.pi, size=len(freqs))
    expected = np.zeros_like(x)
    for k, a, p in zip(freqs, amps, phases, strict=True):
        expected += [a * math.sin(2 * math.pi * k * xi + p) for xi in x]
    assert np.allclose(datasets.sinusoid_mixture(x, freqs, amps, phases), expected, atol=1e-10)


def test_sinusoid_mixture_batches_over_leading_axes():
    x = datasets.unit_grid(50)
    phases = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    batch = datasets.sinusoid_mixture(x, [1, 3], [1.0, 0.5], phases)
    assert batch.shape == (3, 50)
    for i in range(3):
        assert np.allclose(batch[i], datasets.sinusoid_mixture(x, [1, 3], [1.0, 0.5], phases[i]))


def test_sinusoid_mixture_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        datasets.sinusoid_mixture([0.0, np.nan], [1], [1.0], [0.0])


@pytest.mark.parametrize("setting", datasets.SETTINGS)
def test_exp1_targets_put_each_component_on_its_bin(setting):
    freqs = np.arange(5, 55, 5)
    t = datasets.exp1_targets(freqs, setting, seeds=[0, 1, 2])
    assert t["y"].shape == (3, 200) and t["phases"].shape == (3, 10)
    for y in t["y"]:
        for k, a in zip(freqs, t["amplitudes"], strict=True):
            assert direct_dft_magnitude(y, k) == pytest.approx(a / 2, abs=1e-12)
        off = [direct_dft_magnitude(y, m) for m in range(1, 100) if m not in set(freqs)]
        assert max(off) < 1e-12


def test_exp1_phases_are_per_seed_and_reproducible():
    a = datasets.exp1_targets([5, 10], "equal", seeds=[0, 1])
    b = datasets.exp1_targets([5, 10], "equal", seeds=[1])
    assert np.array_equal(a["phases"][1], b["phases"][0])
    assert not np.allclose(a["phases"][0], a["phases"][1])
    assert np.all((a["phases"] >= 0) & (a["phases"] < 2 * np.pi))


@pytest.mark.parametrize("freqs", [[0, 5], [100], [5.5], []])
def test_exp1_targets_reject_bad_frequencies(freqs):
    with pytest.raises(ValueError):
        datasets.exp1_targets(freqs, "equal", seeds=[0])


def test_exp1_targets_reject_bad_seeds():
    with pytest.raises(ValueError):
        datasets.exp1_targets([5], "equal", seeds=[])
    with pytest.raises(ValueError):
        datasets.exp1_targets([5], "equal", seeds=[-1])


def test_delta_target_has_flat_spectrum():
    y = datasets.delta_target(200, at=0.5)
    assert y.sum() == 1.0 and y[100] == 1.0
    mags = [direct_dft_magnitude(y, m) for m in range(100)]
    assert np.allclose(mags, 1 / 200, atol=1e-15)


@pytest.mark.parametrize("at", [0.503, 1.0, -0.5])
def test_delta_target_rejects_off_grid(at):
    with pytest.raises(ValueError):
        datasets.delta_target(200, at=at)


# --------------------------------------------------------------------------- summaries


def first_crossing_loop(steps, series, thr):
    for s, v in zip(steps, series, strict=True):
        if v >= thr:
            return float(s)
    return math.inf


@settings(max_examples=60, deadline=None)
@given(
    n_rec=st.integers(1, 12),
    n_series=st.integers(1, 4),
    thr=st.floats(-1, 2),
    seed=st.integers(0, 2**16),
)
def test_steps_to_threshold_matches_loop(n_rec, n_series, thr, seed):
    rng = np.random.default_rng(seed)
    steps = np.cumsum(rng.integers(1, 50, size=n_rec))
    values = rng.uniform(0, 1.5, size=(n_rec, n_series))
    got = stats.steps_to_threshold(steps, values, thr, direction="rise")
    expected = [first_crossing_loop(steps, values[:, j], thr) for j in range(n_series)]
    assert got.shape == (n_series,)
    assert np.array_equal(got, expected)


def test_steps_to_threshold_validates():
    with pytest.raises(ValueError, match="increasing"):
        stats.steps_to_threshold([0, 0], [0.1, 0.2], 0.5, direction="rise")
    with pytest.raises(ValueError, match="shape"):
        stats.steps_to_threshold([0, 1, 2], [0.1, 0.2], 0.5, direction="rise")
    with pytest.raises(ValueError, match="NaN"):
        stats.steps_to_threshold([0, 1], [0.1, np.nan], 0.5, direction="rise")


@settings(max_examples=60, deadline=None)
@given(
    a=st.lists(st.integers(-5, 5), min_size=3, max_size=12),
    seed=st.integers(0, 2**16),
)
def test_spearman_matches_scipy(a, seed):
    rng = np.random.default_rng(seed)
    b = rng.integers(-3, 4, size=len(a)).astype(float)
    if len(set(a)) < 2 or len(set(b)) < 2:
        with pytest.raises(ValueError, match="constant"):
            stats.rank_correlation(a, b)
        return
    assert stats.rank_correlation(a, b) == pytest.approx(scipy_stats.spearmanr(a, b).statistic, abs=1e-12)


def test_spearman_ranks_inf_last_and_tied():
    k = [5, 10, 15, 20, 25]
    steps = [100, 300, 200, np.inf, np.inf]
    big = [100, 300, 200, 1e9, 1e9]
    assert stats.rank_correlation(k, steps) == pytest.approx(scipy_stats.spearmanr(k, big).statistic)
    assert stats.rank_correlation(k, [1, 2, 3, 4, np.inf]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="NaN"):
        stats.rank_correlation(k, [1, 2, np.nan, 4, 5])


def test_retained_amplitude_matches_direct_sums():
    rng = np.random.default_rng(0)
    x = datasets.unit_grid(64)
    ref = np.sin(2 * np.pi * 3 * x) + 0.3 * np.cos(2 * np.pi * 7 * x)
    pert = ref + 0.2 * rng.normal(size=(2, 5, 64))
    got = spectra.retained_amplitude(pert, ref, [3, 7])
    assert got.shape == (2, 2)
    for d in range(2):
        for j, k in enumerate([3, 7]):
            mean_mag = np.mean([direct_dft_magnitude(pert[d, s], k) for s in range(5)])
            assert got[d, j] == pytest.approx(mean_mag / direct_dft_magnitude(ref, k), rel=1e-10)


def test_retained_amplitude_is_one_without_perturbation_and_validates():
    x = datasets.unit_grid(32)
    ref = np.sin(2 * np.pi * 2 * x)
    assert spectra.retained_amplitude(np.stack([ref, ref]), ref, [2]) == pytest.approx([1.0])
    with pytest.raises(ValueError, match="zero amplitude"):
        spectra.retained_amplitude(np.stack([ref]), ref, [5])
    with pytest.raises(ValueError, match="shape"):
        spectra.retained_amplitude(ref, ref, [2])


# --------------------------------------------------------------------------- runners


def test_format_steps():
    assert learning_order.format_steps([100.0, 300.0], 1000) == "200 ± 141"
    assert learning_order.format_steps([np.inf, np.inf], 10_000) == "> 10,000"
    assert learning_order.format_steps([1200.0, np.inf, 800.0], 10_000) == "≥ 1,200 (2/3 runs)"
    with pytest.raises(ValueError):
        learning_order.format_steps([], 10)


def _tiny_exp1(**kw):
    base = configs.get("exp1", "book")
    fields = {"hidden": (8, 8), "steps": 30, "n_runs": 2, "record_every": 10, "snapshots": (0, 20)}
    fields.update(kw)
    return dataclasses.replace(base, **fields)


def reference_exp1_run(cfg, setting, seed):
    """One Exp1 run by a plain torch loop (recorded before each update)."""
    t = datasets.exp1_targets(cfg.freqs, setting, seeds=[seed], n_points=cfg.n_points)
    x = torch.as_tensor(t["x"], dtype=torch.float32)[:, None]
    y = torch.as_tensor(t["y"][0], dtype=torch.float32)[:, None]
    net = networks.relu_mlp(1, list(cfg.hidden), seed=seed)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    preds = []
    for step in range(cfg.steps + 1):
        out = net(x)
        if step % cfg.record_every == 0 or step == cfg.steps:
            preds.append(out.detach().double().numpy()[:, 0])
        if step == cfg.steps:
            break
        loss = ((out - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    preds = np.array(preds)
    pairs = list(zip(cfg.freqs, t["amplitudes"], strict=True))
    amps = np.array([[2 * direct_dft_magnitude(p, k) / a for k, a in pairs] for p in preds])
    return preds, amps, net


def test_run_exp1_matches_per_model_loop():
    cfg = _tiny_exp1()
    res = learning_order.run_exp1(cfg, progress=False, use_cache=False)
    assert res.steps.tolist() == [0, 10, 20, 30]
    for setting in cfg.settings:
        assert res.predictions[setting].shape == (4, 2, 200)
        assert res.spectral_norms[setting].shape == (4, 2, 3)
        for seed in range(2):
            preds, amps, net = reference_exp1_run(cfg, setting, seed)
            assert np.allclose(res.predictions[setting][:, seed], preds, atol=1e-5)
            assert np.allclose(res.amplitudes[setting][:, seed], amps, atol=1e-4)
            W = [m.weight.detach().double().numpy() for m in net if isinstance(m, torch.nn.Linear)]
            assert np.allclose(res.spectral_norms[setting][-1, seed], [np.linalg.norm(w, 2) for w in W],
                               rtol=1e-4)
            rebuilt = res.models(setting)[seed]
            x = torch.as_tensor(res.x, dtype=torch.float32)[:, None]
            assert np.allclose(rebuilt(x).detach().numpy()[:, 0], net(x).detach().numpy()[:, 0], atol=1e-5)
    # the two settings share phases and initialisations: identical at step 0 up to target scale
    assert np.array_equal(res.predictions["equal"][0], res.predictions["increasing"][0])


def test_exp1_summaries():
    cfg = _tiny_exp1(steps=20)
    res = learning_order.run_exp1(cfg, progress=False, use_cache=False)
    mean = res.mean_amplitudes("equal")
    assert np.allclose(mean, res.amplitudes["equal"].mean(axis=1))
    assert np.array_equal(res.steps_to("equal", -1.0), np.zeros(10))
    assert np.all(np.isinf(res.steps_to("equal", 1e9, per_run=True)))
    step, pred = res.snapshot("equal", 12)
    assert step == 10 and pred.shape == (2, 200)
    with pytest.raises(ValueError, match="setting"):
        res.mean_amplitudes("rising")


def test_run_exp1_rejects_wrong_config():
    with pytest.raises(TypeError, match="Exp1"):
        learning_order.run_exp1(configs.get("exp7", "book"), progress=False, use_cache=False)


def test_run_exp2_relative_deltas_and_identity_at_zero():
    c1 = _tiny_exp1(settings=("equal",), steps=20)
    cfg = dataclasses.replace(configs.get("exp2", "book"), train=c1, n_deltas=4, n_samples=3)
    res1 = learning_order.run_exp1(c1, progress=False, use_cache=False)
    res = robustness.run_exp2(cfg, exp1=res1, progress=False, use_cache=False)
    assert res.retained.shape == (2, 4, 10)
    assert np.allclose(res.retained[:, 0], 1.0, atol=1e-5)
    for i, net in enumerate(res1.models("equal")):
        norm = math.sqrt(sum(float((p.detach().double() ** 2).sum()) for p in net.parameters()))
        init = networks.relu_mlp(1, list(c1.hidden), seed=i)
        init_norm = math.sqrt(sum(float((p.detach().double() ** 2).sum()) for p in init.parameters()))
        assert res.theta_norms[i] == pytest.approx(norm, rel=1e-6)
        assert res.init_norms[i] == pytest.approx(init_norm, rel=1e-6)
        assert res.deltas[i, -1] == pytest.approx(cfg.delta_max * init_norm, rel=1e-6)
    assert np.allclose(res.relative_deltas[:, -1], cfg.delta_max)
    # the model's own amplitudes are those recorded at the end of training
    assert np.allclose(res.own_amplitudes, res1.amplitudes["equal"][-1], atol=1e-4)
    with pytest.raises(ValueError, match="different config"):
        robustness.run_exp2(cfg, exp1=learning_order.run_exp1(_tiny_exp1(settings=("equal",), steps=10),
                                                    progress=False, use_cache=False))


def test_run_exp2_is_the_perturbation_sweep_of_each_model():
    """Each model's row is the retained amplitude of training.perturbed_predictions, seed = model index."""
    from spectral_lib import training

    c1 = _tiny_exp1(settings=("equal",), hidden=(16, 16), steps=50, record_every=25, lr=1e-2)
    cfg = dataclasses.replace(configs.get("exp2", "book"), train=c1, n_deltas=3, n_samples=5)
    res1 = learning_order.run_exp1(c1, progress=False, use_cache=False)
    res = robustness.run_exp2(cfg, exp1=res1, progress=False, use_cache=False)
    x = datasets.unit_grid(200)
    for i, net in enumerate(res1.models("equal")):
        preds = training.perturbed_predictions(net, x, res.deltas[i], 5, seed=i)
        ref = net(torch.as_tensor(x, dtype=torch.float32)[:, None]).detach().double().numpy()[:, 0]
        mean_mag = [[np.mean([direct_dft_magnitude(preds[d, s], k) for s in range(5)]) for k in c1.freqs]
                    for d in range(3)]
        expected = np.array(mean_mag) / [direct_dft_magnitude(ref, k) for k in c1.freqs]
        assert np.allclose(res.retained[i], expected, rtol=1e-6)


def test_exp7_settings_grid():
    cfg = configs.get("exp7", "paper")
    rows = architecture.exp7_settings(cfg)
    assert [r for r in rows if r[0] == "depth"] == [("depth", d, 16, 10.0) for d in (3, 4, 5, 6)]
    assert [r for r in rows if r[0] == "width"] == [("width", 3, w, 10.0) for w in (16, 32, 64, 128)]
    assert [r for r in rows if r[0] == "clip"] == [("clip", 6, 64, c) for c in (0.1, 0.15, 0.2, 2.0)]
    with pytest.raises(ValueError):
        architecture.exp7_settings(dataclasses.replace(cfg, depths=(1,)))


def test_run_exp7_matches_clamped_loop():
    cfg = dataclasses.replace(configs.get("exp7", "book"), steps=25, n_runs=2, record_every=5, depths=(3,),
                              widths=(8,), clips=(0.05,), clip_depth=3, clip_width=8)
    res = architecture.run_exp7(cfg, progress=False, use_cache=False)
    assert res.spectra.shape == (3, 2, 100) and res.loss.shape == (3, 6, 2)
    x = torch.as_tensor(datasets.unit_grid(200), dtype=torch.float32)[:, None]
    y = torch.as_tensor(datasets.delta_target(200), dtype=torch.float32)[:, None]
    for group, depth, width, clip in res.settings:
        i = res.index(group, {"depth": depth, "width": width, "clip": clip}[group])
        for seed in range(2):
            net = networks.relu_mlp(1, [width] * (depth - 1), seed=seed)
            opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
            for _ in range(cfg.steps):
                loss = ((net(x) - y) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    for p in net.parameters():
                        p.clamp_(-clip, clip)
            pred = net(x).detach().double().numpy()[:, 0]
            assert np.allclose(res.predictions[i, seed], pred, atol=1e-5)
            assert np.allclose(res.spectra[i, seed], [direct_dft_magnitude(pred, m) for m in range(100)],
                               atol=1e-6)
    assert res.band_fraction(0, 100).shape == (3, 2)
    with pytest.raises(ValueError):
        res.band_fraction(10, 5)
    with pytest.raises(ValueError):
        res.index("clip", 0.3)


def test_band_fraction_is_one_for_the_target_itself():
    cfg = dataclasses.replace(configs.get("exp7", "book"), depths=(3,), widths=(8,), clips=(1.0,))
    y = datasets.delta_target(200)
    from spectral_lib import spectra

    res = architecture.Exp7Result(config=cfg, settings=architecture.exp7_settings(cfg), steps=np.array([0]),
                             loss=np.zeros((3, 1, 1)), predictions=np.tile(y, (3, 1, 1)),
                             spectra=np.tile(spectra.dft_amplitudes(y), (3, 1, 1)))
    assert np.allclose(res.band_fraction(1, 100), 1.0)


@pytest.mark.parametrize("name", ["exp1", "exp2", "exp7"])
def test_paper_presets_hold_the_original_hyperparameters(name):
    cfg = configs.get(name, "paper")
    if name == "exp1":
        assert cfg.hidden == (256,) * 5 and cfg.lr == 3e-4 and cfg.steps == 80_000 and cfg.n_runs == 10
        assert cfg.record_every == 100 and cfg.freqs == tuple(range(5, 55, 5)) and cfg.n_points == 200
    elif name == "exp2":
        assert cfg.train.steps == 60_000 and cfg.train.n_runs == 5 and cfg.train.hidden == (256,) * 5
        assert (cfg.n_deltas, cfg.n_samples, cfg.delta_max, cfg.delta_relative) == (100, 100, 5.001, False)
    else:
        assert cfg.steps == 60_000 and cfg.lr == 3e-4


def test_paper_profile_code_path_runs_a_few_steps():
    """The paper presets, cut to two steps (and two perturbations), run through the same code."""
    c1 = dataclasses.replace(configs.get("exp1", "paper"), steps=2, record_every=1, n_runs=2)
    res1 = learning_order.run_exp1(c1, progress=False, use_cache=False)
    assert res1.spectral_norms["equal"].shape == (3, 2, 6)
    assert res1.params["equal"].shape == (2, 263_937)
    p2 = configs.get("exp2", "paper")
    c2 = dataclasses.replace(p2, train=dataclasses.replace(p2.train, steps=2, n_runs=1), n_deltas=2,
                             n_samples=2)
    res2 = robustness.run_exp2(c2, progress=False, use_cache=False)
    assert res2.deltas[0, -1] == pytest.approx(5.001)
    c7 = dataclasses.replace(configs.get("exp7", "paper"), steps=2, record_every=1)
    res7 = architecture.run_exp7(c7, progress=False, use_cache=False)
    assert res7.spectra.shape == (12, c7.n_runs, 100)


def test_runners_go_through_the_results_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SPECTRAL_NO_CACHE", raising=False)
    c1 = _tiny_exp1(settings=("equal",), steps=10)
    first = learning_order.run_exp1(c1, progress=False)
    assert list(tmp_path.rglob("*.npz"))

    def fail(*args, **kwargs):
        raise AssertionError("recomputed despite a cached entry")

    monkeypatch.setattr(learning_order, "_compute_exp1", fail)
    again = learning_order.run_exp1(c1, progress=False)
    assert np.array_equal(again.predictions["equal"], first.predictions["equal"])
    assert np.array_equal(again.params["equal"], first.params["equal"])
    # Exp2 finds Exp1's models in the cache instead of retraining them
    cfg2 = dataclasses.replace(configs.get("exp2", "book"), train=c1, n_deltas=2, n_samples=2)
    assert robustness.run_exp2(cfg2, progress=False).retained.shape == (2, 2, 10)


@settings(max_examples=40, deadline=None)
@given(n_rec=st.integers(2, 10), seed=st.integers(0, 2**16))
def test_mean_time_to_threshold_is_the_censored_average(n_rec, seed):
    rng = np.random.default_rng(seed)
    steps = np.cumsum(rng.integers(1, 20, size=n_rec))
    values = rng.uniform(0, 1.2, size=(n_rec, 3))
    thr = [0.1, 0.4, 0.9]
    got = stats.mean_time_to_threshold(steps, values, thr)
    for j in range(3):
        times = [min(first_crossing_loop(steps, values[:, j], t), steps[-1]) for t in thr]
        assert got[j] == pytest.approx(np.mean(times))
    with pytest.raises(ValueError):
        stats.mean_time_to_threshold(steps, values, [])


def test_bootstrap_interval_covers_the_mean_like_the_normal_interval():
    # independent reference: for many normal runs the percentile bootstrap of the mean is close
    # to the normal-theory interval mean ± 1.96 s/√n
    x = np.random.default_rng(3).normal(2.0, 1.0, size=400)
    lo, hi = stats.bootstrap_interval(x, n_boot=4000, seed=1)
    half = 1.96 * x.std(ddof=1) / np.sqrt(x.size)
    assert abs(lo - (x.mean() - half)) < 0.02 and abs(hi - (x.mean() + half)) < 0.02
    assert stats.bootstrap_interval(x, seed=5) == stats.bootstrap_interval(x, seed=5)
    with pytest.raises(ValueError):
        stats.bootstrap_interval([1.0])
    with pytest.raises(ValueError):
        stats.bootstrap_interval([1.0, np.nan])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(16, 80), k=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_coherent_fraction_matches_direct_dft_sums(n, k, seed):
    rng = np.random.default_rng(seed)
    x = np.arange(n) / n
    ref = np.sin(2 * np.pi * k * x + rng.uniform(0, 6)) + 0.1 * rng.normal(size=n)
    pert = ref + rng.normal(scale=0.5, size=(2, 5, n))
    basis = np.exp(-2j * np.pi * k * np.arange(n) / n)   # direct DFT sum, no FFT
    fr, fp = ref @ basis, pert @ basis
    want = (fp * np.conj(fr)).real.mean(axis=-1) / abs(fr) ** 2
    got = spectra.coherent_fraction(pert, ref, [k])[..., 0]
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    # noise with a random phase averages out: many samples of pure noise give c ≈ 0
    noise = rng.normal(size=(4000, n))
    other = ref + 10 * np.sin(2 * np.pi * k * x)
    assert abs(spectra.coherent_fraction(noise + 0 * ref, other, [k])[0]) < 0.05


@settings(deadline=None, max_examples=8)
@given(seed=st.integers(0, 10_000), n_runs=st.integers(2, 6), shift=st.floats(-2.0, 2.0))
def test_interval_above_and_runs_all_above_match_plain_loops(seed, n_runs, shift):
    d = np.random.default_rng(seed).normal(shift, 1.0, (2, 3, n_runs))
    got = stats.interval_above(d)
    want = np.array([[stats.bootstrap_interval(d[i, j])[0] > 0 for j in range(3)] for i in range(2)])
    np.testing.assert_array_equal(got, want)
    assert stats.runs_all_above(d) == sum(bool(np.all(d[..., r] > 0)) for r in range(n_runs))
    with pytest.raises(ValueError):
        stats.interval_above(d[..., :1])
    with pytest.raises(ValueError):
        stats.runs_all_above(np.float64(1.0))
