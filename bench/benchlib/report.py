"""Writes docs/benchmarks.md from the results of one run."""

import re
import textwrap

from .findings import CAUSES, NEXT_WORK
from .stats import median, ratio
from .targets import added_ns, evaluate, highest_lossless_rate
from .tools import PROGRAMS, TOOL_NAMES, TOOLS

COLUMNS = " | ".join(TOOL_NAMES[tool] for tool in TOOLS)


def times(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}×"


def number(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def load_numbers(uptime_line):
    match = re.search(r"load average: (.*)$", uptime_line)
    return match.group(1) if match else uptime_line


def section_header(results):
    machine = results["machine"]
    versions = results["versions"]
    minutes = results["total_seconds"] / 60
    busy = any(float(load_numbers(results[key]).split(",")[0]) > 1.0
               for key in ("load_at_start", "load_at_end"))
    lines = [
        "# Benchmarks",
        "",
        "nubpf compared with bpftrace and with hand-written libbpf C (\"the floor\"), on six",
        "programs that each is written in three ways, in `bench/programs/`. `make bench`",
        "(`bench/run.py`) measures, and wrote this page, from one run:",
        "",
        f"- date: {results['date']}; the run took {minutes:.1f} minutes",
        f"- machine: {machine['cpu']}, {machine['cores']} cores, Linux {machine['kernel']}",
        f"- load average (1, 5, 15 min) at the start: {load_numbers(results['load_at_start'])}; "
        f"at the end: {load_numbers(results['load_at_end'])}",
    ]
    if results.get("quick"):
        lines.append("- a `--quick` run, one repetition of each measurement, for trying the "
                     "harness out: its numbers and results are not measurements")
    if busy:
        lines.append("- other developers were building and testing on the same cores during the run, "
                     "so absolute times are noisy; the ratios come from runs taken in turn, "
                     "so each tool saw the same load")
    lines += ["", "Versions:", ""]
    lines += [f"- {name}: {version}" for name, version in versions.items()]
    return "\n".join(lines)


def section_targets(targets):
    rows = [[t["measurement"], t["target"], times(t["ratio"]), "met" if t["met"] else "**missed**"] for t in targets]
    return "\n".join([
        "## Targets",
        "",
        "Each ratio is the worst program's ratio of medians, so a target is met when",
        "every program meets it; the sections below give every program's numbers.",
        "",
        table(["measurement", "target", "measured", "result"], rows),
    ])


def tool_medians(samples_by_tool, key):
    """Returns each tool's median of KEY over its samples of one program."""
    return {tool: median(sample[key] for sample in samples_by_tool[tool]) for tool in TOOLS}


def section_compile(results):
    samples = results["compile"]
    rows = []
    for program in PROGRAMS:
        seconds = tool_medians(samples[program], "seconds")
        rss = tool_medians(samples[program], "max_rss_kib")
        rows.append([f"`{program}`"]
                    + [number(seconds[tool] * 1000, 0) for tool in TOOLS]
                    + [times(ratio(seconds["nubpf"], seconds["c"])), times(ratio(seconds["bpftrace"], seconds["c"]))]
                    + [mib(rss[tool]) for tool in TOOLS]
                    + [times(ratio(rss["nubpf"], rss["c"]))])
    header = (["program"] + [f"{TOOL_NAMES[t]} ms" for t in TOOLS] + ["nubpf / C", "bpftrace / C"]
              + [f"{TOOL_NAMES[t]} MiB" for t in TOOLS] + ["RSS nubpf / C"])
    crosscheck = results["hyperfine"]
    return "\n".join([
        "## Compile time and peak memory",
        "",
        f"Medians of {results['settings']['compile_repetitions']} runs each. C is",
        "`clang-19 -O2 -g -target bpf` on the `.bpf.c` file with a `vmlinux.h` that",
        "`bpftool btf dump` writes at bench time"
        + (f" ({results['vmlinux_h_bytes'] / 1e6:.1f} MB, which clang parses for every program)"
           if "vmlinux_h_bytes" in results else "")
        + ". nubpf is `nubpfc FILE.nu -o FILE.o`, and",
        "bpftrace is `bpftrace --emit-elf FILE.o FILE.bt`, which bpftrace 0.17 has.",
        "Peak memory is the compiler's maximum resident set size as GNU time reports",
        "it (`/usr/bin/time -f %M`, the number that `/usr/bin/time -v` prints).",
        "",
        table(header, rows),
        "",
        "hyperfine cannot take turns between commands, so the harness times the runs",
        f"itself. hyperfine's medians for `{'getppid_comm'}`, for comparison: "
        + ", ".join(f"{TOOL_NAMES[t]} {crosscheck[t] * 1000:.0f} ms" for t in TOOLS) + ".",
    ])


def section_startup(results):
    samples = results["startup"]
    rows = []
    for program in PROGRAMS:
        attach = tool_medians(samples[program], "attach_seconds")
        total = tool_medians(samples[program], "total_seconds")
        rss = tool_medians(samples[program], "max_rss_kib")
        rows.append([f"`{program}`"]
                    + [number(attach[t] * 1000) for t in TOOLS]
                    + [times(ratio(attach["nubpf"], attach["c"])), times(ratio(attach["nubpf"], attach["bpftrace"]))]
                    + [number(total[t] * 1000) for t in TOOLS]
                    + [mib(rss[t]) for t in TOOLS]
                    + [times(ratio(rss["nubpf"], rss["c"]))])
    header = (["program"] + [f"{TOOL_NAMES[t]} attached, ms" for t in TOOLS] + ["nubpf / C", "nubpf / bpftrace"]
              + [f"{TOOL_NAMES[t]} whole run, ms" for t in TOOLS] + [f"{TOOL_NAMES[t]} MiB" for t in TOOLS]
              + ["RSS nubpf / C"])
    return "\n".join([
        "## Start-up",
        "",
        f"Medians of {results['settings']['startup_repetitions']} runs each. \"Attached\" is the time from",
        "starting the command until every probe is attached. nubpf-run and the C loader",
        "print `attached N probes` on stderr after attaching, and the harness notes",
        "when the line arrives. bpftrace prints `Attaching N probes...` before it loads",
        "and attaches them, so for bpftrace the harness polls `bpftool perf` until it",
        "lists a program attached by bpftrace's pid, which adds up to about 10 ms.",
        "The whole run goes on until the tracer has exited: nubpf-run",
        "and bpftrace get SIGINT once attached, and the C loader runs with",
        "`--exit-after-attach`. Most of the whole run comes after attaching, in the",
        "kernel: under `strace -T`, closing the BPF link of the C loader's tracepoint",
        "program took 75 to 95 ms, and every tool detaches its probes the same way.",
        "Peak memory is the tracer's maximum resident set size.",
        "nubpf and C load an object compiled beforehand, and bpftrace compiles the",
        "script as it starts, as bpftrace runs.",
        "",
        table(header, rows),
    ])


def section_codesize(results):
    codesize = results["codesize"]
    rows = []
    for program in PROGRAMS:
        counts = {t: codesize[program][t]["instructions"] for t in TOOLS}
        rows.append([f"`{program}`"] + [counts[t] for t in TOOLS]
                    + [times(ratio(counts["nubpf"], counts["c"])), times(ratio(counts["bpftrace"], counts["c"]))])
    return "\n".join([
        "## Code size",
        "",
        "BPF instructions after loading: `bytes_xlated` of `bpftool prog show` over 8,",
        "summed over the programs that the tracer's process holds (found through its",
        "file descriptors and `bpftool perf`), read while the probes are attached. A",
        "64-bit immediate load counts as two. The listings (`bpftool prog dump xlated`)",
        "are in `build/bench/xlated/` after a run.",
        "",
        table(["program"] + [TOOL_NAMES[t] for t in TOOLS] + ["nubpf / C", "bpftrace / C"], rows),
    ])


def section_overhead(results):
    samples = results["overhead"]
    settings = results["settings"]
    rows = []
    for program in samples:
        added = {t: added_ns(samples, program, t) for t in TOOLS}
        rows.append([f"`{program}`", number(median(samples[program]["none"]))]
                    + [number(added[t]) for t in TOOLS]
                    + [times(ratio(added["nubpf"], added["c"])), times(ratio(added["nubpf"], added["bpftrace"]))])
    header = ["program", "no tracer, ns per call"] + [f"{TOOL_NAMES[t]} adds, ns" for t in TOOLS] + [
        "nubpf / C", "nubpf / bpftrace"]
    return "\n".join([
        "## Per-event overhead",
        "",
        "The workload (`bench/workload/bench_getppid.c`) calls getppid(2)",
        f"{settings['overhead_calls']:,} times in a tight loop, or for {settings['overhead_max_seconds']:g} s if that ends first,",
        "pinned to the last CPU. Each of",
        f"{settings['overhead_repetitions']} repetitions times it with no tracer and then under each tracer in",
        f"turn, {settings['overhead_runs_per_setting']} workload runs per setting (median). \"Adds\" is the",
        "median over repetitions of the time per call under the tracer minus the time",
        "with no tracer in the same repetition. Tracers write their output to",
        "/dev/null, and their user-space work runs on the same 2 cores.",
        "",
        table(header, rows),
    ])


def section_throughput(results):
    throughput = results["throughput"]
    settings = results["settings"]
    rows = []
    for tool in TOOLS:
        lossless = highest_lossless_rate(throughput, tool)
        full = throughput["max"][tool]
        offered = median(s["offered_per_second"] for s in full)
        delivered = median(s["delivered_per_second"] for s in full)
        missing = median(s["missing"] / s["calls"] for s in full)
        reported = median(s["reported_lost"] / s["calls"] for s in full)
        rows.append([TOOL_NAMES[tool], number(lossless, 0), number(offered, 0), number(delivered, 0),
                     f"{missing * 100:.1f} %", f"{reported * 100:.1f} %"])
    header = ["tracer", "highest rate without loss, records/s", "full speed: calls/s",
              "delivered/s", "lost", "lost, as the tracer reports"]
    rates = ", ".join(f"{rate:,}" for rate in throughput["rates"])
    return "\n".join([
        "## Event throughput",
        "",
        "One record per getppid call (`getppid_emit`), printed as a JSON line into a",
        "file: nubpf-run with `--format json`, bpftrace with a `printf` that writes",
        "JSON, and the C loader. The workload calls getppid at a set rate for",
        f"{settings['throughput_run_seconds']:g} s, on a ladder of rates ({rates} calls/s).",
        "A tracer leaves the ladder at its first rate with a missing record. A record",
        "is missing when the workload's call has no line in the output. The highest",
        "rate without loss is the rate that the workload reached (a tracer that slows",
        "each call down keeps it below the rate it aims at) at the highest rung without",
        f"a missing record, the median over {settings['throughput_repetitions']} repetitions.",
        f"At full speed the workload calls as fast as it can under the tracer, for",
        f"{settings['throughput_max_calls']:,} calls or {settings['throughput_max_seconds']:g} s, whichever ends first.",
        "Delivered/s is the lines printed over the workload's time.",
        "nubpf's ring buffer has its default size, 256 KiB, and the C programs use the",
        "same size. bpftrace 0.17 uses its default perf buffer of 64 pages per CPU.",
        "",
        table(header, rows),
    ])


def paragraph(text):
    return textwrap.fill(text, width=78, break_on_hyphens=False)


def section_next_work(targets):
    """Lists each missed target with its cause, then the work that
    profiling suggests, then what profiling found behind met targets."""
    missed = [t for t in targets if not t["met"]]
    lines = ["## Next work", ""]
    if not missed:
        lines += ["Every target was met in this run.", ""]
    for target in missed:
        cause = CAUSES.get(target["key"], "The cause is not found yet.")
        lines += [f"### Missed: {target['measurement']} ({times(target['ratio'])}, target {target['target']})", "",
                  paragraph(cause), ""]
    if NEXT_WORK:
        lines += ["### What to change", ""]
        lines += [textwrap.fill(item, width=78, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False) for item in NEXT_WORK]
        lines.append("")

    noted = [t for t in targets if t["met"] and t["key"] in CAUSES]
    if noted:
        lines += ["### Notes on met targets", ""]
    for target in noted:
        cause = CAUSES[target["key"]]
        lines += [paragraph(f"**{target['measurement']}** ({times(target['ratio'])}). {cause}"), ""]
    return "\n".join(lines).rstrip()


def rewrap_prose(section):
    """Rewraps the prose paragraphs of SECTION to 78 columns, leaving
    headings, lists and tables as they are."""
    blocks = section.split("\n\n")
    for i, block in enumerate(blocks):
        if not block.startswith(("#", "|", "- ", "**")):
            blocks[i] = paragraph(" ".join(block.split()))
    return "\n\n".join(blocks)


def write_report(results, path):
    targets = evaluate(results)
    sections = [
        section_header(results),
        section_targets(targets),
        section_next_work(targets),
        section_compile(results),
        section_startup(results),
        section_codesize(results),
        section_overhead(results),
        section_throughput(results),
    ]
    with open(path, "w") as page:
        page.write("\n\n".join(rewrap_prose(section) for section in sections) + "\n")
