"""Benchmark of the exact piecewise-linear machinery (pwl, fourier) on this machine.

Measures CPU time (``time.process_time``, best of ``REPEATS``) and wall time of:

* ``cpwl.pieces_1d`` for the paper's 1 -> 256^5 -> 1 network on [0, 1] and on the whole line;
* ``cpwl.partition_2d`` for 2 -> 64^4 -> 1 and 2 -> 128^3 -> 1 networks at initialisation on
  [-1, 1]^2 (time and region count);
* ``spectra.ft_2d`` at 10^4 frequencies;
* the accuracy against cost of the exact transform against an FFT of N samples at the same
  frequencies (the DFT's windowing/aliasing error), in 1-D and 2-D.

Writes ``benchmarks/results/bench_pwl.json`` (read by the toolkit chapter). Run with
``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_pwl.py``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from spectral_lib import cpwl, networks, spectra

REPEATS = 3
OUT = Path(__file__).resolve().parent / "results" / "bench_pwl.json"


def timed(fn, repeats=REPEATS):
    """Best-of-``repeats`` CPU and wall seconds of ``fn()``, and its last result."""
    best_cpu = best_wall = np.inf
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_cpu, best_wall, out


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "unset"),
        "torch_threads": torch.get_num_threads(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "date_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def samples(net, pts):
    with torch.no_grad():
        return net.double()(torch.as_tensor(pts, dtype=torch.float64)).numpy()[:, 0]


def bench_structure() -> list[dict]:
    rows = []
    net1 = networks.relu_mlp(1, [256] * 5, seed=0)
    cpu, wall, p = timed(lambda: cpwl.pieces_1d(net1, (0.0, 1.0)))
    rows.append({"task": "pieces_1d, 1-256^5-1, [0, 1]", "cpu_s": cpu, "wall_s": wall, "count": p.n_pieces})
    cpu, wall, p = timed(lambda: cpwl.pieces_1d(net1, None))
    rows.append(
        {"task": "pieces_1d, 1-256^5-1, whole line", "cpu_s": cpu, "wall_s": wall, "count": p.n_pieces}
    )
    box = ((-1.0, 1.0), (-1.0, 1.0))
    parts = {}
    for hidden, name in (([64] * 4, "2-64^4-1"), ([128] * 3, "2-128^3-1")):
        net = networks.relu_mlp(2, hidden, seed=0)
        cpu, wall, part = timed(lambda net=net: cpwl.partition_2d(net, box))
        parts[name] = part
        task = f"partition_2d, {name}, [-1, 1]^2"
        rows.append({"task": task, "cpu_s": cpu, "wall_s": wall, "count": part.n_regions})
    k = np.random.default_rng(0).uniform(-30, 30, size=(10_000, 2))
    cpu, wall, _ = timed(lambda: spectra.ft_2d(parts["2-64^4-1"], k), repeats=1)
    rows.append({"task": "ft_2d, 2-64^4-1, 10^4 frequencies", "cpu_s": cpu, "wall_s": wall, "count": 10_000})
    return rows


def bench_fft_1d(m_max: int = 50) -> dict:
    """Exact windowed transform at k = 2π m against |FFT(samples)|/N, m = 1..m_max."""
    net = networks.relu_mlp(1, [256] * 5, seed=0)
    m = np.arange(1, m_max + 1)
    k = 2 * np.pi * m
    cpu, wall, exact = timed(lambda: spectra.ft_1d(cpwl.pieces_1d(net, (0.0, 1.0)), k))
    rows = []
    for e in range(7, 17, 1):
        n = 2**e

        def run(n=n):
            y = samples(net, (np.arange(n) / n)[:, None])
            return np.fft.fft(y)[1 : m_max + 1] / n

        c, w, F = timed(run)
        rel = np.abs(F - exact) / np.abs(exact)
        rows.append({"N": n, "cpu_s": c, "wall_s": w, "max_rel_err": float(rel.max()),
                     "median_rel_err": float(np.median(rel))})
    return {"m_max": m_max, "exact_cpu_s": cpu, "exact_wall_s": wall, "fft": rows}


def bench_fft_2d(m_max: int = 8) -> dict:
    """Exact ft_2d at k = 2π (m1, m2), |m_i| <= m_max, against |FFT2(samples)|/N^2."""
    net = networks.relu_mlp(2, [64] * 4, seed=0)
    m = np.arange(-m_max, m_max + 1)
    M1, M2 = np.meshgrid(m, m, indexing="ij")
    keep = (M1 != 0) | (M2 != 0)
    k = 2 * np.pi * np.stack([M1[keep], M2[keep]], axis=1)
    cpu, wall, exact = timed(lambda: spectra.ft_2d(cpwl.partition_2d(net, ((0, 1), (0, 1))), k), repeats=1)
    rows = []
    for e in range(5, 11):
        n = 2**e

        def run(n=n):
            g = np.arange(n) / n
            X, Y = np.meshgrid(g, g, indexing="ij")
            y = samples(net, np.stack([X.ravel(), Y.ravel()], axis=1)).reshape(n, n)
            F = np.fft.fft2(y) / n**2
            return F[M1[keep] % n, M2[keep] % n]

        c, w, F = timed(run, repeats=1)
        rel = np.abs(F - exact) / np.abs(exact)
        rows.append({"N": n, "cpu_s": c, "wall_s": w, "max_rel_err": float(rel.max()),
                     "median_rel_err": float(np.median(rel))})
    return {"m_max": m_max, "exact_cpu_s": cpu, "exact_wall_s": wall, "fft": rows}


#: 1-minute load average above which the committed results are not overwritten (2-core machine)
QUIET_LOAD = 0.5


def main() -> dict | None:
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1") or 1))
    load = os.getloadavg()[0]
    result = {
        "machine": {**machine(), "load_average_at_start": load},
        "structure": bench_structure(),
        "fft_vs_exact_1d": bench_fft_1d(),
        "fft_vs_exact_2d": bench_fft_2d(),
    }
    result["machine"]["load_average_at_end"] = after = os.getloadavg()[0]
    # At the end the 1-minute load includes the benchmark's own thread (about 1.0).
    if max(load, after - 1.0) > QUIET_LOAD and "--force" not in sys.argv[1:]:
        print(f"the machine was busy (1-minute load {load:.2f} at start, {after:.2f} at end, above "
              f"{QUIET_LOAD}): {OUT.name} is not overwritten (pass --force to write it anyway)")
        return None
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))
    for row in result["structure"]:
        print(f"{row['task']:<45} cpu {row['cpu_s']:8.3f} s  wall {row['wall_s']:8.3f} s  n = {row['count']}")
    for key in ("fft_vs_exact_1d", "fft_vs_exact_2d"):
        r = result[key]
        print(f"{key}: exact transform cpu {r['exact_cpu_s']:.3f} s")
        for row in r["fft"]:
            print(f"  N = {row['N']:6d}  cpu {row['cpu_s']:8.4f} s  max rel err {row['max_rel_err']:.2e}")
    print(f"wrote {OUT}")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
