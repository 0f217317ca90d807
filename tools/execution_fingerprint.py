"""Keep Jupyter Book's execution cache honest: drop it whenever a chapter's output could change.

Jupyter Book (``execute_notebooks: cache``) keys each notebook's stored outputs on the
notebook's code alone. A chapter's outputs also depend on the library's source, the compute
profile (``SPECTRAL_PROFILE``), the seed offset (``SPECTRAL_SEED``) and the pinned versions
(``requirements.txt``). This script hashes those into a fingerprint and, when the fingerprint
differs from the one stored beside the cache, removes the cache so that ``make book``
re-executes every chapter; when nothing changed it keeps the cache, and nothing re-executes.

Usage: ``python tools/execution_fingerprint.py [CACHE_DIR]`` (default ``_build/.jupyter_cache``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fingerprint() -> dict:
    """What a chapter's outputs depend on besides its own code."""
    from spectral_lib.runs import cache

    return {
        "library": cache.source_hash(),
        "profile": os.environ.get("SPECTRAL_PROFILE", "book").strip().lower() or "book",
        "seed_offset": os.environ.get("SPECTRAL_SEED", "0").strip() or "0",
        "requirements": hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest(),
    }


def refresh(cache_dir: Path) -> str:
    """Remove ``cache_dir`` if its stored fingerprint differs; return what was done."""
    stamp = cache_dir.parent / (cache_dir.name + ".fingerprint.json")
    now = fingerprint()
    before = json.loads(stamp.read_text()) if stamp.is_file() else None
    if before == now and cache_dir.exists():
        return "execution cache is current: chapters whose code is unchanged are not re-executed"
    changed = sorted(k for k in now if before is None or before.get(k) != now[k])
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(now, indent=1))
    return f"execution cache dropped ({', '.join(changed)} changed): every chapter is re-executed"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / ".jupyter_cache"
    print(refresh(target))
