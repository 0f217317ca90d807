"""Benchmark of the training engine (``spectral_lib.training``) against plain per-model loops.

Prints, side by side, ms per model-step and GFLOP/s (6 P N FLOPs per model-step: forward and
backward of a full-batch step) for K in {1, 8, 32} models x width in {64, 128, 256} (5 hidden
ReLU layers, N = 200 points of 1-D input, Adam, predictions recorded every 100 steps), for

* the engine: ``training.train_full_batch`` (stacked weights, one batched forward/backward,
  one Adam over stacked tensors), and
* a plain per-model PyTorch loop written like the official notebooks of Rahaman et al.
  (one ``torch.optim.Adam`` per model, ``nn.MSELoss``, ``out.data.numpy()`` every 100
  steps),

the machine's measured single-thread sgemm GFLOP/s (the ceiling), and a perturbation sweep
(``training.perturbed_predictions``) against the official code's ``deepcopy`` loop and against the
ceiling (2 P N FLOPs per perturbed network's forward pass).

Times are CPU seconds (user + system of this process, ``time.process_time``), the best of a
few repeats: on a shared machine wall-clock time measures the neighbours. One thread
(``OMP_NUM_THREADS=1``). Results go to ``benchmarks/results/bench_train.json`` with the
machine and the date; the book's performance page reads them from there.

Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_train.py`` (a few minutes).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import sys
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from spectral_lib import __version__, networks, training  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "bench_train.json"
#: 1-minute load average above which the committed results are not overwritten (2-core machine)
QUIET_LOAD = 0.5

N = 200
DEPTH = 5
KS = (1, 8, 32)
WIDTHS = (64, 128, 256)
REC_FRQ = 100
LR = 3e-4


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def best_cpu_seconds(fn, repeats: int) -> tuple[float, float]:
    """Best CPU time and its wall time over ``repeats`` calls of ``fn`` (after one warm-up)."""
    return best_cpu_seconds_interleaved({"only": fn}, repeats)["only"]


def best_cpu_seconds_interleaved(fns: dict, repeats: int) -> dict:
    """Best (CPU, wall) seconds of each function, timing them in turn in every round.

    Interleaving keeps a slow spell of a shared machine from favouring one of them.
    """
    for fn in fns.values():
        fn()
    best = {name: (float("inf"), float("inf")) for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            c1, w1 = time.process_time(), time.perf_counter()
            best[name] = min(best[name], (c1 - c0, w1 - w0))
    return best


def sgemm_gflops(n: int, m: int, k: int, repeats: int) -> float:
    a = torch.randn(n, k)
    b = torch.randn(k, m)
    reps = max(1, int(2e9 / (2 * n * m * k)))  # about 2 GFLOP per timing

    def run():
        for _ in range(reps):
            torch.mm(a, b)

    cpu, _ = best_cpu_seconds(run, repeats)
    return 2 * n * m * k * reps / cpu / 1e9


def official_loop(models, x, y, steps):
    """The official notebooks' training loop, one model after the other."""
    for model in models:
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)
        criterion = nn.MSELoss()
        frames = []
        for i in range(steps):
            optimizer.zero_grad()
            out = model(x)
            loss = criterion(out, y)
            if i % REC_FRQ == 0:
                frames.append(out.data.numpy().copy())
            loss.backward()
            optimizer.step()


def engine(models, x, y, steps):
    training.train_full_batch(
        models, x, y, steps=steps, lr=LR, record_every=REC_FRQ, device="cpu", progress=False,
        recorders=[training.PredictionRecorder()],
    )


def bench_training(budget: float, repeats: int) -> list[dict]:
    x = (torch.arange(N, dtype=torch.float32) / N)[:, None]
    y = sum(torch.sin(2 * np.pi * k * x + k) for k in range(5, 55, 5))
    rows = []
    for width in WIDTHS:
        n_params = sum(p.numel() for p in networks.relu_mlp(1, [width] * DEPTH).parameters())
        flops = 6 * n_params * N
        for K in KS:
            models = [networks.relu_mlp(1, [width] * DEPTH, seed=s) for s in range(K)]
            # Steps so that one timing costs about `budget` GFLOP (at least 10 steps).
            steps = int(max(10, min(1000, budget * 1e9 / (flops * K))))
            row = {"width": width, "K": K, "n_params": n_params, "steps": steps,
                   "flops_per_model_step": flops}
            timings = best_cpu_seconds_interleaved(
                {label: partial(lambda fn, ms, n: fn(copy.deepcopy(ms), x, y, n), fn, models, steps)
                 for label, fn in (("engine", engine), ("loop", official_loop))},
                repeats,
            )
            for label, (cpu, wall) in timings.items():
                ms = cpu / (steps * K) * 1e3
                row[f"{label}_ms"] = ms
                row[f"{label}_wall_ms"] = wall / (steps * K) * 1e3
                row[f"{label}_gflops"] = flops / (ms * 1e-3) / 1e9
            row["speedup"] = row["loop_ms"] / row["engine_ms"]
            rows.append(row)
            print(
                f"width {width:4d}  K {K:3d}  engine {row['engine_ms']:7.3f} ms/model-step "
                f"({row['engine_gflops']:5.1f} GFLOP/s)   loop {row['loop_ms']:7.3f} "
                f"({row['loop_gflops']:5.1f})   speed-up x{row['speedup']:.2f}",
                flush=True,
            )
    return rows


def deepcopy_sweep(model, x, deltas, n_samples, seed):
    """The official robustness notebook's way: a deepcopy and a fresh direction per sample."""
    torch.manual_seed(seed)
    out = np.zeros((len(deltas), n_samples, x.shape[0]))
    for i, delta in enumerate(deltas):
        for s in range(n_samples):
            m = copy.deepcopy(model)
            direction = [torch.randn_like(p) for p in m.parameters()]
            norm = torch.sqrt(sum((d**2).sum() for d in direction))
            for p, d in zip(m.parameters(), direction, strict=True):
                p.data += delta * d / norm
            out[i, s] = m(x).data.numpy()[:, 0]
    return out


def bench_perturbation(repeats: int) -> list[dict]:
    x = (torch.arange(N, dtype=torch.float32) / N)[:, None]
    rows = []
    for width, n_d, n_s in ((64, 20, 20), (128, 20, 20), (256, 10, 10)):
        model = networks.relu_mlp(1, [width] * DEPTH, seed=0)
        deltas = np.linspace(0, 3.0, n_d)
        row = {"width": width, "n_deltas": n_d, "n_samples": n_s}
        runs = {
            "batched": dict(common_directions=False),
            "batched_common": dict(common_directions=True),
        }
        fns = {label: partial(training.perturbed_predictions, model, x, deltas, n_s, seed=0, device="cpu",
                              **kwargs) for label, kwargs in runs.items()}
        fns["deepcopy"] = partial(deepcopy_sweep, model, x, deltas, n_s, seed=0)
        for label, (cpu, wall) in best_cpu_seconds_interleaved(fns, repeats).items():
            row[f"{label}_s"] = cpu
            row[f"{label}_wall_s"] = wall
            row[f"{label}_ms_per_eval"] = cpu / (n_d * n_s) * 1e3
        row["speedup"] = row["deepcopy_s"] / row["batched_s"]
        row["speedup_common"] = row["deepcopy_s"] / row["batched_common_s"]
        rows.append(row)
        print(
            f"perturbation sweep width {width}: {n_d} deltas x {n_s} samples  "
            f"batched {row['batched_s']:.3f} s "
            f"(shared directions {row['batched_common_s']:.3f} s)  deepcopy loop {row['deepcopy_s']:.3f} s  "
            f"speed-up x{row['speedup']:.1f} (x{row['speedup_common']:.1f})",
            flush=True,
        )
    return rows


SMALL_WIDTH_MAX, SMALL_K_MIN, WIDE_WIDTH = 128, 8, 256
#: Fractions of the sgemm ceiling the engine should reach at K >= SMALL_K_MIN, by width.
ENGINE_CEILING_TARGETS = {64: 0.55, 128: 0.70, 256: 0.70}
#: The perturbation sweep: fraction of the ceiling at WIDE_WIDTH, speed-up over the deep-copy
#: loop at width <= SMALL_WIDTH_MAX.
SWEEP_CEILING_TARGET, SWEEP_SPEEDUP_TARGET = 0.70, 5.0


def sweep_gflops(row: dict, n_params: int) -> float:
    """GFLOP/s of a batched sweep: one forward pass (2 P N FLOPs) per perturbed network."""
    return 2 * n_params * N * row["n_deltas"] * row["n_samples"] / row["batched_s"] / 1e9


def targets(runs: list[dict], ceiling: float, perturbation: list[dict]) -> dict:
    small = [r for r in runs if r["width"] <= SMALL_WIDTH_MAX and r["K"] >= SMALL_K_MIN]
    wide = [r for r in runs if r["width"] == WIDE_WIDTH]
    params = {r["width"]: r["n_params"] for r in runs}
    batched = [r for r in runs if r["K"] >= SMALL_K_MIN]
    engine_fraction = {str(w): min(r["engine_gflops"] for r in batched if r["width"] == w) / ceiling
                       for w in ENGINE_CEILING_TARGETS}
    sweep_fraction = {str(p["width"]): sweep_gflops(p, params[p["width"]]) / ceiling for p in perturbation}
    return {
        "small_width_max": SMALL_WIDTH_MAX,
        "small_K_min": SMALL_K_MIN,
        "wide_width": WIDE_WIDTH,
        "speedup_small_min": min(r["speedup"] for r in small),
        "speedup_small_target": 2.0,
        "peak_fraction_w256_max": max(r["engine_gflops"] for r in wide) / ceiling,
        "peak_fraction_target": 0.6,
        "engine_ceiling_fraction_min": engine_fraction,
        "engine_ceiling_targets": {str(w): v for w, v in ENGINE_CEILING_TARGETS.items()},
        "perturbation_speedup_max": max(r["speedup"] for r in perturbation),
        "perturbation_speedup_common_max": max(r["speedup_common"] for r in perturbation),
        "perturbation_speedup_small_min": min(r["speedup"] for r in perturbation
                                              if r["width"] <= SMALL_WIDTH_MAX),
        "perturbation_ceiling_fraction": sweep_fraction,
        "perturbation_ceiling_target": SWEEP_CEILING_TARGET,
        "perturbation_speedup_target": SWEEP_SPEEDUP_TARGET,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=8.0, help="GFLOP per timing (default 8)")
    parser.add_argument("--repeats", type=int, default=4, help="timings per measurement, best kept")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--force", action="store_true",
                        help=f"write the results even if the machine was busy (load > {QUIET_LOAD})")
    args = parser.parse_args(argv)
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    t0 = time.process_time()
    started = dt.datetime.now(dt.UTC)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"{cpu_model()}, {os.cpu_count()} cores, load {load[0]:.1f}; torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s)", flush=True)
    peak = sgemm_gflops(1024, 1024, 1024, args.repeats)
    layer = sgemm_gflops(N, 256, 256, args.repeats)
    print(f"sgemm ceiling: {peak:.1f} GFLOP/s (1024^3), {layer:.1f} GFLOP/s (200x256 @ 256x256)", flush=True)
    engine_results = bench_training(args.budget, args.repeats)
    perturbation = bench_perturbation(args.repeats)
    result = {
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "numpy": np.__version__,
            "spectral_lib": __version__,
            "threads": torch.get_num_threads(),
            "load_average_at_start": list(load),
        },
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "settings": {"N": N, "depth": DEPTH, "lr": LR, "record_every": REC_FRQ, "repeats": args.repeats,
                     "timing": "best CPU time (user+sys) of the repeats"},
        "sgemm_gflops": peak,
        "sgemm_layer_gflops": layer,
        "sgemm_layer_shape": [N, 256, 256],
        "training": engine_results,
        "perturbation": perturbation,
    }
    # The ceiling: the best single-thread sgemm rate measured (square or layer-shaped).
    result["sgemm_ceiling_gflops"] = max(peak, layer)
    result["targets"] = targets(engine_results, result["sgemm_ceiling_gflops"], perturbation)
    result["benchmark_cpu_seconds"] = time.process_time() - t0
    after = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    result["machine"]["load_average_at_end"] = list(after)
    # At the end the 1-minute load includes the benchmark's own thread (about 1.0).
    busy = max(load[0], after[0] - 1.0) > QUIET_LOAD
    if busy and not args.force:
        print(f"the machine was busy (1-minute load {load[0]:.2f} at start, {after[0]:.2f} at end including "
              f"this benchmark's own thread, more than {QUIET_LOAD} besides it): {args.out.name} is not "
              "overwritten (pass --force to write it anyway)")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(args.out)
    t = result["targets"]
    ef = ", ".join(f"width {w}: {100 * v:.0f}% (target {100 * ENGINE_CEILING_TARGETS[int(w)]:.0f}%)"
                   for w, v in t["engine_ceiling_fraction_min"].items())
    wide = 100 * t["perturbation_ceiling_fraction"][str(WIDE_WIDTH)]
    print(f"targets: engine at K >= {SMALL_K_MIN}, worst fraction of the ceiling: {ef}; perturbation "
          f"sweep {wide:.0f}% of the ceiling at width {WIDE_WIDTH} "
          f"(target {100 * SWEEP_CEILING_TARGET:.0f}%), "
          f"x{t['perturbation_speedup_small_min']:.1f} the deep-copy loop at width <= {SMALL_WIDTH_MAX} "
          f"(target x{SWEEP_SPEEDUP_TARGET:.0f})")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({result['benchmark_cpu_seconds']:.0f} CPU s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
