# `=` does not compare in Nushell.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret = 1 { count }
    while $e.ret = 2 { count }
}
