"""The options of a training run, checked: loss, optimiser, and per-model weight clipping.

``LOSSES`` and ``OPTIMIZERS`` name the accepted losses and optimisers, which
:func:`check_loss_and_optimizer` checks; :func:`check_clip` checks a clipping bound (one
for all models, or one per model) and :func:`make_optimizer` builds a fresh optimiser.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import validation

LOSSES = ("mse", "bce")


OPTIMIZERS = ("adam", "sgd")


def check_loss_and_optimizer(loss: str, optimizer: str) -> None:
    """Check that ``loss`` is one of ``LOSSES`` and ``optimizer`` one of ``OPTIMIZERS``.

    Parameters
    ----------
    loss : {"mse", "bce"}
        The training loss.
    optimizer : {"adam", "sgd"}
        The optimiser.

    Returns
    -------
    None
        When both names are accepted.

    Raises
    ------
    ValueError
        If either name is not accepted (the loss is checked first).

    Examples
    --------
    >>> check_loss_and_optimizer("mse", "adam")
    >>> check_loss_and_optimizer("mse", "rmsprop")
    Traceback (most recent call last):
        ...
    ValueError: optimizer must be one of ('adam', 'sgd'), got 'rmsprop'
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")


def check_clip(clip, K: int) -> float | list[float] | None:
    """Check a weight-clipping option: ``None``, one bound for all models, or one per model.

    Parameters
    ----------
    clip : None, float, or sequence of float (list, tuple, 1-D array or tensor)
        ``None`` (no clipping), one positive bound ``c`` shared by every model (weights are
        clipped to ``[-c, c]`` after each step), or ``K`` positive bounds, one per model.
        A 0-d array or tensor counts as one number.
    K : int
        Number of models trained together.

    Returns
    -------
    None, float or list of float
        ``None``, the bound as a ``float``, or a list of ``K`` floats.

    Raises
    ------
    TypeError
        If ``clip`` is a string or bytes, or a bound is not a real number.
    ValueError
        If a sequence is not 1-D or does not hold exactly ``K`` bounds, or a bound is not
        positive and finite.

    Examples
    --------
    >>> check_clip(None, 3) is None
    True
    >>> check_clip(0.5, 3)
    0.5
    >>> check_clip([1, 2], 2)
    [1.0, 2.0]
    """
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


def make_optimizer(name: str, params: list[torch.Tensor], lr: float, *, fused: bool = False):
    """A fresh ``torch.optim`` optimiser over ``params``: Adam for ``"adam"``, else plain SGD.

    Parameters
    ----------
    name : {"adam", "sgd"}
        The optimiser (one of ``OPTIMIZERS``). It is not checked here: the training
        functions validate it first, and any name other than ``"adam"`` gives SGD.
    params : list of torch.Tensor
        The tensors to optimise (leaf tensors with ``requires_grad=True``).
    lr : float
        Learning rate; no momentum, weight decay or schedule.
    fused : bool, default False
        Adam only: PyTorch's fused implementation (``torch.optim.Adam(..., fused=True)``),
        one kernel per parameter instead of a dozen element-wise passes.  It computes the
        same update element by element, rounding differently at the last bit; the engine
        uses it on its stacked tensors, the plain reference loop keeps the default.

    Returns
    -------
    torch.optim.Adam or torch.optim.SGD
        With PyTorch's defaults for every other setting.

    Raises
    ------
    ValueError
        From ``torch.optim`` if ``lr`` is negative or ``params`` is empty.

    Examples
    --------
    >>> w = torch.zeros(3, requires_grad=True)
    >>> type(make_optimizer("adam", [w], 1e-3)).__name__
    'Adam'
    >>> type(make_optimizer("sgd", [w], 0.1)).__name__
    'SGD'
    """
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, fused=True) if fused else torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)
