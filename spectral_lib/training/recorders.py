"""What a training run records at its checkpoints.

A :class:`Recorder` is called with the :class:`TrainState` of every checkpoint and returns
arrays with a leading model axis: predictions on a grid, normalised amplitudes of given
frequencies, the true spectral norm of every layer, exact regions and Lipschitz constants,
activation-region statistics, PSNR, or anything a callback computes.
"""

from __future__ import annotations

import abc
import copy
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from spectral_lib import cpwl, datasets, spectra, validation

from .batching import Looped, as_tensor


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
            if isinstance(self._engine, Looped):
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
            t = as_tensor("x_eval", x_eval, torch.float64, torch.device("cpu"))
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
    :func:`spectral_lib.spectra.normalised_amplitudes` (``|FFT|/N``, one-sided).

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

        out = self._outputs(state).detach().cpu().numpy()
        if out.shape[-1] != 1:
            raise ValueError("AmplitudeRecorder needs models with one output")
        return spectra.normalised_amplitudes(out[..., 0], self.freqs, self.amplitudes)


class SpectralNormRecorder(Recorder):
    """Record each Linear layer's spectral norm (largest singular value).

    Uses ``torch.linalg.matrix_norm(W, 2)`` on the stacked weights, the true
    ``sigma_max``. The official notebooks' ``power_iteration`` does not: it iterates ``W``
    rather than ``WᵀW`` (an eigenvalue, not a singular value) and its
    ``(b.t() @ A @ b) / b.t() @ b`` parses as ``width x`` the Rayleigh quotient, so its
    "spectral norms" of the hidden layers are about ``width`` times too large.

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

    For networks with 1-D or 2-D input and one output, through :mod:`spectral_lib.cpwl`
    (exact, no grid; slower than the other recorders, so use a sparse ``record_every``):
    in 1-D the activation regions (pieces) of :func:`spectral_lib.cpwl.pieces_1d` on an
    interval, in 2-D the polygons of :func:`spectral_lib.cpwl.partition_2d` on a box; the
    Lipschitz constant is :func:`spectral_lib.cpwl.lipschitz` (largest slope / gradient
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

        rows = []
        for m in state.models():
            in_dim = next(l for l in m.modules() if isinstance(l, nn.Linear)).in_features
            if in_dim == 1 and self.domain.shape == (2,):
                pieces = cpwl.pieces_1d(m, tuple(self.domain))
                count = pieces.merged().n_pieces if self.linear else pieces.n_pieces
            elif in_dim == 2 and self.domain.shape == (2, 2):
                pieces = cpwl.partition_2d(m, tuple(map(tuple, self.domain)))
                count = pieces.n_regions
            else:
                raise ValueError(
                    f"RegionRecorder: {in_dim}-D input needs a domain of shape "
                    f"{'(2,)' if in_dim == 1 else '(2, 2)'} (only 1-D and 2-D inputs are supported)"
                )
            rows.append((float(count), cpwl.lipschitz(pieces)))
        return np.asarray(rows, dtype=np.float64)


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.isidentifier() or name in ("models", "steps", "loss"):
        raise ValueError(f"recorder name must be an identifier other than models/steps/loss, got {name!r}")
    return name


class RegionStatsRecorder(Recorder):
    """Record activation-region statistics of every model at each checkpoint.

    Columns (in this order): the mean Hamming distance over each named pair set, the number
    of distinct patterns over ``x``, the number of dead units, and (if ``layer_pairs`` is
    given) the mean Hamming distance of ``layer_pairs`` in each hidden layer.

    Parameters
    ----------
    x : array_like, shape (n, in_dim) or (K, n, in_dim)
        Points, shared or one set per model (as passed to ``train_full_batch``).
    pair_sets : dict of str to array_like
        Named index-pair sets, e.g. ``{"local": ..., "global": ...}``.
    layer_pairs : array_like, optional
        Pairs for the layer-wise Hamming distance.
    name : str, default "region_stats"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K, n_columns)``; ``columns`` names them.

    Examples
    --------
    >>> rec = RegionStatsRecorder(np.zeros((4, 1)), {"local": [[0, 1]]})
    >>> rec.columns
    ['local', 'n_patterns', 'dead']
    """

    def __init__(self, x, pair_sets: dict, layer_pairs=None, name: str = "region_stats"):
        self.name = _check_name(name)
        arr = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim not in (2, 3):
            raise ValueError(f"x must have shape (n, d) or (K, n, d), got {arr.shape}")
        self.x = arr
        n = arr.shape[-2]
        if not isinstance(pair_sets, dict):
            raise TypeError("pair_sets must be a dict of name -> pairs")
        self.pair_sets = {str(k): validation.check_pairs(v, n) for k, v in pair_sets.items()}
        self.layer_pairs = None if layer_pairs is None else validation.check_pairs(layer_pairs, n)
        self.columns = [*self.pair_sets, "n_patterns", "dead"]
        self._n_layers = None

    def __call__(self, state) -> np.ndarray:
        rows = []
        for k, model in enumerate(state.models()):
            xk = self.x[k] if self.x.ndim == 3 else self.x
            by_layer = cpwl.activation_patterns(model, xk, by_layer=True)
            p = np.concatenate(by_layer, axis=1)
            row = [cpwl.hamming(p, q).mean() for q in self.pair_sets.values()]
            row += [cpwl.count_patterns(p), int(np.sum(~p.any(axis=0)))]
            if self.layer_pairs is not None:
                row += [cpwl.hamming(pl, self.layer_pairs).mean() for pl in by_layer]
                if self._n_layers is None:
                    self._n_layers = len(by_layer)
                    self.columns += [f"layer{i + 1}" for i in range(len(by_layer))]
            rows.append(row)
        return np.asarray(rows, dtype=np.float64)


class PSNRRecorder(Recorder):
    """Record each model's PSNR on the training targets (images in [0, 1]).

    Parameters
    ----------
    target : array_like, shape (n, channels)
        The training targets, in the order of the training inputs.
    name : str, default "psnr"
        Attribute of the history.

    Returns
    -------
    Recorded as ``(n_rec, K)`` in dB.

    Examples
    --------
    >>> PSNRRecorder(np.zeros((4, 3))).name
    'psnr'
    """

    def __init__(self, target, name: str = "psnr"):
        self.name = _check_name(name)
        self.target = np.asarray(target, dtype=np.float64)
        if self.target.ndim != 2:
            raise ValueError(f"target must have shape (n, channels), got {self.target.shape}")

    def __call__(self, state) -> np.ndarray:
        out = state.outputs.detach().cpu().numpy().astype(np.float64)
        return np.atleast_1d(datasets.psnr(out, self.target))
