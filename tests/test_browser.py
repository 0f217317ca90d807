"""The published HTML, checked in a real (headless) Chromium.

Runs when Chromium and the built book (``_build/html``) are present: ``.ci/run`` installs
Debian's ``chromium`` and builds the book before ``make test``. For every page of the book it
asserts that MathJax rendered every formula (no raw ``$$``, ``\\(`` or ``$...$`` left), every
image loaded, no cell shows an error, theorem blocks and the bibliography render, internal
links resolve, and nothing was fetched from the network; that nothing is wider than the
content column at a 1280 px wide window; that the chapters of the numbered parts carry their
numbers in their titles and in the sidebar; and that every chapter offers its executed
notebook (``_ext/notebook_downloads.py``) with the outputs its page shows. Each page is
opened once; the checks are separate tests. Screenshots of two pages are saved to
``_build/screenshots/`` as test artefacts.
"""

from __future__ import annotations

import json
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


def chapter_numbers() -> dict[str, int | None]:
    """Every page of the book and its chapter number (None outside the numbered parts).

    Numbers run on across the ``numbered: true`` parts of ``_toc.yml`` (1, 2, ... over all of
    them), as ``numfig_secnum_depth``/sphinx-multitoc-numbering number them.
    """
    toc = yaml.safe_load(TOC.read_text())
    numbers: dict[str, int | None] = {toc["root"]: None}
    n = 0
    for part in toc.get("parts", []):
        for c in part.get("chapters", []):
            if part.get("numbered"):
                n += 1
                numbers[c["file"]] = n
            else:
                numbers[c["file"]] = None
    for c in toc.get("chapters", []):
        numbers[c["file"]] = None
    return numbers


def is_notebook(doc: str) -> bool:
    """Whether ``doc`` is a MyST notebook (a jupytext header with a kernelspec)."""
    text = (ROOT / f"{doc}.md").read_text()
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


# JavaScript run in the page once MathJax has finished typesetting.
INSPECT = r"""
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
    rawInline: text.includes('\\(') || text.includes('\\['),
    nMath: math.length,
    nUnrendered: math.filter(m => !m.querySelector('mjx-container')).length,
    nMjx: document.querySelectorAll('mjx-container').length,
    brokenImages: imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    nImages: imgs.length,
    errors: document.querySelectorAll('.output.traceback, .output.error, .cell_output .stderr').length,
    nProof: document.querySelectorAll('div.proof').length,
    links: Array.from(document.querySelectorAll('main a[href]')).map(a => a.getAttribute('href')),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
    rawDollars: rawDollars(main),
    tooWide: tooWide(),
    h1: (document.querySelector('article.bd-article h1') || {textContent: ''})
      .textContent.replace('#', '').trim(),
    sidebar: Array.from(document.querySelectorAll('nav.bd-docs-nav a.reference.internal'))
      .map(a => [a.getAttribute('href'), a.textContent.trim()]),
    downloads: Array.from(document.querySelectorAll('main p.notebook-download a'))
      .map(a => a.getAttribute('href')),
    nCellOutputs: document.querySelectorAll('main div.cell_output').length,
  };

  // Text outside code and typeset math that still reads like inline TeX: $...$.
  function rawDollars(root) {
    const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .math';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest(skip)) text += n.nodeValue;
    }
    const hits = text.match(/\$(?!\s)[^$\n]{1,120}?(?<!\s)\$/g) || [];
    return hits.slice(0, 10);
  }

  // Elements that stick out of the content column (article.bd-article, less its padding), not
  // counting the margin notes the theme puts beside it, nor what a scrolling box clips.
  function tooWide() {
    const col = document.querySelector('article.bd-article');
    if (!col) return [];
    const cs = getComputedStyle(col), box = col.getBoundingClientRect();
    const left = box.left + parseFloat(cs.paddingLeft) - 1;
    const right = box.right - parseFloat(cs.paddingRight) + 1;
    const beside = 'aside.margin, .margin, aside.sidebar, .tag_margin, .tag_popout, .full-width, '
      + '.tag_full-width, .marginnote, .sidenote, .margin-caption, .headerlink, mjx-assistive-mml';
    const clips = e => getComputedStyle(e).overflowX !== 'visible';
    const found = [], reported = new Set();
    for (const el of col.querySelectorAll('*')) {
      if (el.tagName.startsWith('MJX-') && el.tagName !== 'MJX-CONTAINER') continue;
      if (el.closest(beside)) continue;
      let a = el.parentElement, hidden = false;
      for (; a && a !== col; a = a.parentElement) {
        if (reported.has(a) || clips(a)) { hidden = true; break; }
      }
      if (hidden) continue;
      // per line box: an inline element that wraps spans the column without sticking out
      const out = Array.from(el.getClientRects()).filter(
        r => r.width > 0 && r.height > 0 && (r.right > right || r.left < left));
      if (!out.length) continue;
      const r = out.reduce((a, b) => (b.width > a.width ? b : a));
      reported.add(el);
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      const sec = el.closest('section[id]');
      found.push(`<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}> `
        + `${Math.round(r.width)} px wide (column ${Math.round(right - left - 2)} px) `
        + `in section #${sec ? sec.id : '?'}: `
        + JSON.stringify(el.textContent.trim().slice(0, 60)));
    }
    return found.slice(0, 10);
  }
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


@pytest.fixture(scope="module")
def visit(browser):
    """Open a page of the book once (offline, 1280 px wide) and return what INSPECT found."""
    seen: dict[str, dict] = {}

    def _visit(doc: str) -> dict:
        if doc in seen:
            return seen[doc]
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
        info.update(path=page_path, remote=remote, page_errors=page_errors)
        if doc in ("chapters/notation", "chapters/learning_order"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{Path(doc).name}.png"), full_page=False)
        context.close()
        seen[doc] = info
        return info

    return _visit


@pytest.mark.parametrize("doc", book_pages())
def test_page_renders_offline(visit, doc):
    info = visit(doc)
    page_path = info["path"]
    source = (ROOT / f"{doc}.md").read_text()

    assert not info["remote"], f"{doc}: fetched from the network: {info['remote']}"
    assert not info["page_errors"], f"{doc}: JavaScript errors: {info['page_errors']}"
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


@pytest.mark.parametrize("doc", book_pages())
def test_no_inline_tex_left_in_the_text(visit, doc):
    """No ``$...$`` in the visible text (outside code): math that MathJax did not typeset,
    e.g. in a Markdown cell output, which myst-nb renders without dollarmath."""
    hits = visit(doc)["rawDollars"]
    assert not hits, f"{doc}: untypeset inline TeX in the text: {hits}"


@pytest.mark.parametrize("doc", book_pages())
def test_nothing_is_wider_than_the_content_column(visit, doc):
    """At a 1280 px wide window every element fits the content column (or scrolls inside it)."""
    wide = visit(doc)["tooWide"]
    assert not wide, f"{doc}: elements wider than the content column: " + "; ".join(wide)


@pytest.mark.parametrize("doc", book_pages())
def test_chapter_number_in_the_title(visit, doc):
    """A chapter of a ``numbered: true`` part shows its number in its title; other pages none."""
    n, h1 = chapter_numbers()[doc], visit(doc)["h1"]
    if n is None:
        assert not re.match(r"\d+\.\s", h1), f"{doc}: an unnumbered page is titled {h1!r}"
    else:
        assert h1.startswith(f"{n}. "), f"{doc}: title {h1!r} does not start with its number {n}."


def test_sidebar_numbers_the_chapters(visit):
    """The sidebar lists every chapter of the numbered parts with its number."""
    root = book_pages()[0]
    entries = {}
    for href, text in visit(root)["sidebar"]:
        entries[unquote(urlparse(href).path).removesuffix(".html")] = text
    numbered = {d: n for d, n in chapter_numbers().items() if n is not None}
    missing = [d for d in numbered if d not in entries]
    assert not missing, f"chapters missing from the sidebar: {missing}"
    wrong = {d: entries[d] for d, n in numbered.items() if not entries[d].startswith(f"{n}. ")}
    assert not wrong, f"sidebar entries without their chapter number: {wrong}"


@pytest.mark.parametrize("doc", book_pages())
def test_chapter_offers_its_executed_notebook(visit, doc):
    """A notebook page links its executed .ipynb; the file exists and holds the page's outputs."""
    info = visit(doc)
    if not is_notebook(doc):
        assert not info["downloads"], f"{doc} is not a notebook but offers one"
        return
    assert len(info["downloads"]) == 1, f"{doc}: {len(info['downloads'])} notebook download links"
    target = (info["path"].parent / unquote(info["downloads"][0])).resolve()
    assert target.is_file(), f"{doc}: the notebook link {info['downloads'][0]} resolves to no file"
    nb = json.loads(target.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    source = (ROOT / f"{doc}.md").read_text()
    n_cells = len(re.findall(r"^`{3,}\{code-cell\}", source, re.M))
    assert len(code) == n_cells, f"{doc}: {len(code)} code cells in the notebook, {n_cells} in the chapter"
    with_outputs = sum(1 for c in code if c.get("outputs"))
    assert with_outputs >= info["nCellOutputs"], (
        f"{doc}: the page shows {info['nCellOutputs']} cell outputs, the notebook holds {with_outputs}")


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
