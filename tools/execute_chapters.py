"""Execute the book's chapters two at a time into Jupyter Book's execution cache.

Jupyter Book executes notebooks one after the other. This script runs them in parallel
(``--jobs``, default 2: one thread each, see the Makefile) the way myst-nb would, and stores
each executed notebook in the same cache (``_build/.jupyter_cache``) under the same key, so
that ``jupyter-book build`` then finds every chapter executed and only renders. A chapter
whose code matches the cache is not executed again. A chapter that reuses another's cached
results (the robustness chapter perturbs the models that the learning-order chapter
trained) waits for it rather than recomputing them.

Usage: ``python tools/execute_chapters.py [--jobs N] [--record PATH]``. It prints each
chapter's time and, at the end, the wall time against the sum of the chapters' times; exit
status 1 if a chapter failed (with its traceback). ``--record`` writes that measurement with
the date, the commit and the machine's load to ``PATH`` when every chapter was executed in
this run (the performance page reads ``benchmarks/results/book_execution.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
#: chapter -> chapters whose results (in the results cache) it reuses
DEPENDS = {"robustness": ("learning_order",), "appendix": ("*",)}
#: rough execution times (s) on a 2-core machine, to start the longest chapters first
DEFAULT_SECONDS = {"architecture": 156, "learning_order": 170, "training_dynamics": 110,
                   "image_dynamics": 115, "super_resolution": 140, "ntk": 121, "manifolds": 120,
                   "multiresolution": 120,
                   "real_data": 109, "remedies": 99, "pinns": 81, "audio": 79, "manifolds_classification": 77,
                   "kernel_theory": 75, "decay_bounds": 71, "fourier_spectrum": 55, "beyond_relu": 60,
                   "robustness": 33, "connected": 32, "performance": 30}


def _ready(stem: str, done: set[str], all_stems: list[str]) -> bool:
    deps = DEPENDS.get(stem, ())
    if "*" in deps:  # after every other chapter
        deps = [s for s in all_stems if s != stem]
    return all(d in done for d in deps)


def chapters() -> list[Path]:
    """The executable chapters listed in ``_toc.yml``, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    out = []
    for f in files:
        path = ROOT / f"{f}.md"
        head = path.read_text(encoding="utf-8")[:600]
        if head.startswith("---") and "kernelspec:" in head:
            out.append(path)
    return out


def read(path: Path):
    """The notebook exactly as myst-nb reads it for execution."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    ext = cfg.get("parse", {}).get("myst_enable_extensions", [])
    text = path.read_text(encoding="utf-8")
    return read_myst_markdown_notebook(text, MdParserConfig(enable_extensions=ext), path=path)


def execute(path: str, timeout: int) -> tuple[str, dict, float, str | None]:
    """Run one chapter in its own folder; return the executed notebook (as a dict)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = read(Path(path))
    start = time.perf_counter()
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    elapsed = time.perf_counter() - start
    return path, nbformat.from_dict(nb), elapsed, (result.exc_string if result.err is not None else None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="execute only these chapters (file stems)")
    parser.add_argument("--record", type=Path, default=None,
                        help="write the whole build's times, date, commit and load to this JSON file")
    args = parser.parse_args(argv)
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    timeout = int(cfg.get("execute", {}).get("timeout", 900))
    cache = get_cache(str(CACHE))
    todo = []
    for path in chapters():
        if args.only and path.stem not in args.only:
            continue
        try:
            cache.match_cache_notebook(read(path))
        except KeyError:
            todo.append(path)
    # A chapter that reads another's results is re-executed with it (the appendix with any).
    stems = [p.stem for p in chapters()]
    changed = True
    while changed:
        changed = False
        for path in chapters():
            deps = DEPENDS.get(path.stem, ())
            deps = [t for t in stems if t != path.stem] if "*" in deps else deps
            if path not in todo and any(p.stem in deps for p in todo):
                todo.append(path)
                changed = True
    # longest first (times of the last run), so that the two workers finish together
    known = ROOT / "_build" / "execution_times.json"
    last = json.loads(known.read_text()).get("chapters", {}) if known.is_file() else {}
    todo.sort(key=lambda p: -last.get(p.stem, DEFAULT_SECONDS.get(p.stem, 30.0)))
    print(f"{len(todo)} chapter(s) to execute with {args.jobs} worker(s)", flush=True)
    times, failed = {}, []
    load_before = os.getloadavg()
    wall = time.perf_counter()
    pending = list(todo)
    running: dict = {}
    all_stems = [p.stem for p in chapters()]
    done: set[str] = {p.stem for p in chapters() if p not in todo}
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        while pending or running:
            ready = [p for p in pending if _ready(p.stem, done, all_stems)]
            while ready and len(running) < max(1, args.jobs):
                p = ready.pop(0)
                pending.remove(p)
                running[pool.submit(execute, str(p), timeout)] = p
            if not running:  # a dependency failed
                failed += [(p.stem, "its dependency failed") for p in pending]
                break
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for fut in finished:
                p = running.pop(fut)
                _, nb, elapsed, err = fut.result()
                done.add(p.stem)
                times[p.stem] = elapsed
                if err is not None:
                    failed.append((p.stem, err))
                    print(f"  FAILED {p.stem} after {elapsed:.0f} s", flush=True)
                    continue
                cache.cache_notebook_bundle(CacheBundleIn(nb, str(p), data={"execution_seconds": elapsed}),
                                            check_validity=False, overwrite=True)
                print(f"  {p.stem}: {elapsed:.0f} s", flush=True)
    wall = time.perf_counter() - wall
    total = sum(times.values())
    if times:
        print(f"executed {len(times)} chapter(s) in {wall:.0f} s wall; sum of chapter times {total:.0f} s "
              f"(ratio {wall / max(total, 1e-9):.2f})", flush=True)
    out = ROOT / "_build" / "execution_times.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text()).get("chapters", {}) if out.is_file() else {}
    record = {"jobs": args.jobs, "wall_s": wall, "sum_s": total, "chapters": {**previous, **times}}
    out.write_text(json.dumps(record, indent=1))
    if args.record is not None and not failed and len(times) == len(all_stems):
        write_record(args.record, args.jobs, wall, times, load_before)
    for name, err in failed:
        print(f"\n==== {name} failed\n{err}", file=sys.stderr)
    return 1 if failed else 0


def write_record(path: Path, jobs: int, wall: float, times: dict, load_before) -> None:
    """Write a whole build's execution times, with its date, commit and machine, to ``path``."""
    import datetime as dt
    import platform
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    record = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
              "machine": {"platform": platform.platform(), "cores": os.cpu_count(),
                          "load_average_at_start": list(load_before),
                          "load_average_at_end": list(os.getloadavg())},
              "jobs": jobs, "wall_s": wall, "sum_s": sum(times.values()), "chapters": times}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))
    print(f"recorded the build's times in {path}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    sys.exit(main())
