"""Polynomial networks: the Π-net built from Hadamard products (the CCP form of Chrysos et al., 2020).

A Π-net of degree ``N`` and width ``m`` has no element-wise activation; its non-linearity is
the Hadamard (element-wise) product ``∘`` of linear maps of the input ``z``:

.. math::

    x_1 = U_1 z + b_1, \\qquad x_n = (U_n z + b_n) \\circ x_{n-1} + x_{n-1} \\ (n = 2..N),
    \\qquad f(z) = C x_N + \\beta ,

so ``f`` is a polynomial of degree ``N`` in ``z`` (each factor ``U_n z + b_n`` is affine).
:class:`PiNet` implements it, with every affine map initialised as PyTorch's ``nn.Linear``
(uniform on ``±1/√fan_in``) from a private seeded generator. Choraria, Dadi, Chrysos, Mairal &
Cevher (2022) study the neural tangent kernel of this family and its spectral bias.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from spectral_lib import seeding, validation


class PiNet(nn.Module):
    """A degree-``N`` Π-net (CCP): ``x_n = (U_n z + b_n) ∘ x_{n-1} + x_{n-1}``, ``f = C x_N + β``.

    Parameters
    ----------
    in_dim : int
        Input dimension.
    width : int
        Width ``m`` of the hidden vectors ``x_n``.
    degree : int
        Polynomial degree ``N >= 1``.
    out_dim : int, default 1
        Output dimension.
    seed : int, default 0
        Seed of the initialisation (through :func:`spectral_lib.seeding.torch_generator`).
    dtype : torch.dtype, default torch.float32

    Attributes
    ----------
    U : torch.nn.Parameter, shape (degree, width, in_dim)
    b : torch.nn.Parameter, shape (degree, width)
    C : torch.nn.Linear
        The output layer ``(out_dim, width)``.

    Raises
    ------
    ValueError
        If ``in_dim``, ``width``, ``degree`` or ``out_dim`` is not a positive integer, or
        ``seed`` is not a valid seed (:func:`spectral_lib.seeding.resolve`).

    Examples
    --------
    >>> net = PiNet(1, 8, 3, seed=0)
    >>> net(torch.zeros(5, 1)).shape
    torch.Size([5, 1])
    """

    def __init__(self, in_dim: int, width: int, degree: int, out_dim: int = 1, *, seed: int = 0,
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        in_dim = validation.check_positive_int("in_dim", in_dim)
        width = validation.check_positive_int("width", width)
        self.degree = validation.check_positive_int("degree", degree)
        out_dim = validation.check_positive_int("out_dim", out_dim)
        gen = seeding.torch_generator(validation.check_seed(seed))

        def uniform(shape, fan_in):
            u = torch.rand(shape, generator=gen, dtype=torch.float64)
            return ((u * 2 - 1) / np.sqrt(fan_in)).to(dtype)

        self.U = nn.Parameter(uniform((self.degree, width, in_dim), in_dim))
        self.b = nn.Parameter(uniform((self.degree, width), in_dim))
        with torch.random.fork_rng(devices=[]):
            self.C = nn.Linear(width, out_dim, dtype=dtype)
        with torch.no_grad():
            self.C.weight.copy_(uniform((out_dim, width), width))
            self.C.bias.copy_(uniform((out_dim,), width))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        # factors[n] = U_n z + b_n, shape (degree, ..., width)
        factors = torch.einsum("nwd,...d->n...w", self.U, z) + self.b.reshape(
            (self.degree,) + (1,) * (z.dim() - 1) + (-1,))
        x = factors[0]
        for n in range(1, self.degree):
            x = factors[n] * x + x
        return self.C(x)

    def extra_repr(self) -> str:
        return f"degree={self.degree}, width={self.U.shape[1]}, in_dim={self.U.shape[2]}"
