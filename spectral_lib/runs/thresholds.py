"""Guard thresholds, fixed before the results: the value and where it comes from.

A claim's guard compares a measured statistic with a threshold. The threshold is part of the
experiment's design, so it lives beside the experiment's config, in its module's
``THRESHOLDS`` mapping, with the figure, table, equation or theorem it is derived from::

    THRESHOLDS = {
        "order_rho": Threshold(-0.9, "Rahaman et al. Fig. 3: retained amplitude monotone in k; "
                                     "Spearman rho <= -0.9 means sum d^2 <= 16 over ten ranks"),
    }

The chapter reads ``THRESHOLDS[name].value`` in its assert and shows :meth:`Threshold.text`
in the claims row, so the reader sees the value and its origin; a threshold is never moved
to where a result landed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Threshold:
    """A guard's threshold and its origin.

    Parameters
    ----------
    value : float
        The threshold.
    source : str
        Where it comes from: the paper's figure, table or equation, or the theory it follows
        from, with the reasoning in a few words.

    Raises
    ------
    ValueError
        If ``value`` is not a finite number or ``source`` is empty.

    Examples
    --------
    >>> t = Threshold(-0.9, "Rahaman et al. Fig. 3: monotone in k")
    >>> t.value, t.text()
    (-0.9, '-0.9 (Rahaman et al. Fig. 3: monotone in k)')
    """

    value: float
    source: str

    def __post_init__(self):
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(self.value):
            raise ValueError(f"a threshold must be a finite number, got {self.value!r}")
        if not isinstance(self.source, str) or not self.source.strip():
            raise ValueError("a threshold needs its source (the figure, table or theory it comes from)")
        object.__setattr__(self, "value", float(self.value))

    def text(self, fmt: str = "g") -> str:
        """The value and its source, for a claims row.

        Parameters
        ----------
        fmt : str, default "g"
            Format of the value.

        Returns
        -------
        str
            ``"<value> (<source>)"``.

        Raises
        ------
        ValueError
            If ``fmt`` is not a valid float format.

        Examples
        --------
        >>> Threshold(0.5, "theory").text(".2f")
        '0.50 (theory)'
        """
        return f"{format(self.value, fmt)} ({self.source})"
