"""The options of a training run, checked: loss, optimiser, and per-model weight clipping."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import validation

LOSSES = ("mse", "bce")


OPTIMIZERS = ("adam", "sgd")


def check_clip(clip, K: int) -> float | list[float] | None:
    """``None``, one positive bound for all models, or a list of K per-model bounds."""
    if clip is None:
        return None
    if isinstance(clip, torch.Tensor):
        clip = clip.detach().cpu().numpy()
    if isinstance(clip, np.ndarray) and clip.ndim == 0:
        clip = clip.item()
    if isinstance(clip, (str, bytes)):
        raise TypeError(f"clip must be a number or a sequence of numbers, got {type(clip).__name__}")
    if isinstance(clip, (np.ndarray, Sequence)):
        if np.ndim(clip) != 1:
            raise ValueError(f"clip must be a number or a 1-D sequence of K = {K} numbers")
        if len(clip) != K:
            raise ValueError(f"clip must hold one bound per model (K = {K}), got {len(clip)}")
        return [validation.check_positive_float(f"clip[{k}]", c) for k, c in enumerate(clip)]
    return validation.check_positive_float("clip", clip)


def make_optimizer(name: str, params: list[torch.Tensor], lr: float):
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)
