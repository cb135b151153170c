# The Open Inference Protocol v2 routes (/v2) as real clients call them: tritonclient[http] from
# PyPI (installed when missing), against a poolserve the script starts itself, every answer
# compared with the native endpoints (scripts/conformance/oip-conformance.py).
OIP_PYTHON ?= python3

.PHONY: oip-test oip-deps oip-bench client-test

oip-deps:
	@$(OIP_PYTHON) -c "import tritonclient.http, ml_dtypes" 2>/dev/null || $(OIP_PYTHON) -m pip install -q "tritonclient[http]"

oip-test: build oip-deps
	$(OIP_PYTHON) scripts/conformance/oip-conformance.py $(BIN_DEBUG)

TEST_EXTRA += oip-test

# The binary-data forward figure (shared/bench/oip_e2e.py: wrk, one connection, the 1×64×112×112
# float32 forward of maxpool2d_k3s2p1 with OUTPUT, INDICES and MASK) against the release build.
OIP_E2E ?= $(SHARED)/bench/oip_e2e.py
oip-bench: release
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	python3 scripts/serve.py .build/release/poolserve --log-level warning -- $(OIP_PYTHON) $(OIP_E2E) {url}

# The Swift client package (clients/swift, generated from openapi.yaml by swift-openapi-generator)
# against a poolserve this target starts (its URL in POOLSERVE_URL): forward, backward, a 422 as its
# typed problem. The generator needs openapi.yaml beside its config: a symlink, checked here to be
# the same file.
client-test: build
	@cmp -s clients/swift/Sources/PoolserveClient/openapi.yaml openapi.yaml || \
	  { echo "clients/swift/Sources/PoolserveClient/openapi.yaml differs from openapi.yaml (it must be a symlink to it)"; exit 1; }
	cd clients/swift && $(SWIFT) build --build-tests
	cd clients/swift && python3 $(CURDIR)/scripts/serve.py $(CURDIR)/$(BIN_DEBUG) --log-level warning -- \
	  $(SWIFT) test --skip-build --disable-swift-testing
