# Globals start at an int, duration, filesize or bool literal, and `*=`
# is not atomic.
mut label = "reads"
mut total = 0
mut bytes: duration = 0b
probe tracepoint:syscalls:sys_exit_read {|e|
    $total *= 2
    $total += $e.ret
}
