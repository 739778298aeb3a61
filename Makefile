# The two commands of the README: `make demo` and `make test`. Each sets up what it needs.
VENV ?= .venv
PYTHON ?= python3
# make demo PORT=8080
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test lint format bench messages

$(BIN)/.installed: pyproject.toml
	@scripts/check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

demo: $(BIN)/.installed
	$(BIN)/ctnet demo --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/python scripts/check-messages.py
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ctnet

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_screening.py --quick
	$(BIN)/python bench/bench_hashes.py --quick
	$(BIN)/python bench/bench_hashes_cli.py --quick
	$(BIN)/python bench/bench_video.py --quick

# After changing interface strings: extract, translate the .po files, then compile. Apps with a
# locale/ folder of their own (exchange) keep their strings there; the rest share ctnet/locale.
LANGS := ar zh_Hans fr ru es
OWN_LOCALE_APPS := exchange screening coordination consultations monitoring
messages: $(BIN)/.installed
	cd ctnet && for l in $(LANGS); do \
	  ../$(BIN)/python -m django makemessages -l $$l --settings=ctnet.testing.settings \
	    -i 'testing/*' -i '*/engine/*' -i '*/tools/*' $(foreach a,$(OWN_LOCALE_APPS),-i '$(a)/*'); done
	for a in $(OWN_LOCALE_APPS); do (cd ctnet/$$a && for l in $(LANGS); do \
	  ../../$(BIN)/python -m django makemessages -l $$l --settings=ctnet.testing.settings \
	    -i 'tests/*' -i 'engine/*'; done); done
	for d in ctnet/locale ctnet/*/locale; do for l in $(LANGS); do \
	  msgfmt --check -o $$d/$$l/LC_MESSAGES/django.mo $$d/$$l/LC_MESSAGES/django.po; done; done
