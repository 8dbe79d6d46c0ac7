# `&&`, `||` and `!` are not Nushell operators.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 && $e.ret < 9 { count }
    if $e.ret > 0 || true { count }
    if !true { count }
}
