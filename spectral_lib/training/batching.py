"""How the engine runs ``K`` models at once: stacked weights, ``vmap``, or a plain loop.

Sequential stacks of ``Linear`` layers and parameter-free element-wise activations use the
stacked path (weights stacked along a leading model axis, one batched matrix product per
layer); other modules with identical parameter shapes and no buffers are batched with
``torch.func.functional_call`` and ``vmap``; anything else runs one model after the other.
:func:`backend_for` says which applies; :class:`Batched` and :class:`Looped` run them.

The engine's input checks live here too: :func:`check_models` (one architecture, finite
floating parameters), :func:`as_tensor`, :func:`prepare_x` and :func:`prepare_y` (shared or
per-model data); and the pieces of the stacked path: :func:`stack_plan`,
:func:`same_config`, :func:`batched_linear` and :func:`stacked_forward`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

BACKENDS = ("auto", "stacked", "vmap", "loop")


# Parameter-free element-wise activations the stacked path applies directly to (K, N, width).
ELEMENTWISE = (
    nn.ReLU,
    nn.LeakyReLU,
    nn.Tanh,
    nn.Sigmoid,
    nn.GELU,
    nn.SiLU,
    nn.Softplus,
    nn.ELU,
    nn.Identity,
)


def check_models(models) -> list[nn.Module]:
    """Check that ``models`` is a non-empty list of trainable copies of one architecture.

    Parameters
    ----------
    models : list or tuple of torch.nn.Module
        The models to train together: one class, the same parameter names, shapes and
        dtypes, at least one parameter, floating dtypes, finite values.

    Returns
    -------
    list of torch.nn.Module
        The same models, as a list (not copied).

    Raises
    ------
    TypeError
        If ``models`` is a single module or not a list/tuple, an entry is not a module, or a
        parameter has a non-floating dtype.
    ValueError
        If the list is empty, the models have no parameters, differ in class or in their
        parameters' names, shapes or dtypes, or a parameter holds NaN or infinite values.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> len(check_models([networks.relu_mlp(1, [4], seed=s) for s in range(2)]))
    2
    >>> check_models(networks.relu_mlp(1, [4], seed=0))
    Traceback (most recent call last):
    ...
    TypeError: models must be a list of torch.nn.Module (wrap a single model as [model])
    """
    if isinstance(models, nn.Module):
        raise TypeError("models must be a list of torch.nn.Module (wrap a single model as [model])")
    if not isinstance(models, (list, tuple)):
        raise TypeError(f"models must be a list of torch.nn.Module, got {type(models).__name__}")
    if not models:
        raise ValueError("models must hold at least one model")
    for i, m in enumerate(models):
        if not isinstance(m, nn.Module):
            raise TypeError(f"models[{i}] is {type(m).__name__}, not a torch.nn.Module")
    ref = [(n, tuple(p.shape), p.dtype) for n, p in models[0].named_parameters()]
    if not ref:
        raise ValueError("the models have no parameters to train")
    for i, m in enumerate(models[1:], start=1):
        if type(m) is not type(models[0]):
            raise ValueError(f"models[{i}] is a {type(m).__name__}, models[0] a {type(models[0]).__name__}")
        mine = [(n, tuple(p.shape), p.dtype) for n, p in m.named_parameters()]
        if mine != ref:
            raise ValueError(f"models[{i}] has other parameter names/shapes/dtypes than models[0]")
    for n, _shape, dtype in ref:
        if not dtype.is_floating_point:
            raise TypeError(f"parameter {n} has non-floating dtype {dtype}")
    for i, m in enumerate(models):
        for n, p in m.named_parameters():
            if not torch.isfinite(p).all():
                raise ValueError(f"models[{i}] parameter {n} contains NaN or infinite values")
    return list(models)


def as_tensor(name: str, value, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """Return training data as a detached, finite, real tensor of the given dtype and device.

    Parameters
    ----------
    name : str
        The argument's name, for the error messages (``"x"``, ``"y"``, ...).
    value : array_like or torch.Tensor
        Real numeric data of any shape (a tensor is detached, never modified in place).
    dtype : torch.dtype
        The dtype of the result.
    device : torch.device
        The device of the result.

    Returns
    -------
    torch.Tensor
        ``value`` converted to ``dtype`` on ``device``.

    Raises
    ------
    TypeError
        If ``value`` is not numeric, or is complex or boolean.
    ValueError
        If it holds NaN or infinite values (after the conversion to ``dtype``).

    Examples
    --------
    >>> as_tensor("x", [[0.0], [0.5]], torch.float32, torch.device("cpu")).dtype
    torch.float32
    """
    if isinstance(value, torch.Tensor):
        t = value.detach()
    else:
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
            raise TypeError(f"{name} must be a real numeric array or tensor, got dtype {arr.dtype}")
        t = torch.from_numpy(np.array(arr, dtype=np.float64))
    if t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f"{name} must be real-valued, got dtype {t.dtype}")
    t = t.to(device=device, dtype=dtype)
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return t


def prepare_x(x: torch.Tensor, K: int, name: str = "x") -> torch.Tensor:
    """Return the inputs as ``(N, d)`` (shared by all models) or ``(K, N, d)`` (one set per model).

    Parameters
    ----------
    x : torch.Tensor
        Shape ``(N,)`` (read as ``(N, 1)``), ``(N, d)`` or ``(K, N, d)``.
    K : int
        Number of models.
    name : str, default "x"
        The argument's name, for the error messages.

    Returns
    -------
    torch.Tensor
        ``(N, d)`` or ``(K, N, d)``; a 1-D input gains a trailing axis of length 1.

    Raises
    ------
    ValueError
        If ``x`` has another number of axes, or a leading axis other than ``K`` when 3-D.

    Examples
    --------
    >>> prepare_x(torch.zeros(5), K=2).shape
    torch.Size([5, 1])
    >>> prepare_x(torch.zeros(2, 5, 3), K=2).shape
    torch.Size([2, 5, 3])
    """
    if x.dim() == 1:
        return x[:, None]
    if x.dim() == 2:
        return x
    if x.dim() == 3:
        if x.shape[0] != K:
            raise ValueError(f"{name} has a leading axis of {x.shape[0]} but there are {K} models")
        return x
    raise ValueError(f"{name} must have shape (N,), (N, d) or (K, N, d); got {tuple(x.shape)}")


def prepare_y(y: torch.Tensor, K: int, n: int, out_dim: int) -> torch.Tensor:
    """Return the targets as ``(N, out)`` (shared by all models) or ``(K, N, out)`` (per model).

    Parameters
    ----------
    y : torch.Tensor
        Shape ``(N, out)`` or ``(K, N, out)``; for a scalar output also ``(N,)`` or
        ``(K, N)``.
    K : int
        Number of models.
    n : int
        Number of training points ``N`` (from the prepared inputs).
    out_dim : int
        The models' output dimension.

    Returns
    -------
    torch.Tensor
        ``(N, out)`` or ``(K, N, out)``.

    Raises
    ------
    ValueError
        If the shape is none of the above.

    Examples
    --------
    >>> prepare_y(torch.zeros(5), K=2, n=5, out_dim=1).shape
    torch.Size([5, 1])
    >>> prepare_y(torch.zeros(2, 5), K=2, n=5, out_dim=1).shape
    torch.Size([2, 5, 1])
    """
    shape = tuple(y.shape)
    if y.dim() == 1 and out_dim == 1 and shape[0] == n:
        return y[:, None]
    if y.dim() == 2 and shape == (n, out_dim):
        return y
    if y.dim() == 2 and out_dim == 1 and shape == (K, n):
        return y[:, :, None]
    if y.dim() == 3 and shape == (K, n, out_dim):
        return y
    raise ValueError(
        f"y has shape {shape}; expected (N, out)={(n, out_dim)} shared by all models or "
        f"(K, N, out)={(K, n, out_dim)} (or (N,) / (K, N) when out=1)"
    )


def stack_plan(template: nn.Module) -> list | None:
    """The layer-by-layer plan of the stacked path, or ``None`` if it does not apply.

    The stacked path applies to a non-empty ``nn.Sequential`` of ``nn.Linear`` layers and
    parameter-free, buffer-free element-wise activations (``ELEMENTWISE``) with at least
    one ``Linear`` layer.

    Parameters
    ----------
    template : torch.nn.Module
        One model of the ensemble.

    Returns
    -------
    list or None
        One step per layer: ``("linear", weight name, bias name or None)`` or
        ``("act", module)``; ``None`` for any other module.

    Raises
    ------
    None
        Any module is accepted; the answer is then ``None``.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> [step[0] for step in stack_plan(networks.relu_mlp(1, [4], seed=0))]
    ['linear', 'act', 'linear']
    >>> stack_plan(nn.Conv1d(1, 1, 3)) is None
    True
    """
    if not isinstance(template, nn.Sequential) or len(template) == 0:
        return None
    plan = []
    for idx, layer in enumerate(template):
        if isinstance(layer, nn.Linear):
            plan.append(("linear", f"{idx}.weight", f"{idx}.bias" if layer.bias is not None else None))
        elif isinstance(layer, ELEMENTWISE) and not list(layer.parameters()) and not list(layer.buffers()):
            plan.append(("act", layer))
        else:
            return None
    if not any(step[0] == "linear" for step in plan):
        return None
    return plan


def same_config(models: list[nn.Module]) -> bool:
    """Whether all models print alike (same layer types and hyper-parameters).

    Two modules of one class with equal parameter shapes can still compute different
    functions (e.g. SIREN's ``ω₀`` or a ``LeakyReLU`` slope); their ``repr`` tells them
    apart, so :func:`backend_for` batches only models whose ``repr`` agrees.

    Parameters
    ----------
    models : list of torch.nn.Module
        At least one model.

    Returns
    -------
    bool
        ``True`` if every ``repr(model)`` equals ``repr(models[0])``.

    Raises
    ------
    IndexError
        If ``models`` is empty.

    Examples
    --------
    >>> same_config([nn.LeakyReLU(0.1), nn.LeakyReLU(0.1)])
    True
    >>> same_config([nn.LeakyReLU(0.1), nn.LeakyReLU(0.2)])
    False
    """
    first = repr(models[0])
    return all(repr(m) == first for m in models[1:])


def backend_for(models: Sequence[nn.Module]) -> str:
    """The batching path :func:`train_full_batch` uses for these models.

    Parameters
    ----------
    models : sequence of torch.nn.Module
        Models of one architecture.

    Returns
    -------
    str
        ``"stacked"`` for a ``Sequential`` of ``Linear`` layers and parameter-free
        element-wise activations (ReLU MLPs from :func:`spectral_lib.networks.relu_mlp`);
        ``"vmap"`` for other modules with identical parameters and no buffers;
        ``"loop"`` otherwise.

    Raises
    ------
    TypeError, ValueError
        If ``models`` is not a non-empty list of modules of one architecture.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> backend_for([networks.relu_mlp(1, [8], seed=s) for s in range(2)])
    'stacked'
    """
    models = check_models(list(models) if isinstance(models, tuple) else models)
    if not same_config(models):
        return "loop"
    if stack_plan(models[0]) is not None:
        return "stacked"
    if any(True for _ in models[0].buffers()):
        return "loop"
    return "vmap"


class Batched:
    """K copies of one architecture as stacked parameters with a batched forward."""

    def __init__(self, models: list[nn.Module], backend: str, device: torch.device, dtype: torch.dtype):
        self.backend = backend
        self.K = len(models)
        self.template = copy.deepcopy(models[0]).to(device=device, dtype=dtype)
        self.names = [n for n, _ in self.template.named_parameters()]
        with torch.no_grad():
            self.params = {
                n: torch.stack([dict(m.named_parameters())[n].detach().to(device=device, dtype=dtype)
                                for m in models]).clone().requires_grad_(True)
                for n in self.names
            }
        self.plan = stack_plan(self.template) if backend == "stacked" else None
        if backend == "vmap":
            from torch.func import functional_call, vmap

            template = self.template

            def single(p, xx):
                return functional_call(template, p, (xx,))

            self._vmap_shared = vmap(single, in_dims=(0, None))
            self._vmap_each = vmap(single, in_dims=(0, 0))
        # Linear layers (for spectral norms): weight names in module order.
        self.linear_weights = [f"{n}.weight" if n else "weight" for n, m in self.template.named_modules()
                               if isinstance(m, nn.Linear)]

    def parameters(self) -> list[torch.Tensor]:
        return [self.params[n] for n in self.names]

    def forward(self, x: torch.Tensor, params: dict | None = None) -> torch.Tensor:
        """Outputs (K, N, out) for x of shape (N, d) (shared) or (K, N, d)."""
        params = self.params if params is None else params
        if self.backend == "stacked":
            return stacked_forward(self.plan, params, x)
        return self._vmap_shared(params, x) if x.dim() == 2 else self._vmap_each(params, x)

    def weights(self) -> list[torch.Tensor]:
        return [self.params[n].detach() for n in self.linear_weights]

    def to_models(self, originals: list[nn.Module]) -> list[nn.Module]:
        out = []
        with torch.no_grad():
            for k, orig in enumerate(originals):
                m = copy.deepcopy(orig).to(device=self.template_device, dtype=self.dtype)
                for n, p in m.named_parameters():
                    p.copy_(self.params[n][k])
                out.append(m)
        return out

    @property
    def template_device(self) -> torch.device:
        return self.params[self.names[0]].device

    @property
    def dtype(self) -> torch.dtype:
        return self.params[self.names[0]].dtype


def batched_linear(h: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
    """``h @ W^T + b`` for stacked ``h`` (K, N, in), ``W`` (K, out, in), ``b`` (K, out).

    Written so that each slice rounds like ``torch.nn.functional.linear`` on one model (CPU
    BLAS): a one-row weight (a scalar output) goes through ``W @ h^T`` as PyTorch's
    ``addmm`` does, wider layers through ``h @ W^T``.

    Parameters
    ----------
    h : torch.Tensor, shape (K, N, in)
        Stacked layer inputs.
    W : torch.Tensor, shape (K, out, in)
        Stacked weights.
    b : torch.Tensor, shape (K, out), or None
        Stacked biases, or ``None`` for a layer without bias.

    Returns
    -------
    torch.Tensor, shape (K, N, out)
        Slice ``k`` is ``F.linear(h[k], W[k], b[k])``. For ``out == 1`` it is a transposed
        view of a ``(K, 1, N)`` product.

    Raises
    ------
    RuntimeError
        From ``torch.bmm`` / ``torch.baddbmm`` if the shapes do not match.

    Examples
    --------
    >>> h, W, b = torch.ones(2, 3, 4), torch.ones(2, 5, 4), torch.zeros(2, 5)
    >>> batched_linear(h, W, b).shape
    torch.Size([2, 3, 5])
    >>> float(batched_linear(h, W, b)[0, 0, 0])
    4.0
    """
    if W.shape[1] == 1:
        ht = h.transpose(1, 2)
        out = torch.bmm(W, ht) if b is None else torch.baddbmm(b.unsqueeze(2), W, ht)
        return out.transpose(1, 2)
    if b is None:
        return torch.bmm(h, W.transpose(1, 2))
    return torch.baddbmm(b.unsqueeze(1), h, W.transpose(1, 2))


class _StackedLinear(torch.autograd.Function):
    """:func:`batched_linear` with the backward of ``nn.Linear``, slice by slice.

    ``grad_h = g @ W``, ``grad_W = g^T @ h``, ``grad_b = sum_n g``: the products
    ``torch.nn.Linear`` computes for one model, as batched matrix products on contiguous
    operands (faster than the generic ``baddbmm`` backward, and rounding like the
    per-model reference).
    """

    @staticmethod
    def forward(ctx, h, W, b):
        ctx.save_for_backward(h, W)
        ctx.has_bias = b is not None
        out = batched_linear(h, W, b)
        # A one-row weight gives a transposed view; later layers may apply ReLU in place.
        return out.clone() if W.shape[1] == 1 else out

    @staticmethod
    def backward(ctx, g):
        h, W = ctx.saved_tensors
        grad_h = grad_W = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_h = torch.bmm(g, W)
        if ctx.needs_input_grad[1]:
            grad_W = torch.bmm(g.transpose(1, 2), h)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_b = g.sum(1)
        return grad_h, grad_W, grad_b


def stacked_forward(plan: list, params: dict, x: torch.Tensor) -> torch.Tensor:
    """The forward pass of ``K`` stacked models along a :func:`stack_plan`.

    Each ``Linear`` step is one batched product (``_StackedLinear``, with the backward of
    ``nn.Linear`` slice by slice) and each activation is applied to the whole
    ``(K, N, width)`` block, ReLU in place where its input is a fresh tensor. With ``K = 1``
    the plain layers run (``F.linear``), without the batched-product overhead.

    Parameters
    ----------
    plan : list
        From :func:`stack_plan`.
    params : dict of str to torch.Tensor
        Stacked parameters: ``params[name]`` has a leading model axis of length ``K``.
    x : torch.Tensor
        Inputs ``(N, in)`` shared by all models, or ``(K, N, in)``.

    Returns
    -------
    torch.Tensor, shape (K, N, out)
        The outputs of every model.

    Raises
    ------
    KeyError
        If ``params`` lacks a parameter the plan names.
    RuntimeError
        From torch if the shapes do not match.

    Examples
    --------
    >>> from spectral_lib import networks
    >>> nets = [networks.relu_mlp(1, [4], seed=s) for s in range(2)]
    >>> params = {n: torch.stack([dict(m.named_parameters())[n] for m in nets])
    ...           for n, _ in nets[0].named_parameters()}
    >>> out = stacked_forward(stack_plan(nets[0]), params, torch.zeros(3, 1))
    >>> out.shape
    torch.Size([2, 3, 1])
    >>> bool(torch.allclose(out[1], nets[1](torch.zeros(3, 1))))
    True
    """
    K = next(iter(params.values())).shape[0]
    if K == 1:  # nothing to batch: the plain layers, without the batched-matmul overhead
        h = x if x.dim() == 2 else x[0]
        for step in plan:
            if step[0] == "linear":
                b = params[step[2]][0] if step[2] is not None else None
                h = F.linear(h, params[step[1]][0], b)
            else:
                h = step[1](h)
        return h.unsqueeze(0)
    h = x
    fresh = False  # whether h is a new tensor the forward may overwrite in place
    for step in plan:
        if h.dim() == 2:
            h = h.expand(K, *h.shape)
        if step[0] == "linear":
            b = params[step[2]] if step[2] is not None else None
            h = _StackedLinear.apply(h, params[step[1]], b)
            fresh = True
        elif fresh and type(step[1]) is nn.ReLU:
            h = torch.relu_(h)
        else:
            h = step[1](h)
            fresh = True
    return h


class Looped:
    """The fallback: K separate modules, evaluated one at a time."""

    backend = "loop"

    def __init__(self, models: list[nn.Module], device: torch.device, dtype: torch.dtype):
        self.models = [copy.deepcopy(m).to(device=device, dtype=dtype) for m in models]
        self.K = len(models)
        self.linear_weights = [
            [m.weight for m in model.modules() if isinstance(m, nn.Linear)] for model in self.models
        ]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [m(x if x.dim() == 2 else x[k]) for k, m in enumerate(self.models)]
        return torch.stack(outs)

    def weights(self) -> list[torch.Tensor]:
        return [torch.stack([ws[i].detach() for ws in self.linear_weights])
                for i in range(len(self.linear_weights[0]))]
