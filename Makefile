# One-word entry points. `make run`: install what is missing, build (Release), ingest the
# sample archive and search it. `make test`: the same set-up, then the whole test suite —
# the Catch2 unit and end-to-end tests, the same suite again under ASan+UBSan, a short
# libFuzzer run of the article and query parsers, and the unit tests under ThreadSanitizer. `make check` is the quick suite alone.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 30
DEMO_DB = $(BUILD)/demo-archive.db

.PHONY: all deps build run check test sanitize sanitize-build fuzz tsan clean format

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).lock
	$(BUILD)/newsidx --db $(DEMO_DB) ingest data/seeds
	$(BUILD)/newsidx --db $(DEMO_DB) search "Victory Day"

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test: check sanitize fuzz tsan

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang). The same build
# has the libFuzzer targets, so `make fuzz` after it compiles nothing again.
SANITIZE_BUILD = build-asan
sanitize-build:
	@NEWSIDX_WITH_CLANG=1 scripts/install-deps.sh
	@CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNEWSIDX_SANITIZE=ON -DNEWSIDX_FUZZ=ON >/dev/null
	@cmake --build $(SANITIZE_BUILD) -j$(JOBS)

sanitize: sanitize-build
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j$(JOBS) -LE bench

# libFuzzer on the article parser and the query parser, FUZZ_SECONDS each.
fuzz: sanitize-build
	@mkdir -p $(SANITIZE_BUILD)/corpus/extract $(SANITIZE_BUILD)/corpus/query
	$(SANITIZE_BUILD)/tests/fuzz/fuzz_extract -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -timeout=10 $(SANITIZE_BUILD)/corpus/extract tests/fuzz/corpus/extract
	$(SANITIZE_BUILD)/tests/fuzz/fuzz_query -max_total_time=$(FUZZ_SECONDS) -max_len=512 \
	  -timeout=10 $(SANITIZE_BUILD)/corpus/query tests/fuzz/corpus/query

# The unit tests under ThreadSanitizer (g++): ingest's parser and writer threads, the walk's
# helpers, the WAL checkpointer.
TSAN_BUILD = build-tsan
tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSIDX_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j$(JOBS) --target newsidx_unit_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(TSAN_BUILD)/newsidx_unit_tests

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(TSAN_BUILD)
