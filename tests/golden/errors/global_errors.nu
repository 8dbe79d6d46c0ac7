# Globals start at an int, duration, filesize or bool literal, and `*=`
# is not atomic. A global with a bad declaration is reported once, not at
# each use.
mut label = "reads"
mut total = 0
mut bytes: duration = 0b
probe tracepoint:syscalls:sys_exit_read {|e|
    $total *= 2
    $total += $e.ret
    $label = "writes"
    $bytes += 1b
    emit {label: $label, bytes: $bytes}
}
