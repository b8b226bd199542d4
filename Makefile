# Two commands on a fresh machine (python3, pip and make are enough):
#   make demo   creates .venv, installs Flashpoint, codes examples/sample_article.txt
#   make test   runs the test suite (creates .venv first if needed)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/flashpoint code examples/sample_article.txt --format table

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests bench

eval: $(STAMP)
	$(BIN)/python bench/evaluate.py

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
