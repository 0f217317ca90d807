"""The exact continuous piecewise-linear structure of ReLU networks: pieces, regions, patterns, crossings.
"""

from .crossings import (
    curve_crossings,
)
from .lipschitz import (
    lipschitz,
)
from .pairs import (
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
    count_patterns,
    dead_units,
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
