"""The torch device a computation runs on: the given one, else CUDA when available, else CPU.
"""

from __future__ import annotations

import torch


def default_device(device: str | torch.device | None = None) -> torch.device:
    """Resolve a torch device: the given one, else CUDA when available, else CPU.

    Parameters
    ----------
    device : str or torch.device or None
        An explicit device, or ``None`` to pick automatically.

    Returns
    -------
    torch.device
        The device to use.

    Raises
    ------
    TypeError
        If ``device`` is neither a string, an int, a :class:`torch.device` nor ``None``.
    RuntimeError
        If ``device`` names no torch device, or an accelerator index when none is
        available.

    Examples
    --------
    >>> default_device("cpu")
    device(type='cpu')
    """
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
