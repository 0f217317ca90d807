"""Helpers every chapter calls: seeding, glue, and the closing "Claims checked" table.

A chapter starts with one hidden setup cell::

    from spectral_lib import book
    profile = book.setup(seed=0)

and ends with a ``Claims`` table whose rows name the claim, where it comes from, the
paper's value, the book's value and the ``assert`` that guards it.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from .profiles import current_profile


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global generators and make torch deterministic.

    Parameters
    ----------
    seed : int
        A non-negative integer.

    Returns
    -------
    None
        Nothing; the effect is the side effect described above.

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> seed_everything(0)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)  # noqa: NPY002 - seeds legacy global draws in reader code
    torch.manual_seed(int(seed))
    torch.use_deterministic_algorithms(True)


def setup(seed: int = 0) -> str:
    """Prepare a chapter: threads, seeds, deterministic torch and figure defaults.

    Respects ``OMP_NUM_THREADS`` for torch's intra-op threads (the book runs one thread per
    chapter: on a 2-core machine two threads become several times slower when the other
    core is busy).

    Parameters
    ----------
    seed : int, default 0
        Seed for :func:`seed_everything`.

    Returns
    -------
    str
        The active profile, ``"book"`` or ``"paper"``.

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer (from :func:`seed_everything`).

    Examples
    --------
    >>> setup(0) in ("book", "paper")
    True
    """
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads and threads.isdigit() and int(threads) > 0:
        torch.set_num_threads(int(threads))
    seed_everything(seed)
    import matplotlib as mpl

    _inline_figures()

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return current_profile()


def _inline_figures() -> None:
    """In a Jupyter kernel, show figures inline whatever ``MPLBACKEND`` says.

    A non-interactive backend inherited from the environment (``MPLBACKEND=agg``) would
    otherwise leave every figure cell of a chapter empty in the built book.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the book's environment
        return
    shell = get_ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        shell.run_line_magic("matplotlib", "inline")


def glue(name: str, value, fmt: str | None = None):
    """Glue a value for use in the prose with ``{glue:text}`name``` (myst-nb), silently.

    Parameters
    ----------
    name : str
        The glue key; unique within the chapter.
    value : object
        The value. Numbers are glued as Python scalars so the prose may format them
        (``{glue:text}`name:.3f```).
    fmt : str, optional
        If given, the value is formatted with ``format(value, fmt)`` and glued as text.

    Returns
    -------
    object
        The value that was glued (formatted string when ``fmt`` is given).

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string, or ``fmt`` is not a valid format for ``value``.
    TypeError
        If ``fmt`` is not a string or ``value`` does not support formatting with it.

    Examples
    --------
    >>> glue("answer", 42)
    42
    """
    if not isinstance(name, str) or not name:
        raise ValueError("glue name must be a non-empty string")
    if isinstance(value, np.generic):
        value = value.item()
    if fmt is not None:
        value = format(value, fmt)
    from myst_nb import glue as _glue

    _glue(name, value, display=False)
    return value


@dataclass
class Claim:
    """One row of a chapter's "Claims checked" table."""

    claim: str
    source: str
    paper: str
    book: str
    guard: str
    ok: bool
    code: str = ""


@dataclass
class Claims:
    """The "Claims checked" table of one chapter.

    Each row records a claim, its source in the papers, the paper's (or the official
    code's) value, the value this book measured, and the ``assert`` that guards it. The
    assert itself lives in the chapter (a tagged cell): the table documents it and shows
    its status.

    Parameters
    ----------
    chapter : str
        The chapter's file stem, e.g. ``"notation"``.

    Examples
    --------
    >>> c = Claims("demo")
    >>> c.add("1 + 1 = 2", source="arithmetic", paper="2", book=str(1 + 1), guard="1 + 1 == 2", ok=True)
    >>> len(c.rows)
    1
    """

    chapter: str
    rows: list[Claim] = field(default_factory=list)

    def add(
        self, claim: str, *, source: str, paper: str, book: str, guard: str, ok: bool, code: str = ""
    ) -> None:
        """Add one row. ``ok`` must be the boolean the guarding assert checks.

        ``code`` is the official code's value where it differs from the paper's.
        """
        if not isinstance(ok, (bool, np.bool_)):
            raise TypeError(f"ok must be a bool (the guarded condition), got {type(ok).__name__}")
        for label, text in (("claim", claim), ("source", source), ("paper", paper), ("book", book)):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{label} must be a non-empty string")
        self.rows.append(Claim(claim, source, paper, book, guard, bool(ok), code))

    def markdown(self) -> str:
        """Return the table as Markdown."""
        lines = [
            "| Claim | Source | Paper | Official code | This book | Guard | Status |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            status = "✅ reproduced" if r.ok else "❌ not reproduced"
            cells = [r.claim, r.source, r.paper, r.code or "—", r.book, f"`{r.guard}`", status]
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        return "\n".join(lines)

    def show(self):
        """Display the table (as Markdown) and save it for the reproduction appendix.

        Returns
        -------
        IPython.display.Markdown
            The rendered table.
        """
        from IPython.display import HTML, Markdown
        from myst_nb import glue as _glue

        self.save()
        # Glued as HTML under "<chapter>-claims" so that the reproduction appendix can
        # paste every chapter's table across documents ({glue:any} with :doc:).
        _glue(f"{self.chapter}-claims", HTML(self.html()), display=False)
        return Markdown(self.markdown())

    def html(self) -> str:
        """Return the table as an HTML ``<table>`` (for pasting into other pages)."""
        import html as _html
        import re

        def cell(text: str) -> str:
            esc = _html.escape(text)
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc)

        head = ["Claim", "Source", "Paper", "Official code", "This book", "Guard", "Status"]
        out = ['<table class="table claims-table">', "<thead><tr>"]
        out += [f"<th>{h}</th>" for h in head]
        out.append("</tr></thead><tbody>")
        for r in self.rows:
            status = "✅ reproduced" if r.ok else "❌ not reproduced"
            cells = [cell(r.claim), cell(r.source), cell(r.paper), cell(r.code or "—"), cell(r.book)]
            cells += [f"<code>{_html.escape(r.guard)}</code>", status]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def save(self, root: str | os.PathLike | None = None) -> Path | None:
        """Write the rows to ``<book root>/_build/claims/<chapter>.json``.

        The book root is the first parent of the working directory holding ``_toc.yml``;
        nothing is written when there is none.
        """
        base = Path(root) if root is not None else _book_root()
        if base is None:
            return None
        out = base / "_build" / "claims"
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{self.chapter}.json"
        tmp = target.with_suffix(".json.tmp")
        payload = {
            "chapter": self.chapter,
            "profile": current_profile(),
            "rows": [asdict(r) for r in self.rows],
        }
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        tmp.replace(target)
        return target


def _book_root() -> Path | None:
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "_toc.yml").is_file():
            return p
    return None
