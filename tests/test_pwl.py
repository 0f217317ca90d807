"""Exact pieces of ReLU networks against dense sampling and brute-force references."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from spectral_lib import cpwl, networks


def f64(net: nn.Module, x: np.ndarray) -> np.ndarray:
    """Evaluate a copy of the network in float64 with plain torch (the reference)."""
    net64 = networks.relu_mlp(net[0].in_features, [m.out_features for m in list(net)[:-1:2]], seed=0)
    net64.load_state_dict(net.state_dict())
    net64 = net64.double()
    with torch.no_grad():
        xt = torch.as_tensor(x, dtype=torch.float64)
        if xt.ndim == 1:
            xt = xt[:, None]
        return net64(xt).numpy()[:, 0]


def fd_slopes(net, x, h):
    return (f64(net, x + h) - f64(net, x - h)) / (2 * h)


@pytest.mark.parametrize("hidden", [[8], [16, 16], [32, 32, 32], [64] * 4])
@pytest.mark.parametrize("seed", [0, 1])
def test_pieces_reproduce_net(hidden, seed):
    net = networks.relu_mlp(1, hidden, seed=seed)
    p = cpwl.pieces_1d(net, (-2.0, 3.0))
    x = np.random.default_rng(seed).uniform(-2.0, 3.0, 10_000)
    assert np.max(np.abs(p(x) - f64(net, x))) <= 1e-10
    assert p.knots[0] == -2.0 and p.knots[-1] == 3.0
    assert np.all(np.diff(p.knots) > 0)
    assert p.slopes.shape == p.intercepts.shape == (p.knots.size - 1,)
    assert p.slopes.dtype == np.float64 and p.knots.dtype == np.float64


@pytest.mark.parametrize("hidden", [[16, 16], [32, 32, 32]])
def test_no_kink_missed_dense_grid(hidden):
    """Away from the knots, a finite-difference slope on a dense grid equals the piece's slope."""
    net = networks.relu_mlp(1, hidden, seed=3)
    a, b = -1.5, 1.5
    p = cpwl.pieces_1d(net, (a, b))
    x = np.linspace(a, b, 200_001)[1:-1]
    h = 1e-7
    i = np.searchsorted(p.knots, x, side="right") - 1
    ok = (x - h > p.knots[i]) & (x + h < p.knots[i + 1])
    assert ok.mean() > 0.99
    fd = fd_slopes(net, x[ok], h)
    scale = np.max(np.abs(p.slopes)) + 1e-300
    assert np.max(np.abs(fd - p.slopes[i[ok]])) <= 1e-6 * scale
    # every interior knot of a 1-hidden-layer net is some -b/w: brute force reference
    net1 = networks.relu_mlp(1, [50], seed=4)
    p1 = cpwl.pieces_1d(net1, (a, b))
    W, bias = networks.affine_layers(net1)[0]
    v = networks.affine_layers(net1)[1][0][0]
    ref = np.sort((-bias / W[:, 0])[(v != 0) & (W[:, 0] != 0)])
    ref = ref[(ref > a) & (ref < b)]
    np.testing.assert_allclose(p1.kinks, ref, rtol=0, atol=1e-13)


def test_slope_changes_only_at_knots():
    """Second differences on a grid vanish on triples that do not straddle a knot."""
    net = networks.relu_mlp(1, [24, 24], seed=5)
    p = cpwl.pieces_1d(net, (0.0, 1.0))
    x = np.linspace(0, 1, 100_001)
    y = f64(net, x)
    d2 = y[:-2] - 2 * y[1:-1] + y[2:]
    i0 = np.searchsorted(p.knots, x[:-2], side="right")
    i2 = np.searchsorted(p.knots, x[2:], side="left")
    same = i0 == i2  # no knot inside (x[j], x[j+2])
    assert np.max(np.abs(d2[same])) <= 1e-12


def test_interval_none_covers_all_kinks():
    net = networks.relu_mlp(1, [16, 16, 16], seed=2)
    p = cpwl.pieces_1d(net, interval=None)
    a, b = p.interval
    assert p.kinks.size >= 1
    assert np.isclose(a, p.kinks[0] - 1.0) and np.isclose(b, p.kinks[-1] + 1.0)
    # linear beyond the outermost kinks, far out: first/last piece extrapolate exactly
    far_left = a - np.logspace(0, 6, 13)
    far_right = b + np.logspace(0, 6, 13)
    scale = 1 + np.abs(far_left).max() * np.abs(p.slopes).max()
    left = p.slopes[0] * far_left + p.intercepts[0]
    right = p.slopes[-1] * far_right + p.intercepts[-1]
    assert np.max(np.abs(f64(net, far_left) - left)) <= 1e-12 * scale
    assert np.max(np.abs(f64(net, far_right) - right)) <= 1e-12 * scale
    # same kinks as a finite interval that contains them all
    q = cpwl.pieces_1d(net, (a, b))
    np.testing.assert_allclose(q.kinks, p.kinks, rtol=0, atol=1e-12 * max(1, abs(a), abs(b)))


def test_interval_none_without_kinks():
    net = nn.Sequential(nn.Linear(1, 1))
    p = cpwl.pieces_1d(net, None)
    assert p.interval == (-1.0, 1.0) and p.n_pieces == 1


def test_patterns_match_batched_patterns():
    net = networks.relu_mlp(1, [12, 12], seed=7)
    p = cpwl.pieces_1d(net, (-1.0, 1.0))
    mid = 0.5 * (p.knots[:-1] + p.knots[1:])
    np.testing.assert_array_equal(p.patterns, cpwl.activation_patterns(net, mid[:, None]))
    # adjacent pieces differ in at least one neuron
    assert np.all(np.any(p.patterns[1:] != p.patterns[:-1], axis=1))


def test_activation_patterns_vs_torch_hooks():
    net = networks.relu_mlp(3, [5, 7], seed=1).double()
    x = np.random.default_rng(0).normal(size=(50, 3))
    pats = []
    h = torch.as_tensor(x)
    for m in net:
        h = m(h)
        if isinstance(m, nn.Linear) and len(pats) < 2:
            pats.append((h > 0).numpy())
    np.testing.assert_array_equal(cpwl.activation_patterns(net, x), np.concatenate(pats, axis=1))


def test_merged_pieces():
    net = networks.relu_mlp(1, [16, 16], seed=0)
    p = cpwl.pieces_1d(net, (-3.0, 3.0))
    m = p.merged()
    assert m.n_pieces <= p.n_pieces and m.patterns is None
    x = np.linspace(-3, 3, 5001)
    np.testing.assert_allclose(m(x), p(x), rtol=0, atol=1e-12)
    assert np.all(np.diff(m.slopes) != 0)
    # a dead second layer makes every first-layer flip invisible: one linear piece
    dead = networks.relu_mlp(1, [8, 4], seed=0)
    with torch.no_grad():
        dead[2].bias.fill_(-100.0)
    pd = cpwl.pieces_1d(dead, (-1.0, 1.0))
    assert pd.n_pieces > 1 and pd.merged().n_pieces == 1
    assert cpwl.count_regions_1d(dead, (-1.0, 1.0), linear=True) == 1
    assert cpwl.count_regions_1d(dead, (-1.0, 1.0)) == pd.n_pieces


def test_lipschitz_exact_and_bounded():
    net = networks.relu_mlp(1, [32, 32], seed=11)
    p = cpwl.pieces_1d(net, (-1.0, 1.0))
    L = cpwl.lipschitz(p)
    x = np.linspace(-1, 1, 400_001)
    fd = np.abs(np.diff(f64(net, x)) / np.diff(x))
    assert fd.max() <= L * (1 + 1e-9)
    assert fd.max() >= L * (1 - 1e-6)  # the steepest piece is wider than the grid step here
    assert L <= networks.lipschitz_upper_bound(net) * (1 + 1e-12)


def test_line_pieces_matches_path_evaluation():
    net = networks.relu_mlp(3, [16, 16], seed=2)
    x0, x1 = np.array([-1.0, 0.5, 0.2]), np.array([1.0, -0.3, 0.9])
    p = cpwl.line_pieces(net, x0, x1)
    t = np.random.default_rng(0).uniform(0, 1, 5000)
    pts = x0 + t[:, None] * (x1 - x0)
    assert np.max(np.abs(p(t) - f64(net, pts))) <= 1e-10
    # the regions visited are the patterns seen along a dense path
    tt = np.linspace(0, 1, 100_001)
    dense = cpwl.activation_patterns(net, x0 + tt[:, None] * (x1 - x0))
    changes = np.count_nonzero(np.any(dense[1:] != dense[:-1], axis=1))
    assert changes <= p.kinks.size
    # and in 1-D it agrees with pieces_1d
    n1 = networks.relu_mlp(1, [16, 16], seed=2)
    q = cpwl.line_pieces(n1, [-1.0], [2.0])
    r = cpwl.pieces_1d(n1, (-1.0, 2.0))
    np.testing.assert_allclose(-1.0 + 3.0 * q.knots, r.knots, atol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widths=st.lists(st.integers(1, 24), min_size=0, max_size=4),
    seed=st.integers(0, 10_000),
    a=st.floats(-50, 50),
    length=st.floats(1e-3, 100),
)
def test_pieces_property(widths, seed, a, length):
    net = networks.relu_mlp(1, widths, seed=seed)
    b = a + length
    p = cpwl.pieces_1d(net, (a, b))
    x = np.random.default_rng(seed).uniform(a, b, 500)
    scale = 1 + np.max(np.abs(p.slopes)) * max(abs(a), abs(b)) + np.max(np.abs(p.intercepts))
    assert np.max(np.abs(p(x) - f64(net, x))) <= 1e-12 * scale
    assert p.knots[0] == a and p.knots[-1] == b and np.all(np.diff(p.knots) > 0)
    assert cpwl.lipschitz(p) <= networks.lipschitz_upper_bound(net) * (1 + 1e-12) + 1e-300


def test_bad_inputs_raise():
    net = networks.relu_mlp(1, [4], seed=0)
    with pytest.raises(ValueError):
        cpwl.pieces_1d(networks.relu_mlp(2, [4], seed=0), (0, 1))
    with pytest.raises(ValueError):
        cpwl.pieces_1d(networks.relu_mlp(1, [4], 2, seed=0), (0, 1))
    with pytest.raises(ValueError):
        cpwl.pieces_1d(net, (1.0, 0.0))
    with pytest.raises(ValueError):
        cpwl.pieces_1d(net, (1.0, 1.0))
    with pytest.raises(ValueError):
        cpwl.pieces_1d(net, (0.0, np.inf))
    with pytest.raises(TypeError):
        cpwl.pieces_1d(net, 3.0)
    with pytest.raises(TypeError):
        cpwl.pieces_1d(nn.Sequential(nn.Linear(1, 4), nn.Tanh(), nn.Linear(4, 1)), (0, 1))
    with pytest.raises(TypeError):
        cpwl.pieces_1d(nn.Linear(1, 1), (0, 1))
    bad = networks.relu_mlp(1, [4], seed=0)
    with torch.no_grad():
        bad[0].weight[0, 0] = float("nan")
    with pytest.raises(ValueError):
        cpwl.pieces_1d(bad, (0, 1))
    with pytest.raises(ValueError):
        cpwl.pieces_1d(net, (0, 1), tol=0.0)
    with pytest.raises(TypeError):
        cpwl.lipschitz(np.ones(3))
    with pytest.raises(ValueError):
        cpwl.activation_patterns(net, np.ones((3, 2)))
    with pytest.raises(ValueError):
        cpwl.activation_patterns(net, np.full((3, 1), np.nan))
    with pytest.raises(ValueError):
        cpwl.line_pieces(net, [0.0], [0.0])
    with pytest.raises(ValueError):
        cpwl.line_pieces(net, [0.0, 1.0], [1.0, 1.0])
    p = cpwl.pieces_1d(net, (0, 1))
    with pytest.raises(ValueError):
        p(np.array([2.0]))


# --------------------------------------------------------------------------------------
# 2-D
# --------------------------------------------------------------------------------------


def f64_2d(net, pts):
    with torch.no_grad():
        return nets_double(net)(torch.as_tensor(np.asarray(pts), dtype=torch.float64)).numpy()[:, 0]


def nets_double(net):
    import copy

    return copy.deepcopy(net).double()


def interior_points(poly, rng, n):
    """Random strictly interior points of a convex polygon (Dirichlet convex combinations)."""
    w = rng.dirichlet(np.ones(len(poly)), size=n)
    return w @ poly


def containing(polys, pts, eps):
    """How many polygons contain each point (half-plane tests, independent of pwl)."""
    count = np.zeros(len(pts), dtype=int)
    for p in polys:
        e = np.roll(p, -1, axis=0) - p
        rel = pts[:, None, :] - p[None, :, :]
        cross = e[None, :, 0] * rel[:, :, 1] - e[None, :, 1] * rel[:, :, 0]
        count += np.all(cross >= -eps, axis=1)
    return count


@pytest.mark.parametrize("hidden,seed", [([8], 0), ([16, 16], 1), ([24, 24, 24], 2)])
def test_partition_tiles_box_and_reproduces_net(hidden, seed):
    net = networks.relu_mlp(2, hidden, seed=seed)
    box = ((-1.0, 1.5), (-0.5, 1.0))
    part = cpwl.partition_2d(net, box)
    area = 2.5 * 1.5
    A = part.areas()
    assert np.all(A > 0) and abs(A.sum() - area) <= 1e-12 * area
    assert part.grads.shape == (part.n_regions, 2) and part.offsets.shape == (part.n_regions,)
    rng = np.random.default_rng(seed)
    for poly in part.polygons:
        assert poly.dtype == np.float64 and poly.shape[1] == 2 and len(poly) >= 3
        e = np.roll(poly, -1, axis=0) - poly
        turn = e[:, 0] * np.roll(e, -1, axis=0)[:, 1] - e[:, 1] * np.roll(e, -1, axis=0)[:, 0]
        assert np.all(turn >= -1e-12)  # convex, counter-clockwise
        assert np.all((poly[:, 0] >= -1.0) & (poly[:, 0] <= 1.5) & (poly[:, 1] >= -0.5) & (poly[:, 1] <= 1.0))
    pts = np.concatenate([interior_points(p, rng, 5) for p in part.polygons])
    owner = np.repeat(np.arange(part.n_regions), 5)
    aff = np.einsum("ij,ij->i", part.grads[owner], pts) + part.offsets[owner]
    assert np.max(np.abs(aff - f64_2d(net, pts))) <= 1e-10
    # every point of the box lies in exactly one polygon (up to boundaries)
    x = rng.uniform((-1.0, -0.5), (1.5, 1.0), size=(2000, 2))
    assert np.all(containing(part.polygons, x, 0.0) >= 1)
    assert np.mean(containing(part.polygons, x, 0.0) == 1) >= 0.99


def test_partition_patterns_and_region_count():
    net = networks.relu_mlp(2, [16, 16], seed=4)
    box = ((0.0, 1.0), (0.0, 1.0))
    part = cpwl.partition_2d(net, box)
    g = np.linspace(0, 1, 601)
    X, Y = np.meshgrid(g, g)
    grid_pats = cpwl.activation_patterns(net, np.stack([X.ravel(), Y.ravel()], axis=1))
    assert part.n_regions >= np.unique(grid_pats, axis=0).shape[0]
    big = part.areas() > 1e-6
    cents = np.stack([p.mean(axis=0) for p in part.polygons])[big]
    np.testing.assert_array_equal(part.patterns[big], cpwl.activation_patterns(net, cents))
    assert cpwl.count_regions_2d(net, box) == part.n_regions


def test_partition_lipschitz():
    net = networks.relu_mlp(2, [16, 16], seed=5)
    part = cpwl.partition_2d(net, ((-1, 1), (-1, 1)))
    L = cpwl.lipschitz(part)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (20_000, 2))
    y = x + rng.normal(size=x.shape) * 1e-3
    ratio = np.abs(f64_2d(net, x) - f64_2d(net, y)) / np.linalg.norm(x - y, axis=1)
    assert ratio.max() <= L * (1 + 1e-9)
    assert L <= networks.lipschitz_upper_bound(net) * (1 + 1e-12)
    # the steepest region's gradient is attained: finite differences inside it
    r = int(np.argmax(np.linalg.norm(part.grads, axis=1)))
    c = part.polygons[r].mean(axis=0)
    gd = part.grads[r] / np.linalg.norm(part.grads[r])
    h = 1e-9
    assert np.isclose((f64_2d(net, [c + h * gd])[0] - f64_2d(net, [c - h * gd])[0]) / (2 * h), L, rtol=1e-5)


def test_partition_nearly_parallel_cuts_and_affine_net():
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, 0.0], [1.0, 1e-13], [1.0, -1e-9]]))
        net[0].bias.copy_(torch.tensor([-0.5, -0.5, -0.5]))
        net[2].weight.copy_(torch.tensor([[1.0, -2.0, 3.0]]))
    part = cpwl.partition_2d(net, ((0, 1), (0, 1)))
    assert abs(part.areas().sum() - 1.0) <= 1e-12
    rng = np.random.default_rng(0)
    for poly, g, o in zip(part.polygons, part.grads, part.offsets, strict=True):
        q = interior_points(poly, rng, 3)
        assert np.max(np.abs(q @ g + o - f64_2d(net, q))) <= 1e-8
    lin = cpwl.partition_2d(torch.nn.Sequential(torch.nn.Linear(2, 1)), ((0, 2), (0, 3)))
    assert lin.n_regions == 1 and abs(lin.areas()[0] - 6.0) <= 1e-12


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widths=st.lists(st.integers(1, 12), min_size=0, max_size=3),
    seed=st.integers(0, 10_000),
    x0=st.floats(-5, 5),
    y0=st.floats(-5, 5),
    wx=st.floats(0.01, 10),
    wy=st.floats(0.01, 10),
)
def test_partition_property(widths, seed, x0, y0, wx, wy):
    net = networks.relu_mlp(2, widths, seed=seed)
    part = cpwl.partition_2d(net, ((x0, x0 + wx), (y0, y0 + wy)))
    assert abs(part.areas().sum() - wx * wy) <= 1e-11 * wx * wy
    rng = np.random.default_rng(seed)
    pts = np.concatenate([interior_points(p, rng, 2) for p in part.polygons])
    owner = np.repeat(np.arange(part.n_regions), 2)
    aff = np.einsum("ij,ij->i", part.grads[owner], pts) + part.offsets[owner]
    ref = f64_2d(net, pts)
    assert np.max(np.abs(aff - ref)) <= 1e-10 * (1 + np.abs(ref).max() + cpwl.lipschitz(part) * 10)


def test_partition_bad_inputs_raise():
    net = networks.relu_mlp(2, [4], seed=0)
    with pytest.raises(ValueError):
        cpwl.partition_2d(networks.relu_mlp(1, [4], seed=0), ((0, 1), (0, 1)))
    with pytest.raises(ValueError):
        cpwl.partition_2d(networks.relu_mlp(3, [4], seed=0), ((0, 1), (0, 1)))
    with pytest.raises(ValueError):
        cpwl.partition_2d(net, ((0, 0), (0, 1)))
    with pytest.raises(ValueError):
        cpwl.partition_2d(net, ((1, 0), (0, 1)))
    with pytest.raises(ValueError):
        cpwl.partition_2d(net, ((0, np.nan), (0, 1)))
    with pytest.raises(TypeError):
        cpwl.partition_2d(net, (0, 1))
    with pytest.raises(TypeError):
        cpwl.partition_2d(nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1)))


def test_toolkit_configs_build_and_run():
    """Both presets of the toolkit chapter build their networks and run the exact machinery."""
    from spectral_lib import configs

    for profile in ("book", "paper"):
        cfg = configs.get("toolkit", profile)
        net = networks.relu_mlp(1, cfg.hidden_1d, seed=cfg.seed)
        p = cpwl.pieces_1d(net, cfg.interval)
        assert p.interval == tuple(float(v) for v in cfg.interval)
        part = cpwl.partition_2d(networks.relu_mlp(2, cfg.hidden_aniso, seed=cfg.seed), cfg.box)
        (x0, x1), (y0, y1) = cfg.box
        assert abs(part.areas().sum() - (x1 - x0) * (y1 - y0)) <= 1e-12 * (x1 - x0) * (y1 - y0)
        assert all(n >= 2 * cfg.m_max + 2 for n in cfg.fft_sizes)


def test_partition_degenerate_cuts():
    """Concurrent lines through one point, a duplicated neuron and a line along a box side."""
    net = networks.relu_mlp(2, [16, 16], seed=0).double()
    with torch.no_grad():
        net[0].bias.zero_()  # every first-layer line passes through the origin
        net[0].weight[1] = net[0].weight[0]  # a duplicated neuron
        net[0].weight[2] = torch.tensor([1.0, 0.0])
        net[0].bias[2] = 1.0  # the line x = -1 is the left side of the box
    part = cpwl.partition_2d(net, ((-1, 1), (-1, 1)))
    assert abs(part.areas().sum() - 4.0) <= 1e-12 and np.all(part.areas() > 0)
    rng = np.random.default_rng(0)
    for poly, g, o in zip(part.polygons, part.grads, part.offsets, strict=True):
        q = interior_points(poly, rng, 3)
        assert np.max(np.abs(q @ g + o - f64_2d(net, q))) <= 1e-12
