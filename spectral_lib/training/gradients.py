"""Per-sample parameter gradients and the cosine between them ("gradient confusion").

:func:`per_sample_gradients` computes the gradient of every sample's loss with
``torch.func``'s ``vmap(grad)``; :func:`gradient_cosines` reduces them to the cosine of
given index pairs, block by block in float64.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from spectral_lib import validation


def per_sample_gradients(net: nn.Module, x, y, *, blocks: bool = False):
    """Gradient of each sample's squared error w.r.t. all parameters, via ``vmap(grad)``.

    The per-sample loss is ``mean_c (f_c(x_i) - y_ic)^2`` (the official scripts' MSE on one
    sample).

    Parameters
    ----------
    net : torch.nn.Module
        Any network mapping ``(n, in_dim)`` to ``(n, out)``.
    x : array_like or torch.Tensor, shape (n, in_dim)
        Inputs.
    y : array_like or torch.Tensor, shape (n, out) or (n,)
        Targets.
    blocks : bool, default False
        Return one ``(n, size)`` tensor per parameter instead of their concatenation
        (saves the copy when only dot products are needed).

    Returns
    -------
    torch.Tensor, shape (n, n_params), or list of torch.Tensor
        One flattened gradient per sample (parameters in ``named_parameters`` order), in
        the network's dtype; with ``blocks=True`` the per-parameter pieces of it.

    Raises
    ------
    ValueError
        If shapes disagree or an input holds NaN/inf.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> g = per_sample_gradients(networks.relu_mlp(1, [4], seed=0), np.zeros((3, 1)), np.ones(3))
    >>> tuple(g.shape)
    (3, 13)
    """
    from torch.func import functional_call, grad, vmap

    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    params = {k: v.detach() for k, v in net.named_parameters()}
    if not params:
        raise ValueError("the network has no parameters")
    ref = next(iter(params.values()))
    xt = torch.as_tensor(x.detach() if hasattr(x, "detach") else np.asarray(x, dtype=np.float64))
    yt = torch.as_tensor(y.detach() if hasattr(y, "detach") else np.asarray(y, dtype=np.float64))
    xt = xt.to(dtype=ref.dtype, device=ref.device)
    yt = yt.to(dtype=ref.dtype, device=ref.device)
    if xt.dim() != 2 or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (n, in_dim), got {tuple(xt.shape)}")
    if yt.dim() == 1:
        yt = yt[:, None]
    if yt.dim() != 2 or yt.shape[0] != xt.shape[0]:
        raise ValueError(f"y must have shape (n, out) or (n,) with n = {xt.shape[0]}, got {tuple(yt.shape)}")
    if not (torch.isfinite(xt).all() and torch.isfinite(yt).all()):
        raise ValueError("x or y contains NaN or infinite values")

    def loss(p, xi, yi):
        out = functional_call(net, p, (xi[None],))[0]
        return ((out - yi) ** 2).mean()

    g = vmap(grad(loss), in_dims=(None, 0, 0))(params, xt, yt)
    if blocks:
        return [g[k].reshape(xt.shape[0], -1) for k in params]
    return torch.cat([g[k].reshape(xt.shape[0], -1) for k in params], dim=1)


def gradient_cosines(net: nn.Module, x, y, pairs, *, chunk: int = 128) -> np.ndarray:
    """Cosine similarity of the per-sample gradients of index pairs (gradient confusion).

    Values near ``-1`` mean the two samples pull the parameters in opposite directions
    (confusion, Sankararaman et al. 2020); the official scripts plot their density.

    Parameters
    ----------
    net : torch.nn.Module
        The network.
    x, y : array_like
        Inputs ``(n, in_dim)`` and targets ``(n, out)`` or ``(n,)``.
    pairs : array_like of int, shape (n_pairs, 2)
        Indices into ``x``.
    chunk : int, default 128
        Pairs per batch (memory: ``2 * chunk * n_params`` floats).

    Returns
    -------
    numpy.ndarray, shape (n_pairs,)
        Cosines in ``[-1, 1]`` (float64).

    Raises
    ------
    ValueError
        If a sample's gradient is exactly zero (its cosine is undefined), or inputs are
        invalid.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> net = networks.relu_mlp(1, [8], seed=0)
    >>> c = gradient_cosines(net, np.linspace(0, 1, 4)[:, None], np.ones(4), [[0, 0], [0, 3]])
    >>> round(float(c[0]), 6)
    1.0
    """
    xa = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float64)
    ya = np.asarray(y.detach().cpu().numpy() if hasattr(y, "detach") else y, dtype=np.float64)
    if xa.ndim != 2 or ya.shape[:1] != xa.shape[:1]:
        raise ValueError(f"x must be (n, in_dim) and y (n, ...) with the same n, got {xa.shape}, {ya.shape}")
    q = validation.check_pairs(pairs, xa.shape[0])
    chunk = validation.check_positive_int("chunk", chunk)
    out = np.empty(q.shape[0])
    for s in range(0, q.shape[0], chunk):
        blk = q[s : s + chunk]
        idx = np.concatenate([blk[:, 0], blk[:, 1]])
        m = blk.shape[0]
        # dot products block by block (no concatenated copy); accumulated in float64
        sq = torch.zeros(idx.size, dtype=torch.float64)
        dot = torch.zeros(m, dtype=torch.float64)
        for g in per_sample_gradients(net, xa[idx], ya[idx], blocks=True):
            sq += torch.einsum("ij,ij->i", g, g).to(torch.float64)
            dot += torch.einsum("ij,ij->i", g[:m], g[m:]).to(torch.float64)
        norms = torch.sqrt(sq)
        if bool((norms == 0).any()):
            bad = int(idx[int(torch.nonzero(norms == 0)[0, 0])])
            raise ValueError(f"sample {bad} has a zero gradient; its cosine is undefined")
        cos = dot / (norms[:m] * norms[m:])
        out[s : s + blk.shape[0]] = cos.clamp(-1.0, 1.0).cpu().numpy()
    return out
