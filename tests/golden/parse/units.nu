# Durations fold to nanoseconds and file sizes to bytes; file size units ignore case.
probe tracepoint:syscalls:sys_exit_read {|e|
    let durations = [1ns 2us 3µs 4ms 5sec 6min 7hr 8day 9wk 1.5sec 1_000ms]
    let sizes = [1b 2kb 3mb 4gb 5tb 6pb 7eb 1kib 2mib 3gib 4tib 5pib 6eib]
    let cased = [10KB 10Kb 4KiB 4KIB 1.5kib]
    if $e.ret > 64kib { count }
}
