# The Open Inference Protocol over gRPC (issue 24): tritonclient.grpc, unchanged, against the
# same server's REST answers (scripts/conformance/oip-grpc-conformance.py starts the server with
# --grpc-port 0), and the gRPC latency figure beside REST's.
.PHONY: oip-grpc-deps oip-grpc-test oip-grpc-bench grpc-generate triton-peer-bench

oip-grpc-deps:
	@$(OIP_PYTHON) -c "import tritonclient.grpc, tritonclient.http, ml_dtypes" 2>/dev/null || $(OIP_PYTHON) -m pip install -q "tritonclient[http,grpc]"

oip-grpc-test: build oip-grpc-deps
	$(OIP_PYTHON) scripts/conformance/oip-grpc-conformance.py $(BIN_DEBUG)

TEST_EXTRA += oip-grpc-test

# One client, transports alternated, 40 calls each of the 1×64×112×112 forward (release build).
oip-grpc-bench: release oip-grpc-deps
	$(OIP_PYTHON) scripts/conformance/oip-grpc-bench.py .build/release/poolserve 40

# Regenerates Sources/InferenceGRPC/Generated from Protos/ (builds the protoc plugins once, ~11 min).
grpc-generate:
	scripts/generate-grpc.sh

# poolserve's gRPC against NVIDIA Triton's (PyPI's nvidia-pytriton, PyTorch's max_pool2d in its
# Python backend), one client, calls alternated, answers compared (issue 24's bar: at most half).
triton-peer-bench: release oip-grpc-deps
	@$(OIP_PYTHON) -c "import pytriton, torch" 2>/dev/null || $(OIP_PYTHON) -m pip install -q nvidia-pytriton torch
	$(OIP_PYTHON) scripts/perf/triton-grpc-peer.py .build/release/poolserve 40
