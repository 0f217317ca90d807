"""SIREN: sinusoidal representation networks (Sitzmann et al., 2020).

A SIREN is an MLP whose hidden layers compute ``sin(ω₀ (W x + b))`` with ``ω₀ = 30``
(``OMEGA_0``), followed by a linear output layer. Its initialisation keeps every layer's
pre-activation ``ω₀ (W x + b)`` close to a standard normal whatever the depth:

- first layer: ``W ~ U(-1/n, 1/n)`` with ``n`` the input dimension, so that ``ω₀ W x``
  spans several periods of the sine over the input domain ``[-1, 1]^d``;
- hidden and output layers: ``W ~ U(-√(6/n)/ω₀, √(6/n)/ω₀)`` with ``n`` the fan-in;
- biases: PyTorch's default ``U(-1/√n, 1/√n)``, as the official code leaves them.

:func:`siren` builds the network, a ``torch.nn.Sequential`` of ``nn.Linear`` and
:class:`Sine` layers; :class:`Sine` is a parameter-free element-wise module, so SIREN
ensembles train with :func:`spectral_lib.training.train_full_batch` on its batched
``"vmap"`` path. :func:`layer_statistics` measures the mean and spread of every sine
layer's pre-activations and activations, to check the initialisation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import seeding, validation

OMEGA_0 = 30.0


class Sine(nn.Module):
    """Element-wise ``sin(ω₀ x)``.

    Parameters
    ----------
    omega0 : float, default 30.0
        Frequency factor; must be positive and finite.

    Raises
    ------
    ValueError
        If ``omega0`` is not positive and finite.

    Examples
    --------
    >>> Sine(2.0)(torch.tensor([np.pi / 4])).round(decimals=6)
    tensor([1.])
    """

    def __init__(self, omega0: float = OMEGA_0):
        super().__init__()
        if isinstance(omega0, bool) or not isinstance(omega0, (int, float, np.integer, np.floating)):
            raise TypeError(f"omega0 must be a real number, got {type(omega0).__name__}")
        if not np.isfinite(omega0) or omega0 <= 0:
            raise ValueError(f"omega0 must be positive and finite, got {omega0!r}")
        self.omega0 = float(omega0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.omega0 * x)

    def extra_repr(self) -> str:
        return f"omega0={self.omega0}"


def siren(
    in_dim: int,
    hidden: Sequence[int],
    out_dim: int = 1,
    *,
    omega0: float = OMEGA_0,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
) -> nn.Sequential:
    """Build a SIREN with Sitzmann et al.'s initialisation.

    Parameters
    ----------
    in_dim : int
        Input dimension (coordinates, expected in ``[-1, 1]``).
    hidden : sequence of int
        Hidden widths (at least one layer).
    out_dim : int, default 1
        Output dimension (linear output layer).
    omega0 : float, default 30.0
        The sine's frequency factor ``ω₀``.
    seed : int, default 0
        Seed of a private generator; the global torch generator is left untouched.
    dtype : torch.dtype, default torch.float32

    Returns
    -------
    torch.nn.Sequential
        ``Linear, Sine, Linear, Sine, ..., Linear``.

    Raises
    ------
    ValueError
        If a dimension is not a positive integer, ``hidden`` is empty, ``seed`` is
        negative or ``omega0`` is not positive.
    TypeError
        If ``hidden`` is an int.

    Examples
    --------
    >>> net = siren(2, [16, 16], 3, seed=0)
    >>> net(torch.zeros(5, 2)).shape
    torch.Size([5, 3])
    """
    in_dim = validation.check_positive_int("in_dim", in_dim)
    out_dim = validation.check_positive_int("out_dim", out_dim)
    widths = validation.check_widths(hidden, min_layers=1)
    seed = validation.check_seed(seed)
    act = Sine(omega0)
    dims = [in_dim, *widths, out_dim]
    gen = seeding.torch_generator(seed)
    layers: list[nn.Module] = []
    for i in range(len(dims) - 1):
        lin = nn.Linear(dims[i], dims[i + 1], dtype=dtype)
        n = dims[i]
        bound_w = 1.0 / n if i == 0 else np.sqrt(6.0 / n) / act.omega0
        bound_b = 1.0 / np.sqrt(n)
        with torch.no_grad():
            u_w = torch.rand(lin.weight.shape, generator=gen, dtype=torch.float64)
            u_b = torch.rand(lin.bias.shape, generator=gen, dtype=torch.float64)
            lin.weight.copy_((u_w * 2 - 1) * bound_w)
            lin.bias.copy_((u_b * 2 - 1) * bound_b)
        layers.append(lin)
        if i < len(dims) - 2:
            layers.append(Sine(act.omega0))
    return nn.Sequential(*layers)


def _sine_inputs(net, x) -> torch.Tensor:
    """Check that ``net`` has sine layers and ``x`` is a finite 2-D array; ``x`` in the net's dtype."""
    if not isinstance(net, nn.Sequential) or not any(isinstance(m, Sine) for m in net):
        raise TypeError("net must be a torch.nn.Sequential with Sine layers (see siren())")
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor) or x.ndim != 2 or not bool(torch.isfinite(x).all()):
        raise ValueError("x must be a finite 2-D array (n, in_dim)")
    return x.to(next(net.parameters()).dtype)


def layer_statistics(net: nn.Sequential, x) -> list[dict]:
    """Mean and standard deviation of each sine layer's pre-activation and activation.

    The pre-activation of a sine layer is ``ω₀ (W h + b)``, the argument of the sine.

    Parameters
    ----------
    net : torch.nn.Sequential
        A network from :func:`siren`.
    x : torch.Tensor or numpy.ndarray, shape (n, in_dim)
        Inputs.

    Returns
    -------
    list of dict
        One dict per sine layer with keys ``pre_mean``, ``pre_std``, ``post_mean``,
        ``post_std`` (floats) and ``pre``, ``post`` (the values as 1-D numpy arrays).

    Raises
    ------
    TypeError
        If ``net`` is not a Sequential containing :class:`Sine` layers.
    ValueError
        If ``x`` is not a finite 2-D array.

    Examples
    --------
    >>> stats = layer_statistics(siren(1, [8, 8], seed=0), torch.linspace(-1, 1, 50)[:, None])
    >>> len(stats)
    2
    """
    h = _sine_inputs(net, x)
    out = []
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, Sine):
                pre = (layer.omega0 * h).double().flatten().numpy()
                h = layer(h)
                post = h.double().flatten().numpy()
                out.append({"pre_mean": float(pre.mean()), "pre_std": float(pre.std()),
                            "post_mean": float(post.mean()), "post_std": float(post.std()),
                            "pre": pre, "post": post})
            else:
                h = layer(h)
    return out


def preactivation_parts(net: nn.Sequential, x) -> list[dict]:
    """Each sine layer's pre-activation split into its weight part ``ω₀ W h`` and its bias part ``ω₀ b``.

    Sitzmann et al.'s initialisation makes the weight part of every layer after the first
    close to a standard normal when ``h`` is arcsine distributed; PyTorch's default bias
    adds a uniform ``ω₀ b``. The activation is ``sin`` of their sum.

    Parameters
    ----------
    net, x
        As :func:`layer_statistics`.

    Returns
    -------
    list of dict
        One dict per sine layer with ``weight`` (``(n, width)`` values of ``ω₀ W h``),
        ``bias`` (``(width,)`` values of ``ω₀ b``) and ``post`` (``(n, width)``
        activations), float64 numpy arrays.

    Raises
    ------
    TypeError, ValueError
        As :func:`layer_statistics`.

    Examples
    --------
    >>> parts = preactivation_parts(siren(1, [8, 8], seed=0), torch.linspace(-1, 1, 50)[:, None])
    >>> len(parts), parts[1]["weight"].shape
    (2, (50, 8))
    """
    layers = list(net)
    h = _sine_inputs(net, x)
    h_in = h  # the input of the latest Linear layer
    out = []
    with torch.no_grad():
        for i, layer in enumerate(layers):
            if isinstance(layer, Sine):
                lin = layers[i - 1]
                w = layer.omega0 * (h_in @ lin.weight.T)
                h = layer(h)
                out.append({"weight": w.double().numpy(), "bias": (layer.omega0 * lin.bias).double().numpy(),
                            "post": h.double().numpy()})
            else:
                h_in = h
                h = layer(h)
    return out
