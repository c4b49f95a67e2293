# vtrust: the two commands are `make run` and `make test` (see README.md).
BUILD   ?= build
DATA    ?= data
LISTEN  ?= 127.0.0.1:8080
JOBS    ?= $(shell nproc)

.PHONY: all setup configure build run test test-unit test-slow bench fuzz fmt clean

all: build

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	ninja -C $(BUILD) -j$(JOBS)

# Builds, initializes ./data on first use (printing the admin token once), and serves.
run: build
	@if [ ! -f $(DATA)/config.toml ]; then $(BUILD)/vtrust init --data $(DATA); fi
	$(BUILD)/vtrust serve --data $(DATA) --listen $(LISTEN)

# The whole regular suite: unit, conformance (SQLite and a throw-away PostgreSQL 15
# cluster on 127.0.0.1), integration and interop tests. Slow suites are excluded.
test: build
	VTRUST_REQUIRE_PG=1 bash scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD) --output-on-failure -j2 -LE slow

# Long-running suites (long crash runs, soak): not part of `make test`.
test-slow: build
	VTRUST_REQUIRE_PG=1 bash scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD) --output-on-failure -L slow

bench: build
	bash bench/run.sh

# libFuzzer on every parser of outside input, FUZZ_SECONDS each (clang-14).
FUZZ_SECONDS ?= 60
fuzz: setup
	CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DVTRUST_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C build-fuzz -j$(JOBS) $$(cd fuzz && ls fuzz_*.cc | sed 's/\.cc$$//')
	bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

fmt:
	find src tests bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
