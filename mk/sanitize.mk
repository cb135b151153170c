# Sanitizers on every change (issue 23 item 6), part of `make test`. Their builds leave the gRPC
# front end out (POOLSERVE_WITHOUT_GRPC, see Package.swift): its dependencies (SwiftNIO, BoringSSL)
# would take most of CI's time under each sanitizer, and it calls the same core they check.
.PHONY: asan-test tsan-test
SANITIZER_SWIFT = POOLSERVE_WITHOUT_GRPC=1 $(SWIFT)

# AddressSanitizer over the pooling kernels and everything that calls them: Pooling, the core,
# both API front ends, the golden fixtures through every encoding and the HTTP golden tests.
# Leak detection off (XCTest keeps its test cases alive). GuardPageTests is skipped: its guard
# pages catch the same overruns in swift-test without ASan, and under ASan it takes 40 s.
ASAN_FILTER = ^(PoolingTests|PoolCoreTests|PoolAPITests|InferenceAPITests|FrontEndParityTests|IntegrationTests)\.
asan-test: deps
	$(SANITIZER_SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 $(SANITIZER_SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan \
	  --disable-swift-testing --filter '$(ASAN_FILTER)' --skip GuardPageTests

# ThreadSanitizer over MicroHTTP (the server's threads, locks and sweeper). Its locks are pthread
# mutexes (Locked), which TSan understands, so the run is clean; the canary, a race beside a
# lock, must then be reported, or TSan saw nothing and a clean run means nothing.
tsan-test: deps
	$(SANITIZER_SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SANITIZER_SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --disable-swift-testing --filter '^MicroHTTPTests\.'
	@TSAN_CANARY=1 $(SANITIZER_SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --disable-swift-testing \
	  --filter 'LockedTests.testCanaryRaceBesideTheLock' > .build-tsan/tsan-canary.log 2>&1; \
	  if grep -q 'ThreadSanitizer: .*race.*LockedTests' .build-tsan/tsan-canary.log; then \
	    echo 'tsan-test: the canary race was reported, as it must be'; \
	  else cat .build-tsan/tsan-canary.log; echo 'tsan-test: the canary race was NOT reported'; exit 1; fi

TEST_EXTRA += asan-test tsan-test
