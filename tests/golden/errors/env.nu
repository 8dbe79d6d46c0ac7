# `$env` is valid Nushell, but a probe has no shell environment.
probe tracepoint:syscalls:sys_exit_read {|e|
    let home = $env.HOME
    $env.X = 1
}
