"""Paths in input space along which a classifier keeps its decision.

Rahaman et al. (2019, App. A.7) connect pairs of same-class images by paths on which a
classifier's class logit stays high, found with AutoNEB (nudged elastic bands without
springs). This module holds the pieces, for a batch of paths at once:

* :func:`string_paths` -- the string method: nodes on the straight line, moved up the
  gradient of a score with SGD and momentum, only across the path (the component along
  its tangent removed, as in a nudged elastic band), then redistributed to equal arc length
  after every step (which does the springs' work);
* :func:`polyline_length` -- the length of each path;
* :func:`class_margins` -- the margin ``logit_c - max_{j != c} logit_j`` along each path,
  on the nodes and on points between them;
* :func:`targeted_examples` -- inputs moved by gradient steps until a classifier puts them in
  a target class (the "adversarials from other classes" of the experiment).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from spectral_lib import validation


def _as_points(name: str, x) -> torch.Tensor:
    t = torch.as_tensor(np.asarray(x, dtype=np.float32) if not torch.is_tensor(x) else x)
    if t.dim() != 2 or t.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, d) with n >= 1, got {tuple(t.shape)}")
    if not torch.all(torch.isfinite(t)):
        raise ValueError(f"{name} holds NaN or inf")
    return t.float()


def _check_paths(paths) -> torch.Tensor:
    p = torch.as_tensor(paths).float()
    if p.dim() != 3 or p.shape[1] < 2:
        raise ValueError(f"paths must have shape (P, n_nodes >= 2, d), got {tuple(p.shape)}")
    if not torch.all(torch.isfinite(p)):
        raise ValueError("paths hold NaN or inf")
    return p


def polyline_length(paths) -> np.ndarray:
    """Length of each path, the sum of its segments' Euclidean lengths.

    Parameters
    ----------
    paths : array_like or torch.Tensor, shape (P, n_nodes, d)

    Returns
    -------
    numpy.ndarray, shape (P,)

    Raises
    ------
    ValueError
        If ``paths`` has the wrong shape or non-finite values.

    Examples
    --------
    >>> polyline_length(np.array([[[0.0, 0.0], [3.0, 0.0], [3.0, 4.0]]]))
    array([7.])
    """
    p = _check_paths(paths).double()
    return (p[:, 1:] - p[:, :-1]).norm(dim=-1).sum(dim=1).numpy()


def _reparametrise(p: torch.Tensor) -> torch.Tensor:
    """Nodes redistributed to equal arc length along each polyline (endpoints kept)."""
    seg = (p[:, 1:] - p[:, :-1]).norm(dim=-1)  # (P, n-1)
    cum = torch.cat([torch.zeros_like(seg[:, :1]), seg.cumsum(dim=1)], dim=1)  # (P, n)
    total = cum[:, -1:].clamp_min(1e-12)
    n = p.shape[1]
    target = total * torch.linspace(0.0, 1.0, n, dtype=p.dtype)[None, :]  # (P, n)
    idx = torch.searchsorted(cum.contiguous(), target.contiguous(), right=True).clamp(1, n - 1)
    lo = torch.gather(cum, 1, idx - 1)
    hi = torch.gather(cum, 1, idx)
    w = ((target - lo) / (hi - lo).clamp_min(1e-12)).clamp(0.0, 1.0)[..., None]
    a = torch.gather(p, 1, (idx - 1)[..., None].expand(-1, -1, p.shape[2]))
    b = torch.gather(p, 1, idx[..., None].expand(-1, -1, p.shape[2]))
    out = a + w * (b - a)
    out[:, 0], out[:, -1] = p[:, 0], p[:, -1]
    return out


def string_paths(
    score: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    starts,
    ends,
    *,
    n_nodes: int = 16,
    steps: int = 40,
    lr: float = 1e-3,
    momentum: float = 0.9,
    init=None,
) -> torch.Tensor:
    """Paths from ``starts`` to ``ends`` moved uphill in ``score`` by the string method.

    Parameters
    ----------
    score : callable
        ``score(points, path_index)`` maps ``(m, d)`` points and the index ``(m,)`` of the
        path each belongs to, to ``(m,)`` scores to increase (e.g. a class margin).
    starts, ends : array_like or torch.Tensor, shape (P, d)
        End points of the ``P`` paths (kept fixed).
    n_nodes : int, default 16
        Nodes per path, end points included (at least 3).
    steps : int, default 40
        SGD steps (the paper's AutoNEB: 4 iterations of 10).
    lr, momentum : float
        SGD step size and momentum (the paper's 0.001 and 0.9).
    init : array_like or torch.Tensor, shape (P, n_nodes, d), optional
        Paths to start from (e.g. the result of an earlier call, for another round of
        ``steps`` with fresh momentum, as AutoNEB's iterations do); default the straight lines.

    Returns
    -------
    torch.Tensor, shape (P, n_nodes, d)
        The paths, detached; with ``steps = 0`` the straight lines.

    Raises
    ------
    ValueError
        If the end points differ in shape or are not finite, ``n_nodes < 3``, ``steps`` is
        negative, ``lr`` is not positive or ``momentum`` is outside [0, 1).

    Examples
    --------
    A score that prefers points with a large second coordinate bends the path up, across it:

    >>> import torch
    >>> p = string_paths(lambda x, i: x[:, 1], [[0.0, 0.0]], [[1.0, 0.0]], n_nodes=5, steps=20, lr=0.01)
    >>> bool(p[0, 2, 1] > 0.05), p[0, 0].tolist(), p[0, -1].tolist()
    (True, [0.0, 0.0], [1.0, 0.0])
    """
    a, b = _as_points("starts", starts), _as_points("ends", ends)
    if a.shape != b.shape:
        raise ValueError(f"starts and ends differ in shape: {tuple(a.shape)} vs {tuple(b.shape)}")
    n_nodes = validation.check_positive_int("n_nodes", n_nodes)
    if n_nodes < 3:
        raise ValueError(f"n_nodes must be at least 3, got {n_nodes}")
    steps = validation.check_nonnegative_int("steps", steps)
    lr = validation.check_positive_float("lr", lr)
    momentum = validation.check_nonnegative_float("momentum", momentum)
    if momentum >= 1:
        raise ValueError(f"momentum must be below 1, got {momentum}")
    if init is None:
        s = torch.linspace(0.0, 1.0, n_nodes)[None, :, None]
        p = (1 - s) * a[:, None, :] + s * b[:, None, :]  # (P, n, d)
    else:
        p = _check_paths(init).clone()
        if p.shape != (a.shape[0], n_nodes, a.shape[1]):
            want = (a.shape[0], n_nodes, a.shape[1])
            raise ValueError(f"init must have shape {want}, got {tuple(p.shape)}")
        p[:, 0], p[:, -1] = a, b
    P, n, d = p.shape
    which = torch.arange(P).repeat_interleave(n - 2)
    velocity = torch.zeros(P, n - 2, d)
    for _ in range(steps):
        inner = p[:, 1:-1].detach().requires_grad_(True)
        g = torch.autograd.grad(score(inner.reshape(-1, d), which).sum(), inner)[0]
        tangent = p[:, 2:] - p[:, :-2]
        tangent = tangent / tangent.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        g = g - (g * tangent).sum(dim=-1, keepdim=True) * tangent  # across the path only
        velocity = momentum * velocity + g
        p = p.clone()
        p[:, 1:-1] = p[:, 1:-1] + lr * velocity
        p = _reparametrise(p)
    return p.detach()


def _margins(logits: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """``logit_c - max_{j != c} logit_j`` over the last axis; ``c`` has ``logits.shape[:-1]``."""
    own = logits.gather(-1, c[..., None])[..., 0]
    other = logits.scatter(-1, c[..., None], float("-inf")).amax(dim=-1)
    return own - other


def class_margins(model: nn.Module, paths, classes, *, refine: int = 8) -> np.ndarray:
    """Margin ``logit_c - max_{j != c} logit_j`` of a classifier along each path.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(m, d)`` inputs to ``(m, n_classes)`` logits.
    paths : array_like or torch.Tensor, shape (P, n_nodes, d)
    classes : array_like of int, shape (P,)
        The class ``c`` of each path.
    refine : int, default 8
        Points per segment (the nodes and ``refine - 1`` equally spaced points between each
        pair), so that a crossing between nodes is seen.

    Returns
    -------
    numpy.ndarray, shape (P, (n_nodes - 1) * refine + 1)
        The margins; the path keeps the decision where all are positive.

    Raises
    ------
    ValueError
        If ``paths`` is not ``(P, n_nodes, d)``, ``classes`` not ``(P,)``, a class not in
        ``[0, n_classes)`` or ``refine`` not a positive integer.

    Examples
    --------
    >>> import torch
    >>> lin = torch.nn.Linear(1, 2)
    >>> with torch.no_grad():
    ...     _ = lin.weight.copy_(torch.tensor([[1.0], [-1.0]])); _ = lin.bias.zero_()
    >>> class_margins(lin, [[[-1.0], [1.0]]], [0], refine=2).round(3)
    array([[-2.,  0.,  2.]])
    """
    p = _check_paths(paths)
    refine = validation.check_positive_int("refine", refine)
    c = torch.as_tensor(np.asarray(classes), dtype=torch.long)
    if c.shape != (p.shape[0],):
        raise ValueError(f"classes must have shape ({p.shape[0]},), got {tuple(c.shape)}")
    s = torch.arange(refine, dtype=p.dtype)[None, None, :, None] / refine
    pts = p[:, :-1, None, :] + s * (p[:, 1:, None, :] - p[:, :-1, None, :])
    pts = torch.cat([pts.reshape(p.shape[0], -1, p.shape[2]), p[:, -1:]], dim=1)  # (P, m, d)
    with torch.no_grad():
        logits = model(pts.reshape(-1, p.shape[2])).reshape(p.shape[0], pts.shape[1], -1)
    if int(c.min()) < 0 or int(c.max()) >= logits.shape[-1]:
        raise ValueError(f"classes must lie in [0, {logits.shape[-1]})")
    return _margins(logits, c[:, None].expand(-1, pts.shape[1])).numpy().astype(np.float64)


def targeted_examples(model: nn.Module, x, targets, *, step: float = 0.01, max_steps: int = 500,
                      overshoot: float = 1.0) -> tuple[torch.Tensor, np.ndarray]:
    """Inputs moved by normalised gradient steps until the classifier puts them in ``targets``.

    Each input climbs the margin of its target class with steps of Euclidean length
    ``step`` and stops once that margin exceeds ``overshoot``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(m, d)`` inputs to ``(m, n_classes)`` logits.
    x : array_like or torch.Tensor, shape (m, d)
        Starting inputs.
    targets : array_like of int, shape (m,)
        Target classes.
    step : float, default 0.01
        Length of each step.
    max_steps : int, default 500
        Steps at most.
    overshoot : float, default 1
        Margin at which an input stops.

    Returns
    -------
    (torch.Tensor, numpy.ndarray)
        The moved inputs ``(m, d)`` and whether each reached the margin ``(m,)``.

    Raises
    ------
    ValueError
        If ``x`` is not ``(m, d)``, ``targets`` not ``(m,)``, ``step`` or ``max_steps`` not
        positive, or ``overshoot`` negative.

    Examples
    --------
    Two inputs in the plane, each sent across the diagonal into the other's class:

    >>> import torch
    >>> lin = torch.nn.Linear(2, 2, bias=False)
    >>> with torch.no_grad():
    ...     _ = lin.weight.copy_(torch.eye(2))
    >>> z, ok = targeted_examples(lin, [[1.0, 0.0], [0.0, 1.0]], [1, 0], step=0.1)
    >>> ok.tolist(), (lin(z).argmax(dim=1)).tolist()
    ([True, True], [1, 0])
    """
    z = _as_points("x", x).clone()
    t = torch.as_tensor(np.asarray(targets), dtype=torch.long)
    if t.shape != (z.shape[0],):
        raise ValueError(f"targets must have shape ({z.shape[0]},), got {tuple(t.shape)}")
    step = validation.check_positive_float("step", step)
    max_steps = validation.check_positive_int("max_steps", max_steps)
    overshoot = validation.check_nonnegative_float("overshoot", overshoot)
    for _ in range(max_steps):
        z.requires_grad_(True)
        margin = _margins(model(z), t)
        active = (margin <= overshoot).detach()
        if not bool(active.any()):
            z = z.detach()
            break
        g = torch.autograd.grad(margin.sum(), z)[0]
        g = g / g.norm(dim=1, keepdim=True).clamp_min(1e-12)
        z = (z + step * g * active[:, None]).detach()
    with torch.no_grad():
        margin = _margins(model(z), t)
    return z.detach(), (margin > overshoot).numpy()
