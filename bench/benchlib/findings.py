"""The causes that profiling on the benchmark machine found behind the
targets, for the page's "Next work" section, keyed by the target keys of
targets.py. A missed target with no entry shows as "not found yet".

NOTE: these are written by hand from perf stat, perf record, strace,
/proc/PID/smaps and bpftool prog dump xlated on the machine of the committed
page. A later run prints them unchanged until someone rewrites them.
"""

CAUSES = {
    "startup_vs_c": (
        "nubpf-run is linked as a static PIE (cmake/StaticLink.cmake), so it starts "
        "without the dynamic loader. `perf stat -r 10 -e task-clock,page-faults`, 7 "
        "rounds taken in turn, gives nubpf-run 1.8 ms of CPU and 85 page faults for "
        "`getppid_count` against the C loader's 1.9 ms and 89. Linked dynamically, "
        "nubpf-run took 2.9 ms and 191 page faults, and `perf record` over 30 runs of "
        "that build put about 0.8 ms in the dynamic loader, which made 2,221 relocations for "
        "nubpf-run, libstdc++ and libfmt against the C loader's 328, and about 1.1 ms in "
        "page faults of the larger binary and libraries. The wall-clock ratio moves with "
        "the load on the shared cores. On one afternoon the suite measured 1.12×, and 21 "
        "runs taken in turn measured 0.91× (4.5 ms against 5.0 ms). An object with any "
        "CO-RE relocation makes libbpf 1.1 read and parse the kernel's whole BTF "
        "(`/sys/kernel/btf/vmlinux`, 5.5 MB here), about 10 ms of CPU and 11 MiB. The C "
        "versions of `read_hist`, `syscall_count` and `opensnoop` pay that, because they "
        "read tracepoint fields through `vmlinux.h` structs, so nubpf starts those "
        "faster. nubpf's `emit` paid it too, for the `local_type_id` relocation of each "
        "record. nubpf-run now drops those relocations, whose instructions already "
        "contain the ids, and that took `getppid_emit` from 13.8 ms of CPU to 5.0 ms, and "
        "its peak RSS from 16.0 MiB to 5.5 MiB, both measured before nubpf-run was linked "
        "statically."
    ),
    "startup_rss": (
        "At start-up the static nubpf-run peaks at 2.5 MiB for `getppid_count` against "
        "the C loader's 2.1 MiB. Linked dynamically it peaked at 5.2 MiB, mostly in "
        "mapped pages of libstdc++ (1.5 MiB), of the nubpf-run binary (0.9 MiB) and of "
        "libm. Fault-around maps nearly all of the static nubpf-run's code at start "
        "(2,164 of 2,228 KiB in `/proc/PID/smaps`), so its RSS follows the size of its "
        "code. Of that code, the linker map gives 0.68 MB to glibc, 0.62 MB to the "
        "runtime library, 0.40 MB to libstdc++ (about half of it locale code for `char` "
        "and `wchar_t`), 0.17 MB each to nubpf-run's main file (with the CLI11 "
        "command-line parser) and libbpf, and 0.07 MB each to fmt and zlib. "
        "`getppid_emit` peaks 0.5 MiB higher, at 3.0 MiB, because nubpf-run maps its ring "
        "buffer before attaching, and the C loader, which exits right after attaching "
        "here, never maps it. The programs whose C version reads tracepoint fields "
        "through `vmlinux.h` make the C loader parse the kernel's BTF, which costs it "
        "about 11 MiB, so there nubpf-run needs less."
    ),
    "instructions": (
        "The nubpf code does more than the C code wherever it is longer, as the "
        "`bpftool prog dump xlated` listings show. The keyed counts (`getppid_comm`, "
        "`syscall_count`) count the inserts that a full map drops, in a per-CPU array "
        "that nubpf-run reports, where the C versions drop them silently: about 20 "
        "instructions that run only when a key is new. nubpf also zeroes the 16-byte "
        "`comm` key before `bpf_get_current_comm`, which fills all of it anyway (3 "
        "instructions on every call). The histogram (`read_hist`) also has buckets for "
        "negative values and for 0, and checks the bucket index against the map's size. "
        "An `emit` writes a 16-byte header with the event id, the record's BTF type id "
        "and the time of the emit, which is a second `bpf_ktime_get_ns` call when the "
        "record has `ts` too."
    ),
    "overhead": (
        "For `getppid_emit` the C loader adds more per call than nubpf-run. `perf stat` "
        "on the tracers during 300,000 calls counts 26,950 context switches for the C "
        "loader and 35 for nubpf-run. The C loader keeps up with the ring buffer, so it "
        "sleeps and every submit that finds it caught up wakes it (both programs submit "
        "with flag 0, which wakes a waiting reader). nubpf-run spends longer on each "
        "record than the C loader, so it falls behind, is rarely asleep and rarely "
        "woken, and loses more records at full speed (see the throughput table)."
    ),
    "throughput": (
        "The bpftrace 0.17 `printf` probe adds tens of microseconds to each getppid call "
        "(see the per-event table), so the workload cannot call faster "
        "than about 25,000 to 40,000 times a second under bpftrace. bpftrace then loses "
        "nothing, but delivers that rate at most. Why its `printf` costs that much is not "
        "profiled here."
    ),
}

NEXT_WORK = [
    "Drop the zeroing of a `comm` key that `bpf_get_current_comm` fills, and reuse the "
    "time of `ts` for the record header when an `emit` has both.",
    "At full speed nubpf-run prints about half as many lines per second as the C "
    "loader, even with one flush per ring buffer poll (it flushed once per record "
    "before); profile where its time per record goes.",
]
