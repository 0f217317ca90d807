"""The exact continuous piecewise-linear structure of ReLU networks: pieces, regions, patterns, crossings.

* ``spectral_lib.cpwl.pieces`` -- exact pieces in 1-D and along a segment
  (:func:`pieces_1d`, :func:`line_pieces`, :class:`Pieces1D`);
* ``spectral_lib.cpwl.partition`` -- exact polygonal regions in 2-D (:func:`partition_2d`,
  :class:`Partition2D`);
* ``spectral_lib.cpwl.lipschitz`` -- the exact Lipschitz constant over the pieces;
* ``spectral_lib.cpwl.patterns`` -- activation patterns along data, Hamming distances, dead
  units;
* ``spectral_lib.cpwl.pairs`` -- local and global index pairs, as Lazzari & Liu draw them;
* ``spectral_lib.cpwl.crossings`` -- region boundaries crossed by a curve in input space.
"""

from .pieces import (
    Pieces1D,
    pieces_1d,
    line_pieces,
    count_regions_1d,
    scalar_layers,
)
from .partition import (
    Partition2D,
    partition_2d,
    count_regions_2d,
)
from .lipschitz import (
    lipschitz,
)
from .patterns import (
    CHUNK,
    hidden_sizes,
    activation_patterns,
    count_patterns,
    hamming,
    layer_hamming,
    dead_units,
)
from .pairs import (
    local_pairs_1d,
    global_pairs_1d,
    local_pairs_2d,
    global_pairs_2d,
    random_pairs,
)
from .crossings import (
    curve_crossings,
)

__all__ = [
    "Pieces1D",
    "pieces_1d",
    "line_pieces",
    "count_regions_1d",
    "scalar_layers",
    "Partition2D",
    "partition_2d",
    "count_regions_2d",
    "lipschitz",
    "CHUNK",
    "hidden_sizes",
    "activation_patterns",
    "count_patterns",
    "hamming",
    "layer_hamming",
    "dead_units",
    "local_pairs_1d",
    "global_pairs_1d",
    "local_pairs_2d",
    "global_pairs_2d",
    "random_pairs",
    "curve_crossings",
]
