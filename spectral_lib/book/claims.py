"""The "Claims checked" tables that close every chapter, and the appendix's summary of them.

Each row is either a **claim** (a statement of a paper, or a finding of this book) or a
**check** (an identity, a numerical method's convergence, an engine's equivalence with a
plain loop, a calibration). A claim's status says what was shown:

* ``reproduced`` -- the guard tests the statement at the strength its source states;
* ``weakened`` -- a weaker statement holds; the row says in words what is weaker;
* ``not reproduced`` -- the guarded statement fails; the chapter shows why.

A check is ``passed`` or ``failed`` and is never counted as a reproduction: checks go in a
table of their own. Every row records its source, the paper's (or the official code's)
value, the value this book measured (with an interval over seeds where it is a statistic
over runs) and the guard; the tables are displayed, saved as JSON under ``_build/claims``
and glued for the reproduction appendix, whose summary (:func:`summary`) counts them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from spectral_lib import paths, seeding
from spectral_lib.runs import profiles

KINDS: tuple[str, ...] = ("claim", "check")
CLAIM_STATUSES: tuple[str, ...] = ("reproduced", "weakened", "not reproduced")
CHECK_STATUSES: tuple[str, ...] = ("passed", "failed")
#: Where a claim comes from, recognised in its ``source`` text (first match wins).
ORIGINS: tuple[tuple[str, str], ...] = (
    ("Rahaman", "Rahaman et al. (2019)"),
    ("Lazzari", "Lazzari & Liu (2023)"),
    ("this book", "this book"),
)


def origin_of(source: str) -> str:
    """The work a row's ``source`` names first: one of :data:`ORIGINS`, else ``"other works"``.

    Parameters
    ----------
    source : str
        The row's source, e.g. ``"Rahaman et al. §3 Exp2, Fig. 3"``.

    Returns
    -------
    str
        The origin's label.

    Raises
    ------
    TypeError
        If ``source`` is not a string.

    Examples
    --------
    >>> origin_of("Rahaman et al. §3, Fig. 1")
    'Rahaman et al. (2019)'
    >>> origin_of("Tancik et al. (2020), Fig. 3")
    'other works'
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a string, got {type(source).__name__}")
    low = source.lower()
    hits = [(low.find(key.lower()), label) for key, label in ORIGINS if key.lower() in low]
    return min(hits)[1] if hits else "other works"


@dataclass
class Claim:
    """One row of a chapter's claims or checks table."""

    claim: str
    source: str
    paper: str
    book: str
    guard: str
    ok: bool
    code: str = ""
    kind: str = "claim"
    status: str = ""
    weaker: str = ""
    interval: list | None = None
    origin: str = ""


def _badge(status: str) -> str:
    return f'<span class="claim-status claim-{status.replace(" ", "-")}">{status}</span>'


@dataclass
class Claims:
    """The "Claims checked" tables of one chapter: claims, then checks.

    The assert that guards a row lives in the chapter (a hidden cell); the table documents
    it and shows its status.

    Parameters
    ----------
    chapter : str
        The chapter's file stem, e.g. ``"notation"``.

    Examples
    --------
    >>> c = Claims("demo")
    >>> c.add("1 + 1 = 2", source="arithmetic", paper="2", book=str(1 + 1), guard="1 + 1 == 2", ok=True,
    ...       kind="check")
    >>> c.rows[0].status
    'passed'
    """

    chapter: str
    rows: list[Claim] = field(default_factory=list)

    def add(
        self, claim: str, *, source: str, paper: str, book: str, guard: str, ok: bool, code: str = "",
        kind: str = "claim", weaker: str | None = None, interval=None, origin: str | None = None,
    ) -> None:
        """Add one row. ``ok`` must be the boolean the guarding assert checks.

        Parameters
        ----------
        claim : str
            The statement, quoted at the strength its source states.
        source : str
            Paper and section/figure, the official code, or ``"this book"``.
        paper : str
            The paper's value (or ``"(official code: ...)"``).
        book : str
            The value this book measured.
        guard : str
            The guarded condition, as code.
        ok : bool
            Whether the guarded condition holds.
        code : str, optional
            The official code's value where it differs from the paper's.
        kind : {"claim", "check"}, default "claim"
            A check (identity, numerical method, engine, calibration) is never counted as
            a reproduction.
        weaker : str, optional
            For a claim whose guard tests less than its source states: what is weaker, in
            words. The status is then ``weakened`` (when ``ok``).
        interval : pair of float, optional
            A 95% interval over seeds of the guarded statistic.
        origin : str, optional
            The work the claim comes from; default :func:`origin_of` ``(source)``.

        Returns
        -------
        None
            The row is appended.

        Raises
        ------
        TypeError
            If ``ok`` is not a bool.
        ValueError
            If a text is empty, ``kind`` is unknown, ``weaker`` is given for a check, or
            ``interval`` is not a pair of finite numbers with ``low <= high``.

        Examples
        --------
        >>> c = Claims("demo")
        >>> c.add("k^-2 decay", source="Rahaman et al. Thm 1", paper="k^-2", book="k^-2 on 3 of 5 nets",
        ...       guard="...", ok=True, weaker="shown on a subset of frequencies")
        >>> c.rows[0].status
        'weakened'
        """
        if not isinstance(ok, (bool, np.bool_)):
            raise TypeError(f"ok must be a bool (the guarded condition), got {type(ok).__name__}")
        for label, text in (("claim", claim), ("source", source), ("paper", paper), ("book", book)):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{label} must be a non-empty string")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        if weaker is not None and (kind == "check" or not isinstance(weaker, str) or not weaker.strip()):
            raise ValueError("weaker must be a non-empty description, and only for a claim")
        if interval is not None:
            lo, hi = (float(v) for v in interval)
            if not (np.isfinite(lo) and np.isfinite(hi) and lo <= hi):
                raise ValueError(f"interval must be finite with low <= high, got {interval!r}")
            interval = [lo, hi]
        if kind == "check":
            status = "passed" if ok else "failed"
        elif not ok:
            status = "not reproduced"
        else:
            status = "weakened" if weaker else "reproduced"
        self.rows.append(Claim(claim, source, paper, book, guard, bool(ok), code, kind, status, weaker or "",
                               interval, origin or origin_of(source)))

    def _table(self, rows: list[Claim], html: bool) -> list[str]:
        import html as _html
        import re

        def cell(text: str) -> str:
            if not html:
                return text.replace("|", "\\|").replace("\n", " ")
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", _html.escape(text))

        head = ["Claim", "Source", "Paper", "Official code", "This book", "Guard", "Status"]
        out = []
        for r in rows:
            value = r.book
            if r.interval:
                value += f" (95% interval {r.interval[0]:.3g} to {r.interval[1]:.3g})"
            status = r.status + (f": {r.weaker}" if r.weaker else "")
            guard = f"<code>{_html.escape(r.guard)}</code>" if html else f"`{r.guard}`"
            cells = [cell(r.claim), cell(r.source), cell(r.paper), cell(r.code or "—"), cell(value), guard,
                     _badge(r.status) + (cell(f": {r.weaker}") if r.weaker else "") if html else status]
            out.append(cells)
        return [head] + out

    def markdown(self) -> str:
        """Return the claims table, then the checks table, as Markdown."""
        parts = []
        checks = ("**Checks** (identities, numerical methods, engine equivalence, calibrations: not counted "
                  "as reproductions)")
        for kind, title in (("claim", None), ("check", checks)):
            rows = [r for r in self.rows if r.kind == kind]
            if not rows:
                continue
            table = self._table(rows, html=False)
            lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
            lines += ["| " + " | ".join(c for c in row) + " |" for row in table[1:]]
            parts.append(("" if title is None else title + "\n\n") + "\n".join(lines))
        return "\n\n".join(parts)

    def show(self):
        """Display the tables (as HTML, compact, with status badges) and save them.

        Returns
        -------
        IPython.display.HTML
            The rendered tables (:meth:`markdown` gives the same rows as Markdown).
        """
        from IPython.display import HTML
        from myst_nb import glue as _glue

        self.save()
        # Glued as HTML under "<chapter>-claims" so that the reproduction appendix can
        # paste every chapter's table across documents ({glue:any} with :doc:).
        _glue(f"{self.chapter}-claims", HTML(self.html()), display=False)
        return HTML(self.html())

    def html(self) -> str:
        """Return the tables as HTML ``<table>`` elements (for pasting into other pages)."""
        out = []
        for kind, caption in (("claim", "Claims"), ("check", "Checks (not counted as reproductions)")):
            rows = [r for r in self.rows if r.kind == kind]
            if not rows:
                continue
            table = self._table(rows, html=True)
            run = f"this execution: {profiles.current_profile()} profile, seed offset {seeding.seed_offset()}"
            out.append(f'<table class="table claims-table claims-{kind}"><caption>{caption} '
                       f"<small>({run})</small></caption>")
            out.append("<thead><tr>")
            out += [f"<th>{h}</th>" for h in table[0]]
            out.append("</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in table[1:]]
            out.append("</tbody></table>")
        return "".join(out)

    def save(self, root: str | os.PathLike | None = None) -> Path | None:
        """Write the rows to ``<claims folder>/<chapter>.json``.

        The file records the profile, the seed offset (``SPECTRAL_SEED``) and the library's
        version and source hash beside the rows. The folder is ``<root>/_build/claims`` when
        ``root`` is given, else :func:`claims_dir`; nothing is written when there is none.
        """
        from spectral_lib import __version__
        from spectral_lib.runs import cache

        out = Path(root) / "_build" / "claims" if root is not None else claims_dir()
        if out is None:
            return None
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{self.chapter}.json"
        tmp = target.with_suffix(".json.tmp")
        payload = {
            "chapter": self.chapter,
            "profile": profiles.current_profile(),
            "seed_offset": seeding.seed_offset(),
            "library_version": __version__,
            "library_source": cache.source_hash(),
            "rows": [asdict(r) for r in self.rows],
        }
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        tmp.replace(target)
        return target


#: Environment variable naming another folder for the claims JSON files (the tests use it, so
#: that validating the chapters at another seed offset leaves the book's tables alone).
CLAIMS_DIR_VAR = "SPECTRAL_CLAIMS_DIR"


def claims_dir() -> Path | None:
    """The folder the chapters' claims JSON files go to, and the appendix reads.

    Returns
    -------
    pathlib.Path or None
        ``$SPECTRAL_CLAIMS_DIR`` when set, else ``<book root>/_build/claims`` (the book root
        is the first parent of the working directory holding ``_toc.yml``), else ``None``.

    Examples
    --------
    >>> saved = os.environ.get(CLAIMS_DIR_VAR)
    >>> os.environ[CLAIMS_DIR_VAR] = "/tmp/claims-demo"
    >>> str(claims_dir())
    '/tmp/claims-demo'
    >>> _ = os.environ.pop(CLAIMS_DIR_VAR) if saved is None else os.environ.update({CLAIMS_DIR_VAR: saved})
    """
    env = os.environ.get(CLAIMS_DIR_VAR, "").strip()
    if env:
        return Path(env)
    base = paths.book_root()
    return None if base is None else base / "_build" / "claims"


def summary(folder: str | os.PathLike) -> dict:
    """Count the claims of every ``<chapter>.json`` in ``folder``, by origin and status.

    Parameters
    ----------
    folder : path
        The folder the chapters' :meth:`Claims.save` wrote (``_build/claims``).

    Returns
    -------
    dict
        ``counts``: origin -> status -> number of claims; ``checks``: status -> number of
        checks; ``open``: one ``(chapter, origin, status, claim, reason)`` per claim that is
        weakened or not reproduced; ``files``: chapter -> the ``profile``, ``seed_offset``
        and ``library_source`` its table was computed under.

    Raises
    ------
    FileNotFoundError
        If ``folder`` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     c = Claims("demo")
    ...     c.add("x", source="this book", paper="-", book="1", guard="g", ok=True)
    ...     _ = c.save(d)
    ...     summary(Path(d) / "_build" / "claims")["counts"]
    {'this book': {'reproduced': 1, 'weakened': 0, 'not reproduced': 0}}
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    counts: dict = {}
    checks = {s: 0 for s in CHECK_STATUSES}
    open_rows = []
    files = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text())
        files[data["chapter"]] = {k: data.get(k) for k in ("profile", "seed_offset", "library_source")}
        for r in data["rows"]:
            kind = r.get("kind", "claim")
            status = r.get("status") or ("reproduced" if r["ok"] else "not reproduced")
            if kind == "check":
                checks[status] += 1
                continue
            origin = r.get("origin") or origin_of(r["source"])
            counts.setdefault(origin, {s: 0 for s in CLAIM_STATUSES})[status] += 1
            if status != "reproduced":
                reason = r.get("weaker") or r["book"]
                open_rows.append((data["chapter"], origin, status, r["claim"], reason))
    return {"counts": counts, "checks": checks, "open": open_rows, "files": files}


def summary_markdown(result: dict) -> str:
    """The appendix's summary as Markdown: claims per origin and status, checks, open claims.

    Parameters
    ----------
    result : dict
        What :func:`summary` returns.

    Returns
    -------
    str
        Two Markdown tables and a list of the weakened and not-reproduced claims.

    Raises
    ------
    KeyError
        If ``result`` lacks a key that :func:`summary` returns.

    Examples
    --------
    >>> counts = {"this book": {"reproduced": 2, "weakened": 0, "not reproduced": 0}}
    >>> text = summary_markdown({"counts": counts, "checks": {"passed": 3, "failed": 0}, "open": []})
    >>> print(text.splitlines()[2])
    | this book | 2 | 0 | 0 |
    """
    lines = ["| Claims of | reproduced | weakened | not reproduced |", "|---|---|---|---|"]
    order = [label for _, label in ORIGINS] + ["other works"]
    for origin in sorted(result["counts"], key=lambda o: order.index(o) if o in order else len(order)):
        c = result["counts"][origin]
        lines.append(f"| {origin} | {c['reproduced']} | {c['weakened']} | {c['not reproduced']} |")
    checks = result["checks"]
    lines += ["", "Checks (identities, numerical methods, engine equivalence, calibrations; not counted "
                  f"above): {checks['passed']} passed, {checks['failed']} failed."]
    if result["open"]:
        lines += ["", "| Chapter | Claim of | Status | Claim | What holds instead |", "|---|---|---|---|---|"]
        for chapter, origin, status, claim, reason in result["open"]:
            row = (chapter, origin, status, claim, reason)
            cells = [str(c).replace("|", "\\|").replace("\n", " ") for c in row]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
