"""Tests of spectral_lib.networks.activations and .polynomial, and of the beyond-ReLU experiment helpers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import kernels, networks
from spectral_lib.experiments import beyond_relu


def _hat_reference(x: np.ndarray) -> np.ndarray:
    """The piecewise definition, branch by branch."""
    out = np.zeros_like(x)
    up = (x >= 0) & (x <= 1)
    down = (x > 1) & (x <= 2)
    out[up] = x[up]
    out[down] = 2 - x[down]
    return out


@settings(deadline=None, max_examples=30)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=40))
def test_hat_matches_its_piecewise_definition(values):
    x = np.asarray(values, dtype=np.float64)
    got = networks.hat(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(got, _hat_reference(x), atol=1e-12)


def test_hat_values_shape_and_module():
    x = torch.linspace(-1, 3, 401)[:400].reshape(4, 100, 1)
    y = networks.Hat()(x)
    assert y.shape == x.shape
    assert float(y.max()) == pytest.approx(1.0) and float(y.min()) == 0.0
    assert networks.hat(torch.tensor([1.0])).item() == 1.0
    with pytest.raises(TypeError):
        networks.hat(torch.tensor([1, 2]))
    with pytest.raises(TypeError):
        networks.hat(np.array([1.0]))


def test_activation_mlp_shares_relu_mlps_weights_and_swaps_activations():
    base = networks.relu_mlp(1, [8, 8], seed=3)
    for name in networks.ACTIVATIONS:
        net = networks.activation_mlp(1, [8, 8], activation=name, seed=3)
        for a, b in zip([m for m in base if isinstance(m, torch.nn.Linear)],
                        [m for m in net if isinstance(m, torch.nn.Linear)], strict=True):
            assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    scaled = networks.activation_mlp(1, [8], activation="sine", seed=3, first_scale=30.0)
    assert torch.allclose(scaled[0].weight, 30 * base[0].weight)
    x = torch.linspace(0, 1, 5)[:, None]
    ref = scaled[2](torch.sin(30 * (x @ base[0].weight.T + base[0].bias)))
    assert torch.allclose(scaled(x), ref, atol=1e-5)


@pytest.mark.parametrize("kwargs, err", [
    ({"activation": "swish"}, ValueError), ({"first_scale": 0.0}, ValueError),
    ({"first_scale": np.inf}, ValueError),
])
def test_activation_mlp_rejects_bad_arguments(kwargs, err):
    with pytest.raises(err):
        networks.activation_mlp(1, [4], seed=0, **kwargs)
    with pytest.raises(TypeError):
        networks.activation_mlp(1, 4, seed=0)
    with pytest.raises(ValueError):
        networks.activation_mlp(1, [], seed=0)


@settings(deadline=None, max_examples=15)
@given(degree=st.integers(1, 6), width=st.integers(1, 6), seed=st.integers(0, 200))
def test_pinet_is_a_polynomial_of_its_degree_in_one_input(degree, width, seed):
    # Exact fit: a degree-N polynomial through N + 1 points reproduces the net everywhere, and the
    # (N + 1)-th finite difference vanishes while the N-th does not (generic weights).
    net = networks.PiNet(1, width, degree, seed=seed, dtype=torch.float64)
    nodes = np.linspace(-1, 1, degree + 1)
    with torch.no_grad():
        f_nodes = net(torch.as_tensor(nodes)[:, None])[:, 0].numpy()
        grid = np.linspace(-1.2, 1.2, 37)
        f_grid = net(torch.as_tensor(grid)[:, None])[:, 0].numpy()
        h = 0.3
        pts = torch.as_tensor(0.1 + h * np.arange(degree + 2))[:, None]
        vals = net(pts)[:, 0].numpy()
    coef = np.polyfit(nodes, f_nodes, degree)
    scale = max(1.0, float(np.abs(f_grid).max()))
    np.testing.assert_allclose(np.polyval(coef, grid), f_grid, atol=1e-8 * scale)
    assert abs(np.diff(vals, degree + 1)[0]) <= 1e-9 * scale * 2 ** (degree + 1)


def test_pinet_matches_its_recursion_and_validates():
    net = networks.PiNet(2, 5, 3, seed=1, dtype=torch.float64)
    z = torch.as_tensor(np.linspace(-1, 1, 14).reshape(7, 2))
    U, b = net.U.detach(), net.b.detach()
    x = z @ U[0].T + b[0]
    for n in (1, 2):
        x = (z @ U[n].T + b[n]) * x + x
    ref = x @ net.C.weight.detach().T + net.C.bias.detach()
    assert torch.allclose(net(z), ref)
    assert torch.equal(networks.PiNet(2, 5, 3, seed=1).U, networks.PiNet(2, 5, 3, seed=1).U)
    for bad in ({"degree": 0}, {"width": 0}, {"seed": -1}):
        args = {"in_dim": 2, "width": 5, "degree": 3} | bad
        seed = args.pop("seed", 0)
        with pytest.raises(ValueError):
            networks.PiNet(**args, seed=seed)


def test_pinet_ntk_has_no_mode_above_its_degree_on_the_circle():
    theta = 2 * np.pi * np.arange(48) / 48
    z = torch.as_tensor(np.stack([np.cos(theta), np.sin(theta)], 1))
    K = kernels.empirical_ntk(networks.PiNet(2, 6, 4, seed=0, dtype=torch.float64), z)
    modes = kernels.mode_eigenvalues(K, range(0, 12))
    assert np.all(modes[5:] < 1e-10 * modes[:5].max())
    assert np.all(modes[1:5] > 1e-8 * modes[:5].max())


def test_low_pass_against_a_plain_loop_and_errors():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(9, 3))
    v = rng.normal(size=(9, 2))
    G = kernels.rbf_gram(x, 0.4)
    ref = np.array([[sum(G[i, j] * v[j, c] for j in range(9)) / G[i].sum() for c in range(2)]
                    for i in range(9)])
    np.testing.assert_allclose(beyond_relu.low_pass(v, G), ref, rtol=1e-12)
    np.testing.assert_allclose(beyond_relu.low_pass(np.ones((9, 1)), G), 1.0)
    with pytest.raises(ValueError):
        beyond_relu.low_pass(v, G[:5])
    with pytest.raises(ValueError):
        beyond_relu.low_pass(v, np.zeros((9, 9)))


def test_lazy_large_alpha_follows_the_linearised_model():
    cfg = dataclasses.replace(beyond_relu.config("lazy", "book"), hidden=(64,), steps=300, n_runs=1,
                              record_every=50, alphas=(1.0, 256.0), n_points=32, freqs=(1, 2))
    res = beyond_relu.run(cfg, use_cache=False)
    np.testing.assert_allclose(res.amplitudes[1], res.linear_amplitudes, atol=2e-2)
    assert res.kernel_change[1, 0] < res.kernel_change[0, 0]


def test_run_rejects_other_configs():
    with pytest.raises(TypeError):
        beyond_relu.run(object())


@settings(deadline=None, max_examples=10)
@given(degree=st.integers(1, 7), width=st.integers(1, 5), k=st.integers(1, 4), seed=st.integers(0, 100))
def test_stacked_pinets_match_each_net_and_its_gradient(degree, width, k, seed):
    nets = [networks.PiNet(2, width, degree, seed=seed + i, dtype=torch.float64) for i in range(k)]
    z = torch.as_tensor(np.random.default_rng(seed).uniform(-1, 1, (9, 2)))
    params = networks.stack_pinets(nets)
    out = networks.stacked_pinet_forward(params, z)
    for i, net in enumerate(nets):
        torch.testing.assert_close(out[i], net(z), rtol=1e-10, atol=1e-12)
    out[-1].sum().backward()                     # the last net's gradient through the stack
    nets[-1](z).sum().backward()
    for p, ref in zip(params, [nets[-1].U, nets[-1].b, nets[-1].C.weight, nets[-1].C.bias], strict=True):
        torch.testing.assert_close(p.grad[-1], ref.grad, rtol=1e-9, atol=1e-12)
        assert float(p.grad[:-1].abs().sum()) == 0.0
    with pytest.raises(ValueError):
        networks.stack_pinets([])
    with pytest.raises(ValueError):
        networks.stack_pinets([nets[0], networks.PiNet(2, width + 1, degree, dtype=torch.float64)])
    with pytest.raises(ValueError):
        networks.stacked_pinet_forward(params, z[:, :1])


def test_stacked_mlps_match_a_plain_loop_with_mixed_activations():
    names = ["relu", "tanh", "hat"]
    nets = [networks.activation_mlp(1, [6, 5], activation=a, seed=s, dtype=torch.float64)
            for a in names for s in range(2)]
    x = torch.linspace(0, 1, 11, dtype=torch.float64)[:, None]
    out = networks.stacked_mlp_forward(networks.stack_mlps(nets), x,
                                       [networks.make_activation(a) for a in names], 2)
    for i, net in enumerate(nets):
        torch.testing.assert_close(out[i], net(x), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError):
        networks.stacked_mlp_forward(networks.stack_mlps(nets), x, [torch.nn.ReLU()], 2)
    with pytest.raises(ValueError):
        networks.stack_mlps([nets[0], networks.activation_mlp(1, [7, 5], seed=0, dtype=torch.float64)])
    with pytest.raises(ValueError):
        networks.stack_mlps([])
