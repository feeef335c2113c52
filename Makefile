# The two set-up commands of the README, plus a few conveniences. Each target is one or two lines:
# the work lives in SwiftPM and .ci/install-system-packages.
SWIFT ?= swift

.PHONY: run test build release deps clean

## Run the server with its embedded defaults (127.0.0.1:8080, ./orderbot.sqlite).
run: deps release
	.build/release/orderbot serve

## Build everything and run the whole test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product orderbot

deps:
	@.ci/install-system-packages

clean:
	rm -rf .build
