# clusterp — build, test, install.  `make -j` is safe; `make test` and
# `make demo` install the Debian packages they need first (`make deps`).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
COMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR ?=

CXX      ?= g++
CXXFLAGS ?= -O2 -g
# CPPFLAGS and LDFLAGS as GNU make's conventions have them: empty here,
# dpkg-buildflags' hardening flags in the Debian package (make deb).
# Warnings are errors in every build made from this Makefile (the test build
# included); pass WERROR= to relax that for an experimental compiler.
WERROR   ?= -Werror
# GCC 12 reports false maybe-uninitialized warnings in libstdc++ (std::regex)
# under the sanitizers, so that one warning is off in the sanitizer build.
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-maybe-uninitialized

# BUILD holds objects and binaries; the sanitizer build lives beside the
# normal one so that both can exist at once (`make san`).
BUILD ?= build
# Parallel jobs for the builds that test and demo start themselves.
JOBS ?= $(shell nproc)
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra $(WERROR) -Ilib -I$(BUILD)/gen -MMD -MP $(CPPFLAGS) $(CXXFLAGS) $(EXTRA_CXXFLAGS)
LDLIBS = -lssh2 -lyaml-cpp -lz -lpthread

LIB_SRCS  = $(wildcard lib/*/*.cpp lib/*/*/*.cpp)
LIB_OBJS  = $(LIB_SRCS:%.cpp=$(BUILD)/%.o) $(BUILD)/gen/config_template.o
TOOLS     = $(patsubst tools/%.cpp,$(BUILD)/bin/%,$(wildcard tools/*.cpp))
# Command-line drivers of library modules for the bats suites, one binary
# each, and the one binary of in-process unit tests (tests/unit/README).
DRIVERS   = $(patsubst tests/drivers/%.cpp,$(BUILD)/tests/%,$(wildcard tests/drivers/*.cpp))
UNIT_OBJS = $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard tests/unit/*.cpp))
UNITS     = $(DRIVERS) $(BUILD)/tests/unit-tests
MANPAGES  = $(wildcard man/*.1 man/*.5)
# Written once, where `clusterp --version` takes it from; debian/changelog
# names the same one (debian/rules checks, as does tests/fast/install.bats).
VERSION  := $(shell sed -n 's/.*k_version = "\(.*\)";/\1/p' lib/base/version.hpp)

# Debian packages: to build and run, to run the tests, to run the benchmarks,
# to fuzz.
DEPS_BUILD = g++ make libssh2-1-dev libyaml-cpp-dev libcxxopts-dev libfast-float-dev doctest-dev zlib1g-dev
DEPS_RUN   = gnuplot-nox sysstat man-db bash-completion
DEPS_TEST  = bats bats-support bats-assert openssh-server openssh-client openssl socat lxcfs \
             iproute2 procps util-linux groff-base python3 libxml2-utils chromium \
             slurmctld slurmd slurm-client munge
DEPS_BENCH = pdsh clustershell python3-pandas python3-matplotlib hyperfine time
DEPS_FUZZ  = clang
# To build the Debian package (make deb) and check it (lintian).  No
# fakeroot: debian/control says Rules-Requires-Root: no.
DEPS_DEB   = build-essential debhelper dpkg-dev lintian

.PHONY: all tools test san fuzz bench demo demo-cluster deps deps-bench deps-deb deb install uninstall clean check units
.DELETE_ON_ERROR:
.SECONDARY:

all: $(TOOLS) $(UNITS)

# The installed binaries alone, without the test drivers and unit tests.
tools: $(TOOLS)

# Made afresh: `ar r` keeps members whose source is gone (a moved module
# would then be defined twice).
$(BUILD)/libclusterp.a: $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(BUILD)/libclusterp.a
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

# clusterp-parse is made of the layers base, model and parse alone: linked
# from their objects, it shows that it needs no other, and the sanitizer
# build (san) compiles only those.
PARSE_OBJS = $(filter $(BUILD)/lib/base/% $(BUILD)/lib/model/% $(BUILD)/lib/parse/% $(BUILD)/gen/%,$(LIB_OBJS))
$(BUILD)/bin/clusterp-parse: $(BUILD)/tools/clusterp-parse.o $(PARSE_OBJS)
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

# clusterp-report likewise from base, model, report and page (it rebuilds
# the run page), never plot: page stands above plot and report, so that
# neither reaches into the other.
REPORT_OBJS = $(filter $(BUILD)/lib/base/% $(BUILD)/lib/model/% $(BUILD)/lib/report/% $(BUILD)/lib/page/% $(BUILD)/gen/%,$(LIB_OBJS))
$(BUILD)/bin/clusterp-report: $(BUILD)/tools/clusterp-report.o $(REPORT_OBJS)
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/unit-tests: $(UNIT_OBJS) $(BUILD)/libclusterp.a
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/drivers/%.o $(BUILD)/libclusterp.a
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

# The config template is compiled into the library, so that `clusterp init`
# works from the build tree and after install alike.
$(BUILD)/gen/config_template.cpp: share/clusterp/config.yml
	@mkdir -p $(@D)
	{ printf 'namespace clusterp {\nextern const char k_config_template[] = R"CLUSTERP_YML('; \
	  cat $<; printf ')CLUSTERP_YML";\n}\n'; } > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.cpp
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

units: $(UNITS)

# `make -s print-VAR` prints a variable: tests/fast/tools.bats takes the
# tools and the man pages from here.
print-%:
	@echo $($*)

deps:
	@tests/lib/install-deps $(DEPS_BUILD) $(DEPS_RUN) $(DEPS_TEST) $(DEPS_DEB)

deps-deb:
	@tests/lib/install-deps $(DEPS_BUILD) $(DEPS_DEB)

deps-bench: deps
	@tests/lib/install-deps $(DEPS_BENCH)

# The whole suite: the bats files of tests/fast/ and tests/cluster/ (the
# latter start a cluster of real sshd nodes, as root); the last line is
# `N passed, M failed`.
test: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) -j$(JOBS) san
	tests/run

# The fast suites only (tests/fast/): no root, no cluster, no package
# installed beyond those to build and run; same last line.  Two suites per
# core: they mostly wait (sadc's interval, a job's sleep), about 65 CPU-s
# in 350 s of suite time.
check:
	$(MAKE) -j$(JOBS) all
	CLUSTERP_TEST_JOBS=$$((2 * $(JOBS))) tests/run tests/fast

# Binaries built with AddressSanitizer and UBSan, in build-san/: those the
# suites run so (tests/fast/parse-san: clusterp-parse, a quarter of the
# compiling of them all); `make san SAN_GOALS=all` builds every one, for a
# suite run with CLUSTERP_BIN=build-san/bin CLUSTERP_UNIT_BIN=build-san/tests.
SAN_GOALS ?= build-san/bin/clusterp-parse
san:
	$(MAKE) BUILD=build-san EXTRA_CXXFLAGS="$(SAN_FLAGS)" $(SAN_GOALS)

fuzz: deps
	@tests/lib/install-deps $(DEPS_FUZZ)
	$(MAKE) -f tests/fuzz/Makefile

bench: deps-bench all
	bench/run

demo: deps
	$(MAKE) -j$(JOBS) all
	examples/demo.sh

demo-cluster: deps
	$(MAKE) -j$(JOBS) all
	examples/demo-cluster.sh

install: tools
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DATADIR)/clusterp
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(filter %.1,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(filter %.5,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 share/clusterp/* $(DESTDIR)$(DATADIR)/clusterp/
	install -d $(DESTDIR)$(COMPDIR)
	install -m 644 share/bash-completion/clusterp $(DESTDIR)$(COMPDIR)/clusterp
	# bash-completion loads a file by command name: one link per tool.
	for tool in $(filter-out clusterp,$(notdir $(TOOLS))); do ln -sf clusterp $(DESTDIR)$(COMPDIR)/$$tool; done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(TOOLS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANPAGES))))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(filter %.5,$(MANPAGES))))
	rm -rf $(DESTDIR)$(DATADIR)/clusterp
	rm -f $(addprefix $(DESTDIR)$(COMPDIR)/,$(notdir $(TOOLS)))

# The Debian package, clusterp_$(VERSION)_ARCH.deb in DEB_OUT (debian/ says
# how).  dpkg-buildpackage builds it in DEB_WORK, in a copy of the files git
# knows (tracked, or new and not ignored, as they are in the work tree): not
# build/, nor a .deb made before.  lintian checks the .deb and the .changes:
# an error or a warning fails the build (an override in debian/ would say
# why a warning stays).  MAKEFLAGS is dropped so that no variable given to this
# make (BUILD=, CXX=...) reaches the package's build.  DEB_BUILD_OPTIONS
# passes through (nocheck, parallel=N, ...).
DEB_WORK ?= $(BUILD)/deb
DEB_OUT  ?= .
deb: deps-deb
	rm -rf $(DEB_WORK)
	mkdir -p $(DEB_WORK)/clusterp-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(DEB_WORK)/clusterp-$(VERSION)
	cd $(DEB_WORK)/clusterp-$(VERSION) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    dpkg-buildpackage -b -us -uc --jobs-try=$(JOBS) \
	    --check-command=lintian --check-option=--fail-on=error,warning
	cp $(DEB_WORK)/clusterp_$(VERSION)_$$(dpkg --print-architecture).deb $(DEB_OUT)/

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
