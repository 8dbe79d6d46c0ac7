# `has` and `not-has` are Nushell operators this compiler does not support yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    if [1 2] has $e.ret { count }
}
