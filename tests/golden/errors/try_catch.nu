# `try` is valid Nushell, but BPF programs have no errors to catch.
probe tracepoint:syscalls:sys_exit_read {|e|
    try { count } catch { count }
}
