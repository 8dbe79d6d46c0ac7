# A store's values have one type, and units are part of it: ints,
# durations and file sizes do not mix under one name. Ints of any width
# are stored as i64.
probe tracepoint:syscalls:sys_enter_openat {|e|
    $e.dfd | store set last_fd --key $e.tid
    $e.flags | into filesize | store set wanted --key $e.tid
    $e.ret? | default 0 | store set last_fd --key $e.tid
}
probe tracepoint:syscalls:sys_exit_read {|e|
    5ms | store set last_fd --key $e.tid
    $e.ret | store set wanted --key $e.tid
    let seen = store get seen --key $e.tid | default 0
    1kb | store set seen --key $e.tid
    stop-timer took --key $e.tid | default 0ns | store set took --key $e.tid
}
