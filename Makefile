# colead - build, run and test.  GNU make.
#
#   make            build build/colead
#   make run        install what is missing, build, serve the demo convention
#   make test       install what is missing, build, run every test
#   make SANITIZE=1 test   the same, built with ASan and UBSan (in build-san/)
#   make deps       install the Debian and npm packages the build and tests need

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD ?= build-san
else
BUILD ?= build
endif

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libmicrohttpd sqlite3 libpq libsodium jansson zlib md4c-html libxml-2.0 \
	libical xlsxwriter libqrencode libcurl

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wcast-qual -Wvla -Wwrite-strings -Wformat=2 \
	-Wimplicit-fallthrough -fno-common -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fstack-protector-strong \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
else
ALL_CFLAGS += -D_FORTIFY_SOURCE=2
endif

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
HDR := $(shell find src -name '*.h')
TEST_HDR := $(wildcard tests/*/*.h)
OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)

SQL := $(sort $(wildcard sql/*.sql))
DATA := $(sort $(wildcard data/*))
TEMPLATES := $(shell find src/views/templates -name '*.mustache' | sort)
STATIC := $(shell find static -type f | sort)
VENDOR := node_modules/@picocss/pico/css/pico.min.css=vendor/pico.min.css \
	node_modules/htmx.org/dist/htmx.min.js=vendor/htmx.min.js
GEN := $(BUILD)/gen/embed_sql.c $(BUILD)/gen/embed_templates.c $(BUILD)/gen/embed_static.c \
	$(BUILD)/gen/embed_data.c
GEN_OBJ := $(GEN:%.c=%.o)

UNIT_SRC := $(sort $(wildcard tests/unit/t_*.c) $(wildcard tests/db/t_*.c))
UNIT_BIN := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all run test deps check-unit clean demo bench fmt
all: $(BUILD)/colead

$(BUILD)/obj/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/embed_sql.c: $(BUILD)/embed $(SQL)
	@mkdir -p $(dir $@)
	$(BUILD)/embed embed_sql $@ $(foreach f,$(SQL),$(f:sql/%=%)=$(f))

$(BUILD)/gen/embed_data.c: $(BUILD)/embed $(DATA)
	@mkdir -p $(dir $@)
	$(BUILD)/embed embed_data $@ $(foreach f,$(DATA),$(f:data/%=%)=$(f))

$(BUILD)/gen/embed_templates.c: $(BUILD)/embed $(TEMPLATES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed embed_templates $@ $(foreach f,$(TEMPLATES),$(patsubst src/views/templates/%.mustache,%,$(f))=$(f))

$(BUILD)/gen/embed_static.c: $(BUILD)/embed $(STATIC) $(foreach v,$(VENDOR),$(firstword $(subst =, ,$(v))))
	@mkdir -p $(dir $@)
	$(BUILD)/embed embed_static $@ $(foreach f,$(STATIC),$(f:static/%=%)=$(f)) \
		$(foreach v,$(VENDOR),$(lastword $(subst =, ,$(v)))=$(firstword $(subst =, ,$(v))))

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) -std=c11 -O1 -c -o $@ $<

$(BUILD)/libcolead.a: $(OBJ) $(GEN_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/colead: $(BUILD)/obj/src/main.o $(BUILD)/libcolead.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit and store tests: one cmocka program per file.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libcolead.a $(HDR) $(TEST_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(shell $(PKG_CONFIG) --cflags cmocka) \
		-DSHARED_DIR='"$(abspath ../shared)"' -o $@ $< $(BUILD)/libcolead.a \
		$(LDFLAGS) $(LDLIBS) $(shell $(PKG_CONFIG) --libs cmocka)

check-unit: $(UNIT_BIN)

deps:
	@tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/colead demo --db sqlite:colead.db --listen 127.0.0.1:8080 --keep

test: deps
	@$(MAKE) --no-print-directory all check-unit
	@BUILD=$(BUILD) tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh
	bench/agenda.sh
	bench/import.sh

clean:
	rm -rf build build-san build-tsan

# ThreadSanitizer -----------------------------------------------------------
# `make tsan` builds the library and the live hub's unit tests (t_sse: the
# hub's thread, its two senders and the subscribers' readers, over socket
# pairs) with ThreadSanitizer in build-tsan/ and runs them TSAN_RUNS times;
# a data race, freeing under another thread included, fails it.  CI runs
# it (.ci/run).
TSAN_BUILD := build-tsan
TSAN_RUNS ?= 5
TSAN_TESTS := t_sse

.PHONY: tsan
tsan:
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) CFLAGS='-O1 -g -fsanitize=thread' \
		LDFLAGS='-fsanitize=thread' $(TSAN_TESTS:%=$(TSAN_BUILD)/tests/unit/%)
	@set -e; for t in $(TSAN_TESTS); do \
		for i in $$(seq $(TSAN_RUNS)); do \
			TSAN_OPTIONS='halt_on_error=1 exitcode=66' $(TSAN_BUILD)/tests/unit/$$t \
				>$(TSAN_BUILD)/$$t.log 2>&1 || { cat $(TSAN_BUILD)/$$t.log; exit 1; }; \
		done; \
		echo "tsan $$t: $(TSAN_RUNS) runs, no data race"; \
	done

# fuzzing -------------------------------------------------------------------
# tests/fuzz/fuzz_*.c are libFuzzer drivers (what each checks: see
# docs/security.md).  `make fuzz` builds the library with clang under
# libFuzzer, ASan and UBSan (in build-fuzz/) and runs each driver for
# FUZZ_SECONDS on its seeds (tests/fuzz/<driver>/seeds), keeping what it
# learns in build-fuzz/corpus/<driver>; a crash is written to
# tests/fuzz/<driver>/regress/ and fails the run.  `make fuzz-replay`
# builds each driver as a plain program (tests/fuzz/replay.c's main) and
# feeds it every seed and regression file once; `make test` does the same
# (tests/run.sh, stage "fuzz").
FUZZ_SECONDS ?= 10
FUZZ_DRIVERS := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BUILD := build-fuzz
FUZZ_REPLAY_BIN := $(FUZZ_DRIVERS:%=$(BUILD)/fuzz/%) $(BUILD)/fuzz/bench_markdown

.PHONY: fuzz fuzz-build fuzz-replay fuzz-clean
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libcolead.a $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libcolead.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/fuzz/bench_markdown: tests/fuzz/bench_markdown.c $(BUILD)/libcolead.a $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcolead.a $(LDFLAGS) $(LDLIBS)

check-unit: $(FUZZ_REPLAY_BIN)

fuzz-replay: $(FUZZ_REPLAY_BIN)
	@set -e; for d in $(FUZZ_DRIVERS); do \
		$(BUILD)/fuzz/$$d tests/fuzz/$$d/seeds tests/fuzz/$$d/regress; \
	done
	$(BUILD)/fuzz/bench_markdown

fuzz-build:
	@$(MAKE) --no-print-directory CC=clang SANITIZE=1 BUILD=$(FUZZ_BUILD) \
		CFLAGS='-O1 -g -fsanitize=fuzzer-no-link -Wno-error' $(FUZZ_BUILD)/libcolead.a
	@# -Wno-error: the gcc and clang builds judge warnings; fuzzing must not stop on them.
	@set -e; for d in $(FUZZ_DRIVERS); do \
		if [ ! $(FUZZ_BUILD)/fuzz/$$d -nt tests/fuzz/$$d.c ] || \
		   [ ! $(FUZZ_BUILD)/fuzz/$$d -nt $(FUZZ_BUILD)/libcolead.a ]; then \
			mkdir -p $(FUZZ_BUILD)/fuzz; echo "clang $$d"; \
			clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
				-fno-sanitize-recover=all $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) \
				-o $(FUZZ_BUILD)/fuzz/$$d tests/fuzz/$$d.c \
				$(FUZZ_BUILD)/libcolead.a $(LDLIBS); \
		fi; \
	done

fuzz:
	@$(MAKE) --no-print-directory fuzz-build
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_DRIVERS)
clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
# end of fuzzing ------------------------------------------------------------
