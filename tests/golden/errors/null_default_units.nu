# `default` keeps its own type in Nushell, so a default for a duration or a
# file size must have that unit, and the help for null names it.
probe tracepoint:syscalls:sys_enter_openat {|e|
    start-timer --key $e.tid
    $e.flags | into filesize | store set wanted --key $e.tid
}
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {late: ((stop-timer --key $e.tid | default 0) + 1ms)}
    emit {wanted: (store get wanted --key $e.tid | default 0)}
    let wanted = store get wanted --key $e.tid
    emit {half: ($wanted // 2)}
    let took = stop-timer --key $e.tid
    if $took > 1ms and $took != null { count }
    emit {ok: ($took != null and $took > 1ms), fallback: ($took | default 0ns)}
}
