"""Tests of spectral_lib.data: two-class loaders, radial label noise, training on label sets."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets, networks

# ---------------------------------------------------------------------------------------
from spectral_lib.experiments import real_data

# Loaders and splits
# ---------------------------------------------------------------------------------------


def test_two_class_split_order_labels_and_sizes():
    x = np.arange(20.0).reshape(10, 2)
    labels = np.array([3, 8, 1, 3, 8, 3, 8, 8, 3, 1])
    s = datasets.two_class_split(x, labels, (3, 8), val_fraction=0.25)
    kept = [i for i, c in enumerate(labels) if c in (3, 8)]
    assert s.n_train == 6 and s.n_val == 2
    np.testing.assert_array_equal(np.vstack([s.x_train, s.x_val]), x[kept])
    expected = [-1.0 if labels[i] == 3 else 1.0 for i in kept]
    assert s.y_train.tolist() + s.y_val.tolist() == expected
    assert s.classes == (3, 8) and s.dim == 2


def test_two_class_split_without_validation_and_n_max():
    x = np.arange(12.0).reshape(6, 2)
    labels = np.array([0, 1, 0, 1, 0, 1])
    s = datasets.two_class_split(x, labels, (1, 0), val_fraction=0.0, n_max=4)
    np.testing.assert_array_equal(s.x_train, x[:4])
    np.testing.assert_array_equal(s.x_val, s.x_train)
    assert s.y_train.tolist() == [1.0, -1.0, 1.0, -1.0]


@pytest.mark.parametrize(
    "kwargs, err",
    [
        ({"classes": (3, 3)}, ValueError),
        ({"classes": (3,)}, ValueError),
        ({"classes": (3.0, 8)}, TypeError),
        ({"classes": (3, 7)}, ValueError),
        ({"val_fraction": 1.0}, ValueError),
        ({"val_fraction": -0.1}, ValueError),
        ({"n_max": 1}, ValueError),
    ],
)
def test_two_class_split_rejects_bad_input(kwargs, err):
    x = np.zeros((6, 2))
    labels = np.array([3, 8, 3, 8, 3, 8])
    args = {"classes": (3, 8), **kwargs}
    classes = args.pop("classes")
    with pytest.raises(err):
        datasets.two_class_split(x, labels, classes, **args)


def test_two_class_split_rejects_nan_and_shape_mismatch():
    with pytest.raises(ValueError):
        datasets.two_class_split(np.full((4, 2), np.nan), [3, 8, 3, 8])
    with pytest.raises(ValueError):
        datasets.two_class_split(np.zeros((4, 2)), [3, 8, 3])
    with pytest.raises(ValueError):
        datasets.two_class_split(np.zeros(4), [3, 8, 3, 8])


def test_digits_pair_matches_sklearn_selection():
    from sklearn.datasets import load_digits

    d = load_digits()
    mask = (d.target == 3) | (d.target == 8)
    x_ref = d.images[mask].reshape(-1, 64) / 16.0
    y_ref = np.where(d.target[mask] == 3, -1.0, 1.0)
    s = datasets.load_digits_pair((3, 8))
    n_train = int(np.floor(0.8 * mask.sum()))
    assert s.source == "digits" and s.dim == 64
    assert s.n_train == n_train and s.n_train + s.n_val == mask.sum()
    np.testing.assert_array_equal(np.vstack([s.x_train, s.x_val]), x_ref)
    np.testing.assert_array_equal(np.concatenate([s.y_train, s.y_val]), y_ref)
    assert 0.0 <= s.x_train.min() and s.x_train.max() <= 1.0
    with pytest.raises(ValueError):
        datasets.load_digits_pair((3, 10))


def _fake_mnist(path, n=60, seed=0, keys=("x_train", "y_train")):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, size=n)
    y[:4] = [3, 8, 3, 8]
    np.savez(path, **{keys[0]: x, keys[1]: y})
    return x, y


@pytest.mark.parametrize("keys", [("x_train", "y_train"), ("x", "y")])
def test_mnist_pair_from_disk(tmp_path, keys):
    f = tmp_path / "mnist.npz"
    x, y = _fake_mnist(f, keys=keys)
    s = datasets.load_mnist_pair(f, (3, 8), val_fraction=0.25)
    mask = (y == 3) | (y == 8)
    ref = x[mask].reshape(-1, 784).astype(np.float64) / 255.0
    assert s.source == "mnist" and s.dim == 784
    np.testing.assert_allclose(np.vstack([s.x_train, s.x_val]), ref, rtol=0, atol=0)
    assert np.concatenate([s.y_train, s.y_val]).tolist() == [-1.0 if c == 3 else 1.0 for c in y[mask]]


def test_mnist_missing_file_and_keys(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not download"):
        datasets.load_mnist_pair(tmp_path / "absent.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, images=np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="x_train"):
        datasets.load_mnist_pair(bad)


def test_load_pair_dispatch_and_env(tmp_path, monkeypatch):
    assert datasets.load_pair("digits").source == "digits"
    with pytest.raises(ValueError, match="unknown data source"):
        datasets.load_pair("cifar")
    monkeypatch.delenv("SPECTRAL_MNIST", raising=False)
    with pytest.raises(FileNotFoundError):
        datasets.load_pair("mnist", mnist_path=tmp_path / "none.npz")
    f = tmp_path / "m.npz"
    _fake_mnist(f)
    monkeypatch.setenv("SPECTRAL_MNIST", str(f))
    assert datasets.load_pair("mnist", mnist_path="ignored.npz").dim == 784


# ---------------------------------------------------------------------------------------
# Radial noise
# ---------------------------------------------------------------------------------------

rows = st.lists(st.lists(st.floats(-3, 3), min_size=3, max_size=3), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(rows, st.floats(0, 20))
def test_radial_noise_matches_per_sample_formula(xs, k):
    x = np.array(xs)
    got = datasets.radial_noise(x, k)
    ref = [math.sin(2 * math.pi * k * math.sqrt(sum(v * v for v in row))) for row in xs]
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-9)
    paper = datasets.radial_noise(x, k, convention="paper")
    ref_p = [math.sin(k * math.sqrt(sum(v * v for v in row))) for row in xs]
    np.testing.assert_allclose(paper, ref_p, rtol=0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.5, 5.0), st.floats(0.2, 3.0), st.floats(0.3, 12.0))
def test_radial_cycles_counts_zero_crossings(r_lo, span, k):
    # Independent reference: the sine's zero crossings along a dense radius grid, two per cycle.
    r = np.linspace(r_lo, r_lo + span, 200_001)
    crossings = np.count_nonzero(np.diff(np.sign(np.sin(2 * np.pi * k * r))) != 0)
    x = np.array([[r_lo, 0.0], [0.0, r_lo + span], [r_lo + 0.5 * span, 0.0]])
    cycles = datasets.radial_cycles(x, k)
    assert abs(2 * cycles - crossings) <= 1.0
    assert datasets.radial_cycles(x, k, convention="paper") == pytest.approx(cycles / (2 * np.pi))


def test_radial_noise_rejects_bad_input():
    with pytest.raises(ValueError):
        datasets.radial_noise(np.zeros((3, 2)), -1.0)
    with pytest.raises(TypeError):
        datasets.radial_noise(np.zeros((3, 2)), "1")
    with pytest.raises(ValueError):
        datasets.radial_noise(np.zeros(3), 1.0)
    with pytest.raises(ValueError):
        datasets.radial_noise(np.array([[np.nan, 0.0]]), 1.0)
    with pytest.raises(ValueError):
        datasets.radial_noise(np.zeros((3, 2)), 1.0, convention="angular")
    with pytest.raises(ValueError):
        datasets.radial_cycles(np.ones((3, 2)), 1.0, quantiles=(0.9, 0.1))


def test_uniform_noise_is_seeded_and_in_range():
    a, b = datasets.uniform_noise(5000, seed=3), datasets.uniform_noise(5000, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.min() >= -1 and a.max() < 1
    assert abs(a.mean()) < 4 * np.sqrt(1 / 3 / 5000)
    assert not np.array_equal(a, datasets.uniform_noise(5000, seed=4))
    with pytest.raises(ValueError):
        datasets.uniform_noise(0, seed=0)
    with pytest.raises(ValueError):
        datasets.uniform_noise(3, seed=0, low=1.0, high=1.0)


# ---------------------------------------------------------------------------------------
# Training on label sets, summaries
# ---------------------------------------------------------------------------------------


def _plain_loop(x, y, hidden, seed, lr, steps, x_eval):
    """Reference: one model, its own torch.optim.Adam, recorded before each update."""
    net = networks.relu_mlp(x.shape[1], hidden, 1, seed=seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)[:, None]
    xe = torch.tensor(x_eval, dtype=torch.float32)
    preds = []
    for _ in range(steps):
        with torch.no_grad():
            preds.append(net(xe)[:, 0].numpy().copy())
        loss = ((net(xt) - yt) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        preds.append(net(xe)[:, 0].numpy().copy())
    return np.array(preds)


def test_train_label_sets_matches_per_model_loops():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 4))
    x_eval = rng.normal(size=(7, 4))
    Y = np.stack([np.sign(x[:, 0]), np.sin(3 * x[:, 1])])
    run = real_data.train_label_sets(x, Y, hidden=[16, 16], lr=1e-2, steps=25, record_every=1, n_seeds=2,
                                x_eval=x_eval)
    assert run.predictions.shape == (26, 2, 2, 7)
    for s in range(2):
        for r in range(2):
            ref = _plain_loop(x, Y[s], [16, 16], r, 1e-2, 25, x_eval)
            np.testing.assert_allclose(run.predictions[:, s, r], ref, rtol=0, atol=2e-5)
    y_ref = rng.normal(size=7)
    np.testing.assert_allclose(run.mse(y_ref), ((run.predictions - y_ref) ** 2).mean(-1))
    with pytest.raises(ValueError):
        run.mse(np.zeros(6))
    # The recorded evaluation loss (predictions not kept) equals the loss of the predictions.
    lean = real_data.train_label_sets(x, Y, hidden=[16, 16], lr=1e-2, steps=25, record_every=1, n_seeds=2,
                                 x_eval=x_eval, y_eval=y_ref, keep_predictions=False)
    assert lean.predictions is None
    np.testing.assert_allclose(lean.eval_loss, run.mse(y_ref), rtol=1e-6, atol=1e-9)
    with pytest.raises(ValueError):
        lean.mse(y_ref)
    with pytest.raises(ValueError):
        real_data.train_label_sets(x, Y, hidden=[4], lr=1e-3, steps=1, record_every=1, n_seeds=1,
                              keep_predictions=False)
    with pytest.raises(ValueError):
        real_data.train_label_sets(x, Y, hidden=[4], lr=1e-3, steps=1, record_every=1, n_seeds=1,
                              x_eval=x_eval, y_eval=np.zeros(6))


def test_train_label_sets_rejects_bad_shapes():
    x = np.zeros((5, 2))
    with pytest.raises(ValueError):
        real_data.train_label_sets(x, np.zeros((2, 4)), hidden=[4], lr=1e-3, steps=1, record_every=1,
                                   n_seeds=1)
    with pytest.raises(ValueError):
        real_data.train_label_sets(x, np.zeros((2, 5)), hidden=[4], lr=1e-3, steps=1, record_every=1,
                                   n_seeds=0)


def test_dip_summary_by_hand():
    curves = np.array([[1.0, 0.8], [0.25, 0.5], [0.5, 0.3], [0.75, 0.9]])
    d = real_data.dip_summary(curves, [0, 5, 10, 15])
    assert d["best"] == pytest.approx(0.275)
    assert d["best_sd"] == pytest.approx(0.025)
    assert d["best_step"] == pytest.approx(7.5)
    assert d["final"] == pytest.approx(0.825) and d["initial"] == pytest.approx(0.9)
    assert d["rise"] == pytest.approx(0.825 / 0.275)
    with pytest.raises(ValueError):
        real_data.dip_summary(np.array([[0.0, 1.0]]), [0])
    with pytest.raises(ValueError):
        real_data.dip_summary(curves, [0, 1])


def test_label_noise_settings_order_and_dedup():
    got = datasets.label_noise_settings(0.2, 10.0, (0.2, 1.0, 10.0), (0.5, 1.0), (1.0,))
    assert got == [(0.0, 0.0), (0.2, 0.5), (0.2, 1.0), (10.0, 0.5), (10.0, 1.0), (1.0, 1.0)]
    with pytest.raises(ValueError):
        datasets.label_noise_settings(0.2, 10.0, (), (0.5,), (1.0,))
    with pytest.raises(ValueError):
        datasets.label_noise_settings(0.2, 10.0, (1.0,), (-0.5,), (1.0,))


def test_run_label_noise_zero_noise_settings_agree_and_match_loop():
    s = datasets.load_digits_pair()
    # k = 0 or β = 0 give no noise: identical curves; a noisy setting differs.
    res = real_data.run_label_noise(s, [(0.0, 0.0), (5.0, 0.0), (0.0, 1.0), (5.0, 1.0)], hidden=[16], lr=1e-3,
                               steps=20, record_every=5, n_seeds=2, standardise=False)
    assert res.val_loss.shape == (5, 4, 2)
    np.testing.assert_array_equal(res.val(0.0, 0.0), res.val(5.0, 0.0))
    np.testing.assert_array_equal(res.val(0.0, 0.0), res.val(0.0, 1.0))
    assert not np.allclose(res.val(5.0, 1.0)[1:], res.val(0.0, 0.0)[1:])
    noisy = s.y_train + datasets.radial_noise(s.x_train, 5.0)
    ref = _plain_loop(s.x_train, noisy, [16], 1, 1e-3, 20, s.x_val)
    np.testing.assert_allclose(res.val(5.0, 1.0)[:, 1], ((ref[::5] - s.y_val) ** 2).mean(-1), rtol=1e-5)
    assert res.summary(5.0, 1.0)["best"] <= res.val(5.0, 1.0)[0].mean()
    with pytest.raises(KeyError):
        res.index(1.0, 1.0)


def test_paper_profile_code_path_runs_on_mnist_arrays(tmp_path, monkeypatch):
    """The paper preset (784 -> 256x5 -> 1, MNIST on disk) runs: a couple of steps on fake arrays."""
    cfg = configs.get("exp3", "paper")
    assert cfg.source == "mnist" and cfg.hidden == (256,) * 5 and cfg.lr == 1e-4 and cfg.steps == 5000
    f = tmp_path / "mnist.npz"
    _fake_mnist(f, n=80)
    monkeypatch.setenv("SPECTRAL_MNIST", str(f))
    split = datasets.load_pair(cfg.source, cfg.classes, val_fraction=cfg.val_fraction,
                               mnist_path=cfg.mnist_path)
    n_params = sum(p.numel() for p in networks.relu_mlp(split.dim, list(cfg.hidden)).parameters())
    assert n_params == 464_385
    settings_ = datasets.label_noise_settings(cfg.k_low, cfg.k_high, cfg.k_values, cfg.betas, cfg.beta_panels)
    res = real_data.run_label_noise(split, settings_[:2], hidden=cfg.hidden, lr=cfg.lr, steps=2,
                               record_every=cfg.record_every, n_seeds=cfg.n_seeds)
    assert res.val_loss.shape == (3, 2, cfg.n_seeds) and np.all(np.isfinite(res.val_loss))


def test_train_label_sets_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SPECTRAL_NO_CACHE", raising=False)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(12, 3))
    Y = np.stack([x[:, 0], x[:, 1]])
    kw = dict(hidden=[8], lr=1e-2, steps=6, record_every=2, n_seeds=2, y_eval=x[:, 2])
    fresh = real_data.train_label_sets(x, Y, **kw)
    first = real_data.train_label_sets(x, Y, cache_name="test-label-sets", **kw)
    files = sorted(p.name for p in tmp_path.rglob("*.npz"))
    assert len(files) == 1
    again = real_data.train_label_sets(x, Y, cache_name="test-label-sets", **kw)
    assert sorted(p.name for p in tmp_path.rglob("*.npz")) == files
    for run in (first, again):
        np.testing.assert_array_equal(run.steps, fresh.steps)
        np.testing.assert_allclose(run.predictions, fresh.predictions, rtol=0, atol=0)
        np.testing.assert_allclose(run.eval_loss, fresh.eval_loss, rtol=0, atol=0)
    # Other labels give another entry.
    real_data.train_label_sets(x, Y + 1.0, cache_name="test-label-sets", **kw)
    assert len(list(tmp_path.rglob("*.npz"))) == 2
