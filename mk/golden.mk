# Golden fixtures and the differential test (dev-time; need torch, tensorflow, onnx, onnxruntime).
.PHONY: golden differential

GOLDEN_GENERATORS = pytorch_fractional tensorflow_fractional onnx_pooling pytorch_lp pytorch_half pytorch_nan
DIFF_CASES ?= 1000
DIFF_SEED ?= 1

# Regenerates the generated fixtures (Tests/Fixtures/golden/README.md lists them; deterministic).
golden:
	@cd scripts/golden && for g in $(GOLDEN_GENERATORS); do python3 $$g.py || exit 1; done

# Random requests against a fresh debug server, compared with PyTorch (exit 1 on unexplained failures).
differential: deps
	$(SWIFT) build --product poolserve
	@$(BIN_DEBUG) --port 0 --log-level warning > .differential.log 2>&1 & pid=$$!; \
	  for i in $$(seq 50); do grep -q listening .differential.log 2>/dev/null && break; sleep 0.1; done; \
	  url=$$(grep -o 'http://[0-9.:]*' .differential.log | head -1); \
	  python3 scripts/differential.py $$url --cases $(DIFF_CASES) --seed $(DIFF_SEED); rc=$$?; \
	  kill $$pid; wait $$pid 2>/dev/null; rm -f .differential.log; exit $$rc
