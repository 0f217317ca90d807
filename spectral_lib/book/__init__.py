"""Helpers every chapter calls: setup and seeding, glue, the claims table, the execution report.

* :func:`setup`, :func:`seed_everything` and :func:`glue` (``spectral_lib.book.chapter``);
* :class:`Claims` and :class:`Claim`, the "Claims checked" table that closes every chapter
  (``spectral_lib.book.claims``);
* :func:`report`, :func:`read_pins` and :class:`EnvironmentReport`, what executed the book
  (``spectral_lib.book.environment``);
* ``spectral_lib.book.long_runs``, the runs at the papers' sizes archived by ``make long-runs``,
  shown beside a chapter's own.
"""

from .chapter import (
    glue,
    seed_everything,
    setup,
)
from .claims import (
    CHECK_STATUSES,
    CLAIM_STATUSES,
    KINDS,
    ORIGINS,
    Claim,
    Claims,
    claims_dir,
    origin_of,
    summary,
    summary_markdown,
)
from .environment import (
    EnvironmentReport,
    read_pins,
    report,
)

__all__ = [
    "seed_everything",
    "setup",
    "glue",
    "KINDS",
    "CLAIM_STATUSES",
    "CHECK_STATUSES",
    "ORIGINS",
    "origin_of",
    "Claim",
    "Claims",
    "claims_dir",
    "summary",
    "summary_markdown",
    "EnvironmentReport",
    "read_pins",
    "report",
]
