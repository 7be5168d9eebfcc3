# runo build, test and demo. `make demo` and `make test` are the two
# commands the README gives for a fresh Debian 12 machine (as root).

PREFIX ?= /usr/local
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -std=gnu11
DENO ?= deno
PERMS := --allow-ffi --allow-read --allow-write --allow-env --allow-run

# ---- C: libnsexec.so (spawn + wrappers, loaded by Deno) and the init ----
LIB_SRCS := c/call.c c/spawn.c c/wrappers.c c/file_wrappers.c c/cgroupfs_wrappers.c c/event_wrappers.c \
	c/unix_socket_wrappers.c c/tty_wrappers.c c/hook_spawn.c c/userns_wrappers.c c/mount_wrappers.c \
	c/process_wrappers.c c/netlink_wrappers.c c/seccomp_wrappers.c c/cgroup_warmer.c
# Every other c/*.c belongs to the init, so adding an operation's file
# needs no Makefile edit.
INIT_SRCS := nsexec.c $(filter-out $(LIB_SRCS),$(sort $(wildcard c/*.c)))
C_HDRS := $(wildcard c/*.h)

.PHONY: all build deps demo test test-unit test-c test-integration bench check clean
.PHONY: install uninstall compile
all: build

build: build/libnsexec.so build/runo-init build/bundle/cli.js build/runo build/containerd-shim-runo-v2

build/libnsexec.so: $(LIB_SRCS) $(C_HDRS)
	@mkdir -p build
	$(CC) $(WARN) $(CFLAGS) -fPIC -shared -o $@ $(LIB_SRCS)

# Stripped: every create and exec copies the init into a sealed memfd
# (0.5 ms with its debug sections, 0.3 ms without), and the init is
# non-dumpable anyway. INIT_STRIP= keeps the symbols for a debugger.
INIT_STRIP ?= -s
# Linked with musl where musl-gcc is (make deps installs musl-tools): 110 KB
# against glibc's 750 KB, so that copy costs 0.26 ms instead of 0.61. musl
# brings no kernel headers; build/musl-include points at the system's.
# INIT_CC=cc builds it with glibc. Both are expanded when the recipe runs,
# so that a `make test` whose deps step just installed musl-tools uses it.
INIT_CC ?= $(or $(shell command -v musl-gcc 2>/dev/null),$(CC))
MUSL_INC = $(if $(findstring musl,$(INIT_CC)),build/musl-include)
build/runo-init: $(INIT_SRCS) $(C_HDRS) Makefile
	@mkdir -p build $(MUSL_INC)
	$(if $(MUSL_INC),ln -sfn /usr/include/linux /usr/include/asm-generic \
		/usr/include/$$($(CC) -print-multiarch)/asm $(MUSL_INC)/)
	$(INIT_CC) $(WARN) $(CFLAGS) $(if $(MUSL_INC),-isystem $(MUSL_INC)) $(INIT_STRIP) -static \
		-o $@ $(INIT_SRCS)

# C tests: everything but main() of the init, plus libnsexec's sources.
TEST_C_SRCS := $(wildcard tests/c/*.c)
TEST_C_LINK := $(filter-out nsexec.c,$(INIT_SRCS)) $(LIB_SRCS)

build/test-c: $(TEST_C_SRCS) $(TEST_C_LINK) $(C_HDRS) tests/c/test.h
	@mkdir -p build
	$(CC) $(WARN) $(CFLAGS) -o $@ $(TEST_C_SRCS) $(TEST_C_LINK)

test-c: build/test-c build/runo-init
	./build/test-c

# The CLI bundled as one file per command, and the shim as one file
# (packaging/bundle.sh): start-up reads two files instead of ~110 modules.
# Rebuilt whenever a source changes.
TS_SRCS := cli.ts shim.ts deno.json $(shell find lib ffi init shim -name '*.ts' ! -name '*_test.ts')
BUNDLE_TOOLS := packaging/bundle.sh packaging/commands.sh packaging/dispatch.ts \
  packaging/inline_loads.ts
build/bundle/cli.js: $(TS_SRCS) $(BUNDLE_TOOLS)
	@DENO='$(DENO)' sh packaging/bundle.sh

# The launcher of the checkout: the bundle, with the explicit flags.
# --no-config, --no-npm, --no-remote: the bundle holds its npm code and
# needs neither deno.json, the lock file, nor a network.
# V8FLAGS: packaging/v8_flags.sh says why each is there.
# RUNO_LIBDIR (unless set): build/, as the installed launcher names its
# own, instead of probing for it (1.3-2 ms: a URL, a failing stat, two more).
# A small C program (packaging/launcher.c), not a shell script: ~0.8 ms
# less per command.
V8FLAGS := $(shell sh packaging/v8_flags.sh)
build/launcher_config.h: Makefile packaging/launcher_config.sh packaging/v8_flags.sh
	@mkdir -p build
	sh packaging/launcher_config.sh "$$(command -v $(DENO))" "$(CURDIR)/build/bundle/cli.js" \
	  run --no-prompt --no-config --no-npm --no-remote $(V8FLAGS) $(PERMS) \
	  -- "RUNO_LIBDIR?=$(CURDIR)/build" > $@.tmp
	mv $@.tmp $@
build/runo: packaging/launcher.c build/launcher_config.h
	$(CC) $(WARN) $(CFLAGS) -Ibuild -s -static -o $@ packaging/launcher.c

# containerd's runtime v2 shim (io.containerd.runo.v2, shim/README.md):
# a small launcher (shim/launcher.c) that answers `start` to a running
# server and a clean `delete` itself, else execs the .sh beside it: the
# bundle's shim.js. `start` needs --allow-run (it spawns the server, which
# gets its own, narrower flags: shim/start.ts).
SHIM_PERMS := --allow-ffi --allow-read --allow-write --allow-env --allow-run
build/containerd-shim-runo-v2: shim/launcher.c build/containerd-shim-runo-v2.sh
	$(CC) $(WARN) $(CFLAGS) -s -static -o $@ shim/launcher.c

build/containerd-shim-runo-v2.sh: Makefile
	@mkdir -p build
	printf '#!/bin/sh\nexec %s run --no-prompt --no-config --no-npm --no-remote %s %s/build/bundle/shim.js "$$@"\n' "$$(command -v $(DENO))" "$(SHIM_PERMS)" "$(CURDIR)" > $@
	chmod +x $@

# ---- set-up of a fresh machine: what is missing, from apt and npm ----
deps:
	@sh tests/fixtures/install-deps.sh

# `make demo ROOT=DIR`: the demo container's state root (default /run/runo).
demo: deps build
	@RUNO_DEMO_ROOT='$(ROOT)' sh tests/fixtures/demo.sh

# ---- tests ----
test: deps build
	@sh tests/run.sh

test-unit:
	$(DENO) test --no-prompt lib/ init/ shim/

# libFuzzer + ASan/UBSan on the bootstrap decoder (tests/fuzz/); `make test`
# runs it for 30 s, `make fuzz FUZZ_SECONDS=600` for longer.
FUZZ_SECONDS ?= 30
.PHONY: fuzz
fuzz:
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' DENO='$(DENO)' sh tests/fuzz/run.sh

# Real engines (podman+conmon, containerd's runc v2 shim) drive runo;
# installs them with apt-get when missing. Ends with `N passed, M failed`.
.PHONY: e2e
e2e: deps build
	@sh tests/e2e/run.sh

# The OCI runtime-tools validation suite (tests/conformance/): built once
# into build/conformance/ from ../shared/conformance or RUNO_CONFORMANCE_SRC,
# then every validation file against build/runo (RUNO_CONFORMANCE_RUNTIME
# picks others: "runo runc crun"). Ends with `N passed, M failed` of files.
.PHONY: conformance
conformance: build
	@sh tests/conformance/run.sh

bench: deps build
	@sh bench/run.sh

# ---- packaging (packaging/): PREFIX, DESTDIR; compile honours DENORT_BIN ----
install: build/libnsexec.so build/runo-init build/bundle/cli.js build/containerd-shim-runo-v2
	@PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' DENO='$(DENO)' PERMS='$(PERMS)' V8FLAGS='$(V8FLAGS)' CC='$(CC)' \
	  sh packaging/install.sh install

uninstall:
	@PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' sh packaging/install.sh uninstall

compile: build/libnsexec.so build/runo-init
	@DENO='$(DENO)' PERMS='$(PERMS)' V8FLAGS='$(V8FLAGS)' sh packaging/compile.sh

check:
	$(DENO) fmt --check && $(DENO) lint && $(DENO) check mod.ts cli.ts shim.ts

clean:
	rm -rf build
