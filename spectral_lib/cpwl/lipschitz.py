"""The exact Lipschitz constant of a CPWL function, from its pieces.

:func:`lipschitz` is the largest ``|slope|`` over the pieces in 1-D and the largest gradient
norm over the regions in 2-D.
"""

from __future__ import annotations

import numpy as np

from .partition import Partition2D
from .pieces import Pieces1D


def lipschitz(pieces) -> float:
    """Exact Lipschitz constant of a CPWL function on its domain.

    Parameters
    ----------
    pieces : Pieces1D or Partition2D
        From :func:`pieces_1d`, :func:`line_pieces` or :func:`partition_2d`.

    Returns
    -------
    float
        ``max |slope|`` (1-D) or ``max ||grad||_2`` (2-D). On a convex domain the maximum
        gradient norm over the regions is the Lipschitz constant (Euclidean norms).

    Raises
    ------
    TypeError
        If ``pieces`` is neither.

    Examples
    --------
    >>> from spectral_lib import cpwl, networks
    >>> net = networks.relu_mlp(1, [8], seed=0)
    >>> p = cpwl.pieces_1d(net, (-2.0, 2.0))
    >>> lipschitz(p) <= networks.lipschitz_upper_bound(net) + 1e-12
    True
    """
    if isinstance(pieces, Pieces1D):
        return float(np.max(np.abs(pieces.slopes)))
    if isinstance(pieces, Partition2D):
        return float(np.max(np.linalg.norm(pieces.grads, axis=1)))
    raise TypeError(f"expected Pieces1D or Partition2D, got {type(pieces).__name__}")
