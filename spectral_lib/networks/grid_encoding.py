"""A multiresolution grid encoding (Müller et al. 2022) with dense grids, and the network on it.

Müller et al.'s *multiresolution hash encoding* stores trainable feature vectors on the
vertices of ``L`` grids of growing resolution and feeds their interpolated values to a
small MLP. At the sizes of this book every grid fits in memory, so no hashing is needed:
:class:`MultiresolutionGrid` keeps one dense table per level (the paper's encoding in its
collision-free regime, for levels with at most ``T`` vertices).

* Level ``l = 0 .. L-1`` has resolution ``N_l = floor(N_min b^l)`` with the growth factor
  ``b = exp((ln N_max - ln N_min) / (L - 1))`` (:func:`level_resolutions`, the paper's
  Eq. 2-3): its vertices are the points ``k / N_l``, ``k = 0 .. N_l``, on each axis of
  ``[0, 1]^d``, i.e. ``(N_l + 1)^d`` vertices, each with ``F`` features.
* A point ``x`` lies in the cell with lower corner ``i = floor(x N_l)`` (clipped to
  ``N_l - 1``, so that ``x = 1`` belongs to the last cell) at the local coordinate
  ``t = x N_l - i`` in ``[0, 1]^d``. Its feature vector at level ``l`` is the ``d``-linear
  interpolation ``Σ_c Π_a w_a(c_a) table_l[i + c]`` over the ``2^d`` corners ``c`` of the
  cell, with ``w_a(1) = t_a`` and ``w_a(0) = 1 - t_a``.
* The ``L`` vectors are concatenated, ``L F`` numbers, and fed to a ReLU MLP
  (:func:`grid_mlp`). The features start uniform in ``[-10^-4, 10^-4]`` (the paper's
  initialisation), so at first the network sees almost nothing but its biases.

Every feature is a trainable parameter; a point touches only ``2^d`` of them per level,
so a gradient step changes the function only near the points of the batch.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import torch

from spectral_lib import seeding, validation

from .mlp import relu_mlp

#: The paper's initialisation of the features: uniform in ``[-INIT_SCALE, INIT_SCALE]``.
INIT_SCALE: float = 1e-4


def level_resolutions(levels: int, base_resolution: int, max_resolution: int) -> tuple[int, ...]:
    """The resolutions ``N_l = floor(N_min b^l)`` of the levels, growing geometrically.

    Parameters
    ----------
    levels : int
        Number of levels ``L`` (at least 1; with one level its resolution is ``N_min``).
    base_resolution : int
        ``N_min``, the coarsest resolution (cells per axis), at least 1.
    max_resolution : int
        ``N_max``, the finest resolution, at least ``base_resolution``.

    Returns
    -------
    tuple of int
        ``L`` resolutions from ``N_min`` to ``N_max``, non-decreasing
        (``b = exp((ln N_max - ln N_min) / (L - 1))``; the product is rounded down after a
        relative slack of ``1e-9`` so that the last level is ``N_max`` exactly).

    Raises
    ------
    ValueError
        If a count is not a positive integer or ``max_resolution < base_resolution``.

    Examples
    --------
    >>> level_resolutions(4, 2, 16)
    (2, 4, 8, 16)
    >>> level_resolutions(8, 4, 64)
    (4, 5, 8, 13, 19, 28, 43, 64)
    """
    levels = validation.check_positive_int("levels", levels)
    n_min = validation.check_positive_int("base_resolution", base_resolution)
    n_max = validation.check_positive_int("max_resolution", max_resolution)
    if n_max < n_min:
        raise ValueError(f"max_resolution ({n_max}) must be at least base_resolution ({n_min})")
    if levels == 1:
        return (n_min,)
    b = np.exp((np.log(n_max) - np.log(n_min)) / (levels - 1))
    return tuple(int(np.floor(n_min * b**lv * (1 + 1e-9))) for lv in range(levels))


def grid_parameter_count(dim: int, levels: int, features: int, base_resolution: int,
                         max_resolution: int) -> int:
    """Number of trainable features of a :class:`MultiresolutionGrid`: ``F Σ_l (N_l + 1)^d``.

    Parameters
    ----------
    dim : int
        Input dimension ``d``.
    levels, features, base_resolution, max_resolution : int
        ``L``, ``F``, ``N_min``, ``N_max`` (see :func:`level_resolutions`).

    Returns
    -------
    int
        ``F`` features at each of the ``(N_l + 1)^d`` vertices of every level.

    Raises
    ------
    ValueError
        As :func:`level_resolutions`, or if ``dim`` or ``features`` is not a positive integer.

    Examples
    --------
    >>> grid_parameter_count(2, 4, 2, 2, 16)  # 2 * (3² + 5² + 9² + 17²)
    808
    """
    dim = validation.check_positive_int("dim", dim)
    features = validation.check_positive_int("features", features)
    res = level_resolutions(levels, base_resolution, max_resolution)
    return int(features * sum((n + 1) ** dim for n in res))


class MultiresolutionGrid(torch.nn.Module):
    """Dense multiresolution grid encoding of points of ``[0, 1]^d``: ``L`` levels, ``F`` features each.

    Parameters
    ----------
    dim : int
        Input dimension ``d`` (1 to 4; each point reads ``2^d`` vertices per level).
    levels : int
        Number of levels ``L``.
    features : int
        Features per vertex ``F``.
    base_resolution, max_resolution : int
        ``N_min`` and ``N_max`` (see :func:`level_resolutions`).
    init_scale : float, default INIT_SCALE
        The features start uniform in ``[-init_scale, init_scale]`` (0: all zero).
    seed : int, default 0
        Seed of the initial features (through :func:`spectral_lib.seeding.rng`).

    Attributes
    ----------
    resolutions : tuple of int
        ``N_l`` of each level.
    table : torch.nn.Parameter, shape (Σ_l (N_l + 1)^d, F)
        Every level's features, level after level (``level_table`` gives one level's).
    offsets : tuple of int
        The first row of each level in ``table``.

    Raises
    ------
    ValueError
        If a size is not a positive integer, ``dim > 4``, ``init_scale`` is negative or not
        finite, or the seed is invalid.

    Examples
    --------
    >>> enc = MultiresolutionGrid(2, levels=3, features=2, base_resolution=2, max_resolution=8, seed=0)
    >>> enc.resolutions, enc.out_dim, enc.offsets, tuple(enc.table.shape)
    ((2, 4, 8), 6, (0, 9, 34), (115, 2))
    >>> enc(torch.rand(5, 2)).shape
    torch.Size([5, 6])
    """

    def __init__(self, dim: int, levels: int, features: int, base_resolution: int, max_resolution: int, *,
                 init_scale: float = INIT_SCALE, seed: int = 0):
        super().__init__()
        self.dim = validation.check_positive_int("dim", dim)
        if self.dim > 4:
            raise ValueError(f"dim must be at most 4 (2^d corners per level), got {dim}")
        self.features = validation.check_positive_int("features", features)
        self.resolutions = level_resolutions(levels, base_resolution, max_resolution)
        self.init_scale = validation.check_nonnegative_float("init_scale", init_scale)
        gen = seeding.rng(validation.check_seed(seed))
        sizes = [(n + 1) ** self.dim for n in self.resolutions]
        # the row of each level's first vertex in the table
        self.offsets = tuple(int(v) for v in np.cumsum([0, *sizes[:-1]]))
        self.table = torch.nn.Parameter(torch.from_numpy(
            gen.uniform(-self.init_scale, self.init_scale, (sum(sizes), self.features))).float())
        corners = np.array(list(itertools.product((0, 1), repeat=self.dim)), dtype=np.int64)  # (2^d, d)
        res = np.array(self.resolutions, dtype=np.int64)
        # Constants of the index arithmetic (plain tensors, not buffers: the training engine
        # batches modules without buffers).
        self._corners = torch.from_numpy(corners)
        self._res = torch.from_numpy(res)
        self._strides = torch.from_numpy((res[:, None] + 1) ** (self.dim - 1 - np.arange(self.dim)))  # (L, d)
        self._offsets = torch.tensor(self.offsets, dtype=torch.int64)
        self._last: list = []  # (points, version, indices, weights) of the last two inputs


    @property
    def out_dim(self) -> int:
        """``L F``, the length of the encoding."""
        return len(self.resolutions) * self.features

    def extra_repr(self) -> str:
        return f"dim={self.dim}, features={self.features}, resolutions={self.resolutions}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The encoding of each point: ``L`` interpolated feature vectors, concatenated.

        Parameters
        ----------
        x : torch.Tensor, shape (..., d)
            Points of ``[0, 1]^d`` (floating).

        Returns
        -------
        torch.Tensor, shape (..., L F)
            Level ``l``'s features in columns ``l F .. (l + 1) F - 1``.

        Raises
        ------
        TypeError
            If ``x`` is not a floating tensor.
        ValueError
            If its last axis is not ``d`` long, or a coordinate is NaN or outside ``[0, 1]``.
        """
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            raise TypeError(f"x must be a floating torch.Tensor, got {type(x).__name__}")
        if x.dim() == 0 or x.shape[-1] != self.dim:
            raise ValueError(f"x must have shape (..., {self.dim}), got {tuple(x.shape)}")
        idx, w = self._lookup(x)
        feats = (self.table[idx] * w.to(self.table.dtype)[..., None]).sum(dim=2)  # (P, L, F)
        return feats.reshape(*x.shape[:-1], self.out_dim)

    def _lookup(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Rows of ``table`` (P, L, 2^d) and weights (P, L, 2^d) of the corners of each point's cells.

        ``P`` is the number of points of ``x`` (all axes but the last), which is checked to
        lie in ``[0, 1]^d``.

        Full-batch training feeds the same points at every step, so the indices and weights
        of the last two inputs (the training points and an evaluation set) are kept and
        reused while the input is the same, unchanged tensor (``is`` and its version
        counter); an input that requires a gradient is never reused.
        """
        if not x.requires_grad:
            for entry in self._last:
                if x is entry[0] and x._version == entry[1]:
                    return entry[2], entry[3]
        if not bool(torch.all((x >= 0) & (x <= 1))):
            raise ValueError("the grid encodes points of [0, 1]^d: a coordinate is outside it or NaN")
        pts = x.reshape(-1, self.dim)
        dev = pts.device
        res = self._res.to(dev)
        pos = pts[:, None, :] * res[:, None].to(pts.dtype)  # (P, L, d)
        low = torch.minimum(torch.floor(pos), (res[:, None] - 1).to(pts.dtype))
        t = (pos - low)[:, :, None, :]  # (P, L, 1, d) in [0, 1]
        corners = self._corners.to(dev)  # (2^d, d)
        idx = self._offsets.to(dev)[:, None] + (
            (low.long()[:, :, None, :] + corners) * self._strides.to(dev)[:, None, :]).sum(-1)  # (P, L, 2^d)
        w = torch.where(corners.bool(), t, 1 - t).prod(-1)  # (P, L, 2^d)
        if not x.requires_grad:
            self._last = [*self._last[-1:], (x, x._version, idx, w)]
        return idx, w

    def level_table(self, level: int) -> torch.Tensor:
        """Level ``level``'s rows of ``table``, shape ``((N_l + 1)^d, F)`` (a view).

        Parameters
        ----------
        level : int
            ``0 .. L-1``.

        Returns
        -------
        torch.Tensor
            The vertex of integer position ``(k_1, ..., k_d)`` is row
            ``Σ_a k_a (N_l + 1)^(d - 1 - a)`` (row-major).

        Raises
        ------
        ValueError
            If ``level`` is not one of the levels.

        Examples
        --------
        >>> enc = MultiresolutionGrid(2, 2, 3, 2, 4)
        >>> tuple(enc.level_table(1).shape)
        (25, 3)
        """
        level = validation.check_nonnegative_int("level", level)
        if level >= len(self.resolutions):
            raise ValueError(f"level must be below {len(self.resolutions)}, got {level}")
        n = (self.resolutions[level] + 1) ** self.dim
        return self.table[self.offsets[level]:self.offsets[level] + n]


def grid_mlp(dim: int, hidden: Sequence[int], out_dim: int = 1, *, levels: int, features: int,
             base_resolution: int, max_resolution: int, init_scale: float = INIT_SCALE,
             seed: int = 0) -> torch.nn.Sequential:
    """A :class:`MultiresolutionGrid` followed by a ReLU MLP on its ``L F`` features.

    Parameters
    ----------
    dim : int
        Input dimension ``d``.
    hidden : sequence of int
        Hidden widths of the MLP (Müller et al. use two layers of 64).
    out_dim : int, default 1
        Output dimension.
    levels, features, base_resolution, max_resolution : int
        The grid's ``L``, ``F``, ``N_min``, ``N_max``.
    init_scale : float, default INIT_SCALE
        The features' initial half-range.
    seed : int, default 0
        Seed of the features and of the MLP (:func:`spectral_lib.networks.relu_mlp`).

    Returns
    -------
    torch.nn.Sequential
        ``Sequential(grid, mlp)``; ``net[0]`` is the grid.

    Raises
    ------
    ValueError
        As :class:`MultiresolutionGrid` and :func:`spectral_lib.networks.relu_mlp`.

    Examples
    --------
    >>> net = grid_mlp(2, [16], levels=2, features=2, base_resolution=2, max_resolution=4, seed=0)
    >>> sum(p.numel() for p in net.parameters()) == grid_parameter_count(2, 2, 2, 2, 4) + (4 + 1) * 16 + 17
    True
    >>> net(torch.full((3, 2), 0.5)).shape
    torch.Size([3, 1])
    """
    grid = MultiresolutionGrid(dim, levels, features, base_resolution, max_resolution, init_scale=init_scale,
                               seed=seed)
    return torch.nn.Sequential(grid, relu_mlp(grid.out_dim, list(hidden), out_dim, seed=seed))
