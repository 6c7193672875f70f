# storyfold — build, test and check.
#
#   make            library (build/libstoryfold.a) and command (build/storyfold)
#   make deps       install the Debian packages the build needs (apt-get)
#   make check      everything the tests need, then all tests
#   make example    fold the example pages in examples/pages and show the stories
#   make asan       tests built with AddressSanitizer + UBSan
#   make valgrind   tests run under valgrind
#   make fuzz       build and run the libFuzzer targets (FUZZ_SECONDS each)
#   make eval       score against ../shared/eval when present
#   make bench      benchmarks

CC      ?= cc
BUILD   ?= build
V       ?= 0
# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-6s %s\n'
endif
LIB_PKGS := libutf8proc jansson libxxhash sqlite3
PKGS    := $(LIB_PKGS) libmicrohttpd
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-sign-conversion -Werror
OPT     ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
           -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread

LIB_SRC  := $(sort $(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen_data.o
CLI_SRC  := $(sort $(wildcard cli/*.c))
CLI_OBJ  := $(CLI_SRC:cli/%.c=$(BUILD)/obj/cli_%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DATA     := $(shell find data -type f 2>/dev/null | sort)
# The HTTP service (storyfold serve) and its web page, embedded like data/.
SRV_SRC  := $(sort $(wildcard server/*.c))
SRV_OBJ  := $(SRV_SRC:server/%.c=$(BUILD)/obj/srv_%.o) $(BUILD)/obj/gen_web.o
WEB      := $(shell find server/web -type f 2>/dev/null | sort)

.PHONY: all deps check test example asan valgrind fuzz eval bench clean e2e load install uninstall

all: $(BUILD)/libstoryfold.a $(BUILD)/storyfold $(BUILD)/examples/fold_lines

deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: src/%.c include/storyfold.h $(wildcard src/*.h) | $(BUILD)/obj
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/gen_data.c: tools/embed.py $(DATA) | $(BUILD)/gen
	$(say) EMBED data/
	$(Q)python3 tools/embed.py data $@

$(BUILD)/obj/gen_data.o: $(BUILD)/gen/gen_data.c src/data.h | $(BUILD)/obj
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/cli_%.o: cli/%.c include/storyfold.h | $(BUILD)/obj
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -Icli -c $< -o $@

$(BUILD)/obj/srv_%.o: server/%.c include/storyfold.h $(wildcard server/*.h) | $(BUILD)/obj
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -Iserver -c $< -o $@

$(BUILD)/gen/gen_web.c: tools/embed.py $(WEB) | $(BUILD)/gen
	$(say) EMBED server/web/
	$(Q)python3 tools/embed.py server/web $@ sf_web web.h

$(BUILD)/obj/gen_web.o: $(BUILD)/gen/gen_web.c server/web.h | $(BUILD)/obj
	$(Q)$(CC) $(CFLAGS) -Iserver -c $< -o $@

$(BUILD)/libstoryfold.a: $(LIB_OBJ)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/storyfold: $(CLI_OBJ) $(SRV_OBJ) $(BUILD)/libstoryfold.a
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/synth.h $(BUILD)/libstoryfold.a | $(BUILD)/tests
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -Itests/unit $< $(BUILD)/libstoryfold.a $(LDFLAGS) $(LDLIBS) -lcmocka -o $@

$(BUILD)/examples/fold_lines: examples/fold_lines.c $(BUILD)/libstoryfold.a
	$(say) CC $<
	$(Q)mkdir -p $(BUILD)/examples
	$(Q)$(CC) $(CFLAGS) $< $(BUILD)/libstoryfold.a $(LDFLAGS) $(LDLIBS) -o $@

# The fault test fails the library's allocations one by one.
$(BUILD)/tests/test_faults: tests/unit/test_faults.c tests/unit/harness.h $(BUILD)/libstoryfold.a | $(BUILD)/tests
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -Itests/unit $< $(BUILD)/libstoryfold.a $(LDFLAGS) \
	    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc $(LDLIBS) -lcmocka -o $@

$(BUILD)/obj $(BUILD)/gen $(BUILD)/tests:
	$(Q)mkdir -p $@

# The README's test command: installs what is missing, builds, runs all tests.
check: deps
	@$(MAKE) --no-print-directory test

test: all $(TEST_BIN)
	@sh tests/run.sh $(BUILD)

example: deps
	@$(MAKE) --no-print-directory all
	@$(BUILD)/storyfold fold --format text examples/pages

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" test

valgrind: all $(TEST_BIN)
	@SF_VALGRIND=1 sh tests/run.sh $(BUILD)

fuzz:
	@sh tools/deps.sh fuzz
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk run

eval: all
	@sh tools/eval.sh $(BUILD)/storyfold

bench: all
	@$(MAKE) --no-print-directory -C bench

# The service in a real browser (headless Chromium; tools/deps.sh e2e
# installs it and tests/e2e's npm packages).
e2e: all
	@sh tools/deps.sh e2e
	@sh tests/e2e/run.sh $(BUILD)

# Load and kill -9 tests of the service (loopback only, bounded in time).
load: all
	@python3 tests/load/load.py $(BUILD)/storyfold

# Installs the command, the library, its header, a pkg-config file and the
# manual page under $(DESTDIR)$(PREFIX).
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
VERSION := $(shell sed -n 's/^\#define SF_VERSION_STRING "\(.*\)"/\1/p' include/storyfold.h)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/storyfold $(DESTDIR)$(PREFIX)/bin/storyfold
	install -m 644 $(BUILD)/libstoryfold.a $(DESTDIR)$(LIBDIR)/libstoryfold.a
	install -m 644 include/storyfold.h $(DESTDIR)$(PREFIX)/include/storyfold.h
	install -m 644 docs/storyfold.1 $(DESTDIR)$(PREFIX)/share/man/man1/storyfold.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES@|$(LIB_PKGS)|' tools/storyfold.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/storyfold.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/storyfold $(DESTDIR)$(LIBDIR)/libstoryfold.a \
	    $(DESTDIR)$(PREFIX)/include/storyfold.h $(DESTDIR)$(PREFIX)/share/man/man1/storyfold.1 \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/storyfold.pc

clean:
	rm -rf build build-asan build-fuzz
