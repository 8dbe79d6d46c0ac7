# Dead code elimination: an unused `let`, a `mut` that nothing reads, and
# the code after `return`.
probe tracepoint:syscalls:sys_exit_read {|e|
    let unused = $e.ret * 2
    mut never_read = 5
    $never_read += $e.ret
    count
    return
    emit {ret: $e.ret}
}
