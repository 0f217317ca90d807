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


def stack_pinets(nets: list[PiNet]) -> list[torch.Tensor]:
    """Stack the parameters of ``K`` Π-nets of one shape along a leading model axis.

    Parameters
    ----------
    nets : list of PiNet
        Nets of the same degree, width, input and output dimensions.

    Returns
    -------
    list of torch.Tensor
        ``[U (K, N, m, d), b (K, N, m), C.weight (K, out, m), C.bias (K, out)]``, detached
        copies that require gradients (for :func:`stacked_pinet_forward` and one optimiser).

    Raises
    ------
    ValueError
        If ``nets`` is empty or the shapes differ.

    Examples
    --------
    >>> [tuple(p.shape) for p in stack_pinets([PiNet(2, 4, 3, seed=s) for s in range(5)])]
    [(5, 3, 4, 2), (5, 3, 4), (5, 1, 4), (5, 1)]
    """
    nets = list(nets)
    if not nets or not all(isinstance(n, PiNet) for n in nets):
        raise ValueError("nets must be a non-empty list of PiNet")
    groups = [[n.U, n.b, n.C.weight, n.C.bias] for n in nets]
    if any(tuple(p.shape) != tuple(q.shape) for g in groups for p, q in zip(g, groups[0], strict=True)):
        raise ValueError("all nets must have the same shape")
    return [torch.stack([g[i].detach().clone() for g in groups]).requires_grad_(True) for i in range(4)]


def stacked_pinet_forward(params: list[torch.Tensor], z: torch.Tensor) -> torch.Tensor:
    """Outputs of ``K`` stacked Π-nets (:func:`stack_pinets`) on shared inputs.

    The recursion ``x_n = (U_n z + b_n) ∘ x_{n-1} + x_{n-1}`` is the product
    ``x_N = (U_1 z + b_1) ∘ Π_{n ≥ 2} (1 + U_n z + b_n)``, computed as one ``torch.prod``.

    Parameters
    ----------
    params : list of torch.Tensor
        As returned by :func:`stack_pinets`.
    z : torch.Tensor, shape (n, d)

    Returns
    -------
    torch.Tensor, shape (K, n, out)
        Row ``m``: Π-net ``m``'s outputs ``C x_N + β``.

    Raises
    ------
    ValueError
        If ``z`` is not ``(n, d)`` with the nets' ``d``.

    Examples
    --------
    >>> nets = [PiNet(2, 4, 3, seed=s, dtype=torch.float64) for s in range(2)]
    >>> z = torch.rand(6, 2, dtype=torch.float64)
    >>> out = stacked_pinet_forward(stack_pinets(nets), z)
    >>> bool(torch.allclose(out[1], nets[1](z)))
    True
    """
    U, b, C, c = params
    if z.dim() != 2 or z.shape[1] != U.shape[-1]:
        raise ValueError(f"z must be (n, {U.shape[-1]}), got {tuple(z.shape)}")
    f = torch.einsum("knwd,id->kniw", U, z) + b[:, :, None, :]
    h = f[:, 0] * torch.prod(1 + f[:, 1:], dim=1) if U.shape[1] > 1 else f[:, 0]
    return torch.einsum("kiw,kow->kio", h, C) + c[:, None, :]
