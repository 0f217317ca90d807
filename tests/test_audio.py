"""Tests of spectral_lib.datasets.audio, spectral_lib.spectra.bands and spectral_lib.experiments.audio.

The band errors are checked against closed forms on pure tones and against an explicit DFT
matrix, the weighted loss against Parseval and against the circular difference in time, the
clip's chirp against :func:`scipy.signal.chirp` and its spectrum against the chord.
"""

from __future__ import annotations

import dataclasses
import io
import wave

import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from spectral_lib import configs, datasets, seeding, spectra
from spectral_lib.experiments import audio

CHORD = (55.0, 138.59, 329.63, 659.26)


def _tone(k: int, n: int, amp: float = 1.0, phase: float = 0.0) -> np.ndarray:
    return amp * np.sin(2 * np.pi * k * np.arange(n) / n + phase)


@settings(deadline=None, max_examples=30)
@given(n=st.integers(32, 200), k1=st.integers(1, 6), k2=st.integers(9, 15),
       a=st.floats(0.1, 3.0), b=st.floats(0.1, 3.0), c=st.floats(-1.0, 2.0), phase=st.floats(0, 6.3))
def test_band_errors_of_pure_tones_match_the_closed_form(n, k1, k2, a, b, c, phase):
    # y = a·tone(k1) + b·tone(k2); the fit gets tone k1 right and tone k2 scaled by c:
    # the residual is (1 - c)·b·tone(k2), so the band errors are 0 and (1 - c)^2 exactly.
    y = _tone(k1, n, a, phase) + _tone(k2, n, b, -phase)
    fit = _tone(k1, n, a, phase) + c * _tone(k2, n, b, -phase)
    e = spectra.band_errors(y, fit, float(n), [0.0, 8.0, n / 2])
    assert e[0] == pytest.approx(0.0, abs=1e-20 + 1e-12)
    assert e[1] == pytest.approx((1 - c) ** 2, rel=1e-9, abs=1e-12)


@settings(deadline=None, max_examples=20)
@given(n=st.integers(8, 64), seed=st.integers(0, 1000), rate=st.floats(10.0, 1e4))
def test_band_energy_matches_an_explicit_dft_matrix(n, seed, rate):
    x = seeding.rng(seed).normal(size=(2, n))
    # interior edges halfway between bins, the last at the Nyquist frequency (included)
    edges = np.array([0.0, (n // 8 + 0.5) * rate / n, (n // 4 + 0.5) * rate / n, rate / 2])
    k = np.arange(n // 2 + 1)
    F = np.exp(-2j * np.pi * np.outer(k, np.arange(n)) / n)
    power = np.abs(x @ F.T) ** 2
    bins = [(0, n // 8), (n // 8 + 1, n // 4), (n // 4 + 1, n // 2)]  # the bins of each band, by index
    direct = np.stack([power[:, a:b + 1].sum(axis=1) for a, b in bins], axis=1)
    np.testing.assert_allclose(spectra.band_energy(x, rate, edges), direct, rtol=1e-10, atol=1e-9)
    # every bin is in exactly one band: the bands' energies sum to the one-sided DFT's total
    np.testing.assert_allclose(direct.sum(axis=1), power.sum(axis=1), rtol=1e-12)


@pytest.mark.parametrize("n", [15, 16, 101])
def test_weighted_loss_is_mse_for_unit_weights_and_the_difference_loss_for_sine_weights(n):
    r = torch.tensor(seeding.rng(n).normal(size=(3, n)))
    ones = np.ones(n // 2 + 1)
    torch.testing.assert_close(spectra.weighted_spectral_loss(r, ones), (r**2).mean(dim=-1))
    # |1 - e^{-2πik/N}|² = 4 sin²(πk/N) weights the DFT of the circular first difference
    w = 4 * np.sin(np.pi * np.arange(n // 2 + 1) / n) ** 2
    diff = r - torch.roll(r, 1, dims=-1)
    torch.testing.assert_close(spectra.weighted_spectral_loss(r, w), (diff**2).mean(dim=-1))


def test_weighted_loss_is_differentiable_and_validates():
    r = torch.zeros(8, requires_grad=True)
    loss = spectra.weighted_spectral_loss(r + 1.0, np.ones(5))
    loss.backward()
    assert r.grad is not None and torch.allclose(r.grad, torch.full((8,), 2 / 8))
    with pytest.raises(ValueError, match="shape"):
        spectra.weighted_spectral_loss(torch.zeros(8), np.ones(4))
    with pytest.raises(ValueError, match="non-negative"):
        spectra.weighted_spectral_loss(torch.zeros(8), -np.ones(5))
    with pytest.raises(TypeError):
        spectra.weighted_spectral_loss(np.zeros(8), np.ones(5))


def test_frequency_weights():
    w = spectra.frequency_weights(100, 1000.0, 50.0, 2.0)
    f = np.arange(51) * 10.0
    np.testing.assert_allclose(w, 1 + (f / 50.0) ** 2)
    assert spectra.frequency_weights(10, 10.0, 1.0, 0.0).tolist() == [2.0] * 6
    for bad in ({"n": 1}, {"f_ref": 0.0}, {"power": -1.0}, {"rate": np.nan}):
        kw = {"n": 10, "rate": 10.0, "f_ref": 1.0, "power": 2.0} | bad
        with pytest.raises(ValueError):
            spectra.frequency_weights(**kw)


def test_band_errors_validate():
    y = _tone(3, 64)
    with pytest.raises(ValueError, match="increasing"):
        spectra.band_errors(y, y, 64.0, [0.0, 10.0, 5.0])
    with pytest.raises(ValueError, match="Nyquist"):
        spectra.band_errors(y, y, 64.0, [0.0, 40.0])
    with pytest.raises(ValueError, match="no energy"):
        spectra.band_errors(y, y, 64.0, [0.0, 10.0, 32.0])
    with pytest.raises(ValueError, match="must be"):
        spectra.band_errors(y, y[:10], 64.0, [0.0, 32.0])
    with pytest.raises(ValueError):
        spectra.band_errors(y, np.full(64, np.nan), 64.0, [0.0, 32.0])


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_clips_largest_spectral_peaks_are_the_chord(seed):
    t, s = datasets.audio_clip(8000, 0.25, chord=CHORD, chirp=(30.0, 1800.0), seed=seed)
    amp = np.abs(np.fft.rfft(s))
    f = np.fft.rfftfreq(s.size, 1 / 8000)
    peaks, _ = scipy.signal.find_peaks(amp)
    top = f[peaks[np.argsort(amp[peaks])[::-1][: len(CHORD)]]]
    resolution = 8000 / s.size
    for tone in CHORD:
        assert np.min(np.abs(top - tone)) <= resolution, (tone, top)


def test_the_chirp_matches_scipy_and_the_burst_sits_at_its_time_and_frequency():
    kw = {"chord": (220.0,), "chirp": (50.0, 1500.0), "burst_frequency": 1000.0, "burst_time": 0.3,
          "burst_width": 0.003, "seed": 3}
    t, s1 = datasets.audio_clip(8000, 0.5, chirp_amplitude=0.3, **kw)
    _, s2 = datasets.audio_clip(8000, 0.5, chirp_amplitude=0.9, **kw)
    ref = scipy.signal.chirp(t, f0=50.0, t1=0.5, f1=1500.0, method="logarithmic", phi=-90)
    np.testing.assert_allclose((s2 - s1) / 0.6, ref, atol=1e-9)
    _, b1 = datasets.audio_clip(8000, 0.5, burst_amplitude=0.5, **kw)
    _, b2 = datasets.audio_clip(8000, 0.5, burst_amplitude=1.5, **kw)
    burst = b2 - b1
    assert abs(t[np.argmax(np.abs(burst))] - 0.15) < 1 / 1000  # within a period of the carrier
    f = np.fft.rfftfreq(t.size, 1 / 8000)
    assert abs(f[np.argmax(np.abs(np.fft.rfft(burst)))] - 1000.0) <= 8000 / t.size


def test_the_clip_is_deterministic_and_follows_the_seed_offset(monkeypatch):
    monkeypatch.setenv("SPECTRAL_SEED", "0")
    _, a = datasets.audio_clip(seed=4)
    _, b = datasets.audio_clip(seed=4)
    _, c = datasets.audio_clip(seed=5)
    _, far = datasets.audio_clip(seed=4 + seeding.SPAN)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    monkeypatch.setenv("SPECTRAL_SEED", "1")
    _, shifted = datasets.audio_clip(seed=4)
    np.testing.assert_array_equal(shifted, far)
    assert not np.allclose(shifted, a)


@pytest.mark.parametrize("bad, match", [
    ({"chord": (5000.0,)}, "Nyquist"),
    ({"chord": ()}, "at least one tone"),
    ({"chirp": (900.0, 100.0)}, "rise"),
    ({"chirp": (100.0,)}, "pair"),
    ({"burst_time": 1.5}, "fraction"),
    ({"burst_width": 0.0}, "burst_width"),
    ({"duration": 0.001}, "16 samples"),
    ({"rate": 0}, "rate"),
])
def test_the_clip_validates(bad, match):
    with pytest.raises(ValueError, match=match):
        datasets.audio_clip(**bad)


def test_wav_bytes_round_trip():
    x = np.sin(np.arange(500) / 7.0) * 3.0
    data = datasets.to_wav_bytes(x, 8000)
    with wave.open(io.BytesIO(data)) as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()) == (1, 2, 8000, 500)
        pcm = np.frombuffer(f.readframes(500), dtype="<i2")
    assert np.abs(pcm).max() == round(0.9 * 32767)
    np.testing.assert_allclose(pcm / (0.9 * 32767), x / np.abs(x).max(), atol=1 / 32767)
    with pytest.raises(ValueError, match="all zero"):
        datasets.to_wav_bytes(np.zeros(10), 8000)
    with pytest.raises(ValueError):
        datasets.to_wav_bytes(np.ones((2, 2)), 8000)


def test_interpolation_baselines_are_exact_where_they_should_be():
    t = np.arange(64) / 64.0
    base = audio.interpolation_baselines(t, 3 * t - 1)
    np.testing.assert_allclose(base["linear"][:-1], (3 * t - 1)[:-1], atol=1e-12)
    assert base["linear"][-1] == 3 * t[-2] - 1  # held beyond the last even sample
    cubic = 2 * t**3 - t**2 + 0.5
    np.testing.assert_allclose(audio.interpolation_baselines(t, cubic)["cubic"], cubic, atol=1e-10)
    s = np.sin(2 * np.pi * 5 * t)
    for rec in audio.interpolation_baselines(t, s).values():
        np.testing.assert_allclose(rec[::2], s[::2], atol=1e-12)
    with pytest.raises(ValueError):
        audio.interpolation_baselines(t, s[:10])


def test_presets_and_grid():
    book, paper = configs.get("audio", "book"), configs.get("audio", "paper")
    assert paper.rate >= 16_000 and paper.duration >= 1.0
    assert paper.steps == max(book.steps, paper.steps)
    for cfg in (book, paper):
        t, x, s = audio.grid(cfg)
        assert s.size == round(cfg.rate * cfg.duration) and x[0] == 0.0 and x[-1] < 1.0
        assert cfg.edges[-1] <= cfg.rate / 4
        assert len(cfg.seeds) >= 3
    with pytest.raises(ValueError, match="rate / 4"):
        audio.grid(dataclasses.replace(book, burst_frequency=2500.0))
    with pytest.raises(TypeError):
        audio.run("not a config")
    with pytest.raises(ValueError, match="CPU"):
        audio.run(book, device="cuda")


def test_a_tiny_run_is_deterministic_and_the_weighted_arm_differs():
    cfg = dataclasses.replace(audio.config("audio", "book"), hidden=(8, 8), steps=6, record_every=3,
                              seeds=(0, 1))
    a = audio.run(cfg, use_cache=False)
    b = audio.run(cfg, use_cache=False)
    for m in audio.METHODS:
        np.testing.assert_array_equal(a.predictions[m], b.predictions[m])
        assert a.predictions[m].shape == (3, 2, 2000)
        assert a.band_errors(m).shape == (2, 5) and a.band_errors(m, on="train").shape == (2, 5)
    # same initialisation, different loss
    np.testing.assert_array_equal(a.predictions["relu"][0], a.predictions["relu-weighted"][0])
    assert not np.allclose(a.predictions["relu"][-1], a.predictions["relu-weighted"][-1])
    assert a.n_params["relu"] == a.n_params["siren"] == 1 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert a.n_params["ff"] == a.n_params["ff-wide"] == 2 * cfg.n_features * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert a.pieces["relu"].shape == (2, 2) and np.all(a.pieces["relu"] >= 1)
    assert a.mse["relu"].shape == (3, 2)
    assert list(a.high_bands()) == [4]
    with pytest.raises(ValueError):
        a.band_errors("relu", on="test")
