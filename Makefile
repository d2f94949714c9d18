# kdh: kdump crash-path harness.  `make` builds, `make check` runs every test.
CC      ?= gcc
PKGS    := libvirt libvirt-glib-1.0 glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 libxml-2.0 libarchive
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Iinclude $(shell pkg-config --cflags $(PKGS) check)
LDLIBS  := $(shell pkg-config --libs $(PKGS))
B       := build

# harness/ holds a folder a stage, in the order the data goes through them
# (docs/DESIGN.md), and beside them what every stage uses.
LIB_SRC  := $(filter-out harness/cli/main.c,$(wildcard harness/*.c harness/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
TEST_SRC := $(wildcard tests/test-*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(B)/tests/%)
# Shell tests (TAP) of the scripts: nothing to build.
SH_TESTS := $(wildcard tests/test-*.sh)
HEADERS  := $(wildcard include/*.h)

all: $(B)/kdh $(B)/kdh-agent

# Quiet unless V=1: the commands are the same for every file.
Q       := $(if $(V),,@)

$(B)/%.o: %.c $(HEADERS) tests/kdh-test.h
	@mkdir -p $(dir $@)
	@$(if $(Q),printf '  CC      %s\n' $@)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(B)/kdh: $(B)/harness/cli/main.o $(LIB_OBJ)
	@$(if $(Q),printf '  LD      %s\n' $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The guest agent is /init of both guest kernels: static, so the initramfs needs
# no C library for it.
$(B)/kdh-agent: guest/agent.c include/kdh-protocol.h
	@mkdir -p $(B)
	@$(if $(Q),printf '  CC      %s (static)\n' $@)
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -Os -static -Iinclude -o $@ $<

$(B)/tests/%: tests/%.c $(B)/tests/kdh-test.o $(LIB_OBJ)
	@mkdir -p $(B)/tests
	@$(if $(Q),printf '  CC      %s\n' $@)
	$(Q)$(CC) $(CFLAGS) $(shell pkg-config --cflags check) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs check)

# The libcheck suites once more, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc's runtimes) into $(B)/sanitize: a read past a
# buffer, a leak or undefined behaviour in a parser fails them.
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=undefined
SAN_TESTS  := $(TESTS:$(B)/%=$(B)/sanitize/%)
sanitize-tests:
	@CFLAGS="$(SAN_CFLAGS)" $(MAKE) --no-print-directory B=$(B)/sanitize $(SAN_TESTS)

# Unit tests: pure modules on saved real evidence (plain and sanitized), and the
# scripts' exit codes with stand-ins; no hypervisor.
check-unit: lint $(TESTS) sanitize-tests
	@scripts/run-unit-tests $(TESTS) $(SAN_TESTS) $(SH_TESTS)

# End-to-end: real guests through libvirt (needs scripts/setup first).
check-e2e: all
	@scripts/run-e2e-tests && scripts/run-nightly-tests

# The hyperv platform in the nested lab (docs/HYPERV.md): slow; check runs it
# only when the lab's image is cached, this target always.
check-hyperv: all
	@scripts/run-hyperv-tests

# The nightly HTML report drawn by Debian's chromium (scripts/report-screenshot);
# chromium is not in scripts/setup: only this target needs it. `make check` runs
# it too (scripts/run-all-tests).
check-report: all
	@scripts/check-report

# The layering rules (scripts/lint), by folder: every module in a stage's folder
# or shared, libvirt and processes each in one module, the pure stages free of
# both, every export named after its module and declared in its header.
lint:
	@scripts/lint

check: lint all $(TESTS) sanitize-tests
	@scripts/run-all-tests $(TESTS) $(SAN_TESTS) $(SH_TESTS)

$(TESTS): | $(B)/kdh

# libFuzzer on the kernel log parser (tests/fuzz-klog.c): clang with ASan and
# UBSan, the pure modules a log goes through, the samples as seeds. Runs
# FUZZ_SECONDS (default 600) on one core; what crashes it lands in
# $(B)/fuzz-klog-crashes/ and belongs in tests/fuzz/klog/ once fixed.
FUZZ_CC   ?= clang
FUZZ_SRC  := $(addprefix harness/evidence/,klog.c complaints.c analysis.c evidence.c crash.c) \
	     $(addprefix harness/judge/,foreign.c known-bugs.c verdict.c) harness/json.c
FUZZ_PKGS := glib-2.0 json-glib-1.0

$(B)/fuzz-klog: tests/fuzz-klog.c $(FUZZ_SRC) $(HEADERS)
	@mkdir -p $(B)
	@$(if $(Q),printf '  FUZZ    %s\n' $@)
	$(Q)$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Iinclude $(shell pkg-config --cflags $(FUZZ_PKGS)) \
		-o $@ tests/fuzz-klog.c $(FUZZ_SRC) $(shell pkg-config --libs $(FUZZ_PKGS))

fuzz-klog: $(B)/fuzz-klog
	@mkdir -p $(B)/fuzz-klog-corpus $(B)/fuzz-klog-crashes
	@cp tests/data/foreign-*.log tests/data/console-*.log tests/data/vmcore-dmesg-*.txt \
		tests/fuzz/klog/* $(B)/fuzz-klog-corpus/
	$(B)/fuzz-klog -max_total_time=$${FUZZ_SECONDS:-600} -max_len=$${FUZZ_MAX_LEN:-65536} -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix=$(B)/fuzz-klog-crashes/ \
		-print_final_stats=1 $(B)/fuzz-klog-corpus

# libFuzzer on the other parsers of outside input (tests/fuzz-inputs.c):
# scenario and matrix files, night.json, summary.json, crash's output, the
# agent's protocol; the first byte of an input picks the parser. As fuzz-klog.
FUZZ_INPUTS_SRC := $(addprefix harness/scenario/,config.c matrix.c) \
		   $(addprefix harness/report/,night.c report.c tally.c) \
		   harness/error.c harness/json.c harness/judge/verdict.c \
		   $(addprefix harness/evidence/,crash.c analysis.c klog.c complaints.c evidence.c)

$(B)/fuzz-inputs: tests/fuzz-inputs.c $(FUZZ_INPUTS_SRC) $(HEADERS)
	@mkdir -p $(B)
	@$(if $(Q),printf '  FUZZ    %s\n' $@)
	$(Q)$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Iinclude $(shell pkg-config --cflags $(FUZZ_PKGS)) \
		-o $@ tests/fuzz-inputs.c $(FUZZ_INPUTS_SRC) $(shell pkg-config --libs $(FUZZ_PKGS))

fuzz-inputs: $(B)/fuzz-inputs
	@mkdir -p $(B)/fuzz-inputs-corpus $(B)/fuzz-inputs-crashes
	@cp tests/fuzz/inputs/* $(B)/fuzz-inputs-corpus/
	$(B)/fuzz-inputs -max_total_time=$${FUZZ_SECONDS:-600} -max_len=$${FUZZ_MAX_LEN:-16384} -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix=$(B)/fuzz-inputs-crashes/ \
		-print_final_stats=1 $(B)/fuzz-inputs-corpus

clean:
	rm -rf $(B)

.PHONY: all check check-unit lint sanitize-tests check-e2e check-hyperv check-report clean fuzz-klog fuzz-inputs

# git bisect end to end on a planted regression: scripts/plant-regression makes
# a small history on Debian's 6.1 source with one commit that breaks kdump, and
# scripts/bisect must name exactly that commit. Slow (a kernel build and a guest
# run per step, an hour or more the first time): not part of `make check`.
check-bisect: all
	@set -u; \
	planted=$$(scripts/plant-regression) || { echo "check-bisect: plant-regression failed"; exit 1; }; \
	tree=$$(printf '%s\n' "$$planted" | sed -n 's/^tree //p'); \
	good=$$(printf '%s\n' "$$planted" | sed -n 's/^good //p'); \
	bad=$$(printf '%s\n' "$$planted" | sed -n 's/^bad //p'); \
	culprit=$$(printf '%s\n' "$$planted" | sed -n 's/^planted //p'); \
	rc=0; report=$$(scripts/bisect --tree "$$tree" --good "$$good" --bad "$$bad" nmi-all-vcpus) || rc=$$?; \
	found=$$(jq -r '.first_bad.commit // "none"' "$$report/report.json" 2>/dev/null) || found=none; \
	if [ "$$rc" -eq 0 ] && [ "$$found" = "$$culprit" ] && \
	   grep -q "^First bad commit: \`$$culprit\`" "$$report/report.md"; then \
		echo "check-bisect: found the planted $$culprit ($$report/report.md)"; \
		echo "check-bisect: 1 passed, 0 failed"; \
	else \
		echo "check-bisect: planted $$culprit, bisect exit $$rc, report names $$found ($$report)"; \
		echo "check-bisect: 0 passed, 1 failed"; exit 1; \
	fi

.PHONY: check-bisect

# The seed's bug for real (issue 14): scripts/check-seed builds Debian's 6.1
# source without both 2016 fixes and with the founding fix restored
# (guest-kernel-config/patches/), runs hyperv-nmi-all-vcpus KDH_SEED_RUNS (6)
# times on each in the nested lab, and checks that without the fixes every
# panic off the VMBus connect CPU fails with vmbus-unload-incomplete and every
# one on it passes, and that with the founding fix every run passes. Slow (two
# kernel builds and a dozen nested runs): not part of `make check`.
check-seed: all
	@scripts/check-seed

.PHONY: check-seed

# git bisect on the seed's bug (issue 14): scripts/check-bisect-hyperv plants
# a history on Debian's 6.1 source whose base has both 2016 fixes undone and in
# which one commit registers hv_nmi_unknown() again (plant-regression --recipe
# hyperv-nmi-fix); scripts/bisect --broken --fixed, each step running
# hyperv-nmi-all-vcpus in the nested lab until a panic off the VMBus connect
# CPU, must name exactly that commit. Slow (a kernel build and a few nested
# runs per step): not part of `make check`.
check-bisect-hyperv: all
	@scripts/check-bisect-hyperv

.PHONY: check-bisect-hyperv
.SECONDARY: $(B)/tests/kdh-test.o
