# `break` and `continue` belong in loops, and a probe's `return` takes no
# value; checking goes on after each of them. An error in the body of a
# `for` over a list is reported once, not once per element.
probe tracepoint:syscalls:sys_exit_read {|e|
    break
    continue
    return $e.ret
    for x in 0..3 { $x = 4 }
    if $e.ret > 0 { return }
    for v in [1 2 3] { $nope | count }
    count
}
