# A rolling restart that loses nothing: three release replicas behind HAProxy (health check
# GET /readyz), wrk for ROLLING_SECONDS, each replica SIGTERMed and restarted in turn; fails on
# any socket error or non-2xx answer. Installs haproxy and wrk with apt-get when missing.
ROLLING_SECONDS ?= 60
.PHONY: rolling-test
rolling-test: release
	@command -v haproxy >/dev/null || { apt-get update -qq && apt-get install -y -qq haproxy; }
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	ROLLING_SECONDS=$(ROLLING_SECONDS) python3 scripts/deploy/rolling-test.py .build/release/poolserve
