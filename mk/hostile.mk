# Hostile bodies for the parser (issue 19): each answered 4xx within its CPU, memory and size bounds.
.PHONY: hostile-test
hostile-test: build
	python3 scripts/system/hostile-parse.py $(BIN_DEBUG)

TEST_EXTRA += hostile-test
