"""Archived runs at the papers' sizes, shown beside a chapter's own run.

``make long-runs`` (``tools/long_runs.py``) executes a chapter with its ``paper`` presets and
writes ``long_runs/<chapter>.json`` at the book's root: the rows of its claims and checks
tables, the cells that raised, the CPU time, the date, the machine, the versions, the library's
source hash and the commit. :func:`load` reads that record, :func:`beside` lines its rows up
with the chapter's own (the book-profile run that executes with the book), and
:func:`provenance` says in one line which run it was.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from spectral_lib import paths

#: The folder of the archived runs, under the book's root.
FOLDER = "long_runs"
#: The fields every archived record holds (``tools/long_runs.py`` writes them).
FIELDS: tuple[str, ...] = ("chapter", "profile", "date", "machine", "versions", "commit", "library_source",
                           "cpu_s", "wall_s", "errors", "completed", "rows")


def archive_path(chapter: str, root=None) -> Path:
    """Where the archived run of ``chapter`` lives: ``<root>/long_runs/<chapter>.json``.

    Parameters
    ----------
    chapter : str
        The chapter's file stem.
    root : path-like, optional
        The book's root (default :func:`spectral_lib.paths.book_root`).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If ``chapter`` is not a plain file stem, or no book root is found.

    Examples
    --------
    >>> archive_path("cpwl", root="/book").as_posix()
    '/book/long_runs/cpwl.json'
    """
    if not isinstance(chapter, str) or not chapter or "/" in chapter or chapter.startswith("."):
        raise ValueError(f"chapter must be a chapter's file stem, got {chapter!r}")
    base = Path(root) if root is not None else paths.book_root()
    if base is None:
        raise ValueError("no book root found (pass root=)")
    return base / FOLDER / f"{chapter}.json"


def load(chapter: str, root=None) -> dict | None:
    """The archived run of ``chapter``, or ``None`` when there is none.

    Parameters
    ----------
    chapter : str
        The chapter's file stem.
    root : path-like, optional
        The book's root.

    Returns
    -------
    dict or None
        The record (its keys :data:`FIELDS`).

    Raises
    ------
    ValueError
        If the file exists but is not a record of ``chapter`` with every field of :data:`FIELDS`.

    Examples
    --------
    >>> import tempfile
    >>> load("cpwl", root=tempfile.mkdtemp()) is None
    True
    """
    path = archive_path(chapter, root)
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    missing = [f for f in FIELDS if f not in record]
    if missing or record.get("chapter") != chapter:
        raise ValueError(f"{path} is not an archived run of {chapter!r} (missing {missing})")
    return record


def beside(rows, record: dict) -> list[dict]:
    """Each of the chapter's rows with the archived run's status and value for the same statement.

    Rows are matched by their kind and their statement (``claim``); a statement the archived
    run did not record gets ``None``, and the archived rows the chapter lacks come last.

    Parameters
    ----------
    rows : sequence of Claim or dict
        The chapter's rows (``Claims.rows``).
    record : dict
        From :func:`load`.

    Returns
    -------
    list of dict
        Keys ``kind``, ``claim``, ``status`` (this run), ``archived_status``, ``book`` (this
        run's value), ``archived_book`` (the archived run's value).

    Raises
    ------
    ValueError
        If ``record`` has no ``rows``.

    Examples
    --------
    >>> mine = [{"kind": "check", "claim": "1 + 1 = 2", "status": "passed", "book": "2"}]
    >>> arch = {"rows": [{"kind": "check", "claim": "1 + 1 = 2", "status": "passed", "book": "2"}]}
    >>> beside(mine, arch)[0]["archived_status"]
    'passed'
    """
    if not isinstance(record, dict) or "rows" not in record:
        raise ValueError("record must be an archived run (from load())")

    def as_dict(r):
        return r if isinstance(r, dict) else {k: getattr(r, k) for k in ("kind", "claim", "status", "book")}

    archived = {(r["kind"], r["claim"]): r for r in record["rows"]}
    out, seen = [], set()
    for r in map(as_dict, rows):
        key = (r["kind"], r["claim"])
        a = archived.get(key)
        seen.add(key)
        out.append({"kind": r["kind"], "claim": r["claim"], "status": r["status"], "book": r["book"],
                    "archived_status": a["status"] if a else None, "archived_book": a["book"] if a else None})
    for key, a in archived.items():
        if key not in seen:
            out.append({"kind": a["kind"], "claim": a["claim"], "status": None, "book": None,
                        "archived_status": a["status"], "archived_book": a["book"]})
    return out


def provenance(record: dict) -> str:
    """One line on which run an archived record is: profile, date, machine, CPU time, source.

    Parameters
    ----------
    record : dict
        From :func:`load`.

    Returns
    -------
    str
        Comma-separated facts, then after a semicolon whether the run reached its claims table.

    Raises
    ------
    KeyError
        If a field of :data:`FIELDS` is missing.

    Examples
    --------
    >>> rec = {"profile": "paper", "date": "2026-12-02 05:00 UTC", "machine": {"cores": 2, "threads": 1},
    ...        "cpu_s": 61.0, "commit": "0123456789abcdef", "library_source": "fedcba9876543210",
    ...        "completed": True, "errors": []}
    >>> provenance(rec).split(", ")[:4]
    ['profile paper', '2026-12-02 05:00 UTC', 'one thread of a 2-core CPU', '1.0 CPU min']
    >>> provenance(rec).split("; ")[-1]
    'ran to the end'
    """
    m = record["machine"]
    end = "ran to the end" if record["completed"] else "stopped before its claims table"
    if record["errors"]:
        end += f", {len(record['errors'])} cell(s) raised"
    return (f"profile {record['profile']}, {record['date']}, one thread of a {m['cores']}-core CPU, "
            f"{record['cpu_s'] / 60:.1f} CPU min, commit {str(record['commit'])[:10]}, "
            f"library source {str(record['library_source'])[:10]}; {end}")


def table_html(rows, record: dict) -> str:
    """The rows of :func:`beside` as an HTML table: statement, this run's status and value, the archive's.

    Parameters
    ----------
    rows, record
        The chapter's rows and the archived run, as for :func:`beside`.

    Returns
    -------
    str
        A ``<table>`` whose caption is :func:`provenance`.

    Raises
    ------
    ValueError, KeyError
        As :func:`beside` and :func:`provenance`.

    Examples
    --------
    >>> rec = {"profile": "paper", "date": "2026-12-02", "machine": {"cores": 2}, "cpu_s": 6.0, "commit": "c",
    ...        "library_source": "s", "completed": True, "errors": [],
    ...        "rows": [{"kind": "check", "claim": "1 + 1 = 2", "status": "passed", "book": "2"}]}
    >>> "<td>passed</td>" in table_html(rec["rows"], rec)
    True
    """
    lines = beside(rows, record)
    caption = html.escape(provenance(record))
    out = [f'<table class="table claims-table long-run"><caption>Beside the run at the paper\'s sizes: '
           f"{caption}</caption><thead><tr>",
           *(f"<th>{h}</th>" for h in ("kind", "statement", "this run", "value", "paper's sizes", "value")),
           "</tr></thead><tbody>"]
    for r in lines:
        cells = [r["kind"], r["claim"], r["status"] or "—", r["book"] or "—", r["archived_status"] or "—",
                 r["archived_book"] or "—"]
        out.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def status_changes(rows, record: dict) -> dict:
    """How many of the chapter's rows keep their status in the archived run, and which change.

    Parameters
    ----------
    rows, record
        As :func:`beside` takes them: the chapter's rows, then :func:`load`'s record.

    Returns
    -------
    dict
        ``same`` (int): rows with the same status in both runs; ``changed`` (list of dict):
        the rows of :func:`beside` whose statuses differ, ``missing`` (int): rows one of the
        two runs lacks.

    Raises
    ------
    ValueError
        As :func:`beside`.

    Examples
    --------
    >>> mine = [{"kind": "claim", "claim": "a", "status": "weakened", "book": "1"}]
    >>> out = status_changes(mine, {"rows": [{"kind": "claim", "claim": "a", "status": "reproduced",
    ...                                       "book": "2"}]})
    >>> out["same"], [r["archived_status"] for r in out["changed"]], out["missing"]
    (0, ['reproduced'], 0)
    """
    lines = beside(rows, record)
    both = [r for r in lines if r["status"] is not None and r["archived_status"] is not None]
    return {"same": sum(r["status"] == r["archived_status"] for r in both),
            "changed": [r for r in both if r["status"] != r["archived_status"]],
            "missing": len(lines) - len(both)}


def summary(claims_folder, root=None) -> list[dict]:
    """Every archived run beside the chapter's own rows in ``claims_folder``, one dict per chapter.

    Parameters
    ----------
    claims_folder : path-like
        Where the chapters wrote their claims JSON (:func:`spectral_lib.book.claims_dir`).
    root : path-like, optional
        The book's root, whose ``long_runs`` folder holds the archives.

    Returns
    -------
    list of dict
        Keys ``chapter``, ``date``, ``cpu_min``, ``completed``, ``errors`` (count), ``same``,
        ``changed`` (the rows of :func:`beside` whose statuses differ) and ``missing``; ``None``
        in the last three when the chapter has written no rows in ``claims_folder``.

    Raises
    ------
    ValueError
        If an archive is malformed (:func:`load`).

    Examples
    --------
    >>> import tempfile
    >>> summary(tempfile.mkdtemp(), root=tempfile.mkdtemp())
    []
    """
    base = Path(root) if root is not None else paths.book_root()
    out = []
    for path in sorted((base / FOLDER).glob("*.json")):
        record = load(path.stem, base)
        mine = Path(claims_folder) / f"{path.stem}.json"
        moved = (status_changes(json.loads(mine.read_text(encoding="utf-8"))["rows"], record)
                 if mine.is_file() else {"same": None, "changed": None, "missing": None})
        out.append({"chapter": path.stem, "date": record["date"], "cpu_min": record["cpu_s"] / 60,
                    "completed": record["completed"], "errors": len(record["errors"]), **moved})
    return out


def summary_markdown(rows) -> str:
    """A Markdown table of :func:`summary`: one line per archived chapter, then every status change.

    Parameters
    ----------
    rows : list of dict
        From :func:`summary`.

    Returns
    -------
    str
        GitHub-flavoured Markdown: the table of archives, and the table of changed rows if any.

    Raises
    ------
    KeyError
        If a row lacks a key of :func:`summary`.

    Examples
    --------
    >>> md = summary_markdown([{"chapter": "cpwl", "date": "2026-12-02", "cpu_min": 1.5, "completed": True,
    ...                         "errors": 0, "same": 7, "changed": [], "missing": 0}])
    >>> print(md.splitlines()[-1])
    | cpwl | 2026-12-02 | 1.5 | yes | 0 | 7 | 0 | 0 |
    """
    def n(v):
        return "—" if v is None else str(len(v) if isinstance(v, list) else v)

    lines = ["| chapter | archived | CPU min | ran to the end | cells raised | same status | other status "
             "| in one run only |", "|---|---|---:|---|---:|---:|---:|---:|"]
    changes = []
    for r in rows:
        lines.append(f"| {r['chapter']} | {r['date']} | {r['cpu_min']:.1f} | "
                     f"{'yes' if r['completed'] else 'no'} | {r['errors']} | {n(r['same'])} | "
                     f"{n(r['changed'])} | {n(r['missing'])} |")
        changes += [(r["chapter"], c) for c in (r["changed"] or [])]
    if changes:
        lines += ["", "| chapter | row | this run | paper's sizes |", "|---|---|---|---|"]
        lines += [f"| {ch} | {c['claim'].replace('|', '/')} | {c['status']} | "
                  f"{c['archived_status']} |" for ch, c in changes]
    return "\n".join(lines)


def section(chapter: str, rows, profile: str, root=None) -> tuple[str, str | None]:
    """The sentence and the table of a chapter's closing section *At the paper's sizes*.

    Parameters
    ----------
    chapter : str
        The chapter's file stem.
    rows : sequence of Claim or dict
        The chapter's rows (``Claims.rows``).
    profile : str
        The profile of this execution; at ``"paper"`` it is itself a long run.
    root : path-like, optional
        The book's root.

    Returns
    -------
    sentence : str
        What was archived, when, and how many rows keep their status (plain text, for glue).
    table : str or None
        :func:`table_html`, or ``None`` when there is nothing to set beside the rows.

    Raises
    ------
    ValueError
        If the archive is malformed (:func:`load`).

    Examples
    --------
    >>> import tempfile
    >>> print(section("cpwl", [], "book", root=tempfile.mkdtemp())[0][:40])
    No execution at the paper's sizes is arc
    """
    record = load(chapter, root)
    if profile == "paper":
        return "This execution is itself one at the paper's sizes.", None
    if record is None:
        return ("No execution at the paper's sizes is archived for this chapter "
                f"(make long-runs writes one to {FOLDER}/{chapter}.json).", None)
    moved = status_changes(rows, record)
    sentence = ("make long-runs executed the chapter again with the paper's sizes (SPECTRAL_PROFILE=paper) "
                f"and archived its rows in {FOLDER}/{chapter}.json ({provenance(record)}). Of the rows "
                f"that both runs record, {moved['same']} have the same status and {len(moved['changed'])} "
                "another; the table sets them side by side.")
    return sentence, table_html(rows, record)
