"""What executed the book: Python, the machine, and the installed versions against the pins.

:func:`read_pins` parses the ``name==version`` lines of ``requirements.txt``;
:func:`report` compares them with the installed distributions and describes the machine
(Python, platform, CPU cores, ``OMP_NUM_THREADS``, ``SPECTRAL_PROFILE``, ``SPECTRAL_SEED``) in an
:class:`EnvironmentReport`, whose ``table()`` the book's execution report displays.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from spectral_lib import paths, seeding
from spectral_lib.runs import profiles


@dataclass
class EnvironmentReport:
    """Installed versions of the pinned requirements, and the machine that ran the book.

    Attributes
    ----------
    pins : dict
        ``{distribution: pinned version}`` read from ``requirements.txt``.
    installed : dict
        ``{distribution: installed version or None}``.
    mismatches : list of str
        Distributions whose installed version differs from the pin (or is missing).
    machine : dict
        Python version, platform, CPU count, thread setting, profile and seed offset.
    """

    pins: dict[str, str]
    installed: dict[str, str | None]
    mismatches: list[str] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)

    def table(self):
        """Return a Markdown table of the machine and the versions (for a notebook)."""
        from IPython.display import Markdown

        rows = ["| | |", "|---|---|"]
        rows += [f"| {k} | `{v}` |" for k, v in self.machine.items()]
        rows += ["", "| Package | Pinned | Installed |", "|---|---|---|"]
        for name, pin in self.pins.items():
            got = self.installed.get(name)
            mark = "" if (got or "").split("+")[0] == pin else " ⚠"
            rows.append(f"| {name} | `{pin}` | `{got}`{mark} |")
        return Markdown("\n".join(rows))


def read_pins(path: str | os.PathLike) -> dict[str, str]:
    """Parse ``name==version`` lines of a requirements file.

    Parameters
    ----------
    path : path-like
        A requirements file.

    Returns
    -------
    dict
        ``{distribution name: version}``, in file order.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a requirement line is not an exact ``==`` pin.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
    >>> _ = p.write_text("numpy==2.4.6  # comment\\n")
    >>> read_pins(p)
    {'numpy': '2.4.6'}
    """
    pins: dict[str, str] = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;]+)", line)
        if not m:
            raise ValueError(f"requirement {line!r} is not an exact pin (name==version)")
        pins[re.sub(r"\[.*\]", "", m.group(1))] = m.group(2)
    return pins


def report(requirements: str | os.PathLike | None = None) -> EnvironmentReport:
    """Compare the installed versions with the pins of ``requirements.txt``.

    Parameters
    ----------
    requirements : path-like, optional
        Defaults to ``requirements.txt`` of the book root (the first parent of the working
        directory that holds ``_toc.yml``).

    Returns
    -------
    EnvironmentReport
        Pins, installed versions, mismatches and machine description.

    Raises
    ------
    FileNotFoundError
        If ``requirements`` is omitted and no folder above the working directory holds
        ``_toc.yml``, or the requirements file does not exist.
    ValueError
        As :func:`read_pins`.

    Examples
    --------
    >>> r = report()  # doctest: +SKIP
    >>> r.mismatches  # doctest: +SKIP
    []
    """
    if requirements is None:
        root = paths.book_root()
        if root is None:
            raise FileNotFoundError("no book root (_toc.yml) above the working directory")
        requirements = root / "requirements.txt"
    pins = read_pins(requirements)
    installed: dict[str, str | None] = {}
    for name in pins:
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed[name] = None
    # A local version label ("2.13.0+cpu") names the build of the pinned release.
    mismatches = [n for n, v in pins.items() if (installed[n] or "").split("+")[0] != v]
    machine = {
        "Python": platform.python_version(),
        "Platform": platform.platform(terse=True),
        "CPU cores": str(os.cpu_count()),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "unset"),
        "SPECTRAL_PROFILE": profiles.current_profile(),
        "SPECTRAL_SEED (seed offset)": str(seeding.seed_offset()),
    }
    return EnvironmentReport(pins, installed, mismatches, machine)
