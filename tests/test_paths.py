"""Decision-preserving paths: string method, lengths, margins, targeted examples."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import networks, training


def _linear(W, b):
    lin = torch.nn.Linear(W.shape[1], W.shape[0])
    with torch.no_grad():
        lin.weight.copy_(torch.as_tensor(W, dtype=torch.float32))
        lin.bias.copy_(torch.as_tensor(b, dtype=torch.float32))
    return lin


def test_polyline_length_against_direct_sum():
    g = np.random.default_rng(0)  # test data only
    p = g.normal(size=(4, 7, 3))
    direct = [sum(np.linalg.norm(p[i, k + 1] - p[i, k]) for k in range(6)) for i in range(4)]
    np.testing.assert_allclose(training.polyline_length(p), direct, rtol=1e-6)


def test_zero_steps_give_the_straight_line():
    a, b = torch.zeros(2, 3), torch.ones(2, 3)
    p = training.string_paths(lambda x, i: x.sum(1), a, b, n_nodes=5, steps=0)
    np.testing.assert_allclose(p[:, :, 0].numpy(), np.tile(np.linspace(0, 1, 5), (2, 1)), atol=1e-7)


def test_gradient_along_the_path_does_not_move_it():
    # the score rises along the path only: its component across the path is zero
    p = training.string_paths(lambda x, i: x[:, 0], [[0.0, 0.0]], [[1.0, 0.0]], n_nodes=6, steps=20, lr=0.05)
    np.testing.assert_allclose(p[0, :, 1].numpy(), 0.0, atol=1e-7)
    np.testing.assert_allclose(p[0, :, 0].numpy(), np.linspace(0, 1, 6), atol=1e-6)


def test_nodes_end_equally_spaced_and_endpoints_fixed():
    ridge = lambda x, i: -((x[:, 1] - x[:, 0] * (1 - x[:, 0])) ** 2)  # noqa: E731
    p = training.string_paths(ridge, [[0.0, 0.0]], [[1.0, 0.0]], n_nodes=9, steps=30, lr=0.05, momentum=0.5)
    seg = np.linalg.norm(np.diff(p[0].numpy(), axis=0), axis=1)
    np.testing.assert_allclose(seg, seg.mean(), rtol=1e-4)
    assert p[0, 0].tolist() == [0.0, 0.0] and p[0, -1].tolist() == [1.0, 0.0]
    assert float(p[0, 4, 1]) > 0.05  # bent towards the parabola's ridge


def test_init_continues_a_path():
    f = lambda x, i: x[:, 1]  # noqa: E731
    p1 = training.string_paths(f, [[0.0, 0.0]], [[1.0, 0.0]], n_nodes=5, steps=5, lr=0.01)
    p2 = training.string_paths(f, [[0.0, 0.0]], [[1.0, 0.0]], n_nodes=5, steps=5, lr=0.01, init=p1)
    assert float(p2[0, 2, 1]) > float(p1[0, 2, 1]) > 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(3, 12))
def test_string_method_never_lengthens_a_path_it_does_not_move(seed, n):
    # with lr tiny the step is negligible, and redistributing nodes on a polyline can only shorten it
    g = np.random.default_rng(seed)  # test data only
    init = torch.as_tensor(g.normal(size=(1, n, 2)), dtype=torch.float32)
    p = training.string_paths(lambda x, i: x.sum(1), init[:, 0], init[:, -1], n_nodes=n, steps=1, lr=1e-9,
                              momentum=0.0, init=init)
    assert training.polyline_length(p)[0] <= training.polyline_length(init)[0] + 1e-5


def test_class_margins_against_dense_argmax():
    net = networks.relu_mlp(2, [16], 3, seed=3)
    g = np.random.default_rng(1)  # test data only
    paths = torch.as_tensor(g.normal(size=(5, 4, 2)), dtype=torch.float32)
    classes = np.array([0, 1, 2, 0, 1])
    m = training.class_margins(net, paths, classes, refine=4)
    # independent: points by explicit loops, logits by hand
    for i in range(5):
        pts = [paths[i, k] + (j / 4) * (paths[i, k + 1] - paths[i, k]) for k in range(3) for j in range(4)]
        pts.append(paths[i, -1])
        with torch.no_grad():
            z = net(torch.stack(pts)).numpy()
        others = np.delete(z, classes[i], axis=1).max(axis=1)
        np.testing.assert_allclose(m[i], z[:, classes[i]] - others, atol=1e-5)


def test_targeted_examples_reach_the_target():
    lin = _linear(np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]), np.zeros(3))
    x = np.array([[-1.0, 0.0], [0.0, -1.0]])
    z, ok = training.targeted_examples(lin, x, [0, 2], step=0.05, overshoot=0.5)
    assert ok.all()
    with torch.no_grad():
        logits = lin(z).numpy()
    assert logits[0].argmax() == 0 and logits[1].argmax() == 2


def test_validation():
    with pytest.raises(ValueError, match="differ in shape"):
        training.string_paths(lambda x, i: x[:, 0], [[0.0, 0.0]], [[1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="at least 3"):
        training.string_paths(lambda x, i: x[:, 0], [[0.0]], [[1.0]], n_nodes=2)
    with pytest.raises(ValueError, match="momentum"):
        training.string_paths(lambda x, i: x[:, 0], [[0.0]], [[1.0]], momentum=1.0)
    with pytest.raises(ValueError, match="NaN"):
        training.string_paths(lambda x, i: x[:, 0], [[np.nan]], [[1.0]])
    with pytest.raises(ValueError, match="init"):
        training.string_paths(lambda x, i: x[:, 0], [[0.0]], [[1.0]], n_nodes=4, init=np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match="paths"):
        training.polyline_length(np.zeros((3, 2)))
    lin = _linear(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="classes"):
        training.class_margins(lin, np.zeros((2, 3, 2)), [0])
    with pytest.raises(ValueError, match="lie in"):
        training.class_margins(lin, np.zeros((1, 3, 2)), [5])
    with pytest.raises(ValueError, match="targets"):
        training.targeted_examples(lin, np.zeros((2, 2)), [0])
