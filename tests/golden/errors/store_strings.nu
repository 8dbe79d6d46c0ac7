# A store of strings: a read before any set takes an int, which the
# string set after it disagrees with, and a string store takes no int.
probe tracepoint:syscalls:sys_exit_read {|e|
    let path = store get opened --key $e.tid | default 0
}
probe tracepoint:syscalls:sys_enter_openat {|e|
    $e.filename | store set opened --key $e.tid
    $e.comm | store set names --key $e.tid
    5 | store set names --key $e.tid
}
