"""The training engine against plain per-model torch loops (the independent reference)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from spectral_lib import networks, seeding, spectra, training
from spectral_lib.training import batching

torch.set_num_threads(1)


def reference_train(models, x, y, *, steps, lr, loss="mse", clip=None, dtype=None, optimizer="adam"):
    """Each model alone, as the official notebooks do: its own Adam on its mean full-batch loss.

    Returns the trained copies and, per model, the list of (loss, outputs) before every step
    plus the final state.
    """
    trained, trace = [], []
    for k, m0 in enumerate(models):
        m = copy.deepcopy(m0)
        if dtype is not None:
            m = m.to(dtype)
        opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(m.parameters(), lr=lr)
        crit = nn.MSELoss() if loss == "mse" else nn.BCEWithLogitsLoss()
        xx = x if x.dim() == 2 else x[k]
        yy = y if y.dim() == 2 else y[k]
        seq = []
        for _ in range(steps):
            opt.zero_grad()
            out = m(xx)
            lv = crit(out, yy)
            seq.append((lv.item(), out.detach().clone()))
            lv.backward()
            opt.step()
            if clip is not None:
                with torch.no_grad():
                    for p in m.parameters():
                        p.clamp_(-clip, clip)
        with torch.no_grad():
            out = m(xx)
            seq.append((crit(out, yy).item(), out.clone()))
        trained.append(m)
        trace.append(seq)
    return trained, trace


def max_rel_err(models_a, models_b) -> float:
    errs = []
    for a, b in zip(models_a, models_b, strict=True):
        for (na, pa), (nb, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
            assert na == nb
            errs.append(((pa.detach() - pb.detach()).norm() / pb.detach().norm()).item())
    return max(errs)


def grid(n, dtype=torch.float64):
    return (torch.arange(n, dtype=dtype) / n)[:, None]


def sines(x, freqs=(2, 5), phase=0.0):
    return sum(torch.sin(2 * np.pi * k * x + phase) for k in freqs)


# --- equivalence with separate Adams -------------------------------------------------------


def test_float64_equals_separate_adams_after_500_steps():
    x = grid(64)
    y = sines(x, (3, 9))
    models = [networks.relu_mlp(1, [24, 24, 24], seed=s, dtype=torch.float64) for s in range(3)]
    hist = training.train_full_batch(models, x, y, steps=500, lr=1e-3, record_every=50, progress=False)
    ref, trace = reference_train(models, x, y, steps=500, lr=1e-3)
    assert hist.backend == "stacked"
    assert max_rel_err(hist.models, ref) <= 1e-10
    want = np.array([[trace[k][t][0] for k in range(3)] for t in hist.steps])
    np.testing.assert_allclose(hist.loss, want, rtol=1e-9)


def test_float32_equals_separate_adams_up_to_rounding():
    """In float32 the engine and separate Adams sum in different orders (batched vs single
    matrix products), and Adam amplifies rounding differences over hundreds of steps. The
    yardstick is a rounding-only control: the same separate Adams on the same data in
    another row order (the same loss in exact arithmetic). After one step the engine must
    agree to float32 round-off; after 500 it must stay within ten times the control."""
    x = grid(200, torch.float32)
    y = sines(x, (5, 20))
    perm = torch.randperm(200, generator=torch.Generator().manual_seed(0))
    models = [networks.relu_mlp(1, [32] * 3, seed=s) for s in range(4)]
    one = training.train_full_batch(models, x, y, steps=1, lr=1e-3, progress=False)
    ref1, _ = reference_train(models, x, y, steps=1, lr=1e-3)
    assert max_rel_err(one.models, ref1) <= 1e-6
    hist = training.train_full_batch(models, x, y, steps=500, lr=1e-3, progress=False)
    ref, _ = reference_train(models, x, y, steps=500, lr=1e-3)
    control, _ = reference_train(models, x[perm], y[perm], steps=500, lr=1e-3)
    assert max_rel_err(hist.models, ref) <= 10 * max(max_rel_err(control, ref), 1e-6)


@settings(max_examples=6, deadline=None)
@given(
    K=st.integers(1, 4),
    hidden=st.lists(st.integers(1, 12), min_size=0, max_size=3),
    in_dim=st.integers(1, 3),
    out_dim=st.integers(1, 2),
    per_model_x=st.booleans(),
    per_model_y=st.booleans(),
    loss=st.sampled_from(["mse", "bce"]),
    clip=st.sampled_from([None, 0.3]),
    optimizer=st.sampled_from(["adam", "sgd"]),
    seed=st.integers(0, 10_000),
)
def test_float64_equivalence_over_architectures_and_data_layouts(
    K, hidden, in_dim, out_dim, per_model_x, per_model_y, loss, clip, optimizer, seed
):
    g = torch.Generator().manual_seed(seed)
    n = 17
    x = torch.rand((K, n, in_dim) if per_model_x else (n, in_dim), generator=g, dtype=torch.float64)
    y = torch.rand((K, n, out_dim) if per_model_y else (n, out_dim), generator=g, dtype=torch.float64)
    models = [networks.relu_mlp(in_dim, hidden, out_dim, seed=seed + s, dtype=torch.float64)
              for s in range(K)]
    hist = training.train_full_batch(
        models, x, y, steps=40, lr=1e-2, loss=loss, clip=clip, record_every=7, progress=False,
        optimizer=optimizer, recorders=[training.PredictionRecorder()],
    )
    yy = y.expand(K, n, out_dim) if y.dim() == 2 else y
    ref, trace = reference_train(models, x, yy, steps=40, lr=1e-2, loss=loss, clip=clip, optimizer=optimizer)
    assert max_rel_err(hist.models, ref) <= 1e-10
    assert hist.steps.tolist() == [0, 7, 14, 21, 28, 35, 40]
    for i, t in enumerate(hist.steps):
        for k in range(K):
            want = trace[k][t][1].numpy()
            got = hist.predictions[i, k]
            np.testing.assert_allclose(got, want[:, 0] if out_dim == 1 else want, rtol=1e-10, atol=1e-12)
            assert abs(hist.loss[i, k] - trace[k][t][0]) <= 1e-10 * max(1.0, abs(trace[k][t][0]))
    if clip is not None:
        assert all(p.abs().max() <= clip for m in hist.models for p in m.parameters())


@pytest.mark.parametrize("backend", ["stacked", "vmap", "loop"])
def test_per_model_clip_equals_separate_runs_with_their_own_clip(backend):
    x = grid(32)
    y = sines(x, (2, 7))
    clips = [0.05, 0.2, 0.2, 3.0]
    models = [networks.relu_mlp(1, [12, 12], seed=s, dtype=torch.float64) for s in range(4)]
    hist = training.train_full_batch(models, x, y, steps=60, lr=1e-2, clip=np.array(clips), record_every=20,
                                  progress=False, backend=backend)
    assert hist.backend == backend
    for k, c in enumerate(clips):
        ref, trace = reference_train([models[k]], x, y, steps=60, lr=1e-2, clip=c)
        assert max_rel_err([hist.models[k]], ref) <= 1e-10
        np.testing.assert_allclose(hist.loss[:, k], [trace[0][t][0] for t in hist.steps], rtol=1e-9)
        assert max(p.abs().max().item() for p in hist.models[k].parameters()) <= c
    # The smallest clip binds; models sharing a bound match a scalar-clip run.
    assert max(p.abs().max().item() for p in hist.models[0].parameters()) == pytest.approx(0.05)
    scalar = training.train_full_batch(models, x, y, steps=60, lr=1e-2, clip=0.2, progress=False,
                                    backend=backend)
    assert max_rel_err(scalar.models[1:3], hist.models[1:3]) <= 1e-12
    got, _ = training.train_separately(models, x, y, steps=60, lr=1e-2, clip=clips)
    assert max_rel_err(got, hist.models) <= 1e-10


@pytest.mark.parametrize(
    ("clip", "error", "match"),
    [
        ([0.1], ValueError, "one bound per model"),
        ([0.1, 0.2, 0.3], ValueError, "one bound per model"),
        ([0.1, -0.2], ValueError, r"clip\[1\]"),
        ([0.1, float("nan")], ValueError, r"clip\[1\]"),
        ([[0.1, 0.2]], ValueError, "1-D"),
        ("0.1", TypeError, "clip"),
        ([0.1, "a"], TypeError, r"clip\[1\]"),
    ],
)
def test_invalid_per_model_clip(clip, error, match):
    x = grid(8)
    models = [networks.relu_mlp(1, [4], seed=s) for s in range(2)]
    with pytest.raises(error, match=match):
        training.train_full_batch(models, x, sines(x), steps=1, lr=1e-3, clip=clip, progress=False)


def test_per_model_targets_as_k_by_n():
    x = grid(40)
    y = torch.stack([torch.sin(2 * np.pi * 3 * x[:, 0] + ph) for ph in (0.0, 1.0, 2.0)])  # (K, N)
    models = [networks.relu_mlp(1, [16, 16], seed=s, dtype=torch.float64) for s in range(3)]
    hist = training.train_full_batch(models, x, y, steps=60, lr=3e-3, progress=False)
    ref, _ = reference_train(models, x, y[:, :, None], steps=60, lr=3e-3)
    assert max_rel_err(hist.models, ref) <= 1e-10


def test_dtype_request_trains_in_float64():
    x = grid(32, torch.float32)
    models = [networks.relu_mlp(1, [8, 8], seed=s) for s in range(2)]
    hist = training.train_full_batch(models, x, sines(x), steps=30, lr=1e-2, dtype=torch.float64,
                                     progress=False)
    assert all(p.dtype == torch.float64 for m in hist.models for p in m.parameters())
    ref, _ = reference_train(models, x.double(), sines(x).double(), steps=30, lr=1e-2, dtype=torch.float64)
    assert max_rel_err(hist.models, ref) <= 1e-10


# --- other batching paths ------------------------------------------------------------------


class Sine(nn.Module):
    """A tiny non-Sequential model (sine activation): batched through torch.func.vmap."""

    def __init__(self, seed):
        super().__init__()
        torch.manual_seed(seed)
        self.a = nn.Linear(1, 8, dtype=torch.float64)
        self.b = nn.Linear(8, 1, dtype=torch.float64)

    def forward(self, x):
        return self.b(torch.sin(3.0 * self.a(x)))


class WithBuffer(Sine):
    """Has a buffer: the engine falls back to a per-model loop."""

    def __init__(self, seed):
        super().__init__(seed)
        self.register_buffer("scale", torch.tensor(2.0, dtype=torch.float64))

    def forward(self, x):
        return self.scale * super().forward(x)


@pytest.mark.parametrize(("cls", "backend"), [(Sine, "vmap"), (WithBuffer, "loop")])
def test_vmap_and_loop_backends_equal_separate_adams(cls, backend):
    x = grid(30)
    y = sines(x, (2,))
    models = [cls(s) for s in range(3)]
    assert batching.backend_for(models) == backend
    hist = training.train_full_batch(
        models, x, y, steps=50, lr=1e-2, progress=False, recorders=[training.SpectralNormRecorder()]
    )
    assert hist.backend == backend
    ref, _ = reference_train(models, x, y, steps=50, lr=1e-2)
    assert max_rel_err(hist.models, ref) <= 1e-10
    want = [np.linalg.norm(m.a.weight.detach().numpy(), 2) for m in ref]
    np.testing.assert_allclose(hist.spectral_norms[-1, :, 0], want, rtol=1e-10)


def test_forced_loop_backend_equals_stacked():
    x = grid(30)
    models = [networks.relu_mlp(1, [8, 8], seed=s, dtype=torch.float64) for s in range(2)]
    a = training.train_full_batch(models, x, sines(x), steps=40, lr=1e-2, progress=False)
    b = training.train_full_batch(models, x, sines(x), steps=40, lr=1e-2, progress=False, backend="loop")
    assert (a.backend, b.backend) == ("stacked", "loop")
    assert max_rel_err(a.models, b.models) <= 1e-10
    with pytest.raises(ValueError, match="stacked"):
        training.train_full_batch([Sine(0)], x, sines(x), steps=1, lr=1e-2, backend="stacked")


# --- recorders -----------------------------------------------------------------------------


def test_recorders_match_independent_computations():
    n = 64
    x = grid(n)
    y = torch.sin(2 * np.pi * 3 * x) + 0.5 * torch.sin(2 * np.pi * 7 * x)
    models = [networks.relu_mlp(1, [16, 16], seed=s, dtype=torch.float64) for s in range(2)]
    x_eval = np.linspace(-0.5, 1.5, 11)
    hist = training.train_full_batch(
        models, x, y, steps=30, lr=1e-2, record_every=10, progress=False,
        recorders=[
            training.PredictionRecorder(x_eval, name="pred_eval"),
            training.PredictionRecorder(),
            training.AmplitudeRecorder(freqs=[3, 7], amplitudes=[1.0, 0.5]),
            training.SpectralNormRecorder(),
            training.CallbackRecorder("l1", lambda ms: [sum(p.abs().sum().item() for p in m.parameters())
                                                     for m in ms]),
        ],
    )
    ref, trace = reference_train(models, x, y, steps=30, lr=1e-2)
    assert hist.pred_eval.shape == (4, 2, 11)
    assert hist.predictions.shape == (4, 2, n)
    assert hist.amplitudes.shape == (4, 2, 2)
    assert hist.spectral_norms.shape == (4, 2, 3)
    assert hist["l1"].shape == (4, 2)
    # Amplitudes: Rahaman et al.'s 2|F[k]|/A of the predictions made before each step.
    for i, t in enumerate(hist.steps):
        for k in range(2):
            pred = trace[k][t][1].numpy()[:, 0]
            want = 2 * np.abs(np.fft.fft(pred) / n)[[3, 7]] / np.array([1.0, 0.5])
            np.testing.assert_allclose(hist.amplitudes[i, k], want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        hist.amplitudes, spectra.normalised_amplitudes(hist.predictions, [3, 7], [1.0, 0.5]), rtol=1e-12
    )
    # Final records belong to the trained models.
    for k, m in enumerate(ref):
        with torch.no_grad():
            want = m(torch.as_tensor(x_eval)[:, None]).numpy()[:, 0]
        np.testing.assert_allclose(hist.pred_eval[-1, k], want, rtol=1e-9, atol=1e-12)
        sv = [np.linalg.svd(W, compute_uv=False)[0] for W, _ in networks.affine_layers(m)]
        np.testing.assert_allclose(hist.spectral_norms[-1, k], sv, rtol=1e-9)
        l1 = sum(p.abs().sum().item() for p in m.parameters())
        assert hist.l1[-1, k] == pytest.approx(l1, rel=1e-9)


def test_record_schedule_and_zero_steps():
    x = grid(16)
    models = [networks.relu_mlp(1, [4], seed=0, dtype=torch.float64)]
    h = training.train_full_batch(models, x, sines(x), steps=250, lr=1e-3, record_every=100, progress=False)
    assert h.steps.tolist() == [0, 100, 200, 250]
    h0 = training.train_full_batch(models, x, sines(x), steps=0, lr=1e-3, progress=False)
    assert h0.steps.tolist() == [0]
    assert max_rel_err(h0.models, models) == 0.0


def test_inputs_left_untouched_and_models_are_new_objects():
    x = grid(16)
    models = [networks.relu_mlp(1, [8], seed=s, dtype=torch.float64) for s in range(2)]
    before = [copy.deepcopy(m) for m in models]
    hist = training.train_full_batch(models, x, sines(x), steps=20, lr=1e-2, progress=False)
    assert max_rel_err(models, before) == 0.0
    assert all(a is not b for a, b in zip(hist.models, models, strict=True))
    assert max_rel_err(hist.models, models) > 0


def test_history_rejects_unknown_record():
    x = grid(8)
    net = networks.relu_mlp(1, [4], seed=0)
    hist = training.train_full_batch([net], x, sines(x), steps=2, lr=1e-3, progress=False)
    with pytest.raises(AttributeError, match="no record"):
        _ = hist.amplitudes


def test_paper_profile_network_runs_a_few_steps():
    """The paper's 6-layer, 256-wide network (Exp1 of Rahaman et al.) on the 200-point grid."""
    x = grid(200, torch.float32)
    y = sines(x, (5, 10, 50))
    models = [networks.relu_mlp(1, [256] * 5, seed=s) for s in range(2)]
    assert sum(p.numel() for p in models[0].parameters()) == 263_937
    hist = training.train_full_batch(
        models, x, y, steps=3, lr=3e-4, record_every=1, progress=False,
        recorders=[training.AmplitudeRecorder(freqs=[5, 10, 50]), training.SpectralNormRecorder()],
    )
    ref, _ = reference_train(models, x, y, steps=3, lr=3e-4)
    assert max_rel_err(hist.models, ref) <= 1e-5
    assert hist.spectral_norms.shape == (4, 2, 6)


# --- progress bar, device, validation -----------------------------------------------------


def test_progress_is_silent_when_disabled(capsys, monkeypatch):
    x = grid(16)
    models = [networks.relu_mlp(1, [4], seed=0)]
    monkeypatch.setenv("TQDM_DISABLE", "1")
    training.train_full_batch(models, x, sines(x), steps=5, lr=1e-3, progress=True)
    monkeypatch.delenv("TQDM_DISABLE")
    training.train_full_batch(models, x, sines(x), steps=5, lr=1e-3, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_device_none_picks_cuda_if_present_else_cpu():
    x = grid(8)
    net = networks.relu_mlp(1, [4], seed=0)
    hist = training.train_full_batch([net], x, sines(x), steps=1, lr=1e-3, progress=False)
    want = "cuda" if torch.cuda.is_available() else "cpu"
    assert next(hist.models[0].parameters()).device.type == want


def test_divergence_raises_instead_of_returning_nan():
    x = grid(16)
    y = 1e30 * torch.ones_like(x)
    with pytest.raises(ValueError, match="diverged|not finite"):
        training.train_full_batch(
            [networks.relu_mlp(1, [4], seed=0)], x.float(), y.float(), steps=5, lr=1e30, progress=False
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loss": "l1"}, ValueError, "loss"),
        ({"steps": -1}, ValueError, "steps"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"record_every": 0}, ValueError, "record_every"),
        ({"clip": -1.0}, ValueError, "clip"),
        ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
        ({"backend": "gpu"}, ValueError, "backend"),
        ({"recorders": [object()]}, TypeError, "Recorder"),
        ({"recorders": [training.SpectralNormRecorder(), training.SpectralNormRecorder()]}, ValueError,
         "unique"),
        ({"dtype": torch.int32}, TypeError, "dtype"),
    ],
)
def test_invalid_arguments(kwargs, error, match):
    x = grid(8)
    args = {"steps": 1, "lr": 1e-3, "progress": False, **kwargs}
    with pytest.raises(error, match=match):
        training.train_full_batch([networks.relu_mlp(1, [4], seed=0)], x, sines(x), **args)


def test_invalid_models_and_data():
    x = grid(8)
    y = sines(x)
    net = networks.relu_mlp(1, [4], seed=0)
    with pytest.raises(TypeError, match="list"):
        training.train_full_batch(net, x, y, steps=1, lr=1e-3)
    with pytest.raises(ValueError, match="at least one"):
        training.train_full_batch([], x, y, steps=1, lr=1e-3)
    with pytest.raises(ValueError, match="shapes"):
        training.train_full_batch([net, networks.relu_mlp(1, [5], seed=0)], x, y, steps=1, lr=1e-3)
    with pytest.raises(ValueError, match="y has shape"):
        training.train_full_batch([net], x, y[:5], steps=1, lr=1e-3)
    with pytest.raises(ValueError, match="leading axis"):
        training.train_full_batch([net], torch.rand(3, 8, 1), y, steps=1, lr=1e-3)
    with pytest.raises(ValueError, match="NaN"):
        training.train_full_batch([net], x * float("nan"), y, steps=1, lr=1e-3)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        training.train_full_batch([net], x, y, steps=1, lr=1e-3, loss="bce")
    with pytest.raises(ValueError, match="freqs"):
        training.AmplitudeRecorder(freqs=[])
    with pytest.raises(ValueError, match="name"):
        training.PredictionRecorder(name="loss")
    with pytest.raises(TypeError, match="callable"):
        training.CallbackRecorder("c", 3)


# --- perturbation sweeps -------------------------------------------------------------------


def reference_perturbed(model, x, deltas, n_samples, seed, common=False):
    """The official code's way: a deepcopy per sample, perturbed in place, one forward each."""
    gen = torch.Generator().manual_seed(seeding.resolve(seed))  # the library shifts seeds by SPECTRAL_SEED
    P = sum(p.numel() for p in model.parameters())
    n_dirs = n_samples if common else len(deltas) * n_samples
    dirs = []
    dtype = next(model.parameters()).dtype
    for _ in range(n_dirs):
        u = torch.randn(P, generator=gen, dtype=dtype).double()
        dirs.append(u / u.norm())
    out = np.zeros((len(deltas), n_samples, x.shape[0]))
    for i, d in enumerate(deltas):
        for s in range(n_samples):
            u = dirs[s] if common else dirs[i * n_samples + s]
            m = copy.deepcopy(model)
            offset = 0
            with torch.no_grad():
                for p in m.parameters():
                    p.add_(d * u[offset : offset + p.numel()].reshape(p.shape).to(p.dtype))
                    offset += p.numel()
                out[i, s] = m(x).numpy()[:, 0]
    return out


@pytest.mark.parametrize("common", [False, True])
def test_perturbed_predictions_match_deepcopy_loop(common):
    net = networks.relu_mlp(1, [16, 16], seed=3, dtype=torch.float64)
    x = grid(50)
    deltas = [0.0, 0.3, 1.5]
    got = training.perturbed_predictions(net, x, deltas, 4, seed=7, common_directions=common)
    want = reference_perturbed(net, x, deltas, 4, seed=7, common=common)
    assert got.shape == (3, 4, 50)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    with torch.no_grad():
        base = net(x).numpy()[:, 0]
    np.testing.assert_allclose(got[0], np.broadcast_to(base, (4, 50)), rtol=1e-12)


@settings(max_examples=5, deadline=None)
@given(max_bytes=st.integers(1, 200_000), seed=st.integers(0, 1000))
def test_perturbed_predictions_do_not_depend_on_chunking(max_bytes, seed):
    net = networks.relu_mlp(2, [8, 8], 2, seed=seed, dtype=torch.float64)
    x = torch.rand(10, 2, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    a = training.perturbed_predictions(net, x, [0.1, 0.5, 1.0], 5, seed=seed, max_bytes=max_bytes)
    b = training.perturbed_predictions(net, x, [0.1, 0.5, 1.0], 5, seed=seed)
    assert a.shape == (3, 5, 10, 2)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_perturbation_has_the_requested_global_norm():
    """An affine net (no hidden layer) is linear in its parameters: the output change is δ·(u·∂f/∂θ)."""
    net = networks.relu_mlp(1, [], seed=0, dtype=torch.float64)
    x = torch.tensor([[0.0], [1.0]], dtype=torch.float64)  # f(0) = b, f(1) = w + b
    p = training.perturbed_predictions(net, x, [2.0], 200, seed=1)
    w, b = net[0].weight.item(), net[0].bias.item()
    du_b = (p[0, :, 0] - b) / 2.0
    du_w = (p[0, :, 1] - w - b) / 2.0 - du_b
    np.testing.assert_allclose(du_w**2 + du_b**2, 1.0, rtol=1e-10)


def test_perturbed_predictions_float32_match_deepcopy_loop():
    net = networks.relu_mlp(1, [16, 16], seed=4)
    x = grid(30, torch.float32)
    got = training.perturbed_predictions(net, x, [0.2, 1.0], 3, seed=2)
    want = reference_perturbed(net, x, [0.2, 1.0], 3, seed=2)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_perturbed_predictions_validation():
    net = networks.relu_mlp(1, [4], seed=0)
    x = grid(8, torch.float32)
    with pytest.raises(ValueError, match="non-negative"):
        training.perturbed_predictions(net, x, [-1.0], 2, seed=0)
    with pytest.raises(ValueError, match="non-empty"):
        training.perturbed_predictions(net, x, [], 2, seed=0)
    with pytest.raises(ValueError, match="n_samples"):
        training.perturbed_predictions(net, x, [1.0], 0, seed=0)
    with pytest.raises(TypeError, match="Module"):
        training.perturbed_predictions([net], x, [1.0], 2, seed=0)


# --- exact regions ------------------------------------------------------------------------


def test_region_recorder_1d_against_dense_sampling():
    x = grid(40)
    models = [networks.relu_mlp(1, [8, 8], seed=s, dtype=torch.float64) for s in range(2)]
    hist = training.train_full_batch(
        models, x, sines(x), steps=20, lr=1e-2, record_every=10, progress=False,
        recorders=[training.RegionRecorder((0.0, 1.0)),
                   training.RegionRecorder((0.0, 1.0), linear=True, name="lin")],
    )
    assert hist.regions.shape == (3, 2, 2)
    ref, _ = reference_train(models, x, sines(x), steps=20, lr=1e-2)
    dense = torch.linspace(0, 1, 200_001, dtype=torch.float64)[:, None]
    for k, m in enumerate(ref):
        with torch.no_grad():
            f = m(dense).numpy()[:, 0]
        slopes = np.diff(f) / np.diff(dense.numpy()[:, 0])
        # Dense finite differences: the steepest secant is a lower bound, attained up to round-off.
        assert hist.regions[-1, k, 1] == pytest.approx(np.abs(slopes).max(), rel=1e-6)
        # Linear pieces: slope changes seen on the dense grid (a kink shows up in <= 2 secants).
        changes = np.flatnonzero(np.abs(np.diff(slopes)) > 1e-6 * np.abs(slopes).max())
        runs = 1 + np.count_nonzero(np.diff(changes) > 2) if changes.size else 0
        assert hist.lin[-1, k, 0] == 1 + runs
        assert hist.regions[-1, k, 0] >= hist.lin[-1, k, 0]


def test_region_recorder_2d_lipschitz_bounds():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(30, 2, generator=g, dtype=torch.float64)
    y = torch.sin(3 * x[:, :1]) * x[:, 1:]
    models = [networks.relu_mlp(2, [6, 6], seed=s, dtype=torch.float64) for s in range(2)]
    hist = training.train_full_batch(
        models, x, y, steps=10, lr=1e-2, record_every=10, progress=False,
        recorders=[training.RegionRecorder(((0.0, 1.0), (0.0, 1.0)))],
    )
    for k, m in enumerate(hist.models):
        count, lip = hist.regions[-1, k]
        assert count >= 1
        pts = torch.rand(20_000, 2, generator=g, dtype=torch.float64)
        pts.requires_grad_(True)
        grads = torch.autograd.grad(m(pts).sum(), pts)[0]
        emp = grads.norm(dim=1).max().item()
        assert emp <= lip * (1 + 1e-9)
        assert lip <= networks.lipschitz_upper_bound(m) * (1 + 1e-9)
    with pytest.raises(ValueError, match="domain"):
        training.RegionRecorder((1.0, 0.0))
    with pytest.raises(ValueError, match="2-D input"):
        training.train_full_batch(models, x, y, steps=1, lr=1e-3, progress=False,
                               recorders=[training.RegionRecorder((0.0, 1.0))])


def test_train_separately_is_the_plain_reference():
    x = grid(30)
    y = torch.stack([sines(x, (2,), ph)[:, 0] for ph in (0.0, 1.0)])  # (K, N)
    models = [networks.relu_mlp(1, [8, 8], seed=s, dtype=torch.float64) for s in range(2)]
    got, loss = training.train_separately(models, x, y, steps=25, lr=1e-2, clip=0.5)
    want, trace = reference_train(models, x, y[:, :, None], steps=25, lr=1e-2, clip=0.5)
    assert max_rel_err(got, want) == 0.0
    np.testing.assert_array_equal(loss, np.array([[trace[k][t][0] for k in range(2)] for t in range(26)]))
    with pytest.raises(ValueError, match="loss"):
        training.train_separately(models, x, y, steps=1, lr=1e-2, loss="hinge")


def test_width_one_hidden_layer_and_single_model():
    """A one-unit layer takes the transposed product path; K = 1 takes the plain-layer path."""
    x = grid(20)
    for K, hidden in ((2, [1, 3]), (1, [5, 1])):
        models = [networks.relu_mlp(1, hidden, seed=s, dtype=torch.float64) for s in range(K)]
        hist = training.train_full_batch(models, x, sines(x), steps=30, lr=1e-2, progress=False,
                                      backend="stacked")
        ref, _ = reference_train(models, x, sines(x), steps=30, lr=1e-2)
        assert max_rel_err(hist.models, ref) <= 1e-10
        auto = training.train_full_batch(models, x, sines(x), steps=30, lr=1e-2, progress=False)
        assert auto.backend == ("loop" if K == 1 else "stacked")
        assert max_rel_err(auto.models, ref) <= 1e-10


def test_max_relative_difference():
    a = networks.relu_mlp(1, [4], seed=0, dtype=torch.float64)
    b = copy.deepcopy(a)
    with torch.no_grad():
        b[0].weight.mul_(1.5)
    want = 0.5 * a[0].weight.norm().item() / b[0].weight.norm().item()
    assert training.max_relative_difference([a], [b]) == pytest.approx(want, rel=1e-12)
    assert training.max_relative_difference([a], [copy.deepcopy(a)]) == 0.0
    with pytest.raises(ValueError, match="equal length"):
        training.max_relative_difference([a], [a, a])
    with pytest.raises(ValueError, match="shapes"):
        training.max_relative_difference([a], [networks.relu_mlp(1, [5], seed=0)])


def test_performance_config_paper_preset_runs():
    """The performance chapter under SPECTRAL_PROFILE=paper: its networks train and sweep."""
    from spectral_lib import configs

    cfg = configs.get("performance", "paper")
    x = grid(cfg.n_points, torch.float32)
    y = sines(x, cfg.freqs)
    models = [networks.relu_mlp(1, cfg.hidden, seed=s) for s in range(2)]
    hist = training.train_full_batch(models, x, y, steps=2, lr=cfg.lr, record_every=1, progress=False,
                                  recorders=[training.AmplitudeRecorder(freqs=cfg.freqs)])
    assert hist.amplitudes.shape == (3, 2, len(cfg.freqs))
    sweep = training.perturbed_predictions(hist.models[0], x, [0.0, cfg.delta_max], 2, seed=cfg.seed)
    assert sweep.shape == (2, 2, cfg.n_points) and np.all(np.isfinite(sweep))
