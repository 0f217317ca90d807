"""Exp7's helpers against plain torch: Adam's step bound, the shared initialisation, max |θ|."""

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets, networks
from spectral_lib.experiments import architecture


def _adam_steps(grads, lr=1e-3):
    """|Δθ| / lr of each step of torch.optim.Adam on one scalar fed the gradients ``grads``."""
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr)
    out = []
    for g in grads:
        before = p.detach().clone()
        p.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        out.append(float((p.detach() - before).abs()) / lr)
    return np.array(out)


@pytest.mark.parametrize("t", [1, 2, 7, 60, 400])
def test_adam_step_bound_is_attained_by_the_cauchy_schwarz_gradients(t):
    b1, b2 = 0.9, 0.999
    i = np.arange(1, t + 1)
    a, b = (1 - b1) * b1 ** (t - i), (1 - b2) * b2 ** (t - i)
    grads = 1e3 * a / b                       # large, so that Adam's ε is negligible
    step = _adam_steps(grads)[-1]
    assert step == pytest.approx(architecture.adam_step_bound(t), rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False).filter(lambda g: abs(g) > 1e-3), min_size=1,
                max_size=80))
def test_adam_never_steps_farther_than_the_bound(grads):
    steps = _adam_steps(grads)
    assert steps.max() <= architecture.adam_step_bound(len(grads)) * (1 + 1e-9)


def test_adam_step_bound_rejects_bad_input():
    with pytest.raises(ValueError):
        architecture.adam_step_bound(0)
    with pytest.raises(ValueError):
        architecture.adam_step_bound(10, betas=(0.99, 0.9))


def test_scale_inside_keeps_kinks_and_leaves_small_layers_alone():
    net = networks.relu_mlp(1, [64] * 2, seed=3)
    ref = [p.detach().clone() for p in net.parameters()]
    architecture.scale_inside(net, 0.1)
    ps = [p.detach() for p in net.parameters()]
    assert max(float(p.abs().max()) for p in ps) <= np.float32(0.1)
    w0, b0 = ref[0][:, 0], ref[1]
    assert torch.allclose(-ps[1] / ps[0][:, 0], -b0 / w0, rtol=1e-5)        # first layer's kinks kept
    factor = 0.1 / max(float(w0.abs().max()), float(b0.abs().max()))
    assert torch.allclose(ps[0], ref[0] * factor) and torch.allclose(ps[1], ref[1] * factor)
    with pytest.raises(ValueError):
        architecture.scale_inside(net, 0.0)
    wide = networks.relu_mlp(1, [8], seed=0)
    before = [p.detach().clone() for p in wide.parameters()]
    architecture.scale_inside(wide, 10.0)                                    # inside already: untouched
    assert all(torch.equal(p, q) for p, q in zip(wide.parameters(), before, strict=True))


def test_shared_init_starts_every_clip_from_one_point_and_records_max_abs():
    cfg = dataclasses.replace(configs.get("exp7", "book"), steps=6, n_runs=2, record_every=3, depths=(),
                              widths=(), clips=(0.05, 2.0), clip_depth=3, clip_width=8, shared_init=True)
    res = architecture.run_exp7(cfg, progress=False, use_cache=False)
    x = torch.as_tensor(datasets.unit_grid(200), dtype=torch.float32)[:, None]
    y = torch.as_tensor(datasets.delta_target(200), dtype=torch.float32)[:, None]
    assert res.max_abs.shape == (2, 3, 2)
    for j, clip in enumerate(cfg.clips):
        for seed in range(2):
            net = architecture.scale_inside(networks.relu_mlp(1, [8, 8], seed=seed), 0.05)
            opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
            seen = []
            for t in range(cfg.steps + 1):
                if t % cfg.record_every == 0:
                    seen.append(max(float(p.detach().abs().max()) for p in net.parameters()))
                if t == cfg.steps:
                    break
                loss = ((net(x) - y) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    for p in net.parameters():
                        p.clamp_(-clip, clip)
            assert np.allclose(res.max_abs[j, :, seed], seen, rtol=1e-5)
            assert np.allclose(res.predictions[j, seed], net(x).detach().double().numpy()[:, 0], atol=1e-5)
    assert res.max_abs[:, 0].max() <= np.float32(0.05)                      # both clips start inside 0.05
