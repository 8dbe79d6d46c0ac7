# Interpolated strings: expressions in parentheses, escapes only in `$"..."`.
probe tracepoint:syscalls:sys_enter_openat {|e|
    emit {line: $"pid=($e.pid) comm=($e.comm)"}
    emit {escaped: $"a \"quoted\" \(literal\) ($e.pid + 1)"}
    emit {raw: $'no \escapes ($e.pid)'}
    emit {nested: $"outer ($"inner ($e.pid)")", piped: $"len=($e.comm | str length)"}
    emit {text_only: $"plain", empty: $""}
}
