# Durations and file sizes are i64 values whose unit the event field keeps,
# through `mut`, branches and the arithmetic that Nushell types the same way.
probe tracepoint:syscalls:sys_exit_read {|e|
    mut total = 0ms
    $total += 250ms
    let limit = if $e.ret > 0 { 2sec } else { 1sec }
    emit {total: $total, limit: $limit, scaled: (5ms * $e.ret), size: (4kb // 2), plain: (10ms // 3ms)}
}
