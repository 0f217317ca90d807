"""The whole book as one PDF (``make pdf``, ``tools/make_pdf.py``), read back with pypdf.

Runs when ``_build/pdf/book.pdf`` exists (``.ci/run`` makes it, with Debian's Chromium, before
``make test``) and pypdf is installed (``make pdf`` installs ``requirements-pdf.txt``). It
checks that the page count is plausible, that the table of contents on the first pages lists
every page of ``_toc.yml`` by its title (with its chapter number in the numbered parts), and
that the chapters follow it, in that order. (The PDF's outline is not checked: Chromium
garbles the entries of headings that start a page.)
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PDF = Path(os.environ.get("BOOK_PDF", ROOT / "_build" / "pdf" / "book.pdf"))
TOC = ROOT / "_toc.yml"

pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (make pdf installs requirements-pdf.txt)")
pytestmark = pytest.mark.skipif(
    not PDF.is_file(), reason="the PDF is not built (make pdf; it needs Chromium: apt-get install chromium)",
)


def chapters() -> list[tuple[str, int | None]]:
    """The pages of ``_toc.yml`` after the root, with their chapter numbers (None: unnumbered)."""
    toc = yaml.safe_load(TOC.read_text())
    out, n = [], 0
    for part in toc.get("parts", []):
        for c in part.get("chapters", []):
            n += bool(part.get("numbered"))
            out.append((c["file"], n if part.get("numbered") else None))
    return out + [(c["file"], None) for c in toc.get("chapters", [])]


def title(doc: str) -> str:
    """The first ``# `` heading of a page's source."""
    body = re.sub(r"\A---\n.*?\n---\n", "", (ROOT / f"{doc}.md").read_text(), flags=re.S)
    return re.search(r"^# (.+)$", body, re.M).group(1).strip()


def numbered_title(chapter: tuple[str, int | None]) -> str:
    """A chapter's title as the book prints it: ``"7. Spectral bias in training"``."""
    doc, n = chapter
    return f"{n}. {title(doc)}" if n else title(doc)


def norm(text: str) -> str:
    """Compare texts without case, whitespace, ligatures, typographic quotes or markup characters."""
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"[\s`*]", "", text).casefold()


@pytest.fixture(scope="module")
def reader():
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def texts(reader) -> list[str]:
    """The normalised text of every page."""
    return [norm(p.extract_text()) for p in reader.pages]


def test_page_count_is_plausible(reader):
    n_docs = len(chapters())
    assert 2 * n_docs <= len(reader.pages) <= 2000, f"{len(reader.pages)} pages for {n_docs} chapters"


def test_table_of_contents_lists_every_chapter(texts):
    contents = "".join(texts[:3])
    missing = [t for t in map(numbered_title, chapters()) if norm(t) not in contents]
    assert not missing, f"not in the PDF's table of contents: {missing}"


def test_every_chapter_is_printed_in_order(texts):
    """After the table of contents, each chapter's numbered title heads a page, in order."""
    titles = [numbered_title(c) for c in chapters()]
    page = next(i for i, t in enumerate(texts) if norm(titles[-1]) in t)  # the contents' last page
    missing = []
    for t in titles:
        found = next((i for i in range(page + 1, len(texts)) if norm(t) in texts[i]), None)
        if found is None:
            missing.append(t)
        else:
            page = found
    assert not missing, f"chapters not printed after the table of contents (in order): {missing}"
