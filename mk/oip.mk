# The Open Inference Protocol v2 routes (/v2) as real clients call them: tritonclient[http] from
# PyPI (installed when missing), against a poolserve the script starts itself, every answer
# compared with the native endpoints (scripts/oip-conformance.py).
OIP_PYTHON ?= python3

.PHONY: oip-test oip-deps oip-bench client-test

oip-deps:
	@$(OIP_PYTHON) -c "import tritonclient.http, ml_dtypes" 2>/dev/null || $(OIP_PYTHON) -m pip install -q "tritonclient[http]"

oip-test: build oip-deps
	$(OIP_PYTHON) scripts/oip-conformance.py $(BIN_DEBUG)

TEST_EXTRA += oip-test

# The binary-data forward figure (shared/bench/oip_e2e.py: wrk, one connection, the 1×64×112×112
# float32 forward of maxpool2d_k3s2p1 with OUTPUT, INDICES and MASK) against the release build.
OIP_E2E ?= $(SHARED)/bench/oip_e2e.py
oip-bench: release
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	@.build/release/poolserve --port 0 --log-level warning > .build/oip-bench.log 2>&1 & pid=$$!; \
	  for i in $$(seq 50); do grep -q listening .build/oip-bench.log 2>/dev/null && break; sleep 0.1; done; \
	  port=$$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' .build/oip-bench.log | head -1); \
	  $(OIP_PYTHON) $(OIP_E2E) http://127.0.0.1:$$port; rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

# The Swift client package (clients/swift, generated from openapi.yaml by swift-openapi-generator)
# against a poolserve this target starts: forward, backward, a 422 as its typed problem. The
# generator needs openapi.yaml beside its config: a symlink, checked here to be the same file.
CLIENT_TEST_PORT ?= 18082
client-test: build
	@cmp -s clients/swift/Sources/PoolserveClient/openapi.yaml openapi.yaml || \
	  { echo "clients/swift/Sources/PoolserveClient/openapi.yaml differs from openapi.yaml (it must be a symlink to it)"; exit 1; }
	cd clients/swift && $(SWIFT) build --build-tests
	@$(BIN_DEBUG) --port $(CLIENT_TEST_PORT) --log-level warning > .build/client-test.log 2>&1 & pid=$$!; \
	  for i in $$(seq 50); do grep -q listening .build/client-test.log 2>/dev/null && break; sleep 0.1; done; \
	  (cd clients/swift && POOLSERVE_URL=http://127.0.0.1:$(CLIENT_TEST_PORT) $(SWIFT) test --skip-build --disable-swift-testing); rc=$$?; \
	  kill $$pid; wait $$pid 2>/dev/null; exit $$rc
