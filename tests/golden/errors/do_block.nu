# `do` is valid Nushell, but BPF programs cannot call closures.
probe tracepoint:syscalls:sys_exit_read {|e|
    do { count }
}
