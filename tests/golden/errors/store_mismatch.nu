# Every use of a store name agrees on the key and on the value type.
probe tracepoint:syscalls:sys_enter_openat {|e|
    $e.flags | store set last_flags --key $e.tid
    true | store set reading --key $e.tid
}
probe tracepoint:syscalls:sys_exit_read {|e|
    let flags = store get last_flags --key $e.comm | default 0
    5 | store set reading --key $e.tid
}
