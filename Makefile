# poolserve: `make serve` starts the service, `make test` runs every test.
# Both install what they need first (Debian packages via apt-get when missing).

SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8080
BIN_DEBUG = .build/debug/poolserve
# `$(SERVE_DEBUG) COMMAND...`: COMMAND run against a debug server on a free port, its URL given as
# {url} in the arguments and POOLSERVE_URL in the environment (scripts/serve.py).
SERVE_DEBUG = python3 scripts/serve.py $(BIN_DEBUG) --log-level warning --

# Targets of one concern each (deployment, browser tests, ...) live in mk/*.mk; a file adds the
# checks `make test` runs to TEST_EXTRA (before XCTest, which closes the output).
TEST_EXTRA :=
-include mk/*.mk

.PHONY: all deps build release serve test swift-test openapi-check system-test api-fuzz fuzz container-check sanitize clean

all: build

deps:
	@scripts/setup/install-deps.sh

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
	@scripts/setup/install-python-tools.sh
	$(SERVE_DEBUG) python3 scripts/conformance/check-openapi.py {url}

# schemathesis against openapi.yaml: no 5xx, no response outside the schema, every schema-
# invalid request refused. (Schema-valid requests may still break the contract's cross-field
# rules, so 'positive_data_acceptance' is not checked.)
api-fuzz: build
	@scripts/setup/install-python-tools.sh
	$(SERVE_DEBUG) schemathesis --config-file scripts/conformance/schemathesis.toml run openapi.yaml --url {url} --checks all \
	  --exclude-checks positive_data_acceptance --max-examples 200 --seed 1

# AddressSanitizer (leak detection off: XCTest keeps its test cases alive to the end) and
# ThreadSanitizer over the whole test suite.
sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 POOLSERVE_WITHOUT_GRPC=1 $(SWIFT) test --sanitize=address --scratch-path .build-asan
	POOLSERVE_WITHOUT_GRPC=1 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# The binary as an operator runs it: logs, request ids, metrics, slow clients, graceful stop.
system-test: build
	python3 scripts/system/system-test.py $(BIN_DEBUG)

# libFuzzer over request decoding and validation (FUZZ_SECONDS, default 60). Findings are
# written to Tests/Fixtures/fuzz-regressions; fix them and keep them there as regressions.
FUZZ_SECONDS ?= 60
fuzz: deps
	POOLSERVE_WITHOUT_GRPC=1 $(SWIFT) build --product poolserve-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	mkdir -p .fuzz-corpus
	.build-fuzz/debug/poolserve-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=4096 -timeout=10 \
	  -artifact_prefix=Tests/Fixtures/fuzz-regressions/ .fuzz-corpus Tests/Fixtures/fuzz-corpus

# The Dockerfile checked without Docker: its build step here, its runtime stage rebuilt with
# debootstrap and run as its user (needs root; installs debootstrap when missing).
container-check: deps
	@command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
	python3 scripts/deploy/container-check.py

# The benches of ../shared (bench-core, oip-bench: mk/perf.mk, mk/oip.mk).
SHARED ?= $(abspath $(CURDIR)/..)/shared

clean:
	rm -rf .build

