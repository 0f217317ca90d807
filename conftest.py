"""Chapter validation: every ``chapters/*.md`` notebook runs under nbval (lax mode).

pytest collects each MyST chapter, converts it with jupytext into an ``.ipynb`` under
``_build/nbval/`` and hands it to nbval, so every code cell is one test item named
``chapters/<chapter>.md::Cell <n>``. In lax mode nbval only fails a cell that raises;
the claims are checked by ``assert`` cells inside the chapters, never by comparing output
text. Cells of one chapter must run in one kernel, so with pytest-xdist use
``--dist loadscope`` (``make test`` does).
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbval.plugin import IPyNbFile

ROOT = Path(__file__).resolve().parent
CHAPTERS = ROOT / "chapters"
NB_DIR = ROOT / "_build" / "nbval"

# One BLAS/OpenMP thread per chapter kernel: on a 2-core machine, 2-thread torch is 4-10x
# slower as soon as the other core is busy. Kernels inherit this environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "agg")
os.environ.setdefault("TQDM_DISABLE", "1")


def is_chapter_notebook(path: Path) -> bool:
    """A chapter notebook is a Markdown file in ``chapters/`` with a jupytext header."""
    if path.suffix != ".md" or path.parent.resolve() != CHAPTERS.resolve():
        return False
    head = path.read_text(encoding="utf-8")[:600]
    return head.startswith("---") and "jupytext:" in head and "kernelspec:" in head


def convert_chapter(md_path: Path, out_dir: Path = NB_DIR) -> Path:
    """Convert a MyST chapter to ``out_dir/<stem>.ipynb`` atomically (safe under xdist)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    nb = jupytext.read(md_path)
    target = out_dir / f"{md_path.stem}.ipynb"
    tmp = out_dir / f".{md_path.stem}.{os.getpid()}.ipynb.tmp"
    nbformat.write(nb, tmp)
    tmp.replace(target)
    return target


class ChapterNotebook(IPyNbFile):
    """nbval's notebook collector in lax mode, named after the chapter's ``.md`` file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False


def pytest_collect_file(file_path: Path, parent):
    if not is_chapter_notebook(file_path):
        return None
    ipynb = convert_chapter(file_path)
    nodeid = file_path.resolve().relative_to(parent.config.rootpath.resolve()).as_posix()
    return ChapterNotebook.from_parent(parent, path=ipynb, nodeid=nodeid)


@pytest.fixture(scope="session")
def book_root() -> Path:
    """The repository root (holds ``_toc.yml``)."""
    return ROOT
