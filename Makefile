# poolserve: `make serve` starts the service, `make test` runs every test.
# Both install what they need first (Debian packages via apt-get when missing).

SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8080
CHECK_PORT ?= 18080
BIN_DEBUG = .build/debug/poolserve

# Targets of one concern each (deployment, browser tests, ...) live in mk/*.mk; a file adds the
# checks `make test` runs to TEST_EXTRA (before XCTest, which closes the output).
TEST_EXTRA :=
-include mk/*.mk

.PHONY: all deps build release serve test swift-test openapi-check system-test api-fuzz bench bench-core fuzz container-check sanitize load-test clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product poolserve

serve: release
	.build/release/poolserve --host $(HOST) --port $(PORT)

# XCTest runs last, so that its summary closes the output.
test: deps openapi-check system-test api-fuzz $(TEST_EXTRA) swift-test

swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# Validates openapi.yaml and sends its examples to a real server.
openapi-check: build
	@scripts/install-python-tools.sh
	@$(BIN_DEBUG) --port $(CHECK_PORT) --log-level warning > .openapi-check.log 2>&1 & pid=$$!; \
	  for i in $$(seq 50); do grep -q listening .openapi-check.log 2>/dev/null && break; sleep 0.1; done; \
	  python3 scripts/check-openapi.py http://127.0.0.1:$(CHECK_PORT); rc=$$?; \
	  kill $$pid; wait $$pid 2>/dev/null; rm -f .openapi-check.log; exit $$rc

# schemathesis against openapi.yaml: no 5xx, no response outside the schema, every schema-
# invalid request refused. (Schema-valid requests may still break the contract's cross-field
# rules, so 'positive_data_acceptance' is not checked.)
API_FUZZ_PORT ?= 18081
api-fuzz: build
	@scripts/install-python-tools.sh
	@$(BIN_DEBUG) --port $(API_FUZZ_PORT) --log-level warning > .api-fuzz.log 2>&1 & pid=$$!; \
	  for i in $$(seq 50); do grep -q listening .api-fuzz.log 2>/dev/null && break; sleep 0.1; done; \
	  schemathesis run openapi.yaml --url http://127.0.0.1:$(API_FUZZ_PORT) --checks all \
	    --exclude-checks positive_data_acceptance --max-examples 200 --seed 1; rc=$$?; \
	  kill $$pid; wait $$pid 2>/dev/null; rm -f .api-fuzz.log; exit $$rc

# AddressSanitizer (leak detection off: XCTest keeps its test cases alive to the end) and
# ThreadSanitizer over the whole test suite.
sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# 64 connections for LOAD_SECONDS against the release binary, watching errors and memory.
LOAD_SECONDS ?= 120
load-test: release
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	python3 scripts/load-test.py .build/release/poolserve $(LOAD_SECONDS)

# The binary as an operator runs it: logs, request ids, metrics, slow clients, graceful stop.
system-test: build
	python3 scripts/system-test.py $(BIN_DEBUG)

# libFuzzer over request decoding and validation (FUZZ_SECONDS, default 60). Findings are
# written to Tests/Fixtures/fuzz-regressions; fix them and keep them there as regressions.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build --product poolserve-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	mkdir -p .fuzz-corpus
	.build-fuzz/debug/poolserve-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=4096 -timeout=10 \
	  -artifact_prefix=Tests/Fixtures/fuzz-regressions/ .fuzz-corpus Tests/Fixtures/fuzz-corpus

# The Dockerfile checked without Docker: its build step here, its runtime stage rebuilt with
# debootstrap and run as its user (needs root; installs debootstrap when missing).
container-check: deps
	@command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
	python3 scripts/container-check.py

# The tensor codec alone: read and write MB/s of float32 flat JSON beside Foundation's coders.
bench: deps
	$(SWIFT) build -c release --product codec-bench
	.build/release/codec-bench 1000000 11

# The pooling core against PyTorch on shared/bench/torch_baseline.py's cases, in one run.
SHARED ?= $(abspath $(CURDIR)/..)/shared
TORCH_BASELINE ?= $(SHARED)/bench/torch_baseline.py
bench-core: deps
	@python3 -c "import torch" 2>/dev/null || python3 -m pip install -q torch
	$(SWIFT) build -c release --product pool-bench
	python3 scripts/bench-core.py .build/release/pool-bench $(TORCH_BASELINE)

clean:
	rm -rf .build

