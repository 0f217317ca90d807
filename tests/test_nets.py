"""Network construction, affine layers and norm bounds against plain torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from spectral_lib import networks


def test_structure_and_parameter_count():
    net = networks.relu_mlp(1, [256] * 5, seed=0)
    kinds = [type(m) for m in net]
    assert kinds == [nn.Linear, nn.ReLU] * 5 + [nn.Linear]
    assert sum(p.numel() for p in net.parameters()) == 263_937
    assert networks.relu_mlp(3, [], 2, seed=0)(torch.zeros(4, 3)).shape == (4, 2)


def test_seed_reproducible_and_default_init_range():
    a, b = networks.relu_mlp(2, [64, 32], seed=5), networks.relu_mlp(2, [64, 32], seed=5)
    c = networks.relu_mlp(2, [64, 32], seed=6)
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(pa, pb) and not torch.equal(pa, pc)
    state = torch.get_rng_state()
    networks.relu_mlp(2, [8], seed=1)
    assert torch.equal(state, torch.get_rng_state())  # the global generator is untouched
    for m in a:
        if isinstance(m, nn.Linear):
            bound = 1 / np.sqrt(m.in_features)
            assert m.weight.abs().max() <= bound and m.bias.abs().max() <= bound
            if m.weight.numel() >= 128:  # uniform on (-bound, bound): spread near the full range
                assert m.weight.max() > 0.9 * bound and m.weight.min() < -0.9 * bound


def test_affine_layers_reproduce_forward():
    net = networks.relu_mlp(3, [10, 7], 2, seed=2)
    x = np.random.default_rng(0).normal(size=(20, 3))
    h = x
    layers = networks.affine_layers(net)
    for W, b in layers[:-1]:
        h = np.maximum(h @ W.T + b, 0)
    y = h @ layers[-1][0].T + layers[-1][1]
    with torch.no_grad():
        ref = net.double()(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-14)
    assert all(W.dtype == np.float64 and b.dtype == np.float64 for W, b in layers)


def test_norms_against_torch():
    net = networks.relu_mlp(2, [16, 16], seed=3)
    ref = [torch.linalg.matrix_norm(m.weight.double(), 2).item() for m in net if isinstance(m, nn.Linear)]
    np.testing.assert_allclose(networks.spectral_norms(net), ref, rtol=1e-12)
    assert np.isclose(networks.lipschitz_upper_bound(net), np.prod(ref), rtol=1e-12)


def test_bias_free_linear_is_accepted():
    net = nn.Sequential(nn.Linear(2, 3, bias=False), nn.ReLU(), nn.Linear(3, 1))
    (W, b), _ = networks.affine_layers(net)
    assert np.all(b == 0) and b.shape == (3,)


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        networks.relu_mlp(0, [4])
    with pytest.raises(TypeError):
        networks.relu_mlp(1, 4)
    with pytest.raises(ValueError):
        networks.relu_mlp(1, [4, 0])
    with pytest.raises(ValueError):
        networks.relu_mlp(1, [4], seed=-1)
    with pytest.raises(TypeError):
        networks.affine_layers(nn.Linear(1, 1))
    with pytest.raises(TypeError):
        networks.affine_layers(nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1)))
    with pytest.raises(TypeError):
        networks.affine_layers(nn.Sequential(nn.Linear(1, 2), nn.ReLU()))
    with pytest.raises(TypeError):
        networks.affine_layers(nn.Sequential())
    net = networks.relu_mlp(1, [4], seed=0)
    with torch.no_grad():
        net[2].bias.fill_(float("inf"))
    with pytest.raises(ValueError):
        networks.lipschitz_upper_bound(net)
