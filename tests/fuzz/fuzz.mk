# tests/fuzz/fuzz.mk — libFuzzer targets, one per tests/fuzz/fuzz_*.c.
#
#   make -f tests/fuzz/fuzz.mk               build every target into build-fuzz/
#   make -f tests/fuzz/fuzz.mk run           run each for FUZZ_SECONDS (default 60)
#   make -f tests/fuzz/fuzz.mk run-fuzz_X    run one target
#   FUZZ_SEED=1 FUZZ_RUNS=20000 ...          a reproducible run (CI uses one)
#
# A target tests/fuzz/fuzz_X.c defines LLVMFuzzerTestOneInput and links
# against the whole library built with ASan + UBSan. Its run starts from a
# seed corpus: tests/fuzz/seeds/fuzz_X/ if that folder exists, else
# tests/data/input (plus FUZZ_MORE_fuzz_X when set); new inputs go to build-fuzz/corpus/fuzz_X/, crashes to
# build-fuzz/crashes/. tests/fuzz/fuzz_X.dict, if present, is its dictionary.
# Needs clang with libFuzzer (Debian: clang libclang-rt-14-dev).

CLANG        ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
PKGS         := libutf8proc jansson libxxhash
SAN          := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -g -O1 -fno-omit-frame-pointer $(SAN) -Wall -Wextra \
                -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread

LIB_SRC  := $(sort $(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen_data.o
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
DATA     := $(shell find data -type f 2>/dev/null | sort)

# fuzz_clean starts from its glued-code pages and the reader's inputs.
FUZZ_MORE_fuzz_clean := tests/data/input

.PHONY: all run $(FUZZ_BIN:$(FUZZ_BUILD)/%=run-%)

all: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: src/%.c include/storyfold.h $(wildcard src/*.h) | $(FUZZ_BUILD)/obj
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/gen/gen_data.c: tools/embed.py $(DATA) | $(FUZZ_BUILD)/gen
	python3 tools/embed.py data $@

$(FUZZ_BUILD)/obj/gen_data.o: $(FUZZ_BUILD)/gen/gen_data.c src/data.h | $(FUZZ_BUILD)/obj
	$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libstoryfold.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libstoryfold.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libstoryfold.a \
	    $(FUZZ_LDLIBS) -o $@

$(FUZZ_BUILD)/obj $(FUZZ_BUILD)/gen:
	mkdir -p $@

run: $(FUZZ_BIN:$(FUZZ_BUILD)/%=run-%)

# -max_len lets the fuzzer grow inputs past the usual 4 KiB; -timeout flags
# inputs that take more than 10 s as hangs.
$(FUZZ_BIN:$(FUZZ_BUILD)/%=run-%): run-%: $(FUZZ_BUILD)/%
	mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/crashes
	$(FUZZ_BUILD)/$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -max_len=65536 \
	    $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS)) \
	    $(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
	    -artifact_prefix=$(FUZZ_BUILD)/crashes/$*- \
	    $(if $(wildcard tests/fuzz/$*.dict),-dict=tests/fuzz/$*.dict) \
	    $(FUZZ_BUILD)/corpus/$* \
	    $(if $(wildcard tests/fuzz/seeds/$*),tests/fuzz/seeds/$*,tests/data/input) \
	    $(FUZZ_MORE_$*)
