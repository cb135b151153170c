# Golden fixtures and the differential tests (dev-time; need torch, tensorflow, onnx, onnxruntime).
.PHONY: golden differential differential-onnx

GOLDEN_GENERATORS = pytorch_fractional tensorflow_fractional onnx_pooling pytorch_lp pytorch_half pytorch_nan \
  ceil_overhang nan_windows
DIFF_CASES ?= 1000
DIFF_SEED ?= 1

# Regenerates the generated fixtures (Tests/Fixtures/golden/README.md lists them; deterministic).
golden:
	@cd scripts/golden && for g in $(GOLDEN_GENERATORS); do python3 $$g.py || exit 1; done

# Random requests against a fresh debug server, compared with PyTorch (exit 1 on unexplained failures).
differential: deps
	$(SWIFT) build --product poolserve
	$(SERVE_DEBUG) python3 scripts/conformance/differential.py {url} --cases $(DIFF_CASES) --seed $(DIFF_SEED)

# Random ONNX MaxPool / AveragePool / LpPool nodes: onnxruntime, the contract reference and a fresh
# debug server compared, saying which departs (also needs torch: it reuses differential.py).
differential-onnx: deps
	$(SWIFT) build --product poolserve
	$(SERVE_DEBUG) python3 scripts/conformance/differential-onnx.py {url} --cases $(DIFF_CASES) --seed $(DIFF_SEED)
