"""Offer each chapter's executed notebook for download from its page.

myst-nb writes every notebook it renders to ``jupyter_execute/<docname>.ipynb`` beside the
HTML output folder. This extension adds a "Download the executed notebook" link under the
title of every page that has such a notebook and, once the build has finished, writes the
notebooks to ``<html>/_notebooks/<stem>.ipynb``. When a page's outputs came from the
execution cache (``execute_notebooks: cache``), myst-nb 1.4 writes the notebook *without*
them; the outputs are then merged in from the same cache record the page was rendered from,
so that the download holds exactly the outputs the page shows. Only the multi-page HTML
builder is concerned (not ``singlehtml``, which the PDF is printed from).
``tests/test_browser.py`` checks that every link resolves to a notebook with the page's
outputs.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import nbformat

FOLDER = "_notebooks"
LINK = (
    '<p class="notebook-download"><a class="reference download" href="{href}" download>'
    "Download the executed notebook</a> (<code>{name}</code>, with the outputs of this page)</p>\n"
)


def _wanted(app) -> bool:
    return app.builder.format == "html" and app.builder.name == "html"


def executed_notebook(app, docname: str) -> Path:
    """Where myst-nb wrote the notebook of ``docname``.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The running application.
    docname : str
        A document name, e.g. ``"chapters/notation"``.

    Returns
    -------
    pathlib.Path
        ``<outdir>/../jupyter_execute/<docname>.ipynb`` (which may not exist).
    """
    return Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"


def executed_content(app, docname: str) -> nbformat.NotebookNode:
    """The notebook of ``docname`` with the outputs its page shows.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The running application.
    docname : str
        A document with a notebook in ``jupyter_execute``.

    Returns
    -------
    nbformat.NotebookNode
        The notebook myst-nb wrote, with the cached outputs merged in when myst-nb took the
        page's outputs from the execution cache.
    """
    from jupyter_cache import get_cache
    from myst_nb.sphinx_ import NbMetadataCollector

    nb = nbformat.read(executed_notebook(app, docname), as_version=4)
    exec_data = NbMetadataCollector.get_exec_data(app.env, docname) or {}
    if exec_data.get("method") == "cache" and exec_data.get("succeeded"):
        with suppress(KeyError):
            _, nb = get_cache(app.env.mystnb_config.execution_cache_path).merge_match_into_notebook(nb)
    return nb


def _add_link(app, pagename, templatename, context, doctree):
    if not _wanted(app) or doctree is None or not executed_notebook(app, pagename).is_file():
        return
    name = f"{Path(pagename).name}.ipynb"
    link = LINK.format(href=context["pathto"](f"{FOLDER}/{name}", 1), name=name)
    body = context.get("body", "")
    head, sep, tail = body.partition("</h1>")
    context["body"] = head + sep + "\n" + link + tail if sep else link + body


def _copy_notebooks(app, exception):
    if exception is not None or not _wanted(app):
        return
    target = Path(app.outdir) / FOLDER
    target.mkdir(exist_ok=True)
    for docname in sorted(app.env.found_docs):
        source = executed_notebook(app, docname)
        if source.is_file():
            nbformat.write(executed_content(app, docname), target / f"{Path(docname).name}.ipynb")


def setup(app):
    """Register the link (at ``html-page-context``) and the copy (at ``build-finished``)."""
    app.connect("html-page-context", _add_link)
    app.connect("build-finished", _copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
