# The two commands of the README's quick start, and a few more for developers.
#   make demo   install missing Debian packages, build, run the default scenario
#   make test   install missing Debian packages, build, check the code style (.clang-format),
#               run the whole test suite (CTest), a
#               short libFuzzer run of every reader (scenario loader, sweep, plan and compare
#               files, report inputs: about a minute in all), and the suite again under
#               AddressSanitizer + UndefinedBehaviorSanitizer (make sanitize)
# Others: make build | bench | fuzz | sanitize | format | format-check | clean
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
FUZZ_READER_SECONDS ?= 10
FUZZ_READERS = sweep_file:sweep plan_file:plan compare_file:compare report_input:report

.PHONY: demo test deps build bench fuzz sanitize format format-check clean

demo: build
	./$(BUILD)/leasesim run scenarios/reflection-colossus2.json

test: build
	$(MAKE) --no-print-directory format-check
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	./$(BUILD)/leasesim sweep scenarios/sweeps/ci-regression.json -j 2 --format csv --expect "jobs.pretrain-70b.ettr > 0.95" -o $(BUILD)/ci-sweep.csv
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory sanitize

deps:
	@tools/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# The libFuzzer targets (clang, ASan + UBSan): the scenario loader for FUZZ_SECONDS over the
# malformed corpus and the shipped scenarios, then each other reader (sweep, plan and compare files,
# report inputs) for FUZZ_READER_SECONDS over its seed corpus in tests/corpus/KIND. Any crash, hang
# or sanitizer report fails the target.
fuzz: deps
	@CXX=clang++ cmake -S . -B $(BUILD)-fuzz -DLEASESIM_FUZZ=ON -DLEASESIM_TESTS=OFF \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)-fuzz -j$(JOBS) --target fuzz_scenario_loader $(foreach r,$(FUZZ_READERS),fuzz_$(firstword $(subst :, ,$(r))))
	@mkdir -p $(BUILD)-fuzz/corpus
	./$(BUILD)-fuzz/fuzz/fuzz_scenario_loader -max_total_time=$(FUZZ_SECONDS) -timeout=5 \
	  -rss_limit_mb=2048 -print_final_stats=1 $(BUILD)-fuzz/corpus tests/corpus/malformed scenarios
	@set -e; for r in $(FUZZ_READERS); do \
	  target=$${r%%:*}; kind=$${r##*:}; mkdir -p $(BUILD)-fuzz/corpus-$$kind; \
	  echo "./$(BUILD)-fuzz/fuzz/fuzz_$$target ... tests/corpus/$$kind"; \
	  ./$(BUILD)-fuzz/fuzz/fuzz_$$target -max_total_time=$(FUZZ_READER_SECONDS) -timeout=5 -rss_limit_mb=2048 \
	    -print_final_stats=1 $(BUILD)-fuzz/corpus-$$kind tests/corpus/$$kind; \
	done

bench: deps
	@cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DLEASESIM_BENCH=ON -DLEASESIM_TESTS=OFF >/dev/null
	@cmake --build $(BUILD)-bench -j$(JOBS)

# The code style of .clang-format (clang-format 14, Debian's clang-format-14): format rewrites the
# C++ sources in place, format-check fails listing every file that differs.
CLANG_FORMAT ?= clang-format-14
FORMAT_FILES = $(shell git ls-files 'src/*.cpp' 'src/*.hpp' 'include/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp')
format: deps
	@$(CLANG_FORMAT) -i $(FORMAT_FILES)
format-check: deps
	@bad=$$(for f in $(FORMAT_FILES); do $(CLANG_FORMAT) --dry-run -Werror "$$f" >/dev/null 2>&1 || echo "$$f"; done); \
	  if [ -n "$$bad" ]; then echo "not formatted (make format):"; echo "$$bad"; exit 1; fi; \
	  echo "format-check: $(words $(FORMAT_FILES)) files match .clang-format"

# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	@cmake -S . -B $(BUILD)-asan -DLEASESIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(BUILD)-asan -j$(JOBS)
	ctest --test-dir $(BUILD)-asan --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz $(BUILD)-bench $(BUILD)-asan
