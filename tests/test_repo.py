"""House rules of the repository and the chapter-validation machinery itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADER = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
        jupytext_version: 1.19.6
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    """
)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    files += [c["file"] for c in toc.get("chapters", [])]
    return files


def test_no_notebooks_or_outputs_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "chapters"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in tracked if f.endswith(".ipynb")], "chapters/ must hold MyST .md notebooks only"
    assert not list((ROOT / "chapters").glob("*.ipynb"))


def test_every_chapter_is_in_the_toc_and_every_toc_entry_exists():
    listed = set(toc_files())
    for f in listed:
        assert (ROOT / f"{f}.md").is_file(), f"_toc.yml lists {f} but {f}.md does not exist"
    for md in (ROOT / "chapters").glob("*.md"):
        assert f"chapters/{md.stem}" in listed, f"{md.name} is not in _toc.yml"


def test_chapters_follow_the_conventions():
    for md in sorted((ROOT / "chapters").glob("*.md")):
        text = md.read_text()
        if "{code-cell}" not in text:
            continue
        assert text.startswith(HEADER.splitlines()[0]) and "jupytext:" in text[:400], md.name
        assert "book.setup(" in text, f"{md.name}: no setup cell calling book.setup"
        assert re.search(r"^\s*assert ", text, re.M), f"{md.name}: executes code but asserts nothing"
        if md.stem == "appendix":  # it summarises the chapters' tables and claims nothing itself
            continue
        assert "## Claims checked" in text and "claims.show()" in text, f"{md.name}: no Claims checked table"


def _write_chapter(tmp: Path, name: str, cells: list[str]) -> None:
    body = HEADER + f"\n# {name}\n\n" + "\n".join(f"```{{code-cell}} ipython3\n{c}\n```\n" for c in cells)
    (tmp / "chapters").mkdir(exist_ok=True)
    (tmp / "chapters" / f"{name}.md").write_text(body)


def test_a_failing_assert_fails_pytest_and_names_chapter_and_cell(tmp_path):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = chapters\n")
    _write_chapter(tmp_path, "broken", ["x = 1", "assert x == 2, 'deliberately failing claim'", "y = 3"])
    _write_chapter(tmp_path, "fine", ["z = 1 + 1", "assert z == 2"])
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", "chapters"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "FAILED chapters/broken.md::Cell 1" in out, out
    assert "deliberately failing claim" in out, out
    assert "chapters/fine.md" not in out.split("short test summary")[-1], out
    assert re.search(r"\b1 failed, 4 passed\b", out), out


def test_chapter_conversion_is_faithful(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        import conftest as root_conftest
    finally:
        sys.path.pop(0)
    _write_chapter(tmp_path, "demo", ["a = 1", "b = a + 1"])
    nb_path = root_conftest.convert_chapter(tmp_path / "chapters" / "demo.md", tmp_path / "out")
    nb = nbformat.read(nb_path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == ["a = 1", "b = a + 1"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_appendix_gathers_every_chapters_claims_table():
    """Each chapter's Claims("<stem>") table is pasted into the reproduction appendix."""
    appendix = (ROOT / "chapters" / "appendix.md").read_text()
    for doc in toc_files():
        text = (ROOT / f"{doc}.md").read_text()
        if "claims.show()" not in text:
            continue
        stem = Path(doc).name
        assert f'book.Claims("{stem}")' in text, f"{stem}: the Claims table must be named after the file"
        block = f"```{{glue:any}} {stem}-claims\n:doc: {stem}.md\n```"
        assert block in appendix, f"the appendix does not paste the claims of {stem}"


def test_execution_cache_is_dropped_exactly_when_outputs_could_change(tmp_path, book_root):
    """`make book` runs tools/execution_fingerprint.py before Jupyter Book: a library edit, another
    profile or seed offset drops the execution cache (every chapter re-executes); no change keeps it."""
    pkg = tmp_path / "spectral_lib"
    shutil.copytree(book_root / "spectral_lib", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    jc = tmp_path / "jc"
    env = {k: v for k, v in os.environ.items() if k not in ("SPECTRAL_PROFILE", "SPECTRAL_SEED")}
    env["PYTHONPATH"] = str(tmp_path)

    def run(**extra):
        (jc / "outputs").mkdir(parents=True, exist_ok=True)
        out = subprocess.run([sys.executable, str(book_root / "tools" / "execution_fingerprint.py"), str(jc)],
                             env={**env, **extra}, capture_output=True, text=True, check=True).stdout
        return "dropped" in out, (jc / "outputs").exists()

    assert run() == (True, False)                      # first build: nothing stored yet
    assert run() == (False, True)                      # unchanged: the cache is kept
    (pkg / "stats.py").write_text((pkg / "stats.py").read_text() + "\n# edited\n")
    assert run() == (True, False)                      # a library edit
    assert run() == (False, True)
    assert run(SPECTRAL_PROFILE="paper") == (True, False)   # never serve book outputs to paper
    assert run(SPECTRAL_PROFILE="paper") == (False, True)
    assert run(SPECTRAL_PROFILE="paper", SPECTRAL_SEED="1") == (True, False)
