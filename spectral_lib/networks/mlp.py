"""ReLU MLPs: construction, their affine layers, spectral norms, flattened parameters.

:func:`relu_mlp` builds a ``torch.nn.Sequential`` of ``Linear`` and ``ReLU`` layers,
``Linear(in_dim, h1), ReLU, ..., Linear(h_last, out_dim)``, with PyTorch's default
``nn.Linear`` initialisation (weights and biases U(+-1/sqrt(fan_in))), as Rahaman et al.'s
code uses; ``hidden=[256]*5`` is their "6-layer, 256-wide" network.

:func:`affine_layers` reads such a network as float64 ``(W, b)`` pairs, the input of the
exact computations of :mod:`spectral_lib.cpwl`; :func:`spectral_norms` gives every layer's
largest singular value and :func:`lipschitz_upper_bound` their product (Rahaman et al.,
Proposition 3); :func:`flat_parameters` stacks the parameters of several models, one row
per model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import seeding, validation


def relu_mlp(
    in_dim: int,
    hidden: Sequence[int],
    out_dim: int = 1,
    *,
    seed: int | None = None,
    dtype: torch.dtype = torch.float32,
) -> nn.Sequential:
    """Build a fully connected ReLU network with PyTorch's default initialisation.

    Parameters
    ----------
    in_dim : int
        Input dimension.
    hidden : sequence of int
        Hidden widths, one per hidden layer (may be empty: an affine map).
    out_dim : int, default 1
        Output dimension.
    seed : int, optional
        If given, the initial parameters are drawn from a private generator seeded with it,
        so the network is reproducible and the global torch generator is left untouched.
    dtype : torch.dtype, default torch.float32
        Parameter dtype.

    Returns
    -------
    torch.nn.Sequential
        ``Linear, ReLU, ..., Linear``.

    Raises
    ------
    ValueError
        If a dimension is not a positive integer or ``seed`` is negative.

    Examples
    --------
    >>> net = relu_mlp(1, [16, 16], seed=0)
    >>> net(torch.zeros(3, 1)).shape
    torch.Size([3, 1])
    """
    in_dim = validation.check_positive_int("in_dim", in_dim)
    out_dim = validation.check_positive_int("out_dim", out_dim)
    widths = validation.check_widths(hidden)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    dims = [in_dim, *widths, out_dim]
    layers: list[nn.Module] = []
    # With a seed, nn.Linear's own (global-generator) initialisation is overwritten below, so
    # run it inside fork_rng: the caller's global torch generator state is left as it was.
    with torch.random.fork_rng(devices=[], enabled=seed is not None):
        for i in range(len(dims) - 1):
            layers.append(nn.Linear(dims[i], dims[i + 1], dtype=dtype))
            if i < len(dims) - 2:
                layers.append(nn.ReLU())
    net = nn.Sequential(*layers)
    if seed is not None:
        gen = seeding.torch_generator(seed)
        with torch.no_grad():
            for layer in net:
                if isinstance(layer, nn.Linear):
                    bound = 1.0 / np.sqrt(layer.in_features)
                    # Same distribution as nn.Linear.reset_parameters: kaiming_uniform(a=sqrt(5))
                    # gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the weights, and the bias too.
                    layer.weight.copy_(
                        (torch.rand(layer.weight.shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound
                    )
                    layer.bias.copy_(
                        (torch.rand(layer.bias.shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound
                    )
    return net


def affine_layers(net: nn.Module) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the network's affine layers as float64 arrays.

    Parameters
    ----------
    net : torch.nn.Sequential
        ``Linear`` layers separated by ``ReLU`` (as built by :func:`relu_mlp`), starting and
        ending with ``Linear``.

    Returns
    -------
    list of (W, b)
        ``W`` of shape ``(out, in)`` and ``b`` of shape ``(out,)``, float64.

    Raises
    ------
    TypeError
        If ``net`` is not a Sequential of alternating Linear and ReLU layers.
    ValueError
        If a weight or bias is NaN or infinite.

    Examples
    --------
    >>> [W.shape for W, b in affine_layers(relu_mlp(2, [8], seed=0))]
    [(8, 2), (1, 8)]
    """
    if not isinstance(net, nn.Sequential):
        raise TypeError(f"expected a torch.nn.Sequential of Linear/ReLU layers, got {type(net).__name__}")
    mods = list(net)
    if not mods:
        raise TypeError("the network has no layers")
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for i, m in enumerate(mods):
        want_linear = i % 2 == 0
        if want_linear and not isinstance(m, nn.Linear):
            raise TypeError(f"layer {i} is {type(m).__name__}; expected Linear (Linear and ReLU alternate)")
        if not want_linear and not isinstance(m, nn.ReLU):
            raise TypeError(f"layer {i} is {type(m).__name__}; expected ReLU (Linear and ReLU alternate)")
        if want_linear:
            W = m.weight.detach().cpu().to(torch.float64).numpy().copy()
            b = (
                m.bias.detach().cpu().to(torch.float64).numpy().copy()
                if m.bias is not None
                else np.zeros(W.shape[0])
            )
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise ValueError(f"layer {i} has NaN or infinite parameters")
            out.append((W, b))
    if not isinstance(mods[-1], nn.Linear):
        raise TypeError("the network must end with a Linear layer")
    return out


def lipschitz_upper_bound(net: nn.Module) -> float:
    """Product of the layers' spectral norms (largest singular values).

    This is the middle term of Rahaman et al.'s Proposition 3,
    ``L_f <= prod_k ||W^(k)||_2``, valid for the Euclidean norm on inputs and outputs.

    Parameters
    ----------
    net : torch.nn.Sequential
        As in :func:`spectral_norms`.

    Returns
    -------
    float
        ``prod_k ||W^(k)||_2``, the product of :func:`spectral_norms`.

    Raises
    ------
    TypeError, ValueError
        As :func:`spectral_norms`.

    Examples
    --------
    >>> lipschitz_upper_bound(relu_mlp(1, [4], seed=0)) > 0
    True
    """
    return float(np.prod(spectral_norms(net)))


def spectral_norms(net: nn.Module) -> np.ndarray:
    """Spectral norm (largest singular value) of each layer's weight matrix.

    Parameters
    ----------
    net : torch.nn.Sequential
        A Linear/ReLU network.

    Returns
    -------
    numpy.ndarray
        One float per Linear layer.

    Raises
    ------
    TypeError
        If ``net`` is not a Sequential of alternating Linear and ReLU layers ending with a
        Linear layer (from :func:`affine_layers`).
    ValueError
        If a weight or bias is NaN or infinite.

    Examples
    --------
    >>> spectral_norms(relu_mlp(1, [4, 4], seed=0)).shape
    (3,)
    """
    return np.array([np.linalg.norm(W, 2) for W, _ in affine_layers(net)])


def flat_parameters(models) -> np.ndarray:
    """All parameters of each model, flattened into one float64 row per model.

    Parameters
    ----------
    models : iterable of torch.nn.Module
        Models of one architecture (the rows must have one length to stack).

    Returns
    -------
    numpy.ndarray, shape (n_models, n_parameters)
        Row ``i`` concatenates ``p.ravel()`` for every parameter ``p`` of model ``i``, in
        ``parameters()`` order.

    Raises
    ------
    ValueError
        If ``models`` is empty, a model has no parameters, or the models differ in their
        number of parameters (from ``numpy.concatenate`` / ``numpy.stack``).

    Examples
    --------
    >>> flat_parameters([relu_mlp(1, [4], seed=s) for s in range(3)]).shape
    (3, 13)
    """
    return np.stack(
        [np.concatenate([p.detach().cpu().double().numpy().ravel() for p in m.parameters()]) for m in models]
    )
