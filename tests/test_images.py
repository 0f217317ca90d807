"""Tests of spectral_lib.images against independent references."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import datasets
from spectral_lib.datasets import images


def _area_resize_by_supersampling(img: np.ndarray, size: int, sub: int = 1) -> np.ndarray:
    """Reference: upsample by pixel repetition to a common multiple, then block-average."""
    h, w = img.shape[:2]
    lcm_h, lcm_w = np.lcm(h, size), np.lcm(w, size)
    up = np.repeat(np.repeat(img, lcm_h // h, axis=0), lcm_w // w, axis=1)
    bh, bw = lcm_h // size, lcm_w // size
    return up.reshape(size, bh, size, bw, *img.shape[2:]).mean(axis=(1, 3))


@settings(max_examples=40, deadline=None)
@given(
    h=st.integers(1, 24),
    w=st.integers(1, 24),
    size=st.integers(1, 12),
    channels=st.sampled_from([None, 1, 3]),
    seed=st.integers(0, 2**16),
)
def test_resize_area_matches_supersampled_block_mean(h, w, size, channels, seed):
    rng = np.random.default_rng(seed)
    shape = (h, w) if channels is None else (h, w, channels)
    img = rng.random(shape)
    got = datasets.resize_area(img, size)
    want = _area_resize_by_supersampling(img, size)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@settings(deadline=None)
@given(n_in=st.integers(1, 50), n_out=st.integers(1, 50))
def test_area_weights_rows_sum_to_one_and_columns_cover_equally(n_in, n_out):
    W = datasets.area_weights(n_in, n_out)
    assert W.shape == (n_out, n_in)
    assert np.all(W >= 0)
    np.testing.assert_allclose(W.sum(axis=1), 1.0, atol=1e-12)
    # every input pixel contributes the same total area n_out / n_in
    np.testing.assert_allclose(W.sum(axis=0), n_out / n_in, atol=1e-12)


def test_resize_area_integer_factor_is_block_mean():
    img = np.arange(36.0).reshape(6, 6)
    want = img.reshape(3, 2, 3, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(datasets.resize_area(img, 3), want, atol=1e-12)


@pytest.mark.parametrize("name", datasets.IMAGES)
def test_load_image_shape_range_and_determinism(name):
    a = datasets.load_image(name, 32)
    b = datasets.load_image(name, 32)
    assert a.shape == (32, 32, 3)
    assert a.dtype == np.float64
    assert a.min() >= 0.0 and a.max() <= 1.0
    assert a.std() > 0.05  # a natural image, not a constant
    np.testing.assert_array_equal(a, b)


def test_load_image_is_mean_preserving_area_resize_of_the_crop():
    raw = images._raw_image("grace_hopper").astype(np.float64) / 255.0
    h, w = raw.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = raw[top : top + side, left : left + side]
    img = datasets.load_image("grace_hopper", 64)
    np.testing.assert_allclose(img.mean(axis=(0, 1)), crop.mean(axis=(0, 1)), atol=1e-10)
    # 512 / 64 = 8: each output pixel is the mean of an 8x8 block
    np.testing.assert_allclose(img[5, 7], crop[40:48, 56:64].mean(axis=(0, 1)), atol=1e-12)


def test_load_image_grayscale_is_luma():
    rgb = datasets.load_image("china", 16)
    gray = datasets.load_image("china", 16, grayscale=True)
    assert gray.shape == (16, 16, 1)
    np.testing.assert_allclose(gray[..., 0], 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])


@pytest.mark.parametrize(
    "kwargs, err",
    [
        ({"name": "lena"}, ValueError),
        ({"size": 0}, ValueError),
        ({"size": 2.5}, ValueError),
        ({"size": 10_000}, ValueError),
    ],
)
def test_load_image_rejects_bad_input(kwargs, err):
    with pytest.raises(err):
        datasets.load_image(**kwargs)


def test_resize_area_rejects_nan_and_bad_shape():
    with pytest.raises(ValueError):
        datasets.resize_area(np.array([[np.nan, 0.0]]), 1)
    with pytest.raises(ValueError):
        datasets.resize_area(np.zeros(5), 2)


@settings(deadline=None)
@given(size=st.integers(2, 9), dim=st.integers(1, 3), endpoint=st.booleans())
def test_coordinate_grid_matches_meshgrid_reference(size, dim, endpoint):
    a, b = -1.0, 2.0
    grid = datasets.coordinate_grid(size, dim, (a, b), endpoint=endpoint)
    assert grid.shape == (size**dim, dim)
    axis = np.linspace(a, b, size, endpoint=endpoint)
    for r, idx in enumerate(np.ndindex(*([size] * dim))):
        np.testing.assert_allclose(grid[r], axis[list(idx)], atol=1e-12)


def test_image_samples_order_matches_reshape():
    img = np.random.default_rng(0).random((5, 5, 3))
    x, y = datasets.image_samples(img, (0.0, 1.0))
    np.testing.assert_array_equal(y, img.reshape(25, 3))
    # pixel (row 2, col 3) sits at row coordinate 2/5 and column coordinate 3/5
    r = 2 * 5 + 3
    np.testing.assert_allclose(x[r], [0.4, 0.6])
    np.testing.assert_array_equal(y[r], img[2, 3])
    with pytest.raises(ValueError):
        datasets.image_samples(np.zeros((4, 5, 3)))
    with pytest.raises(ValueError):
        datasets.coordinate_grid(4, 2, (1.0, 1.0))


@settings(deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(1, 40))
def test_psnr_matches_definition(seed, n):
    rng = np.random.default_rng(seed)
    t = rng.random(n)
    p = t + rng.normal(0, 0.1, n)
    mse = sum((pi - ti) ** 2 for pi, ti in zip(p, t, strict=True)) / n
    assert datasets.psnr(p, t) == pytest.approx(10 * np.log10(1.0 / mse), rel=1e-10)
    assert datasets.psnr(p * 2, t * 2, data_range=2.0) == pytest.approx(datasets.psnr(p, t), rel=1e-10)


def test_psnr_batched_and_torch():
    t = np.zeros((4, 4, 3))
    p = np.stack([np.full_like(t, 0.1), np.full_like(t, 0.01)])
    np.testing.assert_allclose(datasets.psnr(p, t), [20.0, 40.0])
    assert datasets.psnr(torch.full((4, 3), 0.1), torch.zeros(4, 3)) == pytest.approx(20.0)
    assert datasets.psnr(t, t) == np.inf
    with pytest.raises(ValueError):
        datasets.psnr(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError):
        datasets.psnr(np.array([np.nan]), np.zeros(1))
    with pytest.raises(ValueError):
        datasets.psnr(np.zeros(3), np.zeros(3), data_range=0.0)


def test_noise_image_is_uniform_integers_and_deterministic():
    a, b = datasets.noise_image(32, seed=4), datasets.noise_image(32, seed=4)
    np.testing.assert_array_equal(a, b)
    levels = np.round(a * 255)
    np.testing.assert_allclose(levels, a * 255, atol=1e-9)           # integer intensities
    assert levels.min() >= 0 and levels.max() <= 254
    # 3072 draws from 255 levels: the mean is 127 +- a few standard errors (73.6 / sqrt(3072) = 1.3)
    assert abs(levels.mean() - 127.0) < 6 * 73.6 / np.sqrt(levels.size)
    assert not np.array_equal(a, datasets.noise_image(32, seed=5))
    with pytest.raises(ValueError):
        datasets.noise_image(0)
