"""Print the whole book to one PDF, ``_build/pdf/book.pdf``, with its table of contents.

Jupyter Book's ``singlehtml`` builder renders every page of ``_toc.yml`` into one HTML page
(with the numbered table of contents that sphinx-book-theme prints on its first page); Debian's
Chromium, driven by Playwright, prints that page once MathJax has typeset every formula, with
page numbers and a PDF outline (bookmarks) of the headings.

The build reads the book's ``_config.yml`` with one change, written to
``_build/pdf/_config.yml``: the execution cache is the book's own (``_build/.jupyter_cache``),
so a chapter that ``make book`` executed is rendered from its cached outputs and not executed
again (a chapter missing from the cache is executed by Jupyter Book, one after the other).
Its doctrees are separate (``_build/pdf/_build``), so that the PDF build and the HTML build
do not invalidate each other's.

Usage: ``python tools/make_pdf.py`` (``make pdf``). ``CHROMIUM`` names the browser binary
(default: ``chromium`` on the ``PATH``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "pdf"
PDF = OUT / "book.pdf"
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
]
# Print layout: each chapter starts a page; a chapter title (an <h3> inside the root page's
# toctree in singlehtml) is set as large as a title; long code lines wrap instead of being cut.
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
.bd-main .bd-content { margin-left: 0 !important; }
span[id^="document-"] + section { break-before: page; }
span[id^="document-"] + section > h3 { font-size: 2em; margin-top: 0; }
div.cell_output img, figure img { break-inside: avoid; }
pre { white-space: pre-wrap !important; }
"""
FOOTER = ('<div style="width:100%;font-size:8px;text-align:center;color:#666">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
# Resolves once MathJax has typeset the page (and every image has loaded).
READY = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all(Array.from(document.images).map(
    i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return document.querySelectorAll('.math:not(:has(mjx-container))').length;
}
"""


def pdf_config() -> Path:
    """Write the book's configuration for the PDF build and return its path.

    Returns
    -------
    pathlib.Path
        ``_build/pdf/_config.yml``: ``_config.yml`` with the book's execution cache and
        absolute paths to the local Sphinx extensions.
    """
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    cfg.setdefault("execute", {})["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    local = cfg.get("sphinx", {}).get("local_extensions") or {}
    for name, path in local.items():
        local[name] = str((ROOT / path).resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "_config.yml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def build_singlehtml() -> Path:
    """Build the book as one HTML page; return the page's path."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "--builder", "singlehtml", "--config", str(pdf_config()),
           "--path-output", str(OUT), "-n", "--keep-going"]
    subprocess.run(cmd, check=True, cwd=ROOT)
    cfg = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return OUT / "_build" / "singlehtml" / f"{cfg['root']}.html"


def print_pdf(page_path: Path, pdf: Path, chromium: str) -> int:
    """Print ``page_path`` to ``pdf`` in headless Chromium, offline, after MathJax has run.

    Parameters
    ----------
    page_path : pathlib.Path
        The single HTML page of the book.
    pdf : pathlib.Path
        Where to write the PDF.
    chromium : str
        Path of the Chromium binary.

    Returns
    -------
    int
        The number of formulas MathJax left untypeset (0 when all went well).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                   else r.abort())
        page.goto(page_path.as_uri(), wait_until="load", timeout=300_000)
        page.set_default_timeout(300_000)
        untypeset = page.evaluate(READY)
        page.add_style_tag(content=PRINT_CSS)
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True, outline=True,
                 tagged=True, display_header_footer=True, header_template="<div></div>",
                 footer_template=FOOTER)
        browser.close()
    return untypeset


def main() -> int:
    """Build the single page, print it, report the time; exit status 1 on failure."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("make pdf needs Chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    start = time.perf_counter()
    page = build_singlehtml()
    built = time.perf_counter()
    untypeset = print_pdf(page, PDF, chromium)
    done = time.perf_counter()
    print(f"{PDF.relative_to(ROOT)}: {PDF.stat().st_size / 1e6:.1f} MB; single page built in "
          f"{built - start:.0f} s, printed in {done - built:.0f} s")
    if untypeset:
        print(f"{untypeset} formulas were not typeset by MathJax", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
