# The two set-up commands of the README, plus a few conveniences. Each target is a line or two:
# the work lives in SwiftPM and .ci/install-system-packages.
SWIFT ?= swift
SHELL := /bin/bash

# Swift's cooperative pool has one thread per core. With every test of the suite in flight at
# once, a server's timers and wake-ups queue behind seconds of other tests' work on a 2-core
# machine, and timing-bound tests fail at random; a dozen tests at a time keeps the pool
# responsive and the suite well under a minute.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH ?= 12

.PHONY: run test browser-test screenshots build release deps clean bench-smoke fuzz

## Run the server with its embedded defaults (127.0.0.1:8080, ./orderbot.sqlite).
run: deps release
	.build/release/orderbot serve

## Build everything and run the whole test suite.
test: deps
	$(SWIFT) build --build-tests
	@set -o pipefail; $(SWIFT) test --skip-build 2>&1 | tee .build/test-output.log || { \
		echo "=== failed tests (from .build/test-output.log) ==="; \
		sed 's/\x1b\[[0-9;]*m//g' .build/test-output.log | grep -E '✘|error:|Fatal error|Caught' | tail -40; exit 1; }
	Tests/Browser/run --bin .build/debug/orderbot --screenshots .build/browser-screenshots

## Only the browser test of the chat page and agent console (after `make build`).
browser-test: build
	Tests/Browser/run --bin .build/debug/orderbot --screenshots .build/browser-screenshots

## Renew the screenshots of the README (docs/images/) from a run of the browser test.
screenshots: build
	Tests/Browser/run --bin .build/debug/orderbot --screenshots docs/images

build: deps
	$(SWIFT) build

## Every benchmark of Benchmarks/ for a second or two, nothing asserted: they still run (run it
## before resolving an issue that touches a benchmark). Reports go to Benchmarks/out/ as usual.
bench-smoke: deps
	ROUNDS=1 DURATION=1 WARMUP=1 SYNC_DURATION=1 Benchmarks/engine.sh
	ROUNDS=1 DURATION=1 Benchmarks/healthz.sh
	ROUNDS=1 DURATION=1 Benchmarks/pages.sh
	SECONDS_PER_RUN=1 Benchmarks/nlu.sh
	ROWS=1000 RUNS=1 Benchmarks/catalog.sh
	VOICE_LEVELS=8 VOICE_ROUNDS=1 VOICE_WARMUP=0 VOICE_CALLS_PER_LEVEL=16 Benchmarks/voice.sh
	HANDOFF_SESSIONS=20 HANDOFF_ESCALATE=4 HANDOFF_ROUNDS=1 Benchmarks/handoff.sh
	CONNECTIONS=32 DURATION=1 MESSAGES=20000 Benchmarks/webhook.sh
	FOLDS=2 Benchmarks/intents.sh
	MAX_EXAMPLES=10 Benchmarks/schemathesis.sh

## Every parser under libFuzzer with AddressSanitizer, 1,000,000 executions each (Tests/Fuzz/README.md).
fuzz: deps
	Tests/Fuzz/run.sh

release: deps
	$(SWIFT) build -c release --product orderbot

deps:
	@.ci/install-system-packages

clean:
	rm -rf .build
