"""Small Sphinx fixes for the published HTML of the book.

Jupyter Book 1.0 writes the inline configuration scripts of sphinx-thebe and
sphinx-togglebutton twice into every page (once with filename None, once with ""), and
browsers then raise "Identifier 'THEBE_JS_URL' has already been declared". The book does not use thebe; this extension drops repeated inline scripts so that
pages load without JavaScript errors (checked by tests/test_browser.py).

The ``singlehtml`` builder (``make pdf``) finds a node's HTML visitor under the builder's
name, and falls back to the ``html`` ones only when no extension registered any under that
name; sphinx-exercise registers ``singlehtml`` visitors, so the ``html`` visitors of every
other extension (e.g. sphinx-jupyterbook-latex's ``HiddenCellNode``) go missing. This
extension fills them in.
"""

from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # An inline script's filename is None or "" (after the environment is pickled):
        # compare by content.
        name = getattr(js, "filename", js) or ""
        key = (str(name), tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def _inherit_html_visitors(app):
    handlers = app.registry.translation_handlers
    name = app.builder.name
    if app.builder.format == "html" and name != "html" and name in handlers:
        for node, visitors in handlers.get("html", {}).items():
            handlers[name].setdefault(node, visitors)


def setup(app):
    app.connect("builder-inited", _inherit_html_visitors)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
