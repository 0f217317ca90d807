"""The "Claims checked" table that closes every chapter.

Each row records a claim, its source, the paper's (or the official code's) value, the
value this book measured and the ``assert`` that guards it; the table is displayed, saved as
JSON under ``_build/claims`` and glued for the reproduction appendix.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from spectral_lib import paths
from spectral_lib.runs import profiles


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
        base = Path(root) if root is not None else paths.book_root()
        if base is None:
            return None
        out = base / "_build" / "claims"
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{self.chapter}.json"
        tmp = target.with_suffix(".json.tmp")
        payload = {
            "chapter": self.chapter,
            "profile": profiles.current_profile(),
            "rows": [asdict(r) for r in self.rows],
        }
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        tmp.replace(target)
        return target
