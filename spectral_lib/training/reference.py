"""The plain alternative to the batched engine: one model, one ``torch.optim`` optimiser, one loop.

:func:`train_separately` trains each model on its own exactly as a reader's loop would;
the tests and the performance chapter compare :func:`spectral_lib.training.train_full_batch`
with it (:func:`max_relative_difference`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from spectral_lib import validation

from .batching import (
    as_tensor,
    check_models,
    prepare_x,
    prepare_y,
)
from .options import check_clip, check_loss_and_optimizer, make_optimizer


def train_separately(
    models,
    x,
    y,
    *,
    steps: int,
    lr: float,
    loss: str = "mse",
    clip: float | Sequence[float] | None = None,
    optimizer: str = "adam",
    dtype: torch.dtype | None = None,
) -> tuple[list[nn.Module], np.ndarray]:
    """The reference :func:`train_full_batch` must match: one model after the other.

    Each model gets its own ``torch.optim.Adam(lr)`` (or SGD) and is trained on its mean
    full-batch loss (``nn.MSELoss`` or ``nn.BCEWithLogitsLoss``) ``steps`` times, exactly
    as the official notebooks train one network, with the optional clamp after each step.
    Plain and slow; for checks and benchmarks.

    Parameters
    ----------
    models, x, y, steps, lr, loss, clip, optimizer, dtype
        As in :func:`train_full_batch` (the models are not modified).

    Returns
    -------
    models : list of torch.nn.Module
        Trained copies, on the CPU.
    loss : numpy.ndarray, shape (steps + 1, K)
        Each model's loss before every step, and after the last one.

    Raises
    ------
    TypeError, ValueError
        As :func:`train_full_batch`.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> x = torch.linspace(0, 1, 8)[:, None]
    >>> trained, loss = train_separately([networks.relu_mlp(1, [4], seed=0)], x, x, steps=3, lr=1e-2)
    >>> loss.shape
    (4, 1)
    """
    models = check_models(models)
    K = len(models)
    steps = validation.check_nonnegative_int("steps", steps)
    lr = validation.check_positive_float("lr", lr)
    check_loss_and_optimizer(loss, optimizer)
    clip = check_clip(clip, K)
    clips = clip if isinstance(clip, list) else [clip] * K
    dtype = next(models[0].parameters()).dtype if dtype is None else dtype
    cpu = torch.device("cpu")
    xt = prepare_x(as_tensor("x", x, dtype, cpu), K)
    with torch.no_grad():
        out_dim = copy.deepcopy(models[0]).to(dtype)(xt[..., :1, :] if xt.dim() == 2 else xt[0, :1]).shape[-1]
    yt = prepare_y(as_tensor("y", y, dtype, cpu), K, xt.shape[-2], out_dim)
    criterion = nn.MSELoss() if loss == "mse" else nn.BCEWithLogitsLoss()
    trained, losses = [], np.zeros((steps + 1, K))
    for k, model in enumerate(models):
        m = copy.deepcopy(model).to(device=cpu, dtype=dtype)
        opt = make_optimizer(optimizer, list(m.parameters()), lr)
        xk = xt if xt.dim() == 2 else xt[k]
        yk = yt if yt.dim() == 2 else yt[k]
        for t in range(steps):
            opt.zero_grad()
            value = criterion(m(xk), yk)
            losses[t, k] = value.item()
            value.backward()
            opt.step()
            if clips[k] is not None:
                with torch.no_grad():
                    for p in m.parameters():
                        p.clamp_(-clips[k], clips[k])
        with torch.no_grad():
            losses[steps, k] = criterion(m(xk), yk).item()
        trained.append(m)
    if not np.all(np.isfinite(losses)):
        raise ValueError("training diverged: non-finite loss (try a smaller lr)")
    return trained, losses


def max_relative_difference(models_a, models_b) -> float:
    """Largest relative difference ``||p_a - p_b|| / ||p_b||`` over matching parameter tensors.

    Parameters
    ----------
    models_a, models_b : sequence of torch.nn.Module
        Two lists of models, pairwise of one architecture (e.g. ``hist.models`` and the
        models of :func:`train_separately`); devices and dtypes may differ (compared in
        float64 on the CPU).

    Returns
    -------
    float
        The maximum over models and parameter tensors (Euclidean norms; the absolute
        difference for an all-zero reference tensor); ``0.0`` when identical.

    Raises
    ------
    ValueError
        If the lists differ in length or the models in parameter names/shapes.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> max_relative_difference([networks.relu_mlp(1, [4], seed=0)], [networks.relu_mlp(1, [4], seed=0)])
    0.0
    """
    models_a, models_b = list(models_a), list(models_b)
    if len(models_a) != len(models_b) or not models_a:
        raise ValueError(f"need two non-empty lists of equal length, got {len(models_a)} and {len(models_b)}")
    worst = 0.0
    for k, (a, b) in enumerate(zip(models_a, models_b, strict=True)):
        pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
        if list(pa) != list(pb) or any(pa[n].shape != pb[n].shape for n in pa):
            raise ValueError(f"models {k} differ in parameter names or shapes")
        for n in pa:
            ta = pa[n].detach().to("cpu", torch.float64)
            tb = pb[n].detach().to("cpu", torch.float64)
            ref = torch.linalg.vector_norm(tb).item()
            diff = torch.linalg.vector_norm(ta - tb).item()
            worst = max(worst, diff / ref if ref > 0 else diff)
    return worst
