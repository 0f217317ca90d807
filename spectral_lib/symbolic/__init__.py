"""sympy derivations of the Fourier transform of piecewise-linear functions (Rahaman et al.).

* ``spectral_lib.symbolic.one_d`` -- wavenumber symbols, the transform of a piece, a
  hinge, a 1-D CPWL function with ``n`` kinks on an interval and a network on the whole
  line (from ``f''`` as a sum of deltas), and Lemma 1 in one dimension;
* ``spectral_lib.symbolic.two_d`` -- Lemma 2 (polygon indicators) and Lemma 1 on
  polygons, with independent direct integrations (also along a fixed ray);
* ``spectral_lib.symbolic.asymptotics`` -- the decay order of an expression as
  ``κ → ∞`` (the exponent of Theorem 1), and lambdified numpy versions.
"""

from .asymptotics import (
    decay_order,
    lambdify_k,
)
from .one_d import (
    CPWL1D,
    I,
    WholeLine1D,
    cpwl_transform_1d,
    hinge_transform,
    integration_by_parts_1d,
    integration_by_parts_residual_1d,
    k_symbol,
    k_symbols_2d,
    kappa_symbol,
    lemma1_transform_1d,
    piece_transform,
    tent_1d,
    transform_1d,
    whole_line_transform_1d,
)
from .two_d import (
    hat_function_2d,
    lemma1_transform,
    linear_polygon_transform_direct,
    linear_polygon_transform_ray,
    polygon_transform,
    polygon_transform_along,
    polygon_transform_direct,
    segment_transform,
)

__all__ = [
    "I",
    "k_symbol",
    "k_symbols_2d",
    "kappa_symbol",
    "piece_transform",
    "hinge_transform",
    "integration_by_parts_1d",
    "integration_by_parts_residual_1d",
    "WholeLine1D",
    "whole_line_transform_1d",
    "CPWL1D",
    "cpwl_transform_1d",
    "transform_1d",
    "tent_1d",
    "lemma1_transform_1d",
    "segment_transform",
    "polygon_transform",
    "linear_polygon_transform_direct",
    "polygon_transform_direct",
    "linear_polygon_transform_ray",
    "hat_function_2d",
    "lemma1_transform",
    "polygon_transform_along",
    "decay_order",
    "lambdify_k",
]
