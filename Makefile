# The two commands of the README, and a few more. The build itself is Meson.
#   make run    install what is missing, build, start a demo network
#   make test   install what is missing, build, run every suite
#   make bench  install wrk and nginx, build, run bench/run.sh (BENCH_ARGS=...)
BUILD ?= build
DEMO_DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build run test unit bench clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=debugoptimized >/dev/null
	@ninja -C $(BUILD) >/dev/null

run: build
	@scripts/demo.sh $(BUILD)/hearth $(DEMO_DB) $(LISTEN)

test:
	@scripts/install-deps.sh test
	@tests/run-all.sh

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh $(BENCH_ARGS)

unit: build
	@meson test -C $(BUILD) --print-errorlogs

clean:
	rm -rf $(BUILD) build-asan
