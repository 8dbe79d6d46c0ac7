# `match` with literal, alternative, range, string, wildcard and guarded binding arms.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret {
        0 => "none"
        1 | 2 | 3 => "few"
        4..99 => { count }
        -1 => "error", -2 => "again"  # two arms on one line
        $n if $n > 4096 => "large"
        _ => null
    }
    let kind = match $e.comm {
        "bash" => count
        "sh" | "zsh" => {
            emit {shell: $e.comm}
            "shell"
        }
        _ => "other"
    }
    match $e.ret { 5ms => true, _ => false }
}
