# `stop-timer` and `store get` give null when the key has no value, so the
# value needs a check before arithmetic or a comparison.
probe tracepoint:syscalls:sys_enter_openat {|e| start-timer --key $e.tid }
probe tracepoint:syscalls:sys_exit_read {|e|
    let took = stop-timer --key $e.tid
    emit {ms: ($took // 1000000)}
    if (store get timer --key $e.tid) > 5 { count }
}
