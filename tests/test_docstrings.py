"""Every public function of spectral_lib has a complete numpydoc docstring."""

import importlib
import inspect
import pkgutil

import pytest

import spectral_lib

MODULES = sorted(m.name for m in pkgutil.walk_packages(spectral_lib.__path__, "spectral_lib."))


def _public(module, predicate):
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if predicate(obj) and not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
    ]


@pytest.mark.parametrize("modname", MODULES)
def test_public_functions_have_numpydoc_sections(modname):
    module = importlib.import_module(modname)
    problems = []
    for name, fn in _public(module, inspect.isfunction):
        doc = inspect.getdoc(fn) or ""
        sections = ["Returns", "Examples"]
        if inspect.signature(fn).parameters:  # a function without input documents no Raises
            sections = ["Parameters", "Returns", "Raises", "Examples"]
        for sec in sections:
            if f"{sec}\n{'-' * len(sec)}" not in doc:
                problems.append(f"{modname}.{name}: missing {sec}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("modname", MODULES)
def test_public_classes_have_docstrings(modname):
    module = importlib.import_module(modname)
    missing = [f"{modname}.{name}" for name, cls in _public(module, inspect.isclass)
               if not (cls.__doc__ or "").strip()]
    assert not missing, missing
