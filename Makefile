# zhfacts: `make extract` and `make test` set everything up from nothing (a .venv from the lock file).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ZHFACTS := $(VENV)/bin/zhfacts
STAMP := $(VENV)/.installed-stamp

.PHONY: install extract test fuzz specs ner-eval ner-cv train-ner eval bench gazetteers report lock clean

install: $(STAMP)

# Reinstalls only when the lock file or pyproject changes, so a second run is a no-op.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

extract: $(STAMP)
	$(ZHFACTS) extract seeds --out outputs

test: $(STAMP)
	$(PY) -m pytest -q

# The fuzzers at length (CI runs them briefly inside `make test`): hypothesis corpora through the
# whole extract, then atheris (coverage-guided) over reading and extraction for FUZZ_SECONDS,
# from a copy of tests/fuzz_corpus (libFuzzer adds the inputs it finds interesting).
FUZZ_EXAMPLES ?= 1000
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	ZHFACTS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/test_hardening.py -k fuzzed
	rm -rf build/fuzz-corpus && mkdir -p build && cp -r tests/fuzz_corpus build/fuzz-corpus
	$(PY) tests/fuzz_atheris.py -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/ build/fuzz-corpus

# Recognizers-Text Chinese spec cases (numbers, units, dates): pass rate per file.
specs: $(STAMP)
	$(PY) -m pipeline.specs
	$(PY) -m pipeline.time_specs

# NER against People's Daily and MSRA gold, rules alone and with the trained model.
ner-eval: $(STAMP)
	$(PY) -m pipeline.ner_eval

# The model on PD dev held out (it trains on PD dev): two trainings in parallel, ~8 minutes.
ner-cv: $(STAMP)
	$(PY) -m pipeline.ner_eval --cross-validate

# Retrain the optional entity model (rules/models/, committed) from ../shared: ~6 minutes, deterministic.
# Needed after a change to the entity rules; a test says when.
train-ner: $(STAMP)
	$(PY) -m pipeline.ner_model

# Claims against our own gold: tests/gold, then the blind set's dev and test halves per genre
# (tests/gold_blind: tune on dev only; the test half is the figure to report).
eval: $(STAMP)
	$(ZHFACTS) extract tests/gold/docs --out build/gold-pred --quiet
	$(ZHFACTS) eval --gold tests/gold --pred build/gold-pred
	$(ZHFACTS) extract tests/gold_blind/dev/docs --out build/blind-dev-pred --quiet
	$(ZHFACTS) eval --gold tests/gold_blind/dev --pred build/blind-dev-pred
	$(ZHFACTS) extract tests/gold_blind/test/docs --out build/blind-test-pred --quiet
	$(ZHFACTS) eval --gold tests/gold_blind/test --pred build/blind-test-pred

# Rebuild rules/gazetteers/ from CLDR (babel) and GB/T 2260 (cpca) data; the output is committed.
gazetteers: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[gazetteers]'
	$(PY) scripts/build_gazetteers.py

bench: $(STAMP)
	$(PY) -m pipeline.bench

report: $(STAMP)
	$(ZHFACTS) report outputs --out build/report

# Refresh the lock file from the current environment (after changing dependencies).
lock:
	$(PY) -m pip freeze --all --exclude-editable --disable-pip-version-check | grep -v -E "^(zhfacts|pip)==" > requirements.lock

clean:
	rm -rf $(VENV) build .pytest_cache
