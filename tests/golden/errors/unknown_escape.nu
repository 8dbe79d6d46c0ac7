# An escape that Nushell does not have.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: "a\qb"}
}
