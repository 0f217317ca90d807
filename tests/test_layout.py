"""The package's tree is its architecture: imports point down, privates stay home, modules stay small.

Layers, lowest first (a module may import from a lower layer or from its own package):

* foundations: ``paths``, ``devices``, ``validation``, ``seeding``, ``stats``;
* concepts: ``encodings``, ``networks``, ``geometry``, ``datasets``, ``cpwl``, ``spectra``,
  ``symbolic``, ``kernels``, ``training`` -- they know nothing of chapters or configs;
* ``runs`` (profiles, presets, the results cache), then ``experiments`` (one module per
  chapter), then ``configs`` (the registry over the experiments) and ``book`` (what chapters
  call: setup, glue, the claims table, the execution report).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spectral_lib"
LAYERS = ["paths", "devices", "validation", "seeding", "stats",
          "encodings", "networks", "geometry", "datasets", "cpwl", "spectra", "symbolic", "kernels",
          "training", "runs", "experiments", "configs", "book"]
MAX_LINES = 700


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import of spectral_lib code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "spectral_lib":
                continue
            names = [a.name for a in node.names]
            # "from pkg import submodule" imports a module, not a name
            for n in names:
                if f"{target}.{n}" in MODULES:
                    out.append((f"{target}.{n}", [], node.lineno))
            names = [n for n in names if f"{target}.{n}" not in MODULES]
            if names:
                out.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "spectral_lib":
                    out.append((a.name, [], node.lineno))
    return out


def _allowed(src: str, dst: str) -> bool:
    if dst == "spectral_lib":  # the package root only holds __version__
        return True
    a, b = _top(src), _top(dst)
    if a == b:
        return True
    return a in LAYERS and b in LAYERS and LAYERS.index(b) < LAYERS.index(a)


def test_every_module_has_a_layer():
    unknown = sorted({_top(m) for m in MODULES if m != "spectral_lib" and _top(m) not in LAYERS})
    assert not unknown, f"modules outside the layer list: {unknown}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    bad = [f"line {ln}: {module} imports {dst}" for dst, _, ln in _imports(module, MODULES[module])
           if not _allowed(module, dst)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_from_another_module(module):
    bad = []
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for dst, names, ln in _imports(module, MODULES[module]):
        bad += [f"line {ln}: {dst}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    imported_modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                imported_modules[a.asname or a.name] = a.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            bad.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    assert not bad, "\n".join(bad)


def test_no_import_cycles_between_modules():
    graph = {m: {d for d, _, _ in _imports(m, p) if d in MODULES and d != m} for m, p in MODULES.items()}
    # a package's __init__ re-exports its own modules; that is not a cycle
    for m in graph:
        graph[m] = {d for d in graph[m] if not (MODULES[m].name == "__init__.py" and d.startswith(m + "."))}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m, stack):
        state[m] = 1
        for d in sorted(graph[m]):
            # importing a package runs its __init__, which imports its modules
            if state.get(d) == 1:
                cycle.extend(stack + [m, d])
                return True
            if state.get(d) is None and visit(d, stack + [m]):
                return True
        state[m] = 2
        return False

    for m in sorted(graph):
        if state.get(m) is None and visit(m, []):
            break
    assert not cycle, " -> ".join(cycle)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines (at most {MAX_LINES})"


def test_concepts_know_nothing_of_chapters():
    concepts = LAYERS[: LAYERS.index("runs")]
    bad = []
    for m, p in MODULES.items():
        if _top(m) in concepts:
            text = p.read_text(encoding="utf-8")
            bad += [f"{m}: {w}" for w in ("configs.get(", "PRESETS", "spectral_lib.experiments") if w in text]
    assert not bad, bad


def test_every_experiment_module_owns_its_configs():
    """One module per chapter: its config dataclasses, its book/paper presets, config() and run()."""
    import dataclasses as dc

    from spectral_lib import experiments

    with_runners = {"learning_order", "robustness", "architecture", "manifolds", "manifolds_classification",
                    "training_dynamics", "ntk"}
    for module in experiments.ALL:
        short = module.__name__.rsplit(".", 1)[-1]
        names = module.PRESETS.names()
        assert names, f"{short} registers no preset"
        for name in names:
            book, paper = module.config(name, "book"), module.config(name, "paper")
            assert dc.is_dataclass(book) and type(book) is type(paper)
            assert type(book).__module__ == module.__name__, f"{name}'s config lives outside {short}"
        if short in with_runners:
            with pytest.raises(TypeError, match="run takes"):
                module.run(object())


def test_every_threshold_states_its_source():
    """Each experiment module's THRESHOLDS maps names to Threshold objects with a source."""
    import importlib

    from spectral_lib import experiments
    from spectral_lib.runs.thresholds import Threshold

    for module in experiments.ALL:
        table = getattr(importlib.import_module(module.__name__), "THRESHOLDS", {})
        assert isinstance(table, dict), module.__name__
        for name, t in table.items():
            assert isinstance(t, Threshold), f"{module.__name__}.THRESHOLDS[{name!r}] is not a Threshold"
            assert len(t.source) >= 10, f"{module.__name__}.THRESHOLDS[{name!r}] needs a real source"
