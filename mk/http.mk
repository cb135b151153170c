# System tests of the HTTP layer on the binary (issues 16, 18, 19): the HTTP (v3) rules, and the
# bounds one client cannot pass, each reading the server's own /proc figures.
.PHONY: http-system-test bounds-test wire-test
http-system-test: build
	python3 scripts/system/system-test-http.py $(BIN_DEBUG)

bounds-test: build
	python3 scripts/system/system-test-bounds.py $(BIN_DEBUG)

# Issue 23's rows on the wire (memory per byte, deflate blocks, trickling bodies, cheap routes and
# the queue deadline while computing, uploads at the drain deadline, half-read answers).
wire-test: build
	python3 scripts/system/system-test-wire.py $(BIN_DEBUG)

TEST_EXTRA += http-system-test bounds-test wire-test
