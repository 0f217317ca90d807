"""The two-layer ReLU network of the kernel analyses: ``f(x) = a·relu(Wx + b)/√m`` in NTK scaling.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from spectral_lib import seeding, validation


class TwoLayerReLU(nn.Module):
    """Basri et al.'s two-layer ReLU network with bias and a fixed read-out.

    ``f(x) = (1/√m) Σ_r s_r ReLU(w_rᵀx + b_r)`` with alternating signs
    ``s_r = +1, -1, +1, ...``. Only the hidden layer (``hidden.weight``, ``hidden.bias``) is
    a parameter, as in Basri et al. (2019), who train the first layer and keep the output
    weights fixed. The signs depend on ``m`` only, so models of one width differ only in
    their parameters and train together on :func:`spectral_lib.training.train_full_batch`'s
    batched ``"vmap"`` path. (With PyTorch's usual parametrisation a trained output layer
    of width ``m`` would add a kernel ``m`` times larger with a faster-decaying ``k^-4``
    spectrum and hide the hidden layer's ``k^-2``.)

    Parameters
    ----------
    width : int
        Number of hidden units ``m``.
    in_dim : int, default 2
        Input dimension.
    seed : int, default 0
        Seed of a private generator for ``w_r, b_r ~ N(0, 1)`` (standard normal, so the
        kernel is rotation invariant in expectation).
    dtype : torch.dtype, default torch.float32

    Raises
    ------
    ValueError
        If ``width``, ``in_dim`` or ``seed`` is invalid.

    Examples
    --------
    >>> net = TwoLayerReLU(16, seed=0)
    >>> net(torch.zeros(3, 2)).shape, [n for n, _ in net.named_parameters()]
    (torch.Size([3, 1]), ['hidden.weight', 'hidden.bias'])
    """

    def __init__(self, width: int, *, in_dim: int = 2, seed: int = 0, dtype: torch.dtype = torch.float32):
        super().__init__()
        self.width = validation.check_positive_int("width", width)
        self.in_dim = validation.check_positive_int("in_dim", in_dim)
        gen = seeding.torch_generator(seed)
        self.hidden = nn.Linear(self.in_dim, self.width, dtype=dtype)
        with torch.no_grad():
            self.hidden.weight.copy_(torch.randn(self.width, self.in_dim, generator=gen, dtype=torch.float64))
            self.hidden.bias.copy_(torch.randn(self.width, generator=gen, dtype=torch.float64))

    def readout(self, dtype: torch.dtype, device) -> torch.Tensor:
        """The fixed output weights ``s_r/√m``, shape ``(m, 1)``."""
        s = 1.0 - 2.0 * (torch.arange(self.width, device=device) % 2)
        return (s / np.sqrt(self.width)).to(dtype)[:, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.hidden(x))
        return h @ self.readout(h.dtype, h.device)

    def extra_repr(self) -> str:
        return f"width={self.width}, in_dim={self.in_dim}, readout=fixed alternating signs"
