"""The causes that profiling on the benchmark machine found behind the
targets, for the page's "Next work" section, keyed by the target keys of
targets.py. A missed target with no entry shows as "not found yet".

NOTE: these are written by hand from perf stat, perf record, strace,
/proc/PID/smaps and bpftool prog dump xlated on the machine of the committed
page. A later run prints them unchanged until someone rewrites them.
"""

CAUSES = {
    "startup_vs_c": (
        "The nubpf-run process itself starts slower than the small C loader. `perf stat -r 20 -e "
        "task-clock` gives nubpf-run about 4 to 5 ms of CPU for `getppid_count` against "
        "the C loader's 2.3 ms. `perf record` over 30 runs puts about 0.8 ms of the "
        "difference in the dynamic loader, which makes 2,221 relocations for nubpf-run, "
        "libstdc++ and libfmt against 328. About 1.1 ms is in the kernel, mostly page "
        "faults of the larger binary and libraries (195 against 91), and under 0.5 ms "
        "in nubpf-run's own code. With the load average at 5 to 10 during these runs, the wall-clock "
        "medians stretch these milliseconds. An object with any CO-RE relocation makes "
        "libbpf 1.1 read and parse the kernel's whole BTF (`/sys/kernel/btf/vmlinux`, "
        "5.5 MB here), about 10 ms of CPU and 11 MiB. The C versions of `read_hist`, "
        "`syscall_count` and `opensnoop` pay that, because they read tracepoint fields "
        "through `vmlinux.h` structs, so nubpf starts those faster. nubpf's `emit` paid "
        "it too, for the `local_type_id` relocation of each record. nubpf-run now drops "
        "those relocations, whose instructions already contain the ids, and that took "
        "`getppid_emit` from 13.8 ms of CPU to 5.0 ms, and its peak RSS from 16.0 MiB "
        "to 5.5 MiB."
    ),
    "startup_rss": (
        "At start-up nubpf-run peaks at about 5.2 MiB against the C loader's 2.1 MiB, and "
        "`/proc/PID/smaps` puts the difference in mapped pages of libstdc++ (1.5 MiB), "
        "of the nubpf-run binary (0.9 MiB) and of libm, which other processes share. "
        "nubpf-run's private anonymous memory is 0.3 MiB. The programs whose C version "
        "reads tracepoint fields through `vmlinux.h` make the C loader parse the "
        "kernel's BTF, which costs it about 11 MiB, so there nubpf-run needs less."
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
    "Cut nubpf-run's start-up and RSS from its shared libraries. Linking libstdc++ "
    "statically is not the way: in one try it raised peak RSS from 5.2 to 5.7 MiB.",
    "Drop the zeroing of a `comm` key that `bpf_get_current_comm` fills, and reuse the "
    "time of `ts` for the record header when an `emit` has both.",
    "At full speed nubpf-run prints about half as many lines per second as the C "
    "loader, even with one flush per ring buffer poll (it flushed once per record "
    "before); profile where its time per record goes.",
]
