# kdh: kdump crash-path harness.  `make` builds, `make check` runs every test.
CC      ?= gcc
PKGS    := libvirt libvirt-glib-1.0 glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 libxml-2.0 libarchive
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Iinclude $(shell pkg-config --cflags $(PKGS))
LDLIBS  := $(shell pkg-config --libs $(PKGS))
B       := build

LIB_SRC  := $(filter-out harness/main.c,$(wildcard harness/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
TEST_SRC := $(wildcard tests/test-*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(B)/tests/%)
HEADERS  := $(wildcard include/*.h)

all: $(B)/kdh $(B)/kdh-agent

$(B)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/kdh: $(B)/harness/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The guest agent is /init of both guest kernels: static, so the initramfs needs
# no C library for it.
$(B)/kdh-agent: guest/agent.c include/kdh-protocol.h
	@mkdir -p $(B)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Os -static -Iinclude -o $@ $<

$(B)/tests/%: tests/%.c $(LIB_OBJ)
	@mkdir -p $(B)/tests
	$(CC) $(CFLAGS) $(shell pkg-config --cflags check) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs check)

# Unit tests: pure modules on saved real evidence, no hypervisor.
check-unit: $(TESTS)
	@scripts/run-unit-tests $(TESTS)

# End-to-end: real guests through libvirt (needs scripts/setup first).
check-e2e: all
	@scripts/run-e2e-tests

check: all
	@scripts/run-all-tests $(TESTS)

$(TESTS): | $(B)/kdh

clean:
	rm -rf $(B)

.PHONY: all check check-unit check-e2e clean
