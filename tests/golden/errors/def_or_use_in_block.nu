# `def` and `use` are only supported at the top level.
probe tracepoint:syscalls:sys_exit_read {|e|
    def inner [] { }
    use nubpf *
}
