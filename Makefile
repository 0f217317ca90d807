# Two commands do everything on a fresh machine: `make book` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
JOBS    ?= 2

# One thread per chapter kernel (2-thread torch is 4-10x slower when the other core is busy).
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export MPLBACKEND ?= agg
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: book test lint bench clean env

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

book: $(STAMP)
	TQDM_DISABLE=1 $(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(VENV)/bin/ruff check spectral_lib tests benchmarks conftest.py

test: $(STAMP) lint
	TQDM_DISABLE=1 $(VENV)/bin/pytest -n $(JOBS) --dist loadscope

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf _build .pytest_cache .hypothesis .ruff_cache
