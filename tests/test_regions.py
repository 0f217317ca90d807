"""Tests of spectral_lib.regions against independent references (plain loops, exact pieces)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, cpwl, encodings, networks, seeding, spectra, training
from spectral_lib.cpwl import patterns
from spectral_lib.experiments import image_dynamics, training_dynamics


def _torch_patterns(net, x):
    """Reference: a plain torch forward pass, recording z > 0 after every hidden Linear."""
    h = torch.as_tensor(np.asarray(x, dtype=np.float64)).to(torch.float64)
    net = net.to(torch.float64)
    bits = []
    mods = list(net)
    for i, m in enumerate(mods):
        h = m(h)
        if isinstance(m, torch.nn.Linear) and i < len(mods) - 1:
            bits.append((h > 0).numpy())
    return bits


@settings(deadline=None, max_examples=20)
@given(seed=st.integers(0, 1000), d=st.integers(1, 4), n=st.integers(1, 40))
def test_activation_patterns_match_torch_forward(seed, d, n):
    net = networks.relu_mlp(d, [7, 5, 6], seed=seed)
    x = np.random.default_rng(seed).normal(size=(n, d))
    ref = _torch_patterns(net, x)
    got = cpwl.activation_patterns(net, x, by_layer=True)
    assert [g.shape for g in got] == [(n, 7), (n, 5), (n, 6)]
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_array_equal(g, r)
    np.testing.assert_array_equal(cpwl.activation_patterns(net, x), cpwl.activation_patterns(net, x))


def test_activation_patterns_chunking_and_validation(monkeypatch):
    net = networks.relu_mlp(2, [8, 8], seed=0)
    x = np.random.default_rng(0).normal(size=(37, 2))
    full = cpwl.activation_patterns(net, x)
    monkeypatch.setattr(patterns, "CHUNK", 5)
    np.testing.assert_array_equal(cpwl.activation_patterns(net, x), full)
    with pytest.raises(ValueError):
        cpwl.activation_patterns(net, np.zeros((3, 3)))
    with pytest.raises(ValueError):
        cpwl.activation_patterns(net, np.full((3, 2), np.nan))


@settings(deadline=None)
@given(bits=st.lists(st.lists(st.booleans(), min_size=11, max_size=11), min_size=1, max_size=30))
def test_count_patterns_matches_set_of_tuples(bits):
    p = np.array(bits, dtype=bool)
    assert cpwl.count_patterns(p) == len({tuple(r) for r in bits})


@settings(deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(2, 20), units=st.integers(1, 40), m=st.integers(1, 30))
def test_hamming_matches_loop(seed, n, units, m):
    rng = np.random.default_rng(seed)
    p = rng.random((n, units)) < 0.5
    pairs = rng.integers(0, n, size=(m, 2))
    want = [sum(int(p[i, u] != p[j, u]) for u in range(units)) for i, j in pairs]
    np.testing.assert_array_equal(cpwl.hamming(p, pairs), want)


def test_layer_hamming_sums_to_total_and_dead_units_match_loop():
    net = networks.relu_mlp(1, [16, 16, 16], seed=3)
    x = np.linspace(-0.2, 0.3, 50)[:, None]
    pairs = cpwl.random_pairs(50, 40, seed=0)
    lh = cpwl.layer_hamming(net, x, pairs)
    np.testing.assert_array_equal(lh.sum(axis=0), cpwl.hamming(cpwl.activation_patterns(net, x), pairs))
    layers = _torch_patterns(net, x)
    want = [sum(int(not layer[:, u].any()) for u in range(layer.shape[1])) for layer in layers]
    np.testing.assert_array_equal(cpwl.dead_units(net, x, by_layer=True), want)
    assert cpwl.dead_units(net, x) == sum(want)


def test_pair_samplers_respect_their_geometry():
    p = cpwl.local_pairs_1d(2048, 50, 25, 250, seed=0)
    assert p.shape == (6250, 2)
    assert np.all(p[:, 0] != p[:, 1])
    starts = np.round(np.linspace(0, 2048 - 50, 25)).astype(int)
    window = np.repeat(starts, 250)
    assert np.all((p >= window[:, None]) & (p < window[:, None] + 50))
    np.testing.assert_array_equal(p, cpwl.local_pairs_1d(2048, 50, 25, 250, seed=0))
    g = cpwl.global_pairs_1d(2048, 5000, seed=1)
    assert g[:, 0].min() >= 0 and g[:, 0].max() < 800 and g[:, 1].min() >= 1200 and g[:, 1].max() < 2048
    loc = cpwl.local_pairs_2d(64, 6, 100, 20, seed=0)
    r, c = np.divmod(loc, 64)
    assert np.all(np.abs(np.diff(r, axis=1)) < 6) and np.all(np.abs(np.diff(c, axis=1)) < 6)
    assert np.all(loc[:, 0] != loc[:, 1]) and loc.min() >= 0 and loc.max() < 64 * 64
    far = cpwl.global_pairs_2d(64, 2000, seed=0)
    r, c = np.divmod(far, 64)
    side = int(np.floor(225 / 512 * 64))
    assert np.all((r[:, 0] < side) & (r[:, 1] >= 64 - side))
    assert np.all(((c[:, 0] < side) & (c[:, 1] >= 64 - side)) | ((c[:, 0] >= 64 - side) & (c[:, 1] < side)))
    # both diagonals occur
    assert 0 < np.mean(c[:, 0] < side) < 1
    with pytest.raises(ValueError):
        cpwl.local_pairs_1d(10, 11, 1, 1, seed=0)
    with pytest.raises(ValueError):
        cpwl.global_pairs_1d(100, 5, 0, first=(0.0, 0.6), second=(0.5, 1.0))
    with pytest.raises(ValueError):
        cpwl.hamming(np.zeros((3, 2), dtype=bool), [[0, 3]])


def _loop_gradients(net, x, y):
    """Reference: one backward pass per sample."""
    out = []
    for xi, yi in zip(x, y, strict=True):
        net.zero_grad()
        pred = net(torch.as_tensor(xi[None], dtype=torch.float64))
        loss = ((pred[0] - torch.as_tensor(yi, dtype=torch.float64)) ** 2).mean()
        loss.backward()
        out.append(torch.cat([p.grad.reshape(-1) for p in net.parameters()]).clone())
    return torch.stack(out)


@settings(deadline=None, max_examples=10)
@given(seed=st.integers(0, 1000), d=st.integers(1, 3), out=st.integers(1, 3))
def test_per_sample_gradients_and_cosines_match_loop(seed, d, out):
    net = networks.relu_mlp(d, [9, 7], out, seed=seed, dtype=torch.float64)
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(12, d)), rng.normal(size=(12, out))
    ref = _loop_gradients(net, x, y)
    got = training.per_sample_gradients(net, x, y)
    torch.testing.assert_close(got, ref, rtol=1e-10, atol=1e-12)
    pairs = cpwl.random_pairs(12, 20, seed=seed)
    cos = training.gradient_cosines(net, x, y, pairs, chunk=3)
    want = [float(torch.nn.functional.cosine_similarity(ref[i], ref[j], dim=0)) for i, j in pairs]
    np.testing.assert_allclose(cos, want, atol=1e-10)


def test_gradient_cosines_zero_gradient_raises():
    net = networks.relu_mlp(1, [4], seed=0, dtype=torch.float64)
    x = np.array([[0.1], [0.7]])
    with torch.no_grad():
        y = net(torch.as_tensor(x)).numpy()  # zero residual: zero gradient
    with pytest.raises(ValueError, match="zero gradient"):
        training.gradient_cosines(net, x, y, [[0, 1]])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("interval", [(0.0, 1.0), (-1.0, 1.0), (-3.0, 3.0)])
def test_curve_crossings_on_a_line_equal_exact_pieces(seed, interval):
    net = networks.relu_mlp(1, [32, 32, 32], seed=seed)
    exact = cpwl.pieces_1d(net, interval).n_pieces - 1
    assert cpwl.curve_crossings(net, lambda t: t[:, None], interval, n_grid=4096) == exact


def test_curve_crossings_on_a_segment_in_2d_equal_line_pieces():
    net = networks.relu_mlp(2, [24, 24], seed=1)
    a, b = np.array([-1.0, 0.3]), np.array([1.5, -0.8])
    exact = cpwl.line_pieces(net, a, b).n_pieces - 1
    count, where = cpwl.curve_crossings(
        net, lambda t: a + t[:, None] * (b - a), (0.0, 1.0), n_grid=4096, return_locations=True
    )
    assert count == exact
    # locations are midpoints of the final grid intervals: within one grid step
    np.testing.assert_allclose(where, cpwl.line_pieces(net, a, b).kinks, atol=1 / 4096)


def test_curve_crossings_on_the_encoding_curve_converge():
    net = networks.relu_mlp(10, [32, 32], seed=0)
    curve = lambda t: encodings.positional_encoding(t, 5)  # noqa: E731
    counts = [cpwl.curve_crossings(net, curve, n_grid=n) for n in (2**11, 2**13, 2**15)]
    assert counts[0] <= counts[1] <= counts[2] or abs(counts[0] - counts[2]) <= 2
    assert abs(counts[1] - counts[2]) <= max(2, counts[2] // 500)
    # the same count via a fine polyline through the curve, each segment exact (pwl)
    t = np.linspace(0.0, 1.0, 2**12 + 1)
    pts = curve(t)
    total = 0
    for p0, p1 in zip(pts[:-1], pts[1:], strict=True):
        total += cpwl.line_pieces(net, p0, p1).n_pieces - 1
    total += 0  # segment joins are grid points: a crossing exactly at one has measure zero
    assert abs(total - counts[2]) <= max(3, counts[2] // 200)


def test_residual_ratios_reference():
    n = 256
    x = np.arange(n) / n
    comps = [np.sin(2 * np.pi * k * x + k) for k in (3, 7, 20)]
    y = sum(comps)
    pred = np.stack([comps[0] + 0.5 * comps[1], y])
    got = spectra.residual_ratios(pred, y, [3, 7, 20])
    np.testing.assert_allclose(got, [[0, 0.5, 1], [0, 0, 0]], atol=1e-12)
    with pytest.raises(ValueError):
        spectra.residual_ratios(pred, y, [5])  # no energy at 5
    with pytest.raises(ValueError):
        spectra.residual_ratios(pred[:, :10], y, [3])


def test_recorders_match_direct_computation():
    x = np.linspace(0, 1, 64)[:, None]
    y = np.sin(2 * np.pi * 3 * x)
    models = [networks.relu_mlp(1, [16, 16], seed=s) for s in range(2)]
    pairs = {"local": cpwl.local_pairs_1d(64, 8, 4, 5, 0), "global": cpwl.global_pairs_1d(64, 10, 0)}
    layer_pairs = cpwl.random_pairs(64, 10, 0)
    rec = training.RegionStatsRecorder(x, pairs, layer_pairs=layer_pairs)
    hist = training.train_full_batch(
        models, x, y, steps=3, lr=1e-2, record_every=3, recorders=[rec, training.PSNRRecorder(y)],
        progress=False,
    )
    assert rec.columns == ["local", "global", "n_patterns", "dead", "layer1", "layer2"]
    for k, m in enumerate(models):  # step 0: the initial models
        p = cpwl.activation_patterns(m, x)
        want = [cpwl.hamming(p, pairs["local"]).mean(), cpwl.hamming(p, pairs["global"]).mean(),
                cpwl.count_patterns(p), cpwl.dead_units(m, x),
                *cpwl.layer_hamming(m, x, layer_pairs).mean(axis=1)]
        np.testing.assert_allclose(hist.region_stats[0, k], want)
    for k, m in enumerate(hist.models):  # final record: the trained models
        with torch.no_grad():
            out = m(torch.as_tensor(x, dtype=torch.float32)).numpy()
        assert hist.psnr[-1, k] == pytest.approx(10 * np.log10(1 / np.mean((out - y) ** 2)), rel=1e-5)


def test_init_statistics_and_crossings_helpers():
    u = np.linspace(0, 1, 128, endpoint=False)[:, None]
    kinds = [("coords", (0.0, 1.0)), ("coords", (-2.0, 2.0)), ("pe", 3)]
    st_ = cpwl.init_statistics(kinds, u, [16, 16], [0, 1])
    net = networks.relu_mlp(1, [16, 16], seed=1)
    assert st_["dead"]["coords [-2, 2]"][1] == cpwl.dead_units(net, -2 + 4 * u)
    cr = cpwl.crossings_vs_arc_length(kinds[:2], [16, 16], [0], n_grid=2048)
    exact = cpwl.pieces_1d(networks.relu_mlp(1, [16, 16], seed=0), (-2.0, 2.0)).n_pieces - 1
    assert cr["crossings"][1, 0] == exact
    np.testing.assert_allclose(cr["arc_length"], [1.0, 4.0])
    assert training_dynamics.input_label(("pe", 3)) == "PE L=3"
    with pytest.raises(ValueError):
        training_dynamics.input_label(("fourier", 3))


def test_paper_presets_hold_the_original_sizes():
    one = configs.get("lazzari_1d", "paper")
    assert one.hidden == (128,) * 4 and one.n_points == 2048 and one.steps == 500 and len(one.seeds) == 5
    assert one.freqs == tuple(range(5, 75, 5)) and one.octaves == (4, 7) and one.lr == 1e-3
    img = configs.get("lazzari_image", "paper")
    assert img.hidden == (512,) * 4 and img.size == 512 and img.lr == 1e-3
    book = configs.get("lazzari_1d", "book")
    assert book.hidden == (128,) * 4 and book.steps == 500 and len(book.seeds) >= 3


def test_paper_profile_code_path_runs_a_couple_of_steps():
    # the paper sizes (2048 points, 4 x 128, every input type, all Hamming pairs); only the
    # steps, the seeds and the number of confusion pairs are cut to keep the test short
    one = dataclasses.replace(
        configs.get("lazzari_1d", "paper"), steps=2, record_every=1, seeds=(0,),
        confusion_pairs_per_window=2, confusion_global_pairs=20,
    )
    res = training_dynamics.run_lazzari_1d(one)
    assert res.labels == ["coords [0, 1]", "coords [-1, 1]", "PE L=4", "PE L=7"]
    assert res.hamming_local["PE L=7"].shape == (3, 1)
    assert res.t.shape == (2048,) and res.n_units == 512
    assert res.cos_local["PE L=7"].shape == (1, 25 * 2)
    assert res.cos_global["coords [0, 1]"].shape == (1, 20)
    assert np.all(np.abs(res.cos_local["PE L=4"]) <= 1)
    # the paper's 4 x 512 networks and encodings on a 16 x 16 image, one step
    img = dataclasses.replace(configs.get("lazzari_image", "paper"), size=16, steps=1, record_every=1,
                              images=("china",), inradius_points=3, confusion_pairs=4)
    r = image_dynamics.run_lazzari_image(img)
    assert r.labels[-1] == "PE L=16" and r.n_units == 2048
    assert r.layer_hamming["PE L=16"].shape == (2, 1, 4)
    assert r.n_patterns["coords [0, 1]"].max() <= 16 * 16
    assert r.predictions["PE L=1"].shape == (1, 16, 16, 3)
    assert r.boundary_distance["PE L=16"].shape == (2, 1) and np.all(r.boundary_distance["PE L=16"] > 0)
    assert r.inradius["PE L=16"].shape == (1, 3) and sorted(r.cos_local) == ["PE L=16", "coords [0, 1]"]
    assert r.cos_global["coords [0, 1]"].shape == (1, 4)
    # the random image and the restricted encoding of the appendix, a couple of steps
    noise = dataclasses.replace(configs.get("lazzari_noise", "book"), size=8, steps=2, record_every=1,
                                seeds=(0,))
    n = image_dynamics.run_lazzari_image(noise, use_cache=False)
    assert n.labels == ["coords [-1, 1]", "PE L=5", "repeat L=5"]
    assert n.n_patterns["repeat L=5"].shape == (3, 1) and n.n_patterns["PE L=5"].max() <= 64


def test_runner_results_round_trip_through_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SPECTRAL_NO_CACHE", raising=False)
    cfg = dataclasses.replace(
        configs.get("lazzari_1d", "book"), n_points=256, hidden=(16, 16), steps=3, record_every=1,
        seeds=(0, 1), confusion_pairs_per_window=2, confusion_global_pairs=5, hamming_pairs_per_window=5,
        hamming_global_pairs=20,
    )
    fresh = training_dynamics.run_lazzari_1d(cfg, use_cache=False)
    first = training_dynamics.run_lazzari_1d(cfg)  # computed and stored
    again = training_dynamics.run_lazzari_1d(cfg)  # loaded
    assert len(list(tmp_path.glob("lazzari_1d-*.npz"))) == 1
    for res in (first, again):
        assert res.labels == fresh.labels and res.n_units == fresh.n_units
        np.testing.assert_array_equal(res.steps, fresh.steps)
        for name in ("hamming_local", "residual_ratios", "cos_global", "predictions"):
            got, want = getattr(res, name), getattr(fresh, name)
            assert sorted(got) == sorted(want)
            for lab in want:
                np.testing.assert_allclose(got[lab], want[lab], rtol=1e-6, atol=1e-6)


def test_run_lazzari_rejects_wrong_config_type():
    with pytest.raises(TypeError, match="LazzariOneD"):
        training_dynamics.run_lazzari_1d(object(), use_cache=False)
    with pytest.raises(TypeError, match="LazzariImage"):
        image_dynamics.run_lazzari_image(object(), use_cache=False)


def test_init_statistics_rejects_unknown_kind():
    with pytest.raises(ValueError, match="input kind"):
        cpwl.init_statistics([("foo", 2)], np.zeros((4, 1)), [4], [0])


@settings(max_examples=20, deadline=None)
@given(n=st.integers(6, 30), d=st.integers(1, 3), n_classes=st.integers(2, 4), k=st.integers(1, 3),
       seed=st.integers(0, 10_000))
def test_class_pairs_against_brute_force(n, d, n_classes, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    labels = np.arange(n) % n_classes
    n_anchors = min(n, 5)
    near, far = cpwl.class_pairs(x, labels, n_anchors, k, seed)
    assert near.shape == far.shape == (n_anchors * k, 2)
    for a, j in near:
        # the neighbour has another label, and no other-label point is strictly closer than the k-th
        assert labels[a] != labels[j]
    for row in range(n_anchors):
        a = near[row * k, 0]
        dist = np.linalg.norm(x - x[a], axis=1)
        others = np.flatnonzero(labels != labels[a])
        want_near = others[np.argsort(dist[others], kind="stable")[:k]]
        want_far = np.argsort(-dist, kind="stable")[:k]
        np.testing.assert_allclose(dist[near[row * k:(row + 1) * k, 1]], dist[want_near])
        np.testing.assert_allclose(dist[far[row * k:(row + 1) * k, 1]], dist[want_far])
    assert len(set(near[::k, 0].tolist())) == n_anchors          # distinct anchors


def test_class_pairs_validation():
    x = np.zeros((4, 2))
    with pytest.raises(ValueError, match="two classes"):
        cpwl.class_pairs(x, [1, 1, 1, 1], 2, 1, 0)
    with pytest.raises(ValueError, match="k must be"):
        cpwl.class_pairs(x, [0, 0, 0, 1], 2, 2, 0)
    with pytest.raises(ValueError, match="n_anchors"):
        cpwl.class_pairs(x, [0, 0, 1, 1], 5, 1, 0)
    with pytest.raises(ValueError, match="finite"):
        cpwl.class_pairs(np.full((4, 2), np.nan), [0, 0, 1, 1], 2, 1, 0)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([(5,), (4, 6), (3, 3, 3)]))
def test_boundary_distances_match_exact_kinks_and_a_plain_loop(seed, hidden):
    net = networks.relu_mlp(1, list(hidden), seed=seed).double()
    x = np.linspace(-1.5, 1.5, 41)
    # first layer: the distance to the nearest first-layer kink -b/w, from the exact pieces of the
    # one-layer network made of the first layer alone (on an interval holding every kink)
    first = torch.nn.Sequential(net[0], torch.nn.ReLU(), torch.nn.Linear(hidden[0], 1).double())
    with torch.no_grad():
        first[2].weight.copy_(torch.arange(1, hidden[0] + 1, dtype=torch.float64)[None])  # every kink visible
    kinks = cpwl.pieces_1d(first, (-1e3, 1e3)).knots[1:-1]
    ref_first = np.min(np.abs(x[:, None] - kinks[None]), axis=1)
    np.testing.assert_allclose(cpwl.boundary_distances(net, x, first_layer=True), ref_first, rtol=1e-9)
    # every layer: a plain per-point, per-unit loop over torch's own forward pass
    ref = []
    with torch.no_grad():
        for xi in x:
            h, best = torch.tensor([xi], dtype=torch.float64), np.inf
            for m in net:
                h = m(h)
                if isinstance(m, torch.nn.Linear) and m is not net[-1]:
                    for i in range(m.out_features):
                        best = min(best, abs(float(h[i])) / float(torch.linalg.norm(m.weight[i])))
            ref.append(best)
    np.testing.assert_allclose(cpwl.boundary_distances(net, x), ref, rtol=1e-12)


def test_boundary_distances_skip_zero_rows_and_validate():
    net = networks.relu_mlp(2, [3], seed=0)
    with torch.no_grad():
        net[0].weight.zero_()
    assert np.all(np.isinf(cpwl.boundary_distances(net, np.zeros((4, 2)))))
    with pytest.raises(ValueError):
        cpwl.boundary_distances(net, np.zeros((4, 3)))
    with pytest.raises(ValueError):
        cpwl.boundary_distances(net, np.full((2, 2), np.nan))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_first_layer_inradius_is_half_the_cell_in_1d(seed):
    # in 1-D the cell of x is the interval between its neighbouring kinks -b/w (cut to the box):
    # the inradius is half its length
    net = networks.relu_mlp(1, [7, 3], seed=seed).double()
    W, b = net[0].weight.detach().numpy()[:, 0], net[0].bias.detach().numpy()
    kinks = np.sort(np.clip(-b / W, -1, 1))
    x = seeding.rng(seed).uniform(-1, 1, 12)
    edges = np.concatenate([[-1.0], kinks, [1.0]])
    i = np.searchsorted(edges, x, side="right")
    ref = (edges[np.minimum(i, edges.size - 1)] - edges[i - 1]) / 2
    np.testing.assert_allclose(cpwl.first_layer_inradius(net, x), ref, atol=1e-9)


def test_first_layer_inradius_of_a_2d_grid_cell_and_validation():
    # units x = 0.2 and y = -0.5 cut [-1, 1]^2 into rectangles; the largest ball of a rectangle
    # has half its shorter side as radius
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 2.0]]))
        net[0].bias.copy_(torch.tensor([-0.2, 1.0]))
    pts = np.array([[0.5, 0.5], [-0.5, -0.9], [0.9, -0.6]])
    want = [min(0.8, 1.5) / 2, min(1.2, 0.5) / 2, min(0.8, 0.5) / 2]
    np.testing.assert_allclose(cpwl.first_layer_inradius(net, pts), want, atol=1e-9)
    with pytest.raises(ValueError, match="inside the box"):
        cpwl.first_layer_inradius(net, [[2.0, 0.0]])
    with pytest.raises(ValueError, match="box"):
        cpwl.first_layer_inradius(net, pts, box=(1.0, -1.0))
    with pytest.raises(ValueError):
        cpwl.first_layer_inradius(net, np.zeros((2, 3)))
