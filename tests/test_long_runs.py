"""The archived runs at the papers' sizes: the reader of ``long_runs/*.json`` and the archives themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spectral_lib.book import CHECK_STATUSES, CLAIM_STATUSES, Claims, long_runs

ROOT = Path(__file__).resolve().parents[1]
ARCHIVES = sorted((ROOT / long_runs.FOLDER).glob("*.json"))


def _record(rows, **kw):
    rec = {"chapter": "demo", "profile": "paper", "date": "2026-12-02 05:00 UTC",
           "machine": {"cores": 2, "threads": 1}, "versions": {}, "commit": "abc", "library_source": "def",
           "cpu_s": 120.0, "wall_s": 130.0, "errors": [], "completed": True, "rows": rows}
    rec.update(kw)
    return rec


def test_beside_matches_rows_by_kind_and_statement(tmp_path):
    c = Claims("demo")
    c.add("a holds", source="this book", paper="-", book="1", guard="g", ok=True)
    c.add("b holds", source="this book", paper="-", book="2", guard="g", ok=False)
    c.add("a holds", source="this book", paper="-", book="3", guard="g", ok=True, kind="check")
    archived = [{"kind": "claim", "claim": "b holds", "status": "reproduced", "book": "20"},
                {"kind": "check", "claim": "a holds", "status": "failed", "book": "30"},
                {"kind": "claim", "claim": "only at paper", "status": "weakened", "book": "40"}]
    got = long_runs.beside(c.rows, _record(archived))
    assert [(g["kind"], g["claim"], g["status"], g["archived_status"]) for g in got] == [
        ("claim", "a holds", "reproduced", None),
        ("claim", "b holds", "not reproduced", "reproduced"),
        ("check", "a holds", "passed", "failed"),
        ("claim", "only at paper", None, "weakened"),
    ]
    html = long_runs.table_html(c.rows, _record(archived))
    assert html.count("<tr>") == 1 + len(got) and "profile paper" in html


def test_load_reads_a_record_and_rejects_another_chapters(tmp_path):
    folder = tmp_path / long_runs.FOLDER
    folder.mkdir()
    (folder / "demo.json").write_text(json.dumps(_record([])))
    assert long_runs.load("demo", root=tmp_path)["cpu_s"] == 120.0
    (folder / "other.json").write_text(json.dumps(_record([])))
    with pytest.raises(ValueError, match="not an archived run"):
        long_runs.load("other", root=tmp_path)
    (folder / "demo.json").write_text(json.dumps({"chapter": "demo"}))
    with pytest.raises(ValueError, match="missing"):
        long_runs.load("demo", root=tmp_path)
    with pytest.raises(ValueError):
        long_runs.archive_path("../etc", root=tmp_path)


def test_provenance_says_when_a_run_stopped():
    line = long_runs.provenance(_record([], completed=False, errors=[{"cell": 3, "error": "AssertionError"}]))
    assert "stopped before its claims table, 1 cell(s) raised" in line


@pytest.mark.parametrize("path", ARCHIVES, ids=[p.stem for p in ARCHIVES])
def test_every_archive_is_a_paper_run_of_a_chapter_with_valid_rows(path):
    rec = long_runs.load(path.stem, root=ROOT)
    assert (ROOT / "chapters" / f"{path.stem}.md").is_file()
    assert rec["profile"] == "paper" and rec["cpu_s"] > 0
    for r in rec["rows"]:
        allowed = CLAIM_STATUSES if r["kind"] == "claim" else CHECK_STATUSES
        assert r["status"] in allowed, r
    if rec["completed"]:
        assert rec["rows"], "a run that reached its claims table recorded rows"


def test_section_says_what_was_archived_and_counts_the_changes(tmp_path):
    folder = tmp_path / long_runs.FOLDER
    folder.mkdir()
    rows = [{"kind": "claim", "claim": "a holds", "status": "weakened", "book": "1"}]
    rec = _record([{"kind": "claim", "claim": "a holds", "status": "not reproduced", "book": "0"}])
    rec["chapter"] = "demo"
    (folder / "demo.json").write_text(json.dumps(rec))
    sentence, table = long_runs.section("demo", rows, "book", root=tmp_path)
    assert "0 have the same status and 1 another" in sentence and "not reproduced" in table
    assert long_runs.section("demo", rows, "paper", root=tmp_path)[1] is None
    assert long_runs.section("other", rows, "book", root=tmp_path)[1] is None
