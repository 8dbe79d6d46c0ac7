# A match subject and an arm value are one value each, so an expression needs parentheses.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret { 1 => $e.ret + 1, _ => 0 }
    match $e.ret + 1 { _ => 0 }
}
