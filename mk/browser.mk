# The playground in a real browser: Debian's chromium driven by Playwright for Python (from
# PyPI, using that system chromium: no browser download). Installs both when missing, then runs
# scripts/browser-test.py against the debug binary; it rewrites docs/playground-*.png.
CHROMIUM ?= /usr/bin/chromium
BROWSER_PYTHON ?= python3

.PHONY: browser-test browser-deps

browser-deps:
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }
	@$(BROWSER_PYTHON) -c "import playwright" 2>/dev/null || $(BROWSER_PYTHON) -m pip install -q playwright

browser-test: build browser-deps
	CHROMIUM=$(CHROMIUM) $(BROWSER_PYTHON) scripts/browser-test.py $(BIN_DEBUG)

# Part of `make test` (this prerequisite is added after the Makefile's own).
test: browser-test
