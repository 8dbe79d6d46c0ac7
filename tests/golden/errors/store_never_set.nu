# A store that nothing sets has no value to get, and a timer that nothing
# starts has no time to stop.
probe tracepoint:syscalls:sys_exit_read {|e|
    let started = store get started --key $e.tid | default 0
    emit {started: $started}
    let took = stop-timer --key $e.tid | default 0ns
    emit {took: $took}
    let waited = stop-timer waits --key $e.tid | default 0ns
    emit {waited: $waited}
}
