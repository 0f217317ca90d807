"""A synthetic audio clip: a chord, a logarithmic chirp and a transient, sampled at an audio rate.

:func:`audio_clip` returns the times ``t_n = n / rate`` (``n = 0..N-1``, ``N = rate ·
duration``) and the clip

.. math::

    s(t) = \\sum_i a\\,\\sin(2\\pi f_i t + \\varphi_i)
         + c\\,\\sin\\Big(2\\pi f_0 \\tfrac{T}{\\ln(f_1/f_0)}\\big((f_1/f_0)^{t/T} - 1\\big)\\Big)
         + b\\,e^{-(t - t_0)^2 / (2 w^2)} \\sin\\big(2\\pi f_b (t - t_0) + \\psi\\big),

a chord of tones ``f_i`` with seeded phases ``φ_i ~ U(0, 2π)``, a logarithmic chirp whose
instantaneous frequency ``f_0 (f_1/f_0)^{t/T}`` sweeps from ``f_0`` to ``f_1`` over the clip's
duration ``T`` (as :func:`scipy.signal.chirp` with ``method="logarithmic"``), and a
transient: a Gaussian-windowed burst (a Gabor atom) of carrier ``f_b`` and width ``w`` at
``t_0``, of seeded phase ``ψ``. Every component is a known function of time, so its
spectrum is known: the chord's lines, the chirp's band ``[f_0, f_1]``, and the burst's
Gaussian bump of standard deviation ``1/(2π w)`` around ``f_b``.

:func:`to_wav_bytes` writes a clip as a 16-bit PCM WAV file in memory (peak-normalised),
the form in which a page can embed it.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence

import numpy as np

from spectral_lib import seeding, validation


def _check_frequency(name: str, f: float, rate: float) -> float:
    f = validation.check_positive_float(name, f)
    if f >= rate / 2:
        raise ValueError(f"{name} = {f:g} Hz is not below the Nyquist frequency {rate / 2:g} Hz")
    return f


def audio_clip(
    rate: int = 8000,
    duration: float = 0.25,
    *,
    chord: Sequence[float] = (220.0, 277.18, 329.63),
    chord_amplitude: float = 0.25,
    chirp: tuple[float, float] = (60.0, 1800.0),
    chirp_amplitude: float = 0.3,
    burst_frequency: float = 1400.0,
    burst_time: float = 0.6,
    burst_width: float = 0.002,
    burst_amplitude: float = 0.8,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample the clip ``s(t)`` of the module docstring at ``rate`` for ``duration`` seconds.

    Parameters
    ----------
    rate : int, default 8000
        Sampling rate in Hz.
    duration : float, default 0.25
        Length in seconds; ``N = round(rate · duration)`` samples, at least 16.
    chord : sequence of float, default A major (220, 277.18, 329.63 Hz)
        The chord's tones in Hz, each below the Nyquist frequency ``rate / 2``.
    chord_amplitude : float, default 0.25
        Amplitude ``a`` of every tone.
    chirp : (float, float), default (60, 1800)
        Start and end frequencies ``f_0 < f_1`` of the logarithmic sweep, in Hz.
    chirp_amplitude : float, default 0.3
        Amplitude ``c`` of the chirp.
    burst_frequency : float, default 1400
        Carrier ``f_b`` of the transient, in Hz.
    burst_time : float, default 0.6
        Centre ``t_0`` of the transient, as a fraction of the duration (in ``(0, 1)``).
    burst_width : float, default 0.002
        Standard deviation ``w`` of the transient's Gaussian window, in seconds.
    burst_amplitude : float, default 0.8
        Peak amplitude ``b`` of the transient.
    seed : int, default 0
        Seed of the tones' and the burst's phases (through :func:`spectral_lib.seeding.rng`,
        so the seed offset ``SPECTRAL_SEED`` reaches them).

    Returns
    -------
    t : numpy.ndarray, shape (N,)
        Times in seconds, ``n / rate``.
    s : numpy.ndarray, shape (N,)
        The clip (float64).

    Raises
    ------
    ValueError
        If a rate, duration, frequency, amplitude or width is not positive, a frequency is at or
        above the Nyquist frequency, ``f_0 >= f_1``, ``burst_time`` is outside ``(0, 1)``,
        the chord is empty, or the clip has fewer than 16 samples.

    Examples
    --------
    >>> t, s = audio_clip(8000, 0.25, seed=0)
    >>> t.shape, float(t[1])
    ((2000,), 0.000125)
    """
    rate = validation.check_positive_int("rate", rate)
    duration = validation.check_positive_float("duration", duration)
    n = int(round(rate * duration))
    if n < 16:
        raise ValueError(f"the clip needs at least 16 samples, got rate · duration = {rate * duration:g}")
    tones = np.asarray([_check_frequency("chord frequency", f, rate) for f in chord], dtype=np.float64)
    if tones.size == 0:
        raise ValueError("the chord needs at least one tone")
    if len(chirp) != 2:
        raise ValueError(f"chirp must be a pair (f0, f1), got {chirp!r}")
    f0, f1 = (_check_frequency("chirp frequency", f, rate) for f in chirp)
    if f0 >= f1:
        raise ValueError(f"the chirp must rise: f0 < f1, got {f0:g} and {f1:g}")
    fb = _check_frequency("burst_frequency", burst_frequency, rate)
    tb = validation.check_positive_float("burst_time", burst_time)
    if tb >= 1.0:
        raise ValueError(f"burst_time is a fraction of the duration in (0, 1), got {burst_time!r}")
    w = validation.check_positive_float("burst_width", burst_width)
    a = validation.check_positive_float("chord_amplitude", chord_amplitude)
    c = validation.check_positive_float("chirp_amplitude", chirp_amplitude)
    b = validation.check_positive_float("burst_amplitude", burst_amplitude)
    gen = seeding.rng(seed)
    phases = gen.uniform(0.0, 2 * np.pi, tones.size)
    psi = gen.uniform(0.0, 2 * np.pi)

    t = np.arange(n, dtype=np.float64) / rate
    T = n / rate
    s = a * np.sin(2 * np.pi * tones[:, None] * t + phases[:, None]).sum(axis=0)
    ratio = f1 / f0
    s += c * np.sin(2 * np.pi * f0 * T / np.log(ratio) * (ratio ** (t / T) - 1.0))
    dt = t - tb * T
    s += b * np.exp(-(dt**2) / (2 * w**2)) * np.sin(2 * np.pi * fb * dt + psi)
    return t, s


def to_wav_bytes(samples, rate: int) -> bytes:
    """A mono 16-bit PCM WAV file holding ``samples``, peak-normalised to 0.9 of full scale.

    Parameters
    ----------
    samples : array_like, shape (N,)
        The signal (finite, not all zero).
    rate : int
        Sampling rate in Hz.

    Returns
    -------
    bytes
        The WAV file (RIFF header and data), readable by :mod:`wave`.

    Raises
    ------
    TypeError
        If ``samples`` is not real.
    ValueError
        If ``samples`` is not a finite non-empty 1-D array, is all zero, or ``rate`` is not
        a positive integer.

    Examples
    --------
    >>> data = to_wav_bytes(np.sin(np.arange(800) / 5), 8000)
    >>> data[:4], wave.open(io.BytesIO(data)).getnframes()
    (b'RIFF', 800)
    """
    x = validation.as_finite_array("samples", samples, ndim=1)
    rate = validation.check_positive_int("rate", rate)
    if x.size == 0:
        raise ValueError("samples must not be empty")
    peak = float(np.max(np.abs(x)))
    if peak == 0.0:
        raise ValueError("samples are all zero: nothing to normalise")
    pcm = np.round(x / peak * 0.9 * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm.tobytes())
    return buf.getvalue()
