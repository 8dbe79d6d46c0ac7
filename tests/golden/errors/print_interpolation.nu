# Interpolated strings are formatted by the loader, so only `print` takes
# them, and their parts are ints, bools and strings.
probe tracepoint:syscalls:sys_exit_read {|e|
    let s = $"ret ($e.ret)"
    emit {s: $"comm ($e.comm)"}
    print $"record ({a: 1})"
    print $"event ($e)"
    print $"nothing (count)"
}
