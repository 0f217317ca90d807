"""Where the book lives on disk: the book root, found from the working directory."""

from __future__ import annotations

from pathlib import Path


def book_root() -> Path | None:
    """The first parent of the working directory (itself included) that holds ``_toc.yml``.

    Returns
    -------
    pathlib.Path or None
        The book's root folder, or ``None`` outside a book.

    Raises
    ------
    OSError
        If the working directory cannot be read (``os.getcwd`` fails, e.g. it was removed).

    Examples
    --------
    >>> root = book_root()
    >>> root is None or (root / "_toc.yml").is_file()
    True
    """
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "_toc.yml").is_file():
            return p
    return None
