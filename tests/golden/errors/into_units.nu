use nubpf *
# `into duration` and `into filesize` take ints only.
probe tracepoint:syscalls:sys_exit_read {|e|
    $e.comm | into duration | math max
    true | into filesize | math max
}
