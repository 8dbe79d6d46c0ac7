# Make rules that compile probe files with nubpfc. In a Makefile:
#
#   include $(NUBPF_PREFIX)/share/nubpf/nubpf.mk
#   probe.bpf.o probe.skel.h: NUBPFCFLAGS += --max-strlen 128
#
# `%.bpf.o` is the object for nubpf-run, `%.skel.h` the skeleton header
# for C++ programs. Each rule writes a depfile next to its output, which
# the last line includes, so a change to a `use`d module, the kernel BTF
# or a tracepoint format rebuilds the probes that read it.

NUBPFC ?= nubpfc
NUBPFCFLAGS ?=

%.bpf.o: %.nu
	$(NUBPFC) $< -o $@ -MD -MP -MF $@.d $(NUBPFCFLAGS)

%.skel.h: %.nu
	$(NUBPFC) $< --emit skeleton -o $@ -MD -MP -MF $@.d $(NUBPFCFLAGS)

# The depfiles define rules, and the first rule a Makefile reads becomes
# its default goal; restoring .DEFAULT_GOAL (empty when this file comes
# first) leaves that choice to the including Makefile.
nubpf_saved_goal := $(.DEFAULT_GOAL)
-include $(wildcard *.bpf.o.d *.skel.h.d)
.DEFAULT_GOAL := $(nubpf_saved_goal)
