"""Networks: ReLU MLPs, SIREN, the two-layer net of the kernel analyses, coordinate networks.

* ``spectral_lib.networks.mlp`` -- :func:`relu_mlp`, its affine layers, spectral norms and
  the product bound on the Lipschitz constant, flattened parameters;
* ``spectral_lib.networks.siren`` -- :func:`siren` and its :class:`Sine` layers
  (Sitzmann et al. 2020), with :func:`layer_statistics`;
* ``spectral_lib.networks.two_layer`` -- :class:`TwoLayerReLU`, ``a·relu(Wx + b)/√m`` in
  NTK scaling;
* ``spectral_lib.networks.coordinate`` -- coordinate networks named by a method string
  (:func:`parse_method`, :func:`encode`, :func:`build`);
* ``spectral_lib.networks.grid_encoding`` -- :class:`MultiresolutionGrid`, the dense
  multiresolution grid encoding of Müller et al. (2022), and :func:`grid_mlp`;
* ``spectral_lib.networks.activations`` -- :func:`activation_mlp` (tanh, GELU, sine, the
  :class:`Hat` of Hong et al.; :func:`stack_mlps`) and ``spectral_lib.networks.polynomial`` --
  :class:`PiNet` (:func:`stack_pinets`).
"""

from .activations import (
    ACTIVATIONS,
    Hat,
    activation_mlp,
    hat,
    make_activation,
    stack_mlps,
    stacked_mlp_forward,
)
from .coordinate import (
    build,
    encode,
    parse_method,
)
from .grid_encoding import (
    MultiresolutionGrid,
    grid_mlp,
    grid_parameter_count,
    level_resolutions,
)
from .mlp import (
    affine_layers,
    flat_parameters,
    lipschitz_upper_bound,
    relu_mlp,
    spectral_norms,
)
from .polynomial import PiNet, stack_pinets, stacked_pinet_forward
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
    "MultiresolutionGrid", "grid_mlp", "grid_parameter_count", "level_resolutions",
    "ACTIVATIONS", "Hat", "hat", "make_activation", "activation_mlp", "PiNet",
    "stack_pinets", "stacked_pinet_forward", "stack_mlps", "stacked_mlp_forward",
]
