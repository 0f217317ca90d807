"""The published HTML, checked in a real (headless) Chromium.

Runs when Chromium and the built book (``_build/html``) are present: ``.ci/run`` installs
Debian's ``chromium`` and builds the book before ``make test``. For every page of the book it
asserts that MathJax rendered every formula (no raw ``$$`` or ``\\(`` left), every image
loaded, no cell shows an error, theorem blocks and the bibliography render, internal links
resolve, and nothing was fetched from the network. Screenshots of two pages are saved to
``_build/screenshots/`` as test artefacts.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
TOC = Path(os.environ.get("BOOK_TOC", ROOT / "_toc.yml"))
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not (HTML / "index.html").is_file(), reason="the book is not built (make book)"),
]


def book_pages() -> list[str]:
    toc = yaml.safe_load(TOC.read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    files += [c["file"] for c in toc.get("chapters", [])]
    return files


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


# JavaScript run in the page once MathJax has finished typesetting.
INSPECT = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  const main = document.querySelector('main') || document.body;
  const clone = main.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight').forEach(e => e.remove());
  const text = clone.textContent;
  const math = Array.from(document.querySelectorAll('.math'));
  return {
    rawDisplay: text.includes('$$'),
    rawInline: text.includes('\\\\(') || text.includes('\\\\['),
    nMath: math.length,
    nUnrendered: math.filter(m => !m.querySelector('mjx-container')).length,
    nMjx: document.querySelectorAll('mjx-container').length,
    brokenImages: imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    nImages: imgs.length,
    errors: document.querySelectorAll('.output.traceback, .output.error, .cell_output .stderr').length,
    nProof: document.querySelectorAll('div.proof').length,
    links: Array.from(document.querySelectorAll('main a[href]')).map(a => a.getAttribute('href')),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  };
}
"""


def _check_link(page_path: Path, href: str, ids: set[str]) -> str | None:
    if href.startswith(("http://", "https://", "mailto:", "javascript:")):
        return None
    parsed = urlparse(href)
    if not parsed.path:
        frag = unquote(parsed.fragment)
        return None if (not frag or frag in ids) else f"#{frag} (no such anchor)"
    target = (page_path.parent / unquote(parsed.path)).resolve()
    if not target.exists():
        return f"{href} (no such file)"
    return None


@pytest.mark.parametrize("doc", book_pages())
def test_page_renders_offline(browser, doc):
    page_path = HTML / f"{doc}.html"
    assert page_path.is_file(), f"{doc}.html was not built"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    remote, page_errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            return r.continue_()
        remote.append(url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    info = page.evaluate(INSPECT)
    source = (ROOT / f"{doc}.md").read_text()

    assert not remote, f"{doc}: fetched from the network: {remote}"
    assert not page_errors, f"{doc}: JavaScript errors: {page_errors}"
    assert not info["rawDisplay"] and not info["rawInline"], f"{doc}: raw TeX delimiters left in the page"
    assert info["nUnrendered"] == 0, f"{doc}: {info['nUnrendered']} of {info['nMath']} formulas not typeset"
    if "$" in source:
        assert info["nMjx"] > 0, f"{doc}: the source has mathematics but MathJax rendered none"
    assert not info["brokenImages"], f"{doc}: images that did not load: {info['brokenImages']}"
    assert info["errors"] == 0, f"{doc}: {info['errors']} cell outputs show an error"
    n_prf = len(re.findall(r"^\s*(?:`{3,}|:{3,})\{prf:\w+\}", source, re.M))
    assert info["nProof"] >= n_prf, f"{doc}: {n_prf} prf blocks in the source, {info['nProof']} rendered"
    ids = set(info["ids"])
    bad = [b for b in (_check_link(page_path, h, ids) for h in info["links"]) if b]
    assert not bad, f"{doc}: broken internal links: {bad}"
    if doc in ("chapters/notation", "chapters/learning_order"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{Path(doc).name}.png"), full_page=False)
    context.close()


def cited_keys() -> set[str]:
    keys: set[str] = set()
    for doc in book_pages():
        text = (ROOT / f"{doc}.md").read_text()
        for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
            keys.update(k.strip() for k in group.split(","))
    return keys


def test_bibliography_renders(browser):
    page = browser.new_page()
    page.goto((HTML / "chapters" / "references.html").as_uri(), wait_until="load")
    n = page.evaluate("document.querySelectorAll('div.citation, dl.citation > dt').length")
    page.close()
    assert n == len(cited_keys()) > 0, f"{n} bibliography entries rendered for {len(cited_keys())} cited keys"
