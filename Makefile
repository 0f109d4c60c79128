# One-word entry points. `make run`: install what is missing, build (Release), ingest the
# sample archive and search it. `make test`: the same set-up, then the whole test suite —
# the Catch2 unit and end-to-end tests, the same suite again under ASan+UBSan, and a short
# libFuzzer run of the article and query parsers. `make check` is the quick suite alone.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 30
DEMO_DB = $(BUILD)/demo-archive.db

.PHONY: all deps build run check test sanitize fuzz clean format

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

test: check sanitize fuzz

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang).
sanitize:
	@NEWSIDX_WITH_CLANG=1 scripts/install-deps.sh
	@CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNEWSIDX_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS) -LE bench

# libFuzzer on the article parser and the query parser, FUZZ_SECONDS each.
fuzz:
	@NEWSIDX_WITH_CLANG=1 scripts/install-deps.sh
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNEWSIDX_FUZZ=ON -DNEWSIDX_SANITIZE=ON -DNEWSIDX_BUILD_TESTS=OFF >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target fuzz_extract fuzz_query
	@mkdir -p build-fuzz/corpus/extract build-fuzz/corpus/query
	build-fuzz/tests/fuzz/fuzz_extract -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -timeout=10 build-fuzz/corpus/extract tests/fuzz/corpus/extract
	build-fuzz/tests/fuzz/fuzz_query -max_total_time=$(FUZZ_SECONDS) -max_len=512 \
	  -timeout=10 build-fuzz/corpus/query tests/fuzz/corpus/query

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) build-asan build-fuzz
