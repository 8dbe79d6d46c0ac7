# Call-form arguments are separated by commas.
probe tracepoint:syscalls:sys_exit_read {|e|
    send($e.ret $e.pid)
}
