# vtrust: the two commands are `make run` and `make test` (see README.md).
BUILD   ?= build
DATA    ?= data
LISTEN  ?= 127.0.0.1:8080
JOBS    ?= $(shell nproc)

.PHONY: all setup setup-run configure build run test test-unit test-slow bench soak fuzz fmt fmt-check clean

all: build

# Packages (scripts/setup.sh): `run` is what building and serving needs; `test`
# adds what the suite needs (PostgreSQL, SoftHSM2, GoogleTest, clang-format, ...).
setup:
	bash scripts/setup.sh test

setup-run:
	bash scripts/setup.sh run

CONFIGURE = cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

configure: setup
	$(CONFIGURE)

build: configure
	ninja -C $(BUILD) -j$(JOBS)

# Builds, initializes ./data on first use (printing the admin token once) and loads the
# demo into it (docs/portal.md), then serves the API and the portal. A data directory
# with the demo prints the portal URL, a console token and three things to try.
run: setup-run
	$(CONFIGURE)
	ninja -C $(BUILD) -j$(JOBS) vtrust
	@if [ ! -f $(DATA)/config.toml ]; then $(BUILD)/vtrust init --data $(DATA) && mkdir -p $(DATA)/demo; fi
	$(BUILD)/vtrust serve --data $(DATA) --listen $(LISTEN) $$([ -d $(DATA)/demo ] && echo --demo)

# The whole regular suite: unit, conformance (SQLite and a throw-away PostgreSQL 15
# cluster on 127.0.0.1), integration and interop tests. Slow suites are excluded.
test: build
	VTRUST_REQUIRE_PG=1 bash scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD) --output-on-failure -j2 -LE slow

# Long-running suites (long crash runs, soak): not part of `make test`.
test-slow: build
	VTRUST_REQUIRE_PG=1 bash scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD) --output-on-failure -L slow

# Every benchmark, one table of figures next to their anchors (bench/README.md).
bench: build
	bash scripts/setup.sh bench
	bash bench/run.sh $(BUILD)/vtrust

# A 10-minute mixed load on SQLite; nothing acknowledged may be lost (bench/README.md).
soak: configure
	ninja -C $(BUILD) -j$(JOBS) vtrust
	bash scripts/soak.sh $(BUILD)/vtrust

# libFuzzer on every parser of outside input, FUZZ_SECONDS each (clang-14).
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/setup.sh fuzz
	CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DVTRUST_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C build-fuzz -j$(JOBS) $$(cd fuzz && ls fuzz_*.cc | sed 's/\.cc$$//')
	bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# One style for the whole tree (.clang-format: Google, 100 columns).
FMT_FILES = git ls-files -- '*.cc' '*.h'
fmt:
	$(FMT_FILES) | xargs clang-format -i

# Fails, naming the files, when any tracked C++ file is not clang-formatted (.ci/run).
fmt-check: setup
	@$(FMT_FILES) | xargs clang-format --dry-run --Werror 2>&1 | grep -oE '^[^ :]+\.(cc|h):[0-9]+:[0-9]+: error' | cut -d: -f1 | sort -u > .fmt-check.out || true
	@if [ -s .fmt-check.out ]; then echo "not clang-formatted (run make fmt):"; cat .fmt-check.out; rm -f .fmt-check.out; exit 1; fi
	@rm -f .fmt-check.out; echo "fmt-check: all files formatted"

clean:
	rm -rf $(BUILD)
