# The playground in a real browser: Debian's chromium driven by Playwright for Python (from
# PyPI, using that system chromium: no browser download). Installs both when missing, then runs
# scripts/system/browser-test.py against the debug binary. `make test` keeps its screenshots out of the
# tree; `make screenshots` refreshes README's docs/playground-*.png.
CHROMIUM ?= /usr/bin/chromium
BROWSER_PYTHON ?= python3

.PHONY: browser-test browser-deps screenshots
SCREENSHOT_DIR ?= $(CURDIR)/.build/screenshots

browser-deps:
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }
	@$(BROWSER_PYTHON) -c "import playwright" 2>/dev/null || $(BROWSER_PYTHON) -m pip install -q playwright

browser-test: build browser-deps
	@mkdir -p $(SCREENSHOT_DIR)
	CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=$(SCREENSHOT_DIR) $(BROWSER_PYTHON) scripts/system/browser-test.py $(BIN_DEBUG)

screenshots:
	$(MAKE) browser-test SCREENSHOT_DIR=$(CURDIR)/docs

TEST_EXTRA += browser-test
