"""Predictions of a trained network at randomly perturbed parameters ``θ* + δ u``.

:func:`perturbed_predictions` draws random unit directions ``u`` over all parameters and
evaluates the perturbed networks in batches and chunks, instead of one deep copy per sample
(Rahaman et al.'s robustness experiment).
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from spectral_lib import devices, seeding, validation

from .batching import Batched, as_tensor, backend_for, check_models


def perturbed_predictions(
    model: nn.Module,
    x,
    deltas,
    n_samples: int,
    seed: int,
    *,
    common_directions: bool = False,
    max_bytes: int = 64 * 2**20,
    device=None,
) -> np.ndarray:
    """Predictions of ``theta* + delta * u`` for random unit directions ``u`` over all parameters.

    ``u`` is an isotropic Gaussian vector over **all** parameters (weights and biases)
    normalised to global Euclidean norm 1, i.e. uniform on the unit sphere (Rahaman et
    al.'s robustness experiment).  The perturbed networks are evaluated in batches (stacked
    parameters, one batched forward per chunk) instead of one ``deepcopy`` per sample;
    chunks are sized so stacked parameters and activations stay under ``max_bytes``.  The
    result does not depend on the chunking: direction ``j`` is always the ``j``-th draw
    (``torch.randn(P)`` in the model's precision, float32 or float64, normalised in
    float64) of one CPU generator seeded with ``seed``.

    Parameters
    ----------
    model : torch.nn.Module
        The trained model ``theta*`` (not modified).
    x : array_like or torch.Tensor
        Evaluation inputs ``(N, d)`` (or ``(N,)`` for 1-D input).
    deltas : array_like of float, shape (n_deltas,)
        Perturbation sizes ``delta >= 0`` (global L2 norm of the perturbation).
    n_samples : int
        Directions per ``delta``.
    seed : int
        Seed of the directions.
    common_directions : bool, default False
        ``False`` draws fresh directions for every ``delta`` (as the official code does);
        ``True`` reuses the same ``n_samples`` directions for all ``delta`` (smoother
        curves in ``delta``, fewer random numbers).
    max_bytes : int, default 64 MiB
        Memory bound of one chunk (stacked parameters plus activations).
    device : str or torch.device, optional
        Default: CUDA when available, else CPU.

    Returns
    -------
    numpy.ndarray
        ``(n_deltas, n_samples, N)`` for one output, ``(n_deltas, n_samples, N, out)``
        otherwise, float64.

    Raises
    ------
    TypeError
        If ``model`` is not a module.
    ValueError
        If ``deltas`` is empty, negative or non-finite, ``n_samples``/``seed``/``max_bytes``
        is invalid, or ``x`` has the wrong shape.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> net = networks.relu_mlp(1, [16, 16], seed=0)
    >>> p = perturbed_predictions(net, np.arange(8) / 8, [0.0, 0.5], n_samples=3, seed=0)
    >>> p.shape
    (2, 3, 8)
    >>> bool(np.allclose(p[0], net(torch.arange(8.0)[:, None] / 8).detach().numpy()[:, 0], atol=1e-6))
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    (model,) = check_models([model])
    n_samples = validation.check_positive_int("n_samples", n_samples)
    seed = validation.check_nonnegative_int("seed", seed)
    max_bytes = validation.check_positive_int("max_bytes", max_bytes)
    d = np.asarray(deltas, dtype=np.float64)
    if d.ndim != 1 or d.size == 0:
        raise ValueError("deltas must be a non-empty 1-D sequence")
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("deltas must be finite and non-negative")
    dev = devices.default_device(device)
    dtype = next(model.parameters()).dtype
    xt = as_tensor("x", x, dtype, dev)
    if xt.dim() == 1:
        xt = xt[:, None]
    if xt.dim() != 2 or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (N, d) or (N,), got {tuple(xt.shape)}")
    n_d, n = len(d), xt.shape[0]

    backend = backend_for([model])
    names = [name for name, _ in model.named_parameters()]
    theta = torch.cat([p.detach().to(device=dev, dtype=dtype).reshape(-1) for p in model.parameters()])
    shapes = [tuple(p.shape) for p in model.parameters()]
    sizes = [int(np.prod(s)) for s in shapes]
    P = theta.numel()
    gen = seeding.torch_generator(seed)
    # Directions are drawn on the CPU in the model's precision (float64 draws cost ~5x more).
    draw_dtype = torch.float64 if dtype == torch.float64 else torch.float32

    # Jobs in generation order: (delta index, sample index, direction id).
    if common_directions:
        jobs = [(i, s, s) for s in range(n_samples) for i in range(n_d)]
    else:
        jobs = [(i, s, i * n_samples + s) for i in range(n_d) for s in range(n_samples)]
    directions: dict[int, torch.Tensor] = {}
    next_id = 0

    def direction(j: int) -> torch.Tensor:
        nonlocal next_id
        while next_id <= j:
            u = torch.randn(P, generator=gen, dtype=draw_dtype)
            norm = torch.linalg.vector_norm(u.to(torch.float64))
            directions[next_id] = (u.to(torch.float64) / norm).to(device=dev, dtype=dtype)
            next_id += 1
        return directions[j]

    with torch.no_grad():
        if backend == "loop":
            engine, base = None, copy.deepcopy(model).to(device=dev)
            probe = base(xt[:1])
        else:
            engine, base = Batched([model], backend, dev, dtype), None
            probe = engine.forward(xt[:1])
        out_dim = probe.shape[-1]
        widths = sum(m.out_features for m in model.modules() if isinstance(m, nn.Linear)) or 1
        per_job = (2 * P + 2 * n * widths) * theta.element_size()
        chunk = max(1, min(len(jobs), max_bytes // per_job))
        result = torch.empty(n_d, n_samples, n, out_dim, dtype=torch.float64)
        delta_t = torch.as_tensor(d, dtype=dtype, device=dev)
        for start in range(0, len(jobs), chunk):
            part = jobs[start : start + chunk]
            U = torch.stack([direction(j) for _, _, j in part])
            stacked = theta.unsqueeze(0) + delta_t[[i for i, _, _ in part]].unsqueeze(1) * U
            if engine is not None:
                cols = torch.split(stacked, sizes, dim=1)
                params = {
                    nm: c.reshape(len(part), *sh) for nm, c, sh in zip(names, cols, shapes, strict=True)
                }
                out = engine.forward(xt, params=params)
            else:
                out = torch.stack([_loop_eval(base, names, row, sizes, shapes, xt) for row in stacked])
            for (i, s, _), o in zip(part, out, strict=True):
                result[i, s] = o.to(torch.float64).cpu()
            # Jobs are ordered by direction id: ids below the next job's are not needed again.
            keep_from = jobs[start + chunk][2] if start + chunk < len(jobs) else next_id
            for j in [j for j in directions if j < keep_from]:
                del directions[j]
    arr = result.numpy()
    if not np.all(np.isfinite(arr)):
        raise ValueError("perturbed predictions are not finite (delta too large?)")
    return arr[..., 0] if out_dim == 1 else arr


def _loop_eval(model: nn.Module, names, flat: torch.Tensor, sizes, shapes, x: torch.Tensor) -> torch.Tensor:
    """Evaluate ``model`` at the flat parameter vector ``flat`` without a deepcopy."""
    from torch.func import functional_call

    cols = torch.split(flat, sizes)
    params = {nm: c.reshape(sh) for nm, c, sh in zip(names, cols, shapes, strict=True)}
    return functional_call(model, params, (x,))
