# Constant folding: operators on constants, `mut` values that every path
# knows, and a branch on a constant condition.
const DEBUG = false
probe tracepoint:syscalls:sys_exit_read {|e|
    mut scale = 6
    $scale *= 7
    if $DEBUG { emit {debug: $e.ret} }
    emit {size: ($e.ret * $scale), half: ($scale // 4)}
}
