"""Full-batch training of ensembles of networks, recording their progress: :func:`train_full_batch`.

Every experiment of the book trains several small networks (seeds, phases, architectures)
full batch, as the papers did.  :func:`train_full_batch` trains ``K`` models of one
architecture *together*: their parameters are stacked along a leading axis of length ``K``,
one batched forward/backward pass (batched matrix products on stacked ``(K, out, in)``
weights) serves all of them, and one Adam over the stacked tensors updates them (PyTorch's
fused implementation, one kernel per tensor).  Adam acts on each parameter element
separately, so this is exactly ``K`` separate ``torch.optim.Adam`` runs (with the default
implementation) on each model's own mean loss, up to floating-point round-off
(the unit tests check a relative difference ``<= 1e-10`` in float64 after 500 steps, and
in float32 stay within the round-off of the same separate runs on reordered data).  It
returns a :class:`History`.

Usage::

    import numpy as np
    import torch
    from spectral_lib import networks, training

    x = torch.arange(200, dtype=torch.float32)[:, None] / 200          # (N, 1) grid of [0, 1)
    y = torch.sin(2 * np.pi * 5 * x) + torch.sin(2 * np.pi * 10 * x)   # shared target, (N, 1)
    models = [networks.relu_mlp(1, [128] * 5, seed=s) for s in range(3)]  # K = 3 seeds
    hist = training.train_full_batch(
        models, x, y, steps=2000, lr=1e-3, record_every=100,
        recorders=[training.AmplitudeRecorder(freqs=[5, 10]),      # 2|F[k]|/A on the training grid
                   training.SpectralNormRecorder(),                 # true sigma_max per layer
                   training.PredictionRecorder(x),                  # predictions on a grid
                   training.RegionRecorder((0.0, 1.0))])            # exact regions, Lipschitz (cpwl)
    hist.steps            # (n_rec,)   steps 0, 100, ..., 1900 and the final 2000
    hist.loss             # (n_rec, K) mean loss of each model
    hist.amplitudes       # (n_rec, K, 2)
    hist.spectral_norms   # (n_rec, K, 6)
    hist.predictions      # (n_rec, K, 200)
    hist.regions          # (n_rec, K, 2): region count, Lipschitz constant
    hist.models           # K new trained modules (the inputs are left untouched)

Per-model data (e.g. one phase per model) goes in with a leading ``K`` axis:
``x`` of shape ``(K, N, d)`` and/or ``y`` of shape ``(K, N)`` or ``(K, N, out)``.

How the ``K`` models are batched is :func:`spectral_lib.training.backend_for`'s choice:
sequential stacks of ``Linear`` layers and parameter-free element-wise activations (as
built by :func:`spectral_lib.networks.relu_mlp`) use the fast stacked path (``backend
"stacked"``); other modules with identical parameter shapes and no buffers are batched
with ``torch.func.functional_call`` and ``vmap`` (``"vmap"``); anything else falls back to
a plain per-model loop (``"loop"``, also used for a single model, where there is
nothing to batch).  ``hist.backend`` says which one ran.  The recorders live in
``spectral_lib.training.recorders``, the checked options (loss, optimiser, clipping) in
``spectral_lib.training.options``, the plain per-model reference loop in
:func:`spectral_lib.training.train_separately`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch.nn import functional as F

from spectral_lib import devices, validation

from .batching import BACKENDS, Batched, Looped, as_tensor, backend_for, check_models, prepare_x, prepare_y
from .options import check_clip, check_loss_and_optimizer, make_optimizer
from .recorders import Recorder, TrainState


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
    if isinstance(engine, Looped):
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


def _progress_enabled(progress) -> bool:
    if not progress:
        return False
    flag = os.environ.get("TQDM_DISABLE", "").strip().lower()
    return flag in ("", "0", "false", "no")


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


def _per_model_loss(out: torch.Tensor, y: torch.Tensor, loss: str) -> torch.Tensor:
    """Mean loss of each model, (K,), for outputs (K, N, out) and y (N, out)/(K, N, out)."""
    if y.dim() == 2:
        y = y.expand_as(out)
    if loss == "mse":
        return ((out - y) ** 2).mean(dim=(1, 2))
    return F.binary_cross_entropy_with_logits(out, y, reduction="none").mean(dim=(1, 2))


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
        ``[networks.relu_mlp(1, [128] * 5, seed=s) for s in range(3)]``.  They are not
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
    >>> from spectral_lib import networks
    >>> x = torch.linspace(0, 1, 16)[:, None]
    >>> models = [networks.relu_mlp(1, [8, 8], seed=s) for s in range(2)]
    >>> hist = train_full_batch(models, x, torch.sin(6 * x), steps=20, lr=1e-2, record_every=10,
    ...                         progress=False)
    >>> hist.steps.tolist(), hist.loss.shape
    ([0, 10, 20], (3, 2))
    >>> hist = train_full_batch(models, x, torch.sin(6 * x), steps=20, lr=1e-2, clip=[0.25, 2.0],
    ...                         progress=False)
    >>> [max(p.abs().max().item() for p in m.parameters()) <= c for m, c in zip(hist.models, [0.25, 2.0])]
    [True, True]
    """
    models = check_models(models)
    K = len(models)
    steps = validation.check_nonnegative_int("steps", steps)
    lr = validation.check_positive_float("lr", lr)
    record_every = validation.check_positive_int("record_every", record_every)
    check_loss_and_optimizer(loss, optimizer)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    clip = check_clip(clip, K)
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
    dev = devices.default_device(device)

    auto = backend_for(models)
    if backend == "auto":
        # One model: nothing to batch, the plain module trains fastest.
        backend = "loop" if K == 1 else auto
    elif backend == "stacked" and auto != "stacked":
        raise ValueError("backend='stacked' needs a Sequential of Linear layers and element-wise activations")
    elif backend == "vmap" and auto == "loop":
        raise ValueError("backend='vmap' needs models with identical configuration and no buffers")
    if backend == "loop":
        engine = Looped(models, dev, dtype)
        params = [list(m.parameters()) for m in engine.models]
        opts = [make_optimizer(optimizer, ps, lr) for ps in params]
        flat_params = [p for ps in params for p in ps]
    else:
        engine = Batched(models, backend, dev, dtype)
        flat_params = engine.parameters()
        opts = [make_optimizer(optimizer, flat_params, lr, fused=True)]
    clamp = _clamp_step(clip, engine, flat_params)

    xt = prepare_x(as_tensor("x", x, dtype, dev), K)
    n = xt.shape[-2]
    if n == 0:
        raise ValueError("x holds no samples")
    with torch.no_grad():
        probe = engine.forward(xt[..., :1, :])
    out_dim = probe.shape[-1]
    yt = prepare_y(as_tensor("y", y, dtype, dev), K, n, out_dim)
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

    trained = engine.models if isinstance(engine, Looped) else engine.to_models(models)
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
