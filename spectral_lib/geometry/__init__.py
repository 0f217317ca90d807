"""Geometry: the flower curve and its lengths, polygon normals and chords, point clouds.
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
