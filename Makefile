# Set-up and checks. `make test` and `make demo` each do all set-up on a fresh Debian machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# System libraries Qt needs: offscreen (tests) and a real X display (demo, screenshots).
QT_OFFSCREEN_DEBS := libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 fonts-dejavu-core
QT_X11_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
               libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
# PyInstaller needs binutils (objcopy, objdump); the packaging test validates the desktop files.
PACKAGE_DEBS := binutils desktop-file-utils appstream
# The centre tests start their own PostgreSQL cluster (tests/helpers/postgres.py); the black-hole
# test drops a centre's replies with `ip rule` inside a namespace of its own.
TEST_DEBS := openssl postgresql-15 iproute2 $(PACKAGE_DEBS)
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
BUNDLE := dist/dispatch-console
TARBALL := dist/dispatch-console-$(VERSION)-linux-$(shell uname -m).tar.gz

.PHONY: test demo lint typecheck unit bench setup package system-test-libs system-demo-libs clean

test: $(STAMP) system-test-libs lint typecheck
	QT_QPA_PLATFORM=offscreen timeout --signal=INT 1200 $(BIN)/pytest -q

demo: $(STAMP) system-demo-libs
	$(BIN)/dispatch-console --demo

bench: $(STAMP) system-test-libs
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/storage.py
	$(BIN)/python benchmarks/center.py
	$(BIN)/python benchmarks/switch.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/gui.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || sh packaging/apt-install.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,package]'
	touch $@

# The Linux one-folder bundle in dist/dispatch-console (and a tarball of it); see packaging/README.md.
package: $(STAMP) system-test-libs
	@$(BIN)/python -c 'import PyInstaller' 2>/dev/null || $(BIN)/pip install --quiet -e '.[package]'
	@start=$$(date +%s) && \
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN packaging/dispatch-console.spec \
		--distpath dist --workpath build && \
	echo "built $(BUNDLE) in $$(( $$(date +%s) - start )) s"
	QT_QPA_PLATFORM=offscreen $(BUNDLE)/dispatch-console --self-test
	tar -C dist -czf $(TARBALL) dispatch-console
	@echo "bundle size: $$(du -sh $(BUNDLE) | cut -f1); $(TARBALL): $$(du -sh $(TARBALL) | cut -f1)"

system-test-libs:
	@sh packaging/apt-install.sh $(QT_OFFSCREEN_DEBS) $(TEST_DEBS)

system-demo-libs:
	@sh packaging/apt-install.sh $(QT_OFFSCREEN_DEBS) $(QT_X11_DEBS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
