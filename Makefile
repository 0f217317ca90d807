# Two commands do everything on a fresh machine: `make book` and `make test`.
# `make pdf` prints the built book to one PDF; `make lab` opens the chapters in JupyterLab.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
JOBS    ?= 2

# One thread per chapter kernel (2-thread torch is 4-10x slower when the other core is busy).
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION = 1

# MathJax is shipped with the book (no CDN): the pinned npm package, checksum-verified, is
# unpacked into .cache/mathjax-static, which Sphinx copies into the build's _static folder.
MATHJAX_VERSION := 3.2.2
MATHJAX_SHA256  := 1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09
MATHJAX_DIR     := .cache/mathjax-static/mathjax
MATHJAX         := $(MATHJAX_DIR)/tex-chtml-full.js
NPM_CACHE       := .cache/npm

.PHONY: book test lint bench clean env mathjax pdf lab long-runs

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

mathjax: $(MATHJAX)

$(MATHJAX):
	@command -v npm >/dev/null || { echo "npm is needed once to fetch MathJax $(MATHJAX_VERSION)"; exit 1; }
	mkdir -p $(NPM_CACHE)
	cd $(NPM_CACHE) && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	echo "$(MATHJAX_SHA256)  $(NPM_CACHE)/mathjax-$(MATHJAX_VERSION).tgz" | sha256sum -c --quiet -
	rm -rf $(NPM_CACHE)/package && tar -xzf $(NPM_CACHE)/mathjax-$(MATHJAX_VERSION).tgz -C $(NPM_CACHE)
	rm -rf $(MATHJAX_DIR) && mkdir -p $(MATHJAX_DIR)/output/chtml/fonts
	cp -r $(NPM_CACHE)/package/es5/output/chtml/fonts/woff-v2 $(MATHJAX_DIR)/output/chtml/fonts/
	cp -r $(NPM_CACHE)/package/es5/ui $(NPM_CACHE)/package/es5/a11y $(MATHJAX_DIR)/
	cp $(NPM_CACHE)/package/LICENSE $(MATHJAX_DIR)/LICENSE
	cp $(NPM_CACHE)/package/es5/tex-chtml-full.js $(MATHJAX)

# `make book RECORD=benchmarks/results/book_execution.json` (from a clean clone) records the
# build's wall time against its chapters' times for the performance page.
book: $(STAMP) $(MATHJAX)
	$(PY) tools/execution_fingerprint.py _build/.jupyter_cache
	TQDM_DISABLE=1 $(PY) tools/execute_chapters.py --jobs $(JOBS) $(if $(RECORD),--record $(RECORD))
	TQDM_DISABLE=1 $(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

# The whole book as one PDF with its table of contents, _build/pdf/book.pdf: the singlehtml build
# (from the execution cache of `make book`: nothing is executed again when it is current),
# printed by Chromium once MathJax has typeset it. pypdf (requirements-pdf.txt) lets
# tests/test_pdf.py read the PDF back; it is kept out of requirements.txt and its fingerprint.
PDF_STAMP := $(VENV)/.installed-pdf

$(PDF_STAMP): requirements-pdf.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-pdf.txt -c requirements.txt
	@touch $@

pdf: $(PDF_STAMP) $(MATHJAX)
	$(PY) tools/execution_fingerprint.py _build/.jupyter_cache
	TQDM_DISABLE=1 $(PY) tools/make_pdf.py

# JupyterLab on chapters/, pinned in requirements-lab.txt (installed once, with the book's pins
# as constraints). JUPYTER_CONFIG_PATH adds .jupyter/, whose labconfig makes jupytext's
# "Jupytext Notebook" the default viewer of the .md chapters: a double click opens a notebook.
LAB_STAMP := $(VENV)/.installed-lab

$(LAB_STAMP): requirements-lab.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt -c requirements.txt
	@touch $@

# Extra options pass through LAB_ARGS, e.g. `make lab LAB_ARGS="--no-browser --allow-root"`.
lab: $(LAB_STAMP)
	JUPYTER_CONFIG_PATH=$(CURDIR)/.jupyter $(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR)/chapters $(LAB_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check spectral_lib tests benchmarks tools conftest.py

# The tests, chapters included, run at another seed offset than the book (built at
# SPECTRAL_SEED=0): every claim is checked on two disjoint sets of seeds. The appendix
# summarises the other chapters' claims tables, so it runs after them. A claim whose status
# differs between the book's seeds and the tests' fails (tools/compare_claims.py).
TEST_SEED ?= 1

test: $(STAMP) lint
	rm -rf _build/nbval/claims
	SPECTRAL_SEED=$(TEST_SEED) TQDM_DISABLE=1 $(VENV)/bin/pytest -n $(JOBS) --dist loadscope \
		--ignore=chapters/appendix.md
	$(PY) tools/compare_claims.py _build/claims _build/nbval/claims
	SPECTRAL_SEED=$(TEST_SEED) TQDM_DISABLE=1 $(VENV)/bin/pytest chapters/appendix.md

# Benchmarks refuse to overwrite the committed results when the machine is busy (1-minute load
# above 0.5); `make bench FORCE=--force` writes them anyway.
bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f $(FORCE) || exit 1; done

# The chapters again at the papers' sizes (SPECTRAL_PROFILE=paper), on this CPU, two side by side;
# their claims are archived in long_runs/<chapter>.json, which the chapters show beside their own
# run. `make long-runs LONG_RUNS="cpwl architecture"` runs only those (default: tools/long_runs.py's
# CHAPTERS, the ones whose paper profile fits a CPU).
long-runs: $(STAMP)
	$(PY) tools/long_runs.py --jobs $(JOBS) $(LONG_RUNS)

clean:
	rm -rf _build .pytest_cache .hypothesis .ruff_cache
