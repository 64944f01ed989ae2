# Pioneer: the two commands a newcomer needs, and a few more.
#   make demo   install system packages, build, run the end-to-end demo
#   make test   install system packages, build, run every test
SWIFT ?= swift
PIONEER = .build/debug/pioneer

.PHONY: demo test build deps validate bench bench-scale bench-spc bench-aggregate bench-intake bench-plugin bench-extract bench-national clean-stores

deps:
	@scripts/install-system-packages.sh
	@scripts/install-python-packages.sh

build: deps
	$(SWIFT) build

# The demo's stores stay in .demo-stores/, for `pioneer progress` and `pioneer report` to read.
DEMO_STORES = .demo-stores

demo: build
	$(PIONEER) validate
	$(PIONEER) demo --store-dir $(DEMO_STORES)
	$(PIONEER) progress --store-dir $(DEMO_STORES)
	$(PIONEER) report sites/torbay --store-dir $(DEMO_STORES) --output $(DEMO_STORES)/torbay-report.html

validate: build
	$(PIONEER) validate

test: deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/run-tests.sh

bench: deps
	scripts/bench-collect.sh

bench-scale: deps
	scripts/bench-scale.sh

bench-spc: deps
	scripts/bench-spc.sh

bench-aggregate: deps
	scripts/bench-aggregate.sh

bench-intake: deps
	scripts/bench-intake.sh

bench-plugin: build
	scripts/bench-plugin.sh

bench-extract: deps
	scripts/bench-extract.sh

bench-national: deps
	scripts/bench-national.sh

clean-stores:
	rm -rf sites/*/.pioneer $(DEMO_STORES)
