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
        "nubpf-run took 2.9 ms and 191 page faults. `perf record` over 30 runs of that "
        "build put about 0.8 ms in the dynamic loader, which made 2,221 relocations for "
        "nubpf-run, libstdc++ and libfmt against the C loader's 328. It put about 1.1 ms "
        "in page faults of the larger binary and libraries. The wall-clock ratio moves with "
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
        "runtime library and 0.40 MB to libstdc++, about half of it locale code for "
        "`char` and `wchar_t`. It gives 0.17 MB each to nubpf-run's main file (with the "
        "CLI11 command-line parser) and libbpf, and 0.07 MB each to fmt and zlib. "
        "`getppid_emit` peaks 0.5 MiB higher, at about 3 MiB, because nubpf-run maps its ring "
        "buffer before attaching, and the C loader, which exits right after attaching "
        "here, never maps it. The programs whose C version reads tracepoint fields "
        "through `vmlinux.h` make the C loader parse the kernel's BTF, which costs it "
        "about 11 MiB, so there nubpf-run needs less."
    ),
    "instructions": (
        "Where nubpf's code is longer, the `bpftool prog dump xlated` listings show "
        "what it does more. The keyed counts (`syscall_count` 44 against 40, "
        "`getppid_comm` 48 against 44) count the inserts that a full map drops. That "
        "takes 4 instructions, an atomic add to `nubpf_drops` in `.bss`, on the path "
        "of a new key that does not fit. The C versions drop such keys silently. Both versions of `getppid_comm` zero the 16-byte `comm` key before "
        "`bpf_get_current_comm`, because kernels before the change \"bpf: ensure all "
        "memory is initialized in bpf_get_current_comm\" (April 2023) leave the bytes "
        "after the NUL as they were, which would split one name into many keys. "
        "`read_hist` (60 against 55) checks the bucket against the 65 words of its "
        "one-entry map and computes the word's address, where the C version's array "
        "lookup checks the bucket itself. nubpf's `emit` programs are shorter than "
        "the C ones, because the C versions count lost records with a lookup in a "
        "per-CPU array, about 12 instructions, and nubpf with an atomic add to "
        "`nubpf_lost` in `.bss`."
    ),
    "overhead": (
        "The two `getppid_count` programs are the same instructions, so the ratio "
        "there is the noise of the measurement. For `getppid_emit` the tracers' "
        "user-space work shares the 2 cores with the workload, so how each tracer "
        "wakes and batches moves the number more than its BPF code does, and the "
        "medians vary from run to run. The C loader is woken by every submit that "
        "finds it caught up. nubpf-run waits 100 µs after a poll that emptied the "
        "ring buffer, so that the probes fill it with a batch. Why the C loader adds "
        "about three times nubpf-run's cost in this run is not profiled. In a "
        "separate `perf stat` run of 300,000 calls, without the harness, the calls "
        "took 288 ns under the C loader and 304 ns under nubpf-run. Without a tracer "
        "they take about 88 ns."
    ),
    "throughput": (
        "bpftrace 0.17's `printf` probe adds about 13 µs to each getppid call in this "
        "run (see the per-event table), so the workload cannot call much faster "
        "than 80,000 times a second under bpftrace. bpftrace then loses "
        "nothing, but delivers that rate at most. Why its `printf` costs that much is not "
        "profiled here. nubpf-run prints a JSON line in about 250 to 300 ns of CPU: it "
        "decodes into one reused record, formats straight into one output buffer, and "
        "copies runs of bytes that need no escaping at once. At full speed it "
        "delivered more lines per second than the C loader in this run. The C loader "
        "loses records from a lower rate than nubpf-run with the same 256 KiB ring "
        "buffer, which fits the wakeups described under the per-event overhead, but "
        "that is not profiled either."
    ),
}

NEXT_WORK = []
