"""Geometry: the flower curve and its lengths, polygon normals and chords, point clouds.

* ``spectral_lib.geometry.flower`` -- Rahaman et al.'s flower curve ``γ_L``, its speed,
  arc length and length bounds, and the latent grid;
* ``spectral_lib.geometry.polygons`` -- edge normals of the polygons of a 2-D partition,
  the direction farthest from them, the chord a line cuts from a box;
* ``spectral_lib.geometry.point_clouds`` -- nearest-neighbour distances.
"""

from .flower import (
    arc_length,
    flower_curve,
    flower_speed,
    flower_velocity,
    geometry_table,
    latent_grid,
    length_bounds,
    max_speed,
    speed_squared_symbolic,
)
from .point_clouds import (
    nearest_neighbour_distances,
)
from .polygons import (
    edge_normal_angles,
    farthest_direction,
    line_chord,
)

__all__ = [
    "flower_curve",
    "flower_velocity",
    "flower_speed",
    "speed_squared_symbolic",
    "arc_length",
    "max_speed",
    "length_bounds",
    "geometry_table",
    "latent_grid",
    "edge_normal_angles",
    "farthest_direction",
    "line_chord",
    "nearest_neighbour_distances",
]
