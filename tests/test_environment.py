"""Tests of the environment report (installed versions against the pins)."""

from __future__ import annotations

import pytest

from spectral_lib import book


def test_read_pins_parses_exact_pins_and_comments(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# top\nnumpy==2.4.6  # why\n\nmyst-nb==1.4.0\n")
    assert book.read_pins(req) == {"numpy": "2.4.6", "myst-nb": "1.4.0"}


@pytest.mark.parametrize("line", ["numpy>=2", "numpy", "numpy~=2.4"])
def test_read_pins_rejects_unpinned_requirements(tmp_path, line):
    req = tmp_path / "requirements.txt"
    req.write_text(line + "\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        book.read_pins(req)


def test_report_flags_a_mismatch(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("numpy==0.0.1\npytest==" + pytest.__version__ + "\n")
    rep = book.report(req)
    assert rep.mismatches == ["numpy"]
    assert rep.installed["pytest"] == pytest.__version__


def test_the_repository_pins_are_exact(book_root):
    pins = book.read_pins(book_root / "requirements.txt")
    assert pins["torch"] == "2.13.0" and "jupyter-book" in pins
