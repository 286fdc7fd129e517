# Trustflow — the two Quick-start commands do all their own set-up on a fresh Debian 12 machine with Swift.
SWIFT ?= swift
CONTENT ?= content
OUTPUT ?= output

.PHONY: site test bench fuzz fuzz-models fuzz-readers setup setup-test build release clean

## make site: install what is missing, build in release mode, generate output/ from content/.
site: setup
	$(SWIFT) build -c release --product trustflow
	.build/release/trustflow build --content $(CONTENT) --output $(OUTPUT)

## make test: install what is missing, then the whole test suite.
test: setup-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/trustflow build --check --content $(CONTENT) --output $(OUTPUT)
	bash scripts/cfn-lint.sh $(OUTPUT)
	$(SWIFT) build --build-tests --package-path $(OUTPUT)/snippets --scratch-path .build/snippets
	$(SWIFT) test --skip-build --package-path $(OUTPUT)/snippets --scratch-path .build/snippets
	python3 -m pyflakes $(OUTPUT)/snippets/python
	bash scripts/examples-test.sh .build/debug/trustflow
	bash scripts/moto-test.sh $(OUTPUT)
	bash scripts/moto-examples-test.sh .build/debug/trustflow
	bash scripts/moto-client-test.sh
	bash scripts/moto-cloudformation-test.sh $(OUTPUT)
	bash scripts/mock-test.sh .build/debug/trustflow $(OUTPUT)
	bash scripts/browser-test.sh $(OUTPUT)/site
	bash scripts/deck-test.sh $(OUTPUT)
	python3 scripts/deck_browser_test.py $(OUTPUT)/deck/index.html
	python3 scripts/serve_browser_test.py .build/debug/trustflow

## make bench: the figures the issues ask for, side by side with their peers.
bench: setup-bench
	$(SWIFT) build -c release
	bash scripts/bench.sh

## make fuzz: the consistency property over 20,000 random models (`make test` checks 500 with a fixed seed), then
## every libFuzzer target in Fuzz/ for FUZZ_SECONDS each (default 600), one after another. Neither is part of make test.
FUZZ_SECONDS ?= 600
fuzz: fuzz-models fuzz-readers

fuzz-models:
	$(SWIFT) build -c release --product trustflow-bench
	.build/release/trustflow-bench consistency 20000

## make fuzz-readers: only the libFuzzer targets (scripts/fuzz.sh; FUZZ_TARGETS="YAMLLoader …" picks some).
fuzz-readers:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh test

setup-bench:
	@bash scripts/setup.sh bench

clean:
	rm -rf .build
