# drugclaims: `make run` and `make test` are all a fresh clone needs (Python 3.11 and make).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
CORPUS ?= corpus
OUT ?= outputs
PORT ?= 8765
export DRUGCLAIMS_SHARED ?= $(abspath ../shared)
export PREFECT_HOME ?= $(abspath .prefect)
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PYTHONWARNINGS ?= ignore::FutureWarning

.PHONY: run test install lexicon train evaluate bench review server docs clean browsers

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Lexicons, knowledge base and linker index: generated once from the installed vocabularies (git-ignored cache).
lexicon: install
	$(PY) -m pipeline.mesh_vocab fetch
	$(PY) -m pipeline.lexicon_build
	$(PY) -m pipeline.gazetteer build
	$(PY) -m pipeline.linking build --threads 2

run: lexicon
	$(PY) -m flows.extract $(CORPUS) --out $(OUT)

browsers:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "error: the browser tests need Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver"; exit 1; fi; }

test: lexicon browsers
	$(PY) -m pytest -q -p no:cacheprovider

# Training stays out of CI: it writes pipeline/models/ner, pipeline/models/relation and the claim-confidence
# calibration (pipeline/data/calibration.json), which are committed.
# The relation models read the NER model's mentions, so they are (re)trained after it; make skips what is current.
train: lexicon
	$(MAKE) -C training all PYTHON=$(abspath $(PY)) SHARED=$(DRUGCLAIMS_SHARED)
	$(MAKE) -C training/relation all PYTHON=$(abspath $(PY)) SHARED=$(DRUGCLAIMS_SHARED)
	PYTHONPATH=. $(PY) training/calibration/calibrate_confidence.py --shared $(DRUGCLAIMS_SHARED)

evaluate: lexicon
	$(PY) -m pipeline.evaluate --corpora $(DRUGCLAIMS_SHARED)/corpora --out $(OUT)/evaluation.json

# Throughput benchmark (not a test): make bench N=2000 PROCESSES=2; figures go to docs/BENCHMARKS.md.
bench: lexicon
	$(PY) -m flows.bench --n $(or $(N),2000) --processes $(or $(PROCESSES),2)

review: install
	$(PY) -m review.app $(OUT) --port $(PORT)

# Prefect server + UI on http://127.0.0.1:4200; then export PREFECT_API_URL=http://127.0.0.1:4200/api for deploy.
server: install
	$(VENV)/bin/prefect server start --host 127.0.0.1

# Serve the flow as a scheduled deployment (see docs/OPERATIONS.md): make deploy CORPUS=... OUT=... CRON="0 2 * * *"
.PHONY: deploy
deploy: lexicon
	$(PY) -m flows.deploy --corpus $(CORPUS) --out $(OUT) --cron "$(or $(CRON),0 2 * * *)"

docs: install
	$(PY) -m review.data_dictionary

clean:
	rm -rf $(OUT) .cache .prefect .dask
