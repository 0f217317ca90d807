"""Fail when a claim's status depends on the seed offset.

``make test`` runs every chapter at another seed offset (``SPECTRAL_SEED=1``, tables in
``_build/nbval/claims``) than the book was built with (``_build/claims``). A claim that is
reproduced (or weakened) on one set of seeds and not on the other holds only for some seeds,
so it is not reproduced: this script lists every claim row whose status differs between the
two folders, and exits with 1 if there is one. Checks (engine speed, identities) are not
compared; a chapter whose table is missing from either folder is skipped with a note.

Usage: ``python tools/compare_claims.py [BOOK_DIR] [TEST_DIR]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load(folder: Path) -> dict[str, dict]:
    """Chapter stem -> the parsed claims JSON of every ``*.json`` in ``folder``."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def differences(book: dict[str, dict], test: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Claim rows whose status differs, and notes on tables found in one folder only."""
    diffs, notes = [], []
    for chapter in sorted(set(book) | set(test)):
        if chapter not in book or chapter not in test:
            notes.append(f"{chapter}: table in one folder only")
            continue
        a = [r for r in book[chapter]["rows"] if r.get("kind", "claim") == "claim"]
        b = [r for r in test[chapter]["rows"] if r.get("kind", "claim") == "claim"]
        if [r["claim"] for r in a] != [r["claim"] for r in b]:
            diffs.append(f"{chapter}: the claims differ between the seed offsets")
            continue
        offsets = (book[chapter].get("seed_offset"), test[chapter].get("seed_offset"))
        for ra, rb in zip(a, b, strict=True):
            if ra["status"] != rb["status"]:
                diffs.append(f"{chapter}: {ra['claim'][:90]!r}: {ra['status']} at offset {offsets[0]}, "
                             f"{rb['status']} at offset {offsets[1]}")
    return diffs, notes


def main(argv: list[str]) -> int:
    book_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "_build" / "claims"
    test_dir = Path(argv[2]) if len(argv) > 2 else ROOT / "_build" / "nbval" / "claims"
    if not book_dir.is_dir() or not test_dir.is_dir():
        print(f"compare_claims: nothing to compare ({book_dir} or {test_dir} missing)")
        return 0
    diffs, notes = differences(load(book_dir), load(test_dir))
    for n in notes:
        print(f"compare_claims: note: {n}")
    if diffs:
        print("compare_claims: claims whose status depends on the seed offset:")
        print("\n".join(f"  {d}" for d in diffs))
        return 1
    print(f"compare_claims: every claim has the same status at both seed offsets ({book_dir.name} vs "
          f"{test_dir.parent.name}/{test_dir.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
