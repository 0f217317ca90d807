"""The exact continuous piecewise-linear structure of ReLU networks: pieces, regions, patterns, crossings.

* ``spectral_lib.cpwl.pieces`` -- exact pieces in 1-D and along a segment
  (:func:`pieces_1d`, :func:`line_pieces`, :class:`Pieces1D`);
* ``spectral_lib.cpwl.partition`` -- exact polygonal regions in 2-D (:func:`partition_2d`,
  :class:`Partition2D`);
* ``spectral_lib.cpwl.lipschitz`` -- the exact Lipschitz constant over the pieces;
* ``spectral_lib.cpwl.patterns`` -- activation patterns along data, Hamming distances, dead
  units;
* ``spectral_lib.cpwl.pairs`` -- local and global index pairs, as Lazzari & Liu draw them;
* ``spectral_lib.cpwl.crossings`` -- region boundaries crossed by a curve in input space;
* ``spectral_lib.cpwl.kac_rice`` -- the Kac–Rice expectation of a unit's zeros along a curve,
  and the first layer's crossings;
* ``spectral_lib.cpwl.initial`` -- dead units, patterns and crossings of freshly initialised
  networks on raw or encoded inputs.
"""

from .crossings import (
    curve_crossings,
)
from .initial import (
    crossings_vs_arc_length,
    init_statistics,
)
from .kac_rice import (
    first_layer_crossings,
    kac_rice_zeros,
)
from .lipschitz import (
    lipschitz,
)
from .pairs import (
    class_pairs,
    global_pairs_1d,
    global_pairs_2d,
    local_pairs_1d,
    local_pairs_2d,
    random_pairs,
)
from .partition import (
    Partition2D,
    count_regions_2d,
    partition_2d,
)
from .patterns import (
    CHUNK,
    activation_patterns,
    boundary_distances,
    count_patterns,
    dead_units,
    first_layer_inradius,
    hamming,
    hidden_sizes,
    layer_hamming,
)
from .pieces import (
    Pieces1D,
    count_regions_1d,
    line_pieces,
    pieces_1d,
    scalar_layers,
)

__all__ = [
    "crossings_vs_arc_length",
    "init_statistics",
    "class_pairs",
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
    "boundary_distances",
    "first_layer_inradius",
    "local_pairs_1d",
    "global_pairs_1d",
    "local_pairs_2d",
    "global_pairs_2d",
    "random_pairs",
    "curve_crossings",
    "kac_rice_zeros",
    "first_layer_crossings",
]
