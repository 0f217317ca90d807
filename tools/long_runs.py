"""Execute chapters at the papers' sizes on this machine and archive what they claim.

A chapter executes its ``book`` presets in the book. Where a claim needs the sizes of the
paper, ``make long-runs`` (``python tools/long_runs.py [CHAPTER ...]``) executes the chapter
again with ``SPECTRAL_PROFILE=paper`` -- one thread, its own claims and results-cache
folders, errors allowed so that a guard that fails at these sizes still leaves its table --
and writes ``long_runs/<chapter>.json``: every claim and check row the chapter recorded, the
cells that raised (their error's last line), the CPU and wall time, the date, the machine, the
package versions, the library's source hash and the commit. The chapter reads that file and
shows the archived run beside its own (:mod:`spectral_lib.book.long_runs`); nothing in it is
typed by hand.

Without arguments it runs :data:`CHAPTERS`, the chapters whose paper profile fits this CPU
(under 40 CPU minutes each). cpwl and decay_bounds can be named too, but their paper
profiles take more than an hour here (decay_bounds trains Exp1 at the paper's size).
``--jobs`` runs that many chapters side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from execute_chapters import ROOT, read  # noqa: E402

#: The chapters whose ``paper`` profile fits this CPU: three theory chapters and Exp7's tiny nets.
CHAPTERS: tuple[str, ...] = ("fourier_spectrum", "toolkit", "notation", "architecture")
ARCHIVE = ROOT / "long_runs"
#: Packages whose versions the archive records.
PACKAGES: tuple[str, ...] = ("numpy", "scipy", "torch", "sympy", "scikit-learn", "matplotlib", "myst-nb")


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _commit() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "spectral_lib", "chapters")
    return {"commit": git("rev-parse", "HEAD") or "unknown", "uncommitted_changes": bool(dirty)}


def _errors(nb) -> list[dict]:
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append({"cell": i, "error": f"{o.get('ename')}: {o.get('evalue')}"[:500]})
    return out


def run_one(stem: str, seed_offset: int = 0, timeout: int = 7200) -> dict:
    """Execute chapter ``stem`` at the paper profile; return the archive record."""
    from jupyter_cache.executors.utils import single_nb_execution

    path = ROOT / "chapters" / f"{stem}.md"
    with tempfile.TemporaryDirectory(prefix=f"long-run-{stem}-") as tmp:
        env = {"SPECTRAL_PROFILE": "paper", "SPECTRAL_SEED": str(seed_offset),
               "SPECTRAL_CLAIMS_DIR": str(Path(tmp) / "claims"),
               "SPECTRAL_CACHE_DIR": str(Path(tmp) / "cache"),
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TQDM_DISABLE": "1"}
        os.environ.update(env)
        nb = read(path)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        single_nb_execution(nb, cwd=str(path.parent), timeout=timeout, allow_errors=True, meta_override=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        claims_file = Path(tmp) / "claims" / f"{stem}.json"
        claims = json.loads(claims_file.read_text()) if claims_file.is_file() else None
    return {
        "chapter": stem,
        "profile": "paper",
        "seed_offset": seed_offset,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cores": os.cpu_count(), "threads": 1},
        "versions": _versions(),
        **_commit(),
        "library_source": claims["library_source"] if claims else None,
        "cpu_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1),
        "wall_s": round(wall, 1),
        "errors": _errors(nb),
        "completed": claims is not None,
        "rows": claims["rows"] if claims else [],
    }


def _run_and_write(stem: str, seed_offset: int) -> str:
    record = run_one(stem, seed_offset)
    ARCHIVE.mkdir(exist_ok=True)
    target = ARCHIVE / f"{stem}.json"
    target.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    n_err = len(record["errors"])
    return (f"{stem}: {record['cpu_s']:.0f} CPU s, {record['wall_s']:.0f} s wall, "
            f"{len(record['rows'])} rows, {n_err} cell(s) raised -> {target.relative_to(ROOT)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", default=list(CHAPTERS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="SPECTRAL_SEED offset (default 0, the book's)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.chapters if not (ROOT / "chapters" / f"{c}.md").is_file()]
    if unknown:
        parser.error(f"no such chapter(s): {unknown}")
    # one process per chapter: each sets its own environment for its kernel
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for line in pool.map(_run_and_write, args.chapters, [args.seed] * len(args.chapters)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
