# Assignments to `mut` variables with `=`, `+=`, `-=` and `*=`.
probe tracepoint:syscalls:sys_exit_read {|e|
    mut total = 0
    $total = $e.ret
    $total += 1
    $total -= 2
    $total *= 3
    $total = $total // 4
    $total = if $e.ret > 0 { $e.ret } else { 0 }
    $total = $e.comm | str length
}
