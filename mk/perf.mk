# Performance figures (dev-time; none is part of `make test`): the release binary under load, the
# codec and the pooling core alone, docs/capacity.md's sizing figures and the budget's RSS per
# reserved byte. oip-bench (mk/oip.mk) is the OIP binary forward figure.
.PHONY: load-test bench bench-core capacity inflight-rss parse-rss float-exhaustive

# 64 connections for LOAD_SECONDS against the release binary, watching errors and memory.
LOAD_SECONDS ?= 120
load-test: release
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	python3 scripts/perf/load-test.py .build/release/poolserve $(LOAD_SECONDS)

# The tensor codec alone: read and write MB/s of float32 flat JSON beside Foundation's coders.
bench: deps
	$(SWIFT) build -c release --product codec-bench
	.build/release/codec-bench 1000000 11

# The pooling core against PyTorch on shared/bench/torch_baseline.py's cases, in one run.
TORCH_BASELINE ?= $(SHARED)/bench/torch_baseline.py
bench-core: deps
	@python3 -c "import torch" 2>/dev/null || python3 -m pip install -q torch
	$(SWIFT) build -c release --product pool-bench
	python3 scripts/perf/bench-core.py .build/release/pool-bench $(TORCH_BASELINE)

# docs/capacity.md measured again: requests per CPU-second (server on one core, wrk on another)
# and memory per request in flight, and the replicas they imply (env CAPACITY_SECONDS,
# CAPACITY_CORES, CAPACITY_CONCURRENT).
capacity: release
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	python3 scripts/perf/capacity.py .build/release/poolserve

# RSS per byte the memory budget reserves (README "Memory", docs/capacity.md): four large
# forwards in flight, poolserve_inflight_bytes against VmHWM.
inflight-rss: release
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	python3 scripts/perf/inflight-rss.py .build/release/poolserve

# Peak RSS per body byte of one large JSON request (README "What the memory budget counts"): the
# costliest numbers per byte (16.8 M zeros) through /v2 and /pool/forward, flat and in rows of one.
# PARSE_RSS_BEFORE=path/to/an/older/poolserve adds its column from the same run.
parse-rss: release
	python3 scripts/perf/parse-rss.py .build/release/poolserve $(PARSE_RSS_BEFORE)

# Every one of the 2^32 float32 patterns written and read back (minutes; XCTest skips it otherwise).
float-exhaustive: deps
	$(SWIFT) build --build-tests -c release
	FLOAT32_EXHAUSTIVE=1 $(SWIFT) test -c release --skip-build --filter Float32TextTests/testEveryPatternWhenAsked
