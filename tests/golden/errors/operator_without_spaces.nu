# Nushell reads an operator only between spaces.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret==1 { count }
    let x = $e.ret +1
}
