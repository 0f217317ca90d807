"""Helpers every chapter calls: setup and seeding, glue, the claims table, the execution report.
"""

from .chapter import (
    glue,
    seed_everything,
    setup,
)
from .claims import (
    Claim,
    Claims,
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
    "Claim",
    "Claims",
    "EnvironmentReport",
    "read_pins",
    "report",
]
