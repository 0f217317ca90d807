"""tools/compare_claims.py: a claim whose status depends on the seed offset fails the tests."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("compare_claims", ROOT / "tools" / "compare_claims.py")
compare_claims = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_claims)


def _write(folder: Path, offset: int, statuses: list[tuple[str, str, str]]) -> None:
    folder.mkdir(parents=True)
    rows = [{"claim": c, "kind": k, "status": s} for c, k, s in statuses]
    (folder / "demo.json").write_text(json.dumps({"chapter": "demo", "seed_offset": offset, "rows": rows}))


def test_same_statuses_pass_and_checks_are_ignored(tmp_path):
    _write(tmp_path / "a", 0, [("x", "claim", "weakened"), ("speed", "check", "passed")])
    _write(tmp_path / "b", 1, [("x", "claim", "weakened"), ("speed", "check", "failed")])
    assert compare_claims.main(["", str(tmp_path / "a"), str(tmp_path / "b")]) == 0


def test_a_status_that_changes_with_the_offset_fails(tmp_path, capsys):
    _write(tmp_path / "a", 0, [("x", "claim", "reproduced")])
    _write(tmp_path / "b", 1, [("x", "claim", "not reproduced")])
    assert compare_claims.main(["", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    assert "reproduced at offset 0, not reproduced at offset 1" in capsys.readouterr().out


def test_different_rows_fail(tmp_path):
    _write(tmp_path / "a", 0, [("x", "claim", "reproduced")])
    _write(tmp_path / "b", 1, [("y", "claim", "reproduced")])
    assert compare_claims.main(["", str(tmp_path / "a"), str(tmp_path / "b")]) == 1


def test_missing_folders_compare_nothing(tmp_path):
    assert compare_claims.main(["", str(tmp_path / "none"), str(tmp_path / "none2")]) == 0
