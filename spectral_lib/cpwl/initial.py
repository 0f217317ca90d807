"""Region statistics of freshly initialised ReLU networks on raw or encoded 1-D inputs.

An input type (``("coords", (a, b))`` or ``("pe", L)``, see
:func:`spectral_lib.encodings.input_label`) maps unit coordinates to the network's input.
:func:`init_statistics` counts dead units and distinct activation patterns over the data;
:func:`crossings_vs_arc_length` counts the region boundaries each input curve crosses, with
its arc length (Lazzari & Liu's mechanism).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spectral_lib import encodings, networks, validation

from .crossings import curve_crossings
from .patterns import activation_patterns, count_patterns


def init_statistics(kinds: Sequence[tuple], u, hidden: Sequence[int], seeds: Sequence[int], out_dim: int = 1):
    """Dead units and distinct patterns of freshly initialised networks, per input type.

    Parameters
    ----------
    kinds : sequence of tuple
        Input types (see :func:`spectral_lib.encodings.input_label`).
    u : array_like, shape (n, d)
        Unit coordinates in [0, 1] (mapped to each interval, or encoded).
    hidden : sequence of int
        Hidden widths.
    seeds : sequence of int
        Initialisation seeds.
    out_dim : int, default 1
        Output dimension of the networks.

    Returns
    -------
    dict
        ``{"dead": {label: (S,)}, "n_patterns": {label: (S,)}}``.

    Raises
    ------
    ValueError
        If ``u`` is not 2-D, a kind is neither ``('coords', (a, b))`` nor ``('pe', L)``
        (see :func:`spectral_lib.encodings.input_label`), a hidden width or ``out_dim`` is
        not a positive integer, or a seed is not a non-negative integer.

    Examples
    --------
    >>> s = init_statistics([("coords", (0.0, 1.0))], np.linspace(0, 1, 32)[:, None], [8, 8], [0, 1])
    >>> s["dead"]["coords [0, 1]"].shape
    (2,)
    """
    ua = np.asarray(u, dtype=np.float64)
    if ua.ndim != 2:
        raise ValueError(f"u must have shape (n, d), got {ua.shape}")
    out: dict[str, dict[str, np.ndarray]] = {"dead": {}, "n_patterns": {}}
    for k in kinds:
        encodings.input_label(k)  # validates the kind
        x = encodings.encode_inputs(k, ua)
        dead, npat = [], []
        for s in seeds:
            p = activation_patterns(
                networks.relu_mlp(x.shape[1], list(hidden), out_dim, seed=validation.check_seed(s)), x
            )
            dead.append(int(np.sum(~p.any(axis=0))))
            npat.append(count_patterns(p))
        out["dead"][encodings.input_label(k)] = np.array(dead)
        out["n_patterns"][encodings.input_label(k)] = np.array(npat)
    return out


def crossings_vs_arc_length(
    kinds: Sequence[tuple], hidden: Sequence[int], seeds: Sequence[int], *, n_grid: int = 2**14
):
    """Region boundaries crossed at initialisation by each 1-D input curve, with its arc length.

    The curve of an input type is ``t -> input(t)`` for ``t`` in [0, 1]: the segment
    ``[a, b]`` for raw coordinates (arc length ``b - a``), the encoding curve for PE (arc
    length :func:`spectral_lib.encodings.positional_encoding_speed`).

    Parameters
    ----------
    kinds : sequence of tuple
        Input types (see :func:`spectral_lib.encodings.input_label`); 1-D coordinates.
    hidden : sequence of int
        Hidden widths of ``relu_mlp(d, hidden)``.
    seeds : sequence of int
        Initialisation seeds.
    n_grid : int, default 2**14
        Initial grid of :func:`spectral_lib.cpwl.curve_crossings`.

    Returns
    -------
    dict
        ``labels`` (list), ``arc_length`` (n_kinds,), ``in_dim`` (n_kinds,) and
        ``crossings`` (n_kinds, S).

    Raises
    ------
    ValueError
        If a kind is neither ``('coords', (a, b))`` nor ``('pe', L)`` (see
        :func:`spectral_lib.encodings.input_label`), a hidden width is not a positive integer, a seed is not a
        non-negative integer, or ``n_grid`` is invalid (see :func:`spectral_lib.cpwl.curve_crossings`).

    Examples
    --------
    >>> r = crossings_vs_arc_length([("coords", (0.0, 1.0)), ("pe", 2)], [8], [0])
    >>> r["crossings"].shape, float(r["arc_length"][0])
    ((2, 1), 1.0)
    """
    labels, arcs, dims, cross = [], [], [], []
    for k in kinds:
        labels.append(encodings.input_label(k))
        if k[0] == "coords":
            a, b = validation.check_interval(k[1])
            arcs.append(b - a)
            dims.append(1)
        else:
            arcs.append(encodings.positional_encoding_speed(k[1]))
            dims.append(encodings.encoded_dim(1, k[1]))
        row = []
        for s in seeds:
            net = networks.relu_mlp(dims[-1], list(hidden), 1, seed=validation.check_seed(s))
            row.append(
                curve_crossings(
                    net, lambda t, k=k: encodings.encode_inputs(k, t[:, None]), (0.0, 1.0), n_grid=n_grid
                )
            )
        cross.append(row)
    return {
        "labels": labels,
        "arc_length": np.array(arcs),
        "in_dim": np.array(dims),
        "crossings": np.array(cross, dtype=np.int64),
    }
