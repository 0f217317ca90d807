"""Small Sphinx fixes for the published HTML of the book.

Jupyter Book 1.0 writes the inline configuration scripts of sphinx-thebe and
sphinx-togglebutton twice into every page (once with filename None, once with ""), and
browsers then raise "Identifier 'THEBE_JS_URL' has already been declared". The book does not use thebe; this extension drops repeated inline scripts so that
pages load without JavaScript errors (checked by tests/test_browser.py).
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


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
