"""spectral_lib.training.pinn against closed forms, finite differences and plain per-point loops."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib.training import pinn

NETS = {
    "plain": pinn.PinnNet("plain", (6, 5)),
    "fourier": pinn.PinnNet("fourier", (5,), sigmas=(1.0, 3.0), n_features=3),
    "mscale": pinn.PinnNet("mscale", (4, 4), scales=(1.0, 2.0, 4.0)),
}


def _params(kind, seed=0):
    return pinn.init_pinn(NETS[kind], seed, dtype=torch.float64)


@given(seed=st.integers(0, 50), x=st.lists(st.floats(-1.0, 2.0), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None)
def test_derivatives_of_a_one_layer_net_match_the_closed_form(seed, x):
    net = pinn.PinnNet("plain", (7,))
    (W0, b0, W1, b1), freqs = pinn.init_pinn(net, seed, dtype=torch.float64)
    w, b, v = W0.numpy()[0], b0.numpy(), W1.numpy()[:, 0]
    xs = np.asarray(x)
    t = np.tanh(np.outer(xs, w) + b)
    u_cf = t @ v + float(b1)
    ux_cf = ((1 - t**2) * w) @ v
    uxx_cf = (-2 * t * (1 - t**2) * w**2) @ v
    u, ux, uxx = pinn.derivatives(net, (W0, b0, W1, b1), freqs, xs)
    np.testing.assert_allclose(u.numpy(), u_cf, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ux.numpy(), ux_cf, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(uxx.numpy(), uxx_cf, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", sorted(NETS))
def test_derivatives_match_central_differences(kind):
    params, freqs = _params(kind, seed=3)
    net = NETS[kind]
    x = np.linspace(0.05, 0.95, 9)
    h = 1e-4
    u = lambda z: pinn.derivatives(net, params, freqs, z)[0].numpy()  # noqa: E731
    _, ux, uxx = (t.numpy() for t in pinn.derivatives(net, params, freqs, x))
    np.testing.assert_allclose(ux, (u(x + h) - u(x - h)) / (2 * h), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(uxx, (u(x + h) - 2 * u(x) + u(x - h)) / h**2, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("kind", sorted(NETS))
def test_residual_jacobian_and_ntk_match_a_per_point_autograd_loop(kind):
    net = NETS[kind]
    params, freqs = _params(kind, seed=1)
    x = np.linspace(0.1, 0.9, 5)
    rows_r, rows_u = [], []

    def flat(grads, ps):
        return torch.cat([(g if g is not None else torch.zeros_like(p)).reshape(-1)
                          for g, p in zip(grads, ps, strict=True)])

    for xi in list(x) + [0.0, 1.0]:
        ps = [p.clone().requires_grad_() for p in params]
        xt = torch.tensor([xi], dtype=torch.float64, requires_grad=True)
        u = pinn.derivatives(net, ps, freqs, xt)[0][0]
        rows_u.append(flat(torch.autograd.grad(u, ps, retain_graph=True, allow_unused=True), ps).numpy())
        # -u'' by plain double autograd in x, then its gradient in θ, one point at a time
        (ux,) = torch.autograd.grad(u, xt, create_graph=True)
        (uxx,) = torch.autograd.grad(ux.sum(), xt, create_graph=True)
        rows_r.append(flat(torch.autograd.grad(-uxx.sum(), ps, allow_unused=True), ps).numpy())
    Jr_loop, Ju_loop = np.array(rows_r[:5]), np.array(rows_u[5:])
    Jr = pinn.residual_jacobian(net, params, freqs, x)
    np.testing.assert_allclose(Jr, Jr_loop, rtol=1e-10, atol=1e-10 * np.abs(Jr_loop).max())
    K = pinn.pinn_ntk(net, params, freqs, x)
    np.testing.assert_allclose(K["K_rr"], Jr_loop @ Jr_loop.T, rtol=1e-9, atol=1e-9 * np.abs(K["K_rr"]).max())
    np.testing.assert_allclose(K["K_uu"], Ju_loop @ Ju_loop.T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(K["K_ur"], Ju_loop @ Jr_loop.T, rtol=1e-9, atol=1e-9 * np.abs(K["K_ur"]).max())


def test_residual_jacobian_matches_finite_differences_in_the_parameters():
    net = NETS["plain"]
    params, freqs = _params("plain", seed=2)
    x = np.array([0.2, 0.7])
    Jr = pinn.residual_jacobian(net, params, freqs, x)
    eps, col = 1e-6, 0
    for i, p in enumerate(params):
        for j in range(p.numel()):
            plus = [q.clone() for q in params]
            minus = [q.clone() for q in params]
            plus[i].view(-1)[j] += eps
            minus[i].view(-1)[j] -= eps
            d2 = pinn.derivatives(net, plus, freqs, x)[2] - pinn.derivatives(net, minus, freqs, x)[2]
            fd = -d2 / (2 * eps)
            np.testing.assert_allclose(Jr[:, col], fd.numpy(), rtol=1e-5, atol=1e-6)
            col += 1
    assert col == Jr.shape[1]


def test_ntk_weights_equalise_the_mean_traces():
    net = NETS["fourier"]
    params, freqs = _params("fourier")
    x = np.linspace(0.1, 0.9, 7)
    K = pinn.pinn_ntk(net, params, freqs, x)
    m_r, m_b = np.trace(K["K_rr"]) / 7, np.trace(K["K_uu"]) / 2
    lam_r, lam_b = pinn.ntk_weights(net, params, freqs, x)
    assert lam_r * m_r == pytest.approx(lam_b * m_b, rel=1e-10)
    assert lam_r == pytest.approx((m_r + m_b) / m_r, rel=1e-10)


def _manufactured(x):
    """u = x e^x (1 - x) + 1 + x (so u(0) = 1, u(1) = 2) and f = -u''."""
    u = x * np.exp(x) * (1 - x) + 1 + x
    f = np.exp(x) * (x**2 + 3 * x)  # -(x(1-x)e^x)'' = e^x (x^2 + 3x)
    return u, f


def test_finite_differences_converge_at_second_order():
    errs, hs = [], []
    for n in (15, 31, 63, 127, 255):
        x, u = pinn.poisson_fd(lambda z: _manufactured(z)[1], n, boundary=(1.0, 2.0))
        errs.append(np.max(np.abs(u - _manufactured(x)[0])))
        hs.append(1.0 / (n + 1))
    order = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert 1.95 < order < 2.05, (order, errs)
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    assert np.all((ratios > 3.8) & (ratios < 4.2)), ratios


def test_finite_differences_solve_the_discrete_system():
    n = 20
    f = np.linspace(-3.0, 5.0, n)
    x, u = pinn.poisson_fd(f, n, boundary=(0.5, -1.0))
    full = np.r_[0.5, u, -1.0]
    lap = (-full[:-2] + 2 * full[1:-1] - full[2:]) * (n + 1) ** 2
    np.testing.assert_allclose(lap, f, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(x, np.arange(1, n + 1) / (n + 1))


@given(n=st.integers(4, 64), k=st.integers(1, 64), a=st.floats(-3, 3))
@settings(max_examples=30, deadline=None)
def test_sine_coefficients_pick_out_one_mode(n, k, a):
    k = min(k, n)
    x = pinn.interior_grid(n)
    b = pinn.sine_coefficients(a * np.sin(k * np.pi * x))
    expected = np.zeros(n)
    expected[k - 1] = a
    np.testing.assert_allclose(b, expected, atol=1e-10)


def test_sine_coefficients_match_the_explicit_sum():
    n = 31
    x = pinn.interior_grid(n)
    v = np.cos(3 * x) + x**2
    b = pinn.sine_coefficients(v)
    explicit = [2.0 / (n + 1) * np.sum(v * np.sin(k * np.pi * x)) for k in range(1, n + 1)]
    np.testing.assert_allclose(b, explicit, rtol=1e-12, atol=1e-12)


def test_batched_training_equals_separate_runs_per_seed():
    x = pinn.interior_grid(15)
    f = lambda z: np.pi**2 * np.sin(np.pi * z)  # noqa: E731
    net = NETS["fourier"]
    kw = dict(steps=30, lr=1e-2, record_every=10, x_eval=x, dtype=torch.float64, weighting="ntk",
              update_every=10)
    both = pinn.train_pinn(net, f, x, [0, 4], **kw)
    for i, s in enumerate([0, 4]):
        one = pinn.train_pinn(net, f, x, [s], **kw)
        np.testing.assert_allclose(both.u[:, i], one.u[:, 0], rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(both.weights[:, i], one.weights[:, 0], rtol=1e-9)
    again = pinn.train_pinn(net, f, x, [0, 4], **kw)
    np.testing.assert_array_equal(again.u, both.u)


def test_training_reduces_the_loss_on_a_smooth_problem():
    x = pinn.interior_grid(31)
    h = pinn.train_pinn(pinn.PinnNet("plain", (16, 16)), lambda z: np.pi**2 * np.sin(np.pi * z), x, [0],
                        steps=300, lr=1e-2, record_every=300, x_eval=x, lam_b=100.0)
    assert h.loss_r[-1, 0] < 0.05 * h.loss_r[0, 0]


@pytest.mark.parametrize("kwargs", [
    dict(kind="relu", hidden=(4,)),
    dict(kind="plain", hidden=()),
    dict(kind="plain", hidden=(4,), sigmas=(1.0,)),
    dict(kind="fourier", hidden=(4,)),
    dict(kind="fourier", hidden=(4,), sigmas=(-1.0,), n_features=2),
    dict(kind="mscale", hidden=(4,)),
    dict(kind="plain", hidden=(4,), scales=(1.0,)),
])
def test_invalid_architectures_raise(kwargs):
    with pytest.raises(ValueError):
        pinn.PinnNet(**kwargs)


def test_invalid_inputs_raise():
    net = NETS["plain"]
    params, freqs = _params("plain")
    x = pinn.interior_grid(7)
    with pytest.raises(TypeError):
        pinn.init_pinn("plain", 0)
    with pytest.raises(ValueError):
        pinn.init_pinn(net, -1)
    with pytest.raises(ValueError):
        pinn.derivatives(net, params[:2], freqs, x)
    with pytest.raises(ValueError):
        pinn.derivatives(net, params, freqs, [[0.1, 0.2]])
    with pytest.raises(ValueError):
        pinn.residual_jacobian(net, params, freqs, [0.1, np.nan])
    with pytest.raises(ValueError):
        pinn.poisson_fd(np.ones(5), 6)
    with pytest.raises(ValueError):
        pinn.poisson_fd(np.ones(5), 5, boundary=(0.0,))
    with pytest.raises(ValueError):
        pinn.poisson_fd(np.ones(5), 0)
    with pytest.raises(ValueError):
        pinn.sine_coefficients(np.zeros(0))
    with pytest.raises(ValueError):
        pinn.interior_grid(-2)
    with pytest.raises(ValueError):
        pinn.train_pinn(net, np.ones(7), x, [0], steps=1, lr=1e-3, record_every=1, x_eval=x, weighting="rar")
    with pytest.raises(ValueError):
        pinn.train_pinn(net, np.ones(6), x, [0], steps=1, lr=1e-3, record_every=1, x_eval=x)
    with pytest.raises(ValueError):
        pinn.train_pinn(net, np.ones(7), x, [0], steps=0, lr=1e-3, record_every=1, x_eval=x)
    with pytest.raises(TypeError):
        pinn.train_pinn("plain", np.ones(7), x, [0], steps=1, lr=1e-3, record_every=1, x_eval=x)
