# The two commands of the README, and a few more for developers.
BUILD ?= build
JOBS ?= 2
# Release (-O3) is what packagers build, so the tests run on it; RelWithDebInfo for a debugger.
BUILD_TYPE ?= Release

.PHONY: deps build demo demo-pg test test-asan fuzz bench deb test-deb format clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Fresh SQLite database with demo data, mail and SMS to var/outbox, serving on 127.0.0.1:8080.
demo: build
	$(BUILD)/src/app/portico demo --db var/demo.db --mail-outbox var/outbox/mail --sms-outbox var/outbox/sms --listen 127.0.0.1:8080

# The demo on PostgreSQL: a local cluster of its own, two nodes and nginx in front on LISTEN.
LISTEN ?= 127.0.0.1:8080
demo-pg: build
	bash scripts/demo-pg.sh $(BUILD)/src/app/portico $(LISTEN)

# Every test: unit, integration (real server on loopback) and the browser test (chromium).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The unit and integration tests under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPORTICO_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan.supp \
	  ctest --output-on-failure -j $(JOBS) -LE browser

# The libFuzzer targets of fuzz/ (clang, ASan + UBSan, in build-fuzz), FUZZ_SECONDS each.
FUZZ_SECONDS ?= 20
fuzz: deps
	JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh

# The Debian package (cmake/package.cmake, packaging/): Release, without the tests, in build-deb.
DEB_BUILD ?= build-deb
deb: deps
	cmake -S . -B $(DEB_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTICO_TESTS=OFF >/dev/null
	cmake --build $(DEB_BUILD) -j $(JOBS)
	rm -f $(DEB_BUILD)/portico_*.deb
	cd $(DEB_BUILD) && cpack -G DEB >/dev/null
	@echo "Debian package: $$(ls $(DEB_BUILD)/portico_*.deb)"

# Installs the package on this machine, serves /readyz as its unit does, and purges it (root).
test-deb: deb
	bash tests/package/deb_test.sh $(DEB_BUILD)/portico_*.deb

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) build-asan build-fuzz $(DEB_BUILD) var
