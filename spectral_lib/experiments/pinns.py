"""The chapter *Physics-informed networks*: spectral bias in the residual of ``-u'' = f``.

The problem is ``-u'' = f`` on ``[0, 1]``, ``u(0) = u(1) = 0``, with the two-scale solution
``u = Σ_k a_k sin(kπx)`` (by default ``sin 2πx + 0.1 sin 50πx``, Wang, Wang & Perdikaris's
1-D example), so ``f = Σ_k a_k (kπ)² sin(kπx)``. On the interior grid of ``n_grid`` points
(:func:`spectral_lib.training.pinn.interior_grid`) the chapter compares

- the exact non-learned baseline, the second-order finite-difference solve
  (:func:`spectral_lib.training.pinn.poisson_fd`);
- PINNs (:func:`spectral_lib.training.pinn.train_pinn`, every collocation point of the same
  grid) named ``"<kind>/<weighting>"``: ``kind`` a plain ``tanh`` MLP, one on Gaussian Fourier
  features at the scales ``sigmas``, or an MscaleDNN with subnetworks at ``scales``;
  ``weighting`` fixed (``λ_r = 1``, ``λ_b = lam_b``) or Wang, Yu & Perdikaris's NTK weights;
- the NTK of the residual operator of each kind at initialisation: its eigenvalues, its
  Rayleigh quotients on the solution's sine modes (the rates at which gradient flow fits
  each mode of the residual) and the share of each part of ``f`` along its eigenvectors.

:func:`run` returns a :class:`PinnsResult`; errors are read frequency by frequency with
:meth:`PinnsResult.coefficient_errors` (relative errors of the sine coefficients
:func:`spectral_lib.training.pinn.sine_coefficients` of ``a_k``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from spectral_lib import kernels, validation
from spectral_lib.runs import presets, results
from spectral_lib.runs.thresholds import Threshold
from spectral_lib.training import pinn

PRESETS = presets.Presets(__name__)

#: ``config(name=None, profile=None)``: this module's presets (see :class:`spectral_lib.runs.presets.Presets`)
config = PRESETS.config


@dataclasses.dataclass(frozen=True)
class PinnsConfig:
    """Sizes of the PINN chapter: the problem, the three architectures, training and the variants.

    ``modes`` and ``amplitudes`` define ``u = Σ a_k sin(kπx)``; ``hidden`` are the widths of
    the plain and Fourier-feature networks, ``mscale_hidden`` those of each MscaleDNN
    subnetwork; ``variants`` are ``"<kind>/<weighting>"`` names, each trained on ``n_seeds``
    seeds for ``steps`` Adam steps at learning rate ``lr``.
    """

    n_grid: int
    hidden: tuple[int, ...]
    sigmas: tuple[float, ...]
    n_features: int
    mscale_hidden: tuple[int, ...]
    scales: tuple[float, ...]
    steps: int
    lr: float
    record_every: int
    n_seeds: int
    update_every: int = 100
    lam_b: float = 1.0
    modes: tuple[int, ...] = (2, 50)
    amplitudes: tuple[float, ...] = (1.0, 0.1)
    variants: tuple[str, ...] = ("plain/ntk", "fourier/ntk", "mscale/ntk", "plain/fixed", "fourier/fixed")


PRESETS.add(
    "pinns",
    # Three seeds of five variants, 2,500 full-batch steps on 255 collocation points: the
    # chapter's CPU budget.
    book=PinnsConfig(hidden=(32,) * 3, n_grid=255, sigmas=(1.0, 10.0), n_features=32,
                     mscale_hidden=(16,) * 3, scales=(1.0, 2.0, 4.0, 8.0, 16.0, 32.0), steps=2_500, lr=1e-3,
                     record_every=100, n_seeds=3),
    # The papers train wider networks for tens of thousands of Adam steps (Wang, Wang & Perdikaris
    # 2021: scales σ = 1 and 10); this preset is that order of magnitude, not their exact setup.
    paper_changes={"hidden": (100,) * 3, "n_features": 100, "mscale_hidden": (50,) * 3, "steps": 40_000,
                   "n_seeds": 10, "record_every": 500},
)

#: The guards' thresholds of the PINN chapter (see :mod:`spectral_lib.runs.thresholds`).
THRESHOLDS = {
    "missed": Threshold(
        0.5,
        "Wang, Wang & Perdikaris (2021), 1-D Poisson example: the plain PINN does not learn the "
        "high-frequency part; a coefficient wrong by more than half its amplitude is not learned",
    ),
    "learned": Threshold(
        0.1,
        "Wang, Wang & Perdikaris (2021), 1-D Poisson example: the Fourier-feature PINN learns it; "
        "a coefficient within 10% of its amplitude counts as learned (a book tolerance; the paper "
        "reports small relative L2 errors after much longer training)",
    ),
    "rate_order": Threshold(
        1.0,
        "NTK theory (Wang, Yu & Perdikaris 2022): under gradient flow the residual's component along "
        "a mode decays at its Rayleigh quotient; a ratio fast/slow below 1 means the fast mode is fitted"
        " more slowly",
    ),
    "weights_gain": Threshold(
        1.0,
        "Wang, Yu & Perdikaris (2022): the NTK-based adaptive weights improve the PINN's accuracy; a ratio"
        " of relative L2 errors (weighted / fixed) below 1 is an improvement",
    ),
}


def _net(cfg, kind: str) -> pinn.PinnNet:
    if kind == "plain":
        return pinn.PinnNet("plain", tuple(cfg.hidden))
    if kind == "fourier":
        return pinn.PinnNet("fourier", tuple(cfg.hidden), sigmas=tuple(cfg.sigmas), n_features=cfg.n_features)
    if kind == "mscale":
        return pinn.PinnNet("mscale", tuple(cfg.mscale_hidden), scales=tuple(cfg.scales))
    raise ValueError(f"kind must be one of {pinn.KINDS}, got {kind!r}")


def parse_variant(name: str) -> tuple[str, str]:
    """Split a variant name ``"<kind>/<weighting>"`` and check both parts.

    Parameters
    ----------
    name : str
        E.g. ``"fourier/ntk"``.

    Returns
    -------
    tuple of str
        ``(kind, weighting)``.

    Raises
    ------
    ValueError
        If the name is not of that form or a part is unknown.

    Examples
    --------
    >>> parse_variant("plain/fixed")
    ('plain', 'fixed')
    """
    parts = str(name).split("/")
    if len(parts) != 2 or parts[0] not in pinn.KINDS or parts[1] not in pinn.WEIGHTINGS:
        raise ValueError(f"a variant is '<kind>/<weighting>' with kind in {pinn.KINDS} and weighting in "
                         f"{pinn.WEIGHTINGS}, got {name!r}")
    return parts[0], parts[1]


def problem(cfg) -> dict:
    """The grid, the exact solution, the source and its parts of one config.

    Parameters
    ----------
    cfg : PinnsConfig

    Returns
    -------
    dict
        ``x`` (n,), ``u`` (n,), ``f`` (n,) and ``f_parts`` (m, n): ``a_k (kπ)² sin(kπx)`` per mode.

    Raises
    ------
    ValueError
        If ``modes`` and ``amplitudes`` disagree or a mode does not fit the grid.

    Examples
    --------
    >>> p = problem(PRESETS.get("pinns", "book"))
    >>> p["f_parts"].shape
    (2, 255)
    """
    n = validation.check_positive_int("n_grid", cfg.n_grid)
    k = np.asarray(cfg.modes)
    a = validation.as_finite_array("amplitudes", cfg.amplitudes, ndim=1)
    if k.shape != a.shape or k.size == 0 or np.any(k < 1) or np.any(k > n) or np.any(a == 0):
        raise ValueError(f"modes must be integers in 1..{n} with one non-zero amplitude each, got "
                         f"{cfg.modes!r}, {cfg.amplitudes!r}")
    x = pinn.interior_grid(n)
    basis = np.sin(np.pi * k[:, None] * x[None, :])
    parts = (a * (np.pi * k) ** 2)[:, None] * basis
    return {"x": x, "u": a @ basis, "f": parts.sum(0), "f_parts": parts}


@dataclass(frozen=True)
class PinnsResult:
    """The chapter's runs and NTK analysis.

    Attributes
    ----------
    config : PinnsConfig
    x, u_exact, f, u_fd : numpy.ndarray, shape (n,)
        Grid, exact solution, source and the finite-difference solution.
    steps : numpy.ndarray, shape (n_rec,)
    u, loss_r, loss_b, weights : dict of str to numpy.ndarray
        Per variant: predictions ``(n_rec, S, n)``, unweighted losses ``(n_rec, S)`` and the
        weights ``(λ_r, λ_b)`` in force ``(n_rec, S, 2)``.
    ntk_eigvals, ntk_rates, ntk_shares, ntk_trace_ratio : dict of str to numpy.ndarray
        Per kind, at initialisation, seed by seed: eigenvalues of ``K_rr`` in decreasing order
        ``(S, n)``; Rayleigh quotients on the unit sine modes ``(S, m)``; squared projections of
        each normalised part of ``f`` on the eigenvectors ``(S, m, n)``; ``(tr K_rr / n) /
        (tr K_uu / 2)`` ``(S,)``.
    """

    config: object
    x: np.ndarray
    u_exact: np.ndarray
    f: np.ndarray
    u_fd: np.ndarray
    steps: np.ndarray
    u: dict
    loss_r: dict
    loss_b: dict
    weights: dict
    ntk_eigvals: dict
    ntk_rates: dict
    ntk_shares: dict
    ntk_trace_ratio: dict

    def coefficient_errors(self, variant: str | None = None) -> np.ndarray:
        """Relative errors ``|b_k(û) - a_k| / |a_k|`` of the modes' sine coefficients.

        Parameters
        ----------
        variant : str, optional
            A trained variant (shape ``(n_rec, S, m)``); ``None``: the finite-difference solution (``(m,)``).

        Returns
        -------
        numpy.ndarray
        """
        k = np.asarray(self.config.modes) - 1
        a = np.asarray(self.config.amplitudes, dtype=np.float64)
        v = self.u_fd if variant is None else self._u(variant)
        return np.abs(pinn.sine_coefficients(v)[..., k] - a) / np.abs(a)

    def relative_l2(self, variant: str | None = None) -> np.ndarray:
        """Relative L2 error on the grid, ``(n_rec, S)`` for a variant, a float for the FD solution."""
        v = self.u_fd if variant is None else self._u(variant)
        return np.linalg.norm(v - self.u_exact, axis=-1) / np.linalg.norm(self.u_exact)

    def _u(self, variant: str) -> np.ndarray:
        if variant not in self.u:
            raise ValueError(f"variant must be one of {sorted(self.u)}, got {variant!r}")
        return self.u[variant]


def _ntk_analysis(cfg, kind: str, prob: dict) -> dict:
    net = _net(cfg, kind)
    x = prob["x"]
    parts = prob["f_parts"] / np.linalg.norm(prob["f_parts"], axis=1, keepdims=True)
    modes = np.sin(np.pi * np.asarray(cfg.modes)[:, None] * x[None, :])
    modes /= np.linalg.norm(modes, axis=1, keepdims=True)
    eig, rates, shares, ratio = [], [], [], []
    for s in range(cfg.n_seeds):
        params, freqs = pinn.init_pinn(net, s)
        K = pinn.pinn_ntk(net, params, freqs, x)
        w, V = kernels.eigh_descending(K["K_rr"])
        eig.append(w)
        rates.append(np.einsum("mi,ij,mj->m", modes, K["K_rr"], modes))
        shares.append((parts @ V) ** 2)
        ratio.append((np.trace(K["K_rr"]) / x.size) / (np.trace(K["K_uu"]) / 2))
    return {"eigvals": np.array(eig), "rates": np.array(rates), "shares": np.array(shares),
            "trace_ratio": np.array(ratio)}


def _compute(cfg, progress) -> dict:
    prob = problem(cfg)
    variants = tuple(cfg.variants)
    if not variants or len(set(variants)) != len(variants):
        raise ValueError(f"variants must be distinct names, got {variants!r}")
    for v in variants:
        parse_variant(v)
    seeds = list(range(validation.check_positive_int("n_seeds", cfg.n_seeds)))
    _, u_fd = pinn.poisson_fd(prob["f"], cfg.n_grid)
    arrays = {"x": prob["x"], "u_exact": prob["u"], "f": prob["f"], "u_fd": u_fd}
    for v in variants:
        kind, weighting = parse_variant(v)
        if progress:
            print(f"training {v} ...", flush=True)
        hist = pinn.train_pinn(_net(cfg, kind), prob["f"], prob["x"], seeds, steps=cfg.steps, lr=cfg.lr,
                               record_every=cfg.record_every, x_eval=prob["x"], weighting=weighting,
                               lam_b=cfg.lam_b, update_every=cfg.update_every)
        arrays["steps"] = hist.steps
        arrays[f"{v}/u"] = hist.u
        arrays[f"{v}/loss_r"] = hist.loss_r
        arrays[f"{v}/loss_b"] = hist.loss_b
        arrays[f"{v}/weights"] = hist.weights
    for kind in sorted({parse_variant(v)[0] for v in variants}):
        for key, val in _ntk_analysis(cfg, kind, prob).items():
            arrays[f"ntk/{kind}/{key}"] = val
    return arrays


def _pick(arrays: dict, prefix: str, suffix: str) -> dict:
    return {k[len(prefix):-len(suffix) - 1]: v for k, v in arrays.items()
            if k.startswith(prefix) and k.endswith("/" + suffix)}


def _from_arrays(cfg, arrays: dict) -> PinnsResult:
    plain = {k: v for k, v in arrays.items() if not k.startswith("ntk/")}
    return PinnsResult(
        config=cfg, x=arrays["x"], u_exact=arrays["u_exact"], f=arrays["f"], u_fd=arrays["u_fd"],
        steps=arrays["steps"], u=_pick(plain, "", "u"), loss_r=_pick(plain, "", "loss_r"),
        loss_b=_pick(plain, "", "loss_b"), weights=_pick(plain, "", "weights"),
        ntk_eigvals=_pick(arrays, "ntk/", "eigvals"), ntk_rates=_pick(arrays, "ntk/", "rates"),
        ntk_shares=_pick(arrays, "ntk/", "shares"), ntk_trace_ratio=_pick(arrays, "ntk/", "trace_ratio"),
    )


def run_pinns(cfg, *, progress: bool = False, use_cache: bool = True, device=None) -> PinnsResult:
    """Solve the chapter's Poisson problem by finite differences and by every PINN variant.

    Parameters
    ----------
    cfg : PinnsConfig
        ``config("pinns")``.
    progress, use_cache, device
        As for this module's ``run``; ``progress``: print each variant as it starts; the networks
        train on the CPU only.

    Returns
    -------
    PinnsResult
        The finite-difference solution, every variant's errors and the NTK spectra.

    Raises
    ------
    TypeError
        If ``cfg`` lacks a field of :class:`PinnsConfig`.
    ValueError
        For invalid sizes, modes or variant names.

    Examples
    --------
    >>> cfg = dataclasses.replace(PRESETS.get("pinns", "book"), n_grid=31, modes=(1, 4), hidden=(4,),
    ...     n_features=2, mscale_hidden=(2,), scales=(1.0, 2.0), steps=4, record_every=2, n_seeds=1,
    ...     variants=("plain/fixed",))
    >>> res = run_pinns(cfg, use_cache=False)
    >>> res.coefficient_errors("plain/fixed").shape
    (3, 1, 2)
    """
    results.check_config(cfg, [f.name for f in dataclasses.fields(PinnsConfig)], "PINN")
    return results.cached_run("pinns", cfg, lambda: _compute(cfg, progress), _from_arrays,
                              use_cache=use_cache, device="cpu")


run = results.runner(
    __name__, {PinnsConfig: run_pinns}, returns="PinnsResult", cpu_only=True,
    what="The PINN chapter's runs (:func:`run_pinns`).")
