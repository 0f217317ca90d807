"""Activations beyond ReLU: the hat function, and MLPs built with any of the book's activations.

Spectral bias is not a property of ReLU alone. :func:`activation_mlp` builds the network of
:func:`spectral_lib.networks.relu_mlp` (the same layers and the same PyTorch-default
initialisation, from the same seed) with its ReLUs replaced by another element-wise
activation, named in ``ACTIVATIONS``:

* ``"relu"``, ``"tanh"``, ``"gelu"`` -- PyTorch's modules;
* ``"sine"`` -- :class:`spectral_lib.networks.Sine` with ``ω₀ = 1``, i.e. plain ``sin``;
* ``"hat"`` -- :class:`Hat`, the piecewise linear B-spline of Hong, Siegel, Tan & Xu (2022),

.. math::

    \\operatorname{hat}(x) = \\begin{cases} x, & 0 \\le x \\le 1,\\\\ 2 - x, & 1 \\le x \\le 2,\\\\
    0 & \\text{otherwise,}\\end{cases}
    \\qquad = \\operatorname{relu}(x) - 2\\operatorname{relu}(x - 1) + \\operatorname{relu}(x - 2),

computed by :func:`hat`. ``first_scale`` multiplies the first layer's weights and bias (for a
sine network, ``first_scale = 30`` is SIREN's ``ω₀`` in the first layer only).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import validation

from .mlp import relu_mlp
from .siren import Sine


def hat(x: torch.Tensor) -> torch.Tensor:
    """The hat function (linear B-spline on ``[0, 2]``), element-wise.

    Parameters
    ----------
    x : torch.Tensor
        Any shape, floating point.

    Returns
    -------
    torch.Tensor
        ``relu(x) - 2 relu(x - 1) + relu(x - 2)``: ``x`` on ``[0, 1]``, ``2 - x`` on
        ``[1, 2]``, ``0`` elsewhere.

    Raises
    ------
    TypeError
        If ``x`` is not a floating-point tensor.

    Examples
    --------
    >>> hat(torch.tensor([-1.0, 0.5, 1.0, 1.5, 2.0, 3.0]))
    tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000, 0.0000])
    """
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"x must be a floating-point torch.Tensor, got {type(x).__name__}")
    return torch.relu(x) - 2 * torch.relu(x - 1) + torch.relu(x - 2)


class Hat(nn.Module):
    """Element-wise :func:`hat`, a parameter-free module.

    Examples
    --------
    >>> Hat()(torch.tensor([0.25, 1.75]))
    tensor([0.2500, 0.2500])
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return hat(x)


#: Activation names and the modules :func:`activation_mlp` puts between its linear layers.
ACTIVATIONS: dict[str, type] = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "sine": Sine, "hat": Hat}


def make_activation(name: str) -> nn.Module:
    """A new activation module by name (see ``ACTIVATIONS``).

    Parameters
    ----------
    name : str
        One of ``ACTIVATIONS``; ``"sine"`` is ``Sine(1.0)``, plain ``sin``.

    Returns
    -------
    torch.nn.Module

    Raises
    ------
    ValueError
        If the name is unknown.

    Examples
    --------
    >>> make_activation("sine")
    Sine(omega0=1.0)
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return Sine(1.0) if name == "sine" else ACTIVATIONS[name]()


def activation_mlp(
    in_dim: int,
    hidden: Sequence[int],
    out_dim: int = 1,
    *,
    activation: str = "relu",
    seed: int | None = None,
    first_scale: float = 1.0,
    dtype: torch.dtype = torch.float32,
) -> nn.Sequential:
    """:func:`~spectral_lib.networks.relu_mlp` with another activation between the linear layers.

    The linear layers are those of ``relu_mlp(in_dim, hidden, out_dim, seed=seed)`` (so
    networks of different activations from one seed share their initial weights); the
    first layer's weights and bias are then multiplied by ``first_scale``.

    Parameters
    ----------
    in_dim : int
        Input dimension.
    hidden : sequence of int
        Hidden widths (at least one layer).
    out_dim : int, default 1
        Output dimension.
    activation : str, default "relu"
        One of ``ACTIVATIONS``.
    seed : int, optional
        Seed of the initialisation (see :func:`~spectral_lib.networks.relu_mlp`).
    first_scale : float, default 1.0
        Positive factor on the first layer's weights and bias.
    dtype : torch.dtype, default torch.float32

    Returns
    -------
    torch.nn.Sequential
        ``Linear, act, ..., Linear``.

    Raises
    ------
    ValueError
        If the activation is unknown, ``hidden`` is empty, ``first_scale`` is not positive
        and finite, or as :func:`~spectral_lib.networks.relu_mlp`.
    TypeError
        If ``hidden`` is an int.

    Examples
    --------
    >>> net = activation_mlp(1, [8, 8], activation="hat", seed=0)
    >>> [type(m).__name__ for m in net]
    ['Linear', 'Hat', 'Linear', 'Hat', 'Linear']
    >>> net(torch.zeros(3, 1)).shape
    torch.Size([3, 1])
    """
    make_activation(activation)  # validates the name
    scale = validation.check_positive_float("first_scale", first_scale)
    if isinstance(hidden, (int, np.integer)):
        raise TypeError("hidden must be a sequence of widths, e.g. [64, 64], not an int")
    if len(hidden) == 0:
        raise ValueError("activation_mlp needs at least one hidden layer")
    base = relu_mlp(in_dim, hidden, out_dim, seed=seed, dtype=dtype)
    layers = [make_activation(activation) if isinstance(m, nn.ReLU) else m for m in base]
    if scale != 1.0:
        with torch.no_grad():
            layers[0].weight.mul_(scale)
            layers[0].bias.mul_(scale)
    return nn.Sequential(*layers)


def stack_mlps(models: Sequence[nn.Sequential]) -> list[torch.Tensor]:
    """Stack the linear layers of ``K`` MLPs of one shape along a leading model axis.

    Parameters
    ----------
    models : sequence of torch.nn.Sequential
        MLPs (e.g. from :func:`activation_mlp`) with the same linear-layer shapes.

    Returns
    -------
    list of torch.Tensor
        ``[W_1 (K, out, in), b_1 (K, out), W_2, b_2, ...]``, detached copies that require
        gradients (for :func:`stacked_mlp_forward` and one optimiser).

    Raises
    ------
    ValueError
        If ``models`` is empty, has no linear layer, or the shapes differ.

    Examples
    --------
    >>> [tuple(p.shape) for p in stack_mlps([activation_mlp(1, [8], seed=s) for s in range(3)])]
    [(3, 8, 1), (3, 8), (3, 1, 8), (3, 1)]
    """
    lins = [[m for m in net if isinstance(m, nn.Linear)] for net in models]
    if not lins or not lins[0]:
        raise ValueError("models must be a non-empty sequence of MLPs with linear layers")
    shapes = [[tuple(m.weight.shape) for m in ls] for ls in lins]
    if any(s != shapes[0] for s in shapes):
        raise ValueError("all models must have the same linear-layer shapes")
    out = []
    for i in range(len(lins[0])):
        out.append(torch.stack([ls[i].weight.detach().clone() for ls in lins]).requires_grad_(True))
        out.append(torch.stack([ls[i].bias.detach().clone() for ls in lins]).requires_grad_(True))
    return out


def stacked_mlp_forward(params: Sequence[torch.Tensor], x: torch.Tensor, acts: Sequence[nn.Module],
                        group: int) -> torch.Tensor:
    """Outputs of ``K`` stacked MLPs (:func:`stack_mlps`) on shared inputs, an activation per group.

    Models ``g·group .. (g+1)·group − 1`` use ``acts[g]`` between their linear layers.

    Parameters
    ----------
    params : sequence of torch.Tensor
        As returned by :func:`stack_mlps`.
    x : torch.Tensor, shape (n, d)
    acts : sequence of torch.nn.Module
        ``K / group`` activations.
    group : int
        Models per activation.

    Returns
    -------
    torch.Tensor, shape (K, n, out)
        Row ``m``: model ``m``'s outputs, through activation ``acts[m // group]``.

    Raises
    ------
    ValueError
        If ``len(acts) · group`` is not the number of models.

    Examples
    --------
    >>> nets = [activation_mlp(1, [8], activation=a, seed=0) for a in ("relu", "tanh")]
    >>> x = torch.rand(5, 1)
    >>> out = stacked_mlp_forward(stack_mlps(nets), x, [nn.ReLU(), nn.Tanh()], 1)
    >>> bool(torch.allclose(out[1], nets[1](x)))
    True
    """
    K = params[0].shape[0]
    if len(acts) * group != K:
        raise ValueError(f"{len(acts)} activations x {group} models per group != {K} models")
    h = x.expand(K, *x.shape)
    n_lin = len(params) // 2
    for i in range(n_lin):
        W, b = params[2 * i], params[2 * i + 1]
        h = torch.baddbmm(b[:, None, :], h, W.transpose(1, 2))
        if i < n_lin - 1:
            h = torch.cat([a(h[g * group:(g + 1) * group]) for g, a in enumerate(acts)])
    return h
