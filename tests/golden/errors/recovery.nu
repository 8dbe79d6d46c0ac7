# Several errors in one run, each reported once, with no cascades.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x = $a has 2
    emit {a: (1 + }
    count
    if $x = 1 { count }
}
oops
probe tracepoint:syscalls:sys_enter_openat {|e| $e | }
probe tracepoint:syscalls:sys_enter_openat {|e| let f = 1.5; let g = $env.X }
