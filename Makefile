# Concierge: `make run` to talk to it, `make test` to check it. Both set everything up first.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the replacements the server runs with (bot/rasa_patches), so that
# what is trained and tested is what serves.
RASA := $(PY) -m bot.server
MODEL := models/concierge.tar.gz
WIDGET := web/node_modules/.installed
TRAINING_FILES := config.yml $(shell find data domain -type f -name '*.yml' 2>/dev/null) \
	$(wildcard bot/nlu/*.py)
export PYTHONPATH := $(CURDIR)
# Rasa's telemetry would try to reach the internet on every command.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run shell test unit train eval bench conversations situations setup db lint load lock clean

run: setup $(MODEL)
	@scripts/run.sh

shell: setup $(MODEL)
	@scripts/run.sh shell

test: setup $(MODEL)
	$(PY) -m ruff check .
	$(RASA) data validate --domain domain --fail-on-warnings
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out results/stories
	$(PY) -m pytest

# Every pytest test but the end-to-end ones (tests/e2e: real servers, a browser), in a few
# minutes; the model too, for the tests that start one Rasa server.
unit: setup $(MODEL)
	$(PY) -m pytest --ignore=tests/e2e

train: $(VENV)/.installed
	@start=$$(date +%s); $(RASA) train --domain domain --fixed-model-name concierge --out models && touch $(MODEL) && \
	echo "Trained in $$(( $$(date +%s) - start )) s; model: $$(du -h $(MODEL) | cut -f1)"

# The model is retrained only when its training files changed since it was built.
$(MODEL): $(TRAINING_FILES) | $(VENV)/.installed
	@$(MAKE) --no-print-directory train

setup: $(VENV)/.installed db $(WIDGET)

# The web chat widget (rasa-webchat) from npm, exactly as web/package-lock.json pins it.
$(WIDGET): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 18 or newer) is needed for the web chat widget" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Creates the virtual environment from the lock; redone only when the lock changes.
$(VENV)/.installed: requirements.lock
	@python=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
		rm -rf $(VENV) && "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip check
	@touch $@

# Migrates the database and loads DEALERSHIP_DATA (the demo by default); both are idempotent.
db: $(VENV)/.installed
	@mkdir -p var
	@$(PY) -m bot.dealership setup

# How good the assistant is: NLU on held-out messages (checked against the targets), on public
# requests nobody here wrote (../shared/data/clinc150, skipped when absent) with the calibration
# of its confidence (about a minute), texts that ask several things (tests/two_requests.yml), the conversation tests, and (FOLDS=5, about 3 minutes on 2
# cores: each fold trains the NLU pipeline) cross-validation on the training data. FOLDS=0 skips
# it. Full reports under results/.
FOLDS ?= 5
eval: setup $(MODEL)
	$(RASA) data validate --domain domain --fail-on-warnings
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu_test.yml --out results/nlu-heldout
	$(PY) scripts/eval_report.py results/nlu-heldout --targets
	$(PY) scripts/outside_eval.py --model $(MODEL)
	$(PY) scripts/two_requests_eval.py --model $(MODEL)
	@echo "kept aside (figures only):"
	@$(RASA) test nlu --model $(MODEL) --nlu tests/nlu_kept_aside.yml --out results/nlu-kept-aside \
		> /dev/null 2>&1 && $(PY) scripts/eval_report.py results/nlu-kept-aside | sed -n 1,3p
	@$(PY) scripts/two_requests_eval.py --model $(MODEL) --quiet \
		--texts tests/two_requests_kept_aside.yml
	@echo "conversation tests (stories, then actions):"
	@$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --out results/stories \
		2>&1 | grep -E "Correct:|Failed Story" || true
	@if [ "$(FOLDS)" -gt 0 ]; then \
		$(RASA) test nlu --nlu data/nlu --cross-validation --folds $(FOLDS) --config config.yml \
			--out results/nlu-cv && $(PY) scripts/eval_report.py results/nlu-cv; fi

# Load benchmark through the SMS webhook; OWNERS concurrent conversations (prints figures).
# URL=http://host:5005 measures a Concierge already running instead of starting one.
OWNERS ?= 20
bench: setup $(MODEL)
	$(PY) scripts/bench.py --owners $(OWNERS) $(if $(URL),--url $(URL))

# Whole conversations as owners text (tests/conversations*/), against the running servers with
# the clock pinned: pass rates per capability, and each failure of the part looked at.
conversations: setup $(MODEL)
	$(PY) scripts/conversations.py $(if $(ONLY),--only "$(ONLY)")

# The first reply to trouble with the car, by situation (tests/situations*/): the share right.
situations: $(VENV)/.installed
	$(PY) scripts/situations.py

# make load DATA=path/to/dealership.yml
load: $(VENV)/.installed
	@test -n "$(DATA)" || { echo "usage: make load DATA=path/to/dealership.yml"; exit 2; }
	@$(PY) -m bot.dealership load "$(DATA)"

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(VENV)/bin/mypy

# Re-resolves every pin from requirements.in (needs the package index).
lock: $(VENV)/.installed
	$(VENV)/bin/uv pip compile requirements.in --python-version 3.10 \
		--python-platform x86_64-manylinux_2_28 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) models var .pytest_cache web/node_modules
