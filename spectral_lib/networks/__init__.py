"""Networks: ReLU MLPs, SIREN, the two-layer net of the kernel analyses, coordinate networks.
"""

from .coordinate import (
    build,
    encode,
    parse_method,
)
from .mlp import (
    affine_layers,
    flat_parameters,
    lipschitz_upper_bound,
    relu_mlp,
    spectral_norms,
)
from .siren import (
    OMEGA_0,
    Sine,
    layer_statistics,
    siren,
)
from .two_layer import (
    TwoLayerReLU,
)

__all__ = [
    "relu_mlp",
    "affine_layers",
    "lipschitz_upper_bound",
    "spectral_norms",
    "flat_parameters",
    "OMEGA_0",
    "Sine",
    "siren",
    "layer_statistics",
    "TwoLayerReLU",
    "parse_method",
    "encode",
    "build",
]
