"""A small denoising autoencoder on the digits, for Rahaman et al.'s Exp8.

:func:`train_dae` trains it on noisy copies of the images; its reconstructions,
:func:`dae_manifold_points`, lie on the curved data manifold that the decoder spans.
"""

from __future__ import annotations

import numpy as np
import torch

from spectral_lib import networks, seeding, validation

from .engine import train_full_batch


def train_dae(images, *, latent_dim: int, hidden: int, steps: int, lr: float, noise: float,
              n_copies: int, seed: int, device=None) -> torch.nn.Sequential:
    """Train a denoising autoencoder ``d → hidden → latent_dim → hidden → d`` (ReLU) on images.

    The training set holds ``n_copies`` noisy versions ``x + noise·ε`` (``ε ~ N(0, 1)``,
    seeded) of every image, each with the clean image as its target; training is full
    batch through :func:`spectral_lib.training.train_full_batch` (MSE, Adam).  The decoder
    (the layers after the latent ReLU) maps the ``latent_dim``-dimensional code space onto
    a curved, piecewise-linear manifold of dimension at most ``latent_dim`` in ``R^d``.

    Parameters
    ----------
    images : array_like, shape (N, d)
        Clean inputs.
    latent_dim, hidden : int
        Code and hidden widths.
    steps : int
        Training steps.
    lr : float
        Adam learning rate.
    noise : float
        Standard deviation of the corruption (``>= 0``).
    n_copies : int
        Noisy copies per image.
    seed : int
        Seeds the corruption and the initialisation.
    device : str or torch.device, optional
        Training device.

    Returns
    -------
    torch.nn.Sequential
        The trained autoencoder (``Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear``).

    Raises
    ------
    ValueError
        If ``images`` is not a finite ``(N, d)`` array with ``N >= 2``, a width, ``n_copies``
        or ``seed`` is invalid, ``noise`` is negative, or training rejects ``steps``/``lr``.

    Examples
    --------
    >>> from spectral_lib import datasets
    >>> imgs = datasets.load_digits_unit()[:50]
    >>> dae = train_dae(imgs, latent_dim=4, hidden=16, steps=2, lr=1e-3, noise=0.2, n_copies=1, seed=0)
    >>> len(dae)
    7
    """
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or not np.all(np.isfinite(x)):
        raise ValueError("images must be a finite (N, d) array with N >= 2")
    latent_dim = validation.check_positive_int("latent_dim", latent_dim)
    hidden = validation.check_positive_int("hidden", hidden)
    n_copies = validation.check_positive_int("n_copies", n_copies)
    seed = validation.check_seed(seed)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be finite and >= 0, got {noise!r}")
    rng = seeding.rng(seed)
    clean = np.tile(x, (n_copies, 1))
    noisy = clean + noise * rng.standard_normal(clean.shape)
    net = networks.relu_mlp(x.shape[1], [hidden, latent_dim, hidden], x.shape[1], seed=seed)
    hist = train_full_batch(
        [net], torch.tensor(noisy, dtype=torch.float32), torch.tensor(clean, dtype=torch.float32),
        steps=steps, lr=lr, loss="mse", record_every=max(1, steps), progress=False, device=device,
    )
    return hist.models[0]


def dae_manifold_points(dae: torch.nn.Sequential, images) -> np.ndarray:
    """Reconstructions ``decoder(encoder(x))``: points on the DAE's manifold.

    Parameters
    ----------
    dae : torch.nn.Sequential
        As returned by :func:`train_dae`.
    images : array_like, shape (N, d)
        Inputs.

    Returns
    -------
    numpy.ndarray, shape (N, d)
        float64.

    Raises
    ------
    ValueError
        If the output is not finite.

    Examples
    --------
    >>> from spectral_lib import datasets
    >>> imgs = datasets.load_digits_unit()[:20]
    >>> dae = train_dae(imgs, latent_dim=4, hidden=16, steps=1, lr=1e-3, noise=0.2, n_copies=1, seed=0)
    >>> dae_manifold_points(dae, imgs).shape
    (20, 64)
    """
    x = np.asarray(images, dtype=np.float64)
    param = next(dae.parameters())
    with torch.no_grad():
        out = dae(torch.tensor(x, dtype=param.dtype, device=param.device)).double().cpu().numpy()
    if not np.all(np.isfinite(out)):
        raise ValueError("the autoencoder produced non-finite outputs")
    return out
