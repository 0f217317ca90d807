"""Full-batch training of ensembles of networks, with spectral recording and perturbation sweeps.

Every experiment of the book trains several small networks (seeds, phases, architectures)
full batch, as the papers did.  :func:`train_full_batch` trains ``K`` models of one
architecture *together*: their parameters are stacked along a leading axis of length ``K``,
one batched forward/backward pass (``torch.baddbmm`` on stacked ``(K, out, in)`` weights)
serves all of them, and one Adam over the stacked tensors updates them.  Adam acts on each
parameter element separately, so this is exactly ``K`` separate ``torch.optim.Adam`` runs on
each model's own mean loss (up to floating-point round-off; the unit tests check
``<= 1e-10`` in float64 and ``<= 1e-5`` in float32 after 500 steps).

Usage::

    import numpy as np
    from spectral_lib import nets, train

    x = torch.arange(200, dtype=torch.float32)[:, None] / 200          # (N, 1) grid of [0, 1)
    y = torch.sin(2 * np.pi * 5 * x) + torch.sin(2 * np.pi * 10 * x)   # shared target, (N, 1)
    models = [nets.relu_mlp(1, [128] * 5, seed=s) for s in range(3)]  # K = 3 seeds
    hist = train.train_full_batch(
        models, x, y, steps=2000, lr=1e-3, record_every=100,
        recorders=[train.AmplitudeRecorder(freqs=[5, 10]),      # 2|F[k]|/A on the training grid
                   train.SpectralNormRecorder(),                 # true sigma_max per layer
                   train.PredictionRecorder(x),                  # predictions on a grid
                   train.RegionRecorder((0.0, 1.0))])            # exact regions, Lipschitz (pwl)
    hist.steps            # (n_rec,)   steps 0, 100, ..., 1900 and the final 2000
    hist.loss             # (n_rec, K) mean loss of each model
    hist.amplitudes       # (n_rec, K, 2)
    hist.spectral_norms   # (n_rec, K, 6)
    hist.predictions      # (n_rec, K, 200)
    hist.regions          # (n_rec, K, 2): region count, Lipschitz constant
    hist.models           # K new trained modules (the inputs are left untouched)

Per-model data (e.g. one phase per model) goes in with a leading ``K`` axis:
``x`` of shape ``(K, N, d)`` and/or ``y`` of shape ``(K, N)`` or ``(K, N, out)``.

Sequential stacks of ``Linear`` layers and parameter-free element-wise activations (as
built by :func:`spectral_lib.nets.relu_mlp`) use the fast stacked path (``backend
"stacked"``); other modules with identical parameter shapes and no buffers are batched
with ``torch.func.functional_call`` and ``vmap`` (``"vmap"``); anything else falls back to
a plain per-model loop (``"loop"``, also used for a single model, where there is
nothing to batch).  ``hist.backend`` says which one ran.

:func:`perturbed_predictions` evaluates a trained model at ``theta* + delta * u`` for
random unit directions ``u`` over all parameters (Rahaman et al.'s robustness
experiment), batched and chunked instead of one ``deepcopy`` per sample.
"""

from __future__ import annotations

import abc
import copy
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .profiles import default_device

__all__ = [
    "AmplitudeRecorder",
    "CallbackRecorder",
    "History",
    "PredictionRecorder",
    "Recorder",
    "RegionRecorder",
    "SpectralNormRecorder",
    "TrainState",
    "backend_for",
    "max_relative_difference",
    "perturbed_predictions",
    "train_full_batch",
    "train_separately",
]

LOSSES = ("mse", "bce")
OPTIMIZERS = ("adam", "sgd")
BACKENDS = ("auto", "stacked", "vmap", "loop")

# Parameter-free element-wise activations the stacked path applies directly to (K, N, width).
_ELEMENTWISE = (
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


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_positive_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def _check_clip(clip, K: int) -> float | list[float] | None:
    """``None``, one positive bound for all models, or a list of K per-model bounds."""
    if clip is None:
        return None
    if isinstance(clip, torch.Tensor):
        clip = clip.detach().cpu().numpy()
    if isinstance(clip, np.ndarray) and clip.ndim == 0:
        clip = clip.item()
    if isinstance(clip, (str, bytes)):
        raise TypeError(f"clip must be a number or a sequence of numbers, got {type(clip).__name__}")
    if isinstance(clip, (np.ndarray, Sequence)):
        if np.ndim(clip) != 1:
            raise ValueError(f"clip must be a number or a 1-D sequence of K = {K} numbers")
        if len(clip) != K:
            raise ValueError(f"clip must hold one bound per model (K = {K}), got {len(clip)}")
        return [_check_positive_float(f"clip[{k}]", c) for k, c in enumerate(clip)]
    return _check_positive_float("clip", clip)


def _clamp_step(clip, engine, flat_params: list[torch.Tensor]):
    """A function that clamps the parameters in place after each step (None: no clip).

    A scalar clamps every parameter to ``[-clip, clip]``; a list clamps model k's
    parameters to ``[-clip[k], clip[k]]``: in the batched backends through a bound tensor
    of shape ``(K, 1, ..., 1)`` broadcast over each stacked parameter, in the loop backend
    model by model.
    """
    if clip is None:
        return None
    if not isinstance(clip, list):
        def clamp_all() -> None:
            for p in flat_params:
                p.clamp_(-clip, clip)

        return clamp_all
    if isinstance(engine, _Looped):
        per_model = [(list(m.parameters()), c) for m, c in zip(engine.models, clip, strict=True)]

        def clamp_each() -> None:
            for ps, c in per_model:
                for p in ps:
                    p.clamp_(-c, c)

        return clamp_each
    bounds = []
    for p in flat_params:
        hi = torch.tensor(clip, dtype=p.dtype, device=p.device).reshape((len(clip),) + (1,) * (p.dim() - 1))
        bounds.append((p, -hi, hi))

    def clamp_stacked() -> None:
        for p, lo, hi in bounds:
            p.clamp_(lo, hi)

    return clamp_stacked


def _check_models(models) -> list[nn.Module]:
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


def _as_tensor(name: str, value, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
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


def _prepare_x(x: torch.Tensor, K: int, name: str = "x") -> torch.Tensor:
    """Return x as (N, d) (shared) or (K, N, d) (per model)."""
    if x.dim() == 1:
        return x[:, None]
    if x.dim() == 2:
        return x
    if x.dim() == 3:
        if x.shape[0] != K:
            raise ValueError(f"{name} has a leading axis of {x.shape[0]} but there are {K} models")
        return x
    raise ValueError(f"{name} must have shape (N,), (N, d) or (K, N, d); got {tuple(x.shape)}")


def _prepare_y(y: torch.Tensor, K: int, n: int, out_dim: int) -> torch.Tensor:
    """Return y as (N, out) (shared) or (K, N, out) (per model)."""
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


def _progress_enabled(progress) -> bool:
    if not progress:
        return False
    flag = os.environ.get("TQDM_DISABLE", "").strip().lower()
    return flag in ("", "0", "false", "no")


# ---------------------------------------------------------------------------------------
# Batched architectures
# ---------------------------------------------------------------------------------------


def _stack_plan(template: nn.Module) -> list | None:
    """A plan for the stacked path, or None if the module is not Linear + element-wise."""
    if not isinstance(template, nn.Sequential) or len(template) == 0:
        return None
    plan = []
    for idx, layer in enumerate(template):
        if isinstance(layer, nn.Linear):
            plan.append(("linear", f"{idx}.weight", f"{idx}.bias" if layer.bias is not None else None))
        elif isinstance(layer, _ELEMENTWISE) and not list(layer.parameters()) and not list(layer.buffers()):
            plan.append(("act", layer))
        else:
            return None
    if not any(step[0] == "linear" for step in plan):
        return None
    return plan


def _same_config(models: list[nn.Module]) -> bool:
    """Whether all models print alike (same layer types and hyper-parameters)."""
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
        element-wise activations (ReLU MLPs from :func:`spectral_lib.nets.relu_mlp`);
        ``"vmap"`` for other modules with identical parameters and no buffers;
        ``"loop"`` otherwise.

    Raises
    ------
    TypeError, ValueError
        If ``models`` is not a non-empty list of modules of one architecture.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> backend_for([nets.relu_mlp(1, [8], seed=s) for s in range(2)])
    'stacked'
    """
    models = _check_models(list(models) if isinstance(models, tuple) else models)
    if not _same_config(models):
        return "loop"
    if _stack_plan(models[0]) is not None:
        return "stacked"
    if any(True for _ in models[0].buffers()):
        return "loop"
    return "vmap"


class _Batched:
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
        self.plan = _stack_plan(self.template) if backend == "stacked" else None
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
            return _stacked_forward(self.plan, params, x)
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


def _batched_linear(h: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
    """``h @ W^T + b`` for stacked ``h`` (K, N, in), ``W`` (K, out, in), ``b`` (K, out).

    Written so that each slice rounds like ``torch.nn.functional.linear`` on one model (CPU
    BLAS): a one-row weight (a scalar output) goes through ``W @ h^T`` as PyTorch's
    ``addmm`` does, wider layers through ``h @ W^T``.
    """
    if W.shape[1] == 1:
        ht = h.transpose(1, 2)
        out = torch.bmm(W, ht) if b is None else torch.baddbmm(b.unsqueeze(2), W, ht)
        return out.transpose(1, 2)
    if b is None:
        return torch.bmm(h, W.transpose(1, 2))
    return torch.baddbmm(b.unsqueeze(1), h, W.transpose(1, 2))


class _StackedLinear(torch.autograd.Function):
    """:func:`_batched_linear` with the backward of ``nn.Linear``, slice by slice.

    ``grad_h = g @ W``, ``grad_W = g^T @ h``, ``grad_b = sum_n g``: the products
    ``torch.nn.Linear`` computes for one model, as batched matrix products on contiguous
    operands (faster than the generic ``baddbmm`` backward, and rounding like the
    per-model reference).
    """

    @staticmethod
    def forward(ctx, h, W, b):
        ctx.save_for_backward(h, W)
        ctx.has_bias = b is not None
        out = _batched_linear(h, W, b)
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


def _stacked_forward(plan: list, params: dict, x: torch.Tensor) -> torch.Tensor:
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


class _Looped:
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


# ---------------------------------------------------------------------------------------
# Recorders
# ---------------------------------------------------------------------------------------


class TrainState:
    """What a recorder sees at a recorded step (the models *before* that step's update).

    Attributes
    ----------
    step : int
        Number of optimiser updates applied so far.
    x : torch.Tensor
        The training inputs, ``(N, d)`` or ``(K, N, d)``.
    outputs : torch.Tensor
        The models' outputs on the training inputs, ``(K, N, out)``, detached.
    K : int
        Number of models.
    """

    def __init__(self, step: int, x: torch.Tensor, outputs: torch.Tensor, engine, originals):
        self.step = step
        self.x = x
        self.outputs = outputs
        self.K = outputs.shape[0]
        self._engine = engine
        self._originals = originals
        self._models = None

    def predict(self, x_eval: torch.Tensor) -> torch.Tensor:
        """Outputs of all K models on ``x_eval`` (``(M, d)`` or ``(K, M, d)``): ``(K, M, out)``."""
        x_eval = x_eval.to(device=self.outputs.device, dtype=self.outputs.dtype)
        with torch.no_grad():
            return self._engine.forward(x_eval).detach()

    def weights(self) -> list[torch.Tensor]:
        """Stacked weight matrices of the Linear layers, each ``(K, out, in)``, in module order."""
        return self._engine.weights()

    def models(self) -> list[nn.Module]:
        """K stand-alone copies of the current models (made once per recorded step)."""
        if self._models is None:
            if isinstance(self._engine, _Looped):
                self._models = [copy.deepcopy(m) for m in self._engine.models]
            else:
                self._models = self._engine.to_models(self._originals)
        return self._models


class Recorder(abc.ABC):
    """Base class of the recorders of :func:`train_full_batch`.

    A recorder has a ``name`` (the attribute of the :class:`History` that holds its
    array) and is called with a :class:`TrainState` at each recorded step; it returns an
    array of shape ``(K, ...)``.  The history stacks them to ``(n_rec, K, ...)``.

    Examples
    --------
    >>> class MeanOutput(Recorder):
    ...     name = "mean_output"
    ...     def __call__(self, state):
    ...         return state.outputs.mean(dim=(1, 2)).cpu().numpy()
    """

    name: str = "recorder"

    @abc.abstractmethod
    def __call__(self, state: TrainState) -> np.ndarray:
        """Return this recorder's values for the K models, shape ``(K, ...)``."""


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.isidentifier() or name in ("models", "steps", "loss"):
        raise ValueError(f"recorder name must be an identifier other than models/steps/loss, got {name!r}")
    return name


class PredictionRecorder(Recorder):
    """Record the models' predictions on an evaluation set.

    Parameters
    ----------
    x_eval : array_like or torch.Tensor, optional
        Evaluation inputs ``(M, d)`` (or ``(M,)`` for 1-D inputs, or ``(K, M, d)`` per
        model).  ``None`` records the outputs on the training inputs (the forward pass of
        the step itself, as the official code stores it).
    name : str, default "predictions"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, M)`` for one output, ``(n_rec, K, M, out)`` otherwise.

    Examples
    --------
    >>> rec = PredictionRecorder(np.linspace(0, 1, 5))
    >>> rec.name
    'predictions'
    """

    def __init__(self, x_eval=None, name: str = "predictions"):
        self.name = _check_name(name)
        if x_eval is None:
            self.x_eval = None
        else:
            t = _as_tensor("x_eval", x_eval, torch.float64, torch.device("cpu"))
            if t.dim() not in (1, 2, 3) or t.shape[0] == 0:
                raise ValueError(f"x_eval must have shape (M,), (M, d) or (K, M, d); got {tuple(t.shape)}")
            self.x_eval = t[:, None] if t.dim() == 1 else t

    def _outputs(self, state: TrainState) -> torch.Tensor:
        if self.x_eval is None:
            return state.outputs
        if self.x_eval.dim() == 3 and self.x_eval.shape[0] != state.K:
            raise ValueError(f"x_eval has a leading axis of {self.x_eval.shape[0]} but K = {state.K}")
        return state.predict(self.x_eval)

    def __call__(self, state: TrainState) -> np.ndarray:
        out = self._outputs(state).detach().cpu().numpy()
        return out[..., 0] if out.shape[-1] == 1 else out


class AmplitudeRecorder(PredictionRecorder):
    """Record Rahaman et al.'s normalised amplitudes ``2 |F[k_i]| / A_i``.

    The predictions on a uniform grid of [0, 1) (endpoint excluded) go through
    :func:`spectral_lib.fourier.normalised_amplitudes` (``|FFT|/N``, one-sided).

    Parameters
    ----------
    x_grid : array_like, optional
        The grid ``arange(N) / N`` as ``(N,)`` or ``(N, 1)``; ``None`` uses the training
        inputs (which must then be that grid).
    freqs : sequence of int
        Target frequencies ``k_i`` in cycles per unit interval.
    amplitudes : float or sequence of float, default 1.0
        The target amplitudes ``A_i``.
    name : str, default "amplitudes"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, len(freqs))``.

    Raises
    ------
    ValueError
        If ``freqs`` is empty, or frequencies/amplitudes are invalid for the grid.

    Examples
    --------
    >>> AmplitudeRecorder(freqs=[5, 10], amplitudes=[1.0, 0.5]).freqs
    array([ 5, 10])
    """

    def __init__(self, x_grid=None, freqs=(), amplitudes=1.0, name: str = "amplitudes"):
        super().__init__(x_grid, name=name)
        k = np.asarray(freqs)
        if k.ndim != 1 or k.size == 0:
            raise ValueError("freqs must be a non-empty 1-D sequence of integer frequencies")
        if not np.all(np.isfinite(k)) or not np.all(np.equal(np.round(k), k)) or np.any(k < 1):
            raise ValueError(f"freqs must be positive integers, got {freqs!r}")
        self.freqs = k.astype(int)
        amps = np.broadcast_to(np.asarray(amplitudes, dtype=np.float64), self.freqs.shape).copy()
        if not np.all(np.isfinite(amps)) or np.any(amps == 0):
            raise ValueError("amplitudes must be finite and non-zero")
        self.amplitudes = amps
        if self.x_eval is not None and self.x_eval.dim() == 2 and self.x_eval.shape[1] != 1:
            raise ValueError("x_grid must be a 1-D grid of [0, 1)")

    def __call__(self, state: TrainState) -> np.ndarray:
        from .fourier import normalised_amplitudes

        out = self._outputs(state).detach().cpu().numpy()
        if out.shape[-1] != 1:
            raise ValueError("AmplitudeRecorder needs models with one output")
        return normalised_amplitudes(out[..., 0], self.freqs, self.amplitudes)


class SpectralNormRecorder(Recorder):
    """Record each Linear layer's spectral norm (largest singular value).

    Uses ``torch.linalg.matrix_norm(W, 2)`` on the stacked weights, the true
    ``sigma_max`` (the official notebooks' power iteration estimates ``width x`` an
    eigenvalue instead, see the paper notes).

    Parameters
    ----------
    name : str, default "spectral_norms"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, n_linear_layers)``.

    Examples
    --------
    >>> SpectralNormRecorder().name
    'spectral_norms'
    """

    def __init__(self, name: str = "spectral_norms"):
        self.name = _check_name(name)

    def __call__(self, state: TrainState) -> np.ndarray:
        ws = state.weights()
        if not ws:
            raise ValueError("the models have no Linear layers")
        norms = [torch.linalg.matrix_norm(W.to(torch.float64), ord=2) for W in ws]
        return torch.stack(norms, dim=1).cpu().numpy()


class CallbackRecorder(Recorder):
    """Record ``fn(models)`` for anything the other recorders do not cover.

    Parameters
    ----------
    name : str
        Attribute of the history.
    fn : callable
        Called with the list of K current models (stand-alone copies) and returning an
        array-like of shape ``(K, ...)`` (one entry per model).

    Returns
    -------
    Recorded as ``(n_rec, K, ...)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.

    Examples
    --------
    >>> rec = CallbackRecorder("n_params", lambda ms: [sum(p.numel() for p in m.parameters()) for m in ms])
    >>> rec.name
    'n_params'
    """

    def __init__(self, name: str, fn: Callable[[list[nn.Module]], object]):
        self.name = _check_name(name)
        if not callable(fn):
            raise TypeError("fn must be callable")
        self.fn = fn

    def __call__(self, state: TrainState) -> np.ndarray:
        out = np.asarray(self.fn(state.models()))
        if out.ndim == 0 or out.shape[0] != state.K:
            raise ValueError(
                f"{self.name}: fn must return one entry per model (K = {state.K}), got shape {out.shape}"
            )
        return out


class RegionRecorder(Recorder):
    """Record the exact number of linear regions and the exact Lipschitz constant.

    For networks with 1-D or 2-D input and one output, through :mod:`spectral_lib.pwl`
    (exact, no grid; slower than the other recorders, so use a sparse ``record_every``):
    in 1-D the activation regions (pieces) of :func:`spectral_lib.pwl.pieces_1d` on an
    interval, in 2-D the polygons of :func:`spectral_lib.pwl.partition_2d` on a box; the
    Lipschitz constant is :func:`spectral_lib.pwl.lipschitz` (largest slope / gradient
    norm over the regions).

    Parameters
    ----------
    domain : (float, float) or ((float, float), (float, float)), default (0.0, 1.0)
        The interval (1-D input) or the box ``((x0, x1), (y0, y1))`` (2-D input).
    linear : bool, default False
        1-D only: count the linear pieces of ``f`` (equal-slope neighbours merged) instead
        of activation regions.
    name : str, default "regions"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, 2)``: ``[..., 0]`` the region count, ``[..., 1]`` the
    Lipschitz constant.

    Raises
    ------
    ValueError
        If the domain is malformed or (when recording) the models' input is not 1-D/2-D.

    Examples
    --------
    >>> RegionRecorder((0.0, 1.0)).name
    'regions'
    """

    def __init__(self, domain=(0.0, 1.0), *, linear: bool = False, name: str = "regions"):
        self.name = _check_name(name)
        arr = np.asarray(domain, dtype=np.float64)
        bad = arr.shape not in ((2,), (2, 2)) or not np.all(np.isfinite(arr))
        if bad or np.any(arr[..., 0] >= arr[..., 1]):
            raise ValueError(f"domain must be (lo, hi) or ((x0, x1), (y0, y1)) with lo < hi, got {domain!r}")
        self.domain = arr
        self.linear = bool(linear)

    def __call__(self, state: TrainState) -> np.ndarray:
        from . import pwl

        rows = []
        for m in state.models():
            in_dim = next(l for l in m.modules() if isinstance(l, nn.Linear)).in_features
            if in_dim == 1 and self.domain.shape == (2,):
                pieces = pwl.pieces_1d(m, tuple(self.domain))
                count = pieces.merged().n_pieces if self.linear else pieces.n_pieces
            elif in_dim == 2 and self.domain.shape == (2, 2):
                pieces = pwl.partition_2d(m, tuple(map(tuple, self.domain)))
                count = pieces.n_regions
            else:
                raise ValueError(
                    f"RegionRecorder: {in_dim}-D input needs a domain of shape "
                    f"{'(2,)' if in_dim == 1 else '(2, 2)'} (only 1-D and 2-D inputs are supported)"
                )
            rows.append((float(count), pwl.lipschitz(pieces)))
        return np.asarray(rows, dtype=np.float64)


# ---------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------


@dataclass
class History:
    """The result of :func:`train_full_batch`.

    Attributes
    ----------
    models : list of torch.nn.Module
        The K trained models: **new objects** (deep copies holding the trained parameters,
        on the training device); the models passed in are left unchanged.
    steps : numpy.ndarray, shape (n_rec,)
        The recorded steps: ``0, record_every, 2 record_every, ... < steps`` and ``steps``
        itself.  The values recorded at step ``t`` belong to the parameters after ``t``
        updates, i.e. the forward pass made *before* step ``t``'s update.
    loss : numpy.ndarray, shape (n_rec, K)
        Each model's mean training loss at the recorded steps.
    records : dict of str to numpy.ndarray
        One ``(n_rec, K, ...)`` array per recorder, also reachable as ``hist.<name>``.
    backend : str
        ``"stacked"``, ``"vmap"`` or ``"loop"`` (see :func:`backend_for`).
    """

    models: list
    steps: np.ndarray
    loss: np.ndarray
    records: dict = field(default_factory=dict)
    backend: str = "stacked"

    def __getattr__(self, name):
        records = self.__dict__.get("records", {})
        if name in records:
            return records[name]
        raise AttributeError(f"History has no record {name!r}; recorded: {sorted(records)}")

    def __getitem__(self, name: str) -> np.ndarray:
        return self.records[name]


# ---------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------


def _per_model_loss(out: torch.Tensor, y: torch.Tensor, loss: str) -> torch.Tensor:
    """Mean loss of each model, (K,), for outputs (K, N, out) and y (N, out)/(K, N, out)."""
    if y.dim() == 2:
        y = y.expand_as(out)
    if loss == "mse":
        return ((out - y) ** 2).mean(dim=(1, 2))
    return F.binary_cross_entropy_with_logits(out, y, reduction="none").mean(dim=(1, 2))


def _make_optimizer(name: str, params: list[torch.Tensor], lr: float):
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)


def train_full_batch(
    models,
    x,
    y,
    *,
    steps: int,
    lr: float,
    loss: str = "mse",
    record_every: int = 100,
    recorders: Sequence[Recorder] = (),
    clip: float | Sequence[float] | None = None,
    device=None,
    progress: bool = True,
    dtype: torch.dtype | None = None,
    optimizer: str = "adam",
    backend: str = "auto",
) -> History:
    """Train K models of one architecture full batch, together, and record their progress.

    Equivalent (up to round-off) to training each model alone with its own
    ``torch.optim.Adam(model.parameters(), lr)`` on its mean loss over the full batch,
    ``steps`` times, clamping every parameter to ``[-clip, clip]`` after each step when
    ``clip`` is given (model k to ``[-clip[k], clip[k]]`` when ``clip`` is a sequence).

    Parameters
    ----------
    models : list of torch.nn.Module
        K models of one architecture (same parameter names, shapes and dtypes), e.g.
        ``[nets.relu_mlp(1, [128] * 5, seed=s) for s in range(3)]``.  They are not
        modified.
    x : array_like or torch.Tensor
        Inputs shared by all models, ``(N, d)`` (or ``(N,)`` for ``d = 1``), or one set per
        model, ``(K, N, d)``.
    y : array_like or torch.Tensor
        Targets shared by all, ``(N, out)`` (or ``(N,)`` for ``out = 1``), or per model,
        ``(K, N, out)`` (or ``(K, N)``).  For ``loss="bce"`` targets lie in ``[0, 1]``.
    steps : int
        Number of full-batch updates (>= 0).
    lr : float
        Learning rate.
    loss : {"mse", "bce"}, default "mse"
        Mean squared error, or binary cross-entropy on logits (``BCEWithLogitsLoss``).
    record_every : int, default 100
        Record at steps ``0, record_every, ... < steps`` and at ``steps``.
    recorders : sequence of Recorder, default ()
        E.g. :class:`PredictionRecorder`, :class:`AmplitudeRecorder`,
        :class:`SpectralNormRecorder`, :class:`RegionRecorder`, :class:`CallbackRecorder`.
        The loss is always recorded.
    clip : float or sequence of float, optional
        Clamp every parameter to ``[-clip, clip]`` after each step.  A sequence of K
        positive bounds gives each model its own: model k is clamped to
        ``[-clip[k], clip[k]]``, so that models differing only in the clip (e.g. the Exp7
        clip ablation) train as one ensemble.
    device : str or torch.device, optional
        Default: CUDA when available, else CPU.
    progress : bool, default True
        Show a tqdm bar for runs longer than about 2 s; silent when the environment sets
        ``TQDM_DISABLE=1`` (as the book build and the tests do).
    dtype : torch.dtype, optional
        Train in this dtype (e.g. ``torch.float64``); default: the models' own dtype.
    optimizer : {"adam", "sgd"}, default "adam"
        ``torch.optim.Adam(lr)`` with default betas/eps, or plain ``torch.optim.SGD(lr)``.
    backend : {"auto", "stacked", "vmap", "loop"}, default "auto"
        Force a batching path (for tests and benchmarks); "auto" picks
        :func:`backend_for`, or "loop" for a single model.

    Returns
    -------
    History
        ``models`` (new trained modules), ``steps``, ``loss`` and one array per recorder.

    Raises
    ------
    TypeError
        If models, data or recorders have the wrong type.
    ValueError
        If shapes disagree, a value is invalid, or training produces NaN/inf.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> x = torch.linspace(0, 1, 16)[:, None]
    >>> models = [nets.relu_mlp(1, [8, 8], seed=s) for s in range(2)]
    >>> hist = train_full_batch(models, x, torch.sin(6 * x), steps=20, lr=1e-2, record_every=10,
    ...                         progress=False)
    >>> hist.steps.tolist(), hist.loss.shape
    ([0, 10, 20], (3, 2))
    >>> hist = train_full_batch(models, x, torch.sin(6 * x), steps=20, lr=1e-2, clip=[0.25, 2.0],
    ...                         progress=False)
    >>> [max(p.abs().max().item() for p in m.parameters()) <= c for m, c in zip(hist.models, [0.25, 2.0])]
    [True, True]
    """
    models = _check_models(models)
    K = len(models)
    steps = _check_int("steps", steps, 0)
    lr = _check_positive_float("lr", lr)
    record_every = _check_int("record_every", record_every, 1)
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    clip = _check_clip(clip, K)
    if isinstance(recorders, Recorder):
        recorders = [recorders]
    recorders = list(recorders)
    for r in recorders:
        if not isinstance(r, Recorder):
            raise TypeError(f"recorders must be Recorder instances, got {type(r).__name__}")
    rec_names = [r.name for r in recorders]
    if len(set(rec_names)) != len(rec_names):
        raise ValueError(f"recorder names must be unique, got {rec_names}")
    if dtype is None:
        dtype = next(models[0].parameters()).dtype
    elif not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype must be a floating torch.dtype, got {dtype!r}")
    dev = default_device(device)

    auto = backend_for(models)
    if backend == "auto":
        # One model: nothing to batch, the plain module trains fastest.
        backend = "loop" if K == 1 else auto
    elif backend == "stacked" and auto != "stacked":
        raise ValueError("backend='stacked' needs a Sequential of Linear layers and element-wise activations")
    elif backend == "vmap" and auto == "loop":
        raise ValueError("backend='vmap' needs models with identical configuration and no buffers")
    if backend == "loop":
        engine = _Looped(models, dev, dtype)
        params = [list(m.parameters()) for m in engine.models]
        opts = [_make_optimizer(optimizer, ps, lr) for ps in params]
        flat_params = [p for ps in params for p in ps]
    else:
        engine = _Batched(models, backend, dev, dtype)
        flat_params = engine.parameters()
        opts = [_make_optimizer(optimizer, flat_params, lr)]
    clamp = _clamp_step(clip, engine, flat_params)

    xt = _prepare_x(_as_tensor("x", x, dtype, dev), K)
    n = xt.shape[-2]
    if n == 0:
        raise ValueError("x holds no samples")
    with torch.no_grad():
        probe = engine.forward(xt[..., :1, :])
    out_dim = probe.shape[-1]
    yt = _prepare_y(_as_tensor("y", y, dtype, dev), K, n, out_dim)
    if loss == "bce" and ((yt < 0).any() or (yt > 1).any()):
        raise ValueError("loss='bce' needs targets in [0, 1]")

    rec_steps: list[int] = []
    losses: list[np.ndarray] = []
    records: dict[str, list] = {name: [] for name in rec_names}

    def record(t: int, out: torch.Tensor, per_model: torch.Tensor) -> None:
        lv = per_model.detach().cpu().numpy().astype(np.float64)
        if not np.all(np.isfinite(lv)):
            raise ValueError(f"training diverged: non-finite loss at step {t} (try a smaller lr)")
        rec_steps.append(t)
        losses.append(lv)
        if recorders:
            state = TrainState(t, xt, out.detach(), engine, models)
            for r in recorders:
                records[r.name].append(np.asarray(r(state)))

    bar = None
    if _progress_enabled(progress) and steps > 0:
        from tqdm import tqdm  # text bar (tqdm.auto would want ipywidgets in notebooks)

        bar = tqdm(total=steps, desc=f"train K={K}", delay=2.0, leave=False)
    bar_every = max(1, min(record_every, 50))

    try:
        for t in range(steps):
            out = engine.forward(xt)
            per_model = _per_model_loss(out, yt, loss)
            if t % record_every == 0:
                record(t, out, per_model)
            for opt in opts:
                opt.zero_grad(set_to_none=True)
            per_model.sum().backward()
            for opt in opts:
                opt.step()
            if clamp is not None:
                with torch.no_grad():
                    clamp()
            if bar is not None and (t + 1) % bar_every == 0:
                bar.update(bar_every)
        with torch.no_grad():
            out = engine.forward(xt)
            per_model = _per_model_loss(out, yt, loss)
        record(steps, out, per_model)
    finally:
        if bar is not None:
            bar.close()

    trained = engine.models if isinstance(engine, _Looped) else engine.to_models(models)
    for m in trained:
        for p in m.parameters():
            p.requires_grad_(True)
            p.grad = None
    for i, m in enumerate(trained):
        for name, p in m.named_parameters():
            if not torch.isfinite(p).all():
                raise ValueError(f"training diverged: model {i} parameter {name} is not finite")
    return History(
        models=trained,
        steps=np.asarray(rec_steps, dtype=np.int64),
        loss=np.stack(losses),
        records={name: np.stack(vals) for name, vals in records.items()},
        backend=backend,
    )


def train_separately(
    models,
    x,
    y,
    *,
    steps: int,
    lr: float,
    loss: str = "mse",
    clip: float | Sequence[float] | None = None,
    optimizer: str = "adam",
    dtype: torch.dtype | None = None,
) -> tuple[list[nn.Module], np.ndarray]:
    """The reference :func:`train_full_batch` must match: one model after the other.

    Each model gets its own ``torch.optim.Adam(lr)`` (or SGD) and is trained on its mean
    full-batch loss (``nn.MSELoss`` or ``nn.BCEWithLogitsLoss``) ``steps`` times, exactly
    as the official notebooks train one network, with the optional clamp after each step.
    Plain and slow; for checks and benchmarks.

    Parameters
    ----------
    models, x, y, steps, lr, loss, clip, optimizer, dtype
        As in :func:`train_full_batch` (the models are not modified).

    Returns
    -------
    models : list of torch.nn.Module
        Trained copies, on the CPU.
    loss : numpy.ndarray, shape (steps + 1, K)
        Each model's loss before every step, and after the last one.

    Raises
    ------
    TypeError, ValueError
        As :func:`train_full_batch`.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> x = torch.linspace(0, 1, 8)[:, None]
    >>> trained, loss = train_separately([nets.relu_mlp(1, [4], seed=0)], x, x, steps=3, lr=1e-2)
    >>> loss.shape
    (4, 1)
    """
    models = _check_models(models)
    K = len(models)
    steps = _check_int("steps", steps, 0)
    lr = _check_positive_float("lr", lr)
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    clip = _check_clip(clip, K)
    clips = clip if isinstance(clip, list) else [clip] * K
    dtype = next(models[0].parameters()).dtype if dtype is None else dtype
    cpu = torch.device("cpu")
    xt = _prepare_x(_as_tensor("x", x, dtype, cpu), K)
    with torch.no_grad():
        out_dim = copy.deepcopy(models[0]).to(dtype)(xt[..., :1, :] if xt.dim() == 2 else xt[0, :1]).shape[-1]
    yt = _prepare_y(_as_tensor("y", y, dtype, cpu), K, xt.shape[-2], out_dim)
    criterion = nn.MSELoss() if loss == "mse" else nn.BCEWithLogitsLoss()
    trained, losses = [], np.zeros((steps + 1, K))
    for k, model in enumerate(models):
        m = copy.deepcopy(model).to(device=cpu, dtype=dtype)
        opt = _make_optimizer(optimizer, list(m.parameters()), lr)
        xk = xt if xt.dim() == 2 else xt[k]
        yk = yt if yt.dim() == 2 else yt[k]
        for t in range(steps):
            opt.zero_grad()
            value = criterion(m(xk), yk)
            losses[t, k] = value.item()
            value.backward()
            opt.step()
            if clips[k] is not None:
                with torch.no_grad():
                    for p in m.parameters():
                        p.clamp_(-clips[k], clips[k])
        with torch.no_grad():
            losses[steps, k] = criterion(m(xk), yk).item()
        trained.append(m)
    if not np.all(np.isfinite(losses)):
        raise ValueError("training diverged: non-finite loss (try a smaller lr)")
    return trained, losses


def max_relative_difference(models_a, models_b) -> float:
    """Largest relative difference ``||p_a - p_b|| / ||p_b||`` over matching parameter tensors.

    Parameters
    ----------
    models_a, models_b : sequence of torch.nn.Module
        Two lists of models, pairwise of one architecture (e.g. ``hist.models`` and the
        models of :func:`train_separately`); devices and dtypes may differ (compared in
        float64 on the CPU).

    Returns
    -------
    float
        The maximum over models and parameter tensors (Euclidean norms; the absolute
        difference for an all-zero reference tensor); ``0.0`` when identical.

    Raises
    ------
    ValueError
        If the lists differ in length or the models in parameter names/shapes.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> max_relative_difference([nets.relu_mlp(1, [4], seed=0)], [nets.relu_mlp(1, [4], seed=0)])
    0.0
    """
    models_a, models_b = list(models_a), list(models_b)
    if len(models_a) != len(models_b) or not models_a:
        raise ValueError(f"need two non-empty lists of equal length, got {len(models_a)} and {len(models_b)}")
    worst = 0.0
    for k, (a, b) in enumerate(zip(models_a, models_b, strict=True)):
        pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
        if list(pa) != list(pb) or any(pa[n].shape != pb[n].shape for n in pa):
            raise ValueError(f"models {k} differ in parameter names or shapes")
        for n in pa:
            ta = pa[n].detach().to("cpu", torch.float64)
            tb = pb[n].detach().to("cpu", torch.float64)
            ref = torch.linalg.vector_norm(tb).item()
            diff = torch.linalg.vector_norm(ta - tb).item()
            worst = max(worst, diff / ref if ref > 0 else diff)
    return worst


# ---------------------------------------------------------------------------------------
# Perturbation sweeps
# ---------------------------------------------------------------------------------------


def perturbed_predictions(
    model: nn.Module,
    x,
    deltas,
    n_samples: int,
    seed: int,
    *,
    common_directions: bool = False,
    max_bytes: int = 64 * 2**20,
    device=None,
) -> np.ndarray:
    """Predictions of ``theta* + delta * u`` for random unit directions ``u`` over all parameters.

    ``u`` is an isotropic Gaussian vector over **all** parameters (weights and biases)
    normalised to global Euclidean norm 1, i.e. uniform on the unit sphere (Rahaman et
    al.'s robustness experiment).  The perturbed networks are evaluated in batches (stacked
    parameters, one batched forward per chunk) instead of one ``deepcopy`` per sample;
    chunks are sized so stacked parameters and activations stay under ``max_bytes``.  The
    result does not depend on the chunking: direction ``j`` is always the ``j``-th draw
    (``torch.randn(P)`` in the model's precision, float32 or float64, normalised in
    float64) of one CPU generator seeded with ``seed``.

    Parameters
    ----------
    model : torch.nn.Module
        The trained model ``theta*`` (not modified).
    x : array_like or torch.Tensor
        Evaluation inputs ``(N, d)`` (or ``(N,)`` for 1-D input).
    deltas : array_like of float, shape (n_deltas,)
        Perturbation sizes ``delta >= 0`` (global L2 norm of the perturbation).
    n_samples : int
        Directions per ``delta``.
    seed : int
        Seed of the directions.
    common_directions : bool, default False
        ``False`` draws fresh directions for every ``delta`` (as the official code does);
        ``True`` reuses the same ``n_samples`` directions for all ``delta`` (smoother
        curves in ``delta``, fewer random numbers).
    max_bytes : int, default 64 MiB
        Memory bound of one chunk (stacked parameters plus activations).
    device : str or torch.device, optional
        Default: CUDA when available, else CPU.

    Returns
    -------
    numpy.ndarray
        ``(n_deltas, n_samples, N)`` for one output, ``(n_deltas, n_samples, N, out)``
        otherwise, float64.

    Raises
    ------
    TypeError
        If ``model`` is not a module.
    ValueError
        If ``deltas`` is empty, negative or non-finite, ``n_samples``/``seed``/``max_bytes``
        is invalid, or ``x`` has the wrong shape.

    Examples
    --------
    >>> from spectral_lib import nets
    >>> net = nets.relu_mlp(1, [16, 16], seed=0)
    >>> p = perturbed_predictions(net, np.arange(8) / 8, [0.0, 0.5], n_samples=3, seed=0)
    >>> p.shape
    (2, 3, 8)
    >>> bool(np.allclose(p[0], net(torch.arange(8.0)[:, None] / 8).detach().numpy()[:, 0], atol=1e-6))
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    (model,) = _check_models([model])
    n_samples = _check_int("n_samples", n_samples, 1)
    seed = _check_int("seed", seed, 0)
    max_bytes = _check_int("max_bytes", max_bytes, 1)
    d = np.asarray(deltas, dtype=np.float64)
    if d.ndim != 1 or d.size == 0:
        raise ValueError("deltas must be a non-empty 1-D sequence")
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("deltas must be finite and non-negative")
    dev = default_device(device)
    dtype = next(model.parameters()).dtype
    xt = _as_tensor("x", x, dtype, dev)
    if xt.dim() == 1:
        xt = xt[:, None]
    if xt.dim() != 2 or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (N, d) or (N,), got {tuple(xt.shape)}")
    n_d, n = len(d), xt.shape[0]

    backend = backend_for([model])
    names = [name for name, _ in model.named_parameters()]
    theta = torch.cat([p.detach().to(device=dev, dtype=dtype).reshape(-1) for p in model.parameters()])
    shapes = [tuple(p.shape) for p in model.parameters()]
    sizes = [int(np.prod(s)) for s in shapes]
    P = theta.numel()
    gen = torch.Generator().manual_seed(seed)
    # Directions are drawn on the CPU in the model's precision (float64 draws cost ~5x more).
    draw_dtype = torch.float64 if dtype == torch.float64 else torch.float32

    # Jobs in generation order: (delta index, sample index, direction id).
    if common_directions:
        jobs = [(i, s, s) for s in range(n_samples) for i in range(n_d)]
    else:
        jobs = [(i, s, i * n_samples + s) for i in range(n_d) for s in range(n_samples)]
    directions: dict[int, torch.Tensor] = {}
    next_id = 0

    def direction(j: int) -> torch.Tensor:
        nonlocal next_id
        while next_id <= j:
            u = torch.randn(P, generator=gen, dtype=draw_dtype)
            norm = torch.linalg.vector_norm(u.to(torch.float64))
            directions[next_id] = (u.to(torch.float64) / norm).to(device=dev, dtype=dtype)
            next_id += 1
        return directions[j]

    with torch.no_grad():
        if backend == "loop":
            engine, base = None, copy.deepcopy(model).to(device=dev)
            probe = base(xt[:1])
        else:
            engine, base = _Batched([model], backend, dev, dtype), None
            probe = engine.forward(xt[:1])
        out_dim = probe.shape[-1]
        widths = sum(m.out_features for m in model.modules() if isinstance(m, nn.Linear)) or 1
        per_job = (2 * P + 2 * n * widths) * theta.element_size()
        chunk = max(1, min(len(jobs), max_bytes // per_job))
        result = torch.empty(n_d, n_samples, n, out_dim, dtype=torch.float64)
        delta_t = torch.as_tensor(d, dtype=dtype, device=dev)
        for start in range(0, len(jobs), chunk):
            part = jobs[start : start + chunk]
            U = torch.stack([direction(j) for _, _, j in part])
            stacked = theta.unsqueeze(0) + delta_t[[i for i, _, _ in part]].unsqueeze(1) * U
            if engine is not None:
                cols = torch.split(stacked, sizes, dim=1)
                params = {
                    nm: c.reshape(len(part), *sh) for nm, c, sh in zip(names, cols, shapes, strict=True)
                }
                out = engine.forward(xt, params=params)
            else:
                out = torch.stack([_loop_eval(base, names, row, sizes, shapes, xt) for row in stacked])
            for (i, s, _), o in zip(part, out, strict=True):
                result[i, s] = o.to(torch.float64).cpu()
            # Jobs are ordered by direction id: ids below the next job's are not needed again.
            keep_from = jobs[start + chunk][2] if start + chunk < len(jobs) else next_id
            for j in [j for j in directions if j < keep_from]:
                del directions[j]
    arr = result.numpy()
    if not np.all(np.isfinite(arr)):
        raise ValueError("perturbed predictions are not finite (delta too large?)")
    return arr[..., 0] if out_dim == 1 else arr


def _loop_eval(model: nn.Module, names, flat: torch.Tensor, sizes, shapes, x: torch.Tensor) -> torch.Tensor:
    """Evaluate ``model`` at the flat parameter vector ``flat`` without a deepcopy."""
    from torch.func import functional_call

    cols = torch.split(flat, sizes)
    params = {nm: c.reshape(sh) for nm, c, sh in zip(names, cols, shapes, strict=True)}
    return functional_call(model, params, (x,))
