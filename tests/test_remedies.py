"""Tests of the remedies experiment's pieces against plain references.

Parameter counts, widths, interpolation, splits, SIREN parts, kernels.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import datasets, encodings, networks
from spectral_lib.experiments import remedies
from spectral_lib.networks import coordinate
from spectral_lib.networks.siren import preactivation_parts


@settings(deadline=None, max_examples=25)
@given(in_dim=st.integers(1, 40), width=st.integers(1, 30), depth=st.integers(1, 4), out=st.integers(1, 3))
def test_param_count_matches_torch(in_dim, width, depth, out):
    for method in ("none", "siren"):
        net = coordinate.build(method, in_dim, [width] * depth, out, 0)
        n_params = sum(p.numel() for p in net.parameters())
        assert coordinate.param_count(in_dim, [width] * depth, out) == n_params


@settings(deadline=None, max_examples=25)
@given(in_dim=st.integers(1, 130), depth=st.integers(1, 4), target=st.integers(50, 20_000))
def test_matched_width_is_the_brute_force_minimiser(in_dim, depth, target):
    h = coordinate.matched_width(in_dim, depth, target)
    errs = [abs(coordinate.param_count(in_dim, [w] * depth) - target) for w in range(1, target + 2)]
    assert abs(coordinate.param_count(in_dim, [h] * depth) - target) == min(errs)


def test_matched_width_validates():
    with pytest.raises(ValueError):
        coordinate.matched_width(0, 2, 100)
    with pytest.raises(ValueError):
        coordinate.param_count(2, [0], 1)


def _bilinear_reference(a, factor):
    n = a.shape[0]
    S = factor * (n - 1) + 1
    out = np.zeros((S, S))
    for i in range(S):
        for j in range(S):
            u, v = i / factor, j / factor
            i0, j0 = min(int(u), n - 2), min(int(v), n - 2)
            du, dv = u - i0, v - j0
            out[i, j] = ((1 - du) * (1 - dv) * a[i0, j0] + du * (1 - dv) * a[i0 + 1, j0]
                         + (1 - du) * dv * a[i0, j0 + 1] + du * dv * a[i0 + 1, j0 + 1])
    return out


@settings(deadline=None, max_examples=20)
@given(n=st.integers(2, 6), factor=st.integers(1, 4), seed=st.integers(0, 1000))
def test_interpolation_matches_plain_formulas(n, factor, seed):
    a = np.random.default_rng(seed).uniform(0, 1, (n, n))
    np.testing.assert_allclose(datasets.interpolate(a, factor, 1), _bilinear_reference(a, factor), atol=1e-12)
    for order in (0, 1, 3):
        rec = datasets.interpolate(a, factor, order)
        # interpolating: exact on the samples
        np.testing.assert_allclose(rec[::factor, ::factor], a, atol=1e-9)
        assert rec.min() >= 0 and rec.max() <= 1


@settings(deadline=None, max_examples=20)
@given(m=st.integers(3, 6), factor=st.integers(1, 4), seed=st.integers(0, 1000))
def test_subsample_interpolations_scores_each_part_like_a_plain_psnr(m, factor, seed):
    rng = np.random.default_rng(seed)
    n = factor * (m - 1) + 1
    img = rng.uniform(0, 1, (n, n))
    split = rng.integers(0, 3, (n, n))
    split[0, :3] = [0, 1, 2]  # every part holds a pixel
    interp, score = datasets.subsample_interpolations(img, split, factor, [0, 1])
    np.testing.assert_allclose(interp[1], _bilinear_reference(img[::factor, ::factor], factor), atol=1e-12)
    for o in range(2):
        for part in range(3):
            err = np.mean((interp[o][split == part] - img[split == part]) ** 2)
            want = np.inf if err == 0 else -10 * np.log10(err)
            np.testing.assert_allclose(score[o, part], want, rtol=1e-9)


def test_subsample_interpolations_validates():
    with pytest.raises(ValueError, match="square"):
        datasets.subsample_interpolations(np.zeros((5, 4)), np.zeros((5, 4)), 2, [1])
    with pytest.raises(ValueError, match="shape"):
        datasets.subsample_interpolations(np.zeros((5, 5)), np.zeros((4, 4)), 2, [1])
    with pytest.raises(ValueError, match="pixels"):
        datasets.subsample_interpolations(np.zeros((6, 6)), np.zeros((6, 6)), 2, [1])


def test_interpolation_validates():
    with pytest.raises(ValueError):
        datasets.interpolate(np.zeros((2, 3)), 2, 1)
    with pytest.raises(ValueError):
        datasets.interpolate(np.zeros((2, 2)), 2, 2)


def test_split_is_a_partition_with_the_coarse_grid_for_training():
    cfg = dataclasses.replace(remedies.RemediesConfig(), image_size=41, factor=4, val_fraction=0.25)
    task = remedies.super_resolution_task(cfg)
    split = task["split"]
    assert set(np.unique(split)) == {0, 1, 2}
    expected_train = np.zeros_like(split, bool)
    expected_train[::4, ::4] = True
    assert np.array_equal(split == 0, expected_train)
    rest = (~expected_train).sum()
    assert (split == 1).sum() == round(0.25 * rest)
    assert np.array_equal(remedies.super_resolution_task(cfg)["split"], split)  # deterministic
    assert task["coords"].shape == (41 * 41, 2) and 0 <= task["image"].min() and task["image"].max() <= 1
    with pytest.raises(ValueError):
        remedies.super_resolution_task(dataclasses.replace(cfg, image_size=40))


def test_trials_are_equal_in_number():
    cfg = remedies.RemediesConfig()
    tri = remedies.trials(cfg)
    assert len({len(v) for v in tri.values()}) == 1
    with pytest.raises(ValueError):
        remedies.trials(dataclasses.replace(cfg, lrs_raw=(1e-3,)))


@settings(deadline=None, max_examples=10)
@given(width=st.integers(4, 32), depth=st.integers(2, 4), seed=st.integers(0, 100))
def test_preactivation_parts_add_up_to_the_layer_statistics(width, depth, seed):
    net = networks.siren(2, [width] * depth, 1, seed=seed)
    x = torch.rand(40, 2, generator=torch.Generator().manual_seed(seed)) * 2 - 1
    parts = preactivation_parts(net, x)
    stats = networks.layer_statistics(net, x)
    assert len(parts) == len(stats) == depth
    for p, s in zip(parts, stats, strict=True):
        np.testing.assert_allclose((p["weight"] + p["bias"]).ravel(), s["pre"], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(p["post"].ravel(), s["post"], atol=1e-6)


def test_ntk_spectrum_matches_per_sample_gradients():
    cfg = dataclasses.replace(remedies.RemediesConfig(), ntk_sigmas=(2.0,), ntk_points=16, ntk_width=8,
                              seeds=(3,),
                              n_features=4)
    spec = remedies.ntk_spectrum(cfg)["spectrum"][0, 0]
    x = np.arange(16)[:, None] / 16
    B = encodings.gaussian_frequencies(1, 4, 2.0, seed=3)
    net = networks.relu_mlp(8, [8, 8], 1, seed=3)
    feats = torch.tensor(encodings.fourier_features(x, B), dtype=torch.float32)
    J = []
    for i in range(16):
        net.zero_grad()
        net(feats[i:i + 1]).sum().backward()
        J.append(torch.cat([p.grad.flatten() for p in net.parameters()]).double().numpy())
    K = np.array(J) @ np.array(J).T
    t = 2 * np.pi * np.arange(16) / 16
    lam = []
    for k in range(8):
        c = np.cos(k * t) / np.linalg.norm(np.cos(k * t))
        q = [c @ K @ c]
        if k > 0:
            s = np.sin(k * t) / np.linalg.norm(np.sin(k * t))
            q.append(s @ K @ s)
        lam.append(np.mean(q))
    lam = np.array(lam)
    np.testing.assert_allclose(spec, lam / lam.sum(), rtol=1e-4, atol=1e-7)


def test_gaussian_feature_gram_is_translation_invariant_and_ntk_change_is_measured():
    B = encodings.gaussian_frequencies(2, 16, 3.0, seed=0)
    v = np.random.default_rng(0).uniform(0, 1, (20, 2))
    G = encodings.fourier_features(v, B) @ encodings.fourier_features(v, B).T
    G1 = encodings.fourier_features(v + 0.37, B) @ encodings.fourier_features(v + 0.37, B).T
    np.testing.assert_allclose(G, G1, atol=1e-10)  # the identity of the lemma
    cfg = dataclasses.replace(remedies.RemediesConfig(), shift_points=8, shift_widths=(8,), seeds=(0, 1))
    ch = remedies.translation_change(cfg)["change"]
    assert ch.shape == (2, 1, 2) and np.all(ch > 0)
