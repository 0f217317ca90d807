"""Chapter validation: every ``chapters/*.md`` notebook runs under nbval (lax mode).

pytest collects each MyST chapter, converts it with jupytext into an ``.ipynb`` under
``_build/nbval/`` and hands it to nbval, so every code cell is one test item named
``chapters/<chapter>.md::Cell <n>``. In lax mode nbval only fails a cell that raises;
the claims are checked by ``assert`` cells inside the chapters, never by comparing output
text. Cells of one chapter must run in one kernel, so with pytest-xdist use
``--dist loadscope`` (``make test`` does).

``make test`` runs everything at the seed offset ``SPECTRAL_SEED=1`` (the book is built at
0), so every claim is checked on a second, disjoint set of seeds; the chapters' claims
tables then go to ``_build/nbval/claims`` and the appendix, which summarises them, runs
after the other chapters.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

ROOT = Path(__file__).resolve().parent
CHAPTERS = ROOT / "chapters"
NB_DIR = ROOT / "_build" / "nbval"

# One BLAS/OpenMP thread per chapter kernel: on a 2-core machine, 2-thread torch is 4-10x
# slower as soon as the other core is busy. Kernels inherit this environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "agg")
os.environ.setdefault("TQDM_DISABLE", "1")
# Chapters validated here write their claims tables beside the converted notebooks, not over
# the book's (``make test`` runs them at another seed offset than the book was built with).
CLAIMS_DIR = os.environ.setdefault("SPECTRAL_CLAIMS_DIR", str(NB_DIR / "claims"))


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
    """nbval's notebook collector in lax mode for a MyST chapter.

    The node is the chapter's ``.md`` file (so ``pytest chapters/<stem>.md`` selects it and a
    failing cell reads ``chapters/<stem>.md::Cell <n>``); its cells come from the notebook
    that jupytext writes to ``_build/nbval/``. The kernel runs in ``chapters/``, as it does
    when Jupyter Book executes the chapter.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False

    def setup(self):
        # The kernel inherits this process's environment when it starts: set the claims folder
        # again here, so that no test run earlier in this process can have moved it.
        os.environ["SPECTRAL_CLAIMS_DIR"] = CLAIMS_DIR
        super().setup()

    def collect(self):
        self.nb = nbformat.read(convert_chapter(self.path), as_version=4)
        cell_num = 0
        for cell in self.nb.cells:
            if cell.cell_type != "code":
                continue
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(dict(find_comment_markers(cell.source)))
            options.setdefault("check", self.compare_outputs)
            yield IPyNbCell.from_parent(
                self, name=f"Cell {cell_num}", cell_num=cell_num, cell=cell, options=options
            )
            cell_num += 1


def pytest_collect_file(file_path: Path, parent):
    if is_chapter_notebook(file_path):
        return ChapterNotebook.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def book_root() -> Path:
    """The repository root (holds ``_toc.yml``)."""
    return ROOT
