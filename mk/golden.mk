# Golden fixtures and the differential tests (dev-time; need torch, tensorflow, onnx, onnxruntime).
.PHONY: golden conventions-golden differential differential-conventions differential-onnx

GOLDEN_GENERATORS = pytorch_fractional tensorflow_fractional onnx_pooling pytorch_lp pytorch_half pytorch_nan \
  ceil_overhang nan_windows conventions_torch7
DIFF_CASES ?= 1000
DIFF_SEED ?= 1

# Regenerates the generated fixtures (Tests/Fixtures/golden/README.md lists them; deterministic).
golden:
	@cd scripts/golden && for g in $(GOLDEN_GENERATORS); do python3 $$g.py || exit 1; done

# Framework-made fixtures of the conventions (Tests/Fixtures/conventions/README.md): TensorFlow,
# onnxruntime (+ the ONNX reference evaluator) and JAX/flax, in their own virtualenv (created and
# filled when missing by scripts/setup/install-framework-venv.sh; FRAMEWORK_VENV to move it).
CONVENTION_GENERATORS = conventions_tensorflow conventions_onnx conventions_jax
FRAMEWORK_VENV ?= $(CURDIR)/.venv-frameworks

conventions-golden:
	@VENV=$(FRAMEWORK_VENV) bash scripts/setup/install-framework-venv.sh
	@cd scripts/golden && for g in $(CONVENTION_GENERATORS); do $(FRAMEWORK_VENV)/bin/python $$g.py || exit 1; done

# Random requests against a fresh debug server, compared with PyTorch (exit 1 on unexplained failures).
differential: deps
	$(SWIFT) build --product poolserve
	$(SERVE_DEBUG) python3 scripts/conformance/differential.py {url} --cases $(DIFF_CASES) --seed $(DIFF_SEED)

# Random layers under each `convention` against a fresh debug server, compared with TensorFlow,
# onnxruntime, JAX/flax and the Torch7 port themselves (the framework virtualenv, as
# conventions-golden; DIFF_FRAMEWORK=tensorflow|onnx|jax|torch7 for one; exit 1 on any mismatch).
differential-conventions:
	@VENV=$(FRAMEWORK_VENV) bash scripts/setup/install-framework-venv.sh
	$(SWIFT) build --product poolserve
	$(SERVE_DEBUG) $(FRAMEWORK_VENV)/bin/python scripts/conformance/differential-conventions.py {url} \
	  --cases $(DIFF_CASES) --seed $(DIFF_SEED) $(if $(DIFF_FRAMEWORK),--framework $(DIFF_FRAMEWORK))

# Random ONNX MaxPool / AveragePool / LpPool nodes: onnxruntime, the contract reference and a fresh
# debug server compared, saying which departs (also needs torch: it reuses differential.py).
differential-onnx: deps
	$(SWIFT) build --product poolserve
	$(SERVE_DEBUG) python3 scripts/conformance/differential-onnx.py {url} --cases $(DIFF_CASES) --seed $(DIFF_SEED)
