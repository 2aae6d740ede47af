# policyc — `make` builds the reference policy into build/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SRC    ?= policy_src
OUT    ?= build
APT_PACKAGES := fonts-noto-cjk libharfbuzz-subset0

.PHONY: all build test docs system-deps test-deps bench schema dist clean

all: build

build: $(STAMP) system-deps
	$(BIN)/policyc build $(SRC) -o $(OUT)

test: $(STAMP) system-deps test-deps
	$(BIN)/python -m pytest -q

# The manual (docs/, MkDocs): generated references and screenshots → site/.
docs: $(STAMP) system-deps test-deps
	$(BIN)/python -m mkdocs build --strict --site-dir site

bench: $(STAMP) system-deps
	$(BIN)/python tests/bench/run.py $(BENCH_ARGS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $(STAMP)

# The PDF needs a CJK font; libharfbuzz-subset0 makes font subsetting ~30x faster.
# As root they are installed with apt-get; otherwise this says what to install.
system-deps:
	@missing=""; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "policyc needs these system packages for the PDF:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; \
	    case "$$missing" in *fonts-noto-cjk*) exit 1;; esac; \
	  fi; \
	fi

# The slow tests (marked `slow`) drive a real browser and LibreOffice, read PDFs with
# poppler and compare with pandoc. As root they are installed with apt-get; otherwise the
# tests that need a missing one are skipped with the package to install.
TEST_APT := chromium:chromium chromedriver:chromium-driver soffice:libreoffice-writer \
            pandoc:pandoc pdftoppm:poppler-utils
test-deps:
	@missing=""; \
	for pair in $(TEST_APT); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing test packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "the slow tests need:$$missing (sudo apt-get install$$missing); they are skipped"; \
	  fi; \
	fi

# The sdist and the wheel (dist/), versioned from the last git tag.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation -o dist

# The JSON Schema editors use (policy_src/schema/); commit it after a change to the model.
schema: $(STAMP)
	$(BIN)/policyc schema $(SRC)

clean:
	rm -rf $(OUT) site .pytest_cache
