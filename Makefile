# Pioneer: the two commands a newcomer needs, and a few more.
#   make demo   install system packages, build, run the end-to-end demo
#   make test   install system packages, build, run every test
SWIFT ?= swift
PIONEER = .build/debug/pioneer

.PHONY: demo test build deps validate bench bench-aggregate clean-stores

deps:
	@scripts/install-system-packages.sh
	@scripts/install-python-packages.sh

build: deps
	$(SWIFT) build

demo: build
	$(PIONEER) validate
	$(PIONEER) demo

validate: build
	$(PIONEER) validate

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	scripts/bench-collect.sh

bench-aggregate: deps
	scripts/bench-aggregate.sh

clean-stores:
	rm -rf sites/*/.pioneer
